//! Injection (DESIGN §5, §9): a hub whose every field that reaches the output carries script
//! payloads. Text payloads must build and stay *inert* — escaped in HTML, encoded in JSON-LD
//! and share links, plain text in feeds, escaped in the digest — while arriving intact, and
//! links with a dangerous scheme must be refused with a diagnostic.

use std::collections::BTreeSet;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::common::{unescape, Run, Severity, TestSite};
use crate::inert::{self, share_link};
use crate::util::{png, y};

pub const PAYLOADS: [&str; 9] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "</script><script>alert(1)</script>",
    "]]><script>alert(1)</script>",
    "{{ 7*7 }}",
    "' onmouseover='alert(1)",
];

/// A link that is a valid `https` URL and still carries quotes and angle brackets.
const NASTY_URL: &str = "https://nasty.example/x?a=\"><script>alert(1)</script>&b='onmouseover='alert(1)";

const TITLE: &str = "Hub {{ 7*7 }} <script>alert(1)</script>";
const DESCRIPTION: &str = "\"><img src=x onerror=alert(1)> ' onmouseover='alert(1) ]]><script>alert(1)</script>";
const COMPANY: &str = "</script><script>alert(1)</script> & Co {{ 7*7 }}";
const DISCLOSURE: &str = "#AcmeEmployee \"><img src=x onerror=alert(1)>";
const LANGUAGE: &str = "en\" onmouseover=\"alert(1)";
const CAMPAIGN: &str = "<script>alert(1)</script> {{ 7*7 }}";
const BASE: &str = "https://hub.example";

/// Networks whose message is overridden in every post (the others use `share.text`).
const OVERRIDDEN: [&str; 5] = ["x", "bluesky", "mastodon", "telegram", "email"];

/// Raw HTML and Markdown that must come out sanitised (no diagnostics: nothing here loads
/// from another site or is a Markdown link).
const RAW_HTML: &str = r#"<script>alert(1)</script>

<img src=x onerror=alert(1) alt="x">

<a href="javascript:alert(1)">js link</a> <a href="data:text/html,<script>alert(1)</script>">data link</a> <a href="vbscript:msgbox(1)">vb link</a> <a href=" &#x6A;avascript:alert(1)">entity link</a>

<iframe src="javascript:alert(1)"></iframe>

<svg onload=alert(1)><circle r=1 /></svg>

<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">

<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">go</button></form>

<meta http-equiv="refresh" content="0;url=javascript:alert(1)">

<base href="javascript:alert(1)//">

<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>

<p style="background:url(javascript:alert(1))" onmouseover="alert(1)">styled</p>

<details open ontoggle=alert(1)><summary>s</summary></details>

<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>

<!-- </script><script>alert(1)</script> -->

```html
</textarea><script>alert(1)</script>
```

