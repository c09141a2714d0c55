//! Code highlighting with syntect: class-based spans, and one stylesheet for a light and a
//! dark theme.
//!
//! The syntax definitions are bat's (`two-face`: syntect's set plus TypeScript, TSX, TOML,
//! Dockerfile, Kotlin, Swift, Terraform and more), loaded from a binary dump at most once per
//! process and only when a code block names a language, so a hub without code pays nothing.
//! `language` says what a fence's language resolves to (the names people write, `ts`, `sh`,
//! `yml`, `tf`, … included) and what was probably meant when it resolves to nothing.
//! The stylesheet's colours are made readable in `contrast`.
//!
//! Tokenizing a line is syntect's cost, and a line's HTML depends only on the line, the
//! parser's state and the scopes open at its start. Code repeats itself (blank lines, closing
//! braces, imports, the same idioms across posts), so each thread remembers the lines it
//! highlighted, by that state and text, and reuses their HTML. The memory is bounded: past
//! `MEMO_LINES` lines it starts again.

mod contrast;
mod language;

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

pub use contrast::{contrast_ratio, MIN_CONTRAST};
pub use language::{language, names as language_names, Language};

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

fn themes() -> &'static ThemeSet {
    static SET: OnceLock<ThemeSet> = OnceLock::new();
    SET.get_or_init(ThemeSet::load_defaults)
}

pub fn theme_names() -> Vec<&'static str> {
    themes().themes.keys().map(String::as_str).collect()
}

pub fn has_theme(name: &str) -> bool {
    themes().themes.contains_key(name)
}

/// How many highlighted lines a thread remembers before it forgets them all.
const MEMO_LINES: usize = 20_000;

/// A line highlighted from a given parser state and open scopes: its HTML, how many spans it
/// left open (or closed), and the state and scopes after it.
struct Highlighted {
    syntax: usize,
    before: (ParseState, ScopeStack),
    line: String,
    html: String,
    spans: isize,
    after: (ParseState, ScopeStack),
}

#[derive(Default)]
struct Memo {
    /// By a hash of (syntax, line); the entries of a bucket differ in their state before.
    lines: HashMap<u64, Vec<Highlighted>>,
    len: usize,
    hasher: std::collections::hash_map::RandomState,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

impl Memo {
    /// Appends the HTML of `line` to `html`, from `state` and `scopes` (which move on past
    /// the line), reusing an earlier result for the same syntax, state, scopes and line.
    /// Returns the change in open spans and whether the line came from memory.
    fn line(
        &mut self,
        syntax: usize,
        (state, scopes): (&mut ParseState, &mut ScopeStack),
        line: &str,
        set: &SyntaxSet,
        html: &mut String,
    ) -> Option<(isize, bool)> {
        // The state is compared, not hashed: a line seen in several states shares a bucket.
        let key = self.hasher.hash_one((syntax, line));
        if let Some(h) = self.lines.get(&key).and_then(|bucket| {
            bucket
                .iter()
                .find(|h| h.syntax == syntax && h.line == line && h.before.0 == *state && h.before.1 == *scopes)
        }) {
            html.push_str(&h.html);
            state.clone_from(&h.after.0);
            scopes.clone_from(&h.after.1);
            return Some((h.spans, true));
        }
        let before = (state.clone(), scopes.clone());
        let ops = state.parse_line(line, set).ok()?;
        let (formatted, spans) = line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, scopes).ok()?;
        html.push_str(&formatted);
        if self.len >= MEMO_LINES {
            self.lines.clear();
            self.len = 0;
        }
        self.len += 1;
        let after = (state.clone(), scopes.clone());
        let entry = Highlighted { syntax, before, line: line.to_string(), html: formatted, spans, after };
        self.lines.entry(key).or_default().push(entry);
        Some((spans, false))
    }
}

/// Lines taken from memory and lines tokenized, by all threads (added once per code block).
static REUSED: AtomicU64 = AtomicU64::new(0);
static TOKENIZED: AtomicU64 = AtomicU64::new(0);

/// How many lines of code all threads took from memory so far, and how many they tokenized.
pub fn memo_counts() -> (u64, u64) {
    (REUSED.load(Ordering::Relaxed), TOKENIZED.load(Ordering::Relaxed))
}

