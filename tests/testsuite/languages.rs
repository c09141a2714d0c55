//! Hubs in several languages (DESIGN §13), on the `languages` fixture: English at `/`,
//! German at `/de/`, Arabic at `/ar/`. Translations are sibling files (`a.de.md`,
//! `index.de.md`), a post may exist in German only (`language: de`), and every page names its
//! translations (`hreflang`, the switcher, the sitemap). Also: what `check` says about
//! translations that cannot be, and that a hub without `languages:` is as it was.

use atom_syndication::Feed;

use crate::common::{attribute, split_query, Page, Run, TestSite};

const BASE: &str = "https://voices.harbour.example";

fn built() -> Run {
    let run = TestSite::fixture("languages").build();
    run.success();
    run
}

/// The `hreflang` alternates of a page: (hreflang, href), in order.
fn alternates(page: &Page) -> Vec<(String, String)> {
    page.html
        .split('<')
        .filter(|t| t.starts_with("link ") && t.contains("hreflang="))
        .map(|t| (attribute(t, "hreflang").unwrap(), attribute(t, "href").unwrap()))
        .collect()
}

/// The language switcher's links: (hreflang, href).
fn switcher(page: &Page) -> Vec<(String, String)> {
    let Some(start) = page.html.find("class=\"language-switcher\"") else { return Vec::new() };
    let nav = &page.html[start..start + page.html[start..].find("</nav>").unwrap()];
    nav.split('<')
        .filter(|t| t.starts_with("a "))
        .map(|t| (attribute(t, "hreflang").unwrap(), attribute(t, "href").unwrap()))
        .collect()
}

/// `/de/posts/x/` → `de/posts/x/index.html`.
fn file_of(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}

fn feed(run: &Run, rel: &str) -> Feed {
    let xml = run.page(rel).html;
    xml.parse::<Feed>().unwrap_or_else(|e| panic!("{rel} is not an Atom feed ({e}):\n{xml}"))
}

#[test]
fn each_language_has_its_pages_under_its_own_root() {
    let run = built();
    for page in ["index.html", "posts/hello/index.html", "posts/only-english/index.html", "posts/roof/index.html"] {
        run.page(page).has("<html lang=\"en\" dir=\"ltr\">");
    }
    for page in [
        "de/index.html",
        "de/posts/hello/index.html",
        "de/posts/nur-deutsch/index.html",
        "de/posts/roof/index.html",
        "de/causes/river-run/index.html",
        "de/about/index.html",
        "de/people/ana/index.html",
    ] {
        run.page(page).has("<html lang=\"de\" dir=\"ltr\">");
    }
    run.page("ar/posts/hello/index.html").has("<html lang=\"ar\" dir=\"rtl\">").has("مرحبًا من فريق البناء");
    // A post only in English has no German page, and the German-only post no English one.
    run.assert_absent("de/posts/only-english/index.html");
    run.assert_absent("posts/nur-deutsch/index.html");
    // Listings show their own language's posts alone.
    run.page("posts/index.html").has("Notes only in English").lacks("Ein Beitrag nur auf Deutsch").lacks("Hallo vom");
    run.page("de/posts/index.html")
        .has("Ein Beitrag nur auf Deutsch")
        .has("Hallo vom Build-Team")
        .lacks("Notes only in English")
        .lacks("Hello from the build team");
    // The theme's texts are the page's language's, the script's too.
    run.page("de/posts/hello/index.html")
        .has("<nav aria-label=\"Hauptmenü\">")
        .has("data-t-share-copy-open=\"Nachricht kopieren, {network} öffnen\"")
        .has("2. November 2026");
    run.page("ar/posts/hello/index.html").has("data-t-share-copied=\"تم النسخ.");
    // The theme's files are shared, never copied per language.
    run.assert_absent("de/style.css");
    run.page("de/index.html").has("href=\"/style.css\"").has("href=\"/de/posts/\"").has("href=\"/de/feed.xml\"");
}

