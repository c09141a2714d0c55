//! Atom feeds (site, per person, per tag, causes), the sitemap and robots.txt.
//!
//! Feeds hold the newest entries only, with absolute links, and take their `updated` time
//! from the content, so the same content always gives the same bytes.

use std::collections::HashMap;

use atom_syndication::{Category, Content, Entry, Feed, Link, Person, Text};

use crate::cards::Cards;
use crate::content::Cause;
use crate::dates::{self, Date};
use crate::output::Output;
use crate::site::{CauseId, PersonId, PostId, Site, TagId};

/// Entries per feed: readers poll feeds, and old entries are on the site.
pub const ENTRIES: usize = 20;

/// Bodies larger than this (in bytes of HTML) appear in feeds as their summary only.
const MAX_CONTENT: usize = 256 * 1024;

fn link(href: String, rel: &str, mime: Option<&str>) -> Link {
    Link { href, rel: rel.to_string(), mime_type: mime.map(str::to_string), ..Link::default() }
}

/// A post's rendered body, kept from its page for the feeds, compressed: a hub's feeds show
/// thousands of posts, and their HTML would otherwise be the largest thing a build holds.
pub type Body = crate::packed::Packed;

/// The posts that appear in some feed: their rendered bodies are kept for the feeds.
pub fn posts_in_feeds(site: &Site) -> std::collections::HashSet<PostId> {
    let mut set: std::collections::HashSet<PostId> = site.listed().iter().take(ENTRIES).copied().collect();
    for (person, _) in site.people() {
        set.extend(site.person_posts(person).iter().take(ENTRIES));
    }
    for (_, tag) in site.tags() {
        set.extend(tag.posts.iter().take(ENTRIES));
    }
    set
}

/// An entry's picture (the processed file, never the original) as an Atom enclosure, which
/// feed readers show as its image; the JSON Feed takes it as the item's `image`.
fn enclosure(image: &crate::cards::ImageInfo) -> Link {
    let mime = crate::serve::request::content_type(std::path::Path::new(&image.url));
    Link {
        title: (!image.alt.is_empty()).then(|| image.alt.clone()),
        ..link(image.absolute_url.clone(), "enclosure", Some(mime))
    }
}

fn post_entry(site: &Site, cards: &Cards, id: PostId, body: Option<String>) -> Option<Entry> {
    let card = cards.post(id)?;
    let post = site.post(id);
    let mut entry = Entry {
        title: Text::plain(post.title.clone()),
        id: card.permalink.clone(),
        updated: post.date.value,
        published: Some(post.date.value),
        links: std::iter::once(link(card.permalink.clone(), "alternate", Some("text/html")))
            .chain(card.image.as_ref().map(enclosure))
            .collect(),
        authors: card
            .authors
            .iter()
            .map(|a| Person {
                name: a.name.clone(),
                uri: Some(site.config().absolute(&a.url)),
                email: None,
                ..Person::default()
            })
            .collect(),
        categories: card.tags.iter().map(|t| Category { term: t.name.clone(), ..Category::default() }).collect(),
        summary: Some(Text::plain(card.summary_text.clone())),
        ..Entry::default()
    };
    // A very long post is summarised: every feed it is in would otherwise carry all of it.
    if let Some(body) = body.filter(|b| b.len() <= MAX_CONTENT) {
        let mut html = String::new();
        if let (Some(note), Some(author)) = (&post.note, card.authors.first()) {
            html.push_str(&format!(
                "<blockquote><p>{}</p><p>— {}</p></blockquote>\n",
                crate::markdown::escape_html(note),
                crate::markdown::escape_html(&author.name)
            ));
        }
        html.push_str(&absolutize(&body, &site.config().base_url, &card.url));
        entry.content = Some(Content {
            value: Some(html),
            content_type: Some("html".into()),
            base: Some(card.permalink.clone()),
            ..Content::default()
        });
    }
    Some(entry)
}

