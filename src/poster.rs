//! The printed poster of a cause (DESIGN §14): a QR code of the cause's address, as inline SVG
//! that the cause page shows only in print (see the theme's `print.css`).
//!
//! Owns the QR code: made by the `qrcode` crate, with its text alternative, and no style
//! attribute (the site's Content Security Policy allows none). Must not lay out the poster:
//! that is the theme's.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An inline `<svg>` QR code of `url`, hidden from screen readers: the theme wraps it in an
/// element with `role="img"` and its label (so the words stay in the template). `None` only
/// for an address too long for a QR code (over 2,000 or so characters).
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
    // An inline SVG needs no XML declaration.
    let start = svg.find("<svg")?;
    Some(svg[start..].replacen("<svg", "<svg class=\"poster-qr\" aria-hidden=\"true\" focusable=\"false\"", 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_inline_svg() {
        let svg = qr_svg("https://v.example/causes/run/").unwrap();
        assert!(svg.starts_with("<svg class=\"poster-qr\" aria-hidden=\"true\" focusable=\"false\""), "{svg}");
        assert!(!svg.contains("<?xml"));
        assert!(!svg.contains("style="));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
