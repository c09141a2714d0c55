//! Highlighting colours that people can read: every colour of a theme is moved, when it
//! must be, just far enough towards black or white to reach a contrast of `MIN_CONTRAST`
//! (WCAG AA for text) against the theme's background, which the code blocks are given.
//!
//! Syntax themes are made for editors, not for the web's contrast rules: InspiredGitHub's
//! green `#63a35c` on white is 3.03:1. The hue is kept; only lightness changes, and only for
//! the colours that fail. Backgrounds of single scopes are left out, so every span sits on
//! the one background its colour was checked against.

use syntect::highlighting::{Color, Theme};
use syntect::html::ClassStyle;

/// WCAG 2 AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

/// Which colour scheme a theme is used in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Light,
    Dark,
}

impl Scheme {
    /// The page background of the default theme (`style.css`), for a theme that names none.
    fn page_background(self) -> Color {
        match self {
            Scheme::Light => Color { r: 0xff, g: 0xff, b: 0xff, a: 0xff },
            Scheme::Dark => Color { r: 0x14, g: 0x17, b: 0x1c, a: 0xff },
        }
    }
}

/// The relative luminance of an opaque colour (WCAG 2).
fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

/// The WCAG contrast ratio of two opaque colours, from 1 to 21.
pub fn contrast_ratio(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(rgb(a)), luminance(rgb(b)));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn rgb((r, g, b): (u8, u8, u8)) -> Color {
    Color { r, g, b, a: 0xff }
}

fn parts(c: Color) -> (u8, u8, u8) {
    (c.r, c.g, c.b)
}

/// `c` painted over `bg`, as a browser shows it.
fn opaque(c: Color, bg: Color) -> Color {
    let a = f64::from(c.a) / 255.0;
    let mix = |f: u8, b: u8| (f64::from(f) * a + f64::from(b) * (1.0 - a)).round() as u8;
    Color { r: mix(c.r, bg.r), g: mix(c.g, bg.g), b: mix(c.b, bg.b), a: 0xff }
}

/// `c` moved by `t` (0 to 1) towards `to`.
fn towards(c: Color, to: Color, t: f64) -> Color {
    let mix = |f: u8, b: u8| (f64::from(f) + (f64::from(b) - f64::from(f)) * t).round().clamp(0.0, 255.0) as u8;
    Color { r: mix(c.r, to.r), g: mix(c.g, to.g), b: mix(c.b, to.b), a: 0xff }
}

/// `fg` unchanged when it reads well on `bg`; else the nearest colour on its way to black or
/// white (whichever stands out more from `bg`) that does. One of the two always reaches
/// 4.58:1, so this always succeeds.
fn readable(fg: Color, bg: Color) -> Color {
    let ok = |c: Color| contrast_ratio(parts(c), parts(bg)) >= MIN_CONTRAST;
    if ok(fg) {
        return fg;
    }
    let (black, white) = (rgb((0, 0, 0)), rgb((0xff, 0xff, 0xff)));
    let to =
        if contrast_ratio(parts(black), parts(bg)) >= contrast_ratio(parts(white), parts(bg)) { black } else { white };
    // The least step that reads well; the contrast grows with the step.
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..20 {
        let mid = (lo + hi) / 2.0;
        if ok(towards(fg, to, mid)) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let c = towards(fg, to, hi);
    if ok(c) {
        c
    } else {
        to
    }
}

fn hex(c: Color) -> String {
    format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
}

/// The CSS of `theme` for `scheme`, every colour readable on the theme's background: a rule
/// for the code blocks (`pre.code`: the theme's text colour and background), then syntect's
/// rules for the scopes.
pub(super) fn readable_css(theme: &Theme, scheme: Scheme, style: ClassStyle) -> String {
    let page = scheme.page_background();
    let bg = opaque(theme.settings.background.unwrap_or(page), page);
    let default_fg = if scheme == Scheme::Light { rgb((0x1d, 0x21, 0x28)) } else { rgb((0xe7, 0xea, 0xee)) };
    let fg = readable(opaque(theme.settings.foreground.unwrap_or(default_fg), bg), bg);
    let mut adjusted = theme.clone();
    adjusted.settings.foreground = None;
    adjusted.settings.background = None;
    for item in &mut adjusted.scopes {
        item.style.background = None;
        if let Some(c) = item.style.foreground {
            item.style.foreground = Some(readable(opaque(c, bg), bg));
        }
    }
    let scopes = syntect::html::css_for_theme_with_class_style(&adjusted, style).unwrap_or_default();
    // syntect writes an empty rule for the settings taken out above: the code block has them.
    let scopes = scopes.replacen(".hl-code {\n}\n\n", "", 1);
    format!("pre.code {{\n color: {};\n background-color: {};\n}}\n{scopes}", hex(fg), hex(bg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_match_the_wcag_examples() {
        let white = (0xff, 0xff, 0xff);
        assert!((contrast_ratio((0, 0, 0), white) - 21.0).abs() < 1e-9);
        // The two failures seen in the demo hub.
        assert!((contrast_ratio((0x63, 0xa3, 0x5c), white) - 3.03).abs() < 0.01);
        assert!((contrast_ratio((0xbf, 0x61, 0x6a), (0x14, 0x17, 0x1c)) - 4.39).abs() < 0.01);
        assert!((contrast_ratio((0x32, 0x32, 0x32), (0x14, 0x17, 0x1c)) - 1.4).abs() < 0.05);
    }

    #[test]
    fn failing_colours_move_just_enough_and_keep_their_hue() {
        let white = rgb((0xff, 0xff, 0xff));
        let green = readable(rgb((0x63, 0xa3, 0x5c)), white);
        let ratio = contrast_ratio(parts(green), parts(white));
        assert!((MIN_CONTRAST..MIN_CONTRAST + 0.15).contains(&ratio), "{green:?}: {ratio}");
        assert!(green.g > green.r && green.g > green.b, "still green: {green:?}");
        let dark = rgb((0x14, 0x17, 0x1c));
        let red = readable(rgb((0xbf, 0x61, 0x6a)), dark);
        assert!(contrast_ratio(parts(red), parts(dark)) >= MIN_CONTRAST);
        assert!(red.r > red.g && red.r > red.b, "still red: {red:?}");
        // Colours that read well are kept as they are.
        let blue = rgb((0x18, 0x36, 0x91));
        assert_eq!(readable(blue, white), blue);
        // Even on a middle grey, where neither way has much room.
        let grey = rgb((0x77, 0x77, 0x77));
        assert!(contrast_ratio(parts(readable(rgb((0x70, 0x70, 0x80)), grey)), parts(grey)) >= MIN_CONTRAST);
    }

    #[test]
    fn translucent_colours_are_judged_as_shown() {
        let half_white = Color { r: 0xff, g: 0xff, b: 0xff, a: 0x80 };
        assert_eq!(opaque(half_white, rgb((0, 0, 0))), rgb((0x80, 0x80, 0x80)));
    }
}
