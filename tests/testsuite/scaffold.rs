//! `chorus init` and `chorus new` (DESIGN §8): the files they write build and pass `check`,
//! the author is guessed from git, and nothing is ever overwritten.
//!
//! Every run here sees a git of its own (no user-wide or system config), so the identity of
//! whoever runs the tests never leaks into them.

use std::fs;
use std::process::Command;

use crate::common::{assert_same_tree, snapshot, Run, Severity, TestSite, NOW, NOW_EPOCH};

/// Points git at an empty home in the test's temporary folder, and stops it from looking for
/// a repository above that folder.
fn isolate_git(cmd: &mut Command, site: &TestSite) {
    let home = site.outer().join("home");
    fs::create_dir_all(&home).unwrap();
    cmd.env("HOME", &home)
        .env("XDG_CONFIG_HOME", &home)
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CEILING_DIRECTORIES", site.outer())
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
}

/// `chorus ARGS…` in the hub root, with git isolated and `SOURCE_DATE_EPOCH` at `NOW` (for
/// `init`, which has no `--now`).
fn chorus(site: &TestSite, args: &[&str]) -> Run {
    let mut cmd = site.command();
    isolate_git(&mut cmd, site);
    cmd.env("SOURCE_DATE_EPOCH", NOW_EPOCH).args(args);
    site.run(cmd, args)
}

/// `chorus new KIND --now NOW -- TITLE` (`--`, as a title may start with `-`).
fn new(site: &TestSite, kind: &str, title: &str) -> Run {
    chorus(site, &["new", kind, "--now", NOW, "--", title])
}

/// `git ARGS…` in the hub root (isolated); `None` when git is not installed.
fn git(site: &TestSite, args: &[&str]) -> Option<()> {
    let mut cmd = Command::new("git");
    isolate_git(&mut cmd, site);
    cmd.current_dir(site.root()).args(args);
    match cmd.output() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("cannot run git: {e}"),
        Ok(out) => {
            assert!(out.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
            Some(())
        }
    }
}

/// A hub folder that is a git repository whose `user.email` is `email`; `None` without git.
fn in_git_repo(site: &TestSite, email: &str) -> Option<()> {
    git(site, &["init", "-q"])?;
    git(site, &["config", "user.email", email])
}

