//! The demo post's social card, as a browser shows it: the page names it as `og:image`
//! (1200×630, with its alt text), and the PNG loads and decodes at that size from the site.

use serde::Deserialize;

use crate::harness::{Env, Js};

#[derive(Deserialize, Debug)]
struct Card {
    og: String,
    width: String,
    height: String,
    alt: String,
    /// The card loaded in an `<img>`: (complete, naturalWidth, naturalHeight).
    loaded: (bool, u32, u32),
}

#[test]
fn the_demo_post_shows_its_social_card() {
    let Some(env) = Env::start() else { return };
    let page = env.page(Js::Enabled);
    page.goto("/posts/testing-the-portal-with-a-screen-reader/");
    page.eval::<bool>(
        r#"(() => {
          const og = document.querySelector('meta[property="og:image"]').content;
          const img = document.createElement("img");
          img.id = "card-under-test";
          img.src = new URL(og).pathname;
          document.body.prepend(img);
          return true;
        })()"#,
    );
    page.wait_for("the card to load", || {
        page.eval::<bool>(r#"(() => { const i = document.getElementById("card-under-test"); return i.complete && i.naturalWidth > 0; })()"#)
    });
    let card: Card = page.eval(
        r#"(() => {
          const m = p => document.querySelector(`meta[property="${p}"]`).content;
          const i = document.getElementById("card-under-test");
          return { og: m("og:image"), width: m("og:image:width"), height: m("og:image:height"),
                   alt: m("og:image:alt"), loaded: [i.complete, i.naturalWidth, i.naturalHeight] };
        })()"#,
    );
    assert!(
        card.og.starts_with("https://voices.tidewell.example/social/posts/testing-the-portal-with-a-screen-reader."),
        "{card:?}"
    );
    assert_eq!((card.width.as_str(), card.height.as_str()), ("1200", "630"), "{card:?}");
    assert!(card.alt.starts_with("“How we test the member portal with a screen reader” by "), "{card:?}");
    assert_eq!(card.loaded, (true, 1200, 630), "{card:?}");
}
