//! The hub as a whole: every item loaded, cross-checked, and sorted into what is published,
//! what is listed, and what is left out (and why).
//!
//! `Site::load` is the first half of every command: it reads all content in parallel and
//! returns the site **and** every diagnostic, never stopping at the first.

mod aliases;
mod check;
mod ids;
mod languages;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use aliases::Redirect;
pub use ids::{CauseId, PageId, PersonId, PostId, TagId};
use languages::item_file;

/// A hash map with a fast, randomly seeded hasher, for the site's indexes.
pub type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

use crate::config::Config;
use crate::content::{self, Cause, Found, Item, Page, Person, Post, Rejected, SourceFile};
use crate::dates::Date;
use crate::diagnostic::Code;
use crate::diagnostic::{self, Diagnostic};

/// When a file was last written, as far as reusing what was read from it goes.
type Stamp = (std::time::SystemTime, u64);

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// Items read from files, kept between builds of `serve`. The default cache keeps nothing
/// (a one-off build would only double its memory); `LoadCache::keeping()` keeps.
#[derive(Default)]
pub struct LoadCache {
    entries: HashMap<PathBuf, CacheEntry>,
    zone: Option<chrono::FixedOffset>,
    keep: bool,
}

impl LoadCache {
    pub fn keeping() -> LoadCache {
        LoadCache { keep: true, ..LoadCache::default() }
    }

    /// Reads one file, for `serve` when the file is known to be the only one changed; nothing
    /// is remembered until `remember` is called with what this returns.
    pub fn read(root: &Path, found: &Found, zone: chrono::FixedOffset) -> Reread {
        let stamp = stamp(&found.path);
        let (item, diagnostics) = content::load(root, found, zone);
        Reread { path: found.path.clone(), stamp, item, diagnostics }
    }

    /// Keeps what `read` found, for the builds that follow.
    pub fn remember(&mut self, r: &Reread) {
        if self.keep && r.stamp.is_some() {
            let entry = CacheEntry { stamp: r.stamp, item: r.item.clone(), diagnostics: r.diagnostics.clone() };
            self.entries.insert(r.path.clone(), entry);
        }
    }
}

/// A file read again by `LoadCache::read`.
pub struct Reread {
    path: PathBuf,
    stamp: Option<Stamp>,
    pub item: Option<Item>,
    pub diagnostics: Vec<Diagnostic>,
}

struct CacheEntry {
    stamp: Option<Stamp>,
    item: Option<Item>,
    diagnostics: Vec<Diagnostic>,
}

/// How a build treats scheduling.
#[derive(Clone, Debug)]
pub struct Options {
    pub drafts: bool,
    pub future: bool,
    pub now: Date,
    /// Overrides `base_url` from the config (e.g. for a preview deployment).
    pub base_url: Option<String>,
}

/// Why a post is or is not on the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PostState {
    /// Page built and listed everywhere.
    Live,
    /// Page built and marked as ended, but in no listing, feed or digest.
    Expired,
    Draft,
    Scheduled,
    /// An author has not consented or has withdrawn.
    AuthorHidden,
}

impl PostState {
    pub fn has_page(self) -> bool {
        matches!(self, PostState::Live | PostState::Expired)
    }
}

pub struct Tag {
    pub slug: String,
    pub name: String,
    /// Listed posts, newest first.
    pub posts: Vec<PostId>,
}

/// The loaded hub. Items are read through typed ids (`PostId`, `PersonId`, …) and the
/// accessors in `ids.rs`; the tables below are parallel, one entry per item.
pub struct Site {
    root: PathBuf,
    config: Config,
    options: Options,
    /// Newest first, then by slug.
    posts: Vec<Post>,
    post_state: Vec<PostState>,
    /// By name.
    people: Vec<Person>,
    /// Soonest first.
    causes: Vec<Cause>,
    cause_published: Vec<bool>,
    /// By menu weight, then title.
    pages: Vec<Page>,
    person_by_id: FastMap<String, PersonId>,
    /// Posts with state `Live`, newest first.
    listed: Vec<PostId>,
    /// Tags of listed posts, by slug.
    tags: Vec<Tag>,
    /// For each person: their listed posts, newest first.
    person_posts: Vec<Vec<PostId>>,
    /// For each person: their published causes.
    person_causes: Vec<Vec<CauseId>>,
    /// `posts/x.md` → a post with a page.
    post_by_file: FastMap<String, PostId>,
    /// Each post's address, from `permalinks.posts` (the only place post addresses come from).
    post_paths: Vec<String>,
    /// The redirect pages of the aliases of items with a page, in the site's order.
    redirects: Vec<Redirect>,
    /// Files left out for their errors, kept for the checks across files (never published).
    rejected: Vec<Rejected>,
    /// In a hub with languages: the pages of the other languages, by file (`posts/a.md`,
    /// `posts/a.de.md`), for `@/` links to what this language has no translation of.
    elsewhere: std::sync::Arc<FastMap<String, String>>,
}