/// Makes root-relative `href`/`src` in feed HTML absolute: feed readers have no page URL.
fn absolutize(html: &str, base_url: &str, page_path: &str) -> String {
    html.replace("href=\"/", &format!("href=\"{base_url}/"))
        .replace("src=\"/", &format!("src=\"{base_url}/"))
        .replace("href=\"#", &format!("href=\"{base_url}{page_path}#"))
}

struct FeedSpec {
    /// Site path of the feed, e.g. `/people/ana/feed.xml`.
    path: String,
    /// Site path of the page it follows.
    page: String,
    title: String,
    entries: Vec<Entry>,
}

/// The Atom feed of `spec` and the JSON Feed beside it.
fn write(site: &Site, spec: FeedSpec) -> [Output; 2] {
    // The newest entry's date; a feed without entries takes the site's newest post.
    let newest: Option<Date> = spec.entries.iter().map(|e| e.updated).max();
    let config = site.config();
    let fallback = site.listed().first().map(|&id| site.post(id).date.value);
    let updated =
        newest.or(fallback).unwrap_or_else(|| dates::parse("2000-01-01", config.timezone).expect("valid date"));
    let page_url = config.absolute(&spec.page);
    let feed = Feed {
        title: Text::plain(spec.title),
        id: config.absolute(&spec.path),
        updated,
        links: vec![
            link(config.absolute(&spec.path), "self", Some("application/atom+xml")),
            link(config.absolute(&spec.page), "alternate", Some("text/html")),
        ],
        subtitle: (!config.description.is_empty()).then(|| Text::plain(config.description.clone())),
        lang: Some(config.language.clone()),
        entries: spec.entries,
        ..Feed::default()
    };
    let json =
        crate::jsonfeed::from_atom(&feed, &config.base_url, &crate::jsonfeed::path_beside(&spec.path), &page_url);
    let mut xml = feed.to_string();
    xml.push('\n');
    [Output { path: spec.path.trim_start_matches('/').to_string(), html: xml }, json]
}

/// One of the site's feeds.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FeedKey {
    Site,
    Person(PersonId),
    Tag(TagId),
    Causes,
}

pub fn all_keys(site: &Site) -> Vec<FeedKey> {
    let mut keys = vec![FeedKey::Site];
    keys.extend(site.visible_people().filter(|(id, _)| has_person_feed(site, *id)).map(|(id, _)| FeedKey::Person(id)));
    keys.extend(site.tags().map(|(id, _)| FeedKey::Tag(id)));
    keys.push(FeedKey::Causes);
    keys
}

/// Whether a visible person has a feed: always in the default language (one may follow a
/// colleague before their first post); in another language, only when they have posts in it
/// (every profile is in every language, so that every author is credited).
pub fn has_person_feed(site: &Site, person: PersonId) -> bool {
    site.config().prefix.is_empty() || !site.person_posts(person).is_empty()
}

/// The feeds in which post `id` is one of the entries.
pub fn keys_for_post(site: &Site, id: PostId) -> Vec<FeedKey> {
    let mut keys = Vec::new();
    if site.listed().iter().take(ENTRIES).any(|&p| p == id) {
        keys.push(FeedKey::Site);
    }
    for a in &site.post(id).authors {
        if let Some(p) = site.person_by_id(&a.value) {
            if site.person_posts(p).iter().take(ENTRIES).any(|&x| x == id) {
                keys.push(FeedKey::Person(p));
            }
        }
    }
    for slug in &site.post(id).tag_slugs {
        if let Some(t) = site.tag_by_slug(slug) {
            if site.tag(t).posts.iter().take(ENTRIES).any(|&x| x == id) {
                keys.push(FeedKey::Tag(t));
            }
        }
    }
    keys
}

/// The posts listed by a feed.
pub fn entries_of<'a>(site: &'a Site, key: &FeedKey) -> &'a [PostId] {
    let all: &[PostId] = match *key {
        FeedKey::Site => site.listed(),
        FeedKey::Person(p) => site.person_posts(p),
        FeedKey::Tag(t) => &site.tag(t).posts,
        FeedKey::Causes => &[],
    };
    &all[..all.len().min(ENTRIES)]
}

