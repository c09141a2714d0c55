//! The output folder (DESIGN §9): Chorus never deletes a file it did not create, and a failed
//! build changes nothing already published.

use std::fs;

use crate::common::{assert_same_tree, snapshot, TestSite};

/// A small hub with every folder the user owns: content, static, templates, a theme.
fn hub() -> TestSite {
    TestSite::fixture("minimal").file("static/robots-note.txt", "mine").file("templates/partial.html", "<p>mine</p>\n")
}

/// Builds with `--output DIR` (or with `output_dir: DIR` in the config when `in_config`),
/// and asserts the build is refused with `why`, leaving every file around the hub as it was.
fn assert_refused(site: &TestSite, dir: &str, in_config: bool, why: &str) {
    if in_config {
        let config = fs::read_to_string(site.root().join("chorus.yaml")).unwrap();
        let config: String =
            config.lines().filter(|l| !l.starts_with("output_dir:")).map(|l| format!("{l}\n")).collect();
        site.write("chorus.yaml", format!("{config}output_dir: \"{dir}\"\n"));
    }
    let before = snapshot(site.outer());
    let run = if in_config { site.build() } else { site.build_with(&["--output", dir]) };
    assert_same_tree(&before, &snapshot(site.outer()), &format!("files changed by a build into {dir:?}\n{run:?}"));
    run.failure();
    // Only `build` writes, so only its printed diagnostics tell of a refused output.
    let d = run
        .printed()
        .into_iter()
        .find(|d| d.message.starts_with("refusing to write the site into "))
        .unwrap_or_else(|| panic!("the output {dir:?} should be refused\n{run:?}"));
    assert!(d.message.ends_with(why), "{dir:?}: {}", d.message);
    assert!(d.help.is_some(), "{d:?}");
    run.stderr_has("The build failed; nothing was published.");
}

#[test]
fn the_hub_itself_is_refused() {
    assert_refused(&hub(), ".", false, "it is the hub itself");
}

#[test]
fn the_hub_itself_via_a_roundabout_path_is_refused() {
    assert_refused(&hub(), "content/..", false, "it is the hub itself");
    assert_refused(&hub(), "../hub", false, "it is the hub itself");
}

#[test]
fn the_parent_of_the_hub_is_refused() {
    assert_refused(&hub(), "..", false, "it contains the hub");
}

#[test]
fn content_is_refused() {
    assert_refused(&hub(), "content", false, "it is inside `content/`, which holds your files");
    assert_refused(&hub(), "content/posts", false, "it is inside `content/`, which holds your files");
}

#[test]
fn themes_are_refused() {
    assert_refused(&hub(), "themes", false, "it is inside `themes/`, which holds your files");
    assert_refused(&hub(), "themes/default", false, "it is inside `themes/`, which holds your files");
}

#[test]
fn static_is_refused() {
    assert_refused(&hub(), "static", false, "it is inside `static/`, which holds your files");
}

#[test]
fn templates_are_refused() {
    assert_refused(&hub(), "templates", false, "it is inside `templates/`, which holds your files");
}

#[test]
fn the_git_folder_is_refused() {
    let site = hub().file(".git/HEAD", "ref: refs/heads/main\n");
    assert_refused(&site, ".git", false, "it is inside `.git/`, which holds your files");
}

#[test]
fn an_absolute_path_to_content_is_refused() {
    let site = hub();
    let content = site.root().join("content").to_string_lossy().into_owned();
    assert_refused(&site, &content, false, "it is inside `content/`, which holds your files");
}

#[test]
fn a_folder_chorus_did_not_make_is_refused() {
    let site = hub().file("docs/readme.txt", "my notes");
    assert_refused(
        &site,
        "docs",
        false,
        "it is not empty and was not made by Chorus (it has no `.chorus-output` file)",
    );
}

