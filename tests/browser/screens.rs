//! The demo as people see it: the home, a post, a cause, a person and a digest week, on a
//! phone (390 px) and a desktop (1280 px), in light and dark mode. Each is screenshotted into
//! `target/screenshots/` (printed at the end, to be looked at), and checked: nothing scrolls
//! sideways, axe-core finds nothing serious or critical (colour contrast included), and on a
//! phone the share control of a post or cause is on the first screen.
//!
//! axe-core comes from npm (`.ci/run` installs it into `target/browser-deps/`); without it the
//! axe part is skipped with a message, unless `CHORUS_REQUIRE_BROWSER=1`.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::harness::{Env, Js, Page, Scheme};

/// (name, path, has a share control).
const PAGES: &[(&str, &str, bool)] = &[
    ("home", "/", false),
    ("post", "/posts/testing-the-portal-with-a-screen-reader/", true),
    ("post-code", "/posts/rewriting-meter-ingest-in-rust/", true),
    ("cause", "/causes/eastbrook-pantry-winter-appeal/", true),
    ("cause-gig", "/causes/the-low-meadows-january-gig/", true),
    ("person", "/people/hana-sato/", false),
    ("people", "/people/", false),
    ("digest", "/digest/2026-W47/", false),
];

const SCREENS: &[(&str, u32, u32, bool)] = &[("mobile", 390, 844, true), ("desktop", 1280, 900, false)];

/// Where axe-core's browser build is installed (see `.ci/run`).
fn axe_path() -> PathBuf {
    match std::env::var_os("CHORUS_AXE") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-deps/node_modules/axe-core/axe.min.js"),
    }
}

fn axe_source() -> Option<String> {
    let path = axe_path();
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) if std::env::var_os("CHORUS_REQUIRE_BROWSER").is_some_and(|v| v == "1") => {
            panic!("axe-core is not installed at {} (see .ci/run: npm install axe-core)", path.display())
        }
        Err(_) => {
            let _ = writeln!(std::io::stderr(), "skipped: axe-core not installed at {}", path.display());
            None
        }
    }
}

pub fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

#[derive(Deserialize, Debug)]
struct Finding {
    id: String,
    impact: String,
    help: String,
    nodes: Vec<String>,
}

/// axe-core's serious and critical findings on the page (WCAG 2 A and AA rules, best practices).
fn axe(page: &Page, source: &str) -> Vec<Finding> {
    if !page.eval::<bool>("typeof axe !== 'undefined'") {
        let _: serde_json::Value = page.eval(&format!("{source}\n;null"));
    }
    page.eval(
        "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, \
         resultTypes: ['violations'] }).then(r => r.violations \
         .filter(v => v.impact === 'serious' || v.impact === 'critical') \
         .map(v => ({ id: v.id, impact: v.impact, help: v.help, \
           nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\\s+/g, ' ')) })))",
    )
}

/// Elements wider than the screen, for the failure message.
const OVERFLOW: &str = "(() => { const w = document.documentElement.clientWidth; \
  return { scroll: document.documentElement.scrollWidth, width: w, \
  wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1) \
    .filter(e => !e.closest('pre')).slice(0, 8) \
    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right)) }; })()";

#[derive(Deserialize, Debug)]
struct Overflow {
    scroll: u32,
    width: u32,
    wide: Vec<String>,
}

/// Every lazy image loaded, so screenshots and contrast checks see the real page.
fn load_images(page: &Page) {
    let _: serde_json::Value = page.eval(
        "Promise.all([...document.images].map(i => { i.loading = 'eager'; return i.decode().catch(() => null); })) \
         .then(() => null)",
    );
}

#[test]
fn pages_fit_the_screen_pass_axe_and_show_the_share_control() {
    let Some(env) = Env::start() else { return };
    let axe_source = axe_source();
    let dir = screenshot_dir();
    let mut problems = Vec::new();
    // One tab for every screen and scheme: fewer browser processes on a busy machine.
    let page = env.page(Js::Enabled);
    for &(screen, width, height, mobile) in SCREENS {
        for scheme in [Scheme::Light, Scheme::Dark] {
            for &(name, path, has_share) in PAGES {
                page.goto(path);
                // Set after the page loaded: the layout and media queries follow at once.
                page.emulate(width, height, mobile, scheme);
                load_images(&page);
                let at = format!("{name} ({path}) at {width} px, {}", scheme.id());

                let overflow: Overflow = page.eval(OVERFLOW);
                if overflow.scroll > overflow.width {
                    problems.push(format!(
                        "{at}: scrolls sideways ({} px wide on a {} px screen): {:?}",
                        overflow.scroll, overflow.width, overflow.wide
                    ));
                }

                if has_share && mobile {
                    let bottom: Option<f64> = page.eval(
                        "(() => { const e = document.querySelector('.share-jump-link'); \
                         return e && e.checkVisibility() ? e.getBoundingClientRect().bottom : null; })()",
                    );
                    match bottom {
                        Some(b) if b <= f64::from(height) => {}
                        other => {
                            problems.push(format!("{at}: the share control is not on the first screen: {other:?}"))
                        }
                    }
                }

                if let Some(source) = &axe_source {
                    for f in axe(&page, source) {
                        problems.push(format!(
                            "{at}: axe {} ({}): {}\n    {}",
                            f.id,
                            f.impact,
                            f.help,
                            f.nodes.join("\n    ")
                        ));
                    }
                }

                page.screenshot(&dir.join(format!("{name}-{screen}-{}.png", scheme.id())));
            }
        }
    }
    let recorded = page.recorded();
    assert!(recorded.exceptions.is_empty(), "script errors: {:#?}", recorded.exceptions);
    let _ = writeln!(std::io::stderr(), "screenshots: {}", dir.display());
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
