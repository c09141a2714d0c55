//! Markdown to HTML with pulldown-cmark: heading ids, highlighted code, internal `@/` links,
//! link checks and, unless the hub allows raw HTML, sanitising with ammonia.
//!
//! Rendering returns the HTML together with the problems found (an unknown `@/` target, an
//! anchor that names no heading, a `javascript:` link, an image without alt text); it never
//! fails as a whole.
//!
//! This file owns the public face of the module (`Context`, `Rendered`, `render`, and the
//! helpers re-exported below) and the order of the passes. Each pass lives in its own file
//! and rewrites only its own kind of event; this file must not rewrite events itself.

mod code;
mod headings;
mod html;
mod images;
mod links;
mod media;
mod tables;
mod text;

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser};

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::fields::SourceRef;

pub use headings::Heading;
pub use html::sanitize;
pub use text::{escape_html, plain_text, summary_source};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Where an internal `@/` link leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The page's site path, `/posts/x/`.
    Page(String),
    /// The file exists but has no page (a draft, scheduled, or its person withdrew).
    Unpublished,
    Missing,
}

/// What becomes of an image or media element from another website (`external_media` in
/// `chorus.yaml`): an error, or a plain link to it. Either way the page loads nothing from
/// elsewhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExternalMedia {
    #[default]
    Refuse,
    Link,
}

/// Whether code blocks are highlighted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Highlight {
    On,
    /// For summaries and checks, where only the text matters.
    Off,
}

/// What an image in the Markdown turned out to be, by its site path (see `Images`).
pub enum ImageFound {
    /// A processed raster image: the fallback, the WebP `srcset` and the size.
    Picture { src: String, srcset: String, width: u32, height: u32 },
    /// An image published as it is (SVG), with the size it declares.
    Sized { width: u32, height: u32 },
    /// An image that cannot be published: reported at the reference.
    Refused { code: Code, message: String, hint: String },
    /// Not a published image (left as written).
    Other,
}

/// The published images, for `<img>` with `srcset`, sizes and lazy loading.
pub struct Images<'a> {
    /// Finds an image by its address as written in the Markdown.
    pub find: &'a (dyn Fn(&str) -> ImageFound + Sync),
    /// Whether the document's first image is the page's first (loaded at once, not lazily).
    pub eager_first: bool,
}

/// What a rendering needs to know about the rest of the hub.
pub struct Context<'a> {
    /// The published images; `None` leaves images as written (summaries, checks).
    pub images: Option<&'a Images<'a>>,
    /// Maps `posts/x.md` (the part after `@/`) to where it leads.
    pub resolve: &'a (dyn Fn(&str) -> Target + Sync),
    pub unsafe_html: bool,
    /// What becomes of images and media from other websites.
    pub external_media: ExternalMedia,
    pub highlight: Highlight,
    /// Where to add the time spent highlighting, in nanoseconds (`build --timings`).
    pub highlight_time: Option<&'a std::sync::atomic::AtomicU64>,
    /// The file, for diagnostics, and where the Markdown starts in it.
    pub src: SourceRef<'a>,
    pub body_start: usize,
    pub body_line: usize,
    /// Also give the text without markup (`Rendered::plain`, as `plain_text` makes it), from
    /// the same parse: for the search index, which would otherwise parse the body again.
    pub plain_text: bool,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// Ids of the headings, in order, for anchors and tables of contents.
    pub headings: Vec<Heading>,
    pub diagnostics: Vec<Diagnostic>,
    /// The text without markup, when `Context::plain_text` asks for it.
    pub plain: Option<String>,
}

/// One event of the document, where it is in the Markdown, and its place in the parser's
/// output (`ord`). An event written in place of others takes the `ord` of one of them.
struct Item<'a> {
    event: Event<'a>,
    range: Range<usize>,
    ord: usize,
}

/// The problems the passes find. Each is kept with the `ord` of its event so that they are
/// reported in the document's order, whichever pass found them.
struct Problems<'c> {
    ctx: &'c Context<'c>,
    found: Vec<(usize, Diagnostic)>,
}

