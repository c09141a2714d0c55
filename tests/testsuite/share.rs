//! Share kits as rendered (DESIGN §5): every intent link of a page is decoded and compared
//! with the message it should carry; buttons follow `share.networks`, the author's
//! `networks` and the config; UTM tags; diagnostics for bad share input; no email address
//! is ever published.

use crate::common::{attribute, split_query, unescape, Page, Run, TestSite};

/// The share buttons of a page, in order: (network id, intent link).
fn buttons(page: &Page) -> Vec<(String, String)> {
    page.html
        .split("<li class=\"share-network share-")
        .skip(1)
        .map(|item| {
            let id = &item[..item.find('"').expect("a closed class")];
            let a = &item[item.find("<a ").unwrap_or_else(|| panic!("{}: no link for {id}", page.path))..];
            let href = attribute(&a[..a.find('>').expect("a closed tag")], "href").expect("an href");
            (id.to_string(), href)
        })
        .collect()
}

fn ids(page: &Page) -> Vec<String> {
    buttons(page).into_iter().map(|(id, _)| id).collect()
}

/// The suggested messages of a page's kit (the copy-text boxes), unescaped.
fn messages(page: &Page) -> Vec<String> {
    page.html
        .split("<textarea ")
        .skip(1)
        .map(|t| unescape(&t[t.find('>').unwrap() + 1..t.find("</textarea>").expect("a closed textarea")]))
        .collect()
}

const ALL_NETWORKS: &str = "[linkedin, x, bluesky, mastodon, threads, facebook, reddit, whatsapp, telegram, email]";

/// A hub with every network, a disclosure, people with `git_email`, a post whose share text
/// has everything that needs encoding, and a cause.
fn hub() -> TestSite {
    TestSite::fixture("minimal")
        .file(
            "chorus.yaml",
            format!("title: Share Hub\nbase_url: https://hub.example\ndisclosure: \"#HubEmployee\"\nnetworks: {ALL_NETWORKS}\n"),
        )
        .file("content/people/ana.md", "---\nname: Ana Lima\nconsent: true\ngit_email: ana.lima@hub.example\n---\nAna.\n")
        .file(
            "content/people/benjamin.md",
            "---\nname: Benjamin Okoro\nconsent: true\ngit_email: Benjamin.Okoro@hub.example\n---\nBen.\n",
        )
        .file(
            "content/posts/2026-11-05-mixed.md",
            "---\ntitle: 'Sun & wind: \"our\" roof'\ndate: 2026-11-05\nauthor: ana\nshare:\n  \
             text: \"Tom said \\\"it's 100% done\\\" & ready: #solar + wind\\nСолнце и ветер, 日本語 🌞👩‍🔧\"\n  \
             hashtags: [CleanEnergy, solar]\n---\nBody.\n",
        )
        .file(
            "content/causes/river-run.md",
            "---\ntitle: River run & swim\nperson: benjamin\nstarts: 2026-12-01\nshare:\n  \
             text: \"I'm running 10 km for the river trust!\"\n  hashtags: [RiverRun]\n---\nA run.\n",
        )
}

