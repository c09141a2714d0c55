//! Hostile and clumsy content files (DESIGN §3, §9): each either gets a clear diagnostic
//! naming its file and line, or — where the input is legitimate — builds safely. Never a
//! panic, a hang, or a file read from outside the hub.

use std::time::Duration;

use crate::common::{Run, TestSite};
use crate::inert;
use crate::util::{png, NeverShows};

/// A post by `ana` (of the `minimal` fixture) with `extra` front matter lines.
fn post(title: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2026-11-20\nauthor: ana\n{extra}---\n{body}\n")
}

fn minimal() -> TestSite {
    TestSite::fixture("minimal")
}

const QUICK: Duration = Duration::from_secs(10);

#[test]
fn yaml_alias_bombs_are_refused_quickly() {
    // "Billion laughs": nine levels of nine aliases, 387 million strings once expanded.
    let mut bomb =
        String::from("---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let mut prev = "a".to_string();
    for level in "bcdefghi".chars() {
        bomb.push_str(&format!("{level}: &{level} [{}]\n", vec![format!("*{prev}"); 9].join(",")));
        prev = level.to_string();
    }
    bomb.push_str("title: Bomb\ndate: 2026-11-20\nauthor: ana\n---\nBody\n");
    // A smaller one, inside `extra:` where anything goes.
    let mut small = String::from(
        "---\ntitle: Small\ndate: 2026-11-20\nauthor: ana\nextra:\n  a0: &a0 [x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..=4 {
        small.push_str(&format!("  a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 9].join(", ")));
    }
    small.push_str("---\nBody\n");
    let run = minimal().file("content/posts/bomb.md", bomb).file("content/posts/small.md", small).build();
    run.failed_without_output().within(QUICK).all_located();
    let d = run.error("content/posts/bomb.md:2:1", "the front matter is not valid YAML: repetition limit exceeded");
    assert_eq!(d.hint.as_deref(), Some("the YAML nests or repeats too deeply; write the values out plainly"));
    run.error("content/posts/small.md:2:", "repetition limit exceeded");
}

#[test]
fn deep_yaml_nesting_is_refused() {
    let brackets = format!("---\ntitle: {}\ndate: 2026-11-20\nauthor: ana\n---\n", "[".repeat(5000));
    let braces = format!("---\ntitle: {}\n---\n", "{a: ".repeat(3000));
    let mut block = String::from("---\ntitle: Block\ndate: 2026-11-20\nauthor: ana\nextra:\n");
    // 1,500 levels: far past YAML's recursion limit, and under the 4 MB a content file may hold.
    for depth in 1..=1500 {
        block.push_str(&format!("{}a:\n", "  ".repeat(depth)));
    }
    block.push_str("---\nBody\n");
    let run = minimal()
        .file("content/posts/brackets.md", brackets)
        .file("content/posts/braces.md", braces)
        .file("content/posts/block.md", block)
        .build();
    run.failed_without_output().within(QUICK).all_located();
    run.error("content/posts/brackets.md:2:", "the front matter is not valid YAML: recursion limit exceeded");
    run.error("content/posts/braces.md:2:", "the front matter is not valid YAML: recursion limit exceeded");
    run.error("content/posts/block.md:", "the front matter is not valid YAML: recursion limit exceeded");
}

#[test]
fn invalid_utf8_is_reported_at_its_line() {
    let mut bytes = b"---\ntitle: Fine so far\ndate: 2026-11-20\nauthor: ana\n---\nLine six.\nLine seven: ".to_vec();
    bytes.extend_from_slice(b"caf\xe9 \xff\xfe au lait\nLine eight.\n");
    let run = minimal().file("content/posts/latin1.md", bytes).build();
    run.failed_without_output();
    let d = run.error("content/posts/latin1.md:7:", "this file is not UTF-8 text");
    assert_eq!(d.location(), "content/posts/latin1.md:7:16", "the first bad byte is on line 7, column 16: {d:?}");
    assert!(d.hint.unwrap().contains("save the file as UTF-8"));
}

#[test]
fn a_bom_and_crlf_line_endings_build() {
    let post = "\u{feff}---\r\ntitle: Windows Title\r\ndate: 2026-11-20\r\nauthor: ana\r\ntags: [crlf]\r\n---\r\nFirst line.\r\n\r\nSecond paragraph.\r\n";
    let person = "\u{feff}---\r\nname: Ana Lima\r\nrole: Engineer\r\nconsent: true\r\n---\r\nAna's bio.\r\n";
    let config = "\u{feff}title: Minimal Hub\r\nbase_url: https://hub.example\r\n";
    let run = minimal()
        .file("chorus.yaml", config)
        .file("content/posts/windows.md", post)
        .file("content/people/ana.md", person)
        .build();
    run.success();
    let page = run.page("posts/windows/index.html").html;
    assert_eq!(inert::title_of(&page), "Windows Title · Minimal Hub");
    assert!(page.contains("<h1 class=\"p-name\">Windows Title</h1>"), "{page}");
    assert!(page.contains("<p>First line.</p>") && page.contains("<p>Second paragraph.</p>"), "{page}");
    // (Images, the social cards among them, are binary: a BOM's bytes may occur in them.)
    for (f, bytes) in run.all_bytes().into_iter().filter(|(f, _)| !f.ends_with(".png") && !f.ends_with(".webp")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains('\u{feff}'), "{f} carries the BOM");
        if f.ends_with(".html") || f.ends_with(".xml") {
            assert!(!text.contains("Title\r") && !text.contains("Lima\r"), "{f} carries a CR from the source");
        }
    }
    assert!(run.page("people/ana/index.html").html.contains("Engineer"));
    run.assert_exists("tags/crlf/index.html");
}

#[test]
fn empty_and_fence_only_files_are_explained() {
    let run = minimal()
        .file("content/posts/empty.md", "")
        .file("content/posts/blank.md", "\n  \n\t\n")
        .file("content/posts/fence.md", "---")
        .file("content/posts/fence-nl.md", "---\n")
        .file("content/posts/two-fences.md", "---\n---\n")
        .file("content/people/nobody.md", "")
        .build();
    run.failed_without_output().all_located();
    run.error("content/posts/empty.md:1:1", "the file is empty");
    run.error("content/posts/blank.md:1:1", "the file is empty");
    run.error("content/people/nobody.md:1:1", "the file is empty");
    for f in ["fence", "fence-nl"] {
        let d = run.error(&format!("content/posts/{f}.md:1:1"), "the front matter that starts here never ends");
        assert!(d.hint.unwrap().contains("add a line with just `---`"));
    }
    run.error("content/posts/two-fences.md:1:", "missing required key `title`");
    run.error("content/posts/two-fences.md:1:", "missing required key `date`");
    run.error("content/posts/two-fences.md:1:", "missing required key `author`");
}

#[test]
fn front_matter_that_is_a_list_or_a_scalar_is_explained() {
    let run = minimal()
        .file("content/posts/list.md", "---\n- title\n- date\n---\nBody\n")
        .file("content/posts/scalar.md", "---\nJust a sentence about the post\n---\nBody\n")
        .file("content/posts/number.md", "---\n42\n---\nBody\n")
        .file("content/pages/list.md", "---\n[a, b]\n---\nBody\n")
        .build();
    run.failed_without_output().all_located();
    let d = run.error("content/posts/list.md:2:1", "the front matter is a list, not a set of `key: value` lines");
    assert!(d.hint.unwrap().contains("`key: value`"));
    run.error("content/posts/scalar.md:2:1", "the front matter is plain text, not a set of `key: value` lines");
    run.error("content/posts/number.md:2:1", "the front matter is a number, not a set of `key: value` lines");
    run.error("content/pages/list.md:2:1", "the front matter is a list");
}

#[test]
fn tabs_in_indentation_are_reported_at_their_line() {
    let run = minimal()
        .file("content/posts/tab-key.md", "---\ntitle: Tabs\n\tdate: 2026-11-20\nauthor: ana\n---\nBody\n")
        .file(
            "content/posts/tab-nested.md",
            "---\ntitle: Nested tabs\ndate: 2026-11-20\nauthor: ana\nvia:\n\turl: https://example.org\n---\nBody\n",
        )
        .build();
    run.failed_without_output().all_located();
    let d = run.error("content/posts/tab-key.md:3:1", "this line is indented with a tab, which YAML does not allow");
    assert!(d.hint.unwrap().starts_with("indent with spaces instead"));
    run.error("content/posts/tab-nested.md:6:1", "this line is indented with a tab, which YAML does not allow");
}

/// Asserts no output file carries a control character that XML forbids, and the feeds parse.
fn assert_no_control_characters(run: &Run) {
    for (f, bytes) in run.all_bytes() {
        let Ok(text) = String::from_utf8(bytes) else { continue };
        if let Some(c) = text.chars().find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
            panic!("{f} contains the control character {c:?}");
        }
        if f.ends_with("feed.xml") {
            inert::assert_feed_inert(&f, &text);
        }
    }
}

#[test]
fn nul_bytes_in_front_matter_are_reported_at_their_line() {
    let run = minimal()
        .file("content/posts/nul.md", "---\ntitle: Nul\0here\ndate: 2026-11-20\nauthor: ana\n---\nBody\n")
        .file(
            "content/posts/nul-later.md",
            "---\ntitle: Fine\ndate: 2026-11-20\nauthor: ana\nsummary: a\0b\n---\nBody\n",
        )
        .build();
    run.all_located();
    // An error (the YAML refuses it) or a warning (the character is left out), at its line.
    run.diagnostic("content/posts/nul.md:2:", "control characters");
    run.diagnostic("content/posts/nul-later.md:5:", "control characters");
    // A snippet shows the NUL as a visible replacement, never as a raw NUL on the terminal.
    assert!(!run.stderr.contains('\0'), "a raw NUL on stderr");
    if run.code == Some(0) {
        assert_no_control_characters(&run);
    } else {
        run.failed_without_output();
    }
}

#[test]
fn nul_bytes_in_the_body_never_reach_the_output() {
    let run = minimal()
        .file("content/posts/nul-body.md", post("Nul body", "", "Before \0 after, and \u{1b}[31m red."))
        .build();
    run.all_located();
    run.diagnostic("content/posts/nul-body.md:6:", "control characters");
    if run.code == Some(0) {
        assert_no_control_characters(&run);
        assert!(
            run.page("posts/nul-body/index.html").html.contains("Before  after"),
            "the text around the NUL is kept"
        );
    } else {
        run.failed_without_output();
    }
}

#[test]
fn a_200_kb_title_is_refused_and_the_build_stays_fast() {
    let title = "A".repeat(200_000);
    let run = minimal().file("content/posts/long.md", post(&title, "", "Body")).build();
    run.failed_without_output().within(QUICK);
    let d = run.error("content/posts/long.md:2:8", "the title is 200000 characters long");
    assert!(d.hint.unwrap().contains("keep titles under 300 characters"));
}

#[test]
fn five_thousand_tags_are_refused() {
    let tags: Vec<String> = (0..5000).map(|i| format!("t{i}")).collect();
    let block: String = (0..5000).map(|i| format!("  - b{i}\n")).collect();
    let run = minimal()
        .file("content/posts/tags.md", post("Tags", &format!("tags: [{}]\n", tags.join(", ")), "Body"))
        .file("content/posts/block-tags.md", post("Block tags", &format!("tags:\n{block}"), "Body"))
        .build();
    run.failed_without_output().within(QUICK);
    let d = run.error("content/posts/tags.md:5:1", "this post has 5000 tags");
    assert!(d.hint.unwrap().contains("use at most 30 tags"));
    run.error("content/posts/block-tags.md:5:1", "this post has 5000 tags");
}

fn dated(title: &str, date: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\nauthor: ana\n---\nBody of {title}.\n")
}

#[test]
fn dates_at_the_edges_of_the_calendar_build() {
    let site = minimal()
        .file("content/posts/first.md", dated("First", "0001-01-01"))
        .file("content/posts/last.md", dated("Last", "9999-12-31T23:59:59Z"))
        .file("content/posts/leap.md", dated("Leap", "2024-02-29"))
        .file("content/posts/leap-second.md", dated("Leap second", "2026-11-20T23:59:60Z"))
        .file("content/posts/far-east.md", dated("Far east", "0001-01-01T00:00:00+14:00"))
        .file(
            "content/posts/expires.md",
            "---\ntitle: Expires late\ndate: 2026-11-20\nexpires: 9999-12-31T23:59:59Z\nauthor: ana\n---\nBody\n",
        )
        .file("content/causes/last.md", "---\ntitle: Last cause\nperson: ana\nstarts: 9999-12-31\n---\nAt the end.\n")
        .file(
            "content/causes/first.md",
            "---\ntitle: First cause\nperson: ana\nstarts: 0001-01-01\nends: 0001-01-01T10:00:00Z\n---\nLong ago.\n",
        );
    let run = site.build();
    run.success();
    for p in ["first", "leap", "leap-second", "far-east", "expires"] {
        run.assert_exists(&format!("posts/{p}/index.html"));
    }
    run.assert_absent("posts/last/index.html"); // scheduled
    run.assert_exists("causes/last/index.html").assert_exists("causes/first/index.html");
    assert!(run.page("posts/leap/index.html").html.contains("29 February 2024"));
    for (f, bytes) in run.all_bytes().into_iter().filter(|(f, _)| !f.ends_with(".png") && !f.ends_with(".webp")) {
        let text = String::from_utf8(bytes).unwrap();
        if f.ends_with("feed.xml") {
            inert::assert_feed_inert(&f, &text);
        } else if f.ends_with(".html") {
            inert::assert_page_inert(&f, &text);
        }
    }
    let future = site.build_with(&["--future"]);
    future.success().assert_exists("posts/last/index.html");
    inert::assert_feed_inert("feed.xml", &future.page("feed.xml").html);
    // Digests of the weeks at the edges, and builds judged at the edges.
    let first_week = site.digest(&["--week", "0001-W01"]);
    first_week.success();
    assert!(first_week.stdout.contains("First"), "{first_week:?}");
    assert!(site.digest(&["--week", "2024-W09"]).success().stdout.contains("Leap"));
    site.digest(&["--week", "9999-W52", "--format", "html"]).success();
    site.digest(&["--week", "9999-W52", "--format", "markdown"]).success();
    site.chorus(&["build", "--now", "9999-12-31T23:59:59Z"]).success();
    site.chorus(&["build", "--now", "0001-01-01T00:00:00Z"]).success();
    site.chorus(&["digest", "--now", "9999-12-31T23:59:59Z"]).success();
}

#[test]
fn the_digest_of_the_first_week_of_the_calendar() {
    let site = minimal().file("content/posts/first.md", dated("First", "0001-01-01"));
    let run = site.chorus(&["digest", "--now", "0001-01-01T00:00:00Z"]);
    run.success();
    assert!(run.stdout.contains("First"), "{run:?}");
    let build = site.build();
    build.success();
    let index = build.page("digest/index.html").html;
    for week in
        inert::tags(&index).iter().filter_map(|t| t.attr("href")).filter(|h| h.starts_with("/digest/") && h.len() > 8)
    {
        build.assert_exists(&format!("{}index.html", week.trim_start_matches('/')));
    }
}

#[test]
fn impossible_dates_are_reported_at_their_line() {
    let site = minimal()
        .file("content/posts/huge-year.md", dated("Huge year", "+275760-09-13"))
        .file("content/posts/not-leap.md", dated("Not leap", "2026-02-29"))
        .file("content/posts/five-digits.md", dated("Five digits", "99999-01-01"))
        .file("content/posts/hour-25.md", dated("Hour 25", "2026-11-20T25:00:00Z"))
        .file(
            "content/causes/reversed.md",
            "---\ntitle: Reversed\nperson: ana\nstarts: 2026-12-02\nends: 2026-12-01\n---\nX\n",
        );
    let run = site.build();
    run.failed_without_output().all_located();
    run.error("content/posts/huge-year.md:3:7", "`+275760-09-13` is not a date");
    run.error("content/posts/not-leap.md:3:7", "`2026-02-29` is not a real date: February 2026 has 28 days");
    run.error("content/posts/five-digits.md:3:7", "`99999-01-01` is not a date: the year must have four digits");
    run.error("content/posts/hour-25.md:3:7", "`2026-11-20T25:00:00Z` is not a date and time Chorus understands");
    run.error("content/causes/reversed.md:5:7", "the cause ends before it starts");
    // Out-of-range moments on the command line are usage errors, not panics.
    let now = site.chorus(&["build", "--now", "+275760-09-13T00:00:00Z"]);
    assert_eq!(now.code, Some(2), "{now:?}");
    assert!(now.stderr.contains("is not a date and time"), "{now:?}");
    for week in ["262143-W52", "2026-W99", "0000-W00"] {
        let d = site.digest(&["--week", week]);
        assert_eq!(d.code, Some(2), "{d:?}");
        assert!(d.stderr.contains("is not an ISO week"), "{d:?}");
    }
}

#[test]
fn negative_years_are_refused_or_stay_valid() {
    let run = minimal().file("content/posts/bc.md", dated("Before Christ", "-0001-01-01")).build();
    if run.code == Some(1) {
        run.error("content/posts/bc.md:3:7", "");
        return;
    }
    run.success();
    inert::assert_feed_inert("feed.xml", &run.page("feed.xml").html);
    inert::assert_feed_inert("people/ana/feed.xml", &run.page("people/ana/feed.xml").html);
}

/// 4 KiB from a fixed-seed generator, starting with a byte that is never UTF-8.
fn random_bytes() -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut out = vec![0xff];
    while out.len() < 4096 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.push((state >> 24) as u8);
    }
    out
}

