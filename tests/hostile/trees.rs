//! Hostile trees and oversized values (issue 15): folders of the hub that are links out of
//! it, file names with control characters, values, files and pages over their limits,
//! templates that try to read the machine, posts that name nobody, names that would forge a
//! line of a diagnostic, and moments outside the calendar. Each is refused with a clear
//! diagnostic, quickly, and nothing of it is published or left staged.

use std::path::Path;
use std::time::Duration;

use crate::common::{copy_dir, files_under, Run, TestSite};
use crate::util::NeverShows;

fn minimal() -> TestSite {
    TestSite::fixture("minimal")
}

/// A post by `ana` (of the `minimal` fixture) with `extra` front matter lines.
fn post(title: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2026-11-20\nauthor: ana\n{extra}---\n{body}\n")
}

const QUICK: Duration = Duration::from_secs(10);

/// The run failed, published nothing and left no staging folder beside `public/`.
fn assert_nothing_published_or_staged(site: &TestSite, run: &Run) {
    run.failed_without_output();
    let staged: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".public.chorus-"))
        .collect();
    assert!(staged.is_empty(), "staging left behind: {staged:?}\n{run:?}");
}

/// Replaces the hub's folder `rel` by a link to `target`.
fn link_folder(site: TestSite, rel: &str, target: &Path) -> TestSite {
    let path = site.root().join(rel);
    if path.exists() {
        std::fs::remove_dir_all(&path).unwrap();
    }
    site.symlink(rel, target)
}

#[test]
fn symlinked_roots_leading_outside_are_refused_and_nothing_is_published_or_staged() {
    for root in
        ["static", "content", "templates", "themes/default", "themes/default/templates", "themes/default/static"]
    {
        let site = minimal();
        let outside = site.outer().join("outside");
        // A whole hub's worth of files, each carrying the secret.
        copy_dir(&crate::common::repo().join("themes/default"), &outside);
        copy_dir(&site.root().join("content"), &outside);
        std::fs::write(outside.join("secret.txt"), "OUTSIDE-ROOT-SECRET").unwrap();
        std::fs::write(outside.join("posts/secret.md"), post("OUTSIDE-ROOT-SECRET", "", "x")).unwrap();
        std::fs::write(
            outside.join("404.html"),
            "{% extends \"base.html\" %}{% block content %}OUTSIDE-ROOT-SECRET{% endblock %}",
        )
        .unwrap();
        let site = link_folder(site, root, &outside);
        let run = site.build();
        run.within(QUICK).never_shows("OUTSIDE-ROOT-SECRET");
        assert_nothing_published_or_staged(&site, &run);
        let d = run.error(root, "leads outside the hub");
        assert_eq!((d.code.as_str(), d.file.as_str()), ("symlink-outside", root), "{run:?}");
    }
}

#[test]
fn symlinked_roots_to_proc_self_finish_quickly_with_the_diagnostic() {
    for root in ["static", "content", "themes/default/static", "templates"] {
        let site = link_folder(minimal(), root, Path::new("/proc/self"));
        let run = site.build();
        run.within(QUICK).never_shows("PATH=");
        assert_nothing_published_or_staged(&site, &run);
        run.error(root, "leads outside the hub");
        site.check(&[]).within(QUICK).failure();
    }
}

#[test]
fn a_root_linked_to_a_folder_inside_the_hub_still_builds() {
    let site = minimal().file("assets/hello.txt", "hello").symlink("static", "assets");
    site.build().success().assert_exists("hello.txt");
}

