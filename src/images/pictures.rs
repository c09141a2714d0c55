//! The images and social cards of one build, together: processed before rendering (so pages
//! know every file name), applied to the cards, written beside the pages.

use std::path::Path;

use crate::build::{Asset, Writes};
use crate::cards::Cards;
use crate::content::ImageRef;
use crate::diagnostic::Diagnostic;
use crate::site::Site;
use crate::social;

use super::{Lookup, Published};

pub struct Pictures {
    pub images: Published,
    pub social: social::Plan,
    /// Refused images named in front matter, found while preparing.
    front_matter: Vec<Diagnostic>,
}

impl Pictures {
    /// Processes the images among `assets` (using the hub's cache as `cache` says), plans
    /// the social cards and points the cards at the published files.
    pub fn prepare(site: &Site, assets: &[(String, Asset)], cards: &mut Cards, cache: super::CacheUse) -> Pictures {
        let files: Vec<(String, std::path::PathBuf)> = assets
            .iter()
            .filter_map(|(rel, a)| match a {
                Asset::File(f) if super::handles(rel) => Some((rel.clone(), f.clone())),
                _ => None,
            })
            .collect();
        let images = super::prepare(site.root(), &files, &site.config().images, cache);
        let social = social::Plan::new(site, cards, &images);
        cards.use_pictures(site, &images, &social.urls);
        let front_matter = front_matter_problems(site, &images);
        Pictures { images, social, front_matter }
    }

    /// Whether an asset is published by this module instead of being copied.
    pub fn handles(&self, rel: &str) -> bool {
        self.images.handles(rel)
    }

    /// Writes the images and the cards under `out`.
    pub fn write(&self, site: &Site, out: &Path, writes: Writes) -> (Vec<String>, Vec<Diagnostic>) {
        let (mut paths, mut diags) = self.images.write(out, writes);
        let (p, d) = self.social.write(site.root(), out, writes);
        paths.extend(p);
        diags.extend(d);
        (paths, diags)
    }

    /// The problems found, once every page was rendered (so references are known).
    pub fn diagnostics(&self, site: &Site) -> Vec<Diagnostic> {
        let mut out = self.front_matter.clone();
        out.extend(self.social.diagnostics.iter().cloned());
        out.extend(self.images.diagnostics(site.root()));
        out
    }
}

/// Errors at the `image:` / `avatar:` of each file that names a refused image.
fn front_matter_problems(site: &Site, images: &Published) -> Vec<Diagnostic> {
    let mut refs: Vec<(&crate::content::SourceFile, &ImageRef, String)> = Vec::new();
    let at = |page: &str, im: &ImageRef| {
        let src = im.src.value.trim();
        if src.starts_with('/') {
            src.to_string()
        } else {
            format!("{page}{src}")
        }
    };
    for (id, p) in site.posts() {
        if let (true, Some(im)) = (site.post_state(id).has_page(), &p.image) {
            refs.push((&p.file, im, at(site.post_path(id), im)));
        }
    }
    for (_, c) in site.published_causes() {
        if let Some(im) = &c.image {
            refs.push((&c.file, im, at(&site.cause_path(&c.slug.value), im)));
        }
    }
    for (_, p) in site.people() {
        if let (true, Some(im)) = (p.visible(), &p.avatar) {
            refs.push((&p.file, im, at(&site.person_path(&p.id), im)));
        }
    }
    refs.into_iter()
        .filter_map(|(file, im, path)| match images.lookup(&path) {
            Lookup::Refused(r) => Some(
                file.src(&file.text())
                    .error(
                        r.code,
                        super::about(&r.message, im.src.value.trim()),
                        im.src.line,
                        im.src.column,
                        im.src.len,
                    )
                    .with_hint(r.hint.clone()),
            ),
            _ => None,
        })
        .collect()
}
