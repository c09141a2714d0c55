//! What `chorus build` prints about content, config and template errors: the place
//! (`path:line:col`), what is wrong, and how to fix it — for every problem, not the first.
//!
//! Places, messages, hints and counts are read from `chorus check --format json` on the same
//! hub (`Run::diagnostics`); the snippets, carets and whole blocks from what `build` printed.

use crate::common::{Severity, TestSite};

/// A post of the `minimal` hub by `ana` with extra front matter and a body.
fn post(front: &str, body: &str) -> String {
    format!("---\ntitle: A post\ndate: 2026-11-03\nauthor: ana\n{front}---\n{body}")
}

#[test]
fn unknown_key_is_shown_with_snippet_caret_and_suggestion() {
    let run = TestSite::fixture("minimal")
        .file(
            "content/posts/2026-11-03-typo-key.md",
            "---\ntitle: Typo\ndate: 2026-11-03\nauthor: ana\ntgas: [oops]\n---\nBody\n",
        )
        .build();
    run.failure();
    // The human rendering itself: what `build` prints on stderr.
    let d = run.printed_at("content/posts/2026-11-03-typo-key.md:5:1");
    assert_eq!(
        d.text,
        "error: unknown key `tgas`\n \
         --> content/posts/2026-11-03-typo-key.md:5:1\n  \
         |\n\
         5 | tgas: [oops]\n  \
         | ^^^^\n  \
         = help: did you mean `tags`?"
    );
    run.stderr_has("1 error, 0 warnings in 1 file\nThe build failed; nothing was published.\n");
}

#[test]
fn unknown_key_far_from_any_lists_the_allowed_ones() {
    let run = TestSite::fixture("minimal").file("content/posts/colour.md", post("colour: blue\n", "Body\n")).build();
    run.failure();
    let d = run.diag_at("content/posts/colour.md:5:1");
    assert_eq!(d.message, "unknown key `colour`");
    let help = d.hint.unwrap();
    assert!(help.contains("`title`") && help.contains("put your own data under `extra:`"), "{help}");
}

#[test]
fn keys_under_extra_are_free() {
    TestSite::fixture("minimal")
        .file("content/posts/extra.md", post("extra:\n  colour: blue\n  mood: [calm]\n", "Body\n"))
        .build()
        .success()
        .stderr_lacks("colour");
}

#[test]
fn impossible_month_is_explained() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/bad-date.md", "---\ntitle: Bad date\ndate: 2026-13-05\nauthor: ana\n---\nBody\n")
        .build();
    run.failure();
    let d = run.diag_at("content/posts/bad-date.md:3:7");
    assert_eq!(d.message, "`2026-13-05` is not a real date: there is no month 13");
    assert_eq!(
        run.printed_at("content/posts/bad-date.md:3:7").snippet,
        Some(("date: 2026-13-05".into(), "      ^^^^^^^^^^".into()))
    );
    assert_eq!(d.hint.as_deref(), Some("write dates as `2026-11-20`, or with a time as `2026-11-20T09:00:00Z`"));
}

#[test]
fn impossible_day_is_explained() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/feb.md", "---\ntitle: Feb\ndate: 2026-02-30\nauthor: ana\n---\nBody\n")
        .build();
    run.failure();
    assert_eq!(
        run.diag_at("content/posts/feb.md:3:7").message,
        "`2026-02-30` is not a real date: February 2026 has 28 days"
    );
}

#[test]
fn unknown_author_close_to_a_person_gets_a_suggestion() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/who.md", "---\ntitle: Who\ndate: 2026-11-03\nauthor: benjamn\n---\nBody\n")
        .build();
    run.failure();
    let d = run.diag_at("content/posts/who.md:4:9");
    assert_eq!(d.message, "there is no person `benjamn` in `content/people/`");
    assert_eq!(d.hint.as_deref(), Some("did you mean `benjamin`?"));
}

