//! Paginated listings of posts: `/posts/` and each tag's page.

use serde::Serialize;

use super::super::{Rendered, Renderer};
use crate::cards::{PostCard, TagRef};
use crate::site::{PostId, TagId};

/// Where a page of a listing is among its pages.
#[derive(Serialize)]
pub struct Paginator {
    /// 1-based.
    pub current: usize,
    pub total: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub first_url: String,
}

/// `posts.html`'s and `tag.html`'s own view.
#[derive(Serialize)]
struct ListingPage<'a> {
    posts: Vec<&'a PostCard>,
    paginator: Paginator,
    /// The page's title (with its page number after the first).
    title: &'a str,
    /// Only on a tag's pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    tag: Option<&'a TagRef>,
}

impl<'a> Renderer<'a> {
    /// Page `n` (1-based) of `posts` split into pages: its path (`base`, `base/page/2/`, …),
    /// its cards and where it is among the pages.
    pub(super) fn paginate(&self, base: &str, posts: &'a [PostId], n: usize) -> (String, Vec<&'a PostCard>, Paginator) {
        let per = self.site.config().paginate.max(1);
        let total = self.page_count(posts.len());
        let page_path = |n: usize| if n <= 1 { base.to_string() } else { format!("{base}page/{n}/") };
        let end = posts.len().min(n * per);
        let chunk = posts.get((n - 1) * per..end).unwrap_or_default();
        let paginator = Paginator {
            current: n,
            total,
            prev_url: (n > 1).then(|| page_path(n - 1)),
            next_url: (n < total).then(|| page_path(n + 1)),
            first_url: base.to_string(),
        };
        (page_path(n), self.cards.posts_of(chunk).collect(), paginator)
    }

    fn listing(
        &self,
        template: &str,
        (base, title, description): (&str, &str, &str),
        posts: &'a [PostId],
        n: usize,
        tag: Option<&TagRef>,
    ) -> Rendered {
        let (path, cards, paginator) = self.paginate(base, posts, n);
        let title = self.page_title(title, n);
        let meta = self.meta(&path, &title, description, "website");
        let view = ListingPage { posts: cards, paginator, title: &title, tag };
        Rendered::one(self.page(template, &meta, &path, view))
    }

    /// Page `n` (1-based) of `/posts/`.
    pub fn posts_listing(&self, n: usize) -> Rendered {
        let site = self.site;
        let title = self.strings.get("posts_title");
        self.listing("posts.html", (&site.path("/posts/"), title, &site.config().description), site.listed(), n, None)
    }

    /// Page `n` (1-based) of one tag.
    pub fn tag_listing(&self, id: TagId, n: usize) -> Rendered {
        let tag = self.site.tag(id);
        let base = self.site.tag_path(&tag.slug);
        let tag_ref = TagRef { name: tag.name.clone(), url: base.clone() };
        let title = self.strings.fmt("tag_title", &[("tag", &tag.name)]);
        self.listing("tag.html", (&base, &title, ""), &tag.posts, n, Some(&tag_ref))
    }
}
