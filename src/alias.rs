//! Aliases: the old addresses of a post, cause or page (`aliases: ["/2016/05/09/survey.html",
//! "/old/path/"]`), each published as a small redirect page to where the item lives now.
//!
//! Owns what an alias may be (a path of this hub: no scheme, no host, no query or fragment,
//! no `..`, no hidden segment), its canonical site path and output file, and the redirect
//! page's HTML (a `<meta http-equiv="refresh">`, a `rel="canonical"` link, a visible link; no
//! script, the same strict Content Security Policy as every page). Must not decide whether two
//! aliases collide or an alias takes a page's address (that needs the whole site: `site`
//! checks items, `build` the hub's own pages), and must not list redirect pages anywhere
//! (sitemap, feeds).

use percent_encoding::percent_decode_str;

use crate::i18n::Strings;
use crate::markdown::escape_html;

/// The Content Security Policy of every published page (the theme's `base.html` carries the
/// same one).
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                       font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

const HINT: &str =
    "write the old address as a path of this hub, starting with `/`, like `/2016/05/09/survey.html` or `/old/path/`";

/// What is wrong with an alias, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub message: String,
    pub hint: String,
}

fn refused(message: impl Into<String>, hint: impl Into<String>) -> Refused {
    Refused { message: message.into(), hint: hint.into() }
}

/// The site path an alias names: percent-decoded (static hosts look up files by the decoded
/// path), starting with `/`; a last segment without a `.` is a folder and ends with `/`
/// (`/old/path` → `/old/path/`, published as `old/path/index.html`).
pub fn parse(written: &str) -> Result<String, Refused> {
    let a = written.trim();
    if a.is_empty() {
        return Err(refused("the alias is empty", HINT));
    }
    let lower = a.to_ascii_lowercase();
    let scheme = a.find(':').filter(|&c| a.find('/').is_none_or(|s| c < s));
    if a.starts_with("//") || scheme.is_some() || lower.starts_with("http") && lower.contains("://") {
        let path = url::Url::parse(a).ok().map(|u| u.path().to_string()).filter(|p| p.len() > 1);
        return Err(refused(
            format!("the alias `{a}` is an address with a scheme or a host; an alias is a path of this hub"),
            match path {
                Some(p) => format!("write only the path: `{p}`"),
                None => HINT.to_string(),
            },
        ));
    }
    if let Some(at) = a.find(['?', '#']) {
        let what = if a.as_bytes()[at] == b'?' { "a query (`?…`)" } else { "a fragment (`#…`)" };
        return Err(refused(
            format!("the alias `{a}` has {what}, which a static site cannot redirect"),
            format!("write the path alone: `{}`", &a[..at]),
        ));
    }
    if !a.starts_with('/') {
        return Err(refused(format!("the alias `{a}` does not start with `/`"), format!("write `/{a}`")));
    }
    if a.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') {
        return Err(refused(
            format!("the alias `{a}` contains spaces, `\\` or control characters"),
            "write spaces as `-` or `%20`, and separate folders with `/`",
        ));
    }
    if a == "/" {
        return Err(refused("the alias `/` is the hub's home page", HINT));
    }
    let folder = a.ends_with('/');
    let raw: Vec<&str> = a[1..].trim_end_matches('/').split('/').collect();
    let mut segments = Vec::with_capacity(raw.len());
    for seg in raw {
        let decoded = percent_decode_str(seg).decode_utf8().map_err(|_| {
            refused(
                format!("the alias `{a}` has `%` escapes that are not UTF-8 text"),
                "write the characters themselves",
            )
        })?;
        if decoded.is_empty() {
            return Err(refused(format!("the alias `{a}` has an empty folder name (`//`)"), "remove the extra `/`"));
        }
        if decoded == ".." || decoded == "." {
            return Err(refused(
                format!("the alias `{a}` uses `{decoded}`, which would lead out of its folder"),
                "write the full path from the site's root, without `.` or `..`",
            ));
        }
        if decoded.starts_with('.') {
            return Err(refused(
                format!("the alias `{a}` has a hidden name (`{decoded}`), which hosts do not serve"),
                "rename that part so that it does not start with `.`",
            ));
        }
        if decoded.chars().any(|c| c.is_control() || c == '/' || c == '\\') {
            return Err(refused(
                format!("the alias `{a}` spells `/`, `\\` or control characters with `%` escapes"),
                "write each folder of the path between `/`, without escapes for them",
            ));
        }
        segments.push(decoded.into_owned());
    }
    let last_is_file = !folder && segments.last().is_some_and(|s| s.contains('.'));
    let mut path = format!("/{}", segments.join("/"));
    if !last_is_file {
        path.push('/');
    }
    Ok(path)
}

