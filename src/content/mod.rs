//! The content model (DESIGN §3) and the reading of one content file into it.
//!
//! Owns the model (`Post`, `Person`, `Cause`, `Page` and their parts) and `load`, which
//! turns one file's bytes into text and front matter and hands them to the reader of its
//! kind (`post`, `person`, `cause`, `page`; readers shared by kinds are in `read`).
//! `discover` finds the files. Every front-matter value a later diagnostic points at keeps
//! its `Spanned` place, so no module has to search a file's text for a key.
//!
//! Must not look at other files: each file is read on its own (in parallel, by the caller)
//! and yields its item, if it can, with every problem found in it. Cross-checks (authors
//! exist, slugs are unique) belong to `site`.

use std::path::{Path, PathBuf};

use chrono::FixedOffset;
use serde::Serialize;

use crate::dates::Date;
use crate::diagnostic::Code;
use crate::diagnostic::{display_path, Diagnostic};
use crate::fields::{SourceRef, Spanned};
use crate::frontmatter;
use crate::packed::Packed;
use crate::share::Network;

mod cause;
mod discover;
mod page;
mod person;
mod post;
mod read;

pub use discover::discover;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Posts,
    People,
    Causes,
    Pages,
}

impl Section {
    pub const ALL: [Section; 4] = [Section::Posts, Section::People, Section::Causes, Section::Pages];

    pub fn dir(self) -> &'static str {
        match self {
            Section::Posts => "posts",
            Section::People => "people",
            Section::Causes => "causes",
            Section::Pages => "pages",
        }
    }
}

/// A content file as read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Relative to the hub root, `/`-separated: what messages show.
    pub rel: String,
    /// The whole text, compressed: a hub's texts are the largest thing a build holds, and
    /// after loading each is read about three times (its page, its card, its search entry).
    text: Packed,
    /// Byte offset of the Markdown body in the text.
    pub body_start: usize,
    /// 1-based line where the body starts.
    pub body_line: usize,
    /// The language the file is written in, when it says so: the code in a translation's
    /// name (`post.de.md`), or an original's `language:` key. `None` is the hub's default.
    pub language: Option<Box<Spanned<String>>>,
}

impl SourceFile {
    pub fn new(path: PathBuf, rel: String, text: &str, body_start: usize, body_line: usize) -> SourceFile {
        SourceFile { path, rel, text: Packed::new(text), body_start, body_line, language: None }
    }

    /// The whole text of the file, front matter included (unpacked on each call).
    pub fn text(&self) -> String {
        self.text.unpack()
    }

    /// The Markdown body (unpacked on each call).
    pub fn body(&self) -> String {
        self.body_of(&self.text()).to_string()
    }

    /// The Markdown body in `text` (from `text()`).
    pub fn body_of<'a>(&self, text: &'a str) -> &'a str {
        &text[self.body_start.min(text.len())..]
    }

    /// The file for diagnostics, with its `text` (from `text()`).
    pub fn src<'a>(&'a self, text: &'a str) -> SourceRef<'a> {
        SourceRef { file: &self.rel, text }
    }

    /// The width of line `line` (1-based) of `text` without its trailing spaces, in
    /// characters: what a diagnostic underlines when it points at a whole line.
    pub fn line_width(text: &str, line: usize) -> usize {
        text.lines().nth(line.saturating_sub(1)).map_or(1, |l| l.trim_end().chars().count())
    }
}