/// Sections of the site that a page's slug may not take.
pub const RESERVED: &[&str] =
    &["posts", "people", "causes", "tags", "digest", "page", "static", "feed", "assets", "search", "__chorus"];

/// Gives each language's site the pages of the others (`Site::elsewhere`).
fn link_languages(sites: &mut [Site]) {
    let pages_of = |site: &Site| -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut add = |file: &content::SourceFile, path: String| {
            let rel = file.rel.strip_prefix("content/").unwrap_or(&file.rel).to_string();
            let key = crate::translations::key_of(&rel, file.language.as_ref().map(|l| l.value.as_str()));
            if key != rel {
                out.push((key, path.clone()));
            }
            out.push((rel, path));
        };
        for (id, p) in site.posts().filter(|(id, _)| site.post_state(*id).has_page()) {
            add(&p.file, site.post_path(id).to_string());
        }
        for (_, c) in site.published_causes() {
            add(&c.file, site.cause_path(&c.slug.value));
        }
        for (_, p) in site.pages() {
            add(&p.file, site.page_path(&p.slug.value));
        }
        out
    };
    let all: Vec<Vec<(String, String)>> = sites.iter().map(pages_of).collect();
    for (i, site) in sites.iter_mut().enumerate() {
        let mut map: FastMap<String, String> = FastMap::default();
        for (_, pages) in all.iter().enumerate().filter(|(j, _)| *j != i) {
            for (file, path) in pages {
                map.entry(file.clone()).or_insert_with(|| path.clone());
            }
        }
        site.elsewhere = std::sync::Arc::new(map);
    }
}

/// Loading waits on the disk more than on the processor: with more threads than cores,
/// more reads are in flight, which reads a cold hub several times faster from a virtual
/// or network disk. Parsing is short, so the extra threads cost little.
fn reading_pool() -> Option<rayon::ThreadPool> {
    let threads = std::thread::available_parallelism().map_or(8, |n| n.get() * 4).clamp(4, 32);
    rayon::ThreadPoolBuilder::new().num_threads(threads).thread_name(|i| format!("chorus-read-{i}")).build().ok()
}

impl Site {
    /// The page of `file` (`posts/a.md`) in another of the hub's languages, for an `@/` link
    /// to what this language does not have: the default language's first.
    pub fn elsewhere(&self, file: &str) -> Option<&str> {
        self.elsewhere.get(file).map(String::as_str)
    }

    /// Whether this site shows the content file `rel` (`content/posts/a.md`): as one of its
    /// posts, people, causes or pages, or as the original of one of its translations.
    pub fn shows_file(&self, rel: &str) -> bool {
        let is = |f: &content::SourceFile| {
            f.rel == rel || crate::translations::key_of(&f.rel, f.language.as_ref().map(|l| l.value.as_str())) == rel
        };
        self.posts().any(|(_, p)| is(&p.file))
            || self.people().any(|(_, p)| is(&p.file))
            || self.causes().any(|(_, c)| is(&c.file))
            || self.pages().any(|(_, p)| is(&p.file))
    }

    /// A site path (`/posts/`) in this site's language (`/de/posts/`).
    pub fn path(&self, path: &str) -> String {
        self.config.path(path)
    }
    pub fn person_path(&self, id: &str) -> String {
        format!("{}/people/{id}/", self.config.prefix)
    }
    pub fn cause_path(&self, slug: &str) -> String {
        format!("{}/causes/{slug}/", self.config.prefix)
    }
    pub fn tag_path(&self, slug: &str) -> String {
        format!("{}/tags/{slug}/", self.config.prefix)
    }
    pub fn page_path(&self, slug: &str) -> String {
        format!("{}/{slug}/", self.config.prefix)
    }
    /// The language of this site's pages (`de`), and its place (`/de`, empty for the default).
    pub fn language(&self) -> &str {
        &self.config.language
    }

