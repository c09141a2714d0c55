//! Words to avoid (`check.avoid` in `chorus.yaml`, DESIGN §14): a regulated company lists the
//! words that must stay out of what employees share ("guaranteed"), and `check` reports each
//! use in a title, a summary or a share text, with the reason as the hint.
//!
//! Owns the list's reading and the matching: whole words, case-insensitive, Unicode-aware.
//! Must not change content: it only reports.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::content::{ShareSpec, SourceFile};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::fields::{Fields, Spanned};
use crate::frontmatter::Node;
use crate::site::Site;

/// One entry of `check.avoid`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvoidWord {
    pub word: String,
    /// Why the word is avoided: the hint of every report.
    pub why: Option<String>,
    pub level: Severity,
}

/// Reads `check.avoid` from the `check:` mapping.
pub fn read_config(check: &Fields, diags: &mut Vec<Diagnostic>) -> Vec<AvoidWord> {
    let mut words = Vec::new();
    for node in check.nodes("avoid", diags) {
        if let Some(item) = check.item("avoid", node, &["word", "why", "level"], diags) {
            let Some(word) = item.required_text("word", "add `word: guaranteed` (the word to avoid)", diags) else {
                continue;
            };
            let level = match item.text("level", diags) {
                None => Some(Severity::Warning),
                Some(l) => match l.value.trim().to_lowercase().as_str() {
                    "warning" => Some(Severity::Warning),
                    "error" => Some(Severity::Error),
                    _ => {
                        diags.push(
                            check
                                .src
                                .error(Code::BadValue, format!("`{}` is not a level", l.value), l.line, l.column, l.len)
                                .with_hint("write `level: error` (the build stops) or `level: warning` (the default)"),
                        );
                        None
                    }
                },
            };
            let why = item.text("why", diags).map(|w| w.value.trim().to_string()).filter(|w| !w.is_empty());
            if let (Some(word), Some(level)) = (one_word(check, &word, diags), level) {
                words.push(AvoidWord { word, why, level });
            }
        } else if let Some(text) = node.value.as_text() {
            // `- guaranteed`: a word without a reason.
            let word = Spanned::from_node(text, node);
            if let Some(word) = one_word(check, &word, diags) {
                words.push(AvoidWord { word, why: None, level: Severity::Warning });
            }
        } else {
            not_an_entry(check, node, diags);
        }
    }
    words
}

fn not_an_entry(check: &Fields, node: &Node, diags: &mut Vec<Diagnostic>) {
    diags.push(
        check
            .src
            .error_at_node(Code::WrongType, format!("an item of `check.avoid` is {}", node.value.kind()), node)
            .with_hint("write each item as `- word: guaranteed` with an optional `why:` and `level: error`"),
    );
}

/// The entry's word, NFC-normalised, if it is one word: letters, digits and combining marks,
/// joined by single `-` or apostrophes.
fn one_word(check: &Fields, word: &Spanned<String>, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let w: String = word.value.trim().nfc().collect();
    let parts: Vec<&str> = w.split(['-', '\'', '’']).collect();
    let ok = !w.is_empty()
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(is_word_char))
        && w.chars().next().is_some_and(char::is_alphanumeric);
    if ok {
        return Some(w);
    }
    let why = if w.is_empty() {
        "an entry of `check.avoid` has an empty `word`".to_string()
    } else if w.chars().any(char::is_whitespace) {
        format!("`{}` is not a word: `check.avoid` lists single words, and this has spaces", word.value.trim())
    } else {
        format!("`{}` is not a word: `check.avoid` lists words of letters and digits", word.value.trim())
    };
    diags.push(
        check
            .src
            .error(Code::NotAWord, why, word.line, word.column, word.len.max(1))
            .with_hint("list one word per entry (like `word: guaranteed`); for a phrase, list its telling word"),
    );
    None
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Where each listed word is used in `text`: byte ranges, whole words only, ignoring case.
pub fn find(words: &[AvoidWord], text: &str) -> Vec<(usize, usize, usize)> {
    let lowered: Vec<Vec<char>> = words.iter().map(|w| w.word.chars().flat_map(char::to_lowercase).collect()).collect();
    let mut hits = Vec::new();
    let mut previous: Option<char> = None;
    for (start, c) in text.char_indices() {
        let starts_word = is_word_char(c) && !previous.is_some_and(is_word_char);
        previous = Some(c);
        if !starts_word {
            continue;
        }
        for (n, word) in lowered.iter().enumerate() {
            if let Some(end) = matches_at(text, start, word) {
                hits.push((n, start, end));
            }
        }
    }
    hits
}

/// The end of `word` (lowercase) matched at `start` as a whole word, ignoring case.
fn matches_at(text: &str, start: usize, word: &[char]) -> Option<usize> {
    let mut want = word.iter();
    let mut end = start;
    for (i, c) in text[start..].char_indices() {
        if want.len() == 0 {
            break;
        }
        for lc in c.to_lowercase() {
            // Apostrophes are the same word whichever one is typed.
            let same = |w: char| w == lc || (matches!(w, '\'' | '’') && matches!(lc, '\'' | '’'));
            if !want.next().is_some_and(|&w| same(w)) {
                return None;
            }
        }
        end = start + i + c.len_utf8();
    }
    if want.len() > 0 || text[end..].chars().next().is_some_and(is_word_char) {
        return None;
    }
    Some(end)
}