/// Renders the feeds `keys`. `bodies` holds the rendered body of every post they show
/// (see `entries_of`); a post without one appears with its summary only.
pub fn feeds(site: &Site, cards: &Cards, keys: &[FeedKey], bodies: &HashMap<PostId, Body>) -> Vec<Output> {
    let entries = |posts: &[PostId]| -> Vec<Entry> {
        posts.iter().filter_map(|&id| post_entry(site, cards, id, bodies.get(&id).map(Body::unpack))).collect()
    };
    keys.iter()
        .flat_map(|key| {
            let posts = entries_of(site, key);
            let spec = match key {
                FeedKey::Site => FeedSpec {
                    path: site.path("/feed.xml"),
                    page: site.path("/"),
                    title: site.config().title.clone(),
                    entries: entries(posts),
                },
                FeedKey::Person(p) => {
                    let person = site.person(*p);
                    let page = site.person_path(&person.id);
                    FeedSpec {
                        path: format!("{page}feed.xml"),
                        title: format!("{} · {}", person.name, site.config().title),
                        entries: entries(posts),
                        page,
                    }
                }
                FeedKey::Tag(t) => {
                    let tag = site.tag(*t);
                    let page = site.tag_path(&tag.slug);
                    FeedSpec {
                        path: format!("{page}feed.xml"),
                        title: format!("#{} · {}", tag.name, site.config().title),
                        entries: entries(posts),
                        page,
                    }
                }
                FeedKey::Causes => causes_feed(site, cards),
            };
            write(site, spec)
        })
        .collect()
}

fn causes_feed(site: &Site, cards: &Cards) -> FeedSpec {
    let mut causes: Vec<(CauseId, &Cause)> = site.published_causes().collect();
    causes.sort_by_key(|(_, c)| std::cmp::Reverse(c.starts.value));
    let entries = causes
        .into_iter()
        .take(ENTRIES)
        .map(|(id, c)| {
            let card = cards.cause(id);
            let url = site.config().absolute(&card.url);
            let mut summary = format!("{} · {}", card.kind_label, card.when);
            if let Some(l) = &card.location_display {
                summary.push_str(&format!(" · {l}"));
            }
            if !card.summary_text.is_empty() {
                summary.push_str(&format!(". {}", card.summary_text));
            }
            Entry {
                title: Text::plain(c.title.clone()),
                id: url.clone(),
                updated: c.starts.value,
                links: std::iter::once(link(url, "alternate", Some("text/html")))
                    .chain(card.image.as_ref().map(enclosure))
                    .collect(),
                authors: card
                    .owner
                    .iter()
                    .map(|o| Person {
                        name: o.name.clone(),
                        uri: Some(site.config().absolute(&o.url)),
                        email: None,
                        ..Person::default()
                    })
                    .collect(),
                summary: Some(Text::plain(summary)),
                ..Entry::default()
            }
        })
        .collect();
    FeedSpec {
        path: site.path("/causes/feed.xml"),
        page: site.path("/causes/"),
        title: format!("Causes · {}", site.config().title),
        entries,
    }
}

/// `sitemap.xml` listing `pages` (site paths of written HTML files), sorted.
/// The most URLs one sitemap file may list (sitemaps.org).
pub const SITEMAP_MAX: usize = 50_000;

/// `sitemap.xml` listing `pages` (site paths of written HTML files), sorted. Past
/// `SITEMAP_MAX` pages, `sitemap.xml` is an index of `sitemap-1.xml`, `sitemap-2.xml`, …
pub fn sitemap(base_url: &str, pages: &[String]) -> Vec<Output> {
    sitemap_of(base_url, pages, None)
}

/// The sitemap of a hub with several languages: each URL with its `xhtml:link` alternates
/// (Google's form of `hreflang` in sitemaps), given by `alternates` for an output file.
/// The alternates of an output file (`de/posts/a/index.html`) in the sitemap.
pub type AlternatesOf<'a> = &'a dyn Fn(&str) -> Vec<crate::translations::Alternate>;

pub fn sitemap_with(base_url: &str, pages: &[String], alternates: AlternatesOf) -> Vec<Output> {
    sitemap_of(base_url, pages, Some(alternates))
}

