//! Cards: what listings, feeds and the digest show of each post, person and cause, built
//! once per build from the loaded site (summaries rendered, images measured, links made
//! absolute). Pages, feeds and the digest read cards; cards never render a page.
//!
//! `serve` keeps the `Cards` of its last build and updates one post's card after an edit
//! that kept the post's place, reusing rendered summaries whose source is unchanged.

pub mod excerpt;
pub mod kits;
mod pictures;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{ImageRef, Location};
use crate::dates::{self, Date};
use crate::diagnostic::Diagnostic;
use crate::i18n::Strings;
use crate::markdown;
use crate::site::{CauseId, PersonId, PostId, Site};

#[derive(Serialize, Clone)]
pub struct ImageInfo {
    pub url: String,
    pub absolute_url: String,
    pub alt: String,
    pub width: Option<usize>,
    pub height: Option<usize>,
    /// The WebP variants for `<img srcset>` (processed raster images only).
    pub srcset: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct PersonCard {
    pub id: String,
    pub name: String,
    pub url: String,
    pub role: Option<String>,
    pub team: Option<String>,
    pub pronouns: Option<String>,
    pub avatar: Option<ImageInfo>,
    /// The person's social card (1200×630 PNG), unless `social_cards: false`.
    pub social_image: Option<ImageInfo>,
}

/// What a listing shows of a post.
#[derive(Serialize, Clone)]
pub struct PostCard {
    pub title: String,
    pub url: String,
    pub permalink: String,
    pub date: String,
    pub date_display: String,
    pub summary_html: String,
    pub summary_text: String,
    /// The summary shortened for a card (see [`excerpt::excerpt`]).
    pub excerpt: String,
    /// Shared with `Cards::person`: a hub's posts name the same few hundred people.
    pub authors: Vec<Arc<PersonCard>>,
    pub tags: Vec<TagRef>,
    pub featured: bool,
    pub image: Option<ImageInfo>,
    /// The post's social card (1200×630 PNG), unless `social_cards: false`.
    pub social_image: Option<ImageInfo>,
}

#[derive(Serialize, Clone)]
pub struct TagRef {
    pub name: String,
    pub url: String,
}

#[derive(Serialize, Clone)]
pub struct CauseCard {
    pub title: String,
    pub url: String,
    pub kind: crate::content::CauseKind,
    /// The kind's name in the pages' language ("Fundraiser", "Spendenaktion").
    pub kind_label: String,
    pub starts: String,
    pub starts_display: String,
    pub ends: Option<String>,
    pub ends_display: Option<String>,
    pub when: String,
    /// Whether `starts` was written with a time of day (else `when` shows days only).
    pub timed: bool,
    pub location: Option<Location>,
    pub location_display: Option<String>,
    pub summary_text: String,
    /// The summary shortened for a card (see [`excerpt::excerpt`]).
    pub excerpt: String,
    pub owner: Option<Arc<PersonCard>>,
    pub goal: Option<String>,
    pub link: Option<String>,
    pub image: Option<ImageInfo>,
    /// The cause's social card (1200×630 PNG), unless `social_cards: false`.
    pub social_image: Option<ImageInfo>,
}

/// A page in the site's menu.
#[derive(Serialize, Clone)]
pub struct MenuItem {
    pub title: String,
    pub url: String,
}

/// Every card of a site, by the id of its post, person or cause, and what every page
/// shows (menu, guidelines link, the theme's texts).
pub struct Cards {
    /// One per post, in the site's order; `None` for posts without a page.
    posts: Vec<Option<PostCard>>,
    /// Fingerprints of each post's summary source (see `Summary`).
    summary_keys: Vec<u64>,
    people: Vec<Arc<PersonCard>>,
    causes: Vec<CauseCard>,
    menu: Vec<MenuItem>,
    guidelines_url: Option<String>,
    /// `addresses_key` of the site the cards were made for.
    addresses: u64,
    /// Problems found while preparing (in `summary:` front matter, in the theme's texts).
    diagnostics: Vec<Diagnostic>,
    /// The site's social card (see `pictures`).
    site_image: Option<ImageInfo>,
    /// The theme's texts in the pages' language, which cards write their dates and labels in.
    strings: Strings,
}

/// A post's summary: a fingerprint of its Markdown, the Markdown rendered, as text, and the
/// problems in it. `serve` keeps them by file and reuses those whose fingerprint is unchanged.
#[derive(Clone, Debug)]
pub struct Summary {
    key: u64,
    html: String,
    text: String,
    diagnostics: Vec<Diagnostic>,
}

pub type Summaries = HashMap<String, Summary>;

impl Cards {
    /// The cards of `site`, reusing the rendered summaries of `previous` (from `summaries()`)
    /// where a post's summary is unchanged (for `serve`).
    pub fn new(site: &Site, previous: Option<&Summaries>) -> Cards {
        let config = site.config();
        // The language of the pages; a text it lacks comes from the default language's.
        let language = config.ui_language();
        let default = if config.multilingual() { config.default_language() } else { language };
        let (strings, mut diagnostics) = Strings::load(site.root(), &config.theme, language, default);
        let people = person_cards(site);
        let ids: Vec<PostId> = site.posts().map(|(id, _)| id).collect();
        let addresses = addresses_key(site);
        let cards: Vec<Option<(PostCard, u64, Vec<Diagnostic>)>> =
            ids.into_par_iter().map(|id| post_card(site, id, &people, previous, addresses, &strings)).collect();
        let mut posts = Vec::with_capacity(cards.len());
        let mut summary_keys = Vec::with_capacity(cards.len());
        for c in cards {
            match c {
                Some((card, key, d)) => {
                    posts.push(Some(card));
                    summary_keys.push(key);
                    diagnostics.extend(d);
                }
                None => {
                    posts.push(None);
                    summary_keys.push(0);
                }
            }
        }
        let causes = site.causes().map(|(_, c)| cause_card(site, c, &people, &strings)).collect();
        let menu = site
            .pages()
            .map(|(_, p)| p)
            .filter(|p| p.menu.is_some())
            .map(|p| MenuItem { title: p.title.clone(), url: site.page_path(&p.slug.value) })
            .collect();
        let guidelines_url =
            site.pages().find(|(_, p)| p.slug.value == "guidelines").map(|(_, p)| site.page_path(&p.slug.value));
        Cards {
            posts,
            summary_keys,
            people,
            causes,
            menu,
            guidelines_url,
            addresses,
            diagnostics,
            site_image: None,
            strings,
        }
    }

