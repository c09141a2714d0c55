//! Images that are safe to publish: every raster image of the output (bundle files, `static/`,
//! front-matter `image:` and `avatar:`, Markdown images) is decoded, turned upright by its
//! EXIF orientation, stripped of every kind of metadata and published as content-hashed
//! files: WebP variants at `images.widths` and a fallback in the original format. SVGs are
//! sanitized (`svg`). Refused inputs (too big, damaged, unreadable formats) become
//! diagnostics at the place that names them.
//!
//! Results are kept in the hub's `.chorus-cache/` by a hash of the source bytes and the
//! settings, so a later build or `serve` reuses them; the cache changes speed, never bytes:
//! every encoder here is deterministic and single-threaded per image (images run in parallel
//! on rayon).
//!
//! This module owns the image files of the output and the `Published` table that pages,
//! cards, feeds and the digest read. It must not render pages or read content files.

mod encode;
mod pictures;
pub mod strip;
pub mod svg;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::diagnostic::{self, Code, Diagnostic};
use crate::fields::Fields;

pub use pictures::Pictures;

/// The hub's cache folder (git-ignored by a `.gitignore` inside it).
pub const CACHE_DIR: &str = ".chorus-cache";

/// Raises whenever the bytes this module produces for the same input change, so old cache
/// entries (and file names) are not reused.
const PIPELINE: &str = "chorus-images-1";

/// Originals larger than this are refused before they are read.
pub const MAX_BYTES: u64 = 25 * 1024 * 1024;
/// Originals with more pixels than this are refused from their header, before decoding.
pub const MAX_PIXELS: u64 = 40_000_000;

/// `images:` in chorus.yaml.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Widths of the WebP variants, ascending; never upscaled.
    pub widths: Vec<u32>,
    /// Lossy WebP (and JPEG fallback) quality, 1–100.
    pub quality: u8,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { widths: vec![480, 960, 1600], quality: 80 }
    }
}

/// Reads `images: { widths: [...], quality: N }` from chorus.yaml.
pub fn settings(f: &Fields, diags: &mut Vec<Diagnostic>) -> Settings {
    let mut s = Settings::default();
    let Some(m) = f.map("images", &["widths", "quality"], diags) else { return s };
    if m.has("widths") {
        let mut widths = Vec::new();
        for w in m.list("widths", diags) {
            match w.value.trim().parse::<u32>() {
                Ok(n) if (16..=8192).contains(&n) => widths.push(n),
                _ => diags.push(
                    f.src
                        .error(
                            Code::BadValue,
                            format!("`{}` is not an image width Chorus can make", w.value),
                            w.line,
                            w.column,
                            w.len,
                        )
                        .with_hint("write widths in pixels between 16 and 8192, e.g. `widths: [480, 960, 1600]`"),
                ),
            }
        }
        widths.sort_unstable();
        widths.dedup();
        if !widths.is_empty() {
            s.widths = widths;
        }
    }
    if let Some(q) = m.integer("quality", diags) {
        if (1..=100).contains(&q.value) {
            s.quality = q.value as u8;
        } else {
            diags.push(
                f.src
                    .error(Code::BadValue, "`images.quality` must be between 1 and 100", q.line, q.column, q.len)
                    .with_hint("80 is a good balance of size and quality for photos"),
            );
        }
    }
    s
}

/// The kinds of image the pipeline knows by their file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Raster,
    Svg,
    /// A photo format that cannot be read (HEIC, AVIF, TIFF, RAW…).
    Unreadable(&'static str),
}

fn kind_of(rel: &str) -> Option<Kind> {
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    Some(match ext.as_str() {
        "jpg" | "jpeg" | "png" | "gif" | "webp" => Kind::Raster,
        "svg" => Kind::Svg,
        "heic" | "heif" => Kind::Unreadable("HEIC"),
        "avif" => Kind::Unreadable("AVIF"),
        "tif" | "tiff" => Kind::Unreadable("TIFF"),
        "dng" | "cr2" | "cr3" | "nef" | "arw" | "orf" | "rw2" => Kind::Unreadable("camera RAW"),
        _ => return None,
    })
}

/// Whether the pipeline takes this file (by its name) instead of copying it.
pub fn handles(rel: &str) -> bool {
    kind_of(rel).is_some()
}

/// Why an image is not published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: Code,
    pub message: String,
    pub hint: String,
}

