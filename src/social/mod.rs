//! Social cards: the 1200×630 PNG a link preview shows for a post, a cause, a person and the
//! site (`og:image`, `twitter:image`), drawn in Rust from the theme's SVG templates
//! (`themes/default/cards/*.svg`, overridable by `templates/cards/*.svg` in the hub) with
//! resvg and the fonts the theme ships, never the system's, so a card is the same bytes on
//! every machine.
//!
//! `plan` fills the templates (cheap) and names each card by a hash of its SVG, so pages
//! know the URLs before any card is drawn; `Plan::write` draws the cards the cache does not
//! hold yet (in parallel) and puts every card in the output. Text is laid out here (`text`):
//! wrapped, then ellipsized; characters no shipped font has (CJK, emoji) are left out rather
//! than drawn as boxes.
//!
//! Owns the card files and their URLs; must not render pages or change the site.

pub mod text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use resvg::usvg;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::cards::Cards;
use crate::diagnostic::{Code, Diagnostic};
use crate::images::{Lookup, Published};
use crate::site::{PersonId, PostId, Site};
use text::Face;

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// Raised whenever the drawing or the fonts change, so cached cards are not reused.
const PIPELINE: &str = "chorus-cards-1";

/// The card templates of the default theme, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("post.svg", include_str!("../../themes/default/cards/post.svg")),
    ("cause.svg", include_str!("../../themes/default/cards/cause.svg")),
    ("person.svg", include_str!("../../themes/default/cards/person.svg")),
    ("home.svg", include_str!("../../themes/default/cards/home.svg")),
];

/// Where each card is, by item: site paths with a leading `/`.
#[derive(Default)]
pub struct Urls {
    pub posts: Vec<Option<String>>,
    pub causes: Vec<Option<String>>,
    pub people: Vec<Option<String>>,
    pub home: Option<String>,
}

struct Planned {
    /// Site path without the leading `/`.
    rel: String,
    key: String,
    /// What to draw; `None` when the cache held the card as it was planned (a warm build
    /// keeps no SVG of its ten thousand cards).
    svg: Option<String>,
}

/// The cards of a build: URLs for pages, SVGs to draw.
#[derive(Default)]
pub struct Plan {
    pub urls: Urls,
    cards: Vec<Planned>,
    /// Avatars the cards show, by the `href` the templates use.
    avatars: HashMap<String, (&'static str, Arc<Vec<u8>>)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Title text, wrapped to the card's title box.
#[derive(Serialize)]
struct Title {
    lines: Vec<String>,
    size: f32,
    line_height: f32,
    rtl: bool,
}

/// A person as the cards show them.
#[derive(Serialize, Clone)]
struct Who {
    name: String,
    initials: String,
    /// The `href` of their avatar, when they have one.
    avatar: Option<String>,
}

/// The title box: 1040 pixels wide; the size goes down as titles get longer.
fn title(text: &str, fallback: &str) -> Title {
    let (mut drawn, lost) = text::drawable(text);
    // A title mostly in a script the fonts lack is replaced by the site's title.
    let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).count();
    if drawn.is_empty() || (lost && letters(&drawn) * 2 < letters(text)) {
        drawn = text::drawable(fallback).0;
    }
    let rtl = text::is_rtl(&drawn);
    for (size, lines) in [(76.0, 2), (64.0, 3)] {
        let (l, cut) = text::wrap(&drawn, Face::Bold, size, 1040.0, lines);
        if !cut {
            return Title { lines: l, size, line_height: size * 1.18, rtl };
        }
    }
    let size = 54.0;
    let (lines, _) = text::wrap(&drawn, Face::Bold, size, 1040.0, 4);
    Title { lines, size, line_height: size * 1.18, rtl }
}

fn line(s: &str, face: Face, px: f32, max: f32) -> String {
    text::one_line(&text::drawable(s).0, face, px, max)
}

fn hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Loads the card templates: the default theme's, replaced by the theme's
/// `cards/NAME.svg` and then the hub's `templates/cards/NAME.svg` when they exist.
fn templates(site: &Site) -> Result<tera::Tera, Vec<Diagnostic>> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".svg"]);
    let mut diags = Vec::new();
    for (name, builtin) in TEMPLATES {
        let candidates = [site.root().join("templates/cards").join(name), site.theme_dir().join("cards").join(name)];
        let found = candidates.iter().find(|p| p.is_file() && crate::hub::contains(site.root(), p));
        let (text, file) = match found {
            Some(p) => match std::fs::read_to_string(p) {
                Ok(t) => (t, crate::diagnostic::display_path(site.root(), p)),
                Err(e) => {
                    diags.push(
                        Diagnostic::error(Code::Io, format!("cannot read this card template: {e}"))
                            .in_file(crate::diagnostic::display_path(site.root(), p)),
                    );
                    continue;
                }
            },
            None => (builtin.to_string(), format!("themes/default/cards/{name}")),
        };
        if let Err(e) = tera.add_raw_template(name, &text) {
            diags.push(
                Diagnostic::error(
                    Code::Template,
                    format!("this card template cannot be read: {}", crate::render::error_chain(&e)),
                )
                .in_file(file)
                .with_hint("card templates are SVG with Tera tags, like the page templates; see docs/templates.md"),
            );
        }
    }
    if diags.is_empty() {
        Ok(tera)
    } else {
        Err(diags)
    }
}

