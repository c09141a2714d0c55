//! Search (`/search/` and the header box), in Chromium: what typing finds on the demo hub,
//! what it must never find (a draft, the post of a person without consent), German stems
//! and Japanese words on small hubs of their own, the keyboard and the screen-reader status,
//! the page without JavaScript, and the policy (no violation, nothing from elsewhere).

use serde::Deserialize;

use crate::common::TestSite;
use crate::harness::{Env, Js, Page};

#[derive(Deserialize, Debug)]
struct Hit {
    kind: String,
    title: String,
    url: String,
    meta: String,
    marked: Vec<String>,
}

const RESULTS: &str = r#"[...document.querySelectorAll("[data-search-results] > li")].map(li => ({
  kind: li.querySelector(".card-kicker").textContent,
  title: li.querySelector(".card-title").textContent,
  url: li.querySelector(".card-title a").getAttribute("href"),
  meta: (li.querySelector(".card-meta") || {}).textContent || "",
  marked: [...li.querySelectorAll("mark")].map(m => m.textContent),
}))"#;

fn status(page: &Page) -> String {
    page.eval("document.querySelector('[data-search-status]').textContent")
}

/// Types `query` into the search page's box, key by key, and waits until the status speaks
/// of it (the results are then drawn).
fn search(page: &Page, query: &str) -> Vec<Hit> {
    page.eval::<serde_json::Value>(
        "(() => { const i = document.querySelector('#search-q'); i.value = ''; i.focus(); })()",
    );
    if query.is_ascii() {
        page.type_text(query);
    } else {
        page.insert_text(query);
    }
    let quoted = format!("“{}”", query.trim());
    page.wait_for(&format!("results for {query}"), || status(page).contains(&quoted));
    page.eval(RESULTS)
}

fn assert_clean(page: &Page) {
    let recorded = page.recorded();
    assert!(recorded.violations.is_empty(), "CSP violations: {:?}", recorded.violations);
    assert!(recorded.exceptions.is_empty(), "script errors: {:?}", recorded.exceptions);
    drop(recorded);
    assert!(page.foreign_requests().is_empty(), "requests to other origins: {:?}", page.foreign_requests());
}

#[test]
fn typing_finds_posts_people_and_never_drafts_or_unconsented_posts() {
    let Some(env) = Env::start() else { return };
    let page = env.page(Js::Enabled);
    page.goto("/search/");

    // A word of one post's body only.
    let found = search(&page, "firmware");
    assert!(!found.is_empty(), "nothing found for a word of a post's body");
    assert_eq!(found[0].url, "/posts/double-counted-kilowatt-hours/", "{found:?}");
    assert_eq!(found[0].kind, "Post");
    assert_eq!(found[0].title, "Finding double-counted kilowatt-hours with one window function");
    assert!(found[0].meta.contains("Dawid Kowalski"), "the author is shown: {found:?}");
    assert!(found[0].meta.contains("2026"), "the date is shown: {found:?}");
    // The word is far into the post: its excerpt comes from the rest of the text, fetched
    // for this result alone.
    page.wait_for("the word marked in the excerpt", || {
        page.eval::<Vec<Hit>>(RESULTS)[0].marked.iter().any(|m| m.eq_ignore_ascii_case("firmware"))
    });
    let excerpt: String = page.eval("document.querySelector('.search-excerpt').textContent");
    assert!(excerpt.starts_with('…') && excerpt.to_lowercase().contains("firmware"), "{excerpt}");

    // A person's name leads to the profile.
    let found = search(&page, "Kowalski");
    assert_eq!(found[0].url, "/people/dawid-kowalski/", "{found:?}");
    assert_eq!(found[0].kind, "Person");

    // A stem: the form in the query is not the one in the text.
    let found = search(&page, "overlaps");
    assert!(found.iter().any(|r| r.url == "/posts/double-counted-kilowatt-hours/"), "{found:?}");

    // Words only in a draft, and only in the post of a person who has not consented.
    for hidden in ["jitter", "backoff", "workshop", "integration"] {
        let found = search(&page, hidden);
        assert!(found.is_empty(), "{hidden} found {found:?}");
        assert!(status(&page).starts_with("Nothing found"), "{}", status(&page));
    }
    // Several words: all of them must match.
    let found = search(&page, "screen reader");
    assert_eq!(found[0].url, "/posts/testing-the-portal-with-a-screen-reader/", "{found:?}");

    // The address keeps the query, so a reload or a shared link shows the same results.
    let href: String = page.eval("location.search");
    assert_eq!(href, "?q=screen+reader");
    assert_clean(&page);
}

