//! `serve` rebuilds only what an edit changed. Whatever it skips, the preview must end up
//! with exactly the files a full build of the edited hub writes: these tests drive
//! `chorus::preview::Preview` through edits and compare its folder with a fresh one.

use std::path::{Path, PathBuf};

use chorus::preview::{Preview, Report};

use crate::common::{assert_same_tree, snapshot, Entry, TestSite, NOW};

const POST: &str = "content/posts/2026-10-13-double-counted-kilowatt-hours.md";

fn options() -> chorus::site::Options {
    chorus::site::Options {
        drafts: false,
        future: false,
        now: chorus::dates::now(Some(NOW), None).expect("NOW parses"),
        base_url: None,
    }
}

/// The demo hub with three posts a page, so that listings have several pages.
fn hub() -> TestSite {
    // Edits in place are what `serve` does in a hub with one language.
    let site = TestSite::demo_one_language();
    let config = std::fs::read_to_string(site.root().join("chorus.yaml")).unwrap();
    site.write("chorus.yaml", config.replace("paginate: 10", "paginate: 3"));
    site
}

fn started(site: &TestSite, out: &str) -> Preview {
    let mut preview = Preview::new(site.root(), &site.outer().join(out), options());
    let report = preview.full();
    assert!(report.ok, "the first build fails: {:?}", preview.diagnostics);
    preview
}

fn edit(site: &TestSite, preview: &mut Preview, rel: &str, change: impl Fn(&str) -> String) -> Report {
    let text = std::fs::read_to_string(site.root().join(rel)).unwrap();
    site.write(rel, change(&text));
    let report = preview.apply(&[site.root().join(rel)]).expect("a content edit rebuilds");
    assert!(report.ok, "the rebuild after editing {rel} fails: {:?}", preview.diagnostics);
    report
}

/// A full build of the hub as it is now, into a new folder, compared with `preview`'s.
fn assert_same_as_full_build(site: &TestSite, preview: &mut Preview, what: &str) {
    preview.wait_for_background();
    let fresh_out: PathBuf = site.outer().join(format!("fresh-{}", what.replace(' ', "-")));
    let mut fresh = Preview::new(site.root(), &fresh_out, options());
    assert!(fresh.full().ok, "{:?}", fresh.diagnostics);
    let (full, incremental) = (snapshot(&fresh_out), snapshot(preview.out()));
    // Say where each changed file first differs before failing on the list of files.
    for (path, entry) in &full {
        if let (Entry::File(x), Some(Entry::File(y))) = (entry, incremental.get(path)) {
            let (x, y) = (String::from_utf8_lossy(x), String::from_utf8_lossy(y));
            if let Some((a, b)) = x.lines().zip(y.lines()).find(|(a, b)| a != b) {
                eprintln!("{what}: {path} differs first at\n  full build:  {a}\n  incremental: {b}");
            }
        }
    }
    assert_same_tree(&full, &incremental, what);
    assert_eq!(sorted(&fresh.diagnostics), sorted(&preview.diagnostics), "{what}: the problems reported differ");
}

fn sorted(diags: &[chorus::diagnostic::Diagnostic]) -> Vec<String> {
    let mut v: Vec<String> = diags.iter().map(|d| format!("{}:{}: {}", d.file, d.line, d.message)).collect();
    v.sort();
    v
}

