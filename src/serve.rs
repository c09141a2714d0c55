//! `chorus serve`: a local preview that rebuilds on change, reloads the browser, shows
//! build errors over the last good pages, and never exits because of content.
//!
//! Safety (DESIGN §9): binds to localhost by default, refuses requests for other `Host`s
//! (DNS rebinding), serves only files inside the preview folder, never lists folders.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecursiveMode};

use crate::diagnostic::{self, Diagnostic, Format};
use crate::preview::{Preview, Report};
use crate::site;

/// How `serve` was asked to run.
#[derive(Clone, Debug)]
pub struct Settings {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
    pub options: site::Options,
}

/// State shared by the rebuild loop and the request handlers.
struct State {
    /// Bumped after every rebuild; live-reload clients wait on it.
    version: Mutex<u64>,
    changed: Condvar,
    /// The human-readable diagnostics of the failed rebuild, if the last one failed.
    errors: RwLock<Option<String>>,
    out: PathBuf,
    allowed_hosts: Vec<String>,
    any_host: bool,
    stopping: AtomicBool,
    streams: AtomicUsize,
}

const LIVE_JS: &str = r#"// Chorus live reload (only in `chorus serve`, never in a published build).
(function () {
  "use strict";
  var seen = null;
  function connect() {
    var source = new EventSource("/__chorus/events");
    source.onmessage = function (e) {
      if (seen !== null && e.data !== seen) { location.reload(); }
      seen = e.data;
    };
    source.onerror = function () { source.close(); window.setTimeout(connect, 1000); };
  }
  connect();
})();
"#;

const OVERLAY_CSS: &str = r#".chorus-overlay { position: fixed; inset: 0 0 auto 0; max-height: 70vh; overflow: auto; z-index: 2147483647;
  background: #2b0b0b; color: #ffe9e9; border-bottom: 4px solid #ff6b6b; padding: 1rem 1.5rem; font: 15px/1.5 system-ui, sans-serif; }