impl Plan {
    /// Fills the card templates for every published post, cause and person, and the site.
    pub fn new(site: &Site, cards: &Cards, images: &Published) -> Plan {
        Plan::of(site, cards, images, None)
    }

    /// The cards of some posts alone, after an edit in place (`serve`): their URLs are in
    /// `urls.posts` at the posts' indexes, and `write` draws them (or takes them from the cache).
    pub fn posts(site: &Site, cards: &Cards, images: &Published, ids: &[PostId]) -> Plan {
        Plan::of(site, cards, images, Some(ids))
    }

    /// The cards of every item, or of the posts `only`.
    fn of(site: &Site, cards: &Cards, images: &Published, only: Option<&[PostId]>) -> Plan {
        let mut plan = Plan::default();
        if !site.config().social_cards {
            return plan;
        }
        let tera = match templates(site) {
            Ok(t) => t,
            Err(d) => {
                plan.diagnostics = d;
                return plan;
            }
        };
        let config = site.config();
        let site_title = line(&config.title, Face::Bold, 30.0, 900.0);
        // Avatars, once per person.
        let who: Vec<Who> = site
            .people()
            .map(|(id, _)| {
                let card = cards.person(id);
                Who {
                    name: card.name.clone(),
                    initials: text::initials(&card.name),
                    avatar: avatar(site, id, images).map(|(mime, bytes)| {
                        let href = format!("chorus-avatar:{}", &hash(&bytes)[..16]);
                        plan.avatars.insert(href.clone(), (mime, Arc::new(bytes)));
                        href
                    }),
                }
            })
            .collect();
        let render = |name: &str, ctx: tera::Context, what: &str| -> Result<String, Diagnostic> {
            tera.render(name, &ctx).map_err(|e| {
                Diagnostic::error(
                    Code::Template,
                    format!("the card template `{name}` failed for {what}: {}", crate::render::error_chain(&e)),
                )
                .in_file(format!("themes/{}/cards/{name}", config.theme))
            })
        };
        let cached = site.root().join(crate::images::CACHE_DIR).join("cards");
        let add = |plan: &mut Plan, dir: &str, slug: &str, result: Result<String, Diagnostic>| -> Option<String> {
            match result {
                Ok(svg) => {
                    let key = hash(format!("{PIPELINE}\n{svg}").as_bytes());
                    let svg = (!cached.join(format!("{key}.png")).is_file()).then_some(svg);
                    let rel = if dir.is_empty() {
                        format!("social/{slug}.{}.png", &key[..16])
                    } else {
                        format!("social/{dir}/{slug}.{}.png", &key[..16])
                    };
                    let url = format!("/{rel}");
                    plan.cards.push(Planned { rel, key, svg });
                    Some(url)
                }
                Err(d) => {
                    plan.diagnostics.push(d);
                    None
                }
            }
        };
        let base = || {
            let mut ctx = tera::Context::new();
            ctx.insert("site_title", &site_title);
            ctx.insert("width", &WIDTH);
            ctx.insert("height", &HEIGHT);
            ctx
        };
        // Posts, in parallel: laying out titles and filling templates is most of the work.
        let ids: Vec<_> = site.posts().map(|(id, _)| id).filter(|id| only.is_none_or(|o| o.contains(id))).collect();
        // (post index, card path, the drawn card or why it could not be drawn)
        type Drawn = (usize, String, Option<Result<String, Diagnostic>>);
        let posts: Vec<Drawn> = ids
            .into_par_iter()
            .map(|id| {
                let p = site.post(id);
                let svg = cards.post(id).map(|card| {
                    let mut ctx = base();
                    ctx.insert("title", &title(&card.title, &config.title));
                    let authors: Vec<Who> = p
                        .authors
                        .iter()
                        .filter_map(|a| site.person_by_id(&a.value))
                        .map(|j| who[j.index()].clone())
                        .collect();
                    let names: Vec<&str> = authors.iter().map(|a| a.name.as_str()).collect();
                    let shown = authors.len().min(4);
                    ctx.insert("byline", &line(&join_names(&names), Face::Bold, 30.0, 1000.0 - shown as f32 * 52.0));
                    ctx.insert("authors", &authors.iter().take(4).collect::<Vec<_>>());
                    ctx.insert("date", &card.date_display);
                    render("post.svg", ctx, &card.url)
                });
                (id.index(), p.slug.value.clone(), svg)
            })
            .collect();
        plan.urls.posts = vec![None; site.posts().count()];
        for (i, slug, svg) in posts {
            if let Some(svg) = svg {
                plan.urls.posts[i] = add(&mut plan, "posts", &slug, svg);
            }
        }
        if only.is_some() {
            return plan;
        }
        // Causes.
        plan.urls.causes = vec![None; site.causes().count()];
        let published: Vec<_> = site.published_causes().map(|(id, c)| (id, c.slug.value.clone())).collect();
        for (id, slug) in published {
            let card = cards.cause(id);
            let mut ctx = base();
            ctx.insert("title", &title(&card.title, &config.title));
            let owner = site.person_by_id(&site.cause(id).person.value).map(|j| who[j.index()].clone());
            ctx.insert("person", &owner);
            ctx.insert("kind", &card.kind_label);
            ctx.insert("when", &line(&card.when, Face::Regular, 30.0, 900.0));
            ctx.insert("place", &card.location_display.as_deref().map(|p| line(p, Face::Regular, 30.0, 900.0)));
            let r = render("cause.svg", ctx, &card.url);
            plan.urls.causes[id.index()] = add(&mut plan, "causes", &slug, r);
        }
        // People.
        plan.urls.people = vec![None; site.people().count()];
        let visible: Vec<_> = site.people().filter(|(_, p)| p.visible()).map(|(id, p)| (id, p.id.clone())).collect();
        for (id, slug) in visible {
            let card = cards.person(id);
            let mut ctx = base();
            ctx.insert("name", &title(&card.name, &card.name));
            ctx.insert("person", &who[id.index()]);
            let role =
                [card.role.as_deref(), card.team.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
            ctx.insert("role", &line(&role, Face::Regular, 34.0, 700.0));
            let r = render("person.svg", ctx, &card.url);
            plan.urls.people[id.index()] = add(&mut plan, "people", &slug, r);
        }
        // The site.
        let mut ctx = base();
        ctx.insert("title", &title(&config.title, &config.title));
        let description = text::drawable(&config.description).0;
        ctx.insert("description", &text::wrap(&description, Face::Regular, 32.0, 1040.0, 3).0);
        ctx.insert("company", &line(&config.company, Face::Regular, 30.0, 1000.0));
        let r = render("home.svg", ctx, "the home page");
        plan.urls.home = add(&mut plan, "", "site", r);
        plan
    }

    /// Draws the cards the cache lacks and writes every card under `out`.
    pub fn write(&self, root: &Path, out: &Path, writes: crate::build::Writes) -> (Vec<String>, Vec<Diagnostic>) {
        if self.cards.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let cache = card_cache(root);
        // Loaded only if a card is to be drawn: a warm build takes every card from the cache.
        let fonts = std::sync::OnceLock::new();
        let results: Vec<Result<String, Diagnostic>> = self
            .cards
            .par_iter()
            .map(|card| {
                let cached = cache.as_ref().map(|c| c.join(format!("{}.png", card.key)));
                let written = |w: std::io::Result<()>| {
                    w.map(|_| card.rel.clone())
                        .map_err(|e| Diagnostic::error(Code::Io, format!("cannot write {}: {e}", card.rel)))
                };
                if let Some(p) = cached.as_ref().filter(|p| writes == crate::build::Writes::Direct && p.is_file()) {
                    return written(crate::output::link_under(out, &card.rel, p));
                }
                let bytes = match cached.as_ref().and_then(|p| std::fs::read(p).ok()) {
                    Some(b) => b,
                    None => {
                        let Some(svg) = &card.svg else {
                            return Err(Diagnostic::error(
                                Code::Io,
                                format!("the social card {} was in the cache, and is gone", card.rel),
                            )
                            .with_hint("something removed files from `.chorus-cache` during the build: build again"));
                        };
                        let png = draw(svg, fonts.get_or_init(fontdb), &self.avatars).map_err(|e| {
                            Diagnostic::error(
                                Code::Template,
                                format!("the social card {} cannot be drawn: {e}", card.rel),
                            )
                            .with_hint("check the card templates (`cards/*.svg`) for SVG mistakes")
                        })?;
                        if let Some(p) = &cached {
                            store(p, &png);
                        }
                        png
                    }
                };
                written(if writes == crate::build::Writes::Atomic {
                    crate::output::write_atomic(out, &card.rel, &bytes)
                } else {
                    crate::output::write_under(out, &card.rel, &bytes)
                })
            })
            .collect();
        let mut paths = Vec::new();
        let mut diags = Vec::new();
        for r in results {
            match r {
                Ok(p) => paths.push(p),
                Err(d) => diags.push(d),
            }
        }
        (paths, diags)
    }
}

fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A person's avatar for a card: the smallest WebP variant of a photo, or the sanitized SVG.
fn avatar(site: &Site, id: PersonId, images: &Published) -> Option<(&'static str, Vec<u8>)> {
    let url = Cards::avatar_source(site, id)?;
    match images.lookup(&url) {
        Lookup::Picture(_) | Lookup::Svg => images.card_bytes(&url),
        _ => None,
    }
}

fn card_cache(root: &Path) -> Option<PathBuf> {
    let dir = root.join(crate::images::CACHE_DIR);
    if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return None;
    }
    crate::images::open_cache(root)?;
    let cards = dir.join("cards");
    std::fs::create_dir_all(&cards).ok()?;
    Some(cards)
}