impl Refusal {
    fn new(code: Code, message: impl Into<String>, hint: impl Into<String>) -> Refusal {
        Refusal { code, message: message.into(), hint: hint.into() }
    }
}

/// What a Markdown image at `dest` on the page at site path `page` finds.
pub fn found(published: &Published, page: &str, dest: &str) -> crate::markdown::ImageFound {
    use crate::markdown::ImageFound;
    if crate::fields::is_external(dest) || dest.contains(':') {
        return ImageFound::Other;
    }
    let path = if dest.starts_with('/') {
        dest.to_string()
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        format!("{dir}/{dest}")
    };
    // `a/../b` as a browser reads it; never above the root.
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let path = parts.join("/");
    match published.lookup(&path) {
        Lookup::Picture(p) => {
            ImageFound::Picture { src: p.src.clone(), srcset: p.srcset(), width: p.width, height: p.height }
        }
        Lookup::Svg => match published.svg_size(&path) {
            Some((width, height)) => ImageFound::Sized { width, height },
            None => ImageFound::Other,
        },
        Lookup::Refused(r) => ImageFound::Refused { code: r.code, message: r.message.clone(), hint: r.hint.clone() },
        Lookup::Unknown => ImageFound::Other,
    }
}

/// A refusal's message, said at a reference to the file (`src` as written there).
pub fn about(message: &str, src: &str) -> String {
    for (from, to) in [
        ("this image", format!("the image `{src}`")),
        ("this SVG", format!("the SVG `{src}`")),
        ("this is", format!("`{src}` is")),
        ("this file", format!("`{src}`")),
    ] {
        if let Some(rest) = message.strip_prefix(from) {
            return format!("{to}{rest}");
        }
    }
    format!("`{src}`: {message}")
}

/// Where a published file's bytes are.
#[derive(Clone, Debug)]
pub enum Bytes {
    /// In the cache folder.
    Cached(PathBuf),
    /// In memory (the cache could not be written).
    Held(std::sync::Arc<Vec<u8>>),
}

/// One WebP variant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    /// Site path, with a leading `/`.
    pub url: String,
    pub width: u32,
}

/// A raster image as published.
#[derive(Clone, Debug)]
pub struct Picture {
    /// The fallback, in the original format: site path with a leading `/`.
    pub src: String,
    /// Size of the fallback (upright), which `<img width height>` give.
    pub width: u32,
    pub height: u32,
    pub variants: Vec<Variant>,
    /// Every file to write: site path (no leading `/`) and bytes. The original's own path
    /// gets the fallback's bytes, so links to it keep working without its metadata.
    files: Vec<(String, Bytes)>,
}

impl Picture {
    /// `srcset` of the WebP variants.
    pub fn srcset(&self) -> String {
        self.variants.iter().map(|v| format!("{} {}w", v.url, v.width)).collect::<Vec<_>>().join(", ")
    }

    /// The largest WebP variant, for previews and feeds that take one image.
    pub fn largest(&self) -> Option<&Variant> {
        self.variants.last()
    }
}

/// What became of one image file.
#[derive(Debug)]
pub enum Entry {
    Picture(Picture),
    /// A sanitized SVG: its bytes and what was removed.
    Svg {
        bytes: Vec<u8>,
        removed: Vec<String>,
    },
    Refused(Refusal),
}

struct Slot {
    entry: Entry,
    /// The file it came from, as the hub shows it.
    file: String,
    /// Set when a page, card or front matter named it (its problems are reported there).
    referenced: AtomicBool,
}

/// Every image of the output, by site path (`posts/x/photo.jpg`, no leading `/`).
#[derive(Default)]
pub struct Published {
    slots: BTreeMap<String, Slot>,
}

