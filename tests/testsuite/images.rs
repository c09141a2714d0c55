//! Images that are safe to publish (issue 17): metadata stripped everywhere, orientation
//! applied, `srcset` and sizes on every `<img>`, social cards as `og:image`, sanitized SVGs,
//! refused inputs reported at their references, the cache changing nothing.

use std::path::Path;

use img_parts::jpeg::{markers, Jpeg, JpegSegment};
use img_parts::png::{Png, PngChunk};
use img_parts::Bytes;

use crate::common::{assert_same_tree, snapshot, TestSite};

/// A little-endian TIFF/EXIF block: camera make, orientation and a GPS position.
fn exif(orientation: u16) -> Vec<u8> {
    let mut t: Vec<u8> = b"II*\0".to_vec();
    t.extend(8u32.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value.to_le_bytes());
    };
    let make_at = 8 + 2 + 3 * 12 + 4;
    let gps_at = make_at + 10;
    t.extend(3u16.to_le_bytes());
    entry(&mut t, 0x010F, 2, 10, make_at);
    entry(&mut t, 0x0112, 3, 1, u32::from(orientation));
    entry(&mut t, 0x8825, 4, 1, gps_at);
    t.extend(0u32.to_le_bytes());
    t.extend(b"SecretCam\0");
    // GPS: latitude N 51° 30' 26.57"
    t.extend(2u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0"));
    entry(&mut t, 0x0002, 5, 3, gps_at + 2 + 2 * 12 + 4);
    t.extend(0u32.to_le_bytes());
    for (n, d) in [(51u32, 1u32), (30, 1), (2657, 100)] {
        t.extend(n.to_le_bytes());
        t.extend(d.to_le_bytes());
    }
    t
}

/// A 64×32 JPEG, red on the left and blue on the right, with EXIF (orientation 6, camera,
/// GPS), XMP and a comment.
fn phone_jpeg() -> Vec<u8> {
    let img =
        image::RgbImage::from_fn(
            64,
            32,
            |x, _| if x < 32 { image::Rgb([220, 20, 20]) } else { image::Rgb([20, 20, 220]) },
        );
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 95).encode_image(&img).unwrap();
    let mut jpeg = Jpeg::from_bytes(Bytes::from(plain)).unwrap();
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(exif(6));
    let xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description GPSLatitude=\"51,30N\" SecretXmp=\"1\"/></x:xmpmeta>";
    let segs = jpeg.segments_mut();
    segs.insert(0, JpegSegment::new_with_contents(markers::APP1, Bytes::from(app1)));
    segs.insert(1, JpegSegment::new_with_contents(markers::APP1, Bytes::copy_from_slice(xmp)));
    segs.insert(2, JpegSegment::new_with_contents(markers::COM, Bytes::from_static(b"secret comment")));
    let mut out = Vec::new();
    jpeg.encoder().write_to(&mut out).unwrap();
    out
}

/// A 40×20 PNG with a `tEXt` comment and an `eXIf` block.
fn tagged_png() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(40, 20, |x, y| image::Rgba([(x * 6) as u8, (y * 12) as u8, 90, 255]));
    let mut plain = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut plain), image::ImageFormat::Png).unwrap();
    let mut png = Png::from_bytes(Bytes::from(plain)).unwrap();
    let end = png.chunks().len() - 1;
    png.chunks_mut().insert(end, PngChunk::new(*b"tEXt", Bytes::from_static(b"Comment\0secret comment")));
    png.chunks_mut().insert(end, PngChunk::new(*b"eXIf", Bytes::from(exif(1))));
    let mut out = Vec::new();
    png.encoder().write_to(&mut out).unwrap();
    out
}

fn hub() -> TestSite {
    TestSite::new()
        .file("chorus.yaml", "title: Picture Hub\nbase_url: https://hub.example\n")
        .file("content/people/ana.md", "---\nname: Ana Lima\nrole: Engineer\nconsent: true\navatar: /images/ana.png\navatar_alt: Ana smiling\n---\nAna writes.\n")
        .file(
            "content/posts/2026-11-01-run/index.md",
            "---\ntitle: The charity run\ndate: 2026-11-01\nauthor: ana\nimage: cover.jpg\nimage_alt: Runners at the start\n---\nWe ran.\n\n![The finish line](finish.jpg)\n\n![The banner](/images/banner.jpg)\n\n![A logo](/images/logo.svg)\n",
        )
        .file("content/posts/2026-11-01-run/cover.jpg", phone_jpeg())
        .file("content/posts/2026-11-01-run/finish.jpg", phone_jpeg())
        .file("content/posts/2026-11-02-second.md", "---\ntitle: A second post\ndate: 2026-11-02\nauthor: ana\n---\nMore.\n")
        .file("static/images/banner.jpg", phone_jpeg())
        .file("static/images/ana.png", tagged_png())
        .file(
            "static/images/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20\" height=\"10\" onload=\"alert(1)\"><script>alert(2)</script><rect width=\"20\" height=\"10\" fill=\"#123\"/></svg>",
        )
}

