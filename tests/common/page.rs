//! An output file read back as text, and the HTML helpers that read it.

/// An output page (or any output file read as text).
pub struct Page {
    pub path: String,
    pub html: String,
}

impl Page {
    pub fn has(&self, text: &str) -> &Page {
        assert!(self.html.contains(text), "{} should contain {text:?}; it is:\n{}", self.path, self.html);
        self
    }

    pub fn lacks(&self, text: &str) -> &Page {
        assert!(!self.html.contains(text), "{} should not contain {text:?}; it is:\n{}", self.path, self.html);
        self
    }

    /// The targets of every `href` on the page, with HTML escapes undone.
    pub fn hrefs(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = self.html.as_str();
        while let Some(i) = rest.find("href=\"") {
            rest = &rest[i + 6..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(unescape(&rest[..end]));
            rest = &rest[end..];
        }
        out
    }

    /// How many times `text` occurs on the page.
    pub fn count(&self, text: &str) -> usize {
        self.html.matches(text).count()
    }

    /// The `href` of every `<a>` or `<link>` with `rel="REL"` (among other values), in
    /// order, with HTML escapes undone.
    pub fn rel_links(&self, rel: &str) -> Vec<String> {
        let mut out = Vec::new();
        for tag in self.html.split('<').skip(1) {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            if !(tag.starts_with("a ") || tag.starts_with("link ")) {
                continue;
            }
            let rels = attribute(tag, "rel").unwrap_or_default();
            if rels.split_whitespace().any(|r| r == rel) {
                if let Some(href) = attribute(tag, "href") {
                    out.push(href);
                }
            }
        }
        out
    }

    pub fn links_to(&self, url: &str) -> bool {
        self.hrefs().iter().any(|h| h == url)
    }

    pub fn assert_links_to(&self, url: &str) -> &Page {
        assert!(self.links_to(url), "{} should link to {url}; its links are:\n{}", self.path, self.hrefs().join("\n"));
        self
    }

    pub fn assert_no_link_to(&self, url: &str) -> &Page {
        assert!(!self.links_to(url), "{} should not link to {url}", self.path);
        self
    }
}

/// The value of the double-quoted attribute `name` in the inside of a tag
/// (`a href="/x" rel="prev"`), with HTML escapes undone.
pub fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// Undoes HTML character references: the named ones templates and Markdown write, and every
/// numeric one (`&amp;` `&lt;` `&gt;` `&quot;` `&#39;` `&#x2F;` …), in one pass.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).map(|e| e + 1);
        let (name, len) = match end {
            Some(e) if rest[e..].starts_with(';') => (&rest[1..e], e + 1),
            Some(e) => (&rest[1..e], e),
            None => (&rest[1..], rest.len()),
        };
        let decoded = if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
            u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
        } else if let Some(num) = name.strip_prefix('#') {
            num.parse::<u32>().ok().and_then(char::from_u32)
        } else {
            match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A link as its address and its query parameters, percent-decoded, in order
/// (`https://x.example/share?text=a%20b` → `("https://x.example/share", [("text", "a b")])`).
pub fn split_query(href: &str) -> (String, Vec<(String, String)>) {
    let (address, query) = href.split_once('?').unwrap_or_else(|| panic!("no query in {href}"));
    let params = query
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or_else(|| panic!("`{pair}` in {href}"));
            let v = percent_encoding::percent_decode_str(v).decode_utf8().unwrap_or_else(|e| panic!("{v}: {e}"));
            (k.to_string(), v.into_owned())
        })
        .collect();
    (address.to_string(), params)
}