const PERMALINK: &str = "https://hub.example/posts/mixed/";
const TITLE: &str = "Sun & wind: \"our\" roof";
/// `share.text` as written, after YAML.
const TEXT: &str = "Tom said \"it's 100% done\" & ready: #solar + wind\nСолнце и ветер, 日本語 🌞👩‍🔧";

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn every_intent_link_carries_the_message_exactly() {
    let run = hub().build();
    run.success();
    let page = run.page("posts/mixed/index.html");
    // `#solar` is in the text already; the disclosure goes last.
    let body = format!("{TEXT} #CleanEnergy #HubEmployee");
    let with_link = format!("{body} {PERMALINK}");
    let expected = [
        ("linkedin", "https://www.linkedin.com/sharing/share-offsite/", pairs(&[("url", PERMALINK)])),
        (
            "x",
            "https://x.com/intent/tweet",
            pairs(&[("text", &format!("{TEXT} #HubEmployee")), ("url", PERMALINK), ("hashtags", "CleanEnergy")]),
        ),
        ("bluesky", "https://bsky.app/intent/compose", pairs(&[("text", &with_link)])),
        ("mastodon", "https://share.joinmastodon.org/", pairs(&[("text", &with_link)])),
        ("threads", "https://www.threads.com/intent/post", pairs(&[("text", &body), ("url", PERMALINK)])),
        ("facebook", "https://www.facebook.com/sharer/sharer.php", pairs(&[("u", PERMALINK)])),
        ("reddit", "https://www.reddit.com/submit", pairs(&[("url", PERMALINK), ("title", TITLE)])),
        ("whatsapp", "https://wa.me/", pairs(&[("text", &with_link)])),
        ("telegram", "https://t.me/share/url", pairs(&[("url", PERMALINK), ("text", &body)])),
        (
            "email",
            "mailto:",
            pairs(&[("subject", TITLE), ("body", &format!("{body}\n\n{PERMALINK}").replace('\n', "\r\n"))]),
        ),
    ];
    let found = buttons(&page);
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for ((id, href), (want_id, address, params)) in found.iter().zip(expected) {
        assert_eq!(id, want_id);
        // Every value is percent-encoded: nothing but ASCII, no space, no `+` for a space.
        assert!(href.is_ascii() && !href.contains([' ', '\n', '+']), "{id}: {href}");
        assert_eq!(split_query(href), (address.to_string(), params), "{id}: {href}");
    }
    let email = &found[9].1;
    assert!(email.starts_with("mailto:?subject=Sun%20%26%20wind%3A%20%22our%22%20roof&body=Tom%20said%20"), "{email}");
    assert!(
        email.contains("%20wind%0D%0A%D0%A1")
            && email.ends_with("%0D%0A%0D%0Ahttps%3A%2F%2Fhub.example%2Fposts%2Fmixed%2F"),
        "{email}"
    );
    // The copy text is the same message.
    assert_eq!(messages(&page), [with_link]);
}

#[test]
fn a_causes_kit_carries_no_disclosure() {
    let run = hub().build();
    run.success();
    let page = run.page("causes/river-run/index.html");
    page.lacks("HubEmployee");
    let text = "I'm running 10 km for the river trust! #RiverRun https://hub.example/causes/river-run/";
    assert_eq!(messages(&page), [text]);
    let found = buttons(&page);
    assert_eq!(found.len(), 10);
    let bluesky = found.iter().find(|(id, _)| id == "bluesky").unwrap();
    assert_eq!(split_query(&bluesky.1), ("https://bsky.app/intent/compose".into(), pairs(&[("text", text)])));
    let x = found.iter().find(|(id, _)| id == "x").unwrap();
    assert_eq!(
        split_query(&x.1).1,
        pairs(&[
            ("text", "I'm running 10 km for the river trust!"),
            ("url", "https://hub.example/causes/river-run/"),
            ("hashtags", "RiverRun")
        ])
    );
}

#[test]
fn no_email_address_is_published() {
    let run = hub().build();
    run.success();
    for file in run.files() {
        let text = String::from_utf8_lossy(&run.bytes(&file)).to_lowercase();
        for email in ["ana.lima@hub.example", "benjamin.okoro@hub.example", "@hub.example"] {
            assert!(!text.contains(email), "{file} publishes {email}");
        }
        // Share-by-email links name no recipient.
        for (i, _) in text.match_indices("mailto:") {
            assert!(text[i..].starts_with("mailto:?"), "{file}: {}", &text[i..(i + 40).min(text.len())]);
        }
    }
}

/// Config order linkedin, x, email, bluesky; Benjamin likes whatsapp (not offered by the
/// hub), email and x.
fn ordered_hub() -> TestSite {
    TestSite::fixture("minimal")
        .file("chorus.yaml", "title: Share Hub\nbase_url: https://hub.example\nnetworks: [linkedin, x, email, bluesky]\n")
        .file("content/people/benjamin.md", "---\nname: Benjamin Okoro\nconsent: true\nnetworks: [whatsapp, email, x]\n---\nBen.\n")
        .file("content/posts/ben.md", "---\ntitle: Ben's post\ndate: 2026-11-07\nauthor: benjamin\n---\nBen body.\n")
        .file(
            "content/posts/two.md",
            "---\ntitle: Only two\ndate: 2026-11-08\nauthor: benjamin\nshare:\n  networks: [email, threads]\n---\nTwo.\n",
        )
        .file("content/posts/ben-first.md", "---\ntitle: Ben first\ndate: 2026-11-09\nauthors: [benjamin, ana]\n---\nB.\n")
        .file("content/posts/ana-first.md", "---\ntitle: Ana first\ndate: 2026-11-10\nauthors: [ana, benjamin]\n---\nA.\n")
        .file("content/causes/ben-run.md", "---\ntitle: Ben's run\nperson: benjamin\nstarts: 2026-12-01\n---\nRun.\n")
}

