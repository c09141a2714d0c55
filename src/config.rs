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
    "languages",
    "default_language",
];

/// One of the hub's languages (`languages:`), DESIGN §13.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Language {
    /// `en`, `de`, `pt-br`: lower case, as in file names (`post.de.md`) and addresses (`/de/`).
    pub code: String,
    /// What the language switcher shows: the language's own name (`Deutsch`).
    pub name: String,
    /// The hub's title and description in this language, when they differ.
    pub title: Option<String>,
    pub description: Option<String>,
    /// `languages.<code>.disclosure`: the disclosure in this language.
    pub disclosure: Option<String>,
}

/// Whether `code` can name a language: `de`, `fil`, `pt-br`, `zh-hant` (a BCP 47 language
/// with an optional region or script, in lower case, as file names and addresses use it).
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    let lower = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.clone().count() <= 1
        && parts.all(|p| lower(p, 2, 8))
}

#[derive(Clone)]
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
    /// `languages:`, in the order written; empty for a hub in one language (`language`).
    pub languages: Vec<Language>,
    /// `disclosure:` per language, when it is written as a map (`{en: …, de: …}`).
    pub disclosures: Vec<(String, String)>,
    /// Where this language's pages live: empty for the default language, `/de` for German.
    pub prefix: String,
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
        if self.languages.is_empty() {
            "en"
        } else {
            &self.language
        }
    }

    /// Whether the hub has `languages:`.
    pub fn multilingual(&self) -> bool {
        !self.languages.is_empty()
    }

    /// The default language (`default_language`, else `language`).
    pub fn default_language(&self) -> &str {
        self.languages.first().map_or(&self.language, |l| &l.code)
    }

    /// The site path of `path` (`/posts/x/`) in this config's language: `/de/posts/x/`.
    pub fn path(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }

    /// The configuration of the hub in one of its languages: that language's code, its
    /// place under `/<code>/` (none for the default), its disclosure, title and description.
    pub fn for_language(&self, code: &str) -> Config {
        let mut c = self.clone();
        let Some(lang) = self.languages.iter().find(|l| l.code == code) else { return c };
        c.prefix = if code == self.default_language() { String::new() } else { format!("/{code}") };
        c.language = code.to_string();
        if let Some(d) = &lang.disclosure {
            c.disclosure = Some(d.clone()).filter(|d| !d.trim().is_empty());
        } else if let Some((_, d)) = self.disclosures.iter().find(|(l, _)| l == code) {
            c.disclosure = Some(d.clone()).filter(|d| !d.trim().is_empty());
        } else if !self.disclosures.is_empty() {
            c.disclosure = self
                .disclosures
                .iter()
                .find(|(l, _)| l == self.default_language())
                .map(|(_, d)| d.clone())
                .filter(|d| !d.trim().is_empty());
        }
        if let Some(t) = &lang.title {
            c.title = t.clone();
        }
        if let Some(d) = &lang.description {
            c.description = d.clone();
        }
        c
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
            disclosure: None,
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
            languages: Vec::new(),
            disclosures: Vec::new(),
            prefix: String::new(),
        };
        let mut config = config;
        languages(&f, &mut config, &mut diags);
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

