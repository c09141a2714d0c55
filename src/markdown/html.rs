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
pub(super) fn check_raw(items: &[Item], ctx: &Context, problems: &mut Problems) -> bool {
    let mut has_raw_html = false;
    for item in items {
        let (Event::Html(html) | Event::InlineHtml(html)) = &item.event else { continue };
        has_raw_html = true;
        if !ctx.unsafe_html && loads_from_elsewhere(html) {
            problems.push(
                item,
                problems.error(item, Code::ExternalImage, "this HTML loads something from another website")
                    .with_hint("put the file in the hub (beside the post in a bundle folder, or under `static/`), so readers' browsers make no request elsewhere"),
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