impl<'c> Problems<'c> {
    fn new(ctx: &'c Context<'c>) -> Problems<'c> {
        Problems { ctx, found: Vec::new() }
    }

    /// A diagnostic at a position in the Markdown, placed at the right place of the file.
    fn at(&self, severity: Severity, code: Code, message: String, offset: usize, len: usize) -> Diagnostic {
        let ctx = self.ctx;
        let absolute = (ctx.body_start + offset).min(ctx.src.text.len());
        let before = &ctx.src.text[..absolute];
        let line = before.matches('\n').count() + 1;
        let column = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
        let len = ctx.src.text[absolute..].chars().take(len.max(1)).take_while(|&c| c != '\n').count();
        let d = Diagnostic { severity, ..Diagnostic::error(code, message) };
        d.in_file(ctx.src.file).at(ctx.src.text, line, column, len)
    }

    /// An error about the Markdown an event came from.
    fn error(&self, item: &Item, code: Code, message: impl Into<String>) -> Diagnostic {
        self.at(Severity::Error, code, message.into(), item.range.start, item.range.len())
    }

    fn warning(&self, item: &Item, code: Code, message: impl Into<String>) -> Diagnostic {
        self.at(Severity::Warning, code, message.into(), item.range.start, item.range.len())
    }

    fn push(&mut self, item: &Item, diagnostic: Diagnostic) {
        self.found.push((item.ord, diagnostic));
    }

    /// For problems about the whole document, found once every event has been seen.
    fn push_after_all(&mut self, diagnostic: Diagnostic) {
        self.found.push((usize::MAX, diagnostic));
    }

    fn into_diagnostics(mut self) -> Vec<Diagnostic> {
        // Stable: problems about one event keep the order they were found in.
        self.found.sort_by_key(|(ord, _)| *ord);
        self.found.into_iter().map(|(_, d)| d).collect()
    }
}