fn images_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let name = e.path().to_string_lossy().to_string();
        if [".jpg", ".png", ".webp", ".gif"].iter().any(|x| name.ends_with(x)) {
            out.push((name, std::fs::read(e.path()).unwrap()));
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn no_published_image_keeps_its_metadata_and_photos_come_out_upright() {
    let site = hub();
    let run = site.build();
    run.success();
    let images = images_under(&run.out);
    assert!(images.len() >= 12, "{:?}", images.iter().map(|i| &i.0).collect::<Vec<_>>());
    for (name, bytes) in &images {
        for secret in [
            &b"Exif\0\0"[..],
            b"eXIf",
            b"tEXt",
            b"SecretCam",
            b"secret comment",
            b"xmpmeta",
            b"ns.adobe.com/xap",
            b"EXIF",
        ] {
            assert!(!contains(bytes, secret), "{name} still holds {:?}", String::from_utf8_lossy(secret));
        }
    }
    // Orientation 6: the 64×32 original is 32×64 upright, its left (red) half now on top.
    for name in ["posts/run/cover.jpg", "images/banner.jpg"] {
        let img = image::open(run.out.join(name)).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (32, 64), "{name}");
        let (top, bottom) = (img.get_pixel(16, 4), img.get_pixel(16, 60));
        assert!(top[0] > 150 && top[2] < 100, "{name}: top should be red, is {top:?}");
        assert!(bottom[2] > 150 && bottom[0] < 100, "{name}: bottom should be blue, is {bottom:?}");
    }
    // The original's own path is the stripped fallback; the hashed copies are the same bytes.
    let page = std::fs::read_to_string(run.out.join("posts/run/index.html")).unwrap();
    assert!(page.contains("srcset=\"/posts/run/finish."), "{page}");
    assert!(page.contains("-32.webp 32w\""), "{page}");
}

#[test]
fn every_img_has_a_size_and_raster_images_have_srcset() {
    let site = hub();
    let run = site.build();
    run.success();
    for rel in ["posts/run/index.html", "people/ana/index.html", "index.html"] {
        let html = std::fs::read_to_string(run.out.join(rel)).unwrap();
        let imgs: Vec<&str> =
            html.match_indices("<img ").map(|(i, _)| &html[i..i + html[i..].find('>').unwrap()]).collect();
        assert!(!imgs.is_empty() || rel == "index.html", "{rel}");
        for img in imgs {
            assert!(img.contains(" width=\"") && img.contains(" height=\""), "{rel}: {img}");
            if !img.contains(".svg\"") {
                assert!(img.contains(" srcset=\""), "{rel}: {img}");
            }
        }
    }
    let post = std::fs::read_to_string(run.out.join("posts/run/index.html")).unwrap();
    assert!(post.contains("loading=\"lazy\" decoding=\"async\""), "{post}");
}

#[test]
fn pages_without_their_own_image_get_a_social_card() {
    let site = hub();
    let run = site.build();
    run.success();
    let og = |rel: &str| {
        let html = std::fs::read_to_string(run.out.join(rel)).unwrap();
        let at = html
            .find("<meta property=\"og:image\" content=\"https://hub.example/")
            .unwrap_or_else(|| panic!("{rel} has no og:image"));
        let rest = &html[at + "<meta property=\"og:image\" content=\"https://hub.example/".len()..];
        let path = rest[..rest.find('"').unwrap()].to_string();
        assert!(html.contains("<meta property=\"og:image:alt\" content=\""), "{rel}");
        path
    };
    let second = og("posts/second/index.html");
    assert!(second.starts_with("social/posts/second.") && second.ends_with(".png"), "{second}");
    let card = image::open(run.out.join(&second)).unwrap();
    assert_eq!((card.width(), card.height()), (1200, 630));
    // The post with a cover uses it; the person's page, the home page and the tags get cards.
    assert!(og("posts/run/index.html").starts_with("posts/run/cover."));
    let person = og("people/ana/index.html");
    assert!(person.starts_with("social/people/ana."), "{person}");
    assert!(og("index.html").starts_with("social/site."));
    assert!(og("tags/index.html").starts_with("social/site."));
    let run_card = std::fs::read(run.out.join(glob_one(&run.out, "social/posts", "run."))).unwrap();
    assert_ne!(run_card, std::fs::read(run.out.join(&second)).unwrap(), "two posts have the same card");
}

