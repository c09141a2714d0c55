//! The weekly digest (DESIGN §6): `chorus digest` in its three formats, the `/digest/<week>/`
//! pages, and what is (and is not) in them.

use crate::common::{unescape, Page, TestSite};

/// The `basic` hub with three posts in week 2026-W47 (the week of `NOW`): one with a note
/// and suggested messages, one by two people, and one that has expired by `NOW`.
fn hub() -> TestSite {
    TestSite::fixture("basic")
        .file(
            "content/posts/2026-11-18-open-day.md",
            "---\ntitle: Open day at the roof\ndate: 2026-11-18\nauthor: ben\n\
             note: I helped build this roof, and I would love you to see it.\n\
             share:\n  text: Come to our open day and see the roof.\n  variants:\n    - The roof is open to visitors on Saturday.\n\
             ---\nOpen day body.\n",
        )
        .file(
            "content/posts/2026-11-20-roof-data.md",
            "---\ntitle: Roof data, together\ndate: 2026-11-20\nauthors: [ana, ben]\n---\nThe numbers from the roof, month by month.\n",
        )
        .file(
            "content/posts/2026-11-17-flash-sale.md",
            "---\ntitle: Flash sale\ndate: 2026-11-17\nexpires: 2026-11-20\nauthor: ana\n---\nTwo days only.\n",
        )
}

const W47_TEXT: &str = "\
Harbour Voices — weekly digest, 2026-W47 (16 November 2026 – 22 November 2026)

Sharing is always optional: share only what you genuinely like, in your own words, and nobody keeps track of who shares.
How we share: https://voices.harbour.example/guidelines/

THIS WEEK'S POSTS

1. Open day at the roof
   https://voices.harbour.example/posts/open-day/
   By Ben Okoro
   Ben Okoro's note: “I helped build this roof, and I would love you to see it.”
   Suggested messages (starting points — put them in your own words):
   - Come to our open day and see the roof. #HarbourEmployee https://voices.harbour.example/posts/open-day/
   - The roof is open to visitors on Saturday. #HarbourEmployee https://voices.harbour.example/posts/open-day/

2. Roof data, together
   https://voices.harbour.example/posts/roof-data/
   By Ana Lima, Ben Okoro
   Suggested messages (starting points — put them in your own words):
   - The numbers from the roof, month by month. #HarbourEmployee https://voices.harbour.example/posts/roof-data/


CAUSES COMING UP

- Harbour winter swim — Fundraiser, Sun 6 December 2026, 09:00–13:00 (UTC), North Pier
  Ben Okoro’s cause · https://voices.harbour.example/causes/harbour-swim/

This digest online: https://voices.harbour.example/digest/2026-W47/
";

#[test]
fn the_text_digest_lists_the_weeks_posts_messages_and_upcoming_causes() {
    let site = hub();
    let run = site.digest(&["--week", "2026-W47"]);
    run.success();
    assert_eq!(run.stdout, W47_TEXT);
    assert_eq!(run.stderr, "");
}

#[test]
fn the_default_week_is_the_week_of_now() {
    let site = hub();
    // `NOW` is Sunday 22 November 2026 at noon, in week 47; so is the last minute of that day.
    assert_eq!(site.digest(&[]).success().stdout, W47_TEXT);
    assert_eq!(site.chorus(&["digest", "--now", "2026-11-22T23:59:00Z"]).success().stdout, W47_TEXT);
    // A moment later it is week 48, which has no posts.
    let next = site.chorus(&["digest", "--now", "2026-11-23T00:00:00Z"]);
    next.success()
        .stdout_has("Harbour Voices — weekly digest, 2026-W48 (23 November 2026 – 29 November 2026)\n")
        .stdout_has("\nTHIS WEEK'S POSTS\n\nNo new posts this week.\n")
        .stdout_has("- Harbour winter swim — Fundraiser, Sun 6 December 2026, 09:00–13:00 (UTC), North Pier\n");
}

#[test]
fn expired_posts_are_left_out_even_in_their_own_week() {
    let site = hub();
    site.digest(&["--week", "2026-W47"]).success().stdout_lacks("Flash sale").stdout_lacks("flash-sale");
    // The autumn webinar of week 40 expired on 1 November; the book swap of that week is over.
    let run = site.digest(&["--week", "2026-W40"]);
    run.success()
        .stdout_has("weekly digest, 2026-W40 (28 September 2026 – 4 October 2026)\n")
        .stdout_has("\nTHIS WEEK'S POSTS\n\nNo new posts this week.\n")
        .stdout_lacks("webinar");
}

