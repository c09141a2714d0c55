//! The share kits of posts and causes (DESIGN §5), composed from the site and the cards:
//! which networks, in which order, which texts. And the warning for a message over a
//! network's limit.

use super::Cards;
use crate::content::{ShareSpec, SourceFile};
use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::fields::Spanned;
use crate::share::{self, Network, ShareKit};
use crate::site::{CauseId, PostId, Site};

impl Cards {
    /// Post `id`'s share kit.
    pub fn post_kit(&self, site: &Site, id: PostId) -> ShareKit {
        self.with_post_source(site, id, share::build_kit)
    }

    /// The suggested messages of post `id`'s kit, without its buttons.
    pub fn post_messages(&self, site: &Site, id: PostId) -> Vec<share::Message> {
        self.with_post_source(site, id, share::messages)
    }

    fn with_post_source<R>(&self, site: &Site, id: PostId, f: impl FnOnce(&share::ShareSource) -> R) -> R {
        let p = site.post(id);
        let permalink = site.config().absolute(site.post_path(id));
        let networks = networks_for(site, &p.share.networks, p.authors.first().map(|a| a.value.as_str()));
        let (variants, overrides) = written_texts(&p.share);
        f(&share::ShareSource {
            title: &p.title,
            permalink: &permalink,
            summary: self.post(id).map_or("", |c| c.summary_text.as_str()),
            text: p.share.text.as_ref().map(|t| t.value.as_str()),
            variants: &variants,
            overrides: &overrides,
            hashtags: &p.share.hashtags,
            disclosure: site.config().disclosure.as_deref(),
            networks: &networks,
            utm: site.config().utm.as_ref(),
        })
    }

    /// Cause `id`'s share kit (no disclosure: a cause is the person's own, not the employer's).
    pub fn cause_kit(&self, site: &Site, id: CauseId) -> ShareKit {
        let c = site.cause(id);
        let permalink = site.config().absolute(&site.cause_path(&c.slug.value));
        let networks = networks_for(site, &c.share.networks, Some(&c.person.value));
        let (variants, overrides) = written_texts(&c.share);
        share::build_kit(&share::ShareSource {
            title: &c.title,
            permalink: &permalink,
            summary: &self.cause(id).summary_text,
            text: c.share.text.as_ref().map(|t| t.value.as_str()),
            variants: &variants,
            overrides: &overrides,
            hashtags: &c.share.hashtags,
            disclosure: None,
            networks: &networks,
            utm: site.config().utm.as_ref(),
        })
    }
}

/// The variants and per-network texts as written, without their places in the file
/// (the kit is composed from text; only diagnostics need the places).
fn written_texts(spec: &ShareSpec) -> (Vec<String>, Vec<(Network, String)>) {
    (
        spec.variants.iter().map(|v| v.value.clone()).collect(),
        spec.overrides.iter().map(|(n, t)| (*n, t.value.clone())).collect(),
    )
}

/// The networks of a kit: those the file names, else the author's own first, then the hub's.
fn networks_for(site: &Site, spec: &Option<Vec<Network>>, author: Option<&str>) -> Vec<Network> {
    if let Some(n) = spec {
        return n.clone();
    }
    let mut order: Vec<Network> = Vec::new();
    if let Some(p) = author.and_then(|a| site.person_by_id(a)).map(|p| site.person(p)) {
        order.extend(p.networks.iter().filter(|n| site.config().networks.contains(n)));
    }
    for n in &site.config().networks {
        if !order.contains(n) {
            order.push(*n);
        }
    }
    order
}

/// A message over a network's limit, pointing at the text it comes from: the network's own
/// override, else `share.text`. (A message derived from `summary:` or the body is cut to fit,
/// so it is over only when the hashtags, disclosure and link alone are: then this points at
/// the summary, or the body.)
pub fn too_long(
    file: &SourceFile,
    spec: &ShareSpec,
    summary: Option<&Spanned<String>>,
    network: Network,
    length: share::Length,
) -> Diagnostic {
    let own = spec.overrides.iter().find(|(n, _)| *n == network).map(|(_, text)| text);
    let file_text = file.text();
    let (line, column, width) = match own.or(spec.text.as_ref()) {
        // The text as written, quotes included.
        Some(text) => (text.line, text.column, text.len.max(1)),
        None => {
            let line = summary.map_or(file.body_line, |s| s.line);
            (line, 1, SourceFile::line_width(&file_text, line))
        }
    };
    let label = network.label();
    Diagnostic::warning(
        Code::ShareTooLong,
        format!("the message for {label} is {} characters long; {label} allows {}", length.used, length.limit),
    )
    .in_file(&file.rel)
    .at(&file_text, line, column, width)
    .with_hint(format!("shorten the message, or add a shorter one for {label} as `share.{}: …`", network.id()))
}
