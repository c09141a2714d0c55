//! `chorus build`: load → check → render → write, with the output staged and swapped in
//! whole only when the build has no errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::cards::Cards;
use crate::diagnostic::Code;
use crate::diagnostic::{self, Diagnostic};
use crate::output::{self, Staging};
use crate::render::{self, Audience, Output, Renderer};
use crate::site::{self, CauseId, PageId, PersonId, PostId, Site, TagId};

/// What to build and where.
#[derive(Clone, Debug)]
pub struct Request {
    pub root: PathBuf,
    pub options: site::Options,
    /// `--output`; else the config's `output_dir`.
    pub output: Option<PathBuf>,
    /// Show a progress bar (the caller decides: only on a terminal).
    pub progress: bool,
    /// Measure templates, Markdown, highlighting, writes and the slowest pages.
    pub timings: bool,
    /// Called after each language of a hub with several is written and let go, so that the
    /// allocator can give its memory back before the next (the binary's allocator is not the
    /// library's business).
    pub release_memory: Option<fn()>,
}

/// A progress bar for builds of more than a few hundred pages, hidden otherwise.
fn progress_bar(show: bool, items: usize) -> indicatif::ProgressBar {
    if !show || items < 500 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(items as u64).with_style(
        indicatif::ProgressStyle::with_template("{spinner} building {pos} pages, {per_sec} [{elapsed}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(4));
    bar
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    /// Where the site was published, when it was.
    pub output: Option<PathBuf>,
    pub pages: usize,
    pub phases: Vec<Phase>,
    /// The detailed report of `--timings`.
    pub timings: Option<String>,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        self.output.is_some() && !self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The `--timings` table: each phase with the peak memory at its end, then the detail.
    pub fn timings_table(&self) -> String {
        let mut out = String::new();
        for phase in &self.phases {
            let peak = phase.peak_rss.map_or(String::new(), |b| format!("   (peak memory {} MB)", b >> 20));
            out.push_str(&format!("{:>14}: {:>8.1} ms{peak}\n", phase.name, phase.took.as_secs_f64() * 1000.0));
        }
        out.push_str(self.timings.as_deref().unwrap_or_default());
        out
    }
}

pub(crate) struct Clock {
    phases: Vec<Phase>,
    last: Instant,
}

/// How long a phase of a build took, and the peak memory of the process at its end.
#[derive(Debug, Clone)]
pub struct Phase {
    pub name: &'static str,
    pub took: Duration,
    /// Peak resident memory so far, in bytes (where the system tells it).
    pub peak_rss: Option<u64>,
}

/// The process's peak resident memory so far (`VmHWM`), on Linux.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

impl Clock {
    pub(crate) fn new() -> Clock {
        Clock { phases: Vec::new(), last: Instant::now() }
    }
    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push(Phase { name, took: now - self.last, peak_rss: peak_rss() });
        self.last = now;
    }
}

pub fn build(request: &Request) -> Outcome {
    let mut clock = Clock::new();
    let (sites, mut diagnostics) = Site::load_languages(
        &request.root,
        request.options.clone(),
        &mut site::LoadCache::default(),
        &std::collections::HashSet::new(),
    );
    clock.lap("load");
    let Some(site) = sites.first() else {
        return Outcome { diagnostics, ..Outcome::default() };
    };
    let target = request.output.clone().unwrap_or_else(|| PathBuf::from(&site.config().output_dir));
    let target = match output::resolve(&request.root, &target) {
        Ok(t) => t,
        Err(d) => {
            diagnostics.push(d);
            return Outcome { diagnostics, ..Outcome::default() };
        }
    };
    let tera = match render::load_templates(&request.root, &site.config().theme) {
        Ok(t) => t,
        Err(d) => {
            diagnostics.extend(d);
            diagnostic::sort(&mut diagnostics);
            // A folder that links out of the hub is reported by loading and by the templates.
            diagnostics.dedup();
            return Outcome { diagnostics, ..Outcome::default() };
        }
    };
    clock.lap("templates");
    let staging = match Staging::create(&target) {
        Ok(s) => s,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                Code::Io,
                format!("cannot create the output folder next to {}: {e}", target.display()),
            ));
            return Outcome { diagnostics, ..Outcome::default() };
        }
    };
    let timings = crate::timings::Timings::default();
    let pass = Pass {
        audience: Audience::Published,
        progress: request.progress,
        timings: request.timings.then_some(&timings),
        release_memory: request.release_memory,
    };
    let (pages, written_diags) = render_languages(sites, &tera, &staging, &pass, &mut clock);
    diagnostics.extend(written_diags);
    one_error_per_cause(&mut diagnostics);
    // A value a translation takes from its original is checked at the original.
    diagnostics.retain(|d| d.line < crate::content::INHERITED_LINE);
    diagnostic::sort(&mut diagnostics);
    diagnostics.dedup();
    if diagnostics.iter().any(Diagnostic::is_error) {
        staging.abandon();
        return Outcome { diagnostics, pages, phases: clock.phases, output: None, timings: None };
    }
    if let Err(e) = staging.commit() {
        diagnostics.push(Diagnostic::error(
            Code::Io,
            format!("cannot put the new site in place at {}: {e}", target.display()),
        ));
        return Outcome { diagnostics, pages, phases: clock.phases, output: None, timings: None };
    }
    clock.lap("swap");
    let report = request.timings.then(|| timings.report());
    Outcome { diagnostics, output: Some(target), pages, phases: clock.phases, timings: report }
}

