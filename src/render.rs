//! Pages: the template contexts and the tera setup. Every page gets a small context of its
//! own; data shared by many pages (post cards, people cards) is built once per build.
//!
//! Rendering never writes files; it hands `(site path, HTML)` to a sink (the staging folder,
//! or nothing for `check`).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::Serialize;
use serde_json::{json, Value};
use tera::Tera;

use crate::content::{ImageRef, Location};
use crate::dates::{self, Date};
use crate::diagnostic::{display_path, Diagnostic};
use crate::markdown::{self, Rendered};
use crate::share::{self, Network, ShareKit};
use crate::site::{self, PostState, Site};

/// Loads the theme's templates and the site's overrides (`templates/<name>`). The theme
/// `default` falls back to the copy built into Chorus. Errors name the template file and,
/// for syntax errors, the line.
pub fn load_templates(root: &Path, theme: &str) -> Result<Tera, Vec<Diagnostic>> {
    let theme_dir = root.join("themes").join(theme).join("templates");
    let site_dir = root.join("templates");
    let builtin = theme == "default";
    let mut diags = Vec::new();
    let mut names: Vec<String> = crate::theme::TEMPLATES.iter().map(|(n, _)| n.to_string()).collect();
    // Extra templates in either folder (partials included by others).
    for dir in [&theme_dir, &site_dir] {
        if let Ok(entries) = std::fs::read_dir(dir) {
            let mut extra: Vec<String> = entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.ends_with(".html") || n.ends_with(".xml") || n.ends_with(".txt"))
                .filter(|n| !names.contains(n))
                .collect();
            extra.sort();
            names.extend(extra);
        }
    }
    // (name, text, path shown in messages)
    let mut raw: Vec<(String, String, PathBuf)> = Vec::new();
    for name in &names {
        let site_file = site_dir.join(name);
        let theme_file = theme_dir.join(name);
        // A template linked from outside the hub is never read.
        let inside = |f: &PathBuf| f.canonicalize().is_ok_and(|c| root.canonicalize().is_ok_and(|r| c.starts_with(r)));
        for f in [&site_file, &theme_file] {
            if f.is_file() && !inside(f) {
                diags.push(
                    Diagnostic::error("symlink-outside", "this symbolic link points outside the hub and is not read")
                        .in_file(display_path(root, f))
                        .with_hint("copy the template into the hub instead of linking to it"),
                );
            }
        }
        let file = [site_file, theme_file.clone()].into_iter().find(|f| f.is_file() && inside(f));
        match (file, builtin.then(|| crate::theme::template(name)).flatten()) {
            (Some(path), _) => match std::fs::read_to_string(&path) {
                Ok(text) => raw.push((name.clone(), text, path)),
                Err(e) => diags.push(
                    Diagnostic::error("io", format!("cannot read this template: {e}"))
                        .in_file(display_path(root, &path)),
                ),
            },
            (None, Some(text)) => raw.push((name.clone(), text.to_string(), theme_file)),
            (None, None) => diags.push(
                Diagnostic::error("missing-template", format!("the theme `{theme}` has no template `{name}`"))
                    .in_file(display_path(root, &theme_file))
                    .with_hint("reinstall the theme, or add the template to `templates/`"),
            ),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut tera = Tera::default();
    if let Err(e) = tera.add_raw_templates(raw.iter().map(|(n, t, _)| (n.as_str(), t.as_str()))) {
        // Check each template on its own, so every broken one is reported with its line.
        // (Alone, a template also fails on its parent being absent: only syntax errors count.)
        for (name, text, path) in &raw {
            let mut single = Tera::default();
            if let Err(e) = single.add_raw_template(name, text) {
                if error_chain(&e).contains("--> ") {
                    diags.push(template_error(root, path, text, &e));
                }
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        // Name the template the error is about, when the message says which.
        let by_name: HashMap<&str, &PathBuf> = raw.iter().map(|(n, _, p)| (n.as_str(), p)).collect();
        let message = error_chain(&e);
        let file =
            by_name.iter().find(|(n, _)| message.contains(&format!("'{n}'"))).map(|(_, p)| display_path(root, p));
        return Err(vec![Diagnostic::error("template", message).in_file(file.unwrap_or_default())]);
    }
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's own escaper also turns every `/` into `&#x2F;`, which HTML does not need and
    // which lengthens every URL of every page.
    tera.set_escape_fn(crate::markdown::escape_html);
    Ok(tera)
}

/// All messages of a tera error, outermost first.
pub fn error_chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ").replace('\n', " ")
}

fn template_error(root: &Path, path: &Path, text: &str, e: &tera::Error) -> Diagnostic {
    let message = error_chain(e);
    // Tera reports syntax errors as ` --> LINE:COL`.
    let pos = message.find("--> ").and_then(|i| {
        let rest = &message[i + 4..];
        let end = rest.find(|c: char| !c.is_ascii_digit() && c != ':').unwrap_or(rest.len());
        let (l, c) = rest[..end].split_once(':')?;
        Some((l.parse::<usize>().ok()?, c.parse::<usize>().ok()?))
    });
    let short = message.split(" --> ").next().unwrap_or(&message).trim().trim_end_matches(':').to_string();
    let d = Diagnostic::error("template", format!("this template cannot be read: {short}"))
        .in_file(display_path(root, path));
    match pos {
        Some((l, c)) => d.at(text, l, c, 1).with_hint("check the `{{ }}` and `{% %}` tags on this line; every `{% if %}`/`{% for %}`/`{% block %}` needs its `{% end… %}`"),
        None => d,
    }
}

#[derive(Serialize, Clone)]
pub struct ImageInfo {
    pub url: String,
    pub absolute_url: String,
    pub alt: String,
    pub width: Option<usize>,
    pub height: Option<usize>,
}

#[derive(Serialize, Clone)]
pub struct PersonCard {
    pub id: String,
    pub name: String,
    pub url: String,
    pub role: Option<String>,
    pub team: Option<String>,
    pub pronouns: Option<String>,
    pub avatar: Option<ImageInfo>,
}

/// What a listing shows of a post.
#[derive(Serialize, Clone)]
pub struct PostCard {
    pub title: String,
    pub url: String,
    pub permalink: String,
    pub date: String,
    pub date_display: String,
    pub summary_html: String,
    pub summary_text: String,
    pub authors: Vec<PersonCard>,
    pub tags: Vec<TagRef>,
    pub featured: bool,
    pub image: Option<ImageInfo>,
}

#[derive(Serialize, Clone)]
pub struct TagRef {
    pub name: String,
    pub url: String,
}

#[derive(Serialize, Clone)]
pub struct CauseCard {
    pub title: String,
    pub url: String,
    pub kind: crate::content::CauseKind,
    pub kind_label: &'static str,
    pub starts: String,
    pub starts_display: String,
    pub ends: Option<String>,
    pub ends_display: Option<String>,
    pub when: String,
    pub location: Option<Location>,
    pub location_display: Option<String>,
    pub summary_text: String,
    pub owner: Option<PersonCard>,
    pub goal: Option<String>,
    pub link: Option<String>,
    pub image: Option<ImageInfo>,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    first_url: String,
}

#[derive(Serialize)]
struct MenuItem {
    title: String,
    url: String,
}

/// Everything computed once per build and shared by the pages.
pub struct Shared<'a> {
    pub site: &'a Site,
    pub tera: &'a Tera,
    pub live_reload: bool,
    /// Collected only for `build --timings`.
    pub timings: Option<&'a Timings>,
    pub parts: Parts,
}

/// What `Shared` computes from the site: owned, so that `serve` can keep it between builds
/// and update only what an edit changed.
pub struct Parts {
    /// One per post; `None` for posts without a page.
    pub post_cards: Vec<Option<PostCard>>,
    /// Fingerprints of each post's summary source (see `Summary`).
    summary_keys: Vec<u64>,
    pub person_cards: Vec<PersonCard>,
    pub cause_cards: Vec<CauseCard>,
    menu: Vec<MenuItem>,
    guidelines_url: Option<String>,
    /// Problems found while preparing (in `summary:` front matter).
    pub diagnostics: Vec<Diagnostic>,
}

/// A post's summary: a fingerprint of its Markdown, the Markdown rendered, as text, and the
/// problems in it. `serve` keeps them by file and reuses those whose fingerprint is unchanged.
#[derive(Clone, Debug)]
pub struct Summary {
    key: u64,
    html: String,
    text: String,
    diagnostics: Vec<Diagnostic>,
}

pub type Summaries = HashMap<String, Summary>;

/// A single page's result as the pages and problems of a job (for callers that collect both).
pub fn one(result: Result<Output, Diagnostic>) -> (Vec<Output>, Vec<Diagnostic>) {
    match result {
        Ok(o) => (vec![o], Vec::new()),
        Err(d) => (Vec::new(), vec![d]),
    }
}

/// One rendered page: its site path (`posts/x/index.html`) and its bytes.
pub struct Output {
    pub path: String,
    pub html: String,
}

fn absolute(site: &Site, path: &str) -> String {
    site.config.absolute(path)
}

fn image_info(site: &Site, image: &ImageRef, page_path: &str, bundle: Option<&Path>) -> ImageInfo {
    let src = image.src.value.trim();
    let url = if src.starts_with('/') { src.to_string() } else { format!("{page_path}{src}") };
    let size = site.image_file(src, bundle).and_then(|p| imagesize::size(p).ok());
    ImageInfo {
        absolute_url: absolute(site, &url),
        url,
        alt: image.alt.clone(),
        width: size.map(|s| s.width),
        height: size.map(|s| s.height),
    }
}

fn resolver(site: &Site) -> impl Fn(&str) -> markdown::Target + Sync + '_ {
    use markdown::Target;
    move |file: &str| {
        let file = file.trim_start_matches('/');
        let is = |rel: &str| rel.strip_prefix("content/") == Some(file);
        if let Some(&i) = site.post_by_file.get(file) {
            return Target::Page(site::post_path(&site.posts[i].slug.value));
        }
        if site.posts.iter().any(|p| is(&p.file.rel)) {
            return Target::Unpublished;
        }
        if let Some((i, c)) = site.causes.iter().enumerate().find(|(_, c)| is(&c.file.rel)) {
            return if site.cause_published[i] {
                Target::Page(site::cause_path(&c.slug.value))
            } else {
                Target::Unpublished
            };
        }
        if let Some(p) = site.pages.iter().find(|p| is(&p.file.rel)) {
            return Target::Page(site::page_path(&p.slug.value));
        }
        if let Some(p) = site.people.iter().find(|p| is(&p.file.rel)) {
            return if p.visible() { Target::Page(site::person_path(&p.id)) } else { Target::Unpublished };
        }
        Target::Missing
    }
}