#[test]
fn unknown_author_far_from_everyone_says_how_to_add_them() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/who.md", "---\ntitle: Who\ndate: 2026-11-03\nauthors: [ana, zebedee]\n---\nBody\n")
        .build();
    run.failure();
    let d = run.diag_at("content/posts/who.md:4:16");
    assert_eq!(d.message, "there is no person `zebedee` in `content/people/`");
    assert_eq!(
        d.hint.as_deref(),
        Some("use the file name of someone in `content/people/`, or add `content/people/zebedee.md`")
    );
}

#[test]
fn unclosed_front_matter_points_at_its_start() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/unclosed.md", "---\ntitle: Unclosed\ndate: 2026-11-03\nauthor: ana\n\nBody\n")
        .build();
    run.failure();
    let d = run.diag_at("content/posts/unclosed.md:1:1");
    assert_eq!(d.message, "the front matter that starts here never ends");
    assert_eq!(run.printed_at("content/posts/unclosed.md:1:1").snippet, Some(("---".into(), "^^^".into())));
    assert_eq!(
        d.hint.as_deref(),
        Some("add a line with just `---` after the last `key: value` line, before the text of the post")
    );
}

#[test]
fn files_without_front_matter_are_explained() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/plain.md", "Just some text.\n")
        .file("content/posts/empty.md", "")
        .build();
    run.failure();
    assert_eq!(run.diag_at("content/posts/plain.md:1:1").message, "the file does not start with front matter");
    assert_eq!(run.diag_at("content/posts/empty.md:1:1").message, "the file is empty");
}

#[test]
fn a_file_that_is_not_utf8_is_an_error_not_a_crash() {
    let run = TestSite::fixture("minimal").file("content/posts/binary.md", b"---\ntitle: \xff\xfe\n---\n").build();
    run.failure();
    let d = run.diag_at("content/posts/binary.md:2:8");
    assert_eq!(d.message, "this file is not UTF-8 text");
}

#[test]
fn cause_without_person_says_how_to_credit_it() {
    let run = TestSite::fixture("minimal")
        .file("content/causes/run.md", "---\ntitle: Run\nkind: event\nstarts: 2026-12-01\n---\nBody\n")
        .build();
    run.failure();
    let d = run.diag_at("content/causes/run.md:1:1");
    assert_eq!(d.message, "missing required key `person`");
    assert_eq!(
        d.hint.as_deref(),
        Some("add `person: your-id` (your file name in `content/people/`), so the cause is credited to you")
    );
}

#[test]
fn yaml_syntax_error_points_at_the_line() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/colon.md", "---\ntitle: Hello: world\ndate: 2026-11-03\nauthor: ana\n---\nBody\n")
        .build();
    run.failure();
    let d = run.diag_at("content/posts/colon.md:2:13");
    assert_eq!(d.message, "the front matter is not valid YAML: mapping values are not allowed in this context");
    assert_eq!(
        run.printed_at("content/posts/colon.md:2:13").snippet,
        Some(("title: Hello: world".into(), "            ^".into()))
    );
    let help = d.hint.unwrap();
    assert!(help.contains("must be put in quotes"), "{help}");
    // Not serde_yaml's own positions, nor its Debug form.
    assert!(!d.message.contains(" at line ") && !d.message.contains("Error("), "{}", d.message);
}

#[test]
fn yaml_error_at_the_end_of_the_front_matter_names_the_line_it_started_on() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/list.md", "---\ntitle: List\ndate: 2026-11-03\nauthor: ana\ntags: [unclosed\n---\nBody\n")
        .build();
    run.failure();
    let d = run.diagnostics().into_iter().next().expect("a diagnostic");
    assert!(d.message.starts_with("the front matter is not valid YAML: "), "{}", d.message);
    // serde_yaml notices the unclosed `[` only at the closing `---`; the message must then
    // name the line where the list started.
    assert!(
        d.location().starts_with("content/posts/list.md:5:")
            || (d.location() == "content/posts/list.md:6:1" && d.message.ends_with("on line 5")),
        "{d:?}"
    );
}