/// Who a build is for, and what it shows while it runs.
pub struct Pass<'a> {
    pub audience: Audience,
    /// Show a progress bar (only on a terminal).
    pub progress: bool,
    /// Collected only for `--timings`.
    pub timings: Option<&'a crate::timings::Timings>,
    /// See `Request::release_memory`.
    pub release_memory: Option<fn()>,
}

/// Every language's pages, feeds, index and files into `staging` (one language after the
/// other: each one's cards, images and pages are let go before the next is prepared), then,
/// in a hub with several, the one sitemap of them all. Returns the number of files written
/// and the problems found.
pub(crate) fn render_languages(
    mut sites: Vec<Site>,
    tera: &tera::Tera,
    staging: &Staging,
    pass: &Pass,
    clock: &mut Clock,
) -> (usize, Vec<Diagnostic>) {
    let translations = (sites.len() > 1).then(|| crate::translations::Translations::new(&sites, section_pages));
    let base = sites.first().map(|s| s.config().base_url.clone()).unwrap_or_default();
    let mut diagnostics = Vec::new();
    let mut pages = 0;
    let mut listed = Vec::new();
    // The other languages first, the default (usually the largest) last, each let go once
    // built: the default language's pages are made with no other language in memory.
    sites.rotate_left(1);
    while !sites.is_empty() {
        let site = sites.remove(0);
        let built = build_language(&site, tera, staging, translations.as_ref(), pass, clock);
        pages += built.pages;
        diagnostics.extend(built.diagnostics);
        listed.extend(built.listed);
        drop(site);
        if let (Some(release), false) = (pass.release_memory, sites.is_empty()) {
            release();
        }
    }
    if let Some(t) = &translations {
        let w = write_sitemap(&base, &listed, t, staging);
        pages += w.paths.len();
        diagnostics.extend(w.diagnostics);
    }
    (pages, diagnostics)
}

/// The one sitemap of a hub with several languages, each page with its alternates, and its
/// `robots.txt`. `listed` holds every language's pages (`LanguageBuild::listed`).
pub(crate) fn write_sitemap(
    base: &str,
    listed: &[String],
    translations: &crate::translations::Translations,
    staging: &Staging,
) -> Written {
    let mut extra = crate::feed::sitemap_with(base, listed, &|file| translations.sitemap_alternates(file));
    extra.push(crate::feed::robots(base));
    let sink = |o: Output| staging.write(&o.path, o.html.as_bytes());
    emit(&sink, extra, Vec::new())
}

