//! `chorus import zola|hugo|jekyll SOURCE`: turns another generator's blog into hub content.
//!
//! Reads every post of the source (`sites` finds them and reads their front matter through
//! `source`, `map` writes the hub's keys, `shortcodes` converts the body), gives each a file
//! name and address in the hub that nothing else has, writes one profile per person
//! credited (never with `consent`), copies bundle files and the site files the posts show,
//! and keeps every old address as an alias.
//!
//! Owns the plan of what an import writes and its all-or-nothing writing: everything is
//! staged in a hidden folder inside the hub, every target is checked to be free, then moved
//! into place; a failure undoes what was moved. Must never overwrite a file, never write
//! outside the hub, and never set `consent` on anyone's behalf.

mod map;
mod shortcodes;
mod sites;
mod source;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::site::{Options, Site};
use map::PostFields;
use shortcodes::Flavor;

/// The generator a blog was made with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Generator {
    Zola,
    Hugo,
    Jekyll,
}

impl Generator {
    fn name(self) -> &'static str {
        match self {
            Generator::Zola => "Zola",
            Generator::Hugo => "Hugo",
            Generator::Jekyll => "Jekyll",
        }
    }

    fn flavor(self) -> Flavor {
        match self {
            Generator::Zola => Flavor::Zola,
            Generator::Hugo => Flavor::Hugo,
            Generator::Jekyll => Flavor::Jekyll,
        }
    }
}

/// What to import, and where.
#[derive(Clone, Debug)]
pub struct Request {
    pub generator: Generator,
    /// The blog's folder (where its configuration file is).
    pub source: PathBuf,
    /// The hub's folder (where `chorus.yaml` is).
    pub hub: PathBuf,
    /// The folder of posts under the blog's content folder (`blog`, `en/blog`).
    pub section: Option<String>,
    /// Who is credited on posts that name nobody.
    pub author: Option<String>,
}

/// What an import did: the problems it met and, when it wrote anything, what it wrote.
#[derive(Debug, Default)]
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Option<Summary>,
}

#[derive(Debug, Default)]
pub struct Summary {
    pub generator: &'static str,
    pub posts: usize,
    pub drafts: usize,
    /// New profiles: the name and the file, relative to the hub.
    pub people: Vec<(String, String)>,
    /// Credited people who already had a profile in the hub.
    pub known_people: usize,
    pub assets: usize,
    pub aliases: usize,
    pub shortcodes: usize,
    /// The source's keys kept under `extra:`, with how many posts have them.
    pub extra_keys: BTreeMap<String, usize>,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        self.summary.is_some() && !self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The closing summary, for people: counts, what was not converted (with its place),
    /// and who has to give consent, and how.
    pub fn report(&self) -> String {
        let mut out = String::new();
        let Some(s) = &self.summary else {
            out.push_str("Nothing was imported, and nothing in the hub was changed.\n");
            return out;
        };
        let _ = writeln!(out, "Imported from {}:", s.generator);
        let drafts = if s.drafts > 0 { format!(" ({} of them drafts)", s.drafts) } else { String::new() };
        let n = |count: usize, one: &str, many: &str| format!("{count:>6} {}", if count == 1 { one } else { many });
        let _ = writeln!(out, "  {}{drafts}, in content/posts/", n(s.posts, "post", "posts"));
        let known =
            if s.known_people > 0 { format!(" ({} more already had one)", s.known_people) } else { String::new() };
        let _ =
            writeln!(out, "  {}, with a new profile in content/people/{known}", n(s.people.len(), "person", "people"));
        let _ = writeln!(out, "  {} (bundle images and site files the posts show)", n(s.assets, "file", "files"));
        let _ =
            writeln!(out, "  {}: old addresses that now lead to the imported posts", n(s.aliases, "alias", "aliases"));
        let _ = writeln!(out, "  {} converted to Markdown", n(s.shortcodes, "shortcode or tag", "shortcodes and tags"));
        if !s.extra_keys.is_empty() {
            let keys: Vec<String> = s.extra_keys.iter().map(|(k, n)| format!("{k} ({n})")).collect();
            let _ =
                writeln!(out, "  Kept under `extra:` (for templates; the hub does not use them): {}", keys.join(", "));
        }
        let left: Vec<&Diagnostic> = self.diagnostics.iter().collect();
        if !left.is_empty() {
            let _ = writeln!(out, "\nLeft out or kept as text ({}; details above):", left.len());
            for d in left {
                let _ = writeln!(out, "  {}  {}", d.location(), d.message);
            }
        }
        if !s.people.is_empty() {
            let _ = writeln!(
                out,
                "\nConsent: nothing by these {} people is published until each of them gives consent.\n\
                 Each person opens their own file, adds the line `consent: true` to its front matter,\n\
                 and commits it themselves, in a commit of their own. Nobody can do it for them.",
                s.people.len()
            );
            for (name, file) in &s.people {
                let _ = writeln!(out, "  {file}  {name}");
            }
        }
        out.push_str("\nNext: run `chorus check` to see the hub as it is now.\n");
        out
    }
}