/// What a reference to an image finds.
pub enum Lookup<'a> {
    Picture(&'a Picture),
    /// An SVG, published as it is (sanitized): no variants.
    Svg,
    Refused(&'a Refusal),
    /// Not an image this pipeline handled (a missing file is reported elsewhere).
    Unknown,
}

impl Published {
    /// Looks up the image at a site path (with or without the leading `/`, query and
    /// fragment ignored, percent-escapes decoded), marking it as referenced.
    pub fn lookup(&self, site_path: &str) -> Lookup<'_> {
        let path = site_path.split(['?', '#']).next().unwrap_or("");
        let path = percent_encoding::percent_decode_str(path.trim_start_matches('/')).decode_utf8_lossy();
        let Some(slot) = self.slots.get(path.as_ref()) else { return Lookup::Unknown };
        slot.referenced.store(true, Ordering::Relaxed);
        match &slot.entry {
            Entry::Picture(p) => Lookup::Picture(p),
            Entry::Svg { .. } => Lookup::Svg,
            Entry::Refused(r) => Lookup::Refused(r),
        }
    }

    /// The bytes a social card draws for an image: the smallest WebP variant of a photo,
    /// or the sanitized SVG, with its MIME type.
    pub fn card_bytes(&self, site_path: &str) -> Option<(&'static str, Vec<u8>)> {
        let path = site_path.split(['?', '#']).next().unwrap_or("");
        let path = percent_encoding::percent_decode_str(path.trim_start_matches('/')).decode_utf8_lossy();
        match &self.slots.get(path.as_ref())?.entry {
            Entry::Svg { bytes, .. } => Some(("image/svg+xml", bytes.clone())),
            Entry::Picture(p) => {
                let smallest = p.variants.first()?;
                let rel = smallest.url.trim_start_matches('/');
                let (_, b) = p.files.iter().find(|(r, _)| r == rel)?;
                let bytes = match b {
                    Bytes::Held(v) => v.to_vec(),
                    Bytes::Cached(path) => std::fs::read(path).ok()?,
                };
                Some(("image/webp", bytes))
            }
            Entry::Refused(_) => None,
        }
    }

    /// The size an SVG declares (its `width`/`height`, else its `viewBox`).
    pub fn svg_size(&self, site_path: &str) -> Option<(u32, u32)> {
        let path = site_path.split(['?', '#']).next().unwrap_or("");
        let path = percent_encoding::percent_decode_str(path.trim_start_matches('/')).decode_utf8_lossy();
        match &self.slots.get(path.as_ref())?.entry {
            Entry::Svg { bytes, .. } => {
                let tree = resvg::usvg::Tree::from_data(bytes, &resvg::usvg::Options::default()).ok()?;
                let s = tree.size();
                Some((s.width().round().max(1.0) as u32, s.height().round().max(1.0) as u32))
            }
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The site paths this pipeline writes in place of copying (the originals' paths).
    pub fn handles(&self, rel: &str) -> bool {
        self.slots.contains_key(rel)
    }

    /// Refused images nobody referenced are reported at the file itself; referenced ones were
    /// reported where they are named. SVGs that lost something get a warning at the file.
    /// Call after every page and card was made.
    pub fn diagnostics(&self, root: &Path) -> Vec<Diagnostic> {
        let _ = root;
        let mut out = Vec::new();
        for slot in self.slots.values() {
            match &slot.entry {
                Entry::Refused(r) if !slot.referenced.load(Ordering::Relaxed) => {
                    out.push(Diagnostic::error(r.code, r.message.clone()).in_file(&slot.file).with_hint(r.hint.clone()));
                }
                Entry::Svg { removed, .. } if !removed.is_empty() => out.push(
                    Diagnostic::warning(
                        Code::SvgUnsafe,
                        format!("this SVG is published without {}", removed.join(", ")),
                    )
                    .in_file(&slot.file)
                    .with_hint(
                        "an SVG opened on its own runs with the hub's rights, so scripts, event handlers and links to other sites are taken out; remove them from the file to silence this",
                    ),
                ),
                _ => {}
            }
        }
        out
    }

    /// Writes every published image file under `out`.
    pub fn write(&self, out: &Path, writes: crate::build::Writes) -> (Vec<String>, Vec<Diagnostic>) {
        // (output path, a processed file, or a sanitized SVG's bytes)
        type Job<'a> = (String, Option<&'a Bytes>, Option<&'a [u8]>);
        let mut jobs: Vec<Job> = Vec::new();
        for (rel, slot) in &self.slots {
            match &slot.entry {
                Entry::Picture(p) => jobs.extend(p.files.iter().map(|(r, b)| (r.clone(), Some(b), None))),
                Entry::Svg { bytes, .. } => jobs.push((rel.clone(), None, Some(bytes.as_slice()))),
                Entry::Refused(_) => {}
            }
        }
        // Identical files (an image used twice) are written once.
        jobs.sort_by(|a, b| a.0.cmp(&b.0));
        jobs.dedup_by(|a, b| a.0 == b.0);
        let results: Vec<Result<String, Diagnostic>> = jobs
            .par_iter()
            .map(|(rel, bytes, inline)| {
                if let (Some(Bytes::Cached(path)), crate::build::Writes::Direct) = (bytes, writes) {
                    return crate::output::link_under(out, rel, path)
                        .map(|_| rel.clone())
                        .map_err(|e| Diagnostic::error(Code::Io, format!("cannot write {rel}: {e}")));
                }
                let data: std::borrow::Cow<[u8]> = match (bytes, inline) {
                    (Some(Bytes::Held(b)), _) => std::borrow::Cow::Borrowed(b.as_slice()),
                    (Some(Bytes::Cached(path)), _) => std::borrow::Cow::Owned(std::fs::read(path).map_err(|e| {
                        Diagnostic::error(Code::Io, format!("cannot read the cached image {}: {e}", path.display()))
                            .with_hint(format!("delete the `{CACHE_DIR}` folder and build again"))
                    })?),
                    (None, Some(b)) => std::borrow::Cow::Borrowed(*b),
                    (None, None) => std::borrow::Cow::Borrowed(&[][..]),
                };
                let written = if writes == crate::build::Writes::Atomic {
                    crate::output::write_atomic(out, rel, &data)
                } else {
                    crate::output::write_under(out, rel, &data)
                };
                written
                    .map(|_| rel.clone())
                    .map_err(|e| Diagnostic::error(Code::Io, format!("cannot write {rel}: {e}")))
            })
            .collect();
        let mut paths = Vec::new();
        let mut diags = Vec::new();
        for r in results {
            match r {
                Ok(p) => paths.push(p),
                Err(d) => diags.push(d),
            }
        }
        (paths, diags)
    }
}

/// Writes a new file of the cache, read-only: published files may be hard links to it
/// (`output::link_under`), and a file opened from the output must not be able to change it.
pub(crate) fn write_cache_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // A read-only leftover of a killed build would refuse the write.
    let _ = std::fs::remove_file(path);
    std::fs::write(path, bytes)?;
    let mut permissions = std::fs::metadata(path)?.permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(path, permissions)
}

/// How a run uses the hub's cache folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheUse {
    /// Reuse entries and store new ones (`build`, `serve`), creating the folder if need be.
    Fill,
    /// Reuse entries if the folder exists, never write (`check`, which writes nothing).
    Read,
}

/// Processes every image among `files` (site path, file on disk), using the cache in
/// `root/.chorus-cache` as `cache` says.
pub fn prepare(root: &Path, files: &[(String, PathBuf)], settings: &Settings, cache: CacheUse) -> Published {
    let cache_dir = match cache {
        CacheUse::Fill => open_cache(root),
        CacheUse::Read => existing_cache(root),
    };
    let store = cache == CacheUse::Fill;
    let slots: Vec<(String, Slot)> = files
        .par_iter()
        .filter_map(|(rel, file)| {
            let kind = kind_of(rel)?;
            let entry = match kind {
                Kind::Svg => svg_entry(file),
                Kind::Unreadable(name) => Entry::Refused(unreadable_format(name, rel)),
                Kind::Raster => raster_entry(rel, file, settings, cache_dir.as_deref(), store),
            };
            let slot = Slot { entry, file: diagnostic::display_path(root, file), referenced: AtomicBool::new(false) };
            Some((rel.clone(), slot))
        })
        .collect();
    Published { slots: slots.into_iter().collect() }
}

/// The cache folder if it exists and is a real folder (never a link out of the hub).
fn existing_cache(root: &Path) -> Option<PathBuf> {
    let dir = root.join(CACHE_DIR);
    std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()).then_some(dir)
}

