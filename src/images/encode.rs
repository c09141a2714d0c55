//! Decoding, checking, orienting, resizing and encoding one raster image, and its entry in
//! the cache. Every step is deterministic: the same bytes and settings give the same files.

use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use fast_image_resize as fir;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

use super::{Bytes, Picture, Refusal, Settings, Variant, MAX_PIXELS};
use crate::diagnostic::Code;

/// What processing made of one image, before it has names.
pub(super) struct Made {
    /// Size of the fallback.
    width: u32,
    height: u32,
    /// Extension of the fallback (the original format's).
    ext: String,
    fallback: Bytes,
    /// WebP variants: width and bytes, ascending.
    variants: Vec<(u32, Bytes)>,
}

const META: &str = "meta";

impl Made {
    /// The entry in a cache folder, when it is complete.
    pub(super) fn load(dir: &Path) -> Option<Made> {
        let meta = std::fs::read_to_string(dir.join(META)).ok()?;
        let mut lines = meta.lines();
        let mut head = lines.next()?.split(' ');
        let width = head.next()?.parse().ok()?;
        let height = head.next()?.parse().ok()?;
        let ext = head.next()?.to_string();
        let fallback = dir.join(format!("fallback.{ext}"));
        if !fallback.is_file() {
            return None;
        }
        let mut variants = Vec::new();
        for l in lines {
            let w: u32 = l.parse().ok()?;
            let p = dir.join(format!("{w}.webp"));
            if !p.is_file() {
                return None;
            }
            variants.push((w, Bytes::Cached(p)));
        }
        Some(Made { width, height, ext, fallback: Bytes::Cached(fallback), variants })
    }

    /// Stores the entry in a cache folder (each file renamed into place, the list last, so
    /// a killed build leaves no entry that looks complete). On failure the bytes stay in memory.
    pub(super) fn store(&mut self, dir: &Path) {
        let write = |name: &str, bytes: &[u8]| -> std::io::Result<()> {
            let tmp = dir.join(format!(".{name}.tmp-{:?}", std::thread::current().id()).replace(['(', ')'], ""));
            super::write_cache_file(&tmp, bytes)?;
            std::fs::rename(&tmp, dir.join(name))
        };
        let held = |b: &Bytes| match b {
            Bytes::Held(v) => Some(v.clone()),
            Bytes::Cached(_) => None,
        };
        let stored = (|| -> std::io::Result<()> {
            std::fs::create_dir_all(dir)?;
            if let Some(b) = held(&self.fallback) {
                write(&format!("fallback.{}", self.ext), &b)?;
            }
            for (w, b) in &self.variants {
                if let Some(b) = held(b) {
                    write(&format!("{w}.webp"), &b)?;
                }
            }
            let mut meta = format!("{} {} {}\n", self.width, self.height, self.ext);
            for (w, _) in &self.variants {
                meta.push_str(&format!("{w}\n"));
            }
            write(META, meta.as_bytes())
        })();
        if stored.is_ok() {
            self.fallback = Bytes::Cached(dir.join(format!("fallback.{}", self.ext)));
            for (w, b) in &mut self.variants {
                *b = Bytes::Cached(dir.join(format!("{w}.webp")));
            }
        }
    }

    /// Names the files for the original at site path `rel`: `photo.HASH.jpg`,
    /// `photo.HASH-480.webp`, …, and `photo.jpg` itself with the fallback's bytes.
    pub(super) fn publish(self, rel: &str, hash: &str, _dir: Option<&Path>) -> Picture {
        let (dir, name) = rel.rsplit_once('/').map_or(("", rel), |(d, n)| (d, n));
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
        let fallback_rel = format!("{prefix}{stem}.{hash}.{}", self.ext);
        let mut files = vec![(fallback_rel.clone(), self.fallback.clone()), (rel.to_string(), self.fallback)];
        let mut variants = Vec::new();
        for (w, b) in self.variants {
            let v = format!("{prefix}{stem}.{hash}-{w}.webp");
            variants.push(Variant { url: format!("/{v}"), width: w });
            files.push((v, b));
        }
        Picture { src: format!("/{fallback_rel}"), width: self.width, height: self.height, variants, files }
    }
}

fn damaged(detail: impl std::fmt::Display) -> Refusal {
    Refusal::new(
        Code::ImageUnreadable,
        format!("this image is damaged or cut short, so it cannot be published ({detail})"),
        "open the original in an image editor and export it again, or copy it from the camera or phone once more",
    )
}

/// Whether a JPEG ends: its last scan is followed by the end-of-image marker. A file cut
/// short while copying decodes with a grey bottom, so it is refused rather than published.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    // The last start-of-scan marker; then the end-of-image marker must follow it.
    let sos = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]);
    match sos {
        Some(i) => bytes[i..].windows(2).any(|w| w == [0xFF, 0xD9]),
        None => false,
    }
}

/// The container's own name for formats the file name hides (an iPhone photo renamed .jpg).
fn sniff_unreadable(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        return Some(match brand {
            b"avif" | b"avis" => "AVIF",
            _ => "HEIC",
        });
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return Some("TIFF");
    }
    None
}

