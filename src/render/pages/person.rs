//! A person's pages: their profile, their posts (paginated) and their causes.

use serde::Serialize;

use super::super::view::ld;
use super::super::{Rendered, Renderer};
use super::listing::Paginator;
use crate::cards::{CauseCard, PersonCard, PostCard};
use crate::markdown;
use crate::site::{CauseId, PersonId};

/// `person.html`'s own view.
#[derive(Serialize)]
struct PersonPage<'a> {
    person: &'a PersonView<'a>,
    /// This page's share of the person's posts.
    posts: Vec<&'a PostCard>,
    paginator: Paginator,
    causes_upcoming: &'a [&'a CauseCard],
    causes_past: &'a [&'a CauseCard],
    /// Whether the person has a feed in this language (`feed::has_person_feed`).
    has_feed: bool,
}

#[derive(Serialize)]
struct PersonView<'a> {
    card: &'a PersonCard,
    name: &'a str,
    /// The profile's body, as HTML.
    bio: &'a str,
    /// The language the bio is written in, when it is not the page's: an untranslated
    /// profile shown in another language (`lang` on its element, for screen readers and
    /// hyphenation).
    bio_language: Option<&'a str>,
    links: Vec<ProfileLink<'a>>,
    extra: &'a serde_json::Value,
}

/// A link to the person elsewhere, with a label people recognise.
#[derive(Serialize)]
struct ProfileLink<'a> {
    network: &'a str,
    label: String,
    url: &'a str,
}

impl Renderer<'_> {
    /// Person `id`'s pages; nothing for a person who has not consented or has withdrawn.
    pub fn person(&self, id: PersonId) -> Rendered {
        let site = self.site;
        let p = site.person(id);
        if !p.visible() {
            return Rendered::none();
        }
        let card = self.cards.person(id);
        let body = self.body(&p.file, &card.url, true, false);
        let mut rendered = Rendered { diagnostics: body.diagnostics, ..Rendered::none() };
        let bio_text = markdown::plain_text(markdown::summary_source(&p.file.body()));
        let now = site.options().now;
        let (past, upcoming): (Vec<CauseId>, Vec<CauseId>) =
            site.person_causes(id).iter().partition(|&&c| site.cause(c).last_moment() < now);
        let upcoming: Vec<&CauseCard> = upcoming.into_iter().map(|c| self.cards.cause(c)).collect();
        let past: Vec<&CauseCard> = past.into_iter().map(|c| self.cards.cause(c)).collect();
        let person = PersonView {
            card,
            name: &p.name,
            bio: &body.html,
            bio_language: Some(p.file.language.as_ref().map_or(site.config().default_language(), |l| l.value.as_str()))
                .filter(|l| site.config().multilingual() && *l != site.config().language),
            links: p
                .links
                .iter()
                .map(|(k, url)| ProfileLink { network: k, label: link_label(k, self.strings.get("link_website")), url })
                .collect(),
            extra: &p.extra,
        };
        let profile = ld::ProfilePage {
            context: ld::SCHEMA_ORG,
            kind: "ProfilePage",
            main_entity: ld::ProfilePerson {
                kind: "Person",
                job_title: p.role.as_deref(),
                name: &p.name,
                same_as: p.links.iter().map(|(_, u)| u.as_str()).collect(),
                url: site.config().absolute(&card.url),
            },
        };
        let json_ld = ld::to_script(&profile);
        for n in 1..=self.page_count(site.person_posts(id).len()) {
            let (path, posts, paginator) = self.paginate(&card.url, site.person_posts(id), n);
            let title = self.page_title(&p.name, n);
            let mut meta = self.meta(&path, &title, &bio_text, "profile");
            // The card shows the avatar at a size link previews use; an avatar alone is small.
            meta.image = card.social_image.as_ref().or(card.avatar.as_ref());
            meta.json_ld = Some(json_ld.clone());
            let has_feed = crate::feed::has_person_feed(site, id);
            let view = PersonPage {
                person: &person,
                posts,
                paginator,
                causes_upcoming: &upcoming,
                causes_past: &past,
                has_feed,
            };
            rendered.push(self.page("person.html", &meta, &path, view));
        }
        rendered
    }
}

/// The label of the profile link `key`: its network's name, or `website` (in the pages'
/// language) for a personal site.
fn link_label(key: &str, website: &str) -> String {
    match key {
        "x" | "twitter" => "X".into(),
        "linkedin" => "LinkedIn".into(),
        "github" => "GitHub".into(),
        "gitlab" => "GitLab".into(),
        "bluesky" => "Bluesky".into(),
        "mastodon" => "Mastodon".into(),
        "website" | "web" | "site" => website.into(),
        other => {
            let mut c = other.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        }
    }
}
