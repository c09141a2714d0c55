//! From another generator's front-matter values to the hub's keys: reading text, lists and
//! dates the ways Zola, Hugo and Jekyll write them, splitting author credits into people,
//! and writing the post's and the person's front matter.
//!
//! Owns the hub keys an import writes (`title`, `date`, `author`/`authors`, `summary`,
//! `tags`, `draft`, `aliases`; a person's `name` and `links`). Must not read files or know
//! which generator a key comes from: `sites` decides that.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde_json::{Map, Value};

use crate::frontmatter::quote;

/// A value as text: strings, and numbers written where text is meant (`title = 2026`).
pub fn text(fields: &Map<String, Value>, key: &str) -> Option<String> {
    match fields.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `fields[a][b]`.
pub fn nested<'a>(fields: &'a Map<String, Value>, a: &str) -> Option<&'a Map<String, Value>> {
    fields.get(a).and_then(Value::as_object)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// A single text value is one item.
    No,
    /// A single text value is a space-separated list (Jekyll's `tags: a b c`).
    Spaces,
}

/// A list of texts, or one text as a list.
pub fn list(fields: &Map<String, Value>, key: &str, split: Split) -> Vec<String> {
    match fields.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.trim().to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .filter(|s| !s.is_empty())
            .collect(),
        Some(Value::String(s)) if split == Split::Spaces => s.split_whitespace().map(str::to_string).collect(),
        Some(Value::String(s)) if !s.trim().is_empty() => vec![s.trim().to_string()],
        Some(Value::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

pub fn flag(fields: &Map<String, Value>, key: &str) -> Option<bool> {
    match fields.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim() {
            "true" | "yes" => Some(true),
            "false" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A date as the hub writes it: `2019-11-07`, `2019-11-07T10:00:00` (the hub's time zone)
/// or `2019-11-07T10:00:00+02:00`. Accepts what the three generators accept: RFC 3339, TOML
/// dates, Jekyll's `2013-05-06 02:12:52 +0200`, fractions of seconds.
pub fn date(written: &str) -> Option<String> {
    let s = written.trim().trim_matches('"');
    const FULL: &str = "%Y-%m-%dT%H:%M:%S%:z";
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.format(FULL).to_string());
    }
    for f in ["%Y-%m-%d %H:%M:%S%.f %z", "%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M %z"] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d.format(FULL).to_string());
        }
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
    let day = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok().filter(|_| s.len() == 10).map(|d| d.format("%Y-%m-%d").to_string())
}

/// A leading `YYYY-MM-DD` (then `-` or `_`) of a file name, and the rest.
pub fn date_prefix(stem: &str) -> Option<(String, &str)> {
    let day = stem.get(..10)?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    let rest = stem[10..].strip_prefix(['-', '_']).unwrap_or(&stem[10..]);
    Some((day.to_string(), rest))
}

/// The first `YYYY/MM/DD` in a path (`inside-rust/2019/11/07/Async-await-stable`).
pub fn date_in_path(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    parts.windows(3).find_map(|w| {
        let day = format!("{}-{}-{}", w[0], w[1], w[2]);
        let ok = w[0].len() == 4 && w[1].len() == 2 && w[2].len() == 2;
        NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok().filter(|_| ok).map(|_| day)
    })
}

/// One person credited on a post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credit {
    pub name: String,
    /// A profile address given with the name (`[Name](https://…)`, `{name, url}`).
    pub url: Option<String>,
}

/// The people in an author value: a list, a `{name, url}` map, or one text that may name
/// several people (`A, B and C`, `[A](https://…) (Company), [B](https://…)`).
pub fn credits(value: &Value) -> Vec<Credit> {
    match value {
        Value::String(s) => split_credits(s),
        Value::Array(items) => items.iter().flat_map(credits).collect(),
        Value::Object(m) => {
            let name = ["name", "display_name", "title"].iter().find_map(|k| text(m, k));
            let url = ["url", "link", "website", "homepage"].iter().find_map(|k| text(m, k));
            name.map(|name| vec![Credit { name, url }]).unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

fn split_credits(s: &str) -> Vec<Credit> {
    let s = s.trim().trim_matches(['"', '\'']);
    // With Markdown links, the people are the links (`[Name](https://…) (Company)`): the
    // text around them is affiliations. A link's text may add one (`[Name, Company](…)`).
    let mut linked = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|i| open + i) else { break };
        let Some(end) = rest[close..].find(')').map(|i| close + i) else { break };
        let text = &rest[open + 1..close];
        let name = text.split(',').next().unwrap_or(text);
        let url = rest[close + 2..end].trim();
        linked.push(Credit {
            name: clean_name(name),
            url: Some(url.to_string()).filter(|u| u.starts_with("https://") || u.starts_with("http://")),
        });
        rest = &rest[end + 1..];
    }
    if !linked.is_empty() {
        linked.retain(|c| !c.name.is_empty());
        return linked;
    }
    // Affiliations in parentheses are not part of a name.
    let mut clean = String::new();
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => clean.push(c),
            _ => {}
        }
    }
    let clean = clean.replace(" and ", ",").replace(" & ", ",").replace(['\n', ';'], ",");
    clean
        .split(',')
        .map(|n| clean_name(n.trim().trim_start_matches("and ")))
        .filter(|n| !n.is_empty())
        .map(|name| Credit { name, url: None })
        .collect()
}

