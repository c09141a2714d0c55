//! `external_media: refuse | link`: by default an image or media element from another
//! website is an error whose hint names the option; with `link` it becomes a plain link to
//! it, labelled with its alt text or title, and the page loads nothing from elsewhere.

use crate::common::{attribute, TestSite};

const BODY: &str = "Our chart:\n\n<img src=\"https://cdn.example.com/chart.png\" alt=\"Output in February\">\n\n\
And in Markdown: ![The roof](https://www.photos.example/roof.jpg \"Roof\").\n\n\
<video src=\"https://media.example/tour.mp4\" title=\"A tour\" controls></video>\n\n\
<p><img alt=\"Local\" src=\"/local.svg\"></p>\n";

fn hub(setting: &str) -> TestSite {
    TestSite::fixture("minimal")
        .file("chorus.yaml", format!("title: Minimal Hub\nbase_url: https://hub.example\n{setting}"))
        .file("static/local.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"4\"/>")
        .file(
            "content/posts/2026-11-06-media.md",
            format!("---\ntitle: Media\ndate: 2026-11-06\nauthor: ana\n---\n{BODY}"),
        )
}

/// Every URL in `html` that the browser would load by itself (not links people follow).
fn loaded_urls(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for (i, _) in html.match_indices('<') {
        let Some(end) = html[i..].find('>') else { continue };
        let tag = &html[i..i + end + 1];
        let name: String =
            tag[1..].chars().take_while(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
        for attr in ["src", "poster", "data", "srcset"] {
            urls.extend(attribute(tag, attr));
        }
        // A `<link>` loads what it names only as a style sheet, icon, preload or manifest.
        let rel = attribute(tag, "rel").unwrap_or_default().to_ascii_lowercase();
        if name == "link"
            && ["stylesheet", "icon", "preload", "modulepreload", "manifest"].iter().any(|r| rel.contains(r))
        {
            urls.extend(attribute(tag, "href"));
        }
    }
    urls
}

#[test]
fn with_link_external_media_become_links_and_the_page_loads_nothing_from_elsewhere() {
    let run = hub("external_media: link\n").build();
    run.success();
    assert!(run.diagnostics().is_empty(), "{:#?}", run.diagnostics());
    let page = run.page("posts/media/index.html");
    page.has("<a class=\"external-media\" href=\"https://cdn.example.com/chart.png\" rel=\"noopener noreferrer\">Image: Output in February (on cdn.example.com)</a>")
        .has(">Image: The roof (on photos.example)</a>")
        .has(">Video: A tour (on media.example)</a>")
        .has("<img alt=\"Local\" src=\"/local.svg\"");
    let loaded = loaded_urls(&page.html);
    assert!(!loaded.is_empty());
    for url in loaded {
        assert!(url.starts_with('/') && !url.starts_with("//"), "the page loads {url} from elsewhere");
    }
    page.assert_links_to("https://www.photos.example/roof.jpg");
}

#[test]
fn by_default_external_media_are_refused_with_a_hint_naming_the_option() {
    for setting in ["", "external_media: refuse\n"] {
        let run = hub(setting).check_json(&[]);
        run.failure();
        for at in [
            "content/posts/2026-11-06-media.md:8:1",
            "content/posts/2026-11-06-media.md:10:18",
            "content/posts/2026-11-06-media.md:12:1",
        ] {
            let d = run.diag_at(at);
            assert_eq!(d.code, "external-image");
            assert!(
                d.hint
                    .as_deref()
                    .unwrap()
                    .ends_with("or set `external_media: link` in chorus.yaml to show a link to it instead"),
                "{d:?}"
            );
        }
    }
}

#[test]
fn an_unknown_setting_is_a_config_error_at_its_place() {
    let run = hub("external_media: allow\n").check_json(&[]);
    run.failure();
    let d = run.diag_at("chorus.yaml:3:17");
    assert_eq!(d.message, "`external_media` cannot be `allow`");
    assert_eq!(d.code, "bad-value");
}
