//! The properties the fuzz targets check, shared with `cargo test` (tests/reliability), which
//! replays the seed corpus and every input that once failed without needing nightly.

use std::path::{Path, PathBuf};

use chorus::content::{self, Found, Section};
use chorus::fields::SourceRef;
use chorus::markdown::{self, Context, Target};
use chorus::share::{self, Network, ShareSource};

/// One content file in every section: never a panic; every diagnostic has a file and text.
pub fn content_file(data: &[u8]) {
    let zone = chrono::FixedOffset::east_opt(0).expect("zero offset");
    let sections = [
        (Section::Posts, "2026-11-03-x.md"),
        (Section::People, "ana.md"),
        (Section::Causes, "run.md"),
        (Section::Pages, "about.md"),
    ];
    for (section, name) in sections {
        let path = PathBuf::from("/hub/content").join(section.dir()).join(name);
        let found = Found { path, section, bundle_dir: None, assets: Vec::new(), translation: None };
        let (_, diags) = content::load_bytes(Path::new("/hub"), &found, zone, data.to_vec());
        for d in diags {
            assert!(!d.message.is_empty());
            assert!(!d.file.is_empty());
        }
    }
}

/// Markdown with sanitising: never a panic, no script, handler or `javascript:` survives, and
/// no `src` or `poster` loads from another site as browsers resolve it (`/\host`, `\\host`).
pub fn markdown(text: &str) {
    let resolve = |p: &str| if p.len().is_multiple_of(2) { Target::Page("/posts/x/".into()) } else { Target::Missing };
    let ctx = Context {
        images: None,
        resolve: &resolve,
        unsafe_html: false,
        // Links instead of external media, for one input in three: a link loads nothing either.
        external_media: if text.len().is_multiple_of(3) {
            markdown::ExternalMedia::Link
        } else {
            markdown::ExternalMedia::Refuse
        },
        // Highlighting is slow and not what this target is about: one input in sixteen.
        highlight: if text.len() < 4096 && text.len().is_multiple_of(16) {
            markdown::Highlight::On
        } else {
            markdown::Highlight::Off
        },
        highlight_time: None,
        src: SourceRef { file: "content/posts/x.md", text },
        body_start: 0,
        body_line: 1,
        // The search index's text from the same parse, for one input in five.
        plain_text: text.len().is_multiple_of(5),
    };
    let out = markdown::render(text, &ctx);
    if let Some(plain) = &out.plain {
        assert_eq!(*plain, markdown::plain_text(text), "the text of a rendering is `plain_text`'s");
    }
    // Only what is inside tags can act; text that merely reads `src=javascript:` is inert,
    // and so is an attribute value that contains such text.
    for tag in tags(&out.html) {
        let lower = tag.to_ascii_lowercase();
        assert!(!lower.starts_with("<script"), "script survived: {tag}");
        for (name, value) in attributes(&lower) {
            assert!(!name.starts_with("on"), "event handler survived: {tag}");
            if matches!(name.as_str(), "src" | "poster") {
                let url = unescape_attribute(&value);
                assert!(!chorus::fields::is_external(&url), "{name} loads from another site: {tag}");
            }
            let value: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
            if matches!(name.as_str(), "href" | "src" | "action" | "formaction" | "poster" | "srcset" | "xlink:href") {
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!value.starts_with(scheme), "{scheme} survived: {tag}");
                }
            }
        }
    }
    let _ = markdown::plain_text(text);
    let _ = markdown::summary_source(text);
}

/// An attribute value as the browser reads it, for the references the two HTML writers
/// (pulldown-cmark and ammonia) use.
fn unescape_attribute(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// The tags of some HTML (`<a href=…>`), as written.
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let after = &rest[start..];
        let is_tag = after[1..].starts_with(|c: char| c.is_ascii_alphabetic());
        let end = after.find('>').map_or(after.len(), |e| e + 1);
        if is_tag {
            out.push(&after[..end]);
        }
        rest = &after[end.max(1)..];
    }
    out
}

/// The attributes of one tag (`<a href="x" title=y>`), names and values, as a browser
/// would split them.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let mut chars = inner.char_indices().peekable();
    // Skip the element's name.
    while chars.next_if(|(_, c)| !c.is_whitespace() && *c != '/').is_some() {}
    let mut out = Vec::new();
    loop {
        while chars.next_if(|(_, c)| c.is_whitespace() || *c == '/').is_some() {}
        let Some(&(start, _)) = chars.peek() else { break };
        while chars.next_if(|(_, c)| !c.is_whitespace() && *c != '=' && *c != '/').is_some() {}
        let end = chars.peek().map_or(inner.len(), |(i, _)| *i);
        let name = inner[start..end].to_string();
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if(|(_, c)| *c == '=').is_some() {
            while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
            match chars.peek().map(|(_, c)| *c) {
                Some(q @ ('"' | '\'')) => {
                    chars.next();
                    for (_, c) in chars.by_ref() {
                        if c == q {
                            break;
                        }
                        value.push(c);
                    }
                }
                _ => {
                    while let Some((_, c)) = chars.next_if(|(_, c)| !c.is_whitespace()) {
                        value.push(c);
                    }
                }
            }
        }
        if name.is_empty() {
            break;
        }
        out.push((name, value));
    }
    out
}

