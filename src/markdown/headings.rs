//! The headings pass: gives every heading a unique id and lists the headings for anchors
//! and tables of contents.
//!
//! It rewrites only `Start(Heading)` events, in place, and reports nothing; whether a link's
//! `#anchor` names a heading is checked by the links pass with the ids found here.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::Item;
use crate::slug::slugify;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// What the pass found.
pub(super) struct Headings {
    /// In document order.
    pub list: Vec<Heading>,
    pub ids: HashSet<String>,
}

/// Gives each heading a unique id (from `{#custom-id}` or its text) and keeps only plain
/// class names of its attributes.
pub(super) fn assign_ids(items: &mut [Item]) -> Headings {
    let mut found = Headings { list: Vec::new(), ids: HashSet::new() };
    for i in 0..items.len() {
        let Event::Start(Tag::Heading { level, id, classes, attrs: _ }) = &items[i].event else { continue };
        let title = title(&items[i + 1..]);
        let base = match id {
            // `{#custom-id}`: kept when it is a plain id, otherwise made into one.
            Some(id) if id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')) && !id.is_empty() => {
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
        while !found.ids.insert(unique.clone()) {
            unique = format!("{base}-{n}");
            n += 1;
        }
        found.list.push(Heading { level: level_number(*level), id: unique.clone(), title: title.trim().to_string() });
        // `{#id .class}` is kept; other attributes (`{onclick=…}`) never reach the page.
        let start = Event::Start(Tag::Heading {
            level: *level,
            id: Some(CowStr::from(unique)),
            classes: classes
                .iter()
                .filter(|c| c.chars().all(|ch| ch.is_alphanumeric() || ch == '-' || ch == '_'))
                .cloned()
                .collect(),
            attrs: Vec::new(),
        });
        items[i].event = start;
    }
    found
}

/// The text of a heading, from the events after its start.
fn title(rest: &[Item]) -> String {
    let mut title = String::new();
    for item in rest {
        match &item.event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => title.push_str(t),
            _ => {}
        }
    }
    title
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

#[cfg(test)]
mod tests {
    use super::super::render;
    use super::super::tests::{ctx, none};

    #[test]
    fn headings_get_unique_ids() {
        let md = "## Hello World\n\n## Hello World\n\n## Custom {#mine}\n";
        let r = render(md, &ctx(md, &none));
        assert!(r.html.contains("<h2 id=\"hello-world\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"hello-world-1\">"));
        assert!(r.html.contains("<h2 id=\"mine\">"));
    }
}
