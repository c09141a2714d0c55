//! `chorus init --ci github|gitlab`: the workflow checks pull requests and publishes from the
//! main branch with a pinned Chorus, installed under the package's real name (`chorus-hub`),
//! the same line the hub's README gives. The GitHub workflow is checked with `actionlint` or `action-validator`;
//! the GitLab one is read as YAML and its jobs checked.

use std::io::Write;
use std::process::Command;

use crate::common::{Run, TestSite, NOW_EPOCH};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn init(site: &TestSite, ci: &str) -> Run {
    let home = site.outer().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut cmd = site.command();
    cmd.current_dir(site.outer())
        .env("HOME", &home)
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CEILING_DIRECTORIES", site.outer())
        .env("SOURCE_DATE_EPOCH", NOW_EPOCH)
        .args(["init", "hub", "--ci", ci]);
    site.run(cmd, &["init", "hub", "--ci", ci])
}

fn read(site: &TestSite, rel: &str) -> String {
    std::fs::read_to_string(site.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The install line every generated file gives.
fn install() -> String {
    format!("cargo install chorus-hub --locked --version {VERSION}")
}

#[test]
fn the_package_is_chorus_hub_and_the_program_chorus() {
    let manifest = std::fs::read_to_string(crate::common::repo().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\nname = \"chorus-hub\"\n"), "{manifest}");
    assert!(manifest.contains("[[bin]]\nname = \"chorus\"\n"), "{manifest}");
    let readme = std::fs::read_to_string(crate::common::repo().join("README.md")).unwrap();
    assert!(readme.contains("cargo install --path ."), "the README has no install line");
    assert!(!readme.contains("cargo install chorus "), "the README installs the wrong crate");
}

#[test]
fn github_checks_pull_requests_and_publishes_main_to_pages() {
    let site = TestSite::new();
    let run = init(&site, "github");
    run.success();
    assert!(run.stdout.contains("hub/.github/workflows/chorus.yml\n"), "{}", run.stdout);
    let workflow = read(&site, ".github/workflows/chorus.yml");
    for needed in [
        "pull_request:",
        "branches: [main]",
        &format!("CHORUS_VERSION: \"{VERSION}\""),
        "cargo install chorus-hub --locked --version \"$CHORUS_VERSION\"",
        "run: chorus check --format github",
        "run: chorus build",
        "uses: actions/upload-pages-artifact@v3",
        "path: public",
        "uses: actions/deploy-pages@v4",
        "pages: write",
        "id-token: write",
    ] {
        assert!(workflow.contains(needed), "the workflow lacks {needed:?}:\n{workflow}");
    }
    assert!(!workflow.contains("cargo install chorus "), "{workflow}");
    // Only the installed program is cached: never the site, the content or Cargo's registry.
    let cached: Vec<&str> = workflow.lines().filter(|l| l.trim_start().starts_with("~/")).map(str::trim).collect();
    assert_eq!(cached.len(), 6, "{workflow}");
    assert!(
        cached.iter().all(|p| p.starts_with("~/.cargo/bin/chorus") || p.starts_with("~/.cargo/.crates")),
        "{cached:?}"
    );
    assert!(read(&site, "README.md").contains(&install()), "the hub's README gives another install line");
    // The new hub still builds and passes check.
    assert_eq!(site.check(&[]).success().stdout, "no problems found\n");
    actionlint(&workflow);
}

#[test]
fn gitlab_checks_merge_requests_and_publishes_the_default_branch_to_pages() {
    let site = TestSite::new();
    let run = init(&site, "gitlab");
    run.success();
    assert!(run.stdout.contains("hub/.gitlab-ci.yml\n"), "{}", run.stdout);
    assert!(!site.root().join(".github").exists());
    let text = read(&site, ".gitlab-ci.yml");
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("not YAML ({e}):\n{text}"));
    assert_eq!(yaml["variables"]["CHORUS_VERSION"].as_str(), Some(VERSION));
    let before: Vec<&str> = yaml["before_script"].as_sequence().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert!(before.contains(&"cargo install chorus-hub --locked --version \"$CHORUS_VERSION\""), "{before:?}");
    let script = |job: &str| -> Vec<String> {
        yaml[job]["script"]
            .as_sequence()
            .unwrap_or_else(|| panic!("no job {job}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let rules = |job: &str| serde_yaml::to_string(&yaml[job]["rules"]).unwrap();
    assert_eq!(script("check"), ["chorus check"]);
    assert!(rules("check").contains("merge_request_event"), "{}", rules("check"));
    // GitLab Pages publishes the job called `pages`, from its `public` artifact.
    assert_eq!(script("pages"), ["chorus check", "chorus build"]);
    assert!(rules("pages").contains("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"), "{}", rules("pages"));
    assert_eq!(yaml["pages"]["artifacts"]["paths"][0].as_str(), Some("public"));
    let cached: Vec<&str> = yaml["cache"]["paths"].as_sequence().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert!(
        cached.iter().all(|p| p.starts_with(".cargo-home/bin/chorus") || p.starts_with(".cargo-home/.crates")),
        "{cached:?}"
    );
    assert!(read(&site, "README.md").contains(&install()));
    assert_eq!(site.check(&[]).success().stdout, "no problems found\n");
}

#[test]
fn without_ci_there_is_no_workflow_and_a_bad_host_is_a_usage_error() {
    let site = TestSite::new();
    let run = init(&site, "jenkins");
    run.usage_error();
    assert!(!site.root().join("chorus.yaml").exists());
}

/// A linter for GitHub workflows: `actionlint` when it is installed, else `action-validator`
/// (the workflow JSON schema; npm `@action-validator/cli`, which `.ci/run` installs into
/// `target/browser-deps`). Without either, the check is skipped with a message, unless CI
/// (`CI` or `CHORUS_REQUIRE_BROWSER=1`, set by `.ci/run`) requires every tool.
fn workflow_linter() -> Option<(std::path::PathBuf, &'static [&'static str])> {
    let works = |program: &std::path::Path, arg: &str| {
        Command::new(program).arg(arg).output().is_ok_and(|o| o.status.success())
    };
    if works("actionlint".as_ref(), "--version") {
        return Some(("actionlint".into(), &["-no-color"]));
    }
    let validator =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-deps/node_modules/.bin/action-validator");
    // action-validator 0.6 has no `--version`; `--help` exits 0 when it runs at all.
    works(&validator, "--help").then_some((validator, &[]))
}

fn actionlint(workflow: &str) {
    let Some((linter, args)) = workflow_linter() else {
        let required = std::env::var_os("CHORUS_REQUIRE_BROWSER").is_some_and(|v| v == "1")
            || std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        assert!(
            !required,
            "no workflow linter is installed (actionlint, or npm @action-validator/cli), and CI requires one"
        );
        let _ = writeln!(
            std::io::stderr(),
            "skipped: no workflow linter installed (actionlint, or npm @action-validator/cli); the workflow was not linted"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".github/workflows/chorus.yml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, workflow).unwrap();
    let out = Command::new(&linter).args(args).arg(&path).current_dir(dir.path()).output().unwrap();
    assert!(
        out.status.success(),
        "{} finds problems in the workflow:\n{}{}",
        linter.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The linter is not a formality: a workflow with a misspelled step key fails it.
#[test]
fn the_workflow_linter_rejects_a_broken_workflow() {
    let Some((linter, args)) = workflow_linter() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yml");
    std::fs::write(
        &path,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        whith: {x: 1}\n",
    )
    .unwrap();
    let out = Command::new(&linter).args(args).arg(&path).output().unwrap();
    assert!(!out.status.success(), "{} accepted a broken workflow", linter.display());
}