fn glob_one(out: &Path, dir: &str, prefix: &str) -> String {
    let name = std::fs::read_dir(out.join(dir))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .find(|n| n.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {dir}/{prefix}*"));
    format!("{dir}/{name}")
}

#[test]
fn svgs_are_published_without_scripts_or_handlers() {
    let site = hub();
    let run = site.build();
    run.success();
    let svg = std::fs::read_to_string(run.out.join("images/logo.svg")).unwrap();
    assert!(!svg.contains("script") && !svg.contains("onload") && !svg.contains("alert"), "{svg}");
    assert!(svg.contains("<rect width=\"20\""), "{svg}");
    run.stderr_has("this SVG is published without event handlers (on… attributes), <script>");
}

#[test]
fn social_cards_can_be_turned_off() {
    let site = hub().file("chorus.yaml", "title: Picture Hub\nbase_url: https://hub.example\nsocial_cards: false\n");
    let run = site.build();
    run.success();
    assert!(!run.out.join("social").exists());
    let html = std::fs::read_to_string(run.out.join("posts/second/index.html")).unwrap();
    assert!(!html.contains("og:image"), "{html}");
}

#[test]
fn huge_and_truncated_images_are_refused_at_their_reference() {
    // 8000×7500 = 60 megapixels, refused from the header: the file is small.
    let mut png = Png::from_bytes(Bytes::from(tagged_png())).unwrap();
    let mut ihdr = png.chunks()[0].contents().to_vec();
    ihdr[..4].copy_from_slice(&8000u32.to_be_bytes());
    ihdr[4..8].copy_from_slice(&7500u32.to_be_bytes());
    png.chunks_mut()[0] = PngChunk::new(*b"IHDR", Bytes::from(ihdr));
    let mut big = Vec::new();
    png.encoder().write_to(&mut big).unwrap();
    let jpeg = phone_jpeg();
    let cut = jpeg[..jpeg.len() * 2 / 3].to_vec();
    let site = hub()
        .file(
            "content/posts/2026-11-03-big/index.md",
            "---\ntitle: Big\ndate: 2026-11-03\nauthor: ana\n---\nIntro.\n\n![A huge scan](huge.png)\n",
        )
        .file("content/posts/2026-11-03-big/huge.png", big)
        .file(
            "content/posts/2026-11-04-cut.md",
            "---\ntitle: Cut\ndate: 2026-11-04\nauthor: ana\nimage: /images/cut.jpg\nimage_alt: A photo\n---\nText.\n",
        )
        .file("static/images/cut.jpg", cut);
    let run = site.build();
    run.failure();
    run.stderr_has("content/posts/2026-11-03-big/index.md:8:1");
    run.stderr_has(
        "the image `huge.png` is 8000 × 7500 pixels (60 megapixels), more than the 40 megapixels Chorus accepts",
    );
    run.stderr_has("content/posts/2026-11-04-cut.md:5:8");
    run.stderr_has("the image `/images/cut.jpg` is damaged or cut short, so it cannot be published");
    run.stderr_has("export it again");
}

#[test]
fn builds_with_and_without_a_warm_cache_are_byte_identical() {
    let site = hub();
    let cold = site.build_with(&["--output", "cold"]);
    cold.success();
    assert!(site.root().join(".chorus-cache/images").is_dir());
    assert!(std::fs::read_to_string(site.root().join(".chorus-cache/.gitignore")).unwrap().contains('*'));
    let warm = site.build_with(&["--output", "warm"]);
    warm.success();
    std::fs::remove_dir_all(site.root().join(".chorus-cache")).unwrap();
    let again = site.build_with(&["--output", "again"]);
    again.success();
    let cold = snapshot(&cold.out);
    assert_same_tree(&cold, &snapshot(&warm.out), "a warm cache changed the output");
    assert_same_tree(&cold, &snapshot(&again.out), "a deleted cache changed the output");
}

/// Guards the warm build's speed: a file taken from the cache (an image variant, a social
/// card) is published as a hard link, not copied, and the cache's own files are read-only,
/// so opening a published file for writing cannot change what later builds publish.
#[cfg(unix)]
#[test]
fn a_warm_build_links_cached_files_into_the_output_and_the_cache_is_read_only() {
    use std::os::unix::fs::MetadataExt;
    let site = hub();
    site.build_with(&["--output", "cold"]).success();
    let warm = site.build_with(&["--output", "warm"]);
    warm.success();
    let cache = site.root().join(".chorus-cache");
    let mut cached = std::collections::HashMap::new();
    for e in walkdir::WalkDir::new(&cache).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let meta = e.metadata().unwrap();
        if e.path().extension().is_some_and(|x| x == "png" || x == "webp" || x == "jpg") {
            assert!(meta.permissions().readonly(), "{} is writable", e.path().display());
        }
        cached.insert(meta.ino(), e.path().to_path_buf());
    }
    let (mut linked, mut cards) = (0, 0);
    for e in walkdir::WalkDir::new(&warm.out).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let rel = e.path().strip_prefix(&warm.out).unwrap().to_string_lossy().to_string();
        let is_card = rel.starts_with("social/");
        let is_variant = rel.ends_with(".webp");
        if !(is_card || is_variant) {
            continue;
        }
        let from = cached.get(&e.metadata().unwrap().ino());
        assert!(from.is_some(), "{rel} was copied, not linked from the cache");
        assert_eq!(std::fs::read(e.path()).unwrap(), std::fs::read(from.unwrap()).unwrap());
        linked += 1;
        cards += usize::from(is_card);
    }
    assert!(linked > 3 && cards > 1, "{linked} linked files, {cards} cards");
}