#[test]
fn binary_files_named_md_are_reported() {
    let mut controls: Vec<u8> = Vec::new();
    for _ in 0..200 {
        controls.extend_from_slice(&[0, 1, 2, 3, 7, 8, 0x1b, 0x7f]);
    }
    let run = minimal()
        .file("content/posts/random.md", random_bytes())
        .file("content/posts/picture.md", png())
        .file("content/people/photo.md", png())
        .file("content/posts/controls.md", controls)
        .build();
    run.failed_without_output().within(QUICK).all_located();
    for f in ["posts/random", "posts/picture", "people/photo"] {
        let d = run.error(&format!("content/{f}.md:1:1"), "this file is not UTF-8 text");
        assert!(d.hint.unwrap().contains("move it out of `content/`"));
    }
    // Valid UTF-8 made of control bytes: not front matter (or, once they are left out, empty).
    let d = run.error("content/posts/controls.md:1:1", "");
    assert!(d.message == "the file does not start with front matter" || d.message == "the file is empty", "{d:?}");
    assert!(!run.stderr.contains('\0') && !run.stderr.contains('\u{1b}'), "raw control bytes on stderr");
}

#[test]
fn a_20_mb_post_is_refused_quickly() {
    let paragraph = "Plain words about the solar farm, the grid and the people who keep it running; \
                     with some *emphasis*, a `code span` and [a link](https://example.org/grid) now and then.";
    let mut body = String::with_capacity(21_000_000);
    while body.len() < 20_000_000 {
        body.push_str(paragraph);
        body.push_str("\n\n");
    }
    let site = minimal().file("content/posts/huge.md", post("Huge", "", &body));
    let run = site.build();
    // Over the 4 MB a content file may hold: refused before it is parsed.
    run.within(QUICK).failed_without_output().all_located();
    assert_eq!(run.error("content/posts/huge.md:1:1", "larger than 4 MB").code, "file-too-large");
}

