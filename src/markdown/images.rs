//! The images pass: every Markdown image needs alt text and must come from the hub itself.
//!
//! It rewrites only `Start(Image)` events, in place: an image from another site or with an
//! unsafe URL keeps its alt text but loses its source. Images written as raw HTML are the
//! HTML pass's.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{ExternalMedia, ImageFound, Item, Problems};
use crate::diagnostic::Code;
use crate::fields::{check_url, is_external};

pub(super) fn check(items: &mut [Item], problems: &mut Problems) {
    for i in 0..items.len() {
        let Event::Start(Tag::Image { dest_url, .. }) = &items[i].event else { continue };
        let item = &items[i];
        if alt(&items[i + 1..]).trim().is_empty() {
            problems.push(
                item,
                problems.error(item, Code::MissingAlt, "this image has no alt text").with_hint(
                    "describe the image between the brackets: `![A team photo at the solar farm](photo.jpg)`",
                ),
            );
        }
        let dest: &str = dest_url;
        let link = (problems.ctx.external_media == ExternalMedia::Link && is_external(dest))
            .then(|| super::media::link("Image", dest, &alt(&items[i + 1..])))
            .flatten();
        if let Some(link) = link {
            // The image becomes a link: its alt text is in the link, so its events go.
            items[i].event = Event::InlineHtml(CowStr::from(link));
            for item in items[i + 1..].iter_mut() {
                let end = matches!(item.event, Event::End(TagEnd::Image));
                item.event = Event::InlineHtml(CowStr::from(""));
                if end {
                    break;
                }
            }
            continue;
        }
        let item = &items[i];
        // As browsers read it: `HTTPS://…`, `/\host/…` and `\\host\…` are other websites too.
        let keep = if is_external(dest) {
            problems.push(
                item,
                problems.error(item, Code::ExternalImage, "this image is loaded from another website")
                    .with_hint("put the image in the hub (in a bundle folder beside the post, or under `static/`), so readers' browsers make no request elsewhere; or set `external_media: link` in chorus.yaml to show a link to it instead"),
            );
            false
        } else if let Err(why) = check_url(dest, crate::fields::Relative::Allowed) {
            problems.push(item, problems.error(item, Code::BadUrl, why));
            false
        } else {
            true
        };
        if !keep {
            if let Event::Start(Tag::Image { dest_url, .. }) = &mut items[i].event {
                *dest_url = CowStr::from("");
            }
        }
    }
}

/// The width images take in the theme's column, for `sizes`.
const SIZES: &str = "(min-width: 48rem) 48rem, 100vw";

/// Writes each local image that was published as one `<img>` with its processed source,
/// `srcset`, `sizes`, `width`, `height`, lazy loading (but for the page's first image) and
/// async decoding; a refused image is reported here, at its reference.
pub(super) fn publish(items: &mut [Item], ctx: &super::Context, problems: &mut Problems) {
    let Some(images) = ctx.images else { return };
    let mut first = images.eager_first;
    for i in 0..items.len() {
        let Event::Start(Tag::Image { dest_url, title, .. }) = &items[i].event else { continue };
        if dest_url.is_empty() {
            continue;
        }
        let (dest, title) = (dest_url.to_string(), title.to_string());
        let found = (images.find)(&dest);
        let (src, srcset, width, height) = match found {
            ImageFound::Picture { src, srcset, width, height } => (src, Some(srcset), width, height),
            ImageFound::Sized { width, height } => (dest.clone(), None, width, height),
            ImageFound::Refused { code, message, hint } => {
                let item = &items[i];
                problems.push(item, problems.error(item, code, crate::images::about(&message, &dest)).with_hint(hint));
                continue;
            }
            ImageFound::Other => continue,
        };
        let esc = super::escape_html;
        let mut tag = format!("<img src=\"{}\"", esc(&src));
        if let Some(set) = srcset.filter(|s| !s.is_empty()) {
            tag.push_str(&format!(" srcset=\"{}\" sizes=\"{SIZES}\"", esc(&set)));
        }
        tag.push_str(&format!(" width=\"{width}\" height=\"{height}\" alt=\"{}\"", esc(alt(&items[i + 1..]).trim())));
        if !title.is_empty() {
            tag.push_str(&format!(" title=\"{}\"", esc(&title)));
        }
        if !first {
            tag.push_str(" loading=\"lazy\"");
        }
        first = false;
        tag.push_str(" decoding=\"async\">");
        items[i].event = Event::InlineHtml(CowStr::from(tag));
        // The alt text's events and the image's end write nothing now.
        for item in &mut items[i + 1..] {
            let end = matches!(item.event, Event::End(TagEnd::Image));
            item.event = Event::InlineHtml(CowStr::from(""));
            if end {
                break;
            }
        }
    }
}

/// The alt text of an image, from the events after its start.
fn alt(rest: &[Item]) -> String {
    let mut alt = String::new();
    for item in rest {
        match &item.event {
            Event::End(TagEnd::Image) => break,
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            _ => {}
        }
    }
    alt
}

#[cfg(test)]
mod tests {
    use super::super::render;
    use super::super::tests::{ctx, none};
    use crate::diagnostic::Code;

    #[test]
    fn images_need_alt_and_must_be_local() {
        let md = "![](a.png) ![ok](https://cdn.example/x.png)\n";
        let r = render(md, &ctx(md, &none));
        let codes: Vec<_> = r.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::MissingAlt, Code::ExternalImage]);
    }

    #[test]
    fn images_are_judged_where_browsers_would_load_them() {
        // Markdown unescapes `\\` to `\`, so each of these reaches the page as written in the
        // comment.
        let external = [
            r"![a](/\evil.example/p.png)",    // /\evil.example/p.png
            r"![a](\\\\evil.example\\p.png)", // \\evil.example\p.png
            r"![a](\\/evil.example/p.png)",   // \/evil.example/p.png
            "![a](</\t/evil.example/p.png>)", // /<TAB>/evil.example/p.png
            r"![a](HTTPS://EVIL.example/p.png)",
            r"![a](https:evil.example/p.png)",
            r"![a](//bücher.example/p.png)",
        ];
        for md in external {
            let r = render(md, &ctx(md, &none));
            let codes: Vec<_> = r.diagnostics.iter().map(|d| d.code).collect();
            assert_eq!(codes, [Code::ExternalImage], "{md:?}");
            assert!(!r.html.to_ascii_lowercase().contains("evil.example"), "{md:?} gave {}", r.html);
        }
        // `\/` is Markdown's escaped `/`: the page gets `/evil.example/p.png`, on the hub.
        for md in [
            r"![a](\/evil.example/p.png)",
            "![a](/ok/p.png)",
            "![a](cover.png)",
            "![a](../x.png)",
            "![a](/%09/evil.example/p.png)",
        ] {
            assert_eq!(render(md, &ctx(md, &none)).diagnostics, [], "{md:?}");
        }
    }
}
