//! `chorus check` (DESIGN §6, §8): every lint with its exact message, the three output
//! formats (human, github, json), `--strict`, exit codes, and that it writes nothing.

use crate::common::{assert_same_tree, snapshot, Severity, TestSite};

/// A post of the `minimal` hub with extra front matter and a body.
fn post(title: &str, date: &str, author: &str, front: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\nauthor: {author}\n{front}---\n{body}")
}

/// Share text that is 283 characters long as X counts it: 259 characters, a space and the
/// link, which X counts as 23; Bluesky (300, link at full length) and the others allow it.
fn long_text() -> String {
    vec!["abcd"; 52].join(" ")
}

/// The `minimal` hub with one instance of every lint of `check`.
fn every_lint() -> TestSite {
    TestSite::fixture("minimal")
        .file(
            "chorus.yaml",
            "title: Minimal Hub\nbase_url: https://hub.example\ncadence:\n  max_featured_per_week: 1\n",
        )
        // The same copy after case, spaces and punctuation are normalised; both featured in W46.
        .file(
            "content/posts/a-dup.md",
            post(
                "Dup one",
                "2026-11-09",
                "ana",
                "featured: true\nshare:\n  text: Our NEW solar roof is live, come see it!\n",
                "Body.\n",
            ),
        )
        .file(
            "content/posts/b-dup.md",
            post(
                "Dup two",
                "2026-11-10",
                "benjamin",
                "featured: true\nshare:\n  text: \"our new solar   roof -- is LIVE; come see it\"\n",
                "Body.\n",
            ),
        )
        // One word apart.
        .file(
            "content/posts/c-near.md",
            post(
                "Near one",
                "2026-11-03",
                "ana",
                "share:\n  text: We rewrote every sentence on the statements our co-ops send to members\n",
                "Body.\n",
            ),
        )
        .file(
            "content/posts/d-near.md",
            post(
                "Near two",
                "2026-11-04",
                "benjamin",
                "share:\n  text: We rewrote every sentence on the statements our co-ops send to their members\n",
                "Body.\n",
            ),
        )
        .file(
            "content/posts/e-broken.md",
            post(
                "Broken",
                "2026-11-05",
                "ana",
                "",
                "## Setup\n\nSee ![](pic.png) and [this](@/posts/missing.md) and [setup](#setpu).\n",
            ),
        )
        .file(
            "content/posts/f-long.md",
            post("Long", "2026-11-06", "ana", &format!("share:\n  text: {}\n", long_text()), "Body.\n"),
        )
        .file("static/cover.png", crate::common::png())
        .file("content/posts/g-image.md", post("Image", "2026-11-07", "ana", "image: /cover.png\n", "Body.\n"))
        .file("content/posts/h-shy.md", post("Shy post", "2026-11-08", "shy", "", "Body.\n"))
        .file("content/people/shy.md", "---\nname: Shy Person\n---\nBio.\n")
        .file("content/causes/shy-run.md", "---\ntitle: Shy run\nperson: shy\nstarts: 2026-12-01\n---\nA run.\n")
        .file(
            "content/causes/backwards.md",
            "---\ntitle: Backwards\nperson: ana\nstarts: 2026-12-05\nends: 2026-12-01\n---\nOops.\n",
        )
}