#[test]
fn deeply_nested_markdown_builds() {
    let n = 20_000;
    let quotes = format!("{} deep\n", ">".repeat(n));
    let brackets = format!("{}x{}\n", "[".repeat(n), "]".repeat(n));
    let stars = format!("{}x{}\n", "*".repeat(n), "*".repeat(n));
    let parens = format!("[a]({}{})\n", "(".repeat(n), ")".repeat(n));
    let list: String = (0..1000).map(|i| format!("{}- item\n", "  ".repeat(i))).collect();
    let run = minimal()
        .file("content/posts/quotes.md", post("Quotes", "", &quotes))
        .file("content/posts/brackets.md", post("Brackets", "", &brackets))
        .file("content/posts/stars.md", post("Stars", "", &stars))
        .file("content/posts/parens.md", post("Parens", "", &parens))
        .file("content/posts/list.md", post("List", "", &list))
        .build();
    run.within(QUICK);
    // What `build` reports (`check` makes a message over a network's limit an error).
    assert!(run.printed().iter().all(|d| d.severity == "warning"), "{run:?}");
    run.success();
    for p in ["quotes", "brackets", "stars", "parens", "list"] {
        inert::assert_page_inert(p, &run.page(&format!("posts/{p}/index.html")).html);
    }
}

#[test]
fn deeply_nested_raw_html_builds_in_reasonable_time() {
    let n = 40_000;
    let body = format!("{}x{}\n", "<div>".repeat(n), "</div>".repeat(n));
    let run = minimal().file("content/posts/divs.md", post("Divs", "", &body)).build();
    run.within(Duration::from_secs(10));
    if run.code == Some(0) {
        inert::assert_page_inert("divs", &run.page("posts/divs/index.html").html);
    } else {
        run.failure().all_located();
    }
}

