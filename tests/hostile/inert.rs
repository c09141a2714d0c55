//! Checks that content is *inert* in what Chorus writes: no script but the site's own, no
//! event handlers, no dangerous URL schemes, JSON-LD that parses and cannot close its
//! element, Atom feeds that parse and whose HTML is itself inert, share links whose values
//! are fully percent-encoded.
//!
//! The HTML reader here is deliberately small and strict: it finds every tag the way a
//! browser's tokenizer would (outside comments and raw-text elements), so a payload that
//! escaped its escaping shows up as a real tag or attribute.

use crate::common::unescape;
use std::str::FromStr;

/// One start tag: its lowercase name and attributes (names lowercase, values decoded).
#[derive(Clone, Debug)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// The raw text of the element for `<script>` (its content), else empty.
    pub raw_content: String,
    /// Byte offset in the document, for messages.
    pub at: usize,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.to_ascii_lowercase().find(&needle.to_ascii_lowercase())
}

/// Every start tag of `html`, as a browser would tokenize it.
pub fn tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            i += rest.find("-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") || rest.starts_with("</") {
            i += rest.find('>').map_or(rest.len(), |e| e + 1);
            continue;
        }
        if !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        // The tag name.
        let name_end =
            rest[1..].find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>').map_or(rest.len(), |e| e + 1);
        let name = rest[1..name_end].to_ascii_lowercase();
        let mut j = name_end;
        let rb = rest.as_bytes();
        let mut attrs = Vec::new();
        loop {
            while j < rb.len() && (rb[j].is_ascii_whitespace() || rb[j] == b'/') {
                j += 1;
            }
            if j >= rb.len() || rb[j] == b'>' {
                j += 1;
                break;
            }
            let a_start = j;
            while j < rb.len() && !(rb[j].is_ascii_whitespace() || rb[j] == b'/' || rb[j] == b'>' || rb[j] == b'=') {
                j += 1;
            }
            let a_name = rest[a_start..j].to_ascii_lowercase();
            while j < rb.len() && rb[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = String::new();
            if j < rb.len() && rb[j] == b'=' {
                j += 1;
                while j < rb.len() && rb[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < rb.len() && (rb[j] == b'"' || rb[j] == b'\'') {
                    let q = rb[j];
                    let v_start = j + 1;
                    j = v_start;
                    while j < rb.len() && rb[j] != q {
                        j += 1;
                    }
                    value = unescape(&rest[v_start..j.min(rb.len())]);
                    j += 1;
                } else {
                    let v_start = j;
                    while j < rb.len() && !(rb[j].is_ascii_whitespace() || rb[j] == b'>') {
                        j += 1;
                    }
                    value = unescape(&rest[v_start..j]);
                }
            }
            attrs.push((a_name, value));
        }
        let mut raw_content = String::new();
        // Raw text and escapable raw text: their content holds no tags.
        if matches!(
            name.as_str(),
            "script" | "style" | "textarea" | "title" | "xmp" | "iframe" | "noembed" | "noframes"
        ) {
            let body = &rest[j.min(rest.len())..];
            let close = find_ci(body, &format!("</{name}")).unwrap_or(body.len());
            if name == "script" {
                raw_content = body[..close].to_string();
            }
            j += close;
        }
        out.push(Tag { name, attrs, raw_content, at: i });
        i += j.max(1);
    }
    out
}

/// Attributes whose value a browser follows as a URL.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "poster",
    "data",
    "cite",
    "background",
    "xlink:href",
    "ping",
    "manifest",
];

/// Whether a URL (as the browser sees it: spaces and control characters inside the scheme
/// are ignored) runs script or is a document of its own.
pub fn dangerous_url(value: &str) -> bool {
    let squeezed: String =
        value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    ["javascript:", "data:", "vbscript:"].iter().any(|s| squeezed.starts_with(s))
}

/// Whether an attribute value holds a dangerous URL (`srcset` holds several).
fn dangerous_attr(name: &str, value: &str) -> bool {
    if name == "srcset" {
        value.split(',').any(|candidate| dangerous_url(candidate.trim()))
    } else {
        dangerous_url(value)
    }
}

fn context(html: &str, at: usize) -> String {
    let mut start = at.saturating_sub(120);
    while !html.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 240).min(html.len());
    while !html.is_char_boundary(end) {
        end += 1;
    }
    html[start..end].to_string()
}