/// The cache folder, created with a `.gitignore` that ignores it; `None` when it cannot be.
pub(crate) fn open_cache(root: &Path) -> Option<PathBuf> {
    let dir = root.join(CACHE_DIR);
    // Never follow a link out of the hub.
    if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return None;
    }
    std::fs::create_dir_all(dir.join("images")).ok()?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        let _ = std::fs::write(&ignore, "# Chorus's cache of processed images and social cards: safe to delete.\n*\n");
    }
    Some(dir)
}

fn svg_entry(file: &Path) -> Entry {
    match read_limited(file) {
        Err(r) => Entry::Refused(r),
        Ok(bytes) => match svg::sanitize(&bytes) {
            Ok((bytes, removed)) => Entry::Svg { bytes, removed },
            Err(why) => Entry::Refused(Refusal::new(
                Code::ImageUnreadable,
                format!("this SVG cannot be read: {why}"),
                "open it in an SVG editor (Inkscape, Figma, Illustrator) and export it again as plain SVG",
            )),
        },
    }
}

fn unreadable_format(name: &str, rel: &str) -> Refusal {
    let stem = Path::new(rel).file_stem().map_or("photo".into(), |s| s.to_string_lossy().to_string());
    let how = match name {
        "HEIC" => format!(
            "convert it to JPEG and name that instead: on a Mac, open it in Preview and choose File › Export › JPEG; on Linux, `heif-convert {stem}.heic {stem}.jpg`; on Windows, open it in Photos and choose Save as › JPG. On an iPhone, Settings › Camera › Formats › Most Compatible takes JPEG photos from then on"
        ),
        _ => format!(
            "convert it to JPEG (photos) or PNG (screenshots, drawings) and name that instead, e.g. `convert {stem}.{} {stem}.jpg` with ImageMagick",
            Path::new(rel).extension().map_or(String::new(), |e| e.to_string_lossy().to_string())
        ),
    };
    Refusal::new(
        Code::ImageFormat,
        format!("this is a {name} image, which Chorus cannot publish (it publishes JPEG, PNG, WebP, GIF and SVG)"),
        how,
    )
}

