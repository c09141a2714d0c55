//! Raw HTML written in Markdown: the check for HTML that loads from other sites, and the
//! sanitising of the finished page with ammonia unless the hub allows raw HTML.
//!
//! `check_raw` only reads events; `clean` works on the HTML pulldown-cmark wrote. Neither
//! rewrites Markdown events: what the other passes generate is theirs, and sanitising must
//! keep it (classes, heading ids, highlighting, task-list checkboxes).

use crate::diagnostic::{Code, Severity};
use pulldown_cmark::Event;

use super::text::escape_html;
use super::{Context, Item, Problems};

/// Reports raw HTML that loads something from another site; returns whether there is raw
/// HTML at all (without any, sanitising is skipped). To run before any pass adds HTML events.
///
/// Each run of raw HTML events (an HTML block comes one line at a time) is read by the HTML
/// tokenizer browsers follow (html5ever), so attributes are split and character references
/// decoded as a browser would (`src=/&#92;evil.example/p.png` is `/\evil.example/p.png`); each
/// URL is then judged by [`crate::fields::is_external`]. The sanitiser's attribute filter
/// (`sanitize`) applies the same rule to the finished page.
pub(super) fn check_raw(items: &[Item], ctx: &Context, problems: &mut Problems) -> bool {
    let is_raw = |item: &Item| matches!(item.event, Event::Html(_) | Event::InlineHtml(_));
    let has_raw_html = items.iter().any(is_raw);
    if !has_raw_html || ctx.unsafe_html {
        return has_raw_html;
    }
    let mut i = 0;
    while i < items.len() {
        if !is_raw(&items[i]) {
            i += 1;
            continue;
        }
        // One run of raw HTML: its text, and the lines (from 1) each event spans.
        let mut text = String::new();
        let mut spans = Vec::new();
        let mut line: u64 = 1;
        let first = i;
        while let Some(Event::Html(html) | Event::InlineHtml(html)) = items.get(i).map(|item| &item.event) {
            spans.push((line, line + html.trim_end_matches('\n').matches('\n').count() as u64));
            line += html.matches('\n').count() as u64;
            text.push_str(html);
            i += 1;
        }
        let mut reported = Vec::new();
        for line in lines_loading_from_elsewhere(&text) {
            // The first event on the line where the tag ends.
            let k = first + spans.iter().position(|&(start, end)| (start..=end).contains(&line)).unwrap_or(0);
            if reported.contains(&k) {
                continue;
            }
            reported.push(k);
            let item = &items[k];
            problems.push(
                item,
                problems.error(item, Code::ExternalImage, "this HTML loads something from another website")
                    .with_hint("put the file in the hub (beside the post in a bundle folder, or under `static/`), so readers' browsers make no request elsewhere; or set `external_media: link` in chorus.yaml to show a link to it instead"),
            );
        }
    }
    has_raw_html
}

/// Sanitises the rendered `html`; when its nesting is absurd, the page shows the escaped
/// `markdown` instead and a problem is reported.
pub(super) fn clean(html: String, markdown: &str, problems: &mut Problems) -> String {
    // The sanitiser's cost grows with the square of the nesting: refuse absurd depths.
    let depth = nesting_depth(&html);
    if depth > MAX_DEPTH {
        problems.push_after_all(
            problems
                .at(
                    Severity::Error,
                    Code::HtmlTooDeep,
                    format!("the HTML in this file nests {depth} levels deep"),
                    0,
                    1,
                )
                .with_hint(format!("keep raw HTML under {MAX_DEPTH} levels of nesting, or write it in Markdown")),
        );
        escape_html(markdown)
    } else {
        sanitize(&html)
    }
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

/// The lines (from 1) of `html` where a start tag ends that loads something from another
/// site, as the HTML tokenizer reads the tags.
fn lines_loading_from_elsewhere(html: &str) -> Vec<u64> {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{BufferQueue, StartTag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer};
    use std::cell::RefCell;

    struct Sink(RefCell<Vec<u64>>);
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
            if let TagToken(tag) = token {
                if tag.kind == StartTag
                    && tag.attrs.iter().any(|a| loads_from_elsewhere(&tag.name, &a.name.local, &a.value))
                {
                    self.0.borrow_mut().push(line);
                }
            }
            TokenSinkResult::Continue
        }
    }

    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Sink(RefCell::new(Vec::new())), Default::default());
    // The sink never asks to stop for a script, so one feed reads everything.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// The anchors a page's HTML offers: every `id`, and the `name` of `<a>` elements, read as
