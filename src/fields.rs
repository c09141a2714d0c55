//! Typed reading of front matter and config fields, turning every mistake into a diagnostic
//! that points at the key or value and says how to fix it.

use chrono::FixedOffset;

use crate::dates::{self, Date};
use crate::diagnostic::Code;
use crate::diagnostic::{suggest, Diagnostic};
use crate::frontmatter::{Entry, Node, Yaml};

/// The file being read: its display path and full text, for diagnostics.
#[derive(Clone, Copy)]
pub struct SourceRef<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

impl SourceRef<'_> {
    pub fn error(&self, code: Code, message: impl Into<String>, line: usize, column: usize, len: usize) -> Diagnostic {
        Diagnostic::error(code, message).in_file(self.file).at(self.text, line.max(1), column, len)
    }

    pub fn warning(
        &self,
        code: Code,
        message: impl Into<String>,
        line: usize,
        column: usize,
        len: usize,
    ) -> Diagnostic {
        Diagnostic::warning(code, message).in_file(self.file).at(self.text, line.max(1), column, len)
    }

    pub fn error_at_node(&self, code: Code, message: impl Into<String>, node: &Node) -> Diagnostic {
        self.error(code, message, node.line, node.column, node.len)
    }
}

/// A value with the place it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

/// A spanned value serializes as the value alone: places are for diagnostics, not templates.
impl<T: serde::Serialize> serde::Serialize for Spanned<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<T> Spanned<T> {
    pub fn from_node(value: T, node: &Node) -> Spanned<T> {
        Spanned { value, line: node.line, column: node.column, len: node.len }
    }
}

/// The keys of one mapping (front matter, or a nested one like `share:`).
pub struct Fields<'a> {
    pub src: SourceRef<'a>,
    entries: &'a [Entry],
    /// `share.` for nested mappings, so messages name the full key.
    prefix: String,
    /// Where to point when a required key is missing.
    anchor: (usize, usize),
}