#[test]
fn the_header_box_leads_to_the_results_and_the_keyboard_reaches_them() {
    let Some(env) = Env::start() else { return };
    let page = env.page(Js::Enabled);
    page.goto("/posts/");
    page.eval::<serde_json::Value>("document.querySelector('.header-search input').focus()");
    page.type_text("firmware");
    page.press("Enter");
    page.wait_for("the search page", || {
        page.try_eval::<String>("location.pathname").is_ok_and(|p| p == "/search/")
            && page
                .try_eval::<String>("document.querySelector('[data-search-status]').textContent")
                .is_ok_and(|s| s.contains("firmware"))
    });
    let found: Vec<Hit> = page.eval(RESULTS);
    assert_eq!(found[0].url, "/posts/double-counted-kilowatt-hours/");
    // Announced: the status is a polite live region.
    let live: (String, String) = page.eval(
        "(() => { const s = document.querySelector('[data-search-status]'); return [s.getAttribute('role'), s.getAttribute('aria-live')]; })()",
    );
    assert_eq!(live, ("status".to_string(), "polite".to_string()));
    // ↓ moves from the box to the first result, ↓ again to the next, Escape back to the box.
    let found = search(&page, "co-op");
    assert!(found.len() >= 2, "{found:?}");
    page.press("ArrowDown");
    let focused: String = page.eval("document.activeElement.getAttribute('href')");
    assert_eq!(focused, found[0].url);
    page.press("ArrowDown");
    let focused: String = page.eval("document.activeElement.getAttribute('href')");
    assert_eq!(focused, found[1].url);
    page.press("Escape");
    let focused: String = page.eval("document.activeElement.id");
    assert_eq!(focused, "search-q");
    assert_clean(&page);
}

#[test]
fn without_javascript_the_search_page_offers_tags_and_the_archive() {
    let Some(env) = Env::start() else { return };
    let page = env.page(Js::Disabled);
    page.goto("/search/?q=firmware");
    #[derive(Deserialize, Debug)]
    struct NoJs {
        notice: bool,
        notice_text: String,
        tags: usize,
        archive: usize,
        results: usize,
        form: (String, String),
        header_form: Option<(String, String)>,
    }
    let seen: NoJs = page.eval(
        r#"(() => {
          const shown = e => !!e && e.checkVisibility() && e.getBoundingClientRect().height > 0;
          const n = document.querySelector("[data-search-nojs]");
          const f = document.querySelector(".search-form");
          const h = document.querySelector(".header-search");
          return {
            notice: shown(n), notice_text: n ? n.textContent : "",
            tags: [...document.querySelectorAll(".search-browse .tag-cloud a")].filter(shown).length,
            archive: [...document.querySelectorAll(".search-browse .archive a")].filter(shown).length,
            results: document.querySelectorAll("[data-search-results] li").length,
            form: [f.getAttribute("action"), f.getAttribute("method")],
            header_form: h ? [h.getAttribute("action"), h.getAttribute("method")] : null,
          };
        })()"#,
    );
    assert!(seen.notice, "{seen:?}");
    assert!(seen.notice_text.contains("needs JavaScript"), "{seen:?}");
    assert!(seen.tags > 5 && seen.archive > 5, "{seen:?}");
    assert_eq!(seen.results, 0);
    assert_eq!(seen.form, ("/search/".to_string(), "get".to_string()));
    // The search page has its own box; every other page has the one in the header.
    assert!(seen.header_form.is_none());
    assert_clean(&page);
    let page = env.page(Js::Disabled);
    page.goto("/posts/testing-the-portal-with-a-screen-reader/");
    let header: (String, String) = page.eval(
        "(() => { const h = document.querySelector('.header-search'); return [h.getAttribute('action'), h.getAttribute('method')]; })()",
    );
    assert_eq!(header, ("/search/".to_string(), "get".to_string()));
    assert_clean(&page);
}

fn hub(language: &str, posts: &[(&str, &str, &str)]) -> TestSite {
    let mut site = TestSite::new()
        .file("chorus.yaml", format!("title: Hub\nbase_url: https://hub.example\nlanguage: {language}\n"))
        .file("content/people/ana.md", "---\nname: Ana Lima\nconsent: true\n---\nAna.\n");
    for (slug, title, body) in posts {
        site = site.file(
            &format!("content/posts/2026-11-01-{slug}.md"),
            format!("---\ntitle: {title}\ndate: 2026-11-01\nauthor: ana\n---\n{body}\n"),
        );
    }
    site
}