#[test]
fn image_in_markdown_without_alt_text() {
    let run = TestSite::fixture("minimal").file("content/posts/alt.md", post("", "A picture: ![](pic.png)\n")).build();
    run.failure();
    let d = run.diag_at("content/posts/alt.md:6:12");
    assert_eq!(d.message, "this image has no alt text");
    assert_eq!(
        run.printed_at("content/posts/alt.md:6:12").snippet,
        Some(("A picture: ![](pic.png)".into(), format!("{}{}", " ".repeat(11), "^".repeat(12))))
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("describe the image between the brackets: `![A team photo at the solar farm](photo.jpg)`")
    );
}

#[test]
fn preview_image_without_alt_text() {
    let run = TestSite::fixture("minimal")
        .file("static/cover.png", b"png")
        .file("content/posts/img.md", post("image: /cover.png\n", "Body\n"))
        .build();
    run.failure();
    let d = run.diag_at("content/posts/img.md:5:8");
    assert_eq!(d.message, "`image` has no `image_alt`");
    assert_eq!(d.hint.as_deref(), Some("add `image_alt: …` describing the image for people who cannot see it"));
}

#[test]
fn preview_image_that_does_not_exist() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/img.md", post("image: /nowhere.png\nimage_alt: Nothing\n", "Body\n"))
        .build();
    run.failure();
    assert_eq!(run.diag_at("content/posts/img.md:5:8").message, "the image `/nowhere.png` does not exist");
}

#[test]
fn two_posts_with_the_same_slug() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/2026-11-02-hello.md", "---\ntitle: One\ndate: 2026-11-02\nauthor: ana\n---\nB\n")
        .file("content/posts/2026-11-05-hello.md", "---\ntitle: Two\ndate: 2026-11-05\nauthor: ana\n---\nB\n")
        .build();
    run.failure();
    let d = run.diag_at("content/posts/2026-11-02-hello.md:1:1");
    assert_eq!(d.message, "another post already has the address `/posts/hello/`: content/posts/2026-11-05-hello.md");
    assert_eq!(d.hint.as_deref(), Some("give one of them a different file name or `slug:`"));
    assert_eq!(run.diagnostics().len(), 1, "{run:?}");
}

#[test]
#[cfg_attr(any(target_os = "macos", windows), ignore = "needs a case-sensitive file system")]
fn slugs_that_differ_only_by_case_are_the_same_address() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/Hello.md", "---\ntitle: One\ndate: 2026-11-03\nauthor: ana\n---\nB\n")
        .file("content/posts/hello.md", "---\ntitle: Two\ndate: 2026-11-04\nauthor: ana\n---\nB\n")
        .build();
    run.failure();
    let d = run.diag_at("content/posts/Hello.md:1:1");
    assert_eq!(d.message, "another post already has the address `/posts/hello/`: content/posts/hello.md");
}

#[test]
fn an_explicit_slug_that_collides_points_at_the_slug() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/other.md", post("slug: welcome\n", "B\n").replace("2026-11-03", "2026-10-01"))
        .build();
    run.failure();
    let d = run.diag_at("content/posts/other.md:5:7");
    assert_eq!(
        d.message,
        "another post already has the address `/posts/welcome/`: content/posts/2026-11-01-welcome.md"
    );
}

#[test]
fn internal_link_to_a_missing_post() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/links.md", post("", "See [this](@/posts/missing.md).\n"))
        .build();
    run.failure();
    let d = run.diag_at("content/posts/links.md:6:5");
    assert_eq!(d.message, "`@/posts/missing.md` is not a page of this hub");
    assert!(d.hint.unwrap().contains("e.g. `@/posts/2026-11-03-hello.md`; check the spelling"));
}