/// Renders a file's Markdown body in the site's context.
pub fn render_body(
    site: &Site,
    file: &crate::content::SourceFile,
    highlight: bool,
    timings: Option<&Timings>,
) -> Rendered {
    let started = std::time::Instant::now();
    let resolve = resolver(site);
    let ctx = markdown::Context {
        resolve: &resolve,
        unsafe_html: site.config.unsafe_html,
        highlight: if highlight { markdown::Highlight::On } else { markdown::Highlight::Off },
        highlight_time: timings.map(|t| &t.highlight),
        src: file.src(),
        body_start: file.body_start,
        body_line: file.body_line,
    };
    let rendered = markdown::render(file.body(), &ctx);
    if let Some(t) = timings {
        t.markdown.fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }
    rendered
}

/// Where the time of a build goes, for `build --timings`. Only collected when asked for.
#[derive(Default)]
pub struct Timings {
    /// Markdown rendering, highlighting included (nanoseconds, summed over threads).
    pub markdown: AtomicU64,
    pub highlight: AtomicU64,
    pub write: AtomicU64,
    /// Per template: total nanoseconds and pages.
    pub templates: Mutex<BTreeMap<String, (u64, u64)>>,
    /// The slowest pages: nanoseconds and site path.
    pub slowest: Mutex<Vec<(u64, String)>>,
}