[a titled link](https://example.org/ok "title ' onmouseover='alert(1)")
"#;

fn body(payload: &str) -> String {
    format!("{payload}\n\nInline {payload}, and in code `{payload}`.\n\n> {payload}\n\n{RAW_HTML}")
}

fn config(unsafe_html: bool) -> String {
    format!(
        "title: {}\nbase_url: {BASE}\ncompany: {}\ndescription: {}\ndisclosure: {}\nlanguage: {}\nutm:\n  campaign: {}\nunsafe_html: {unsafe_html}\n",
        y(TITLE),
        y(COMPANY),
        y(DESCRIPTION),
        y(DISCLOSURE),
        y(LANGUAGE),
        y(CAMPAIGN)
    )
}

fn post_title(n: usize) -> String {
    format!("P{n} {}", PAYLOADS[n])
}

fn person_name(n: usize) -> String {
    format!("N{n} {}", PAYLOADS[n])
}

fn cause_title(n: usize) -> String {
    format!("C{n} {}", PAYLOADS[n])
}

fn page_title(n: usize) -> String {
    format!("Page{n} {}", PAYLOADS[n])
}

fn override_text(network: &str, n: usize) -> String {
    format!("{} {}", network.to_uppercase(), PAYLOADS[n])
}

fn post_file(n: usize) -> String {
    let p = PAYLOADS[n];
    let overrides: String = OVERRIDDEN.iter().map(|net| format!("  {net}: {}\n", y(&override_text(net, n)))).collect();
    format!(
        "---\ntitle: {}\ndate: 2026-11-{}\nauthors: [px{n}]\nsummary: {}\nnote: {}\ntags: [{}, {}]\nimage: /images/pic.png\nimage_alt: {}\nvia:\n  url: {}\n  name: {}\nshare:\n  text: {}\n  variants: [{}, {}]\n{overrides}  hashtags: [Energy, \"#Grid_2\"]\n---\n{}",
        y(&post_title(n)),
        16 + n % 6,
        y(&format!("{p} summary {n}")),
        y(&format!("{p}\n\nSecond paragraph {p}")),
        y(p),
        y(&format!("tag {n}")),
        y(p),
        y(NASTY_URL),
        y(p),
        y(p),
        y(&format!("V1 {p}")),
        y(&format!("V2 {p}")),
        body(p)
    )
}

fn person_file(n: usize) -> String {
    let p = PAYLOADS[n];
    format!(
        "---\nname: {}\nrole: {}\nteam: {}\npronouns: {}\navatar: /images/pic.png\navatar_alt: {}\nlinks:\n  website: {}\n  {}: {}\nnetworks: [bluesky, x]\nconsent: true\n---\n{}",
        y(&person_name(n)),
        y(p),
        y(p),
        y(p),
        y(p),
        y(NASTY_URL),
        y(p),
        y(&format!("https://links.example/{n}")),
        body(p)
    )
}

fn cause_file(n: usize) -> String {
    let p = PAYLOADS[n];
    let location = if n.is_multiple_of(2) {
        format!("location:\n  name: {}\n  address: {}\n", y(p), y(p))
    } else {
        format!("location:\n  online: {}\n", y(NASTY_URL))
    };
    format!(
        "---\ntitle: {}\nperson: px{n}\nkind: event\nstarts: 2026-12-0{}\n{location}link: {}\ngoal: {}\nimage: /images/pic.png\nimage_alt: {}\nsummary: {}\nshare:\n  text: {}\n  variants: [{}]\n  bluesky: {}\n  hashtags: [Run]\n---\n{}",
        y(&cause_title(n)),
        1 + n % 5,
        y(NASTY_URL),
        y(p),
        y(p),
        y(p),
        y(p),
        y(&format!("CV {p}")),
        y(&format!("CB {p}")),
        body(p)
    )
}

fn page_file(n: usize) -> String {
    let p = PAYLOADS[n];
    format!("---\ntitle: {}\nsummary: {}\nmenu: {n}\n---\n{}", y(&page_title(n)), y(p), body(p))
}

/// The payload hub: nine posts, people, causes and pages, one per payload.
fn payload_hub(unsafe_html: bool) -> TestSite {
    let mut site = TestSite::new().file("chorus.yaml", config(unsafe_html)).file("static/images/pic.png", png());
    for n in 0..PAYLOADS.len() {
        site = site
            .file(&format!("content/posts/p{n}.md"), post_file(n))
            .file(&format!("content/people/px{n}.md"), person_file(n))
            .file(&format!("content/causes/c{n}.md"), cause_file(n))
            .file(&format!("content/pages/pg{n}.md"), page_file(n));
    }
    site
}

/// Everything but RFC 3986 unreserved characters, as Chorus encodes share parameters.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn enc(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// The text between `<h1 class="p-name">` and `</h1>`, decoded.
fn h1(html: &str) -> String {
    let start = html.find("<h1 class=\"p-name\">").expect("an h1") + "<h1 class=\"p-name\">".len();
    let end = html[start..].find("</h1>").unwrap() + start;
    unescape(&html[start..end])
}

fn find_ld<'a>(lds: &'a [serde_json::Value], kind: &str) -> &'a serde_json::Value {
    lds.iter().find(|v| v["@type"] == kind).unwrap_or_else(|| panic!("no {kind} JSON-LD in {lds:?}"))
}

/// Checks every file of a built payload hub; returns the number of HTML pages checked.
fn assert_output_inert(run: &Run) -> usize {
    let mut pages = 0;
    for (f, bytes) in run.all_bytes() {
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => continue, // images
        };
        if f.ends_with(".html") {
            inert::assert_page_inert(&f, &text);
            pages += 1;
        } else if f == "sitemap.xml" {
            inert::assert_sitemap_inert(&text, BASE);
        } else if f.ends_with(".xml") {
            inert::assert_feed_inert(&f, &text);
        }
        assert_not_evaluated(&f, &text);
    }
    pages
}