/// `languages:`, `default_language:` and `disclosure:` (one text, or one per language).
/// The default language comes first in `Config::languages`; `language` becomes its code.
fn languages(f: &Fields, config: &mut Config, diags: &mut Vec<Diagnostic>) {
    let src = f.src;
    let mut langs: Vec<(Language, usize, usize)> = Vec::new();
    if let Some(map) = f.map_free("languages", diags) {
        for e in map.entries() {
            if !is_language_code(&e.key) {
                diags.push(
                    src.error(
                        Code::NotAHubLanguage,
                        format!("`{}` is not a language code", e.key),
                        e.line,
                        e.column,
                        e.key.chars().count(),
                    )
                    .with_hint(
                        "use the language's two- or three-letter code in lower case, like `de`, `fr` or `pt-br`",
                    ),
                );
                continue;
            }
            let Some(l) = map.item("languages", &e.value, &["name", "title", "description", "disclosure"], diags)
            else {
                diags.push(
                    src.error(
                        Code::WrongType,
                        format!("`languages.{}` should be a set of `key: value` lines", e.key),
                        e.value.line,
                        e.value.column,
                        e.value.len.max(1),
                    )
                    .with_hint(format!("write `{}: {{name: …}}`, with the language's own name", e.key)),
                );
                continue;
            };
            let name = l.text("name", diags).map(|n| n.value);
            if name.is_none() {
                l.missing("name", "add `name:`, the language's name in itself, like `Deutsch`", diags);
            }
            let lang = Language {
                code: e.key.clone(),
                name: name.unwrap_or_else(|| e.key.clone()),
                title: l.text("title", diags).map(|t| t.value),
                description: l.text("description", diags).map(|t| t.value),
                disclosure: l.text("disclosure", diags).map(|t| t.value),
            };
            langs.push((lang, e.line, e.column));
        }
    }
    let default = f.text("default_language", diags);
    let written_language = f.entry("language").map(|_| config.language.clone());
    if !langs.is_empty() {
        let default_code = match &default {
            Some(d) if langs.iter().any(|(l, ..)| l.code == d.value) => d.value.clone(),
            Some(d) => {
                let codes: Vec<&str> = langs.iter().map(|(l, ..)| l.code.as_str()).collect();
                diags.push(
                    src.error(
                        Code::NotAHubLanguage,
                        format!("`default_language` is `{}`, which is not in `languages`", d.value),
                        d.line,
                        d.column,
                        d.len,
                    )
                    .with_hint(format!("choose one of {}", codes.join(", "))),
                );
                langs[0].0.code.clone()
            }
            None => written_language
                .clone()
                .filter(|w| langs.iter().any(|(l, ..)| &l.code == w))
                .unwrap_or_else(|| langs[0].0.code.clone()),
        };
        if let (Some(w), Some(e)) = (&written_language, f.entry("language")) {
            if *w != default_code {
                diags.push(
                    src.error(
                        Code::NotAHubLanguage,
                        format!("`language` is `{w}`, but the default language is `{default_code}`"),
                        e.value.line,
                        e.value.column,
                        e.value.len,
                    )
                    .with_hint("with `languages:`, the default language is `default_language`; remove `language:`"),
                );
            }
        }
        let at = langs.iter().position(|(l, ..)| l.code == default_code).unwrap_or(0);
        let first = langs.remove(at);
        langs.insert(0, first);
        config.language = default_code;
    } else if let Some(d) = &default {
        diags.push(
            src.warning(
                Code::NotAHubLanguage,
                "`default_language` has no effect without `languages:`",
                d.line,
                d.column,
                d.len,
            )
            .with_hint("list the hub's languages under `languages:`, or write `language:` instead"),
        );
    }
    config.languages = langs.into_iter().map(|(l, ..)| l).collect();
    // `disclosure: "#AcmeEmployee"`, or one per language: `disclosure: {en: …, de: …}`.
    match f.entry("disclosure").map(|e| &e.value.value) {
        Some(crate::frontmatter::Yaml::Map(_)) => {
            let Some(map) = f.map_free("disclosure", diags) else { return };
            for e in map.entries() {
                let Some(text) = map.text(&e.key, diags) else { continue };
                if !config.languages.iter().any(|l| l.code == e.key) {
                    let hint = if config.languages.is_empty() {
                        "a disclosure per language needs `languages:`; write one text instead".to_string()
                    } else {
                        format!(
                            "use one of {}",
                            config.languages.iter().map(|l| l.code.as_str()).collect::<Vec<_>>().join(", ")
                        )
                    };
                    diags.push(
                        src.error(
                            Code::NotAHubLanguage,
                            format!("`disclosure.{}`: `{}` is not one of the hub's languages", e.key, e.key),
                            e.line,
                            e.column,
                            e.key.chars().count(),
                        )
                        .with_hint(hint),
                    );
                    continue;
                }
                config.disclosures.push((e.key.clone(), text.value));
            }
            config.disclosure = config
                .disclosures
                .iter()
                .find(|(l, _)| *l == config.language)
                .map(|(_, d)| d.clone())
                .filter(|d| !d.trim().is_empty());
        }
        _ => config.disclosure = f.text("disclosure", diags).map(|t| t.value).filter(|t| !t.trim().is_empty()),
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
    fn languages_give_each_language_its_place_disclosure_and_title() {
        let yaml = "title: Voices\nbase_url: https://v.example\ndisclosure: \"#Employee\"\n\
                    languages:\n  de: {name: Deutsch, title: Stimmen, disclosure: \"(Ich arbeite hier.)\"}\n  \
                    en: {name: English}\n  pt-br: {name: Português}\ndefault_language: en\n";
        let (c, d) = Config::parse(yaml);
        assert!(d.is_empty(), "{d:?}");
        let c = c.unwrap();
        // The default language comes first, whatever the order written.
        let codes: Vec<&str> = c.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["en", "de", "pt-br"]);
        assert_eq!((c.language.as_str(), c.ui_language()), ("en", "en"));
        let de = c.for_language("de");
        assert_eq!(
            (de.prefix.as_str(), de.title.as_str(), de.disclosure.as_deref()),
            ("/de", "Stimmen", Some("(Ich arbeite hier.)"))
        );
        assert_eq!(de.path("/posts/"), "/de/posts/");
        let en = c.for_language("en");
        assert_eq!((en.prefix.as_str(), en.disclosure.as_deref()), ("", Some("#Employee")));
        // A language without a disclosure of its own has the hub's.
        assert_eq!(c.for_language("pt-br").disclosure.as_deref(), Some("#Employee"));
        // One text per language, as a map.
        let yaml = "title: V\nbase_url: https://v.example\ndisclosure: {en: \"#E\", de: \"#M\"}\n\
                    languages:\n  en: {name: English}\n  de: {name: Deutsch}\n";
        let c = Config::parse(yaml).0.unwrap();
        assert_eq!(c.for_language("de").disclosure.as_deref(), Some("#M"));
        assert_eq!(c.for_language("en").disclosure.as_deref(), Some("#E"));
        // Without `languages:`, nothing changes.
        let c = Config::parse("title: V\nbase_url: https://v.example\nlanguage: de\n").0.unwrap();
        assert!(!c.multilingual());
        assert_eq!((c.language.as_str(), c.ui_language(), c.prefix.as_str()), ("de", "en", ""));
    }

    #[test]
    fn language_codes_are_lower_case_languages_with_an_optional_region() {
        for ok in ["de", "fil", "pt-br", "zh-hant", "es-419"] {
            assert!(is_language_code(ok), "{ok}");
        }
        for bad in ["", "d", "DE", "deutsch", "pt_br", "pt-", "de-de-de", "v2", "io.x"] {
            assert!(!is_language_code(bad), "{bad}");
        }
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
