//! The code pass: writes each code block as one piece of HTML, highlighted by
//! `crate::highlight` when the context asks for it and the language is known.
//!
//! It replaces a code block's events (start, text, end) with a single HTML event and
//! touches nothing else; inline `code` is left to pulldown-cmark. When it highlights, it
//! warns about a language it does not know, at the word after the fence. A block is focusable
//! (`tabindex="0"`): it may scroll sideways, and a keyboard must be able to scroll it.

use std::sync::atomic::Ordering;
use std::time::Instant;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::text::escape_html;
use super::{Context, Highlight, Item, Problems};
use crate::diagnostic::Code;
use crate::highlight::Language;

pub(super) fn write_blocks(items: &mut Vec<Item>, ctx: &Context, problems: &mut Problems) {
    // The open block's language and text. In place, in order: the start and the text are
    // dropped and the end becomes the block's HTML.
    let mut open: Option<(String, String)> = None;
    items.retain_mut(|item| match &item.event {
        Event::Start(Tag::CodeBlock(kind)) => {
            let lang = match kind {
                CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_string(),
                CodeBlockKind::Indented => String::new(),
            };
            if ctx.highlight == Highlight::On && !lang.is_empty() {
                check_language(&lang, item, ctx, problems);
            }
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

/// Warns when the fence of the block starting at `item` names a language that is not
/// highlighted, pointing at the word itself.
fn check_language(lang: &str, item: &Item, ctx: &Context, problems: &mut Problems) {
    let Language::Unknown(suggestion) = crate::highlight::language(lang) else { return };
    // The word follows the fence's backticks or tildes (and any spaces) on its first line.
    let fence = ctx.src.text.get(ctx.body_start + item.range.start..).unwrap_or("");
    let fence = &fence[..fence.find('\n').unwrap_or(fence.len())];
    let offset = fence.find(lang).unwrap_or(0);
    let shown = crate::diagnostic::escape_controls(lang);
    let d = problems.at(
        crate::diagnostic::Severity::Warning,
        Code::UnknownLanguage,
        format!("the code language `{shown}` is not one Chorus highlights, so this block is shown as plain text"),
        item.range.start + offset,
        lang.chars().count(),
    );
    let d = match suggestion {
        Some(s) => d.with_hint(format!("did you mean `{s}`? (write `text` for a block that is not code)")),
        None => d.with_hint(
            "write the language's usual name or file extension, like `ts`, `python` or `toml`, or `text` for a block that is not code",
        ),
    };
    problems.push(item, d);
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

    use crate::diagnostic::Code;

    #[test]
    fn code_without_known_language_is_escaped() {
        let md = "```nosuchlang\n<b>&\n```\n";
        let r = render(md, &ctx(md, &none));
        assert!(r.html.contains("&lt;b&gt;&amp;"), "{}", r.html);
    }

    #[test]
    fn an_unknown_language_is_a_warning_at_its_word() {
        let md = "Intro.\n\n- item\n\n  ~~~  typscript {.x}\n  let a = 1;\n  ~~~\n\n```text\nplain\n```\n\n```ts\nlet b: number = 2;\n```\n";
        let r = render(md, &ctx(md, &none));
        let got: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| (d.code, d.line, d.column, d.span, d.message.as_str(), d.hint.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            got,
            [(
                Code::UnknownLanguage,
                5,
                8,
                9,
                "the code language `typscript` is not one Chorus highlights, so this block is shown as plain text",
                "did you mean `typescript`? (write `text` for a block that is not code)"
            )]
        );
        assert!(r.html.contains("<pre class=\"code\" tabindex=\"0\" data-lang=\"ts\">"), "{}", r.html);
        assert!(r.html.contains("<span class=\"hl-"), "TypeScript is highlighted: {}", r.html);
    }

    #[test]
    fn summaries_neither_highlight_nor_warn() {
        let md = "```nosuchlang\nx\n```\n";
        let r = render(md, &super::super::Context { highlight: super::super::Highlight::Off, ..ctx(md, &none) });
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    }
}