fn page(preview: &Preview, rel: &str) -> String {
    std::fs::read_to_string(preview.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn an_edit_in_place_renders_few_files_and_leaves_what_a_full_build_leaves() {
    let site = hub();
    let mut preview = started(&site, "preview");
    let report = edit(&site, &mut preview, POST, |t| {
        t.replace(
            "title: Finding double-counted kilowatt-hours with one window function",
            "title: Kilowatt-hours counted twice, and the window function that found them",
        )
        .replace("In August, the treasurer", "Last August, the treasurer")
    });
    assert!(report.pages < 40, "an edit in place should not render the whole hub, it rendered {}", report.pages);
    let new_title = "Kilowatt-hours counted twice, and the window function that found them";
    assert!(page(&preview, "posts/double-counted-kilowatt-hours/index.html").contains(new_title));
    assert!(page(&preview, "tags/data/feed.xml").contains(new_title));
    assert!(page(&preview, "people/dawid-kowalski/index.html").contains(new_title));
    assert_same_as_full_build(&site, &mut preview, "after an edit in place");
}

#[test]
fn an_edit_that_moves_a_post_leaves_what_a_full_build_leaves() {
    let site = hub();
    let mut preview = started(&site, "preview");
    edit(&site, &mut preview, POST, |t| t.replace("tags: [data, engineering]", "tags: [data, co-ops]"));
    assert_same_as_full_build(&site, &mut preview, "after a change of tags");
    edit(&site, &mut preview, POST, |t| t.replace("date: 2026-10-13T11:00:00Z", "date: 2026-11-21T09:00:00Z"));
    assert_same_as_full_build(&site, &mut preview, "after a change of date");
}

#[test]
fn several_edits_in_place_in_a_row_leave_what_a_full_build_leaves() {
    let site = hub();
    let mut preview = started(&site, "preview");
    for n in 1..=3 {
        edit(&site, &mut preview, POST, |t| {
            let body_start = t.find("\n---\n").unwrap() + 5;
            format!("{}Edit number {n}, with `code`.\n\n{}", &t[..body_start], &t[body_start..])
        });
    }
    assert!(page(&preview, "posts/double-counted-kilowatt-hours/index.html").contains("Edit number 3"));
    assert_same_as_full_build(&site, &mut preview, "after three edits");
}

#[test]
fn an_edit_in_place_updates_the_problems_of_that_file_and_keeps_the_others() {
    let site = hub();
    let other = "content/posts/2026-10-20-no-demo-on-the-first-call/index.md";
    let text = std::fs::read_to_string(site.root().join(other)).unwrap();
    // A link to a post that is not published yet is a warning, and the link becomes text.
    let scheduled = "@/posts/2026-12-03-open-sourcing-our-tariff-calculator.md";
    site.write(other, format!("{text}\nSee [what comes next]({scheduled}).\n"));
    let mut preview = started(&site, "preview");
    let about = |preview: &Preview, file: &str| preview.diagnostics.iter().filter(|d| d.file == file).count();
    assert_eq!(about(&preview, other), 1, "{:?}", preview.diagnostics);

    edit(&site, &mut preview, POST, |t| format!("{t}\nAnd [a link to what comes]({scheduled}).\n"));
    assert_eq!(about(&preview, POST), 1, "the new problem is reported: {:?}", preview.diagnostics);
    assert_eq!(about(&preview, other), 1, "the other file's problem stays: {:?}", preview.diagnostics);
    assert_same_as_full_build(&site, &mut preview, "with a link to an unpublished post");

    edit(&site, &mut preview, POST, |t| t.replace(&format!("\nAnd [a link to what comes]({scheduled}).\n"), ""));
    assert_eq!(about(&preview, POST), 0, "the fixed problem is gone: {:?}", preview.diagnostics);
    assert_eq!(about(&preview, other), 1, "{:?}", preview.diagnostics);
}

#[test]
fn a_removed_post_is_not_edited_in_place() {
    let site = hub();
    let mut preview = started(&site, "preview");
    // No other post links to this one.
    let gone = "content/posts/2026-09-29-finance-at-sprint-reviews.md";
    std::fs::remove_file(site.root().join(gone)).unwrap();
    let report = preview.apply(&[site.root().join(gone)]).expect("a removal rebuilds");
    assert!(report.ok, "{:?}", preview.diagnostics);
    assert!(!Path::new(&preview.out().join("posts/finance-at-sprint-reviews")).exists());
    assert_same_as_full_build(&site, &mut preview, "after a removal");
}

/// Names in the folder that holds the preview, besides the preview and `fresh-*` folders.
fn beside(site: &TestSite) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.outer())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n != "hub" && n != "preview" && !n.starts_with("fresh-"))
        .collect();
    names.sort();
    names
}

#[test]
fn a_failed_full_rebuild_changes_nothing_in_the_preview_and_leaves_nothing_beside_it() {
    let site = hub();
    let mut preview = started(&site, "preview");
    let before = snapshot(preview.out());
    // A change of tags rebuilds everything; an unknown author makes that rebuild fail.
    let text = std::fs::read_to_string(site.root().join(POST)).unwrap();
    site.write(POST, text.replace("tags: [data, engineering]", "tags: [data]").replace("author: ", "author: nobody-"));
    let report = preview.apply(&[site.root().join(POST)]).expect("a content edit rebuilds");
    assert!(!report.ok, "an unknown author must fail the rebuild");
    assert_same_tree(&before, &snapshot(preview.out()), "a failed rebuild changed the preview");
    assert_eq!(beside(&site), Vec::<String>::new(), "a failed rebuild left its staging folder");
    // Fixed: the next rebuild is full and swaps in a folder equal to a fresh build's.
    site.write(POST, text.replace("tags: [data, engineering]", "tags: [data]"));
    let report = preview.apply(&[site.root().join(POST)]).expect("a content edit rebuilds");
    assert!(report.ok, "{:?}", preview.diagnostics);
    assert_eq!(beside(&site), Vec::<String>::new(), "the swap left a folder beside the preview");
    assert_same_as_full_build(&site, &mut preview, "after a failed rebuild and its fix");
}

/// The preview's folder is swapped whole while it is being served: a page that exists
/// before and after a full rebuild can be read at every moment in between.
#[test]
fn pages_stay_readable_while_full_rebuilds_swap_the_preview_folder() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let site = hub();
    let mut preview = started(&site, "preview");
    let out = preview.out().to_path_buf();
    let pages = ["index.html", "posts/double-counted-kilowatt-hours/index.html", "tags/data/index.html"];
    let (stop, reads, misses) = (AtomicBool::new(false), AtomicUsize::new(0), AtomicUsize::new(0));
    std::thread::scope(|s| {
        s.spawn(|| {
            while !stop.load(Ordering::SeqCst) {
                for p in pages {
                    match std::fs::read_to_string(out.join(p)) {
                        Ok(html) if html.trim_end().ends_with("</html>") => {}
                        _ => {
                            misses.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    reads.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
        let tags = ["tags: [data, engineering]", "tags: [data, co-ops]"];
        for n in 0..4 {
            let report = edit(&site, &mut preview, POST, |t| t.replace(tags[n % 2], tags[(n + 1) % 2]));
            assert!(report.pages > 40, "a change of tags rebuilds everything, this rebuilt {}", report.pages);
        }
        stop.store(true, Ordering::SeqCst);
    });
    assert!(reads.load(Ordering::SeqCst) > 0);
    assert_eq!(misses.load(Ordering::SeqCst), 0, "of {} reads, some found no page", reads.load(Ordering::SeqCst));
    assert_eq!(beside(&site), Vec::<String>::new(), "the swaps left folders beside the preview");
    assert_same_as_full_build(&site, &mut preview, "after four full rebuilds");
}