.chorus-overlay h2 { margin: 0 0 .5rem; font-size: 1.15rem; color: #fff; }
.chorus-overlay pre { white-space: pre-wrap; font: 13px/1.45 ui-monospace, Menlo, Consolas, monospace; margin: .5rem 0 0; }
"#;

/// Starts the preview and blocks until Ctrl-C.
pub fn serve(mut settings: Settings) -> Result<(), String> {
    // The watcher reports absolute paths; the hub's root must be absolute to match them.
    settings.root = settings
        .root
        .canonicalize()
        .map_err(|e| format!("cannot open the hub folder {}: {e}", settings.root.display()))?;
    let (server, addr) = bind(settings.bind, settings.port)?;
    let base = match addr.ip() {
        IpAddr::V6(ip) => format!("http://[{ip}]:{}", addr.port()),
        IpAddr::V4(ip) if ip.is_unspecified() => format!("http://127.0.0.1:{}", addr.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}", addr.port()),
    };
    // A new folder of our own: `create_dir` fails rather than reuse anything already there.
    let nonce = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let out = std::env::temp_dir().join(format!("chorus-serve-{}-{}-{nonce:x}", std::process::id(), addr.port()));
    std::fs::create_dir(&out).map_err(|e| format!("cannot create the preview folder {}: {e}", out.display()))?;
    let mut options = settings.options.clone();
    options.base_url = Some(base.clone());
    let mut preview = Preview::new(&settings.root, &out, options);
    let report = preview.full();
    print_report(&report, &preview.diagnostics);

    let any_host = addr.ip().is_unspecified();
    let mut allowed_hosts = vec!["localhost".to_string(), "127.0.0.1".to_string(), "[::1]".to_string()];
    allowed_hosts.push(match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    });
    let state = Arc::new(State {
        version: Mutex::new(1),
        changed: Condvar::new(),
        errors: RwLock::new(overlay_text(&report, &preview.diagnostics)),
        out: out.clone(),
        allowed_hosts,
        any_host,
        stopping: AtomicBool::new(false),
        streams: AtomicUsize::new(0),
    });

    let server = Arc::new(server);
    {
        let (state, server) = (state.clone(), server.clone());
        ctrlc::set_handler(move || {
            state.stopping.store(true, Ordering::SeqCst);
            state.changed.notify_all();
            for _ in 0..8 {
                server.unblock();
            }
        })
        .map_err(|e| format!("cannot listen for Ctrl-C: {e}"))?;
    }

    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer = notify_debouncer_full::new_debouncer(Duration::from_millis(10), None, tx)
        .map_err(|e| format!("cannot watch for changes: {e}"))?;
    for dir in ["content", "static", "templates", "themes"] {
        let p = settings.root.join(dir);
        if p.is_dir() && crate::hub::root_allowed(&settings.root, &p) {
            debouncer.watch(&p, RecursiveMode::Recursive).map_err(|e| format!("cannot watch {}: {e}", p.display()))?;
        }
    }
    // The root itself, not recursively: chorus.yaml, and folders created later.
    debouncer.watch(&settings.root, RecursiveMode::NonRecursive).map_err(|e| format!("cannot watch the hub: {e}"))?;

    {
        let state = state.clone();
        let root = settings.root.clone();
        std::thread::spawn(move || rebuild_loop(preview, rx, state, debouncer, root));
    }

    println!("Serving {} at {base}/ (Ctrl-C to stop)", settings.root.display());
    if settings.open {
        open_browser(&format!("{base}/"));
    }
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (server, state) = (server.clone(), state.clone());
            std::thread::spawn(move || {
                while !state.stopping.load(Ordering::SeqCst) {
                    match server.recv_timeout(Duration::from_millis(250)) {
                        Ok(Some(request)) => handle(request, &state),
                        Ok(None) => {}
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    let _ = std::fs::remove_dir_all(&out);
    println!("Stopped.");
    Ok(())
}

fn bind(ip: IpAddr, port: u16) -> Result<(tiny_http::Server, SocketAddr), String> {
    let mut last = String::new();
    for p in port..=port.saturating_add(20) {
        let addr = SocketAddr::new(ip, p);
        match tiny_http::Server::http(addr) {
            Ok(s) => {
                if p != port {
                    println!("Port {port} is in use; serving on port {p} instead.");
                }
                let real = s.server_addr().to_ip().unwrap_or(addr);
                return Ok((s, real));
            }
            Err(e) => last = e.to_string(),
        }
        if port == 0 {
            break;
        }
    }
    Err(format!("cannot listen on {ip}:{port} or the next 20 ports: {last}; choose another with `--port`"))
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        println!("Open {url} in your browser.");
    }
}

fn print_report(report: &Report, diags: &[Diagnostic]) {
    let ms = report.took.as_secs_f64() * 1000.0;
    if report.ok {
        let warnings: Vec<Diagnostic> = diags.to_vec();
        if !warnings.is_empty() {
            eprint!("{}", diagnostic::render(&warnings, Format::Human { color: false }));
        }
        println!("Rebuilt {} ({} files) in {ms:.0} ms", report.what, report.pages);
    } else {
        eprint!("{}", diagnostic::render(diags, Format::Human { color: false }));
        println!(
            "Could not rebuild {} ({ms:.0} ms); still serving the last good build. Fix the file and save.",
            report.what
        );
    }
}

fn overlay_text(report: &Report, diags: &[Diagnostic]) -> Option<String> {
    (!report.ok).then(|| {
        let errors: Vec<Diagnostic> = diags.iter().filter(|d| d.is_error()).cloned().collect();
        diagnostic::render(&errors, Format::Human { color: false })
    })
}

fn rebuild_loop(
    mut preview: Preview,
    rx: std::sync::mpsc::Receiver<notify_debouncer_full::DebounceEventResult>,
    state: Arc<State>,
    mut debouncer: notify_debouncer_full::Debouncer<
        notify_debouncer_full::notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
    root: PathBuf,
) {
    let mut watched: Vec<String> = ["content", "static", "templates", "themes"]
        .into_iter()
        .filter(|d| root.join(d).is_dir() && crate::hub::root_allowed(&root, &root.join(d)))
        .map(String::from)
        .collect();
    while let Ok(first) = rx.recv() {
        if state.stopping.load(Ordering::SeqCst) {
            break;
        }
        // A burst of events is one rebuild: keep taking batches until the files have been
        // quiet for a moment (at most a second).
        // A single save waits 10 ms more; once many files are changing (a checkout, a script),
        // it waits for a quarter second of quiet, so the burst is rebuilt once.
        let count = |b: &notify_debouncer_full::DebounceEventResult| b.as_ref().map_or(0, |e| e.len());
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
        for dir in ["content", "static", "templates", "themes"] {
            if !watched.iter().any(|w| w == dir)
                && root.join(dir).is_dir()
                && crate::hub::root_allowed(&root, &root.join(dir))
            {
                if debouncer.watch(root.join(dir), RecursiveMode::Recursive).is_ok() {
                    watched.push(dir.to_string());
                }
                paths.push(root.join(dir).join("."));
            }
        }
        let Some(report) = preview.apply(&paths) else { continue };
        print_report(&report, &preview.diagnostics);
        if let Ok(mut e) = state.errors.write() {
            *e = overlay_text(&report, &preview.diagnostics);
        }
        if let Ok(mut v) = state.version.lock() {
            *v += 1;
        }
        state.changed.notify_all();
    }
}

/// Why a request path cannot be served, or the file it names under `out`.
pub fn resolve_path(out: &Path, raw_url: &str) -> Result<PathBuf, u16> {
    let path = raw_url.split(['?', '#']).next().unwrap_or("/");
    if path.len() > 2048 || !path.starts_with('/') || path.starts_with("//") {
        return Err(400);
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().map_err(|_| 400u16)?;
    if decoded.contains('\0') || decoded.contains('\\') || decoded.split('/').any(|seg| seg == "." || seg == "..") {
        return Err(400);
    }
    let rel = decoded.trim_start_matches('/');
    let rel_path = Path::new(rel);
    if rel_path.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(400);
    }
    let mut file = out.join(rel_path);
    if decoded.ends_with('/') || rel.is_empty() {
        file.push("index.html");
    }
    Ok(file)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("xml") => "application/xml; charset=utf-8",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn respond(request: tiny_http::Request, status: u16, ctype: &str, body: Vec<u8>) {
    let response = tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", ctype))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    let _ = request.respond(response);
}

fn host_allowed(request: &tiny_http::Request, state: &State) -> bool {
    if state.any_host {
        return true;
    }
    let Some(host) =
        request.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str().to_ascii_lowercase())
    else {
        return false;
    };
    let name = if host.starts_with('[') {
        host.split(']').next().map(|h| format!("{h}]")).unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or("").to_string()
    };
    state.allowed_hosts.contains(&name)
}

fn handle(request: tiny_http::Request, state: &Arc<State>) {
    if !host_allowed(&request, state) {
        return respond(
            request,
            403,
            "text/plain; charset=utf-8",
            b"This preview only answers to localhost.\n".to_vec(),
        );
    }
    if !matches!(request.method(), tiny_http::Method::Get | tiny_http::Method::Head) {
        return respond(request, 405, "text/plain; charset=utf-8", b"Only GET and HEAD.\n".to_vec());
    }
    let url = request.url().to_string();
    match url.split('?').next().unwrap_or("") {
        "/__chorus/livereload.js" => {
            return respond(request, 200, "text/javascript; charset=utf-8", LIVE_JS.as_bytes().to_vec())
        }
        "/__chorus/overlay.css" => {
            return respond(request, 200, "text/css; charset=utf-8", OVERLAY_CSS.as_bytes().to_vec())
        }
        "/__chorus/events" => return events(request, state.clone()),
        _ => {}
    }
    let file = match resolve_path(&state.out, &url) {
        Ok(f) => f,
        Err(code) => return respond(request, code, "text/plain; charset=utf-8", b"Bad request.\n".to_vec()),
    };
    if file.is_dir() {
        // Built from the checked path, so the redirect stays on this site.
        let rel = file.strip_prefix(&state.out).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_default();
        let location = format!("/{rel}/");
        let response = tiny_http::Response::empty(301).with_header(header("Location", &location));
        let _ = request.respond(response);
        return;
    }
    // The canonical file must still be inside the preview folder (no symlink escapes).
    let inside = crate::hub::contains(&state.out, &file);
    let (status, file) = if inside && file.is_file() { (200, file) } else { (404, state.out.join("404.html")) };
    let body = match std::fs::read(&file) {
        Ok(b) => b,
        // Nothing was ever built (the first build failed): show why, not a bare 404.
        Err(_) if state.errors.read().is_ok_and(|e| e.is_some()) => {
            let page = b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title><script src=\"/__chorus/livereload.js\" defer></script></head><body></body></html>".to_vec();
            return respond(request, 500, "text/html; charset=utf-8", with_overlay(page, state));
        }
        Err(_) => return respond(request, 404, "text/plain; charset=utf-8", b"Not found.\n".to_vec()),
    };
    let ctype = content_type(&file);
    let body = if ctype.starts_with("text/html") { with_overlay(body, state) } else { body };
    respond(request, status, ctype, body)
}

/// Puts the build errors over the page, when the last rebuild failed.
fn with_overlay(body: Vec<u8>, state: &State) -> Vec<u8> {
    let errors = state.errors.read().ok().and_then(|e| e.clone());
    let Some(errors) = errors else { return body };
    let html = String::from_utf8_lossy(&body).to_string();
    let overlay = format!(
        "<link rel=\"stylesheet\" href=\"/__chorus/overlay.css\"><div class=\"chorus-overlay\" role=\"alert\"><h2>The last change could not be built</h2><p>You are looking at the last good build. Fix the problem below and save: this page reloads by itself.</p><pre>{}</pre></div>",
        crate::markdown::escape_html(&errors)
    );
    let at = html.find("<body").and_then(|b| html[b..].find('>').map(|e| b + e + 1));
    let mut out = html;
    match at {
        Some(i) => out.insert_str(i, &overlay),
        None => out.insert_str(0, &overlay),
    }
    out.into_bytes()
}

/// Server-sent events: one `data:` line with the build version, then one per rebuild.
fn events(request: tiny_http::Request, state: Arc<State>) {
    if state.streams.fetch_add(1, Ordering::SeqCst) >= 64 {
        state.streams.fetch_sub(1, Ordering::SeqCst);
        return respond(request, 503, "text/plain; charset=utf-8", b"Too many live-reload connections.\n".to_vec());
    }
    std::thread::spawn(move || {
        let mut w = request.into_writer();
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
        let mut seen = state.version.lock().map(|v| *v).unwrap_or(0);
        let mut ok = w.write_all(head.as_bytes()).is_ok() && writeln!(w, "data: {seen}\n").is_ok() && w.flush().is_ok();
        while ok && !state.stopping.load(Ordering::SeqCst) {
            let guard = match state.version.lock() {
                Ok(g) => g,
                Err(_) => break,
            };
            let (guard, _) = match state.changed.wait_timeout_while(guard, Duration::from_secs(15), |v| {
                *v == seen && !state.stopping.load(Ordering::SeqCst)
            }) {
                Ok(r) => r,
                Err(_) => break,
            };
            let now = *guard;
            drop(guard);
            ok = if now != seen {
                seen = now;
                writeln!(w, "data: {now}\n").is_ok() && w.flush().is_ok()
            } else {
                w.write_all(b": still here\n\n").is_ok() && w.flush().is_ok()
            };
        }
        state.streams.fetch_sub(1, Ordering::SeqCst);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_stay_inside_the_output() {
        let out = Path::new("/srv/out");
        assert_eq!(resolve_path(out, "/").unwrap(), out.join("index.html"));
        assert_eq!(resolve_path(out, "/posts/a/?x=1").unwrap(), out.join("posts/a/index.html"));
        assert_eq!(resolve_path(out, "/style.css").unwrap(), out.join("style.css"));
        for bad in
            ["/../etc/passwd", "/%2e%2e/etc/passwd", "/a/..%2f..%2fetc", "/a%5c..%5cb", "/a%00b", "/a/./b", "//posts"]
        {
            assert_eq!(resolve_path(out, bad), Err(400), "{bad}");
        }
        assert_eq!(resolve_path(out, &format!("/{}", "a".repeat(10_000))), Err(400));
        assert_eq!(resolve_path(out, "/%ff"), Err(400));
    }

    #[test]
    fn temporary_editor_files_are_ignored() {
        for name in ["x.md~", ".x.md.swp", "4913", ".#x.md", "x.md.tmp"] {
            assert!(crate::preview::is_temporary(Path::new(name)), "{name}");
        }
        assert!(!crate::preview::is_temporary(Path::new("x.md")));
    }
}
