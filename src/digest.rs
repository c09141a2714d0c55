//! The weekly digest (DESIGN §6): one message a week instead of a stream of requests — that
//! week's posts with their suggested messages, and the causes coming up.

use std::collections::BTreeSet;

use chrono::Duration;
use serde::Serialize;

use crate::cards::{Cards, CauseCard};
use crate::dates;
use crate::i18n::Strings;
use crate::site::{PostId, Site};

/// How far ahead a digest looks for causes.
const CAUSES_AHEAD_DAYS: i64 = 28;

#[derive(Serialize)]
pub struct DigestPost {
    pub title: String,
    pub url: String,
    pub authors: Vec<String>,
    pub note: Option<String>,
    pub note_author: Option<String>,
    pub summary: String,
    pub featured: bool,
    pub messages: Vec<String>,
}

#[derive(Serialize)]
pub struct Digest<'a> {
    pub site_title: String,
    pub week: String,
    pub range: String,
    /// The digest's page, when the site has one for this week.
    pub url: Option<String>,
    pub guidelines_url: Option<String>,
    pub posts: Vec<DigestPost>,
    pub causes: Vec<DigestCause<'a>>,
    /// The theme's texts the digest is written with (the cards').
    #[serde(skip)]
    pub strings: &'a Strings,
}

#[derive(Serialize)]
pub struct DigestCause<'a> {
    pub card: &'a CauseCard,
    pub url: String,
}

pub fn digest_path(site: &Site, week: &str) -> String {
    site.path(&format!("/digest/{week}/"))
}

/// Every week that has listed posts or upcoming causes, oldest first.
pub fn weeks(site: &Site) -> Vec<String> {
    let mut set = BTreeSet::new();
    let zone = site.config().timezone;
    for &id in site.listed() {
        set.insert(dates::iso_week(&site.post(id).date.value.with_timezone(&zone)));
    }
    for id in site.upcoming_causes() {
        set.insert(dates::iso_week(&site.cause(id).starts.value.with_timezone(&zone)));
    }
    set.into_iter().collect()
}

/// The digest of `week` (`2026-W47`), or `None` if that is not a week.
pub fn build<'a>(site: &Site, cards: &'a Cards, week: &str) -> Option<Digest<'a>> {
    build_among(site, cards, week, &weeks(site))
}

/// `build`, given the site's `weeks(site)`: listing them is a pass over every listed post,
/// which the pages of every week would otherwise each make again.
pub fn build_among<'a>(site: &Site, cards: &'a Cards, week: &str, weeks: &[String]) -> Option<Digest<'a>> {
    let config = site.config();
    let zone = config.timezone;
    let start = dates::parse_iso_week(week, zone)?;
    // Weeks at the edge of the calendar have no end: no digest rather than a panic.
    let end = start.checked_add_signed(Duration::days(7))?;
    // `listed` is newest first, so the week's posts are one run of it.
    let listed = site.listed();
    let date = |&id: &PostId| site.post(id).date.value;
    let from = listed.partition_point(|id| date(id) >= end);
    let to = listed.partition_point(|id| date(id) >= start);
    let posts = listed[from..to.max(from)]
        .iter()
        .rev()
        .filter_map(|&id| {
            let card = cards.post(id)?;
            let post = site.post(id);
            Some(DigestPost {
                title: post.title.clone(),
                url: card.permalink.clone(),
                authors: card.authors.iter().map(|a| a.name.clone()).collect(),
                note: post.note.clone(),
                note_author: card.authors.first().map(|a| a.name.clone()),
                summary: card.summary_text.clone(),
                featured: post.featured.value,
                messages: cards.post_messages(site, id).into_iter().map(|m| m.text).collect(),
            })
        })
        .collect();
    let horizon = start.checked_add_signed(Duration::days(CAUSES_AHEAD_DAYS)).unwrap_or(end);
    let causes = site
        .published_causes()
        .filter(|(_, c)| c.last_moment() >= start && c.starts.value < horizon)
        .map(|(id, _)| DigestCause { card: cards.cause(id), url: config.absolute(&cards.cause(id).url) })
        .collect();
    let last_day = end.checked_sub_signed(Duration::days(1)).unwrap_or(start);
    let strings = cards.strings();
    Some(Digest {
        site_title: config.title.clone(),
        week: week.to_string(),
        range: strings.fmt("date_range", &[("start", &strings.date(&start)), ("end", &strings.date(&last_day))]),
        url: weeks.iter().any(|w| w == week).then(|| config.absolute(&digest_path(site, week))),
        guidelines_url: cards.guidelines_url().map(|u| config.absolute(u)),
        posts,
        causes,
        strings,
    })
}

impl Digest<'_> {
    /// `Acme Voices — weekly digest, 2026-W47`: the heading of the email and its subject.
    pub fn heading(&self) -> String {
        self.strings.fmt("digest_heading", &[("site", &self.site_title), ("week", &self.week)])
    }

    /// "By Ada, Grace".
    fn by(&self, authors: &[String]) -> String {
        self.strings.fmt("digest_by", &[("authors", &authors.join(self.strings.get("list_separator")))])
    }
}

