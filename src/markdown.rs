//! Markdown to HTML with pulldown-cmark: heading ids, highlighted code, internal `@/` links,
//! link checks and, unless the hub allows raw HTML, sanitising with ammonia.
//!
//! Rendering returns the HTML together with the problems found (an unknown `@/` target, an
//! anchor that names no heading, a `javascript:` link, an image without alt text); it never
//! fails as a whole.

use std::collections::HashSet;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::diagnostic::Diagnostic;
use crate::fields::{check_url, SourceRef};
use crate::slug::slugify;

const MORE: &str = "<!-- more -->";

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

/// What a rendering needs to know about the rest of the hub.
pub struct Context<'a> {
    /// Maps `posts/x.md` (the part after `@/`) to where it leads.
    pub resolve: &'a (dyn Fn(&str) -> Target + Sync),
    pub unsafe_html: bool,
    /// Highlight code blocks (off for summaries and checks, where only the text matters).
    pub highlight: bool,
    /// Where to add the time spent highlighting, in nanoseconds (`build --timings`).
    pub highlight_time: Option<&'a std::sync::atomic::AtomicU64>,
    /// The file, for diagnostics, and where the Markdown starts in it.
    pub src: SourceRef<'a>,
    pub body_start: usize,
    pub body_line: usize,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// Ids of the headings, in order, for anchors and tables of contents.
    pub headings: Vec<Heading>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// The Markdown of the summary: the part before `<!-- more -->`, else the first paragraph.
pub fn summary_source(body: &str) -> &str {
    if let Some(i) = body.find(MORE) {
        return body[..i].trim();
    }
    // pulldown-cmark parses all blocks before the first event, and the first paragraph is
    // usually near the top: parse a prefix that ends at a blank line first. Text before a
    // blank line parses the same whatever follows it, so a paragraph that ends there is the
    // whole document's first paragraph.
    for size in [2048, 16384] {
        let Some(cut) = body.get(..size.min(body.len())).and_then(|p| p.rfind("\n\n")) else { continue };
        if cut + 2 >= body.len() {
            break;
        }
        if let Some(range) = first_paragraph(&body[..cut + 1]).filter(|r| r.end <= cut + 1) {
            return body[range].trim();
        }
    }
    first_paragraph(body).map_or("", |range| body[range].trim())
}

