//! Text kept compressed in memory (LZ4), for what a build holds from start to end but reads
//! only once or twice: the text of every content file, and the rendered bodies the feeds
//! wait for. Text of this kind takes a third to a half of its size, and unpacking it runs
//! at gigabytes a second, so a whole hub's texts unpack in tens of milliseconds.
//!
//! Must not be used for what is read on every page (names, titles, addresses).

use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct Packed(Box<[u8]>);

impl Packed {
    pub fn new(text: &str) -> Packed {
        Packed(lz4_flex::compress_prepend_size(text.as_bytes()).into_boxed_slice())
    }

    /// The text, as it was given to `new`.
    pub fn unpack(&self) -> String {
        lz4_flex::decompress_size_prepended(&self.0)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            // Only `new` makes the bytes, from a `&str`.
            .unwrap_or_default()
    }
}

impl fmt::Debug for Packed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Packed({} bytes)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacks_to_the_text_it_was_given() {
        let html = "<p>Wärmepumpen, 東京, and <code>&lt;b&gt;</code>.</p>\n".repeat(200);
        let packed = Packed::new(&html);
        assert_eq!(packed.unpack(), html);
        assert!(packed.0.len() < html.len() / 4, "repeated text packs small: {} bytes", packed.0.len());
        assert_eq!(Packed::new("").unpack(), "");
    }
}