/// Plain text, ready to paste into an email.
pub fn to_text(d: &Digest) -> String {
    let t = d.strings;
    let mut s = format!("{} ({})\n\n{}\n", d.heading(), d.range, t.get("digest_optional"));
    if let Some(g) = &d.guidelines_url {
        s.push_str(&format!("{}\n", t.fmt("digest_plain_guidelines", &[("url", g)])));
    }
    s.push_str(&format!("\n{}\n\n", t.get("digest_plain_posts").to_uppercase()));
    if d.posts.is_empty() {
        s.push_str(&format!("{}\n", t.get("digest_no_posts")));
    }
    for (n, p) in d.posts.iter().enumerate() {
        s.push_str(&format!("{}. {}\n   {}\n   {}\n", n + 1, p.title, p.url, d.by(&p.authors)));
        if let (Some(note), Some(who)) = (&p.note, &p.note_author) {
            s.push_str(&format!("   {}\n", t.fmt("digest_plain_note", &[("name", who), ("note", note.trim())])));
        }
        if !p.messages.is_empty() {
            s.push_str(&format!("   {}\n", t.get("digest_plain_messages")));
            for m in &p.messages {
                let indented = m.trim().replace('\n', "\n     ");
                s.push_str(&format!("   - {indented}\n"));
            }
        }
        s.push('\n');
    }
    s.push_str(&format!("\n{}\n\n", t.get("digest_causes").to_uppercase()));
    if d.causes.is_empty() {
        s.push_str(&format!("{}\n", t.get("digest_no_causes")));
    }
    for c in &d.causes {
        let card = c.card;
        s.push_str(&format!("- {} — {}, {}", card.title, card.kind_label, card.when));
        if let Some(l) = &card.location_display {
            s.push_str(&format!(", {l}"));
        }
        s.push('\n');
        if let Some(o) = &card.owner {
            s.push_str(&format!("  {} · ", t.fmt("cause_owner", &[("name", &o.name)])));
        } else {
            s.push_str("  ");
        }
        s.push_str(&format!("{}\n", c.url));
    }
    if let Some(url) = &d.url {
        s.push_str(&format!("\n{}\n", t.fmt("digest_plain_online", &[("url", url)])));
    }
    s
}

/// Markdown, for chat tools and wikis.
pub fn to_markdown(d: &Digest) -> String {
    let esc = markdown_escape;
    let t = d.strings;
    let heading = t.fmt("digest_heading", &[("site", &esc(&d.site_title)), ("week", &d.week)]);
    let mut s = format!("# {heading}\n\n*{}*\n\n{}", d.range, t.get("digest_optional"));
    if let Some(g) = &d.guidelines_url {
        s.push_str(&format!(" [{}]({g}){}", t.get("how_we_share"), t.get("full_stop")));
    }
    s.push_str(&format!("\n\n## {}\n\n", t.get("digest_plain_posts")));
    if d.posts.is_empty() {
        s.push_str(&format!("{}\n\n", t.get("digest_no_posts")));
    }
    for p in &d.posts {
        let authors: Vec<String> = p.authors.iter().map(|a| esc(a)).collect();
        s.push_str(&format!("### [{}]({})\n\n{}\n\n", esc(&p.title), p.url, d.by(&authors)));
        if let (Some(note), Some(who)) = (&p.note, &p.note_author) {
            s.push_str(&format!("> {}\n>\n> — {}\n\n", esc(note.trim()), esc(who)));
        }
        if !p.messages.is_empty() {
            s.push_str(&format!("{}\n\n", t.get("digest_plain_messages")));
            for m in &p.messages {
                s.push_str(&format!("```text\n{}\n```\n\n", m.trim().replace("```", "'''")));
            }
        }
    }
    s.push_str(&format!("## {}\n\n", t.get("digest_causes")));
    if d.causes.is_empty() {
        s.push_str(&format!("{}\n", t.get("digest_no_causes")));
    }
    for c in &d.causes {
        let card = c.card;
        s.push_str(&format!("- [{}]({}) — {}, {}", esc(&card.title), c.url, card.kind_label, card.when));
        if let Some(l) = &card.location_display {
            s.push_str(&format!(", {}", esc(l)));
        }
        if let Some(o) = &card.owner {
            s.push_str(&format!(" ({})", t.fmt("cause_owner", &[("name", &esc(&o.name))])));
        }
        s.push('\n');
    }
    s
}

/// Escapes text for Markdown so titles and names stay text (no links, emphasis or HTML).
fn markdown_escape(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '{'
                | '}'
                | '['
                | ']'
                | '<'
                | '>'
                | '('
                | ')'
                | '#'
                | '+'
                | '-'
                | '!'
                | '|'
                | '~'
                | '&'
        ) {
            out.push('\\');
        }
        if c == '\n' || c == '\r' {
            out.push(' ');
            continue;
        }
        out.push(c);
    }
    out
}