impl<'a> Fields<'a> {
    /// Reads `entries`, reporting every key not in `known` (keys under `extra` are free).
    pub fn new(src: SourceRef<'a>, entries: &'a [Entry], known: &[&str], diags: &mut Vec<Diagnostic>) -> Fields<'a> {
        let fields = Fields { src, entries, prefix: String::new(), anchor: (1, 1) };
        fields.check_keys(known, diags);
        fields
    }

    fn check_keys(&self, known: &[&str], diags: &mut Vec<Diagnostic>) {
        for e in self.entries {
            if known.contains(&e.key.as_str()) {
                continue;
            }
            let mut d = self.src.error(
                Code::UnknownKey,
                format!("unknown key `{}{}`", self.prefix, e.key),
                e.line,
                e.column,
                e.key.chars().count(),
            );
            d = match suggest(&e.key, known.iter().copied()) {
                Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                None => d.with_hint(format!(
                    "the keys allowed here are {}; put your own data under `extra:`",
                    known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                )),
            };
            diags.push(d);
        }
    }

    pub fn entry(&self, key: &str) -> Option<&'a Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.entry(key).is_some_and(|e| e.value.value != Yaml::Null)
    }

    fn wrong_type(&self, e: &Entry, expected: &str, diags: &mut Vec<Diagnostic>) {
        diags.push(self.src.error_at_node(
            Code::WrongType,
            format!("`{}{}` should be {expected}, but it is {}", self.prefix, e.key, e.value.value.kind()),
            &e.value,
        ));
    }

    pub fn missing(&self, key: &str, hint: &str, diags: &mut Vec<Diagnostic>) {
        diags.push(
            self.src
                .error(
                    Code::MissingKey,
                    missing_message(&format!("{}{key}", self.prefix)),
                    self.anchor.0,
                    self.anchor.1,
                    3,
                )
                .with_hint(hint.to_string()),
        );
    }

    /// Warns when YAML took part of what was written for a comment: an unquoted ` #` starts
    /// one, which cuts `text: Proud of our roof #solar` short and empties `disclosure: #Acme`.
    fn comment_check(&self, e: &Entry, diags: &mut Vec<Diagnostic>) {
        let Some(line) = self.src.text.lines().nth(e.line.saturating_sub(1)) else { return };
        let after_key = line
            .char_indices()
            .nth(e.column.saturating_sub(1) + e.key.chars().count() + 1)
            .map_or("", |(i, _)| &line[i..]);
        let value = after_key.trim_start();
        if value.starts_with(['"', '\'', '|', '>', '[', '{']) {
            return;
        }
        // `# note` is a comment written on purpose; `#solar` is a hashtag YAML swallowed.
        let hashtag_at = |i: usize| value[i + 1..].chars().next().is_some_and(|c| !c.is_whitespace() && c != '#');
        let cut = if value.starts_with('#') {
            hashtag_at(0).then_some(0)
        } else {
            value.match_indices(" #").map(|(i, _)| i + 1).find(|&i| hashtag_at(i))
        };
        if let Some(i) = cut {
            let column = line.chars().count() - value.chars().count() + value[..i].chars().count() + 1;
            let message = if i == 0 {
                format!("`{}{}` is empty: YAML reads a value starting with `#` as a comment", self.prefix, e.key)
            } else {
                format!("the end of `{}{}`, from ` #`, is a YAML comment and is left out", self.prefix, e.key)
            };
            diags.push(
                self.src
                    .warning(Code::YamlComment, message, e.line, column, value[i..].trim_end().chars().count())
                    .with_hint(format!(
                        "put the whole value in quotes: `{}: \"{}\"`",
                        e.key,
                        value.trim_end().replace('"', "\\\"")
                    )),
            );
        }
    }

    /// A text value; numbers and booleans are taken as their written text.
    pub fn text(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<String>> {
        let e = self.entry(key)?;
        if e.line == e.value.line {
            self.comment_check(e, diags);
        }
        match &e.value.value {
            Yaml::Null => None,
            v => match v.as_text() {
                Some(t) => Some(Spanned::from_node(t, &e.value)),
                None => {
                    self.wrong_type(e, "text", diags);
                    None
                }
            },
        }
    }

    /// A text value that must be present and not blank.
    pub fn required_text(&self, key: &str, hint: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<String>> {
        let present = self.entry(key).is_some_and(|e| e.value.value != Yaml::Null);
        match self.text(key, diags) {
            Some(t) if !t.value.trim().is_empty() => Some(t),
            Some(t) => {
                diags.push(
                    self.src
                        .error(Code::EmptyValue, format!("`{}{key}` is empty", self.prefix), t.line, t.column, t.len)
                        .with_hint(hint.to_string()),
                );
                None
            }
            None if !present => {
                self.missing(key, hint, diags);
                None
            }
            None => None,
        }
    }

    pub fn bool(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<bool>> {
        let e = self.entry(key)?;
        match &e.value.value {
            Yaml::Bool(b) => Some(Spanned::from_node(*b, &e.value)),
            Yaml::Null => None,
            _ => {
                diags.push(
                    self.src
                        .error_at_node(
                            Code::WrongType,
                            format!("`{}{}` should be `true` or `false`", self.prefix, e.key),
                            &e.value,
                        )
                        .with_hint(format!("write `{}: true` or `{}: false`", e.key, e.key)),
                );
                None
            }
        }
    }

    pub fn integer(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<i64>> {
        let e = self.entry(key)?;
        match &e.value.value {
            Yaml::Number(n) => match n.parse::<i64>() {
                Ok(i) => Some(Spanned::from_node(i, &e.value)),
                Err(_) => {
                    self.wrong_type(e, "a whole number", diags);
                    None
                }
            },
            Yaml::Null => None,
            _ => {
                self.wrong_type(e, "a whole number", diags);
                None
            }
        }
    }

    pub fn date(&self, key: &str, zone: FixedOffset, diags: &mut Vec<Diagnostic>) -> Option<Spanned<Date>> {
        let t = self.text(key, diags)?;
        match dates::parse(&t.value, zone) {
            Ok(d) => Some(Spanned { value: d, line: t.line, column: t.column, len: t.len }),
            Err(why) => {
                diags.push(self.src.error(Code::BadDate, why, t.line, t.column, t.len).with_hint(dates::DATE_HINT));
                None
            }
        }
    }

    /// A time zone (`UTC`, `+01:00`); a value that is not one is reported with `hint`.
    pub fn zone(&self, key: &str, hint: &str, diags: &mut Vec<Diagnostic>) -> Option<FixedOffset> {
        let t = self.text(key, diags)?;
        let zone = dates::parse_zone(&t.value);
        if zone.is_none() {
            diags.push(
                self.src
                    .error(
                        Code::BadTimezone,
                        format!("`{}` is not a time zone Chorus understands", t.value),
                        t.line,
                        t.column,
                        t.len,
                    )
                    .with_hint(hint),
            );
        }
        zone
    }

    /// A list of texts; a single text is taken as a list of one.
    pub fn list(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Vec<Spanned<String>> {
        let Some(e) = self.entry(key) else { return Vec::new() };
        match &e.value.value {
            Yaml::Null => Vec::new(),
            Yaml::Seq(items) => items
                .iter()
                .filter_map(|n| match n.value.as_text() {
                    Some(t) => Some(Spanned::from_node(t, n)),
                    None => {
                        diags.push(self.src.error_at_node(
                            Code::WrongType,
                            format!(
                                "each item of `{}{}` should be text, but one is {}",
                                self.prefix,
                                e.key,
                                n.value.kind()
                            ),
                            n,
                        ));
                        None
                    }
                })
                .collect(),
            v => match v.as_text() {
                Some(t) => vec![Spanned::from_node(t, &e.value)],
                None => {
                    self.wrong_type(e, "a list like `[a, b]`", diags);
                    Vec::new()
                }
            },
        }
    }

    /// A nested mapping, with its own allowed keys.
    pub fn map(&self, key: &str, known: &[&str], diags: &mut Vec<Diagnostic>) -> Option<Fields<'a>> {
        let e = self.entry(key)?;
        match &e.value.value {
            Yaml::Map(entries) => {
                let nested = Fields {
                    src: self.src,
                    entries,
                    prefix: format!("{}{}.", self.prefix, e.key),
                    anchor: (e.line, e.column),
                };
                nested.check_keys(known, diags);
                Some(nested)
            }
            Yaml::Null => None,
            _ => {
                self.wrong_type(e, "a set of `key: value` lines", diags);
                None
            }
        }
    }

    /// The nodes of list `key` (one value is taken as a list of one), for lists whose items
    /// are mappings (like `check.avoid`); read each with `item`.
    pub fn nodes(&self, key: &str, diags: &mut Vec<Diagnostic>) -> &'a [Node] {
        let Some(e) = self.entry(key) else { return &[] };
        match &e.value.value {
            Yaml::Null => &[],
            Yaml::Seq(items) => items,
            _ => {
                self.wrong_type(e, "a list of items starting with `-`", diags);
                &[]
            }
        }
    }

    /// Item `node` of list `key` as a mapping with its own allowed keys; `None` when it is
    /// not a mapping (nothing is reported: the caller decides what else an item may be).
    pub fn item(&self, key: &str, node: &'a Node, known: &[&str], diags: &mut Vec<Diagnostic>) -> Option<Fields<'a>> {
        let Yaml::Map(entries) = &node.value else { return None };
        let nested = Fields {
            src: self.src,
            entries,
            prefix: format!("{}{key}.", self.prefix),
            anchor: (node.line, node.column),
        };
        nested.check_keys(known, diags);
        Some(nested)
    }

    /// A mapping whose keys are free (like `links:`): any key, no unknown-key errors.
    pub fn map_free(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Fields<'a>> {
        let e = self.entry(key)?;
        match &e.value.value {
            Yaml::Map(entries) => Some(Fields {
                src: self.src,
                entries,
                prefix: format!("{}{}.", self.prefix, e.key),
                anchor: (e.line, e.column),
            }),
            Yaml::Null => None,
            _ => {
                self.wrong_type(e, "a set of `name: address` lines", diags);
                None
            }
        }
    }

    /// All entries, for free-form mappings like `links:`.
    pub fn entries(&self) -> &'a [Entry] {
        self.entries
    }

    /// A link to somewhere else: only `http`, `https` and `mailto` (and site-relative paths
    /// when `relative` allows them), so no content can smuggle `javascript:` into a page.
    pub fn url(&self, key: &str, relative: Relative, diags: &mut Vec<Diagnostic>) -> Option<Spanned<String>> {
        let t = self.text(key, diags)?;
        match check_url(&t.value, relative) {
            Ok(()) => Some(t),
            Err(why) => {
                diags.push(
                    self.src
                        .error(Code::BadUrl, format!("`{}{key}`: {why}", self.prefix), t.line, t.column, t.len)
                        .with_hint(URL_HINT),
                );
                None
            }
        }
    }

    /// The free-form `extra:` mapping, passed to templates as is.
    pub fn extra(&self) -> serde_json::Value {
        self.entry("extra").map_or(serde_json::Value::Null, |e| e.value.value.to_json())
    }
}

fn missing_message(key: &str) -> String {
    format!("missing required key `{key}`")
}

/// Whether `d` says that the top-level `key` is missing.
pub fn says_missing(d: &Diagnostic, key: &str) -> bool {
    d.code == Code::MissingKey && d.message == missing_message(key)
}

pub const URL_HINT: &str = "links must start with `https://`, `http://` or `mailto:` (or `/` for a page of this hub)";

/// Whether a link may be relative: to a page of this hub (`/about/`) or to a file beside
/// the content (`cover.png`). Links that leave a page for elsewhere must be absolute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relative {
    Allowed,
    Refused,
}

/// Why `url` may not be published, if it may not.
pub fn check_url(url: &str, relative: Relative) -> Result<(), String> {
    let allow_relative = relative == Relative::Allowed;
    let u = url.trim();
    if u.is_empty() {
        return Err("the link is empty".into());
    }
    if u.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!("`{}` contains spaces or control characters", truncate(u)));
    }
    let lower = u.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        let host = &u[u.find("//").map_or(0, |i| i + 2)..];
        if host.is_empty() || host.starts_with('/') {
            return Err(format!("`{}` has no host name", truncate(u)));
        }
        return Ok(());
    }
    if lower.starts_with("mailto:") {
        return Ok(());
    }
    if u.starts_with("//") {
        return Err(format!("`{}` leaves out `https:`", truncate(u)));
    }
    let scheme_end = u.find(':');
    let path_start = u.find(['/', '?', '#']);
    let has_scheme = match (scheme_end, path_start) {
        (Some(c), Some(p)) => c < p,
        (Some(_), None) => true,
        _ => false,
    };
    if has_scheme {
        let scheme = &u[..scheme_end.unwrap_or(0)];
        return Err(format!("links with `{}:` are not allowed", truncate(scheme)));
    }
    if !allow_relative {
        return Err(format!("`{}` is not a full address", truncate(u)));
    }
    // Written like a path, but browsers may read it otherwise: `/\evil.example` is
    // `//evil.example` to them.
    if let Some(to) = elsewhere(u) {
        return Err(format!(
            "`{}` leads to another website: browsers read it as `{}`",
            truncate(u),
            truncate(to.as_str())
        ));
    }
    Ok(())
}

