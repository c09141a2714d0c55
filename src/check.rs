//! `chorus check`: everything `build` would report, without writing anything, plus the
//! lints of DESIGN §6 (share copy, cadence, consent).

use std::path::Path;

use crate::cards::Cards;
use crate::diagnostic::Code;
use crate::diagnostic::{self, Diagnostic};
use crate::render::{self, Audience, Renderer};
use crate::site::{self, Site};

/// How `check` reports warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Warnings {
    Reported,
    /// `--strict`: every warning is an error.
    AsErrors,
}

/// Every problem in the hub at `root`.
pub fn check(root: &Path, options: site::Options, warnings: Warnings) -> Vec<Diagnostic> {
    let (sites, mut diags) =
        Site::load_languages(root, options, &mut site::LoadCache::default(), &std::collections::HashSet::new());
    let Some(first) = sites.first() else { return diags };
    let tera = match render::load_templates(root, &first.config().theme) {
        Ok(tera) => Some(tera),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let translations =
        (sites.len() > 1).then(|| crate::translations::Translations::new(&sites, crate::build::section_pages));
    // Every language is checked as `build` makes it.
    for site in &sites {
        diags.extend(crate::lint::cadence(site));
        if let Some(tera) = &tera {
            let mut cards = Cards::new(site, None);
            let assets = crate::build::assets(site);
            // Images are checked as `build` publishes them, reusing the cache if there is one
            // (and never filling it: `check` writes nothing).
            let pictures = crate::images::Pictures::prepare(site, &assets, &mut cards, crate::images::CacheUse::Read);
            let mut renderer = Renderer::new(site, tera, &cards, Audience::Published);
            renderer.images = Some(&pictures.images);
            renderer.translations = translations.as_ref();
            let rendered = crate::build::render_all(&renderer, &|_| Ok(()), &crate::build::static_pages(&assets));
            diags.extend(crate::build::shadowed_pages(site, &assets, &rendered.paths));
            diags.extend(rendered.diagnostics);
            diags.extend(pictures.diagnostics(site));
            // Files left out for their errors have no page; their bodies are checked all the same.
            for r in site.rejected() {
                let body = crate::body::render_body(site, &r.file, crate::markdown::Highlight::On, None);
                diags.extend(body.diagnostics);
            }
        }
        diags.extend(crate::lint::copy(site));
        diags.extend(crate::avoid::check(site));
    }
    // A value a translation takes from its original is checked at the original.
    diags.retain(|d| d.line < crate::content::INHERITED_LINE);
    // A message over a network's limit is cut or refused when shared: an error here.
    for d in &mut diags {
        if d.code == Code::ShareTooLong {
            d.severity = diagnostic::Severity::Error;
        }
    }
    diagnostic::sort(&mut diags);
    diags.dedup();
    if warnings == Warnings::AsErrors {
        for d in &mut diags {
            d.severity = diagnostic::Severity::Error;
        }
    }
    diags
}