    /// Recomputes post `id`'s card, after the post was replaced by an edit that kept its
    /// place (address, date, authors, tags and state), and so every item's address.
    pub fn update_post(&mut self, site: &Site, id: PostId) {
        let rel = &site.post(id).file.rel;
        self.diagnostics.retain(|d| d.file != *rel);
        if let Some((mut card, key, d)) = post_card(site, id, &self.people, None, self.addresses, &self.strings) {
            // The pictures prepared by the last full build: the social card, and the processed
            // image while the post names the same one.
            if let Some(old) = &self.posts[id.index()] {
                card.social_image.clone_from(&old.social_image);
                card.authors.clone_from(&old.authors);
                let same = |a: &Option<ImageInfo>, b: &Option<ImageInfo>| {
                    a.as_ref().map(|i| &i.alt) == b.as_ref().map(|i| &i.alt)
                };
                if old.image.is_some() && same(&old.image, &card.image) {
                    card.image.clone_from(&old.image);
                }
            }
            self.posts[id.index()] = Some(card);
            self.summary_keys[id.index()] = key;
            self.diagnostics.extend(d);
        }
    }

    /// The site path of a person's avatar as written in their profile: what `images` knows
    /// it by, before and after the cards point at the published file.
    pub fn avatar_source(site: &Site, id: PersonId) -> Option<String> {
        let p = site.person(id);
        p.avatar.as_ref().map(|a| source_url(a, &site.person_path(&p.id)))
    }