#[derive(Debug, Clone)]
pub struct ImageRef {
    /// As written: bundle-relative (`cover.png`) or site-absolute (`/images/x.png`).
    pub src: Spanned<String>,
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Via {
    pub url: String,
    pub name: String,
}

/// The `share:` block of a post or cause (DESIGN §5). Texts are trimmed and never blank;
/// each keeps the place it was written, for the lints and length checks that point at it.
#[derive(Debug, Clone, Default)]
pub struct ShareSpec {
    pub text: Option<Spanned<String>>,
    pub variants: Vec<Spanned<String>>,
    /// `share.<network>`: the base text for one network.
    pub overrides: Vec<(Network, Spanned<String>)>,
    /// Without the leading `#`.
    pub hashtags: Vec<String>,
    pub networks: Option<Vec<Network>>,
}

#[derive(Debug, Clone)]
pub struct Post {
    pub file: SourceFile,
    pub slug: Spanned<String>,
    pub title: String,
    pub date: Spanned<Date>,
    pub authors: Vec<Spanned<String>>,
    /// Markdown, never blank.
    pub summary: Option<Spanned<String>>,
    pub note: Option<String>,
    pub tags: Vec<Spanned<String>>,
    /// The slug of each tag (`slugify` is not free, and every build needs them many times).
    pub tag_slugs: Vec<String>,
    pub image: Option<ImageRef>,
    pub via: Option<Via>,
    pub share: ShareSpec,
    /// Where `featured:` is written; `false` at the file's first line when it is not.
    pub featured: Spanned<bool>,
    pub expires: Option<Date>,
    pub draft: bool,
    pub extra: serde_json::Value,
    /// Files beside `index.md` in a bundle folder, copied next to the page.
    pub assets: Vec<PathBuf>,
    pub bundle_dir: Option<PathBuf>,
    /// `aliases:`: old addresses, as site paths (`/2016/05/09/survey.html`, `/old/path/`),
    /// each published as a redirect page.
    pub aliases: Vec<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub file: SourceFile,
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    pub team: Option<String>,
    pub pronouns: Option<String>,
    pub avatar: Option<ImageRef>,
    pub links: Vec<(String, String)>,
    pub networks: Vec<Network>,
    /// Where `consent:` is written; `false` at the file's first line when it is not.
    pub consent: Spanned<bool>,
    pub withdrawn: bool,
    pub extra: serde_json::Value,
}

impl Person {
    /// Published only with consent and while not withdrawn (DESIGN §3.2).
    pub fn visible(&self) -> bool {
        self.consent.value && !self.withdrawn
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CauseKind {
    Fundraiser,
    Event,
    Exhibit,
    Gig,
    Volunteer,
    Other,
}

impl CauseKind {
    pub(crate) const ALL: [(&'static str, CauseKind); 6] = [
        ("fundraiser", CauseKind::Fundraiser),
        ("event", CauseKind::Event),
        ("exhibit", CauseKind::Exhibit),
        ("gig", CauseKind::Gig),
        ("volunteer", CauseKind::Volunteer),
        ("other", CauseKind::Other),
    ];

    /// The key of its name among the theme's texts (`i18n`): "Fundraiser", "Exhibition", …
    pub fn string_key(self) -> &'static str {
        match self {
            CauseKind::Fundraiser => "cause_kind_fundraiser",
            CauseKind::Event => "cause_kind_event",
            CauseKind::Exhibit => "cause_kind_exhibit",
            CauseKind::Gig => "cause_kind_gig",
            CauseKind::Volunteer => "cause_kind_volunteer",
            CauseKind::Other => "cause_kind_other",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Location {
    Place { name: String, address: Option<String> },
    Online { online: String },
}

#[derive(Debug, Clone)]
pub struct Cause {
    pub file: SourceFile,
    pub slug: Spanned<String>,
    pub title: String,
    pub person: Spanned<String>,
    pub kind: CauseKind,
    pub starts: Spanned<Date>,
    pub ends: Option<Spanned<Date>>,
    /// Whether `starts` and `ends` were written with a time of day (else they are days).
    pub starts_timed: bool,
    pub ends_timed: bool,
    pub location: Option<Location>,
    pub link: Option<String>,
    pub goal: Option<String>,
    pub image: Option<ImageRef>,
    pub share: ShareSpec,
    pub summary: Option<Spanned<String>>,
    pub extra: serde_json::Value,
    /// The moment after which the cause is past: the end of its last day when no time is given.
    pub last: Date,
    pub assets: Vec<PathBuf>,
    pub bundle_dir: Option<PathBuf>,
    /// Old addresses, as for posts.
    pub aliases: Vec<Spanned<String>>,
}

impl Cause {
    pub fn last_moment(&self) -> Date {
        self.last
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub file: SourceFile,
    pub slug: Spanned<String>,
    pub title: String,
    pub summary: Option<Spanned<String>>,
    pub menu: Option<i64>,
    pub extra: serde_json::Value,
    /// Old addresses, as for posts.
    pub aliases: Vec<Spanned<String>>,
}

/// What the checks across files can still use of a file left out of the site because of its
/// errors (a post whose date cannot be read, a cause without a title, a front matter that is
/// not valid YAML): the people it names, its image and its body, as far as they could be
/// read, so that one run reports every mistake of the file, not only the first kind.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub file: SourceFile,
    /// The authors of a post, the owner of a cause.
    pub people: Vec<Spanned<String>>,
    pub image: Option<ImageRef>,
    pub bundle_dir: Option<PathBuf>,
    /// A profile's id (its file name): the person exists, although their profile has errors.
    pub person_id: Option<String>,
}

impl Rejected {
    fn new(file: SourceFile, found: &Found, people: Vec<Spanned<String>>, image: Option<ImageRef>) -> Rejected {
        Rejected { file, people, image, bundle_dir: found.bundle_dir.clone(), person_id: None }
    }
}

#[derive(Debug, Clone)]
pub enum Item {
    Post(Post),
    Person(Person),
    Cause(Cause),
    Page(Page),
    /// A file with errors, kept only for the checks across files.
    Rejected(Rejected),
}

/// A content file found under `content/`, not yet read.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub section: Section,
    /// For `index.md` in a folder: the folder, whose other files are the bundle's assets.
    pub bundle_dir: Option<PathBuf>,
    pub assets: Vec<PathBuf>,
    /// For a translation (`post.de.md`, `index.de.md`): its language and original.
    pub translation: Option<Translation>,
}

/// What a translation's file name says: its language, and the file it translates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub language: String,
    /// `post.md` beside `post.de.md`; `index.md` beside `index.de.md`.
    pub original: PathBuf,
}

/// Lines of the values a translation takes from its original start here: a problem with
/// one of them is the original's, reported there, never at the translation.
pub const INHERITED_LINE: usize = 1 << 40;

/// Keys a translation writes for itself and never takes from its original.
const OWN_KEYS: &[&str] = &["title", "summary", "note", "share", "aliases", "role", "team", "pronouns", "bio"];

/// Keys only an original may set: consent is given once, for every language.
const ORIGINAL_ONLY: &[&str] = &["consent", "withdrawn", "language"];

/// Limits that keep one file from swamping every listing, feed and tag page.
pub const MAX_TITLE: usize = 300;
pub const MAX_TAGS: usize = 30;
/// The largest content file Chorus reads, in bytes (4 MB): checked before the file is read
/// or parsed, so a huge file costs nothing.
pub const MAX_FILE: usize = 4 * 1024 * 1024;
/// The longest one front-matter value may be, in bytes (64 KB): `summary`, `note`, each
/// `share.*` text, `extra` values, everything but the title (`MAX_TITLE`). A longer value is an error, and is cut to
/// this length so that the rest of the run stays quick.
pub const MAX_VALUE: usize = 64 * 1024;
/// The largest page Chorus writes, in bytes (16 MB).
pub const MAX_PAGE: usize = 16 * 1024 * 1024;

/// Reads one content file. Returns the item when its required parts could be read, and
/// every problem found in it either way.
pub fn load(root: &Path, found: &Found, zone: FixedOffset) -> (Option<Item>, Vec<Diagnostic>) {
    // One byte more than the limit tells a file over it, without reading the rest.
    // Sized from the file's length: a buffer grown by doubling holds up to twice the text,
    // and every text stays in memory for the whole build.
    let read = std::fs::File::open(&found.path).and_then(|f| {
        let len = f.metadata().map_or(0, |m| m.len()).min(MAX_FILE as u64 + 1);
        let mut bytes = Vec::with_capacity(len as usize + 1);
        std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_FILE as u64 + 1), &mut bytes)?;
        bytes.shrink_to_fit();
        Ok(bytes)
    });
    match read {
        Ok(bytes) => load_bytes(root, found, zone, bytes),
        Err(e) => (
            None,
            vec![Diagnostic::error(Code::Io, format!("cannot read this file: {e}"))
                .in_file(display_path(root, &found.path))],
        ),
    }
}

/// Reads one content file from its bytes (what `load` does after reading the file; also the
/// entry point for fuzzing).
pub fn load_bytes(root: &Path, found: &Found, zone: FixedOffset, bytes: Vec<u8>) -> (Option<Item>, Vec<Diagnostic>) {
    let rel = display_path(root, &found.path);
    if bytes.len() > MAX_FILE {
        return (
            None,
            vec![Diagnostic::error(
                Code::FileTooLarge,
                format!("this file is larger than {} MB, the most a content file may hold", MAX_FILE >> 20),
            )
            .in_file(rel)
            .at("", 1, 1, 1)
            .with_hint("split the text into several posts or pages; put large media in `static/` or a bundle folder")],
        );
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let column =
                String::from_utf8_lossy(&valid[valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)..])
                    .chars()
                    .count()
                    + 1;
            return (
                None,
                vec![Diagnostic::error(Code::NotUtf8, "this file is not UTF-8 text")
                    .in_file(rel)
                    .at("", line, column, 1)
                    .with_hint("save the file as UTF-8 in your editor; if it is not a text file, move it out of `content/` or into a bundle folder")],
            );
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_string(),
        None => text,
    };
    let mut diags = Vec::new();
    // Invisible control characters (NUL, ESC, …) are not text: no page or feed may carry them.
    let text = if text.chars().any(is_stray_control) {
        let at = text.find(is_stray_control).unwrap_or(0);
        let line = text[..at].matches('\n').count() + 1;
        let column = text[..at].rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        diags.push(
            Diagnostic::warning(
                Code::ControlCharacters,
                "this file contains invisible control characters; they are left out",
            )
            .in_file(&rel)
            .at(&text, line, column, 1)
            .with_hint("they usually come from copying text out of another program; retype the text around this place"),
        );
        text.chars().filter(|&c| !is_stray_control(c)).collect()
    } else {
        text
    };
    let raw_controls = !diags.is_empty();
    // A front matter with YAML errors is still read as far as it can be, so that the keys
    // around the error are checked in the same run.
    let (doc, problems) = frontmatter::read(&text);
    diags.extend(problems.into_iter().map(|d| d.in_file(&rel)));
    let Some(doc) = doc else { return (None, diags) };
    // Escapes in quoted YAML (`"\e"`) spell the same characters; they are left out too.
    if let (Some((line, column)), false) = (doc.controls, raw_controls) {
        diags.push(
            Diagnostic::warning(
                Code::ControlCharacters,
                "this value spells invisible control characters (like `\\e` or `\\0`); they are left out",
            )
            .in_file(&rel)
            .at(&text, line, column, 1)
            .with_hint("remove the `\\` escapes that are not line breaks or tabs"),
        );
    }
    let body_start = text.len() - doc.body.len();
    let body_line = doc.body_line;
    let mut fields = doc.fields;
    let mut lost = doc.lost;
    limit_values(&mut fields, "", &rel, &mut diags);
    let language = match &found.translation {
        Some(t) => {
            let Some(original) = read_original(&t.original) else {
                // `site` reports the missing original; nothing else of the file is read.
                return (None, Vec::new());
            };
            translate(&mut fields, original, &rel, &text, &mut diags);
            Some(Box::new(Spanned { value: t.language.clone(), line: 1, column: 1, len: 3 }))
        }
        None => take_language(&mut fields, &rel, &text, &mut diags).map(Box::new),
    };
    let file = SourceFile { language, ..SourceFile::new(found.path.clone(), rel, &text, body_start, body_line) };
    let item = match found.section {
        Section::Posts => post::read(file, &text, &fields, found, zone, &mut diags).map(Item::Post),
        Section::People => person::read(file, &text, &fields, found, &mut diags).map(Item::Person),
        Section::Causes => cause::read(file, &text, &fields, found, zone, &mut diags).map(Item::Cause),
        Section::Pages => page::read(file, &text, &fields, found, &mut diags).map(Item::Page),
    };
    // A key the YAML error was in is written, only not readable: it is not missing.
    if lost.iter().any(|k| k == "authors") {
        lost.push("author".into());
    }
    diags.retain(|d| !lost.iter().any(|key| crate::fields::says_missing(d, key)));
    (Some(item.unwrap_or_else(Item::Rejected)), diags)
}

/// The front matter of a translation's original, as far as it can be read (its own load
/// reports its problems).
fn read_original(path: &Path) -> Option<Vec<frontmatter::Entry>> {
    let text = std::fs::read_to_string(path).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    frontmatter::read(text).0.map(|doc| doc.fields)
}

/// `language: de` on an original: the language it is written in (a post that exists only in
/// German). The key is taken out, so the readers of each kind need not know it.
fn take_language(
    fields: &mut Vec<frontmatter::Entry>,
    rel: &str,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Spanned<String>> {
    let at = fields.iter().position(|e| e.key == "language")?;
    let e = fields.remove(at);
    match e.value.value.as_text() {
        Some(code) if !code.trim().is_empty() => Some(Spanned::from_node(code.trim().to_string(), &e.value)),
        _ => {
            diags.push(
                Diagnostic::error(Code::WrongType, "`language` should be a language code, like `de`")
                    .in_file(rel)
                    .at(text, e.value.line, e.value.column, e.value.len)
                    .with_hint("write the code of one of the hub's `languages`, or remove the line"),
            );
            None
        }
    }
}

/// Makes a translation's front matter whole: every key of the original it does not write
/// itself (date, authors, tags, image, …), moved to `INHERITED_LINE` and beyond so that no
/// problem of the original is reported twice. Keys only the original may set are errors;
/// authors that differ from the original's are a warning, unless `authors_changed: true`
/// says the difference is meant.
fn translate(
    fields: &mut Vec<frontmatter::Entry>,
    original: Vec<frontmatter::Entry>,
    rel: &str,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) {
    fields.retain(|e| {
        if !ORIGINAL_ONLY.contains(&e.key.as_str()) {
            return true;
        }
        let why = if e.key == "language" {
            "a translation's language is the code in its file name"
        } else {
            "consent is given or withdrawn once, in the original profile, for every language"
        };
        diags.push(
            Diagnostic::error(Code::TranslationKey, format!("a translation cannot set `{}`: {why}", e.key))
                .in_file(rel)
                .at(text, e.line, e.column, e.key.chars().count())
                .with_hint("remove this line; change it in the original file instead"),
        );
        false
    });
    let changed_ok = match fields.iter().position(|e| e.key == "authors_changed") {
        Some(at) => matches!(fields.remove(at).value.value, frontmatter::Yaml::Bool(true)),
        None => false,
    };
    let people = |entries: &[frontmatter::Entry]| -> Option<(Vec<String>, usize, usize, usize)> {
        let e = entries.iter().find(|e| e.key == "author" || e.key == "authors")?;
        let names = match &e.value.value {
            frontmatter::Yaml::Seq(items) => items.iter().filter_map(|n| n.value.as_text()).collect(),
            v => v.as_text().into_iter().collect(),
        };
        Some((names, e.line, e.column, e.key.len()))
    };
    if let (Some((mine, line, column, len)), Some((theirs, ..))) = (people(fields), people(&original)) {
        let (mut a, mut b) = (mine.clone(), theirs.clone());
        a.sort();
        b.sort();
        if a != b && !changed_ok {
            diags.push(
                Diagnostic::warning(
                    Code::TranslationAuthors,
                    format!(
                        "this translation credits {}, but the original credits {}",
                        mine.join(", "),
                        theirs.join(", ")
                    ),
                )
                .in_file(rel)
                .at(text, line, column, len)
                .with_hint("a translation shares its original's authors: remove this line, or add `authors_changed: true` if the credit really differs"),
            );
        }
    }
    let writes = |key: &str| {
        fields.iter().any(|e| e.key == key)
            || (matches!(key, "author" | "authors") && fields.iter().any(|e| e.key == "author" || e.key == "authors"))
    };
    let inherited: Vec<frontmatter::Entry> = original
        .into_iter()
        .filter(|e| !OWN_KEYS.contains(&e.key.as_str()) && !writes(&e.key) && e.key != "language")
        .map(|mut e| {
            e.line += INHERITED_LINE;
            shift(&mut e.value);
            e
        })
        .collect();
    fields.extend(inherited);
}

fn shift(node: &mut frontmatter::Node) {
    node.line += INHERITED_LINE;
    match &mut node.value {
        frontmatter::Yaml::Seq(items) => items.iter_mut().for_each(shift),
        frontmatter::Yaml::Map(entries) => entries.iter_mut().for_each(|e| {
            e.line += INHERITED_LINE;
            shift(&mut e.value);
        }),
        _ => {}
    }
}

/// Cuts every text value longer than `MAX_VALUE` to that length (on a character boundary),
/// with an error naming its key (`share.text`, `extra.bio`, `tags`). Titles are left to
/// `MAX_TITLE`.
fn limit_values(entries: &mut [frontmatter::Entry], prefix: &str, rel: &str, diags: &mut Vec<Diagnostic>) {
    for e in entries {
        let key = format!("{prefix}{}", e.key);
        // A title has its own, much shorter limit (`MAX_TITLE`), with its own message.
        if key != "title" {
            limit_node(&mut e.value, &key, rel, diags);
        }
    }
}

fn limit_node(node: &mut frontmatter::Node, key: &str, rel: &str, diags: &mut Vec<Diagnostic>) {
    match &mut node.value {
        frontmatter::Yaml::String(s) if s.len() > MAX_VALUE => {
            let kb = s.len().div_ceil(1024);
            let mut cut = MAX_VALUE;
            while !s.is_char_boundary(cut) {
                cut -= 1;
            }
            s.truncate(cut);
            // No copy of the line: it is the huge value itself.
            let mut d = Diagnostic::error(
                Code::ValueTooLong,
                format!("`{key}` is {kb} KB long, more than the {} KB one value may hold", MAX_VALUE >> 10),
            )
            .in_file(rel)
            .with_hint("shorten it; long text belongs in the body of the file, below the front matter");
            (d.line, d.column) = (node.line, node.column);
            diags.push(d);
        }
        frontmatter::Yaml::Seq(items) => {
            for item in items {
                limit_node(item, key, rel, diags);
            }
        }
        frontmatter::Yaml::Map(entries) => limit_values(entries, &format!("{key}."), rel, diags),
        _ => {}
    }
}

/// Control characters other than tab and line breaks.
fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}
