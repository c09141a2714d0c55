//! The share kits of posts and causes (DESIGN §5), composed from the site and the cards:
//! which networks, in which order, which texts. And the warning for a message over a
//! network's limit.

use super::Cards;
use crate::diagnostic::Diagnostic;
use crate::share::{self, Network, ShareKit};
use crate::site::{self, Site};

impl Cards {
    /// Post `i`'s share kit.
    pub fn post_kit(&self, site: &Site, i: usize) -> ShareKit {
        self.with_post_source(site, i, share::build_kit)
    }

    /// The suggested messages of post `i`'s kit, without its buttons.
    pub fn post_messages(&self, site: &Site, i: usize) -> Vec<share::Message> {
        self.with_post_source(site, i, share::messages)
    }

    fn with_post_source<R>(&self, site: &Site, i: usize, f: impl FnOnce(&share::ShareSource) -> R) -> R {
        let p = &site.posts[i];
        let permalink = site.config.absolute(&site::post_path(&p.slug.value));
        let networks = networks_for(site, &p.share.networks, p.authors.first().map(|a| a.value.as_str()));
        f(&share::ShareSource {
            title: &p.title,
            permalink: &permalink,
            summary: self.posts[i].as_ref().map_or("", |c| c.summary_text.as_str()),
            text: p.share.text.as_deref(),
            variants: &p.share.variants,
            overrides: &p.share.overrides,
            hashtags: &p.share.hashtags,
            disclosure: site.config.disclosure.as_deref(),
            networks: &networks,
            utm: site.config.utm.as_ref(),
        })
    }

    /// Cause `i`'s share kit (no disclosure: a cause is the person's own, not the employer's).
    pub fn cause_kit(&self, site: &Site, i: usize) -> ShareKit {
        let c = &site.causes[i];
        let permalink = site.config.absolute(&site::cause_path(&c.slug.value));
        let networks = networks_for(site, &c.share.networks, Some(&c.person.value));
        share::build_kit(&share::ShareSource {
            title: &c.title,
            permalink: &permalink,
            summary: &self.causes[i].summary_text,
            text: c.share.text.as_deref(),
            variants: &c.share.variants,
            overrides: &c.share.overrides,
            hashtags: &c.share.hashtags,
            disclosure: None,
            networks: &networks,
            utm: site.config.utm.as_ref(),
        })
    }
}

/// The networks of a kit: those the file names, else the author's own first, then the hub's.
fn networks_for(site: &Site, spec: &Option<Vec<Network>>, author: Option<&str>) -> Vec<Network> {
    if let Some(n) = spec {
        return n.clone();
    }
    let mut order: Vec<Network> = Vec::new();
    if let Some(p) = author.and_then(|a| site.person(a)) {
        order.extend(p.networks.iter().filter(|n| site.config.networks.contains(n)));
    }
    for n in &site.config.networks {
        if !order.contains(n) {
            order.push(*n);
        }
    }
    order
}

/// A message over a network's limit, pointing at the text it comes from: the network's own
/// override, else `share.text`, else `summary:`, else the body (whose first paragraph is
/// the fallback message).
pub fn too_long(file: &crate::content::SourceFile, network: Network, length: share::Length) -> Diagnostic {
    let lines: Vec<&str> = file.text.lines().collect();
    let share_at = lines.iter().position(|l| l.starts_with("share:"));
    let in_share = |key: &str| {
        share_at.and_then(|s| {
            lines[s + 1..]
                .iter()
                .take_while(|l| l.starts_with(' ') || l.is_empty())
                .position(|l| l.trim_start().starts_with(&format!("{key}:")))
                .map(|i| s + 1 + i)
        })
    };
    let top = |key: &str| lines.iter().position(|l| l.starts_with(&format!("{key}:")));
    let line = in_share(network.id())
        .or_else(|| in_share("text"))
        .or_else(|| top("summary"))
        .map_or(file.body_line, |i| i + 1);
    let width = lines.get(line - 1).map_or(1, |l| l.trim_end().chars().count());
    let label = network.label();
    Diagnostic::warning(
        "share-too-long",
        format!("the message for {label} is {} characters long; {label} allows {}", length.used, length.limit),
    )
    .in_file(&file.rel)
    .at(&file.text, line, 1, width)
    .with_hint(format!("shorten the message, or add a shorter one for {label} as `share.{}: …`", network.id()))
}
