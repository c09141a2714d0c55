//! `chorus import zola|hugo|jekyll` (issue 14): each generator's fixture blog
//! (`tests/fixtures/import-*`: a few posts, two authors, shortcodes, a bundle, old addresses,
//! a malformed file) becomes hub content whose only `check` problems are the missing
//! consents; once the people consent (each in their own file), the hub builds and the old
//! addresses redirect. An import never overwrites a file, and a failed one writes nothing.

use std::fs;

use crate::common::{assert_same_tree, repo, snapshot, Run, Severity, TestSite};

/// `chorus import GENERATOR tests/fixtures/import-GENERATOR ARGS…` into the hub.
fn import(site: &TestSite, generator: &str, args: &[&str]) -> Run {
    let source = repo().join(format!("tests/fixtures/import-{generator}"));
    site.chorus(&[&["import", generator, source.to_str().unwrap()][..], args].concat())
}

/// Where a fixture's file is shown in the import's messages.
fn source(generator: &str, rel: &str) -> String {
    repo().join(format!("tests/fixtures/import-{generator}")).join(rel).display().to_string()
}

fn read(site: &TestSite, rel: &str) -> String {
    fs::read_to_string(site.root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// What each person does themselves: `consent: true` in their own file.
fn consent(site: &TestSite, people: &[&str]) {
    for id in people {
        let rel = format!("content/people/{id}.md");
        let text = read(site, &rel);
        assert!(!text.contains("\nconsent:"), "an import wrote consent for {id}:\n{text}");
        let end = text.rfind("---\n").unwrap();
        site.write(&rel, format!("{}consent: true\n{}", &text[..end], &text[end..]));
    }
}

/// `check` reports only the missing consents, naming each person and their posts; once they
/// consent, `check` finds nothing and the hub builds.
fn only_consent_is_missing(site: &TestSite, people: &[(&str, &str)]) -> Run {
    let run = site.check_json(&[]);
    let diags = run.diagnostics();
    assert!(diags.iter().all(|d| d.code == "no-consent" && d.severity == Severity::Warning), "{diags:#?}");
    assert_eq!(diags.len(), people.len(), "{diags:#?}");
    for (id, name) in people {
        let d = run.diag_at(&format!("content/people/{id}.md:1:1"));
        assert!(d.message.starts_with(&format!("{name} has not given consent")), "{d:?}");
        assert_eq!(
            d.hint.as_deref(),
            Some(
                format!(
                    "only {name} can give consent: they add the line `consent: true` to this file themselves, in a commit of their own"
                )
                .as_str()
            )
        );
    }
    consent(site, &people.iter().map(|(id, _)| *id).collect::<Vec<_>>());
    site.check_json(&[]).assert_counts(0, 0, 0);
    let built = site.build();
    built.success();
    built
}

fn assert_redirect(run: &Run, file: &str, to: &str) {
    let html = run.page(file).html;
    assert!(html.contains(&format!("<meta http-equiv=\"refresh\" content=\"0; url={to}\">")), "{file}: {html}");
}

#[test]
fn a_zola_blog_becomes_a_hub_that_builds_once_its_people_consent() {
    let site = TestSite::fixture("minimal");
    let run = import(&site, "zola", &["--into", "."]);
    // One file's front matter cannot be read: that file is left out, the rest is imported.
    run.failure()
        .stdout_has("Imported from Zola:\n       4 posts, in content/posts/\n       2 people, with a new profile")
        .stdout_has("       1 file (bundle images")
        .stdout_has("       5 aliases: old addresses")
        .stdout_has("Kept under `extra:` (for templates; the hub does not use them): team (1)")
        .stdout_has("  content/people/ana-lee.md  Ana Lée\n  content/people/bo-chen.md  Bo Chen\n")
        .stdout_has(
            "adds the line `consent: true` to its front matter,\nand commits it themselves, in a commit of their own",
        );
    let broken = source("zola", "content/blog/2024-07-01-broken.md");
    run.stderr_has(&format!(
        "error: the TOML front matter cannot be read: unclosed array, expected `]`\n --> {broken}:4:21\n  |\n4 | authors = [\"Ana Lee\"\n  |                     ^\n"
    ));
    run.stdout_has(&format!("  {broken}:4:21  the TOML front matter cannot be read"));
    let bundle = source("zola", "content/blog/second-post/index.md");
    run.stderr_has(&format!(
        "warning: `{{{{ mystery_widget(kind=\"poll\") }}}}` has no Markdown equivalent, so it was kept as text\n  --> {bundle}:16:1"
    ));
    run.stderr_has("warning: `widget.js` in this post's folder was not copied");
    run.stderr_has(
        "this file has no title and no date: it was taken for a page of the old site, not a post, and left out",
    );

    assert_eq!(
        read(&site, "content/posts/2024/2024-03-01-hello-world.md"),
        "---\ntitle: 'Hello, world: our new blog'\ndate: 2024-03-01\nauthors: [ana-lee, bo-chen]\n\
         summary: Why we started writing in public.\ntags:\n  - Announcements\n  - community\n  - news\n\
         aliases:\n  - /blog/hello-world/\n  - /2024/03/01/hello-world.html\nextra:\n  team: Platform\n---\n\n\
         We are starting a blog. It will be about the way we build things.\n\n<!-- more -->\n\n\
         Watch the talk that started it:\n\n[Watch the video on YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n\n\
         The [second post](@/posts/2024/2024-03-05-second-post/index.md) shows a chart.\n\n\
         ```toml\n# A shortcode inside code is left as it is:\n{{ youtube(id=\"not-converted\") }}\n```\n"
    );
    assert_eq!(
        read(&site, "content/people/bo-chen.md"),
        "---\nname: Bo Chen\n# Imported: nothing by Bo Chen is published until they add `consent: true` below,\n\
         # themselves, in a commit of their own.\n---\n"
    );
    // The same file name a year later keeps its own address; the bundle keeps its image only.
    assert!(read(&site, "content/posts/2025/2025-06-01-release-2025.md").contains("  - /blog/2025/release/\n"));
    assert!(site.root().join("content/posts/2024/2024-03-05-second-post/chart.png").is_file());
    assert!(!site.root().join("content/posts/2024/2024-03-05-second-post/widget.js").exists());

    let built = only_consent_is_missing(&site, &[("ana-lee", "Ana Lée"), ("bo-chen", "Bo Chen")]);
    built
        .page("posts/hello-world/index.html")
        .has("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
        .has("href=\"/posts/second-post/\"");
    built
        .page("posts/second-post/index.html")
        .has("<img src=\"/posts/second-post/chart.")
        .has("<code>{{ mystery_widget(kind=\"poll\") }}</code>");
    built.assert_exists("posts/second-post/chart.png");
    assert_redirect(&built, "2024/03/01/hello-world.html", "/posts/hello-world/");
    assert_redirect(&built, "blog/hello-world/index.html", "/posts/hello-world/");
    assert_redirect(&built, "2024/03/05/what-the-chart-says/index.html", "/posts/second-post/");
    assert_redirect(&built, "blog/2025/release/index.html", "/posts/release-2025/");
}

#[test]
fn a_hugo_blog_becomes_a_hub_that_builds_once_its_people_consent() {
    let site = TestSite::fixture("minimal");
    let run = import(&site, "hugo", &["--into", "."]);
    run.failure()
        .stdout_has("       2 posts, in content/posts/\n       2 people, with a new profile in content/people/ (1 more already had one)")
        .stdout_has("       2 files (bundle images");
    run.stderr_has(&format!(
        "error: the YAML front matter cannot be read: did not find expected ',' or ']'\n --> {}:5:7",
        source("hugo", "content/posts/malformed.md")
    ));
    run.stderr_has(&format!(
        "error: this post names no author, so it was not imported\n --> {}:2:1",
        source("hugo", "content/posts/no-author.md")
    ));
    run.stderr_has("= help: add `author` in the source blog, or give `--author NAME` for posts that name nobody");
    run.stderr_has(&format!(
        "warning: `{{{{< notice warning >}}}}` has no Markdown equivalent, so it was kept as text\n  --> {}:28:1",
        source("hugo", "content/posts/first-steps.md")
    ));
    let post = read(&site, "content/posts/2023/2023-05-01-first-steps.md");
    // Authors from Markdown links, over two folded lines; the `permalinks` address and
    // `aliases` kept; shortcodes as Markdown.
    assert!(
        post.starts_with(
            "---\ntitle: First steps\ndate: 2023-05-01T10:00:00+02:00\nauthors: [ana-lee, bo-chen]\n\
         summary: How we set up the project.\ntags:\n  - setup\n  - go\n  - Engineering\n\
         aliases:\n  - /2023/05/first-steps/\n  - /2023/first/\n"
        ),
        "{post}"
    );
    for converted in [
        "This is version 2.1.",
        "![The team at the whiteboard](/images/team.png)\n\n*Day one*",
        "```go\nfunc main() {}\n```",
        "[Video: The launch talk (on YouTube)](https://www.youtube.com/watch?v=dQw4w9WgXcQ)",
        "Read [the second post](@/posts/2023/2023-06-10-second/index.md) next.",
        "`{{< notice warning >}}`\nBack up first.\n`{{< /notice >}}`",
    ] {
        assert!(post.contains(converted), "{converted:?} missing from:\n{post}");
    }
    assert_eq!(read(&site, "content/people/ana-lee.md").lines().nth(2), Some("links:"));
    assert!(read(&site, "content/people/ana-lee.md").contains("\n  github: https://github.com/ana-lee\n"));
    // `benjamin` already has a profile in the hub: it is used, not written again.
    assert!(read(&site, "content/people/benjamin.md").contains("consent: true"));
    let second = read(&site, "content/posts/2023/2023-06-10-second/index.md");
    assert!(second.contains("authors: [bo-chen, benjamin]\n"), "{second}");
    assert!(!second.contains("old site never showed"), "a Hugo comment was kept:\n{second}");
    assert!(site.root().join("static/images/team.png").is_file());

    let built = only_consent_is_missing(&site, &[("ana-lee", "Ana Lee"), ("bo-chen", "Bo Chen")]);
    assert_redirect(&built, "2023/05/first-steps/index.html", "/posts/first-steps/");
    assert_redirect(&built, "2023/first/index.html", "/posts/first-steps/");
    assert_redirect(&built, "legacy/second.html", "/posts/second/");
    built.assert_exists("images/team.png").assert_exists("posts/second/photo.png");
}

#[test]
fn posts_that_name_nobody_are_credited_to_the_author_given() {
    let site = TestSite::fixture("minimal");
    import(&site, "hugo", &["--into", ".", "--author", "Site Team"]).failure().stdout_has("       3 posts");
    assert!(read(&site, "content/posts/2023/2023-08-01-no-author.md").contains("\nauthor: site-team\n"));
    assert!(read(&site, "content/people/site-team.md").starts_with("---\nname: Site Team\n"));
}

#[test]
fn a_jekyll_blog_becomes_a_hub_that_builds_once_its_people_consent() {
    let site = TestSite::fixture("minimal");
    let run = import(&site, "jekyll", &["--into", "."]);
    run.failure().stdout_has("       4 posts (1 of them drafts), in content/posts/");
    run.stderr_has(&format!(
        "error: the YAML front matter cannot be read: found unexpected end of stream\n --> {}:3:11",
        source("jekyll", "_posts/2022-04-01-broken.md")
    ));
    run.stderr_has(&format!(
        "warning: `{{% include note.html content=\"Thanks for reading\" %}}` has no Markdown equivalent, so it was kept as text\n  --> {}:21:1",
        source("jekyll", "_posts/2022-01-15-welcome.md")
    ));
    // The hub already has a `welcome` post: the imported one gets an address of its own.
    let welcome = read(&site, "content/posts/2022/2022-01-15-welcome-2022.md");
    for expected in [
        "date: 2022-01-15T09:00:00+01:00\nauthor: ana-lee\n",
        "tags:\n  - intro\n  - hello\n  - News\n",
        "aliases:\n  - /news/2022/01/15/welcome.html\n",
        "extra:\n  version: 1.0.0\n",
        "[our repository](https://github.com/example/project)",
        "![Our logo](/assets/img/logo.png)",
        "```ruby\nputs \"hello\"\n```",
        "[the second post](@/posts/2022/2022-02-01-second.md)",
    ] {
        assert!(welcome.contains(expected), "{expected:?} missing from:\n{welcome}");
    }
    let second = read(&site, "content/posts/2022/2022-02-01-second.md");
    assert!(second.contains("aliases:\n  - /blog/second/\n  - /old-second/\n"), "{second}");
    assert!(second.contains("```liquid\n{{ page.title }}\n```"), "{second}");
    assert!(!second.contains("never showed"), "{second}");
    // A draft was never published: no old address.
    let draft = read(&site, "content/posts/2022/2022-05-01-an-idea.md");
    assert!(draft.contains("draft: true\n") && !draft.contains("aliases"), "{draft}");
    assert!(read(&site, "content/posts/2022/2022-03-01-kept-short.md").contains("\nauthor: benjamin\n"));

    let built = only_consent_is_missing(&site, &[("ana-lee", "Ana Lee"), ("bo-chen", "Bo Chen")]);
    assert_redirect(&built, "news/2022/01/15/welcome.html", "/posts/welcome-2022/");
    assert_redirect(&built, "blog/second/index.html", "/posts/second/");
    assert_redirect(&built, "old-second/index.html", "/posts/second/");
    assert_redirect(&built, "2022/03/01/kept-short.html", "/posts/kept-short/");
    built.page("posts/welcome-2022/index.html").has("href=\"/posts/second/\"").has("<img src=\"/assets/img/logo.");
    built.assert_exists("assets/img/logo.png").assert_absent("posts/an-idea/index.html");
}

#[test]
fn importing_into_a_folder_that_is_not_a_hub_writes_nothing() {
    let site = TestSite::new();
    let before = snapshot(site.root());
    let run = import(&site, "zola", &["--into", "."]);
    run.failure()
        .stderr_has("error: `.` is not a hub: it has no `chorus.yaml`")
        .stderr_has("= help: import into a hub's folder with `--into DIR`, or create one first with `chorus init DIR`")
        .stdout_has("Nothing was imported, and nothing in the hub was changed.");
    assert_same_tree(&before, &snapshot(site.root()), "an import into a folder that is not a hub");
}

#[test]
fn a_source_that_is_not_that_kind_of_blog_is_named() {
    let site = TestSite::fixture("minimal");
    let before = snapshot(site.root());
    let jekyll = repo().join("tests/fixtures/import-jekyll").display().to_string();
    site.chorus(&["import", "hugo", &jekyll])
        .failure()
        .stderr_has("error: this is not a Hugo site: it has no `hugo.toml`, `hugo.yaml` or `config.toml`");
    site.chorus(&["import", "zola", "no-such-folder"])
        .failure()
        .stderr_has("error: this folder does not exist\n --> no-such-folder");
    assert_same_tree(&before, &snapshot(site.root()), "an import from a folder that is not that kind of blog");
}

#[test]
fn a_second_import_recognises_what_it_imported_and_overwrites_nothing() {
    let site = TestSite::fixture("minimal");
    import(&site, "zola", &["--into", "."]).failure();
    let before = snapshot(site.root());
    let run = import(&site, "zola", &["--into", "."]);
    run.failure()
        .stderr_has("this post looks imported already: its old address `/blog/hello-world/` leads to content/posts/2024/2024-03-01-hello-world.md")
        .stderr_has("error: no post could be imported, so nothing was written")
        .stdout_has("Nothing was imported, and nothing in the hub was changed.");
    assert_same_tree(&before, &snapshot(site.root()), "a second import of the same blog");
}

#[test]
fn a_site_file_already_in_the_hub_is_kept_as_it_is() {
    let site = TestSite::fixture("minimal").file("static/images/team.png", "the hub's own picture");
    let run = import(&site, "hugo", &["--into", "."]);
    run.stderr_has(
        "`static/images/team.png` is already in the hub and differs from the blog's, so the blog's was not copied",
    );
    assert_eq!(read(&site, "static/images/team.png"), "the hub's own picture");
    assert!(!site.root().read_dir().unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .starts_with(".chorus-import")));
}

#[test]
fn the_import_is_judged_against_no_clock() {
    // Same input, same files: an import writes nothing that depends on when it runs.
    let a = TestSite::fixture("minimal");
    let b = TestSite::fixture("minimal");
    import(&a, "jekyll", &["--into", "."]);
    let mut cmd = b.command();
    cmd.env("SOURCE_DATE_EPOCH", "0").args([
        "import",
        "jekyll",
        repo().join("tests/fixtures/import-jekyll").to_str().unwrap(),
    ]);
    b.run(cmd, &["import"]);
    assert_same_tree(&snapshot(a.root()), &snapshot(b.root()), "two imports of the same blog");
}
