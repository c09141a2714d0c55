//! The printed poster of a cause (DESIGN §14): a QR code of the cause's address, as inline SVG
//! that the cause page shows only in print (see the theme's `print.css`).
//!
//! Owns the QR code: made by the `qrcode` crate, with its text alternative, and no style
//! attribute (the site's Content Security Policy allows none). Must not lay out the poster:
//! that is the theme's.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::markdown::escape_html;

/// An inline `<svg>` QR code of `url`, labelled for screen readers; `None` only for an
/// address too long for a QR code (over 2,000 or so characters).
pub fn qr_svg(url: &str) -> Option<String> {
    // Medium error correction survives a crease or a coffee stain on a kitchen wall.
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let svg = code
        .render::<svg::Color>()
        .quiet_zone(true)
        .min_dimensions(240, 240)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // An inline SVG needs no XML declaration; it gets a role and a label instead.
    let start = svg.find("<svg")?;
    let label = escape_html(&format!("QR code: scan it to open {url}"));
    Some(svg[start..].replacen("<svg", &format!("<svg class=\"poster-qr\" role=\"img\" aria-label=\"{label}\""), 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_inline_svg_with_a_label() {
        let svg = qr_svg("https://v.example/causes/run/").unwrap();
        assert!(svg.starts_with("<svg class=\"poster-qr\" role=\"img\" aria-label=\"QR code: scan it to open https://v.example/causes/run/\""), "{svg}");
        assert!(!svg.contains("<?xml"));
        assert!(!svg.contains("style="));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
