//! Diagnostics as tests read them.
//!
//! [`Diagnostic`] is one entry of `chorus check --format json` (see `src/diagnostic.rs`): the
//! way tests learn codes, files, lines, columns, messages, hints and counts. [`Printed`] is a
//! diagnostic as the human format prints it, only for tests about that rendering itself
//! (the snippet and caret, the whole block) or about what `build` alone reports.

use serde::Deserialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One entry of `chorus check --format json`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable identifier, e.g. `unknown-key`.
    pub code: String,
    /// Relative to the hub root; empty when the problem has no file.
    pub file: String,
    /// 1-based; 0 when the problem is about a whole file.
    pub line: usize,
    /// 1-based, in characters; 0 when unknown.
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// Every diagnostic of `check --format json` output; fails on anything else.
    pub fn parse_all(json: &str) -> Vec<Diagnostic> {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("not the JSON of `check --format json` ({e}):\n{json}"))
    }

    /// `path:line:col`, `path:line`, `path` or empty, as the human format prints it.
    pub fn location(&self) -> String {
        match (self.file.is_empty(), self.line, self.column) {
            (true, _, _) => String::new(),
            (false, 0, _) => self.file.clone(),
            (false, l, 0) => format!("{}:{l}", self.file),
            (false, l, c) => format!("{}:{l}:{c}", self.file),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `(errors, warnings, files)`, the numbers of the summary line (`1 error, 2 warnings in 3
/// files`).
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let mut files: Vec<&str> = diagnostics.iter().map(|d| d.file.as_str()).filter(|f| !f.is_empty()).collect();
    files.sort_unstable();
    files.dedup();
    (errors, diagnostics.len() - errors, files.len())
}

/// One diagnostic as the human format prints it:
///
/// ```text
/// error: unknown key `tgas`
///  --> content/posts/typo-key.md:5:1
///   |
/// 5 | tgas: [oops]
///   | ^^^^
///   = help: did you mean `tags`?
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Printed {
    /// `error` or `warning`.
    pub severity: String,
    pub message: String,
    /// `path:line:col`, `path`, or empty.
    pub location: String,
    /// The quoted source line and the caret line, without the gutter.
    pub snippet: Option<(String, String)>,
    pub help: Option<String>,
    /// The whole block as printed.
    pub text: String,
}

impl Printed {
    /// Every diagnostic block in `text` (human format).
    pub fn parse_all(text: &str) -> Vec<Printed> {
        let mut out = Vec::new();
        for block in text.split("\n\n") {
            let lines: Vec<&str> = block.lines().filter(|l| !l.is_empty()).collect();
            let Some(first) = lines.first() else { continue };
            let Some((severity, message)) = first
                .strip_prefix("error: ")
                .map(|m| ("error", m))
                .or_else(|| first.strip_prefix("warning: ").map(|m| ("warning", m)))
            else {
                continue;
            };
            let mut d = Printed {
                severity: severity.to_string(),
                message: message.to_string(),
                location: String::new(),
                snippet: None,
                help: None,
                text: lines.join("\n"),
            };
            let mut quoted = Vec::new();
            for line in &lines[1..] {
                let t = line.trim_start();
                if let Some(loc) = t.strip_prefix("--> ") {
                    d.location = loc.to_string();
                } else if let Some(h) = t.strip_prefix("= help: ") {
                    d.help = Some(h.to_string());
                } else if let Some((_, after)) = line.split_once(" | ") {
                    quoted.push(after.to_string());
                }
            }
            if quoted.len() == 2 {
                d.snippet = Some((quoted[0].clone(), quoted[1].clone()));
            }
            out.push(d);
        }
        out
    }
}
