//! The content model (DESIGN §3): finding the files under `content/` and reading each one
//! into a typed `Post`, `Person`, `Cause` or `Page`.
//!
//! Each file is read on its own (in parallel, by the caller) and yields the item it
//! describes, if it can, together with every problem found in it. Nothing here looks at
//! other files: cross-checks (authors exist, slugs are unique) belong to `site`.

use std::path::{Path, PathBuf};

use chrono::FixedOffset;
use serde::Serialize;

use crate::config::network_list;
use crate::dates::Date;
use crate::diagnostic::{display_path, Diagnostic};
use crate::fields::{Fields, SourceRef, Spanned};
use crate::frontmatter;
use crate::share::Network;
use crate::slug;

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
    pub text: String,
    /// Byte offset of the Markdown body in `text`.
    pub body_start: usize,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

impl SourceFile {
    pub fn body(&self) -> &str {
        &self.text[self.body_start.min(self.text.len())..]
    }

    pub fn src(&self) -> SourceRef<'_> {
        SourceRef { file: &self.rel, text: &self.text }
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

/// The `share:` block of a post or cause (DESIGN §5).
#[derive(Debug, Clone, Default)]
pub struct ShareSpec {
    pub text: Option<String>,
    pub variants: Vec<String>,
    pub overrides: Vec<(Network, String)>,
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
    pub summary: Option<String>,
    pub note: Option<String>,
    pub tags: Vec<Spanned<String>>,
    /// The slug of each tag (`slugify` is not free, and every build needs them many times).
    pub tag_slugs: Vec<String>,
    pub image: Option<ImageRef>,
    pub via: Option<Via>,
    pub share: ShareSpec,
    pub featured: bool,
    pub expires: Option<Date>,
    pub draft: bool,
    pub extra: serde_json::Value,
    /// Files beside `index.md` in a bundle folder, copied next to the page.
    pub assets: Vec<PathBuf>,
    pub bundle_dir: Option<PathBuf>,
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
    pub consent: bool,
    pub withdrawn: bool,
    pub extra: serde_json::Value,
}

impl Person {
    /// Published only with consent and while not withdrawn (DESIGN §3.2).
    pub fn visible(&self) -> bool {
        self.consent && !self.withdrawn
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
    const ALL: [(&'static str, CauseKind); 6] = [
        ("fundraiser", CauseKind::Fundraiser),
        ("event", CauseKind::Event),
        ("exhibit", CauseKind::Exhibit),
        ("gig", CauseKind::Gig),
        ("volunteer", CauseKind::Volunteer),
        ("other", CauseKind::Other),
    ];

    pub fn label(self) -> &'static str {
        match self {
            CauseKind::Fundraiser => "Fundraiser",
            CauseKind::Event => "Event",
            CauseKind::Exhibit => "Exhibition",
            CauseKind::Gig => "Gig",
            CauseKind::Volunteer => "Volunteering",
            CauseKind::Other => "Cause",
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
    pub location: Option<Location>,
    pub link: Option<String>,
    pub goal: Option<String>,
    pub image: Option<ImageRef>,
    pub share: ShareSpec,
    pub summary: Option<String>,
    pub extra: serde_json::Value,
    /// The moment after which the cause is past: the end of its last day when no time is given.
    pub last: Date,
    pub assets: Vec<PathBuf>,
    pub bundle_dir: Option<PathBuf>,
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
    pub summary: Option<String>,
    pub menu: Option<i64>,
    pub extra: serde_json::Value,
}

#[derive(Debug, Clone)]
pub enum Item {
    Post(Post),
    Person(Person),
    Cause(Cause),
    Page(Page),
}

/// A content file found under `content/`, not yet read.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub section: Section,
    /// For `index.md` in a folder: the folder, whose other files are the bundle's assets.
    pub bundle_dir: Option<PathBuf>,
    pub assets: Vec<PathBuf>,
}

/// Lists the content files of a hub. Symlinks that leave the hub and loops are refused.
pub fn discover(root: &Path) -> (Vec<Found>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut diags = Vec::new();
    let content = root.join("content");
    let canonical_root = match root.canonicalize() {
        Ok(r) => r,
        Err(e) => {
            return (
                found,
                vec![Diagnostic::error("io", format!("cannot open the hub folder {}: {e}", root.display()))],
            )
        }
    };
    let Ok(entries) = std::fs::read_dir(&content) else {
        diags.push(
            Diagnostic::error("no-content", "there is no `content/` folder")
                .with_hint("create `content/posts/`, `content/people/`, `content/causes/` and `content/pages/`"),
        );
        return (found, diags);
    };
    let mut top: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    top.sort();
    for path in top {
        let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        match Section::ALL.iter().find(|s| s.dir() == name) {
            Some(&section) if path.is_dir() => {
                walk_section(root, &canonical_root, &path, section, &mut found, &mut diags)
            }
            _ => diags.push(
                Diagnostic::warning(
                    "unknown-section",
                    format!("`content/{name}` is not part of the hub and is ignored"),
                )
                .in_file(display_path(root, &path))
                .with_hint(
                    "content goes in `content/posts/`, `content/people/`, `content/causes/` or `content/pages/`",
                ),
            ),
        }
    }
    (found, diags)
}

fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('_')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
}

fn walk_section(
    root: &Path,
    canonical_root: &Path,
    dir: &Path,
    section: Section,
    found: &mut Vec<Found>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut walker = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter();
    loop {
        let entry = match walker.next() {
            None => break,
            Some(Ok(e)) => e,
            Some(Err(e)) => {
                // Editors' lock files (`.#post.md`) are dangling links: not content, no error.
                if e.path().and_then(Path::file_name).is_some_and(|n| is_ignored_name(&n.to_string_lossy())) {
                    continue;
                }
                let path = e.path().map(|p| display_path(root, p)).unwrap_or_default();
                let message = if e.loop_ancestor().is_some() {
                    "this symbolic link points back at a folder that contains it".to_string()
                } else {
                    format!("cannot read: {}", e.io_error().map_or_else(|| e.to_string(), |io| io.to_string()))
                };
                diags.push(Diagnostic::error("io", message).in_file(path));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy().to_string();
        if entry.depth() > 0 && is_ignored_name(&name) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink() {
            let target = entry.path().canonicalize().ok();
            let parent = entry.path().parent().and_then(|p| p.canonicalize().ok());
            if let (Some(t), Some(p)) = (&target, &parent) {
                if p.starts_with(t) {
                    diags.push(
                        Diagnostic::error(
                            "symlink-loop",
                            "this symbolic link points back at a folder that contains it",
                        )
                        .in_file(display_path(root, entry.path()))
                        .with_hint("remove the link: the files it points to are already part of the hub"),
                    );
                    walker.skip_current_dir();
                    continue;
                }
            }
            let inside = target.is_some_and(|p| p.starts_with(canonical_root));
            if !inside {
                diags.push(
                    Diagnostic::error("symlink-outside", "this symbolic link points outside the hub and is not read")
                        .in_file(display_path(root, entry.path()))
                        .with_hint("copy the file into the hub instead of linking to it"),
                );
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        let path = entry.path().to_path_buf();
        if entry.file_type().is_dir() {
            if entry.depth() == 0 {
                continue;
            }
            let index = path.join("index.md");
            let index_inside = index.canonicalize().is_ok_and(|p| p.starts_with(canonical_root));
            if index.is_file() && !index_inside {
                diags.push(
                    Diagnostic::error("symlink-outside", "this symbolic link points outside the hub and is not read")
                        .in_file(display_path(root, &index))
                        .with_hint("copy the file into the hub instead of linking to it"),
                );
                walker.skip_current_dir();
                continue;
            }
            if index.is_file() {
                // A bundle: index.md plus assets; nothing inside is read as content.
                let mut assets = list_assets(&path);
                assets.retain(|a| {
                    let ext = a.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
                    let refused = matches!(ext.as_str(), "html" | "htm" | "xhtml" | "js" | "mjs" | "xml");
                    if refused {
                        diags.push(
                            Diagnostic::error("bundle-file", "a page or script cannot be published from a bundle folder")
                                .in_file(display_path(root, a))
                                .with_hint("bundle folders hold images and documents for the post; move this file out of `content/`"),
                        );
                    }
                    !refused
                });
                found.push(Found { path: index, section, bundle_dir: Some(path.clone()), assets });
                walker.skip_current_dir();
            }
            continue;
        }
        if path.extension().is_some_and(|e| e == "md") {
            found.push(Found { path, section, bundle_dir: None, assets: Vec::new() });
        }
    }
}

fn list_assets(dir: &Path) -> Vec<PathBuf> {
    let mut assets: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !is_ignored_name(&e.file_name().to_string_lossy()))
        .map(|e| e.path().to_path_buf())
        .filter(|p| p.file_name().is_none_or(|n| n != "index.md"))
        .collect();
    assets.sort();
    assets
}

/// Limits that keep one file from swamping every listing, feed and tag page.
pub const MAX_TITLE: usize = 300;
pub const MAX_TAGS: usize = 30;

const POST_KEYS: &[&str] = &[
    "title",
    "date",
    "author",
    "authors",
    "summary",
    "note",
    "tags",
    "image",
    "image_alt",
    "via",
    "share",
    "featured",
    "expires",
    "draft",
    "slug",
    "extra",
];
const PERSON_KEYS: &[&str] = &[
    "name",
    "role",
    "team",
    "pronouns",
    "avatar",
    "avatar_alt",
    "links",
    "networks",
    "git_email",
    "consent",
    "withdrawn",
    "extra",
];
const CAUSE_KEYS: &[&str] = &[
    "title",
    "person",
    "kind",
    "starts",
    "ends",
    "location",
    "link",
    "goal",
    "image",
    "image_alt",
    "share",
    "summary",
    "slug",
    "extra",
];
const PAGE_KEYS: &[&str] = &["title", "summary", "menu", "slug", "extra"];
const SHARE_KEYS: &[&str] = &[
    "text", "variants", "hashtags", "networks", "linkedin", "x", "bluesky", "mastodon", "threads", "facebook",
    "reddit", "whatsapp", "telegram", "email",
];

/// Reads one content file. Returns the item when its required parts could be read, and
/// every problem found in it either way.
pub fn load(root: &Path, found: &Found, zone: FixedOffset) -> (Option<Item>, Vec<Diagnostic>) {
    match std::fs::read(&found.path) {
        Ok(bytes) => load_bytes(root, found, zone, bytes),
        Err(e) => (
            None,
            vec![
                Diagnostic::error("io", format!("cannot read this file: {e}")).in_file(display_path(root, &found.path))
            ],
        ),
    }
}

/// Reads one content file from its bytes (what `load` does after reading the file; also the
/// entry point for fuzzing).
pub fn load_bytes(root: &Path, found: &Found, zone: FixedOffset, bytes: Vec<u8>) -> (Option<Item>, Vec<Diagnostic>) {
    let rel = display_path(root, &found.path);
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
                vec![Diagnostic::error("not-utf8", "this file is not UTF-8 text")
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
                "control-characters",
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
    let doc = match frontmatter::parse(&text) {
        Ok(d) => d,
        Err(d) => return (None, vec![d.in_file(rel)]),
    };
    let body_start = text.len() - doc.body.len();
    let body_line = doc.body_line;
    let fields = doc.fields;
    let file = SourceFile { path: found.path.clone(), rel, text: String::new(), body_start, body_line };
    // `fields` borrows nothing from `text`, so the text can move into the item.
    let file = SourceFile { text, ..file };
    let item = {
        let src = file.src();
        match found.section {
            Section::Posts => {
                read_post(src, &fields, found, zone, &mut diags).map(|p| Item::Post(p.finish(file, found)))
            }
            Section::People => read_person(src, &fields, found, &mut diags).map(|p| Item::Person(p.finish(file))),
            Section::Causes => {
                read_cause(src, &fields, found, zone, &mut diags).map(|c| Item::Cause(c.finish(file, found)))
            }
            Section::Pages => read_page(src, &fields, found, &mut diags).map(|p| Item::Page(p.finish(file))),
        }
    };
    (item, diags)
}

/// Control characters other than tab and line breaks.
fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// A file's stem, or its bundle folder's name.
fn stem(found: &Found) -> String {
    let p = found.bundle_dir.as_deref().unwrap_or(&found.path);
    let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    match found.bundle_dir {
        Some(_) => name,
        None => name.strip_suffix(".md").unwrap_or(&name).to_string(),
    }
}

/// The slug from `slug:` or from the file name, checked to be one safe path segment.
fn read_slug(f: &Fields, found: &Found, strip_date: bool, diags: &mut Vec<Diagnostic>) -> Option<Spanned<String>> {
    if let Some(s) = f.text("slug", diags) {
        if slug::is_safe_segment(&s.value) {
            return Some(s);
        }
        let suggestion = slug::slugify(&s.value);
        let mut d = f.src.error(
            "bad-slug",
            format!("the slug `{}` is not a single, simple URL segment", s.value),
            s.line,
            s.column,
            s.len,
        );
        d = if suggestion.is_empty() {
            d.with_hint("use lowercase letters, digits and `-`, e.g. `slug: my-post`")
        } else {
            d.with_hint(format!("use lowercase letters, digits and `-`: `slug: {suggestion}`"))
        };
        diags.push(d);
        return None;
    }
    let stem = stem(found);
    let base = if strip_date { slug::strip_date_prefix(&stem) } else { &stem };
    let s = slug::slugify(base);
    if s.is_empty() {
        diags.push(
            f.src
                .error("bad-slug", format!("the file name `{stem}` gives no usable URL"), 1, 1, 3)
                .with_hint("rename the file with letters or digits, or add `slug: my-post`"),
        );
        return None;
    }
    Some(Spanned { value: s, line: 1, column: 1, len: 3 })
}

fn read_image(f: &Fields, key: &str, alt_key: &str, diags: &mut Vec<Diagnostic>) -> Option<ImageRef> {
    let src = f.text(key, diags);
    let alt = f.text(alt_key, diags);
    match (src, alt) {
        (Some(src), Some(alt)) if !alt.value.trim().is_empty() => {
            let value = src.value.trim();
            if value.starts_with("http://") || value.starts_with("https://") || value.starts_with("//") {
                diags.push(
                    f.src
                        .error("external-image", format!("`{key}` points to another website"), src.line, src.column, src.len)
                        .with_hint("put the image in the hub (beside the post in a bundle folder, or under `static/`) so readers' browsers make no request elsewhere"),
                );
                return None;
            }
            if let Err(why) = crate::fields::check_url(value, true) {
                diags.push(f.src.error("bad-url", format!("`{key}`: {why}"), src.line, src.column, src.len));
                return None;
            }
            if value.split(['/', '\\']).any(|seg| seg == "..") || value.contains('\\') {
                diags.push(
                    f.src
                        .error("path-escape", format!("`{key}` may not use `..` or `\\`"), src.line, src.column, src.len)
                        .with_hint("name the image relative to this file (`cover.png`) or from the site root (`/images/cover.png`)"),
                );
                return None;
            }
            Some(ImageRef { src, alt: alt.value })
        }
        (Some(src), _) => {
            diags.push(
                f.src
                    .error("missing-alt", format!("`{key}` has no `{alt_key}`"), src.line, src.column, src.len)
                    .with_hint(format!("add `{alt_key}: …` describing the image for people who cannot see it")),
            );
            None
        }
        (None, Some(alt)) => {
            diags.push(f.src.warning(
                "alt-without-image",
                format!("`{alt_key}` is set but there is no `{key}`"),
                alt.line,
                alt.column,
                alt.len,
            ));
            None
        }
        (None, None) => None,
    }
}

fn read_share(f: &Fields, diags: &mut Vec<Diagnostic>) -> ShareSpec {
    let Some(s) = f.map("share", SHARE_KEYS, diags) else { return ShareSpec::default() };
    let mut spec = ShareSpec { text: non_empty(&s, "text", diags), ..ShareSpec::default() };
    for v in s.list("variants", diags) {
        if v.value.trim().is_empty() {
            diags.push(
                f.src
                    .error("empty-variant", "this suggested message is empty", v.line, v.column, v.len)
                    .with_hint("write a message, or remove the empty item from `share.variants`"),
            );
        } else {
            spec.variants.push(v.value.trim().to_string());
        }
    }
    for n in Network::ALL {
        if let Some(t) = non_empty(&s, n.id(), diags) {
            spec.overrides.push((n, t));
        }
    }
    for tag in s.list("hashtags", diags) {
        let t = tag.value.trim().trim_start_matches('#');
        if t.is_empty() || !t.chars().all(|c| c.is_alphanumeric() || c == '_') {
            diags.push(
                f.src
                    .error("bad-hashtag", format!("`{}` is not a hashtag", tag.value), tag.line, tag.column, tag.len)
                    .with_hint(
                        "a hashtag is one word of letters, digits or `_`, without spaces, e.g. `CommunityEnergy`",
                    ),
            );
        } else {
            spec.hashtags.push(t.to_string());
        }
    }
    if s.entry("networks").is_some() {
        spec.networks = Some(network_list(&s, "networks", diags));
    }
    spec
}

fn non_empty(f: &Fields, key: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let t = f.text(key, diags)?;
    if t.value.trim().is_empty() {
        diags.push(
            f.src
                .error("empty-value", format!("`share.{key}` is empty"), t.line, t.column, t.len)
                .with_hint("write the message, or remove the key"),
        );
        return None;
    }
    Some(t.value.trim().to_string())
}

/// The parts of a post read from front matter; the file joins them in `finish`.
struct PostParts {
    slug: Spanned<String>,
    title: String,
    date: Spanned<Date>,
    authors: Vec<Spanned<String>>,
    summary: Option<String>,
    note: Option<String>,
    tags: Vec<Spanned<String>>,
    image: Option<ImageRef>,
    via: Option<Via>,
    share: ShareSpec,
    featured: bool,
    expires: Option<Date>,
    draft: bool,
    extra: serde_json::Value,
}

impl PostParts {
    fn finish(self, file: SourceFile, found: &Found) -> Post {
        Post {
            file,
            slug: self.slug,
            title: self.title,
            date: self.date,
            authors: self.authors,
            summary: self.summary,
            note: self.note,
            tag_slugs: self.tags.iter().map(|t| slug::slugify(&t.value)).collect(),
            tags: self.tags,
            image: self.image,
            via: self.via,
            share: self.share,
            featured: self.featured,
            expires: self.expires,
            draft: self.draft,
            extra: self.extra,
            assets: found.assets.clone(),
            bundle_dir: found.bundle_dir.clone(),
        }
    }
}

fn read_authors(f: &Fields, diags: &mut Vec<Diagnostic>) -> Vec<Spanned<String>> {
    let mut authors = f.list("author", diags);
    let more = f.list("authors", diags);
    if !authors.is_empty() && !more.is_empty() {
        let e = f.entry("authors").expect("authors was read");
        diags.push(
            f.src
                .error("author-and-authors", "use either `author` or `authors`, not both", e.line, e.column, 7)
                .with_hint("list everyone under `authors: [ana, ben]`"),
        );
    }
    authors.extend(more);
    let mut seen = std::collections::HashSet::new();
    authors.retain(|a| seen.insert(a.value.clone()));
    authors
}

fn read_post(
    src: SourceRef,
    fields: &[frontmatter::Entry],
    found: &Found,
    zone: FixedOffset,
    diags: &mut Vec<Diagnostic>,
) -> Option<PostParts> {
    let f = Fields::new(src, fields, POST_KEYS, diags);
    let title = f.required_text("title", "add `title: …` with the post's title", diags);
    let date = f.date("date", zone, diags);
    if !f.has("date") {
        f.missing("date", "add `date: 2026-11-20` (the day it is published)", diags);
    }
    let authors = read_authors(&f, diags);
    if authors.is_empty() && !f.has("author") && !f.has("authors") {
        f.missing(
            "author",
            "add `author: your-id`, where `your-id` is the name of your file in `content/people/`",
            diags,
        );
    }
    let slug = read_slug(&f, found, true, diags);
    let via = f.map("via", &["url", "name"], diags).and_then(|v| {
        let url = v.url("url", false, diags);
        if !v.has("url") {
            v.missing("url", "add `url: https://…`, the address of the original", diags);
        }
        let name = v.text("name", diags).map(|n| n.value);
        url.map(|u| Via { name: name.unwrap_or_else(|| host_of(&u.value)), url: u.value })
    });
    let parts = PostParts {
        summary: f.text("summary", diags).map(|s| s.value).filter(|s| !s.trim().is_empty()),
        note: f.text("note", diags).map(|s| s.value).filter(|s| !s.trim().is_empty()),
        tags: f.list("tags", diags),
        image: read_image(&f, "image", "image_alt", diags),
        via,
        share: read_share(&f, diags),
        featured: f.bool("featured", diags).unwrap_or(false),
        expires: f.date("expires", zone, diags).map(|d| d.value),
        draft: f.bool("draft", diags).unwrap_or(false),
        extra: f.extra(),
        slug: slug?,
        title: title?.value,
        date: date?,
        authors,
    };
    if parts.title.chars().count() > MAX_TITLE {
        let e = f.entry("title").expect("title was read");
        diags.push(
            src.error(
                "title-too-long",
                format!("the title is {} characters long", parts.title.chars().count()),
                e.value.line,
                e.value.column,
                3,
            )
            .with_hint(format!("keep titles under {MAX_TITLE} characters; put the rest in `summary:` or the text")),
        );
    }
    if parts.tags.len() > MAX_TAGS {
        let e = f.entry("tags").expect("tags were read");
        diags.push(
            src.error("too-many-tags", format!("this post has {} tags", parts.tags.len()), e.line, e.column, 4)
                .with_hint(format!("use at most {MAX_TAGS} tags: the few that say what the post is about")),
        );
    }
    // Keep going with a bounded post, so one hostile file cannot make the run crawl.
    let mut parts = parts;
    parts.tags.truncate(MAX_TAGS);
    if parts.title.chars().count() > MAX_TITLE {
        parts.title = parts.title.chars().take(MAX_TITLE).collect();
    }
    for tag in &parts.tags {
        if slug::slugify(&tag.value).is_empty() {
            diags.push(src.error(
                "bad-tag",
                format!("the tag `{}` has no letters or digits", tag.value),
                tag.line,
                tag.column,
                tag.len,
            ));
        }
    }
    if parts.authors.is_empty() {
        return None;
    }
    Some(parts)
}

fn host_of(url: &str) -> String {
    url.split("//").nth(1).and_then(|r| r.split('/').next()).unwrap_or(url).to_string()
}

struct PersonParts {
    id: String,
    name: String,
    role: Option<String>,
    team: Option<String>,
    pronouns: Option<String>,
    avatar: Option<ImageRef>,
    links: Vec<(String, String)>,
    networks: Vec<Network>,
    consent: bool,
    withdrawn: bool,
    extra: serde_json::Value,
}

impl PersonParts {
    fn finish(self, file: SourceFile) -> Person {
        Person {
            file,
            id: self.id,
            name: self.name,
            role: self.role,
            team: self.team,
            pronouns: self.pronouns,
            avatar: self.avatar,
            links: self.links,
            networks: self.networks,
            consent: self.consent,
            withdrawn: self.withdrawn,
            extra: self.extra,
        }
    }
}

fn read_person(
    src: SourceRef,
    fields: &[frontmatter::Entry],
    found: &Found,
    diags: &mut Vec<Diagnostic>,
) -> Option<PersonParts> {
    let f = Fields::new(src, fields, PERSON_KEYS, diags);
    let id = stem(found);
    if !slug::is_safe_segment(&id) {
        diags.push(
            src.error("bad-person-id", format!("`{id}` cannot be a person's id"), 1, 1, 3).with_hint(format!(
                "rename the file to `{}.md` (lowercase letters, digits and `-`)",
                slug::slugify(&id)
            )),
        );
        return None;
    }
    let name = f.required_text("name", "add `name: …` with your name as you want it shown", diags);
    let mut links = Vec::new();
    if let Some(l) = f.map_free("links", diags) {
        for e in l.entries() {
            match e.value.value.as_text() {
                Some(url) => match crate::fields::check_url(&url, false) {
                    Ok(()) if url.trim().to_ascii_lowercase().starts_with("mailto:") => diags.push(
                        src.error_at_node(
                            "email-link",
                            format!("`links.{}` is an email address, and those are never published", e.key),
                            &e.value,
                        )
                        .with_hint("link a profile or website instead"),
                    ),
                    Ok(()) => links.push((e.key.clone(), url.trim().to_string())),
                    Err(why) => diags.push(
                        src.error_at_node("bad-url", format!("`links.{}`: {why}", e.key), &e.value)
                            .with_hint(crate::fields::URL_HINT),
                    ),
                },
                None => diags.push(src.error_at_node(
                    "wrong-type",
                    format!("`links.{}` should be a web address", e.key),
                    &e.value,
                )),
            }
        }
    }
    let networks = if f.entry("networks").is_some() { network_list(&f, "networks", diags) } else { Vec::new() };
    let _ = f.text("git_email", diags);
    let parts = PersonParts {
        id,
        name: name?.value,
        role: f.text("role", diags).map(|t| t.value),
        team: f.text("team", diags).map(|t| t.value),
        pronouns: f.text("pronouns", diags).map(|t| t.value),
        avatar: read_image(&f, "avatar", "avatar_alt", diags),
        links,
        networks,
        consent: f.bool("consent", diags).unwrap_or(false),
        withdrawn: f.bool("withdrawn", diags).unwrap_or(false),
        extra: f.extra(),
    };
    Some(parts)
}

struct CauseParts {
    slug: Spanned<String>,
    title: String,
    person: Spanned<String>,
    kind: CauseKind,
    starts: Spanned<Date>,
    ends: Option<Spanned<Date>>,
    location: Option<Location>,
    link: Option<String>,
    goal: Option<String>,
    image: Option<ImageRef>,
    share: ShareSpec,
    summary: Option<String>,
    extra: serde_json::Value,
    last_moment: Date,
}

impl CauseParts {
    fn finish(self, file: SourceFile, found: &Found) -> Cause {
        Cause {
            file,
            slug: self.slug,
            title: self.title,
            person: self.person,
            kind: self.kind,
            starts: self.starts,
            ends: self.ends,
            location: self.location,
            link: self.link,
            goal: self.goal,
            image: self.image,
            share: self.share,
            summary: self.summary,
            extra: self.extra,
            last: self.last_moment,
            assets: found.assets.clone(),
            bundle_dir: found.bundle_dir.clone(),
        }
    }
}

fn read_cause(
    src: SourceRef,
    fields: &[frontmatter::Entry],
    found: &Found,
    zone: FixedOffset,
    diags: &mut Vec<Diagnostic>,
) -> Option<CauseParts> {
    let f = Fields::new(src, fields, CAUSE_KEYS, diags);
    let title = f.required_text("title", "add `title: …` with the cause's name", diags);
    let person = f.required_text(
        "person",
        "add `person: your-id` (your file name in `content/people/`), so the cause is credited to you",
        diags,
    );
    let kind = match f.text("kind", diags) {
        Some(k) => match CauseKind::ALL.iter().find(|(id, _)| *id == k.value.trim().to_lowercase()) {
            Some((_, kind)) => Some(*kind),
            None => {
                let ids = CauseKind::ALL.map(|(id, _)| id);
                let mut d =
                    src.error("unknown-kind", format!("unknown kind of cause `{}`", k.value), k.line, k.column, k.len);
                d = match crate::diagnostic::suggest(&k.value, ids) {
                    Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                    None => d.with_hint(format!("the kinds are {}", ids.join(", "))),
                };
                diags.push(d);
                None
            }
        },
        None => Some(CauseKind::Other),
    };
    let starts = f.date("starts", zone, diags);
    if !f.has("starts") {
        f.missing("starts", "add `starts: 2026-12-06` (the day it begins)", diags);
    }
    let ends = f.date("ends", zone, diags);
    // `ends: 2026-12-06` (or only `starts:`) means the cause lasts until that day is over.
    let last_text =
        f.text(if f.has("ends") { "ends" } else { "starts" }, &mut Vec::new()).map(|t| t.value).unwrap_or_default();
    let whole_day = !last_text.contains(['T', ':']);
    if let (Some(s), Some(e)) = (&starts, &ends) {
        if e.value < s.value {
            diags.push(
                src.error("dates-reversed", "the cause ends before it starts", e.line, e.column, e.len)
                    .with_hint("check `starts` and `ends`: `ends` must be the same as or later than `starts`"),
            );
        }
    }
    let location = match f.entry("location").map(|e| &e.value.value) {
        Some(frontmatter::Yaml::Map(_)) => f.map("location", &["name", "address", "online"], diags).and_then(|l| {
            if l.has("online") {
                l.url("online", false, diags).map(|u| Location::Online { online: u.value })
            } else {
                match l.text("name", diags) {
                    Some(n) => {
                        Some(Location::Place { name: n.value, address: l.text("address", diags).map(|a| a.value) })
                    }
                    None => {
                        l.missing("name", "add `name: …` (where it takes place) or `online: https://…`", diags);
                        None
                    }
                }
            }
        }),
        Some(frontmatter::Yaml::Null) | None => None,
        Some(_) => f.text("location", diags).map(|t| Location::Place { name: t.value, address: None }),
    };
    let slug = read_slug(&f, found, true, diags);
    Some(CauseParts {
        link: f.url("link", false, diags).map(|u| u.value),
        goal: f.text("goal", diags).map(|t| t.value),
        image: read_image(&f, "image", "image_alt", diags),
        share: read_share(&f, diags),
        summary: f.text("summary", diags).map(|t| t.value),
        extra: f.extra(),
        location,
        slug: slug?,
        title: title?.value,
        person: person?,
        kind: kind?,
        last_moment: {
            let last = ends.as_ref().or(starts.as_ref()).map(|d| d.value);
            match (last, whole_day) {
                (Some(d), true) => d.checked_add_signed(chrono::Duration::seconds(86_399)).unwrap_or(d),
                (Some(d), false) => d,
                (None, _) => return None,
            }
        },
        starts: starts?,
        ends,
    })
}

struct PageParts {
    slug: Spanned<String>,
    title: String,
    summary: Option<String>,
    menu: Option<i64>,
    extra: serde_json::Value,
}

impl PageParts {
    fn finish(self, file: SourceFile) -> Page {
        Page { file, slug: self.slug, title: self.title, summary: self.summary, menu: self.menu, extra: self.extra }
    }
}

fn read_page(
    src: SourceRef,
    fields: &[frontmatter::Entry],
    found: &Found,
    diags: &mut Vec<Diagnostic>,
) -> Option<PageParts> {
    let f = Fields::new(src, fields, PAGE_KEYS, diags);
    let title = f.required_text("title", "add `title: …`", diags);
    let menu = match f.entry("menu").map(|e| &e.value.value) {
        Some(frontmatter::Yaml::Bool(true)) => Some(0),
        Some(frontmatter::Yaml::Bool(false)) | None => None,
        Some(_) => f.integer("menu", diags).map(|n| n.value),
    };
    let slug = read_slug(&f, found, false, diags);
    Some(PageParts {
        summary: f.text("summary", diags).map(|t| t.value),
        extra: f.extra(),
        menu,
        slug: slug?,
        title: title?.value,
    })
}
