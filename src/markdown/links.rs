//! The links pass: resolves internal `@/` links, checks every link's URL and `#anchor`, and
//! marks links that leave the hub `rel="noopener noreferrer"`.
//!
//! It rewrites only link events (a link to an unpublished page loses its tags and keeps its
//! text), and reads footnote names, which are anchors too. It must not look inside images
//! or raw HTML; those have passes of their own.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::text::escape_attr;
use super::{Context, Item, Problems, Target};
use crate::diagnostic::{Code, Severity};
use crate::fields::{check_url, is_external};

/// What the pass remembers for the anchor check, which needs every heading first.
#[derive(Default)]
pub(super) struct Links {
    /// `#anchor` links, with where they are in the Markdown.
    anchors: Vec<(String, usize, usize)>,
    footnotes: HashSet<String>,
}

impl Links {
    pub(super) fn rewrite(&mut self, items: &mut Vec<Item>, ctx: &Context, problems: &mut Problems) {
        // For each open link: whether it was written (an unpublished target is not).
        let mut open: Vec<bool> = Vec::new();
        // In place, in order: whether each event stays (a link shown as plain text loses its
        // start and end).
        items.retain_mut(|item| {
            match &item.event {
                Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                    let target = self.target(dest_url, ctx, item, problems);
                    let written = target.is_some();
                    open.push(written);
                    if let Some((href, external)) = target {
                        // pulldown-cmark adds `mailto:` to email autolinks itself.
                        let is_email = matches!(link_type, LinkType::Email);
                        item.event = if external && !is_email {
                            // Written here because pulldown-cmark has no way to add `rel`.
                            let mut tag = format!("<a href=\"{}\" rel=\"noopener noreferrer\"", escape_attr(&href));
                            if !title.is_empty() {
                                tag.push_str(&format!(" title=\"{}\"", escape_attr(title)));
                            }
                            tag.push('>');
                            Event::InlineHtml(CowStr::from(tag))
                        } else {
                            Event::Start(Tag::Link {
                                link_type: *link_type,
                                dest_url: CowStr::from(href),
                                title: title.clone(),
                                id: id.clone(),
                            })
                        };
                    }
                    written
                }
                Event::End(TagEnd::Link) => open.pop().unwrap_or(true),
                Event::FootnoteReference(name) | Event::Start(Tag::FootnoteDefinition(name)) => {
                    self.footnotes.insert(name.to_string());
                    true
                }
                _ => true,
            }
        });
    }

    /// Where a link goes, and whether it leaves the hub; `None` when the link is to be shown
    /// as plain text.
    fn target(&mut self, dest: &str, ctx: &Context, item: &Item, problems: &mut Problems) -> Option<(String, bool)> {
        if let Some(path) = dest.strip_prefix("@/") {
            let (file, fragment) = match path.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (path, None),
            };
            return match (ctx.resolve)(file) {
                Target::Page(url) => Some((fragment.map_or_else(|| url.clone(), |a| format!("{url}#{a}")), false)),
                Target::Unpublished => {
                    problems.push(
                        item,
                        problems.warning(item, Code::UnpublishedLink, format!("`@/{file}` is not published, so this link is shown as plain text"))
                            .with_hint("the page is a draft, scheduled, or its person has not given consent or has withdrawn; link it again once it is published"),
                    );
                    None
                }
                Target::Missing => {
                    problems.push(
                        item,
                        problems.error(item, Code::UnknownLink, format!("`@/{file}` is not a page of this hub")).with_hint(
                            "internal links name a file under `content/`, e.g. `@/posts/2026-11-03-hello.md`; check the spelling",
                        ),
                    );
                    Some(("#".to_string(), false))
                }
            };
        }
        if let Some(anchor) = dest.strip_prefix('#') {
            self.anchors.push((anchor.to_string(), item.range.start, item.range.len()));
            return Some((dest.to_string(), false));
        }
        if let Err(why) = check_url(dest, crate::fields::Relative::Allowed) {
            problems.push(item, problems.error(item, Code::BadUrl, why).with_hint(crate::fields::URL_HINT));
            return Some(("#".to_string(), false));
        }
        // What passed is `http(s)://…`, `mailto:` or a URL that stays on the hub.
        Some((dest.to_string(), is_external(dest)))
    }

    /// Whether an `#anchor` link names neither one of `targets` nor a footnote (only then is
    /// the page's HTML read for more anchors).
    pub(super) fn unresolved(&self, targets: &HashSet<String>) -> bool {
        self.anchors.iter().any(|(a, _, _)| !targets.contains(a) && !self.footnotes.contains(a))
    }

    /// Reports `#anchor` links that name neither a heading, a footnote, nor an `id` or
    /// `<a name>` of the page's HTML (`targets`). A warning: the page works, only the jump
    /// does not.
    pub(super) fn check_anchors(self, targets: &HashSet<String>, problems: &mut Problems) {
        let heading_ids = targets;
        for (anchor, offset, len) in self.anchors {
            if heading_ids.contains(&anchor) || self.footnotes.contains(&anchor) {
                continue;
            }
            let d = problems.at(
                Severity::Warning,
                Code::BrokenAnchor,
                format!("there is no heading `#{anchor}` on this page"),
                offset,
                len,
            );
            let d = match crate::diagnostic::suggest(&anchor, heading_ids.iter().map(String::as_str)) {
                Some(s) => d.with_hint(format!("did you mean `#{s}`?")),
                None => d.with_hint("link to a heading's id: `## Getting started` has the id `getting-started`"),
            };
            problems.push_after_all(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ctx, none};
    use super::super::{render, Target};
    use crate::diagnostic::Code;

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
        assert_eq!(r.diagnostics[0].code, Code::UnpublishedLink);
        assert!(!r.diagnostics[0].is_error());
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
    fn links_that_only_look_local_are_refused() {
        for (md, dest) in [
            (r"[a](/\evil.example/x)", r"/\evil.example/x"),
            (r"[a](\\\\evil.example\\x)", r"\\evil.example\x"),
            (r"[a](\\/evil.example/x)", r"\/evil.example/x"),
        ] {
            let r = render(md, &ctx(md, &none));
            let got: Vec<_> = r.diagnostics.iter().map(|d| (d.code, d.message.as_str())).collect();
            let message = format!("`{dest}` leads to another website: browsers read it as `https://evil.example/x`");
            assert_eq!(got, [(Code::BadUrl, message.as_str())], "{md:?}");
            assert!(r.html.contains("href=\"#\""), "{md:?} gave {}", r.html);
        }
        for md in ["[a](/ok/path)", "[a](../x)", "[a](/%09/evil.example)", r"[a](\/evil.example)"] {
            let r = render(md, &ctx(md, &none));
            assert_eq!(r.diagnostics, [], "{md:?}");
            assert!(!r.html.contains("noopener"), "{md:?} gave {}", r.html);
        }
        let md = "[a](HTTPS://EXAMPLE.org/)\n";
        assert!(render(md, &ctx(md, &none)).html.contains("rel=\"noopener noreferrer\""));
    }

    #[test]
    fn external_links_carry_noopener() {
        let md = "[a](https://example.org)\n";
        let r = render(md, &ctx(md, &none));
        assert!(r.html.contains("<a href=\"https://example.org\" rel=\"noopener noreferrer\">a</a>"), "{}", r.html);
    }
}
