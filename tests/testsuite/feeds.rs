//! Atom feeds (site, person, tag, causes), `sitemap.xml`, `robots.txt` and paginated
//! listings (DESIGN §7): feeds are read back with `atom_syndication`, every link they hold
//! must lead to a file of the output, and no listing page grows with the size of the hub.

use atom_syndication::Feed;

use crate::common::{Run, TestSite};

/// `base_url` of the `basic` fixture.
const BASIC: &str = "https://voices.harbour.example";
/// `base_url` of the `minimal` fixture.
const MINIMAL: &str = "https://hub.example";

/// The feed at `rel` in the output, parsed.
fn feed(run: &Run, rel: &str) -> Feed {
    let xml = run.page(rel).html;
    xml.parse::<Feed>().unwrap_or_else(|e| panic!("{rel} is not an Atom feed ({e}):\n{xml}"))
}

fn titles(feed: &Feed) -> Vec<&str> {
    feed.entries().iter().map(|e| e.title().as_str()).collect()
}

/// The output file that the absolute URL `url` of the hub at `base` names
/// (`https://…/posts/x/` → `posts/x/index.html`).
fn output_file(base: &str, url: &str) -> String {
    let path = url.strip_prefix(base).unwrap_or_else(|| panic!("{url} is not an absolute link into {base}"));
    let path = path.strip_prefix('/').unwrap_or_else(|| panic!("{url} is not an absolute link into {base}"));
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Every feed of the output, relative, sorted.
fn feed_files(run: &Run) -> Vec<String> {
    run.files().into_iter().filter(|f| f.ends_with(".xml") && f != "sitemap.xml").collect()
}

#[test]
fn every_feed_parses_and_links_absolutely_to_pages_that_exist() {
    let run = TestSite::fixture("basic").build();
    run.success();
    assert_eq!(
        feed_files(&run),
        [
            "causes/feed.xml",
            "feed.xml",
            "people/ana/feed.xml",
            "people/ben/feed.xml",
            "tags/data/feed.xml",
            "tags/engineering/feed.xml",
            "tags/open-source/feed.xml",
        ]
    );
    for rel in feed_files(&run) {
        let feed = feed(&run, &rel);
        let self_link =
            feed.links().iter().find(|l| l.rel() == "self").unwrap_or_else(|| panic!("{rel}: no self link"));
        assert_eq!(self_link.href(), format!("{BASIC}/{rel}"));
        assert_eq!(feed.id(), self_link.href(), "{rel}");
        let page = feed.links().iter().find(|l| l.rel() == "alternate").unwrap_or_else(|| panic!("{rel}: no page"));
        run.assert_exists(&output_file(BASIC, page.href()));
        assert!(!feed.entries().is_empty(), "{rel} has no entries");
        for entry in feed.entries() {
            let what = format!("{rel}: {}", entry.title().as_str());
            let links: Vec<&str> = entry.links().iter().filter(|l| l.rel() == "alternate").map(|l| l.href()).collect();
            assert_eq!(links.len(), 1, "{what}: {links:?}");
            run.assert_exists(&output_file(BASIC, links[0]));
            assert_eq!(entry.id(), links[0], "{what}");
            assert!(!entry.authors().is_empty(), "{what} has no author");
            for author in entry.authors() {
                assert!(!author.name().is_empty(), "{what}");
                let uri = author.uri().unwrap_or_else(|| panic!("{what}: {} has no uri", author.name()));
                run.assert_exists(&output_file(BASIC, uri));
                assert_eq!(author.email(), None, "{what}");
            }
        }
        let newest = feed.entries().iter().map(|e| *e.updated()).max().unwrap();
        assert_eq!(*feed.updated(), newest, "{rel}: `updated` should be the newest entry's date");
    }

    let site = feed(&run, "feed.xml");
    assert_eq!(
        titles(&site),
        ["The solar roof, one year on", "The November release, together", "Hello from the Harbour build team"]
    );
    assert_eq!(site.updated().to_rfc3339(), "2026-11-15T00:00:00+00:00");
    let joint = &site.entries()[1];
    let authors: Vec<(&str, Option<&str>)> = joint.authors().iter().map(|a| (a.name(), a.uri())).collect();
    assert_eq!(
        authors,
        [
            ("Ana Lima", Some("https://voices.harbour.example/people/ana/")),
            ("Ben Okoro", Some("https://voices.harbour.example/people/ben/"))
        ]
    );
    assert_eq!(
        titles(&feed(&run, "people/ana/feed.xml")),
        ["The November release, together", "Hello from the Harbour build team"]
    );
    assert_eq!(
        titles(&feed(&run, "people/ben/feed.xml")),
        ["The solar roof, one year on", "The November release, together"]
    );
    let engineering = feed(&run, "tags/engineering/feed.xml");
    assert_eq!(titles(&engineering), ["The November release, together", "Hello from the Harbour build team"]);
    assert_eq!(engineering.title().as_str(), "#engineering · Harbour Voices");
    assert_eq!(feed(&run, "tags/open-source/feed.xml").title().as_str(), "#Open Source · Harbour Voices");
    assert_eq!(titles(&feed(&run, "causes/feed.xml")), ["Harbour winter swim", "Autumn book swap"]);
}

#[test]
fn feeds_take_their_date_from_the_content_not_the_clock() {
    let site = TestSite::fixture("basic");
    let now = site.build();
    now.success();
    // A week later nothing new is published, so every feed is the same, byte for byte.
    let later = site.chorus(&["build", "--now", "2026-11-29T12:00:00Z", "--output", "later"]);
    later.success();
    for rel in feed_files(&now) {
        assert_eq!(now.page(&rel).html, later.page(&rel).html, "{rel} depends on the moment of the build");
    }
    assert_eq!(feed_files(&now), feed_files(&later));
}

#[test]
fn drafts_scheduled_expired_and_hidden_posts_are_in_no_feed() {
    let run = TestSite::fixture("basic").build();
    run.success();
    for rel in feed_files(&run) {
        let xml = run.page(&rel);
        for (slug, title) in [
            ("draft-idea", "A half-written idea"),
            ("future-plans", "Our plans for next year"),
            ("autumn-webinar", "Join our autumn webinar"),
            ("carls-notes", "Notes from the sales conference"),
            ("with-dora", "Designing the new invoices"),
        ] {
            xml.lacks(slug).lacks(title);
        }
    }
    // The expired post keeps its page, marked as ended, without a share kit.
    run.page("posts/autumn-webinar/index.html")
        .has("<h1 class=\"p-name\">Join our autumn webinar</h1>")
        .has("This post ended on 1 November 2026. It stays here for the record, but it is no longer shared.")
        .lacks("share-kit")
        .lacks("x.com/intent");
    // Ben's feed holds his live posts only.
    assert_eq!(
        titles(&feed(&run, "people/ben/feed.xml")),
        ["The solar roof, one year on", "The November release, together"]
    );
}

#[test]
fn feeds_hold_the_newest_twenty_entries() {
    let mut site = TestSite::fixture("minimal");
    for n in 1..=23 {
        site = site.file(
            &format!("content/posts/2026-10-{n:02}-post-{n:02}.md"),
            format!("---\ntitle: Post {n:02}\ndate: 2026-10-{n:02}\nauthor: ana\ntags: [news]\n---\nBody {n}.\n"),
        );
    }
    let run = site.build();
    run.success();
    // 24 posts: the welcome post of 1 November and Post 01 to Post 23.
    let expected: Vec<String> =
        std::iter::once("Welcome".to_string()).chain((5..=23).rev().map(|n| format!("Post {n:02}"))).collect();
    for rel in ["feed.xml", "people/ana/feed.xml", "tags/news/feed.xml"] {
        let feed = feed(&run, rel);
        assert_eq!(feed.entries().len(), 20, "{rel}");
        assert_eq!(titles(&feed), expected, "{rel}");
        assert_eq!(feed.updated().to_rfc3339(), "2026-11-01T00:00:00+00:00", "{rel}");
    }
    // Benjamin has written nothing: his feed is empty, dated by the hub's newest post.
    let empty = feed(&run, "people/benjamin/feed.xml");
    assert!(empty.entries().is_empty());
    assert_eq!(empty.updated().to_rfc3339(), "2026-11-01T00:00:00+00:00");
}

/// The `<loc>`s of `sitemap.xml`, in order.
fn sitemap(run: &Run) -> Vec<String> {
    let xml = run.page("sitemap.xml").html;
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"), "{xml}");
    xml.split("<loc>")
        .skip(1)
        .map(|s| crate::common::unescape(&s[..s.find("</loc>").expect("a closed <loc>")]))
        .collect()
}

/// The URLs the sitemap should list: every HTML file of the output but the 404 page.
fn html_pages(run: &Run, base: &str) -> Vec<String> {
    let mut urls: Vec<String> = run
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".html") && f != "404.html")
        .map(|f| format!("{base}/{}", f.strip_suffix("index.html").unwrap_or(&f)))
        .collect();
    urls.sort();
    urls
}

