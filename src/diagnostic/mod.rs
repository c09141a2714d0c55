//! Diagnostics: every problem Chorus finds in a hub, with its place and a way to fix it.
//!
//! Loading and checking never stop at the first problem: they return what they could build
//! together with a `Vec<Diagnostic>`. Rendering the diagnostics for people (human), for
//! pull requests (github) and for tools (json) lives here too.

mod code;

pub use code::Code;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, anchored to a place in a file of the hub when there is one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable identifier, e.g. `unknown-key`, for tools and for `--format json`.
    pub code: Code,
    /// Path relative to the hub root, with `/` separators; empty when the problem has no file.
    pub file: String,
    /// 1-based; 0 when the problem is about a whole file.
    pub line: usize,
    /// 1-based, in characters; 0 when unknown.
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
    /// The text of `line`, kept so the caret can be drawn without reading the file again.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// Width of the caret in characters (at least 1 when drawn).
    #[serde(skip)]
    pub span: usize,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: String::new(),
            line: 0,
            column: 0,
            message: message.into(),
            hint: None,
            source_line: None,
            span: 0,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message) }
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Diagnostic {
        self.file = file.into();
        self
    }

    /// Places the diagnostic at `line:column` of `source` (the whole file's text), keeping the
    /// line's text for the snippet.
    pub fn at(mut self, source: &str, line: usize, column: usize, span: usize) -> Diagnostic {
        self.line = line;
        self.column = column.max(1);
        self.span = span.max(1);
        self.source_line = source.lines().nth(line.saturating_sub(1)).map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col`, as editors and terminals link it.
    pub fn location(&self) -> String {
        match (self.file.is_empty(), self.line, self.column) {
            (true, _, _) => String::new(),
            (false, 0, _) => self.file.clone(),
            (false, l, 0) => format!("{}:{l}", self.file),
            (false, l, c) => format!("{}:{l}:{c}", self.file),
        }
    }
}

/// A path relative to `root`, with forward slashes, for messages.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.to_string_lossy().replace('\\', "/")
}

/// Sorts diagnostics by file and position so every run prints them in the same order.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.file.as_str(), a.line, a.column, a.severity, a.message.as_str()).cmp(&(
            b.file.as_str(),
            b.line,
            b.column,
            b.severity,
            b.message.as_str(),
        ))
    });
}

pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

/// Closest candidate to `word` among `candidates`, for "did you mean" hints.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word_lower, c), c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(1) || (*d <= 2 && c.len() >= 4))
        // Ties go to the first in alphabetical order, so the hint never depends on the order
        // the candidates come in (heading ids come from a hash set).
        .min_by_key(|&(d, c)| (d, c))
        .map(|(_, c)| c)
}

/// Output formats of `chorus check` (and of `build`, which always uses `Human`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human { color: bool },
    Github,
    Json,
}

pub fn render(diagnostics: &[Diagnostic], format: Format) -> String {
    match format {
        Format::Human { color } => render_human(diagnostics, color),
        Format::Github => render_github(diagnostics),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".into());
            s.push('\n');
            s
        }
    }
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// Text from content shown on a terminal: control characters are written as escapes
/// (`\n`, `\r`, `\t`, `\u{1b}`), so that a file or person name can neither forge a line of
/// its own (`error: forged.md:5:1`) nor send an escape sequence that rewrites the screen.
fn visible(s: &str) -> String {
    escape_controls(s)
}

/// `s` with every control character (CR, LF, TAB, the other C0 and C1 codes, DEL) written
/// as an escape: how file names and other text from a hub appear in messages.
pub fn escape_controls(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

fn render_human(diagnostics: &[Diagnostic], color: bool) -> String {
    let paint = Paint { on: color };
    let mut out = String::new();
    for d in diagnostics {
        let d = &Diagnostic {
            message: visible(&d.message),
            hint: d.hint.as_deref().map(visible),
            file: visible(&d.file),
            ..d.clone()
        };
        let label = match d.severity {
            Severity::Error => paint.wrap("1;31", "error"),
            Severity::Warning => paint.wrap("1;33", "warning"),
        };
        let _ = writeln!(out, "{label}{} {}", paint.wrap("1", ":"), paint.wrap("1", &d.message));
        let location = d.location();
        if !location.is_empty() {
            let gutter = d.line.max(1).to_string().len();
            let pad = " ".repeat(gutter);
            let _ = writeln!(out, "{pad}{} {location}", paint.wrap("1;34", "-->"));
            if let Some(src) = &d.source_line {
                let bar = paint.wrap("1;34", "|");
                // A tab is shown as `→`, one column wide, so it can be seen and the caret
                // lines up; other control characters are shown as `�` rather than sent to the
                // terminal.
                let shown: String = src
                    .chars()
                    .map(|c| match c {
                        '\t' => '→',
                        c if c.is_control() => '\u{fffd}',
                        c => c,
                    })
                    .collect();
                let _ = writeln!(out, "{pad} {bar}");
                let _ = writeln!(out, "{} {bar} {shown}", paint.wrap("1;34", &d.line.to_string()));
                let caret = format!("{}{}", " ".repeat(d.column.saturating_sub(1)), "^".repeat(d.span.max(1)));
                let caret = match d.severity {
                    Severity::Error => paint.wrap("1;31", &caret),
                    Severity::Warning => paint.wrap("1;33", &caret),
                };
                let _ = writeln!(out, "{pad} {bar} {caret}");
            }
            if let Some(hint) = &d.hint {
                let _ = writeln!(out, "{pad} {} {}: {hint}", paint.wrap("1;34", "="), paint.wrap("1", "help"));
            }
        } else if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  {} {}: {hint}", paint.wrap("1;34", "="), paint.wrap("1", "help"));
        }
        out.push('\n');
    }
    out.push_str(&summary(diagnostics));
    out
}

/// `3 errors, 1 warning in 2 files`.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let (errors, warnings) = count(diagnostics);
    let mut files: Vec<&str> = diagnostics.iter().map(|d| d.file.as_str()).filter(|f| !f.is_empty()).collect();
    files.sort_unstable();
    files.dedup();
    let plural = |n: usize, word: &str| if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") };
    if errors == 0 && warnings == 0 {
        return "no problems found\n".to_string();
    }
    let mut s = format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"));
    if !files.is_empty() {
        s.push_str(&format!(" in {}", plural(files.len(), "file")));
    }
    s.push('\n');
    s
}

/// GitHub Actions workflow commands: annotations shown inline on pull requests.
fn render_github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if !d.file.is_empty() {
            props.push(format!("file={}", escape_property(&d.file)));
            if d.line > 0 {
                props.push(format!("line={}", d.line));
            }
            if d.column > 0 {
                props.push(format!("col={}", d.column));
            }
        }
        props.push(format!("title={}", escape_property(d.code.as_str())));
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str(&format!("\nhelp: {hint}"));
        }
        let _ = writeln!(out, "::{kind} {}::{}", props.join(","), escape_data(&message));
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .chars()
        .map(|c| if c.is_control() && c != '\n' { '\u{fffd}' } else { c })
        .collect()
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typo() -> Diagnostic {
        let source = "---\ntitle: x\ndate: 2026-11-03\nauthor: ana\ntgas: [oops]\n---\n";
        Diagnostic::error(Code::UnknownKey, "unknown key `tgas`")
            .in_file("content/posts/typo-key.md")
            .at(source, 5, 1, 4)
            .with_hint("did you mean `tags`?")
    }

    #[test]
    fn human_format_has_location_snippet_caret_and_help() {
        let out = render(&[typo()], Format::Human { color: false });
        assert_eq!(
            out,
            "error: unknown key `tgas`\n --> content/posts/typo-key.md:5:1\n  |\n5 | tgas: [oops]\n  | ^^^^\n  = help: did you mean `tags`?\n\n1 error, 0 warnings in 1 file\n"
        );
    }

    #[test]
    fn a_tab_in_the_snippet_is_shown_as_an_arrow_under_which_the_caret_lines_up() {
        let source = "---\ntags: [a]\n\t\tfeatured: true\n---\n";
        let d = Diagnostic::error(Code::TabIndent, "this line is indented with tabs, which YAML does not allow")
            .in_file("content/posts/p.md")
            .at(source, 3, 3, 8);
        let out = render(&[d], Format::Human { color: false });
        assert!(out.contains("3 | →→featured: true\n  |   ^^^^^^^^\n"), "{out}");
    }

    #[test]
    fn github_format_is_one_annotation_per_line() {
        let out = render(&[typo()], Format::Github);
        assert_eq!(
            out,
            "::error file=content/posts/typo-key.md,line=5,col=1,title=unknown-key::unknown key `tgas`%0Ahelp: did you mean `tags`?\n"
        );
    }

    #[test]
    fn json_format_lists_fields() {
        let out = render(&[typo()], Format::Json);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v[0]["severity"], "error");
        assert_eq!(v[0]["code"], "unknown-key");
        assert_eq!(v[0]["file"], "content/posts/typo-key.md");
        assert_eq!(v[0]["line"], 5);
        assert_eq!(v[0]["column"], 1);
        assert_eq!(v[0]["hint"], "did you mean `tags`?");
    }

    #[test]
    fn line_breaks_in_names_and_messages_cannot_forge_a_line() {
        let d = Diagnostic::error(Code::Io, "cannot read\nerror: forged.md:5:1")
            .in_file("content/posts/a\r\nerror: forged.md:5:1\t\u{1b}[2J.md")
            .with_hint("x\ny");
        let out = render(&[d], Format::Human { color: false });
        assert!(out.lines().all(|l| !l.starts_with("error: forged")), "{out}");
        assert!(out.contains("a\\r\\nerror: forged.md:5:1\\t\\u{1b}[2J.md"), "{out}");
        assert!(!out.contains('\r') && !out.contains('\t') && !out.contains('\u{1b}'), "{out}");
        assert_eq!(escape_controls("énergie"), "énergie");
    }

    #[test]
    fn suggestions_find_transpositions_and_ignore_strangers() {
        let keys = ["title", "tags", "date", "author", "authors"];
        assert_eq!(suggest("tgas", keys), Some("tags"));
        assert_eq!(suggest("titel", keys), Some("title"));
        assert_eq!(suggest("Autor", keys), Some("author"));
        assert_eq!(suggest("colour", keys), None);
    }

    #[test]
    fn summary_counts_files_once() {
        let w = Diagnostic::warning(Code::Cadence, "w").in_file("a.md");
        assert_eq!(summary(&[typo(), typo(), w]), "2 errors, 1 warning in 2 files\n");
        assert_eq!(summary(&[]), "no problems found\n");
    }

    #[test]
    fn suggestions_do_not_depend_on_the_candidates_order() {
        // `intro-a` and `intro-b` are equally close to `intro`.
        assert_eq!(suggest("intro", ["intro-b", "intro-a"]), Some("intro-a"));
        assert_eq!(suggest("intro", ["intro-a", "intro-b"]), Some("intro-a"));
        assert_eq!(suggest("titel", ["tags", "title"]), Some("title"));
    }
}
