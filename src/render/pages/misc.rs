//! The single pages: the tag index, people, causes, the hub's own pages, and 404.

use serde::Serialize;

use super::super::{Rendered, Renderer};
use crate::cards::excerpt::{self, excerpt};
use crate::cards::{CauseCard, PersonCard};
use crate::markdown::{self, Heading};
use crate::site::PageId;

/// `tags.html`'s own view.
#[derive(Serialize)]
struct TagsPage<'a> {
    tags: Vec<TagEntry<'a>>,
}

#[derive(Serialize)]
struct TagEntry<'a> {
    name: &'a str,
    url: String,
    /// Listed posts with the tag.
    count: usize,
}

/// `people.html`'s own view.
#[derive(Serialize)]
struct PeoplePage<'a> {
    people: Vec<PersonEntry<'a>>,
}

#[derive(Serialize)]
struct PersonEntry<'a> {
    card: &'a PersonCard,
    /// The first paragraph of the profile, as plain text.
    bio_text: String,
    /// `bio_text` shortened for the card, at a sentence or word boundary.
    bio_excerpt: String,
    post_count: usize,
    cause_count: usize,
}

/// `causes.html`'s own view.
#[derive(Serialize)]
struct CausesPage<'a> {
    upcoming: Vec<&'a CauseCard>,
    past: Vec<&'a CauseCard>,
}

/// `page.html`'s own view.
#[derive(Serialize)]
struct PagePage<'a> {
    page: PageView<'a>,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    slug: &'a str,
    summary: Option<&'a str>,
    /// The body's HTML.
    content: &'a str,
    headings: &'a [Heading],
    extra: &'a serde_json::Value,
}

/// `404.html` has nothing of its own.
#[derive(Serialize)]
struct NotFoundPage {}

impl Renderer<'_> {
    /// `/tags/`: every tag of a listed post.
    pub fn tags_index(&self) -> Rendered {
        let site = self.site;
        let tags = site
            .tags()
            .map(|(_, t)| TagEntry { name: &t.name, url: site.tag_path(&t.slug), count: t.posts.len() })
            .collect();
        let meta = self.meta(&self.site.path("/tags/"), self.strings.get("tags_title"), "", "website");
        Rendered::one(self.page("tags.html", &meta, &self.site.path("/tags/"), TagsPage { tags }))
    }

    /// `/people/`: everyone who has consented.
    pub fn people_index(&self) -> Rendered {
        let site = self.site;
        let people = site
            .visible_people()
            .map(|(id, p)| {
                let bio_text = markdown::plain_text(markdown::summary_source(&p.file.body()));
                PersonEntry {
                    card: self.cards.person(id),
                    bio_excerpt: excerpt(&bio_text, excerpt::PERSON_CARD),
                    bio_text,
                    post_count: site.person_posts(id).len(),
                    cause_count: site.person_causes(id).len(),
                }
            })
            .collect();
        let s = self.strings;
        let meta =
            self.meta(&self.site.path("/people/"), s.get("people_title"), s.get("people_description"), "website");
        Rendered::one(self.page("people.html", &meta, &self.site.path("/people/"), PeoplePage { people }))
    }

    /// `/causes/`: the causes coming up, then those that are over.
    pub fn causes_index(&self) -> Rendered {
        let site = self.site;
        let view = CausesPage {
            upcoming: site.upcoming_causes().into_iter().map(|c| self.cards.cause(c)).collect(),
            past: site.past_causes().into_iter().map(|c| self.cards.cause(c)).collect(),
        };
        let s = self.strings;
        let meta =
            self.meta(&self.site.path("/causes/"), s.get("causes_title"), s.get("causes_description"), "website");
        let mut rendered = Rendered::one(self.page("causes.html", &meta, &self.site.path("/causes/"), view));
        rendered.outputs.push(crate::calendar::calendar_file(site, self.cards, self.strings));
        rendered
    }

    /// One of the hub's own pages (`content/pages/`).
    pub fn page_of_hub(&self, id: PageId) -> Rendered {
        let site = self.site;
        let p = site.page(id);
        let path = site.page_path(&p.slug.value);
        let body = self.body(&p.file, &path, true, false);
        let description = p
            .summary
            .as_ref()
            .map_or_else(|| markdown::plain_text(markdown::summary_source(&p.file.body())), |s| s.value.clone());
        let meta = self.meta(&path, &p.title, &description, "website");
        let view = PagePage {
            page: PageView {
                title: &p.title,
                slug: &p.slug.value,
                summary: p.summary.as_ref().map(|s| s.value.as_str()),
                content: &body.html,
                headings: &body.headings,
                extra: &p.extra,
            },
        };
        let mut rendered = Rendered::one(self.page("page.html", &meta, &path, view));
        rendered.diagnostics.splice(0..0, body.diagnostics);
        rendered
    }

    /// `/404.html`, which static hosts show for a missing page.
    pub fn not_found(&self) -> Rendered {
        let path = &self.site.path("/404.html");
        let meta = self.meta(path, self.strings.get("not_found_title"), "", "website");
        Rendered::one(self.page("404.html", &meta, path, NotFoundPage {}))
    }
}
