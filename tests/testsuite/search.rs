//! The search index under `search/`: what it holds (only what the listings show), that it
//! is byte-identical between builds, that it is cut into shards a query fetches alone, and
//! that `serve` brings it up to date after an edit in place.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{snapshot, Entry, TestSite, NOW};

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every document of the index: (kind, url, title).
fn documents(out: &Path) -> Vec<(String, String, String)> {
    let manifest = json(&out.join("search/index.json"));
    let count = manifest["docs"].as_u64().unwrap() as usize;
    let per = manifest["per_chunk"].as_u64().unwrap() as usize;
    let mut docs = Vec::new();
    for n in 0..count.div_ceil(per) {
        for d in json(&out.join(format!("search/d/{n}.json"))).as_array().unwrap() {
            let s = |k: &str| d[k].as_str().unwrap_or("").to_string();
            docs.push((s("kind"), s("url"), s("title")));
        }
    }
    assert_eq!(docs.len(), count);
    docs
}

/// A term's documents, from its groups by weight (`[[weight, "documents"], …]`, the
/// documents as differences in base64url varints), the heaviest first.
fn postings(groups: &Value) -> Vec<u64> {
    let digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut docs = Vec::new();
    let mut weights = Vec::new();
    for group in groups.as_array().unwrap() {
        weights.push(group[0].as_u64().unwrap());
        let (mut doc, mut value, mut shift) = (0, 0, 0);
        for ch in group[1].as_str().unwrap().chars() {
            let c = digits.find(ch).unwrap() as u64;
            value |= (c & 31) << shift;
            if c < 32 {
                doc += value;
                docs.push(doc);
                (value, shift) = (0, 0);
            } else {
                shift += 5;
            }
        }
    }
    assert!(weights.windows(2).all(|w| w[0] > w[1]), "groups by weight, the heaviest first: {weights:?}");
    docs
}

/// Every term of every shard: stem → (forms, document numbers).
fn terms(out: &Path) -> BTreeMap<String, (Vec<String>, Vec<u64>)> {
    let manifest = json(&out.join("search/index.json"));
    let mut all = BTreeMap::new();
    for n in 0..manifest["shards"].as_array().unwrap().len() {
        for e in json(&out.join(format!("search/t/{n}.json"))).as_array().unwrap() {
            let forms = e[1].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect();
            let mut docs = postings(&e[3]);
            assert_eq!(docs.len() as u64, e[2].as_u64().unwrap(), "{e}");
            docs.sort_unstable();
            all.insert(e[0].as_str().unwrap().to_string(), (forms, docs));
        }
    }
    all
}

#[test]
fn the_index_holds_what_the_listings_show_and_nothing_else() {
    let site = TestSite::fixture("basic");
    let run = site.build();
    run.success();
    let docs = documents(&run.out);
    let urls: Vec<&str> = docs.iter().map(|(_, u, _)| u.as_str()).collect();
    // People who consented (not Carl, who has not; not Dora, who withdrew), published
    // causes, the hub's pages, then live posts, newest first.
    assert_eq!(
        urls,
        [
            "/people/ana/",
            "/people/ben/",
            "/causes/book-swap/",
            "/causes/harbour-swim/",
            "/about/",
            "/guidelines/",
            "/posts/solar-roof/",
            "/posts/joint-release/",
            "/posts/hello-harbour/",
        ],
        "{docs:?}"
    );
    let kinds: Vec<&str> = docs.iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(kinds, ["person", "person", "cause", "cause", "page", "page", "post", "post", "post"]);
    let terms = terms(&run.out);
    // Words of the draft ("Not ready yet"), of Carl's post and of the post with Dora.
    for hidden in ["ready", "consent", "carl", "dora", "invoic"] {
        assert!(!terms.contains_key(hidden), "{hidden} is in the index: {:?}", terms.get(hidden));
    }
    // Every posting points at a document of the index.
    assert!(terms.values().all(|(_, d)| d.iter().all(|&n| (n as usize) < docs.len())));
    // Stems, with the forms they came from: `harbour` is in a title and a cause.
    let (_, harbour) = &terms["harbour"];
    assert!(harbour.contains(&8) && harbour.contains(&3), "{harbour:?}");
    // The search page is a page of the site like the others, and in the sitemap.
    assert!(run.out.join("search/index.html").is_file());
    assert!(std::fs::read_to_string(run.out.join("sitemap.xml")).unwrap().contains("/search/</loc>"));
    assert!(!std::fs::read_to_string(run.out.join("sitemap.xml")).unwrap().contains(".json"));
}

