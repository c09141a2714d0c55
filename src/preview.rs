//! The live preview's builds: a full build into the preview folder, then, for each batch of
//! changed files, the least work that leaves no page stale.
//!
//! Rules, simplest first: a static file is copied alone; a template change re-renders every
//! page from the content already loaded; an edit to a post that keeps its address, date,
//! authors, tags, image and state reads that file alone (no walk of the hub), swaps the post
//! into the site and re-renders it and the pages that show it (its authors', the page of each
//! of its tags and of the listing it is on, the home page, its feeds, its digest week), with
//! the cards of the last build updated for that post only; anything else reloads the hub,
//! reusing what unchanged files held, and re-renders everything. When unsure, rebuild more.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::build;
use crate::diagnostic::{self, Diagnostic};
use crate::output;
use crate::render::{self, Output, Shared};
use crate::site::{self, PostState, Site};

/// What a post contributes to pages other than its own.
#[derive(Clone, PartialEq, Eq, Debug)]
struct Placement {
    slug: String,
    state: PostState,
    date: String,
    authors: Vec<String>,
    tags: Vec<String>,
    featured: bool,
}

pub struct Preview {
    root: PathBuf,
    out: PathBuf,
    options: site::Options,
    site: Option<Site>,
    templates: Option<tera::Tera>,
    placements: HashMap<String, Placement>,
    /// What was read from each file, reused while the file is unchanged.
    cache: crate::site::LoadCache,
    /// Rendered summaries, reused while a post's summary is unchanged.
    summaries: render::Summaries,
    /// The cards of the last successful build, for edits that keep every post's place.
    parts: Option<render::Parts>,
    /// Rendered bodies of posts in feeds, by file, with a fingerprint of their Markdown.
    bodies: HashMap<String, (u64, String)>,
    /// Site paths written by the last full build, to remove pages that are gone.
    written: HashSet<String>,
    /// Problems of the last rebuild; while it has errors the previous pages stay served.
    pub diagnostics: Vec<Diagnostic>,
}

/// How much a rebuild wrote, since when, and why.
struct Done<'a> {
    pages: usize,
    started: Instant,
    what: &'a str,
}

/// What one rebuild did, for the terminal.
#[derive(Debug)]
pub struct Report {
    pub what: String,
    pub pages: usize,
    pub took: Duration,
    pub ok: bool,
}

#[derive(Debug, PartialEq, Eq)]
enum Change {
    Content(String),
    Static,
    Templates,
    Config,
}

/// Names editors give their temporary and backup files.
pub fn is_temporary(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    name.starts_with(".#")
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with(".crswap")
        || name.contains("___jb_")
        || name == "4913"
        || name == ".DS_Store"
        || name.contains(".chorus-tmp-")
}

impl Preview {
    pub fn new(root: &Path, out: &Path, options: site::Options) -> Preview {
        Preview {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            options,
            site: None,
            templates: None,
            placements: HashMap::new(),
            cache: crate::site::LoadCache::keeping(),
            summaries: render::Summaries::new(),
            parts: None,
            bodies: HashMap::new(),
            written: HashSet::new(),
            diagnostics: Vec::new(),
        }
    }

    pub fn out(&self) -> &Path {
        &self.out
    }

    fn classify(&self, path: &Path) -> Option<Change> {
        let rel = path.strip_prefix(&self.root).ok()?;
        if is_temporary(rel) {
            return None;
        }
        let rel_s = rel.to_string_lossy().replace('\\', "/");
        let first = rel_s.split('/').next().unwrap_or("");
        match first {
            "content" => Some(Change::Content(rel_s)),
            "static" => Some(Change::Static),
            "templates" | "themes" => {
                if rel_s.contains("/static/") {
                    Some(Change::Static)
                } else {
                    Some(Change::Templates)
                }
            }
            _ if rel_s == crate::config::FILE => Some(Change::Config),
            _ => None,
        }
    }

