//! `chorus check`: everything `build` would report, without writing anything, plus the
//! lints of DESIGN §6 (share copy, cadence, consent).

use std::path::Path;

use crate::diagnostic::{self, Diagnostic};
use crate::render::{self, Shared};
use crate::site::{self, Site};

/// Every problem in the hub at `root`.
pub fn check(root: &Path, options: site::Options) -> Vec<Diagnostic> {
    let (site, mut diags) = Site::load(root, options);
    let Some(site) = site else { return diags };
    match render::load_templates(root, &site.config.theme) {
        Ok(tera) => {
            let shared = Shared::new(&site, &tera, false);
            let assets = crate::build::assets(&site);
            let rendered = crate::build::render_all(&shared, &|_| Ok(()), &crate::build::static_pages(&assets));
            diags.extend(crate::build::shadowed_pages(&site, &assets, &rendered.paths));
            diags.extend(rendered.diagnostics);
        }
        Err(d) => diags.extend(d),
    }
    diags.extend(crate::lint::copy(&site));
    // A message over a network's limit is cut or refused when shared: an error here.
    for d in &mut diags {
        if d.code == "share-too-long" {
            d.severity = diagnostic::Severity::Error;
        }
    }
    diagnostic::sort(&mut diags);
    diags.dedup();
    diags
}
