//! Permalinks: the pattern of a post's address, `permalinks.posts` in `chorus.yaml`
//! (default `/posts/:slug/`), with the tokens `:year`, `:month`, `:day` and `:slug`.
//!
//! Owns what a pattern may be (it starts and ends with `/`, names `:slug`, stays inside the
//! site: no scheme, `..`, query, fragment or hidden segment) and how a post's date and slug
//! fill it in. Must not know about posts or the site: `site` resolves every post's address
//! once, through `resolve`, and everything else asks the site.

use chrono::Datelike;

/// One piece of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Year,
    Month,
    Day,
    Slug,
}

const TOKENS: [(&str, Part); 4] =
    [("year", Part::Year), ("month", Part::Month), ("day", Part::Day), ("slug", Part::Slug)];

/// A checked pattern of post addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Permalink {
    pattern: String,
    parts: Vec<Part>,
}

impl Default for Permalink {
    fn default() -> Permalink {
        Permalink::parse(DEFAULT).expect("the default pattern is valid")
    }
}

/// The pattern posts have unless the config says otherwise.
pub const DEFAULT: &str = "/posts/:slug/";

/// What is wrong with a pattern: the message, where in the pattern (byte offset, length),
/// and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub message: String,
    pub at: usize,
    pub len: usize,
    pub hint: String,
}

impl Permalink {
    /// Reads and checks a pattern such as `/:year/:month/:day/:slug/`.
    pub fn parse(pattern: &str) -> Result<Permalink, Refused> {
        let whole =
            |message: String, hint: &str| Refused { message, at: 0, len: pattern.len().max(1), hint: hint.into() };
        const HINT: &str = "write a path of this hub such as `/posts/:slug/` or `/:year/:month/:day/:slug/`";
        if pattern.contains("://") || pattern.starts_with("//") {
            return Err(whole(
                format!("the pattern `{pattern}` leaves the site: a post's address is a path of this hub"),
                HINT,
            ));
        }
        if !pattern.starts_with('/') {
            return Err(whole(format!("the pattern `{pattern}` does not start with `/`"), HINT));
        }
        if !pattern.ends_with('/') {
            return Err(whole(
                format!("the pattern `{pattern}` does not end with `/`"),
                "a post is a folder with its page and its files; end the pattern with `/` (old addresses like `/2016/05/09/survey.html` become `aliases:`)",
            ));
        }
        if let Some(at) =
            pattern.find(|c: char| matches!(c, '?' | '#' | '\\' | '%') || c.is_whitespace() || c.is_control())
        {
            return Err(Refused {
                message: format!(
                    "the pattern `{pattern}` has `{}`, which cannot be part of an address here",
                    &pattern[at..].chars().next().map(String::from).unwrap_or_default()
                ),
                at,
                len: 1,
                hint: "use letters, digits, `-`, `_`, `/` and the tokens `:year`, `:month`, `:day` and `:slug`".into(),
            });
        }
        let mut offset = 1;
        for seg in pattern[1..pattern.len() - 1].split('/') {
            if seg.is_empty() || seg == "." || seg == ".." || seg.starts_with('.') {
                return Err(Refused {
                    message: format!(
                        "the pattern `{pattern}` has the folder name `{seg}`, which leaves the site or is hidden"
                    ),
                    at: offset,
                    len: seg.len().max(1),
                    hint: HINT.into(),
                });
            }
            offset += seg.len() + 1;
        }
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = pattern;
        let mut pos = 0;
        while let Some(colon) = rest.find(':') {
            text.push_str(&rest[..colon]);
            let after = &rest[colon + 1..];
            let name_len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
            let name = &after[..name_len];
            match TOKENS.iter().find(|(t, _)| *t == name) {
                Some((_, part)) => {
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(part.clone());
                }
                None => {
                    let known = TOKENS.map(|(t, _)| t);
                    let hint = match crate::diagnostic::suggest(name, known.iter().copied()) {
                        Some(s) if !name.is_empty() => format!("did you mean `:{s}`?"),
                        _ => "the tokens are `:year`, `:month`, `:day` and `:slug`".to_string(),
                    };
                    return Err(Refused {
                        message: format!("the pattern `{pattern}` has an unknown token `:{name}`"),
                        at: pos + colon,
                        len: name_len + 1,
                        hint,
                    });
                }
            }
            pos += colon + 1 + name_len;
            rest = &after[name_len..];
        }
        text.push_str(rest);
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        if !parts.contains(&Part::Slug) {
            return Err(whole(
                format!("the pattern `{pattern}` has no `:slug`, so two posts could get the same address"),
                "put `:slug` in the pattern, e.g. `/:year/:month/:day/:slug/`",
            ));
        }
        Ok(Permalink { pattern: pattern.to_string(), parts })
    }

    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The address of a post with this slug, dated `date` (in the hub's time zone).
    pub fn resolve(&self, slug: &str, date: &impl Datelike) -> String {
        let mut out = String::with_capacity(self.pattern.len() + slug.len());
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Year => out.push_str(&format!("{:04}", date.year())),
                Part::Month => out.push_str(&format!("{:02}", date.month())),
                Part::Day => out.push_str(&format!("{:02}", date.day())),
                Part::Slug => out.push_str(slug),
            }
        }
        out
    }

    /// Whether the address is the slug alone under the root (`/:slug/`), so that posts share
    /// their addresses with the hub's pages and sections.
    pub fn at_root(&self) -> bool {
        self.parts.first() == Some(&Part::Text("/".into())) && self.parts.get(1) == Some(&Part::Slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn tokens_are_filled_in() {
        let p = Permalink::parse("/:year/:month/:day/:slug/").unwrap();
        assert_eq!(p.resolve("survey", &day(2016, 5, 9)), "/2016/05/09/survey/");
        assert_eq!(Permalink::default().resolve("a", &day(2026, 1, 1)), "/posts/a/");
        let p = Permalink::parse("/blog/:year-:month/:slug/").unwrap();
        assert_eq!(p.resolve("x", &day(2026, 11, 3)), "/blog/2026-11/x/");
        assert!(!p.at_root());
        assert!(Permalink::parse("/:slug/").unwrap().at_root());
    }

    #[test]
    fn bad_patterns_say_where_and_how_to_fix() {
        let e = Permalink::parse("/:year/:mnth/:slug/").unwrap_err();
        assert_eq!(e.message, "the pattern `/:year/:mnth/:slug/` has an unknown token `:mnth`");
        assert_eq!((e.at, e.len), (7, 5));
        assert_eq!(e.hint, "did you mean `:month`?");
        let e = Permalink::parse("/:year/:month/").unwrap_err();
        assert_eq!(e.message, "the pattern `/:year/:month/` has no `:slug`, so two posts could get the same address");
        assert!(Permalink::parse("https://elsewhere.example/:slug/").unwrap_err().message.contains("leaves the site"));
        assert!(Permalink::parse("//elsewhere.example/:slug/").is_err());
        assert!(Permalink::parse("/../:slug/").unwrap_err().message.contains("`..`"));
        assert!(Permalink::parse("/a//:slug/").is_err());
        assert!(Permalink::parse("posts/:slug/").is_err());
        assert!(Permalink::parse("/:year/:slug.html").unwrap_err().message.contains("does not end with `/`"));
        let e = Permalink::parse("/:slug/?x=1/").unwrap_err();
        assert_eq!((e.at, e.len), (7, 1));
    }
}