#[test]
fn slugs_that_leave_their_folder_are_refused() {
    let site = minimal()
        .file("content/posts/up.md", post("Up", "slug: ../../etc\n", "Body"))
        .file("content/posts/quoted-up.md", post("Quoted up", "slug: \"../../../tmp/x\"\n", "Body"))
        .file("content/posts/sub.md", post("Sub", "slug: a/b\n", "Body"))
        .file("content/posts/backslash.md", post("Backslash", "slug: a\\b\n", "Body"))
        .file("content/posts/absolute.md", post("Absolute", "slug: /abs\n", "Body"))
        .file("content/posts/dots.md", post("Dots", "slug: ..\n", "Body"))
        .file("content/causes/up.md", "---\ntitle: Up\nperson: ana\nstarts: 2026-12-01\nslug: ../../etc\n---\nX\n")
        .file("content/pages/up.md", "---\ntitle: Up\nslug: /etc/passwd\n---\nX\n");
    let run = site.build();
    run.failed_without_output().all_located();
    for (file, slug, fix) in [
        ("posts/up", "../../etc", Some("etc")),
        ("posts/quoted-up", "../../../tmp/x", Some("tmp-x")),
        ("posts/sub", "a/b", Some("a-b")),
        ("posts/backslash", "a\\b", Some("a-b")),
        ("posts/absolute", "/abs", Some("abs")),
        ("posts/dots", "..", None),
        ("pages/up", "/etc/passwd", Some("etc-passwd")),
    ] {
        let line = if file.starts_with("pages") { 3 } else { 5 };
        let d = run.error(
            &format!("content/{file}.md:{line}:7"),
            &format!("the slug `{slug}` is not a single, simple URL segment"),
        );
        if let Some(fix) = fix {
            assert_eq!(
                d.hint.as_deref(),
                Some(format!("use lowercase letters, digits and `-`: `slug: {fix}`").as_str())
            );
        }
    }
    run.error("content/causes/up.md:5:7", "the slug `../../etc` is not a single, simple URL segment");
    // Nothing was written beside the hub or above it.
    let beside: Vec<_> = std::fs::read_dir(site.outer()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(beside, vec![std::ffi::OsString::from("hub")], "files appeared beside the hub");
}

#[test]
fn odd_file_names_become_safe_slugs() {
    let run = minimal()
        .file("content/posts/a\\b.md", post("Backslash name", "", "Body"))
        .file("content/posts/2026-11-20-..%2F..%2Fx.md", post("Encoded dots", "", "Body"))
        .file("content/posts/<script>.md", post("Script name", "", "Body"))
        .build();
    run.success();
    run.assert_exists("posts/a-b/index.html");
    run.assert_exists("posts/2f-2fx/index.html");
    run.assert_exists("posts/script/index.html");
    for f in run.files() {
        assert!(!f.contains("..") && !f.contains('\\') && !f.contains('<'), "an unsafe output path {f}");
    }
}

#[test]
fn duplicate_slugs_are_reported_even_by_case_or_normalisation() {
    let nfc = "caf\u{e9}";
    let nfd = "cafe\u{301}";
    let run = minimal()
        .file("content/posts/Hello.md", post("Upper", "", "Body"))
        .file("content/posts/hello.md", post("Lower", "", "Body"))
        .file(&format!("content/posts/{nfc}.md"), post("Composed", "", "Body"))
        .file(&format!("content/posts/{nfd}.md"), post("Decomposed", "", "Body"))
        .file("content/posts/2026-11-20-same.md", post("Dated", "", "Body"))
        .file("content/posts/other.md", post("Other", "slug: same\n", "Body"))
        .file("content/pages/About.md", "---\ntitle: A\n---\nX\n")
        .file("content/pages/about.md", "---\ntitle: B\n---\nX\n")
        .file("content/people/Ana.md", "---\nname: Another Ana\nconsent: true\n---\nBio\n")
        .build();
    run.failed_without_output().all_located();
    run.error(
        "content/posts/hello.md:1:1",
        "another post already has the address `/posts/hello/`: content/posts/Hello.md",
    );
    run.error("content/posts/", &format!("another post already has the address `/posts/{nfc}/`"));
    run.error("content/posts/", "another post already has the address `/posts/same/`");
    run.error("content/pages/about.md:1:1", "another page already has the address `about`: content/pages/About.md");
    run.error("content/people/Ana.md:1:1", "`Ana` cannot be a person's id");
}

#[test]
fn symlinks_that_leave_the_hub_are_refused_and_nothing_outside_is_read() {
    let site = minimal();
    let outside = site.outside(
        "outside.md",
        "---\ntitle: OUTSIDE-SECRET-TITLE\ndate: 2026-11-20\nauthor: ana\n---\nOUTSIDE-SECRET-BODY\n",
    );
    site.outside("outside-dir/x.md", "---\ntitle: OUTSIDE-DIR-SECRET\ndate: 2026-11-20\nauthor: ana\n---\nX\n");
    let outside_dir = site.outer().join("outside-dir");
    let site = site
        .symlink("content/posts/outside.md", &outside)
        .symlink("content/posts/passwd.md", "/etc/passwd")
        .symlink("content/posts/relative.md", "../../../outside.md")
        .symlink("content/posts/dir", outside_dir)
        .symlink("content/people/eve.md", "/etc/passwd");
    for run in [site.build(), site.check(&[])] {
        run.failure();
        for f in ["posts/outside.md", "posts/passwd.md", "posts/relative.md", "posts/dir", "people/eve.md"] {
            let d = run.error(&format!("content/{f}"), "this symbolic link points outside the hub and is not read");
            assert!(d.hint.unwrap().contains("copy the file into the hub"));
        }
        run.never_shows("OUTSIDE-SECRET").never_shows("OUTSIDE-DIR-SECRET").never_shows("root:x:0:0");
    }
}

#[test]
fn symlink_loops_are_refused() {
    let site = minimal()
        .symlink("content/posts/parent", "..")
        .symlink("content/posts/self", ".")
        .symlink("content/posts/content", "../../content")
        .symlink("content/posts/a.md", "b.md")
        .symlink("content/posts/b.md", "a.md")
        .symlink("content/posts/dangling.md", "nowhere.md");
    let run = site.build();
    run.failed_without_output().within(QUICK);
    for f in ["parent", "self", "content"] {
        run.error(&format!("content/posts/{f}"), "this symbolic link points back at a folder that contains it");
    }
    run.error("content/posts/a.md", "cannot read");
    run.error("content/posts/b.md", "cannot read");
    run.error("content/posts/dangling.md", "cannot read");
}

#[test]
fn a_bundle_index_that_links_outside_is_refused() {
    let site = minimal();
    let outside = site.outside(
        "outside.md",
        "---\ntitle: OUTSIDE-SECRET-TITLE\ndate: 2026-11-20\nauthor: ana\n---\nOUTSIDE-SECRET-BODY\n",
    );
    let site =
        site.symlink("content/posts/leak/index.md", &outside).symlink("content/pages/passwd/index.md", "/etc/passwd");
    let run = site.build();
    run.failure();
    run.error("content/posts/leak", "points outside the hub");
    run.error("content/pages/passwd", "points outside the hub");
    run.never_shows("OUTSIDE-SECRET").never_shows("root:x:0:0");
}

#[test]
fn images_that_link_outside_the_hub_are_refused() {
    let site = minimal();
    let outside = site.outside("outside.png", png());
    let site = site
        .file(
            "content/posts/photo/index.md",
            "---\ntitle: Photo\ndate: 2026-11-20\nauthor: ana\nimage: cover.png\nimage_alt: A cover\n---\nBody\n",
        )
        .symlink("content/posts/photo/cover.png", &outside)
        .file(
            "content/posts/static-photo.md",
            "---\ntitle: Static photo\ndate: 2026-11-20\nauthor: ana\nimage: /images/out.png\nimage_alt: A cover\n---\nBody\n",
        )
        .symlink("static/images/out.png", &outside)
        .file("content/people/ana.md", "---\nname: Ana Lima\navatar: /images/out.png\navatar_alt: Ana\nconsent: true\n---\nBio\n");
    let run = site.build();
    // Never opened (not even to read its size), never published: an error at the image.
    run.failed_without_output();
    run.error("content/posts/photo/index.md:5:", "");
    run.error("content/posts/static-photo.md:5:", "");
    run.error("content/people/ana.md:3:", "");
}

#[test]
fn control_characters_escaped_in_yaml_never_reach_the_output() {
    let run = minimal()
        .file(
            "content/posts/esc.md",
            "---\ntitle: \"Esc \\e[31m red \\0 nul \\x01\"\ndate: 2026-11-20\nauthor: ana\nsummary: \"sum \\0 \\e\"\ntags: [\"t\\x02\"]\n---\nBody\n",
        )
        .build();
    run.all_located();
    if run.code == Some(0) {
        assert_no_control_characters(&run);
    } else {
        run.failed_without_output();
        run.diagnostic("content/posts/esc.md:2:", "");
    }
}

#[test]
fn diagnostics_never_print_raw_control_characters() {
    let bad_config =
        minimal().file("chorus.yaml", "title: Minimal Hub\nbase_url: https://hub.example\n\"\\e]0;pwned\\a\": 1\n");
    let bad_content = minimal()
        .file(
            "content/posts/keys.md",
            "---\ntitle: Keys\ndate: 2026-11-20\nauthor: ana\n\"\\e]0;evil\\a\\e[2J\": 1\n---\nBody\n",
        )
        .file(
            "content/causes/kind.md",
            "---\ntitle: Kind\nperson: ana\nkind: \"\\e[2Jgig\"\nstarts: 2026-12-01\n---\nX\n",
        );
    for run in [bad_config.build(), bad_content.build(), bad_content.check(&[])] {
        run.failure();
        for out in [&run.stdout, &run.stderr] {
            if let Some(c) = out.chars().find(|&c| c.is_control() && !matches!(c, '\n' | '\t')) {
                panic!("a raw control character {c:?} in what chorus printed\n{run:?}");
            }
        }
    }
}

#[test]
fn templates_that_link_outside_the_hub_are_refused() {
    let site = minimal();
    let outside = site
        .outside("outside.html", "{% extends \"base.html\" %}{% block content %}OUTSIDE-TEMPLATE-SECRET{% endblock %}");
    let site = site
        .symlink("templates/404.html", &outside)
        .symlink("templates/page.html", "/etc/passwd")
        .symlink("static/passwd.txt", "/etc/passwd");
    let run = site.build();
    run.never_shows("OUTSIDE-TEMPLATE-SECRET").never_shows("root:x:0:0");
    run.failure();
    run.error("templates/404.html", "outside the hub");
}

#[test]
fn a_config_that_links_outside_the_hub_is_refused() {
    let leaked = minimal();
    let outside = leaked.outside(
        "chorus.yaml",
        "title: Minimal Hub\nbase_url: https://hub.example\ndescription: OUTSIDE-CONFIG-SECRET\n",
    );
    std::fs::remove_file(leaked.root().join("chorus.yaml")).unwrap();
    let leaked = leaked.symlink("chorus.yaml", &outside);
    let run = leaked.build();
    run.never_shows("OUTSIDE-CONFIG-SECRET");
    run.failure();
    run.error("chorus.yaml", "outside the hub");
    let passwd = minimal();
    std::fs::remove_file(passwd.root().join("chorus.yaml")).unwrap();
    let run = passwd.symlink("chorus.yaml", "/etc/passwd").build();
    run.never_shows("root:x:0:0");
}