/// Template injection: wherever `{{ 7*7 }}` was written (after one of these words), it is
/// text, never `49`.
fn assert_not_evaluated(what: &str, text: &str) {
    for before in [
        "P7 ",
        "N7 ",
        "C7 ",
        "Page7 ",
        "Hub ",
        "Co ",
        "Inline ",
        "paragraph ",
        "V1 ",
        "V2 ",
        "CV ",
        "CB ",
        "X ",
        "#Run ",
    ] {
        for evaluated in ["49", "(49)"] {
            assert!(
                !text.contains(&format!("{before}{evaluated}")),
                "{what}: `{{{{ 7*7 }}}}` was evaluated after {before:?}"
            );
        }
    }
    for encoded in ["%2049%20", ">49<", "\"49\""] {
        assert!(!text.contains(encoded), "{what}: `{{{{ 7*7 }}}}` was evaluated: {encoded}");
    }
}

#[test]
fn payloads_in_every_field_build_and_stay_inert() {
    let run = payload_hub(false).build();
    run.success();
    assert!(run.diagnostics().iter().all(|d| d.severity == Severity::Warning), "{run:?}");
    for n in 0..PAYLOADS.len() {
        for page in [format!("posts/p{n}"), format!("people/px{n}"), format!("causes/c{n}"), format!("pg{n}")] {
            run.assert_exists(&format!("{page}/index.html"));
        }
    }
    let pages = assert_output_inert(&run);
    assert!(pages > 40, "only {pages} pages were checked");
    assert!(run.page("index.html").html.contains("{{ 7*7 }}"), "the site title lost its `{{{{ 7*7 }}}}`");
    check_intact_in_pages_and_json_ld(&run);
    check_share_links(&run);
    check_feeds(&run);
}

#[test]
fn the_digest_is_inert_in_every_format() {
    let site = payload_hub(false);
    check_digest_text(&site);
    check_digest_html(&site);
    check_digest_markdown(&site);
    check_digest_markdown_titles(&site);
}

/// Payloads arrive intact: titles, headings and JSON-LD values equal what was written.
fn check_intact_in_pages_and_json_ld(run: &Run) {
    let home = run.page("index.html").html;
    assert_eq!(inert::title_of(&home), TITLE);
    let lds = inert::assert_page_inert("index.html", &home);
    let site = find_ld(&lds, "WebSite");
    assert_eq!(site["name"], TITLE);
    assert_eq!(site["description"], DESCRIPTION);
    assert!(home.contains(&format!("<html lang=\"{}\">", LANGUAGE.replace('"', "&quot;"))), "the language attribute");
    for (n, &p) in PAYLOADS.iter().enumerate() {
        let post = run.page(&format!("posts/p{n}/index.html")).html;
        assert_eq!(inert::title_of(&post), format!("{} · {TITLE}", post_title(n)));
        assert_eq!(h1(&post), post_title(n));
        let lds = inert::assert_page_inert("post", &post);
        let article = find_ld(&lds, "Article");
        assert_eq!(article["headline"], post_title(n).as_str());
        assert_eq!(article["author"][0]["name"], person_name(n).as_str());
        assert_eq!(article["author"][0]["jobTitle"], p);
        assert_eq!(article["publisher"]["name"], COMPANY);
        assert_eq!(article["isBasedOn"], NASTY_URL);
        assert_eq!(article["inLanguage"], LANGUAGE);
        assert!(article["keywords"].as_array().unwrap().iter().any(|k| k == p), "{article}");
        // The via link is the nasty URL, escaped into one attribute.
        assert!(inert::tags(&post).iter().any(|t| t.name == "a" && t.attr("href") == Some(NASTY_URL)), "via link");
        let person = run.page(&format!("people/px{n}/index.html")).html;
        let lds = inert::assert_page_inert("person", &person);
        let profile = find_ld(&lds, "ProfilePage");
        assert_eq!(profile["mainEntity"]["name"], person_name(n).as_str());
        assert_eq!(profile["mainEntity"]["sameAs"][0], NASTY_URL);
        let cause = run.page(&format!("causes/c{n}/index.html")).html;
        let lds = inert::assert_page_inert("cause", &cause);
        let event = find_ld(&lds, "Event");
        assert_eq!(event["name"], cause_title(n).as_str());
        assert_eq!(event["organizer"]["name"], person_name(n).as_str());
        assert_eq!(event["offers"]["url"], NASTY_URL);
        if n.is_multiple_of(2) {
            assert_eq!(event["location"]["name"], p);
            assert_eq!(event["location"]["address"], p);
        } else {
            assert_eq!(event["location"]["url"], NASTY_URL);
        }
        let page = run.page(&format!("pg{n}/index.html")).html;
        assert_eq!(inert::title_of(&page), format!("{} · {TITLE}", page_title(n)));
    }
    let p8 = run.page("posts/p7/index.html").html;
    assert!(p8.contains("P7 {{ 7*7 }}"), "the post title lost its `{{{{ 7*7 }}}}`");
    assert!(p8.contains("<p>{{ 7*7 }}</p>"), "the body lost its `{{{{ 7*7 }}}}`");
    assert!(
        p8.contains("<p>Inline {{ 7*7 }}, and in code <code>{{ 7*7 }}</code>.</p>"),
        "the body lost its `{{{{ 7*7 }}}}`"
    );
}

