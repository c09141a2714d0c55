//! Typed ids of the site's items, and the accessors that read the site through them.
//!
//! An id is the item's place in the site's order (posts newest first, people by name, causes
//! soonest first, pages by menu weight, tags by slug), so ids are plain indexes underneath:
//! looking an item up costs what indexing a `Vec` costs. Only `Site` makes ids, and an id
//! means something only for the site that made it (`serve` keeps ids only while it keeps
//! the site they came from).

use std::path::{Path, PathBuf};

use super::{Options, PostState, Site, Tag};
use crate::config::Config;
use crate::content::{Cause, Page, Person, Post};

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub(super) usize);
    };
}

id!(
    /// A post of the site.
    PostId
);
id!(
    /// A person of the site, visible or not.
    PersonId
);
id!(
    /// A cause of the site, published or not.
    CauseId
);
id!(
    /// One of the hub's own pages (`content/pages/`).
    PageId
);
id!(
    /// A tag of the site's listed posts.
    TagId
);

impl PostId {
    /// The post's place in the site's order, for tables kept beside the site (the cards).
    pub fn index(self) -> usize {
        self.0
    }
}

impl PersonId {
    /// The person's place in the site's order, for tables kept beside the site (the cards).
    pub fn index(self) -> usize {
        self.0
    }
}

impl CauseId {
    /// The cause's place in the site's order, for tables kept beside the site (the cards).
    pub fn index(self) -> usize {
        self.0
    }
}

