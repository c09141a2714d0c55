//! The hub's configuration, `chorus.yaml` (DESIGN §4): every key has a default except
//! `title` and `base_url`; unknown keys are errors.

use std::path::Path;

use chrono::FixedOffset;
use serde::Serialize;

use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::fields::{Fields, SourceRef};
use crate::frontmatter;
use crate::share::{Network, Utm};

pub const FILE: &str = "chorus.yaml";

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "company",
    "language",
    "description",
    "theme",
    "disclosure",
    "networks",
    "utm",
    "cadence",
    "highlight",
    "unsafe_html",
    "timezone",
    "paginate",
    "output_dir",
    "digest",
    "check",
    "extra",
    "permalinks",
    "external_media",
    "images",
    "social_cards",
    "search",
];

pub struct Config {
    pub title: String,
    /// Without a trailing slash: `https://voices.example.com`.
    pub base_url: String,
    pub company: String,
    pub language: String,
    pub description: String,
    pub theme: String,
    pub disclosure: Option<String>,
    pub networks: Vec<Network>,
    pub utm: Option<Utm>,
    pub max_featured_per_week: usize,
    pub highlight_light: String,
    pub highlight_dark: String,
    pub unsafe_html: bool,
    pub timezone: FixedOffset,
    pub paginate: usize,
    /// Relative to the hub root unless absolute.
    pub output_dir: String,
    pub extra: serde_json::Value,
    /// `images:` — variant widths and quality.
    pub images: crate::images::Settings,
    /// `social_cards:` — generated preview images (on by default).
    pub social_cards: bool,
    /// `search:` — the search box, `/search/` and its index (on by default).
    pub search: bool,
    /// `digest:` — who the emailed digest is from and for, and the SMTP server.
    pub digest: Option<crate::mail::Settings>,
    /// `check.avoid`: words the hub keeps out of titles, summaries and share texts.
    pub avoid: Vec<crate::avoid::AvoidWord>,
    /// `permalinks.posts`: the pattern of post addresses.
    pub permalinks: crate::permalink::Permalink,
    /// `external_media`: what becomes of images and media from other websites.
    pub external_media: crate::markdown::ExternalMedia,
}

/// What templates see as `site`.
#[derive(Serialize)]
pub struct SiteInfo<'a> {
    pub title: &'a str,
    pub base_url: &'a str,
    pub company: &'a str,
    pub language: &'a str,
    pub description: &'a str,
    pub extra: &'a serde_json::Value,
    pub search: bool,
}