#[test]
fn every_lint_is_reported_with_its_place_and_message() {
    let run = every_lint().check(&["--format", "json"]);
    run.failure();
    assert_eq!(run.stderr, "");
    let all = run.diagnostics();
    let found: Vec<(String, String, String, String)> = all
        .iter()
        .map(|d| {
            let severity = if d.is_error() { "error" } else { "warning" };
            (severity.to_string(), d.code.clone(), format!("{}:{}:{}", d.file, d.line, d.column), d.message.clone())
        })
        .collect();
    let expected = [
        ("error", "dates-reversed", "content/causes/backwards.md:5:7", "the cause ends before it starts"),
        (
            "warning",
            "no-consent",
            "content/people/shy.md:1:1",
            "Shy Person has not given consent, so their profile and what they are credited on are not published: \
             content/posts/h-shy.md, content/causes/shy-run.md",
        ),
        ("warning", "duplicate-copy", "content/posts/a-dup.md:7:1", "this share message is the same as one in content/posts/b-dup.md"),
        (
            "warning",
            "cadence",
            "content/posts/b-dup.md:5:1",
            "2 posts are featured in week 2026-W46, more than the 1 allowed: content/posts/a-dup.md, content/posts/b-dup.md",
        ),
        (
            "warning",
            "near-copy",
            "content/posts/c-near.md:6:1",
            "this share message is nearly the same as one in content/posts/d-near.md (77% alike)",
        ),
        ("error", "missing-alt", "content/posts/e-broken.md:8:5", "this image has no alt text"),
        ("error", "unknown-link", "content/posts/e-broken.md:8:22", "`@/posts/missing.md` is not a page of this hub"),
        ("warning", "broken-anchor", "content/posts/e-broken.md:8:53", "there is no heading `#setpu` on this page"),
        ("error", "share-too-long", "content/posts/f-long.md:6:9", "the message for X is 283 characters long; X allows 280"),
        ("error", "missing-alt", "content/posts/g-image.md:5:8", "`image` has no `image_alt`"),
    ];
    let expected: Vec<(String, String, String, String)> =
        expected.iter().map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string())).collect();
    assert_eq!(found, expected);
    let hint = |code: &str| all.iter().find(|d| d.code == code).unwrap().hint.clone().unwrap();
    assert_eq!(hint("near-copy"), "identical posts from many people read as spam; write what this post means to you");
    assert_eq!(
        hint("duplicate-copy"),
        "identical posts from many people read as spam; write what this post means to you"
    );
    assert_eq!(
        hint("cadence"),
        "feature fewer posts that week, or move one to another week: people tune out when asked too often"
    );
    assert_eq!(hint("share-too-long"), "shorten the message, or add a shorter one for X as `share.x: …`");
    assert_eq!(hint("broken-anchor"), "did you mean `#setup`?");
    assert_eq!(hint("dates-reversed"), "check `starts` and `ends`: `ends` must be the same as or later than `starts`");
}

#[test]
fn a_message_over_the_limit_points_at_its_text() {
    let run = TestSite::fixture("minimal")
        .file(
            "content/posts/long.md",
            post("Long", "2026-11-06", "ana", &format!("share:\n  text: {}\n", long_text()), "Body.\n"),
        )
        .check(&["--format", "json"]);
    run.failure();
    let d = &run.diagnostics()[0];
    assert_eq!(d.code, "share-too-long", "{run:?}");
    // `share:` or, better, its `text:`.
    assert!(matches!(d.line, 5 | 6), "{run:?}");
}