/// Decodes, checks and encodes one image.
pub(super) fn process(bytes: &[u8], ext: &str, settings: &Settings) -> Result<Made, Refusal> {
    if let Some(name) = sniff_unreadable(bytes) {
        return Err(super::unreadable_format(name, &format!("image.{ext}")));
    }
    let format = image::guess_format(bytes).map_err(|_| {
        Refusal::new(
            Code::ImageUnreadable,
            format!("this file is named .{ext} but is not a JPEG, PNG, WebP or GIF image"),
            "open it in an image editor and export it as JPEG (photos) or PNG (screenshots, drawings)",
        )
    })?;
    let reader = || ImageReader::with_format(Cursor::new(bytes), format);
    // The header first: a decompression bomb is refused before any pixel is decoded.
    let (w, h) = reader().into_dimensions().map_err(damaged)?;
    let pixels = u64::from(w) * u64::from(h);
    if pixels > MAX_PIXELS {
        return Err(Refusal::new(
            Code::ImageTooLarge,
            format!(
                "this image is {w} × {h} pixels ({} megapixels), more than the {} megapixels Chorus accepts",
                pixels.div_ceil(1_000_000),
                MAX_PIXELS / 1_000_000
            ),
            "export a smaller version (no photo on a web page needs more than about 4000 pixels across), e.g. `convert big.jpg -resize 4000x4000 smaller.jpg`",
        ));
    }
    if format == ImageFormat::Jpeg && !jpeg_is_complete(bytes) {
        return Err(damaged("the file ends before the picture does"));
    }
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(512 * 1024 * 1024);
    let mut r = reader();
    r.limits(limits);
    let mut decoder = r.into_decoder().map_err(damaged)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(damaged)?;
    let upright = orientation == image::metadata::Orientation::NoTransforms;
    img.apply_orientation(orientation);

    let (w, h) = (img.width(), img.height());
    let max = settings.widths.iter().copied().max().unwrap_or(1600);
    let mut targets: Vec<u32> = settings.widths.iter().copied().filter(|&t| t < w).collect();
    if w <= max {
        targets.push(w);
    }
    targets.sort_unstable();
    targets.dedup();
    let alpha = img.color().has_alpha();
    let source = if alpha {
        fir::images::Image::from_vec_u8(w, h, img.to_rgba8().into_raw(), fir::PixelType::U8x4)
    } else {
        fir::images::Image::from_vec_u8(w, h, img.to_rgb8().into_raw(), fir::PixelType::U8x3)
    }
    .map_err(damaged)?;
    drop(img);
    let mut resizer = fir::Resizer::new();
    let mut variants = Vec::new();
    let mut largest: Option<(u32, u32, Vec<u8>)> = None;
    for &t in &targets {
        let th = ((u64::from(h) * u64::from(t) + u64::from(w) / 2) / u64::from(w)).max(1) as u32;
        let pixels = if t == w {
            source.buffer().to_vec()
        } else {
            let mut dst = fir::images::Image::new(t, th, source.pixel_type());
            let options = fir::ResizeOptions::new().resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Lanczos3));
            resizer.resize(&source, &mut dst, &options).map_err(damaged)?;
            dst.into_vec()
        };
        let encoder =
            if alpha { webp::Encoder::from_rgba(&pixels, t, th) } else { webp::Encoder::from_rgb(&pixels, t, th) };
        let webp = encoder.encode(f32::from(settings.quality));
        variants.push((t, Bytes::Held(Arc::new(webp.to_vec()))));
        largest = Some((t, th, pixels));
    }
    let (fw, fh, pixels) = largest.ok_or_else(|| damaged("it has no pixels"))?;
    let ext = match format {
        ImageFormat::Jpeg => "jpg",
        ImageFormat::Png => "png",
        ImageFormat::Gif => "gif",
        _ => "webp",
    };
    let fallback = if fw == w && upright && matches!(format, ImageFormat::Jpeg | ImageFormat::Png) {
        // Not resized, not turned: the original's own pixels, its metadata taken out.
        super::strip::strip(bytes, format).map_err(damaged)?
    } else {
        encode_fallback(format, &pixels, fw, fh, alpha, settings.quality, &variants)?
    };
    Ok(Made { width: fw, height: fh, ext: ext.to_string(), fallback: Bytes::Held(Arc::new(fallback)), variants })
}

/// The fallback in the original format (WebP originals reuse the largest variant).
fn encode_fallback(
    format: ImageFormat,
    pixels: &[u8],
    w: u32,
    h: u32,
    alpha: bool,
    quality: u8,
    variants: &[(u32, Bytes)],
) -> Result<Vec<u8>, Refusal> {
    let color = if alpha { image::ExtendedColorType::Rgba8 } else { image::ExtendedColorType::Rgb8 };
    let mut out = Vec::new();
    match format {
        ImageFormat::Jpeg => {
            let rgb: Vec<u8> =
                if alpha { pixels.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect() } else { pixels.to_vec() };
            let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.max(1));
            enc.encode(&rgb, w, h, image::ExtendedColorType::Rgb8).map_err(damaged)?;
        }
        ImageFormat::Png => {
            use image::ImageEncoder;
            image::codecs::png::PngEncoder::new(&mut out).write_image(pixels, w, h, color).map_err(damaged)?;
        }
        ImageFormat::Gif => {
            let rgba: Vec<u8> = if alpha {
                pixels.to_vec()
            } else {
                pixels.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect()
            };
            let mut enc = image::codecs::gif::GifEncoder::new(&mut out);
            enc.encode(&rgba, w, h, image::ExtendedColorType::Rgba8).map_err(damaged)?;
        }
        _ => {
            if let Some((_, Bytes::Held(b))) = variants.last() {
                out = b.to_vec();
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jpeg_cut_short_is_incomplete() {
        let whole = [0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9];
        assert!(jpeg_is_complete(&whole));
        assert!(!jpeg_is_complete(&whole[..8]));
    }

    #[test]
    fn heic_renamed_to_jpg_is_still_heic() {
        let mut b = vec![0, 0, 0, 24];
        b.extend_from_slice(b"ftypheic");
        b.extend_from_slice(&[0; 16]);
        assert_eq!(sniff_unreadable(&b), Some("HEIC"));
        let r = process(&b, "jpg", &Settings::default()).err().unwrap();
        assert_eq!(r.code, Code::ImageFormat);
    }
}
