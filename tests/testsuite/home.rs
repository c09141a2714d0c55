//! The default theme's home page and cards, as the demo builds them: causes first with their
//! images, posts as cards with their authors' avatars, one `h1` that is not the site title
//! again, excerpts that end at a sentence or a word, and cause times with their zone.

use crate::common::{unescape, TestSite};

/// The text of every `<p class="card-summary">` on a page.
fn summaries(html: &str) -> Vec<String> {
    html.split("<p class=\"card-summary\">")
        .skip(1)
        .map(|rest| unescape(&rest[..rest.find("</p>").expect("closed")]))
        .collect()
}

/// An excerpt ends with a whole sentence, or a whole word and "…": never inside a word.
/// Returns whether the cut could be checked against `sources` (the content files).
fn assert_clean_end(summary: &str, sources: &str) -> bool {
    let Some(kept) = summary.strip_suffix('…') else { return false };
    let kept = kept.trim_end_matches('\u{a0}');
    let last = kept.chars().last().expect("text before the ellipsis");
    assert!(last.is_alphanumeric() || ".!?”’)\"".contains(last), "ends on {last:?}: {summary:?}");
    // Where the kept text's end is in a source file, the next character starts no word part.
    let tail: String = kept.chars().rev().take(16).collect::<Vec<_>>().into_iter().rev().collect();
    let Some(at) = sources.find(&tail) else { return false };
    let next = sources[at + tail.len()..].chars().next();
    assert!(
        next.is_none_or(|c| !(c.is_alphanumeric() || c == '-' || c == '\'')),
        "cut inside a word: {summary:?} (next {next:?})"
    );
    true
}

#[test]
fn the_home_page_shows_causes_with_images_then_posts_with_their_people() {
    let site = TestSite::demo();
    let run = site.build();
    run.success();
    let home = run.page("index.html");
    let html = &home.html;

    assert_eq!(home.count("<h1"), 1, "one h1");
    assert!(
        !html.contains("<h1 class=\"home-title\">Tidewell Voices</h1>"),
        "the site title is not repeated as the h1"
    );
    home.has("<h1 class=\"home-title\">People at Tidewell, who build software");

    let causes = html.find("What our people care about").expect("a causes section");
    let posts = html.find("Latest posts").expect("a posts section");
    assert!(causes < posts, "causes come first");
    let cause_part = &html[causes..posts];
    assert!(cause_part.matches("<article class=\"card cause-card").count() <= 3, "three causes at most");
    assert!(cause_part.contains("<img class=\"card-image\" src=\"/images/causes/"), "causes show their images");
    for tag in cause_part.split("<img class=\"card-image\"").skip(1).map(|rest| &rest[..rest.find('>').expect(">")]) {
        assert!(!tag.contains("loading=\"lazy\""), "the first screen's images load at once: {tag}");
    }
    assert!(cause_part.contains("Sun 6 December 2026, 09:30–13:00 (UTC)"), "a cause with a time shows it and its zone");

    let post_part = &html[posts..];
    assert!(post_part.contains("<img class=\"avatar\" src=\"/images/people/"), "post cards show their authors");
    // The post's own image, as published: a content-hashed file with its WebP variants.
    assert!(post_part.contains("<img class=\"card-image\" src=\"/posts/larkford-school-roof-one-year-on/cover."));
    assert!(post_part.contains(" srcset=\"/posts/larkford-school-roof-one-year-on/cover."));

    let people = run.page("people/index.html");
    let causes_page = run.page("causes/index.html");
    let root = site.root();
    let sources: String = ["content/posts", "content/people", "content/causes"]
        .iter()
        .flat_map(|dir| crate::common::files_under(&root.join(dir)).into_iter().map(move |f| root.join(dir).join(f)))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| std::fs::read_to_string(p).expect("a content file").split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n");
    let mut checked = 0;
    for page in [&home, &people, &causes_page] {
        let found = summaries(&page.html);
        assert!(!found.is_empty(), "{} has card summaries", page.path);
        checked += found.iter().filter(|s| assert_clean_end(s, &sources)).count();
    }
    // Some of them were shortened and checked against their source.
    assert!(checked >= 3, "{checked} shortened excerpts checked");
}
