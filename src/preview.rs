//! The live preview's builds: a full build into the preview folder, then, for each batch of
//! changed files, the least work that leaves no page stale.
//!
//! Rules, simplest first: a static file is copied alone; a template change re-renders every
//! page from the content already loaded; an edit to a post that keeps its address, date,
//! authors, tags, image and state reads that file alone (no walk of the hub), swaps the post
//! into the site and re-renders it and the pages that show it (its authors', the page of each
//! of its tags and of the listing it is on, the home page, its feeds, its digest week), with
//! the cards of the last build updated for that post only, and the site checked for that
//! post only (`Site::replace_post`); anything else reloads the hub, reusing what unchanged
//! files held, and re-renders everything into a staging folder that replaces the preview
//! folder in one atomic exchange, only when nothing failed. When unsure, rebuild more.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::build;
use crate::cards::{Cards, Summaries};
use crate::content::Post;
use crate::diagnostic::Code;
use crate::diagnostic::{self, Diagnostic};
use crate::output;
use crate::render::{self, Audience, Output, Renderer};
use crate::site::{self, PostId, Site};

/// Where a post stands among the other pages: everything that decides whether it is listed
/// and where. An edit that keeps it changes only the pages that show the post. This is
/// the one definition of "kept its place".
#[derive(Clone, PartialEq, Eq, Debug)]
struct Placement {
    slug: String,
    date: String,
    authors: Vec<String>,
    tags: Vec<String>,
    featured: bool,
    draft: bool,
    expires: Option<String>,
    image: Option<String>,
    /// Its aliases' redirect pages point at its address.
    aliases: Vec<String>,
}

impl Placement {
    fn of(post: &Post) -> Placement {
        Placement {
            slug: post.slug.value.clone(),
            date: crate::dates::rfc3339(&post.date.value),
            authors: post.authors.iter().map(|a| a.value.clone()).collect(),
            tags: post.tags.iter().map(|t| t.value.clone()).collect(),
            featured: post.featured.value,
            draft: post.draft,
            expires: post.expires.as_ref().map(crate::dates::rfc3339),
            image: post.image.as_ref().map(|im| im.src.value.clone()),
            aliases: post.aliases.iter().map(|a| a.value.clone()).collect(),
        }
    }
}

/// What the last successful build was made from, kept whole for the next one: the site,
/// its templates, its cards and where each post stood. There is a session only after a
/// build without errors; any failure ends it, and the next change rebuilds everything.
struct Session {
    site: Site,
    templates: tera::Tera,
    cards: Cards,
    /// The digest's weeks (`digest::weeks`), which an edit in place cannot change: listing
    /// them again means a pass over every listed post.
    weeks: Vec<String>,
    /// What the search index is made of, by document (`search::Kept`).
    search: Option<crate::search::Kept>,
    /// The published images of the last full rebuild (edits in place render with them).
    images: crate::images::Published,
}

/// What the last build of a hub with several languages left for the next: every language's
/// site and files. An edit renders again only the languages it touches; the others' files
/// are carried over from the preview as they are (hard links, never rewritten).
struct Languages {
    /// One session per language, the default language first, as `Site::load_languages`
    /// returns their sites: a post edited in place is rendered again in its language's.
    sessions: Vec<Session>,
    output: LanguageFiles,
}

/// What the languages' pages were, and what each wrote.
struct LanguageFiles {
    translations: crate::translations::Translations,
    /// By language, in the order of the sites: every file it wrote (kept up to date by
    /// edits in place), and its part of the sitemap (`build::LanguageBuild`).
    built: Vec<(HashSet<String>, Vec<String>)>,
}

pub struct Preview {
    root: PathBuf,
    out: PathBuf,
    options: site::Options,
    session: Option<Session>,
    /// The same, for a hub with several languages.
    languages: Option<Languages>,
    /// What was read from each file, reused while the file is unchanged.
    cache: site::LoadCache,
    /// Rendered summaries, reused while a post's summary is unchanged.
    summaries: Summaries,
    /// Rendered bodies of posts in feeds, by file, with a fingerprint of their Markdown.
    bodies: HashMap<String, (u64, crate::feed::Body)>,
    /// Site paths written by the last full build, to remove pages that are gone.
    written: HashSet<String>,
    /// Problems of the last rebuild; while it has errors the previous pages stay served.
    pub diagnostics: Vec<Diagnostic>,
    /// The search index being written after an edit in place, on a thread of its own so
    /// that the pages (and the browser's reload) never wait for it.
    search_jobs: Vec<Job<SearchWrite>>,
    /// The social cards of an edit in place, drawn on a thread of their own too: drawing
    /// takes longer than rendering the pages, and the preview shows no card.
    cards_jobs: Vec<Job<SearchWrite>>,
}

/// The language an edit in place renders in, in a hub with several.
struct Language<'a> {
    /// Its position among the languages.
    at: usize,
    /// Every language's pages.
    translations: &'a crate::translations::Translations,
    /// The files it has in the preview, for carrying them over later.
    files: &'a mut HashSet<String>,
}