/// Share links carry the payloads intact, but only inside fully percent-encoded parameters.
fn check_share_links(run: &Run) {
    for (n, &p) in PAYLOADS.iter().enumerate() {
        let html = run.page(&format!("posts/p{n}/index.html")).html;
        let permalink = format!("{BASE}/posts/p{n}/");
        let tagged =
            |net: &str| format!("{permalink}?utm_source={net}&utm_medium=social&utm_campaign={}", enc(CAMPAIGN));
        let base_for = |net: &str| if OVERRIDDEN.contains(&net) { override_text(net, n) } else { p.to_string() };
        let body_for = |net: &str| format!("{} #Energy #Grid_2 {DISCLOSURE}", base_for(net));
        // The copy texts: the primary message, then the variants.
        let messages = inert::share_messages(&html);
        let expected: Vec<String> = [p.to_string(), format!("V1 {p}"), format!("V2 {p}")]
            .iter()
            .map(|b| format!("{b} #Energy #Grid_2 {DISCLOSURE} {permalink}"))
            .collect();
        assert_eq!(messages[..expected.len().min(messages.len())], expected, "post {n}");
        // Then each network's own message, with that network's link.
        let mut own: Vec<String> = messages[expected.len().min(messages.len())..].to_vec();
        let mut expected_own: Vec<String> =
            OVERRIDDEN.iter().map(|net| format!("{} {}", body_for(net), tagged(net))).collect();
        own.sort();
        expected_own.sort();
        assert_eq!(own, expected_own, "post {n}: the networks' own messages");
        let hrefs = inert::share_hrefs(&html);
        assert_eq!(hrefs.len(), 10, "post {n}: {hrefs:?}");
        let mut seen = BTreeSet::new();
        for href in &hrefs {
            let link = share_link(href);
            let param = |name: &str| link.param(name).unwrap_or_else(|| panic!("no {name} in {href}")).to_string();
            let network = match link.base.as_str() {
                "https://x.com/intent/tweet" => {
                    assert_eq!(param("text"), format!("{} {DISCLOSURE}", base_for("x")));
                    assert_eq!(param("url"), tagged("x"));
                    assert_eq!(param("hashtags"), "Energy,Grid_2");
                    "x"
                }
                "https://www.linkedin.com/sharing/share-offsite/" => {
                    assert_eq!(param("url"), tagged("linkedin"));
                    "linkedin"
                }
                "https://www.facebook.com/sharer/sharer.php" => {
                    assert_eq!(param("u"), tagged("facebook"));
                    "facebook"
                }
                "https://bsky.app/intent/compose" => {
                    assert_eq!(param("text"), format!("{} {}", body_for("bluesky"), tagged("bluesky")));
                    "bluesky"
                }
                "https://share.joinmastodon.org/" => {
                    assert_eq!(param("text"), format!("{} {}", body_for("mastodon"), tagged("mastodon")));
                    "mastodon"
                }
                "https://www.threads.com/intent/post" => {
                    assert_eq!(param("text"), body_for("threads"));
                    assert_eq!(param("url"), tagged("threads"));
                    "threads"
                }
                "https://www.reddit.com/submit" => {
                    assert_eq!(param("url"), tagged("reddit"));
                    assert_eq!(param("title"), post_title(n));
                    "reddit"
                }
                "https://wa.me/" => {
                    assert_eq!(param("text"), format!("{} {}", body_for("whatsapp"), tagged("whatsapp")));
                    "whatsapp"
                }
                "https://t.me/share/url" => {
                    assert_eq!(param("url"), tagged("telegram"));
                    assert_eq!(param("text"), body_for("telegram"));
                    "telegram"
                }
                "mailto:" => {
                    assert_eq!(param("subject"), post_title(n));
                    assert_eq!(param("body"), format!("{}\r\n\r\n{}", body_for("email"), tagged("email")));
                    "email"
                }
                other => panic!("an unexpected share link {other}: {href}"),
            };
            seen.insert(network);
        }
        assert_eq!(seen.len(), 10, "post {n}: {seen:?}");
        // A cause's kit: no disclosure, its own override for Bluesky.
        let cause = run.page(&format!("causes/c{n}/index.html")).html;
        let curl = format!("{BASE}/causes/c{n}/");
        let bsky = inert::share_hrefs(&cause).into_iter().find(|h| h.starts_with("https://bsky.app/")).unwrap();
        assert_eq!(
            share_link(&bsky).param("text").unwrap(),
            format!("CB {p} #Run {curl}?utm_source=bluesky&utm_medium=social&utm_campaign={}", enc(CAMPAIGN))
        );
        assert_eq!(
            inert::share_messages(&cause),
            vec![
                format!("{p} #Run {curl}"),
                format!("CV {p} #Run {curl}"),
                // Bluesky's own message, shown as a message of its own.
                format!("CB {p} #Run {curl}?utm_source=bluesky&utm_medium=social&utm_campaign={}", enc(CAMPAIGN)),
            ]
        );
    }
}

