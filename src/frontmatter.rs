//! Front matter: splitting a content file into YAML and Markdown, and reading the YAML into a
//! small tree that remembers where every key and value sits in the file.
//!
//! This is the only module that knows about the YAML crate, so that it can be swapped. The
//! YAML parser gives no positions for values, so positions are recovered by scanning the
//! lines of block-style YAML (what people write by hand); for flow style (`[a, b]`,
//! `{url: x}`) values are found on their key's line. When nothing better is known, a value
//! points at its key.

use std::cell::Cell;

use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;

/// A YAML value with the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Yaml,
    pub line: usize,
    pub column: usize,
    /// Width of the value on its line, for carets.
    pub len: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Yaml {
    Null,
    Bool(bool),
    /// Numbers keep their written form; fields decide what they mean.
    Number(String),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub line: usize,
    pub column: usize,
    pub value: Node,
}

impl Yaml {
    pub fn kind(&self) -> &'static str {
        match self {
            Yaml::Null => "nothing",
            Yaml::Bool(_) => "true/false",
            Yaml::Number(_) => "a number",
            Yaml::String(_) => "text",
            Yaml::Seq(_) => "a list",
            Yaml::Map(_) => "a set of `key: value` lines",
        }
    }

    /// Scalars as text: `title: 2026` is meant as the text "2026".
    pub fn as_text(&self) -> Option<String> {
        match self {
            Yaml::String(s) | Yaml::Number(s) => Some(s.clone()),
            Yaml::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Yaml::Null => serde_json::Value::Null,
            Yaml::Bool(b) => serde_json::Value::Bool(*b),
            Yaml::Number(n) => serde_json::from_str(n).unwrap_or_else(|_| serde_json::Value::String(n.clone())),
            Yaml::String(s) => serde_json::Value::String(s.clone()),
            Yaml::Seq(items) => items.iter().map(|n| n.value.to_json()).collect(),
            Yaml::Map(entries) => entries.iter().map(|e| (e.key.clone(), e.value.value.to_json())).collect(),
        }
    }
}

/// A content file split in two.
#[derive(Debug)]
pub struct Document<'a> {
    /// The top-level mapping of the front matter.
    pub fields: Vec<Entry>,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
    /// Where the first value (or key) spelling control characters with YAML escapes
    /// (`"\e"`) is written, as (line, column): they are left out, and the caller warns.
    pub controls: Option<(usize, usize)>,
    /// Top-level keys left out because the YAML error was in them (see `read`): they are
    /// written, so they must not be reported missing.
    pub lost: Vec<String>,
}

/// Splits and parses a content file. `source` has its BOM already removed. On failure the
/// diagnostic has its position but no file name; the caller adds it.
pub fn parse(source: &str) -> Result<Document<'_>, Diagnostic> {
    match read(source) {
        (Some(doc), problems) if problems.is_empty() => Ok(doc),
        (_, mut problems) => Err(problems.remove(0)),
    }
}