/// Posts read again for an edit in place.
type Edits = Vec<(PostId, site::Reread)>;

/// Posts read again for an edit in place, by language (its position).
type Rereads = Vec<(usize, Edits)>;

/// Work left to a thread after an edit in place, for the language at that position (in a
/// hub with several) or the site.
type Job<T> = (Option<usize>, std::thread::JoinHandle<T>);

/// What a background write of the search index or the cards did: its files, those it
/// removed, and the problems.
struct SearchWrite {
    paths: Vec<String>,
    gone: Vec<String>,
    diagnostics: Vec<Diagnostic>,
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
            session: None,
            languages: None,
            cache: site::LoadCache::keeping(),
            summaries: Summaries::new(),
            bodies: HashMap::new(),
            written: HashSet::new(),
            diagnostics: Vec::new(),
            search_jobs: Vec::new(),
            cards_jobs: Vec::new(),
        }
    }

    /// Waits until the search index and the social cards of the last edit are written (they
    /// are written in the background after an edit in place). Every rebuild waits first.
    pub fn wait_for_background(&mut self) {
        let cards = std::mem::take(&mut self.cards_jobs).into_iter().map(|j| {
            (j, "the social cards could not be drawn after the last edit; they are drawn again with the next change")
        });
        let search = std::mem::take(&mut self.search_jobs).into_iter().map(|j| {
            (j, "the search index could not be written after the last edit; it is written again with the next change")
        });
        for ((language, job), failed) in cards.chain(search).collect::<Vec<_>>() {
            let Ok(w) = job.join() else {
                self.diagnostics.push(Diagnostic::error(Code::Io, failed));
                continue;
            };
            // A language's list of files, for carrying them over when another is rendered.
            let mut files = language.and_then(|i| self.languages.as_mut().map(|l| &mut l.output.built[i].0));
            for g in &w.gone {
                self.written.remove(g);
                if let Some(files) = files.as_mut() {
                    files.remove(g);
                }
            }
            if let Some(files) = files.as_mut() {
                files.extend(w.paths.iter().cloned());
            }
            self.written.extend(w.paths);
            self.diagnostics.extend(w.diagnostics);
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
            // The theme's texts change the words of every page, as its templates do.
            "i18n" => Some(Change::Templates),
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
        self.wait_for_background();
        self.reload_everything(Instant::now(), "everything", &HashSet::new(), None)
    }

    fn failed(&mut self, started: Instant, what: &str) -> Report {
        self.session = None;
        self.languages = None;
        build::one_error_per_cause(&mut self.diagnostics);
        diagnostic::sort(&mut self.diagnostics);
        // Loading and the templates both report a theme folder that leads outside.
        self.diagnostics.dedup();
        Report { what: what.to_string(), pages: 0, took: started.elapsed(), ok: false }
    }

    /// Loads the hub (reusing what unchanged files held) and the checks on it.
    fn load(&mut self, changed: &HashSet<PathBuf>) -> Option<Vec<Site>> {
        let (sites, diags) = Site::load_languages(&self.root, self.options.clone(), &mut self.cache, changed);
        self.diagnostics = diags;
        let site = sites.first()?;
        for site in &sites {
            self.diagnostics.extend(crate::lint::cadence(site));
        }
        self.diagnostics.retain(|d| d.line < crate::content::INHERITED_LINE);
        let failed = self.diagnostics.iter().any(Diagnostic::is_error);
        // Nothing is rendered after a content error, but a broken template must still be
        // shown beside it, as `check` does.
        if let (true, Err(d)) = (failed, render::load_templates(&self.root, &site.config().theme)) {
            self.diagnostics.extend(d);
        }
        (!failed).then_some(sites)
    }

    /// Reloads the hub and renders every page; `templates` are reused when given.
    fn reload_everything(
        &mut self,
        started: Instant,
        what: &str,
        changed: &HashSet<PathBuf>,
        templates: Option<tera::Tera>,
    ) -> Report {
        self.session = None;
        self.languages = None;
        let Some(mut sites) = self.load(changed) else { return self.failed(started, what) };
        if sites.len() > 1 {
            let every = vec![true; sites.len()];
            return self.render_languages(sites, templates, &every, None, started, what);
        }
        let Some(site) = sites.pop() else { return self.failed(started, what) };
        self.render_everything(site, templates, started, what)
    }

    /// A hub with several languages: the languages marked in `touched` rendered as `build`
    /// renders them, the others' files carried over from `last` (hard links to the
    /// preview's files) with their sessions, all into a staging folder swapped in whole.
    /// Every language is rendered when there is no `last`, or when a language gained, lost
    /// or moved a page: then every page's alternates and switcher may change.
    fn render_languages(
        &mut self,
        sites: Vec<Site>,
        templates: Option<tera::Tera>,
        touched: &[bool],
        last: Option<Languages>,
        started: Instant,
        what: &str,
    ) -> Report {
        let theme = sites.first().map(|s| s.config().theme.clone()).unwrap_or_default();
        let templates = match templates.map_or_else(|| render::load_templates(&self.root, &theme), Ok) {
            Ok(t) => t,
            Err(d) => {
                self.diagnostics.extend(d);
                return self.failed(started, what);
            }
        };
        let translations = crate::translations::Translations::new(&sites, build::section_pages);
        let last = last.filter(|l| l.output.translations == translations && l.sessions.len() == sites.len());
        let staging = match output::Staging::create(&self.out) {
            Ok(s) => s,
            Err(e) => {
                self.diagnostics.push(Diagnostic::error(
                    Code::Io,
                    format!("cannot create a folder next to the preview {}: {e}", self.out.display()),
                ));
                return self.failed(started, what);
            }
        };
        let pass = build::Pass { audience: Audience::Preview, progress: false, timings: None, release_memory: None };
        let mut clock = build::Clock::new();
        let n = sites.len();
        let base = sites.first().map(|s| s.config().base_url.clone()).unwrap_or_default();
        let again: Vec<bool> = (0..n).map(|i| last.is_none() || touched.get(i).copied().unwrap_or(true)).collect();
        let rendered: Vec<String> =
            sites.iter().zip(&again).filter(|(_, a)| **a).map(|(s, _)| s.config().language.clone()).collect();
        let mut sessions: Vec<Option<Session>> = (0..n).map(|_| None).collect();
        let mut built: Vec<(HashSet<String>, Vec<String>)> = vec![(HashSet::new(), Vec::new()); n];
        let mut diags = Vec::new();
        let mut count = 0;
        // The languages rendered again write first; a file they share with a language carried
        // over (a processed image, a card) is theirs, and is never linked over.
        for (i, site) in sites.into_iter().enumerate() {
            if !again[i] {
                continue;
            }
            let b = build::build_language(&site, &templates, &staging, Some(&translations), &pass, &mut clock);
            count += b.pages;
            diags.extend(b.diagnostics);
            built[i] = (b.files.into_iter().collect(), b.listed);
            if let Some(kept) = b.kept {
                self.bodies.extend(
                    kept.bodies
                        .into_iter()
                        .map(|(id, html)| (site.post(id).file.rel.clone(), (body_key(site.post(id)), html))),
                );
                let weeks = crate::digest::weeks(&site);
                let (cards, images, search) = (kept.cards, kept.images, kept.search);
                sessions[i] = Some(Session { site, templates: templates.clone(), cards, weeks, search, images });
            }
        }
        if let Some(last) = last {
            let carried = last.sessions.into_iter().zip(last.output.built).enumerate().filter(|(i, _)| !again[*i]);
            for (i, (session, files)) in carried {
                for rel in &files.0 {
                    if let Err(e) = carry_over(&self.out, staging.path(), rel) {
                        diags.push(Diagnostic::error(Code::Io, format!("cannot write {rel}: {e}")));
                    }
                }
                built[i] = files;
                sessions[i] = Some(session);
            }
        }
        // The one sitemap, in the order `build` writes it: the default language last.
        let order = (1..n).chain(std::iter::once(0));
        let listed: Vec<String> = order.flat_map(|i| built[i].1.iter().cloned()).collect();
        let w = build::write_sitemap(&base, &listed, &translations, &staging);
        count += w.paths.len();
        diags.extend(w.diagnostics);
        diags.retain(|d| d.line < crate::content::INHERITED_LINE);
        if diags.iter().any(Diagnostic::is_error) {
            staging.abandon();
            self.diagnostics.extend(diags);
            return self.failed(started, what);
        }
        let staged = staging.path().to_path_buf();
        if let Err(e) = staging.commit() {
            let _ = std::fs::remove_dir_all(&staged);
            self.diagnostics.push(Diagnostic::error(
                Code::Io,
                format!("cannot put the new preview in place at {}: {e}", self.out.display()),
            ));
            return self.failed(started, what);
        }
        self.written = built.iter().flat_map(|(files, _)| files.iter().cloned()).chain(w.paths).collect();
        self.diagnostics.extend(diags);
        build::one_error_per_cause(&mut self.diagnostics);
        diagnostic::sort(&mut self.diagnostics);
        self.diagnostics.dedup();
        let what = if again.iter().all(|a| *a) {
            what.to_string()
        } else {
            format!("{what} (rendered again in {})", rendered.join(", "))
        };
        let sessions: Option<Vec<Session>> = sessions.into_iter().collect();
        self.languages = sessions.map(|sessions| Languages { sessions, output: LanguageFiles { translations, built } });
        Report { what, pages: count, took: started.elapsed(), ok: true }
    }

    /// After `changes` in a hub with several languages: posts edited in place are rendered
    /// again in their languages' sessions, as in a hub with one; anything else reloads what
    /// changed and renders again the languages the changes touch (`touched_languages`), the
    /// others carried over.
    fn apply_languages(
        &mut self,
        last: Languages,
        changes: &[Change],
        paths: &[PathBuf],
        started: Instant,
        what: &str,
    ) -> Report {
        if changes.contains(&Change::Config) {
            return self.reload_everything(started, what, &paths.iter().cloned().collect(), None);
        }
        // A changed image is published under a new name, which every language's pages show.
        let image = paths.iter().any(|p| crate::images::handles(&p.to_string_lossy()));
        if !image {
            if let Some(edits) = self.reread_languages(&last, changes) {
                return self.render_languages_in_place(last, edits, started, what);
            }
        }
        let every = vec![true; last.sessions.len()];
        let templates = changes.iter().all(|c| *c != Change::Templates);
        if !templates {
            self.diagnostics.retain(|d| d.code != Code::Template);
        }
        let Some(sites) = self.load(&paths.iter().cloned().collect()) else { return self.failed(started, what) };
        if sites.len() != last.sessions.len() {
            return self.render_languages(sites, None, &every, None, started, what);
        }
        let touched = if !templates || image {
            every
        } else {
            let before: Vec<&Site> = last.sessions.iter().map(|s| &s.site).collect();
            touched_languages(changes, &before, &sites.iter().collect::<Vec<_>>())
        };
        let tera = templates.then(|| last.sessions[0].templates.clone());
        self.render_languages(sites, tera, &touched, Some(last), started, what)
    }

    /// When every change is an edit of a post's file that keeps the post's place in every
    /// language that shows it (as itself, or as the original of a translation, which takes
    /// its date, authors and tags), reads those files alone: the edits by language, or
    /// `None`, having changed nothing, when anything else changed.
    fn reread_languages(&self, last: &Languages, changes: &[Change]) -> Option<Rereads> {
        let mut edits = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for (i, session) in last.sessions.iter().enumerate() {
            let (found, reread) = self.reread(&session.site, changes)?;
            seen.extend(found);
            if !reread.is_empty() {
                edits.push((i, reread));
            }
        }
        let every = changes.iter().all(|c| matches!(c, Change::Content(rel) if seen.contains(rel.as_str())));
        every.then_some(edits)
    }

    /// Puts the posts edited in place into their languages' sessions and renders them, and
    /// the pages that show them, in each.
    fn render_languages_in_place(
        &mut self,
        mut last: Languages,
        edits: Rereads,
        started: Instant,
        what: &str,
    ) -> Report {
        let mut count = 0;
        let mut diags = Vec::new();
        let LanguageFiles { translations, built } = &mut last.output;
        for (i, reread) in edits {
            let posts = self.put_in_place(&mut last.sessions[i], reread);
            let language = Language { at: i, translations, files: &mut built[i].0 };
            match self.render_posts_in(&mut last.sessions[i], &posts, Some(language)) {
                Ok((n, d)) => {
                    count += n;
                    diags.extend(d);
                }
                Err(d) => {
                    self.diagnostics.extend(d);
                    return self.failed(started, what);
                }
            }
        }
        self.diagnostics.extend(diags);
        build::one_error_per_cause(&mut self.diagnostics);
        diagnostic::sort(&mut self.diagnostics);
        self.diagnostics.dedup();
        let ok = !self.diagnostics.iter().any(Diagnostic::is_error);
        self.languages = ok.then_some(last);
        Report { what: what.to_string(), pages: count, took: started.elapsed(), ok }
    }

    fn render_everything(&mut self, site: Site, templates: Option<tera::Tera>, started: Instant, what: &str) -> Report {
        let templates = match templates.map_or_else(|| render::load_templates(&self.root, &site.config().theme), Ok) {
            Ok(t) => t,
            Err(d) => {
                self.diagnostics.extend(d);
                return self.failed(started, what);
            }
        };
        let mut cards = Cards::new(&site, Some(&self.summaries));
        // Images and social cards as `build` makes them (from the hub's cache).
        let assets = build::assets(&site);
        let pictures = crate::images::Pictures::prepare(&site, &assets, &mut cards, crate::images::CacheUse::Fill);
        let assets: Vec<(String, build::Asset)> =
            assets.into_iter().filter(|(rel, _)| !pictures.handles(rel)).collect();
        let mut renderer = Renderer::new(&site, &templates, &cards, Audience::Preview);
        renderer.images = Some(&pictures.images);
        // Render into a staging folder beside the preview, as `build` does, and swap it in
        // whole only when nothing failed: a failed rebuild changes nothing served, and the
        // pages never wait in memory.
        let staging = match output::Staging::create(&self.out) {
            Ok(s) => s,
            Err(e) => {
                self.diagnostics.push(Diagnostic::error(
                    Code::Io,
                    format!("cannot create a folder next to the preview {}: {e}", self.out.display()),
                ));
                return self.failed(started, what);
            }
        };
        let rendered = build::render_all(
            &renderer,
            &|o: Output| staging.write(&o.path, o.html.as_bytes()),
            &build::static_pages(&assets),
        );
        let mut diags = rendered.diagnostics;
        diags.extend(pictures.diagnostics(&site));
        self.bodies = rendered
            .bodies
            .into_iter()
            .map(|(id, html)| (site.post(id).file.rel.clone(), (body_key(site.post(id)), html)))
            .collect();
        let count = rendered.paths.len();
        let mut now_written: HashSet<String> = rendered.paths.into_iter().collect();
        if !diags.iter().any(Diagnostic::is_error) {
            let (paths, asset_diags) = build::copy_assets(&site, staging.path(), &assets, build::Writes::Direct);
            diags.extend(asset_diags);
            now_written.extend(paths);
            let (paths, picture_diags) = pictures.write(&site, staging.path(), build::Writes::Direct);
            diags.extend(picture_diags);
            now_written.extend(paths);
        }
        if diags.iter().any(Diagnostic::is_error) {
            staging.abandon();
            self.diagnostics.extend(diags);
            return self.failed(started, what);
        }
        // One atomic exchange of the two folders (what `build` does): the preview's path
        // names the old folder or the new one, never nothing, and `serve` resolves every
        // request against that path. The old folder is removed after.
        let staged = staging.path().to_path_buf();
        if let Err(e) = staging.commit() {
            let _ = std::fs::remove_dir_all(&staged);
            self.diagnostics.push(Diagnostic::error(
                Code::Io,
                format!("cannot put the new preview in place at {}: {e}", self.out.display()),
            ));
            return self.failed(started, what);
        }
        // Pages that are gone went with the old folder; `written` now lists the new one, for
        // `copy_static` to remove static files that go later.
        self.written = now_written;
        self.summaries = cards.summaries(&site);
        let weeks = crate::digest::weeks(&site);
        let search = rendered.search;
        let images = pictures.images;
        self.settle(Session { site, templates, cards, weeks, search, images }, diags, count, started, what)
    }

    /// Rebuilds after `paths` changed.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Option<Report> {
        let changes: Vec<Change> = paths.iter().filter_map(|p| self.classify(p)).collect();
        if changes.is_empty() {
            return None;
        }
        let started = Instant::now();
        self.wait_for_background();
        let names: Vec<String> = paths
            .iter()
            .filter(|p| self.classify(p).is_some())
            .map(|p| diagnostic::display_path(&self.root, p))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let what = names.join(", ");
        if let Some(last) = self.languages.take() {
            return Some(self.apply_languages(last, &changes, paths, started, &what));
        }
        // A session exists only after a build without errors.
        let Some(session) = self.session.take() else {
            return Some(self.reload_everything(started, &what, &paths.iter().cloned().collect(), None));
        };
        // A changed image is processed as a full rebuild does.
        let image = paths.iter().any(|p| crate::images::handles(&p.to_string_lossy()));
        if changes.iter().all(|c| *c == Change::Static) && !image {
            self.session = Some(session);
            return Some(self.copy_static(started, &what));
        }
        if changes.iter().all(|c| *c == Change::Templates || *c == Change::Static) {
            self.diagnostics.retain(|d| d.code != Code::Template);
            return Some(self.render_everything(session.site, None, started, &what));
        }
        // The common case, and the one that must feel instant: posts edited in place.
        let mut session = session;
        if let Some(posts) = self.reload_in_place(&mut session, &changes) {
            return Some(self.render_posts(session, &posts, started, &what));
        }
        // Anything else: reload what changed and render everything. When unsure, rebuild more.
        let templates =
            (!changes.iter().any(|c| matches!(c, Change::Config | Change::Templates))).then_some(session.templates);
        let changed: HashSet<PathBuf> = paths.iter().cloned().collect();
        Some(self.reload_everything(started, &what, &changed, templates))
    }

    /// When every change is an edit of a post's Markdown file that keeps the post's place,
    /// reads those files alone and puts the posts in place in the site: no walk of the hub,
    /// no reload of other files. Returns the posts to re-render, or `None`, having changed
    /// nothing, when a full reload is needed.
    fn reload_in_place(&mut self, session: &mut Session, changes: &[Change]) -> Option<Vec<PostId>> {
        let (found, edits) = self.reread(&session.site, changes)?;
        if found.len() < changes.len() {
            return None;
        }
        Some(self.put_in_place(session, edits))
    }

    /// Reads again the posts of `site` that `changes` edit (a changed file, or the original
    /// of a translation), each as it was found before. Returns the changed files that
    /// `site` has posts for and the posts read, or `None` when a change is not a post's
    /// Markdown file, or an edit moves a post (`Placement`) or has an error.
    fn reread<'c>(&self, site: &Site, changes: &'c [Change]) -> Option<(Vec<&'c str>, Edits)> {
        let mut edits: Edits = Vec::new();
        let mut found_files = Vec::new();
        for c in changes {
            let Change::Content(rel) = c else { return None };
            if !rel.starts_with("content/posts/") || !rel.ends_with(".md") {
                return None;
            }
            let key =
                |p: &Post| crate::translations::key_of(&p.file.rel, p.file.language.as_ref().map(|l| l.value.as_str()));
            let shown: Vec<(PostId, &Post)> =
                site.posts().filter(|(_, p)| p.file.rel == *rel || key(p) == *rel).collect();
            if shown.is_empty() {
                continue;
            }
            found_files.push(rel.as_str());
            for (id, old) in shown {
                if edits.iter().any(|(j, _)| *j == id) {
                    continue;
                }
                let path = self.root.join(&old.file.rel);
                // A file that became a folder, a link or nothing is for the full reload to judge.
                if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                    return None;
                }
                let original = key(old);
                let translation = (original != old.file.rel).then(|| crate::content::Translation {
                    language: site.config().language.clone(),
                    original: self.root.join(&original),
                });
                let found = crate::content::Found {
                    path,
                    section: crate::content::Section::Posts,
                    bundle_dir: old.bundle_dir.clone(),
                    assets: old.assets.clone(),
                    translation,
                };
                let mut reread = site::LoadCache::read(&self.root, &found, site.config().timezone);
                // A value a translation takes from its original is checked at the original.
                reread.diagnostics.retain(|d| d.line < crate::content::INHERITED_LINE);
                let Some(crate::content::Item::Post(new)) = &reread.item else { return None };
                if reread.diagnostics.iter().any(Diagnostic::is_error) || Placement::of(old) != Placement::of(new) {
                    return None;
                }
                edits.push((id, reread));
            }
        }
        Some((found_files, edits))
    }

    /// Puts posts read again into the session's site, with their cards and search
    /// documents, and the problems of their files. Returns the posts to render again.
    fn put_in_place(&mut self, session: &mut Session, edits: Edits) -> Vec<PostId> {
        let mut posts = Vec::new();
        for (id, reread) in edits {
            self.cache.remember(&reread);
            let Some(crate::content::Item::Post(post)) = reread.item else { continue };
            let rel = post.file.rel.clone();
            let mut checked = session.site.replace_post(id, post);
            checked.extend(crate::lint::cadence(&session.site));
            checked.retain(|d| d.line < crate::content::INHERITED_LINE);
            self.diagnostics.retain(|d| d.file != rel);
            self.diagnostics.extend(reread.diagnostics);
            self.diagnostics.extend(checked.into_iter().filter(|d| d.file == rel));
            session.cards.update_post(&session.site, id);
            if let Some(search) = &mut session.search {
                search.update_post(&session.site, id);
            }
            posts.push(id);
        }
        posts
    }

    /// Re-renders `posts` and the pages that show them, in the session's site.
    fn render_posts(&mut self, mut session: Session, posts: &[PostId], started: Instant, what: &str) -> Report {
        match self.render_posts_in(&mut session, posts, None) {
            Ok((count, diags)) => self.settle(session, diags, count, started, what),
            Err(diags) => {
                self.diagnostics.extend(diags);
                self.failed(started, what)
            }
        }
    }

    /// Renders `posts` and the pages that show them from `session` into the preview, and
    /// leaves their cards and the search index to threads of their own. In a hub with
    /// several languages, `language` is the session's position and every language's pages.
    /// Returns the number of files written and the problems, or, when rendering found an
    /// error, the problems alone, having written nothing.
    fn render_posts_in(
        &mut self,
        session: &mut Session,
        posts: &[PostId],
        mut language: Option<Language>,
    ) -> Result<(usize, Vec<Diagnostic>), Vec<Diagnostic>> {
        let redrawn = self.redraw_cards(session, posts, language.as_mut());
        let site = &session.site;
        let mut renderer = Renderer::new(site, &session.templates, &session.cards, Audience::Preview);
        renderer.images = Some(&session.images);
        renderer.translations = language.as_ref().map(|l| l.translations);
        let mut outputs: Vec<Output> = Vec::new();
        // The edited posts' summaries were prepared again with their cards.
        let mut diags: Vec<Diagnostic> = session
            .cards
            .diagnostics()
            .iter()
            .filter(|d| posts.iter().any(|&id| site.post(id).file.rel == d.file))
            .cloned()
            .chain(redrawn)
            .collect();
        let mut take = |r: render::Rendered| {
            outputs.extend(r.outputs);
            diags.extend(r.diagnostics);
        };
        let mut people = HashSet::new();
        let mut tag_pages = HashSet::new();
        let mut listing_pages = HashSet::new();
        let mut weeks = HashSet::new();
        let mut feed_keys = Vec::new();
        for &id in posts {
            let post = site.post(id);
            let mut page = renderer.post(id);
            if let Some(body) = page.body.take() {
                self.bodies.insert(post.file.rel.clone(), (body_key(post), crate::feed::Body::new(&body)));
            }
            take(page);
            people.extend(post.authors.iter().filter_map(|a| site.person_by_id(&a.value)));
            for slug in &post.tag_slugs {
                if let Some(tag) = site.tag_by_slug(slug) {
                    if let Some(n) = renderer.page_of(&site.tag(tag).posts, id) {
                        tag_pages.insert((tag, n));
                    }
                }
            }
            if let Some(n) = renderer.page_of(site.listed(), id) {
                listing_pages.insert(n);
            }
            weeks.insert(crate::dates::iso_week(&post.date.value.with_timezone(&site.config().timezone)));
            feed_keys.extend(crate::feed::keys_for_post(site, id));
        }
        for p in people {
            take(renderer.person(p));
        }
        for (tag, n) in tag_pages {
            take(renderer.tag_listing(tag, n));
        }
        for n in listing_pages {
            take(renderer.posts_listing(n));
        }
        for (n, week) in session.weeks.iter().enumerate() {
            if weeks.contains(week) {
                take(renderer.digest_week(&session.weeks, n));
            }
        }
        take(renderer.home());
        // Its archive lists the newest posts' titles.
        take(renderer.search_page());
        feed_keys.sort();
        feed_keys.dedup();
        // Feeds hold up to twenty bodies each: reuse those rendered before, unchanged since.
        let mut in_feeds: Vec<PostId> =
            feed_keys.iter().flat_map(|k| crate::feed::entries_of(site, k).iter().copied()).collect();
        in_feeds.sort_unstable();
        in_feeds.dedup();
        let bodies: HashMap<PostId, crate::feed::Body> = in_feeds
            .into_iter()
            .map(|id| {
                let p = site.post(id);
                let kept = self.bodies.get(&p.file.rel).filter(|(key, _)| *key == body_key(p));
                let html = match kept {
                    Some((_, body)) => body.clone(),
                    // Rendered as its page renders it, with its images as published.
                    None => crate::feed::Body::new(&renderer.post(id).body.unwrap_or_default()),
                };
                (id, html)
            })
            .collect();
        outputs.extend(crate::feed::feeds(site, &session.cards, &feed_keys, &bodies));
        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags);
        }
        let count = outputs.len();
        for o in outputs {
            if let Err(e) = output::write_atomic(&self.out, &o.path, o.html.as_bytes()) {
                diags.push(Diagnostic::error(Code::Io, format!("cannot write {}: {e}", o.path)));
            }
        }
        if let Some(search) = session.search.clone() {
            let prefix = site.config().prefix.trim_start_matches('/').to_string();
            self.write_search_later(search, prefix, language.map(|l| l.at));
        }
        Ok((count, diags))
    }

    /// Plans the edited posts' social cards again (a title or a date may have changed),
    /// removes the cards they replace and writes the new ones in the background (drawn, or
    /// from the hub's cache), as a full build would leave them.
    fn redraw_cards(
        &mut self,
        session: &mut Session,
        posts: &[PostId],
        mut language: Option<&mut Language>,
    ) -> Vec<Diagnostic> {
        let url =
            |cards: &Cards, id: PostId| cards.post(id).and_then(|c| c.social_image.as_ref()).map(|i| i.url.clone());
        let old: Vec<Option<String>> = posts.iter().map(|&id| url(&session.cards, id)).collect();
        let plan = crate::social::Plan::posts(&session.site, &session.cards, &session.images, posts);
        let diags = plan.diagnostics.clone();
        for (&id, old) in posts.iter().zip(old) {
            session.cards.use_post_card(&session.site, id, &plan.urls);
            if let Some(old) = old.filter(|o| Some(o) != url(&session.cards, id).as_ref()) {
                let rel = old.trim_start_matches('/');
                remove_with_empty_folders(&self.out, rel);
                self.written.remove(rel);
                if let Some(l) = language.as_mut() {
                    l.files.remove(rel);
                }
            }
        }
        let (root, out) = (self.root.clone(), self.out.clone());
        let job = std::thread::Builder::new().name("social-cards".into()).spawn(move || {
            let (paths, diagnostics) = plan.write(&root, &out, build::Writes::Atomic);
            SearchWrite { paths, gone: Vec::new(), diagnostics }
        });
        match job {
            Ok(job) => self.cards_jobs.push((language.map(|l| l.at), job)),
            Err(e) => self.diagnostics.push(Diagnostic::error(Code::Io, format!("cannot draw the social cards: {e}"))),
        }
        diags
    }

    /// Writes the search index on a thread of its own: the files whose bytes changed, and
    /// removes those that are gone. `wait_for_background` collects what it did.
    fn write_search_later(&mut self, search: crate::search::Kept, prefix: String, language: Option<usize>) {
        let out = self.out.clone();
        // The index of this language alone (`search/…`, or `de/search/…`).
        let ours = |p: &String| match prefix.as_str() {
            "" => crate::search::is_index_file(p),
            prefix => {
                p.strip_prefix(prefix).and_then(|r| r.strip_prefix('/')).is_some_and(crate::search::is_index_file)
            }
        };
        let before: Vec<String> = self.written.iter().filter(|p| ours(p)).cloned().collect();
        let job = std::thread::Builder::new().name("search-index".into()).spawn(move || {
            let mut files = search.files();
            if !prefix.is_empty() {
                for o in &mut files {
                    o.path = format!("{prefix}/{}", o.path);
                }
            }
            let mut w = SearchWrite { paths: Vec::new(), gone: Vec::new(), diagnostics: Vec::new() };
            for o in &files {
                let same = std::fs::read(out.join(&o.path)).is_ok_and(|old| old == o.html.as_bytes());
                if !same {
                    if let Err(e) = output::write_atomic(&out, &o.path, o.html.as_bytes()) {
                        w.diagnostics.push(Diagnostic::error(Code::Io, format!("cannot write {}: {e}", o.path)));
                        continue;
                    }
                }
                w.paths.push(o.path.clone());
            }
            let now: HashSet<&str> = files.iter().map(|o| o.path.as_str()).collect();
            for g in before.into_iter().filter(|g| !now.contains(g.as_str())) {
                remove_with_empty_folders(&out, &g);
                w.gone.push(g);
            }
            w
        });
        match job {
            Ok(handle) => self.search_jobs.push((language, handle)),
            Err(e) => self
                .diagnostics
                .push(Diagnostic::error(Code::Io, format!("cannot start writing the search index: {e}"))),
        }
    }

    /// Keeps the session of a successful rebuild, for the next one, and reports it.
    fn settle(
        &mut self,
        session: Session,
        diags: Vec<Diagnostic>,
        pages: usize,
        started: Instant,
        what: &str,
    ) -> Report {
        self.diagnostics.extend(diags);
        build::one_error_per_cause(&mut self.diagnostics);
        diagnostic::sort(&mut self.diagnostics);
        self.diagnostics.dedup();
        let ok = !self.diagnostics.iter().any(Diagnostic::is_error);
        self.session = ok.then_some(session);
        Report { what: what.to_string(), pages, took: started.elapsed(), ok }
    }

    fn copy_static(&mut self, started: Instant, what: &str) -> Report {
        let Some(site) = self.session.as_ref().map(|s| &s.site) else { return self.failed(started, what) };
        // Images are the full rebuild's (a changed image takes that path).
        let assets: Vec<(String, build::Asset)> =
            build::assets(site).into_iter().filter(|(rel, _)| !crate::images::handles(rel)).collect();
        // Copy the changed files alone; remove those that are gone.
        let wanted: HashSet<&str> = assets.iter().map(|(rel, _)| rel.as_str()).collect();
        let (paths, diags) = build::copy_assets(site, &self.out, &assets, build::Writes::Atomic);
        let count = paths.len();
        let gone: Vec<String> = self
            .written
            .iter()
            .filter(|p| {
                !wanted.contains(p.as_str())
                    && !crate::images::handles(p)
                    && !p.ends_with(".html")
                    && !p.ends_with(".xml")
                    && p.as_str() != "robots.txt"
                    && !crate::search::is_index_file(p)
            })
            .cloned()
            .collect();
        for g in &gone {
            remove_with_empty_folders(&self.out, g);
            self.written.remove(g);
        }
        self.written.extend(paths);
        self.diagnostics = diags;
        build::one_error_per_cause(&mut self.diagnostics);
        Report { what: what.to_string(), pages: count, took: started.elapsed(), ok: self.diagnostics.is_empty() }
    }
}