#[test]
fn german_words_are_found_by_their_stem() {
    let site = hub(
        "de",
        &[
            ("heizung", "Unsere neue Heizung", "Seit Oktober heizt eine Wärmepumpe das Büro."),
            ("garten", "Der Garten", "Im Garten wachsen Tomaten und Bohnen."),
        ],
    );
    let Some(env) = Env::start_hub(site) else { return };
    let page = env.page(Js::Enabled);
    page.goto("/search/");
    let found = search(&page, "Wärmepumpen");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].url, "/posts/heizung/");
    assert!(found[0].marked.iter().any(|m| m == "Wärmepumpe"), "{found:?}");
    // Without the umlaut, and in capitals, too.
    assert_eq!(search(&page, "WARMEPUMPE")[0].url, "/posts/heizung/");
    assert!(search(&page, "Tomate")[0].url == "/posts/garten/");
    assert_clean(&page);
}

#[test]
fn japanese_words_are_found_without_spaces() {
    let site = hub(
        "ja",
        &[
            ("solar", "屋根の太陽光発電", "東京都の小学校の屋根に太陽光パネルを設置しました。"),
            ("river", "川沿いのランニング", "毎週土曜日に川沿いを走ります。"),
        ],
    );
    let Some(env) = Env::start_hub(site) else { return };
    let page = env.page(Js::Enabled);
    page.goto("/search/");
    let found = search(&page, "太陽光");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].url, "/posts/solar/");
    assert!(found[0].marked.iter().any(|m| m.contains("太陽光")), "{found:?}");
    assert_eq!(search(&page, "小学校")[0].url, "/posts/solar/");
    assert_eq!(search(&page, "土曜日")[0].url, "/posts/river/");
    assert!(search(&page, "京都大学").is_empty(), "all the pairs must match");
    assert_clean(&page);
}

#[test]
fn results_are_ranked_by_where_the_word_stands_across_many_posts() {
    // Forty posts with the word in the body; one has it three times, the oldest (the last
    // document) in its title; `hums` only in two posts far apart in the index (document
    // numbers and their differences of more than one digit).
    let mut site = TestSite::new()
        .file("chorus.yaml", "title: Hub\nbase_url: https://hub.example\nsocial_cards: false\n")
        .file("content/people/ana.md", "---\nname: Ana Lima\nconsent: true\n---\nAna.\n");
    for i in 0..40 {
        let title = if i == 0 { "The old turbine".to_string() } else { format!("Notes {i}") };
        let body = match i {
            7 => "The turbine, the turbine and the turbine.",
            2 | 39 => "The turbine hums.",
            _ => "The turbine turns.",
        };
        let date = format!("2026-{:02}-{:02}", 1 + i / 28, 1 + i % 28);
        site = site.file(
            &format!("content/posts/{date}-p{i:02}.md"),
            format!("---\ntitle: {title}\ndate: {date}\nauthor: ana\n---\n{body}\n"),
        );
    }
    let Some(env) = Env::start_hub(site) else { return };
    let page = env.page(Js::Enabled);
    page.goto("/search/");
    let found = search(&page, "turbine");
    assert_eq!(found.len(), 10, "a first page of results: {found:?}");
    assert_eq!(found[0].url, "/posts/p00/", "the title first: {found:?}");
    assert_eq!(found[1].url, "/posts/p07/", "then three times in the body: {found:?}");
    // Then the newest first, among equals.
    assert_eq!(found[2].url, "/posts/p39/", "{found:?}");
    assert!(status(&page).contains("40"), "{}", status(&page));
    let found = search(&page, "turbine hums");
    let urls: Vec<&str> = found.iter().map(|h| h.url.as_str()).collect();
    assert_eq!(urls, ["/posts/p39/", "/posts/p02/"]);
    assert_clean(&page);
}

/// Screenshots of the search page with results, at phone and desktop widths, light and dark,
/// under `target/screenshots/` (to look at; nothing is compared).
#[test]
fn screenshots_of_the_search_page() {
    let Some(env) = Env::start() else { return };
    let page = env.page(Js::Enabled);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    for width in [390, 1280] {
        for dark in [false, true] {
            page.goto("/search/?q=meter");
            page.wait_for("results", || status(&page).contains("“meter”"));
            let scheme = if dark { "dark" } else { "light" };
            page.screenshot_at(&dir.join(format!("search-{width}-{scheme}.png")), width, dark);
            // The box in the header of every other page.
            page.goto("/people/");
            page.screenshot_at(&dir.join(format!("header-{width}-{scheme}.png")), width, dark);
        }
    }
    assert_clean(&page);
}