/// Feeds parse, and carry the payloads as text.
fn check_feeds(run: &Run) {
    let feed = inert::assert_feed_inert("feed.xml", &run.page("feed.xml").html);
    assert_eq!(feed.title().value, TITLE);
    assert_eq!(feed.subtitle().map(|s| s.value.as_str()), Some(DESCRIPTION));
    let titles: BTreeSet<String> = feed.entries().iter().map(|e| e.title().value.clone()).collect();
    let expected: BTreeSet<String> = (0..PAYLOADS.len()).map(post_title).collect();
    assert_eq!(titles, expected);
    for entry in feed.entries() {
        let n: usize = entry.title().value[1..2].parse().unwrap();
        assert_eq!(entry.authors()[0].name(), person_name(n));
        assert!(entry.categories().iter().any(|c| c.term() == PAYLOADS[n]), "{:?}", entry.categories());
        let content = entry.content().and_then(|c| c.value()).expect("the post's HTML");
        assert!(content.contains(&inert_text(PAYLOADS[n])), "post {n}'s body lost its text: {content}");
    }
    for n in 0..PAYLOADS.len() {
        let person = inert::assert_feed_inert("person feed", &run.page(&format!("people/px{n}/feed.xml")).html);
        assert_eq!(person.title().value, format!("{} · {TITLE}", person_name(n)));
    }
    let causes = inert::assert_feed_inert("causes/feed.xml", &run.page("causes/feed.xml").html);
    let titles: BTreeSet<String> = causes.entries().iter().map(|e| e.title().value.clone()).collect();
    assert_eq!(titles, (0..PAYLOADS.len()).map(cause_title).collect());
    for tag in run.files().iter().filter(|f| f.starts_with("tags/") && f.ends_with("feed.xml")) {
        inert::assert_feed_inert(tag, &run.page(tag).html);
    }
}

/// How a payload reads in sanitised HTML text.
fn inert_text(p: &str) -> String {
    p.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Asserts that outside fenced code blocks, every `<` of a Markdown text is escaped, and no
/// Markdown link leads to a dangerous scheme.
fn assert_markdown_inert(md: &str) {
    let mut fenced = false;
    for (i, line) in md.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let b = line.as_bytes();
        for (k, &c) in b.iter().enumerate() {
            if c == b'<' {
                assert!(k > 0 && b[k - 1] == b'\\', "an unescaped `<` on line {}: {line}\n{md}", i + 1);
            }
        }
        for rest in line.split("](").skip(1) {
            let target = rest.split([')', ' ']).next().unwrap_or("");
            assert!(!inert::dangerous_url(target), "a Markdown link to {target:?} on line {}\n{md}", i + 1);
        }
    }
    assert!(!fenced, "an unclosed code fence:\n{md}");
}

fn digest(site: &TestSite, format: &str) -> String {
    let run = site.digest(&["--week", "2026-W47", "--format", format]);
    run.success();
    assert_not_evaluated(&format!("digest --format {format}"), &run.stdout);
    assert!(run.stdout.contains("7*7") || run.stdout.contains("7\\*7"), "{}", run.stdout);
    run.stdout.clone()
}

/// The text format carries the payloads as they are.
fn check_digest_text(site: &TestSite) {
    let text = digest(site, "text");
    for n in 0..PAYLOADS.len() {
        assert!(text.contains(&post_title(n)), "post {n}:\n{text}");
        assert!(text.contains(&format!("By {}", person_name(n))), "person {n}:\n{text}");
        assert!(text.contains(&cause_title(n)), "cause {n}:\n{text}");
    }
}