/// The redirect page from an alias to `target` (a site path such as `/2016/05/09/survey/`),
/// whose absolute address is `absolute`. The page works without script: a `<meta
/// http-equiv="refresh">` moves the browser on, search engines follow the canonical link, and
/// a visible link is there for everything else. It shows nothing of the item but its address,
/// so it changes only when the address does. Its words are the theme's `strings`.
pub fn page(target: &str, absolute: &str, language: &str, strings: &Strings) -> String {
    let title = escape_html(&strings.fmt("redirect_title", &[("url", absolute)]));
    let (before, after) =
        strings.get("redirect_text").split_once("{link}").unwrap_or((strings.get("redirect_text"), ""));
    let (before, after) = (escape_html(before), escape_html(after));
    let (target, absolute, language) = (escape_html(target), escape_html(absolute), escape_html(language));
    format!(
        "<!doctype html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <title>{title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{absolute}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n\
         <body>\n<p>{before}<a href=\"{target}\">{absolute}</a>{after}</p>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_folders_keep_their_kind() {
        assert_eq!(parse("/2016/05/09/survey.html").unwrap(), "/2016/05/09/survey.html");
        assert_eq!(parse("/old/path/").unwrap(), "/old/path/");
        assert_eq!(parse(" /old/path ").unwrap(), "/old/path/");
        assert_eq!(parse("/caf%C3%A9/").unwrap(), "/café/");
        assert_eq!(parse("/café").unwrap(), "/café/");
        assert_eq!(parse("/v1.2/").unwrap(), "/v1.2/", "a trailing slash makes a folder of a dotted name");
        assert_eq!(parse("/v1.2").unwrap(), "/v1.2");
    }

    #[test]
    fn what_is_not_a_path_of_the_hub_is_refused_with_a_fix() {
        let e = parse("https://blog.example/2016/05/09/survey.html").unwrap_err();
        assert_eq!(
            e.message,
            "the alias `https://blog.example/2016/05/09/survey.html` is an address with a scheme or a host; an alias is a path of this hub"
        );
        assert_eq!(e.hint, "write only the path: `/2016/05/09/survey.html`");
        assert!(parse("//evil.example/x/").is_err());
        assert!(parse("javascript:alert(1)").is_err());
        let e = parse("/search?q=x").unwrap_err();
        assert_eq!(e.message, "the alias `/search?q=x` has a query (`?…`), which a static site cannot redirect");
        assert_eq!(e.hint, "write the path alone: `/search`");
        assert!(parse("/a/#top").unwrap_err().message.contains("a fragment"));
        let e = parse("/a/../../etc/").unwrap_err();
        assert_eq!(e.message, "the alias `/a/../../etc/` uses `..`, which would lead out of its folder");
        assert!(parse("/a/%2e%2e/b/").is_err(), "an encoded `..` is `..`");
        assert!(parse("/a%2fb/").is_err());
        assert!(parse("/a\\b/").is_err());
        assert!(parse("/a b/").is_err());
        assert!(parse("/.git/config").is_err());
        assert!(parse("/a//b/").is_err());
        assert!(parse("/").is_err());
        assert!(parse("").is_err());
        assert_eq!(parse("old/path/").unwrap_err().hint, "write `/old/path/`");
    }

    #[test]
    fn the_redirect_page_needs_no_script() {
        let html = page("/posts/a/", "https://v.example/posts/a/?<b>", "en", Strings::english());
        assert!(html.contains("<title>Moved to https://v.example/posts/a/?&lt;b&gt;</title>"));
        assert!(html.contains("<meta http-equiv=\"refresh\" content=\"0; url=/posts/a/\">"));
        assert!(html.contains("<link rel=\"canonical\" href=\"https://v.example/posts/a/?&lt;b&gt;\">"));
        assert!(html.contains("<a href=\"/posts/a/\">https://v.example/posts/a/?&lt;b&gt;</a>"));
        assert!(html.contains(&format!("content=\"{CSP}\"")));
        assert!(!html.contains("<script"));
    }
}