    /// Loads and renders everything.
    pub fn full(&mut self) -> Report {
        let started = Instant::now();
        let (site, diags) = Site::load_cached(&self.root, self.options.clone(), &mut self.cache, &HashSet::new());
        self.diagnostics = diags;
        match site {
            Some(site) if !self.diagnostics.iter().any(Diagnostic::is_error) => {
                self.render_everything(site, started, "everything")
            }
            _ => self.failed(started, "everything"),
        }
    }

    fn failed(&mut self, started: Instant, what: &str) -> Report {
        diagnostic::sort(&mut self.diagnostics);
        Report { what: what.to_string(), pages: 0, took: started.elapsed(), ok: false }
    }

    fn render_everything(&mut self, site: Site, started: Instant, what: &str) -> Report {
        let tera = match self.templates.take() {
            Some(t) => t,
            None => match render::load_templates(&self.root, &site.config.theme) {
                Ok(t) => t,
                Err(d) => {
                    self.diagnostics.extend(d);
                    return self.failed(started, what);
                }
            },
        };
        let out = self.out.clone();
        let shared = Shared::new(&site, &tera, true);
        // Render into memory first: if anything fails, nothing served changes.
        let pages = std::sync::Mutex::new(Vec::new());
        let assets = build::assets(&site);
        let rendered = build::render_all(
            &shared,
            &|o: Output| {
                pages.lock().map_err(|_| std::io::Error::other("poisoned"))?.push(o);
                Ok(())
            },
            &build::static_pages(&assets),
        );
        let mut diags = rendered.diagnostics;
        self.bodies = rendered
            .bodies
            .into_iter()
            .map(|(i, html)| (site.posts[i].file.rel.clone(), (body_key(&site.posts[i]), html)))
            .collect();
        if diags.iter().any(Diagnostic::is_error) {
            self.diagnostics.extend(diags);
            drop(shared);
            self.templates = Some(tera);
            self.parts = None;
            return self.failed(started, what);
        }
        let pages = pages.into_inner().unwrap_or_default();
        let count = pages.len();
        let mut now_written: HashSet<String> = HashSet::new();
        for o in pages {
            if let Err(e) = output::write_atomic(&out, &o.path, o.html.as_bytes()) {
                diags.push(Diagnostic::error("io", format!("cannot write {}: {e}", o.path)));
            }
            now_written.insert(o.path);
        }
        let (paths, asset_diags) = build::copy_assets(&site, &out, &assets, true);
        diags.extend(asset_diags);
        now_written.extend(paths);
        for gone in self.written.difference(&now_written) {
            remove_with_empty_folders(&out, gone);
        }
        self.written = now_written;
        self.summaries = shared.summaries();
        self.placements = placements(&site);
        self.parts = Some(shared.into_parts());
        self.settle(site, tera, diags, Done { pages: count, started, what })
    }