/// What one language's build wrote.
pub(crate) struct LanguageBuild {
    /// Pages, feeds and index files: what "Built N pages" counts.
    pub pages: usize,
    /// Every file written, copied files, images and cards included, as site paths.
    pub files: Vec<String>,
    /// The language's part of the one sitemap (the default language's static pages too).
    pub listed: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// What `serve` keeps for its edits in place (`Audience::Preview` only).
    pub kept: Option<KeptLanguage>,
}

/// What a preview build of one language leaves for `serve`'s edits in place: its cards, its
/// published images, its search index's analyses and the bodies of the posts in its feeds.
pub(crate) struct KeptLanguage {
    pub cards: Cards,
    pub images: crate::images::Published,
    pub search: Option<crate::search::Kept>,
    pub bodies: HashMap<PostId, crate::feed::Body>,
}

/// The pages of one language (the whole site, in a hub with one): its cards, images, pages,
/// feeds, index and files.
pub(crate) fn build_language(
    site: &Site,
    tera: &tera::Tera,
    staging: &Staging,
    translations: Option<&crate::translations::Translations>,
    pass: &Pass,
    clock: &mut Clock,
) -> LanguageBuild {
    let mut diagnostics = crate::lint::cadence(site);
    let mut cards = Cards::new(site, None);
    clock.lap("prepare");
    // Images and social cards first: pages name their files.
    let assets = assets(site);
    let pictures = crate::images::Pictures::prepare(site, &assets, &mut cards, crate::images::CacheUse::Fill);
    // The theme's and the hub's own files are the default language's to copy; another
    // language copies its bundles' files alone (under its root), and names the rest.
    let own = |rel: &str| {
        let prefix = site.config().prefix.trim_start_matches('/');
        prefix.is_empty() || rel.strip_prefix(prefix).is_some_and(|r| r.starts_with('/'))
    };
    let assets: Vec<(String, Asset)> =
        assets.into_iter().filter(|(rel, _)| !pictures.handles(rel) && own(rel)).collect();
    clock.lap("images");
    let mut renderer = Renderer::new(site, tera, &cards, pass.audience);
    renderer.images = Some(&pictures.images);
    renderer.translations = translations;
    renderer.timings = pass.timings;
    // Long builds show progress on a terminal, and stay quiet otherwise.
    let progress = progress_bar(pass.progress, site.posts().len() + site.people().len() + site.causes().len());
    let mut rendered = render_all(
        &renderer,
        &|o: Output| {
            progress.inc(1);
            let started = Instant::now();
            let written = staging.write(&o.path, o.html.as_bytes());
            if let Some(timings) = pass.timings {
                timings.write.fetch_add(started.elapsed().as_nanos() as u64, std::sync::atomic::Ordering::Relaxed);
            }
            written
        },
        &static_pages(&assets),
    );
    progress.finish_and_clear();
    diagnostics.append(&mut rendered.diagnostics);
    diagnostics.extend(shadowed_pages(site, &assets, &rendered.paths));
    clock.lap("render+write");
    diagnostics.extend(pictures.diagnostics(site));
    let pages = rendered.paths.len();
    let mut files = std::mem::take(&mut rendered.paths);
    let (copied, copy_diags) = copy_assets(site, staging.path(), &assets, Writes::Direct);
    files.extend(copied);
    diagnostics.extend(copy_diags);
    clock.lap("copy");
    let (pictured, picture_diags) = pictures.write(site, staging.path(), Writes::Direct);
    files.extend(pictured);
    diagnostics.extend(picture_diags);
    clock.lap("cards");
    let mut listed = std::mem::take(&mut rendered.listed);
    if site.config().prefix.is_empty() {
        listed.extend(static_pages(&assets));
    }
    let kept = (pass.audience == Audience::Preview).then_some(KeptLanguage {
        cards,
        images: pictures.images,
        search: rendered.search,
        bodies: rendered.bodies,
    });
    LanguageBuild { pages, files, listed, diagnostics, kept }
}