fn param(href: &str, name: &str) -> Option<String> {
    let query = href.split_once('?')?.1;
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| percent_encoding::percent_decode_str(v).decode_utf8_lossy().to_string())
    })
}

/// The share kit: every intent URL is plain ASCII and decodes back to the permalink and text.
pub fn share_kit(text: &str) {
    let permalink = "https://voices.example/posts/x/";
    let cut = text.char_indices().nth(text.chars().count() / 3).map_or(0, |(i, _)| i);
    let (title, rest) = text.split_at(cut);
    let hashtags = vec!["Tag".to_string()];
    let src = ShareSource {
        title,
        permalink,
        summary: rest,
        text: Some(rest).filter(|r| !r.trim().is_empty()),
        variants: &[],
        overrides: &[],
        hashtags: &hashtags,
        disclosure: Some("#AcmeEmployee"),
        networks: &Network::ALL,
        utm: None,
    };
    let kit = share::build_kit(&src);
    for b in &kit.buttons {
        assert!(b.href.chars().all(|c| c.is_ascii_graphic()), "raw character in {}", b.href);
        match b.network {
            Network::X | Network::LinkedIn => {
                assert_eq!(param(&b.href, "url").as_deref(), Some(permalink), "{}", b.href)
            }
            Network::Bluesky | Network::Mastodon => {
                assert!(param(&b.href, "text").is_some_and(|t| t.ends_with(permalink)), "{}", b.href)
            }
            Network::Email => assert!(param(&b.href, "body").is_some_and(|t| t.contains(permalink)), "{}", b.href),
            _ => {}
        }
    }
}

/// The config loader: never a panic; no config means at least one diagnostic.
pub fn config(text: &str) {
    let (config, diags) = chorus::config::Config::parse(text);
    assert!(config.is_some() || !diags.is_empty());
}

/// The per-network counters: never a panic, and counts within sane bounds.
pub fn counters(text: &str) {
    for n in Network::ALL {
        let c = share::count(n, text);
        assert!(c <= text.len() * 2 + 23, "{n:?} counted {c} for {} bytes", text.len());
    }
    let _ = share::weighted_length_x(text);
    let _ = share::encode_component(text);
}

/// `serve`'s answer to one request, from `METHOD\nTARGET\nName: value\n…` (a `Host:
/// localhost` is added when the input has none): never a panic; a redirect is always an
/// ASCII address on the same origin, with no control character; a file is always a plain
/// path inside the preview folder; nothing but a refusal for an unknown `Host`.
pub fn serve_request(data: &[u8]) {
    use chorus::serve::request::{self, Decision, Entry, Hosts};
    let mut lines = data.split(|&b| b == b'\n');
    let method = String::from_utf8_lossy(lines.next().unwrap_or_default()).into_owned();
    let target = String::from_utf8_lossy(lines.next().unwrap_or_default()).into_owned();
    let mut headers: Vec<(String, Vec<u8>)> = lines
        .filter_map(|l| {
            let colon = l.iter().position(|&b| b == b':')?;
            Some((String::from_utf8_lossy(&l[..colon]).into_owned(), l[colon + 1..].to_vec()))
        })
        .collect();
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        headers.push(("Host".into(), b"localhost".to_vec()));
    }
    let headers: Vec<(&str, &[u8])> = headers.iter().map(|(n, v)| (n.as_str(), v.as_slice())).collect();
    let hosts = Hosts::new(std::net::Ipv4Addr::LOCALHOST.into(), &["phone.local".to_string()]);
    // A made-up folder: names with a dot are files, some others are missing, the rest folders.
    let look = |p: &Path| {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.contains('.') {
            Entry::File
        } else if name.len().is_multiple_of(5) {
            Entry::Missing
        } else {
            Entry::Folder
        }
    };
    let decision = request::decide(&method, &target, &headers, &hosts, &look);
    let host_ok = {
        let mut h = headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("host"));
        matches!((h.next(), h.next()), (Some((_, v)), None) if hosts.allows(v))
    };
    match &decision {
        Decision::UnknownHost => assert!(!host_ok),
        Decision::Redirect(location) => {
            assert!(request::safe_location(location), "unsafe Location {location:?} for {target:?}");
            assert!(!location.chars().any(|c| c.is_control()), "{location:?}");
            assert!(!location.starts_with("//") && !location.starts_with("/\\"), "{location:?}");
        }
        Decision::File(rel) => {
            assert!(rel.is_relative(), "{rel:?}");
            assert!(rel.components().all(|c| matches!(c, std::path::Component::Normal(_))), "{rel:?}");
            assert!(Path::new("/srv/out").join(rel).starts_with("/srv/out"), "{rel:?}");
        }
        _ => {}
    }
    if !matches!(decision, Decision::UnknownHost) {
        assert!(host_ok, "{decision:?} for a Host that is not allowed");
    }
}