    /// Rebuilds after `paths` changed.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Option<Report> {
        let changes: Vec<Change> = paths.iter().filter_map(|p| self.classify(p)).collect();
        if changes.is_empty() {
            return None;
        }
        let started = Instant::now();
        let names: Vec<String> = paths
            .iter()
            .filter(|p| self.classify(p).is_some())
            .map(|p| diagnostic::display_path(&self.root, p))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let what = names.join(", ");
        if changes.iter().all(|c| *c == Change::Static)
            && self.site.is_some()
            && self.diagnostics.iter().all(|d| !d.is_error())
        {
            return Some(self.copy_static(started, &what));
        }
        if changes.iter().all(|c| *c == Change::Templates || *c == Change::Static)
            && self.diagnostics.iter().all(|d| !d.is_error())
        {
            if let Some(site) = self.site.take() {
                self.templates = None;
                self.diagnostics.retain(|d| d.code != "template");
                match render::load_templates(&self.root, &site.config.theme) {
                    Ok(t) => self.templates = Some(t),
                    Err(d) => {
                        self.diagnostics.extend(d);
                        self.site = Some(site);
                        return Some(self.failed(started, &what));
                    }
                }
                return Some(self.render_everything(site, started, &what));
            }
        }
        let failed_before = self.diagnostics.iter().any(Diagnostic::is_error);
        // The common case, and the one that must feel instant: posts edited in place.
        if !failed_before {
            if let Some(posts) = self.reload_in_place(&changes) {
                return Some(self.render_posts(&posts, started, &what));
            }
        }
        self.parts = None;
        let changed: HashSet<PathBuf> = paths.iter().cloned().collect();
        let (site, diags) = Site::load_cached(&self.root, self.options.clone(), &mut self.cache, &changed);
        self.diagnostics = diags;
        let Some(site) = site.filter(|_| !self.diagnostics.iter().any(Diagnostic::is_error)) else {
            return Some(self.failed(started, &what));
        };
        if changes.iter().any(|c| matches!(c, Change::Config | Change::Templates)) {
            self.templates = None;
        }
        // After a failed rebuild, edits made meanwhile were never rendered: render everything.
        let changed_posts: Option<Vec<usize>> = if failed_before { None } else { self.targetable(&site, &changes) };
        match changed_posts {
            Some(posts) if self.templates.is_some() => {
                self.site = Some(site);
                Some(self.render_posts(&posts, started, &what))
            }
            _ => Some(self.render_everything(site, started, &what)),
        }
    }

    /// When every change is an edit of a post's Markdown file that keeps the post's place
    /// (address, date, authors, tags, state, image), reads those files alone and puts the
    /// posts in place in the site: no walk of the hub, no reload of other files. Returns the
    /// posts to re-render, or `None` (having changed nothing) when a full reload is needed.
    fn reload_in_place(&mut self, changes: &[Change]) -> Option<Vec<usize>> {
        let site = self.site.as_ref()?;
        if self.templates.is_none() || self.parts.is_none() {
            return None;
        }
        let mut edits: Vec<(usize, site::Reread)> = Vec::new();
        for c in changes {
            let Change::Content(rel) = c else { return None };
            if !rel.starts_with("content/posts/") || !rel.ends_with(".md") {
                return None;
            }
            let i = site.posts.iter().position(|p| p.file.rel == *rel)?;
            if edits.iter().any(|(j, _)| *j == i) {
                continue;
            }
            let old = &site.posts[i];
            let path = self.root.join(rel);
            // A file that became a folder, a link or nothing is for the full reload to judge.
            if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                return None;
            }
            let found = crate::content::Found {
                path,
                section: crate::content::Section::Posts,
                bundle_dir: old.bundle_dir.clone(),
                assets: old.assets.clone(),
            };
            let reread = site::LoadCache::read(&self.root, &found, site.config.timezone);
            let Some(crate::content::Item::Post(new)) = &reread.item else { return None };
            if reread.diagnostics.iter().any(Diagnostic::is_error) || !same_place(old, new) {
                return None;
            }
            edits.push((i, reread));
        }
        let site = self.site.as_mut()?;
        let mut posts = Vec::new();
        for (i, reread) in edits {
            self.cache.remember(&reread);
            let Some(crate::content::Item::Post(post)) = reread.item else { continue };
            let rel = post.file.rel.clone();
            let checked = site.replace_post(i, post);
            self.diagnostics.retain(|d| d.file != rel);
            self.diagnostics.extend(reread.diagnostics);
            self.diagnostics.extend(checked.into_iter().filter(|d| d.file == rel));
            posts.push(i);
        }
        Some(posts)
    }

    /// The posts to re-render if only post bodies or titles changed; `None` if more changed.
    fn targetable(&self, site: &Site, changes: &[Change]) -> Option<Vec<usize>> {
        let now = placements(site);
        if now.len() != self.placements.len() {
            return None;
        }
        let mut posts = Vec::new();
        for c in changes {
            let Change::Content(rel) = c else { return None };
            if !rel.starts_with("content/posts/") {
                return None;
            }
            // A bundle's image or the post itself.
            let (i, _) = site.posts.iter().enumerate().find(|(_, p)| {
                p.file.rel == *rel || p.bundle_dir.as_ref().is_some_and(|d| self.root.join(rel).starts_with(d))
            })?;
            let (old, new) = (self.placements.get(&site.posts[i].file.rel)?, now.get(&site.posts[i].file.rel)?);
            let same_place = old.slug == new.slug
                && old.state == new.state
                && old.date == new.date
                && old.authors == new.authors
                && old.tags == new.tags
                && old.featured == new.featured;
            if !same_place || !rel.ends_with(".md") {
                return None;
            }
            if !posts.contains(&i) {
                posts.push(i);
            }
        }
        Some(posts)
    }

    /// Re-renders `posts` and the pages that show them, in the site as it is now. The cards
    /// of the last build are reused when there are any (only these posts' are made again).
    fn render_posts(&mut self, posts: &[usize], started: Instant, what: &str) -> Report {
        let Some(site) = self.site.take() else { return self.failed(started, what) };
        let Some(tera) = self.templates.take() else { return self.render_everything(site, started, what) };
        let reused = self.parts.is_some();
        let shared = match self.parts.take() {
            Some(parts) => {
                let mut shared = Shared::from_parts(&site, &tera, true, parts);
                for &i in posts {
                    shared.update_post(i, None);
                }
                shared
            }
            None => Shared::with_summaries(&site, &tera, true, Some(&self.summaries)),
        };
        let mut outputs: Vec<Output> = Vec::new();
        let mut diags: Vec<Diagnostic> = Vec::new();
        let mut take = |(o, d): (Vec<Output>, Vec<Diagnostic>)| {
            outputs.extend(o);
            diags.extend(d);
        };
        let mut people = HashSet::new();
        let mut tag_pages = HashSet::new();
        let mut listing_pages = HashSet::new();
        let mut weeks = HashSet::new();
        let mut feed_keys = Vec::new();
        for &i in posts {
            let (o, d, body) = shared.post_page(i);
            self.bodies.insert(site.posts[i].file.rel.clone(), (body_key(&site.posts[i]), body));
            take((o.into_iter().collect(), d));
            let post = &site.posts[i];
            people.extend(post.authors.iter().filter_map(|a| site.person_by_id.get(&a.value).copied()));
            for slug in &post.tag_slugs {
                if let Some(n) = site.tags.get(slug).and_then(|tag| shared.page_of(&tag.posts, i)) {
                    tag_pages.insert((slug.clone(), n));
                }
            }
            if let Some(n) = shared.page_of(&site.listed, i) {
                listing_pages.insert(n);
            }
            weeks.insert(crate::dates::iso_week(&post.date.value.with_timezone(&site.config.timezone)));
            feed_keys.extend(crate::feed::keys_for_post(&shared, i));
        }
        for p in people {
            take(shared.person_pages(p));
        }
        for (slug, n) in tag_pages {
            if let Some(tag) = site.tags.get(&slug) {
                take(render::one(shared.tag_listing(tag, n)));
            }
        }
        for n in listing_pages {
            take(render::one(shared.posts_listing(n)));
        }
        if !weeks.is_empty() {
            let all_weeks = crate::digest::weeks(&shared);
            for (n, week) in all_weeks.iter().enumerate() {
                if weeks.contains(week) {
                    take(shared.digest_page(&all_weeks, n).map_or_else(Default::default, render::one));
                }
            }
        }
        take(render::one(shared.home()));
        feed_keys.sort_by_key(|k| format!("{k:?}"));
        feed_keys.dedup();
        // Feeds hold up to twenty bodies each: reuse those rendered before, unchanged since.
        let in_feeds: HashSet<usize> =
            feed_keys.iter().flat_map(|k| crate::feed::entries_of(&shared, k).iter().copied()).collect();
        let bodies: HashMap<usize, String> = in_feeds
            .into_iter()
            .filter_map(|i| {
                let p = &site.posts[i];
                self.bodies.get(&p.file.rel).filter(|(key, _)| *key == body_key(p)).map(|(_, html)| (i, html.clone()))
            })
            .collect();
        outputs.extend(crate::feed::feeds(&shared, &feed_keys, &bodies));
        if diags.iter().any(Diagnostic::is_error) {
            self.diagnostics.extend(diags);
            drop(shared);
            self.templates = Some(tera);
            self.site = Some(site);
            return self.failed(started, what);
        }
        let count = outputs.len();
        for o in outputs {
            if let Err(e) = output::write_atomic(&self.out, &o.path, o.html.as_bytes()) {
                diags.push(Diagnostic::error("io", format!("cannot write {}: {e}", o.path)));
            }
        }
        if !reused {
            self.summaries = shared.summaries();
            self.placements = placements(&site);
        }
        self.parts = Some(shared.into_parts());
        self.settle(site, tera, diags, Done { pages: count, started, what })
    }

    /// Keeps what a successful rebuild used, for the next one, and reports it.
    fn settle(&mut self, site: Site, tera: tera::Tera, diags: Vec<Diagnostic>, done: Done) -> Report {
        self.site = Some(site);
        self.templates = Some(tera);
        self.diagnostics.extend(diags);
        diagnostic::sort(&mut self.diagnostics);
        self.diagnostics.dedup();
        Report {
            what: done.what.to_string(),
            pages: done.pages,
            took: done.started.elapsed(),
            ok: !self.diagnostics.iter().any(Diagnostic::is_error),
        }
    }

    fn copy_static(&mut self, started: Instant, what: &str) -> Report {
        let Some(site) = &self.site else { return self.failed(started, what) };
        let assets = build::assets(site);
        // Copy the changed files alone; remove those that are gone.
        let wanted: HashSet<&str> = assets.iter().map(|(rel, _)| rel.as_str()).collect();
        let (paths, diags) = build::copy_assets(site, &self.out, &assets, true);
        let count = paths.len();
        let gone: Vec<String> = self
            .written
            .iter()
            .filter(|p| {
                !wanted.contains(p.as_str())
                    && !p.ends_with(".html")
                    && !p.ends_with(".xml")
                    && p.as_str() != "robots.txt"
            })
            .cloned()
            .collect();
        for g in &gone {
            remove_with_empty_folders(&self.out, g);
            self.written.remove(g);
        }
        self.written.extend(paths);
        self.diagnostics = diags;
        Report { what: what.to_string(), pages: count, took: started.elapsed(), ok: self.diagnostics.is_empty() }
    }
}