/// browsers read the tags.
pub(super) fn anchor_targets(html: &str) -> Vec<String> {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{BufferQueue, StartTag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer};
    use std::cell::RefCell;

    struct Sink(RefCell<Vec<String>>);
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let TagToken(tag) = token {
                if tag.kind == StartTag {
                    for a in &tag.attrs {
                        let name = &*a.name.local;
                        if name == "id" || (name == "name" && &*tag.name == "a") {
                            self.0.borrow_mut().push(a.value.to_string());
                        }
                    }
                }
            }
            TokenSinkResult::Continue
        }
    }

    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Sink(RefCell::new(Vec::new())), Default::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// Whether the attribute `attribute="value"` of an `element` (names in lower case, value
/// decoded) makes the browser load something from another site: `src`, `srcset`,
/// `imagesrcset`, `poster`, `data`, `background`, and `href`/`xlink:href` except on links
/// (`a`, `area`), which load nothing until followed.
fn loads_from_elsewhere(element: &str, attribute: &str, value: &str) -> bool {
    use crate::fields::is_external;
    match attribute {
        "src" | "poster" | "data" | "background" => is_external(value),
        "srcset" | "imagesrcset" => srcset_urls(value).any(is_external),
        "href" | "xlink:href" => !matches!(element, "a" | "area") && is_external(value),
        _ => false,
    }
}

/// The URLs of a `srcset` (`a.png 1x, b.png 2x`), split as the HTML Standard splits them: a
/// URL runs to the next whitespace, and a comma ends a candidate only outside parentheses.
fn srcset_urls(srcset: &str) -> impl Iterator<Item = &str> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0c' | '\r');
    let mut rest = srcset;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(|c: char| is_space(c) || c == ',');
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(is_space).unwrap_or(rest.len());
        let (url, after) = rest.split_at(end);
        rest = after;
        let url = if url.ends_with(',') {
            url.trim_end_matches(',')
        } else {
            // Descriptors, up to a comma outside parentheses.
            let mut depth = 0usize;
            let end = rest
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    c == ',' && depth == 0
                })
                .map_or(rest.len(), |(i, _)| i);
            rest = &rest[end..];
            url
        };
        Some(url)
    })
}