/// Splits and parses a content file as far as it can be read, with every problem found (their
/// positions set, no file name). With a front matter that is not valid YAML, the document
/// holds what could still be read: lines indented with tabs are read as indented with spaces,
/// and a top-level key the YAML error is in is left out (its name in `lost`), so that the
/// other keys can be checked in the same run. `None` only when there is no front matter to
/// read.
pub fn read(source: &str) -> (Option<Document<'_>>, Vec<Diagnostic>) {
    let (yaml, yaml_start, body, body_line) = match split(source) {
        Ok(parts) => parts,
        Err(d) => return (None, vec![d]),
    };
    let first_error = match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
        Ok(value) => {
            let lines: Vec<&str> = yaml.lines().collect();
            return match document(value, &lines, yaml_start, source, body, body_line) {
                Ok(doc) => (Some(doc), Vec::new()),
                Err(d) => (None, vec![d]),
            };
        }
        Err(e) => e,
    };
    // Past YAML's limits (an alias bomb, thousands of nested brackets) or in a front matter
    // larger than people write, reading again would only cost time: the first error is all.
    let limit = first_error.to_string().contains(" limit exceeded");
    if limit || yaml.len() > MAX_RECOVERED_LEN {
        return (None, vec![yaml_error(source, yaml_start, &first_error)]);
    }
    let mut problems = tabs(yaml, yaml_start, source);
    let mut lines: Vec<String> = yaml.lines().map(str::to_string).collect();
    // Lines indented with tabs only, and by how much, for a second reading without them.
    let mut shifts = Vec::new();
    if problems.is_empty() {
        problems.push(yaml_error(source, yaml_start, &first_error));
    } else {
        for i in 0..lines.len() {
            let line = &lines[i];
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            if line[..indent].contains('\t') {
                // Meant as a key of its own when the key above has its value on its line
                // (`tags: [news]`), not when it opens a block (`share:`).
                let above = lines[..i].iter().rev().find(|l| is_content(l));
                let after_value = above.is_none_or(|l| {
                    !l.starts_with([' ', '\t']) && !l.split(" #").next().unwrap_or("").trim_end().ends_with(':')
                });
                if after_value && line[..indent].bytes().all(|b| b == b'\t') {
                    shifts.push((yaml_start + i, indent));
                }
                let line = &mut lines[i];
                // A tab is read as one space, so every column stays where it was written.
                line.replace_range(..indent, &" ".repeat(indent));
            }
        }
    }
    // A key indented by mistake (`\tfeatured: true` under `tags: [a]`) belongs at the top.
    let mut flush = Vec::new();
    if !shifts.is_empty() && serde_yaml::from_str::<serde_yaml::Value>(&lines.join("\n")).is_err() {
        let mut unindented = lines.clone();
        for &(line, n) in &shifts {
            unindented[line - yaml_start].drain(..n);
        }
        if serde_yaml::from_str::<serde_yaml::Value>(&unindented.join("\n")).is_ok() {
            lines = unindented;
            flush = shifts;
        }
    }
    let (value, lines, lost) = recover(lines, yaml_start, source, &mut problems);
    let Some(value) = value else { return (None, problems) };
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    match document(value, &refs, yaml_start, source, body, body_line) {
        Ok(mut doc) => {
            doc.lost = lost;
            shift_columns(&mut doc.fields, &flush);
            (Some(doc), problems)
        }
        Err(d) => {
            problems.push(d);
            (None, problems)
        }
    }
}

/// The document from parsed YAML and the lines it was parsed from.
fn document<'a>(
    value: serde_yaml::Value,
    lines: &[&str],
    yaml_start: usize,
    source: &str,
    body: &'a str,
    body_line: usize,
) -> Result<Document<'a>, Diagnostic> {
    let locator = Locator { lines, first_line: yaml_start, controls: Cell::new(None) };
    match value {
        serde_yaml::Value::Mapping(map) => {
            let fields = locator.mapping(&map, 0, lines.len(), source)?;
            Ok(Document { fields, body, body_line, controls: locator.controls.get(), lost: Vec::new() })
        }
        serde_yaml::Value::Null => {
            Ok(Document { fields: Vec::new(), body, body_line, controls: None, lost: Vec::new() })
        }
        other => Err(Diagnostic::error(
            Code::FrontMatterNotAMapping,
            format!("the front matter is {}, not a set of `key: value` lines", describe(&other)),
        )
        .at(source, yaml_start, 1, 1)
        .with_hint("write one `key: value` per line between the two `---` lines, e.g. `title: My post`")),
    }
}

/// Moves what is on the given lines (line, count) right by `count` columns: back to where it
/// is written, after it was read without the line's leading tabs.
fn shift_columns(entries: &mut [Entry], shifts: &[(usize, usize)]) {
    fn node(n: &mut Node, shifts: &[(usize, usize)]) {
        if let Some(&(_, by)) = shifts.iter().find(|&&(line, _)| line == n.line) {
            n.column += by;
        }
        match &mut n.value {
            Yaml::Seq(items) => items.iter_mut().for_each(|i| node(i, shifts)),
            Yaml::Map(entries) => shift_columns(entries, shifts),
            _ => {}
        }
    }
    if shifts.is_empty() {
        return;
    }
    for e in entries {
        if let Some(&(_, by)) = shifts.iter().find(|&&(line, _)| line == e.line) {
            e.column += by;
        }
        node(&mut e.value, shifts);
    }
}

