//! `chorus build` on the `basic` fixture: which pages exist, what they say, what is left out.

use std::fs;

use crate::common::{files_under, Severity, TestSite};

/// The posts of the `basic` fixture that have a page at `NOW`.
const PUBLISHED_POSTS: &[&str] = &["hello-harbour", "joint-release", "solar-roof", "autumn-webinar"];

#[test]
fn basic_hub_builds_every_kind_of_page() {
    let site = TestSite::fixture("basic");
    let run = site.build();
    run.success().stderr_has("Built ").assert_counts(0, 1, 1);
    for page in [
        "index.html",
        "404.html",
        "posts/index.html",
        "people/index.html",
        "people/ana/index.html",
        "people/ben/index.html",
        "causes/index.html",
        "causes/harbour-swim/index.html",
        "causes/book-swap/index.html",
        "tags/index.html",
        "tags/engineering/index.html",
        "tags/open-source/index.html",
        "tags/data/index.html",
        "about/index.html",
        "guidelines/index.html",
        "highlight.css",
        "style.css",
        "chorus.js",
        ".chorus-output",
    ] {
        run.assert_exists(page);
    }
    for slug in PUBLISHED_POSTS {
        run.assert_exists(&format!("posts/{slug}/index.html"));
    }
    run.page("404.html").has("Page not found");
    run.page("people/index.html").assert_links_to("/people/ana/").assert_links_to("/people/ben/");
    run.page("tags/index.html")
        .assert_links_to("/tags/engineering/")
        .assert_links_to("/tags/open-source/")
        .assert_links_to("/tags/data/");
    run.page("about/index.html").has("<h1>About Harbour Voices</h1>").has("written by the person whose name is on it");
}

#[test]
fn pretty_urls_come_from_file_names_without_the_date() {
    let run = TestSite::fixture("basic").build();
    run.success();
    let posts: Vec<String> = run
        .files()
        .into_iter()
        .filter(|f| f.starts_with("posts/") && f.ends_with("/index.html") && f != "posts/index.html")
        .collect();
    let mut expected: Vec<String> = PUBLISHED_POSTS.iter().map(|s| format!("posts/{s}/index.html")).collect();
    expected.sort();
    assert_eq!(posts, expected, "exactly the published posts have pages");
}

#[test]
fn people_without_consent_and_withdrawn_people_are_left_out_with_all_they_are_credited_on() {
    let run = TestSite::fixture("basic").build();
    run.success();
    for absent in [
        "people/carl/index.html",
        "people/dora/index.html",
        // Carl's own post, and a post Ana wrote with Dora (withdrawn).
        "posts/carls-notes/index.html",
        "posts/with-dora/index.html",
        // Their causes.
        "causes/carl-run/index.html",
        "causes/dora-gig/index.html",
        // Tags used only by their posts.
        "tags/sales/index.html",
        "tags/design/index.html",
    ] {
        run.assert_absent(absent);
    }
    // Not a name, not a title, anywhere.
    for file in run.files() {
        let bytes = run.bytes(&file);
        let text = String::from_utf8_lossy(&bytes);
        for hidden in ["Carl Nyberg", "Dora Vance", "Notes from the sales conference", "Designing the new invoices"] {
            assert!(!text.contains(hidden), "{file} mentions {hidden:?}");
        }
    }
    run.page("people/ana/index.html").assert_no_link_to("/posts/with-dora/").assert_links_to("/posts/joint-release/");
}

#[test]
fn a_person_without_consent_is_a_warning_naming_what_is_held_back() {
    let run = TestSite::fixture("basic").build();
    run.success();
    let d = run.diag_at("content/people/carl.md:1:1");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        d.message,
        "Carl Nyberg has not given consent, so their profile and what they are credited on are not published: \
         content/posts/2026-11-10-carls-notes.md, content/causes/carl-run.md"
    );
    assert_eq!(d.hint.as_deref(), Some("only Carl Nyberg can give consent: they add the line `consent: true` to this file themselves, in a commit of their own"));
    // Withdrawing is the person's own choice: no warning for Dora.
    run.stderr_lacks("Dora");
}