#[test]
fn the_markdown_digest_has_links_quotes_and_messages_as_code() {
    let run = hub().digest(&["--week", "2026-W47", "--format", "markdown"]);
    run.success()
        .stdout_has("# Harbour Voices — weekly digest, 2026-W47\n\n*16 November 2026 – 22 November 2026*\n\n")
        .stdout_has(
            "Sharing is always optional: share only what you genuinely like, in your own words, and nobody keeps \
             track of who shares. [How we share](https://voices.harbour.example/guidelines/).\n",
        )
        .stdout_has("### [Open day at the roof](https://voices.harbour.example/posts/open-day/)\n\nBy Ben Okoro\n\n")
        .stdout_has("> I helped build this roof, and I would love you to see it.\n>\n> — Ben Okoro\n\n")
        .stdout_has(
            "Suggested messages (starting points — put them in your own words):\n\n\
             ```text\nCome to our open day and see the roof. #HarbourEmployee https://voices.harbour.example/posts/open-day/\n```\n\n\
             ```text\nThe roof is open to visitors on Saturday. #HarbourEmployee https://voices.harbour.example/posts/open-day/\n```\n",
        )
        .stdout_has("### [Roof data, together](https://voices.harbour.example/posts/roof-data/)\n\nBy Ana Lima, Ben Okoro\n")
        .stdout_has(
            "## Causes coming up\n\n- [Harbour winter swim](https://voices.harbour.example/causes/harbour-swim/) — \
             Fundraiser, Sun 6 December 2026, 09:00–13:00 (UTC), North Pier (Ben Okoro’s cause)\n",
        )
        .stdout_lacks("Flash sale");
}

#[test]
fn the_html_digest_is_a_standalone_message_with_absolute_links() {
    let run = hub().digest(&["--week", "2026-W47", "--format", "html"]);
    run.success();
    let page = Page { path: "digest --format html".into(), html: run.stdout.clone() };
    page.has("<!doctype html>")
        .has("<title>Harbour Voices — weekly digest, 2026-W47</title>")
        .has("<p><strong>Sharing is always optional: share only what you genuinely like, in your own words, and nobody keeps track of who shares.</strong>")
        .has("<blockquote><p>I helped build this roof, and I would love you to see it.</p><p>— Ben Okoro</p></blockquote>")
        .has("<p>By Ana Lima, Ben Okoro</p>")
        .lacks("Flash sale")
        .assert_links_to("https://voices.harbour.example/guidelines/")
        .assert_links_to("https://voices.harbour.example/posts/open-day/")
        .assert_links_to("https://voices.harbour.example/posts/roof-data/")
        .assert_links_to("https://voices.harbour.example/causes/harbour-swim/")
        .assert_links_to("https://voices.harbour.example/digest/2026-W47/");
    let text = unescape(&run.stdout);
    assert!(
        text.contains("<li>Come to our open day and see the roof. #HarbourEmployee https://voices.harbour.example/posts/open-day/</li>"),
        "{text}"
    );
    // An email has no page around it: every link is absolute.
    for href in page.hrefs() {
        assert!(href.starts_with("https://voices.harbour.example/"), "{href}");
    }
}

#[test]
fn titles_cannot_inject_markup() {
    let site = TestSite::fixture("minimal").file(
        "content/posts/2026-11-18-evil.md",
        "---\ntitle: \"Open <script>alert(1)</script> & [day](javascript:alert(2)) *now*\"\ndate: 2026-11-18\nauthor: ana\n---\nA plain body.\n",
    );
    let html = site.digest(&["--format", "html"]);
    html.success()
        .stdout_has("Open &lt;script&gt;alert(1)&lt;/script&gt; &amp; [day](javascript:alert(2)) *now*")
        .stdout_lacks("<script")
        .stdout_lacks("href=\"javascript");
    let markdown = site.digest(&["--format", "markdown"]);
    markdown
        .success()
        .stdout_has(
            "### [Open \\<script\\>alert\\(1\\)\\</script\\> \\& \\[day\\]\\(javascript:alert\\(2\\)\\) \\*now\\*](https://hub.example/posts/evil/)\n",
        )
        .stdout_lacks("<script>")
        .stdout_lacks("](javascript:");
}

#[test]
fn notes_and_names_cannot_inject_markup_into_markdown() {
    let site = TestSite::fixture("minimal")
        .file("content/people/ana.md", "---\nname: \"Ana <b>Lima</b>\"\nconsent: true\n---\nBio.\n")
        .file(
            "content/posts/2026-11-18-note.md",
            "---\ntitle: Noted\ndate: 2026-11-18\nauthor: ana\nnote: \"Read *this* <script>alert(1)</script> [now](javascript:alert(2))\"\n---\nBody.\n",
        );
    let run = site.digest(&["--format", "markdown"]);
    run.success().stdout_lacks("<script>").stdout_lacks("<b>").stdout_lacks("](javascript:");
}

