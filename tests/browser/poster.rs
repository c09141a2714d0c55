//! The printed poster of a cause (DESIGN §14): hidden on screen; printed by Chromium it is one
//! A4 page with the title, when, where, whose, the link, and a QR code that decodes (with
//! `rqrr`) to the cause's address.

use base64::Engine;
use serde_json::json;

use crate::harness::{Env, Js};

const PATH: &str = "/causes/larkford-river-run/";
const URL: &str = "https://voices.tidewell.example/causes/larkford-river-run/";

fn decode(data: &serde_json::Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(data.as_str().expect("base64 data")).expect("valid base64")
}

/// Every QR code found in a PNG, decoded.
fn qr_codes(png_bytes: &[u8]) -> Vec<String> {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let luma = |x: usize, y: usize| -> u8 {
        let i = (y * w + x) * channels;
        let px = &buf[i..i + channels.min(3)];
        (px.iter().map(|&v| u32::from(v)).sum::<u32>() / px.len() as u32) as u8
    };
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, luma);
    img.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|(_, content)| content)).collect()
}

#[test]
fn a_cause_prints_as_one_a4_page_with_a_qr_code_of_its_address() {
    let Some(env) = Env::start() else { return };
    let page = env.page(Js::Enabled);
    page.goto(PATH);

    // On screen the poster is hidden.
    let shown: String = page.eval("getComputedStyle(document.querySelector('.poster')).display");
    assert_eq!(shown, "none");
    // The QR code is one image with a text alternative (the SVG inside is hidden from screen readers).
    let label: String = page.eval("document.querySelector('.poster [role=img]').getAttribute('aria-label')");
    assert_eq!(label, format!("QR code: scan it to open {URL}"));
    let inner: bool =
        page.eval("document.querySelector('.poster [role=img] > svg').getAttribute('aria-hidden') === 'true'");
    assert!(inner);

    // Printed by Chromium, at the page size the stylesheet asks for: one A4 page.
    let pdf = decode(
        &page.devtools("Page.printToPDF", json!({ "preferCSSPageSize": true, "printBackground": true }))["data"],
    );
    let text = String::from_utf8_lossy(&pdf);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert_eq!(pages, 1, "the poster prints on {pages} pages");
    let media_box = text.split("/MediaBox [").nth(1).expect("a MediaBox");
    let dims: Vec<f64> =
        media_box[..media_box.find(']').unwrap()].split_whitespace().map(|n| n.parse().unwrap()).collect();
    // A4 is 210 × 297 mm: 595.3 × 841.9 points (Chromium rounds to whole CSS pixels).
    assert!((dims[2] - 595.3).abs() < 2.0 && (dims[3] - 841.9).abs() < 2.0, "not A4: {dims:?}");

    // In print, only the poster shows, with everything a passer-by needs.
    page.devtools("Emulation.setEmulatedMedia", json!({ "media": "print" }));
    page.devtools(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 794, "height": 1123, "deviceScaleFactor": 1, "mobile": false }),
    );
    let hidden: Vec<bool> = page.eval(
        "['.site-header', '.site-footer', 'article.cause', '.share-kit'].map(s => { const e = document.querySelector(s); return !e || !e.checkVisibility(); })",
    );
    assert_eq!(hidden, [true, true, true, true]);
    let poster: String = page.eval("document.querySelector('.poster').innerText");
    for expected in [
        "Larkford River Run for the River Trust",
        "6 December 2026",
        "Larkford Riverside Park, by the boathouse, Mill Lane, Larkford LK2 4RP",
        "’s cause",
        URL,
    ] {
        assert!(poster.contains(expected), "the poster lacks {expected:?}:\n{poster}");
    }
    let fits: bool = page.eval("document.querySelector('.poster').getBoundingClientRect().bottom <= 1123");
    assert!(fits, "the poster is taller than an A4 page");

    // The QR code, photographed from the print view, leads to the cause.
    let shot = decode(&page.devtools("Page.captureScreenshot", json!({ "format": "png" }))["data"]);
    assert_eq!(qr_codes(&shot), [URL]);
}