#[test]
fn buttons_follow_share_networks_then_the_authors_networks_then_the_config() {
    let run = ordered_hub().build();
    run.success();
    let order = |rel: &str| ids(&run.page(rel));
    // `share.networks` chooses and orders the buttons.
    assert_eq!(order("posts/two/index.html"), ["email", "threads"]);
    // The (first) author's networks come first, among those the hub offers.
    assert_eq!(order("posts/ben/index.html"), ["email", "x", "linkedin", "bluesky"]);
    assert_eq!(order("posts/ben-first/index.html"), ["email", "x", "linkedin", "bluesky"]);
    assert_eq!(order("causes/ben-run/index.html"), ["email", "x", "linkedin", "bluesky"]);
    // Otherwise the config's order.
    assert_eq!(order("posts/ana-first/index.html"), ["linkedin", "x", "email", "bluesky"]);
    assert_eq!(order("posts/welcome/index.html"), ["linkedin", "x", "email", "bluesky"]);
    // Buttons are plain links (they work without JavaScript).
    let page = run.page("posts/two/index.html");
    page.has("<a class=\"share-link\" href=\"mailto:?subject=Only%20two&amp;body=");
    assert!(
        buttons(&page)[1].1.starts_with("https://www.threads.com/intent/post?text=Two.&url="),
        "{:?}",
        buttons(&page)
    );
}

/// The link inside the message or `url` parameter of an intent link.
fn shared_link(network: &str, href: &str) -> String {
    let (_, params) = split_query(href);
    let get = |k: &str| params.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    match network {
        "linkedin" | "x" | "threads" | "reddit" | "telegram" => get("url").unwrap(),
        "facebook" => get("u").unwrap(),
        "email" => get("body").unwrap().rsplit("\r\n").next().unwrap().to_string(),
        _ => get("text").unwrap().rsplit(' ').next().unwrap().to_string(),
    }
}

fn utm_build(utm: &str) -> Run {
    let run = TestSite::fixture("minimal")
        .file(
            "chorus.yaml",
            format!("title: Minimal Hub\nbase_url: https://hub.example\nnetworks: {ALL_NETWORKS}\nutm:\n{utm}"),
        )
        .build();
    run.success();
    run
}

#[test]
fn utm_tags_the_shared_links_and_nothing_else() {
    let run = utm_build("  campaign: advocacy week\n");
    let page = run.page("posts/welcome/index.html");
    let found = buttons(&page);
    assert_eq!(found.len(), 10);
    for (id, href) in &found {
        assert_eq!(
            shared_link(id, href),
            format!(
                "https://hub.example/posts/welcome/?utm_source={id}&utm_medium=social&utm_campaign=advocacy%20week"
            ),
            "{id}: {href}"
        );
    }
    // Without a source there is nothing to tag the copy text with; the page's own address
    // is never tagged.
    assert_eq!(messages(&page), ["Welcome to the hub. https://hub.example/posts/welcome/"]);
    page.has("<link rel=\"canonical\" href=\"https://hub.example/posts/welcome/\">");
    // Each button's link, and the same link in its `data-url` for the script that rewrites
    // the link from an edited message.
    assert_eq!(page.count("utm_"), 60, "three tags twice on each of the ten buttons, nowhere else");

    // With a source, it is the same everywhere, copy text included.
    let run = utm_build("  source: hub\n  medium: employee\n  campaign: q4\n");
    let page = run.page("posts/welcome/index.html");
    let tagged = "https://hub.example/posts/welcome/?utm_source=hub&utm_medium=employee&utm_campaign=q4";
    for (id, href) in buttons(&page) {
        assert_eq!(shared_link(&id, &href), tagged, "{id}: {href}");
    }
    assert_eq!(messages(&page), [format!("Welcome to the hub. {tagged}")]);
}