    /// Every post's summary, by file, for `new` next time.
    pub fn summaries(&self, site: &Site) -> Summaries {
        let mut by_file: HashMap<&str, Vec<Diagnostic>> = HashMap::new();
        for d in &self.diagnostics {
            by_file.entry(d.file.as_str()).or_default().push(d.clone());
        }
        site.posts()
            .zip(self.posts.iter().zip(&self.summary_keys))
            .filter_map(|((_, post), (c, &key))| {
                let c = c.as_ref()?;
                let rel = &post.file.rel;
                let summary = Summary {
                    key,
                    html: c.summary_html.clone(),
                    text: c.summary_text.clone(),
                    diagnostics: by_file.get(rel.as_str()).cloned().unwrap_or_default(),
                };
                Some((rel.clone(), summary))
            })
            .collect()
    }

    /// Post `id`'s card; `None` for a post without a page.
    pub fn post(&self, id: PostId) -> Option<&PostCard> {
        self.posts[id.index()].as_ref()
    }

    /// The cards of `posts` that have one, in that order.
    pub fn posts_of<'c>(&'c self, posts: &'c [PostId]) -> impl Iterator<Item = &'c PostCard> + 'c {
        posts.iter().filter_map(|&id| self.post(id))
    }

    pub fn person(&self, id: PersonId) -> &PersonCard {
        &self.people[id.index()]
    }

    pub fn cause(&self, id: CauseId) -> &CauseCard {
        &self.causes[id.index()]
    }

    pub fn menu(&self) -> &[MenuItem] {
        &self.menu
    }

    pub fn guidelines_url(&self) -> Option<&str> {
        self.guidelines_url.as_deref()
    }

    /// Problems in `summary:` front matter and in the theme's texts.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The theme's texts in the pages' language (the hub's `i18n/` over its theme's).
    pub fn strings(&self) -> &Strings {
        &self.strings
    }
}

/// The site path an image names, as written (before `images` publishes it).
fn source_url(image: &ImageRef, page_path: &str) -> String {
    let src = image.src.value.trim();
    if src.starts_with('/') {
        src.to_string()
    } else {
        format!("{page_path}{src}")
    }
}

fn image_info(site: &Site, image: &ImageRef, page_path: &str, bundle: Option<&Path>) -> ImageInfo {
    let src = image.src.value.trim();
    let url = source_url(image, page_path);
    let size = site.image_file(src, bundle).and_then(|p| imagesize::size(p).ok());
    ImageInfo {
        absolute_url: site.config().absolute(&url),
        url,
        alt: image.alt.clone(),
        width: size.map(|s| s.width),
        height: size.map(|s| s.height),
        srcset: None,
    }
}

/// When a cause takes place, in the reader's terms: days alone when no time was written
/// ("6 December 2026", "10 December 2026 – 15 January 2027"); with a time, the weekday, the
/// time and its zone ("Sat 16 January 2027, 19:30–22:30 (UTC)").
fn when(strings: &Strings, starts: &Date, starts_timed: bool, ends: Option<(&Date, bool)>) -> String {
    let same_day = |e: &Date| e.date_naive() == starts.date_naive() && e.offset() == starts.offset();
    let range = |start: String, end: String| strings.fmt("date_range", &[("start", &start), ("end", &end)]);
    let day = |d: &Date| strings.date(d);
    match (starts_timed, ends) {
        (false, None) => day(starts),
        (false, Some((e, false))) if day(e) == day(starts) => day(starts),
        (false, Some((e, false))) => range(day(starts), day(e)),
        (false, Some((e, true))) => range(day(starts), strings.date_time(e)),
        (true, None) => strings.date_time(starts),
        (true, Some((e, true))) if same_day(e) => strings.fmt(
            "time_range",
            &[
                ("date", &strings.weekday(starts)),
                ("start", &dates::clock(starts)),
                ("end", &dates::clock(e)),
                ("zone", &dates::zone_name(starts)),
            ],
        ),
        (true, Some((e, true))) if e.offset() == starts.offset() => strings.fmt(
            "date_time_range",
            &[
                ("start_date", &strings.weekday(starts)),
                ("start", &dates::clock(starts)),
                ("end_date", &strings.weekday(e)),
                ("end", &dates::clock(e)),
                ("zone", &dates::zone_name(starts)),
            ],
        ),
        (true, Some((e, true))) => range(strings.date_time(starts), strings.date_time(e)),
        (true, Some((e, false))) if day(e) == day(starts) => strings.date_time(starts),
        (true, Some((e, false))) => range(strings.date_time(starts), day(e)),
    }
}