#[test]
fn control_characters_in_file_and_folder_names_are_refused_and_never_published() {
    let names = [
        "static/a\rb.txt",
        "static/evil\r\nSet-Cookie: pwned=1/index.html",
        "static/\tevil.example/index.html",
        "static/del\u{7f}.txt",
        "static/c1\u{85}.txt",
        "content/posts/cr\r.md",
        "content/posts/tab\tfolder/index.md",
        "content/posts/bundle/x\ny.txt",
    ];
    let mut site = minimal().file("content/posts/bundle/index.md", post("Bundle", "", "b"));
    for name in names {
        let text = if name.ends_with(".md") { post("Odd", "", "o") } else { "ODD-NAME-FILE".to_string() };
        site = site.file(name, text);
    }
    let run = site.build();
    run.within(QUICK).never_shows("ODD-NAME-FILE");
    assert_nothing_published_or_staged(&site, &run);
    let refused: Vec<String> =
        run.diagnostics().into_iter().filter(|d| d.code == "bad-file-name").map(|d| d.file).collect();
    for shown in [
        "static/a\\rb.txt",
        "static/evil\\r\\nSet-Cookie: pwned=1",
        "static/\\tevil.example",
        "static/del\\u{7f}.txt",
        "static/c1\\u{85}.txt",
        "content/posts/cr\\r.md",
        "content/posts/tab\\tfolder",
        "content/posts/bundle/x\\ny.txt",
    ] {
        assert!(refused.iter().any(|f| f == shown), "{shown:?} not refused: {refused:?}\n{run:?}");
    }
    assert_eq!(refused.len(), 8, "{refused:?}");
    for out in [&run.stdout, &run.stderr] {
        assert!(!out.contains('\r') && !out.contains('\u{7f}') && !out.contains('\u{85}'), "{run:?}");
        assert!(!out.lines().any(|l| l.starts_with("Set-Cookie")), "{run:?}");
    }
}

#[test]
fn non_ascii_names_still_publish() {
    let run = minimal()
        .file("static/énergie/index.html", "<p>Énergie</p>")
        .file("content/posts/énergie-solaire.md", post("Énergie", "tags: [énergie]\n", "Soleil."))
        .build();
    run.success().assert_exists("énergie/index.html");
    assert!(run.diagnostics().iter().all(|d| d.code != "bad-file-name"), "{run:?}");
}

#[test]
fn a_value_over_64_kb_is_refused_naming_its_key() {
    let long = "word ".repeat(20_000);
    let run = minimal()
        .file("content/posts/summary.md", post("Summary", &format!("summary: {long}\n"), "b"))
        .file("content/posts/note.md", post("Note", &format!("note: \"{long}\"\n"), "b"))
        .file("content/posts/share.md", post("Share", &format!("share:\n  text: {long}\n"), "b"))
        .build();
    run.within(QUICK).failed_without_output();
    for (file, key, line) in [("summary", "summary", 5), ("note", "note", 5), ("share", "share.text", 6)] {
        let d = run.error(&format!("content/posts/{file}.md:{line}:"), &format!("`{key}` is 98 KB long"));
        assert_eq!(d.code, "value-too-long", "{d:?}");
    }
}

#[test]
fn a_50_mb_summary_is_refused_within_seconds() {
    let huge = "a".repeat(50 * 1024 * 1024);
    let site = minimal().file("content/posts/huge.md", post("Huge", &format!("summary: {huge}\n"), "b"));
    drop(huge);
    let run = site.build();
    run.within(Duration::from_secs(5)).failed_without_output();
    assert_eq!(run.error("content/posts/huge.md", "larger than 4 MB").code, "file-too-large");
}

#[test]
fn a_content_file_over_4_mb_is_refused() {
    let body = "Plain words about the grid.\n\n".repeat(160_000);
    let run = minimal().file("content/posts/long.md", post("Long", "", &body)).build();
    run.within(QUICK).failed_without_output();
    assert_eq!(run.error("content/posts/long.md:1:1", "the most a content file may hold").code, "file-too-large");
}

#[test]
fn a_page_over_16_mb_is_refused() {
    // Under 4 MB of Markdown, but every `&` is written `&amp;`: a 19 MB page. (A summary and
    // a share text of its own keep the body out of listings and share links.)
    let body = "&".repeat(3_900_000);
    let extra = "summary: Short.\nshare:\n  text: Short.\n";
    let run =
        minimal().timeout(Duration::from_secs(30)).file("content/posts/amp.md", post("Amp", extra, &body)).build();
    run.failed_without_output();
    let d = run.error("", "the page posts/amp/index.html would be");
    assert_eq!(d.code, "page-too-large", "{d:?}");
}

