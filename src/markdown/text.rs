//! Text helpers around rendering: the summary's Markdown, Markdown as plain text, and HTML
//! escaping (also Tera's escape function).
//!
//! Nothing here takes part in `render`'s passes or reports problems; these functions read
//! Markdown or text and return text.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::options;

const MORE: &str = "<!-- more -->";

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
    plain_text_of(markdown.len(), Parser::new_ext(markdown, options()))
}

/// `plain_text` of a parse's events (of `len` bytes of Markdown), owned or borrowed.
pub(super) fn plain_text_of<'a, E: std::borrow::Borrow<Event<'a>>>(
    len: usize,
    events: impl Iterator<Item = E>,
) -> String {
    let mut out = String::with_capacity(len);
    // Whether a space is owed before the next text: runs of white space become one space,
    // and there is none at either end.
    let mut space = false;
    let mut push = |out: &mut String, text: &str| {
        // Most text has single spaces only: no need to split it word by word.
        let simple = !text.bytes().any(|b| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
            && !text.contains("  ")
            && (text.is_ascii() || !text.chars().any(|c| c != ' ' && c.is_whitespace()));
        if simple {
            let core = text.trim_matches(' ');
            if core.is_empty() {
                space |= !text.is_empty();
                return;
            }
            if (space || text.starts_with(' ')) && !out.is_empty() {
                out.push(' ');
            }
            out.push_str(core);
            space = text.ends_with(' ');
            return;
        }
        for (i, word) in text.split_whitespace().enumerate() {
            if (i > 0 || space || text.starts_with(char::is_whitespace)) && !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
            space = false;
        }
        space |= text.ends_with(char::is_whitespace);
    };
    for event in events {
        match event.borrow() {
            Event::Text(t) | Event::Code(t) => push(&mut out, t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => {
                push(&mut out, " ")
            }
            _ => {}
        }
    }
    out
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

pub(super) fn escape_attr(s: &str) -> String {
    escape_html(s)
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

    #[test]
    fn summary_is_before_more_or_the_first_paragraph() {
        assert_eq!(summary_source("# Title\n\nFirst *one*.\n\nSecond.\n"), "First *one*.");
        assert_eq!(summary_source("Intro\n\nMore intro\n<!-- more -->\nRest"), "Intro\n\nMore intro");
        assert_eq!(plain_text("First *one* and `code`.\nNext"), "First one and code. Next");
    }

    #[test]
    fn plain_text_has_single_spaces_between_words_and_none_at_the_ends() {
        let cases = [
            ("  *a*  **b**\n\n- c\n- d\n\n`e`f  ", "a b c d ef"),
            ("foo**bar** baz", "foobar baz"),
            ("> quoted\n\n|x|y|\n|-|-|\n|1|2|\n", "quoted xy12"),
            ("line  \nbreak\\\nhard", "line break hard"),
            ("", ""),
            ("   ", ""),
            ("a\u{a0}b \u{3000}c\u{2003}\u{2003}d\te", "a b c d e"),
            (" lead\n\ntrail ", "lead trail"),
            ("x *y* z", "x y z"),
        ];
        for (markdown, text) in cases {
            let old_way = {
                let mut out = String::new();
                for event in Parser::new_ext(markdown, options()) {
                    match event {
                        Event::Text(t) | Event::Code(t) => out.push_str(&t),
                        Event::SoftBreak
                        | Event::HardBreak
                        | Event::End(TagEnd::Paragraph)
                        | Event::End(TagEnd::Item) => out.push(' '),
                        _ => {}
                    }
                }
                out.split_whitespace().collect::<Vec<_>>().join(" ")
            };
            assert_eq!(plain_text(markdown), old_way, "for {markdown:?}");
            assert_eq!(plain_text(markdown), text, "for {markdown:?}");
        }
    }
}
