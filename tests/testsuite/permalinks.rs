//! Permalinks (`permalinks.posts` in `chorus.yaml`): every place that names a post (its page,
//! bundle files, `@/` links, listings, feeds, the sitemap, the digest, share links) follows
//! the pattern; slugs need only be unique per address; a bad pattern is a config error at
//! its place.

use crate::common::{unescape, TestSite};

const CONFIG: &str = "title: Minimal Hub\nbase_url: https://hub.example\ntimezone: \"+02:00\"\n\
permalinks:\n  posts: \"/:year/:month/:day/:slug/\"\n";

/// Two posts called `survey`, from 2016 and 2018 (the second written at 23:30 UTC, which is
/// already the next day in the hub's time zone), one a bundle with an image, and a post
/// linking to both.
fn hub() -> TestSite {
    TestSite::fixture("minimal")
        .file("chorus.yaml", CONFIG)
        .file(
            "content/posts/2016-05-09-survey/index.md",
            "---\ntitle: Survey 2016\ndate: 2016-05-09\nauthor: ana\ntags: [news]\nimage: chart.png\nimage_alt: A chart\n---\nThe 2016 results.\n\n![The chart](chart.png)\n",
        )
        .file("content/posts/2016-05-09-survey/chart.png", crate::common::png())
        .file(
            "content/posts/2018-03-11-survey.md",
            "---\ntitle: Survey 2018\ndate: 2018-03-11T23:30:00Z\nauthor: ana\ntags: [news]\n---\nThe 2018 results.\n",
        )
        .file(
            "content/posts/2026-11-20-looking-back.md",
            "---\ntitle: Looking back\ndate: 2026-11-20\nauthor: ana\n---\nSee [2016](@/posts/2016-05-09-survey/index.md) and [2018](@/posts/2018-03-11-survey.md#top).\n",
        )
}

const A: &str = "/2016/05/09/survey/";
const B: &str = "/2018/03/12/survey/";

#[test]
fn two_posts_with_one_slug_live_at_their_dated_addresses_everywhere() {
    let site = hub();
    let run = site.build();
    run.success();
    run.page("2016/05/09/survey/index.html").has("Survey 2016").has("<img src=\"/2016/05/09/survey/chart.");
    run.assert_exists("2016/05/09/survey/chart.png");
    run.page("2018/03/12/survey/index.html")
        .has("Survey 2018")
        .has(&format!("<link rel=\"canonical\" href=\"https://hub.example{B}\">"));
    run.assert_absent("posts/survey/index.html");
    // A post is in the Posts part of the menu wherever its address puts it.
    run.page("2018/03/12/survey/index.html").has("<a href=\"/posts/\" aria-current=\"page\">Posts</a>");
    // `@/` links.
    run.page("2026/11/20/looking-back/index.html").assert_links_to(A).assert_links_to(&format!("{B}#top"));
    // Listings: all posts, the tag, the person, the home page.
    for listing in ["posts/index.html", "tags/news/index.html", "people/ana/index.html", "index.html"] {
        let page = run.page(listing);
        page.assert_links_to(A);
        if listing != "index.html" {
            page.assert_links_to(B);
        }
        page.lacks("/posts/survey/");
    }
    // Feeds and the sitemap.
    for feed in ["feed.xml", "tags/news/feed.xml", "people/ana/feed.xml"] {
        let xml = run.page(feed).html;
        for url in [A, B] {
            assert!(xml.contains(&format!("href=\"https://hub.example{url}\"")), "{feed} lacks {url}:\n{xml}");
        }
        assert!(!xml.contains("/posts/survey/"), "{feed}:\n{xml}");
    }
    let sitemap = run.page("sitemap.xml").html;
    for url in [A, B, "/2026/11/20/looking-back/"] {
        assert!(sitemap.contains(&format!("<loc>https://hub.example{url}</loc>")), "{sitemap}");
    }
    // Share links carry the dated address.
    let page = run.page("2018/03/12/survey/index.html");
    let encoded = "https%3A%2F%2Fhub.example%2F2018%2F03%2F12%2Fsurvey%2F";
    let shares: Vec<String> =
        page.hrefs().into_iter().filter(|h| h.contains("intent") || h.starts_with("mailto:")).collect();
    assert!(!shares.is_empty(), "no share links on {B}");
    for href in shares {
        assert!(unescape(&href).contains(encoded), "a share link without the dated address: {href}");
    }
    run.diagnostics().iter().for_each(|d| assert!(d.code != "duplicate-slug", "{d:?}"));
}

#[test]
fn the_digest_links_to_dated_addresses() {
    let site = hub();
    let digest = site.digest(&["--week", "2018-W11"]);
    digest.success();
    assert!(digest.stdout.contains(&format!("https://hub.example{B}")), "{}", digest.stdout);
    assert!(!digest.stdout.contains("/posts/survey/"), "{}", digest.stdout);
}

#[test]
fn posts_still_need_unique_addresses() {
    let run = hub()
        .file(
            "content/posts/2016-05-09-survey-again.md",
            "---\ntitle: Again\ndate: 2016-05-09T12:00:00+02:00\nauthor: ana\nslug: survey\n---\nX\n",
        )
        .build();
    run.failure();
    let d = run.error("content/posts/", "another post already has the address `/2016/05/09/survey/`");
    assert_eq!(d.code, "duplicate-slug");
    run.all_located();
}

