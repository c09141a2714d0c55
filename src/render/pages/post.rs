//! A post's page: its body, credits, the personal note, and the share kit.

use serde::Serialize;

use super::super::view::ld;
use super::super::{Rendered, Renderer};
use crate::cards::{kits, ImageInfo, PersonCard, PostCard, TagRef};
use crate::content::Via;
use crate::markdown::{self, Heading};
use crate::share::{self, ShareKit};
use crate::site::{PostId, PostState};

/// `post.html`'s own view.
#[derive(Serialize)]
struct PostPage<'a> {
    post: PostView<'a>,
    /// `None` for an expired post: there is nothing left to share.
    kit: Option<&'a ShareKit>,
}

#[derive(Serialize)]
struct PostView<'a> {
    title: &'a str,
    url: &'a str,
    permalink: &'a str,
    date: &'a str,
    date_display: &'a str,
    summary_text: &'a str,
    /// The body's HTML.
    content: &'a str,
    headings: &'a [Heading],
    authors: &'a [std::sync::Arc<PersonCard>],
    tags: &'a [TagRef],
    note: Option<&'a str>,
    note_html: Option<String>,
    note_author: Option<&'a PersonCard>,
    via: Option<&'a Via>,
    featured: bool,
    image: Option<&'a ImageInfo>,
    expired: bool,
    expires: Option<String>,
    draft: bool,
    extra: &'a serde_json::Value,
}

impl Renderer<'_> {
    /// Post `id`'s page, the problems its body and share kit have, and the body's HTML (for
    /// the feeds). Nothing for a post without a page.
    pub fn post(&self, id: PostId) -> Rendered {
        self.post_page(id, false)
    }

    /// `post`, with the body's text without markup too when `plain_text` asks (`plain`).
    pub fn post_page(&self, id: PostId, plain_text: bool) -> Rendered {
        let site = self.site;
        let p = site.post(id);
        let Some(card) = self.cards.post(id) else { return Rendered::none() };
        let body = self.body(&p.file, &card.url, card.image.is_none(), plain_text);
        let mut diagnostics = body.diagnostics;
        let expired = site.post_state(id) == PostState::Expired;
        let kit = (!expired).then(|| self.cards.post_kit(site, id));
        if let Some(kit) = &kit {
            for (network, length) in share::over_limit(kit) {
                diagnostics.push(kits::too_long(&p.file, &p.share, p.summary.as_ref(), network, length));
            }
        }
        let note_author = p.authors.first().and_then(|a| site.person_by_id(&a.value)).map(|j| self.cards.person(j));
        let mut meta = self.meta(&card.url, &p.title, &card.summary_text, "article");
        meta.published_time = Some(&card.date);
        meta.authors = Some(card.authors.iter().map(|a| site.config().absolute(&a.url)).collect());
        meta.tags = Some(card.tags.iter().map(|t| t.name.as_str()).collect());
        meta.image = card.image.as_ref().or(card.social_image.as_ref());
        meta.json_ld = Some(ld::to_script(&self.article_ld(id, card)));
        let view = PostPage {
            post: PostView {
                title: &p.title,
                url: &card.url,
                permalink: &card.permalink,
                date: &card.date,
                date_display: &card.date_display,
                summary_text: &card.summary_text,
                content: &body.html,
                headings: &body.headings,
                authors: &card.authors,
                tags: &card.tags,
                note: p.note.as_deref(),
                note_html: p.note.as_deref().map(plain_paragraphs),
                note_author,
                via: p.via.as_ref(),
                featured: p.featured.value,
                image: card.image.as_ref(),
                expired,
                expires: p.expires.map(|e| self.strings.date(&e)),
                draft: p.draft,
                extra: &p.extra,
            },
            kit: kit.as_ref(),
        };
        let mut rendered = Rendered::one(self.page("post.html", &meta, &card.url, view));
        rendered.diagnostics.splice(0..0, diagnostics);
        rendered.body = Some(body.html);
        rendered.plain = body.plain;
        rendered
    }

    fn article_ld<'c>(&'c self, id: PostId, card: &'c PostCard) -> ld::Article<'c> {
        let site = self.site;
        let config = site.config();
        let p = site.post(id);
        ld::Article {
            context: ld::SCHEMA_ORG,
            kind: "Article",
            author: card
                .authors
                .iter()
                .map(|a| ld::Person {
                    kind: "Person",
                    job_title: a.role.as_deref(),
                    name: &a.name,
                    url: config.absolute(&a.url),
                })
                .collect(),
            date_published: &card.date,
            description: &card.summary_text,
            headline: &p.title,
            image: card.image.as_ref().map(|im| im.absolute_url.as_str()),
            in_language: &config.language,
            is_based_on: p.via.as_ref().map(|v| v.url.as_str()),
            keywords: card.tags.iter().map(|t| t.name.as_str()).collect(),
            main_entity_of_page: &card.permalink,
            publisher: (!config.company.is_empty()).then(|| ld::Organization {
                kind: "Organization",
                name: &config.company,
                url: &config.base_url,
            }),
            url: &card.permalink,
        }
    }
}

/// Text as the person wrote it, in paragraphs: their own words, not Markdown.
fn plain_paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", markdown::escape_html(p).replace('\n', "<br>")))
        .collect::<Vec<_>>()
        .join("\n")
}
