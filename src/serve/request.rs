//! What `serve` answers to one request, decided without sockets or the clock: the `Host`
//! check, the method, the path (traversal, control characters, the trailing-slash
//! redirect). Pure apart from the `look` callback that says what a path names, so that it
//! can be fuzzed (`fuzz/fuzz_targets/serve_request.rs`).
//!
//! Must not read files or build HTTP types: `http.rs` turns a [`Decision`] into a response.

use std::net::IpAddr;
use std::path::{Component, Path, PathBuf};

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

/// Longest request path accepted; real pages are far shorter.
pub const MAX_PATH: usize = 2048;

/// The names a request's `Host` may carry (without the port): loopback names, the bound
/// address, and those given with `--allow-host`. Never "any".
#[derive(Clone, Debug)]
pub struct Hosts {
    names: Vec<String>,
}

impl Hosts {
    pub fn new(bound: IpAddr, extra: &[String]) -> Hosts {
        let mut names: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "[::1]".into()];
        if !bound.is_unspecified() {
            names.push(host_name_of(bound));
        }
        names.extend(extra.iter().filter_map(|n| normalise_allowed(n)));
        names.sort();
        names.dedup();
        Hosts { names }
    }

    /// Whether the value of a `Host` header names this preview.
    pub fn allows(&self, host: &[u8]) -> bool {
        let Ok(host) = std::str::from_utf8(host) else { return false };
        let host = host.trim().to_ascii_lowercase();
        let (name, port) = if host.starts_with('[') {
            match host.split_once(']') {
                Some((name, rest)) => (format!("{name}]"), rest.strip_prefix(':').unwrap_or(rest)),
                None => return false,
            }
        } else {
            match host.split_once(':') {
                Some((name, port)) => (name.to_string(), port),
                None => (host.clone(), ""),
            }
        };
        port.bytes().all(|b| b.is_ascii_digit()) && port.len() <= 5 && self.names.contains(&name)
    }
}

/// How a `Host` header writes an address.
fn host_name_of(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    }
}

/// An `--allow-host` value as it appears in a `Host` header, or `None` when it cannot be
/// a host name (the command line refuses those before this).
pub fn normalise_allowed(name: &str) -> Option<String> {
    let name = name.trim().to_ascii_lowercase();
    if let Ok(ip) = name.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
        return Some(host_name_of(ip));
    }
    let ok = !name.is_empty()
        && name.len() <= 253
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !name.starts_with(['.', '-']);
    ok.then_some(name)
}

/// What a path inside the preview folder names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    File,
    Folder,
    Missing,
}

/// Serve's own files, never taken from the preview folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Own {
    LiveReload,
    OverlayCss,
    Events,
}

/// The answer to one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// 403: a `Host` this preview does not answer to (DNS rebinding).
    UnknownHost,
    /// 405: anything but GET and HEAD.
    MethodNotAllowed,
    /// 400: a path that could leave the folder, holds control characters, or is malformed.
    BadRequest,
    Own(Own),
    /// 200: this file, relative to the preview folder (only plain segments).
    File(PathBuf),
    /// 301 to this address: a folder asked for without its trailing slash.
    Redirect(String),
    /// 404 (the site's 404 page).
    NotFound,
}

/// Decides the answer to `method target` with `headers`. `look` says what a relative path
/// names in the preview folder. Never panics, whatever the bytes.
pub fn decide(
    method: &str,
    target: &str,
    headers: &[(&str, &[u8])],
    hosts: &Hosts,
    look: &dyn Fn(&Path) -> Entry,
) -> Decision {
    // Exactly one Host, and one of ours (two could disagree about the origin).
    let mut host_values = headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("host"));
    match (host_values.next(), host_values.next()) {
        (Some((_, value)), None) if hosts.allows(value) => {}
        _ => return Decision::UnknownHost,
    }
    if method != "GET" && method != "HEAD" {
        return Decision::MethodNotAllowed;
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let path = path.split('#').next().unwrap_or("");
    match path {
        "/__chorus/livereload.js" => return Decision::Own(Own::LiveReload),
        "/__chorus/overlay.css" => return Decision::Own(Own::OverlayCss),
        "/__chorus/events" => return Decision::Own(Own::Events),
        _ => {}
    }
    let Some(rel) = checked_path(path) else { return Decision::BadRequest };
    let folder_asked = path.ends_with('/') || rel.as_os_str().is_empty();
    if folder_asked {
        let index = rel.join("index.html");
        return if look(&index) == Entry::File { Decision::File(index) } else { Decision::NotFound };
    }
    match look(&rel) {
        Entry::File => Decision::File(rel),
        Entry::Folder => Decision::Redirect(folder_location(&rel, query)),
        Entry::Missing => Decision::NotFound,
    }
}

/// The request path as a relative path of plain segments, or `None` for anything that
/// could leave the folder or reach a header: `..` and `.` (encoded or not), `\`, a
/// leading `//`, invalid UTF-8, NUL and every other control character.
pub fn checked_path(path: &str) -> Option<PathBuf> {
    if path.len() > MAX_PATH || !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    if decoded.chars().any(|c| c.is_control() || c == '\\') || decoded.split('/').any(|seg| seg == "." || seg == "..") {
        return None;
    }
    let rel = Path::new(decoded.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    Some(rel.to_path_buf())
}

/// Encoded in a redirect's path segment: everything but unreserved and sub-delimiter
/// characters, so the address is ASCII and cannot be read as another host.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Encoded in a redirect's query: what could end the header or the query.
const QUERY: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'<').add(b'>').add(b'\\').add(b'`');

