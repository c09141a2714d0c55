//! One file of the blog being imported: its front matter (TOML between `+++` lines, or YAML
//! between `---` lines) read into plain values, and its body.
//!
//! Owns the reading of other generators' front matter and its syntax errors (with the line in
//! the source file). Must not decide what a key means: that is `map`'s work.

use serde_json::{Map, Value};

use crate::diagnostic::{Code, Diagnostic};

/// A source file split in two.
#[derive(Debug)]
pub struct SourceDoc {
    /// The path shown in diagnostics.
    pub shown: String,
    /// The whole text (without a byte-order mark), for diagnostics' snippets.
    pub text: String,
    pub fields: Map<String, Value>,
    /// The Markdown after the front matter.
    pub body: String,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
    /// 1-based line of the first front-matter line, and the number of front-matter lines.
    front: (usize, usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Syntax {
    Toml,
    Yaml,
}

impl SourceDoc {
    /// The line a top-level (or `[table]`) key is written on, else the first line.
    pub fn key_line(&self, key: &str) -> usize {
        let (first, count) = self.front;
        self.text
            .lines()
            .enumerate()
            .skip(first - 1)
            .take(count)
            .find(|(_, l)| {
                let l = l.trim_start().trim_start_matches("- ");
                let l = l.strip_prefix('"').map_or(l, |r| r.trim_start_matches('"'));
                l.strip_prefix(key).is_some_and(|rest| {
                    let rest = rest.trim_start_matches('"').trim_start();
                    rest.starts_with(':') || rest.starts_with('=')
                })
            })
            .map_or(1, |(i, _)| i + 1)
    }

    /// A diagnostic at the line where `key` is written.
    pub fn at_key(&self, d: Diagnostic, key: &str) -> Diagnostic {
        let line = self.key_line(key);
        let width = self.text.lines().nth(line - 1).map_or(1, |l| l.chars().count());
        d.in_file(&self.shown).at(&self.text, line, 1, width)
    }

    /// A diagnostic at `line` of the body (1-based within the body).
    pub fn at_body_line(&self, d: Diagnostic, body_line: usize, column: usize, span: usize) -> Diagnostic {
        d.in_file(&self.shown).at(&self.text, self.body_line + body_line - 1, column, span)
    }
}

/// Reads `text` (the file at `shown`). A file without front matter, or whose front matter
/// cannot be read, is a diagnostic with its line.
pub fn parse(shown: &str, text: &str) -> Result<SourceDoc, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).replace("\r\n", "\n");
    let first = text.lines().next().unwrap_or("").trim_end();
    let (syntax, fence) = match first {
        "+++" => (Syntax::Toml, "+++"),
        "---" => (Syntax::Yaml, "---"),
        _ => {
            return Err(Diagnostic::error(Code::ImportSyntax, "this file has no front matter, so it is not a post")
                .in_file(shown)
                .at(&text, 1, 1, first.chars().count())
                .with_hint("posts start with a `---` (YAML) or `+++` (TOML) line; this file was left out"));
        }
    };
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, l)| {
            let l = l.trim_end();
            l == fence || (syntax == Syntax::Yaml && l == "...")
        })
        .map(|(i, _)| i);
    let Some(end) = end else {
        return Err(Diagnostic::error(
            Code::ImportSyntax,
            format!("the front matter that starts here has no closing `{fence}` line"),
        )
        .in_file(shown)
        .at(&text, 1, 1, 3)
        .with_hint(format!("add a line `{fence}` after the last front-matter line")));
    };
    let front = lines[1..end].join("\n");
    let fields = match syntax {
        Syntax::Toml => toml_fields(shown, &text, &front)?,
        Syntax::Yaml => yaml_fields(shown, &text, &front)?,
    };
    let body: String = lines[end + 1..].iter().flat_map(|l| [*l, "\n"]).collect();
    Ok(SourceDoc { shown: shown.to_string(), fields, body, body_line: end + 2, front: (2, end - 1), text })
}

fn toml_fields(shown: &str, text: &str, front: &str) -> Result<Map<String, Value>, Diagnostic> {
    match front.parse::<toml::Table>() {
        Ok(table) => Ok(table.into_iter().map(|(k, v)| (k, from_toml(v))).collect()),
        Err(e) => {
            let (line, column) = e.span().map_or((1, 1), |s| line_col(front, s.start));
            let message = e.message().trim().trim_end_matches('.').to_string();
            Err(Diagnostic::error(Code::ImportSyntax, format!("the TOML front matter cannot be read: {message}"))
                .in_file(shown)
                .at(text, line + 1, column, 1)
                .with_hint(
                    "fix this line in the source blog (TOML text values need double quotes: `title = \"…\"`), then import again",
                ))
        }
    }
}

