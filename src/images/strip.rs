//! Lossless metadata stripping with `img-parts`: the compressed pixels are kept as they are,
//! every metadata block is dropped except the colour profile.
//!
//! JPEG keeps SOI…EOI with its tables, frame and scans, JFIF (APP0), the ICC profile (APP2
//! `ICC_PROFILE`) and Adobe's colour transform (APP14); EXIF and XMP (APP1, MakerNotes and
//! GPS live there), MPF previews (APP2), IPTC (APP13), comments and every other APPn go,
//! as does anything after the end of the image. PNG keeps only the chunks that decide
//! pixels and colour; text (`tEXt`, `zTXt`, `iTXt`), `eXIf`, `tIME` and private chunks go.

use image::ImageFormat;
use img_parts::jpeg::{markers, Jpeg};
use img_parts::png::Png;
use img_parts::Bytes;

/// PNG chunks that are kept: image data and colour.
const PNG_KEEP: [&[u8; 4]; 13] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP", b"pHYs", b"bKGD",
];

/// The image without its metadata; an error when the container cannot be read.
pub fn strip(bytes: &[u8], format: ImageFormat) -> Result<Vec<u8>, String> {
    let b = Bytes::copy_from_slice(bytes);
    let mut out = Vec::with_capacity(bytes.len());
    match format {
        ImageFormat::Jpeg => {
            let mut jpeg = Jpeg::from_bytes(b).map_err(|e| e.to_string())?;
            jpeg.segments_mut().retain(|s| {
                let m = s.marker();
                match m {
                    markers::APP0 | markers::APP14 => true,
                    markers::APP2 => s.contents().starts_with(b"ICC_PROFILE\0"),
                    markers::COM => false,
                    m if (markers::APP1..=markers::APP15).contains(&m) => false,
                    _ => true,
                }
            });
            jpeg.encoder().write_to(&mut out).map_err(|e| e.to_string())?;
        }
        ImageFormat::Png => {
            let mut png = Png::from_bytes(b).map_err(|e| e.to_string())?;
            png.chunks_mut().retain(|c| PNG_KEEP.contains(&&c.kind()));
            png.encoder().write_to(&mut out).map_err(|e| e.to_string())?;
        }
        _ => return Err("not a JPEG or PNG".into()),
    }
    Ok(out)
}