/// A name without quotes, `@` or runs of spaces (folded YAML joins lines with spaces).
fn clean_name(name: &str) -> String {
    let name = name.trim().trim_matches(['"', '\'', '@']).trim();
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A person's id from their name: the slug of the name with accents left out, so that
/// `Laurent Quérel` and `Laurent Querel` are one person.
pub fn person_id(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = name.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).collect();
    crate::slug::slugify(&folded)
}

/// The name a profile link is shown under, from its address.
pub fn link_name(url: &str) -> &'static str {
    let host = url.split("//").nth(1).and_then(|r| r.split('/').next()).unwrap_or("");
    let host = host.trim_start_matches("www.");
    match host {
        "twitter.com" | "x.com" => "x",
        "github.com" => "github",
        "gitlab.com" => "gitlab",
        "linkedin.com" => "linkedin",
        "bsky.app" => "bluesky",
        _ => "website",
    }
}

/// The front matter of an imported post, in the hub's keys.
#[derive(Clone, Debug, Default)]
pub struct PostFields {
    pub title: String,
    pub date: String,
    pub authors: Vec<String>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub aliases: Vec<String>,
    /// The source's own keys, for templates.
    pub extra: Map<String, Value>,
}

impl PostFields {
    pub fn to_yaml(&self) -> String {
        let mut out = String::from("---\n");
        out.push_str(&format!("title: {}\n", quote(&self.title)));
        out.push_str(&format!("date: {}\n", self.date));
        match self.authors.as_slice() {
            [one] => out.push_str(&format!("author: {one}\n")),
            many => out.push_str(&format!("authors: [{}]\n", many.join(", "))),
        }
        if let Some(s) = &self.summary {
            out.push_str(&format!("summary: {}\n", quote(s)));
        }
        if !self.tags.is_empty() {
            out.push_str("tags:\n");
            for t in &self.tags {
                out.push_str(&format!("  - {}\n", quote(t)));
            }
        }
        if self.draft {
            out.push_str("draft: true\n");
        }
        if !self.aliases.is_empty() {
            out.push_str("aliases:\n");
            for a in &self.aliases {
                out.push_str(&format!("  - {}\n", quote(a)));
            }
        }
        if !self.extra.is_empty() {
            let yaml = serde_yaml::to_string(&Value::Object(self.extra.clone())).unwrap_or_default();
            out.push_str("extra:\n");
            for line in yaml.lines() {
                out.push_str("  ");
                out.push_str(line);
                out.push('\n');
            }
        }
        out.push_str("---\n");
        out
    }
}

/// The profile of someone credited on imported posts: no `consent`, which only the person
/// can give.
pub fn person_yaml(name: &str, url: Option<&str>) -> String {
    let mut out = format!("---\nname: {}\n", quote(name));
    if let Some(url) = url {
        out.push_str(&format!("links:\n  {}: {}\n", link_name(url), quote(url)));
    }
    out.push_str(&format!(
        "# Imported: nothing by {} is published until they add `consent: true` below,\n\
         # themselves, in a commit of their own.\n---\n",
        name.replace('\n', " ")
    ));
    out
}