/// Which languages (by position in `sites`) `changes` touch: a content file touches the
/// languages that show it, before or after the edit, as itself or as the original of a
/// translation (which takes its date, authors, tags and images from it); a profile is in
/// every language. A file of `static/` is the default language's. Anything else, or a file
/// no language shows, touches them all: when unsure, render more.
fn touched_languages(changes: &[Change], before: &[&Site], after: &[&Site]) -> Vec<bool> {
    let mut touched = vec![false; after.len()];
    for c in changes {
        match c {
            Change::Static => touched[0] = true,
            Change::Content(rel) if rel.ends_with(".md") => {
                let mut any = false;
                for sites in [before, after] {
                    for (i, site) in sites.iter().enumerate().take(touched.len()) {
                        if site.shows_file(rel) {
                            touched[i] = true;
                            any = true;
                        }
                    }
                }
                if !any {
                    return vec![true; after.len()];
                }
            }
            _ => return vec![true; after.len()],
        }
    }
    touched
}

/// Puts the preview's file `rel` into `staging` as it is (a hard link, or a copy where the
/// file system has none), unless a language rendered again wrote it there already.
fn carry_over(out: &Path, staging: &Path, rel: &str) -> std::io::Result<()> {
    if staging.join(rel.trim_start_matches('/')).exists() {
        return Ok(());
    }
    output::link_under(staging, rel, &out.join(rel.trim_start_matches('/')))
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
