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

// ---------------------------------------------------------------------------------------
// A hub with several languages: an edit renders again only the languages it touches, and
// carries the others' files over as they are.
// ---------------------------------------------------------------------------------------

/// The inode of every file of the preview: a file carried over from the last build keeps
/// its inode (a hard link), a file rendered again has a new one.
fn inodes(preview: &Preview) -> std::collections::BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(preview.out())
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(preview.out()).unwrap().to_string_lossy().replace('\\', "/");
            (rel, e.metadata().unwrap().ino())
        })
        .collect()
}

/// Which of `pages` were written again (a new file) since `before`.
fn written_again(before: &std::collections::BTreeMap<String, u64>, preview: &Preview, pages: &[&str]) -> Vec<String> {
    let after = inodes(preview);
    pages.iter().filter(|p| before.get(**p) != after.get(**p)).map(|p| p.to_string()).collect()
}

/// One page of each language of the `languages` fixture, and its sitemap.
const EACH_LANGUAGE: [&str; 3] = ["posts/hello/index.html", "de/posts/hello/index.html", "ar/posts/hello/index.html"];

#[test]
fn a_post_edited_in_place_is_rendered_again_in_its_language_alone() {
    let site = TestSite::fixture("languages");
    let mut preview = started(&site, "preview");
    let before = inodes(&preview);
    let report = edit(&site, &mut preview, "content/posts/2026-11-02-hello.de.md", |t| {
        t.replace("title: Hallo vom Build-Team", "title: Grüße vom Build-Team")
    });
    assert!(report.pages < 30, "an edit in place should not render a whole language, it rendered {}", report.pages);
    assert!(page(&preview, "de/posts/hello/index.html").contains("Grüße vom Build-Team"));
    assert!(page(&preview, "de/feed.xml").contains("Grüße vom Build-Team"));
    assert_eq!(written_again(&before, &preview, &EACH_LANGUAGE), ["de/posts/hello/index.html"]);
    assert_same_as_full_build(&site, &mut preview, "after an edit of a German translation in place");

    // An English post without translation, the same.
    let before = inodes(&preview);
    let report = edit(&site, &mut preview, "content/posts/2026-11-05-only-english.md", |t| {
        t.replace("These notes exist in English only.", "These notes exist in English only, and now say more.")
    });
    assert!(report.pages < 30, "{report:?}");
    let pages = ["posts/only-english/index.html", "de/index.html", "ar/index.html", "de/posts/hello/index.html"];
    assert_eq!(written_again(&before, &preview, &pages), ["posts/only-english/index.html"]);
    assert_same_as_full_build(&site, &mut preview, "after an edit of an English-only post in place");

    // The original of a translated post: its translations take its values, so each is read
    // again and rendered in its language.
    let before = inodes(&preview);
    let report = edit(&site, &mut preview, "content/posts/2026-11-02-hello.md", |t| format!("{t}\nOne more line.\n"));
    assert!(report.pages < 60, "{report:?}");
    assert_eq!(written_again(&before, &preview, &EACH_LANGUAGE).len(), 3);
    assert!(written_again(&before, &preview, &["people/omar/index.html", "de/people/omar/index.html"]).is_empty());
    assert_same_as_full_build(&site, &mut preview, "after an edit of an original in place");
}

#[test]
fn a_change_that_is_not_an_edit_in_place_renders_the_languages_it_touches() {
    let site = TestSite::fixture("languages");
    let mut preview = started(&site, "preview");
    // A translated profile is its language's alone.
    let before = inodes(&preview);
    let report = edit(&site, &mut preview, "content/people/ana.de.md", |t| t.replace("Plattform-", "Build-"));
    assert!(report.what.ends_with("(rendered again in de)"), "{report:?}");
    let people = ["people/ana/index.html", "de/people/ana/index.html", "ar/people/ana/index.html"];
    assert_eq!(written_again(&before, &preview, &people), ["de/people/ana/index.html"]);
    // The sitemap of every language is written with every such rebuild.
    assert_eq!(written_again(&before, &preview, &["sitemap.xml"]).len(), 1);
    assert_same_as_full_build(&site, &mut preview, "after an edit of a German profile");

    // An edit in place in German (a new card for the post) and then a change that renders
    // English alone: the German files carried over are those the edit left.
    edit(&site, &mut preview, "content/posts/2026-11-02-hello.de.md", |t| {
        t.replace("title: Hallo vom Build-Team", "title: Neues vom Build-Team")
    });
    let before = inodes(&preview);
    site.write("static/notes.txt", "plain notes\n");
    let report = preview.apply(&[site.root().join("static/notes.txt")]).expect("a static file rebuilds");
    assert!(report.ok && report.what.ends_with("(rendered again in en)"), "{report:?} {:?}", preview.diagnostics);
    assert_eq!(page(&preview, "notes.txt"), "plain notes\n");
    assert!(
        written_again(&before, &preview, &["de/index.html", "ar/index.html", "de/posts/hello/index.html"]).is_empty()
    );
    assert_same_as_full_build(&site, &mut preview, "after a new static file following an edit in place");
}