/// Every use of a listed word in the titles, summaries and share texts of posts, causes and
/// the hub's pages.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    let words = &site.config().avoid;
    if words.is_empty() {
        return Vec::new();
    }
    let mut diags = Vec::new();
    for (_, p) in site.posts() {
        report(words, &p.file, "title", &p.title, None, &mut diags);
        report_spanned(words, &p.file, "summary", p.summary.as_ref(), &mut diags);
        report_share(words, &p.file, &p.share, &mut diags);
    }
    for (_, c) in site.causes() {
        report(words, &c.file, "title", &c.title, None, &mut diags);
        report_spanned(words, &c.file, "summary", c.summary.as_ref(), &mut diags);
        report_share(words, &c.file, &c.share, &mut diags);
    }
    for (_, p) in site.pages() {
        report(words, &p.file, "title", &p.title, None, &mut diags);
        report_spanned(words, &p.file, "summary", p.summary.as_ref(), &mut diags);
    }
    diags
}

fn report_share(words: &[AvoidWord], file: &SourceFile, share: &ShareSpec, diags: &mut Vec<Diagnostic>) {
    report_spanned(words, file, "share text", share.text.as_ref(), diags);
    for v in &share.variants {
        report_spanned(words, file, "suggested message", Some(v), diags);
    }
    for (network, text) in &share.overrides {
        report_spanned(words, file, &format!("{} text", network.label()), Some(text), diags);
    }
}

fn report_spanned(
    words: &[AvoidWord],
    file: &SourceFile,
    what: &str,
    value: Option<&Spanned<String>>,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(v) = value {
        report(words, file, what, &v.value, Some((v.line, v.column)), diags);
    }
}

/// Reports each use of a word in `text`, the value of `what` in `file`. The word is found
/// again in the file from the value's place (`at`; for a title, the place of its key, found
/// by reading the front matter again), so the column points at the word even in a quoted or
/// folded value.
fn report(
    words: &[AvoidWord],
    file: &SourceFile,
    what: &str,
    text: &str,
    at: Option<(usize, usize)>,
    diags: &mut Vec<Diagnostic>,
) {
    let hits = find(words, text);
    if hits.is_empty() {
        return;
    }
    let file_text = file.text();
    let at = at.or_else(|| title_place(&file_text)).unwrap_or((1, 1));
    let source = &file_text[..file.body_start.min(file_text.len())];
    let from = offset_of(source, at);
    let in_file = find(words, &source[from..]);
    for (k, &(n, start, end)) in hits.iter().enumerate() {
        let w = &words[n];
        // The k-th use in the value is the k-th use in the file from the value's place on.
        let place = in_file.iter().filter(|h| h.0 == n).nth(hits[..k].iter().filter(|h| h.0 == n).count());
        let (line, column) = match place {
            Some(&(_, s, _)) => line_column(source, from + s),
            None => at,
        };
        let used = &text[start..end];
        let mut d = Diagnostic::error(Code::AvoidWord, format!("the {what} uses `{used}`, a word this hub avoids"))
            .at(&file_text, line, column, used.chars().count())
            .in_file(&file.rel);
        d.severity = w.level;
        d = d.with_hint(match &w.why {
            Some(why) => format!("{why} (`check.avoid` in chorus.yaml)"),
            None => "reword it: `check.avoid` in chorus.yaml lists this word".to_string(),
        });
        diags.push(d);
    }
}

fn title_place(text: &str) -> Option<(usize, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = crate::frontmatter::parse(text).ok()?;
    doc.fields.iter().find(|e| e.key == "title").map(|e| (e.value.line, e.value.column))
}

fn offset_of(text: &str, (line, column): (usize, usize)) -> usize {
    let mut offset = 0;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line {
            return offset + l.char_indices().nth(column.saturating_sub(1)).map_or(l.len(), |(i, _)| i);
        }
        offset += l.len();
    }
    text.len()
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<AvoidWord> {
        list.iter().map(|w| AvoidWord { word: w.to_string(), why: None, level: Severity::Warning }).collect()
    }

    fn found<'t>(list: &[&str], text: &'t str) -> Vec<&'t str> {
        find(&words(list), text).into_iter().map(|(_, s, e)| &text[s..e]).collect()
    }

    #[test]
    fn whole_words_only_in_any_case() {
        assert_eq!(found(&["guaranteed"], "GUARANTEED returns, Guaranteed!"), ["GUARANTEED", "Guaranteed"]);
        assert!(found(&["guaranteed"], "unguaranteed guaranteedly").is_empty());
        assert_eq!(found(&["guaranteed"], "guaranteed-returns (guaranteed)"), ["guaranteed", "guaranteed"]);
    }

    #[test]
    fn unicode_letters_are_part_of_words() {
        assert_eq!(found(&["garantiert"], "Garantiert! Sie sind garantiertes"), ["Garantiert"]);
        assert_eq!(found(&["sûr"], "SÛR, à coup sûr"), ["SÛR", "sûr"]);
        assert!(found(&["sur"], "sûr").is_empty());
        assert_eq!(found(&["heilt"], "Es HEILT."), ["HEILT"]);
        assert_eq!(found(&["risk-free"], "A Risk-Free bet"), ["Risk-Free"]);
        assert_eq!(found(&["can't"], "you can’t lose"), ["can’t"]);
    }

    #[test]
    fn places_are_line_and_column_in_characters() {
        let text = "---\ntitle: “Sûr” and Guaranteed\n";
        let at = offset_of(text, (2, 8));
        assert_eq!(&text[at..at + 3], "“");
        assert_eq!(line_column(text, text.find("Guaranteed").unwrap()), (2, 18));
    }
}