    /// Loads the hub at `root`. The site is `None` only when the config cannot be used.
    pub fn load(root: &Path, options: Options) -> (Option<Site>, Vec<Diagnostic>) {
        Site::load_cached(root, options, &mut LoadCache::default(), &HashSet::new())
    }

    /// Like `load`, but reuses what `cache` read earlier from files that have not changed
    /// since (same modification time and length, and not in `changed`): `serve` reloads only
    /// the files that were edited.
    pub fn load_cached(
        root: &Path,
        options: Options,
        cache: &mut LoadCache,
        changed: &HashSet<PathBuf>,
    ) -> (Option<Site>, Vec<Diagnostic>) {
        let (sites, diags) = Site::load_languages(root, options, cache, changed);
        (sites.into_iter().next(), diags)
    }

    /// Loads the hub once per language (DESIGN §13): the default language first, then the
    /// others in the order of `languages:`. A hub without languages is one site, as it always
    /// was. Every file is read once; a translation takes what it does not write from its
    /// original; profiles are in every language (translated where a translation exists).
    /// No site is returned only when the config cannot be used.
    pub fn load_languages(
        root: &Path,
        options: Options,
        cache: &mut LoadCache,
        changed: &HashSet<PathBuf>,
    ) -> (Vec<Site>, Vec<Diagnostic>) {
        let (config, mut diags) = Config::load(root);
        let Some(mut config) = config else { return (Vec::new(), diags) };
        if let Some(url) = &options.base_url {
            match crate::fields::check_url(url, crate::fields::Relative::Refused) {
                Ok(()) => config.base_url = url.trim_end_matches('/').to_string(),
                Err(why) => {
                    diags.push(
                        Diagnostic::error(Code::BadUrl, format!("--base-url: {why}"))
                            .with_hint(crate::fields::URL_HINT),
                    );
                    return (Vec::new(), diags);
                }
            }
        }
        // A folder that links out of the hub is refused whole; each walk skips it.
        diags.extend(crate::hub::refused_roots(root, &config.theme));
        // Names under `static/` that cannot be published (`build::assets` leaves them out).
        for dir in [root.join("themes").join(&config.theme).join("static"), root.join("static")] {
            if crate::hub::root_allowed(root, &dir) {
                crate::hub::files_under(root, &dir, &mut diags);
            }
        }
        let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        let (found, found_diags) = content::discover(root, &codes);
        diags.extend(found_diags);
        let zone = config.timezone;
        if cache.zone != Some(zone) {
            cache.entries.clear();
            cache.zone = Some(zone);
        }
        let read_all = || -> Vec<(Option<Item>, Vec<Diagnostic>, Option<Stamp>)> {
            found
                .par_iter()
                .map(|f| {
                    let stamp = if cache.keep { stamp(&f.path) } else { None };
                    let hit = cache
                        .entries
                        .get(&f.path)
                        // A translation is also made of its original, so it is always read again.
                        .filter(|e| stamp.is_some() && e.stamp == stamp && !changed.contains(&f.path))
                        .filter(|_| f.translation.is_none());
                    match hit {
                        Some(e) => {
                            let mut item = e.item.clone();
                            // Bundle folders may have gained or lost files without index.md changing.
                            match &mut item {
                                Some(Item::Post(p)) => p.assets = f.assets.clone(),
                                Some(Item::Cause(c)) => c.assets = f.assets.clone(),
                                _ => {}
                            }
                            (item, e.diagnostics.clone(), None)
                        }
                        None => {
                            let (item, d) = content::load(root, f, zone);
                            (item, d, stamp)
                        }
                    }
                })
                .collect()
        };
        let loaded = match reading_pool() {
            Some(pool) => pool.install(read_all),
            None => read_all(),
        };
        let keep: HashSet<&PathBuf> = found.iter().map(|f| &f.path).collect();
        cache.entries.retain(|p, _| keep.contains(p));
        for (f, (item, d, stamp)) in found.iter().zip(&loaded).filter(|_| cache.keep) {
            if let Some(stamp) = stamp {
                cache.entries.insert(
                    f.path.clone(),
                    CacheEntry { stamp: Some(*stamp), item: item.clone(), diagnostics: d.clone() },
                );
            }
        }
        if !config.multilingual() {
            let mut items = Vec::with_capacity(loaded.len());
            for (item, item_diags, _) in loaded {
                diags.extend(item_diags);
                if let Some(item) = item {
                    if let Some(l) = item_file(&item).language.as_ref() {
                        diags.push(
                            Diagnostic::error(
                                Code::NotAHubLanguage,
                                format!("`language: {}` needs the hub's `languages:`", l.value),
                            )
                            .in_file(&item_file(&item).rel)
                            .at(&item_file(&item).text(), l.line, l.column, l.len)
                            .with_hint(
                                "list the hub's languages under `languages:` in chorus.yaml, or remove this line",
                            ),
                        );
                    }
                    items.push(item);
                }
            }
            let site = Site::assemble(root, config, options, items, &mut diags);
            diagnostic::sort(&mut diags);
            return (vec![site], diags);
        }
        let per_language = languages::place(root, &config, &found, loaded, &mut diags);
        let mut sites = Vec::with_capacity(per_language.len());
        for (i, (lang, placed)) in config.languages.iter().zip(per_language).enumerate() {
            let mut site_diags = Vec::new();
            let site =
                Site::assemble(root, config.for_language(&lang.code), options.clone(), placed.items, &mut site_diags);
            // What a shared profile says is said once, by the default language.
            site_diags.retain(|d| i == 0 || !placed.shared.contains(&d.file));
            diags.extend(site_diags);
            sites.push(site);
        }
        link_languages(&mut sites);
        // A value a translation takes from its original is checked at the original.
        diags.retain(|d| d.line < content::INHERITED_LINE);
        diagnostic::sort(&mut diags);
        diags.dedup();
        (sites, diags)
    }