/// `/a/b/?query` for the folder `a/b`: built from checked plain segments, each
/// percent-encoded, so it always starts with one `/` followed by a segment.
fn folder_location(rel: &Path, query: Option<&str>) -> String {
    let mut location = String::from("/");
    for c in rel.components() {
        if let Component::Normal(seg) = c {
            location.extend(utf8_percent_encode(&seg.to_string_lossy(), SEGMENT));
            location.push('/');
        }
    }
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        location.push('?');
        location.extend(utf8_percent_encode(q, QUERY));
    }
    location
}

/// Whether `location` can go into a `Location` header as a same-origin address.
pub fn safe_location(location: &str) -> bool {
    let b = location.as_bytes();
    b.first() == Some(&b'/') && !matches!(b.get(1), Some(b'/' | b'\\')) && b.iter().all(|&c| (0x21..0x7f).contains(&c))
}

/// The `Content-Type` of a file served from the preview folder.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("xml") => "application/xml; charset=utf-8",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        Some("ics") => "text/calendar; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn hosts() -> Hosts {
        Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), &["Phone.Local".to_string()])
    }

    /// `tags/énergie` and `posts` are folders; `style.css` and every `index.html` files.
    fn look(p: &Path) -> Entry {
        let s = p.to_string_lossy();
        if s == "style.css" || s.ends_with("index.html") {
            Entry::File
        } else if ["tags/énergie", "posts", "evil.example"].contains(&s.as_ref()) {
            Entry::Folder
        } else {
            Entry::Missing
        }
    }

    fn get(target: &str) -> Decision {
        decide("GET", target, &[("Host", b"127.0.0.1:1111")], &hosts(), &look)
    }

    #[test]
    fn request_paths_stay_inside_the_output() {
        assert_eq!(get("/"), Decision::File("index.html".into()));
        assert_eq!(get("/posts/a/?x=1"), Decision::File("posts/a/index.html".into()));
        assert_eq!(get("/style.css"), Decision::File("style.css".into()));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/..%2f..%2fetc",
            "/a%5c..%5cb",
            "/a%00b",
            "/a/./b",
            "//posts",
            "/%ff",
            "posts",
        ] {
            assert_eq!(get(bad), Decision::BadRequest, "{bad}");
        }
        assert_eq!(get(&format!("/{}", "a".repeat(10_000))), Decision::BadRequest);
    }

    #[test]
    fn control_characters_never_reach_a_header() {
        for bad in ["/a%0d%0aSet-Cookie:%20x=1", "/%09/evil.example", "/a%7f", "/a%c2%85b", "/posts%0a"] {
            assert_eq!(get(bad), Decision::BadRequest, "{bad}");
        }
    }

    #[test]
    fn folders_redirect_to_an_encoded_address_with_the_query() {
        assert_eq!(get("/tags/%C3%A9nergie"), Decision::Redirect("/tags/%C3%A9nergie/".into()));
        assert_eq!(get("/posts?page=2&x=%20y"), Decision::Redirect("/posts/?page=2&x=%20y".into()));
        assert_eq!(get("/%2fevil.example"), Decision::Redirect("/evil.example/".into()));
        assert_eq!(get("/posts?a b\"<"), Decision::Redirect("/posts/?a%20b%22%3C".into()));
        for d in [get("/tags/%C3%A9nergie"), get("/%2fevil.example"), get("/posts?\u{e9}")] {
            let Decision::Redirect(l) = d else { panic!("{d:?}") };
            assert!(safe_location(&l), "{l}");
        }
    }

    #[test]
    fn hosts_are_loopback_the_bound_address_and_the_allowed_names() {
        let h = hosts();
        for ok in ["localhost", "LOCALHOST:1111", "127.0.0.1:1", "[::1]:80", "phone.local:1111"] {
            assert!(h.allows(ok.as_bytes()), "{ok}");
        }
        for bad in ["", "evil.example", "localhost.evil.example", "127.0.0.2", "0.0.0.0:1", "localhost:x", "[::1"] {
            assert!(!h.allows(bad.as_bytes()), "{bad}");
        }
        let any = Hosts::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), &[]);
        assert!(!any.allows(b"evil.example") && !any.allows(b"0.0.0.0") && any.allows(b"localhost"));
        let two = [("Host", &b"localhost"[..]), ("host", &b"evil.example"[..])];
        assert_eq!(decide("GET", "/", &two, &h, &look), Decision::UnknownHost);
        assert_eq!(decide("GET", "/", &[], &h, &look), Decision::UnknownHost);
        assert_eq!(decide("POST", "/", &[("Host", b"localhost")], &h, &look), Decision::MethodNotAllowed);
        assert_eq!(normalise_allowed("fe80::1"), Some("[fe80::1]".into()));
        assert_eq!(normalise_allowed("bad host"), None);
    }

    #[test]
    fn calendars_and_feeds_are_served_with_their_types() {
        assert_eq!(content_type(Path::new("causes/run/event.ics")), "text/calendar; charset=utf-8");
        assert_eq!(content_type(Path::new("feed.json")), "application/json");
    }
}