#[test]
fn a_file_is_refused() {
    let site = hub().file("notes.txt", "my notes");
    assert_refused(&site, "notes.txt", false, "it is a file, not a folder");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_into_content_is_refused() {
    let site = hub();
    std::os::unix::fs::symlink(site.root().join("content"), site.root().join("out")).unwrap();
    assert_refused(&site, "out", false, "it is inside `content/`, which holds your files");
}

#[test]
fn dangerous_output_dir_in_the_config_is_refused_too() {
    let site = hub().file("docs/readme.txt", "my notes");
    assert_refused(&site, ".", true, "it is the hub itself");
    assert_refused(&site, "..", true, "it contains the hub");
    assert_refused(&site, "content", true, "it is inside `content/`, which holds your files");
    assert_refused(&site, "themes", true, "it is inside `themes/`, which holds your files");
    assert_refused(&site, "static", true, "it is inside `static/`, which holds your files");
    assert_refused(&site, "docs", true, "it is not empty and was not made by Chorus (it has no `.chorus-output` file)");
}

/// `nope/../content` is `content`: the `..` must be resolved even when `nope` does not exist.
#[test]
fn a_path_through_a_missing_folder_back_into_content_is_refused() {
    assert_refused(&hub(), "nope/../content", false, "it is inside `content/`, which holds your files");
}

#[test]
fn a_path_through_a_missing_folder_back_into_the_theme_is_refused() {
    assert_refused(&hub(), "nope/../themes/default", false, "it is inside `themes/`, which holds your files");
}

#[test]
fn a_path_through_a_missing_folder_to_the_parent_is_refused() {
    assert_refused(&hub(), "nope/../..", false, "it contains the hub");
}

#[test]
fn output_dir_through_a_missing_folder_back_into_content_is_refused() {
    assert_refused(&hub(), "nope/../content", true, "it is inside `content/`, which holds your files");
}

#[test]
fn an_empty_folder_or_a_folder_outside_the_hub_is_fine() {
    let site = hub();
    fs::create_dir(site.root().join("empty")).unwrap();
    site.build_with(&["--output", "empty"]).success().assert_exists("index.html").assert_exists(".chorus-output");
    let elsewhere = site.outer().join("elsewhere/site");
    let run = site.build_with(&["--output", elsewhere.to_str().unwrap()]);
    run.success();
    assert!(elsewhere.join("index.html").is_file());
}

/// Names beside `dir` that look like Chorus's staging or old folders (the image cache,
/// `.chorus-cache`, is meant to stay: it is the hub's, git-ignored, and safe to delete).
fn leftovers(dir: &std::path::Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".chorus-") && n != ".chorus-cache")
        .collect()
}

fn failed_build_leaves_the_published_site_as_it_was(site: TestSite, out: &str, args: &[&str]) {
    let first = site.build_with(args);
    first.success();
    let published = site.root().join(out);
    assert!(published.join("index.html").is_file(), "{first:?}");
    let before = snapshot(&published);

    let broken = site.file("content/posts/broken.md", "---\ntitle: Broken\ndate: 2026-13-01\nauthor: ana\n---\n");
    broken.write(
        "content/posts/2026-11-01-welcome.md",
        "---\ntitle: Changed\ndate: 2026-11-01\nauthor: ana\n---\nNew.\n",
    );
    let failed = broken.build_with(args);
    failed.failure().stderr_has("The build failed; nothing was published.");
    assert_same_tree(&before, &snapshot(&published), "a failed build changed the published site");
    assert_eq!(leftovers(broken.root()), Vec::<String>::new(), "leftovers beside the output");
}

