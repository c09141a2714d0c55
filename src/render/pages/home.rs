//! The home page: the newest posts, a link onward, and the causes coming up.

use serde::Serialize;

use super::super::view::ld;
use super::super::{Rendered, Renderer};
use crate::cards::{CauseCard, PostCard};

/// Causes the home page shows at most.
const HOME_CAUSES: usize = 6;

/// `index.html`'s own view.
#[derive(Serialize)]
struct HomePage<'a> {
    posts: Vec<&'a PostCard>,
    /// The second page of `/posts/`, when there is one.
    more_url: Option<String>,
    causes_upcoming: Vec<&'a CauseCard>,
}

impl Renderer<'_> {
    pub fn home(&self) -> Rendered {
        let site = self.site;
        let config = site.config();
        let per = config.paginate.max(1);
        let home = site.path("/");
        let mut meta = self.meta(&home, &config.title, &config.description, "website");
        meta.json_ld = Some(ld::to_script(&ld::WebSite {
            context: ld::SCHEMA_ORG,
            kind: "WebSite",
            description: &config.description,
            name: &config.title,
            url: &if config.prefix.is_empty() { config.base_url.clone() } else { config.absolute(&home) },
        }));
        let view = HomePage {
            posts: self.cards.posts_of(&site.listed()[..site.listed().len().min(per)]).collect(),
            more_url: (site.listed().len() > per).then(|| site.path("/posts/page/2/")),
            causes_upcoming: site
                .upcoming_causes()
                .into_iter()
                .take(HOME_CAUSES)
                .map(|c| self.cards.cause(c))
                .collect(),
        };
        Rendered::one(self.page("index.html", &meta, &home, view))
    }
}
