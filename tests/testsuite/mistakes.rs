//! Every mistake of a file in one run: a file whose front matter has errors (a misspelled
//! key, a date that cannot be read, a tab, a YAML error) is still checked for everything
//! else that can be read of it, including what needs other files (its authors exist, its
//! image exists, its links lead somewhere).

use crate::common::TestSite;

/// `(code, line, column)` of every diagnostic of `file`, in order.
fn places(run: &crate::common::Run, file: &str) -> Vec<(String, usize, usize)> {
    run.diagnostics().into_iter().filter(|d| d.file == file).map(|d| (d.code, d.line, d.column)).collect()
}

fn place(code: &str, line: usize, column: usize) -> (String, usize, usize) {
    (code.to_string(), line, column)
}

#[test]
fn every_mistake_of_a_post_is_reported_in_one_run() {
    let file = "content/posts/2026-11-05-mistakes.md";
    let run = TestSite::fixture("minimal")
        .file(
            file,
            "---\n\
             title: Four mistakes and more\n\
             date: 12/01/2026\n\
             author: anna\n\
             tags: [news]\n\
             \tfeatured: true\n\
             sumary: What went wrong.\n\
             image: missing.png\n\
             image_alt: A picture\n\
             ---\n\
             See [the plan](@/posts/nowhere.md).\n\
             \n\
             ```typscript\n\
             let a = 1;\n\
             ```\n",
        )
        .check(&["--format", "json"]);
    run.failure();
    assert_eq!(
        places(&run, file),
        [
            place("bad-date", 3, 7),
            place("unknown-person", 4, 9),
            place("tab-indent", 6, 1),
            place("unknown-key", 7, 1),
            place("missing-image", 8, 8),
            place("unknown-link", 11, 5),
            place("unknown-language", 13, 4),
        ],
        "{run:?}"
    );
    assert_eq!(run.diag_at(&format!("{file}:4:9")).hint.as_deref(), Some("did you mean `ana`?"));
    assert_eq!(run.diag_at(&format!("{file}:7:1")).hint.as_deref(), Some("did you mean `summary`?"));
    assert_eq!(
        run.diag_at(&format!("{file}:13:4")).hint.as_deref(),
        Some("did you mean `typescript`? (write `text` for a block that is not code)")
    );
    // Nothing else: the other files are fine.
    run.assert_counts(6, 1, 1);
}

#[test]
fn a_tab_in_front_matter_is_shown_where_it_is_with_the_right_hint() {
    let file = "content/posts/tab.md";
    let run = TestSite::fixture("minimal")
        .file(file, "---\ntitle: Tab\ndate: 2026-11-03\nauthor: ana\ntags: [news]\n\tfeatured: true\n---\nBody\n")
        .build();
    run.failure();
    let printed = run.printed_at(&format!("{file}:6:1"));
    assert_eq!(
        printed.text,
        "error: this line is indented with a tab, which YAML does not allow\n \
         --> content/posts/tab.md:6:1\n  \
         |\n\
         6 | →featured: true\n  \
         | ^\n  \
         = help: indent with spaces instead (the tab is shown as `→`): two spaces for a key inside another key, like `text:` under `share:`, and none for a key of its own"
    );
    // The key was read all the same (at the top, where it was meant): nothing else is wrong.
    run.assert_counts(1, 0, 1);
}

#[test]
fn a_tab_inside_a_block_is_read_as_a_space() {
    let file = "content/posts/share.md";
    let run = TestSite::fixture("minimal")
        .file(file, "---\ntitle: Tab\ndate: 2026-11-03\nauthor: ana\nshare:\n\ttext: Our roof #solar\n---\nBody\n")
        .check(&["--format", "json"]);
    // `text` is read inside `share`, where it was meant: its own problem is reported too.
    assert_eq!(places(&run, file), [place("tab-indent", 6, 1), place("yaml-comment", 6, 17)], "{run:?}");
    assert_eq!(
        run.diag_at(&format!("{file}:6:17")).message,
        "the end of `share.text`, from ` #`, is a YAML comment and is left out"
    );
}

#[test]
fn tabs_that_break_a_block_leave_out_only_that_block() {
    let file = "content/posts/share.md";
    let run = TestSite::fixture("minimal")
        .file(
            file,
            "---\ntitle: Tab\ndate: 2026-11-03\nauthor: ana\nshare:\n\ttext: Our roof is solar now.\n\t\tvariants: [x]\nsumary: x\n---\nBody\n",
        )
        .check(&["--format", "json"]);
    let d = run.diag_at(&format!("{file}:7:1"));
    assert_eq!(d.message, "this line is indented with tabs, which YAML does not allow");
    // `variants` under a text cannot be read: `share` is left out (not moved to the top,
    // nor reported missing), and the key below it is still checked.
    assert_eq!(
        places(&run, file),
        [place("tab-indent", 6, 1), place("tab-indent", 7, 1), place("unknown-key", 8, 1)],
        "{run:?}"
    );
}

#[test]
fn a_yaml_error_leaves_the_other_keys_checked() {
    let file = "content/posts/colon.md";
    let run = TestSite::fixture("minimal")
        .file(file, "---\ntitle: Hello: world\ndate: 2026-11-03\nauthor: anna\ntgas: [a]\n---\nBody\n")
        .check(&["--format", "json"]);
    run.failure();
    // The title is written, only not readable: it is not reported missing.
    assert_eq!(
        places(&run, file),
        [place("yaml-syntax", 2, 13), place("unknown-person", 4, 9), place("unknown-key", 5, 1)],
        "{run:?}"
    );
}

#[test]
fn two_yaml_errors_in_separate_keys_are_both_reported() {
    let file = "content/posts/two.md";
    let run = TestSite::fixture("minimal")
        .file(file, "---\ntitle: Hello: world\ndate: 2026-11-03\nauthor: ana\nsummary: a: b\n---\nBody\n")
        .check(&["--format", "json"]);
    assert_eq!(places(&run, file), [place("yaml-syntax", 2, 13), place("yaml-syntax", 5, 11)], "{run:?}");
}

#[test]
fn a_cause_with_errors_still_has_its_owner_checked() {
    let file = "content/causes/walk.md";
    let run = TestSite::fixture("minimal")
        .file(file, "---\ntitle: A walk\nkind: volunter\nperson: anna\nstarts: tomorrow\n---\nCome.\n")
        .check(&["--format", "json"]);
    assert_eq!(
        places(&run, file),
        [place("unknown-kind", 3, 7), place("unknown-person", 4, 9), place("bad-date", 5, 9)],
        "{run:?}"
    );
}

#[test]
fn a_profile_with_errors_still_exists_for_what_credits_it() {
    let run = TestSite::fixture("minimal")
        .file("content/people/bo.md", "---\nnmae: Bo\nconsent: true\n---\nBio.\n")
        .file("content/posts/by-bo.md", "---\ntitle: By Bo\ndate: 2026-11-03\nauthor: bo\n---\nSee [Bo's post](@/posts/by-bo.md) and [Bo](@/people/bo.md).\n")
        .check(&["--format", "json"]);
    run.failure();
    // Bo's profile has its own errors; the post is not told that there is no `bo`, and the
    // link to the profile is to a page not published yet, not to nothing.
    assert_eq!(
        places(&run, "content/people/bo.md"),
        [place("missing-key", 1, 1), place("unknown-key", 2, 1)],
        "{run:?}"
    );
    assert_eq!(places(&run, "content/posts/by-bo.md"), [place("unpublished-link", 6, 39)], "{run:?}");
}
