//! The redirect pages of aliases: one small page per old address, pointing at the item's
//! address now (`alias::page`).
//!
//! An alias that takes the address of a page the hub makes for itself (a listing, a tag, a
//! feed) is an error at the alias, and its page is not written; the items' own addresses
//! were compared when the site was loaded.

use std::collections::HashSet;

use super::super::{output_file, Rendered, Renderer};
use crate::diagnostic::{Code, Diagnostic};
use crate::output::Output;

impl Renderer<'_> {
    /// Every redirect page whose file is not one of `written` (the pages already rendered).
    pub fn redirects(&self, written: &HashSet<&str>) -> Rendered {
        let site = self.site;
        let mut r = Rendered::none();
        for redirect in site.redirects() {
            let path = output_file(&redirect.from);
            if written.contains(path.as_str()) {
                let text = site
                    .posts()
                    .map(|(_, p)| &p.file)
                    .chain(site.causes().map(|(_, c)| &c.file))
                    .chain(site.pages().map(|(_, p)| &p.file))
                    .find(|f| f.rel == redirect.file)
                    .map_or_else(String::new, |f| f.text());
                r.diagnostics.push(
                    Diagnostic::error(
                        Code::AliasCollision,
                        format!("the alias `{}` is the address of a page the hub makes (/{path})", redirect.from),
                    )
                    .in_file(&redirect.file)
                    .at(&text, redirect.line, redirect.column, redirect.len)
                    .with_hint("remove this alias: that address already shows a page of the hub"),
                );
                continue;
            }
            let html = crate::alias::page(
                &redirect.to,
                &site.config().absolute(&redirect.to),
                &site.config().language,
                self.strings,
            );
            r.outputs.push(Output { path, html });
        }
        r
    }
}