#[test]
fn the_sitemap_lists_every_html_page_but_the_404_and_robots_names_it() {
    let run = TestSite::fixture("basic").build();
    run.success().assert_exists("404.html");
    let listed = sitemap(&run);
    assert_eq!(listed, html_pages(&run, BASIC));
    for url in &listed {
        run.assert_exists(&output_file(BASIC, url));
    }
    for page in [
        "/",
        "/posts/hello-harbour/",
        "/posts/autumn-webinar/",
        "/people/ana/",
        "/causes/book-swap/",
        "/tags/",
        "/digest/2026-W45/",
        "/guidelines/",
    ] {
        assert!(listed.contains(&format!("{BASIC}{page}")), "{page} missing from {listed:#?}");
    }
    assert_eq!(
        run.page("robots.txt").html,
        "User-agent: *\nAllow: /\n\nSitemap: https://voices.harbour.example/sitemap.xml\n"
    );
}

#[test]
fn the_sitemap_lists_html_pages_from_static() {
    let run =
        TestSite::fixture("minimal").file("static/landing.html", "<!doctype html><title>Landing</title>\n").build();
    run.success().assert_exists("landing.html");
    assert_eq!(sitemap(&run), html_pages(&run, MINIMAL));
}

#[test]
fn listings_are_paginated_with_prev_and_next_links() {
    let mut site = TestSite::fixture("minimal")
        .file("chorus.yaml", "title: Minimal Hub\nbase_url: https://hub.example\npaginate: 2\n");
    for n in 2..=5 {
        site = site.file(
            &format!("content/posts/2026-11-{n:02}-post-{n}.md"),
            format!("---\ntitle: Post {n}\ndate: 2026-11-{n:02}\nauthor: ana\ntags: [news]\n---\nBody {n}.\n"),
        );
    }
    let run = site.build();
    run.success();
    // Five posts, two a page: newest first.
    for base in ["/posts/", "/tags/news/", "/people/ana/"] {
        let file = |n: usize| {
            let dir = if n == 1 { base.to_string() } else { format!("{base}page/{n}/") };
            format!("{}index.html", dir.trim_start_matches('/'))
        };
        let pages: Vec<_> = (1..=3).map(|n| run.page(&file(n))).collect();
        run.assert_absent(&file(4)).assert_absent(&format!("{}page/1/index.html", base.trim_start_matches('/')));
        assert_eq!(pages[0].rel_links("prev"), Vec::<String>::new(), "{base}");
        assert_eq!(pages[0].rel_links("next"), [format!("{base}page/2/")]);
        assert_eq!(pages[1].rel_links("prev"), [base.to_string()]);
        assert_eq!(pages[1].rel_links("next"), [format!("{base}page/3/")]);
        assert_eq!(pages[2].rel_links("prev"), [format!("{base}page/2/")]);
        assert_eq!(pages[2].rel_links("next"), Vec::<String>::new(), "{base}");
        pages[0]
            .assert_links_to("/posts/post-5/")
            .assert_links_to("/posts/post-4/")
            .assert_no_link_to("/posts/post-3/");
        pages[1]
            .assert_links_to("/posts/post-3/")
            .assert_links_to("/posts/post-2/")
            .assert_no_link_to("/posts/post-4/");
        pages[2].assert_links_to("/posts/welcome/").assert_no_link_to("/posts/post-2/").has("Page 3 of 3");
    }
    // The home page shows the newest two and links onward.
    run.page("index.html")
        .assert_links_to("/posts/post-5/")
        .assert_links_to("/posts/post-4/")
        .assert_no_link_to("/posts/post-3/")
        .assert_links_to("/posts/page/2/");
    // No page lists more than `paginate` posts.
    let mut listings = 0;
    for file in run.files().into_iter().filter(|f| f.ends_with(".html")) {
        let cards = run.page(&file).count("class=\"card post-card\"");
        assert!(cards <= 2, "{file} lists {cards} posts");
        listings += usize::from(cards > 0);
    }
    assert_eq!(listings, 10, "home, and three pages each of /posts/, /tags/news/ and /people/ana/");
    // Every page of every listing is in the sitemap.
    let listed = sitemap(&run);
    for page in [
        "/posts/page/2/",
        "/posts/page/3/",
        "/tags/news/page/2/",
        "/tags/news/page/3/",
        "/people/ana/page/2/",
        "/people/ana/page/3/",
    ] {
        assert!(listed.contains(&format!("{MINIMAL}{page}")), "{page} missing from {listed:#?}");
    }
    assert_eq!(listed, html_pages(&run, MINIMAL));
}