fn location_display(strings: &Strings, l: &Location) -> String {
    match l {
        Location::Place { name, address: Some(a) } => format!("{name}, {a}"),
        Location::Place { name, address: None } => name.clone(),
        Location::Online { .. } => strings.get("location_online").to_string(),
    }
}

fn person_cards(site: &Site) -> Vec<Arc<PersonCard>> {
    site.people()
        .map(|(_, p)| {
            Arc::new(PersonCard {
                id: p.id.clone(),
                name: p.name.clone(),
                url: site.person_path(&p.id),
                role: p.role.clone(),
                team: p.team.clone(),
                pronouns: p.pronouns.clone(),
                avatar: p.avatar.as_ref().map(|a| image_info(site, a, &site.person_path(&p.id), None)),
                social_image: None,
            })
        })
        .collect()
}

fn cause_card(
    site: &Site,
    c: &crate::content::Cause,
    person_cards: &[Arc<PersonCard>],
    strings: &Strings,
) -> CauseCard {
    let url = site.cause_path(&c.slug.value);
    let summary_md = c
        .summary
        .as_ref()
        .map(|s| s.value.clone())
        .unwrap_or_else(|| markdown::summary_source(&c.file.body()).to_string());
    CauseCard {
        title: c.title.clone(),
        kind: c.kind,
        kind_label: strings.get(c.kind.string_key()).to_string(),
        starts: dates::rfc3339(&c.starts.value),
        starts_display: strings.date(&c.starts.value),
        ends: c.ends.as_ref().map(|e| dates::rfc3339(&e.value)),
        ends_display: c.ends.as_ref().map(|e| strings.date(&e.value)),
        when: when(strings, &c.starts.value, c.starts_timed, c.ends.as_ref().map(|e| (&e.value, c.ends_timed))),
        timed: c.starts_timed,
        location_display: c.location.as_ref().map(|l| location_display(strings, l)),
        location: c.location.clone(),
        excerpt: excerpt::excerpt(&markdown::plain_text(&summary_md), excerpt::CAUSE_CARD),
        summary_text: markdown::plain_text(&summary_md),
        owner: site.person_by_id(&c.person.value).map(|j| person_cards[j.index()].clone()),
        goal: c.goal.clone(),
        link: c.link.clone(),
        image: c.image.as_ref().map(|im| image_info(site, im, &url, c.bundle_dir.as_deref())),
        social_image: None,
        url,
    }
}

/// A fingerprint of where every `@/` link can lead: each item's file, whether it has a page,
/// and its address. A summary's `@/` links are resolved against them, so a rendered summary
/// is reused only while they are all unchanged (a post's new date can move its address).
fn addresses_key(site: &Site) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (id, p) in site.posts() {
        (&p.file.rel, site.post_state(id).has_page(), site.post_path(id)).hash(&mut h);
    }
    for (id, c) in site.causes() {
        (&c.file.rel, site.cause_published(id), &c.slug.value).hash(&mut h);
    }
    for (_, p) in site.pages() {
        (&p.file.rel, &p.slug.value).hash(&mut h);
    }
    for (_, p) in site.people() {
        (&p.file.rel, p.visible()).hash(&mut h);
    }
    h.finish()
}

