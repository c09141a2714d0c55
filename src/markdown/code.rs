//! The code pass: writes each code block as one piece of HTML, highlighted by
//! `crate::highlight` when the context asks for it and the language is known.
//!
//! It replaces a code block's events (start, text, end) with a single HTML event and
//! touches nothing else; inline `code` is left to pulldown-cmark. It reports nothing.

use std::sync::atomic::Ordering;
use std::time::Instant;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::text::escape_html;
use super::{Context, Highlight, Item};

pub(super) fn write_blocks(items: &mut Vec<Item>, ctx: &Context) {
    // The open block's language and text. In place, in order: the start and the text are
    // dropped and the end becomes the block's HTML.
    let mut open: Option<(String, String)> = None;
    items.retain_mut(|item| match &item.event {
        Event::Start(Tag::CodeBlock(kind)) => {
            let lang = match kind {
                CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_string(),
                CodeBlockKind::Indented => String::new(),
            };
            open = Some((lang, String::new()));
            false
        }
        Event::End(TagEnd::CodeBlock) => {
            let (lang, code) = open.take().unwrap_or_default();
            let started = Instant::now();
            item.event = Event::Html(CowStr::from(code_block(&code, &lang, ctx.highlight)));
            if let Some(t) = ctx.highlight_time {
                t.fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
            }
            true
        }
        Event::Text(t) if open.is_some() => {
            if let Some((_, code)) = &mut open {
                code.push_str(t);
            }
            false
        }
        _ => open.is_none(),
    });
}

fn code_block(code: &str, lang: &str, highlight: Highlight) -> String {
    // The language lands in attributes and in a class: only characters that need no escaping.
    let safe_lang: String =
        lang.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#')).collect();
    let inner = if highlight == Highlight::On && !safe_lang.is_empty() {
        crate::highlight::highlight(code, &safe_lang)
    } else {
        None
    };
    let inner = inner.unwrap_or_else(|| escape_html(code));
    if safe_lang.is_empty() {
        format!("<pre class=\"code\" tabindex=\"0\"><code>{inner}</code></pre>\n")
    } else {
        format!(
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"{safe_lang}\"><code class=\"language-{safe_lang}\">{inner}</code></pre>\n"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::render;
    use super::super::tests::{ctx, none};

    #[test]
    fn code_without_known_language_is_escaped() {
        let md = "```nosuchlang\n<b>&\n```\n";
        let r = render(md, &ctx(md, &none));
        assert!(r.html.contains("&lt;b&gt;&amp;"), "{}", r.html);
    }
}