/// The inner HTML of a `<code>` element for `code` in `lang`, or `None` when the language is
/// unknown (the caller then escapes the code as plain text).
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let set = syntaxes();
    let Language::Known(syntax) = language(lang) else { return None };
    let id = syntax as *const SyntaxReference as usize;
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 3);
    let mut open_spans: isize = 0;
    let (mut reused, mut tokenized) = (0, 0);
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        for line in LinesWithEndings::from(code) {
            let (spans, remembered) = memo.line(id, (&mut state, &mut scopes), line, set, &mut html)?;
            open_spans += spans;
            if remembered {
                reused += 1;
            } else {
                tokenized += 1;
            }
        }
        Some(())
    })?;
    REUSED.fetch_add(reused, Ordering::Relaxed);
    TOKENIZED.fetch_add(tokenized, Ordering::Relaxed);
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(html)
}

/// The stylesheet for both themes, each under its own `prefers-color-scheme`, so that no
/// rule of one theme applies in the other scheme. Every colour reaches `MIN_CONTRAST`
/// against its theme's background, which the stylesheet gives the code blocks.
pub fn stylesheet(light: &str, dark: &str) -> String {
    let set = themes();
    let scheme = |name: &str, scheme: contrast::Scheme| -> String {
        let css = set.themes.get(name).map(|t| contrast::readable_css(t, scheme, CLASS_STYLE)).unwrap_or_default();
        css.lines().map(|l| if l.is_empty() { "\n".to_string() } else { format!("  {l}\n") }).collect()
    };
    format!(
        "/* Generated by Chorus from the syntect themes `{light}` (light) and `{dark}` (dark), with every colour \
         at a contrast of at least {MIN_CONTRAST}:1 against the code background. */\n\
         @media (prefers-color-scheme: light) {{\n{}}}\n@media (prefers-color-scheme: dark) {{\n{}}}\n",
        scheme(light, contrast::Scheme::Light),
        scheme(dark, contrast::Scheme::Dark)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What syntect's own generator makes, line by line with no memory: the reference the
    /// memoized `highlight` must match byte for byte.
    fn reference(code: &str, lang: &str) -> String {
        let set = syntaxes();
        let Language::Known(syntax) = language(lang) else { panic!("{lang}") };
        let mut g = syntect::html::ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            g.parse_html_for_line_which_includes_newline(line).unwrap();
        }
        g.finalize()
    }

    #[test]
    fn remembered_lines_give_the_same_html_as_syntect() {
        // The same lines in different states: inside and outside a block comment and a string.
        let rust = "fn a() {\n    x += 1; // }\n}\n/* fn a() {\n    x += 1; // }\n*/\nlet s = \"\n}\n\";\n}\n";
        let python = "def f():\n    \"\"\"\n    return 1\n    \"\"\"\n    return 1\n\n\n";
        let (hits_before, _) = memo_counts();
        for _ in 0..3 {
            assert_eq!(highlight(rust, "rust").unwrap(), reference(rust, "rust"));
            assert_eq!(highlight(python, "python").unwrap(), reference(python, "python"));
            assert_eq!(highlight(rust, "js").unwrap(), reference(rust, "js"));
        }
        let (hits_after, _) = memo_counts();
        assert!(hits_after > hits_before, "the second and third rounds come from memory");
    }

    #[test]
    fn an_unclosed_span_is_closed() {
        let code = "/* never closed\nstill a comment";
        assert_eq!(highlight(code, "rust").unwrap(), reference(code, "rust"));
    }

    #[test]
    fn known_languages_get_class_spans() {
        let html = highlight("fn main() {}\n", "rust").unwrap();
        assert!(html.contains("<span class=\"hl-"), "{html}");
        assert!(highlight("x", "no-such-language").is_none());
    }

    #[test]
    fn the_languages_staff_write_are_highlighted() {
        for lang in [
            "typescript",
            "ts",
            "tsx",
            "toml",
            "dockerfile",
            "Dockerfile",
            "kotlin",
            "kt",
            "swift",
            "terraform",
            "tf",
            "hcl",
            "sh",
            "bash",
            "shell",
            "zsh",
            "yml",
            "yaml",
            "js",
            "jsx",
            "json",
            "rust",
            "python",
            "go",
            "sql",
            "java",
            "c",
            "cpp",
            "c++",
            "csharp",
            "c#",
            "ruby",
            "php",
            "html",
            "css",
            "scss",
            "diff",
        ] {
            let html = highlight("let x = 1 # \"a\"\n", lang).unwrap_or_else(|| panic!("`{lang}` is not highlighted"));
            assert!(html.contains("<span class=\"hl-"), "{lang}: {html}");
        }
        let ts = highlight("const n: number = 1;\n", "ts").unwrap();
        assert!(ts.contains("hl-source hl-ts") || ts.contains("hl-ts"), "{ts}");
    }

    /// Reads a generated stylesheet back: for each scheme (`light`, `dark`), the code
    /// background and every `color` set in it, with its selector.
    /// A colour as `(r, g, b)`.
    type Rgb = (u8, u8, u8);
    /// A scheme's name, its code background, and every `(selector, colour)` in it.
    type Scheme = (String, Rgb, Vec<(String, Rgb)>);

    fn scheme_colours(css: &str) -> Vec<Scheme> {
        let hex = |v: &str| {
            let v = v.trim().trim_end_matches(';').trim().trim_start_matches('#');
            assert_eq!(v.len(), 6, "a colour as #rrggbb: {v}");
            let c = |i: usize| u8::from_str_radix(&v[i..i + 2], 16).unwrap();
            (c(0), c(2), c(4))
        };
        let mut schemes = Vec::new();
        for block in css.split("@media (prefers-color-scheme: ").skip(1) {
            let name = block[..block.find(')').unwrap()].to_string();
            let (mut background, mut colours) = (None, Vec::new());
            let mut selector = String::new();
            for line in block.lines().skip(1).map(str::trim) {
                if let Some(sel) = line.strip_suffix('{') {
                    selector = sel.trim().to_string();
                } else if let Some(v) = line.strip_prefix("background-color:") {
                    assert_eq!(selector, "pre.code", "only the code block has a background: {line}");
                    background = Some(hex(v));
                } else if let Some(v) = line.strip_prefix("color:") {
                    colours.push((selector.clone(), hex(v)));
                }
            }
            schemes.push((name, background.expect("a code background"), colours));
        }
        schemes
    }

    /// Every colour of the stylesheet, for every theme there is, in both schemes, reaches
    /// WCAG AA against the background of its scheme, and each scheme's rules are its own.
    #[test]
    fn every_colour_of_every_theme_reads_well_in_both_schemes() {
        let names = theme_names();
        assert!(names.len() >= 7, "{names:?}");
        for (i, &light) in names.iter().enumerate() {
            let dark = names[(i + 1) % names.len()];
            let css = stylesheet(light, dark);
            let schemes = scheme_colours(&css);
            assert_eq!(schemes.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(), ["light", "dark"], "{css}");
            for (scheme, background, colours) in &schemes {
                assert!(colours.len() > 5, "{light}/{dark}: {scheme} has too few colours");
                for (selector, colour) in colours {
                    let ratio = contrast_ratio(*colour, *background);
                    assert!(
                        ratio >= MIN_CONTRAST,
                        "{light}/{dark}, {scheme}: `{selector}` is {colour:?} on {background:?}, {ratio:.2}:1"
                    );
                }
            }
            // Nothing outside the two schemes: no rule of one theme reaches the other scheme.
            let before = &css[..css.find("@media").unwrap()];
            assert!(!before.contains('{'), "{before}");
        }
    }

    #[test]
    fn the_dark_scheme_has_only_the_dark_theme() {
        let css = stylesheet("InspiredGitHub", "base16-ocean.dark");
        let schemes = scheme_colours(&css);
        let (_, dark_bg, dark) = &schemes[1];
        assert_eq!(*dark_bg, (0x2b, 0x30, 0x3b), "base16-ocean's own background");
        // InspiredGitHub's text colour, which made parameters unreadable in dark mode.
        assert!(dark.iter().all(|(_, c)| *c != (0x32, 0x32, 0x32)), "{dark:?}");
        assert!(schemes[0].2.iter().any(|(_, c)| *c == (0x32, 0x32, 0x32)), "kept in the light scheme");
    }
}
