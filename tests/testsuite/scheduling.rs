//! Drafts, scheduled (future) posts, expired posts, and the moment a build is judged against
//! (`--now`, `SOURCE_DATE_EPOCH`).

use crate::common::{TestSite, NOW};

/// Pages that list posts in the `basic` fixture.
const LISTINGS: &[&str] = &[
    "index.html",
    "posts/index.html",
    "tags/engineering/index.html",
    "people/ben/index.html",
    "people/ana/index.html",
];

fn listed_anywhere(run: &crate::common::Run, url: &str) -> Vec<&'static str> {
    LISTINGS.iter().copied().filter(|l| run.exists(l) && run.page(l).links_to(url)).collect()
}

#[test]
fn drafts_are_built_only_with_drafts() {
    let site = TestSite::fixture("basic");
    let run = site.build();
    run.success().assert_absent("posts/draft-idea/index.html");
    assert_eq!(listed_anywhere(&run, "/posts/draft-idea/"), Vec::<&str>::new());

    let run = site.build_with(&["--drafts"]);
    run.success();
    run.page("posts/draft-idea/index.html")
        .has("<h1 class=\"p-name\">A half-written idea</h1>")
        .has("Draft: this post is not published yet.");
    run.page("tags/engineering/index.html").assert_links_to("/posts/draft-idea/");
    // `--drafts` is about drafts only.
    run.assert_absent("posts/future-plans/index.html");
}

#[test]
fn future_posts_are_built_only_with_future() {
    let site = TestSite::fixture("basic");
    let run = site.build();
    run.success().assert_absent("posts/future-plans/index.html");
    assert_eq!(listed_anywhere(&run, "/posts/future-plans/"), Vec::<&str>::new());

    let run = site.build_with(&["--future"]);
    run.success();
    run.page("posts/future-plans/index.html").has("Our plans for next year");
    run.page("index.html").assert_links_to("/posts/future-plans/");
    run.assert_absent("posts/draft-idea/index.html");
}

#[test]
fn a_scheduled_post_is_published_once_its_date_has_come() {
    let site = TestSite::fixture("basic");
    // One minute before and at 08:00 on 24 December.
    let before = site.chorus(&["build", "--now", "2026-12-24T07:59:00Z"]);
    before.success().assert_absent("posts/future-plans/index.html");
    let at = site.chorus(&["build", "--now", "2026-12-24T08:00:00Z"]);
    at.success().assert_exists("posts/future-plans/index.html");
}

#[test]
fn an_expired_post_keeps_its_page_marked_as_ended_but_leaves_every_listing() {
    let run = TestSite::fixture("basic").build();
    run.success();
    run.page("posts/autumn-webinar/index.html")
        .has("Join our autumn webinar")
        .has("This post ended on 1 November 2026.")
        // No share kit on an ended post.
        .lacks("share-kit");
    assert_eq!(listed_anywhere(&run, "/posts/autumn-webinar/"), Vec::<&str>::new());
}

#[test]
fn before_it_expires_a_post_is_listed_with_its_share_kit() {
    let site = TestSite::fixture("basic");
    let run = site.chorus(&["build", "--now", "2026-10-15T00:00:00Z"]);
    run.success();
    run.page("posts/autumn-webinar/index.html").lacks("This post ended").has("share-kit");
    run.page("tags/engineering/index.html").assert_links_to("/posts/autumn-webinar/");
    run.page("index.html").assert_links_to("/posts/autumn-webinar/");
}

#[test]
fn causes_move_to_the_archive_when_they_are_over() {
    let site = TestSite::fixture("basic");
    let during = site.chorus(&["build", "--now", "2026-12-06T10:00:00Z"]);
    during.success();
    during.page("index.html").assert_links_to("/causes/harbour-swim/");
    let after = site.chorus(&["build", "--now", "2026-12-06T13:00:01Z"]);
    after.success();
    after.page("index.html").assert_no_link_to("/causes/harbour-swim/");
    let causes = after.page("causes/index.html");
    let (_, past) = causes.html.split_once("id=\"past-title\"").expect("a past section");
    assert!(past.contains("harbour-swim"), "{}", causes.html);
}

#[test]
fn source_date_epoch_sets_the_moment_like_now() {
    let site = TestSite::fixture("basic");
    // 2026-12-25T00:00:00Z: the Christmas Eve post is out.
    let mut cmd = site.command();
    cmd.args(["build"]).env("SOURCE_DATE_EPOCH", "1798156800");
    let run = site.run(cmd, &["build"]);
    run.success().assert_exists("posts/future-plans/index.html");

    // 2026-11-22T12:00:00Z: it is not.
    let mut cmd = site.command();
    cmd.args(["build"]).env("SOURCE_DATE_EPOCH", crate::common::NOW_EPOCH);
    let run = site.run(cmd, &["build"]);
    run.success().assert_absent("posts/future-plans/index.html");
}

#[test]
fn now_wins_over_source_date_epoch() {
    let site = TestSite::fixture("basic");
    let mut cmd = site.command();
    cmd.args(["build", "--now", NOW]).env("SOURCE_DATE_EPOCH", "1798156800");
    let run = site.run(cmd, &["build"]);
    run.success().assert_absent("posts/future-plans/index.html");
}

#[test]
fn a_date_without_a_time_is_midnight_in_the_hubs_time_zone() {
    let site = TestSite::fixture("minimal")
        .file("chorus.yaml", "title: Minimal Hub\nbase_url: https://hub.example\ntimezone: \"+02:00\"\n")
        .file("content/posts/2026-11-22-today.md", "---\ntitle: Today\ndate: 2026-11-22\nauthor: ana\n---\nB\n");
    // Midnight at +02:00 is 22:00 UTC the day before.
    site.chorus(&["build", "--now", "2026-11-21T21:59:00Z"]).success().assert_absent("posts/today/index.html");
    let run = site.chorus(&["build", "--now", "2026-11-21T22:00:00Z"]);
    run.success();
    run.page("posts/today/index.html").has(r#"datetime="2026-11-22T00:00:00+02:00""#);
}
