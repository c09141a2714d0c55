//! Watching the hub (notify's debouncer) and rebuilding the preview on change, on a thread
//! of its own. Tells the HTTP side through [`State`]: the errors for the overlay, and a new
//! version for live reload.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache};

use super::http::State;
use super::{overlay_text, print_report};
use crate::preview::Preview;

/// The folders of a hub that hold what a build reads.
const WATCHED: [&str; 5] = ["content", "static", "templates", "themes", "i18n"];

pub type Watcher = Debouncer<RecommendedWatcher, RecommendedCache>;

/// Starts watching `root`; events arrive on the returned channel.
pub fn start(root: &std::path::Path) -> Result<(Watcher, Receiver<DebounceEventResult>), String> {
    let (tx, rx) = std::sync::mpsc::channel();
    // Links inside the hub are never followed: one leading to `/proc/self` would have the
    // watcher walk the whole system (the build refuses such links itself).
    let config = notify_debouncer_full::notify::Config::default().with_follow_symlinks(false);
    let mut debouncer = notify_debouncer_full::new_debouncer_opt::<_, RecommendedWatcher, _>(
        Duration::from_millis(10),
        None,
        tx,
        RecommendedCache::new(),
        config,
    )
    .map_err(|e| format!("cannot watch for changes: {e}"))?;
    for dir in WATCHED {
        let p = root.join(dir);
        if p.is_dir() && crate::hub::root_allowed(root, &p) {
            debouncer.watch(&p, RecursiveMode::Recursive).map_err(|e| format!("cannot watch {}: {e}", p.display()))?;
        }
    }
    // The root itself, not recursively: chorus.yaml, and folders created later.
    debouncer.watch(root, RecursiveMode::NonRecursive).map_err(|e| format!("cannot watch the hub: {e}"))?;
    Ok((debouncer, rx))
}

/// What the rebuild thread shares with the shutdown: a stop flag, and a lock held during
/// each rebuild so the preview folder is never removed while a rebuild writes into it.
#[derive(Default)]
pub struct Stop {
    pub stopping: AtomicBool,
    pub building: Mutex<()>,
}

pub fn rebuild_loop(
    mut preview: Preview,
    rx: Receiver<DebounceEventResult>,
    state: Arc<State>,
    stop: Arc<Stop>,
    mut debouncer: Watcher,
    root: PathBuf,
) {
    let mut watched: Vec<&str> = WATCHED
        .into_iter()
        .filter(|d| root.join(d).is_dir() && crate::hub::root_allowed(&root, &root.join(d)))
        .collect();
    while let Ok(first) = rx.recv() {
        if stop.stopping.load(Ordering::SeqCst) {
            break;
        }
        // A burst of events is one rebuild: keep taking batches until the files have been
        // quiet for a moment. A single save waits 10 ms more; once many files are changing
        // (a checkout, a script), it waits for a quarter second of quiet, at most 2 s.
        let count = |b: &DebounceEventResult| b.as_ref().map_or(0, |e| e.len());
        let mut seen = count(&first);
        let mut batches = vec![first];
        let burst_started = std::time::Instant::now();
        loop {
            let quiet = if seen > 10 { Duration::from_millis(250) } else { Duration::from_millis(10) };
            let Ok(more) = rx.recv_timeout(quiet) else { break };
            seen += count(&more);
            batches.push(more);
            if burst_started.elapsed() > Duration::from_secs(2) {
                break;
            }
        }
        let mut paths: Vec<PathBuf> = Vec::new();
        for events in batches.into_iter().flatten() {
            // Reading a file is not changing it: the rebuild's own reads must not trigger
            // another rebuild.
            for e in events.into_iter().filter(|e| !matches!(e.event.kind, EventKind::Access(_))) {
                paths.extend(e.event.paths.iter().cloned());
            }
        }
        paths.sort();
        paths.dedup();
        // Folders created after start are watched from now on.
        for dir in WATCHED {
            if !watched.contains(&dir) && root.join(dir).is_dir() && crate::hub::root_allowed(&root, &root.join(dir)) {
                if debouncer.watch(root.join(dir), RecursiveMode::Recursive).is_ok() {
                    watched.push(dir);
                }
                paths.push(root.join(dir).join("."));
            }
        }
        let Ok(_building) = stop.building.lock() else { break };
        if stop.stopping.load(Ordering::SeqCst) {
            break;
        }
        let Some(report) = preview.apply(&paths) else { continue };
        print_report(&report, &preview.diagnostics);
        if let Ok(mut e) = state.errors.write() {
            *e = overlay_text(&report, &preview.diagnostics);
        }
        state.version.send_modify(|v| *v += 1);
    }
}