#[test]
fn the_default_pattern_is_posts_slug() {
    let run = TestSite::fixture("minimal").build();
    run.success();
    run.assert_exists("posts/welcome/index.html");
}

#[test]
fn a_bad_pattern_is_a_config_error_at_its_place() {
    for (pattern, at, message, hint) in [
        (
            "/:year/:mnth/:slug/",
            "chorus.yaml:4:18",
            "the pattern `/:year/:mnth/:slug/` has an unknown token `:mnth`",
            "did you mean `:month`?",
        ),
        (
            "/:year/:month/",
            "chorus.yaml:4:11",
            "the pattern `/:year/:month/` has no `:slug`, so two posts could get the same address",
            "put `:slug` in the pattern, e.g. `/:year/:month/:day/:slug/`",
        ),
        (
            "https://elsewhere.example/:slug/",
            "chorus.yaml:4:11",
            "the pattern `https://elsewhere.example/:slug/` leaves the site: a post's address is a path of this hub",
            "write a path of this hub such as `/posts/:slug/` or `/:year/:month/:day/:slug/`",
        ),
        (
            "/../:slug/",
            "chorus.yaml:4:12",
            "the pattern `/../:slug/` has the folder name `..`, which leaves the site or is hidden",
            "write a path of this hub such as `/posts/:slug/` or `/:year/:month/:day/:slug/`",
        ),
    ] {
        let run = TestSite::fixture("minimal")
            .file(
                "chorus.yaml",
                format!("title: Minimal Hub\nbase_url: https://hub.example\npermalinks:\n  posts: \"{pattern}\"\n"),
            )
            .check_json(&[]);
        run.failure();
        let d = run.diag_at(at);
        assert_eq!((d.code.as_str(), d.message.as_str(), d.hint.as_deref()), ("bad-permalink", message, Some(hint)));
    }
    let run = TestSite::fixture("minimal")
        .file("chorus.yaml", "title: Minimal Hub\nbase_url: https://hub.example\npermalinks:\n  pots: /x/:slug/\n")
        .check_json(&[]);
    assert_eq!(run.diag_at("chorus.yaml:4:3").message, "unknown key `permalinks.pots`");
}

#[test]
fn a_hub_that_moves_to_dated_addresses_keeps_the_old_ones_as_aliases() {
    let run = hub()
        .file(
            "content/posts/2018-03-11-survey.md",
            "---\ntitle: Survey 2018\ndate: 2018-03-11T23:30:00Z\nauthor: ana\naliases: [/posts/survey/]\n---\nText.\n",
        )
        .build();
    run.success();
    run.page("posts/survey/index.html").has(&format!("content=\"0; url={B}\""));
}

/// `serve`'s rebuilds follow the pattern: after an edit in place and after an edit that
/// changes a post's date (and so its address), the preview holds what a full build writes.
#[test]
fn serve_rebuilds_follow_the_pattern() {
    use chorus::preview::Preview;

    use crate::common::{assert_same_tree, snapshot, NOW};

    let options = || chorus::site::Options {
        drafts: false,
        future: false,
        now: chorus::dates::now(Some(NOW), None).expect("NOW parses"),
        base_url: None,
    };
    let site = hub();
    let mut preview = Preview::new(site.root(), &site.outer().join("preview"), options());
    assert!(preview.full().ok, "{:?}", preview.diagnostics);
    let rel = "content/posts/2018-03-11-survey.md";
    // Each edit is made on top of the one before.
    for (what, from, to) in [
        ("an edit in place", "The 2018 results.", "The 2018 results, revised."),
        ("a new date", "2018-03-11T23:30:00Z", "2018-04-02T08:00:00Z"),
        ("a new alias", "tags: [news]\n", "tags: [news]\naliases: [/posts/survey/]\n"),
    ] {
        let text = std::fs::read_to_string(site.root().join(rel)).unwrap();
        assert!(text.contains(from), "{what}: {text}");
        site.write(rel, text.replace(from, to));
        let report = preview.apply(&[site.root().join(rel)]).expect("a content edit rebuilds");
        assert!(report.ok, "{what}: {:?}", preview.diagnostics);
        let fresh = site.outer().join(format!("fresh-{}", what.replace(' ', "-")));
        let mut full = Preview::new(site.root(), &fresh, options());
        assert!(full.full().ok, "{:?}", full.diagnostics);
        let (full, incremental) = (snapshot(&fresh), snapshot(preview.out()));
        for (path, entry) in &full {
            if let (crate::common::Entry::File(x), Some(crate::common::Entry::File(y))) = (entry, incremental.get(path))
            {
                let (x, y) = (String::from_utf8_lossy(x), String::from_utf8_lossy(y));
                if let Some((a, b)) = x.lines().zip(y.lines()).find(|(a, b)| a != b) {
                    eprintln!("{what}: {path} differs first at\n  full build:  {a}\n  incremental: {b}");
                }
            }
        }
        assert_same_tree(&full, &incremental, what);
    }
    assert!(preview.out().join("2018/04/02/survey/index.html").is_file());
    assert!(!preview.out().join("2018/03/12/survey/index.html").exists());
    assert!(preview.out().join("posts/survey/index.html").is_file());
}
