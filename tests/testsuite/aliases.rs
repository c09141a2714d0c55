//! Aliases (`aliases:` in front matter): each old address becomes a redirect page that works
//! without script under the strict CSP, is in no sitemap or feed, and may take no page's or
//! other alias's address; a bad alias is an error at its place.

use crate::common::TestSite;

const POST: &str = "---\ntitle: The survey\ndate: 2016-05-09\nauthor: ana\n\
aliases: [\"/2016/05/09/survey.html\", \"/old/path/\", /older/path]\n---\nResults.\n";

/// What a redirect page must hold, and must not.
fn assert_redirect(html: &str, to: &str) {
    assert!(html.contains(&format!("<meta http-equiv=\"refresh\" content=\"0; url={to}\">")), "{html}");
    assert!(html.contains(&format!("<link rel=\"canonical\" href=\"https://hub.example{to}\">")), "{html}");
    assert!(html.contains(&format!("<a href=\"{to}\">https://hub.example{to}</a>")), "{html}");
    assert!(!html.to_ascii_lowercase().contains("<script"), "a redirect page has a script: {html}");
    assert!(!html.contains("<style") && !html.contains("style="), "{html}");
    let csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'; \
               style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
               base-uri 'none'; form-action 'none'\">";
    assert!(html.contains(csp), "{html}");
    // The policy comes before anything that could load.
    assert!(html.find(csp) < html.find("<link"), "{html}");
}

#[test]
fn aliases_become_redirect_pages_left_out_of_sitemap_and_feeds() {
    let run = TestSite::fixture("minimal").file("content/posts/2016-05-09-survey.md", POST).build();
    run.success();
    for file in ["2016/05/09/survey.html", "old/path/index.html", "older/path/index.html"] {
        assert_redirect(&run.page(file).html, "/posts/survey/");
    }
    let sitemap = run.page("sitemap.xml").html;
    assert!(sitemap.contains("<loc>https://hub.example/posts/survey/</loc>"), "{sitemap}");
    for gone in ["survey.html", "old/path", "older/path"] {
        assert!(!sitemap.contains(gone), "the sitemap lists the alias {gone}:\n{sitemap}");
    }
    let feed = run.page("feed.xml").html;
    assert!(!feed.contains("old/path") && !feed.contains("survey.html"), "{feed}");
    run.page("posts/survey/index.html").lacks("old/path").lacks("survey.html");
}

#[test]
fn causes_and_pages_have_aliases_too_but_unpublished_items_make_no_redirect() {
    let run = TestSite::fixture("minimal")
        .file("content/pages/about.md", "---\ntitle: About\naliases: [/about-us/]\n---\nUs.\n")
        .file(
            "content/causes/2026-12-01-run.md",
            "---\ntitle: Run\nperson: ana\nkind: event\nstarts: 2026-12-01\naliases: [/run.html]\n---\nRun.\n",
        )
        .file(
            "content/posts/2026-11-02-draft.md",
            "---\ntitle: Draft\ndate: 2026-11-02\nauthor: ana\ndraft: true\naliases: [/secret/]\n---\nSoon.\n",
        )
        .build();
    run.success();
    assert_redirect(&run.page("about-us/index.html").html, "/about/");
    assert_redirect(&run.page("run.html").html, "/causes/run/");
    run.assert_absent("secret/index.html");
}

#[test]
fn an_alias_that_takes_an_address_names_both_files() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/2016-05-09-survey.md", POST)
        .file(
            "content/posts/2018-01-01-other.md",
            "---\ntitle: Other\ndate: 2018-01-01\nauthor: ana\naliases:\n  - /old/path\n  - /posts/welcome/\n  - /posts/other/\n---\nText.\n",
        )
        .file("content/pages/about.md", "---\ntitle: About\naliases: [/people/, /people/ana/]\n---\nUs.\n")
        .build();
    run.failure();
    // Posts are taken newest first: the older post's alias is the one reported.
    let d = run.error("content/posts/2016-05-09-survey.md:5:39", "the alias `/old/path/`");
    assert_eq!(d.code, "alias-collision");
    assert_eq!(d.message, "the alias `/old/path/` is already an alias of content/posts/2018-01-01-other.md");
    let d = run.error("content/posts/2018-01-01-other.md:7:5", "/posts/welcome/");
    assert_eq!(d.message, "the alias `/posts/welcome/` is the address of content/posts/2026-11-01-welcome.md");
    let d = run.error("content/posts/2018-01-01-other.md:8:5", "/posts/other/");
    assert_eq!(d.message, "the alias `/posts/other/` is this post's own address");
    let d = run.error("content/pages/about.md:3:21", "/people/ana/");
    assert_eq!(d.message, "the alias `/people/ana/` is the address of content/people/ana.md");
    // An address the hub makes for itself is found once the pages are rendered.
    let d = run.error("content/pages/about.md:3:11", "/people/");
    assert_eq!(d.message, "the alias `/people/` is the address of a page the hub makes (/people/index.html)");
    run.all_located();
    run.assert_absent("old/path/index.html");
}

#[test]
fn bad_aliases_are_errors_with_file_and_line() {
    let run = TestSite::fixture("minimal")
        .file(
            "content/posts/2016-05-09-survey.md",
            "---\ntitle: S\ndate: 2016-05-09\nauthor: ana\naliases:\n  - https://old.example/2016/05/09/survey.html\n  - /a/../../etc/\n  - /search?q=survey\n  - old/path/\n---\nText.\n",
        )
        .check_json(&[]);
    run.failure();
    let at = "content/posts/2016-05-09-survey.md";
    let d = run.error(&format!("{at}:6:5"), "is an address with a scheme or a host");
    assert_eq!(d.code, "bad-alias");
    assert_eq!(d.hint.as_deref(), Some("write only the path: `/2016/05/09/survey.html`"));
    run.error(&format!("{at}:7:5"), "uses `..`, which would lead out of its folder");
    run.error(&format!("{at}:8:5"), "has a query (`?…`), which a static site cannot redirect");
    let d = run.error(&format!("{at}:9:5"), "does not start with `/`");
    assert_eq!(d.hint.as_deref(), Some("write `/old/path/`"));
}
