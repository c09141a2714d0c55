//! The three generators a blog can be imported from: where each keeps its posts, bundles and
//! static files, what its front-matter keys mean, and the address each gave a post (which
//! becomes an alias of the imported post).
//!
//! Owns Zola's `path`/`aliases` and section addresses, Hugo's `url`/`aliases`/`slug` and
//! `permalinks` configuration, Jekyll's `permalink` (per post, per collection, site-wide, and
//! its named styles) and `redirect_from`. Must not write anything: `import` decides what is
//! written where.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use walkdir::WalkDir;

use super::map::{self, Credit, Split};
use super::source::{config_file, SourceDoc};
use super::Generator;
use crate::diagnostic::{Code, Diagnostic};

/// A blog to import, with what its configuration says.
#[derive(Debug)]
pub struct Blog {
    pub generator: Generator,
    pub root: PathBuf,
    /// Site-root files (images under `/img/…`) are looked up here.
    pub static_root: PathBuf,
    /// Where the content files' paths in links (`@/…`, `ref`) are relative to.
    pub content_root: PathBuf,
    pub files: Vec<SourceFile>,
    config: Map<String, Value>,
    /// Hugo: the section the posts are in (its name in `permalinks`).
    section: String,
    /// Jekyll: `_data/authors.yml`.
    authors_data: Map<String, Value>,
}

#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Relative to the content root, with `/`.
    pub rel: String,
    /// The folder of a page bundle (its `index.md` is `path`).
    pub bundle: Option<PathBuf>,
    /// Jekyll: in `_drafts/`.
    pub draft_folder: bool,
    /// Jekyll: the folders above `_posts/`, which are categories.
    pub folder_categories: Vec<String>,
}

