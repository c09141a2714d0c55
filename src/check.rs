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
    let (site, mut diags) = Site::load(root, options);
    let Some(site) = site else { return diags };
    diags.extend(crate::lint::cadence(&site));
    match render::load_templates(root, &site.config().theme) {
        Ok(tera) => {
            let mut cards = Cards::new(&site, None);
            let assets = crate::build::assets(&site);
            // Images are checked as `build` publishes them, reusing the cache if there is one
            // (and never filling it: `check` writes nothing).
            let pictures = crate::images::Pictures::prepare(&site, &assets, &mut cards, crate::images::CacheUse::Read);
            let mut renderer = Renderer::new(&site, &tera, &cards, Audience::Published);
            renderer.images = Some(&pictures.images);
            let rendered = crate::build::render_all(&renderer, &|_| Ok(()), &crate::build::static_pages(&assets));
            diags.extend(crate::build::shadowed_pages(&site, &assets, &rendered.paths));
            diags.extend(rendered.diagnostics);
            diags.extend(pictures.diagnostics(&site));
            // Files left out for their errors have no page; their bodies are checked all the same.
            for r in site.rejected() {
                let body = crate::body::render_body(&site, &r.file, crate::markdown::Highlight::On, None);
                diags.extend(body.diagnostics);
            }
        }
        Err(d) => diags.extend(d),
    }
    diags.extend(crate::lint::copy(&site));
    diags.extend(crate::avoid::check(&site));
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