#[test]
fn an_edit_that_every_language_shows_renders_them_all() {
    let site = TestSite::fixture("languages");
    let mut preview = started(&site, "preview");

    // The original of a translated post: its translations take its date, authors and tags.
    let before = inodes(&preview);
    let report =
        edit(&site, &mut preview, "content/posts/2026-11-02-hello.md", |t| t.replace("tags: [", "tags: [pipelines, "));
    assert!(!report.what.contains("rendered again in"), "every language is rendered again: {report:?}");
    assert_eq!(written_again(&before, &preview, &EACH_LANGUAGE).len(), 3);
    assert!(page(&preview, "de/tags/pipelines/index.html").contains("Hallo vom Build-Team"));
    assert_same_as_full_build(&site, &mut preview, "after an edit of an original");

    // A profile without a translation is shown in every language.
    let report = edit(&site, &mut preview, "content/people/ben.md", |t| format!("{t}\nMore about Ben.\n"));
    assert!(!report.what.contains("rendered again in"), "{report:?}");
    assert!(page(&preview, "ar/people/ben/index.html").contains("More about Ben."));
    assert_same_as_full_build(&site, &mut preview, "after an edit of a profile");

    // A new translation changes every language's alternates and switchers.
    let before = inodes(&preview);
    site.write("content/posts/2026-11-05-only-english.ar.md", "---\ntitle: ملاحظات\n---\nنص.\n");
    let report = preview.apply(&[site.root().join("content/posts/2026-11-05-only-english.ar.md")]).unwrap();
    assert!(report.ok && !report.what.contains("rendered again in"), "{report:?} {:?}", preview.diagnostics);
    assert!(
        page(&preview, "posts/only-english/index.html").contains("href=\"/ar/posts/only-english/\" hreflang=\"ar\"")
    );
    assert_eq!(written_again(&before, &preview, &["de/index.html"]).len(), 1);
    assert_same_as_full_build(&site, &mut preview, "after a new translation");

    // The theme's texts are every language's.
    site.write("i18n/de.yaml", "nav_posts: Artikel\n");
    let report = preview.apply(&[site.root().join("i18n/de.yaml")]).unwrap();
    assert!(report.ok && !report.what.contains("rendered again in"), "{report:?} {:?}", preview.diagnostics);
    assert_same_as_full_build(&site, &mut preview, "after a change of the theme's texts");
}

#[test]
fn after_a_failed_rebuild_a_hub_with_languages_renders_every_language_again() {
    let site = TestSite::fixture("languages");
    let mut preview = started(&site, "preview");
    site.write("content/posts/2026-11-20-lost.de.md", "---\ntitle: Verloren\n---\nText.\n");
    let report = preview.apply(&[site.root().join("content/posts/2026-11-20-lost.de.md")]).unwrap();
    assert!(!report.ok, "a translation without its original fails the rebuild");
    std::fs::remove_file(site.root().join("content/posts/2026-11-20-lost.de.md")).unwrap();
    let report = preview.apply(&[site.root().join("content/posts/2026-11-20-lost.de.md")]).unwrap();
    assert!(report.ok && !report.what.contains("rendered again in"), "{report:?} {:?}", preview.diagnostics);
    assert_same_as_full_build(&site, &mut preview, "after a fixed mistake");
    // And the next edit is in place again.
    let report = edit(&site, &mut preview, "content/posts/2026-11-02-hello.de.md", |t| t.replace("Herbst", "Sommer"));
    assert!(report.pages < 30, "{report:?}");
    assert_same_as_full_build(&site, &mut preview, "after an edit following a fixed mistake");
}
