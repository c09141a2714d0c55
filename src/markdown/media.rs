//! `external_media: link`: images and media from other websites become plain links to them,
//! labelled with what they show ("Image: A chart (on example.com)"), so that the page still
//! loads nothing from elsewhere.
//!
//! It rewrites raw HTML events (each run of them as a whole, since a tag may span several)
//! before any other pass reads them, and gives the images pass the link for a Markdown image.
//! It must not decide what is external (`fields::elsewhere` and the HTML pass's rule do) and
//! reports nothing: what it cannot turn into a link is left for the HTML pass to refuse.

use pulldown_cmark::{CowStr, Event};

use super::text::{escape_attr, escape_html};
use super::Item;

/// The link that stands for a medium at `url` (`kind` is "Image", "Video", …), labelled
/// with `label` (alt text or title) and the host it is on; `None` unless `url` is an
/// `http`/`https` address on another host.
pub(super) fn link(kind: &str, url: &str, label: &str) -> Option<String> {
    let to = crate::fields::elsewhere(url)?;
    if !matches!(to.scheme(), "http" | "https") {
        return None;
    }
    let host = to.host_str()?.trim_start_matches("www.").to_string();
    let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = if label.is_empty() { format!("{kind} (on {host})") } else { format!("{kind}: {label} (on {host})") };
    Some(format!(
        "<a class=\"external-media\" href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
        escape_attr(to.as_str()),
        escape_html(&text)
    ))
}

/// The elements that load media, and how a link to each is labelled.
const MEDIA: &[(&str, &str)] = &[
    ("img", "Image"),
    ("picture", "Image"),
    ("video", "Video"),
    ("audio", "Audio"),
    ("source", "Media"),
    ("iframe", "Embedded page"),
    ("embed", "Embedded content"),
    ("object", "Embedded content"),
];

/// Replaces, in every run of raw HTML, each media tag that loads from another website with a
/// link to what it would have loaded.
pub(super) fn link_raw_html(items: &mut [Item]) {
    let is_raw = |item: &Item| matches!(item.event, Event::Html(_) | Event::InlineHtml(_));
    let mut i = 0;
    while i < items.len() {
        if !is_raw(&items[i]) {
            i += 1;
            continue;
        }
        let first = i;
        let mut text = String::new();
        while let Some(Event::Html(h) | Event::InlineHtml(h)) = items.get(i).map(|item| &item.event) {
            text.push_str(h);
            i += 1;
        }
        if let Some(rewritten) = rewrite(&text) {
            // The run's text, rewritten, in its first event; the others are left empty.
            for (k, item) in items[first..i].iter_mut().enumerate() {
                let html = if k == 0 { CowStr::from(rewritten.clone()) } else { CowStr::from("") };
                item.event = match item.event {
                    Event::Html(_) => Event::Html(html),
                    _ => Event::InlineHtml(html),
                };
            }
        }
    }
}

/// `html` with each external media start tag replaced by a link; `None` if there is none.
fn rewrite(html: &str) -> Option<String> {
    let mut out = String::with_capacity(html.len());
    let mut pos = 0;
    let mut changed = false;
    let lower = html.to_ascii_lowercase();
    while let Some(lt) = lower[pos..].find('<').map(|i| pos + i) {
        let name_end = lower[lt + 1..].find(|c: char| !c.is_ascii_alphanumeric()).map_or(lower.len(), |e| lt + 1 + e);
        let name = &lower[lt + 1..name_end];
        let Some(&(_, kind)) = MEDIA.iter().find(|(n, _)| *n == name) else {
            out.push_str(&html[pos..=lt]);
            pos = lt + 1;
            continue;
        };
        let Some(end) = tag_end(html, name_end) else { break };
        let tag = &html[lt..end];
        match replacement(kind, tag) {
            Some(link) => {
                out.push_str(&html[pos..lt]);
                out.push_str(&link);
                changed = true;
            }
            None => out.push_str(&html[pos..end]),
        }
        pos = end;
    }
    out.push_str(&html[pos..]);
    changed.then_some(out)
}

/// Where the tag whose attributes start at `from` ends (after its `>`), quotes respected.
fn tag_end(html: &str, from: usize) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in html[from..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(from + i + 1),
            _ => {}
        }
    }
    None
}

/// The link for one media start tag (as written) that loads from elsewhere, read by the HTML
/// tokenizer browsers follow.
fn replacement(kind: &str, tag: &str) -> Option<String> {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{BufferQueue, StartTag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer};
    use std::cell::RefCell;

    struct Sink(RefCell<Option<Vec<(String, String)>>>);
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let TagToken(tag) = token {
                if tag.kind == StartTag && self.0.borrow().is_none() {
                    let attrs = tag.attrs.iter().map(|a| (a.name.local.to_string(), a.value.to_string())).collect();
                    *self.0.borrow_mut() = Some(attrs);
                }
            }
            TokenSinkResult::Continue
        }
    }
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(tag));
    let tokenizer = Tokenizer::new(Sink(RefCell::new(None)), Default::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let attrs = tokenizer.sink.0.take()?;
    let get = |name: &str| attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let url = ["src", "data", "poster"]
        .into_iter()
        .filter_map(get)
        .chain(get("srcset").and_then(|s| s.split_whitespace().next()))
        .find(|u| crate::fields::is_external(u))?;
    let label = get("alt").or(get("title")).or(get("aria-label")).unwrap_or("");
    link(kind, url, label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_media_tags_become_links() {
        let html = "<p>A <IMG alt=\"The > chart\" src=\"https://cdn.example.com/c.png?a=1&amp;b=2\"> and <img src=\"/ok.png\" alt=\"ok\">\n<video title='Demo' src=https://www.video.example/v.mp4></video></p>";
        let out = rewrite(html).unwrap();
        assert_eq!(
            out,
            "<p>A <a class=\"external-media\" href=\"https://cdn.example.com/c.png?a=1&amp;b=2\" rel=\"noopener noreferrer\">Image: The &gt; chart (on cdn.example.com)</a> and <img src=\"/ok.png\" alt=\"ok\">\n<a class=\"external-media\" href=\"https://www.video.example/v.mp4\" rel=\"noopener noreferrer\">Video: Demo (on video.example)</a></video></p>"
        );
        assert_eq!(rewrite("<img src=\"/local.png\" alt=\"x\">"), None);
        // Written so that browsers read another host, but not as a web address: left to refuse.
        assert_eq!(rewrite("<img src=\"/\\evil.example/p.png\" alt=\"a\">").as_deref(), Some("<a class=\"external-media\" href=\"https://evil.example/p.png\" rel=\"noopener noreferrer\">Image: a (on evil.example)</a>"));
        assert_eq!(rewrite("<img src=\"javascript:alert(1)\">"), None);
    }
}