/// Where the first paragraph outside lists, quotes and other containers is.
fn first_paragraph(text: &str) -> Option<std::ops::Range<usize>> {
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => return Some(range),
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The text of some Markdown without its markup, on one line: for descriptions and share
/// messages.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Turns a position in the Markdown into a diagnostic at the right place of the file.
fn diag_at(ctx: &Context, error: bool, code: &'static str, message: String, offset: usize, len: usize) -> Diagnostic {
    let absolute = (ctx.body_start + offset).min(ctx.src.text.len());
    let before = &ctx.src.text[..absolute];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
    let len = ctx.src.text[absolute..].chars().take(len.max(1)).take_while(|&c| c != '\n').count();
    let d = if error { Diagnostic::error(code, message) } else { Diagnostic::warning(code, message) };
    d.in_file(ctx.src.file).at(ctx.src.text, line, column, len)
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Renders `markdown` (a slice of the file starting at `ctx.body_start`).
pub fn render(markdown: &str, ctx: &Context) -> Rendered {
    let mut diagnostics = Vec::new();
    let events: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new_ext(markdown, options()).into_offset_iter().collect();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut headings = Vec::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut anchors: Vec<(String, usize, usize)> = Vec::new();
    let mut footnotes: HashSet<String> = HashSet::new();
    let mut has_raw_html = false;
    // For each open link: whether it was written (an unpublished target is not).
    let mut links: Vec<bool> = Vec::new();
    let mut table_alignments: Vec<pulldown_cmark::Alignment> = Vec::new();
    let (mut in_table_head, mut in_table_body, mut cell) = (false, false, 0usize);
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                // Collect the heading's inline events to name it.
                let mut j = i + 1;
                let mut title = String::new();
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                        title.push_str(t);
                    }
                    j += 1;
                }
                let base = match id {
                    // `{#custom-id}`: kept when it is a plain id, otherwise made into one.
                    Some(id)
                        if id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                            && !id.is_empty() =>
                    {
                        id.to_string()
                    }
                    Some(id) if !slugify(id).is_empty() => slugify(id),
                    _ => {
                        let s = slugify(&title);
                        if s.is_empty() {
                            "section".to_string()
                        } else {
                            s
                        }
                    }
                };
                let mut unique = base.clone();
                let mut n = 1;
                while !used_ids.insert(unique.clone()) {
                    unique = format!("{base}-{n}");
                    n += 1;
                }
                headings.push(Heading {
                    level: level_number(*level),
                    id: unique.clone(),
                    title: title.trim().to_string(),
                });
                // `{#id .class}` is kept; other attributes (`{onclick=…}`) never reach the page.
                let _ = attrs;
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(unique)),
                    classes: classes
                        .iter()
                        .filter(|c| c.chars().all(|ch| ch.is_alphanumeric() || ch == '-' || ch == '_'))
                        .cloned()
                        .collect(),
                    attrs: Vec::new(),
                }));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let mut code = String::new();
                let mut j = i + 1;
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::CodeBlock)) {
                    if let Event::Text(t) = &events[j].0 {
                        code.push_str(t);
                    }
                    j += 1;
                }
                let started = std::time::Instant::now();
                out.push(Event::Html(CowStr::from(code_block(&code, &lang, ctx.highlight))));
                if let Some(t) = ctx.highlight_time {
                    t.fetch_add(started.elapsed().as_nanos() as u64, std::sync::atomic::Ordering::Relaxed);
                }
                i = j + 1;
                continue;
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest = dest_url.to_string();
                let Some((href, external)) =
                    link_target(&dest, ctx, range.start, range.len(), &mut diagnostics, &mut anchors)
                else {
                    // A link to a page that is not published: its text stays, as plain text.
                    links.push(false);
                    i += 1;
                    continue;
                };
                links.push(true);
                // pulldown-cmark adds `mailto:` to email autolinks itself.
                let is_email = matches!(link_type, LinkType::Email);
                if external && !is_email {
                    let mut tag = format!("<a href=\"{}\" rel=\"noopener noreferrer\"", escape_attr(&href));
                    if !title.is_empty() {
                        tag.push_str(&format!(" title=\"{}\"", escape_attr(title)));
                    }
                    tag.push('>');
                    out.push(Event::InlineHtml(CowStr::from(tag)));
                } else {
                    out.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: CowStr::from(href),
                        title: title.clone(),
                        id: id.clone(),
                    }));
                }
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest = dest_url.to_string();
                let mut alt = String::new();
                let mut j = i + 1;
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Image)) {
                    if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                        alt.push_str(t);
                    }
                    j += 1;
                }
                if alt.trim().is_empty() {
                    diagnostics.push(
                        diag_at(
                            ctx,
                            true,
                            "missing-alt",
                            "this image has no alt text".into(),
                            range.start,
                            range.len(),
                        )
                        .with_hint(
                            "describe the image between the brackets: `![A team photo at the solar farm](photo.jpg)`",
                        ),
                    );
                }
                let src = if dest.starts_with("http://") || dest.starts_with("https://") || dest.starts_with("//") {
                    diagnostics.push(
                        diag_at(ctx, true, "external-image", "this image is loaded from another website".into(), range.start, range.len())
                            .with_hint("put the image in the hub (in a bundle folder beside the post, or under `static/`), so readers' browsers make no request elsewhere"),
                    );
                    String::new()
                } else if let Err(why) = check_url(&dest, true) {
                    diagnostics.push(diag_at(ctx, true, "bad-url", why, range.start, range.len()));
                    String::new()
                } else {
                    dest
                };
                out.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: CowStr::from(src),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::End(TagEnd::Link) => {
                if links.pop().unwrap_or(true) {
                    out.push(event.clone());
                }
            }
            Event::FootnoteReference(name) => {
                footnotes.insert(name.to_string());
                out.push(event.clone());
            }
            // Tables are written here rather than by pulldown-cmark, which puts alignment in
            // `style` attributes that the Content Security Policy forbids; classes instead.
            Event::Start(Tag::Table(alignments)) => {
                table_alignments = alignments.clone();
                out.push(Event::Html(CowStr::from("<table>\n")));
            }
            Event::End(TagEnd::Table) => {
                let close = if in_table_body { "</tbody></table>\n" } else { "</table>\n" };
                in_table_body = false;
                out.push(Event::Html(CowStr::from(close)));
            }
            Event::Start(Tag::TableHead) => {
                in_table_head = true;
                out.push(Event::Html(CowStr::from("<thead><tr>")));
            }
            Event::End(TagEnd::TableHead) => {
                in_table_head = false;
                in_table_body = true;
                out.push(Event::Html(CowStr::from("</tr></thead>\n<tbody>\n")));
            }
            Event::Start(Tag::TableRow) => {
                cell = 0;
                out.push(Event::Html(CowStr::from("<tr>")));
            }
            Event::End(TagEnd::TableRow) => out.push(Event::Html(CowStr::from("</tr>\n"))),
            Event::Start(Tag::TableCell) => {
                let tag = if in_table_head { "th" } else { "td" };
                let class = match table_alignments.get(cell) {
                    Some(pulldown_cmark::Alignment::Left) => " class=\"align-left\"",
                    Some(pulldown_cmark::Alignment::Center) => " class=\"align-center\"",
                    Some(pulldown_cmark::Alignment::Right) => " class=\"align-right\"",
                    _ => "",
                };
                out.push(Event::InlineHtml(CowStr::from(format!("<{tag}{class}>"))));
            }
            Event::End(TagEnd::TableCell) => {
                let tag = if in_table_head { "th" } else { "td" };
                cell += 1;
                out.push(Event::InlineHtml(CowStr::from(format!("</{tag}>"))));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                footnotes.insert(name.to_string());
                out.push(event.clone());
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                has_raw_html = true;
                if !ctx.unsafe_html && loads_from_elsewhere(html) {
                    diagnostics.push(
                        diag_at(ctx, true, "external-image", "this HTML loads something from another website".into(), range.start, range.len())
                            .with_hint("put the file in the hub (beside the post in a bundle folder, or under `static/`), so readers' browsers make no request elsewhere"),
                    );
                }
                out.push(event.clone());
            }
            _ => out.push(event.clone()),
        }
        i += 1;
    }
    for (anchor, offset, len) in anchors {
        if !used_ids.contains(&anchor) && !footnotes.contains(&anchor) {
            let mut d = diag_at(
                ctx,
                true,
                "broken-anchor",
                format!("there is no heading `#{anchor}` on this page"),
                offset,
                len,
            );
            d = match crate::diagnostic::suggest(&anchor, used_ids.iter().map(String::as_str)) {
                Some(s) => d.with_hint(format!("did you mean `#{s}`?")),
                None => d.with_hint("link to a heading's id: `## Getting started` has the id `getting-started`"),
            };
            diagnostics.push(d);
        }
    }
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    if has_raw_html && !ctx.unsafe_html {
        // The sanitiser's cost grows with the square of the nesting: refuse absurd depths.
        let depth = nesting_depth(&html);
        if depth > MAX_DEPTH {
            diagnostics.push(
                diag_at(ctx, true, "html-too-deep", format!("the HTML in this file nests {depth} levels deep"), 0, 1)
                    .with_hint(format!("keep raw HTML under {MAX_DEPTH} levels of nesting, or write it in Markdown")),
            );
            html = escape_html(markdown);
        } else {
            html = sanitize(&html);
        }
    }
    Rendered { html, headings, diagnostics }
}