/// A post read from its source, before it gets a place in the hub.
#[derive(Debug)]
pub struct Read {
    pub title: String,
    pub date: String,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub credits: Vec<Credit>,
    pub draft: bool,
    /// The addresses the post had, site-relative, as written by the source.
    pub old_urls: Vec<(String, &'static str)>,
    /// The slug the post had, for its new file name.
    pub slug: String,
    /// Keys the hub has no key for, kept under `extra:` (with Zola's own `[extra]`).
    pub extra: Map<String, Value>,
}

const HUGO_SECTIONS: &[&str] = &["posts", "post", "blog", "news", "articles"];

fn diag(message: impl Into<String>, hint: &str, shown: &Path) -> Diagnostic {
    Diagnostic::error(Code::ImportSource, message).in_file(shown.display().to_string()).with_hint(hint)
}

/// Finds the blog at `root` and its posts (`section`, a folder under the content folder,
/// narrows them).
pub fn open(generator: Generator, root: &Path, section: Option<&str>) -> Result<Blog, Diagnostic> {
    if !root.is_dir() {
        return Err(diag(
            "this folder does not exist",
            "give the folder of the blog to import (the one with its configuration file)",
            root,
        ));
    }
    let mut blog = Blog {
        generator,
        root: root.to_path_buf(),
        static_root: root.join("static"),
        content_root: root.join("content"),
        files: Vec::new(),
        config: Map::new(),
        section: String::new(),
        authors_data: Map::new(),
    };
    match generator {
        Generator::Zola => {
            let Some(config) = ["config.toml", "zola.toml"].iter().map(|c| root.join(c)).find(|p| p.is_file()) else {
                return Err(diag(
                    "this is not a Zola site: it has no `config.toml`",
                    "give the folder that holds the site's `config.toml` and `content/`",
                    root,
                ));
            };
            blog.config = config_file(&config).unwrap_or_default();
            let dir = match section {
                Some(s) => blog.content_root.join(s),
                None => blog.content_root.clone(),
            };
            blog.files = pages(&blog.content_root, &dir, &["md"]);
        }
        Generator::Hugo => {
            let names = [
                "hugo.toml",
                "hugo.yaml",
                "hugo.yml",
                "hugo.json",
                "config.toml",
                "config.yaml",
                "config.yml",
                "config.json",
            ];
            let config = names
                .iter()
                .map(|c| root.join(c))
                .chain(names.iter().map(|c| root.join("config/_default").join(c)))
                .find(|p| p.is_file());
            let Some(config) = config else {
                return Err(diag(
                    "this is not a Hugo site: it has no `hugo.toml`, `hugo.yaml` or `config.toml`",
                    "give the folder that holds the site's configuration file and `content/`",
                    root,
                ));
            };
            blog.config = config_file(&config).unwrap_or_default();
            if let Some(c) = map::text(&blog.config, "contentDir") {
                blog.content_root = root.join(c);
            }
            let dir = match section {
                Some(s) => Some(blog.content_root.join(s)),
                None => hugo_section(&blog.content_root),
            };
            let Some(dir) = dir.filter(|d| d.is_dir()) else {
                return Err(diag(
                    format!(
                        "no folder of posts was found in `{}` (looked for {})",
                        blog.content_root.display(),
                        HUGO_SECTIONS.join(", ")
                    ),
                    "name the folder with `--section`, e.g. `--section blog` or `--section en/blog`",
                    root,
                ));
            };
            blog.section = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            // A page's path in links is relative to the language's content folder.
            if let Some(parent) = dir.parent() {
                blog.content_root = parent.to_path_buf();
            }
            blog.files = pages(&blog.content_root, &dir, &["md", "markdown"]);
        }
        Generator::Jekyll => {
            let config = root.join("_config.yml");
            if !config.is_file() && !root.join("_posts").is_dir() {
                return Err(diag(
                    "this is not a Jekyll site: it has no `_config.yml` and no `_posts/`",
                    "give the folder that holds the site's `_config.yml` and `_posts/`",
                    root,
                ));
            }
            blog.config = config_file(&config).unwrap_or_default();
            blog.static_root = root.to_path_buf();
            blog.content_root = root.to_path_buf();
            if let Some(Value::Object(m)) = ["_data/authors.yml", "_data/authors.yaml", "_data/authors.json"]
                .iter()
                .find_map(|p| config_file(&root.join(p)).map(Value::Object))
            {
                blog.authors_data = m;
            }
            blog.files = jekyll_posts(root, section);
        }
    }
    if blog.files.is_empty() {
        return Err(diag(
            "no posts were found in this folder",
            match generator {
                Generator::Jekyll => "posts are files named like `2026-11-20-title.md` in `_posts/`",
                _ => "posts are `.md` files under `content/`; `--section` names the folder that holds them",
            },
            root,
        ));
    }
    Ok(blog)
}

/// The first folder of posts under `content/` or a language's folder (`content/en/`).
fn hugo_section(content: &Path) -> Option<PathBuf> {
    let mut roots = vec![content.to_path_buf()];
    if let Ok(entries) = std::fs::read_dir(content) {
        let mut langs: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.is_dir()
                    && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.len() <= 5
                            && n.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                            && !HUGO_SECTIONS.contains(&n)
                    })
            })
            .collect();
        langs.sort_by_key(|p| (p.file_name().is_none_or(|n| n != "en"), p.clone()));
        roots.extend(langs);
    }
    roots.iter().flat_map(|r| HUGO_SECTIONS.iter().map(move |s| r.join(s))).find(|d| d.is_dir())
}

