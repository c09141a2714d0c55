//! JSON Feed 1.1 beside every Atom feed (DESIGN §14): each `feed.json` is checked against the
//! spec's required fields, lists the Atom feed's entries, links to files of the output, and
//! is announced on its page with `rel="alternate"`.

use atom_syndication::Feed;
use serde_json::Value;

use crate::common::{attribute, Run, TestSite};

const BASE: &str = "https://voices.harbour.example";

fn output_file(url: &str) -> String {
    let path =
        url.strip_prefix(BASE).and_then(|p| p.strip_prefix('/')).unwrap_or_else(|| panic!("{url} is not absolute"));
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Asserts what JSON Feed 1.1 requires (and what it says a feed should have), and returns it.
fn valid_feed(run: &Run, rel: &str) -> Value {
    let text = run.page(rel).html;
    let feed: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not JSON ({e}):\n{text}"));
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1", "{rel}");
    assert!(feed["title"].as_str().is_some_and(|t| !t.is_empty()), "{rel}: title");
    assert_eq!(feed["feed_url"], format!("{BASE}/{rel}"), "{rel}: feed_url");
    let home = feed["home_page_url"].as_str().expect("home_page_url");
    assert!(run.exists(&output_file(home)), "{rel}: home_page_url {home} is not in the output");
    let items = feed["items"].as_array().unwrap_or_else(|| panic!("{rel}: items must be an array"));
    for item in items {
        let id = item["id"].as_str().unwrap_or_else(|| panic!("{rel}: an item without a string id: {item}"));
        assert!(!id.is_empty());
        let html = item.get("content_html").and_then(Value::as_str);
        let text = item.get("content_text").and_then(Value::as_str);
        assert!(html.is_some() || text.is_some(), "{rel}: item {id} has neither content_html nor content_text");
        let url = item["url"].as_str().unwrap_or_else(|| panic!("{rel}: item {id} without url"));
        assert!(run.exists(&output_file(url)), "{rel}: item {id} links to {url}, which is not in the output");
        for key in ["date_published", "date_modified"] {
            if let Some(d) = item.get(key) {
                chrono::DateTime::parse_from_rfc3339(d.as_str().unwrap())
                    .unwrap_or_else(|e| panic!("{rel}: {key} {d}: {e}"));
            }
        }
        if let Some(authors) = item.get("authors") {
            for a in authors.as_array().expect("authors is an array") {
                assert!(a["name"].is_string(), "{rel}: an author without a name");
            }
        }
    }
    feed
}

#[test]
fn every_atom_feed_has_a_valid_json_feed_with_the_same_entries() {
    let run = TestSite::fixture("basic").build();
    run.success();
    let atom: Vec<String> = run.files().into_iter().filter(|f| f.ends_with("feed.xml")).collect();
    assert!(atom.len() >= 4, "{atom:?}");
    for rel in ["feed.xml", "causes/feed.xml", "people/ana/feed.xml"] {
        assert!(atom.contains(&rel.to_string()), "{rel} in {atom:?}");
    }
    assert!(atom.iter().any(|f| f.starts_with("tags/")), "{atom:?}");
    for rel in &atom {
        let json_rel = rel.replace("feed.xml", "feed.json");
        let json = valid_feed(&run, &json_rel);
        let feed: Feed = run.page(rel).html.parse().unwrap();
        let atom_ids: Vec<&str> = feed.entries().iter().map(|e| e.id()).collect();
        let json_ids: Vec<&str> = json["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
        assert_eq!(json_ids, atom_ids, "{json_rel} lists what {rel} does");
        assert_eq!(json["title"], feed.title().as_str());
    }
}

#[test]
fn post_items_carry_their_body_authors_and_tags_and_causes_their_summary() {
    let run = TestSite::fixture("basic").build();
    run.success();
    let site = valid_feed(&run, "feed.json");
    let first = &site["items"][0];
    assert!(first["content_html"].as_str().unwrap().contains("<p>"), "{first}");
    assert!(first["authors"][0]["url"].as_str().unwrap().starts_with(&format!("{BASE}/people/")), "{first}");
    let causes = valid_feed(&run, "causes/feed.json");
    let swim =
        causes["items"].as_array().unwrap().iter().find(|i| i["title"] == "Harbour winter swim").expect("the swim");
    assert_eq!(swim["url"], format!("{BASE}/causes/harbour-swim/"));
    assert!(
        swim["content_text"]
            .as_str()
            .unwrap()
            .starts_with("Fundraiser · Sun 6 December 2026, 09:00–13:00 (UTC) · North Pier"),
        "{swim}"
    );
    assert_eq!(swim["authors"][0]["name"], "Ben Okoro");
}

#[test]
fn pages_announce_their_json_feed() {
    let run = TestSite::fixture("basic").build();
    run.success();
    let announced = |page: &str| -> Vec<String> {
        let html = run.page(page).html;
        html.split("<link ")
            .skip(1)
            .map(|t| format!(" {}", &t[..t.find('>').unwrap()]))
            .filter(|t| attribute(t, "rel").as_deref() == Some("alternate"))
            .filter(|t| attribute(t, "type").as_deref() == Some("application/feed+json"))
            .filter_map(|t| attribute(&t, "href"))
            .collect()
    };
    assert_eq!(announced("index.html"), ["/feed.json"]);
    assert_eq!(announced("causes/index.html"), ["/feed.json", "/causes/feed.json"]);
    assert_eq!(announced("people/ana/index.html"), ["/feed.json", "/people/ana/feed.json"]);
    for href in announced("people/ana/index.html") {
        run.assert_exists(href.trim_start_matches('/'));
    }
}