impl Timings {
    fn template(&self, name: &str, nanos: u64) {
        if let Ok(mut t) = self.templates.lock() {
            let e = t.entry(name.to_string()).or_default();
            e.0 += nanos;
            e.1 += 1;
        }
    }

    /// Keeps the ten slowest pages.
    pub fn page(&self, path: &str, nanos: u64) {
        if let Ok(mut s) = self.slowest.lock() {
            if s.len() < 10 || s.last().is_some_and(|(n, _)| *n < nanos) {
                s.push((nanos, path.to_string()));
                s.sort_by_key(|e| std::cmp::Reverse(e.0));
                s.truncate(10);
            }
        }
    }

    /// A report for people: per phase, per template, the slowest pages.
    pub fn report(&self) -> String {
        let ms = |n: u64| n as f64 / 1e6;
        let mut out = format!(
            "  (summed over threads)
      markdown: {:>8.1} ms
  highlighting: {:>8.1} ms  (part of markdown; {} lines of code tokenized, {} reused from memory)
         write: {:>8.1} ms
",
            ms(self.markdown.load(Ordering::Relaxed)),
            ms(self.highlight.load(Ordering::Relaxed)),
            crate::highlight::memo_counts().1,
            crate::highlight::memo_counts().0,
            ms(self.write.load(Ordering::Relaxed))
        );
        if let Ok(t) = self.templates.lock() {
            let mut rows: Vec<_> = t.iter().collect();
            rows.sort_by_key(|r| std::cmp::Reverse(r.1 .0));
            for (name, (n, pages)) in rows {
                out.push_str(&format!(
                    "  {name:>18}: {:>8.1} ms for {pages} pages ({:.2} ms each)
",
                    ms(*n),
                    ms(*n) / (*pages).max(1) as f64
                ));
            }
        }
        if let Ok(s) = self.slowest.lock() {
            out.push_str(
                "  slowest pages:
",
            );
            for (n, path) in s.iter() {
                out.push_str(&format!(
                    "    {:>8.1} ms  /{path}
",
                    ms(*n)
                ));
            }
        }
        out
    }
}

/// Renders the `summary:` of a post, which is Markdown written in the front matter. Its
/// problems are reported at the `summary:` line. (A summary taken from the body needs no
/// report of its own: the body's rendering reports it.)
fn render_summary(
    site: &Site,
    file: &crate::content::SourceFile,
    md: &str,
    in_front_matter: bool,
) -> (String, Vec<Diagnostic>) {
    let resolve = resolver(site);
    let ctx = markdown::Context {
        resolve: &resolve,
        unsafe_html: site.config.unsafe_html,
        highlight: markdown::Highlight::Off,
        highlight_time: None,
        src: file.src(),
        body_start: file.body_start,
        body_line: file.body_line,
    };
    let rendered = markdown::render(md, &ctx);
    if !in_front_matter {
        return (rendered.html, Vec::new());
    }
    let line = file.text.lines().position(|l| l.starts_with("summary:")).map_or(1, |n| n + 1);
    let len = file.text.lines().nth(line - 1).map_or(1, |l| l.trim_end().chars().count());
    let diags = rendered
        .diagnostics
        .into_iter()
        .map(|d| Diagnostic { line, column: 1, span: len, ..d }.at(&file.text, line, 1, len))
        .map(|mut d| {
            d.message = format!("in `summary`: {}", d.message);
            d
        })
        .collect();
    (rendered.html, diags)
}

fn when(starts: &Date, ends: Option<&Date>) -> String {
    match ends {
        Some(e) if dates::human(e) != dates::human(starts) => format!("{} – {}", dates::human(starts), dates::human(e)),
        _ => dates::human(starts),
    }
}

fn location_display(l: &Location) -> String {
    match l {
        Location::Place { name, address: Some(a) } => format!("{name}, {a}"),
        Location::Place { name, address: None } => name.clone(),
        Location::Online { .. } => "Online".to_string(),
    }
}

fn person_cards(site: &Site) -> Vec<PersonCard> {
    site.people
        .iter()
        .map(|p| PersonCard {
            id: p.id.clone(),
            name: p.name.clone(),
            url: site::person_path(&p.id),
            role: p.role.clone(),
            team: p.team.clone(),
            pronouns: p.pronouns.clone(),
            avatar: p.avatar.as_ref().map(|a| image_info(site, a, &site::person_path(&p.id), None)),
        })
        .collect()
}

fn cause_card(site: &Site, c: &crate::content::Cause, person_cards: &[PersonCard]) -> CauseCard {
    let url = site::cause_path(&c.slug.value);
    let summary_md = c.summary.clone().unwrap_or_else(|| markdown::summary_source(c.file.body()).to_string());
    CauseCard {
        title: c.title.clone(),
        kind: c.kind,
        kind_label: c.kind.label(),
        starts: dates::rfc3339(&c.starts.value),
        starts_display: dates::human(&c.starts.value),
        ends: c.ends.as_ref().map(|e| dates::rfc3339(&e.value)),
        ends_display: c.ends.as_ref().map(|e| dates::human(&e.value)),
        when: when(&c.starts.value, c.ends.as_ref().map(|e| &e.value)),
        location_display: c.location.as_ref().map(location_display),
        location: c.location.clone(),
        summary_text: markdown::plain_text(&summary_md),
        owner: site.person_by_id.get(&c.person.value).map(|&j| person_cards[j].clone()),
        goal: c.goal.clone(),
        link: c.link.clone(),
        image: c.image.as_ref().map(|im| image_info(site, im, &url, c.bundle_dir.as_deref())),
        url,
    }
}