/// Content pages under `dir`: `.md` files that are not section indexes (`_index.md`), one
/// per bundle (its `index.md`), in path order.
fn pages(content_root: &Path, dir: &Path, exts: &[&str]) -> Vec<SourceFile> {
    let mut out = Vec::new();
    let mut walk = WalkDir::new(dir).follow_links(false).sort_by_file_name().into_iter();
    while let Some(Ok(entry)) = walk.next() {
        let name = entry.file_name().to_string_lossy();
        if entry.depth() > 0 && (name.starts_with('.') || name.starts_with('_') && entry.file_type().is_dir()) {
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_dir() {
            if entry.depth() > 0 && exts.iter().any(|e| entry.path().join(format!("index.{e}")).is_file()) {
                let index = exts.iter().map(|e| entry.path().join(format!("index.{e}"))).find(|p| p.is_file());
                if let Some(index) = index {
                    out.push(SourceFile {
                        rel: rel(content_root, &index),
                        path: index,
                        bundle: Some(entry.path().to_path_buf()),
                        draft_folder: false,
                        folder_categories: Vec::new(),
                    });
                }
                walk.skip_current_dir();
            }
            continue;
        }
        let path = entry.path();
        let ext_ok = path.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.contains(&e));
        if !ext_ok || name.starts_with('_') || (entry.depth() == 0) {
            continue;
        }
        out.push(SourceFile {
            rel: rel(content_root, path),
            path: path.to_path_buf(),
            bundle: None,
            draft_folder: false,
            folder_categories: Vec::new(),
        });
    }
    out
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

const JEKYLL_EXTS: &[&str] = &["md", "markdown", "mkdn", "mkd", "html"];

/// `_posts/` (also `category/_posts/`) and `_drafts/`.
fn jekyll_posts(root: &Path, section: Option<&str>) -> Vec<SourceFile> {
    let base = section.map_or_else(|| root.to_path_buf(), |s| root.join(s));
    let mut out = Vec::new();
    let mut walk = WalkDir::new(&base).follow_links(false).sort_by_file_name().into_iter();
    while let Some(Ok(entry)) = walk.next() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type().is_dir() || entry.depth() == 0 {
            continue;
        }
        if name == "_posts" || name == "_drafts" {
            let categories: Vec<String> = entry
                .path()
                .parent()
                .and_then(|p| p.strip_prefix(&base).ok())
                .map(|p| p.iter().map(|c| c.to_string_lossy().into_owned()).collect())
                .unwrap_or_default();
            for f in WalkDir::new(entry.path()).follow_links(false).sort_by_file_name().into_iter().flatten() {
                let ok = f.file_type().is_file()
                    && !f.file_name().to_string_lossy().starts_with(['.', '_'])
                    && f.path().extension().and_then(|e| e.to_str()).is_some_and(|e| JEKYLL_EXTS.contains(&e));
                if ok {
                    out.push(SourceFile {
                        rel: rel(root, f.path()),
                        path: f.path().to_path_buf(),
                        bundle: None,
                        draft_folder: name == "_drafts",
                        folder_categories: categories.clone(),
                    });
                }
            }
            walk.skip_current_dir();
        } else if name.starts_with(['.', '_']) || name == "node_modules" || name == "vendor" {
            walk.skip_current_dir();
        }
    }
    out
}

/// Keys each generator has that are read into the hub's keys (or are about the old site's
/// layout and mean nothing in a hub); anything else is reported as left out.
fn known(generator: Generator) -> &'static [&'static str] {
    match generator {
        Generator::Zola => &[
            "title",
            "date",
            "updated",
            "description",
            "authors",
            "taxonomies",
            "draft",
            "path",
            "aliases",
            "slug",
            "extra",
            "template",
            "weight",
            "in_search_index",
            "render",
        ],
        Generator::Hugo => &[
            "title",
            "linkTitle",
            "date",
            "publishDate",
            "pubDate",
            "published",
            "lastmod",
            "description",
            "summary",
            "author",
            "authors",
            "tags",
            "categories",
            "draft",
            "url",
            "aliases",
            "slug",
            "weight",
            "layout",
            "type",
            "toc",
            "menu",
            "keywords",
        ],
        Generator::Jekyll => &[
            "title",
            "date",
            "description",
            "excerpt",
            "author",
            "authors",
            "tags",
            "tag",
            "categories",
            "category",
            "published",
            "permalink",
            "redirect_from",
            "slug",
            "layout",
            "comments",
            "last_modified_at",
        ],
    }
}