    /// One language's site from its items: sorted, cross-checked and indexed.
    fn assemble(root: &Path, config: Config, options: Options, items: Vec<Item>, diags: &mut Vec<Diagnostic>) -> Site {
        let mut site = Site {
            root: root.to_path_buf(),
            config,
            options,
            posts: Vec::new(),
            post_state: Vec::new(),
            people: Vec::new(),
            causes: Vec::new(),
            cause_published: Vec::new(),
            pages: Vec::new(),
            person_by_id: FastMap::default(),
            listed: Vec::new(),
            tags: Vec::new(),
            person_posts: Vec::new(),
            person_causes: Vec::new(),
            post_by_file: FastMap::default(),
            post_paths: Vec::new(),
            redirects: Vec::new(),
            rejected: Vec::new(),
            elsewhere: Default::default(),
        };
        // Sized first: a vector of thousands of posts grown by doubling holds twice them
        // while it moves.
        site.posts.reserve_exact(items.iter().filter(|i| matches!(i, Item::Post(_))).count());
        for item in items {
            match item {
                Item::Post(p) => site.posts.push(p),
                Item::Person(p) => site.people.push(p),
                Item::Cause(c) => site.causes.push(c),
                Item::Page(p) => site.pages.push(p),
                Item::Rejected(r) => site.rejected.push(r),
            }
        }
        site.posts.sort_by(|a, b| b.date.value.cmp(&a.date.value).then_with(|| a.slug.value.cmp(&b.slug.value)));
        site.people.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then_with(|| a.id.cmp(&b.id)));
        site.causes.sort_by(|a, b| a.starts.value.cmp(&b.starts.value).then_with(|| a.slug.value.cmp(&b.slug.value)));
        site.pages.sort_by(|a, b| {
            (a.menu.unwrap_or(i64::MAX), a.title.as_str(), a.slug.value.as_str()).cmp(&(
                b.menu.unwrap_or(i64::MAX),
                b.title.as_str(),
                b.slug.value.as_str(),
            ))
        });
        site.cross_check(diags);
        site
    }

    /// Puts `post` in the place of post `id` and returns the problems the site's checks find
    /// in that post's file. When the edit kept what the indexes are made of (file, address,
    /// date, authors, tags, draft, expiry, and so the post's state), only what the edit can
    /// change is checked again (`check.rs`); otherwise the whole site is.
    pub fn replace_post(&mut self, id: PostId, post: Post) -> Vec<Diagnostic> {
        let old = std::mem::replace(&mut self.posts[id.0], post);
        if let Some(diags) = self.check_post_in_place(id, &old) {
            return diags;
        }
        let mut diags = Vec::new();
        self.cross_check(&mut diags);
        let rel = &self.posts[id.0].file.rel;
        diags.retain(|d| d.file == *rel);
        diags
    }

    fn cross_check(&mut self, diags: &mut Vec<Diagnostic>) {
        self.person_by_id = self.people.iter().enumerate().map(|(i, p)| (p.id.clone(), PersonId(i))).collect();
        let (permalinks, zone) = (&self.config.permalinks, self.config.timezone);
        self.post_paths = self
            .posts
            .iter()
            .map(|p| {
                let path = permalinks.resolve(&p.slug.value, &p.date.value.with_timezone(&zone).date_naive());
                if self.config.prefix.is_empty() {
                    path
                } else {
                    format!("{}{path}", self.config.prefix)
                }
            })
            .collect();

        // Posts: authors exist; scheduling; consent.
        let mut credited: Vec<Vec<&str>> = vec![Vec::new(); self.people.len()];
        self.post_state = self
            .posts
            .iter()
            .map(|post| {
                let mut hidden = false;
                for a in &post.authors {
                    match self.person_by_id.get(&a.value) {
                        Some(&PersonId(i)) => {
                            credited[i].push(&post.file.rel);
                            hidden |= !self.people[i].visible();
                        }
                        None if self.has_rejected_profile(&a.value) => {}
                        None => diags.push(unknown_person(post.file.src(&post.file.text()), a, &self.people)),
                    }
                }
                self.state_of(post, hidden)
            })
            .collect();

        // Causes: the owner exists and is visible.
        self.cause_published = self
            .causes
            .iter()
            .map(|c| match self.person_by_id.get(&c.person.value) {
                Some(&PersonId(i)) => {
                    credited[i].push(&c.file.rel);
                    self.people[i].visible()
                }
                None => {
                    if !self.has_rejected_profile(&c.person.value) {
                        diags.push(unknown_person(c.file.src(&c.file.text()), &c.person, &self.people));
                    }
                    false
                }
            })
            .collect();

        // Files left out for their errors: the people they name exist.
        for r in &self.rejected {
            for who in &r.people {
                if !self.person_by_id.contains_key(&who.value) && !self.has_rejected_profile(&who.value) {
                    diags.push(unknown_person(r.file.src(&r.file.text()), who, &self.people));
                }
            }
        }

        for (i, p) in self.people.iter().enumerate() {
            if !p.consent.value && !p.withdrawn {
                let files = &credited[i];
                let text = p.file.text();
                let d = Diagnostic::warning(
                    Code::NoConsent,
                    if files.is_empty() {
                        format!("{} has not given consent, so their profile is not published", p.name)
                    } else {
                        format!(
                            "{} has not given consent, so their profile and what they are credited on are not published: {}",
                            p.name,
                            files.join(", ")
                        )
                    },
                )
                .in_file(&p.file.rel)
                .at(&text, p.consent.line, 1, SourceFile::line_width(&text, p.consent.line))
                .with_hint(format!(
                    "only {} can give consent: they add the line `consent: true` to this file themselves, in a commit of their own",
                    p.name
                ));
                diags.push(d);
            }
        }

        self.check_slugs(diags);
        self.check_images(diags);

        // Indexes.
        self.listed = (0..self.posts.len()).filter(|&i| self.post_state[i] == PostState::Live).map(PostId).collect();
        let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
        self.person_posts = vec![Vec::new(); self.people.len()];
        self.person_causes = vec![Vec::new(); self.people.len()];
        for &i in &self.listed {
            let post = &self.posts[i.0];
            for a in &post.authors {
                if let Some(&p) = self.person_by_id.get(&a.value) {
                    self.person_posts[p.0].push(i);
                }
            }
            for (t, slug) in post.tags.iter().zip(&post.tag_slugs) {
                if slug.is_empty() {
                    continue;
                }
                let tag = match tags.get_mut(slug) {
                    Some(tag) => tag,
                    None => tags.entry(slug.clone()).or_insert_with(|| Tag {
                        slug: slug.clone(),
                        name: t.value.trim().to_string(),
                        posts: Vec::new(),
                    }),
                };
                if tag.posts.last() != Some(&i) {
                    tag.posts.push(i);
                }
            }
        }
        self.tags = tags.into_values().collect();
        for (i, c) in self.causes.iter().enumerate() {
            if self.cause_published[i] {
                if let Some(&p) = self.person_by_id.get(&c.person.value) {
                    self.person_causes[p.0].push(CauseId(i));
                }
            }
        }
        self.post_by_file = (0..self.posts.len())
            .filter(|&i| self.post_state[i].has_page())
            .flat_map(|i| {
                let file = &self.posts[i].file;
                let rel = file.rel.strip_prefix("content/").unwrap_or(&file.rel).to_string();
                // A translation is also found by its original's name (`@/posts/a.md` in a
                // German text links to the German `a.de.md`).
                let key = crate::translations::key_of(&rel, file.language.as_ref().map(|l| l.value.as_str()));
                let also = (key != rel).then_some((key, PostId(i)));
                std::iter::once((rel, PostId(i))).chain(also)
            })
            .collect();
        self.redirects = self.check_aliases(diags);
    }

    /// A post's state against `--now`, given whether one of its authors is hidden.
    fn state_of(&self, post: &Post, author_hidden: bool) -> PostState {
        let now = self.options.now;
        if post.draft && !self.options.drafts {
            PostState::Draft
        } else if post.date.value > now && !self.options.future {
            PostState::Scheduled
        } else if author_hidden {
            PostState::AuthorHidden
        } else if post.expires.is_some_and(|e| e <= now) {
            PostState::Expired
        } else {
            PostState::Live
        }
    }

    /// Slugs are unique within a section, whatever the case or Unicode form of the file name.
    fn check_slugs(&self, diags: &mut Vec<Diagnostic>) {
        fn check<'a>(
            items: impl Iterator<Item = (&'a str, &'a crate::content::SourceFile, &'a crate::fields::Spanned<String>)>,
            what: &str,
            diags: &mut Vec<Diagnostic>,
        ) {
            let mut seen: FastMap<&str, &str> = FastMap::default();
            for (address, file, span) in items {
                if let Some(first) = seen.insert(address, &file.rel) {
                    diags.push(match what {
                        "post" => duplicate_post(file, span, address, first),
                        _ => duplicate_slug(what, file, span, first),
                    });
                    seen.insert(address, first);
                }
            }
        }
        check(
            self.posts.iter().zip(&self.post_paths).map(|(p, path)| (path.as_str(), &p.file, &p.slug)),
            "post",
            diags,
        );
        check(self.causes.iter().map(|c| (c.slug.value.as_str(), &c.file, &c.slug)), "cause", diags);
        check(self.pages.iter().map(|p| (p.slug.value.as_str(), &p.file, &p.slug)), "page", diags);
        let mut ids: HashMap<String, &str> = HashMap::new();
        for p in &self.people {
            if let Some(first) = ids.insert(p.id.to_lowercase(), &p.file.rel) {
                diags.push(
                    Diagnostic::error(Code::DuplicatePerson, format!("this person has the same id as {first}"))
                        .in_file(&p.file.rel),
                );
            }
        }
        // `/de/` is the German pages' root, in a hub with languages.
        let languages: Vec<&str> = match self.config.prefix.is_empty() {
            true => self.config.languages.iter().skip(1).map(|l| l.code.as_str()).collect(),
            false => Vec::new(),
        };
        let reserved = |slug: &str| RESERVED.contains(&slug) || languages.contains(&slug);
        // Posts at `/:slug/` share their addresses with the hub's pages and sections.
        if self.config.permalinks.at_root() {
            let pages: FastMap<&str, &str> =
                self.pages.iter().map(|p| (p.slug.value.as_str(), p.file.rel.as_str())).collect();
            for p in &self.posts {
                if let Some(first) = pages.get(p.slug.value.as_str()) {
                    diags.push(duplicate_slug("page", &p.file, &p.slug, first));
                }
                if reserved(&p.slug.value) {
                    diags.push(reserved_slug("post", &p.file, &p.slug));
                }
            }
        }
        for p in &self.pages {
            if reserved(&p.slug.value) {
                diags.push(reserved_slug("page", &p.file, &p.slug));
            }
        }
    }

    /// Images named in front matter exist.
    fn check_images(&self, diags: &mut Vec<Diagnostic>) {
        for p in &self.posts {
            diags.extend(self.missing_image(&p.image, &p.file, p.bundle_dir.as_deref()));
        }
        for p in &self.people {
            diags.extend(self.missing_image(&p.avatar, &p.file, None));
        }
        for c in &self.causes {
            diags.extend(self.missing_image(&c.image, &c.file, c.bundle_dir.as_deref()));
        }
        for r in &self.rejected {
            diags.extend(self.missing_image(&r.image, &r.file, r.bundle_dir.as_deref()));
        }
    }

    /// Whether `id` names a profile that exists but was left out for its errors: what
    /// credits that person is not told there is no such person.
    fn has_rejected_profile(&self, id: &str) -> bool {
        self.rejected.iter().any(|r| r.person_id.as_deref() == Some(id))
    }

    /// Files left out of the site for their errors, for the checks that can still read them
    /// (their bodies' links and code).
    pub fn rejected(&self) -> impl Iterator<Item = &Rejected> {
        self.rejected.iter()
    }

    /// The problem with an image named in `file`'s front matter, if it does not exist.
    fn missing_image(
        &self,
        image: &Option<crate::content::ImageRef>,
        file: &crate::content::SourceFile,
        bundle: Option<&Path>,
    ) -> Option<Diagnostic> {
        let src = &image.as_ref()?.src;
        self.image_file(&src.value, bundle).is_none().then(|| {
            Diagnostic::error(Code::MissingImage, format!("the image `{}` does not exist", src.value))
                .in_file(&file.rel)
                .at(&file.text(), src.line, src.column, src.len)
                .with_hint("a name without `/` is looked up beside the post (in a bundle folder); one starting with `/` under `static/`")
        })
    }

    /// The file behind an image reference: bundle-relative or under `static/` (site or theme).
    pub fn image_file(&self, src: &str, bundle: Option<&Path>) -> Option<PathBuf> {
        let src = src.trim();
        let candidates: Vec<PathBuf> = match src.strip_prefix('/') {
            Some(rest) => vec![self.root.join("static").join(rest), self.theme_dir().join("static").join(rest)],
            None => bundle.map(|b| vec![b.join(src)]).unwrap_or_default(),
        };
        // A link out of the hub is never opened, not even to read an image's size.
        candidates.into_iter().find(|p| p.is_file() && crate::hub::contains(&self.root, p))
    }
}