/// Asserts that a whole HTML page carries no active content but the site's own: scripts only
/// `src="/chorus.js"`, `src="/search.js"` and `application/ld+json` (whose blocks parse and
/// cannot end early), no `on…` attributes, no `javascript:`/`data:`/`vbscript:` URLs, no
/// frames, objects, forms but the search box (GET to `/search/`),
/// `<base>` or refreshes. Returns the JSON-LD blocks, parsed.
pub fn assert_page_inert(path: &str, html: &str) -> Vec<serde_json::Value> {
    let mut json_ld = Vec::new();
    for tag in tags(html) {
        let here = || format!("{path}: at byte {}:\n{}", tag.at, context(html, tag.at));
        match tag.name.as_str() {
            "script" => {
                let src = tag.attr("src");
                let kind = tag.attr("type");
                if (src == Some("/chorus.js") || src == Some("/search.js")) && kind.is_none() {
                    assert!(tag.raw_content.trim().is_empty(), "the site script has inline content: {}", here());
                } else if kind == Some("application/ld+json") && src.is_none() {
                    let raw = &tag.raw_content;
                    assert!(find_ci(raw, "<!--").is_none(), "a JSON-LD block holds `<!--`: {}", here());
                    assert!(!raw.contains('<'), "a JSON-LD block holds a raw `<`: {}", here());
                    let v: serde_json::Value = serde_json::from_str(raw)
                        .unwrap_or_else(|e| panic!("a JSON-LD block does not parse ({e}): {}", here()));
                    json_ld.push(v);
                } else {
                    panic!("a script that is not the site's own: {:?}: {}", tag.attrs, here());
                }
            }
            // The theme's search box: a GET form to the site's own search page.
            "form" if tag.attr("action") == Some("/search/") && tag.attr("method") == Some("get") => {}
            "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "base" | "form" | "style" | "math" => {
                panic!("a <{}> element: {}", tag.name, here())
            }
            "meta" if tag.attr("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh")) => {
                panic!("a meta refresh: {}", here())
            }
            _ => {}
        }
        for (name, value) in &tag.attrs {
            assert!(!name.starts_with("on"), "an event-handler attribute `{name}` on <{}>: {}", tag.name, here());
            assert!(name != "style", "an inline style (the CSP forbids it) on <{}>: {}", tag.name, here());
            if URL_ATTRS.contains(&name.as_str()) {
                assert!(!dangerous_attr(name, value), "a `{name}` with a dangerous URL {value:?}: {}", here());
            }
            if name == "content" && tag.name == "meta" && tag.attr("http-equiv").is_some() {
                assert!(!dangerous_url(value), "a meta http-equiv with a dangerous URL: {}", here());
            }
        }
    }
    json_ld
}

/// Asserts the same of an HTML fragment (feed content, a rendered body).
pub fn assert_fragment_inert(what: &str, html: &str) {
    for tag in tags(html) {
        let here = || format!("{what}: at byte {}:\n{}", tag.at, context(html, tag.at));
        assert!(
            !matches!(
                tag.name.as_str(),
                "script"
                    | "iframe"
                    | "frame"
                    | "object"
                    | "embed"
                    | "applet"
                    | "base"
                    | "form"
                    | "style"
                    | "meta"
                    | "link"
                    | "math"
            ),
            "a <{}> element: {}",
            tag.name,
            here()
        );
        for (name, value) in &tag.attrs {
            assert!(!name.starts_with("on"), "an event-handler attribute `{name}`: {}", here());
            assert!(name != "style", "an inline style (the CSP forbids it): {}", here());
            if URL_ATTRS.contains(&name.as_str()) {
                assert!(!dangerous_attr(name, value), "a `{name}` with a dangerous URL {value:?}: {}", here());
            }
        }
    }
}

/// Parses an Atom feed, asserting what holds whatever the content: the raw XML has no
/// unescaped `<script` and no character XML forbids, and it parses as Atom.
pub fn parse_feed(path: &str, xml: &str) -> atom_syndication::Feed {
    assert!(find_ci(xml, "<script").is_none(), "{path}: an unescaped `<script` in the XML:\n{xml}");
    if let Some(c) = xml.chars().find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        panic!("{path}: the character {c:?}, which XML 1.0 forbids, is in the feed");
    }
    atom_syndication::Feed::from_str(xml).unwrap_or_else(|e| panic!("{path} is not a valid Atom feed: {e}\n{xml}"))
}

/// Parses an Atom feed and asserts it is inert: [`parse_feed`], and the HTML it carries is
/// itself inert, and its links are plain. Returns the feed.
pub fn assert_feed_inert(path: &str, xml: &str) -> atom_syndication::Feed {
    let feed = parse_feed(path, xml);
    for entry in feed.entries() {
        if let Some(html) = entry.content().and_then(|c| c.value()) {
            assert_fragment_inert(&format!("{path}: content of {}", entry.id()), html);
        }
        for link in entry.links() {
            assert!(!dangerous_url(link.href()), "{path}: a link to {:?}", link.href());
        }
    }
    feed
}

/// The JSON-LD blocks of a page, each asserted to parse and to hold no `<` (so it cannot end
/// its element early), whatever else the page holds.
pub fn json_ld_blocks(path: &str, html: &str) -> Vec<serde_json::Value> {
    tags(html)
        .into_iter()
        .filter(|t| t.name == "script" && t.attr("type") == Some("application/ld+json"))
        .map(|t| {
            assert!(!t.raw_content.contains('<'), "{path}: a JSON-LD block holds a raw `<`: {}", t.raw_content);
            serde_json::from_str(&t.raw_content)
                .unwrap_or_else(|e| panic!("{path}: a JSON-LD block does not parse ({e}): {}", t.raw_content))
        })
        .collect()
}