/// Every HTML page of an output folder, by site path.
fn html_pages(out: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().to_string_lossy().to_string();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn the_demo_has_sized_images_with_srcset_and_an_og_image_on_every_page() {
    let site = TestSite::demo().timeout(std::time::Duration::from_secs(120));
    let run = site.build();
    run.success();
    let pages = html_pages(&run.out);
    assert!(pages.len() > 50);
    let mut rasters = 0;
    let mut cards = std::collections::BTreeSet::new();
    for (rel, html) in &pages {
        for (i, _) in html.match_indices("<img ") {
            let img = &html[i..i + html[i..].find('>').unwrap()];
            assert!(img.contains(" width=\"") && img.contains(" height=\""), "{rel}: {img}");
            let src = img.split(" src=\"").nth(1).unwrap().split('"').next().unwrap();
            if !src.ends_with(".svg") {
                rasters += 1;
                assert!(img.contains(" srcset=\""), "{rel}: {img}");
            }
        }
        // A redirect page (an alias) is not a page of its own: nobody shares it.
        if html.contains("<meta http-equiv=\"refresh\"") {
            continue;
        }
        let og = html
            .split("<meta property=\"og:image\" content=\"https://voices.tidewell.example/")
            .nth(1)
            .unwrap_or_else(|| panic!("{rel} has no og:image"))
            .split('"')
            .next()
            .unwrap();
        assert!(run.out.join(og).is_file(), "{rel}: og:image {og} is not in the output");
        if og.starts_with("social/") {
            let img = image::open(run.out.join(og)).unwrap();
            assert_eq!((img.width(), img.height()), (1200, 630), "{og}");
            if rel.starts_with("posts/") && rel.ends_with("/index.html") && rel.matches('/').count() == 2 {
                cards.insert(std::fs::read(run.out.join(og)).unwrap());
            }
        }
    }
    assert!(rasters > 0, "the demo shows no raster image");
    assert!(cards.len() > 10, "posts should have cards of their own, found {}", cards.len());
}

/// Feeds show an entry's picture as the processed file (metadata stripped, content-hashed),
/// never the original: an Atom enclosure, the JSON Feed's `image`, and the bodies' images.
#[test]
fn feeds_carry_the_processed_pictures_never_the_originals() {
    let run = hub().build();
    run.success();
    let atom = std::fs::read_to_string(run.out.join("feed.xml")).unwrap();
    let feed = atom_syndication::Feed::read_from(atom.as_bytes()).expect("the Atom feed parses");
    let entry = feed.entries().iter().find(|e| e.title().as_str() == "The charity run").expect("the post's entry");
    let enclosure = entry.links().iter().find(|l| l.rel() == "enclosure").expect("an enclosure");
    assert_eq!(enclosure.mime_type(), Some("image/jpeg"));
    assert_eq!(enclosure.title(), Some("Runners at the start"));
    let href = enclosure.href();
    let rel = href.strip_prefix("https://hub.example/").expect("absolute");
    assert!(rel.starts_with("posts/run/cover.") && rel != "posts/run/cover.jpg", "a processed name: {href}");
    let bytes = run.bytes(rel);
    assert!(!contains(&bytes, b"Exif") && !contains(&bytes, b"GPS"), "{rel} keeps no EXIF");
    let second = feed.entries().iter().find(|e| e.title().as_str() == "A second post").unwrap();
    assert!(second.links().iter().all(|l| l.rel() != "enclosure"), "a post without an image has no enclosure");
    // The body's images are the processed ones too.
    let body = entry.content().and_then(|c| c.value()).expect("the body");
    assert!(!body.contains("finish.jpg\"") && body.contains("/posts/run/finish."), "{body}");

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.out.join("feed.json")).unwrap()).unwrap();
    let item = json["items"].as_array().unwrap().iter().find(|i| i["title"] == "The charity run").unwrap();
    assert_eq!(item["image"], href, "the JSON Feed's image is the enclosure");
}