impl Config {
    pub fn info(&self) -> SiteInfo<'_> {
        SiteInfo {
            title: &self.title,
            base_url: &self.base_url,
            company: &self.company,
            language: &self.language,
            description: &self.description,
            extra: &self.extra,
            search: self.search,
        }
    }

    /// The language of the theme's strings and of dates on pages: the page's language in a
    /// hub with `languages:`, and English otherwise (as before languages existed).
    pub fn ui_language(&self) -> &str {
        "en"
    }

    /// The absolute URL of a site path such as `/posts/x/`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// Reads `chorus.yaml` in `root`; the config is `None` only when it cannot be used at all.
    pub fn load(root: &Path) -> (Option<Config>, Vec<Diagnostic>) {
        let path = root.join(FILE);
        let outside = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink())
            && !crate::hub::contains(root, &path);
        if outside {
            return (
                None,
                vec![crate::hub::symlink_outside(FILE)
                    .with_hint("keep the hub's settings in the hub: replace the link with the file")],
            );
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (
                None,
                vec![Diagnostic::error(Code::NoConfig, format!("there is no `{FILE}` in {}", root.display()))
                    .with_hint(
                        "run Chorus from the hub's folder, pass `--root DIR`, or create a hub with `chorus init`",
                    )],
            ),
            Err(e) => (None, vec![Diagnostic::error(Code::Io, format!("cannot read `{FILE}`: {e}")).in_file(FILE)]),
        }
    }

    pub fn parse(text: &str) -> (Option<Config>, Vec<Diagnostic>) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let entries = match frontmatter::parse_yaml_file(text) {
            Ok(e) => e,
            Err(d) => return (None, vec![d.in_file(FILE)]),
        };
        let mut diags = Vec::new();
        let src = SourceRef { file: FILE, text };
        let f = Fields::new(src, &entries, KEYS, &mut diags);
        let title = f.required_text("title", "add `title: Our Voices` (the name of the hub)", &mut diags);
        let base_url = f.url("base_url", crate::fields::Relative::Refused, &mut diags).filter(|u| {
            let lower = u.value.trim().to_ascii_lowercase();
            let path = lower.split("//").nth(1).and_then(|rest| rest.find('/').map(|i| &rest[i..])).unwrap_or("");
            let ok = (lower.starts_with("https://") || lower.starts_with("http://")) && path.trim_end_matches('/').is_empty();
            if !ok {
                diags.push(
                    src.error(Code::BadBaseUrl, format!("`{}` cannot be the hub's address", u.value), u.line, u.column, u.len)
                        .with_hint("write the address of the site's root, like `https://voices.example.com`; publishing in a sub-folder is not supported"),
                );
            }
            ok
        });
        if !f.has("base_url") {
            f.missing(
                "base_url",
                "add `base_url: https://voices.example.com` (where the hub is published)",
                &mut diags,
            );
        }
        let timezone = f
            .zone("timezone", "write `UTC` or an offset such as `+01:00`", &mut diags)
            .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"));
        let networks = match f.entry("networks") {
            Some(_) => network_list(&f, "networks", &mut diags),
            None => Network::ALL.to_vec(),
        };
        let utm = f.map("utm", &["source", "medium", "campaign"], &mut diags).map(|u| Utm {
            source: u.text("source", &mut diags).map(|s| s.value),
            medium: u.text("medium", &mut diags).map(|s| s.value),
            campaign: u.text("campaign", &mut diags).map(|s| s.value),
        });
        let max_featured_per_week = f
            .map("cadence", &["max_featured_per_week"], &mut diags)
            .and_then(|c| c.integer("max_featured_per_week", &mut diags))
            .map_or(3, |n| n.value.max(0) as usize);
        let (mut highlight_light, mut highlight_dark) = ("InspiredGitHub".to_string(), "base16-ocean.dark".to_string());
        if let Some(h) = f.map("highlight", &["light", "dark"], &mut diags) {
            for (key, slot) in [("light", &mut highlight_light), ("dark", &mut highlight_dark)] {
                if let Some(t) = h.text(key, &mut diags) {
                    if crate::highlight::has_theme(&t.value) {
                        *slot = t.value;
                    } else {
                        let known = crate::highlight::theme_names();
                        let mut d = src.error(
                            Code::UnknownTheme,
                            format!("there is no highlighting theme `{}`", t.value),
                            t.line,
                            t.column,
                            t.len,
                        );
                        d = match crate::diagnostic::suggest(&t.value, known.iter().copied()) {
                            Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                            None => d.with_hint(format!("choose one of {}", known.join(", "))),
                        };
                        diags.push(d);
                    }
                }
            }
        }
        let paginate = match f.integer("paginate", &mut diags) {
            Some(n) if n.value < 1 || n.value > 1000 => {
                diags.push(src.error(Code::BadValue, "`paginate` must be between 1 and 1000", n.line, n.column, n.len));
                10
            }
            Some(n) => n.value as usize,
            None => 10,
        };
        let digest = f
            .map("digest", &["from", "to", "smtp"], &mut diags)
            .and_then(|d| crate::mail::read_settings(&d, &mut diags));
        let avoid = f
            .map("check", &["avoid"], &mut diags)
            .map(|c| crate::avoid::read_config(&c, &mut diags))
            .unwrap_or_default();
        let config = Config {
            title: title.map(|t| t.value).unwrap_or_default(),
            base_url: base_url.map(|u| u.value.trim().trim_end_matches('/').to_string()).unwrap_or_default(),
            company: f.text("company", &mut diags).map(|t| t.value).unwrap_or_default(),
            language: f.text("language", &mut diags).map_or_else(|| "en".into(), |t| t.value),
            description: f.text("description", &mut diags).map(|t| t.value).unwrap_or_default(),
            theme: f.text("theme", &mut diags).map_or_else(|| "default".into(), |t| t.value),
            disclosure: f.text("disclosure", &mut diags).map(|t| t.value).filter(|t| !t.trim().is_empty()),
            networks,
            utm,
            max_featured_per_week,
            highlight_light,
            highlight_dark,
            unsafe_html: f.bool("unsafe_html", &mut diags).is_some_and(|b| b.value),
            timezone,
            paginate,
            output_dir: f.text("output_dir", &mut diags).map_or_else(|| "public".into(), |t| t.value),
            extra: f.extra(),
            images: crate::images::settings(&f, &mut diags),
            social_cards: f.bool("social_cards", &mut diags).is_none_or(|b| b.value),
            search: f.bool("search", &mut diags).is_none_or(|b| b.value),
            digest,
            avoid,
            permalinks: permalinks(&f, &mut diags),
            external_media: external_media(&f, &mut diags),
        };
        if !crate::slug::is_safe_segment(&config.theme) {
            let e = f.entry("theme");
            let (l, c) = e.map_or((1, 1), |e| (e.value.line, e.value.column));
            diags.push(
                src.error(Code::BadTheme, format!("`{}` is not a theme name", config.theme), l, c, config.theme.len())
                    .with_hint("a theme is a folder name under `themes/`, e.g. `default`"),
            );
        }
        let usable = !diags.iter().any(|d| d.is_error());
        (usable.then_some(config), diags)
    }
}

