//! A file's Markdown rendered in the site's context: `@/` links resolved against what is
//! published, highlighting, and problems placed in the file. Used for bodies (pages, feeds)
//! and for summaries (cards). Knows nothing of templates or pages.

use std::sync::atomic::Ordering;

use crate::content::SourceFile;
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Highlight, Rendered};
use crate::site::Site;
use crate::timings::Timings;

fn resolver(site: &Site) -> impl Fn(&str) -> markdown::Target + Sync + '_ {
    use markdown::Target;
    move |file: &str| {
        let file = file.trim_start_matches('/');
        // A file by its own name, or a translation by its original's.
        let is_file = |f: &SourceFile| {
            let rel = f.rel.strip_prefix("content/").unwrap_or(&f.rel);
            rel == file || crate::translations::key_of(rel, f.language.as_ref().map(|l| l.value.as_str())) == file
        };
        if let Some(id) = site.post_by_file(file) {
            return Target::Page(site.post_path(id).to_string());
        }
        if site.posts().any(|(_, p)| is_file(&p.file)) {
            return Target::Unpublished;
        }
        if let Some((id, c)) = site.causes().find(|(_, c)| is_file(&c.file)) {
            return if site.cause_published(id) {
                Target::Page(site.cause_path(&c.slug.value))
            } else {
                Target::Unpublished
            };
        }
        if let Some((_, p)) = site.pages().find(|(_, p)| is_file(&p.file)) {
            return Target::Page(site.page_path(&p.slug.value));
        }
        if let Some((_, p)) = site.people().find(|(_, p)| is_file(&p.file)) {
            return if p.visible() { Target::Page(site.person_path(&p.id)) } else { Target::Unpublished };
        }
        // A file with errors exists; it is only not published until they are fixed.
        if site.rejected().any(|r| is_file(&r.file)) {
            return Target::Unpublished;
        }
        // In a hub with languages: the page in another language.
        match site.elsewhere(file) {
            Some(path) => Target::Page(path.to_string()),
            None => Target::Missing,
        }
    }
}

/// Renders a file's Markdown body in the site's context.
/// Bodies are highlighted; summaries (below) are not.
pub fn render_body(site: &Site, file: &SourceFile, highlight: Highlight, timings: Option<&Timings>) -> Rendered {
    render_body_with(site, file, highlight, timings, None, false)
}

/// `render_body`, with images published as `images` says (`srcset`, sizes, lazy loading),
/// and with the body's text without markup when `plain_text` asks (`Rendered::plain`).
pub fn render_body_with(
    site: &Site,
    file: &SourceFile,
    highlight: Highlight,
    timings: Option<&Timings>,
    images: Option<&markdown::Images>,
    plain_text: bool,
) -> Rendered {
    let started = std::time::Instant::now();
    let resolve = resolver(site);
    let text = file.text();
    let ctx = markdown::Context {
        images,
        resolve: &resolve,
        unsafe_html: site.config().unsafe_html,
        external_media: site.config().external_media,
        highlight,
        highlight_time: timings.map(|t| &t.highlight),
        src: file.src(&text),
        plain_text,
        body_start: file.body_start,
        body_line: file.body_line,
    };
    let rendered = markdown::render(file.body_of(&text), &ctx);
    if let Some(t) = timings {
        t.markdown.fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }
    rendered
}

/// Renders the summary of a post, which is Markdown: `written`, its `summary:` in the front
/// matter, whose problems are reported at its line, or else `md` from the body. (A summary
/// taken from the body needs no report of its own: the body's rendering reports it.)
/// `text` is the file's (`SourceFile::text`).
pub fn render_summary(
    site: &Site,
    file: &SourceFile,
    text: &str,
    md: &str,
    written: Option<&crate::fields::Spanned<String>>,
) -> (String, Vec<Diagnostic>) {
    let resolve = resolver(site);
    let ctx = markdown::Context {
        images: None,
        resolve: &resolve,
        unsafe_html: site.config().unsafe_html,
        external_media: site.config().external_media,
        highlight: Highlight::Off,
        highlight_time: None,
        src: file.src(text),
        plain_text: false,
        body_start: file.body_start,
        body_line: file.body_line,
    };
    let rendered = markdown::render(md, &ctx);
    let Some(written) = written else { return (rendered.html, Vec::new()) };
    let (line, len) = (written.line, SourceFile::line_width(text, written.line));
    let diags = rendered
        .diagnostics
        .into_iter()
        .map(|d| Diagnostic { line, column: 1, span: len, ..d }.at(text, line, 1, len))
        .map(|mut d| {
            d.message = format!("in `summary`: {}", d.message);
            d
        })
        .collect();
    (rendered.html, diags)
}