fn store(path: &Path, bytes: &[u8]) {
    let tmp = path.with_extension(format!("tmp-{:?}", std::thread::current().id()).replace(['(', ')'], ""));
    if crate::images::write_cache_file(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// The shipped fonts, and no others.
fn fontdb() -> Arc<usvg::fontdb::Database> {
    let mut db = usvg::fontdb::Database::new();
    for (_, data) in text::FONTS {
        db.load_font_data(data.to_vec());
    }
    db.set_sans_serif_family("Inter");
    Arc::new(db)
}

/// Draws one card as an opaque RGB PNG.
fn draw(
    svg: &str,
    fonts: &Arc<usvg::fontdb::Database>,
    avatars: &HashMap<String, (&'static str, Arc<Vec<u8>>)>,
) -> Result<Vec<u8>, String> {
    let resolve_string: usvg::ImageHrefStringResolverFn = Box::new(|href: &str, opts: &usvg::Options| {
        let (mime, bytes) = avatars.get(href)?;
        match *mime {
            "image/svg+xml" => usvg::Tree::from_data(bytes, opts).ok().map(usvg::ImageKind::SVG),
            "image/webp" => Some(usvg::ImageKind::WEBP(bytes.clone())),
            "image/png" => Some(usvg::ImageKind::PNG(bytes.clone())),
            _ => None,
        }
    });
    let opt = usvg::Options {
        fontdb: fonts.clone(),
        font_family: "Inter".into(),
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string,
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| e.to_string())?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("no pixmap")?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    let size = tree.size();
    let transform = resvg::tiny_skia::Transform::from_scale(WIDTH as f32 / size.width(), HEIGHT as f32 / size.height());
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    // Opaque: premultiplied values are the colours.
    let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let mut out = Vec::new();
    use image::ImageEncoder;
    image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    )
    .write_image(&rgb, WIDTH, HEIGHT, image::ExtendedColorType::Rgb8)
    .map_err(|e| e.to_string())?;
    Ok(out)
}