/// One error for each line of `yaml` indented with a tab, at the first tab.
fn tabs(yaml: &str, yaml_start: usize, source: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (i, line) in yaml.lines().enumerate() {
        let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        let Some(at) = indent.find('\t') else { continue };
        let count = indent[at..].chars().take_while(|&c| c == '\t').count();
        let what = if count == 1 { "a tab" } else { "tabs" };
        problems.push(
            Diagnostic::error(Code::TabIndent, format!("this line is indented with {what}, which YAML does not allow"))
                .at(source, yaml_start + i, at + 1, count)
                .with_hint(
                    "indent with spaces instead (the tab is shown as `→`): two spaces for a key inside another key, like `text:` under `share:`, and none for a key of its own",
                ),
        );
    }
    problems
}

/// The largest front matter (in bytes) read again after an error.
const MAX_RECOVERED_LEN: usize = 64 * 1024;

/// How many times a front matter with errors is parsed again, leaving out one more key each
/// time, before giving up on it.
const MAX_RECOVERY: usize = 16;

/// Parses `lines`, leaving out (as blank lines, so that every line keeps its number) the
/// top-level entry each YAML error is in, until the rest can be read. Errors found after the
/// first, below every line left out, are added to `problems`: they are mistakes of their own.
/// Returns the value read, the lines it was read from, and the keys left out.
fn recover(
    mut lines: Vec<String>,
    yaml_start: usize,
    source: &str,
    problems: &mut Vec<Diagnostic>,
) -> (Option<serde_yaml::Value>, Vec<String>, Vec<String>) {
    let mut lost = Vec::new();
    // The last line left out so far (exclusive), below which an error is a new one.
    let mut left_out_until = None;
    for _ in 0..MAX_RECOVERY {
        let text = lines.join("\n");
        let error = match serde_yaml::from_str::<serde_yaml::Value>(&text) {
            Ok(value) => return (Some(value), lines, lost),
            Err(e) => e,
        };
        let at = error.location().map_or(lines.len().saturating_sub(1), |l| l.line().saturating_sub(1));
        let at = at.min(lines.len().saturating_sub(1));
        if left_out_until.is_some_and(|end| at >= end) {
            problems.push(yaml_error(source, yaml_start, &error));
        }
        let is_top = |l: &str| is_content(l) && !l.starts_with([' ', '\t']);
        // The entry the error is in: from the top-level line at or above it to the next one.
        let mut start = (0..=at).rev().find(|&i| is_top(&lines[i])).unwrap_or(0);
        if !lines[start..=at].iter().any(|l| is_content(l)) {
            // Already left out: the error lies in an entry further up.
            start = (0..start).rev().find(|&i| is_top(&lines[i])).unwrap_or(0);
        }
        let end = (at + 1..lines.len()).find(|&i| is_top(&lines[i])).unwrap_or(lines.len());
        if !lines[start..end].iter().any(|l| is_content(l)) {
            break;
        }
        if let Some(key) = key_at(&lines[start], 0) {
            lost.push(key.to_string());
        }
        for line in &mut lines[start..end] {
            line.clear();
        }
        left_out_until = Some(left_out_until.map_or(end, |e: usize| e.max(end)));
    }
    (None, lines, lost)
}

/// Parses a whole YAML file (the config) the same way as front matter.
pub fn parse_yaml_file(source: &str) -> Result<Vec<Entry>, Diagnostic> {
    let value: serde_yaml::Value = serde_yaml::from_str(source).map_err(|e| yaml_error(source, 1, &e))?;
    let lines: Vec<&str> = source.lines().collect();
    let locator = Locator { lines: &lines, first_line: 1, controls: Cell::new(None) };
    match value {
        serde_yaml::Value::Mapping(map) => locator.mapping(&map, 0, lines.len(), source),
        serde_yaml::Value::Null => Ok(Vec::new()),
        other => Err(Diagnostic::error(
            Code::ConfigNotAMapping,
            format!("the file holds {}, not a set of `key: value` lines", describe(&other)),
        )
        .at(source, 1, 1, 1)),
    }
}