/// Post `i`'s card, the fingerprint of its summary and the problems in it; `None` for a post
/// without a page. The summary is taken from `previous` when its fingerprint is unchanged.
fn post_card(
    site: &Site,
    i: usize,
    person_cards: &[PersonCard],
    previous: Option<&Summaries>,
) -> Option<(PostCard, u64, Vec<Diagnostic>)> {
    if !site.post_state[i].has_page() {
        return None;
    }
    let p = &site.posts[i];
    let source = p.summary.as_deref().unwrap_or_else(|| markdown::summary_source(p.file.body()));
    let key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (source, p.summary.is_some()).hash(&mut h);
        h.finish()
    };
    let summary = match previous.and_then(|prev| prev.get(&p.file.rel)).filter(|s| s.key == key) {
        Some(s) => s.clone(),
        None => {
            let (html, diagnostics) = render_summary(site, &p.file, source, p.summary.is_some());
            Summary { key, html, text: markdown::plain_text(source), diagnostics }
        }
    };
    let url = site::post_path(&p.slug.value);
    let card = PostCard {
        title: p.title.clone(),
        permalink: absolute(site, &url),
        date: dates::rfc3339(&p.date.value),
        date_display: dates::human(&p.date.value),
        summary_html: summary.html,
        summary_text: summary.text,
        authors: p
            .authors
            .iter()
            .filter_map(|a| site.person_by_id.get(&a.value).map(|&j| person_cards[j].clone()))
            .collect(),
        tags: p
            .tags
            .iter()
            .zip(&p.tag_slugs)
            .map(|(t, slug)| TagRef { name: t.value.trim().to_string(), url: site::tag_path(slug) })
            .collect(),
        featured: p.featured,
        image: p.image.as_ref().map(|im| image_info(site, im, &url, p.bundle_dir.as_deref())),
        url,
    };
    Some((card, key, summary.diagnostics))
}

