//! Words to avoid (`check.avoid`) and the bad input of DESIGN §14's settings: each a
//! diagnostic with its file, line and column, tested by its exact message.

use crate::common::{Severity, TestSite};

fn config(extra: &str) -> String {
    format!("title: Hub\nbase_url: https://hub.example\n{extra}")
}

/// The `minimal` hub with `extra` added to chorus.yaml and a post and a cause that use
/// "guaranteed" and "Risk-free".
fn hub(extra: &str) -> TestSite {
    TestSite::fixture("minimal")
        .file("chorus.yaml", config(extra))
        .file(
            "content/posts/2026-11-20-returns.md",
            "---\ntitle: \"Our fund: Guaranteed growth\"\ndate: 2026-11-20\nauthor: ana\n\
             summary: Steady, risk-free, and guaranteed.\nshare:\n  text: >\n    A steady fund with\n    guaranteed returns\n  variants:\n    - Nothing is GUARANTEED here\n---\nBody that says guaranteed, which is not checked.\n",
        )
}

const AVOID: &str = "check:\n  avoid:\n    - word: guaranteed\n      why: we can't promise returns\n    - word: risk-free\n      why: every investment has risks\n      level: error\n";

#[test]
fn avoided_words_are_reported_where_they_are_with_the_reason() {
    let site = hub(AVOID);
    let run = site.check_json(&[]);
    run.failure();
    let file = "content/posts/2026-11-20-returns.md";
    let d = run.diag_at(&format!("{file}:2:19"));
    assert_eq!(
        (d.code.as_str(), d.message.as_str()),
        ("avoid-word", "the title uses `Guaranteed`, a word this hub avoids")
    );
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.hint.as_deref(), Some("we can't promise returns (`check.avoid` in chorus.yaml)"));
    let d = run.diag_at(&format!("{file}:5:18"));
    assert_eq!(d.message, "the summary uses `risk-free`, a word this hub avoids");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.hint.as_deref(), Some("every investment has risks (`check.avoid` in chorus.yaml)"));
    assert_eq!(run.diag_at(&format!("{file}:5:33")).message, "the summary uses `guaranteed`, a word this hub avoids");
    // A folded share text: the word is on the file's next line.
    assert_eq!(run.diag_at(&format!("{file}:9:5")).message, "the share text uses `guaranteed`, a word this hub avoids");
    assert_eq!(
        run.diag_at(&format!("{file}:11:18")).message,
        "the suggested message uses `GUARANTEED`, a word this hub avoids"
    );
    // The body is not checked, nor is a word inside another word.
    assert_eq!(run.diagnostics().iter().filter(|d| d.code == "avoid-word").count(), 5, "{:#?}", run.diagnostics());
    let human = site.check(&[]);
    assert!(
        human.stdout.contains(&format!(
            "warning: the title uses `Guaranteed`, a word this hub avoids\n --> {file}:2:19\n  |\n2 | title: \"Our fund: Guaranteed growth\"\n  |                   ^^^^^^^^^^\n  = help: we can't promise returns (`check.avoid` in chorus.yaml)\n"
        )),
        "{human:?}"
    );
}

#[test]
fn without_level_error_avoided_words_only_warn() {
    let run = hub("check:\n  avoid:\n    - word: guaranteed\n    - risk-free\n").check_json(&[]);
    run.success();
    let d = run.diag_at("content/posts/2026-11-20-returns.md:2:19");
    assert_eq!(d.hint.as_deref(), Some("reword it: `check.avoid` in chorus.yaml lists this word"));
    assert!(run.diagnostics().iter().all(|d| d.severity == Severity::Warning));
}