/// A post on its way into the hub.
struct Planned {
    shown: String,
    doc: source::SourceDoc,
    file: sites::SourceFile,
    read: sites::Read,
    slug: String,
    /// Relative to the hub: `content/posts/2019/2019-11-07-x.md` or `…/x/index.md`.
    target: String,
    bundle_files: Vec<(PathBuf, String)>,
}

/// Files a bundle may not hold in a hub (see `docs/content.md`, bundles).
const REFUSED: &[&str] = &["html", "htm", "xhtml", "js", "mjs", "xml"];
/// Site files worth copying when a post shows or links them.
const ASSET_EXTS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "bmp", "pdf", "mp4", "webm", "mp3", "ogg", "wav", "txt",
    "csv", "zip", "gz",
];

/// Runs an import.
pub fn import(req: &Request) -> Outcome {
    let mut out = Outcome::default();
    let diags = &mut out.diagnostics;
    if !req.hub.join("chorus.yaml").is_file() {
        diags.push(
            Diagnostic::error(Code::NotAHub, format!("`{}` is not a hub: it has no `chorus.yaml`", req.hub.display()))
                .in_file(req.hub.display().to_string())
                .with_hint("import into a hub's folder with `--into DIR`, or create one first with `chorus init DIR`"),
        );
        return out;
    }
    let now = match crate::dates::now_for_command(None) {
        Ok(n) => n,
        Err(e) => {
            diags.push(Diagnostic::error(Code::Io, e));
            return out;
        }
    };
    let (site, hub_diags) = Site::load(&req.hub, Options { drafts: true, future: true, now, base_url: None });
    let Some(site) = site else {
        diags.extend(hub_diags);
        diags.push(
            Diagnostic::error(
                Code::NotAHub,
                "the hub has errors that stop it from being read, so nothing was imported",
            )
            .with_hint("fix the errors above (see `chorus check`), then import again"),
        );
        return out;
    };
    let blog = match sites::open(req.generator, &req.source, req.section.as_deref()) {
        Ok(b) => b,
        Err(d) => {
            diags.push(d);
            return out;
        }
    };
    let mut taken_slugs: HashSet<String> = site.posts().map(|(_, p)| p.slug.value.clone()).collect();
    let known_people: HashSet<String> = site.people().map(|(_, p)| p.id.clone()).collect();
    // Every address the hub has, with the file that has it: what an alias must not take, and
    // how a post imported before is recognised.
    let mut taken_paths: HashMap<String, String> = HashMap::new();
    for (id, post) in site.posts() {
        taken_paths.insert(site.post_path(id).to_string(), post.file.rel.clone());
    }
    let aliased = site.posts().flat_map(|(_, p)| p.aliases.iter().map(move |a| (a.value.clone(), p.file.rel.clone())));
    let aliased = aliased
        .chain(site.causes().flat_map(|(_, c)| c.aliases.iter().map(move |a| (a.value.clone(), c.file.rel.clone()))))
        .chain(site.pages().flat_map(|(_, p)| p.aliases.iter().map(move |a| (a.value.clone(), p.file.rel.clone()))));
    let hub_aliases: HashMap<String, String> = aliased.collect();
    taken_paths.extend(hub_aliases.iter().map(|(a, f)| (a.clone(), f.clone())));
    let permalinks = site.config().permalinks.clone();
    let zone = site.config().timezone;
    drop(site);

    // 1. Read every post.
    let mut planned: Vec<Planned> = Vec::new();
    let mut extra_keys: BTreeMap<String, usize> = BTreeMap::new();
    for file in &blog.files {
        let shown = shown(&req.source, &blog.root, &file.path);
        let text = match std::fs::read(&file.path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    diags.push(
                        Diagnostic::error(Code::NotUtf8, "this file is not UTF-8 text, so it was not imported")
                            .in_file(&shown)
                            .with_hint("save it as UTF-8 in the source blog, then import again"),
                    );
                    continue;
                }
            },
            Err(e) => {
                diags.push(Diagnostic::error(Code::Io, format!("this file cannot be read: {e}")).in_file(&shown));
                continue;
            }
        };
        let doc = match source::parse(&shown, &text) {
            Ok(d) => d,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let read = match blog.read(file, &doc, diags) {
            Ok(r) => r,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        // Imported before: one of its old addresses already leads to a post of the hub.
        let before = read.old_urls.iter().find_map(|(u, _)| {
            let path = crate::alias::parse(u).ok()?;
            hub_aliases.get(&path).map(|f| (u.clone(), f.clone()))
        });
        if let Some((url, file)) = before {
            diags.push(
                doc.at_key(
                    Diagnostic::warning(
                        Code::ImportLeftOut,
                        format!("this post looks imported already: its old address `{url}` leads to {file}, so it was not imported again"),
                    ),
                    "title",
                )
                .with_hint(format!("to import it again, remove `{url}` from the aliases of {file} first")),
            );
            continue;
        }
        for key in read.extra.keys() {
            *extra_keys.entry(key.clone()).or_insert(0) += 1;
        }
        planned.push(Planned {
            shown,
            doc,
            file: file.clone(),
            read,
            slug: String::new(),
            target: String::new(),
            bundle_files: Vec::new(),
        });
    }
    // 2. Give each post a slug and a file nothing else has.
    planned.sort_by(|a, b| (&a.read.date, &a.shown).cmp(&(&b.read.date, &b.shown)));
    for p in &mut planned {
        let base = Some(crate::slug::slugify(&p.read.slug))
            .filter(|s| !s.is_empty())
            .or_else(|| Some(crate::slug::slugify(&p.read.title)).filter(|s| !s.is_empty()))
            .unwrap_or_else(|| "post".into());
        let day = &p.read.date[..10];
        let year = &day[..4];
        let bundle_files = match &p.file.bundle {
            Some(dir) => bundle_files(dir, &p.file.path, &p.shown, diags),
            None => Vec::new(),
        };
        let candidates = [base.clone(), format!("{base}-{year}"), format!("{base}-{day}")]
            .into_iter()
            .chain((2..).map(|n| format!("{base}-{day}-{n}")));
        for slug in candidates {
            let stem = format!("content/posts/{year}/{day}-{slug}");
            let target = if bundle_files.is_empty() { format!("{stem}.md") } else { format!("{stem}/index.md") };
            let address = crate::dates::parse(&p.read.date, zone)
                .map(|d| permalinks.resolve(&slug, &d.with_timezone(&zone).date_naive()))
                .unwrap_or_default();
            let free = !taken_slugs.contains(&slug)
                && !taken_paths.contains_key(&address)
                && !req.hub.join(&stem).exists()
                && !req.hub.join(format!("{stem}.md")).exists();
            if free {
                taken_slugs.insert(slug.clone());
                p.slug = slug;
                p.target = target;
                break;
            }
        }
        p.bundle_files = bundle_files;
    }

    // 3. Links between posts: every way the source names a post, to its `@/` path.
    let mut links: HashMap<String, String> = HashMap::new();
    for p in &planned {
        let at = format!("@/{}", p.target.trim_start_matches("content/"));
        let rel = p.file.rel.clone();
        let mut keys = vec![rel.clone(), rel.trim_end_matches(".md").trim_end_matches(".markdown").to_string()];
        if let Some(stem) = p.file.path.file_stem() {
            keys.push(stem.to_string_lossy().into_owned());
        }
        if let Some(dir) = &p.file.bundle {
            keys.push(rel.trim_end_matches("/index.md").to_string());
            if let Some(n) = dir.file_name() {
                keys.push(n.to_string_lossy().into_owned());
            }
        }
        for k in keys {
            links.entry(k).or_insert_with(|| at.clone());
        }
    }
    let resolve = |target: &str| -> Option<String> {
        let t = target.trim().trim_matches('"').trim_start_matches('/').trim_start_matches("content/");
        let t = t.trim_end_matches('/');
        links
            .get(t)
            .or_else(|| links.get(t.trim_end_matches(".md")))
            .or_else(|| links.get(t.rsplit('/').next().unwrap_or(t).trim_end_matches(".md")))
            .cloned()
    };

    // 4. People, bodies, aliases and site files.
    let mut files: Vec<(String, Content)> = Vec::new();
    let mut people: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
    let mut known_credited: HashSet<String> = HashSet::new();
    let mut url_ids: HashMap<String, String> = HashMap::new();
    let mut aliases_seen: HashMap<String, String> = HashMap::new();
    let mut statics: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut summary = Summary { generator: req.generator.name(), ..Summary::default() };
    let fallback = req.author.as_ref().map(|a| map::Credit { name: a.clone(), url: None });
    for p in &planned {
        let mut credits = p.read.credits.clone();
        if credits.is_empty() {
            match &fallback {
                Some(c) => credits.push(c.clone()),
                None => {
                    diags.push(
                        p.doc
                            .at_key(
                                Diagnostic::error(
                                    Code::ImportSource,
                                    "this post names no author, so it was not imported",
                                ),
                                "title",
                            )
                            .with_hint(
                                "add `author` in the source blog, or give `--author NAME` for posts that name nobody",
                            ),
                    );
                    continue;
                }
            }
        }
        let mut ids: Vec<String> = Vec::new();
        for c in &credits {
            // One person whatever the spelling: the same profile link, or the same name
            // without accents.
            let by_url = c.url.as_ref().and_then(|u| url_ids.get(u)).cloned();
            let id = by_url.unwrap_or_else(|| map::person_id(&c.name));
            if id.is_empty() {
                continue;
            }
            if let Some(u) = &c.url {
                url_ids.entry(u.clone()).or_insert_with(|| id.clone());
            }
            if known_people.contains(&id) {
                known_credited.insert(id.clone());
            } else {
                let e = people.entry(id.clone()).or_insert_with(|| (c.name.clone(), None));
                // The spelling with the most accents is the most careful one.
                let accents = |n: &str| n.chars().filter(|c| !c.is_ascii()).count();
                if accents(&c.name) > accents(&e.0) {
                    e.0.clone_from(&c.name);
                }
                if e.1.is_none() {
                    e.1.clone_from(&c.url);
                }
            }
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let var = |name: &str| blog.variable(name, &p.doc.fields);
        let cx = shortcodes::Context { link: &resolve, var: &var };
        let converted = shortcodes::convert(&p.doc.body, req.generator.flavor(), &cx);
        summary.shortcodes += converted.converted;
        for problem in &converted.problems {
            diags.push(
                p.doc
                    .at_body_line(
                        Diagnostic::warning(Code::ImportShortcode, problem.message.clone()),
                        problem.line,
                        problem.column,
                        problem.span,
                    )
                    .with_hint(problem.hint.clone()),
            );
        }
        let new_address = match crate::dates::parse(&p.read.date, zone) {
            Ok(d) => permalinks.resolve(&p.slug, &d.with_timezone(&zone).date_naive()),
            Err(_) => format!("/posts/{}/", p.slug),
        };
        let mut aliases: Vec<String> = Vec::new();
        // A draft was never published, so it had no address to keep.
        let old_urls = if p.read.draft { &[][..] } else { &p.read.old_urls[..] };
        for (url, key) in old_urls {
            let path = match crate::alias::parse(url) {
                Ok(path) => path,
                Err(why) => {
                    diags.push(
                        p.doc
                            .at_key(
                                Diagnostic::warning(
                                    Code::ImportLeftOut,
                                    format!(
                                        "the old address `{url}` cannot be an alias, so it was left out: {}",
                                        why.message
                                    ),
                                ),
                                key,
                            )
                            .with_hint(why.hint),
                    );
                    continue;
                }
            };
            if path == new_address || aliases.contains(&path) {
                continue;
            }
            let other = aliases_seen.get(&path).cloned().or_else(|| taken_paths.get(&path).cloned());
            match other {
                Some(other) => diags.push(
                    p.doc
                        .at_key(
                            Diagnostic::warning(
                                Code::ImportLeftOut,
                                format!("the old address `{url}` already leads to {other}, so it is not an alias of this post"),
                            ),
                            key,
                        )
                        .with_hint("an address can lead to one page only; add it by hand where it belongs"),
                ),
                None => {
                    aliases_seen.insert(path.clone(), p.shown.clone());
                    aliases.push(path);
                }
            }
        }
        summary.aliases += aliases.len();
        for path in site_files(&converted.body) {
            if statics.contains_key(&path) {
                continue;
            }
            let Some(rel) = safe_rel(&path) else { continue };
            let from = blog.static_root.join(&rel);
            let ext = Path::new(&rel).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            if !from.is_file() || !ext.is_some_and(|e| ASSET_EXTS.contains(&e.as_str())) {
                continue;
            }
            let target = req.hub.join("static").join(&rel);
            if target.exists() {
                if std::fs::read(&target).ok() != std::fs::read(&from).ok() {
                    diags.push(
                        Diagnostic::warning(Code::ImportLeftOut, format!("`static/{rel}` is already in the hub and differs from the blog's, so the blog's was not copied"))
                            .in_file(shown(&req.source, &blog.root, &from))
                            .with_hint("compare the two files and keep the right one by hand"),
                    );
                }
                continue;
            }
            statics.insert(path, from);
        }
        let fields = PostFields {
            title: p.read.title.clone(),
            date: p.read.date.clone(),
            authors: ids,
            summary: p.read.summary.clone(),
            tags: p.read.tags.iter().take(crate::content::MAX_TAGS).cloned().collect(),
            draft: p.read.draft,
            aliases,
            extra: p.read.extra.clone(),
        };
        if p.read.tags.len() > crate::content::MAX_TAGS {
            diags.push(p.doc.at_key(
                Diagnostic::warning(
                    Code::ImportLeftOut,
                    format!(
                        "this post has {} tags and categories; the first {} were kept",
                        p.read.tags.len(),
                        crate::content::MAX_TAGS
                    ),
                ),
                "tags",
            ));
        }
        let mut body = converted.body;
        if !body.starts_with('\n') {
            body.insert(0, '\n');
        }
        files.push((p.target.clone(), Content::Text(format!("{}{body}", fields.to_yaml()))));
        let dir = p.target.trim_end_matches("index.md");
        for (from, rel) in &p.bundle_files {
            files.push((format!("{dir}{rel}"), Content::Copy(from.clone())));
            summary.assets += 1;
        }
        summary.posts += 1;
        summary.drafts += usize::from(p.read.draft);
    }
    for (path, from) in statics {
        files.push((format!("static/{}", safe_rel(&path).unwrap_or_default()), Content::Copy(from)));
        summary.assets += 1;
    }
    for (id, (name, url)) in &people {
        let target = format!("content/people/{id}.md");
        files.push((target.clone(), Content::Text(map::person_yaml(name, url.as_deref()))));
        summary.people.push((name.clone(), target));
    }
    summary.known_people = known_credited.len();
    summary.extra_keys = extra_keys;
    if summary.posts == 0 {
        diags.push(
            Diagnostic::error(Code::ImportSource, "no post could be imported, so nothing was written")
                .in_file(req.source.display().to_string())
                .with_hint("fix the problems above in the source blog, then import again"),
        );
        return out;
    }

    // 5. Write it all, or nothing.
    match write_all(&req.hub, &files) {
        Ok(()) => out.summary = Some(summary),
        Err(d) => out.diagnostics.push(d),
    }
    out
}

/// The path of a source file as given on the command line, for messages.
fn shown(source: &Path, root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    source.join(rel).display().to_string()
}

/// A site-root path as a relative one, if it stays inside the folder.
fn safe_rel(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    let rel = decoded.trim_start_matches('/');
    let ok = !rel.is_empty()
        && rel.split('/').all(|s| !s.is_empty() && s != "." && s != ".." && !s.starts_with('.'))
        && !rel.contains('\\');
    ok.then(|| rel.to_string())
}

/// Site-root addresses (`/img/x.png`) that a body shows or links.
fn site_files(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for opener in ["](/", "src=\"/", "src='/", "href=\"/", "href='/"] {
        let mut rest = body;
        while let Some(at) = rest.find(opener) {
            let start = at + opener.len() - 1;
            let tail = &rest[start..];
            let end = tail.find([')', '"', '\'', ' ', '#', '?', '\n']).unwrap_or(tail.len());
            let path = &tail[..end];
            if !path.starts_with("//") && path.len() > 1 {
                out.push(path.to_string());
            }
            rest = &rest[start + end.max(1)..];
        }
    }
    out
}

/// A bundle's files except its `index.md`, relative to the bundle, and those a hub bundle
/// refuses (pages, scripts) left out with a warning.
fn bundle_files(dir: &Path, index: &Path, shown_index: &str, diags: &mut Vec<Diagnostic>) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name().into_iter().flatten() {
        let path = e.path();
        if !e.file_type().is_file() || path == index {
            continue;
        }
        let Ok(rel) = path.strip_prefix(dir) else { continue };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.split('/').any(|s| s.starts_with('.')) {
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
        if REFUSED.contains(&ext.as_str()) || ext == "md" || ext == "markdown" {
            diags.push(
                Diagnostic::warning(Code::ImportLeftOut, format!("`{rel}` in this post's folder was not copied: a hub bundle holds images and documents, not pages or scripts"))
                    .in_file(shown_index)
                    .with_hint("if the post needs it, link a copy of it from elsewhere"),
            );
            continue;
        }
        out.push((path.to_path_buf(), rel));
    }
    out
}

enum Content {
    Text(String),
    Copy(PathBuf),
}

/// Writes `files` (relative to `hub`) all or none: staged in a hidden folder of the hub,
/// checked to be free, then moved into place; on any failure what was moved is taken back.
fn write_all(hub: &Path, files: &[(String, Content)]) -> Result<(), Diagnostic> {
    let io = |what: String, e: std::io::Error| {
        Diagnostic::error(Code::Io, format!("{what}: {e}")).with_hint("nothing was imported; fix this and import again")
    };
    let taken: Vec<&str> =
        files.iter().map(|(rel, _)| rel.as_str()).filter(|rel| hub.join(rel).symlink_metadata().is_ok()).collect();
    if !taken.is_empty() {
        return Err(Diagnostic::error(
            Code::ImportLeftOut,
            format!("these files are already in the hub, and an import never overwrites a file: {}", taken.join(", ")),
        )
        .with_hint("nothing was imported; move those files away, or import into another hub"));
    }
    let staging = hub.join(format!(".chorus-import-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| io(format!("cannot clear `{}`", staging.display()), e))?;
    }
    let staged = (|| -> Result<(), Diagnostic> {
        for (rel, content) in files {
            let to = staging.join(rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(format!("cannot create `{}`", parent.display()), e))?;
            }
            match content {
                Content::Text(t) => std::fs::write(&to, t).map_err(|e| io(format!("cannot write `{rel}`"), e))?,
                Content::Copy(from) => {
                    std::fs::copy(from, &to).map_err(|e| io(format!("cannot copy `{}`", from.display()), e))?;
                }
            }
        }
        Ok(())
    })();
    if let Err(d) = staged {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(d);
    }
    let mut moved: Vec<PathBuf> = Vec::new();
    let mut made: Vec<PathBuf> = Vec::new();
    let result = (|| -> Result<(), Diagnostic> {
        for (rel, _) in files {
            let to = hub.join(rel);
            if let Some(parent) = to.parent() {
                let mut missing = Vec::new();
                let mut d = parent.to_path_buf();
                while !d.exists() {
                    missing.push(d.clone());
                    if !d.pop() {
                        break;
                    }
                }
                std::fs::create_dir_all(parent).map_err(|e| io(format!("cannot create `{}`", parent.display()), e))?;
                made.extend(missing.into_iter().rev());
            }
            if to.symlink_metadata().is_ok() {
                return Err(Diagnostic::error(
                    Code::ImportLeftOut,
                    format!("`{rel}` appeared in the hub during the import"),
                )
                .with_hint("nothing was imported; import again"));
            }
            std::fs::rename(staging.join(rel), &to).map_err(|e| io(format!("cannot move `{rel}` into the hub"), e))?;
            moved.push(to);
        }
        Ok(())
    })();
    if result.is_err() {
        for f in moved.iter().rev() {
            let _ = std::fs::remove_file(f);
        }
        for d in made.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
    let _ = std::fs::remove_dir_all(&staging);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_files_shown_by_a_body() {
        let body =
            "![a](/img/a.png) <img src=\"/img/b%20c.jpg\"> [x](https://e.x/y.png) [p](/posts/x/#y) ![r](rel.png)";
        assert_eq!(site_files(body), ["/img/a.png", "/posts/x/", "/img/b%20c.jpg"]);
        assert_eq!(safe_rel("/img/b%20c.jpg").as_deref(), Some("img/b c.jpg"));
        assert_eq!(safe_rel("/img/../../etc/passwd"), None);
    }

    #[test]
    fn writing_is_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let hub = dir.path();
        std::fs::create_dir_all(hub.join("content/people")).unwrap();
        std::fs::write(hub.join("content/people/ana.md"), "mine").unwrap();
        let files = vec![
            ("content/posts/2020/a.md".to_string(), Content::Text("a".into())),
            ("content/people/ana.md".to_string(), Content::Text("theirs".into())),
        ];
        let err = write_all(hub, &files).unwrap_err();
        assert!(err.message.contains("never overwrites a file: content/people/ana.md"), "{}", err.message);
        assert!(!hub.join("content/posts").exists());
        assert_eq!(std::fs::read_to_string(hub.join("content/people/ana.md")).unwrap(), "mine");
        // A failure while moving takes back what was moved.
        let files = vec![
            ("content/posts/2020/a.md".to_string(), Content::Text("a".into())),
            ("static/x.png".to_string(), Content::Copy(hub.join("missing.png"))),
        ];
        assert!(write_all(hub, &files).is_err());
        assert!(!hub.join("content/posts").exists());
        assert!(std::fs::read_dir(hub).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".chorus-import")));
    }
}