/// Reads a file, refusing one over `MAX_BYTES` before reading it.
fn read_limited(file: &Path) -> Result<Vec<u8>, Refusal> {
    let len = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    if len > MAX_BYTES {
        return Err(Refusal::new(
            Code::ImageTooLarge,
            format!(
                "this image is {} MB, more than the {} MB Chorus accepts",
                len.div_ceil(1024 * 1024),
                MAX_BYTES >> 20
            ),
            "export a smaller version (no photo on a web page needs more than about 4000 pixels across), e.g. `convert big.jpg -resize 4000x4000 -quality 85 smaller.jpg`",
        ));
    }
    std::fs::read(file).map_err(|e| {
        Refusal::new(Code::Io, format!("this image cannot be read: {e}"), "check that the file exists and can be read")
    })
}

/// A hex digest of the source and everything that decides the output's bytes.
fn key(bytes: &[u8], settings: &Settings, rel_ext: &str) -> String {
    let mut h = Sha256::new();
    h.update(PIPELINE.as_bytes());
    h.update(format!("{:?}|{}|{}|", settings.widths, settings.quality, rel_ext).as_bytes());
    h.update(bytes);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn raster_entry(rel: &str, file: &Path, settings: &Settings, cache: Option<&Path>, store: bool) -> Entry {
    let bytes = match read_limited(file) {
        Ok(b) => b,
        Err(r) => return Entry::Refused(r),
    };
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let key = key(&bytes, settings, &ext);
    let dir = cache.map(|c| c.join("images").join(&key));
    let made = match dir.as_deref().and_then(encode::Made::load) {
        Some(made) => made,
        None => match encode::process(&bytes, &ext, settings) {
            Ok(mut made) => {
                if let Some(d) = dir.as_ref().filter(|_| store) {
                    made.store(d);
                }
                made
            }
            Err(r) => return Entry::Refused(r),
        },
    };
    Entry::Picture(made.publish(rel, &key[..16], dir.as_deref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_known_by_name() {
        assert_eq!(kind_of("a/b.JPG"), Some(Kind::Raster));
        assert_eq!(kind_of("x.svg"), Some(Kind::Svg));
        assert_eq!(kind_of("IMG_0001.HEIC"), Some(Kind::Unreadable("HEIC")));
        assert_eq!(kind_of("notes.txt"), None);
    }

    #[test]
    fn heic_says_how_to_convert() {
        let r = unreadable_format("HEIC", "posts/x/IMG_0001.heic");
        assert_eq!(r.code, Code::ImageFormat);
        assert!(r.message.starts_with("this is a HEIC image, which Chorus cannot publish"), "{}", r.message);
        assert!(r.hint.contains("heif-convert IMG_0001.heic IMG_0001.jpg"), "{}", r.hint);
    }
}