/// The pages of a site that are not one item's (listings, tag pages, digests, search), as
/// paths below its language's root: what `Translations` matches across languages by path.
pub fn section_pages(site: &Site) -> Vec<String> {
    let per = site.config().paginate.max(1);
    let count = |n: usize| n.div_ceil(per).max(1);
    let paginated = |base: &str, n: usize| if n <= 1 { base.to_string() } else { format!("{base}page/{n}/") };
    let mut out: Vec<String> =
        ["/", "/people/", "/causes/", "/tags/", "/digest/", "/404.html"].iter().map(|s| s.to_string()).collect();
    if site.config().search {
        out.push("/search/".into());
    }
    out.extend((1..=count(site.listed().len())).map(|n| paginated("/posts/", n)));
    for (_, tag) in site.tags() {
        let base = format!("/tags/{}/", tag.slug);
        out.extend((1..=count(tag.posts.len())).map(|n| paginated(&base, n)));
    }
    out.extend(crate::digest::weeks(site).iter().map(|w| format!("/digest/{w}/")));
    out
}

/// Writes that failed the same way (a full disk fails every file alike) become one error,
/// naming the first file and how many others: `cannot write a.html and 3999 other files:
/// No space left on device`. `serve`'s rebuilds group theirs the same way.
pub(crate) fn one_error_per_cause(diagnostics: &mut Vec<Diagnostic>) {
    let is_write = |d: &Diagnostic| d.code == Code::Io && d.file.is_empty() && d.message.starts_with("cannot write ");
    let mut by_cause: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    for d in diagnostics.iter().filter(|d| is_write(d)) {
        let rest = &d.message["cannot write ".len()..];
        // The system's reason never holds ": "; a path might.
        let (path, cause) = rest.rsplit_once(": ").unwrap_or((rest, ""));
        by_cause.entry(cause.to_string()).or_default().push(path.to_string());
    }
    if by_cause.values().all(|paths| paths.len() == 1) {
        return;
    }
    diagnostics.retain(|d| !is_write(d));
    for (cause, mut paths) in by_cause {
        paths.sort();
        let others = match paths.len() - 1 {
            0 => String::new(),
            1 => " and 1 other file".to_string(),
            n => format!(" and {n} other files"),
        };
        diagnostics.push(Diagnostic::error(Code::Io, format!("cannot write {}{others}: {cause}", paths[0])));
    }
}

type Sink<'a> = dyn Fn(Output) -> std::io::Result<()> + Sync + 'a;

/// What rendering wrote: the site paths, and the problems found.
#[derive(Default)]
pub struct Written {
    pub paths: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// The bodies of the posts shown in feeds, by post (kept by `serve` for its next build).
    pub bodies: HashMap<PostId, crate::feed::Body>,
    /// The search index's analyses, for `serve` (`Audience::Preview`) only.
    pub search: Option<crate::search::Kept>,
    /// The pages a sitemap lists, in a hub with several languages (whose one sitemap is
    /// written after every language's pages).
    pub listed: Vec<String>,
}

impl Written {
    fn merge(mut self, other: Written) -> Written {
        self.paths.extend(other.paths);
        self.diagnostics.extend(other.diagnostics);
        self
    }
}

/// Hands rendered pages to the sink, turning write failures into diagnostics.
fn emit(sink: &Sink, outputs: Vec<Output>, diagnostics: Vec<Diagnostic>) -> Written {
    let mut w = Written { paths: Vec::with_capacity(outputs.len()), diagnostics, ..Written::default() };
    for o in outputs {
        let path = o.path.clone();
        if o.html.len() > crate::content::MAX_PAGE {
            w.diagnostics.push(
                Diagnostic::error(
                    Code::PageTooLarge,
                    format!(
                        "the page {path} would be {} MB, more than the {} MB a page may be, so it is not written",
                        o.html.len() >> 20,
                        crate::content::MAX_PAGE >> 20
                    ),
                )
                .with_hint("shorten the text of the post, page or profile it shows, or split it in two"),
            );
            continue;
        }
        match sink(o) {
            Ok(()) => w.paths.push(path),
            Err(e) => w.diagnostics.push(Diagnostic::error(Code::Io, format!("cannot write {path}: {e}"))),
        }
    }
    w
}