/// Renders `markdown` (a slice of the file starting at `ctx.body_start`).
pub fn render(markdown: &str, ctx: &Context) -> Rendered {
    let mut items: Vec<Item> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .enumerate()
        .map(|(ord, (event, range))| Item { event, range, ord })
        .collect();
    // Before any pass: the events as the parser gave them, as `plain_text` reads them.
    let plain = ctx.plain_text.then(|| text::plain_text_of(markdown.len(), items.iter().map(|i| &i.event)));
    let mut problems = Problems::new(ctx);
    // First, while every HTML event is still one the author wrote: later passes add their own.
    if ctx.external_media == ExternalMedia::Link {
        media::link_raw_html(&mut items);
    }
    let has_raw_html = html::check_raw(&items, ctx, &mut problems);
    let headings = headings::assign_ids(&mut items);
    let mut links = links::Links::default();
    links.rewrite(&mut items, ctx, &mut problems);
    images::check(&mut items, &mut problems);
    images::publish(&mut items, ctx, &mut problems);
    code::write_blocks(&mut items, ctx, &mut problems);
    tables::write(&mut items);

    let mut html = String::with_capacity(markdown.len() + markdown.len() / 2);
    pulldown_cmark::html::push_html(&mut html, items.into_iter().map(|item| item.event));
    if has_raw_html && !ctx.unsafe_html {
        html = html::clean(html, markdown, &mut problems);
    }
    // Raw HTML can hold anchors too (`<a name="x">`, `<span id="x">`): those the page keeps.
    let mut targets = headings.ids.clone();
    if has_raw_html && links.unresolved(&targets) {
        targets.extend(html::anchor_targets(&html));
    }
    links.check_anchors(&targets, &mut problems);
    Rendered { html, headings: headings.list, diagnostics: problems.into_diagnostics(), plain }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn ctx<'a>(text: &'a str, resolve: &'a (dyn Fn(&str) -> Target + Sync)) -> Context<'a> {
        Context {
            images: None,
            resolve,
            unsafe_html: false,
            external_media: ExternalMedia::Refuse,
            highlight: Highlight::On,
            highlight_time: None,
            src: SourceRef { file: "content/posts/t.md", text },
            body_start: 0,
            body_line: 1,
            plain_text: false,
        }
    }

    pub(super) fn none(_: &str) -> Target {
        Target::Missing
    }

    /// The search index takes a body's text from the parse that renders it: it must be the
    /// text `plain_text` gives, whatever the passes then do to the events.
    #[test]
    fn the_plain_text_of_a_rendering_is_plain_text() {
        let docs = [
            "# Title\n\nA *paragraph* with `code`, a [link](https://e.example) and ![alt](i.png).\n",
            "- one\n- two\n\n> quoted\n\n```rust\nfn main() {}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            "Line one  \nline two\nline\tthree <span>raw</span> and &amp; [^1]\n\n[^1]: A note.\n",
            "",
        ];
        for md in docs {
            let rendered = render(md, &Context { plain_text: true, ..ctx(md, &none) });
            assert_eq!(rendered.plain.as_deref(), Some(plain_text(md).as_str()), "{md:?}");
            assert_eq!(render(md, &ctx(md, &none)).plain, None);
        }
    }

    /// A document that touches every pass. Its output in `testdata/` was written by the
    /// single-`match` renderer this module replaced, so any change to a byte or a diagnostic
    /// shows here.
    const PINNED_FRONT: &str = "---\ntitle: Pinned\n---\n";
    const PINNED_BODY: &str = "\
# Intro *one* {#intro .lead onclick=x}

## Intro *one*

### `code` & more {#Weird Id!}

Text with \"quotes\" -- and a[^note] footnote, ~~struck~~, <kbd>K</kbd><script>x()</script> <img src=//x.example/a.png alt=a>.

- [x] done
- [ ] todo

See [a](@/posts/a.md#x \"A title\"), [draft](@/posts/draft.md), [gone](@/posts/gone.md),
[top](#intro), [bad](#intro-2), [note](#note), [js](javascript:alert(1)),
[ext](https://example.org/?a=1&b=\"2\" \"Ext 'title'\"), <ana@example.org>, <https://auto.example>.

[![inner alt](pic.png)](@/posts/draft.md) ![](empty.png) ![far](https://cdn.example/x.png)
![bad](javascript:x) ![with [link](@/posts/a.md) inside](ok.png)

| left | centre | right | none |
|:-----|:------:|------:|------|
| 1 | 2 | 3 | 4 |
| **b** | `c` | [l](#intro) | |

```rust,ignore
fn main() { println!(\"<hi>\"); }
```

```nosuchlang
<b>&amp;</b>
```

    indented <code>

<div class=\"x\" onclick=\"y()\">
<img src=\"https://tracker.example/p.gif\" alt=\"t\"><img src='/ok.png' alt='ok'>
</div>

> Quote with <video poster=//cdn.example/p.jpg></video>

[^note]: The note.
";

    fn pinned(unsafe_html: bool, highlight: Highlight) -> String {
        let text = format!("{PINNED_FRONT}{PINNED_BODY}");
        let resolve = |p: &str| match p {
            "posts/a.md" => Target::Page("/posts/a/".into()),
            "posts/draft.md" => Target::Unpublished,
            _ => Target::Missing,
        };
        let ctx =
            Context { unsafe_html, highlight, body_start: PINNED_FRONT.len(), body_line: 4, ..ctx(&text, &resolve) };
        let r = render(PINNED_BODY, &ctx);
        let mut out = r.html.clone();
        for h in &r.headings {
            out.push_str(&format!("heading {} {} {:?}\n", h.level, h.id, h.title));
        }
        for d in &r.diagnostics {
            out.push_str(&format!(
                "{:?} {} {}:{}:{}+{} {} | {:?} | {:?}\n",
                d.severity, d.code, d.file, d.line, d.column, d.span, d.message, d.hint, d.source_line
            ));
        }
        out
    }

    #[test]
    fn a_representative_document_renders_as_pinned() {
        if std::env::var_os("TMP_BLESS").is_some() {
            std::fs::write("src/markdown/testdata/pinned.txt", pinned(false, Highlight::On)).unwrap();
            std::fs::write("src/markdown/testdata/pinned_unsafe_html.txt", pinned(true, Highlight::On)).unwrap();
            std::fs::write("src/markdown/testdata/pinned_no_highlight.txt", pinned(false, Highlight::Off)).unwrap();
        }
        assert_eq!(pinned(false, Highlight::On), include_str!("testdata/pinned.txt"));
        assert_eq!(pinned(true, Highlight::On), include_str!("testdata/pinned_unsafe_html.txt"));
        assert_eq!(pinned(false, Highlight::Off), include_str!("testdata/pinned_no_highlight.txt"));
    }

    #[test]
    fn too_deep_html_renders_as_pinned() {
        let md = format!("Deep <b>&</b>\n\n{}x\n", "<div>".repeat(300));
        let r = render(&md, &ctx(&md, &none));
        let d = &r.diagnostics[0];
        let out = format!(
            "{}{} {}:{}+{} {} | {:?} | {}\n",
            r.html,
            d.code,
            d.line,
            d.column,
            d.span,
            d.message,
            d.hint,
            r.diagnostics.len()
        );
        assert_eq!(out, include_str!("testdata/pinned_deep.txt"));
    }
}
