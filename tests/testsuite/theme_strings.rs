//! The theme's texts (`i18n/`, docs/strings.md): a hub's own `i18n/<language>.yaml`
//! changes the words of its pages key by key, whether a template or Chorus writes them; a key
//! the theme does not have is a warning at its place, and a broken file an error.

use crate::common::{Severity, TestSite};

#[test]
fn a_hubs_own_texts_replace_the_themes_wherever_they_are_shown() {
    let site = TestSite::fixture("minimal").file(
        "i18n/en.yaml",
        "# Our words for the theme's\nnav_posts: Stories\nposts_title: Every story\nshare_copy: Copy it\n\
         count_posts_one: \"{n} story\"\ntag_title: \"Stories about {tag}\"\n",
    );
    let run = site.build();
    run.success();
    // In templates: the menu of every page, the share kit, a count.
    run.page("index.html").has(">Stories</a>").lacks(">Posts</a>");
    run.page("posts/welcome/index.html").has(">Copy it</button>").lacks(">Copy text</button>");
    run.page("people/index.html").has(">1 story</p>");
    // In Chorus: titles it writes for the listings.
    run.page("posts/index.html").has("<h1>Every story</h1>").has("<title>Every story · Minimal Hub</title>");
    run.page("tags/news/index.html").has("<h1>Stories about news</h1>");
    // Everything else keeps the theme's words.
    run.page("index.html").has(">People</a>").has("Skip to content");
    assert!(run.diagnostics().is_empty(), "{:#?}", run.diagnostics());
}

#[test]
fn a_key_the_theme_does_not_have_is_a_warning_that_names_the_key_meant() {
    let site = TestSite::fixture("minimal").file("i18n/en.yaml", "nav_posts: Stories\nnav_peeple: Team\n");
    let run = site.check_json(&[]);
    run.success();
    let d = run.diag_at("i18n/en.yaml:2:1");
    assert_eq!(
        (d.code.as_str(), d.message.as_str()),
        ("unknown-string", "`nav_peeple` is not one of the theme's texts, so it changes nothing")
    );
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.hint.as_deref(), Some("did you mean `nav_people`?"));
    // The build says so too, and publishes with the text it could use.
    let build = site.build();
    build.success();
    assert!(
        format!("{}{}", build.stdout, build.stderr).contains("`nav_peeple` is not one of the theme's texts"),
        "{build:?}"
    );
    build.page("index.html").has(">Stories</a>").has(">People</a>");
}

#[test]
fn a_broken_file_of_texts_is_an_error_and_nothing_is_published() {
    let site = TestSite::fixture("minimal").file("i18n/en.yaml", "nav_posts: Stories\nnav_people: [Team\n");
    let run = site.build();
    run.failed_without_output();
    let errors: Vec<_> = run.diagnostics().into_iter().filter(|d| d.file == "i18n/en.yaml").collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, "yaml-syntax");
    assert!(errors[0].line >= 2, "{errors:#?}");
    assert!(errors[0].message.starts_with("this file of texts is not valid YAML"), "{errors:#?}");
    // `chorus digest` refuses too, rather than printing the theme's words.
    site.digest(&[]).failure();
}

#[test]
fn the_digest_is_written_with_the_hubs_texts() {
    let site = TestSite::fixture("minimal")
        .file("i18n/en.yaml", "digest_heading: \"{site}: the week {week}\"\ndigest_plain_posts: New this week\n");
    let run = site.digest(&["--week", "2026-W44"]);
    run.success().stdout_has("Minimal Hub: the week 2026-W44 (").stdout_has("\nNEW THIS WEEK\n");
}
