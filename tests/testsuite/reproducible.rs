//! Builds are reproducible (DESIGN §7): the same input and `--now` (or `SOURCE_DATE_EPOCH`)
//! give byte-identical output, wherever it is written.

use crate::common::{assert_same_tree, snapshot, TestSite, NOW_EPOCH};

#[test]
fn two_builds_into_different_folders_are_byte_identical() {
    let site = TestSite::fixture("basic");
    let a = site.build_with(&["--output", "a"]);
    a.success();
    let b = site.build_with(&["--output", "nested/b"]);
    b.success();
    let (a, b) = (snapshot(&a.out), snapshot(&b.out));
    assert!(a.len() > 20, "{:?}", a.keys());
    assert_same_tree(&a, &b, "two builds with the same --now differ");
}

#[test]
fn source_date_epoch_gives_the_same_bytes_as_now() {
    let site = TestSite::fixture("basic");
    let with_now = site.build_with(&["--output", "with-now"]);
    with_now.success();
    let mut cmd = site.command();
    cmd.args(["build", "--output", "with-epoch"]).env("SOURCE_DATE_EPOCH", NOW_EPOCH);
    let with_epoch = site.run(cmd, &["build", "--output", "with-epoch"]);
    with_epoch.success();
    assert_same_tree(&snapshot(&with_now.out), &snapshot(&with_epoch.out), "SOURCE_DATE_EPOCH and --now differ");
}

#[test]
fn the_demo_hub_builds_reproducibly() {
    let site = TestSite::demo();
    let a = site.build_with(&["--output", "a"]);
    a.success();
    let b = site.build_with(&["--output", "b"]);
    b.success();
    assert_same_tree(&snapshot(&a.out), &snapshot(&b.out), "two builds of the demo hub differ");
}
