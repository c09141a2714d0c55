//! The weekly digest's pages (one per week, and `/digest/`) and the digest as an email.

use serde::Serialize;

use super::super::{Rendered, Renderer};
use crate::config::SiteInfo;
use crate::diagnostic::Diagnostic;
use crate::digest::{self, Digest};

/// `digest.html`'s own view.
#[derive(Serialize)]
struct DigestPage<'a> {
    digest: &'a Digest<'a>,
    /// The line that says sharing is optional.
    optional: &'a str,
    prev_url: Option<String>,
    next_url: Option<String>,
}

/// `digests.html`'s own view.
#[derive(Serialize)]
struct DigestsPage<'a> {
    /// Newest first.
    weeks: Vec<WeekEntry<'a>>,
}

#[derive(Serialize)]
struct WeekEntry<'a> {
    week: &'a str,
    url: String,
}

/// `digest_email.html`'s whole view: an email has no menu, meta or live reload.
#[derive(Serialize)]
struct DigestEmail<'a> {
    site: SiteInfo<'a>,
    digest: &'a Digest<'a>,
    optional: &'a str,
    /// The theme's texts, as on every page.
    t: &'a std::collections::BTreeMap<String, String>,
}

impl Renderer<'_> {
    /// The digest page of `weeks[n]`, where `weeks` is `digest::weeks` of the site; nothing
    /// when that week has no digest.
    pub fn digest_week(&self, weeks: &[String], n: usize) -> Rendered {
        let week = &weeks[n];
        let Some(digest) = digest::build_among(self.site, self.cards, week, weeks) else { return Rendered::none() };
        let path = digest::digest_path(self.site, week);
        let s = self.strings;
        let title = s.fmt("digest_title", &[("week", week)]);
        let description = s.fmt("digest_description", &[("week", week), ("range", &digest.range)]);
        let meta = self.meta(&path, &title, &description, "website");
        let view = DigestPage {
            digest: &digest,
            optional: s.get("digest_optional"),
            prev_url: n.checked_sub(1).map(|p| digest::digest_path(self.site, &weeks[p])),
            next_url: weeks.get(n + 1).map(|w| digest::digest_path(self.site, w)),
        };
        Rendered::one(self.page("digest.html", &meta, &path, view))
    }

    /// `/digest/`: every week, newest first.
    pub fn digest_index(&self, weeks: &[String]) -> Rendered {
        let s = self.strings;
        let meta =
            self.meta(&self.site.path("/digest/"), s.get("digests_title"), s.get("digests_description"), "website");
        let weeks = weeks.iter().rev().map(|w| WeekEntry { week: w, url: digest::digest_path(self.site, w) }).collect();
        Rendered::one(self.page("digests.html", &meta, &self.site.path("/digest/"), DigestsPage { weeks }))
    }

    /// The digest as a standalone HTML message (`chorus digest --format html`).
    pub fn digest_email(&self, digest: &Digest) -> Result<String, Diagnostic> {
        let view = DigestEmail {
            site: self.site.config().info(),
            digest,
            optional: self.strings.get("digest_optional"),
            t: self.strings.map(),
        };
        self.render("digest_email.html", &view, "the email")
    }
}