impl Blog {
    /// Reads one post's front matter into the hub's terms; `Err` is why it cannot be a post.
    /// Problems that do not stop the import of the post go to `notes`.
    pub fn read(&self, file: &SourceFile, doc: &SourceDoc, notes: &mut Vec<Diagnostic>) -> Result<Read, Diagnostic> {
        let f = &doc.fields;
        let stem = match &file.bundle {
            Some(dir) => dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            None => file.path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        };
        let (name_date, name_rest) = match map::date_prefix(&stem) {
            Some((d, rest)) => (Some(d), rest.to_string()),
            None => (None, stem.clone()),
        };
        let title = map::text(f, "title");
        let mut summary = map::text(f, "description").or_else(|| map::text(f, "summary"));
        let tags;
        let mut credits = Vec::new();
        let mut old_urls: Vec<(String, &'static str)> = Vec::new();
        let draft;
        let written_date;
        let mut slug = map::text(f, "slug").unwrap_or_else(|| name_rest.clone());
        match self.generator {
            Generator::Zola => {
                let tax = map::nested(f, "taxonomies").cloned().unwrap_or_default();
                tags = map::merge_tags(&[map::list(&tax, "tags", Split::No), map::list(&tax, "categories", Split::No)]);
                let extra = map::nested(f, "extra").cloned().unwrap_or_default();
                for v in [f.get("authors"), extra.get("authors"), extra.get("author")].into_iter().flatten() {
                    if credits.is_empty() {
                        credits = map::credits(v);
                    }
                }
                if summary.is_none() {
                    summary = map::text(&extra, "summary");
                }
                draft = map::flag(f, "draft").unwrap_or(false);
                let path = map::text(f, "path");
                written_date =
                    map::text(f, "date").or(name_date.clone()).or_else(|| path.as_deref().and_then(map::date_in_path));
                match &path {
                    Some(p) => old_urls.push((with_slash(&format!("/{}", p.trim_matches('/'))), "path")),
                    None => {
                        let dirs = section_dirs(&file.rel, file.bundle.is_some());
                        let s = crate::slug::slugify(&slug);
                        old_urls.push((
                            format!(
                                "/{}{s}/",
                                dirs.iter().map(|d| format!("{}/", crate::slug::slugify(d))).collect::<String>()
                            ),
                            "address",
                        ));
                    }
                }
                for a in map::list(f, "aliases", Split::No) {
                    old_urls.push((format!("/{}", a.trim_start_matches('/')), "aliases"));
                }
            }
            Generator::Hugo => {
                tags = map::merge_tags(&[map::list(f, "tags", Split::No), map::list(f, "categories", Split::No)]);
                for key in ["authors", "author"] {
                    if credits.is_empty() {
                        if let Some(v) = f.get(key) {
                            credits = map::credits(v);
                        }
                    }
                }
                draft = map::flag(f, "draft").unwrap_or(false);
                written_date = ["date", "publishDate", "pubDate", "published", "lastmod"]
                    .iter()
                    .find_map(|k| map::text(f, k))
                    .or(name_date.clone());
                if summary.is_none() {
                    summary = map::text(f, "summary");
                }
                let date_for_url = written_date.as_deref().and_then(map::date);
                match map::text(f, "url") {
                    Some(u) => old_urls.push((format!("/{}", u.trim_start_matches('/')), "url")),
                    None => old_urls.push((
                        self.hugo_address(file, f, &stem, date_for_url.as_deref(), title.as_deref()),
                        "address",
                    )),
                }
                for a in map::list(f, "aliases", Split::No) {
                    old_urls.push((format!("/{}", a.trim_start_matches('/')), "aliases"));
                }
            }
            Generator::Jekyll => {
                let mut categories = file.folder_categories.clone();
                categories.extend(map::list(f, "categories", Split::Spaces));
                categories.extend(map::list(f, "category", Split::No));
                tags = map::merge_tags(&[
                    map::list(f, "tags", Split::Spaces),
                    map::list(f, "tag", Split::No),
                    categories.clone(),
                ]);
                for key in ["authors", "author"] {
                    if credits.is_empty() {
                        if let Some(v) = f.get(key) {
                            credits = self.jekyll_credits(v);
                        }
                    }
                }
                if credits.is_empty() {
                    if let Some(v) = self.config.get("author") {
                        credits = self.jekyll_credits(v);
                    }
                }
                if summary.is_none() {
                    summary = map::text(f, "excerpt");
                }
                draft = file.draft_folder || map::flag(f, "published") == Some(false);
                written_date = map::text(f, "date").or(name_date.clone());
                if written_date.is_none() && !file.draft_folder {
                    return Err(Diagnostic::error(
                        Code::ImportSource,
                        "this post's file name does not start with its date",
                    )
                    .in_file(&doc.shown)
                    .at(&doc.text, 1, 1, 3)
                    .with_hint("Jekyll posts are named like `2026-11-20-title.md`; rename it or add `date:`"));
                }
                let date_for_url = written_date.as_deref().and_then(map::date);
                let title_part = map::text(f, "slug").unwrap_or_else(|| name_rest.clone());
                slug = title_part.clone();
                let pattern = map::text(f, "permalink")
                    .map(|p| (p, "permalink"))
                    .unwrap_or_else(|| (self.jekyll_pattern(), "address"));
                if let Some(day) = &date_for_url {
                    let cats: Vec<String> = categories.iter().map(|c| c.to_lowercase()).collect();
                    old_urls.push((jekyll_url(&pattern.0, day, &title_part, &cats), pattern.1));
                }
                for a in map::list(f, "redirect_from", Split::No) {
                    old_urls.push((format!("/{}", a.trim_start_matches('/')), "redirect_from"));
                }
            }
        }
        if title.is_none() && written_date.is_none() {
            return Err(Diagnostic::warning(
                Code::ImportLeftOut,
                "this file has no title and no date: it was taken for a page of the old site, not a post, and left out",
            )
            .in_file(&doc.shown)
            .at(&doc.text, 1, 1, 3)
            .with_hint("if it is a post, add `title` and `date` to it in the source blog, then import again"));
        }
        let Some(title) = title.or_else(|| map::text(f, "linkTitle")) else {
            return Err(Diagnostic::error(Code::ImportSource, "this post has no title, so it was not imported")
                .in_file(&doc.shown)
                .at(&doc.text, 1, 1, 3)
                .with_hint("add a `title` to it in the source blog, then import again"));
        };
        let date = match &written_date {
            Some(d) if map::date(d).is_none() && map::date(d.get(..10).unwrap_or("")).is_some() => {
                // Ruby and Go read more ways of writing a time than the hub; the day is enough.
                let day = d[..10].to_string();
                notes.push(
                    doc.at_key(
                        Diagnostic::warning(
                            Code::ImportLeftOut,
                            format!("the time in `{d}` cannot be read, so the post is dated {day}"),
                        ),
                        "date",
                    )
                    .with_hint("add the time by hand if it matters"),
                );
                day
            }
            Some(d) => map::date(d).ok_or_else(|| {
                let key = ["date", "publishDate", "pubDate", "published", "lastmod"]
                    .into_iter()
                    .find(|k| f.contains_key(*k))
                    .unwrap_or("date");
                doc.at_key(
                    Diagnostic::error(
                        Code::ImportSource,
                        format!("the date `{d}` cannot be read, so this post was not imported"),
                    ),
                    key,
                )
                .with_hint("write it like `2019-11-07` or `2019-11-07T10:00:00+01:00` in the source blog")
            })?,
            None => {
                return Err(Diagnostic::error(Code::ImportSource, "this post has no date, so it was not imported")
                    .in_file(&doc.shown)
                    .at(&doc.text, 1, 1, 3)
                    .with_hint("add `date` to it in the source blog (or start its file name with `2019-11-07-`), then import again"));
            }
        };
        let known = known(self.generator);
        let mut extra: Map<String, Value> = match (self.generator, f.get("extra")) {
            (Generator::Zola, Some(Value::Object(m))) => m.clone(),
            _ => Map::new(),
        };
        for (k, v) in f {
            if !known.contains(&k.as_str()) && !v.is_null() {
                extra.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        Ok(Read { title, date, summary, tags, credits, draft, old_urls, slug, extra })
    }

    /// The address Hugo gave a page: `permalinks` for its section, else its path.
    fn hugo_address(
        &self,
        file: &SourceFile,
        f: &Map<String, Value>,
        stem: &str,
        date: Option<&str>,
        title: Option<&str>,
    ) -> String {
        let permalinks = map::nested(&self.config, "permalinks");
        let pattern = permalinks.and_then(|p| {
            map::text(p, &self.section).or_else(|| map::nested(p, "page").and_then(|pp| map::text(pp, &self.section)))
        });
        let slug_fm = map::text(f, "slug");
        let urlize = |s: &str| crate::slug::slugify(s);
        match pattern {
            Some(p) => {
                let day = date.unwrap_or("0000-00-00");
                let (y, m, d) =
                    (&day[..4.min(day.len())], day.get(5..7).unwrap_or("01"), day.get(8..10).unwrap_or("01"));
                let title_u = title.map(urlize).unwrap_or_default();
                let mut url = p.clone();
                for (token, value) in [
                    (":slugorfilename", slug_fm.clone().unwrap_or_else(|| stem.to_string())),
                    (":slugorcontentbasename", slug_fm.clone().unwrap_or_else(|| stem.to_string())),
                    (":contentbasename", stem.to_string()),
                    (":filename", stem.to_string()),
                    (":sections", self.section.clone()),
                    (":section", self.section.clone()),
                    (":slug", slug_fm.clone().unwrap_or_else(|| title_u.clone())),
                    (":title", title_u.clone()),
                    (":year", y.to_string()),
                    (":month", m.to_string()),
                    (":day", d.to_string()),
                ] {
                    url = url.replace(token, &value);
                }
                let url = format!("/{}", url.trim_start_matches('/'));
                url.to_lowercase()
            }
            None => {
                let dirs = section_dirs(&file.rel, file.bundle.is_some());
                let last = slug_fm.unwrap_or_else(|| stem.to_string());
                let mut url = String::from("/");
                for d in dirs {
                    url.push_str(&d);
                    url.push('/');
                }
                url.push_str(&last);
                url.push('/');
                url.to_lowercase().replace(' ', "-")
            }
        }
    }

    /// A variable a body refers to: Jekyll's `site.x` (from `_config.yml`) and `page.x` (the
    /// post's front matter); Hugo's `param "x"` (the page's, else the site's `params`).
    pub fn variable(&self, name: &str, page: &Map<String, Value>) -> Option<String> {
        let (scope, path) = match self.generator {
            Generator::Jekyll => match name.split_once('.') {
                Some(("site", rest)) => (&self.config, rest),
                Some(("page", rest)) => (page, rest),
                _ => return None,
            },
            Generator::Hugo => {
                let from_page = lookup(page, name);
                if from_page.is_some() {
                    return from_page;
                }
                return map::nested(&self.config, "params").and_then(|p| lookup(p, name));
            }
            Generator::Zola => return None,
        };
        lookup(scope, path)
    }

    /// The site's pattern for posts: `collections.posts.permalink`, else `permalink`.
    fn jekyll_pattern(&self) -> String {
        let collection = map::nested(&self.config, "collections")
            .and_then(|c| map::nested(c, "posts"))
            .and_then(|p| map::text(p, "permalink"));
        let written = collection.or_else(|| map::text(&self.config, "permalink")).unwrap_or_else(|| "date".into());
        match written.as_str() {
            "date" => "/:categories/:year/:month/:day/:title:output_ext".into(),
            "pretty" => "/:categories/:year/:month/:day/:title/".into(),
            "ordinal" => "/:categories/:year/:y_day/:title:output_ext".into(),
            "none" => "/:categories/:title:output_ext".into(),
            _ => written,
        }
    }

    fn jekyll_credits(&self, v: &Value) -> Vec<Credit> {
        let ids: Vec<String> = match v {
            Value::String(s) => vec![s.clone()],
            Value::Array(items) => items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
            _ => Vec::new(),
        };
        if !ids.is_empty() && ids.iter().all(|id| self.authors_data.contains_key(id)) {
            return ids
                .iter()
                .map(|id| {
                    let data = self.authors_data.get(id).and_then(Value::as_object).cloned().unwrap_or_default();
                    let name =
                        ["name", "display_name"].iter().find_map(|k| map::text(&data, k)).unwrap_or_else(|| id.clone());
                    let url = ["url", "web", "website"]
                        .iter()
                        .find_map(|k| map::text(&data, k))
                        .or_else(|| map::text(&data, "github").map(|g| format!("https://github.com/{g}")))
                        .or_else(|| {
                            map::text(&data, "twitter").map(|t| format!("https://x.com/{}", t.trim_start_matches('@')))
                        })
                        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
                    Credit { name, url }
                })
                .collect();
        }
        map::credits(v)
    }
}

/// A dotted path (`a.b`) in a mapping, as text.
fn lookup(map: &Map<String, Value>, path: &str) -> Option<String> {
    let mut parts = path.split('.');
    let mut value = map.get(parts.next()?)?;
    for p in parts {
        value = value.as_object()?.get(p)?;
    }
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The folders between the content root and a page (without a bundle's own folder).
fn section_dirs(rel: &str, bundle: bool) -> Vec<String> {
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    if bundle {
        parts.pop();
    }
    parts.into_iter().map(str::to_string).collect()
}

fn with_slash(url: &str) -> String {
    let last = url.rsplit('/').next().unwrap_or("");
    if url.ends_with('/') || last.contains('.') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// A Jekyll permalink pattern filled in.
fn jekyll_url(pattern: &str, day: &str, title: &str, categories: &[String]) -> String {
    let (y, m, d) = (&day[..4], &day[5..7], &day[8..10]);
    let date = chrono::NaiveDate::parse_from_str(&day[..10], "%Y-%m-%d").ok();
    let y_day = date.map(|d| format!("{:03}", chrono::Datelike::ordinal(&d))).unwrap_or_default();
    let time = day.get(11..19).unwrap_or("00:00:00");
    let mut url = pattern.to_string();
    for (token, value) in [
        (":categories", categories.join("/")),
        (":output_ext", ".html".to_string()),
        (":short_year", y[2..].to_string()),
        (":i_month", m.trim_start_matches('0').to_string()),
        (":i_day", d.trim_start_matches('0').to_string()),
        (":y_day", y_day),
        (":year", y.to_string()),
        (":month", m.to_string()),
        (":day", d.to_string()),
        (":hour", time[..2].to_string()),
        (":minute", time[3..5].to_string()),
        (":second", time[6..8].to_string()),
        (":title", title.to_string()),
        (":slug", crate::slug::slugify(title)),
    ] {
        url = url.replace(token, &value);
    }
    let mut clean = String::from("/");
    for part in url.split('/').filter(|p| !p.is_empty()) {
        clean.push_str(part);
        clean.push('/');
    }
    if !url.ends_with('/') {
        clean.pop();
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jekyll_addresses_follow_the_permalink_pattern() {
        let date = "/:categories/:year/:month/:day/:title:output_ext";
        assert_eq!(jekyll_url(date, "2016-05-09", "survey", &["news".into()]), "/news/2016/05/09/survey.html");
        assert_eq!(jekyll_url(date, "2016-05-09T10:00:00+02:00", "survey", &[]), "/2016/05/09/survey.html");
        assert_eq!(
            jekyll_url("/news/:year/:month/:day/:title/", "2013-05-06", "jekyll-1-0", &[]),
            "/news/2013/05/06/jekyll-1-0/"
        );
        assert_eq!(jekyll_url("/blog/:i_month/:slug", "2013-05-06", "Big News", &[]), "/blog/5/big-news");
    }

    #[test]
    fn zola_paths_end_as_zola_ends_them() {
        assert_eq!(with_slash("/2019/11/07/Async-await-stable"), "/2019/11/07/Async-await-stable/");
        assert_eq!(with_slash("/2019/11/07/x.html"), "/2019/11/07/x.html");
        assert_eq!(section_dirs("inside-rust/post/index.md", true), ["inside-rust"]);
        assert_eq!(section_dirs("a.md", false), Vec::<String>::new());
    }
}
