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
const PIPELINE: &str = "chorus-cards-2";

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
        let painter = std::sync::OnceLock::new();
        let results: Vec<Result<String, Diagnostic>> = self
            .cards
            .par_iter()
            .map_init(Scratch::default, |scratch, card| {
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
                        let png =
                            draw(svg, painter.get_or_init(Painter::new), &self.avatars, scratch).map_err(|e| {
                                Diagnostic::error(
                                    Code::Template,
                                    format!("the social card {} cannot be drawn: {e}", card.rel),
                                )
                                .with_hint("check the card templates (`cards/*.svg`) for SVG mistakes")
                            })?;
                        if let Some(p) = &cached {
                            // Published as the cached file itself, as a warm build would.
                            if store(p, &png) && writes == crate::build::Writes::Direct {
                                return written(crate::output::link_under(out, &card.rel, p));
                            }
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

/// Puts a drawn card in the cache; whether it is there.
fn store(path: &Path, bytes: &[u8]) -> bool {
    let tmp = path.with_extension(format!("tmp-{:?}", std::thread::current().id()).replace(['(', ')'], ""));
    if crate::images::write_cache_file(&tmp, bytes).is_err() {
        return false;
    }
    if std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
        return false;
    }
    true
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

// Pixels are turned into RGB four at a time.
const _: () = assert!((WIDTH * HEIGHT).is_multiple_of(4));

/// How many backgrounds a build keeps at most (3 MB each).
const MAX_BACKGROUNDS: usize = 8;
/// How many cards must begin with the same shapes before those are drawn once and kept.
const SHARED_BY: u32 = 3;
/// How many leading elements of a card are compared with the kept backgrounds.
const MAX_PREFIX: usize = 12;

/// What drawing the cards of a build shares: the fonts, and the backgrounds, the leading
/// elements many cards have in common (the fill, the shapes, the site's title) drawn once.
/// A card drawn on a background is the same pixels as a card drawn whole.
struct Painter {
    fonts: Arc<usvg::fontdb::Database>,
    backgrounds: std::sync::Mutex<Backgrounds>,
}

#[derive(Default)]
struct Backgrounds {
    /// How many cards began with each run of elements, by a hash of the run.
    seen: HashMap<u64, u32>,
    /// (hash, the elements' descriptions, the pixels)
    drawn: Vec<(u64, Vec<String>, Arc<resvg::tiny_skia::Pixmap>)>,
}

/// One worker's buffers, reused from card to card.
#[derive(Default)]
struct Scratch {
    pixmap: Option<resvg::tiny_skia::Pixmap>,
    /// The background `pixmap` holds, but for the `dirty` rectangles (pixels, right and
    /// bottom excluded) the last card drew over it.
    base: Option<Arc<resvg::tiny_skia::Pixmap>>,
    dirty: Vec<[usize; 4]>,
    rgb: Vec<u8>,
}

/// The pixels `node` may change when drawn with `transform` (a scale), with a margin for
/// anti-aliasing, within the card.
fn reach(node: &usvg::Node, transform: resvg::tiny_skia::Transform) -> Option<[usize; 4]> {
    let r = match node {
        usvg::Node::Path(p) => p.abs_stroke_bounding_box(),
        usvg::Node::Text(t) => t.abs_stroke_bounding_box(),
        usvg::Node::Image(i) => i.abs_bounding_box(),
        usvg::Node::Group(g) => g.abs_layer_bounding_box().to_rect(),
    };
    if transform.has_skew() {
        return None;
    }
    const MARGIN: f32 = 4.0;
    let clamp = |v: f32, max: u32| (v.max(0.0) as usize).min(max as usize);
    let x0 = clamp((r.left() * transform.sx + transform.tx - MARGIN).floor(), WIDTH);
    let y0 = clamp((r.top() * transform.sy + transform.ty - MARGIN).floor(), HEIGHT);
    let x1 = clamp((r.right() * transform.sx + transform.tx + MARGIN).ceil(), WIDTH);
    let y1 = clamp((r.bottom() * transform.sy + transform.ty + MARGIN).ceil(), HEIGHT);
    (r.left().is_finite() && r.right().is_finite() && r.top().is_finite() && r.bottom().is_finite())
        .then_some([x0, y0, x1, y1])
}

impl Painter {
    fn new() -> Painter {
        Painter { fonts: fontdb(), backgrounds: Default::default() }
    }

    /// The longest kept background the elements `keys` begin with, drawing it (with `draw`)
    /// once enough cards began with them; its length in elements.
    fn background(
        &self,
        keys: &[String],
        draw: impl FnOnce(usize) -> Option<resvg::tiny_skia::Pixmap>,
    ) -> Option<(usize, Arc<resvg::tiny_skia::Pixmap>)> {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        let hashes: Vec<u64> = keys
            .iter()
            .map(|k| {
                k.hash(&mut hasher);
                hasher.finish()
            })
            .collect();
        let mut kept = self.backgrounds.lock().unwrap_or_else(|e| e.into_inner());
        for n in (2..=keys.len()).rev() {
            let found = kept.drawn.iter().find(|(h, k, _)| *h == hashes[n - 1] && k.as_slice() == &keys[..n]);
            if let Some((_, _, pixels)) = found {
                return Some((n, pixels.clone()));
            }
        }
        if kept.drawn.len() >= MAX_BACKGROUNDS {
            return None;
        }
        let mut longest = 0;
        for (i, h) in hashes.iter().enumerate() {
            let count = kept.seen.entry(*h).or_insert(0);
            *count += 1;
            if *count >= SHARED_BY && i > 0 {
                longest = i + 1;
            }
        }
        if longest == 0 {
            return None;
        }
        let pixels = Arc::new(draw(longest)?);
        kept.drawn.push((hashes[longest - 1], keys[..longest].to_vec(), pixels.clone()));
        Some((longest, pixels))
    }
}

/// What a leading element of a card is, for comparing it with other cards' (shapes and
/// text only; `None` for anything else).
fn describe(node: &usvg::Node) -> Option<String> {
    match node {
        usvg::Node::Path(p) => Some(format!("{p:?}")),
        usvg::Node::Text(t) => Some(format!(
            "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
            t.chunks(),
            t.abs_transform(),
            t.rendering_mode(),
            t.writing_mode(),
            t.dx(),
            t.dy(),
            t.rotate(),
            t.abs_bounding_box(),
        )),
        _ => None,
    }
}

/// Draws one element of the card's root onto `pixmap` as `resvg::render` would, if that can
/// be done exactly (`resvg::render_node` draws a node from its bounding box's corner).
fn draw_node(node: &usvg::Node, transform: resvg::tiny_skia::Transform, pixmap: &mut resvg::tiny_skia::PixmapMut) {
    if let Some(shift) = node_transform(node, transform) {
        resvg::render_node(node, shift, pixmap);
    }
}

/// The transform `resvg::render_node` needs to draw `node` where `resvg::render` would,
/// when it is exact.
fn node_transform(node: &usvg::Node, transform: resvg::tiny_skia::Transform) -> Option<resvg::tiny_skia::Transform> {
    let bbox = node.abs_layer_bounding_box()?;
    let shift = transform.pre_translate(bbox.x(), bbox.y());
    (shift.pre_translate(-bbox.x(), -bbox.y()) == transform).then_some(shift)
}

/// Draws one card as an opaque RGB PNG.
fn draw(
    svg: &str,
    painter: &Painter,
    avatars: &HashMap<String, (&'static str, Arc<Vec<u8>>)>,
    scratch: &mut Scratch,
) -> Result<Vec<u8>, String> {
    use resvg::tiny_skia::{Color, Pixmap, Transform};
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
        fontdb: painter.fonts.clone(),
        font_family: "Inter".into(),
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string,
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| e.to_string())?;
    let size = tree.size();
    let transform = Transform::from_scale(WIDTH as f32 / size.width(), HEIGHT as f32 / size.height());
    let pixmap = match &mut scratch.pixmap {
        Some(p) => p,
        empty => empty.insert(Pixmap::new(WIDTH, HEIGHT).ok_or("no pixmap")?),
    };
    // The card's leading shapes and text, as long as each can be drawn alone exactly.
    let nodes = tree.root().children();
    let drawable = nodes.iter().all(|n| node_transform(n, transform).is_some());
    let mut keys = Vec::new();
    if drawable {
        keys.push(format!("{transform:?}"));
        keys.extend(nodes.iter().take(MAX_PREFIX).map_while(describe));
    }
    let background = (keys.len() > 1)
        .then(|| {
            painter.background(&keys, |n| {
                let mut bg = Pixmap::new(WIDTH, HEIGHT)?;
                bg.fill(Color::WHITE);
                for node in &nodes[..n - 1] {
                    draw_node(node, transform, &mut bg.as_mut());
                }
                Some(bg)
            })
        })
        .flatten();
    match background {
        Some((n, bg)) => {
            // Back to the background: only where the last card drew, if it was drawn on it.
            let data = pixmap.data_mut();
            if scratch.base.as_ref().is_some_and(|b| Arc::ptr_eq(b, &bg)) {
                let row = WIDTH as usize * 4;
                for &[x0, y0, x1, y1] in &scratch.dirty {
                    for y in y0..y1 {
                        let span = y * row + x0 * 4..y * row + x1 * 4;
                        data[span.clone()].copy_from_slice(&bg.data()[span]);
                    }
                }
            } else {
                data.copy_from_slice(bg.data());
            }
            scratch.dirty.clear();
            let reached: Option<Vec<_>> = nodes[n - 1..].iter().map(|node| reach(node, transform)).collect();
            match reached {
                Some(r) => {
                    scratch.dirty = r;
                    scratch.base = Some(bg);
                }
                None => scratch.base = None,
            }
            for node in &nodes[n - 1..] {
                draw_node(node, transform, &mut pixmap.as_mut());
            }
        }
        None => {
            scratch.base = None;
            pixmap.fill(Color::WHITE);
            resvg::render(&tree, transform, &mut pixmap.as_mut());
        }
    }
    // Opaque: premultiplied values are the colours. Four pixels at a time, alpha left out.
    let rgb = &mut scratch.rgb;
    rgb.resize(WIDTH as usize * HEIGHT as usize * 3, 0);
    for (to, from) in rgb.chunks_exact_mut(12).zip(pixmap.data().chunks_exact(16)) {
        let v = u128::from_le_bytes(from.try_into().unwrap_or([0; 16]));
        let m = 0xff_ffff_u128;
        let packed = (v & m) | ((v >> 8) & (m << 24)) | ((v >> 16) & (m << 48)) | ((v >> 24) & (m << 72));
        to.copy_from_slice(&packed.to_le_bytes()[..12]);
    }
    let mut out = Vec::with_capacity(64 * 1024);
    use image::ImageEncoder;
    image::codecs::png::PngEncoder::new_with_quality(&mut out, image::codecs::png::CompressionType::Fast, FILTER)
        .write_image(rgb, WIDTH, HEIGHT, image::ExtendedColorType::Rgb8)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// The PNG row filter of the cards: "up" is the cheapest to compute and to compress (a
/// card's rows are mostly the rows above them), for cards about half again as large as with
/// the adaptive choice of filter per row.
const FILTER: image::codecs::png::FilterType = image::codecs::png::FilterType::Up;

#[cfg(test)]
mod tests {
    use super::*;

    /// Cards of every kind, as `Plan` fills them (authors with initials, no avatars).
    fn sample_svgs(n: usize) -> Vec<String> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".svg"]);
        for (name, text) in TEMPLATES {
            tera.add_raw_template(name, text).unwrap();
        }
        let words = "solar tariff winter community batteries meter readings cooperative rooftop review \
                     plans queue portal refunds statements volunteers morning river dashboard lessons"
            .split(' ')
            .collect::<Vec<_>>();
        let people = ["Arjun Garcia", "Mira Okafor", "Hana", "Léa Dubois", "Yusuf Demir"];
        let who = |i: usize| Who {
            name: people[i % people.len()].to_string(),
            initials: text::initials(people[i % people.len()]),
            avatar: None,
        };
        let titles = [
            "שלום עולם: תוכנית השנה".to_string(),
            "مرحبا بالعالم من الفريق".to_string(),
            "東京 meetup 🎉 for the rooftop crew".to_string(),
        ];
        let base = || {
            let mut ctx = tera::Context::new();
            ctx.insert("site_title", &line("Bench Voices", Face::Bold, 30.0, 900.0));
            ctx.insert("width", &WIDTH);
            ctx.insert("height", &HEIGHT);
            ctx
        };
        (0..n)
            .map(|i| {
                let len = 3 + (i * 7) % 30;
                let title_text = if i % 17 == 5 {
                    titles[i % 3].clone()
                } else {
                    (0..len).map(|j| words[(i * 31 + j * 7) % words.len()]).collect::<Vec<_>>().join(" ")
                };
                let mut ctx = base();
                ctx.insert("title", &title(&title_text, "Bench Voices"));
                match i % 10 {
                    8 => {
                        ctx.insert("person", &(i % 20 == 8).then(|| who(i)));
                        ctx.insert("kind", "Fundraiser");
                        ctx.insert("when", "Saturday 7 November 2026, 10:00");
                        ctx.insert("place", &Some("Hollin Bay community hall"));
                        tera.render("cause.svg", &ctx).unwrap()
                    }
                    9 => {
                        ctx.insert("name", &title(people[i % people.len()], "x"));
                        ctx.insert("person", &who(i));
                        ctx.insert("role", "Engineer · Grid team");
                        tera.render("person.svg", &ctx).unwrap()
                    }
                    _ => {
                        let authors: Vec<Who> = (0..1 + i % 3).map(|k| who(i + k)).collect();
                        let names: Vec<&str> = authors.iter().map(|a| a.name.as_str()).collect();
                        ctx.insert("byline", &line(&join_names(&names), Face::Bold, 30.0, 900.0));
                        ctx.insert("authors", &authors);
                        ctx.insert("date", "7 November 2024");
                        tera.render("post.svg", &ctx).unwrap()
                    }
                }
            })
            .collect()
    }

    fn pixels(png: &[u8]) -> Vec<u8> {
        let decoder = png::Decoder::new(png);
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        buf
    }

    /// The card drawn whole by resvg, as RGB.
    fn whole(svg: &str, fonts: &Arc<usvg::fontdb::Database>) -> Vec<u8> {
        let opt = usvg::Options { fontdb: fonts.clone(), font_family: "Inter".into(), ..usvg::Options::default() };
        let tree = usvg::Tree::from_str(svg, &opt).unwrap();
        let mut pixmap = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).unwrap();
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        resvg::render(&tree, resvg::tiny_skia::Transform::identity(), &mut pixmap.as_mut());
        pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect()
    }

    #[test]
    fn cards_drawn_on_a_kept_background_are_the_pixels_of_cards_drawn_whole() {
        let painter = Painter::new();
        let mut scratch = Scratch::default();
        let svgs = sample_svgs(40);
        for (i, svg) in svgs.iter().enumerate() {
            let png = draw(svg, &painter, &HashMap::new(), &mut scratch).unwrap();
            assert!(pixels(&png) == whole(svg, &painter.fonts), "card {i} differs:\n{svg}");
            // The same bytes again, on a kept background or not.
            if i % 9 == 0 {
                let again = draw(svg, &Painter::new(), &HashMap::new(), &mut Scratch::default()).unwrap();
                assert!(again == png, "card {i} is not the same bytes twice");
            }
        }
        let kept = painter.backgrounds.lock().unwrap();
        assert!((2..=4).contains(&kept.drawn.len()), "{} backgrounds", kept.drawn.len());
    }

    /// `cargo test --release --lib social::tests::drawing_speed -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn drawing_speed() {
        let n: usize = std::env::var("CARDS").ok().and_then(|n| n.parse().ok()).unwrap_or(500);
        let svgs = sample_svgs(n);
        let cpu = || {
            let mut u: libc::rusage = unsafe { std::mem::zeroed() };
            unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut u) };
            (u.ru_utime.tv_sec + u.ru_stime.tv_sec) as f64 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) as f64 / 1e6
        };
        let painter = Painter::new();
        let mut scratch = Scratch::default();
        let opt =
            usvg::Options { fontdb: painter.fonts.clone(), font_family: "Inter".into(), ..usvg::Options::default() };
        let t0 = cpu();
        for svg in &svgs {
            std::hint::black_box(usvg::Tree::from_str(svg, &opt).unwrap());
        }
        let parse = cpu() - t0;
        let pixmap = {
            let tree = usvg::Tree::from_str(&svgs[1], &opt).unwrap();
            let mut p = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).unwrap();
            p.fill(resvg::tiny_skia::Color::WHITE);
            resvg::render(&tree, resvg::tiny_skia::Transform::identity(), &mut p.as_mut());
            p
        };
        let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
        let t0 = cpu();
        let mut size = 0;
        for _ in 0..50 {
            let mut out = Vec::new();
            use image::ImageEncoder;
            image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Fast,
                FILTER,
            )
            .write_image(&rgb, WIDTH, HEIGHT, image::ExtendedColorType::Rgb8)
            .unwrap();
            size = out.len();
        }
        let encode = (cpu() - t0) / 50.0;
        let started = cpu();
        let mut bytes = 0;
        let mut sum = Sha256::new();
        for svg in &svgs {
            let png = draw(svg, &painter, &HashMap::new(), &mut scratch).unwrap();
            bytes += png.len();
            sum.update(&png);
        }
        let took = cpu() - started;
        println!(
            "{n} cards: {:.2} ms CPU per card (parse {:.2}, encode one {:.2} ms, {} KB), {} KB per card, sha256 {}",
            took * 1000.0 / n as f64,
            parse * 1000.0 / n as f64,
            encode * 1000.0,
            size / 1024,
            bytes / n / 1024,
            hash(&sum.finalize())
        );
    }
}