/// Where a link goes, and whether it leaves the hub; `None` when the link is to be shown as
/// plain text. Problems are pushed to `diagnostics`.
fn link_target(
    dest: &str,
    ctx: &Context,
    offset: usize,
    len: usize,
    diagnostics: &mut Vec<Diagnostic>,
    anchors: &mut Vec<(String, usize, usize)>,
) -> Option<(String, bool)> {
    if let Some(path) = dest.strip_prefix("@/") {
        let (file, fragment) = match path.split_once('#') {
            Some((f, a)) => (f, Some(a)),
            None => (path, None),
        };
        return match (ctx.resolve)(file) {
            Target::Page(url) => Some((fragment.map_or_else(|| url.clone(), |a| format!("{url}#{a}")), false)),
            Target::Unpublished => {
                diagnostics.push(
                    diag_at(ctx, false, "unpublished-link", format!("`@/{file}` is not published, so this link is shown as plain text"), offset, len)
                        .with_hint("the page is a draft, scheduled, or its person has not given consent or has withdrawn; link it again once it is published"),
                );
                None
            }
            Target::Missing => {
                diagnostics.push(
                    diag_at(ctx, true, "unknown-link", format!("`@/{file}` is not a page of this hub"), offset, len).with_hint(
                        "internal links name a file under `content/`, e.g. `@/posts/2026-11-03-hello.md`; check the spelling",
                    ),
                );
                Some(("#".to_string(), false))
            }
        };
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        anchors.push((anchor.to_string(), offset, len));
        return Some((dest.to_string(), false));
    }
    if let Err(why) = check_url(dest, true) {
        diagnostics.push(diag_at(ctx, true, "bad-url", why, offset, len).with_hint(crate::fields::URL_HINT));
        return Some(("#".to_string(), false));
    }
    let lower = dest.to_ascii_lowercase();
    Some((dest.to_string(), lower.starts_with("http://") || lower.starts_with("https://")))
}

