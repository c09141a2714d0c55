//! Readers shared by several kinds of content: the slug, an image, the `share:` block, the
//! authors, and `true`/`false` flags with their place.
//!
//! Owns how these keys are read and what is wrong with them. Must not decide which kind has
//! which keys (that is each kind's reader) nor look beyond the one file.

use super::{Found, ImageRef, ShareSpec};
use crate::config::network_list;
use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::fields::{Fields, Spanned};
use crate::frontmatter::Yaml;
use crate::share::Network;
use crate::slug;

const SHARE_KEYS: &[&str] = &[
    "text", "variants", "hashtags", "networks", "linkedin", "x", "bluesky", "mastodon", "threads", "facebook",
    "reddit", "whatsapp", "telegram", "email",
];

/// A `true`/`false` key with where it is written. Absent, it is `false` at the start of the
/// file (where messages about a missing key point); not `true`/`false` (already reported),
/// it is `false` where it is written.
pub(super) fn flag(f: &Fields, key: &str, diags: &mut Vec<Diagnostic>) -> Spanned<bool> {
    f.bool(key, diags).unwrap_or_else(|| match f.entry(key) {
        Some(e) => Spanned { value: false, line: e.value.line, column: e.value.column, len: e.value.len },
        None => Spanned { value: false, line: 1, column: 1, len: 3 },
    })
}

/// A file's stem, or its bundle folder's name.
pub(super) fn stem(found: &Found) -> String {
    // A translation (`post.de.md`) is named after its original.
    let own = found.translation.as_ref().map_or(&found.path, |t| &t.original);
    let p = found.bundle_dir.as_deref().unwrap_or(own);
    let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    match found.bundle_dir {
        Some(_) => name,
        None => name.strip_suffix(".md").unwrap_or(&name).to_string(),
    }
}

/// Whether a file name's leading date (`2026-11-03-heat-pumps.md`) is part of its slug:
/// posts and causes are dated by name, pages are not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DatePrefix {
    Strip,
    Keep,
}

/// The slug from `slug:` or from the file name, checked to be one safe path segment.
pub(super) fn slug(
    f: &Fields,
    found: &Found,
    date_prefix: DatePrefix,
    diags: &mut Vec<Diagnostic>,
) -> Option<Spanned<String>> {
    let strip_date = date_prefix == DatePrefix::Strip;
    if let Some(s) = f.text("slug", diags) {
        if slug::is_safe_segment(&s.value) {
            return Some(s);
        }
        let suggestion = slug::slugify(&s.value);
        let mut d = f.src.error(
            Code::BadSlug,
            format!("the slug `{}` is not a single, simple URL segment", s.value),
            s.line,
            s.column,
            s.len,
        );
        d = if suggestion.is_empty() {
            d.with_hint("use lowercase letters, digits and `-`, e.g. `slug: my-post`")
        } else {
            d.with_hint(format!("use lowercase letters, digits and `-`: `slug: {suggestion}`"))
        };
        diags.push(d);
        return None;
    }
    let stem = stem(found);
    let base = if strip_date { slug::strip_date_prefix(&stem) } else { &stem };
    let s = slug::slugify(base);
    if s.is_empty() {
        diags.push(
            f.src
                .error(Code::BadSlug, format!("the file name `{stem}` gives no usable URL"), 1, 1, 3)
                .with_hint("rename the file with letters or digits, or add `slug: my-post`"),
        );
        return None;
    }
    Some(Spanned { value: s, line: 1, column: 1, len: 3 })
}

/// `aliases:`, the item's old addresses, each as the site path it names (`alias::parse`);
/// a bad one is left out with an error at its place.
pub(super) fn aliases(f: &Fields, diags: &mut Vec<Diagnostic>) -> Vec<Spanned<String>> {
    let mut out: Vec<Spanned<String>> = Vec::new();
    for a in f.list("aliases", diags) {
        match crate::alias::parse(&a.value) {
            Ok(path) if out.iter().any(|o| o.value == path) => diags.push(
                f.src
                    .warning(
                        Code::AliasCollision,
                        format!("the alias `{}` is listed twice", a.value),
                        a.line,
                        a.column,
                        a.len,
                    )
                    .with_hint("remove one of them"),
            ),
            Ok(path) => out.push(Spanned { value: path, ..a }),
            Err(why) => {
                diags.push(f.src.error(Code::BadAlias, why.message, a.line, a.column, a.len).with_hint(why.hint))
            }
        }
    }
    out
}

