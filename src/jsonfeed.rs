//! JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>): `feed.json` beside every Atom
//! `feed.xml`, for chat-tool integrations and readers that prefer JSON.
//!
//! Owns the JSON form only: it is made from the very Atom feed `feed` built, so the two
//! always list the same entries with the same text. Must not choose entries itself.

use atom_syndication::Feed;
use serde::Serialize;

use crate::output::Output;

pub const VERSION: &str = "https://jsonfeed.org/version/1.1";

/// The site path of the JSON Feed beside the Atom feed at `atom_path`.
pub fn path_beside(atom_path: &str) -> String {
    match atom_path.strip_suffix("feed.xml") {
        Some(dir) => format!("{dir}feed.json"),
        None => format!("{atom_path}.json"),
    }
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    language: Option<&'a str>,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    /// Always present: the spec requires `content_html` or `content_text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    /// The entry's picture: the Atom entry's image enclosure.
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// The JSON Feed of Atom `feed`, written at site path `path`. `home_page_url` is the
/// absolute URL of the page the feed follows.
pub fn from_atom(feed: &Feed, base_url: &str, path: &str, home_page_url: &str) -> Output {
    let items = feed
        .entries
        .iter()
        .map(|e| {
            let url = e.links.iter().find(|l| l.rel == "alternate").map_or(e.id.as_str(), |l| l.href.as_str());
            let html = e.content.as_ref().and_then(|c| c.value.as_deref());
            let summary = e.summary.as_ref().map(|s| s.value.as_str()).filter(|s| !s.is_empty());
            Item {
                id: &e.id,
                url,
                title: &e.title.value,
                content_html: html,
                // Without a body (a cause, or a post too long for a feed), the summary is the content.
                content_text: html.is_none().then(|| summary.unwrap_or(&e.title.value)),
                summary,
                image: e
                    .links
                    .iter()
                    .find(|l| l.rel == "enclosure" && l.mime_type.as_deref().is_some_and(|m| m.starts_with("image/")))
                    .map(|l| l.href.as_str()),
                date_published: e.published.map(|d| d.to_rfc3339()),
                date_modified: e.updated.to_rfc3339(),
                authors: e.authors.iter().map(|a| Author { name: &a.name, url: a.uri.as_deref() }).collect(),
                tags: e.categories.iter().map(|c| c.term.as_str()).collect(),
            }
        })
        .collect();
    let json = JsonFeed {
        version: VERSION,
        title: &feed.title.value,
        home_page_url,
        feed_url: format!("{base_url}{path}"),
        description: feed.subtitle.as_ref().map(|s| s.value.as_str()),
        language: feed.lang.as_deref(),
        items,
    };
    let mut text = serde_json::to_string_pretty(&json).expect("a feed serialises");
    text.push('\n');
    Output { path: path.trim_start_matches('/').to_string(), html: text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_feed_sits_beside_the_atom_feed() {
        assert_eq!(path_beside("/feed.xml"), "/feed.json");
        assert_eq!(path_beside("/people/ana/feed.xml"), "/people/ana/feed.json");
    }
}