/// One unit of rendering: a page, or the few pages of one person.
enum Job {
    Post(PostId),
    Cause(CauseId),
    Person(PersonId),
    Page(PageId),
    /// Page `n` of `/posts/`.
    Listing(usize),
    /// Page `n` of a tag.
    Tag(TagId, usize),
    /// The digest of the `n`th week.
    Digest(usize),
    Home,
    People,
    Causes,
    Tags,
    Digests,
    NotFound,
    /// The `/search/` page.
    Search,
    /// A chunk of the search index's documents, analysed beside the pages (builds only).
    SearchChunk(usize),
}

/// Renders every page, feed and the sitemap, handing each to `sink` as soon as it is
/// rendered, so memory does not grow with the size of the output. Every page is a job of
/// its own on rayon's threads; only feeds wait, for the bodies of the posts they show.
/// `static_pages` are HTML files copied from `static/`, listed in the sitemap too.
pub fn render_all(renderer: &Renderer, sink: &Sink, static_pages: &[String]) -> Written {
    let site = renderer.site;
    let in_feeds = crate::feed::posts_in_feeds(site);
    let weeks = crate::digest::weeks(site);
    let mut jobs: Vec<Job> = site.posts().map(|(id, _)| Job::Post(id)).collect();
    jobs.extend(site.causes().map(|(id, _)| Job::Cause(id)));
    jobs.extend(site.people().map(|(id, _)| Job::Person(id)));
    jobs.extend(site.pages().map(|(id, _)| Job::Page(id)));
    jobs.extend((1..=renderer.page_count(site.listed().len())).map(Job::Listing));
    for (id, tag) in site.tags() {
        jobs.extend((1..=renderer.page_count(tag.posts.len())).map(|n| Job::Tag(id, n)));
    }
    jobs.extend((0..weeks.len()).map(Job::Digest));
    jobs.extend([Job::Home, Job::People, Job::Causes, Job::Tags, Job::Digests, Job::NotFound]);
    let search = site.config().search;
    // A build analyses the index's documents among its pages, which keeps both cores busy
    // where pages wait on the disk; `serve` keeps every analysis, and makes its own.
    let plan = (search && renderer.audience == Audience::Published).then(|| crate::search::Plan::new(site));
    if search {
        jobs.push(Job::Search);
    }
    jobs.extend(plan.iter().flat_map(crate::search::Plan::chunks_to_analyze).map(Job::SearchChunk));
    let emit_index = |o: Output| emit(sink, vec![in_language(site, o)], Vec::new());
    // One map of every word for all threads: each chunk adds its words under the lock, in a
    // fraction of the time analysing it took, and no word is held twice.
    let parts = std::sync::Mutex::new(crate::search::Parts::default());

    let run = |job: &Job| -> (Written, Option<(PostId, crate::feed::Body)>) {
        let started = Instant::now();
        if let (Job::SearchChunk(c), Some(plan)) = (job, &plan) {
            let (part, written) = gathered(&emit_index, |emit| plan.analyze_chunk(site, *c, emit));
            parts.lock().unwrap_or_else(|e| e.into_inner()).add(part);
            if let Some(t) = renderer.timings {
                t.search.fetch_add(started.elapsed().as_nanos() as u64, std::sync::atomic::Ordering::Relaxed);
            }
            return (written, None);
        }
        // A post alone in its chunk of the index gives its text from the page's own parse.
        let doc = match (job, &plan) {
            (Job::Post(i), Some(plan)) => plan.post_doc(*i),
            _ => None,
        };
        let mut rendered = match *job {
            Job::Post(i) => renderer.post_page(i, doc.is_some()),
            Job::Cause(i) => renderer.cause(i),
            Job::Person(i) => renderer.person(i),
            Job::Page(i) => renderer.page_of_hub(i),
            Job::Listing(n) => renderer.posts_listing(n),
            Job::Tag(tag, n) => renderer.tag_listing(tag, n),
            Job::Digest(n) => renderer.digest_week(&weeks, n),
            Job::Home => renderer.home(),
            Job::People => renderer.people_index(),
            Job::Causes => renderer.causes_index(),
            Job::Tags => renderer.tags_index(),
            Job::Digests => renderer.digest_index(&weeks),
            Job::NotFound => renderer.not_found(),
            Job::Search => renderer.search_page(),
            Job::SearchChunk(_) => crate::render::Rendered::none(),
        };
        let mut kept = None;
        let mut indexed = Written::default();
        if let Job::Post(i) = *job {
            if let (Some(t), Some(o)) = (renderer.timings, rendered.outputs.first()) {
                t.page(&o.path, started.elapsed().as_nanos() as u64);
            }
            if let (Some(plan), Some(doc), Some(plain)) = (&plan, doc, rendered.plain.take()) {
                let analysed = Instant::now();
                let (part, written) = gathered(&emit_index, |emit| plan.offer(site, doc, i, plain, emit));
                if let Some(part) = part {
                    parts.lock().unwrap_or_else(|e| e.into_inner()).add(part);
                }
                indexed = written;
                if let Some(t) = renderer.timings {
                    t.search.fetch_add(analysed.elapsed().as_nanos() as u64, std::sync::atomic::Ordering::Relaxed);
                }
            }
            // Kept until the feeds are written, compressed.
            kept = rendered.body.filter(|_| in_feeds.contains(&i)).map(|b| (i, crate::feed::Body::new(&b)));
        }
        (emit(sink, rendered.outputs, rendered.diagnostics).merge(indexed), kept)
    };
    let start = Written { diagnostics: renderer.cards.diagnostics().to_vec(), ..Written::default() };
    let (mut all, bodies) = jobs
        .par_iter()
        .map(run)
        .fold(
            || (Written::default(), Vec::new()),
            |(all, mut bodies), (written, body)| {
                bodies.extend(body);
                (all.merge(written), bodies)
            },
        )
        .reduce(
            || (Written::default(), Vec::new()),
            |(a, mut a_bodies), (b, b_bodies)| {
                a_bodies.extend(b_bodies);
                (a.merge(b), a_bodies)
            },
        );
    let mut parts = parts.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(plan) = &plan {
        let (rest, written) = gathered(&emit_index, |emit| plan.rest(site, emit));
        rest.into_iter().for_each(|part| parts.add(part));
        all = all.merge(written);
    }
    all = start.merge(all);
    drop(jobs);
    let bodies: HashMap<PostId, crate::feed::Body> = bodies.into_iter().collect();
    let cards = renderer.cards;
    let feeds = || {
        crate::feed::all_keys(site)
            .par_iter()
            .map(|key| emit(sink, crate::feed::feeds(site, cards, std::slice::from_ref(key), &bodies), Vec::new()))
            .reduce(Written::default, Written::merge)
    };
    // A build's index is finished beside the feeds: its terms are sorted and sharded on one
    // thread for much of that time, which leaves the other free.
    let (feeds, finished) = match plan {
        Some(_) => {
            let (feeds, index) = rayon::join(feeds, || search_finish(renderer, parts, sink));
            (feeds, Some(index))
        }
        None => (feeds(), None),
    };
    all = all.merge(feeds);
    // The feeds' bodies are kept for `serve`'s edits, and let go before its index is made.
    let bodies = if renderer.audience == Audience::Preview { bodies } else { HashMap::new() };
    let (search_written, search) = if let Some(index) = finished {
        (index, None)
    } else if search {
        search_kept(renderer, sink)
    } else {
        (Written::default(), None)
    };
    all = all.merge(search_written);
    // Redirect pages come last, so that none takes the place of a page; no sitemap lists them.
    let redirects = {
        let written: std::collections::HashSet<&str> = all.paths.iter().map(String::as_str).collect();
        renderer.redirects(&written)
    };
    let redirected: std::collections::HashSet<String> = redirects.outputs.iter().map(|o| o.path.clone()).collect();
    all = all.merge(emit(sink, redirects.outputs, redirects.diagnostics));
    let base = &site.config().base_url;
    let listed: Vec<String> = all.paths.iter().filter(|p| !redirected.contains(*p)).cloned().collect();
    if renderer.translations.is_some() {
        // The one sitemap of all languages is written by the build, after the last.
        all.listed = listed;
    } else {
        let listed: Vec<String> = listed.into_iter().chain(static_pages.iter().cloned()).collect();
        let mut extra = crate::feed::sitemap(base, &listed);
        extra.push(crate::feed::robots(base));
        all = all.merge(emit(sink, extra, Vec::new()));
    }
    all.bodies = bodies;
    all.search = search;
    all
}

