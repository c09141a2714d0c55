//! The command line: exit codes (0 ok, 1 content or build errors, 2 usage errors) and flags.

use crate::common::TestSite;

#[test]
fn unknown_flag_is_a_usage_error() {
    let site = TestSite::fixture("minimal");
    let run = site.chorus(&["build", "--now", crate::common::NOW, "--colour"]);
    run.usage_error().stderr_has("--colour");
    run.assert_absent("index.html");
}

#[test]
fn unknown_command_is_a_usage_error() {
    TestSite::fixture("minimal").chorus(&["bild"]).usage_error().stderr_has("bild");
}

#[test]
fn garbage_now_is_a_usage_error_that_shows_the_format() {
    let site = TestSite::fixture("minimal");
    let run = site.chorus(&["build", "--now", "garbage"]);
    run.usage_error().stderr_has("error: `--now garbage` is not a date and time; write it like `2026-11-22T12:00:00Z`");
    run.assert_absent("index.html");
}

#[test]
fn garbage_source_date_epoch_is_a_usage_error() {
    let site = TestSite::fixture("minimal");
    let mut cmd = site.command();
    cmd.arg("build").env("SOURCE_DATE_EPOCH", "yesterday");
    let run = site.run(cmd, &["build"]);
    run.usage_error().stderr_has("SOURCE_DATE_EPOCH=`yesterday` is not a number of seconds");
}

#[test]
fn now_accepts_a_plain_date() {
    let site = TestSite::fixture("minimal");
    site.chorus(&["build", "--now", "2026-11-22"]).success().assert_exists("posts/welcome/index.html");
    site.chorus(&["build", "--now", "2026-10-31"]).success().assert_absent("posts/welcome/index.html");
}

#[test]
fn root_flag_builds_another_folder() {
    let site = TestSite::fixture("minimal");
    let mut cmd = site.command();
    cmd.current_dir(site.outer()).args(["build", "--root", "hub", "--now", crate::common::NOW]);
    site.run(cmd, &["build"]).success().assert_exists("index.html");
}

#[test]
fn base_url_flag_replaces_the_configs() {
    let site = TestSite::fixture("minimal");
    let run = site.build_with(&["--base-url", "https://preview.example/"]);
    run.success();
    run.page("posts/welcome/index.html")
        .has(r#"<link rel="canonical" href="https://preview.example/posts/welcome/">"#)
        .lacks("hub.example");
}

#[test]
fn bad_base_url_flag_is_reported() {
    let run = TestSite::fixture("minimal").build_with(&["--base-url", "javascript:alert(1)"]);
    run.failure().stderr_has("--base-url: links with `javascript:` are not allowed");
}

#[test]
fn help_lists_the_build_flags() {
    let run = TestSite::fixture("minimal").chorus(&["build", "--help"]);
    run.success();
    for flag in ["--drafts", "--future", "--now", "--base-url", "--output", "--root"] {
        assert!(run.stdout.contains(flag), "{flag} missing from\n{}", run.stdout);
    }
}

#[test]
fn timings_show_each_phase() {
    let run = TestSite::fixture("minimal").build_with(&["--timings"]);
    run.success().stderr_has("load:").stderr_has(" ms");
}