#[test]
fn two_builds_give_the_same_index_bytes_whatever_the_threads() {
    let site = TestSite::demo();
    let a = site.build_with(&["--output", "a"]);
    a.success();
    let mut cmd = site.command();
    cmd.args(["build", "--now", NOW, "--output", "b"]).env("RAYON_NUM_THREADS", "1");
    let b = site.run(cmd, &["build", "--output", "b"]);
    b.success();
    let index = |out: &Path| -> BTreeMap<String, Entry> {
        snapshot(out).into_iter().filter(|(p, _)| p.starts_with("search/") && p.ends_with(".json")).collect()
    };
    let (x, y) = (index(&a.out), index(&b.out));
    assert!(x.len() > 20, "{:?}", x.keys());
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
    for (path, entry) in &x {
        assert!(y[path] == *entry, "{path} differs between two builds");
    }
}

/// A build takes a post's words from the parse that renders its page, and analyses the rest
/// of the index apart; `serve` analyses every document on its own. Both must give the same
/// index, file for file.
#[test]
fn a_build_and_serve_write_the_same_index() {
    let site = TestSite::demo_one_language();
    let built = site.build_with(&["--output", "built"]);
    built.success();
    let options = chorus::site::Options {
        drafts: false,
        future: false,
        now: chorus::dates::now(Some(NOW), None).expect("NOW parses"),
        base_url: None,
    };
    let out = site.outer().join("preview");
    let mut preview = chorus::preview::Preview::new(site.root(), &out, options);
    assert!(preview.full().ok, "{:?}", preview.diagnostics);
    let index = |out: &Path| -> BTreeMap<String, Entry> {
        snapshot(out).into_iter().filter(|(p, _)| p.starts_with("search/") && p.ends_with(".json")).collect()
    };
    let (x, y) = (index(&built.out), index(&out));
    // Enough documents that some chunks hold posts alone.
    assert!(documents(&built.out).len() > 3 * chorus::search::PER_CHUNK, "{}", documents(&built.out).len());
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
    for (path, entry) in &x {
        assert!(y[path] == *entry, "{path} differs between `build` and `serve`");
    }
}

#[test]
fn long_texts_go_in_one_file_per_chunk_of_documents_cut_at_a_word() {
    let far = format!(
        "{} Zanzibar is where the story ends. {}",
        "Meters and readings. ".repeat(60),
        "More words here. ".repeat(600)
    );
    let site = TestSite::new()
        .file("chorus.yaml", "title: Hub\nbase_url: https://hub.example\n")
        .file("content/people/ana.md", "---\nname: Ana\nconsent: true\n---\nAna.\n")
        .file("content/posts/2026-11-01-short.md", "---\ntitle: Short\ndate: 2026-11-01\nauthor: ana\n---\nShort.\n")
        .file(
            "content/posts/2026-11-02-long.md",
            format!("---\ntitle: Long\ndate: 2026-11-02\nauthor: ana\n---\n{far}\n"),
        );
    let run = site.build();
    run.success();
    let manifest = json(&run.out.join("search/index.json"));
    let per = manifest["per_chunk"].as_u64().unwrap() as usize;
    let docs = documents(&run.out);
    let long = docs.iter().position(|d| d.2 == "Long").unwrap();
    let short = docs.iter().position(|d| d.2 == "Short").unwrap();
    let record = &json(&run.out.join(format!("search/d/{}.json", long / per)))[long % per];
    assert_eq!(record["more"], true);
    assert!(!record["text"].as_str().unwrap().contains("Zanzibar"));
    // One file for the chunk, not one per document: the short text is null in it.
    let texts = json(&run.out.join(format!("search/x/{}.json", long / per)));
    let texts = texts.as_array().unwrap();
    assert_eq!(texts.len(), docs.len().min(per));
    assert_eq!(texts[short % per], Value::Null);
    let text = texts[long % per].as_str().unwrap();
    assert!(text.contains("Zanzibar is where the story ends."), "{text}");
    // Cut after about a thousand words, at a word, never whole.
    assert!(
        text.chars().count() <= chorus::search::TEXT_CHARS + 1 && text.ends_with("More…")
            || text.ends_with("words…")
            || text.ends_with("here.…"),
        "{}",
        &text[text.len() - 40..]
    );
    assert_eq!(
        std::fs::read_dir(run.out.join("search/x")).unwrap().count(),
        1,
        "one file for the one chunk with a long text"
    );
}