impl<'a> Shared<'a> {
    pub fn new(site: &'a Site, tera: &'a Tera, live_reload: bool) -> Shared<'a> {
        Shared::with_summaries(site, tera, live_reload, None)
    }

    /// Like `new`, reusing the rendered summaries of `previous` (from `summaries()`) where a
    /// post's summary is unchanged (for `serve`).
    pub fn with_summaries(
        site: &'a Site,
        tera: &'a Tera,
        live_reload: bool,
        previous: Option<&Summaries>,
    ) -> Shared<'a> {
        use rayon::prelude::*;
        let person_cards = person_cards(site);
        let cards: Vec<Option<(PostCard, u64, Vec<Diagnostic>)>> =
            (0..site.posts.len()).into_par_iter().map(|i| post_card(site, i, &person_cards, previous)).collect();
        let mut post_cards = Vec::with_capacity(cards.len());
        let mut summary_keys = Vec::with_capacity(cards.len());
        let mut diagnostics = Vec::new();
        for c in cards {
            match c {
                Some((card, key, d)) => {
                    post_cards.push(Some(card));
                    summary_keys.push(key);
                    diagnostics.extend(d);
                }
                None => {
                    post_cards.push(None);
                    summary_keys.push(0);
                }
            }
        }
        let cause_cards = site.causes.iter().map(|c| cause_card(site, c, &person_cards)).collect();
        let menu = site
            .pages
            .iter()
            .filter(|p| p.menu.is_some())
            .map(|p| MenuItem { title: p.title.clone(), url: site::page_path(&p.slug.value) })
            .collect();
        let guidelines_url =
            site.pages.iter().find(|p| p.slug.value == "guidelines").map(|p| site::page_path(&p.slug.value));
        let parts = Parts { post_cards, summary_keys, person_cards, cause_cards, menu, guidelines_url, diagnostics };
        Shared { site, tera, live_reload, timings: None, parts }
    }

    /// A `Shared` for `site` from the parts of an earlier one for the same site, which
    /// `update_post` then brings up to date post by post.
    pub fn from_parts(site: &'a Site, tera: &'a Tera, live_reload: bool, parts: Parts) -> Shared<'a> {
        Shared { site, tera, live_reload, timings: None, parts }
    }

    /// Recomputes post `i`'s card, after the post was replaced by an edit that kept its
    /// place (address, date, authors, tags and state).
    pub fn update_post(&mut self, i: usize, previous: Option<&Summaries>) {
        let site = self.site;
        let rel = &site.posts[i].file.rel;
        self.parts.diagnostics.retain(|d| d.file != *rel);
        if let Some((card, key, d)) = post_card(site, i, &self.parts.person_cards, previous) {
            self.parts.post_cards[i] = Some(card);
            self.parts.summary_keys[i] = key;
            self.parts.diagnostics.extend(d);
        }
    }

    /// Gives back the parts, for `from_parts` next time.
    pub fn into_parts(self) -> Parts {
        self.parts
    }

    /// Every post's summary, by file, for `with_summaries` next time.
    pub fn summaries(&self) -> Summaries {
        let site = self.site;
        let mut by_file: HashMap<&str, Vec<Diagnostic>> = HashMap::new();
        for d in &self.parts.diagnostics {
            by_file.entry(d.file.as_str()).or_default().push(d.clone());
        }
        self.parts
            .post_cards
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let c = c.as_ref()?;
                let rel = &site.posts[i].file.rel;
                let summary = Summary {
                    key: self.parts.summary_keys[i],
                    html: c.summary_html.clone(),
                    text: c.summary_text.clone(),
                    diagnostics: by_file.get(rel.as_str()).cloned().unwrap_or_default(),
                };
                Some((rel.clone(), summary))
            })
            .collect()
    }

    pub fn post_cards(&self) -> &[Option<PostCard>] {
        &self.parts.post_cards
    }

    pub fn cause_cards(&self) -> &[CauseCard] {
        &self.parts.cause_cards
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.parts.diagnostics
    }

    pub fn guidelines_url(&self) -> Option<&str> {
        self.parts.guidelines_url.as_deref()
    }

    /// The digest page of `weeks[n]` (`None` if that week has no digest).
    pub fn digest_page(&self, weeks: &[String], n: usize) -> Option<Result<Output, Diagnostic>> {
        let week = &weeks[n];
        let digest = crate::digest::build(self, week)?;
        let path = crate::digest::digest_path(week);
        let title = format!("Weekly digest, {week}");
        let mut ctx = self.base(
            &path,
            &title,
            &format!("What was shared in {week} ({}), and the causes coming up.", digest.range),
            "website",
        );
        ctx.insert("digest", &digest);
        ctx.insert("optional", crate::digest::OPTIONAL);
        ctx.insert("prev_url", &n.checked_sub(1).map(|p| crate::digest::digest_path(&weeks[p])));
        ctx.insert("next_url", &weeks.get(n + 1).map(|w| crate::digest::digest_path(w)));
        Some(self.render("digest.html", &ctx, &path))
    }

    /// `/digest/`: every week, newest first.
    pub fn digest_index(&self, weeks: &[String]) -> Result<Output, Diagnostic> {
        let mut ctx =
            self.base("/digest/", "Weekly digests", "One message a week instead of a stream of requests.", "website");
        let list: Vec<Value> =
            weeks.iter().rev().map(|w| json!({"week": w, "url": crate::digest::digest_path(w)})).collect();
        ctx.insert("weeks", &list);
        self.render("digests.html", &ctx, "/digest/")
    }

    /// The digest as a standalone HTML message (for `chorus digest --format html`).
    pub fn digest_email(&self, digest: &crate::digest::Digest) -> Result<String, Diagnostic> {
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site.config.info());
        ctx.insert("digest", digest);
        ctx.insert("optional", crate::digest::OPTIONAL);
        self.tera.render("digest_email.html", &ctx).map_err(|e| {
            Diagnostic::error("template", format!("the template `digest_email.html` failed: {}", error_chain(&e)))
                .in_file(self.template_file("digest_email.html"))
        })
    }

    /// The context every page starts from.
    fn base(&self, path: &str, title: &str, description: &str, kind: &str) -> tera::Context {
        let site = self.site;
        let mut ctx = tera::Context::new();
        ctx.insert("site", &site.config.info());
        ctx.insert("menu", &self.parts.menu);
        ctx.insert("guidelines_url", &self.parts.guidelines_url);
        ctx.insert("live_reload", &self.live_reload);
        ctx.insert("current_path", path);
        let description = if description.trim().is_empty() { site.config.description.as_str() } else { description };
        ctx.insert(
            "meta",
            &json!({
                "title": title,
                "description": truncate_chars(description, 300),
                "url": absolute(site, path),
                "type": kind,
            }),
        );
        ctx
    }

    fn render(&self, template: &str, ctx: &tera::Context, path: &str) -> Result<Output, Diagnostic> {
        let started = std::time::Instant::now();
        let result = self.tera.render(template, ctx);
        if let Some(t) = self.timings {
            t.template(template, started.elapsed().as_nanos() as u64);
        }
        result.map(|html| Output { path: output_file(path), html }).map_err(|e| {
            Diagnostic::error("template", format!("the template `{template}` failed for {path}: {}", error_chain(&e)))
                .in_file(self.template_file(template))
                .with_hint("a variable may be misspelled or missing for this page; see docs/templates.md for what each template receives")
        })
    }

    fn template_file(&self, name: &str) -> String {
        let site_file = self.site.root.join("templates").join(name);
        if site_file.is_file() {
            format!("templates/{name}")
        } else {
            format!("themes/{}/templates/{name}", self.site.config.theme)
        }
    }

    fn networks_for(&self, spec: &Option<Vec<Network>>, author: Option<&str>) -> Vec<Network> {
        if let Some(n) = spec {
            return n.clone();
        }
        let mut order: Vec<Network> = Vec::new();
        if let Some(p) = author.and_then(|a| self.site.person(a)) {
            order.extend(p.networks.iter().filter(|n| self.site.config.networks.contains(n)));
        }
        for n in &self.site.config.networks {
            if !order.contains(n) {
                order.push(*n);
            }
        }
        order
    }

    pub fn post_kit(&self, i: usize) -> ShareKit {
        self.with_post_source(i, share::build_kit)
    }

    /// The suggested messages of post `i`'s kit, without its buttons.
    pub fn post_messages(&self, i: usize) -> Vec<share::Message> {
        self.with_post_source(i, share::messages)
    }

    fn with_post_source<R>(&self, i: usize, f: impl FnOnce(&share::ShareSource) -> R) -> R {
        let site = self.site;
        let p = &site.posts[i];
        let permalink = absolute(site, &site::post_path(&p.slug.value));
        let networks = self.networks_for(&p.share.networks, p.authors.first().map(|a| a.value.as_str()));
        f(&share::ShareSource {
            title: &p.title,
            permalink: &permalink,
            summary: self.parts.post_cards[i].as_ref().map_or("", |c| c.summary_text.as_str()),
            text: p.share.text.as_deref(),
            variants: &p.share.variants,
            overrides: &p.share.overrides,
            hashtags: &p.share.hashtags,
            disclosure: site.config.disclosure.as_deref(),
            networks: &networks,
            utm: site.config.utm.as_ref(),
        })
    }

    pub fn cause_kit(&self, i: usize) -> ShareKit {
        let site = self.site;
        let c = &site.causes[i];
        let permalink = absolute(site, &site::cause_path(&c.slug.value));
        let networks = self.networks_for(&c.share.networks, Some(&c.person.value));
        share::build_kit(&share::ShareSource {
            title: &c.title,
            permalink: &permalink,
            summary: &self.parts.cause_cards[i].summary_text,
            text: c.share.text.as_deref(),
            variants: &c.share.variants,
            overrides: &c.share.overrides,
            hashtags: &c.share.hashtags,
            disclosure: None,
            networks: &networks,
            utm: site.config.utm.as_ref(),
        })
    }

    /// A post's page, with the problems its body has.
    /// A post's page, the problems its body has, and the body's HTML (for feeds).
    pub fn post_page(&self, i: usize) -> (Option<Output>, Vec<Diagnostic>, String) {
        let site = self.site;
        let p = &site.posts[i];
        let Some(card) = &self.parts.post_cards[i] else { return (None, Vec::new(), String::new()) };
        let body = render_body(site, &p.file, true, self.timings);
        let mut diags = body.diagnostics;
        let path = card.url.clone();
        let expired = site.post_state[i] == PostState::Expired;
        let mut ctx = self.base(&path, &p.title, &card.summary_text, "article");
        let kit = (!expired).then(|| self.post_kit(i));
        if let Some(kit) = &kit {
            for (network, length) in share::over_limit(kit) {
                diags.push(too_long(&p.file, network, length));
            }
        }
        let note_author =
            p.authors.first().and_then(|a| site.person_by_id.get(&a.value)).map(|&j| &self.parts.person_cards[j]);
        ctx.insert(
            "post",
            &json!({
                "title": p.title,
                "url": card.url,
                "permalink": card.permalink,
                "date": card.date,
                "date_display": card.date_display,
                "summary_text": card.summary_text,
                "content": body.html,
                "headings": body.headings,
                "authors": card.authors,
                "tags": card.tags,
                "note": p.note,
                "note_html": p.note.as_deref().map(plain_paragraphs),
                "note_author": note_author,
                "via": p.via,
                "featured": p.featured,
                "image": card.image,
                "expired": expired,
                "expires": p.expires.map(|e| dates::human(&e)),
                "draft": p.draft,
                "extra": p.extra,
            }),
        );
        ctx.insert("kit", &kit);
        let mut meta = ctx.get("meta").cloned().unwrap_or(Value::Null);
        meta["published_time"] = json!(card.date);
        meta["authors"] = card.authors.iter().map(|a| absolute(site, &a.url)).collect();
        meta["tags"] = card.tags.iter().map(|t| t.name.clone()).collect();
        if let Some(im) = &card.image {
            meta["image"] = json!(im);
        }
        meta["json_ld"] = json!(json_ld(&self.article_ld(i, card)));
        ctx.insert("meta", &meta);
        match self.render("post.html", &ctx, &path) {
            Ok(o) => (Some(o), diags, body.html),
            Err(d) => {
                diags.push(d);
                (None, diags, body.html)
            }
        }
    }

    fn article_ld(&self, i: usize, card: &PostCard) -> Value {
        let site = self.site;
        let p = &site.posts[i];
        let mut ld = json!({
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": p.title,
            "description": card.summary_text,
            "datePublished": card.date,
            "url": card.permalink,
            "mainEntityOfPage": card.permalink,
            "inLanguage": site.config.language,
            "author": card.authors.iter().map(|a| json!({
                "@type": "Person",
                "name": a.name,
                "url": absolute(site, &a.url),
                "jobTitle": a.role,
            })).collect::<Vec<_>>(),
            "keywords": card.tags.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
        });
        if !site.config.company.is_empty() {
            ld["publisher"] =
                json!({"@type": "Organization", "name": site.config.company, "url": site.config.base_url});
        }
        if let Some(im) = &card.image {
            ld["image"] = json!(im.absolute_url);
        }
        if let Some(v) = &p.via {
            ld["isBasedOn"] = json!(v.url);
        }
        ld
    }

    pub fn cause_page(&self, i: usize) -> (Option<Output>, Vec<Diagnostic>) {
        let site = self.site;
        if !site.cause_published[i] {
            return (None, Vec::new());
        }
        let c = &site.causes[i];
        let card = &self.parts.cause_cards[i];
        let body = render_body(site, &c.file, true, self.timings);
        let mut diags = body.diagnostics;
        let kit = self.cause_kit(i);
        for (network, length) in share::over_limit(&kit) {
            diags.push(too_long(&c.file, network, length));
        }
        let mut ctx = self.base(&card.url, &c.title, &card.summary_text, "website");
        let past = c.last_moment() < site.options.now;
        ctx.insert(
            "cause",
            &json!({
                "card": card,
                "title": c.title,
                "content": body.html,
                "past": past,
                "extra": c.extra,
            }),
        );
        ctx.insert("kit", &kit);
        let mut ld = json!({
            "@context": "https://schema.org",
            "@type": "Event",
            "name": c.title,
            "description": card.summary_text,
            "startDate": card.starts,
            "url": absolute(site, &card.url),
            "eventStatus": "https://schema.org/EventScheduled",
        });
        if let Some(e) = &card.ends {
            ld["endDate"] = json!(e);
        }
        ld["location"] = match &c.location {
            Some(Location::Place { name, address }) => {
                json!({"@type": "Place", "name": name, "address": address.clone().unwrap_or_else(|| name.clone())})
            }
            Some(Location::Online { online }) => json!({"@type": "VirtualLocation", "url": online}),
            None => json!({"@type": "Place", "name": card.title}),
        };
        ld["eventAttendanceMode"] = json!(match &c.location {
            Some(Location::Online { .. }) => "https://schema.org/OnlineEventAttendanceMode",
            _ => "https://schema.org/OfflineEventAttendanceMode",
        });
        if let Some(o) = &card.owner {
            ld["organizer"] = json!({"@type": "Person", "name": o.name, "url": absolute(site, &o.url)});
        }
        if let Some(im) = &card.image {
            ld["image"] = json!(im.absolute_url);
        }
        if let Some(link) = &c.link {
            ld["offers"] = json!({"@type": "Offer", "url": link});
        }
        let mut meta = ctx.get("meta").cloned().unwrap_or(Value::Null);
        if let Some(im) = &card.image {
            meta["image"] = json!(im);
        }
        meta["json_ld"] = json!(json_ld(&ld));
        ctx.insert("meta", &meta);
        match self.render("cause.html", &ctx, &card.url) {
            Ok(o) => (Some(o), diags),
            Err(d) => {
                diags.push(d);
                (None, diags)
            }
        }
    }

    pub fn person_pages(&self, i: usize) -> (Vec<Output>, Vec<Diagnostic>) {
        let site = self.site;
        let p = &site.people[i];
        if !p.visible() {
            return (Vec::new(), Vec::new());
        }
        let card = &self.parts.person_cards[i];
        let body = render_body(site, &p.file, true, self.timings);
        let mut diags = body.diagnostics;
        let bio_text = markdown::plain_text(markdown::summary_source(p.file.body()));
        let upcoming: Vec<&CauseCard> = site.person_causes[i]
            .iter()
            .filter(|&&c| site.causes[c].last_moment() >= site.options.now)
            .map(|&c| &self.parts.cause_cards[c])
            .collect();
        let past: Vec<&CauseCard> = site.person_causes[i]
            .iter()
            .filter(|&&c| site.causes[c].last_moment() < site.options.now)
            .map(|&c| &self.parts.cause_cards[c])
            .collect();
        let links: Vec<Value> =
            p.links.iter().map(|(k, url)| json!({"network": k, "label": link_label(k), "url": url})).collect();
        let person = json!({
            "card": card,
            "name": p.name,
            "bio": body.html,
            "links": links,
            "extra": p.extra,
        });
        let mut outputs = Vec::new();
        let ld = json!({
            "@context": "https://schema.org",
            "@type": "ProfilePage",
            "mainEntity": {
                "@type": "Person",
                "name": p.name,
                "jobTitle": p.role,
                "url": absolute(site, &card.url),
                "sameAs": p.links.iter().map(|(_, u)| u.clone()).collect::<Vec<_>>(),
            }
        });
        for n in 1..=self.page_count(site.person_posts[i].len()) {
            let (path, posts, paginator) = self.paginate_one(&card.url, &site.person_posts[i], n);
            let title = if n == 1 { p.name.clone() } else { format!("{} — page {n}", p.name) };
            let mut ctx = self.base(&path, &title, &bio_text, "profile");
            ctx.insert("person", &person);
            ctx.insert("posts", &posts);
            ctx.insert("paginator", &paginator);
            ctx.insert("causes_upcoming", &upcoming);
            ctx.insert("causes_past", &past);
            let mut meta = ctx.get("meta").cloned().unwrap_or(Value::Null);
            if let Some(av) = &card.avatar {
                meta["image"] = json!(av);
            }
            meta["json_ld"] = json!(json_ld(&ld));
            ctx.insert("meta", &meta);
            match self.render("person.html", &ctx, &path) {
                Ok(o) => outputs.push(o),
                Err(d) => diags.push(d),
            }
        }
        (outputs, diags)
    }

    /// How many pages a listing of `count` posts has (always at least one).
    pub fn page_count(&self, count: usize) -> usize {
        count.div_ceil(self.site.config.paginate.max(1)).max(1)
    }

    /// Page `n` (1-based) of `posts` split into pages: `base`, `base/page/2/`, …
    fn paginate_one(&self, base: &str, posts: &[usize], n: usize) -> (String, Vec<&PostCard>, Paginator) {
        let per = self.site.config.paginate.max(1);
        let total = self.page_count(posts.len());
        let page_path = |n: usize| if n <= 1 { base.to_string() } else { format!("{base}page/{n}/") };
        let chunk: Vec<&PostCard> =
            posts.iter().skip((n - 1) * per).take(per).filter_map(|&i| self.parts.post_cards[i].as_ref()).collect();
        let paginator = Paginator {
            current: n,
            total,
            prev_url: (n > 1).then(|| page_path(n - 1)),
            next_url: (n < total).then(|| page_path(n + 1)),
            first_url: base.to_string(),
        };
        (page_path(n), chunk, paginator)
    }

    /// Renders page `n` (1-based) of a paginated listing.
    #[allow(clippy::too_many_arguments)]
    fn listing(
        &self,
        template: &str,
        base: &str,
        title: &str,
        description: &str,
        posts: &[usize],
        n: usize,
        extra: impl Fn(&mut tera::Context),
    ) -> Result<Output, Diagnostic> {
        let (path, cards, paginator) = self.paginate_one(base, posts, n);
        let t = if n == 1 { title.to_string() } else { format!("{title} — page {n}") };
        let mut ctx = self.base(&path, &t, description, "website");
        ctx.insert("posts", &cards);
        ctx.insert("paginator", &paginator);
        ctx.insert("title", &t);
        extra(&mut ctx);
        self.render(template, &ctx, &path)
    }

    /// The page number (1-based) of a listing that shows post `i`.
    pub fn page_of(&self, posts: &[usize], i: usize) -> Option<usize> {
        posts.iter().position(|&p| p == i).map(|pos| pos / self.site.config.paginate.max(1) + 1)
    }

    /// `/posts/` and its further pages (all, or only page `only`).
    pub fn posts_listing(&self, n: usize) -> Result<Output, Diagnostic> {
        let site = self.site;
        self.listing("posts.html", "/posts/", "All posts", &site.config.description, &site.listed, n, |_| {})
    }

    /// Page `n` of one tag.
    pub fn tag_listing(&self, tag: &crate::site::Tag, n: usize) -> Result<Output, Diagnostic> {
        let base = site::tag_path(&tag.slug);
        let tag_ref = TagRef { name: tag.name.clone(), url: base.clone() };
        self.listing("tag.html", &base, &format!("Posts tagged “{}”", tag.name), "", &tag.posts, n, |ctx| {
            ctx.insert("tag", &tag_ref)
        })
    }

    /// The home page: the newest posts, a link onward, and the causes coming up.
    pub fn home(&self) -> Result<Output, Diagnostic> {
        let site = self.site;
        let mut ctx = self.base("/", &site.config.title, &site.config.description, "website");
        let per = site.config.paginate.max(1);
        let newest: Vec<&PostCard> =
            site.listed.iter().take(per).filter_map(|&i| self.parts.post_cards[i].as_ref()).collect();
        let upcoming: Vec<&CauseCard> =
            site.upcoming_causes().into_iter().take(6).map(|c| &self.parts.cause_cards[c]).collect();
        ctx.insert("posts", &newest);
        ctx.insert("more_url", &(site.listed.len() > per).then_some("/posts/page/2/"));
        ctx.insert("causes_upcoming", &upcoming);
        let mut meta = ctx.get("meta").cloned().unwrap_or(Value::Null);
        meta["json_ld"] = json!(json_ld(&json!({
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": site.config.title,
            "url": site.config.base_url,
            "description": site.config.description,
        })));
        ctx.insert("meta", &meta);
        self.render("index.html", &ctx, "/")
    }

    pub fn tags_index(&self) -> Result<Output, Diagnostic> {
        let site = self.site;
        let tags: Vec<Value> = site
            .tags
            .values()
            .map(|t| json!({"name": t.name, "url": site::tag_path(&t.slug), "count": t.posts.len()}))
            .collect();
        let mut ctx = self.base("/tags/", "Tags", "", "website");
        ctx.insert("tags", &tags);
        self.render("tags.html", &ctx, "/tags/")
    }

    pub fn people_page(&self) -> Result<Output, Diagnostic> {
        let people: Vec<Value> = self
            .site
            .visible_people()
            .map(|(i, p)| {
                json!({
                    "card": self.parts.person_cards[i],
                    "bio_text": markdown::plain_text(markdown::summary_source(p.file.body())),
                    "post_count": self.site.person_posts[i].len(),
                    "cause_count": self.site.person_causes[i].len(),
                })
            })
            .collect();
        let mut ctx = self.base("/people/", "People", "The people who share here, in their own words.", "website");
        ctx.insert("people", &people);
        self.render("people.html", &ctx, "/people/")
    }

    pub fn causes_page(&self) -> Result<Output, Diagnostic> {
        let site = self.site;
        let upcoming: Vec<&CauseCard> =
            site.upcoming_causes().into_iter().map(|c| &self.parts.cause_cards[c]).collect();
        let past: Vec<&CauseCard> = site.past_causes().into_iter().map(|c| &self.parts.cause_cards[c]).collect();
        let mut ctx = self.base(
            "/causes/",
            "Causes our people care about",
            "Charity runs, exhibitions, gigs and volunteering days of the people who work here.",
            "website",
        );
        ctx.insert("upcoming", &upcoming);
        ctx.insert("past", &past);
        self.render("causes.html", &ctx, "/causes/")
    }

    pub fn page(&self, i: usize) -> (Option<Output>, Vec<Diagnostic>) {
        let site = self.site;
        let p = &site.pages[i];
        let body = render_body(site, &p.file, true, self.timings);
        let mut diags = body.diagnostics;
        let path = site::page_path(&p.slug.value);
        let description =
            p.summary.clone().unwrap_or_else(|| markdown::plain_text(markdown::summary_source(p.file.body())));
        let mut ctx = self.base(&path, &p.title, &description, "website");
        ctx.insert("page", &json!({"title": p.title, "slug": p.slug.value, "summary": p.summary, "content": body.html, "headings": body.headings, "extra": p.extra}));
        match self.render("page.html", &ctx, &path) {
            Ok(o) => (Some(o), diags),
            Err(d) => {
                diags.push(d);
                (None, diags)
            }
        }
    }

    pub fn not_found(&self) -> Result<Output, Diagnostic> {
        let ctx = self.base("/404.html", "Page not found", "", "website");
        self.tera.render("404.html", &ctx).map(|html| Output { path: "404.html".into(), html }).map_err(|e| {
            Diagnostic::error("template", format!("the template `404.html` failed: {}", error_chain(&e)))
                .in_file(self.template_file("404.html"))
        })
    }
}

