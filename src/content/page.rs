//! Reading a page (`content/pages/`) into a `Page`: an about page, a code of conduct, …
//!
//! Owns the keys a page may have and its place in the menu. Must not check that its address
//! is free (the hub's own pages, other pages): that is `site`'s work.

use super::{read, Found, Page, Rejected, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::fields::Fields;
use crate::frontmatter::{Entry, Yaml};

const KEYS: &[&str] = &["title", "summary", "menu", "slug", "extra", "aliases"];

pub(super) fn read(
    file: SourceFile,
    text: &str,
    fields: &[Entry],
    found: &Found,
    diags: &mut Vec<Diagnostic>,
) -> Result<Page, Rejected> {
    let f = Fields::new(file.src(text), fields, KEYS, diags);
    let title = f.required_text("title", "add `title: …`", diags);
    let menu = match f.entry("menu").map(|e| &e.value.value) {
        Some(Yaml::Bool(true)) => Some(0),
        Some(Yaml::Bool(false)) | None => None,
        Some(_) => f.integer("menu", diags).map(|n| n.value),
    };
    let slug = read::slug(&f, found, read::DatePrefix::Keep, diags);
    let summary = f.text("summary", diags);
    let extra = f.extra();
    let aliases = read::aliases(&f, diags);
    match (slug, title) {
        (Some(slug), Some(title)) => Ok(Page { slug, title: title.value, summary, menu, extra, aliases, file }),
        _ => Err(Rejected::new(file, found, Vec::new(), None)),
    }
}