/// Asserts a sitemap holds nothing but `<loc>` URLs under `base`, made of safe characters.
pub fn assert_sitemap_inert(xml: &str, base: &str) {
    assert!(find_ci(xml, "<script").is_none(), "sitemap.xml: an unescaped `<script`:\n{xml}");
    let mut count = 0;
    for part in xml.split("<loc>").skip(1) {
        let url = &part[..part.find("</loc>").expect("a closed <loc>")];
        let path = url.strip_prefix(base).unwrap_or_else(|| panic!("sitemap.xml: {url} is not under {base}"));
        assert!(
            path.starts_with('/') && path.chars().all(|c| c.is_alphanumeric() || "/-_.~%".contains(c)),
            "sitemap.xml: an unexpected URL {url}"
        );
        count += 1;
    }
    assert!(count > 0, "sitemap.xml lists nothing:\n{xml}");
}

/// A share link taken apart: its base and its parameters, each value checked to be fully
/// percent-encoded (nothing but `A-Za-z0-9-._~` and `%XX`) and then decoded.
#[derive(Debug)]
pub struct ShareLink {
    pub base: String,
    pub params: Vec<(String, String)>,
}

impl ShareLink {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

pub fn share_link(href: &str) -> ShareLink {
    let (base, query) = href.split_once('?').unwrap_or_else(|| panic!("a share link without parameters: {href}"));
    assert!(base.starts_with("https://") || base == "mailto:", "a share link that is neither https nor mailto: {href}");
    let params = query
        .split('&')
        .map(|pair| {
            let (name, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let bytes = raw.as_bytes();
            let mut k = 0;
            while k < bytes.len() {
                let b = bytes[k];
                if b == b'%' {
                    assert!(
                        k + 2 < bytes.len() && bytes[k + 1].is_ascii_hexdigit() && bytes[k + 2].is_ascii_hexdigit(),
                        "a bad escape in {name}={raw} of {href}"
                    );
                    k += 3;
                    continue;
                }
                // X's `hashtags` separates its (encoded) values with commas.
                let ok = b.is_ascii_alphanumeric() || b"-._~".contains(&b) || (name == "hashtags" && b == b',');
                assert!(ok, "the character {:?} is not percent-encoded in {name}={raw} of {href}", b as char);
                k += 1;
            }
            let decoded = percent_encoding::percent_decode_str(raw)
                .decode_utf8()
                .unwrap_or_else(|e| panic!("{name} of {href} is not UTF-8 once decoded: {e}"))
                .into_owned();
            (name.to_string(), decoded)
        })
        .collect();
    ShareLink { base: base.to_string(), params }
}

/// The `href` of every share button of a page (`<a class="share-link">`), decoded.
pub fn share_hrefs(html: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .filter(|t| t.name == "a" && t.attr("class").is_some_and(|c| c.split_whitespace().any(|c| c == "share-link")))
        .map(|t| t.attr("href").expect("a share link has an href").to_string())
        .collect()
}

/// The text of every `<textarea class="share-message">` (the copy-text messages), decoded.
pub fn share_messages(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<textarea") {
        rest = &rest[i..];
        let open_end = rest.find('>').expect("a closed textarea tag") + 1;
        let close = rest.find("</textarea>").expect("a closed textarea");
        if rest[..open_end].contains("share-message") {
            out.push(unescape(&rest[open_end..close]));
        }
        rest = &rest[close..];
    }
    out
}

/// The text inside the first `<title>`, decoded.
pub fn title_of(html: &str) -> String {
    let start = html.find("<title>").expect("a <title>") + 7;
    let end = html[start..].find("</title>").expect("a closed <title>") + start;
    unescape(&html[start..end])
}

/// Sanity checks of the checker itself: it must catch what it is there to catch.
pub fn self_test() {
    let caught = |html: &str| std::panic::catch_unwind(|| assert_page_inert("t", html)).is_err();
    assert!(caught("<p>x</p><script>alert(1)</script>"));
    assert!(caught("<img src=x onerror=alert(1)>"));
    assert!(caught("<a href=\"&#x6A;avascript:alert(1)\">x</a>"));
    assert!(caught("<a href=\"java\tscript:alert(1)\">x</a>"));
    assert!(caught("<a href='data:text/html,x'>x</a>"));
    assert!(caught("<p title=\"\" onmouseover='alert(1)'>x</p>"));
    assert!(caught("<script type=\"application/ld+json\">{\"a\":\"</b>\"}</script>"));
    assert!(caught("<iframe src=\"/x\"></iframe>"));
    assert!(caught("<h1 style=\"color:red\">x</h1>"));
    assert!(!caught(
        "<meta content=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\"><p>&lt;script&gt;alert(1)&lt;/script&gt; \
         javascript:alert(1)</p><script src=\"/chorus.js\" defer></script>\
         <script type=\"application/ld+json\">{\"a\":\"\\u003c/script\\u003e\"}</script>\
         <textarea>&lt;img src=x onerror=alert(1)&gt;</textarea>"
    ));
    assert!(std::panic::catch_unwind(|| share_link("https://x.com/intent/tweet?text=a<b")).is_err());
    assert_eq!(share_link("https://x.com/intent/tweet?text=a%3Cb%20c").param("text"), Some("a<b c"));
}