/// A post or page whose address is one the hub uses for its own pages.
fn reserved_slug(what: &str, file: &crate::content::SourceFile, span: &crate::fields::Spanned<String>) -> Diagnostic {
    Diagnostic::error(
        Code::ReservedSlug,
        format!("a {what} cannot have the address `/{}/`: the hub uses it", span.value),
    )
    .in_file(&file.rel)
    .at(&file.text(), span.line, span.column, span.len)
    .with_hint("rename the file or add `slug: …` with another name")
}

/// Post `file`'s address (`address`, from the slug at `span`) is already taken by the post
/// in `first`.
fn duplicate_post(
    file: &crate::content::SourceFile,
    span: &crate::fields::Spanned<String>,
    address: &str,
    first: &str,
) -> Diagnostic {
    Diagnostic::error(Code::DuplicateSlug, format!("another post already has the address `{address}`: {first}"))
        .in_file(&file.rel)
        .at(&file.text(), span.line, span.column, span.len)
        .with_hint("give one of them a different file name or `slug:`")
}

/// `file`'s address (`span`) is already taken by the `what` in `first`.
fn duplicate_slug(
    what: &str,
    file: &crate::content::SourceFile,
    span: &crate::fields::Spanned<String>,
    first: &str,
) -> Diagnostic {
    Diagnostic::error(Code::DuplicateSlug, format!("another {what} already has the address `{}`: {first}", span.value))
        .in_file(&file.rel)
        .at(&file.text(), span.line, span.column, span.len)
        .with_hint("give one of them a different file name or `slug:`")
}

fn unknown_person(
    src: crate::fields::SourceRef,
    who: &crate::fields::Spanned<String>,
    people: &[Person],
) -> Diagnostic {
    let d = src.error(
        Code::UnknownPerson,
        format!("there is no person `{}` in `content/people/`", who.value),
        who.line,
        who.column,
        who.len,
    );
    match diagnostic::suggest(&who.value, people.iter().map(|p| p.id.as_str())) {
        Some(s) => d.with_hint(format!("did you mean `{s}`?")),
        None => d.with_hint(format!(
            "use the file name of someone in `content/people/`, or add `content/people/{}.md`",
            who.value
        )),
    }
}