/// YAML escapes (`"\e"`, `"\0"`) can spell control characters that no page, feed or
/// terminal should receive; they are left out of every value.
fn without_controls(s: &str) -> String {
    if s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        s.chars().filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).collect()
    } else {
        s.to_string()
    }
}

fn describe(v: &serde_yaml::Value) -> &'static str {
    match v {
        serde_yaml::Value::Null => "empty",
        serde_yaml::Value::Bool(_) => "true/false",
        serde_yaml::Value::Number(_) => "a number",
        serde_yaml::Value::String(_) => "plain text",
        serde_yaml::Value::Sequence(_) => "a list",
        serde_yaml::Value::Mapping(_) => "a mapping",
        serde_yaml::Value::Tagged(_) => "a tagged value",
    }
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Returns (yaml, first line of yaml, body, first line of body).
fn split(source: &str) -> Result<(&str, usize, &str, usize), Diagnostic> {
    let first_end = source.find('\n').map_or(source.len(), |i| i + 1);
    if !is_fence(&source[..first_end]) {
        let first = source.lines().next().unwrap_or("");
        let message = if source.trim().is_empty() {
            "the file is empty".to_string()
        } else {
            "the file does not start with front matter".to_string()
        };
        return Err(Diagnostic::error(Code::MissingFrontMatter, message)
            .at(source, 1, 1, first.chars().count().max(1))
            .with_hint(
                "start the file with a line `---`, then the `key: value` lines (like `title: …`), then another `---`",
            ));
    }
    let mut offset = first_end;
    let mut line_no = 2;
    while offset < source.len() {
        let end = source[offset..].find('\n').map_or(source.len(), |i| offset + i + 1);
        let line = &source[offset..end];
        if is_fence(line) || line.trim_end() == "..." {
            let yaml = &source[first_end..offset];
            return Ok((yaml, 2, &source[end..], line_no + 1));
        }
        offset = end;
        line_no += 1;
    }
    Err(Diagnostic::error(Code::UnclosedFrontMatter, "the front matter that starts here never ends")
        .at(source, 1, 1, 3)
        .with_hint("add a line with just `---` after the last `key: value` line, before the text of the post"))
}

fn yaml_error(source: &str, first_line: usize, error: &serde_yaml::Error) -> Diagnostic {
    let text = error.to_string();
    // serde_yaml says " at line L column C" relative to the YAML; the first is the error's own
    // place (it goes into the diagnostic), later ones are turned into lines of the file.
    let mut message = String::new();
    let mut rest = text.as_str();
    let mut first = true;
    while let Some(i) = rest.find(" at line ") {
        message.push_str(&rest[..i]);
        let after = &rest[i + 9..];
        let digits = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
        let line: usize = after[..digits].parse().unwrap_or(1);
        let tail = &after[digits..];
        let tail = tail.strip_prefix(" column ").map_or(tail, |t| t.trim_start_matches(|c: char| c.is_ascii_digit()));
        if !first {
            message.push_str(&format!(" on line {}", first_line + line.saturating_sub(1)));
        }
        first = false;
        rest = tail;
    }
    message.push_str(rest);
    let (line, column) = match error.location() {
        Some(l) => (first_line + l.line().saturating_sub(1), l.column()),
        None => (first_line, 1),
    };
    let hint = if message.contains("repetition limit") || message.contains("recursion limit") {
        "the YAML nests or repeats too deeply; write the values out plainly"
    } else if message.contains("duplicate entry") {
        "each key may appear only once; remove or merge the repeated one"
    } else {
        "check the quotes and brackets on this line; text containing `: `, `#`, or starting with `[`, `{`, `*`, `&`, `!`, `@` or a quote must be put in quotes"
    };
    Diagnostic::error(Code::YamlSyntax, format!("the front matter is not valid YAML: {message}"))
        .at(source, line, column.max(1), 1)
        .with_hint(hint)
}