/// A message over a network's limit, pointing at the text it comes from: the network's own
/// override, else `share.text`, else `summary:`, else the body (whose first paragraph is
/// the fallback message).
fn too_long(file: &crate::content::SourceFile, network: Network, length: share::Length) -> Diagnostic {
    let lines: Vec<&str> = file.text.lines().collect();
    let share_at = lines.iter().position(|l| l.starts_with("share:"));
    let in_share = |key: &str| {
        share_at.and_then(|s| {
            lines[s + 1..]
                .iter()
                .take_while(|l| l.starts_with(' ') || l.is_empty())
                .position(|l| l.trim_start().starts_with(&format!("{key}:")))
                .map(|i| s + 1 + i)
        })
    };
    let top = |key: &str| lines.iter().position(|l| l.starts_with(&format!("{key}:")));
    let line = in_share(network.id())
        .or_else(|| in_share("text"))
        .or_else(|| top("summary"))
        .map_or(file.body_line, |i| i + 1);
    let width = lines.get(line - 1).map_or(1, |l| l.trim_end().chars().count());
    let label = network.label();
    Diagnostic::warning(
        "share-too-long",
        format!("the message for {label} is {} characters long; {label} allows {}", length.used, length.limit),
    )
    .in_file(&file.rel)
    .at(&file.text, line, 1, width)
    .with_hint(format!("shorten the message, or add a shorter one for {label} as `share.{}: …`", network.id()))
}