/// Post `id`'s card, the fingerprint of its summary and the problems in it; `None` for a post
/// without a page. The summary is taken from `previous` when its fingerprint (its source,
/// where it is written and `addresses`, from `addresses_key`) is unchanged.
fn post_card(
    site: &Site,
    id: PostId,
    person_cards: &[Arc<PersonCard>],
    previous: Option<&Summaries>,
    addresses: u64,
    strings: &Strings,
) -> Option<(PostCard, u64, Vec<Diagnostic>)> {
    if !site.post_state(id).has_page() {
        return None;
    }
    let p = site.post(id);
    let text = p.file.text();
    let source =
        p.summary.as_ref().map_or_else(|| markdown::summary_source(p.file.body_of(&text)), |s| s.value.as_str());
    let key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        // Where the summary is written, too: its problems are reported there.
        (source, p.summary.as_ref().map(|s| s.line), addresses).hash(&mut h);
        h.finish()
    };
    let summary = match previous.and_then(|prev| prev.get(&p.file.rel)).filter(|s| s.key == key) {
        Some(s) => s.clone(),
        None => {
            let (html, diagnostics) = crate::body::render_summary(site, &p.file, &text, source, p.summary.as_ref());
            Summary { key, html, text: markdown::plain_text(source), diagnostics }
        }
    };
    let url = site.post_path(id).to_string();
    let card = PostCard {
        title: p.title.clone(),
        permalink: site.config().absolute(&url),
        date: dates::rfc3339(&p.date.value),
        date_display: strings.date(&p.date.value),
        summary_html: summary.html,
        excerpt: excerpt::excerpt(&summary.text, excerpt::POST_CARD),
        summary_text: summary.text,
        authors: p
            .authors
            .iter()
            .filter_map(|a| site.person_by_id(&a.value).map(|j| person_cards[j.index()].clone()))
            .collect(),
        tags: p
            .tags
            .iter()
            .zip(&p.tag_slugs)
            .map(|(t, slug)| TagRef { name: t.value.trim().to_string(), url: site.tag_path(slug) })
            .collect(),
        featured: p.featured.value,
        image: p.image.as_ref().map(|im| image_info(site, im, &url, p.bundle_dir.as_deref())),
        social_image: None,
        url,
    };
    Some((card, key, summary.diagnostics))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Date {
        dates::parse(text, chrono::FixedOffset::east_opt(0).expect("UTC")).expect("a date")
    }

    #[test]
    fn when_shows_days_or_times_with_their_zone() {
        let en = Strings::english();
        let s = at("2027-01-16T19:30:00Z");
        assert_eq!(when(en, &s, true, None), "Sat 16 January 2027, 19:30 (UTC)");
        assert_eq!(
            when(en, &s, true, Some((&at("2027-01-16T22:30:00Z"), true))),
            "Sat 16 January 2027, 19:30–22:30 (UTC)"
        );
        assert_eq!(
            when(en, &s, true, Some((&at("2027-01-17T01:00:00Z"), true))),
            "Sat 16 January 2027, 19:30 – Sun 17 January 2027, 01:00 (UTC)"
        );
        assert_eq!(
            when(en, &s, true, Some((&at("2027-01-17T01:00:00+01:00"), true))),
            "Sat 16 January 2027, 19:30 (UTC) – Sun 17 January 2027, 01:00 (UTC+01:00)"
        );
        assert_eq!(when(en, &s, true, Some((&at("2027-01-16"), false))), "Sat 16 January 2027, 19:30 (UTC)");
        assert_eq!(
            when(en, &s, true, Some((&at("2027-01-18"), false))),
            "Sat 16 January 2027, 19:30 (UTC) – 18 January 2027"
        );
        let d = at("2026-12-06");
        assert_eq!(when(en, &d, false, None), "6 December 2026");
        assert_eq!(when(en, &d, false, Some((&at("2026-12-06"), false))), "6 December 2026");
        assert_eq!(when(en, &d, false, Some((&at("2027-01-15"), false))), "6 December 2026 – 15 January 2027");
        assert_eq!(
            when(en, &d, false, Some((&at("2026-12-08T17:00:00Z"), true))),
            "6 December 2026 – Tue 8 December 2026, 17:00 (UTC)"
        );
    }

    #[test]
    fn when_is_written_in_the_pages_language() {
        let de = Strings::builtin("de");
        let s = at("2027-01-16T19:30:00Z");
        assert_eq!(
            when(&de, &s, true, Some((&at("2027-01-16T22:30:00Z"), true))),
            "Sa., 16. Januar 2027, 19:30–22:30 Uhr (UTC)"
        );
        assert_eq!(
            when(&de, &at("2026-12-06"), false, Some((&at("2027-01-15"), false))),
            "6. Dezember 2026 – 15. Januar 2027"
        );
        let ja = Strings::builtin("ja");
        assert_eq!(when(&ja, &s, true, None), "2027年1月16日（土） 19:30（UTC）");
        assert_eq!(location_display(&de, &Location::Online { online: "https://x.example".into() }), "Online");
    }
}