#[test]
fn a_translation_takes_what_it_does_not_write_from_its_original() {
    let run = built();
    let de = run.page("de/posts/roof/index.html");
    // Its own title and image description; the original's date, authors, tags and image.
    de.has("Das Schuldach, ein Jahr später").has("Ein Schuldach mit Solarmodulen").lacks("A school roof with solar");
    de.has("2026-11-08T09:00:00Z").has("/de/people/ana/").has("/de/people/ben/").has("/de/tags/solar/");
    assert!(de.html.contains("cover."), "the original's image is shown:\n{}", de.html);
    // A translated profile: German role, the original's name.
    run.page("de/people/ana/index.html").has("Plattform-Entwicklerin").has("Ana Lima");
    // An untranslated profile is in every language, as written, and says what language
    // its text is in; a translated one, or one in its own language, needs not.
    run.page("de/people/ben/index.html").has("Ben Okafor").has("I write about the harbour.");
    run.page("de/people/ben/index.html").has("<div class=\"bio p-note\" lang=\"en\">");
    run.page("de/people/ana/index.html").has("<div class=\"bio p-note\">");
    run.page("people/ben/index.html").has("<div class=\"bio p-note\">");
    // A translated cause keeps its date and owner, with its own place name.
    run.page("de/causes/river-run/index.html").has("Flusslauf für die Otter").has("Stadtbrücke").has("/de/people/ana/");
}

#[test]
fn every_page_names_its_translations_and_the_switcher_leads_to_pages_that_exist() {
    let run = built();
    let en = run.page("posts/hello/index.html");
    assert_eq!(
        alternates(&en),
        [
            ("en".to_string(), format!("{BASE}/posts/hello/")),
            ("de".to_string(), format!("{BASE}/de/posts/hello/")),
            ("ar".to_string(), format!("{BASE}/ar/posts/hello/")),
            ("x-default".to_string(), format!("{BASE}/posts/hello/")),
        ]
    );
    // The German page names the same set.
    assert_eq!(alternates(&run.page("de/posts/hello/index.html")), alternates(&en));
    // A page in one language only has no alternates, and its switcher leads to the other
    // languages' homes.
    let only = run.page("de/posts/nur-deutsch/index.html");
    assert!(alternates(&only).is_empty());
    assert_eq!(
        switcher(&only),
        [("en".into(), "/".into()), ("de".into(), "/de/posts/nur-deutsch/".into()), ("ar".into(), "/ar/".into())]
    );
    // Every switcher link of every page leads to a page of the output.
    let pages: Vec<String> = run.files().into_iter().filter(|f| f.ends_with(".html")).collect();
    for rel in &pages {
        let page = run.page(rel);
        if page.html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        let links = switcher(&page);
        assert_eq!(links.len(), 3, "{rel} has no language switcher");
        for (_, href) in links {
            assert!(run.exists(&file_of(&href)), "{rel}: the switcher links to {href}, which is not a page");
        }
    }
}

#[test]
fn links_between_languages_go_to_the_translation_or_else_the_original() {
    let run = built();
    let de = run.page("de/posts/hello/index.html");
    // No German notes: the link goes to the English page. The roof is translated: German.
    de.assert_links_to("/posts/only-english/").assert_links_to("/de/posts/roof/");
}

#[test]
fn feeds_are_per_language() {
    let run = built();
    let de = feed(&run, "de/feed.xml");
    let mut titles: Vec<&str> = de.entries().iter().map(|e| e.title().as_str()).collect();
    titles.sort();
    assert_eq!(titles, ["Das Schuldach, ein Jahr später", "Ein Beitrag nur auf Deutsch", "Hallo vom Build-Team"]);
    assert_eq!(de.lang(), Some("de"));
    for e in de.entries() {
        assert!(e.id().starts_with(&format!("{BASE}/de/posts/")), "{}", e.id());
    }
    let en = feed(&run, "feed.xml");
    let titles: Vec<&str> = en.entries().iter().map(|e| e.title().as_str()).collect();
    assert!(
        titles.contains(&"Notes only in English") && !titles.contains(&"Ein Beitrag nur auf Deutsch"),
        "{titles:?}"
    );
    feed(&run, "de/causes/feed.xml");
    feed(&run, "de/people/ana/feed.xml");
    feed(&run, "de/tags/energie/feed.xml");
}

