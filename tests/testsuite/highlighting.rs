//! Code blocks: the languages staff write are highlighted, an unknown language is a warning
//! with the name probably meant, blocks can be reached with the keyboard, and every colour of
//! the generated `highlight.css` reads at WCAG AA against its scheme's code background.

use crate::common::TestSite;

fn post(body: &str) -> String {
    format!("---\ntitle: Code\ndate: 2026-11-03\nauthor: ana\n---\n{body}")
}

#[test]
fn typescript_toml_dockerfile_and_terraform_are_highlighted() {
    let body = "```ts\nconst n: number = 1;\n```\n\n```toml\n[package]\nname = \"x\"\n```\n\n\
                ```dockerfile\nFROM debian:13\nRUN apt-get update\n```\n\n```tf\nresource \"a\" \"b\" {}\n```\n\n\
                ```kotlin\nfun main() = println(\"hi\")\n```\n\n```swift\nlet x = 1\n```\n\n```yml\na: 1\n```\n\n\
                ```sh\necho hi\n```\n";
    let run = TestSite::fixture("minimal").file("content/posts/code.md", post(body)).build();
    run.success();
    let page = run.page("posts/code/index.html");
    for (lang, scope) in [
        ("ts", "hl-source hl-ts"),
        ("toml", "hl-source hl-toml"),
        ("dockerfile", "hl-source hl-dockerfile"),
        ("tf", "hl-source hl-terraform"),
        ("kotlin", "hl-source hl-Kotlin"),
        ("swift", "hl-source hl-swift"),
        ("yml", "hl-source hl-yaml"),
        ("sh", "hl-source hl-shell"),
    ] {
        page.has(&format!(
            r#"<pre class="code" tabindex="0" data-lang="{lang}"><code class="language-{lang}"><span class="{scope}"#
        ));
    }
    run.assert_counts(0, 0, 0);
}

#[test]
fn an_unknown_language_is_a_warning_at_the_fence() {
    let run = TestSite::fixture("minimal")
        .file("content/posts/code.md", post("Intro.\n\n```pyhton\nprint(1)\n```\n\n```text\nplain\n```\n"))
        .build();
    run.success();
    let d = run.diag_at("content/posts/code.md:8:4");
    assert_eq!(d.code, "unknown-language");
    assert_eq!(
        d.message,
        "the code language `pyhton` is not one Chorus highlights, so this block is shown as plain text"
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `python`? (write `text` for a block that is not code)"));
    assert_eq!(run.printed_at("content/posts/code.md:8:4").snippet, Some(("```pyhton".into(), "   ^^^^^^".into())));
    // `text` asks for no highlighting: no warning.
    run.assert_counts(0, 1, 1);
    run.page("posts/code/index.html").has(
        "<pre class=\"code\" tabindex=\"0\" data-lang=\"text\"><code class=\"language-text\">plain\n</code></pre>",
    );
}

/// `(scheme, code background, [(selector, colour)])` read back from a generated stylesheet.
/// A colour as `(r, g, b)`.
type Rgb = (u8, u8, u8);
/// A scheme's name, its code background, and every `(selector, colour)` in it.
type Scheme = (String, Rgb, Vec<(String, Rgb)>);

fn schemes(css: &str) -> Vec<Scheme> {
    let hex = |v: &str| {
        let v = v.trim().trim_end_matches(';').trim().trim_start_matches('#');
        assert_eq!(v.len(), 6, "{v}");
        let c = |i: usize| u8::from_str_radix(&v[i..i + 2], 16).unwrap();
        (c(0), c(2), c(4))
    };
    css.split("@media (prefers-color-scheme: ")
        .skip(1)
        .map(|block| {
            let name = block[..block.find(')').unwrap()].to_string();
            let (mut background, mut colours, mut selector) = (None, Vec::new(), String::new());
            for line in block.lines().skip(1).map(str::trim) {
                if let Some(sel) = line.strip_suffix('{') {
                    selector = sel.trim().to_string();
                } else if let Some(v) = line.strip_prefix("background-color:") {
                    assert_eq!(selector, "pre.code", "{line}");
                    background = Some(hex(v));
                } else if let Some(v) = line.strip_prefix("color:") {
                    colours.push((selector.clone(), hex(v)));
                }
            }
            (name, background.expect("a code background"), colours)
        })
        .collect()
}

/// WCAG 2's contrast ratio.
fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let lum = |(r, g, b): (u8, u8, u8)| {
        let ch = |v: u8| {
            let s = f64::from(v) / 255.0;
            if s <= 0.04045 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn every_colour_of_the_published_stylesheet_meets_wcag_aa_in_both_schemes() {
    for config in ["", "highlight:\n  light: Solarized (light)\n  dark: base16-eighties.dark\n"] {
        let site = TestSite::fixture("minimal");
        let chorus_yaml = std::fs::read_to_string(site.root().join("chorus.yaml")).unwrap();
        let run = site.file("chorus.yaml", format!("{chorus_yaml}{config}")).build();
        run.success();
        let css = run.page("highlight.css").html;
        let found = schemes(&css);
        assert_eq!(found.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(), ["light", "dark"], "{css}");
        // Nothing outside the two schemes, so no light rule applies in dark mode.
        assert!(!css[..css.find("@media").unwrap()].contains('{'), "{css}");
        for (scheme, background, colours) in found {
            assert!(colours.len() > 10, "{scheme}: {colours:?}");
            for (selector, colour) in colours {
                let ratio = contrast(colour, background);
                assert!(ratio >= 4.5, "{config:?} {scheme}: `{selector}` {colour:?} on {background:?} is {ratio:.2}:1");
            }
        }
    }
}