#[test]
fn an_avoid_entry_that_is_not_a_word_is_an_error() {
    let run = hub("check:\n  avoid:\n    - word: risk free\n    - word: \"guaran*\"\n    - word: guaranteed\n      level: fatal\n").check_json(&[]);
    run.failure();
    let d = run.diag_at("chorus.yaml:5:13");
    assert_eq!(
        (d.code.as_str(), d.message.as_str()),
        ("not-a-word", "`risk free` is not a word: `check.avoid` lists single words, and this has spaces")
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("list one word per entry (like `word: guaranteed`); for a phrase, list its telling word")
    );
    let d = run.diag_at("chorus.yaml:6:13");
    assert_eq!(d.message, "`guaran*` is not a word: `check.avoid` lists words of letters and digits");
    let d = run.diag_at("chorus.yaml:8:14");
    assert_eq!((d.code.as_str(), d.message.as_str()), ("bad-value", "`fatal` is not a level"));
}

#[test]
fn digest_settings_are_checked() {
    let run = hub(
        "digest:\n  from: Voices <voices@hub.example>\n  to: [all-staff@hub.example, not an address]\n  smtp:\n    port: 587\n",
    )
    .check_json(&[]);
    run.failure();
    let d = run.diag_at("chorus.yaml:5:31");
    assert_eq!(
        (d.code.as_str(), d.message.as_str()),
        ("bad-email-address", "`not an address` is not an email address")
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("write an address like `all-staff@example.com` or `Our Voices <voices@example.com>`")
    );
    let d = run.diag_at("chorus.yaml:6:3");
    assert_eq!((d.code.as_str(), d.message.as_str()), ("missing-key", "missing required key `digest.smtp.host`"));
    assert_eq!(d.hint.as_deref(), Some("add `host: smtp.example.com` (the mail server's name)"));

    let run = hub(
        "digest:\n  from: voices\n  to: all@hub.example\n  smtp:\n    host: smtp.hub.example\n    security: ssl3\n",
    )
    .check_json(&[]);
    run.failure();
    assert_eq!(run.diag_at("chorus.yaml:4:9").message, "`voices` is not an email address");
    assert_eq!(run.diag_at("chorus.yaml:8:15").message, "`ssl3` is not a kind of connection security");

    let run =
        hub("digest:\n  from: voices@hub.example\n  to: []\n  smtp:\n    host: smtp.hub.example\n").check_json(&[]);
    run.failure();
    assert_eq!(run.diag_at("chorus.yaml:5:7").message, "`digest.to` lists no address");
}

#[test]
fn a_cause_ending_before_it_starts_or_in_an_unknown_zone_is_an_error() {
    let run = TestSite::fixture("minimal")
        .file(
            "content/causes/run.md",
            "---\ntitle: Run\nperson: ana\nstarts: 2026-12-06T10:00:00Z\nends: 2026-12-05T10:00:00Z\n---\n",
        )
        .file(
            "content/causes/gig.md",
            "---\ntitle: Gig\nperson: ana\nstarts: 2026-12-06T20:00\ntimezone: Europe/Atlantis\n---\n",
        )
        .check_json(&[]);
    run.failure();
    let d = run.diag_at("content/causes/run.md:5:7");
    assert_eq!((d.code.as_str(), d.message.as_str()), ("dates-reversed", "the cause ends before it starts"));
    let d = run.diag_at("content/causes/gig.md:5:11");
    assert_eq!(
        (d.code.as_str(), d.message.as_str()),
        ("bad-timezone", "`Europe/Atlantis` is not a time zone Chorus understands")
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("write `UTC` or an offset such as `+01:00` (the zone of the times in `starts` and `ends`)")
    );
}

#[test]
fn a_causes_own_zone_places_its_times() {
    let run = TestSite::fixture("minimal")
        .file(
            "content/causes/gig.md",
            "---\ntitle: Gig\nperson: ana\nstarts: 2026-12-06T20:00\ntimezone: \"+02:00\"\n---\n",
        )
        .build();
    run.success();
    run.page("causes/gig/event.ics").has("\r\nDTSTART:20261206T180000Z\r\n");
}