/// Places come from where the front matter holds a value, not from the first line that
/// looks like it: a body line `consent: …` or a summary with the same words as the share text.
#[test]
fn lints_point_at_the_value_not_at_a_line_like_it() {
    let same = "summary: Our new solar roof is live, come and see it\nshare:\n  text: Our new solar roof is live, come and see it\n";
    let run = TestSite::fixture("minimal")
        .file("content/people/shy.md", "---\nname: Shy Person\n---\nconsent: I will decide later.\n")
        .file("content/posts/a.md", post("A", "2026-11-09", "ana", same, "Body.\n"))
        .file("content/posts/b.md", post("B", "2026-11-10", "benjamin", same, "Body.\n"))
        .check(&["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let place = |code: &str| {
        let d = json.as_array().unwrap().iter().find(|d| d["code"] == code).unwrap_or_else(|| panic!("{json:#}"));
        (d["file"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
    };
    assert_eq!(place("no-consent"), ("content/people/shy.md".to_string(), 1, 1));
    let (file, line, column) = place("duplicate-copy");
    assert!(file == "content/posts/a.md" || file == "content/posts/b.md", "{file}");
    assert_eq!((line, column), (7, 1));
}

/// An error and a warning (a broken anchor) in one post, and a warning in a profile.
fn two_errors_and_a_warning() -> TestSite {
    TestSite::fixture("minimal").file("content/people/shy.md", "---\nname: Shy Person\n---\nBio.\n").file(
        "content/posts/alt.md",
        post("Alt", "2026-11-03", "ana", "", "## Setup\n\n![](pic.png) and [setup](#setpu).\n"),
    )
}

const HUMAN: &str = "\
warning: Shy Person has not given consent, so their profile is not published
 --> content/people/shy.md:1:1
  |
1 | ---
  | ^^^
  = help: only Shy Person can give consent: they add the line `consent: true` to this file themselves, in a commit of their own

error: this image has no alt text
 --> content/posts/alt.md:8:1
  |
8 | ![](pic.png) and [setup](#setpu).
  | ^^^^^^^^^^^^
  = help: describe the image between the brackets: `![A team photo at the solar farm](photo.jpg)`

warning: there is no heading `#setpu` on this page
 --> content/posts/alt.md:8:18
  |
8 | ![](pic.png) and [setup](#setpu).
  |                  ^^^^^^^^^^^^^^^
  = help: did you mean `#setup`?

1 error, 2 warnings in 2 files
";

#[test]
fn the_human_format_has_snippets_carets_help_and_a_summary_without_colour() {
    let site = two_errors_and_a_warning();
    // Not a terminal, and NO_COLOR unset: still no colour.
    let mut cmd = site.command();
    cmd.env_remove("NO_COLOR").args(["check", "--now", crate::common::NOW]);
    let run = site.run(cmd, &["check"]);
    run.failure();
    assert_eq!(run.stdout, HUMAN);
    assert_eq!(run.stderr, "");
    assert!(!run.stdout.contains('\u{1b}'));
    let d = run.printed();
    assert_eq!(d.len(), 3);
    assert_eq!(
        d[2].snippet,
        Some(("![](pic.png) and [setup](#setpu).".into(), format!("{}{}", " ".repeat(17), "^".repeat(15))))
    );
    // `--format human` is the default.
    assert_eq!(site.check(&["--format", "human"]).failure().stdout, HUMAN);
}

#[test]
fn the_github_format_annotates_each_line() {
    let run = two_errors_and_a_warning()
        .file("content/posts/one,two.md", post("Comma", "2026-11-04", "ana", "", "[x](#nowhere)\n"))
        .check(&["--format", "github"]);
    run.failure();
    assert_eq!(
        run.stdout,
        "::warning file=content/people/shy.md,line=1,col=1,title=no-consent::Shy Person has not given consent, so their profile is not published%0Ahelp: only Shy Person can give consent: they add the line `consent: true` to this file themselves, in a commit of their own\n\
         ::error file=content/posts/alt.md,line=8,col=1,title=missing-alt::this image has no alt text%0Ahelp: describe the image between the brackets: `![A team photo at the solar farm](photo.jpg)`\n\
         ::warning file=content/posts/alt.md,line=8,col=18,title=broken-anchor::there is no heading `#setpu` on this page%0Ahelp: did you mean `#setup`?\n\
         ::warning file=content/posts/one%2Ctwo.md,line=6,col=1,title=broken-anchor::there is no heading `#nowhere` on this page%0Ahelp: link to a heading's id: `## Getting started` has the id `getting-started`\n"
    );
    assert_eq!(run.stderr, "");
    // A `%` in a message is escaped, so GitHub does not read it as an escape.
    every_lint()
        .check(&["--format", "github"])
        .failure()
        .stdout_has("title=near-copy::this share message is nearly the same as one in content/posts/d-near.md (77%25 alike)%0Ahelp: ");
}

#[test]
fn the_json_format_lists_every_field() {
    let run = two_errors_and_a_warning()
        .file("content/people/shy.md", "---\nname: Shy Person\navatar_alt: A smile\n---\nBio.\n")
        .check(&["--format", "json"]);
    run.failure();
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let all = json.as_array().unwrap();
    assert_eq!(all.len(), 4, "{json:#}");
    for d in all {
        let mut keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["code", "column", "file", "hint", "line", "message", "severity"]);
    }
    assert_eq!(
        all[0],
        serde_json::json!({
            "severity": "warning",
            "code": "no-consent",
            "file": "content/people/shy.md",
            "line": 1,
            "column": 1,
            "message": "Shy Person has not given consent, so their profile is not published",
            "hint": "only Shy Person can give consent: they add the line `consent: true` to this file themselves, in a commit of their own",
        })
    );
    // A problem without a hint has `"hint": null`.
    assert_eq!(
        all[1],
        serde_json::json!({
            "severity": "warning",
            "code": "alt-without-image",
            "file": "content/people/shy.md",
            "line": 3,
            "column": 13,
            "message": "`avatar_alt` is set but there is no `avatar`",
            "hint": null,
        })
    );
    assert_eq!(all[3]["column"], 18);
    assert_eq!(all[3]["hint"], "did you mean `#setup`?");
}

#[test]
fn a_clean_hub_passes_in_every_format() {
    let site = TestSite::fixture("minimal");
    let run = site.check(&[]);
    run.success();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("no problems found\n", ""));
    assert_eq!(site.check(&["--format", "json"]).success().stdout, "[]\n");
    assert_eq!(site.check(&["--format", "github"]).success().stdout, "");
    assert_eq!(site.check(&["--strict"]).success().stdout, "no problems found\n");
}

/// A hub whose only problems are warnings (in `build` and `check`) and a message over X's
/// limit (a warning in `build`, an error in `check`).
fn warnings_and_a_long_message() -> TestSite {
    TestSite::fixture("minimal")
        .file(
            "chorus.yaml",
            "title: Minimal Hub\nbase_url: https://hub.example\ncadence:\n  max_featured_per_week: 1\n",
        )
        .file("content/posts/a.md", post("A", "2026-11-09", "ana", "featured: true\n", "First.\n"))
        .file("content/posts/b.md", post("B", "2026-11-10", "ana", "featured: true\n", "Second.\n"))
        .file("content/people/shy.md", "---\nname: Shy Person\n---\nBio.\n")
}

#[test]
fn strict_turns_warnings_into_errors() {
    let site = warnings_and_a_long_message();
    site.check(&[]).success();
    let run = site.check_json(&[]);
    run.success().assert_counts(0, 2, 2);
    assert_eq!(run.diagnostics().iter().map(|d| d.severity).collect::<Vec<_>>(), [Severity::Warning; 2]);
    site.check(&["--strict"]).failure();
    let strict = site.check_json(&["--strict"]);
    strict.failure().assert_counts(2, 0, 2);
    let errors: Vec<(Severity, String)> = strict.diagnostics().into_iter().map(|d| (d.severity, d.message)).collect();
    for message in [
        "Shy Person has not given consent, so their profile is not published",
        "2 posts are featured in week 2026-W46, more than the 1 allowed: content/posts/a.md, content/posts/b.md",
    ] {
        assert!(errors.contains(&(Severity::Error, message.to_string())), "{message:?} not in {errors:#?}");
    }
    let json: serde_json::Value = serde_json::from_str(&strict.stdout).unwrap();
    assert!(json.as_array().unwrap().iter().all(|d| d["severity"] == "error"), "{json:#}");
}

#[test]
fn a_message_over_the_limit_fails_check_but_only_warns_in_build() {
    let site = warnings_and_a_long_message().file(
        "content/posts/long.md",
        post("Long", "2026-11-06", "ana", &format!("share:\n  text: {}\n", long_text()), "Body.\n"),
    );
    // `build` has no JSON format, and `check` is what differs from it here: what `build`
    // reports is read from what it prints.
    let build = site.build();
    build.success().stderr_has("0 errors, 3 warnings in 3 files\n");
    let d = build.printed_at("content/posts/long.md:6:9");
    assert_eq!(
        (d.severity.as_str(), d.message.as_str()),
        ("warning", "the message for X is 283 characters long; X allows 280")
    );
    let cadence = build.printed_at("content/posts/b.md:5:1");
    assert_eq!(cadence.severity, "warning");
    assert_eq!(
        cadence.message,
        "2 posts are featured in week 2026-W46, more than the 1 allowed: content/posts/a.md, content/posts/b.md"
    );
    build
        .page("posts/long/index.html")
        .has("283 of 280 characters on X: 3 too many. Shorten the message before you post it.");

    site.check(&[]).failure();
    let check = site.check_json(&[]);
    check.failure().assert_counts(1, 2, 3);
    let d: Vec<_> = check.diagnostics().into_iter().filter(|d| d.location() == "content/posts/long.md:6:9").collect();
    assert_eq!(d.len(), 1, "{check:?}");
    assert_eq!(
        (d[0].severity, d[0].message.as_str()),
        (Severity::Error, "the message for X is 283 characters long; X allows 280")
    );
    assert_eq!(d[0].hint.as_deref(), Some("shorten the message, or add a shorter one for X as `share.x: …`"));
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    let run = TestSite::fixture("minimal").check(&["--format", "yaml"]);
    run.usage_error()
        .stderr_has("error: invalid value 'yaml' for '--format <FORMAT>'")
        .stderr_has("[possible values: human, github, json]");
    assert_eq!(run.stdout, "");
}

#[test]
fn check_writes_nothing() {
    for site in [TestSite::fixture("minimal"), every_lint()] {
        let before = snapshot(site.outer());
        let run = site.check(&[]);
        assert!(run.code == Some(0) || run.code == Some(1), "{run:?}");
        assert_same_tree(&before, &snapshot(site.outer()), &format!("check changed files\n{run:?}"));
        assert!(!site.root().join("public").exists());
    }
}