#[test]
fn internal_link_to_a_draft_is_plain_text_unless_drafts_are_built() {
    let site = TestSite::fixture("minimal")
        .file(
            "content/posts/2026-11-04-idea.md",
            "---\ntitle: Idea\ndate: 2026-11-04\nauthor: ana\ndraft: true\n---\nB\n",
        )
        .file("content/posts/links.md", post("", "See [the idea](@/posts/2026-11-04-idea.md).\n"));
    let run = site.build();
    run.success();
    assert_eq!(
        run.diag_at("content/posts/links.md:6:5").message,
        "`@/posts/2026-11-04-idea.md` is not published, so this link is shown as plain text"
    );
    run.page("posts/links/index.html").has("See the idea.");
    let run = site.build_with(&["--drafts"]);
    run.success();
    run.page("posts/links/index.html").assert_links_to("/posts/idea/");
}

#[test]
fn internal_links_reach_pages_causes_and_people() {
    let run = TestSite::fixture("minimal")
        .file("content/pages/about.md", "---\ntitle: About\n---\nAbout us.\n")
        .file("content/causes/run.md", "---\ntitle: Run\nperson: ana\nstarts: 2026-12-01\n---\nA run.\n")
        .file(
            "content/posts/links.md",
            post("", "[a](@/pages/about.md) [b](@/causes/run.md) [c](@/people/ana.md) [d](@/posts/2026-11-01-welcome.md#top)\n"),
        )
        .build();
    run.success();
    run.page("posts/links/index.html")
        .assert_links_to("/about/")
        .assert_links_to("/causes/run/")
        .assert_links_to("/people/ana/")
        .assert_links_to("/posts/welcome/#top");
}

#[test]
fn broken_anchor_suggests_the_closest_heading() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/anchor.md", post("", "## Setup\n\nBack to [setup](#setpu).\n"))
        .build();
    // The page works (the link just does not scroll): a warning, which `check --strict` refuses.
    run.success();
    let d = run.diag_at("content/posts/anchor.md:8:9");
    assert_eq!(d.message, "there is no heading `#setpu` on this page");
    assert_eq!(d.hint.as_deref(), Some("did you mean `#setup`?"));
}

#[test]
fn broken_internal_link_in_the_summary_is_reported() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/summary.md", post("summary: \"See [this](@/posts/nowhere.md)\"\n", "Body\n"))
        .build();
    run.failure();
    let d = run
        .diagnostics()
        .into_iter()
        .find(|d| d.message == "in `summary`: `@/posts/nowhere.md` is not a page of this hub")
        .expect("the broken link is reported");
    assert!(d.location().starts_with("content/posts/summary.md:5:"), "{d:?}");
}

#[test]
fn javascript_links_are_refused() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/js.md", post("", "Click [me](javascript:alert(1)).\n"))
        .build();
    run.failure();
    let d = run.diag_at("content/posts/js.md:6:7");
    assert_eq!(d.message, "links with `javascript:` are not allowed");
    assert_eq!(
        d.hint.as_deref(),
        Some("links must start with `https://`, `http://` or `mailto:` (or `/` for a page of this hub)")
    );
}

#[test]
fn a_page_cannot_take_an_address_the_hub_uses() {
    let run = TestSite::fixture("minimal").file("content/pages/tags.md", "---\ntitle: Tags\n---\nMy tags.\n").build();
    run.failure();
    let d = run.diag_at("content/pages/tags.md:1:1");
    assert_eq!(d.message, "a page cannot have the address `/tags/`: the hub uses it");
    assert_eq!(d.hint.as_deref(), Some("rename the file or add `slug: …` with another name"));
}

#[test]
fn a_slug_that_is_not_one_url_segment() {
    let run = TestSite::fixture("minimal").file("content/posts/s.md", post("slug: ../../etc\n", "B\n")).build();
    run.failure();
    let d = run.diag_at("content/posts/s.md:5:7");
    assert_eq!(d.message, "the slug `../../etc` is not a single, simple URL segment");
    assert_eq!(d.hint.as_deref(), Some("use lowercase letters, digits and `-`: `slug: etc`"));
}