/// Removes scripts, event handlers and unsafe URLs from HTML written in Markdown, keeping
/// what Chorus itself generates (classes, heading ids, task-list checkboxes).
pub fn sanitize(html: &str) -> String {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["class", "id"])
        .add_tags(["input", "kbd", "abbr", "mark", "sup", "sub", "figure", "figcaption", "details", "summary"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        // A code block that scrolls must be reachable with the keyboard: `tabindex="0"` only.
        .add_tag_attributes("pre", ["data-lang", "tabindex"])
        // `<a name="x">` is an anchor older HTML uses.
        .add_tag_attributes("a", ["title", "name"])
        .add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        // Nothing may load from another site, whatever the Markdown says.
        .attribute_filter(|element, attribute, value| {
            // Code blocks are focusable so a keyboard can scroll them; no other order.
            if loads_from_elsewhere(element, attribute, value) || (attribute == "tabindex" && value != "0") {
                None
            } else {
                Some(value.into())
            }
        });
    b.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ctx, none};
    use super::super::{render, Context};
    use crate::diagnostic::Code;

    #[test]
    fn raw_html_from_other_sites_is_reported_and_removed() {
        let md = "<img src=\"https://tracker.example/p.gif\" alt=\"x\"> <img src='/ok.png' alt='ok'>\n";
        let r = render(md, &ctx(md, &none));
        assert_eq!(r.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::ExternalImage]);
        assert!(!r.html.contains("tracker.example"), "{}", r.html);
        assert!(r.html.contains("/ok.png"));
    }

    #[test]
    fn code_blocks_keep_their_keyboard_focus_and_only_that() {
        let md = "```\nlet a_very_long_line = 1;\n```\n\n<pre tabindex=\"3\">raw</pre>\n<pre tabindex=\"0\">ok</pre>\n";
        let r = render(md, &ctx(md, &none));
        assert!(r.html.contains("<pre class=\"code\" tabindex=\"0\"><code>"), "{}", r.html);
        assert!(r.html.contains("<pre>raw</pre>"), "{}", r.html);
        assert!(r.html.contains("<pre tabindex=\"0\">ok</pre>"), "{}", r.html);
    }

    /// Raw HTML whose URL browsers resolve to another host, however it is written.
    const TRICKS: &[&str] = &[
        r#"<img src="/\evil.example/p.png" alt="a">"#,
        r#"<img src="\\evil.example\p.png" alt="a">"#,
        "<img src=\"/\t/evil.example/p.png\" alt=\"a\">",
        r#"<img src="\/evil.example/p.png" alt="a">"#,
        "<img src=\"/\t\\evil.example/p.png\" alt=\"a\">",
        r#"<img src="/&#92;evil.example/p.png" alt="a">"#,
        r#"<img src="/&Tab;/evil.example/p.png" alt="a">"#,
        r#"<img src="&#x2F;&#x2F;evil.example/p.png" alt="a">"#,
        r#"<img src=HTTPS://EVIL.example/p.png alt=a>"#,
        r#"<img src="https:evil.example/p.png" alt="a">"#,
        r#"<img src = '//evil.example/p.png' alt="a">"#,
        r#"<img alt="a" srcset="/a.png 1x, /\evil.example/b.png 2x">"#,
        r#"<video poster="/\evil.example/p.png"></video>"#,
        r#"<object data="\\evil.example\x"></object>"#,
        r#"<table background="/\evil.example/p.png"></table>"#,
        r#"<svg><image href="/\evil.example/p.png"/></svg>"#,
        r#"<svg><use xlink:href="\\evil.example\s.svg#x"/></svg>"#,
        r#"<link rel="stylesheet" href="/\evil.example/s.css">"#,
    ];

    #[test]
    fn raw_html_urls_are_read_as_browsers_read_them() {
        for trick in TRICKS {
            // As an HTML block and inline in a paragraph.
            for md in [format!("{trick}\n"), format!("Text {trick} more.\n")] {
                let r = render(&md, &ctx(&md, &none));
                let codes: Vec<_> = r.diagnostics.iter().map(|d| d.code).collect();
                assert_eq!(codes, [Code::ExternalImage], "{md:?}");
                assert_eq!(
                    (r.diagnostics[0].line, r.diagnostics[0].column),
                    (1, if md.starts_with('<') { 1 } else { 6 })
                );
                assert!(!r.html.contains("evil.example"), "{md:?} gave {}", r.html);
            }
        }
    }

    #[test]
    fn raw_html_is_reported_on_the_line_its_tag_ends() {
        let md = "<div>\n<img\n  src=\"/\\evil.example/p.png\"\n  alt=\"a\">\n</div>\n";
        let r = render(md, &ctx(md, &none));
        let got: Vec<_> = r.diagnostics.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(got, [(Code::ExternalImage, 4)]);
        assert!(!r.html.contains("evil.example"), "{}", r.html);
    }

    #[test]
    fn raw_html_that_stays_on_the_hub_passes() {
        let fine = [
            r#"<img src="/ok/p.png" alt="a">"#,
            r#"<img src="cover.png" alt="a">"#,
            r#"<img src="../x.png" alt="a">"#,
            r#"<img src="/%09/evil.example/p.png" alt="a">"#,
            r#"<img srcset="a.png 1x, /b/c.png 2x, d(1,2).png 3x" alt="a">"#,
            r#"<a href="https://example.org/">a link loads nothing</a>"#,
            r#"<p>Writing src="https://evil.example/p.png" in text loads nothing.</p>"#,
            r#"<!-- <img src="https://evil.example/p.png"> -->"#,
            r#"<div data-src="https://evil.example/p.png">x</div>"#,
        ];
        for html in fine {
            let md = format!("{html}\n");
            assert_eq!(render(&md, &ctx(&md, &none)).diagnostics, [], "{md:?}");
        }
    }

    #[test]
    fn srcset_candidates_are_split_as_browsers_split_them() {
        let urls: Vec<_> = super::srcset_urls(" a.png 1x,b.png,, c,d.png 2x, e(1,2).png (x, y), f.png").collect();
        assert_eq!(urls, ["a.png", "b.png", "c,d.png", "e(1,2).png", "f.png"]);
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
}