fn read(site: &TestSite, rel: &str) -> String {
    fs::read_to_string(site.root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// Text as the templates escape it in HTML (`& < > " '` only).
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

const INIT_FILES: &str = "\
hub/chorus.yaml
hub/content/people/your-name.md
hub/content/posts/2026-11-22-welcome.md
hub/content/pages/guidelines.md
hub/README.md
hub/.gitignore
hub/static/.gitkeep
";

/// `chorus init hub`, run beside the (empty but for its theme) hub folder.
fn init(site: &TestSite) -> Run {
    let mut cmd = site.command();
    isolate_git(&mut cmd, site);
    cmd.current_dir(site.outer()).env("SOURCE_DATE_EPOCH", NOW_EPOCH).args(["init", "hub"]);
    site.run(cmd, &["init", "hub"])
}

#[test]
fn init_makes_a_hub_that_builds_and_passes_check() {
    let site = TestSite::new();
    let run = init(&site);
    run.success();
    assert_eq!(run.stdout, INIT_FILES);
    assert_eq!(run.stderr, "A new hub is ready in hub. Try `chorus --root hub serve`.\n");
    assert!(read(&site, "content/people/your-name.md").contains("\nconsent: true\n"));
    assert!(!read(&site, "content/people/your-name.md").contains("git_email"));
    assert_eq!(site.check(&[]).success().stdout, "no problems found\n");
    let build = site.build();
    build.success();
    assert_eq!(build.diagnostics(), Vec::new(), "{build:?}");
    assert_eq!(build.printed(), Vec::new(), "{build:?}");
    build.page("posts/welcome/index.html").has("<h1 class=\"p-name\">Welcome to our hub</h1>").has("2026-11-22");
    build.page("guidelines/index.html").has("<strong>always optional</strong>");
}

#[test]
fn init_refuses_a_folder_that_already_holds_a_hub() {
    let site = TestSite::new();
    init(&site).success();
    site.write(
        "content/posts/2026-11-22-welcome.md",
        "---\ntitle: Mine now\ndate: 2026-11-22\nauthor: your-name\n---\nEdited.\n",
    );
    let before = snapshot(site.outer());
    let again = init(&site);
    again.failure();
    assert_eq!(
        again.stderr,
        "error: hub already holds a hub (it has `chorus.yaml` or `content/`); nothing was changed\n"
    );
    assert_eq!(again.stdout, "");
    assert_same_tree(&before, &snapshot(site.outer()), "a refused init changed files");
}

#[test]
fn init_keeps_files_that_are_already_there() {
    let site = TestSite::new().file("README.md", "# Our own readme\n");
    let run = init(&site);
    run.success();
    assert_eq!(run.stdout, INIT_FILES.replace("hub/README.md\n", ""));
    assert_eq!(read(&site, "README.md"), "# Our own readme\n");
}

#[test]
fn init_takes_the_founders_name_from_git_and_never_publishes_the_email() {
    let site = TestSite::new();
    let Some(()) = git(&site, &["config", "--global", "user.name", "Zoë Quinn"]) else {
        eprintln!("skipped: git is not installed");
        return;
    };
    git(&site, &["config", "--global", "user.email", "zoe.quinn@example.org"]).unwrap();
    init(&site).success();
    let profile = read(&site, "content/people/zoë-quinn.md");
    assert!(profile.starts_with("---\nname: Zoë Quinn\n"), "{profile}");
    assert!(profile.contains("\ngit_email: zoe.quinn@example.org\n"), "{profile}");
    let build = site.build();
    build.success();
    build.page("people/zoë-quinn/index.html").has("Zoë Quinn");
    for file in build.files() {
        let text = String::from_utf8_lossy(&build.bytes(&file)).into_owned();
        assert!(!text.contains("zoe.quinn@example.org"), "{file} publishes the founder's email");
    }
}

#[test]
fn init_of_a_new_folder_takes_the_founders_name_from_git() {
    let site = TestSite::new();
    let Some(()) = git(&site, &["config", "--global", "user.name", "Zoë Quinn"]) else {
        eprintln!("skipped: git is not installed");
        return;
    };
    let mut cmd = site.command();
    isolate_git(&mut cmd, &site);
    cmd.current_dir(site.outer()).env("SOURCE_DATE_EPOCH", NOW_EPOCH).args(["init", "fresh"]);
    let run = site.run(cmd, &["init", "fresh"]);
    run.success();
    assert!(site.outer().join("fresh/content/people/zoë-quinn.md").is_file(), "{run:?}");
}

#[test]
fn new_post_takes_its_author_from_git() {
    let site = TestSite::fixture("basic");
    // Emails are matched without regard to case.
    let Some(()) = in_git_repo(&site, "Ben.Okoro@Harbour.example") else {
        eprintln!("skipped: git is not installed");
        return;
    };
    let run = new(&site, "post", "Roof tour");
    run.success();
    assert_eq!(run.stdout, "content/posts/2026-11-22-roof-tour.md\n");
    assert_eq!(run.stderr, "Created it. Edit it, then run `chorus check` before you open a pull request.\n");
    let text = read(&site, "content/posts/2026-11-22-roof-tour.md");
    assert!(
        text.starts_with("---\ntitle: Roof tour\ndate: 2026-11-22\nauthor: ben\n# Everything below is optional."),
        "{text}"
    );
    site.check(&[]).success().stdout_lacks("roof-tour").assert_counts(0, 1, 1);

    // Someone git knows but the hub does not.
    git(&site, &["config", "user.email", "Stranger@Example.org"]).unwrap();
    let before = snapshot(site.root());
    let run = new(&site, "post", "Another tour");
    run.failure();
    assert_eq!(
        run.stderr,
        "error: cannot tell who you are: nobody in `content/people/` has `git_email: stranger@example.org`; \
         add it to your profile, or run this in a terminal to choose\n"
    );
    assert_eq!(run.stdout, "");
    assert_same_tree(&before, &snapshot(site.root()), "a refused `new` changed files");
}

#[test]
fn new_post_picks_the_only_person_when_git_does_not_say() {
    let site = TestSite::fixture("minimal").without("content/people/benjamin.md");
    let run = new(&site, "post", "Hello there");
    run.success();
    assert_eq!(run.stdout, "content/posts/2026-11-22-hello-there.md\n");
    assert!(read(&site, "content/posts/2026-11-22-hello-there.md").contains("\nauthor: ana\n"));
    site.check(&[]).success();
}

#[test]
fn today_is_the_day_in_the_hubs_time_zone() {
    let site = TestSite::fixture("minimal")
        .without("content/people/benjamin.md")
        .file("chorus.yaml", "title: Minimal Hub\nbase_url: https://hub.example\ntimezone: \"+14:00\"\n");
    // Noon in London is already 2 am the next day at +14:00.
    let run = new(&site, "post", "Early bird");
    run.success();
    assert_eq!(run.stdout, "content/posts/2026-11-23-early-bird.md\n");
    assert!(read(&site, "content/posts/2026-11-23-early-bird.md").contains("\ndate: 2026-11-23\n"));
}

#[test]
fn new_post_without_a_terminal_cannot_choose_among_several_people() {
    let site = TestSite::fixture("minimal");
    let before = snapshot(site.root());
    let run = new(&site, "post", "Hello there");
    run.failure();
    assert_eq!(
        run.stderr,
        "error: cannot tell who you are: set `git config user.email` and add the same `git_email:` to your profile \
         in `content/people/`, or run this in a terminal to choose\n"
    );
    assert_eq!(run.stdout, "");
    assert_same_tree(&before, &snapshot(site.root()), "a refused `new` changed files");
}

#[test]
fn new_post_quotes_titles_that_yaml_would_misread() {
    let site = TestSite::fixture("minimal").without("content/people/benjamin.md");
    let titles = [
        ("Solar: the #1 question", "solar-the-1-question"),
        ("#teamwork matters", "teamwork-matters"),
        ("true", "true"),
        ("It's \"quoted\" - really", "it-s-quoted-really"),
        ("- dash first", "dash-first"),
        ("[draft] ideas & more", "draft-ideas-more"),
    ];
    for (title, slug) in titles {
        let run = new(&site, "post", title);
        run.success();
        assert_eq!(run.stdout, format!("content/posts/2026-11-22-{slug}.md\n"));
    }
    assert!(read(&site, "content/posts/2026-11-22-solar-the-1-question.md")
        .starts_with("---\ntitle: 'Solar: the #1 question'\ndate: 2026-11-22\n"));
    site.check(&[]).success();
    let build = site.build();
    build.success();
    for (title, slug) in titles {
        build
            .page(&format!("posts/{slug}/index.html"))
            .has(&format!("<h1 class=\"p-name\">{}</h1>", html_escape(title)));
    }
}

#[test]
fn new_never_overwrites() {
    let site = TestSite::fixture("minimal").without("content/people/benjamin.md");
    new(&site, "post", "Solar: the #1 question").success();
    site.write(
        "content/posts/2026-11-22-solar-the-1-question.md",
        "---\ntitle: Mine\ndate: 2026-11-22\nauthor: ana\n---\nWork in progress.\n",
    );
    let before = snapshot(site.root());
    let refused = "error: content/posts/ already has `solar-the-1-question`; nothing was changed. Choose another title, or edit the existing file\n";
    let again = new(&site, "post", "Solar: the #1 question");
    again.failure();
    assert_eq!(again.stderr, refused);
    // A day later the file name would differ, but the address would not.
    let tomorrow = chorus(&site, &["new", "post", "--now", "2026-11-23T12:00:00Z", "Solar: the #1 question"]);
    tomorrow.failure();
    assert_eq!(tomorrow.stderr, refused);
    let welcome = new(&site, "post", "Welcome");
    welcome.failure().stderr_has("content/posts/ already has `welcome`; nothing was changed.");
    let person = new(&site, "person", "Ana");
    person.failure().stderr_has("content/people/ already has `ana`; nothing was changed.");
    let nothing = new(&site, "page", "!!!");
    nothing.failure();
    assert_eq!(nothing.stderr, "error: `!!!` has no letters or digits to make an address from; choose another title\n");
    assert_same_tree(&before, &snapshot(site.root()), "a refused `new` changed files");
}

#[test]
fn new_outside_a_hub_says_how_to_make_one() {
    let run = chorus(&TestSite::new(), &["new", "post", "Hello", "--now", NOW]);
    run.failure();
    assert_eq!(
        run.stderr,
        "error: there is no `chorus.yaml` here; run this in a hub's folder, or create one with `chorus init`\n"
    );
}

#[test]
fn new_cause_page_and_person_pass_check() {
    let site = TestSite::fixture("minimal").without("content/people/benjamin.md");
    let cause = new(&site, "cause", "River clean-up");
    cause.success();
    assert_eq!(cause.stdout, "content/causes/river-clean-up.md\n");
    let text = read(&site, "content/causes/river-clean-up.md");
    assert!(text.starts_with("---\ntitle: River clean-up\nperson: ana\nkind: other"), "{text}");
    // Two weeks after today.
    assert!(text.contains("\nstarts: 2026-12-06\n"), "{text}");
    let page = new(&site, "page", "About us");
    page.success();
    assert_eq!(page.stdout, "content/pages/about-us.md\n");
    let person = new(&site, "person", "Zoë Example");
    person.success();
    assert_eq!(person.stdout, "content/people/zoë-example.md\n");
    let profile = read(&site, "content/people/zoë-example.md");
    assert!(profile.starts_with("---\nname: Zoë Example\n"), "{profile}");
    assert!(profile.contains("\nconsent: false\n"), "{profile}");
    assert!(profile.contains("\n# git_email: you@example.com "), "{profile}");

    // A new person has not consented yet: a warning, not an error.
    let check = site.check(&[]);
    check.success();
    let d = check.diagnostics();
    assert_eq!(d.len(), 1, "{check:?}");
    assert_eq!(
        (d[0].severity, d[0].location().as_str(), d[0].message.as_str()),
        (
            Severity::Warning,
            "content/people/zoë-example.md:5:1",
            "Zoë Example has not given consent, so their profile is not published"
        )
    );
    let build = site.build();
    build.success();
    build.assert_exists("causes/river-clean-up/index.html").assert_exists("about-us/index.html");
    build.assert_absent("people/zoë-example/index.html");
}
