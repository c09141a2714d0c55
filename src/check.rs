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
            let cards = Cards::new(&site, None);
            let renderer = Renderer::new(&site, &tera, &cards, Audience::Published);
            let assets = crate::build::assets(&site);
            let rendered = crate::build::render_all(&renderer, &|_| Ok(()), &crate::build::static_pages(&assets));
            diags.extend(crate::build::shadowed_pages(&site, &assets, &rendered.paths));
            diags.extend(rendered.diagnostics);
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