/// The pages `elsewhere` imagines a URL on: the hub may be served over `https` or `http`
/// (a preview, an intranet), and `https:x` is a path on an `https` page but the host `x` on
/// an `http` one.
const HUB_PAGES: [&str; 2] = ["https://hub.invalid/some/page/", "http://hub.invalid/some/page/"];

/// Where `url` leads if that is a host other than the hub, read the way browsers read it
/// (the WHATWG URL Standard, through the `url` crate): resolved against a page of the hub
/// served over `https` and over `http`, it is local only when both times it keeps the page's
/// origin. So TAB, LF and CR inside it are dropped, `\` counts as `/`, and `/\evil.example`,
/// `\\evil.example`, `/<TAB>/evil.example` and `//evil.example` all lead to `evil.example`.
/// URLs that name no host (`mailto:`, `data:`, `javascript:`) or do not parse lead nowhere
/// else; whether they are allowed is [`check_url`]'s business.
pub fn elsewhere(url: &str) -> Option<url::Url> {
    HUB_PAGES.into_iter().find_map(|page| {
        let base = url::Url::parse(page).expect("a valid address");
        let to = base.join(url).ok()?;
        (to.host().is_some() && to.origin() != base.origin()).then_some(to)
    })
}

/// Whether a page of the hub naming `url` would make the browser contact another host: it
/// leads [`elsewhere`], or it is written as an address on the web (`http:`, `https:`, `//`,
/// in any case) even if the URL parser refuses it.
pub fn is_external(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("//") || elsewhere(url).is_some()
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquoted_hashes_are_reported() {
        let text = "---\ntext: Proud of our roof #solar\ndisclosure: #Acme\nok: \"Fine #here\"\nkind: other   # a comment on purpose\n---\n";
        let doc = crate::frontmatter::parse(text).unwrap();
        let mut diags = Vec::new();
        let f = Fields::new(
            SourceRef { file: "x.md", text },
            &doc.fields,
            &["text", "disclosure", "ok", "kind"],
            &mut diags,
        );
        assert_eq!(f.text("text", &mut diags).unwrap().value, "Proud of our roof");
        assert!(f.text("disclosure", &mut diags).is_none());
        assert!(f.text("ok", &mut diags).is_some());
        assert_eq!(f.text("kind", &mut diags).unwrap().value, "other");
        let got: Vec<_> = diags.iter().map(|d| (d.message.as_str(), d.line, d.column)).collect();
        assert_eq!(
            got,
            [
                ("the end of `text`, from ` #`, is a YAML comment and is left out", 2, 25),
                ("`disclosure` is empty: YAML reads a value starting with `#` as a comment", 3, 13),
            ]
        );
        assert_eq!(
            diags[0].hint.as_deref(),
            Some("put the whole value in quotes: `text: \"Proud of our roof #solar\"`")
        );
    }

    #[test]
    fn urls_are_limited_to_safe_schemes() {
        assert!(check_url("https://example.org/a?b#c", Relative::Refused).is_ok());
        assert!(check_url("mailto:someone@example.org", Relative::Refused).is_ok());
        assert!(check_url("/about/", Relative::Allowed).is_ok());
        assert!(check_url("cover.png", Relative::Allowed).is_ok());
        assert_eq!(
            check_url("javascript:alert(1)", Relative::Allowed).unwrap_err(),
            "links with `javascript:` are not allowed"
        );
        assert_eq!(
            check_url("JaVaScRiPt:alert(1)", Relative::Allowed).unwrap_err(),
            "links with `JaVaScRiPt:` are not allowed"
        );
        assert!(check_url("java\tscript:alert(1)", Relative::Allowed).is_err());
        assert!(check_url("data:text/html,x", Relative::Allowed).is_err());
        assert!(check_url("vbscript:x", Relative::Allowed).is_err());
        assert!(check_url("//evil.example/x", Relative::Allowed).is_err());
        assert!(check_url("https://", Relative::Refused).is_err());
        assert!(check_url("/about/", Relative::Refused).is_err());
    }

    /// Each URL, whether it leads to another host as browsers read it, and whether
    /// `check_url` lets it through as a link from content (`Relative::Allowed`).
    const DECISIONS: &[(&str, bool, bool)] = &[
        // The tricks of issue 15: browsers drop TAB, LF and CR and read `\` as `/`.
        ("/\\evil.example/p.png", true, false),
        ("\\\\evil.example\\p.png", true, false),
        ("/\t/evil.example/p.png", true, false),
        ("\\/evil.example", true, false),
        ("/\t\\evil.example", true, false),
        ("/\n/evil.example/p.png", true, false),
        ("\\\r\\evil.example", true, false),
        ("//evil.example", true, false),
        ("//evil.example/x", true, false),
        (" //evil.example/x", true, false),
        // A path on an `https` page, but the host `evil.example` on an `http` one.
        ("https:evil.example", true, false),
        ("http:evil.example", true, false),
        ("https:\\\\evil.example", true, false),
        // Absolute addresses are links to elsewhere, and allowed as links.
        ("HTTPS://EVIL.example", true, true),
        ("https://evil.example/p.png", true, true),
        ("http://127.0.0.1:8080/", true, true),
        ("https://hub.invalid/x", true, true),
        // Hosts with other scripts are other hosts; full-width letters and the ideographic
        // full stop map to ASCII ones.
        ("https://bücher.example/", true, true),
        ("//bücher.example/", true, false),
        ("/\\ｅｖｉｌ.example/p.png", true, false),
        ("//evil。example/p.png", true, false),
        // What stays on the hub.
        ("/ok/path", false, true),
        ("/ok/path?q=1#top", false, true),
        ("cover.png", false, true),
        ("images/cover.png", false, true),
        ("../x", false, true),
        ("./x", false, true),
        ("#anchor", false, true),
        ("?page=2", false, true),
        ("/%09/evil.example", false, true),
        ("/%5C/evil.example", false, true),
        ("/ok\\path", false, true),
        ("évènement.png", false, true),
        // No host at all: allowed or not by scheme.
        ("mailto:someone@example.org", false, true),
        ("javascript:alert(1)", false, false),
        ("data:image/png;base64,AAAA", false, false),
        ("blob:https://evil.example/1", false, false),
    ];

    #[test]
    fn urls_are_judged_as_browsers_resolve_them() {
        for &(url, external, allowed) in DECISIONS {
            assert_eq!(is_external(url), external, "is_external({url:?})");
            assert_eq!(
                check_url(url, Relative::Allowed).is_ok(),
                allowed,
                "check_url({url:?}): {:?}",
                check_url(url, Relative::Allowed)
            );
        }
    }

    #[test]
    fn urls_that_look_local_but_are_not_say_where_they_lead() {
        assert_eq!(
            check_url("/\\evil.example/p.png", Relative::Allowed).unwrap_err(),
            "`/\\evil.example/p.png` leads to another website: browsers read it as `https://evil.example/p.png`"
        );
        assert_eq!(
            check_url("\\\\evil.example\\p.png", Relative::Allowed).unwrap_err(),
            "`\\\\evil.example\\p.png` leads to another website: browsers read it as `https://evil.example/p.png`"
        );
        assert_eq!(
            check_url("/\\bücher.example", Relative::Allowed).unwrap_err(),
            "`/\\bücher.example` leads to another website: browsers read it as `https://xn--bcher-kva.example/`"
        );
        // The messages of the forms refused before stay as they were.
        assert_eq!(
            check_url("//evil.example/x", Relative::Allowed).unwrap_err(),
            "`//evil.example/x` leaves out `https:`"
        );
        assert_eq!(
            check_url("https:evil.example", Relative::Allowed).unwrap_err(),
            "links with `https:` are not allowed"
        );
        assert_eq!(
            check_url("/\t/evil.example", Relative::Allowed).unwrap_err(),
            "`/\t/evil.example` contains spaces or control characters"
        );
        assert_eq!(
            check_url("/\\evil.example", Relative::Refused).unwrap_err(),
            "`/\\evil.example` is not a full address"
        );
    }

    #[test]
    fn elsewhere_names_the_address_browsers_go_to() {
        let to = |u: &str| elsewhere(u).map(|u| u.to_string());
        assert_eq!(to("/\t\\evil.example").as_deref(), Some("https://evil.example/"));
        assert_eq!(to("https:evil.example").as_deref(), Some("https://evil.example/"));
        assert_eq!(to("HTTPS://EVIL.example").as_deref(), Some("https://evil.example/"));
        assert_eq!(to("/ok/path"), None);
        assert_eq!(to("../x"), None);
        assert_eq!(to("mailto:a@example.org"), None);
    }
}