/// Tags and categories as one list of tags, each once (by its address), in order.
pub fn merge_tags(groups: &[Vec<String>]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    groups
        .iter()
        .flatten()
        .filter(|t| {
            let s = crate::slug::slugify(t);
            !s.is_empty() && seen.insert(s)
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_the_hub_s_way() {
        assert_eq!(date("2019-11-07").as_deref(), Some("2019-11-07"));
        assert_eq!(date("2013-05-06 02:12:52 +0200").as_deref(), Some("2013-05-06T02:12:52+02:00"));
        assert_eq!(date("2019-05-15T00:00:00.000Z").as_deref(), Some("2019-05-15T00:00:00+00:00"));
        assert_eq!(date("2020-01-02T03:04:05").as_deref(), Some("2020-01-02T03:04:05"));
        assert_eq!(date("2020-01-02 03:04").as_deref(), Some("2020-01-02T03:04:00"));
        assert_eq!(date("2016-03-10 10:00:00 -0800").as_deref(), Some("2016-03-10T10:00:00-08:00"));
        assert_eq!(date("2020-02-30"), None);
        assert_eq!(date("last tuesday"), None);
        assert_eq!(date_prefix("2016-05-09-survey").unwrap(), ("2016-05-09".to_string(), "survey"));
        assert_eq!(date_prefix("survey"), None);
        assert_eq!(date_in_path("2019/11/07/Async-await-stable").as_deref(), Some("2019-11-07"));
        assert_eq!(date_in_path("inside-rust/2020/01/02/x").as_deref(), Some("2020-01-02"));
        assert_eq!(date_in_path("inside-rust/x"), None);
    }

    #[test]
    fn author_credits_become_people() {
        let names = |v: Value| credits(&v).into_iter().map(|c| c.name).collect::<Vec<_>>();
        assert_eq!(names(Value::from("Niko Matsakis")), ["Niko Matsakis"]);
        assert_eq!(names(Value::from("Ana Lee and Bo Chen")), ["Ana Lee", "Bo Chen"]);
        assert_eq!(names(serde_json::json!(["A B", "C"])), ["A B", "C"]);
        let c = credits(&Value::from(
            "[Juraci Paixão Kröhling](https://twitter.com/jpkrohling) (Grafana Labs), [Bo](https://github.com/bo) (X, Y)",
        ));
        assert_eq!(
            c[0],
            Credit { name: "Juraci Paixão Kröhling".into(), url: Some("https://twitter.com/jpkrohling".into()) }
        );
        assert_eq!(c[1].name, "Bo");
        assert_eq!(c.len(), 2);
        // Folded YAML, no commas between links, affiliations inside a link's text.
        let c = credits(&Value::from(
            "\"[Ann Lee](https://github.com/ann)(Elastic) [Bo\n  Chen](https://github.com/bo) (Google), [Cy Dow, Acme](https://x.com/cy)",
        ));
        assert_eq!(c.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["Ann Lee", "Bo Chen", "Cy Dow"]);
        assert_eq!(names(Value::from("\"Ernest Owojori")), ["Ernest Owojori"]);
        assert_eq!(person_id("Laurent Quérel"), person_id("Laurent Querel"));
        assert_eq!(person_id("Robert Pająk"), "robert-pajak");
        assert_eq!(link_name("https://twitter.com/jpkrohling"), "x");
        let c = credits(&serde_json::json!({"name": "Ann", "url": "https://ann.example"}));
        assert_eq!(c, [Credit { name: "Ann".into(), url: Some("https://ann.example".into()) }]);
    }

    #[test]
    fn post_front_matter_uses_the_hub_s_keys() {
        let f = PostFields {
            title: "Rust 1.0: stable".into(),
            date: "2015-05-15".into(),
            authors: vec!["ana".into(), "bo".into()],
            summary: Some("Short #1".into()),
            tags: vec!["release".into()],
            draft: true,
            aliases: vec!["/2015/05/15/Rust-1.0.html".into()],
            extra: serde_json::json!({"release": true, "team": "Core"}).as_object().unwrap().clone(),
        };
        assert_eq!(
            f.to_yaml(),
            "---\ntitle: 'Rust 1.0: stable'\ndate: 2015-05-15\nauthors: [ana, bo]\nsummary: 'Short #1'\ntags:\n  - release\n\
             draft: true\naliases:\n  - /2015/05/15/Rust-1.0.html\nextra:\n  release: true\n  team: Core\n---\n"
        );
        let p = person_yaml("Ana Lee", Some("https://github.com/ana"));
        assert!(p.starts_with("---\nname: Ana Lee\nlinks:\n  github: https://github.com/ana\n# Imported"), "{p}");
        assert!(!p.contains("\nconsent:"));
        assert_eq!(
            merge_tags(&[vec!["Open Source".into()], vec!["open-source".into(), "x".into()]]),
            ["Open Source", "x"]
        );
    }
}