#[test]
fn misspelled_config_key() {
    let run = TestSite::fixture("minimal")
        .file("chorus.yaml", "title: Minimal Hub\nbase_url: https://hub.example\ndescripton: A hub\n")
        .build();
    run.failure();
    let d = run.diag_at("chorus.yaml:3:1");
    assert_eq!(d.message, "unknown key `descripton`");
    assert_eq!(run.printed_at("chorus.yaml:3:1").snippet, Some(("descripton: A hub".into(), "^^^^^^^^^^".into())));
    assert_eq!(d.hint.as_deref(), Some("did you mean `description`?"));
}

#[test]
fn misspelled_nested_config_key() {
    let run = TestSite::fixture("minimal")
        .file("chorus.yaml", "title: Minimal Hub\nbase_url: https://hub.example\ncadence:\n  max_feature_per_week: 2\n")
        .build();
    run.failure();
    let d = run.diag_at("chorus.yaml:4:3");
    assert_eq!(d.message, "unknown key `cadence.max_feature_per_week`");
    assert_eq!(d.hint.as_deref(), Some("did you mean `max_featured_per_week`?"));
}

#[test]
fn config_without_base_url() {
    let run = TestSite::fixture("minimal").file("chorus.yaml", "title: Minimal Hub\n").build();
    run.failure();
    let d = run.diagnostics().into_iter().find(|d| d.message == "missing required key `base_url`").expect("reported");
    assert!(d.location().starts_with("chorus.yaml"), "{d:?}");
    assert!(d.hint.unwrap().contains("base_url: https://"));
}

#[test]
fn no_config_at_all() {
    let run = TestSite::fixture("minimal").without("chorus.yaml").build();
    run.failure();
    let d = &run.diagnostics()[0];
    assert!(d.message.starts_with("there is no `chorus.yaml` in "), "{d:?}");
    assert!(d.hint.as_deref().unwrap().contains("`--root DIR`"));
}

#[test]
fn bad_network_in_a_posts_share_networks() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/net.md", post("share:\n  networks: [linkdin, x]\n", "Body\n"))
        .build();
    run.failure();
    let d = run.diag_at("content/posts/net.md:6:14");
    assert_eq!(d.message, "unknown network `linkdin`");
    assert_eq!(d.hint.as_deref(), Some("did you mean `linkedin`?"));
}

#[test]
fn bad_network_in_the_config() {
    let run = TestSite::fixture("minimal")
        .file("chorus.yaml", "title: Minimal Hub\nbase_url: https://hub.example\nnetworks: [linkedin, myspace]\n")
        .build();
    run.failure();
    let d = run.diag_at("chorus.yaml:3:22");
    assert_eq!(d.message, "unknown network `myspace`");
    assert!(d.hint.unwrap().starts_with("the networks are linkedin, "));
}

#[test]
fn template_syntax_error_in_a_site_override_names_the_file_and_line() {
    let run = TestSite::fixture("minimal")
        .file(
            "templates/post.html",
            "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ post.title }</h1>\n{% endblock content %}\n",
        )
        .build();
    run.failure();
    let d = run.diag_at("templates/post.html:3:19");
    assert!(d.message.starts_with("this template cannot be read: "), "{}", d.message);
    assert_eq!(
        run.printed_at("templates/post.html:3:19").snippet,
        Some(("<h1>{{ post.title }</h1>".into(), format!("{}^", " ".repeat(18))))
    );
    assert!(d.hint.unwrap().contains("needs its `{% end… %}`"));
    run.assert_absent("index.html");
}

#[test]
fn template_with_an_unclosed_block() {
    let run = TestSite::fixture("minimal")
        .file(
            "templates/post.html",
            "{% extends \"base.html\" %}\n{% block content %}\n{% if post.title %}\n<h1>{{ post.title }}</h1>\n{% endblock content %}\n",
        )
        .build();
    run.failure();
    let d = run.diagnostics();
    assert_eq!(d.len(), 1, "{run:?}");
    assert!(d[0].location().starts_with("templates/post.html:"), "{:?}", d[0]);
}