fn sitemap_of(base_url: &str, pages: &[String], alternates: Option<AlternatesOf>) -> Vec<Output> {
    let mut files: Vec<&String> = pages
        .iter()
        .filter(|p| p.ends_with(".html") && p.as_str() != "404.html" && !p.ends_with("/404.html"))
        .collect();
    files.sort_by_key(|p| format!("/{}", p.strip_suffix("index.html").unwrap_or(p)));
    files.dedup();
    let urls: Vec<String> = files.iter().map(|p| format!("/{}", p.strip_suffix("index.html").unwrap_or(p))).collect();
    let links: Vec<Vec<crate::translations::Alternate>> =
        files.iter().map(|f| alternates.map_or_else(Vec::new, |a| a(f))).collect();
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    let xhtml = if alternates.is_some() { " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"" } else { "" };
    let urlset = |from: usize, urls: &[String]| {
        let mut xml = format!("{head}<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"{xhtml}>\n");
        for (i, u) in urls.iter().enumerate() {
            let loc = crate::markdown::escape_html(&format!("{base_url}{u}"));
            let alts = &links[from + i];
            if alts.is_empty() {
                xml.push_str(&format!("  <url><loc>{loc}</loc></url>\n"));
                continue;
            }
            xml.push_str(&format!("  <url><loc>{loc}</loc>\n"));
            for a in alts {
                xml.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                    crate::markdown::escape_html(&a.hreflang),
                    crate::markdown::escape_html(&a.url)
                ));
            }
            xml.push_str("  </url>\n");
        }
        xml.push_str("</urlset>\n");
        xml
    };
    if urls.len() <= SITEMAP_MAX {
        return vec![Output { path: "sitemap.xml".into(), html: urlset(0, &urls) }];
    }
    let mut index = format!("{head}<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut outputs = Vec::new();
    for (n, chunk) in urls.chunks(SITEMAP_MAX).enumerate() {
        let path = format!("sitemap-{}.xml", n + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            crate::markdown::escape_html(&format!("{base_url}/{path}"))
        ));
        outputs.push(Output { path, html: urlset(n * SITEMAP_MAX, chunk) });
    }
    index.push_str("</sitemapindex>\n");
    outputs.push(Output { path: "sitemap.xml".into(), html: index });
    outputs
}

pub fn robots(base_url: &str) -> Output {
    Output { path: "robots.txt".into(), html: format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}/sitemap.xml\n") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_sitemaps_become_an_index_of_files_of_at_most_50000() {
        let pages: Vec<String> = (0..SITEMAP_MAX + 2).map(|i| format!("posts/p{i}/index.html")).collect();
        let out = sitemap("https://v.example", &pages);
        let names: Vec<&str> = out.iter().map(|o| o.path.as_str()).collect();
        assert_eq!(names, ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]);
        assert_eq!(out[0].html.matches("<url>").count(), SITEMAP_MAX);
        assert_eq!(out[1].html.matches("<url>").count(), 2);
        assert!(out[2].html.contains("<sitemapindex"));
        assert!(out[2].html.contains("<loc>https://v.example/sitemap-2.xml</loc>"));
    }

    #[test]
    fn sitemap_lists_pages_not_the_404() {
        let s = sitemap(
            "https://v.example",
            &["index.html".into(), "posts/a/index.html".into(), "404.html".into(), "feed.xml".into()],
        );
        assert_eq!(s.len(), 1);
        let s = &s[0];
        assert!(s.html.contains("<loc>https://v.example/</loc>"));
        assert!(s.html.contains("<loc>https://v.example/posts/a/</loc>"));
        assert!(!s.html.contains("404"));
        assert!(!s.html.contains("feed.xml"));
    }

    #[test]
    fn feed_html_gets_absolute_links() {
        assert_eq!(
            absolutize("<a href=\"/posts/b/\">b</a><img src=\"/i.png\"><a href=\"#x\">", "https://v.example", "/posts/a/"),
            "<a href=\"https://v.example/posts/b/\">b</a><img src=\"https://v.example/i.png\"><a href=\"https://v.example/posts/a/#x\">"
        );
    }
}
