//! docs/templates.md documents every view: each template's own variables in its section
//! (or among those every page receives), every nested field somewhere in the document.
//! The views are rendered for real, from the `basic` test hub, with templates that print
//! their whole context, so a field added to a view without documentation fails here.

use std::collections::BTreeSet;
use std::path::Path;

use super::{Audience, Renderer};
use crate::cards::Cards;
use crate::site::{Options, Site};

const PAGE_TEMPLATES: &[&str] = &[
    "index.html",
    "posts.html",
    "post.html",
    "people.html",
    "person.html",
    "causes.html",
    "cause.html",
    "tags.html",
    "tag.html",
    "page.html",
    "digests.html",
    "digest.html",
    "digest_email.html",
    "404.html",
    "search.html",
];

/// Every name written between backticks in `text` (`{name, url}` gives both).
fn backticked_names(text: &str) -> BTreeSet<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .flat_map(|span| span.split(|c: char| !(c.is_alphanumeric() || c == '_')).map(str::to_string))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The text of the section of docs/templates.md that starts with `heading`, to the next
/// heading of the same or a higher level.
fn section<'d>(doc: &'d str, heading: &str) -> &'d str {
    let Some(start) = doc.find(heading) else { return "" };
    let level = heading.chars().take_while(|&c| c == '#').count();
    let rest = &doc[start + heading.len()..];
    let end = rest
        .match_indices("\n#")
        .find(|(i, _)| rest[i + 1..].chars().take_while(|&c| c == '#').count() <= level)
        .map_or(rest.len(), |(i, _)| i);
    &rest[..end]
}

/// Every key at any depth of `value`, with the top-level ones apart.
fn keys(value: &serde_json::Value, top: &mut BTreeSet<String>, nested: &mut BTreeSet<String>, depth: usize) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                // `extra` holds the hub's own keys, which are not the views' fields; `t` the
                // theme's texts, whose keys its `i18n/en.yaml` documents.
                if depth == 0 {
                    top.insert(k.clone());
                } else {
                    nested.insert(k.clone());
                }
                if k != "extra" && !(depth == 0 && k == "t") {
                    keys(v, top, nested, depth + 1);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| keys(v, top, nested, depth)),
        _ => {}
    }
}

#[test]
fn every_view_field_is_documented() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(manifest.join("docs/templates.md")).expect("docs/templates.md");
    let now = crate::dates::now(Some("2026-11-20T12:00:00Z"), None).unwrap();
    let options = Options { drafts: false, future: false, now, base_url: None };
    let (site, _) = Site::load(&manifest.join("tests/fixtures/basic"), options);
    let site = site.expect("the basic hub loads");
    let mut tera = tera::Tera::default();
    for name in PAGE_TEMPLATES {
        tera.add_raw_template(name, "{{ __tera_context | safe }}").unwrap();
    }
    let cards = Cards::new(&site, None);
    let renderer = Renderer::new(&site, &tera, &cards, Audience::Published);
    let weeks = crate::digest::weeks(&site);
    let digest = crate::digest::build(&site, &cards, &weeks[weeks.len() - 1]).expect("a digest");
    let pages = [
        ("index.html", renderer.home()),
        ("posts.html", renderer.posts_listing(1)),
        ("post.html", renderer.post(site.listed()[0])),
        ("people.html", renderer.people_index()),
        ("person.html", renderer.person(site.visible_people().next().expect("a person").0)),
        ("causes.html", renderer.causes_index()),
        ("cause.html", renderer.cause(site.published_causes().next().expect("a cause").0)),
        ("tags.html", renderer.tags_index()),
        ("tag.html", renderer.tag_listing(site.tags().next().expect("a tag").0, 1)),
        ("page.html", renderer.page_of_hub(site.pages().next().expect("a page").0)),
        ("digests.html", renderer.digest_index(&weeks)),
        ("digest.html", renderer.digest_week(&weeks, weeks.len() - 1)),
        ("404.html", renderer.not_found()),
        ("search.html", renderer.search_page()),
    ];
    let mut contexts: Vec<(&str, String)> = pages
        .into_iter()
        .map(|(name, r)| {
            assert!(r.diagnostics.is_empty(), "{name}: {:?}", r.diagnostics);
            (name, r.outputs.into_iter().next().expect("a page").html)
        })
        .collect();
    contexts.push(("digest_email.html", renderer.digest_email(&digest).unwrap()));

    let documented = backticked_names(&doc);
    let common = backticked_names(section(&doc, "## What every page receives"));
    let mut missing = Vec::new();
    for (name, json) in &contexts {
        let value: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{name}: {e}\n{json}"));
        let (mut top, mut nested) = (BTreeSet::new(), BTreeSet::new());
        keys(&value, &mut top, &mut nested, 0);
        assert!(top.len() > 1 && !nested.is_empty(), "{name} gave too little to check: {json}");
        let own = backticked_names(section(&doc, &format!("### `{name}`")));
        missing
            .extend(top.iter().filter(|k| !own.contains(*k) && !common.contains(*k)).map(|k| format!("{name}: `{k}`")));
        missing.extend(nested.iter().filter(|k| !documented.contains(*k)).map(|k| format!("{name}: `…{k}`")));
    }
    missing.dedup();
    assert!(missing.is_empty(), "fields not documented in docs/templates.md:\n{}", missing.join("\n"));
}

#[test]
fn the_check_sees_an_undocumented_field() {
    let doc = "## What every page receives\n`site`\n### `x.html`\n| `known` |\n## Next\n`other`";
    assert!(backticked_names(section(doc, "### `x.html`")).contains("known"));
    assert!(!backticked_names(section(doc, "### `x.html`")).contains("other"));
    assert!(!backticked_names(section(doc, "### `x.html`")).contains("site"));
}