#[test]
fn no_email_address_is_published() {
    let site = TestSite::fixture("basic");
    let run = site.build();
    run.success();
    let emails = [
        "ana.lima@harbour.example",
        "ben.okoro@harbour.example",
        "carl.nyberg@harbour.example",
        "dora.vance@harbour.example",
    ];
    let files = run.files();
    assert!(files.len() > 20, "{files:?}");
    for file in files {
        let text = String::from_utf8_lossy(&run.bytes(&file)).into_owned();
        for email in emails {
            assert!(!text.contains(email), "{file} publishes {email}");
        }
        if let Some(found) = find_email(&text) {
            panic!("{file} publishes an email address: {found}");
        }
    }
}

/// The first `local@domain.tld` in `text`, if any.
fn find_email(text: &str) -> Option<String> {
    let is_local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let is_domain = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    for (i, _) in text.match_indices('@') {
        let local: String = text[..i].chars().rev().take_while(|&c| is_local(c)).collect();
        let domain: String = text[i + 1..].chars().take_while(|&c| is_domain(c)).collect();
        let domain = domain.trim_end_matches('.');
        let tld_ok = domain
            .rsplit_once('.')
            .is_some_and(|(_, tld)| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if !local.is_empty() && tld_ok {
            return Some(format!("{}@{domain}", local.chars().rev().collect::<String>()));
        }
    }
    None
}

#[test]
fn the_email_scanner_finds_addresses() {
    assert_eq!(find_email("write to ana.lima@harbour.example."), Some("ana.lima@harbour.example".into()));
    assert_eq!(find_email("@handle and a@b"), None);
}

#[test]
fn bundle_images_are_copied_beside_the_post_page() {
    let site = TestSite::fixture("basic");
    let run = site.build();
    run.success();
    // The image is published under its own name too (for links to it), as a clean PNG: its
    // pixels are the original's, re-encoded without metadata, so its IHDR says 4×3.
    let published = run.bytes("posts/solar-roof/cover.png");
    assert!(published.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert_eq!(&published[12..24], b"IHDR\0\0\0\x04\0\0\0\x03", "4×3");
    // The Markdown's relative image becomes the content-hashed file beside the page, with
    // its size and WebP variants; the preview image is absolute, with the size of the file.
    let page = run.page("posts/solar-roof/index.html");
    let img =
        page.html.split("<img ").find(|tag| tag.contains("alt=\"Panels on the roof at noon\"")).expect("the image");
    let src = crate::common::attribute(&format!("<img {img}"), "src").unwrap();
    assert!(src.starts_with("/posts/solar-roof/cover.") && src.ends_with(".png"), "{src}");
    assert!(run.out.join(src.trim_start_matches('/')).is_file(), "{src} is published");
    assert!(img.contains(r#"width="4" height="3""#), "{img}");
    page.has(&format!(r#"<meta property="og:image" content="https://voices.harbour.example{src}">"#))
        .has(r#"<meta property="og:image:width" content="4">"#)
        .has(r#"<meta property="og:image:height" content="3">"#)
        .has(r#"<meta property="og:image:alt" content="Solar panels on a school roof">"#);
    // The bundle's index.md is content, not an asset.
    run.assert_absent("posts/solar-roof/index.md");
}

#[test]
fn bundles_of_unpublished_posts_are_not_copied() {
    let run = TestSite::fixture("basic")
        .file(
            "content/posts/2026-11-16-secret-bundle/index.md",
            "---\ntitle: Secret\ndate: 2026-11-16\nauthor: ana\ndraft: true\n---\n![A chart](chart.png)\n",
        )
        .file("content/posts/2026-11-16-secret-bundle/chart.png", b"not really a png")
        .build();
    run.success();
    run.assert_absent("posts/secret-bundle/index.html").assert_absent("posts/secret-bundle/chart.png");
}

/// A bundle's files are copied beside the post's page; one named `index.html` must not
/// replace the page itself (that would also publish unsanitized HTML).
#[test]
fn a_bundle_file_cannot_replace_the_post_page() {
    let run = TestSite::fixture("minimal")
        .file(
            "content/posts/bundle/index.md",
            "---\ntitle: Bundle\ndate: 2026-11-03\nauthor: ana\n---\nReal post body.\n",
        )
        .file("content/posts/bundle/index.html", "<script>alert(1)</script>")
        .build();
    if run.code == Some(0) {
        run.page("posts/bundle/index.html").has("Real post body.").lacks("<script>alert(1)</script>");
    } else {
        run.failure();
        assert!(run.diagnostics().iter().any(|d| d.file == "content/posts/bundle/index.html"), "{run:?}");
    }
}

#[test]
fn markdown_gets_heading_ids_highlighting_and_resolved_internal_links() {
    let run = TestSite::fixture("basic").build();
    run.success();
    let page = run.page("posts/hello-harbour/index.html");
    page.has(r#"<h2 id="getting-started">Getting started</h2>"#)
        .has(r#"<pre class="code" tabindex="0" data-lang="rust"><code class="language-rust">"#)
        .has(r#"<span class="hl-"#)
        .has("<kbd>Ctrl</kbd>")
        .assert_links_to("/posts/joint-release/")
        .assert_links_to("#getting-started");
    assert!(!page.hrefs().iter().any(|h| h.starts_with("@/")), "an `@/` link was left as is");
    // The highlighting is class based, with the stylesheet generated from the syntect themes.
    let css = run.page("highlight.css");
    css.has(".hl-");
    page.lacks("style=\"");
}

#[test]
fn raw_html_in_markdown_is_sanitized_by_default() {
    let run = TestSite::fixture("basic").build();
    run.success();
    let page = run.page("posts/hello-harbour/index.html");
    page.lacks("raw-script-marker").lacks("<script>alert");
    // The theme's own scripts are still there.
    page.has(r#"<script src="/chorus.js" defer></script>"#);
}

#[test]
fn raw_html_is_kept_with_unsafe_html() {
    let site = TestSite::fixture("basic");
    let config = fs::read_to_string(site.root().join("chorus.yaml")).unwrap();
    let run = site.file("chorus.yaml", format!("{config}unsafe_html: true\n")).build();
    run.success();
    run.page("posts/hello-harbour/index.html").has(r#"<script>alert("raw-script-marker")</script>"#);
}

#[test]
fn raw_html_loses_event_handlers_styles_and_unsafe_urls() {
    let run = TestSite::fixture("minimal")
        .file(
            "content/posts/raw.md",
            "---\ntitle: Raw\ndate: 2026-11-03\nauthor: ana\n---\n\
             <p style=\"color: red\">Red</p>\n\n\
             <img src=\"x.png\" alt=\"An x\" onerror=\"alert(1)\">\n\n\
             <a href=\"javascript:alert(2)\">click</a> <iframe src=\"/frame.html\"></iframe>\n",
        )
        .build();
    run.success();
    let page = run.page("posts/raw/index.html");
    let body = &page.html[page.html.find("<main").unwrap()..];
    for bad in ["style=", "onerror", "javascript:", "<iframe"] {
        assert!(!body.contains(bad), "{bad:?} survived sanitizing:\n{body}");
    }
    page.has("Red").has(r#"alt="An x""#).has(">click</a>");
}

#[test]
fn raw_html_that_loads_from_another_site_is_an_error() {
    let run = TestSite::fixture("minimal")
        .file(
            "content/posts/raw.md",
            "---\ntitle: Raw\ndate: 2026-11-03\nauthor: ana\n---\n\
             <iframe src=\"https://evil.example/\"></iframe>\n",
        )
        .build();
    run.failure();
    let d = run.diag_at("content/posts/raw.md:6:1");
    assert_eq!(d.message, "this HTML loads something from another website");
}

#[test]
fn site_static_files_are_copied_and_override_the_themes() {
    let site = TestSite::fixture("basic");
    let run = site.build();
    run.success();
    assert_eq!(run.bytes("style.css"), fs::read(site.root().join("static/style.css")).unwrap());
    assert_eq!(run.bytes("chorus.js"), fs::read(site.root().join("themes/default/static/chorus.js")).unwrap());
    assert_eq!(run.bytes("images/ana.svg"), fs::read(site.root().join("static/images/ana.svg")).unwrap());
}

#[test]
fn site_templates_override_the_themes() {
    let run = TestSite::fixture("basic")
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}<div class=\"site-override\">{{ page.title }}</div>\n{{ page.content | safe }}{% endblock content %}\n",
        )
        .build();
    run.success();
    run.page("about/index.html")
        .has(r#"<div class="site-override">About Harbour Voices</div>"#)
        .lacks(r#"<article class="page">"#)
        // Still inside the theme's base.html.
        .has(r#"<header class="site-header">"#);
    // Other templates are still the theme's.
    run.page("posts/hello-harbour/index.html").lacks("site-override").has(r#"<article class="post h-entry">"#);
}

#[test]
fn home_page_lists_live_posts_and_upcoming_causes() {
    let run = TestSite::fixture("basic").build();
    run.success();
    let home = run.page("index.html");
    for url in ["/posts/hello-harbour/", "/posts/joint-release/", "/posts/solar-roof/", "/causes/harbour-swim/"] {
        home.assert_links_to(url);
    }
    for url in [
        "/posts/autumn-webinar/",
        "/posts/draft-idea/",
        "/posts/future-plans/",
        "/causes/book-swap/",
        "/causes/dora-gig/",
    ] {
        home.assert_no_link_to(url);
    }
    // Newest first.
    let solar = home.html.find("The solar roof, one year on").unwrap();
    let joint = home.html.find("The November release, together").unwrap();
    let hello = home.html.find("Hello from the Harbour build team").unwrap();
    assert!(solar < joint && joint < hello, "posts should be newest first");
}

#[test]
fn causes_are_split_into_upcoming_and_past_and_carry_event_json_ld() {
    let run = TestSite::fixture("basic").build();
    run.success();
    let causes = run.page("causes/index.html");
    let (upcoming, past) = causes.html.split_once("id=\"past-title\"").expect("a past section");
    assert!(upcoming.contains("/causes/harbour-swim/"), "{}", causes.html);
    assert!(!upcoming.contains("book-swap"), "{}", causes.html);
    assert!(past.contains("/causes/book-swap/"), "{}", causes.html);
    run.page("causes/harbour-swim/index.html")
        .has(r#""@type":"Event""#)
        .has(r#""startDate":"2026-12-06T09:00:00Z""#)
        .has("<h2 id=\"share-kit-title\">")
        // Causes are the employee's own: no employer disclosure in their messages.
        .lacks("HarbourEmployee");
}

#[test]
fn post_pages_carry_authors_note_share_kit_and_previews() {
    let run = TestSite::fixture("basic").build();
    run.success();
    run.page("posts/hello-harbour/index.html")
        .has("We rebuilt the pipeline in the open, and I am proud of it.")
        .has("— Ana Lima, on why they share this")
        .has("How we made our deploy pipeline fit on one screen. #DevOps #HarbourEmployee")
        .has(r#"<meta property="og:type" content="article">"#)
        .has(r#"<meta property="article:published_time" content="2026-11-02T09:00:00Z">"#)
        .has(r#""@type":"Article""#)
        .assert_links_to("/guidelines/")
        .assert_links_to("/people/ana/")
        .assert_links_to("/tags/open-source/");
    // A post by two people credits both, and is listed on both profiles.
    run.page("posts/joint-release/index.html").assert_links_to("/people/ana/").assert_links_to("/people/ben/");
    run.page("people/ben/index.html").assert_links_to("/posts/joint-release/");
}

#[test]
fn pages_with_menu_are_in_the_navigation() {
    let run = TestSite::fixture("basic").build();
    run.success();
    let page = run.page("posts/joint-release/index.html");
    let nav = &page.html[page.html.find("<nav").unwrap()..page.html.find("</nav>").unwrap()];
    let about = nav.find("About Harbour Voices").expect("about is in the menu");
    let guidelines = nav.find("How we share").expect("guidelines are in the menu");
    assert!(about < guidelines, "menu weight 10 comes before 20: {nav}");
}

/// The repository's own demo hub (copied, so nothing is written into the repository).
#[test]
fn the_demo_hub_builds_without_errors() {
    let run = TestSite::demo().build();
    run.success();
    assert!(run.diagnostics().iter().all(|d| d.severity == Severity::Warning), "{run:?}");
    for page in ["index.html", "404.html", "posts/index.html", "people/index.html", "causes/index.html"] {
        run.assert_exists(page);
    }
    let pages = files_under(&run.out).iter().filter(|f| f.starts_with("posts/") && f.ends_with("index.html")).count();
    assert!(pages > 5, "the demo hub has posts");
}