#[test]
fn templates_cannot_read_the_environment_clock_or_randomness() {
    for call in ["get_env(name=\"PATH\")", "get_env(name=\"NOPE\", default=\"x\")", "now()", "get_random(end=9)"] {
        let name = call.split('(').next().unwrap();
        let site = minimal().file(
            "templates/404.html",
            format!("{{% extends \"base.html\" %}}{{% block content %}}{{{{ {call} }}}}{{% endblock %}}"),
        );
        let run = site.build();
        run.never_shows("/usr/bin");
        assert_nothing_published_or_staged(&site, &run);
        let d = run.error("", &format!("templates cannot use `{name}()`"));
        assert_eq!(d.code, "template", "{d:?}");
    }
}

#[test]
fn a_post_whose_authors_are_empty_is_an_error() {
    let run = minimal()
        .file("content/posts/nobody.md", "---\ntitle: Nobody\ndate: 2026-11-20\nauthors: []\n---\nx\n")
        .file("content/posts/no-one.md", "---\ntitle: No one\ndate: 2026-11-20\nauthor: []\n---\nx\n")
        .file("content/posts/blank.md", "---\ntitle: Blank\ndate: 2026-11-20\nauthor:\n---\nx\n")
        .build();
    run.failed_without_output();
    assert_eq!(run.error("content/posts/nobody.md:4:1", "`authors` names nobody").code, "empty-value");
    run.error("content/posts/no-one.md:4:1", "`author` names nobody");
    run.error("content/posts/blank.md:4:1", "`author` names nobody");
    let check = minimal()
        .file("content/posts/nobody.md", "---\ntitle: Nobody\ndate: 2026-11-20\nauthors: []\n---\nx\n")
        .check(&[]);
    check.failure().stdout_lacks("no problems found");
}

#[test]
fn names_and_messages_cannot_forge_a_diagnostic_line() {
    let site = minimal()
        .file("content/posts/forged\nerror: forged.md:5:1\n.md", post("Forged", "", "x"))
        .file("content/posts/key.md", post("Key", "\"x\\nerror: forged.md:5:1\": 1\n", "x"))
        .file("content/people/eve\r\nerror: forged.md:5:1.md", "---\nname: Eve\nconsent: true\n---\n");
    for run in [site.build(), site.check(&[])] {
        run.failure();
        for out in [&run.stdout, &run.stderr] {
            assert!(!out.lines().any(|l| l.starts_with("error: forged.md")), "a forged line\n{run:?}");
            assert!(!out.contains('\r'), "{run:?}");
        }
        let shown = "forged\\nerror: forged.md:5:1\\n.md";
        assert!(run.stdout.contains(shown) || run.stderr.contains(shown), "{run:?}");
    }
}

#[test]
fn control_characters_escaped_in_yaml_get_the_warning() {
    let run =
        minimal().file("content/posts/esc.md", post("\"Esc \\e[31m red\"", "summary: \"sum \\0\"\n", "Body")).build();
    run.success();
    let d = run.diagnostic("content/posts/esc.md:2:", "control characters");
    assert_eq!((d.code.as_str(), d.is_error()), ("control-characters", false), "{d:?}");
}

#[test]
fn weeks_and_moments_before_the_year_1_are_usage_errors() {
    let site = minimal();
    let week = site.digest(&["--week", "0000-W01"]);
    week.usage_error().stderr_has("is not an ISO week");
    for now in ["0000-01-01", "0000-01-01T00:00:00Z", "0000-12-31T23:00:00Z"] {
        let run = site.chorus(&["build", "--now", now]);
        run.usage_error().stderr_has("the year must be between 1 and 9999").stderr_lacks("-001");
        assert!(files_under(&site.root().join("public")).is_empty(), "{run:?}");
    }
}