/// Finds keys and values in the lines of block-style YAML.
struct Locator<'a> {
    lines: &'a [&'a str],
    /// File line of `lines[0]`.
    first_line: usize,
    /// Where the first value or key spelling control characters is, as (line, column).
    controls: Cell<Option<(usize, usize)>>,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// If `line` (from `indent`) is `key:` or `key: value`, the key's written text.
fn key_at(line: &str, indent: usize) -> Option<&str> {
    let rest = line.get(indent..)?;
    let rest = rest.strip_prefix("- ").unwrap_or(rest);
    let colon = rest.find(':')?;
    let after = &rest[colon + 1..];
    if !(after.is_empty() || after.starts_with(' ') || after.starts_with('\t') || after.starts_with('\r')) {
        return None;
    }
    Some(rest[..colon].trim().trim_matches(|c| c == '"' || c == '\''))
}

fn scalar_string(key: &serde_yaml::Value) -> Option<String> {
    match key {
        serde_yaml::Value::String(s) => Some(without_controls(s)),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Locator<'_> {
    fn file_line(&self, idx: usize) -> usize {
        self.first_line + idx
    }

    /// Remembers the first place where YAML escapes spelled control characters.
    fn saw_controls(&self, line_idx: usize, column: usize) {
        if self.controls.get().is_none() {
            self.controls.set(Some((self.file_line(line_idx), column.max(1))));
        }
    }

    /// The mapping written in `lines[start..end]`.
    fn mapping(
        &self,
        map: &serde_yaml::Mapping,
        start: usize,
        end: usize,
        source: &str,
    ) -> Result<Vec<Entry>, Diagnostic> {
        let indent = (start..end).filter(|&i| is_content(self.lines[i])).map(|i| indent_of(self.lines[i])).min();
        // Key lines at this level, in order.
        let key_lines: Vec<(usize, &str)> = match indent {
            Some(ind) => (start..end)
                .filter(|&i| is_content(self.lines[i]) && indent_of(self.lines[i]) == ind)
                .filter_map(|i| key_at(self.lines[i], ind).map(|k| (i, k)))
                .collect(),
            None => Vec::new(),
        };
        let fallback = start.min(self.lines.len().saturating_sub(1));
        let mut entries = Vec::with_capacity(map.len());
        let mut cursor = 0;
        for (k, v) in map {
            let Some(key) = scalar_string(k) else {
                return Err(Diagnostic::error(Code::YamlKey, "a key must be plain text")
                    .at(source, self.file_line(fallback), 1, 1)
                    .with_hint("write keys as simple words, e.g. `title:`"));
            };
            let found = key_lines[cursor.min(key_lines.len())..]
                .iter()
                .position(|(_, name)| *name == key)
                .map(|p| p + cursor.min(key_lines.len()));
            let (line_idx, column) = match found {
                Some(p) => {
                    cursor = p + 1;
                    let (i, _) = key_lines[p];
                    let l = self.lines[i];
                    let col = indent_of(l) + if l[indent_of(l)..].starts_with("- ") { 2 } else { 0 };
                    (i, col + 1)
                }
                None => self.find_inline(&key, fallback),
            };
            if matches!(k, serde_yaml::Value::String(s) if s.len() != key.len()) {
                self.saw_controls(line_idx, column);
            }
            let next = found.and_then(|p| key_lines.get(p + 1)).map_or(end, |(i, _)| *i);
            let value = self.node(v, line_idx, column + key.chars().count() + 1, next, source)?;
            entries.push(Entry { key, line: self.file_line(line_idx), column, value });
        }
        Ok(entries)
    }

    /// A key written in flow style on some line, e.g. `via: {url: x}`.
    fn find_inline(&self, key: &str, near: usize) -> (usize, usize) {
        let pattern = format!("{key}:");
        for i in near..self.lines.len().min(near + 50) {
            if let Some(p) = self.lines[i].find(&pattern) {
                return (i, self.lines[i][..p].chars().count() + 1);
            }
        }
        (near, 1)
    }

    /// The value of a key on `line_idx` whose text (if on the same line) starts after
    /// `after_col` (1-based column of the colon); block content runs until `end`.
    fn node(
        &self,
        v: &serde_yaml::Value,
        line_idx: usize,
        after_col: usize,
        end: usize,
        source: &str,
    ) -> Result<Node, Diagnostic> {
        let line = self.lines.get(line_idx).copied().unwrap_or("");
        let byte_after = line.char_indices().nth(after_col).map_or(line.len(), |(b, _)| b);
        let rest = &line[byte_after.min(line.len())..];
        let inline = rest.trim_start();
        let inline_col = after_col + 1 + (rest.chars().count() - inline.chars().count());
        let has_inline = !inline.is_empty() && !inline.starts_with('#');
        let (vline, vcol, vlen) = if has_inline {
            let shown = inline.trim_end();
            (line_idx, inline_col, shown.chars().count())
        } else {
            let next = (line_idx + 1..end).find(|&i| is_content(self.lines[i]));
            match next {
                Some(i) => (i, indent_of(self.lines[i]) + 1, self.lines[i].trim().chars().count()),
                None => (line_idx, after_col, 1),
            }
        };
        let value = match v {
            serde_yaml::Value::Null => Yaml::Null,
            serde_yaml::Value::Bool(b) => Yaml::Bool(*b),
            serde_yaml::Value::Number(n) => Yaml::Number(n.to_string()),
            serde_yaml::Value::String(s) => {
                let clean = without_controls(s);
                if clean.len() != s.len() {
                    self.saw_controls(vline, vcol);
                }
                Yaml::String(clean)
            }
            serde_yaml::Value::Tagged(t) => {
                return self.node(&t.value, line_idx, after_col, end, source);
            }
            serde_yaml::Value::Sequence(items) => {
                let mut nodes = Vec::with_capacity(items.len());
                if has_inline {
                    // Flow style: find each item's text along the line.
                    let mut search_from = byte_after.min(line.len());
                    for item in items {
                        let text = scalar_string(item).unwrap_or_default();
                        let (col, len) = match (!text.is_empty()).then(|| line[search_from..].find(&text)).flatten() {
                            Some(p) => {
                                let b = search_from + p;
                                search_from = b + text.len();
                                (line[..b].chars().count() + 1, text.chars().count())
                            }
                            None => (vcol, vlen),
                        };
                        nodes.push(self.leaf(item, line_idx, col, len, source)?);
                    }
                } else {
                    let item_lines: Vec<usize> = (line_idx + 1..end)
                        .filter(|&i| {
                            let l = self.lines[i];
                            is_content(l) && indent_of(l) + 1 == vcol && l.trim_start().starts_with('-')
                        })
                        .collect();
                    for (n, item) in items.iter().enumerate() {
                        match item_lines.get(n) {
                            Some(&i) => {
                                let item_end = item_lines.get(n + 1).copied().unwrap_or(end);
                                nodes.push(self.node(item, i, indent_of(self.lines[i]) + 1, item_end, source)?);
                            }
                            None => nodes.push(self.leaf(item, vline, vcol, vlen, source)?),
                        }
                    }
                }
                Yaml::Seq(nodes)
            }
            serde_yaml::Value::Mapping(map) => {
                if has_inline {
                    // Flow style `{a: 1}` or an item `- key: v` that continues below.
                    let entries = self.mapping_inline(map, line_idx, end, source)?;
                    Yaml::Map(entries)
                } else {
                    Yaml::Map(self.mapping(map, line_idx + 1, end, source)?)
                }
            }
        };
        Ok(Node { value, line: self.file_line(vline), column: vcol, len: vlen.max(1) })
    }

    fn mapping_inline(
        &self,
        map: &serde_yaml::Mapping,
        line_idx: usize,
        end: usize,
        source: &str,
    ) -> Result<Vec<Entry>, Diagnostic> {
        let mut entries = Vec::with_capacity(map.len());
        for (k, v) in map {
            let key = scalar_string(k).unwrap_or_default();
            let (i, col) = self.find_inline(&key, line_idx);
            let value = self.node(v, i, col + key.chars().count(), end.max(i + 1), source)?;
            entries.push(Entry { key, line: self.file_line(i), column: col, value });
        }
        Ok(entries)
    }

    fn leaf(
        &self,
        v: &serde_yaml::Value,
        line_idx: usize,
        col: usize,
        len: usize,
        source: &str,
    ) -> Result<Node, Diagnostic> {
        match v {
            serde_yaml::Value::Sequence(_) | serde_yaml::Value::Mapping(_) | serde_yaml::Value::Tagged(_) => {
                let mut n = self.node(v, line_idx, col.saturating_sub(1), line_idx + 1, source)?;
                n.line = self.file_line(line_idx);
                n.column = col;
                Ok(n)
            }
            _ => {
                let value = match v {
                    serde_yaml::Value::Bool(b) => Yaml::Bool(*b),
                    serde_yaml::Value::Number(n) => Yaml::Number(n.to_string()),
                    serde_yaml::Value::String(s) => {
                        let clean = without_controls(s);
                        if clean.len() != s.len() {
                            self.saw_controls(line_idx, col);
                        }
                        Yaml::String(clean)
                    }
                    _ => Yaml::Null,
                };
                Ok(Node { value, line: self.file_line(line_idx), column: col, len: len.max(1) })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field<'a>(doc: &'a Document, key: &str) -> &'a Entry {
        doc.fields.iter().find(|e| e.key == key).unwrap()
    }

    #[test]
    fn keys_and_values_carry_their_positions() {
        let src = "---\ntitle: Hello\ndate: 2026-11-03\ntags: [a, bb]\nvia:\n  url: https://x.example\n  name: X\n---\nBody\n";
        let doc = parse(src).unwrap();
        let title = field(&doc, "title");
        assert_eq!((title.line, title.column), (2, 1));
        assert_eq!((title.value.line, title.value.column, title.value.len), (2, 8, 5));
        let tags = field(&doc, "tags");
        let Yaml::Seq(items) = &tags.value.value else { panic!() };
        assert_eq!((items[1].line, items[1].column), (4, 11));
        let via = field(&doc, "via");
        let Yaml::Map(inner) = &via.value.value else { panic!() };
        assert_eq!((inner[1].key.as_str(), inner[1].line, inner[1].column), ("name", 7, 3));
        assert_eq!(doc.body, "Body\n");
        assert_eq!(doc.body_line, 9);
    }

    #[test]
    fn block_lists_point_at_each_item() {
        let src = "---\ntags:\n  - one\n  - two\n---\n";
        let doc = parse(src).unwrap();
        let Yaml::Seq(items) = &field(&doc, "tags").value.value else { panic!() };
        assert_eq!((items[1].line, items[1].column), (4, 5));
    }

    #[test]
    fn flow_mappings_find_their_keys() {
        let src = "---\nvia: {url: https://a.example, name: A}\n---\n";
        let doc = parse(src).unwrap();
        let Yaml::Map(inner) = &field(&doc, "via").value.value else { panic!() };
        assert_eq!((inner[1].key.as_str(), inner[1].line, inner[1].column), ("name", 2, 31));
    }

    #[test]
    fn crlf_and_no_trailing_newline_are_fine() {
        let doc = parse("---\r\ntitle: A\r\n---\r\nText").unwrap();
        assert_eq!(field(&doc, "title").value.value, Yaml::String("A".into()));
        assert_eq!(doc.body, "Text");
    }

    #[test]
    fn unclosed_front_matter_is_reported_at_its_start() {
        let e = parse("---\ntitle: A\n\nBody\n").unwrap_err();
        assert_eq!(e.code, Code::UnclosedFrontMatter);
        assert_eq!(e.line, 1);
        assert!(e.hint.unwrap().contains("`---`"));
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let e = parse("---\ntitle: A\ntags: [unclosed\n---\n").unwrap_err();
        assert_eq!(e.code, Code::YamlSyntax);
        assert!(e.line >= 3, "{e:?}");
        assert!(e.message.starts_with("the front matter is not valid YAML"), "{}", e.message);
        assert!(!e.message.contains(" at line "), "{}", e.message);
    }

    #[test]
    fn non_mapping_and_missing_front_matter_are_explained() {
        assert_eq!(parse("---\n- a\n---\n").unwrap_err().code, Code::FrontMatterNotAMapping);
        assert_eq!(parse("Just text\n").unwrap_err().code, Code::MissingFrontMatter);
        assert_eq!(parse("").unwrap_err().message, "the file is empty");
        assert!(parse("---\n---\n").unwrap().fields.is_empty());
    }

    #[test]
    fn a_tab_is_reported_at_its_place_and_the_rest_is_read() {
        let src = "---\ntitle: A\ntags: [news]\n\tfeatured: maybe\n---\nBody\n";
        let (doc, problems) = read(src);
        let got: Vec<_> = problems.iter().map(|d| (d.code, d.line, d.column, d.span, d.message.as_str())).collect();
        assert_eq!(got, [(Code::TabIndent, 4, 1, 1, "this line is indented with a tab, which YAML does not allow")]);
        let doc = doc.unwrap();
        // Read as a key of its own, at the columns where it is written.
        let featured = field(&doc, "featured");
        assert_eq!((featured.line, featured.column, featured.value.column), (4, 2, 12));
        assert!(doc.lost.is_empty());
        assert_eq!(doc.body, "Body\n");
    }

    #[test]
    fn a_yaml_error_leaves_out_its_key_only() {
        let src = "---\ntitle: A: b\nvia:\n  url: [x\n  name: y\ndate: 2026-11-03\nauthor: ana\n---\n";
        let (doc, problems) = read(src);
        let got: Vec<_> = problems.iter().map(|d| (d.code, d.line, d.column)).collect();
        assert_eq!(got[0], (Code::YamlSyntax, 2, 9), "{problems:?}");
        let doc = doc.unwrap();
        assert_eq!(doc.lost, ["title", "via"]);
        let keys: Vec<_> = doc.fields.iter().map(|e| (e.key.as_str(), e.line)).collect();
        assert_eq!(keys, [("date", 6), ("author", 7)]);
        // `parse` still refuses the file with the first problem.
        assert_eq!(parse(src).unwrap_err().line, 2);
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut src = String::from("---\na: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
            src.push_str(&format!(
                "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        src.push_str("---\n");
        assert_eq!(parse(&src).unwrap_err().code, Code::YamlSyntax);
    }
}

/// `text` as a YAML scalar, quoted when it needs to be, for files Chorus writes.
pub fn quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '.' | ',' | '\'' | '(' | ')' | '/'))
        && !text.starts_with([' ', '-', '\''])
        && !text.ends_with(' ')
        && serde_yaml::from_str::<serde_yaml::Value>(text).ok() == Some(serde_yaml::Value::String(text.to_string()));
    if plain {
        return text.to_string();
    }
    serde_yaml::to_string(text).map(|s| s.trim_end().to_string()).unwrap_or_else(|_| format!("{text:?}"))
}

#[cfg(test)]
mod quote_tests {
    use super::*;

    #[test]
    fn quoted_text_reads_back_the_same() {
        for t in [
            "Our first shared story",
            "Yes: no",
            "#hash",
            "true",
            "2026-11-20",
            "It's \"quoted\"",
            "- dash",
            "[x]",
            "a\nb",
        ] {
            let yaml = format!("k: {}\n", quote(t));
            let v: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
            assert_eq!(v["k"], serde_yaml::Value::String(t.to_string()), "{yaml}");
        }
        assert_eq!(quote("Our first shared story"), "Our first shared story");
    }
}