#[test]
fn a_hub_with_search_off_has_no_search_box_page_or_index() {
    let site = TestSite::fixture("basic");
    let config = std::fs::read_to_string(site.root().join("chorus.yaml")).unwrap();
    site.write("chorus.yaml", format!("{config}\nsearch: false\n"));
    let run = site.build();
    run.success();
    assert!(!run.out.join("search").exists(), "an index was written");
    let home = std::fs::read_to_string(run.out.join("index.html")).unwrap();
    assert!(!home.contains("role=\"search\"") && !home.contains("action=\"/search/\""), "a search box is shown");
    let sitemap = std::fs::read_to_string(run.out.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("/search/"), "{sitemap}");
}

#[test]
fn german_words_are_stemmed_and_japanese_cut_in_pairs() {
    let site = TestSite::new()
        .file("chorus.yaml", "title: Hub\nbase_url: https://hub.example\nlanguage: de\n")
        .file("content/people/ana.md", "---\nname: Ana\nconsent: true\n---\nAna.\n")
        .file(
            "content/posts/2026-11-01-heizung.md",
            "---\ntitle: Heizung\ndate: 2026-11-01\nauthor: ana\n---\nDie Wärmepumpen laufen. 東京都です。\n",
        );
    let run = site.build();
    run.success();
    let manifest = json(&run.out.join("search/index.json"));
    assert_eq!(manifest["language"], "de");
    assert_eq!(manifest["stemmer"], true);
    assert!(manifest["suffixes"].as_array().unwrap().iter().any(|s| s == "en"));
    let terms = terms(&run.out);
    let (forms, _) = &terms["warmepump"];
    assert_eq!(forms, &["warmepumpen"]);
    assert!(terms.contains_key("東京") && terms.contains_key("京都"), "{:?}", terms.keys());
}

#[test]
fn serve_updates_the_index_after_an_edit_in_place_without_a_full_rebuild() {
    let site = TestSite::demo_one_language();
    let options = chorus::site::Options {
        drafts: false,
        future: false,
        now: chorus::dates::now(Some(NOW), None).expect("NOW parses"),
        base_url: None,
    };
    let out = site.outer().join("preview");
    let mut preview = chorus::preview::Preview::new(site.root(), &out, options);
    assert!(preview.full().ok, "{:?}", preview.diagnostics);
    assert!(!terms(&out).contains_key("zanzibar"));
    let rel = "content/posts/2026-10-13-double-counted-kilowatt-hours.md";
    let text = std::fs::read_to_string(site.root().join(rel)).unwrap();
    site.write(rel, text.replace("In August, the treasurer", "In August, from Zanzibar, the treasurer"));
    let report = preview.apply(&[site.root().join(rel)]).expect("an edit rebuilds");
    assert!(report.ok, "{:?}", preview.diagnostics);
    // An edit in place: a few pages, not the whole hub (the index is written beside them).
    assert!(report.pages < 40, "{}", report.pages);
    preview.wait_for_background();
    let terms = terms(&out);
    let (_, docs) = terms.get("zanzibar").expect("the new word is in the index");
    let found = &documents(&out)[docs[0] as usize];
    assert_eq!(found.1, "/posts/double-counted-kilowatt-hours/");
}