fn code_block(code: &str, lang: &str, highlight: bool) -> String {
    let safe_lang: String =
        lang.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#')).collect();
    let inner = if highlight && !safe_lang.is_empty() { crate::highlight::highlight(code, &safe_lang) } else { None };
    let inner = inner.unwrap_or_else(|| escape_html(code));
    if safe_lang.is_empty() {
        format!("<pre class=\"code\"><code>{inner}</code></pre>\n")
    } else {
        format!(
            "<pre class=\"code\" data-lang=\"{safe_lang}\"><code class=\"language-{safe_lang}\">{inner}</code></pre>\n"
        )
    }
}

pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn escape_attr(s: &str) -> String {
    escape_html(s)
}

/// Deeper raw HTML than this is refused (no real post needs it).
const MAX_DEPTH: usize = 256;

/// The deepest nesting of elements in `html`, estimated from its tags.
fn nesting_depth(html: &str) -> usize {
    const VOID: &[&str] =
        &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];
    let (mut depth, mut max) = (0usize, 0usize);
    let bytes = html.as_bytes();
    for (i, _) in html.match_indices('<') {
        match bytes.get(i + 1) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let name: String = html[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let end = html[i..].find('>').map_or(html.len(), |e| i + e);
                if !VOID.contains(&name.as_str()) && !html[..end].ends_with('/') {
                    depth += 1;
                    max = max.max(depth);
                }
            }
            _ => {}
        }
    }
    max
}

/// Whether raw HTML names a source on another site (`src=`, `srcset=`, `poster=`, `data=`).
fn loads_from_elsewhere(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    ["src", "srcset", "poster", "data"].iter().any(|attr| {
        lower.match_indices(&format!("{attr}=")).any(|(i, m)| {
            let before_ok =
                i == 0 || !lower.as_bytes()[i - 1].is_ascii_alphanumeric() && lower.as_bytes()[i - 1] != b'-';
            let value = lower[i + m.len()..].trim_start_matches(['"', '\'', ' ']);
            before_ok && (value.starts_with("http:") || value.starts_with("https:") || value.starts_with("//"))
        })
    })
}