/// `permalinks: {posts: "/:year/:month/:day/:slug/"}`; a bad pattern is an error at its place.
fn permalinks(f: &Fields, diags: &mut Vec<Diagnostic>) -> crate::permalink::Permalink {
    let Some(p) = f.map("permalinks", &["posts"], diags) else { return Default::default() };
    let Some(t) = p.text("posts", diags) else { return Default::default() };
    match crate::permalink::Permalink::parse(t.value.trim()) {
        Ok(pattern) => pattern,
        Err(why) => {
            // Inside a plain or quoted value, point at the part of the pattern that is wrong.
            let chars = t.value.chars().count();
            let quoted = usize::from(t.len == chars + 2);
            let (column, len) = if t.len == chars || quoted == 1 {
                let trimmed = t.value.trim();
                let lead = t.value.chars().take_while(|c| c.is_whitespace()).count();
                let at = why.at.min(trimmed.len());
                let end = (why.at + why.len).min(trimmed.len());
                let before = trimmed.get(..at).map_or(0, |s| s.chars().count());
                let len = trimmed.get(at..end).map_or(1, |s| s.chars().count().max(1));
                (t.column + quoted + lead + before, len)
            } else {
                (t.column, t.len)
            };
            diags.push(f.src.error(Code::BadPermalink, why.message, t.line, column, len).with_hint(why.hint));
            Default::default()
        }
    }
}

/// `external_media: refuse | link`.
fn external_media(f: &Fields, diags: &mut Vec<Diagnostic>) -> crate::markdown::ExternalMedia {
    use crate::markdown::ExternalMedia;
    let Some(t) = f.text("external_media", diags) else { return ExternalMedia::Refuse };
    match t.value.trim() {
        "refuse" => ExternalMedia::Refuse,
        "link" => ExternalMedia::Link,
        other => {
            diags.push(
                f.src
                    .error(Code::BadValue, format!("`external_media` cannot be `{other}`"), t.line, t.column, t.len)
                    .with_hint(
                        "write `refuse` (images from other websites are errors) or `link` (they become plain links)",
                    ),
            );
            ExternalMedia::Refuse
        }
    }
}

/// A list of network ids, each checked, with suggestions for misspellings.
pub fn network_list(f: &Fields, key: &str, diags: &mut Vec<Diagnostic>) -> Vec<Network> {
    let mut out = Vec::new();
    for item in f.list(key, diags) {
        let id = item.value.trim().to_lowercase();
        match Network::from_id(&id) {
            Some(n) if !out.contains(&n) => out.push(n),
            Some(_) => diags.push(f.src.warning(
                Code::DuplicateNetwork,
                format!("`{id}` is listed twice"),
                item.line,
                item.column,
                item.len,
            )),
            None => {
                let ids = Network::ALL.map(|n| n.id());
                let mut d = f.src.error(
                    Code::UnknownNetwork,
                    format!("unknown network `{}`", item.value),
                    item.line,
                    item.column,
                    item.len,
                );
                d = match crate::diagnostic::suggest(&id, ids) {
                    Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                    None => d.with_hint(format!("the networks are {}", ids.join(", "))),
                };
                diags.push(d);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_everything_but_title_and_base_url() {
        let (c, d) = Config::parse("title: Voices\nbase_url: https://v.example/\n");
        assert!(d.is_empty(), "{d:?}");
        let c = c.unwrap();
        assert_eq!(c.base_url, "https://v.example");
        assert_eq!(c.networks.len(), 10);
        assert_eq!(c.paginate, 10);
        assert_eq!(c.output_dir, "public");
        assert!(!c.unsafe_html);
    }

    #[test]
    fn unknown_keys_and_missing_required_ones_are_errors() {
        let (c, d) = Config::parse("titel: Voices\nnetworks: [linkedn]\n");
        assert!(c.is_none());
        let messages: Vec<_> = d.iter().map(|d| (d.message.as_str(), d.line, d.hint.as_deref())).collect();
        assert!(messages.contains(&("unknown key `titel`", 1, Some("did you mean `title`?"))), "{messages:?}");
        assert!(messages.contains(&("unknown network `linkedn`", 2, Some("did you mean `linkedin`?"))), "{messages:?}");
        assert!(messages.iter().any(|m| m.0 == "missing required key `base_url`"), "{messages:?}");
    }

    #[test]
    fn nested_keys_are_checked_too() {
        let (_, d) = Config::parse("title: V\nbase_url: https://v.example\ncadence:\n  max_feature_per_week: 2\n");
        assert_eq!(d[0].message, "unknown key `cadence.max_feature_per_week`");
        assert_eq!((d[0].line, d[0].column), (4, 3));
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `max_featured_per_week`?"));
    }
}
