//! Pages: each page kind (`pages/`) turns the site and its cards into a typed view, and the
//! theme's template into HTML. Every page kind returns one `Rendered`.
//!
//! Rendering never writes files and never loads content: it reads the `Site` and the `Cards`
//! and hands back `(site path, HTML)` pairs for `build` (the staging folder), `serve` (the
//! preview folder) or `check` (nowhere).

pub mod pages;
mod templates;
mod view;

use serde::Serialize;
use tera::Tera;

use crate::cards::Cards;
use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::i18n::Strings;
use crate::site::{PostId, Site};
use crate::timings::Timings;

pub use crate::output::Output;
pub use templates::{error_chain, load_templates};
pub use view::{ld, Meta};

/// What rendering one page kind produced: its files, the problems found, and, for a post,
/// its body's HTML (which the feeds show) and, when asked, its text without markup (which
/// the search index reads).
#[derive(Default)]
pub struct Rendered {
    pub outputs: Vec<Output>,
    pub diagnostics: Vec<Diagnostic>,
    pub body: Option<String>,
    pub plain: Option<String>,
}

impl Rendered {
    /// Nothing: the page does not exist (a draft, a hidden person, an unknown week).
    pub fn none() -> Rendered {
        Rendered::default()
    }

    fn push(&mut self, result: Result<Output, Diagnostic>) {
        match result {
            Ok(o) => self.outputs.push(o),
            Err(d) => self.diagnostics.push(d),
        }
    }

    /// A page of its own, or the problem that kept it from rendering.
    fn one(result: Result<Output, Diagnostic>) -> Rendered {
        let mut r = Rendered::none();
        r.push(result);
        r
    }
}

/// Who the pages are for: the published site, or `serve`'s preview (which adds the
/// live-reload client and nothing else).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Published,
    Preview,
}

/// What every page needs: the site, its templates and cards, and the theme's texts.
pub struct Renderer<'a> {
    pub site: &'a Site,
    pub tera: &'a Tera,
    pub cards: &'a Cards,
    /// The theme's texts in the pages' language; `new` takes the cards' (which a build may
    /// replace, as long as the cards were written in the same language).
    pub strings: &'a Strings,
    pub audience: Audience,
    /// Collected only for `build --timings`.
    pub timings: Option<&'a Timings>,
    /// The published images (`srcset`, sizes); `None` leaves Markdown images as written.
    pub images: Option<&'a crate::images::Published>,
    /// The hub's languages, in a hub with several.
    pub translations: Option<&'a crate::translations::Translations>,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, tera: &'a Tera, cards: &'a Cards, audience: Audience) -> Renderer<'a> {
        Renderer {
            site,
            tera,
            cards,
            strings: cards.strings(),
            audience,
            timings: None,
            images: None,
            translations: None,
        }
    }

    /// Renders `template` with the page's own view, inside the view every page shares.
    fn page<T: Serialize>(&self, template: &str, meta: &Meta, path: &str, page: T) -> Result<Output, Diagnostic> {
        let config = self.site.config();
        let code = config.language.as_str();
        let (languages, alternates) = match self.translations {
            Some(t) => (t.links(code, path), t.alternates(code, path)),
            None => (Vec::new(), Vec::new()),
        };
        let rtl = crate::i18n::is_rtl(code);
        let view = view::PageView {
            root: &config.prefix,
            dir: (config.multilingual() || rtl).then_some(if rtl { "rtl" } else { "ltr" }),
            languages,
            alternates,
            site: self.site.config().info(),
            menu: self.cards.menu(),
            guidelines_url: self.cards.guidelines_url(),
            t: self.strings.map(),
            live_reload: self.audience == Audience::Preview,
            current_path: path,
            section: match template {
                "post.html" | "posts.html" => "posts",
                "person.html" | "people.html" => "people",
                "cause.html" | "causes.html" => "causes",
                "tag.html" | "tags.html" => "tags",
                _ => "",
            },
            meta,
            page,
        };
        let html = self.render(template, &view, path)?;
        Ok(Output { path: output_file(path), html })
    }

    fn render<T: Serialize>(&self, template: &str, view: &T, path: &str) -> Result<String, Diagnostic> {
        let started = std::time::Instant::now();
        let result = tera::Context::from_serialize(view).and_then(|ctx| self.tera.render(template, &ctx));
        if let Some(t) = self.timings {
            t.template(template, started.elapsed().as_nanos() as u64);
        }
        result.map_err(|e| {
            Diagnostic::error(Code::Template, format!("the template `{template}` failed for {path}: {}", error_chain(&e)))
                .in_file(self.template_file(template))
                .with_hint("a variable may be misspelled or missing for this page; see docs/templates.md for what each template receives")
        })
    }

    /// The file a template comes from, as the person sees it in the hub.
    fn template_file(&self, name: &str) -> String {
        let site_file = self.site.root().join("templates").join(name);
        if site_file.is_file() {
            format!("templates/{name}")
        } else {
            format!("themes/{}/templates/{name}", self.site.config().theme)
        }
    }

    /// `title`, or `title — page n` after the first page of a listing.
    fn page_title(&self, title: &str, n: usize) -> String {
        if n <= 1 {
            title.to_string()
        } else {
            self.strings.fmt("page_n", &[("title", title), ("n", &n.to_string())])
        }
    }

    /// A page's `meta`, with the description cut to what previews show.
    fn meta(&self, path: &str, title: &str, description: &str, kind: &'static str) -> Meta<'a> {
        let site = self.site;
        let description = if description.trim().is_empty() { site.config().description.as_str() } else { description };
        Meta {
            title: title.to_string(),
            description: truncate_chars(description, 300),
            url: site.config().absolute(path),
            kind,
            // The site's social card, unless the page has an image of its own.
            image: self.cards.site_image(),
            published_time: None,
            authors: None,
            tags: None,
            json_ld: None,
        }
    }

    /// A file's Markdown body, its images published (`page` is the page's site path, for
    /// relative image addresses; `eager_first` when no image comes before the body).
    /// With its text without markup (`plain`) when `plain_text` asks.
    fn body(
        &self,
        file: &crate::content::SourceFile,
        page: &str,
        eager_first: bool,
        plain_text: bool,
    ) -> crate::markdown::Rendered {
        let highlight = crate::markdown::Highlight::On;
        let Some(published) = self.images else {
            return crate::body::render_body_with(self.site, file, highlight, self.timings, None, plain_text);
        };
        let find = |dest: &str| crate::images::found(published, page, dest);
        let images = crate::markdown::Images { find: &find, eager_first };
        crate::body::render_body_with(self.site, file, highlight, self.timings, Some(&images), plain_text)
    }

    /// How many pages a listing of `count` posts has (always at least one).
    pub fn page_count(&self, count: usize) -> usize {
        count.div_ceil(self.site.config().paginate.max(1)).max(1)
    }

    /// The page number (1-based) of a listing that shows post `id`.
    pub fn page_of(&self, posts: &[PostId], id: PostId) -> Option<usize> {
        posts.iter().position(|&p| p == id).map(|pos| pos / self.site.config().paginate.max(1) + 1)
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

    #[test]
    fn descriptions_are_cut_at_a_character() {
        assert_eq!(truncate_chars("héllo", 10), "héllo");
        assert_eq!(truncate_chars("héllo wörld", 7), "héllo…");
    }
}

#[cfg(test)]
mod doc_check;
