//! Where the time of a build goes, for `build --timings`: per phase the caller measures,
//! here per template, Markdown, highlighting, writes and the slowest pages. Collected only
//! when asked for; never reaches the output.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Where the time of a build goes, for `build --timings`. Only collected when asked for.
#[derive(Default)]
pub struct Timings {
    /// Markdown rendering, highlighting included (nanoseconds, summed over threads).
    pub markdown: AtomicU64,
    pub highlight: AtomicU64,
    pub write: AtomicU64,
    /// The search index's documents: analysing them and writing their texts (summed over
    /// threads: they are jobs among the pages).
    pub search: AtomicU64,
    /// The rest of the search index: terms, shards, document files (wall time, after the pages).
    pub search_tail: AtomicU64,
    /// Per template: total nanoseconds and pages.
    pub templates: Mutex<BTreeMap<String, (u64, u64)>>,
    /// The slowest pages: nanoseconds and site path.
    pub slowest: Mutex<Vec<(u64, String)>>,
}

impl Timings {
    pub fn template(&self, name: &str, nanos: u64) {
        if let Ok(mut t) = self.templates.lock() {
            let e = t.entry(name.to_string()).or_default();
            e.0 += nanos;
            e.1 += 1;
        }
    }

    /// Keeps the ten slowest pages.
    pub fn page(&self, path: &str, nanos: u64) {
        if let Ok(mut s) = self.slowest.lock() {
            if s.len() < 10 || s.last().is_some_and(|(n, _)| *n < nanos) {
                s.push((nanos, path.to_string()));
                s.sort_by_key(|e| std::cmp::Reverse(e.0));
                s.truncate(10);
            }
        }
    }

    /// A report for people: per phase, per template, the slowest pages.
    pub fn report(&self) -> String {
        let ms = |n: u64| n as f64 / 1e6;
        let mut out = format!(
            "  (summed over threads)
      markdown: {:>8.1} ms
  highlighting: {:>8.1} ms  (part of markdown; {} lines of code tokenized, {} reused from memory)
         write: {:>8.1} ms
  search index: {:>8.1} ms  (its documents, analysed among the pages)
  (wall time)
  search terms: {:>8.1} ms  (the rest of the index, after the pages)
",
            ms(self.markdown.load(Ordering::Relaxed)),
            ms(self.highlight.load(Ordering::Relaxed)),
            crate::highlight::memo_counts().1,
            crate::highlight::memo_counts().0,
            ms(self.write.load(Ordering::Relaxed)),
            ms(self.search.load(Ordering::Relaxed)),
            ms(self.search_tail.load(Ordering::Relaxed))
        );
        if let Ok(t) = self.templates.lock() {
            let mut rows: Vec<_> = t.iter().collect();
            rows.sort_by_key(|r| std::cmp::Reverse(r.1 .0));
            for (name, (n, pages)) in rows {
                out.push_str(&format!(
                    "  {name:>18}: {:>8.1} ms for {pages} pages ({:.2} ms each)
",
                    ms(*n),
                    ms(*n) / (*pages).max(1) as f64
                ));
            }
        }
        if let Ok(s) = self.slowest.lock() {
            out.push_str(
                "  slowest pages:
",
            );
            for (n, path) in s.iter() {
                out.push_str(&format!(
                    "    {:>8.1} ms  /{path}
",
                    ms(*n)
                ));
            }
        }
        out
    }
}