/// Every item of `items` with its id, in order.
fn with_ids<'a, T, I>(
    items: &'a [T],
    id: impl Fn(usize) -> I + 'a,
) -> impl ExactSizeIterator<Item = (I, &'a T)> + DoubleEndedIterator + 'a {
    items.iter().enumerate().map(move |(i, item)| (id(i), item))
}

impl Site {
    /// The hub's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The folder of the theme in use.
    pub fn theme_dir(&self) -> PathBuf {
        self.root.join("themes").join(&self.config.theme)
    }

    /// Every post, with or without a page, newest first, then by slug.
    pub fn posts(&self) -> impl ExactSizeIterator<Item = (PostId, &Post)> + DoubleEndedIterator {
        with_ids(&self.posts, PostId)
    }

    pub fn post(&self, id: PostId) -> &Post {
        &self.posts[id.0]
    }

    /// Post `id`'s address (`/posts/x/`, or as `permalinks.posts` says): the one place post
    /// addresses come from, for pages, links, feeds, the sitemap, the digest and share links.
    pub fn post_path(&self, id: PostId) -> &str {
        &self.post_paths[id.0]
    }

    /// The redirect pages of the aliases of items that have a page, in the site's order.
    pub fn redirects(&self) -> &[super::Redirect] {
        &self.redirects
    }

    /// Whether, and why, the post is on the site.
    pub fn post_state(&self, id: PostId) -> PostState {
        self.post_state[id.0]
    }

    /// The posts with state `Live`, newest first: those that listings, feeds and the digest show.
    pub fn listed(&self) -> &[PostId] {
        &self.listed
    }

    /// The post with a page whose file is `file`, relative to `content/` (`posts/x.md`).
    pub fn post_by_file(&self, file: &str) -> Option<PostId> {
        self.post_by_file.get(file).copied()
    }

    /// Everyone, by name, whether they consented or not.
    pub fn people(&self) -> impl ExactSizeIterator<Item = (PersonId, &Person)> + DoubleEndedIterator {
        with_ids(&self.people, PersonId)
    }

    pub fn person(&self, id: PersonId) -> &Person {
        &self.people[id.0]
    }

    /// The person whose id (the file name, as `authors:` and `person:` name them) is `id`.
    pub fn person_by_id(&self, id: &str) -> Option<PersonId> {
        self.person_by_id.get(id).copied()
    }

    /// The people who are published (consented, not withdrawn), by name.
    pub fn visible_people(&self) -> impl Iterator<Item = (PersonId, &Person)> {
        self.people().filter(|(_, p)| p.visible())
    }

    /// A person's listed posts, newest first.
    pub fn person_posts(&self, id: PersonId) -> &[PostId] {
        &self.person_posts[id.0]
    }

    /// A person's published causes, soonest first.
    pub fn person_causes(&self, id: PersonId) -> &[CauseId] {
        &self.person_causes[id.0]
    }

    /// Every cause, published or not, soonest first, then by slug.
    pub fn causes(&self) -> impl ExactSizeIterator<Item = (CauseId, &Cause)> + DoubleEndedIterator {
        with_ids(&self.causes, CauseId)
    }

    pub fn cause(&self, id: CauseId) -> &Cause {
        &self.causes[id.0]
    }

    /// Whether the cause has a page: its owner exists and is published.
    pub fn cause_published(&self, id: CauseId) -> bool {
        self.cause_published[id.0]
    }

    /// The published causes, soonest first.
    pub fn published_causes(&self) -> impl Iterator<Item = (CauseId, &Cause)> {
        self.causes().filter(|&(id, _)| self.cause_published(id))
    }

    /// Published causes whose last day is still ahead, soonest first.
    pub fn upcoming_causes(&self) -> Vec<CauseId> {
        let now = self.options.now;
        self.published_causes().filter(|(_, c)| c.last_moment() >= now).map(|(id, _)| id).collect()
    }

    /// Published causes that are over, most recent first.
    pub fn past_causes(&self) -> Vec<CauseId> {
        let now = self.options.now;
        let mut v: Vec<CauseId> =
            self.published_causes().filter(|(_, c)| c.last_moment() < now).map(|(id, _)| id).collect();
        v.reverse();
        v
    }

    /// The hub's own pages, by menu weight, then title.
    pub fn pages(&self) -> impl ExactSizeIterator<Item = (PageId, &Page)> + DoubleEndedIterator {
        with_ids(&self.pages, PageId)
    }

    pub fn page(&self, id: PageId) -> &Page {
        &self.pages[id.0]
    }

    /// The tags of listed posts, by slug.
    pub fn tags(&self) -> impl ExactSizeIterator<Item = (TagId, &Tag)> + DoubleEndedIterator {
        with_ids(&self.tags, TagId)
    }

    pub fn tag(&self, id: TagId) -> &Tag {
        &self.tags[id.0]
    }

    /// The tag whose slug is `slug`, if a listed post has it.
    pub fn tag_by_slug(&self, slug: &str) -> Option<TagId> {
        self.tags.binary_search_by(|t| t.slug.as_str().cmp(slug)).ok().map(TagId)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::{Options, Site};

    fn basic() -> Site {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let now = crate::dates::now(Some("2026-11-20T12:00:00Z"), None).unwrap();
        let options = Options { drafts: false, future: false, now, base_url: None };
        Site::load(&manifest.join("tests/fixtures/basic"), options).0.expect("the basic hub loads")
    }

    #[test]
    fn lookups_return_the_ids_the_iterators_give() {
        let site = basic();
        let slugs: Vec<&str> = site.tags().map(|(_, t)| t.slug.as_str()).collect();
        assert!(!slugs.is_empty());
        assert!(slugs.windows(2).all(|w| w[0] < w[1]), "tags are in slug order: {slugs:?}");
        for (id, tag) in site.tags() {
            assert_eq!(site.tag_by_slug(&tag.slug), Some(id));
            assert!(tag.posts.iter().all(|p| site.listed().contains(p)));
        }
        assert_eq!(site.tag_by_slug("no-such-tag"), None);
        for (id, person) in site.people() {
            assert_eq!(site.person_by_id(&person.id), Some(id));
            assert!(site.person_posts(id).iter().all(|&p| site.post(p).authors.iter().any(|a| a.value == person.id)));
        }
        assert_eq!(site.person_by_id("nobody"), None);
        for (id, post) in site.posts() {
            let file = post.file.rel.strip_prefix("content/").unwrap();
            let expected = site.post_state(id).has_page().then_some(id);
            assert_eq!(site.post_by_file(file), expected, "{file}");
        }
        let upcoming = site.upcoming_causes();
        let past = site.past_causes();
        assert_eq!(upcoming.len() + past.len(), site.published_causes().count());
        assert!(upcoming.iter().chain(&past).all(|&c| site.cause_published(c)));
    }
}