#[test]
fn an_invalid_week_is_a_usage_error() {
    let site = TestSite::fixture("basic");
    for week in ["2026-W99", "soon", "2025-W53", "2026-W00", "2026-47"] {
        let run = site.digest(&["--week", week]);
        run.usage_error();
        assert_eq!(run.stderr, format!("error: `{week}` is not an ISO week; write it like `2026-W47`\n"), "{run:?}");
        assert_eq!(run.stdout, "");
    }
    // 2026 has 53 ISO weeks; its last one ends on 3 January 2027.
    site.digest(&["--week", "2026-W53"])
        .success()
        .stdout_has("weekly digest, 2026-W53 (28 December 2026 – 3 January 2027)\n");
}

#[test]
fn a_week_is_printed_the_canonical_way() {
    let site = TestSite::fixture("basic");
    for (week, canonical) in
        [("2026-W047", "2026-W47"), ("+2026-W47", "2026-W47"), (" 2026-W47", "2026-W47"), ("2026-W7", "2026-W07")]
    {
        let run = site.digest(&["--week", week]);
        if run.code == Some(0) {
            run.stdout_has(&format!("weekly digest, {canonical} (")).stdout_has(&format!("/digest/{canonical}/\n"));
        } else {
            run.usage_error().stderr_has("is not an ISO week");
        }
    }
}

#[test]
fn a_hub_with_errors_gets_no_digest() {
    let run = TestSite::fixture("basic")
        .file("content/posts/broken.md", "---\ntitle: Broken\ndate: 2026-11-18\nauthor: nobody\n---\nBody.\n")
        .digest(&[]);
    run.failure();
    assert_eq!(run.stdout, "");
    let d = run.diag_at("content/posts/broken.md:4:9");
    assert_eq!(d.message, "there is no person `nobody` in `content/people/`");
    // The wording of what `digest` itself prints.
    run.stderr_has(
        "1 error, 0 warnings in 1 file\nThe hub has errors; fix them (see `chorus check`) to get a digest.\n",
    );
}

#[test]
fn digest_pages_exist_for_weeks_with_posts_or_causes() {
    let run = hub().build();
    run.success();
    let weeks: Vec<String> = run.files().into_iter().filter(|f| f.starts_with("digest/")).collect();
    // W45, W46, W47: posts; W49: the harbour swim. Not W40 (an expired post, a past cause).
    assert_eq!(
        weeks,
        [
            "digest/2026-W45/index.html",
            "digest/2026-W46/index.html",
            "digest/2026-W47/index.html",
            "digest/2026-W49/index.html",
            "digest/index.html"
        ]
    );
    let index = run.page("digest/index.html");
    for week in ["2026-W45", "2026-W46", "2026-W47", "2026-W49"] {
        index.assert_links_to(&format!("/digest/{week}/"));
    }
    let w47 = run.page("digest/2026-W47/index.html");
    w47.has("<h1>Weekly digest, 2026-W47</h1>")
        .has("Sharing is always optional")
        .assert_links_to("https://voices.harbour.example/posts/open-day/")
        .assert_links_to("https://voices.harbour.example/posts/roof-data/")
        .assert_links_to("/causes/harbour-swim/")
        .assert_links_to("/guidelines/")
        .lacks("Flash sale");
    assert!(unescape(&w47.html).contains(
        "<p class=\"digest-message\">Come to our open day and see the roof. #HarbourEmployee https://voices.harbour.example/posts/open-day/</p>"
    ));
    assert_eq!(w47.rel_links("prev"), ["/digest/2026-W46/"]);
    assert_eq!(w47.rel_links("next"), ["/digest/2026-W49/"]);
}

#[test]
fn the_digest_links_to_its_page_online() {
    let site = TestSite::fixture("basic");
    let build = site.build();
    build.success();
    // Every format that links to the page online links to a page that exists.
    for format in ["text", "markdown", "html"] {
        let digest = site.digest(&["--format", format]);
        digest.success();
        let text = unescape(&digest.stdout);
        let links: Vec<&str> = text
            .match_indices("https://voices.harbour.example/digest/")
            .map(|(i, _)| {
                let rest = &text[i + "https://voices.harbour.example/".len()..];
                &rest[..rest.find(['\n', '"', ')']).unwrap_or(rest.len())]
            })
            .collect();
        assert!(links.len() <= usize::from(format != "markdown"), "{format}: {links:?}");
        for path in links {
            build.assert_exists(&format!("{path}index.html"));
        }
    }
}