#[test]
fn the_sitemap_lists_every_language_with_its_alternates() {
    let run = built();
    let map = run.page("sitemap.xml");
    map.has("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"")
        .has(&format!("<loc>{BASE}/de/posts/nur-deutsch/</loc></url>"))
        .has(&format!(
            "<url><loc>{BASE}/de/posts/hello/</loc>\n    <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{BASE}/posts/hello/\"/>"
        ))
        .lacks("404.html");
    assert_eq!(run.page("robots.txt").count("Sitemap:"), 1);
}

#[test]
fn a_share_kit_speaks_the_language_of_its_post() {
    let run = built();
    let de = run.page("de/posts/hello/index.html");
    let mastodon = de.hrefs().into_iter().find(|h| h.starts_with("https://share.joinmastodon.org/")).unwrap();
    let (_, query) = split_query(&mastodon);
    assert_eq!(
        query[0].1,
        "Wie unsere Deploy-Pipeline auf einen Bildschirm passt. (Ich arbeite bei Harbour.) https://voices.harbour.example/de/posts/hello/"
    );
    let ar = run.page("ar/posts/hello/index.html");
    let mastodon = ar.hrefs().into_iter().find(|h| h.starts_with("https://share.joinmastodon.org/")).unwrap();
    let (_, query) = split_query(&mastodon);
    assert!(query[0].1.contains("(أعمل في Harbour)") && query[0].1.contains("/ar/posts/hello/"), "{}", query[0].1);
}

#[test]
fn calendars_speak_the_language_of_their_cause() {
    let run = built();
    let unfold = |rel: &str| String::from_utf8(run.bytes(rel)).unwrap().replace("\r\n ", "").replace("\\n", "\n");
    let de = unfold("de/causes/river-run/event.ics");
    assert!(de.contains("SUMMARY:Flusslauf für die Otter"), "{de}");
    assert!(de.contains("Ein Anliegen von Ana Lima (Veranstaltung)."), "{de}");
    let all = unfold("de/causes/calendar.ics");
    assert!(all.contains("X-WR-CALNAME:Anliegen · Harbour Voices"), "{all}");
    // English keeps its words, as in a hub with one language.
    let en = unfold("causes/river-run/event.ics");
    assert!(en.contains("Ana Lima’s cause (event)."), "{en}");
    assert!(unfold("causes/calendar.ics").contains("X-WR-CALNAME:Causes · Harbour Voices"));
}

#[test]
fn the_digest_comes_in_each_language() {
    let site = TestSite::fixture("languages");
    let run = site.digest(&["--week", "2026-W45", "--language", "de"]);
    run.success().stdout_has("Ein Beitrag nur auf Deutsch").stdout_lacks("Notes only in English");
    let run = site.digest(&["--week", "2026-W45"]);
    run.success().stdout_has("Notes only in English").stdout_lacks("Ein Beitrag nur auf Deutsch");
    site.digest(&["--week", "2026-W45", "--language", "fr"])
        .usage_error()
        .stderr_has("the hub's languages are en, de, ar");
}

#[test]
fn translations_that_cannot_be_are_reported_where_they_are() {
    let site = TestSite::fixture("languages")
        // No original beside it.
        .file("content/posts/2026-11-09-lost.de.md", "---\ntitle: Verloren\n---\nText.\n")
        // A language the hub does not have, in a name and in front matter.
        .file("content/posts/2026-11-02-hello.fr.md", "---\ntitle: Bonjour\n---\nTexte.\n")
        .file(
            "content/posts/2026-11-10-ola.md",
            "---\ntitle: Olá\ndate: 2026-11-10\nauthor: ana\nlanguage: pt\n---\nTexto.\n",
        )
        // Two German files for one post.
        .file(
            "content/posts/2026-11-05-only-english.md",
            "---\ntitle: Notes only in English\ndate: 2026-11-05T09:00:00Z\nauthor: ben\nlanguage: de\n---\nText.\n",
        )
        .file("content/posts/2026-11-05-only-english.de.md", "---\ntitle: Nur Notizen\n---\nText.\n")
        // A translation that credits someone else, and one that sets consent.
        .file("content/posts/2026-11-08-roof/index.ar.md", "---\ntitle: سقف المدرسة\nauthor: omar\n---\nنص.\n")
        .file("content/people/ben.de.md", "---\nrole: Autor\nconsent: false\n---\nIch schreibe.\n");
    let run = site.check(&[]);
    run.failure();
    let d = run.error("content/posts/2026-11-09-lost.de.md:1:1", "there is no `2026-11-09-lost.md` beside it");
    assert_eq!(d.code, "translation-without-original");
    assert!(d.hint.unwrap().contains("language: de"));
    let d = run.error(
        "content/posts/2026-11-02-hello.fr.md:1:1",
        "`fr`, which is not one of the hub's languages (en, de, ar)",
    );
    assert_eq!(d.code, "not-a-hub-language");
    let d = run.error("content/posts/2026-11-10-ola.md:5:11", "`pt` is not one of the hub's languages");
    assert_eq!(d.code, "not-a-hub-language");
    // Reported at the `language:` that makes the second German file.
    let d = run.error(
        "content/posts/2026-11-05-only-english.md:5:11",
        "`content/posts/2026-11-05-only-english.de.md` already gives this in `de`",
    );
    assert_eq!(d.code, "duplicate-translation");
    let d = run
        .diagnostic("content/posts/2026-11-08-roof/index.ar.md:3:1", "credits omar, but the original credits ana, ben");
    assert_eq!(d.code, "translation-authors");
    assert!(!d.is_error() && d.hint.unwrap().contains("authors_changed: true"));
    let d = run.error("content/people/ben.de.md:3:1", "a translation cannot set `consent`");
    assert_eq!(d.code, "translation-key");
    // Nothing is said twice: a value a translation takes from its original is the
    // original's to report.
    assert!(run.diagnostics().iter().all(|d| d.line < 1000), "{:#?}", run.diagnostics());
}

#[test]
fn authors_changed_says_the_difference_is_meant() {
    let run = TestSite::fixture("languages")
        .file(
            "content/posts/2026-11-08-roof/index.ar.md",
            "---\ntitle: سقف المدرسة\nauthor: omar\nauthors_changed: true\n---\nنص.\n",
        )
        .check(&[]);
    run.success();
    assert!(run.diagnostics().iter().all(|d| d.code != "translation-authors"), "{:#?}", run.diagnostics());
    run.diagnostics();
}

#[test]
fn configuration_mistakes_about_languages_are_reported_at_their_key() {
    let config = std::fs::read_to_string(crate::common::repo().join("tests/fixtures/languages/chorus.yaml")).unwrap();
    let run = TestSite::fixture("languages")
        .file(
            "chorus.yaml",
            config
                .replace("default_language: en", "default_language: fr")
                .replace("  ar:\n    name", "  AR:\n    name"),
        )
        .check(&[]);
    run.failure();
    run.error("chorus.yaml:9:19", "`default_language` is `fr`, which is not in `languages`");
    run.error("chorus.yaml:16:3", "`AR` is not a language code");
    run.error("chorus.yaml:8:3", "`disclosure.ar`: `ar` is not one of the hub's languages");
}

#[test]
fn a_page_cannot_take_the_address_of_a_language() {
    let run =
        TestSite::fixture("languages").file("content/pages/de.md", "---\ntitle: Deutsch\n---\nText.\n").check(&[]);
    let d = run.error("content/pages/de.md:1:1", "a page cannot have the address `/de/`");
    assert_eq!(d.code, "reserved-slug");
}

/// Without `languages:`, a file name with a dot is only a name, and pages carry no
/// language machinery: nothing changes for a hub in one language.
#[test]
fn a_hub_without_languages_is_as_it_was() {
    let run = TestSite::fixture("minimal")
        .file(
            "content/posts/2026-11-02-release.v1.de.md",
            "---\ntitle: Release notes\ndate: 2026-11-02\nauthor: ana\n---\nText.\n",
        )
        .build();
    run.success();
    let page = run.page("index.html");
    page.lacks(" dir=").lacks("hreflang").lacks("language-switcher").lacks("data-t-").has("href=\"/posts/\"");
    assert!(
        run.files().iter().any(|f| f.contains("release-v1-de") || f.contains("release.v1.de")),
        "{:?}",
        run.files()
    );
    run.page("sitemap.xml").lacks("xhtml");
    // `language:` in front matter needs `languages:`.
    let run = TestSite::fixture("minimal")
        .file(
            "content/posts/2026-11-03-hallo.md",
            "---\ntitle: Hallo\ndate: 2026-11-03\nauthor: ana\nlanguage: de\n---\nText.\n",
        )
        .check(&[]);
    let d = run.error("content/posts/2026-11-03-hallo.md:5:11", "`language: de` needs the hub's `languages:`");
    assert_eq!(d.code, "not-a-hub-language");
}