/// The rest of a build's search index, once its documents are analysed: shards, document
/// files and the manifest.
fn search_finish(renderer: &Renderer, parts: crate::search::Parts, sink: &Sink) -> Written {
    let started = Instant::now();
    // Each file is written as soon as it is made, so the index never waits in memory.
    let write = |o: Output| emit(sink, vec![in_language(renderer.site, o)], Vec::new());
    let ((), written) = gathered(&write, |emit| crate::search::finish(renderer.site, parts, emit));
    if let Some(t) = renderer.timings {
        t.search_tail.fetch_add(started.elapsed().as_nanos() as u64, std::sync::atomic::Ordering::Relaxed);
    }
    written
}

/// Runs `make` with an `Emit` that writes each file of the search index it is handed
/// (`write`, from any thread) at once, and returns what `make` returns with what was written.
fn gathered<R>(
    write: &(dyn Fn(Output) -> Written + Sync),
    make: impl FnOnce(&crate::search::Emit) -> R,
) -> (R, Written) {
    let written = std::sync::Mutex::new(Written::default());
    let result = make(&|o| {
        let w = write(o);
        let mut all = written.lock().unwrap_or_else(|e| e.into_inner());
        *all = std::mem::take(&mut *all).merge(w);
    });
    (result, written.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// `serve`'s search index: every document's analysis is kept, for its edits in place.
fn search_kept(renderer: &Renderer, sink: &Sink) -> (Written, Option<crate::search::Kept>) {
    let kept = crate::search::Kept::new(renderer.site);
    let files = kept.files().into_iter().map(|o| in_language(renderer.site, o)).collect();
    (emit(sink, files, Vec::new()), Some(kept))
}

/// A file the search index names from its own folder (`search/t/0.json`), in the site's
/// language (`de/search/t/0.json`).
pub(crate) fn in_language(site: &Site, mut o: Output) -> Output {
    let prefix = &site.config().prefix;
    if !prefix.is_empty() {
        o.path = format!("{}/{}", prefix.trim_start_matches('/'), o.path);
    }
    o
}

/// Where a file of the output that is not a page comes from.
pub enum Asset {
    File(PathBuf),
    Builtin(&'static str),
    Generated(String),
}

/// Every non-page file of the output, by site path: the built-in theme's static files, the
/// theme's, the site's `static/` (later ones win), bundle assets and the highlighting CSS.
pub fn assets(site: &Site) -> Vec<(String, Asset)> {
    let mut jobs: Vec<(String, Asset)> = Vec::new();
    let theme_static = site.theme_dir().join("static");
    if site.config().theme == "default" {
        jobs.extend(crate::theme::STATIC.iter().map(|(rel, text)| (rel.to_string(), Asset::Builtin(text))));
    }
    for base in [theme_static, site.root().join("static")] {
        // A folder that links out of the hub is never walked (`hub::refused_roots` reports it).
        if !crate::hub::root_allowed(site.root(), &base) {
            continue;
        }
        // Names with control characters are left out (loading reports them).
        for file in crate::hub::files_under(site.root(), &base, &mut Vec::new()) {
            if let Ok(rel) = file.strip_prefix(&base) {
                jobs.push((rel.to_string_lossy().replace('\\', "/"), Asset::File(file.clone())));
            }
        }
    }
    let mut bundles: Vec<(&Option<PathBuf>, &Vec<PathBuf>, String)> = Vec::new();
    for (id, p) in site.posts() {
        if site.post_state(id).has_page() {
            bundles.push((&p.bundle_dir, &p.assets, site.post_path(id).trim_matches('/').to_string()));
        }
    }
    for (_, c) in site.published_causes() {
        bundles.push((&c.bundle_dir, &c.assets, format!("causes/{}", c.slug.value)));
    }
    for (dir, files, dest) in bundles {
        let Some(dir) = dir else { continue };
        for a in files {
            if let Ok(rel) = a.strip_prefix(dir) {
                jobs.push((format!("{dest}/{}", rel.to_string_lossy().replace('\\', "/")), Asset::File(a.clone())));
            }
        }
    }
    let css = crate::highlight::stylesheet(&site.config().highlight_light, &site.config().highlight_dark);
    jobs.push(("highlight.css".into(), Asset::Generated(css)));
    // Later entries (the site's own files) replace earlier ones with the same path.
    let mut seen = std::collections::HashSet::new();
    let mut jobs: Vec<(String, Asset)> = jobs.into_iter().rev().filter(|(rel, _)| seen.insert(rel.clone())).collect();
    jobs.reverse();
    jobs
}

/// The HTML files among the assets (site paths), for the sitemap.
pub fn static_pages(assets: &[(String, Asset)]) -> Vec<String> {
    assets.iter().filter(|(rel, _)| rel.ends_with(".html")).map(|(rel, _)| rel.clone()).collect()
}

/// A warning for each file under `static/` that replaces a page Chorus generates.
pub fn shadowed_pages(site: &Site, assets: &[(String, Asset)], pages: &[String]) -> Vec<Diagnostic> {
    let pages: std::collections::HashSet<&str> = pages.iter().map(String::as_str).collect();
    assets
        .iter()
        .filter(|(rel, _)| pages.contains(rel.as_str()))
        .filter_map(|(rel, asset)| match asset {
            Asset::File(from) => Some(
                Diagnostic::warning(
                    Code::StaticReplacesPage,
                    format!("this file replaces the page Chorus generates at /{rel}"),
                )
                .in_file(diagnostic::display_path(site.root(), from))
                .with_hint("rename or move the file, unless replacing that page is what you want"),
            ),
            _ => None,
        })
        .collect()
}

/// How files reach the output folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Writes {
    /// Into a fresh staging folder that nobody reads yet.
    Direct,
    /// Into a folder that is being served: each file appears whole or not at all.
    Atomic,
}

/// Writes the assets into `out`.
pub fn copy_assets(
    site: &Site,
    out: &Path,
    assets: &[(String, Asset)],
    writes: Writes,
) -> (Vec<String>, Vec<Diagnostic>) {
    let results: Vec<Result<String, Diagnostic>> = assets
        .par_iter()
        .map(|(rel, asset)| {
            let bytes = match asset {
                Asset::File(from) => std::fs::read(from).map_err(|e| {
                    Diagnostic::error(
                        Code::Io,
                        format!("cannot copy {} to the output: {e}", diagnostic::display_path(site.root(), from)),
                    )
                })?,
                Asset::Builtin(text) => text.as_bytes().to_vec(),
                Asset::Generated(text) => text.as_bytes().to_vec(),
            };
            let written = if writes == Writes::Atomic {
                output::write_atomic(out, rel, &bytes)
            } else {
                output::write_under(out, rel, &bytes)
            };
            written.map(|_| rel.clone()).map_err(|e| Diagnostic::error(Code::Io, format!("cannot write {rel}: {e}")))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn write_error(path: &str, cause: &str) -> Diagnostic {
        Diagnostic::error(Code::Io, format!("cannot write {path}: {cause}"))
    }

    #[test]
    fn a_full_disk_is_one_error_per_cause() {
        let mut diags: Vec<Diagnostic> = (0..4000)
            .map(|n| write_error(&format!("posts/p{n:04}/index.html"), "No space left on device (os error 28)"))
            .collect();
        diags.push(write_error("feed.xml", "Permission denied (os error 13)"));
        diags.push(Diagnostic::warning(Code::Cadence, "unrelated"));
        one_error_per_cause(&mut diags);
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unrelated",
                "cannot write posts/p0000/index.html and 3999 other files: No space left on device (os error 28)",
                "cannot write feed.xml: Permission denied (os error 13)",
            ]
        );
    }

    #[test]
    fn single_write_errors_stay_as_they_are() {
        let mut diags = vec![write_error("a.html", "Permission denied (os error 13)")];
        one_error_per_cause(&mut diags);
        assert_eq!(diags[0].message, "cannot write a.html: Permission denied (os error 13)");
    }
}
