//! Points the cards at the published images (processed files, their sizes and `srcset`)
//! and at the social cards, once `images::Pictures` has prepared them.

use super::{Cards, ImageInfo};
use crate::i18n::Strings;
use crate::images::{Lookup, Published};
use crate::site::Site;
use crate::social;

/// An image as published: the processed fallback, its size and the WebP `srcset`.
fn published(site: &Site, images: &Published, info: &mut ImageInfo) {
    match images.lookup(&info.url) {
        Lookup::Picture(p) => {
            info.url = p.src.clone();
            info.absolute_url = site.config().absolute(&p.src);
            info.width = Some(p.width as usize);
            info.height = Some(p.height as usize);
            info.srcset = Some(p.srcset());
        }
        Lookup::Svg => {
            if let Some((w, h)) = images.svg_size(&info.url) {
                info.width = Some(w as usize);
                info.height = Some(h as usize);
            }
        }
        _ => {}
    }
}

fn card(site: &Site, url: &Option<String>, alt: String) -> Option<ImageInfo> {
    url.as_ref().map(|u| ImageInfo {
        absolute_url: site.config().absolute(u),
        url: u.clone(),
        alt,
        width: Some(social::WIDTH as usize),
        height: Some(social::HEIGHT as usize),
        srcset: None,
    })
}

/// What a post's social card shows, in words.
fn post_alt(site: &Site, strings: &Strings, post: &super::PostCard) -> String {
    let names: Vec<&str> = post.authors.iter().map(|a| a.name.as_str()).collect();
    strings.fmt(
        "card_alt_post",
        &[
            ("title", &post.title),
            ("authors", &names.join(strings.get("list_separator"))),
            ("date", &post.date_display),
            ("site", &site.config().title),
        ],
    )
}

impl Cards {
    /// Rewrites every card's images to the published files and adds the social cards.
    pub fn use_pictures(&mut self, site: &Site, images: &Published, urls: &social::Urls) {
        let title = &site.config().title;
        let strings = &self.strings;
        for (i, p) in self.people.iter_mut().enumerate() {
            let p = std::sync::Arc::make_mut(p);
            if let Some(a) = &mut p.avatar {
                published(site, images, a);
            }
            let alt = match p.role.as_deref() {
                Some(role) => {
                    strings.fmt("card_alt_person_role", &[("name", &p.name), ("role", role), ("site", title)])
                }
                None => strings.fmt("card_alt_person", &[("name", &p.name), ("site", title)]),
            };
            p.social_image = urls.people.get(i).and_then(|u| card(site, u, alt));
        }
        let people: std::collections::HashMap<String, std::sync::Arc<super::PersonCard>> =
            self.people.iter().map(|p| (p.id.clone(), p.clone())).collect();
        let person = |id: &str| people.get(id).cloned();
        for (i, post) in self.posts.iter_mut().enumerate() {
            let Some(post) = post else { continue };
            if let Some(im) = &mut post.image {
                published(site, images, im);
            }
            for a in &mut post.authors {
                if let Some(p) = person(&a.id) {
                    *a = p;
                }
            }
            post.social_image = urls.posts.get(i).and_then(|u| card(site, u, post_alt(site, strings, post)));
        }
        for (i, c) in self.causes.iter_mut().enumerate() {
            if let Some(im) = &mut c.image {
                published(site, images, im);
            }
            if let Some(o) = &c.owner {
                c.owner = person(&o.id);
            }
            let alt = match c.location_display.as_deref() {
                Some(place) => strings.fmt(
                    "card_alt_cause_place",
                    &[("title", &c.title), ("when", &c.when), ("place", place), ("site", title)],
                ),
                None => strings.fmt("card_alt_cause", &[("title", &c.title), ("when", &c.when), ("site", title)]),
            };
            c.social_image = urls.causes.get(i).and_then(|u| card(site, u, alt));
        }
        let alt = if site.config().description.is_empty() {
            title.clone()
        } else {
            format!("{title}: {}", site.config().description)
        };
        self.site_image = card(site, &urls.home, alt);
    }

    /// Points one post's card at its social card again, after an edit in place (`serve`)
    /// planned that card alone (`social::Plan::post`).
    pub fn use_post_card(&mut self, site: &Site, id: crate::site::PostId, urls: &social::Urls) {
        if let Some(post) = self.posts.get_mut(id.index()).and_then(Option::as_mut) {
            post.social_image =
                urls.posts.get(id.index()).and_then(|u| card(site, u, post_alt(site, &self.strings, post)));
        }
    }

    /// The social card of the site, for pages without a card of their own.
    pub fn site_image(&self) -> Option<&ImageInfo> {
        self.site_image.as_ref()
    }
}
