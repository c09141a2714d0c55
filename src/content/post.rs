//! Reading a post (`content/posts/`) into a `Post`.
//!
//! Owns the keys a post may have, which are required, and the limits on one post (title
//! length, number of tags). Must not check anything that needs other files (authors exist,
//! slugs are unique, images exist): that is `site`'s work.

use chrono::FixedOffset;

use super::{read, Found, Post, Rejected, SourceFile, Via, MAX_TAGS, MAX_TITLE};
use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::fields::Fields;
use crate::frontmatter::Entry;
use crate::slug;

const KEYS: &[&str] = &[
    "title",
    "date",
    "author",
    "authors",
    "summary",
    "note",
    "tags",
    "image",
    "image_alt",
    "via",
    "share",
    "featured",
    "expires",
    "draft",
    "slug",
    "extra",
    "aliases",
];

pub(super) fn read(
    file: SourceFile,
    text: &str,
    fields: &[Entry],
    found: &Found,
    zone: FixedOffset,
    diags: &mut Vec<Diagnostic>,
) -> Result<Post, Rejected> {
    let src = file.src(text);
    let f = Fields::new(src, fields, KEYS, diags);
    let title = f.required_text("title", "add `title: …` with the post's title", diags);
    let date = f.date("date", zone, diags);
    if !f.has("date") {
        f.missing("date", "add `date: 2026-11-20` (the day it is published)", diags);
    }
    let authors = read::authors(&f, diags);
    if authors.is_empty() && !f.has("author") && !f.has("authors") {
        f.missing(
            "author",
            "add `author: your-id`, where `your-id` is the name of your file in `content/people/`",
            diags,
        );
    }
    let slug = read::slug(&f, found, read::DatePrefix::Strip, diags);
    let via = f.map("via", &["url", "name"], diags).and_then(|v| {
        let url = v.url("url", crate::fields::Relative::Refused, diags);
        if !v.has("url") {
            v.missing("url", "add `url: https://…`, the address of the original", diags);
        }
        let name = v.text("name", diags).map(|n| n.value);
        url.map(|u| Via { name: name.unwrap_or_else(|| host_of(&u.value)), url: u.value })
    });
    let summary = f.text("summary", diags).filter(|s| !s.value.trim().is_empty());
    let note = f.text("note", diags).map(|s| s.value).filter(|s| !s.trim().is_empty());
    let mut tags = f.list("tags", diags);
    let image = read::image(&f, "image", "image_alt", diags);
    let share = read::share(&f, diags);
    let featured = read::flag(&f, "featured", diags);
    let expires = f.date("expires", zone, diags).map(|d| d.value);
    let draft = f.bool("draft", diags).is_some_and(|d| d.value);
    let extra = f.extra();
    let aliases = read::aliases(&f, diags);
    let (Some(slug), Some(title), Some(date)) = (slug, title, date) else {
        return Err(Rejected::new(file, found, authors, image));
    };
    let mut title = title.value;
    if title.chars().count() > MAX_TITLE {
        let e = f.entry("title").expect("title was read");
        diags.push(
            src.error(
                Code::TitleTooLong,
                format!("the title is {} characters long", title.chars().count()),
                e.value.line,
                e.value.column,
                3,
            )
            .with_hint(format!("keep titles under {MAX_TITLE} characters; put the rest in `summary:` or the text")),
        );
    }
    if tags.len() > MAX_TAGS {
        let e = f.entry("tags").expect("tags were read");
        diags.push(
            src.error(Code::TooManyTags, format!("this post has {} tags", tags.len()), e.line, e.column, 4)
                .with_hint(format!("use at most {MAX_TAGS} tags: the few that say what the post is about")),
        );
    }
    // Keep going with a bounded post, so one hostile file cannot make the run crawl.
    tags.truncate(MAX_TAGS);
    if title.chars().count() > MAX_TITLE {
        title = title.chars().take(MAX_TITLE).collect();
    }
    for tag in &tags {
        if slug::slugify(&tag.value).is_empty() {
            diags.push(src.error(
                Code::BadTag,
                format!("the tag `{}` has no letters or digits", tag.value),
                tag.line,
                tag.column,
                tag.len,
            ));
        }
    }
    if authors.is_empty() {
        return Err(Rejected::new(file, found, authors, image));
    }
    Ok(Post {
        file,
        slug,
        title,
        date,
        authors,
        summary,
        note,
        tag_slugs: tags.iter().map(|t| slug::slugify(&t.value)).collect(),
        tags,
        image,
        via,
        share,
        featured,
        expires,
        draft,
        extra,
        assets: found.assets.clone(),
        bundle_dir: found.bundle_dir.clone(),
        aliases,
    })
}

fn host_of(url: &str) -> String {
    url.split("//").nth(1).and_then(|r| r.split('/').next()).unwrap_or(url).to_string()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::{load_bytes, Found, Item, Section};
    use crate::fields::Spanned;
    use crate::share::Network;

    fn post(text: &str) -> super::Post {
        let found = Found {
            path: "/hub/content/posts/p.md".into(),
            section: Section::Posts,
            bundle_dir: None,
            assets: vec![],
            translation: None,
        };
        let zone = chrono::FixedOffset::east_opt(0).unwrap();
        match load_bytes(Path::new("/hub"), &found, zone, text.as_bytes().to_vec()) {
            (Some(Item::Post(p)), _) => p,
            (_, d) => panic!("not a post: {d:?}"),
        }
    }

    fn at<T>(value: T, line: usize, column: usize, len: usize) -> Spanned<T> {
        Spanned { value, line, column, len }
    }

    #[test]
    fn values_that_diagnostics_point_at_keep_their_place() {
        let p = post(
            "---\ntitle: T\ndate: 2026-11-02\nauthor: ana\nsummary: The gist.\nfeatured: true\nshare:\n  text: \" Hello \"\n  \
             x: Short\n  variants:\n    - Another\n  hashtags: [\"#Solar\"]\n---\nBody\n",
        );
        assert_eq!(p.summary, Some(at("The gist.".to_string(), 5, 10, 9)));
        assert_eq!(p.featured, at(true, 6, 11, 4));
        // Trimmed, at the place written (quotes included).
        assert_eq!(p.share.text, Some(at("Hello".to_string(), 8, 9, 9)));
        assert_eq!(p.share.overrides, [(Network::X, at("Short".to_string(), 9, 6, 5))]);
        assert_eq!(p.share.variants, [at("Another".to_string(), 11, 7, 7)]);
        assert_eq!(p.share.hashtags, ["Solar"]);
    }

    #[test]
    fn a_post_not_featured_points_at_its_first_line() {
        let p = post("---\ntitle: T\ndate: 2026-11-02\nauthor: ana\n---\nfeatured: true\n");
        assert_eq!(p.featured, at(false, 1, 1, 3));
        assert_eq!(p.summary, None);
        let p = post("---\ntitle: T\ndate: 2026-11-02\nauthor: ana\nsummary: \"  \"\nfeatured: false\n---\n");
        assert_eq!(p.featured, at(false, 6, 11, 5));
        assert_eq!(p.summary, None, "a blank summary is no summary");
    }
}