/// Removes scripts, event handlers and unsafe URLs from HTML written in Markdown, keeping
/// what Chorus itself generates (classes, heading ids, task-list checkboxes).
pub fn sanitize(html: &str) -> String {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["class", "id"])
        .add_tags(["input", "kbd", "abbr", "mark", "sup", "sub", "figure", "figcaption", "details", "summary"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("pre", ["data-lang"])
        .add_tag_attributes("a", ["title"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        // Nothing may load from another site, whatever the Markdown says.
        .attribute_filter(|element, attribute, value| {
            let loads = matches!(element, "img" | "source" | "video" | "audio" | "track" | "iframe")
                && matches!(attribute, "src" | "srcset" | "poster");
            let remote = value.trim_start().to_ascii_lowercase();
            if loads && (remote.starts_with("http:") || remote.starts_with("https:") || remote.starts_with("//")) {
                None
            } else {
                Some(value.into())
            }
        });
    b.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first paragraph found by parsing a prefix must be the one the whole document has.
    #[test]
    fn the_summary_from_a_prefix_is_the_whole_documents_first_paragraph() {
        let long = "word ".repeat(600);
        let cases = [
            format!("First paragraph.\n\n{long}\n"),
            format!("# Title\n\n```\n{long}\n\n{long}\n```\n\nAfter the code.\n"),
            format!("> quoted\n>\n> {long}\n\n> still quoted\n\nAfter the quote.\n"),
            format!("- item\n\n  {long}\n\n- item\n\n  {long}\n\nAfter the list.\n"),
            format!("<pre>\n{long}\n\n{long}\n</pre>\n\nAfter the pre.\n"),
            format!("{long}\n{long}\n\nSecond.\n"),
            format!("Title\n=====\n\n{long}\n\nMore\n"),
            format!("[ref]: https://example.org\n\n{long}\n\n[a][ref]\n"),
            "Only one line".to_string(),
            format!("{}\n\nLate.\n", "    indented code\n".repeat(400)),
        ];
        for body in &cases {
            let whole = first_paragraph(body).map_or("", |r| body[r].trim());
            assert_eq!(summary_source(body), whole, "for a body starting {:?}", &body[..40.min(body.len())]);
        }
    }

    /// The same, for bodies made of random blocks of every kind around the prefix sizes.
    #[test]
    fn the_summary_from_a_prefix_matches_on_random_bodies() {
        let blocks = [
            "A paragraph of some words.\n",
            "```\ncode\n",
            "```\n",
            "~~~\n",
            "- item\n",
            "  continued item\n",
            "> quote\n",
            "<pre>\n",
            "</pre>\n",
            "<div>\n",
            "    indented\n",
            "# Heading\n",
            "===\n",
            "[r]: /x\n",
            "\n",
            "\n",
            "lazy continuation line that is rather long, to fill the document up faster than the rest\n",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut long = 0;
        for _ in 0..3000 {
            let mut body = String::new();
            while body.len() < 20_000 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                body.push_str(blocks[(seed >> 33) as usize % blocks.len()]);
                if (seed >> 20).is_multiple_of(97) {
                    break;
                }
            }
            long += usize::from(body.len() > 2048);
            let whole = first_paragraph(&body).map_or("", |r| body[r].trim());
            assert_eq!(summary_source(&body), whole, "for {body:?}");
        }
        assert!(long > 500, "only {long} bodies were longer than the first prefix");
    }

    fn ctx<'a>(text: &'a str, resolve: &'a (dyn Fn(&str) -> Target + Sync)) -> Context<'a> {
        Context {
            resolve,
            unsafe_html: false,
            highlight: true,
            highlight_time: None,
            src: SourceRef { file: "content/posts/t.md", text },
            body_start: 0,
            body_line: 1,
        }
    }

    fn none(_: &str) -> Target {
        Target::Missing
    }

    #[test]
    fn summary_is_before_more_or_the_first_paragraph() {
        assert_eq!(summary_source("# Title\n\nFirst *one*.\n\nSecond.\n"), "First *one*.");
        assert_eq!(summary_source("Intro\n\nMore intro\n<!-- more -->\nRest"), "Intro\n\nMore intro");
        assert_eq!(plain_text("First *one* and `code`.\nNext"), "First one and code. Next");
    }

    #[test]
    fn headings_get_unique_ids() {
        let md = "## Hello World\n\n## Hello World\n\n## Custom {#mine}\n";
        let r = render(md, &ctx(md, &none));
        assert!(r.html.contains("<h2 id=\"hello-world\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"hello-world-1\">"));
        assert!(r.html.contains("<h2 id=\"mine\">"));
    }

    #[test]
    fn internal_links_resolve_and_unknown_ones_are_errors() {
        let md = "See [a](@/posts/a.md#x) and [b](@/posts/missing.md).\n";
        let resolve = |p: &str| match p {
            "posts/a.md" => Target::Page("/posts/a/".into()),
            _ => Target::Missing,
        };
        let r = render(md, &ctx(md, &resolve));
        assert!(r.html.contains("href=\"/posts/a/#x\""), "{}", r.html);
        assert_eq!(r.diagnostics.len(), 1);
        let d = &r.diagnostics[0];
        assert_eq!(d.message, "`@/posts/missing.md` is not a page of this hub");
        assert_eq!((d.line, d.column), (1, 29));
    }

    #[test]
    fn links_to_unpublished_pages_become_text() {
        let md = "See [the draft](@/posts/draft.md) soon.\n";
        let resolve = |_: &str| Target::Unpublished;
        let r = render(md, &ctx(md, &resolve));
        assert!(r.html.contains("See the draft soon."), "{}", r.html);
        assert_eq!(r.diagnostics[0].code, "unpublished-link");
        assert!(!r.diagnostics[0].is_error());
    }

    #[test]
    fn raw_html_from_other_sites_is_reported_and_removed() {
        let md = "<img src=\"https://tracker.example/p.gif\" alt=\"x\"> <img src='/ok.png' alt='ok'>\n";
        let r = render(md, &ctx(md, &none));
        assert_eq!(r.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), ["external-image"]);
        assert!(!r.html.contains("tracker.example"), "{}", r.html);
        assert!(r.html.contains("/ok.png"));
    }

    #[test]
    fn email_autolinks_have_one_mailto() {
        let md = "<ana@example.org>\n";
        assert!(render(md, &ctx(md, &none)).html.contains("href=\"mailto:ana@example.org\""));
    }

    #[test]
    fn broken_anchors_and_unsafe_links_are_reported() {
        let md = "## Setup\n\n[go](#setpu) [x](javascript:alert(1))\n";
        let r = render(md, &ctx(md, &none));
        let messages: Vec<_> = r.diagnostics.iter().map(|d| (d.message.as_str(), d.hint.as_deref())).collect();
        assert!(
            messages.contains(&("there is no heading `#setpu` on this page", Some("did you mean `#setup`?"))),
            "{messages:?}"
        );
        assert!(
            messages.contains(&("links with `javascript:` are not allowed", Some(crate::fields::URL_HINT))),
            "{messages:?}"
        );
        assert!(!r.html.contains("javascript"), "{}", r.html);
    }

    #[test]
    fn table_alignment_uses_classes_not_styles() {
        let md = "| a | b |\n|:--|--:|\n| 1 | 2 |\n";
        let r = render(md, &ctx(md, &none));
        assert!(!r.html.contains("style="), "{}", r.html);
        assert!(r.html.contains("<th class=\"align-left\">a</th><th class=\"align-right\">b</th>"), "{}", r.html);
        assert!(r.html.contains("<td class=\"align-left\">1</td><td class=\"align-right\">2</td>"), "{}", r.html);
        assert!(r.html.contains("<tbody>") && r.html.contains("</tbody></table>"), "{}", r.html);
    }

    #[test]
    fn external_links_carry_noopener() {
        let md = "[a](https://example.org)\n";
        let r = render(md, &ctx(md, &none));
        assert!(r.html.contains("<a href=\"https://example.org\" rel=\"noopener noreferrer\">a</a>"), "{}", r.html);
    }

    #[test]
    fn raw_html_is_sanitised_unless_allowed() {
        let md =
            "Hi <script>alert(1)</script><img src=x onerror=alert(1) alt=y> <kbd>K</kbd>\n\n```rust\nfn x() {}\n```\n";
        let r = render(md, &ctx(md, &none));
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onerror"), "{}", r.html);
        assert!(r.html.contains("<kbd>K</kbd>"));
        assert!(r.html.contains("<span class=\"hl-"), "highlighting survives sanitising: {}", r.html);
        let allowed = Context { unsafe_html: true, ..ctx(md, &none) };
        assert!(render(md, &allowed).html.contains("<script>"));
    }

    #[test]
    fn images_need_alt_and_must_be_local() {
        let md = "![](a.png) ![ok](https://cdn.example/x.png)\n";
        let r = render(md, &ctx(md, &none));
        let codes: Vec<_> = r.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["missing-alt", "external-image"]);
    }

    #[test]
    fn code_without_known_language_is_escaped() {
        let md = "```nosuchlang\n<b>&\n```\n";
        let r = render(md, &ctx(md, &none));
        assert!(r.html.contains("&lt;b&gt;&amp;"), "{}", r.html);
    }
}