#[test]
fn bad_share_input_is_reported_where_it_is() {
    let run = TestSite::fixture("minimal")
        .file(
            "content/posts/2026-11-06-bad.md",
            "---\ntitle: Bad share\ndate: 2026-11-06\nauthor: ana\nvia: {name: Example News}\nshare:\n  text: Fine text here.\n  \
             variants:\n    - A good one.\n    - \"\"\n  networks: [email, mastodn]\n---\nBody.\n",
        )
        .file(
            "content/causes/run.md",
            "---\ntitle: River run\nperson: benjamin\nstarts: 2026-12-01\nimage: /run.png\nshare:\n  networks: [blusky]\n---\nA run.\n",
        )
        .file(
            "content/people/benjamin.md",
            "---\nname: Benjamin Okoro\nconsent: true\nnetworks: [whatsap, x]\nlinks:\n  email: mailto:ben@example.org\n---\nB.\n",
        )
        .build();
    run.failure().stderr_has("The build failed; nothing was published.\n").assert_counts(7, 0, 3);
    let found: Vec<(String, String, Option<String>)> =
        run.diagnostics().into_iter().map(|d| (d.location(), d.message, d.hint)).collect();
    let expected = [
        (
            "content/causes/run.md:5:8",
            "`image` has no `image_alt`",
            "add `image_alt: …` describing the image for people who cannot see it",
        ),
        ("content/causes/run.md:7:14", "unknown network `blusky`", "did you mean `bluesky`?"),
        ("content/people/benjamin.md:4:12", "unknown network `whatsap`", "did you mean `whatsapp`?"),
        (
            "content/people/benjamin.md:6:10",
            "`links.email` is an email address, and those are never published",
            "link a profile or website instead",
        ),
        (
            "content/posts/2026-11-06-bad.md:5:1",
            "missing required key `via.url`",
            "add `url: https://…`, the address of the original",
        ),
        (
            "content/posts/2026-11-06-bad.md:10:7",
            "this suggested message is empty",
            "write a message, or remove the empty item from `share.variants`",
        ),
        ("content/posts/2026-11-06-bad.md:11:21", "unknown network `mastodn`", "did you mean `mastodon`?"),
    ];
    let expected: Vec<(String, String, Option<String>)> =
        expected.iter().map(|(l, m, h)| (l.to_string(), m.to_string(), Some(h.to_string()))).collect();
    assert_eq!(found, expected, "{run:?}");
    let empty = run.printed_at("content/posts/2026-11-06-bad.md:10:7");
    assert_eq!(empty.snippet, Some(("    - \"\"".into(), "      ^^".into())));
    run.assert_absent("index.html");
}

#[test]
fn a_network_far_from_any_lists_them_all() {
    let run = TestSite::fixture("minimal")
        .file(
            "content/posts/net.md",
            "---\ntitle: Net\ndate: 2026-11-03\nauthor: ana\nshare:\n  networks: [myspace]\n---\nB.\n",
        )
        .build();
    run.failure();
    let d = run.diag_at("content/posts/net.md:6:14");
    assert_eq!(d.message, "unknown network `myspace`");
    assert_eq!(
        d.hint.as_deref(),
        Some("the networks are linkedin, x, bluesky, mastodon, threads, facebook, reddit, whatsapp, telegram, email")
    );
}

#[test]
fn a_disclosure_already_in_the_text_in_another_case_is_not_repeated() {
    let run = TestSite::fixture("minimal")
        .file("chorus.yaml", "title: Minimal Hub\nbase_url: https://hub.example\ndisclosure: \"#HubEmployee\"\nnetworks: [bluesky]\n")
        .file(
            "content/posts/case.md",
            "---\ntitle: Case\ndate: 2026-11-09\nauthor: ana\nshare:\n  text: \"Proud to be a #hubemployee today\"\n---\nB.\n",
        )
        .build();
    run.success();
    assert_eq!(
        messages(&run.page("posts/case/index.html")),
        ["Proud to be a #hubemployee today https://hub.example/posts/case/"]
    );
}