/// An image and its alt text, both required together; only paths inside the hub.
pub(super) fn image(f: &Fields, key: &str, alt_key: &str, diags: &mut Vec<Diagnostic>) -> Option<ImageRef> {
    let src = f.text(key, diags);
    let alt = f.text(alt_key, diags);
    match (src, alt) {
        (Some(src), Some(alt)) if !alt.value.trim().is_empty() => {
            let value = src.value.trim();
            if crate::fields::is_external(value) {
                diags.push(
                    f.src
                        .error(Code::ExternalImage, format!("`{key}` points to another website"), src.line, src.column, src.len)
                        .with_hint("put the image in the hub (beside the post in a bundle folder, or under `static/`) so readers' browsers make no request elsewhere"),
                );
                return None;
            }
            if let Err(why) = crate::fields::check_url(value, crate::fields::Relative::Allowed) {
                diags.push(f.src.error(Code::BadUrl, format!("`{key}`: {why}"), src.line, src.column, src.len));
                return None;
            }
            if value.split(['/', '\\']).any(|seg| seg == "..") || value.contains('\\') {
                diags.push(
                    f.src
                        .error(Code::PathEscape, format!("`{key}` may not use `..` or `\\`"), src.line, src.column, src.len)
                        .with_hint("name the image relative to this file (`cover.png`) or from the site root (`/images/cover.png`)"),
                );
                return None;
            }
            Some(ImageRef { src, alt: alt.value })
        }
        (Some(src), _) => {
            diags.push(
                f.src
                    .error(Code::MissingAlt, format!("`{key}` has no `{alt_key}`"), src.line, src.column, src.len)
                    .with_hint(format!("add `{alt_key}: …` describing the image for people who cannot see it")),
            );
            None
        }
        (None, Some(alt)) => {
            diags.push(f.src.warning(
                Code::AltWithoutImage,
                format!("`{alt_key}` is set but there is no `{key}`"),
                alt.line,
                alt.column,
                alt.len,
            ));
            None
        }
        (None, None) => None,
    }
}

/// The `share:` block; problems in it leave out the part they are in.
pub(super) fn share(f: &Fields, diags: &mut Vec<Diagnostic>) -> ShareSpec {
    let Some(s) = f.map("share", SHARE_KEYS, diags) else { return ShareSpec::default() };
    let mut spec = ShareSpec { text: non_empty(&s, "text", diags), ..ShareSpec::default() };
    for v in s.list("variants", diags) {
        if v.value.trim().is_empty() {
            diags.push(
                f.src
                    .error(Code::EmptyVariant, "this suggested message is empty", v.line, v.column, v.len)
                    .with_hint("write a message, or remove the empty item from `share.variants`"),
            );
        } else {
            spec.variants.push(Spanned { value: v.value.trim().to_string(), ..v });
        }
    }
    for n in Network::ALL {
        if let Some(t) = non_empty(&s, n.id(), diags) {
            spec.overrides.push((n, t));
        }
    }
    for tag in s.list("hashtags", diags) {
        let t = tag.value.trim().trim_start_matches('#');
        if t.is_empty() || !t.chars().all(|c| c.is_alphanumeric() || c == '_') {
            diags.push(
                f.src
                    .error(Code::BadHashtag, format!("`{}` is not a hashtag", tag.value), tag.line, tag.column, tag.len)
                    .with_hint(
                        "a hashtag is one word of letters, digits or `_`, without spaces, e.g. `CommunityEnergy`",
                    ),
            );
        } else {
            spec.hashtags.push(t.to_string());
        }
    }
    if s.entry("networks").is_some() {
        spec.networks = Some(network_list(&s, "networks", diags));
    }
    spec
}

fn non_empty(f: &Fields, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<String>> {
    let t = f.text(key, diags)?;
    if t.value.trim().is_empty() {
        diags.push(
            f.src
                .error(Code::EmptyValue, format!("`share.{key}` is empty"), t.line, t.column, t.len)
                .with_hint("write the message, or remove the key"),
        );
        return None;
    }
    Some(Spanned { value: t.value.trim().to_string(), ..t })
}

/// `author:` or `authors:` (not both), each person once.
pub(super) fn authors(f: &Fields, diags: &mut Vec<Diagnostic>) -> Vec<Spanned<String>> {
    let mut authors = f.list("author", diags);
    let more = f.list("authors", diags);
    if !authors.is_empty() && !more.is_empty() {
        let e = f.entry("authors").expect("authors was read");
        diags.push(
            f.src
                .error(Code::AuthorAndAuthors, "use either `author` or `authors`, not both", e.line, e.column, 7)
                .with_hint("list everyone under `authors: [ana, ben]`"),
        );
    }
    // `authors: []` (or an empty `author:`) names nobody: without this, the post would be
    // left out without a word.
    for key in ["author", "authors"] {
        let Some(e) = f.entry(key) else { continue };
        let nobody = match &e.value.value {
            Yaml::Null => true,
            Yaml::Seq(items) => items.is_empty(),
            Yaml::String(s) => s.trim().is_empty(),
            _ => false,
        };
        if nobody {
            diags.push(
                f.src
                    .error(Code::EmptyValue, format!("`{key}` names nobody"), e.line, e.column, key.len())
                    .with_hint("write the id of at least one person, e.g. `author: ana` (the name of their file in `content/people/`)"),
            );
        }
    }
    authors.extend(more);
    let mut seen = std::collections::HashSet::new();
    authors.retain(|a| seen.insert(a.value.clone()));
    authors
}
