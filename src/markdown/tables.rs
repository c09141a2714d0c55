//! The tables pass: writes tables itself rather than leaving them to pulldown-cmark, which
//! puts alignment in `style` attributes that the Content Security Policy forbids; classes
//! (`align-left`, `align-center`, `align-right`) instead.
//!
//! It replaces table, row and cell events one for one with HTML and leaves the cells'
//! contents alone. It reports nothing.

use pulldown_cmark::{Alignment, CowStr, Event, Tag, TagEnd};

use super::Item;

pub(super) fn write(items: &mut [Item]) {
    let mut alignments: Vec<Alignment> = Vec::new();
    let (mut in_head, mut in_body, mut cell) = (false, false, 0usize);
    for item in items {
        let block = |html: &'static str| Event::Html(CowStr::from(html));
        item.event = match &item.event {
            Event::Start(Tag::Table(a)) => {
                alignments = a.clone();
                block("<table>\n")
            }
            Event::End(TagEnd::Table) => {
                let close = if in_body { "</tbody></table>\n" } else { "</table>\n" };
                in_body = false;
                block(close)
            }
            Event::Start(Tag::TableHead) => {
                in_head = true;
                block("<thead><tr>")
            }
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                in_body = true;
                block("</tr></thead>\n<tbody>\n")
            }
            Event::Start(Tag::TableRow) => {
                cell = 0;
                block("<tr>")
            }
            Event::End(TagEnd::TableRow) => block("</tr>\n"),
            Event::Start(Tag::TableCell) => {
                let tag = if in_head { "th" } else { "td" };
                let class = match alignments.get(cell) {
                    Some(Alignment::Left) => " class=\"align-left\"",
                    Some(Alignment::Center) => " class=\"align-center\"",
                    Some(Alignment::Right) => " class=\"align-right\"",
                    _ => "",
                };
                Event::InlineHtml(CowStr::from(format!("<{tag}{class}>")))
            }
            Event::End(TagEnd::TableCell) => {
                let tag = if in_head { "th" } else { "td" };
                cell += 1;
                Event::InlineHtml(CowStr::from(format!("</{tag}>")))
            }
            _ => continue,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::super::render;
    use super::super::tests::{ctx, none};

    #[test]
    fn table_alignment_uses_classes_not_styles() {
        let md = "| a | b |\n|:--|--:|\n| 1 | 2 |\n";
        let r = render(md, &ctx(md, &none));
        assert!(!r.html.contains("style="), "{}", r.html);
        assert!(r.html.contains("<th class=\"align-left\">a</th><th class=\"align-right\">b</th>"), "{}", r.html);
        assert!(r.html.contains("<td class=\"align-left\">1</td><td class=\"align-right\">2</td>"), "{}", r.html);
        assert!(r.html.contains("<tbody>") && r.html.contains("</tbody></table>"), "{}", r.html);
    }
}