/// An email has no Content Security Policy and mail programs drop style sheets, so the
/// theme styles the email inline. Those styles are the theme's own fixed text: each is
/// checked to hold nothing that loads or runs (and no content), then removed, so the rest
/// of the message is held to the rules of a page.
fn without_email_styles(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(" style=\"") {
        out.push_str(&rest[..i]);
        let value_start = i + " style=\"".len();
        let end = rest[value_start..].find('"').expect("a closed style attribute") + value_start;
        let value = rest[value_start..end].to_ascii_lowercase();
        for bad in ["url(", "expression", "@import", "javascript", "&", "<", "{{", "\\"] {
            assert!(!value.contains(bad), "an email style holds {bad:?}: {value}");
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The HTML format is inert.
fn check_digest_html(site: &TestSite) {
    let html = digest(site, "html");
    inert::assert_page_inert("digest --format html", &without_email_styles(&html));
    for (n, p) in PAYLOADS.iter().enumerate() {
        if p.contains('<') {
            assert!(!html.contains(&post_title(n)), "post {n} unescaped:\n{html}");
        }
    }
    assert!(html.contains("P7 {{ 7*7 }}"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
}

/// The Markdown format escapes everything outside code fences.
fn check_digest_markdown(site: &TestSite) {
    let md = digest(site, "markdown");
    assert_markdown_inert(&md);
}

/// Titles, names and the site title come out escaped; messages sit in fences they cannot close.
fn check_digest_markdown_titles(site: &TestSite) {
    let md = digest(site, "markdown");
    assert!(md.contains("### [P0 \\<script\\>alert\\(1\\)\\</script\\>]("), "{md}");
    assert!(md.contains("[C6 \\]\\]\\>\\<script\\>alert\\(1\\)\\</script\\>]("), "{md}");
    assert!(md.contains("# Hub \\{\\{ 7\\*7 \\}\\} \\<script\\>"), "{md}");
    // Messages are inside code fences that they cannot close.
    assert!(md.contains("```text\n<script>alert(1)</script> #Energy"), "{md}");
}

#[test]
fn unsafe_html_is_the_only_way_raw_script_gets_through() {
    let body = "---\ntitle: Raw\ndate: 2026-11-20\nauthor: ana\n---\nHello <script>alert('raw')</script>\n\n<script>alert(2)</script>\n\n<img src=x onerror=alert(3) alt=y>\n";
    let by_default = TestSite::fixture("minimal").file("content/posts/raw.md", body).build();
    by_default.success();
    let page = by_default.page("posts/raw/index.html").html;
    inert::assert_page_inert("posts/raw/index.html", &page);
    assert!(!page.contains("<script>alert("), "{page}");
    for f in ["feed.xml", "people/ana/feed.xml"] {
        inert::assert_feed_inert(f, &by_default.page(f).html);
    }
    let explicit_false = TestSite::fixture("minimal")
        .file("chorus.yaml", "title: Minimal Hub\nbase_url: https://hub.example\nunsafe_html: false\n")
        .file("content/posts/raw.md", body)
        .build();
    explicit_false.success();
    inert::assert_page_inert("posts/raw/index.html", &explicit_false.page("posts/raw/index.html").html);

    let allowed = TestSite::fixture("minimal")
        .file("chorus.yaml", "title: Minimal Hub\nbase_url: https://hub.example\nunsafe_html: true\n")
        .file("content/posts/raw.md", body)
        .build();
    allowed.success();
    let page = allowed.page("posts/raw/index.html").html;
    assert!(page.contains("<script>alert(2)</script>"), "unsafe_html: true keeps raw script\n{page}");
    assert!(page.contains("onerror=alert(3)"), "{page}");
    // Only the Markdown body is trusted: the title and other fields stay escaped.
    let escaped = TestSite::fixture("minimal")
        .file("chorus.yaml", "title: Minimal Hub\nbase_url: https://hub.example\nunsafe_html: true\n")
        .file(
            "content/posts/raw.md",
            "---\ntitle: \"<script>alert(4)</script>\"\ndate: 2026-11-20\nauthor: ana\nnote: \"<script>alert(5)</script>\"\n---\nBody\n",
        )
        .build();
    escaped.success();
    inert::assert_page_inert("posts/raw/index.html", &escaped.page("posts/raw/index.html").html);
}

#[test]
fn the_payload_hub_with_unsafe_html_still_escapes_every_field() {
    // With raw HTML trusted, only the bodies may carry script; every other field stays text.
    let run = payload_hub(true).build();
    run.success();
    let post = run.page("posts/p0/index.html").html;
    assert!(post.contains("<script>alert(1)</script>"), "the raw body is kept under unsafe_html");
    assert_eq!(h1(&post), post_title(0));
    assert_eq!(inert::title_of(&post), format!("{} · {TITLE}", post_title(0)));
    for n in 0..PAYLOADS.len() {
        let post = run.page(&format!("posts/p{n}/index.html")).html;
        let lds = inert::json_ld_blocks("post", &post);
        assert_eq!(find_ld(&lds, "Article")["headline"], post_title(n).as_str());
        assert_eq!(h1(&post), post_title(n));
        for href in inert::share_hrefs(&post) {
            inert::share_link(&href);
        }
    }
    inert::parse_feed("feed.xml", &run.page("feed.xml").html);
}

#[test]
fn links_with_dangerous_schemes_are_refused() {
    let site = TestSite::fixture("minimal")
        .file(
            "content/posts/via-js.md",
            "---\ntitle: Via\ndate: 2026-11-20\nauthor: ana\nvia:\n  url: javascript:alert(1)\n  name: X\n---\nB\n",
        )
        .file(
            "content/posts/via-data.md",
            "---\ntitle: Via\ndate: 2026-11-20\nauthor: ana\nvia:\n  url: \"data:text/html,<script>alert(1)</script>\"\n---\nB\n",
        )
        .file("content/posts/via-vb.md", "---\ntitle: Via\ndate: 2026-11-20\nauthor: ana\nvia: {url: \"vbscript:msgbox(1)\"}\n---\nB\n")
        .file("content/posts/via-proto.md", "---\ntitle: Via\ndate: 2026-11-20\nauthor: ana\nvia:\n  url: //evil.example/x\n---\nB\n")
        .file(
            "content/posts/image-js.md",
            "---\ntitle: Img\ndate: 2026-11-20\nauthor: ana\nimage: javascript:alert(1)\nimage_alt: x\n---\nB\n",
        )
        .file("content/posts/hashtags.md", {
            let list: String = PAYLOADS.iter().map(|p| format!("    - {}\n", y(p))).collect();
            format!("---\ntitle: Tags\ndate: 2026-11-20\nauthor: ana\nshare:\n  hashtags:\n{list}---\nB\n")
        })
        .file(
            "content/posts/summary-js.md",
            "---\ntitle: Sum\ndate: 2026-11-20\nauthor: ana\nsummary: \"[x](javascript:alert(1))\"\n---\nB\n",
        )
        .file(
            "content/posts/md-links.md",
            "---\ntitle: Links\ndate: 2026-11-20\nauthor: ana\n---\n\
             [a](javascript:alert(1))\n\
             [b](JaVaScRiPt:alert(1))\n\
             [c](data:text/html,<script>alert(1)</script>)\n\
             [d](vbscript:msgbox(1))\n\
             ![e](javascript:alert(1))\n\
             <javascript:alert(1)>\n\
             [f][ref]\n\
             [g](java&#x09;script:alert(1))\n\
             [h](&#106;avascript:alert(1))\n\
             \n\
             [ref]: javascript:alert(1)\n",
        )
        .file(
            "content/people/mallory.md",
            "---\nname: Mallory\nlinks:\n  website: javascript:alert(1)\n  blog: \"data:text/html,<script>alert(1)</script>\"\n  vb: vbscript:msgbox(1)\n  mail: mailto:m@example.org\navatar: javascript:alert(1)\navatar_alt: x\nconsent: true\n---\nBio [x](javascript:alert(1))\n",
        )
        .file(
            "content/causes/bad.md",
            "---\ntitle: Bad cause\nperson: ana\nstarts: 2026-12-01\nlink: javascript:alert(1)\nlocation:\n  online: \"data:text/html,<script>alert(1)</script>\"\nshare:\n  hashtags: [\"{{ 7*7 }}\"]\n---\n[x](vbscript:msgbox(1))\n",
        )
        .file("content/pages/bad.md", "---\ntitle: Bad page\n---\n[x](javascript:alert(1))\n");
    let run = site.build();
    run.failed_without_output().all_located();
    let js = "links with `javascript:` are not allowed";
    run.error("content/posts/via-js.md:6:", &format!("`via.url`: {js}"));
    run.error("content/posts/via-data.md:6:", "`via.url`: links with `data:` are not allowed");
    run.error("content/posts/via-vb.md:5:", "`via.url`: links with `vbscript:` are not allowed");
    run.error("content/posts/via-proto.md:6:", "`via.url`: `//evil.example/x` leaves out `https:`");
    run.error("content/posts/image-js.md:5:", &format!("`image`: {js}"));
    for (i, p) in PAYLOADS.iter().enumerate() {
        run.error(&format!("content/posts/hashtags.md:{}:", 7 + i), &format!("`{p}` is not a hashtag"));
    }
    run.error("content/posts/summary-js.md:5:", &format!("in `summary`: {js}"));
    let md = "content/posts/md-links.md";
    run.error(&format!("{md}:6:"), js);
    run.error(&format!("{md}:7:"), "links with `JaVaScRiPt:` are not allowed");
    run.error(&format!("{md}:8:"), "links with `data:` are not allowed");
    run.error(&format!("{md}:9:"), "links with `vbscript:` are not allowed");
    run.error(&format!("{md}:10:"), js);
    run.error(&format!("{md}:11:"), js);
    run.error(&format!("{md}:12:"), js);
    run.error(&format!("{md}:13:"), "contains spaces or control characters");
    run.error(&format!("{md}:14:"), js);
    let m = "content/people/mallory.md";
    run.error(&format!("{m}:4:"), &format!("`links.website`: {js}"));
    run.error(&format!("{m}:5:"), "`links.blog`: links with `data:` are not allowed");
    run.error(&format!("{m}:6:"), "`links.vb`: links with `vbscript:` are not allowed");
    run.error(&format!("{m}:7:"), "`links.mail` is an email address, and those are never published");
    run.error(&format!("{m}:8:"), &format!("`avatar`: {js}"));
    run.error(&format!("{m}:12:"), js);
    run.error("content/causes/bad.md:5:", &format!("`link`: {js}"));
    run.error("content/causes/bad.md:7:", "`location.online`: links with `data:` are not allowed");
    run.error("content/causes/bad.md:9:", "`{{ 7*7 }}` is not a hashtag");
    run.error("content/causes/bad.md:11:", "links with `vbscript:` are not allowed");
    run.error("content/pages/bad.md:4:", js);
}

#[test]
fn heading_attributes_cannot_add_event_handlers() {
    let run = TestSite::fixture("minimal")
        .file(
            "content/posts/attrs.md",
            "---\ntitle: Attrs\ndate: 2026-11-20\nauthor: ana\n---\n# Heading {#h .c onclick=alert(1)}\n\n## Two {onmouseover=\"alert(1)\" style=\"color:red\"}\n",
        )
        .build();
    if run.code == Some(1) {
        run.error("content/posts/attrs.md:6:", "");
        return;
    }
    run.success();
    let page = run.page("posts/attrs/index.html").html;
    inert::assert_page_inert("posts/attrs/index.html", &page);
    inert::assert_feed_inert("feed.xml", &run.page("feed.xml").html);
}

#[test]
fn check_output_formats_cannot_be_forged_by_content() {
    // A key holding a line break and a workflow command; a file name holding `,` and `::`.
    let forged = "x\n::error file=README.md::forged";
    let site = TestSite::fixture("minimal")
        .file(
            "content/posts/forge.md",
            format!("---\ntitle: Forge\ndate: 2026-11-20\nauthor: ana\n{}: 1\n---\nBody\n", y(forged)),
        )
        .file("content/posts/a,line=1::b.md", "---\ntitle: Name\ndate: 2026-11-20\nauthor: ana\ntitel: 1\n---\nBody\n");
    let json = site.check_json(&[]);
    json.failure();
    let list = json.diagnostics();
    assert!(list.iter().any(|d| d.message == format!("unknown key `{forged}`")), "{list:?}");
    assert!(list.iter().any(|d| d.file == "content/posts/a,line=1::b.md"), "{list:?}");
    let github = site.check(&["--format", "github"]);
    github.failure();
    let commands: Vec<&str> = github.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(commands.len(), list.len(), "one workflow command per diagnostic, no forged ones:\n{}", github.stdout);
    for c in &commands {
        assert!(c.starts_with("::error file=content/posts/") || c.starts_with("::warning file=content/posts/"), "{c}");
        // The properties end at the first `::`: nothing of the file name may end them early.
        let props = &c[2..2 + c[2..].find("::").unwrap()];
        assert!(props.contains(",line=") && props.contains(",title="), "{c}");
    }
    assert!(github.stdout.contains("file=content/posts/a%2Cline=1%3A%3Ab.md,"), "{}", github.stdout);
    assert!(!github.stdout.contains("\n::error file=README.md"), "{}", github.stdout);
}
