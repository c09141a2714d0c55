//! `/search/`: the page the search box leads to. The results are the theme's `search.js`
//! reading the index of `crate::search`; the page itself holds the form, the places the
//! script fills, and, for a browser without JavaScript, the tag index and the archive.

use serde::Serialize;

use super::super::{Rendered, Renderer};
use crate::cards::PostCard;

/// How many of the newest posts the archive on the search page lists.
pub const ARCHIVE_POSTS: usize = 50;

/// `search.html`'s own view.
#[derive(Serialize)]
struct SearchPage<'a> {
    /// Every tag of a listed post, as on `/tags/`.
    tags: Vec<SearchTag<'a>>,
    /// The newest listed posts, by month.
    archive: Vec<ArchiveMonth<'a>>,
    /// How many posts are listed in all (the archive shows at most `ARCHIVE_POSTS`).
    post_count: usize,
    /// The archive shows every listed post.
    archive_complete: bool,
    /// The index's description for the script: `/search/index.json`.
    index_url: String,
}

#[derive(Serialize)]
struct SearchTag<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct ArchiveMonth<'a> {
    /// `November 2026`.
    label: String,
    posts: Vec<&'a PostCard>,
}

impl Renderer<'_> {
    /// `/search/`.
    pub fn search_page(&self) -> Rendered {
        let site = self.site;
        let tags = site
            .tags()
            .map(|(_, t)| SearchTag { name: &t.name, url: site.tag_path(&t.slug), count: t.posts.len() })
            .collect();
        let mut archive: Vec<ArchiveMonth> = Vec::new();
        for id in site.listed().iter().take(ARCHIVE_POSTS) {
            let Some(card) = self.cards.post(*id) else { continue };
            let label = self.strings.month(&site.post(*id).date.value);
            match archive.last_mut() {
                Some(month) if month.label == label => month.posts.push(card),
                _ => archive.push(ArchiveMonth { label, posts: vec![card] }),
            }
        }
        let view = SearchPage {
            tags,
            archive,
            post_count: site.listed().len(),
            archive_complete: site.listed().len() <= ARCHIVE_POSTS,
            index_url: self.site.path("/search/index.json"),
        };
        let s = self.strings;
        let meta =
            self.meta(&self.site.path("/search/"), s.get("search_title"), s.get("search_description"), "website");
        Rendered::one(self.page("search.html", &meta, &self.site.path("/search/"), view))
    }
}