#[test]
fn template_that_fails_at_render_time_names_the_template_and_page() {
    let run = TestSite::fixture("minimal")
        .file(
            "templates/post.html",
            "{% extends \"base.html\" %}\n{% block content %}{{ post.no_such_field.deeper }}{% endblock content %}\n",
        )
        .build();
    run.failure();
    let d = run.diagnostics().into_iter().find(|d| d.location() == "templates/post.html").expect("reported");
    assert!(d.message.starts_with("the template `post.html` failed for /posts/welcome/"), "{}", d.message);
}

#[test]
fn every_broken_file_is_reported_and_good_ones_are_not_mentioned() {
    let run = TestSite::fixture("minimal")
        .file(
            "content/posts/good.md",
            post("tags: [fine]\n", "All good here, see [welcome](@/posts/2026-11-01-welcome.md).\n"),
        )
        .file("content/posts/a-typo.md", post("tgas: [x]\n", "Body\n"))
        .file("content/posts/b-date.md", "---\ntitle: D\ndate: 2026-13-01\nauthor: ana\n---\nB\n")
        .file("content/posts/c-author.md", "---\ntitle: C\ndate: 2026-11-03\nauthor: benjamn\n---\nB\n")
        .file("content/posts/d-unclosed.md", "---\ntitle: U\n")
        .file("content/posts/e-link.md", post("", "[x](@/posts/nope.md)\n"))
        .file("content/people/f-person.md", "---\nconsent: true\n---\n")
        .file("content/causes/g-cause.md", "---\ntitle: G\nstarts: 2026-12-01\n---\n")
        .file("content/pages/h-page.md", "---\ntitel: H\n---\n")
        .build();
    run.failure();
    let locations: Vec<String> = run.diagnostics().into_iter().map(|d| d.location()).collect();
    assert_eq!(
        locations,
        [
            "content/causes/g-cause.md:1:1",
            "content/pages/h-page.md:1:1",
            "content/pages/h-page.md:2:1",
            "content/people/f-person.md:1:1",
            "content/posts/a-typo.md:5:1",
            "content/posts/b-date.md:3:7",
            "content/posts/c-author.md:4:9",
            "content/posts/d-unclosed.md:1:1",
            "content/posts/e-link.md:6:1",
        ],
        "{run:?}"
    );
    run.stderr_lacks("good.md").assert_counts(9, 0, 8);
    run.assert_absent("index.html");
}

#[test]
fn several_problems_in_one_file_are_all_reported() {
    let run = TestSite::fixture("minimal")
        .file(
            "content/posts/many.md",
            "---\ntitle: Many\ndate: 2026-13-01\nauthor: benjamn\ntgas: [x]\n---\n[a](#nowhere)\n",
        )
        .build();
    run.failure();
    let messages: Vec<String> =
        run.diagnostics().into_iter().map(|d| format!("{} {}", d.location(), d.message)).collect();
    for expected in [
        "content/posts/many.md:3:7 `2026-13-01` is not a real date: there is no month 13",
        "content/posts/many.md:5:1 unknown key `tgas`",
    ] {
        assert!(messages.iter().any(|m| m == expected), "{expected:?} not in {messages:#?}");
    }
}

#[test]
fn warnings_alone_do_not_fail_the_build() {
    let run = TestSite::fixture("minimal").file("content/people/shy.md", "---\nname: Shy Person\n---\nBio.\n").build();
    run.success();
    let d = run.diag_at("content/people/shy.md:1:1");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.message, "Shy Person has not given consent, so their profile is not published");
    run.assert_counts(0, 1, 1).stderr_has("Built ");
    run.assert_exists("index.html").assert_absent("people/shy/index.html");
}

#[test]
fn a_clean_build_prints_no_diagnostics() {
    let run = TestSite::fixture("minimal").build();
    run.success();
    assert_eq!(run.diagnostics(), Vec::new(), "{run:?}");
    assert_eq!(run.printed(), Vec::new(), "{run:?}");
    run.stderr_has("Built ");
}