fn rebuild_replaces_the_published_site(site: TestSite, out: &str, args: &[&str]) -> TestSite {
    let site =
        site.file("content/posts/2026-11-02-gone.md", "---\ntitle: Soon gone\ndate: 2026-11-02\nauthor: ana\n---\nB\n");
    site.build_with(args).success();
    let published = site.root().join(out);
    assert!(published.join("posts/gone/index.html").is_file());

    fs::remove_file(site.root().join("content/posts/2026-11-02-gone.md")).unwrap();
    site.write(
        "content/posts/2026-11-01-welcome.md",
        "---\ntitle: Welcome again\ndate: 2026-11-01\nauthor: ana\n---\nNew.\n",
    );
    let run = site.build_with(args);
    run.success();
    assert!(!published.join("posts/gone/index.html").exists(), "the old site's pages are gone");
    assert!(!published.join("posts/gone").exists());
    let page = fs::read_to_string(published.join("posts/welcome/index.html")).unwrap();
    assert!(page.contains("Welcome again"), "{page}");
    assert!(published.join(".chorus-output").is_file());
    assert_eq!(leftovers(site.root()), Vec::<String>::new(), "leftovers beside the output");
    site
}

#[test]
fn failed_build_leaves_public_byte_identical() {
    failed_build_leaves_the_published_site_as_it_was(TestSite::fixture("minimal"), "public", &[]);
}

#[test]
fn failed_build_leaves_an_output_flag_folder_byte_identical() {
    failed_build_leaves_the_published_site_as_it_was(TestSite::fixture("minimal"), "out", &["--output", "out"]);
}

#[test]
fn failed_build_leaves_the_configs_output_dir_byte_identical() {
    let site = TestSite::fixture("minimal");
    let config = fs::read_to_string(site.root().join("chorus.yaml")).unwrap();
    let site = site.file("chorus.yaml", format!("{config}output_dir: site-out\n"));
    failed_build_leaves_the_published_site_as_it_was(site, "site-out", &[]);
}

#[test]
fn rebuild_replaces_public_whole() {
    rebuild_replaces_the_published_site(TestSite::fixture("minimal"), "public", &[]);
}

#[test]
fn rebuild_replaces_the_configs_output_dir_whole() {
    let site = TestSite::fixture("minimal");
    let config = fs::read_to_string(site.root().join("chorus.yaml")).unwrap();
    let site = site.file("chorus.yaml", format!("{config}output_dir: site-out\n"));
    let site = rebuild_replaces_the_published_site(site, "site-out", &[]);
    assert!(!site_has(&site, "public"), "nothing is written to the default folder");
}

#[test]
fn the_output_flag_wins_over_the_configs_output_dir() {
    let site = TestSite::fixture("minimal");
    let config = fs::read_to_string(site.root().join("chorus.yaml")).unwrap();
    let site = site.file("chorus.yaml", format!("{config}output_dir: site-out\n"));
    site.build_with(&["--output", "other"]).success().assert_exists("index.html");
    assert!(!site_has(&site, "site-out"));
}

fn site_has(site: &TestSite, rel: &str) -> bool {
    site.root().join(rel).exists()
}

#[test]
fn leftovers_of_a_killed_build_are_cleaned_but_look_alikes_are_kept() {
    let site = TestSite::fixture("minimal")
        .file(".public.chorus-staging-999999/.chorus-output", "")
        .file(".public.chorus-staging-999999/index.html", "half a site")
        // Named like Chorus's, but without its marker: not Chorus's to delete.
        .file(".public.chorus-old-999998/precious.txt", "mine");
    site.build().success();
    assert!(!site_has(&site, ".public.chorus-staging-999999"));
    assert!(site_has(&site, ".public.chorus-old-999998/precious.txt"));
}

#[test]
fn an_existing_public_without_the_marker_is_not_replaced() {
    let site = TestSite::fixture("minimal").file("public/index.html", "my hand-made site");
    assert_refused(
        &site,
        "public",
        false,
        "it is not empty and was not made by Chorus (it has no `.chorus-output` file)",
    );
    // The default output folder gets the same protection.
    let before = snapshot(site.outer());
    site.build().failure().stderr_has("refusing to write the site into");
    assert_same_tree(&before, &snapshot(site.outer()), "public/ was touched");
}