fn yaml_fields(shown: &str, text: &str, front: &str) -> Result<Map<String, Value>, Diagnostic> {
    match serde_yaml::from_str::<serde_yaml::Value>(front) {
        Ok(serde_yaml::Value::Mapping(map)) => {
            Ok(map.into_iter().filter_map(|(k, v)| Some((yaml_key(k)?, from_yaml(v)))).collect())
        }
        Ok(serde_yaml::Value::Null) => Ok(Map::new()),
        Ok(_) => Err(Diagnostic::error(Code::ImportSyntax, "the front matter is not a set of `key: value` lines")
            .in_file(shown)
            .at(text, 2, 1, 1)
            .with_hint("fix the front matter in the source blog, then import again")),
        Err(e) => {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            let mut message = e.to_string();
            if let Some(i) = message.find(" at line ") {
                message.truncate(i);
            }
            Err(Diagnostic::error(Code::ImportSyntax, format!("the YAML front matter cannot be read: {message}"))
                .in_file(shown)
                .at(text, line + 1, column, 1)
                .with_hint(
                    "fix this line in the source blog (put a value with `: ` or ` #` in double quotes), then import again",
                ))
        }
    }
}

/// 1-based line and column of byte `offset` in `s`.
fn line_col(s: &str, offset: usize) -> (usize, usize) {
    let before = &s[..offset.min(s.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn from_toml(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(from_toml).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, from_toml(v))).collect()),
    }
}

fn yaml_key(k: serde_yaml::Value) -> Option<String> {
    match k {
        serde_yaml::Value::String(s) => Some(s),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn from_yaml(v: serde_yaml::Value) -> Value {
    match v {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => serde_json::from_str(&n.to_string()).unwrap_or(Value::Null),
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(s) => Value::Array(s.into_iter().map(from_yaml).collect()),
        serde_yaml::Value::Mapping(m) => {
            Value::Object(m.into_iter().filter_map(|(k, v)| Some((yaml_key(k)?, from_yaml(v)))).collect())
        }
        serde_yaml::Value::Tagged(t) => from_yaml(t.value),
    }
}

/// Reads a whole configuration file (TOML or YAML, by its extension) into plain values.
pub fn config_file(path: &std::path::Path) -> Option<Map<String, Value>> {
    let text = std::fs::read_to_string(path).ok()?;
    let value = match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => from_toml(toml::Value::Table(text.parse::<toml::Table>().ok()?)),
        Some("yaml" | "yml") => from_yaml(serde_yaml::from_str(&text).ok()?),
        Some("json") => serde_json::from_str(&text).ok()?,
        _ => return None,
    };
    match value {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_yaml_front_matter_are_read() {
        let d =
            parse("a.md", "+++\ntitle = \"T\"\ndate = 2019-11-07\n[taxonomies]\ntags = [\"x\"]\n+++\nBody\n").unwrap();
        assert_eq!(d.fields["title"], "T");
        assert_eq!(d.fields["date"], "2019-11-07");
        assert_eq!(d.fields["taxonomies"]["tags"][0], "x");
        assert_eq!(d.body, "Body\n");
        assert_eq!(d.body_line, 7);
        assert_eq!(d.key_line("tags"), 5);
        let d = parse("b.md", "---\ntitle: \"T: x\"\nauthor: parkr\n---\n\nHi\n").unwrap();
        assert_eq!(d.fields["author"], "parkr");
        assert_eq!(d.key_line("author"), 3);
        assert_eq!(d.body_line, 5);
    }

    #[test]
    fn malformed_front_matter_names_the_line() {
        let e = parse("a.md", "+++\ntitle = \"T\"\ndate = 2019-11-07\nauthors = [\"A\"\n+++\n").unwrap_err();
        assert_eq!((e.code, e.file.as_str()), (Code::ImportSyntax, "a.md"));
        assert!(e.message.starts_with("the TOML front matter cannot be read"), "{}", e.message);
        assert!(e.line >= 4, "{e:?}");
        let e = parse("b.md", "---\ntitle: T\ntags: [a, b\ndate: 2020-01-01\n---\n").unwrap_err();
        assert!(e.message.starts_with("the YAML front matter cannot be read"), "{}", e.message);
        assert!((3..=5).contains(&e.line), "{e:?}");
        let e = parse("c.md", "---\ntitle: T\n").unwrap_err();
        assert_eq!(e.message, "the front matter that starts here has no closing `---` line");
        let e = parse("d.md", "Hello\n").unwrap_err();
        assert_eq!(e.line, 1);
    }
}