/// Whether an edit leaves a post where it was: same address, date, authors, tags, image
/// and everything that decides whether and where it is listed. Then only the pages that
/// show it need rendering again.
fn same_place(old: &crate::content::Post, new: &crate::content::Post) -> bool {
    let values = |v: &[crate::fields::Spanned<String>]| v.iter().map(|s| s.value.clone()).collect::<Vec<_>>();
    let image = |p: &crate::content::Post| p.image.as_ref().map(|im| (im.src.value.clone(), im.alt.clone()));
    old.slug.value == new.slug.value
        && old.date.value == new.date.value
        && values(&old.authors) == values(&new.authors)
        && values(&old.tags) == values(&new.tags)
        && old.featured.value == new.featured.value
        && old.draft == new.draft
        && old.expires == new.expires
        && image(old) == image(new)
}

/// Removes the output file `rel`, and the folders it leaves empty (never `out` itself), so
/// that a page that is gone leaves no folder behind, as in a full build.
fn remove_with_empty_folders(out: &Path, rel: &str) {
    let path = out.join(rel);
    if std::fs::remove_file(&path).is_err() {
        return;
    }
    let mut dir = path.parent();
    while let Some(d) = dir.filter(|d| *d != out && d.starts_with(out)) {
        // Fails, and stops the climb, as soon as a folder still holds something.
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// A fingerprint of a post's Markdown body.
fn body_key(post: &crate::content::Post) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    post.file.body().hash(&mut h);
    h.finish()
}

fn placements(site: &Site) -> HashMap<String, Placement> {
    site.posts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                p.file.rel.clone(),
                Placement {
                    slug: p.slug.value.clone(),
                    state: site.post_state[i],
                    date: crate::dates::rfc3339(&p.date.value),
                    authors: p.authors.iter().map(|a| a.value.clone()).collect(),
                    tags: p.tags.iter().map(|t| t.value.clone()).collect(),
                    featured: p.featured.value,
                },
            )
        })
        .collect()
}