/// Text as the person wrote it, in paragraphs: their own words, not Markdown.
fn plain_paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", markdown::escape_html(p).replace('\n', "<br>")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn link_label(key: &str) -> String {
    match key {
        "x" | "twitter" => "X".into(),
        "linkedin" => "LinkedIn".into(),
        "github" => "GitHub".into(),
        "gitlab" => "GitLab".into(),
        "bluesky" => "Bluesky".into(),
        "mastodon" => "Mastodon".into(),
        "website" | "web" | "site" => "Website".into(),
        other => {
            let mut c = other.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        }
    }
}

/// `posts/x/` → `posts/x/index.html`.
pub fn output_file(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.is_empty() {
        "index.html".into()
    } else if p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}

/// JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` escaped so no
/// content can close the script element.
pub fn json_ld(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "{}".into());
    s.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

fn truncate_chars(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let cut: String = s.chars().take(n.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script() {
        let s = json_ld(&json!({"name": "</script><script>alert(1)</script>"}));
        assert!(!s.contains("</script>"));
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap()["name"], "</script><script>alert(1)</script>");
    }

    #[test]
    fn escaping_keeps_slashes_and_hostile_values_inert() {
        let mut tera = Tera::default();
        tera.add_raw_template("t.html", r#"<p>{{ v }}</p><a href="{{ v }}" title='{{ v }}'>x</a>"#).unwrap();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(crate::markdown::escape_html);
        let mut ctx = tera::Context::new();
        ctx.insert("v", "https://a.example/x?y=1&z=\"'><script>alert(1)</script>");
        let html = tera.render("t.html", &ctx).unwrap();
        let escaped = "https://a.example/x?y=1&amp;z=&quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;";
        assert_eq!(html, format!(r#"<p>{escaped}</p><a href="{escaped}" title='{escaped}'>x</a>"#));
    }

    #[test]
    fn output_files_are_index_html() {
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/posts/a/"), "posts/a/index.html");
        assert_eq!(output_file("/404.html"), "404.html");
    }
}
