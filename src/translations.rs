//! Which pages exist in which of a hub's languages (DESIGN §13): the table behind every
//! page's `hreflang` alternates, its language switcher and the sitemap's `xhtml:link`s.
//!
//! Built from the loaded sites before anything renders, so a page knows its translations
//! without waiting for them. A page is matched across languages by a *key*: the original
//! file of a post, cause or page (a translation shares its original's key, whatever its
//! slug), the id of a profile, and otherwise its path below the language's root (`/posts/`,
//! `/tags/energy/page/2/`, `/digest/2026-W47/`). Must not render or read files.

use std::collections::HashMap;

use serde::Serialize;

use crate::site::Site;

/// One language as pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLink {
    pub code: String,
    /// The language's own name: `Deutsch`.
    pub name: String,
    /// This page in that language, or that language's home when the page has no
    /// translation.
    pub url: String,
    /// Whether `url` is this page in that language (not only its home).
    pub translated: bool,
    /// Whether this is the page's own language.
    pub current: bool,
}

/// A `<link rel="alternate" hreflang>`: an absolute URL.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    pub hreflang: String,
    pub url: String,
}

#[derive(PartialEq)]
struct Language {
    code: String,
    name: String,
    prefix: String,
    /// Key → site path.
    paths: HashMap<String, String>,
    /// Site path → key.
    keys: HashMap<String, String>,
}

/// Every language's pages, by key. Two tables are equal when every language has the same
/// pages at the same paths: then no page of one language shows anything new of another.
#[derive(PartialEq)]
pub struct Translations {
    languages: Vec<Language>,
    base_url: String,
}

/// The key of an item's file: a translation's original (`content/posts/a.md` for
/// `content/posts/a.de.md`), else the file itself.
pub fn key_of(rel: &str, language: Option<&str>) -> String {
    match language.and_then(|l| rel.strip_suffix(&format!(".{l}.md"))) {
        Some(stem) => format!("{stem}.md"),
        None => rel.to_string(),
    }
}

impl Translations {
    /// The table of `sites`, one per language, the default first. `pages` lists each
    /// language's other pages (listings, tag pages, digests …) as paths below its root.
    pub fn new(sites: &[Site], pages: impl Fn(&Site) -> Vec<String>) -> Translations {
        let languages = sites
            .iter()
            .map(|site| {
                let config = site.config();
                let mut paths: HashMap<String, String> = HashMap::new();
                let mut add = |key: String, path: String| {
                    paths.entry(key).or_insert(path);
                };
                let lang = |f: &crate::content::SourceFile| f.language.as_ref().map(|l| l.value.clone());
                for (id, p) in site.posts() {
                    if site.post_state(id).has_page() {
                        add(key_of(&p.file.rel, lang(&p.file).as_deref()), site.post_path(id).to_string());
                    }
                }
                for (_, c) in site.published_causes() {
                    add(key_of(&c.file.rel, lang(&c.file).as_deref()), site.cause_path(&c.slug.value));
                }
                for (_, p) in site.pages() {
                    add(key_of(&p.file.rel, lang(&p.file).as_deref()), site.page_path(&p.slug.value));
                }
                for (_, p) in site.people().filter(|(_, p)| p.visible()) {
                    add(format!("person:{}", p.id), site.person_path(&p.id));
                }
                for page in pages(site) {
                    add(page.clone(), site.path(&page));
                }
                let keys = paths.iter().map(|(k, p)| (p.clone(), k.clone())).collect();
                let name = config
                    .languages
                    .iter()
                    .find(|l| l.code == config.language)
                    .map_or_else(|| config.language.clone(), |l| l.name.clone());
                Language { code: config.language.clone(), name, prefix: config.prefix.clone(), paths, keys }
            })
            .collect();
        let base_url = sites.first().map(|s| s.config().base_url.clone()).unwrap_or_default();
        Translations { languages, base_url }
    }

    fn position(&self, code: &str) -> Option<usize> {
        self.languages.iter().position(|l| l.code == code)
    }

    /// The page at `path` of language `code` in every language: for the switcher.
    pub fn links(&self, code: &str, path: &str) -> Vec<LanguageLink> {
        let key = self.position(code).and_then(|i| self.languages[i].keys.get(path));
        self.languages
            .iter()
            .map(|l| {
                let found = key.and_then(|k| l.paths.get(k));
                LanguageLink {
                    code: l.code.clone(),
                    name: l.name.clone(),
                    url: found.cloned().unwrap_or_else(|| format!("{}/", l.prefix)),
                    translated: found.is_some(),
                    current: l.code == code,
                }
            })
            .collect()
    }

    /// The `hreflang` alternates of the page at `path` of language `code`: every language it
    /// exists in (itself included), and `x-default` for the default language's version.
    pub fn alternates(&self, code: &str, path: &str) -> Vec<Alternate> {
        let Some(key) = self.position(code).and_then(|i| self.languages[i].keys.get(path)) else { return Vec::new() };
        let mut out: Vec<Alternate> = self
            .languages
            .iter()
            .filter_map(|l| l.paths.get(key).map(|p| Alternate { hreflang: l.code.clone(), url: self.absolute(p) }))
            .collect();
        if out.len() < 2 {
            // A page in one language only has no alternates to name.
            return Vec::new();
        }
        if let Some(p) = self.languages.first().and_then(|l| l.paths.get(key)) {
            out.push(Alternate { hreflang: "x-default".into(), url: self.absolute(p) });
        }
        out
    }

    fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The sitemap's alternates of an output file (`de/posts/a/index.html`), as `(hreflang,
    /// absolute URL)`.
    pub fn sitemap_alternates(&self, file: &str) -> Vec<Alternate> {
        let path = format!("/{}", file.strip_suffix("index.html").unwrap_or(file));
        let Some(lang) = self
            .languages
            .iter()
            .filter(|l| !l.prefix.is_empty() && path.starts_with(&format!("{}/", l.prefix)))
            .chain(self.languages.first())
            .next()
        else {
            return Vec::new();
        };
        self.alternates(&lang.code.clone(), &path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translation_is_keyed_by_its_original() {
        assert_eq!(key_of("content/posts/a.de.md", Some("de")), "content/posts/a.md");
        assert_eq!(key_of("content/posts/b/index.pt-br.md", Some("pt-br")), "content/posts/b/index.md");
        // A post that exists only in German is its own key.
        assert_eq!(key_of("content/posts/c.md", Some("de")), "content/posts/c.md");
        assert_eq!(key_of("content/posts/c.md", None), "content/posts/c.md");
    }
}
