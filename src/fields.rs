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
    fn from_node(value: T, node: &Node) -> Spanned<T> {
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
                    format!("missing required key `{}{key}`", self.prefix),
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
    if allow_relative {
        Ok(())
    } else {
        Err(format!("`{}` is not a full address", truncate(u)))
    }
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
}
