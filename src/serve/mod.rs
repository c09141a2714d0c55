//! `chorus serve`: a local preview that rebuilds on change, reloads the browser, shows
//! build errors over the last good pages, and never exits because of content.
//!
//! Safety (DESIGN §9): binds to localhost by default, answers only to loopback names, the
//! bound address and `--allow-host` names (DNS rebinding), serves only files inside the
//! preview folder, never lists folders. `request` decides each answer without sockets;
//! `http` speaks HTTP (hyper on tokio); `watch` rebuilds on change.

mod http;
pub mod request;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

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
    /// Extra names the `Host` header may carry (`--allow-host`), besides loopback and `bind`.
    pub allow_hosts: Vec<String>,
    pub options: site::Options,
}

/// Starts the preview and blocks until Ctrl-C, SIGTERM or SIGHUP.
pub fn serve(mut settings: Settings) -> Result<(), String> {
    // The watcher reports absolute paths; the hub's root must be absolute to match them.
    settings.root = settings
        .root
        .canonicalize()
        .map_err(|e| format!("cannot open the hub folder {}: {e}", settings.root.display()))?;
    for name in &settings.allow_hosts {
        if request::normalise_allowed(name).is_none() {
            return Err(format!("`--allow-host {name}` is not a host name or an address"));
        }
    }
    let (listener, addr) = bind(settings.bind, settings.port)?;
    if let Some(warning) = exposure_warning(addr.ip(), &settings.allow_hosts) {
        eprintln!("{warning}");
    }
    let base = match addr.ip() {
        IpAddr::V6(ip) if ip.is_unspecified() => format!("http://[::1]:{}", addr.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}", addr.port()),
        IpAddr::V4(ip) if ip.is_unspecified() => format!("http://127.0.0.1:{}", addr.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}", addr.port()),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the preview server: {e}"))?;
    // Signals are caught from here on, so the preview folder made next is always removed.
    let stop_signal = {
        let _entered = runtime.enter();
        signals()?
    };

    // A new folder of our own: `create_dir` fails rather than reuse anything already there.
    let nonce = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let out = std::env::temp_dir().join(format!("chorus-serve-{}-{}-{nonce:x}", std::process::id(), addr.port()));
    std::fs::create_dir(&out).map_err(|e| format!("cannot create the preview folder {}: {e}", out.display()))?;
    let result = run(&settings, listener, &base, &out, &runtime, stop_signal);
    runtime.shutdown_timeout(Duration::from_millis(200));
    let _ = std::fs::remove_dir_all(&out);
    if result.is_ok() {
        println!("Stopped.");
    }
    result
}

/// Builds, then serves and rebuilds until `stop_signal` fires.
fn run(
    settings: &Settings,
    listener: TcpListener,
    base: &str,
    out: &std::path::Path,
    runtime: &tokio::runtime::Runtime,
    stop_signal: Arc<tokio::sync::Notify>,
) -> Result<(), String> {
    let mut options = settings.options.clone();
    options.base_url = Some(base.to_string());
    let mut preview = Preview::new(&settings.root, out, options);
    let report = preview.full();
    print_report(&report, &preview.diagnostics);

    let state = Arc::new(http::State {
        version: tokio::sync::watch::Sender::new(1),
        errors: RwLock::new(overlay_text(&report, &preview.diagnostics)),
        out: out.to_path_buf(),
        hosts: request::Hosts::new(settings.bind, &settings.allow_hosts),
        streams: AtomicUsize::new(0),
    });
    let (debouncer, rx) = watch::start(&settings.root)?;
    let stop = Arc::new(watch::Stop::default());
    {
        let (state, stop, root) = (state.clone(), stop.clone(), settings.root.clone());
        std::thread::spawn(move || watch::rebuild_loop(preview, rx, state, stop, debouncer, root));
    }
    listener.set_nonblocking(true).map_err(|e| format!("cannot serve: {e}"))?;
    let listener = {
        let _entered = runtime.enter();
        tokio::net::TcpListener::from_std(listener).map_err(|e| format!("cannot serve: {e}"))?
    };
    runtime.spawn(http::accept_loop(listener, state.clone()));

    println!("Serving {} at {base}/ (Ctrl-C to stop)", settings.root.display());
    if settings.open {
        open_browser(&format!("{base}/"));
    }
    runtime.block_on(stop_signal.notified());
    stop.stopping.store(true, Ordering::SeqCst);
    // Waits for a rebuild under way, so that nothing writes into the folder being removed.
    let _building = stop.building.lock();
    Ok(())
}

/// Ctrl-C, SIGTERM (a service manager, `kill`) and SIGHUP (the terminal closed) all stop
/// the preview the same way. Must be called inside the runtime.
fn signals() -> Result<Arc<tokio::sync::Notify>, String> {
    use tokio::signal::unix::{signal, SignalKind};
    let notify = Arc::new(tokio::sync::Notify::new());
    for kind in [SignalKind::interrupt(), SignalKind::terminate(), SignalKind::hangup()] {
        let mut stream = signal(kind).map_err(|e| format!("cannot listen for Ctrl-C: {e}"))?;
        let notify = notify.clone();
        tokio::spawn(async move {
            if stream.recv().await.is_some() {
                // Stores a permit if nobody waits yet: a signal is never lost.
                notify.notify_one();
            }
        });
    }
    Ok(notify)
}

/// The warning printed when the preview is reachable from other machines.
pub fn exposure_warning(ip: IpAddr, allow_hosts: &[String]) -> Option<String> {
    if ip.is_loopback() {
        return None;
    }
    let names = if allow_hosts.is_empty() {
        "Browsers on other devices must use a name given with `--allow-host`, such as this computer's address."
            .to_string()
    } else {
        format!("It answers to localhost, {ip} and {}.", allow_hosts.join(", "))
    };
    Some(format!(
        "warning: listening on {ip}: other devices on your network can open this preview, drafts included. {names}"
    ))
}

fn bind(ip: IpAddr, port: u16) -> Result<(TcpListener, SocketAddr), String> {
    let mut last = String::new();
    for p in port..=port.saturating_add(20) {
        let addr = SocketAddr::new(ip, p);
        match TcpListener::bind(addr) {
            Ok(listener) => {
                if p != port {
                    println!("Port {port} is in use; serving on port {p} instead.");
                }
                let real = listener.local_addr().unwrap_or(addr);
                return Ok((listener, real));
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
        if !diags.is_empty() {
            eprint!("{}", diagnostic::render(diags, Format::Human { color: false }));
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

/// The text of the overlay: every error of a failed rebuild (content and templates alike).
fn overlay_text(report: &Report, diags: &[Diagnostic]) -> Option<String> {
    (!report.ok).then(|| {
        let errors: Vec<Diagnostic> = diags.iter().filter(|d| d.is_error()).cloned().collect();
        diagnostic::render(&errors, Format::Human { color: false })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn temporary_editor_files_are_ignored() {
        for name in ["x.md~", ".x.md.swp", "4913", ".#x.md", "x.md.tmp"] {
            assert!(crate::preview::is_temporary(Path::new(name)), "{name}");
        }
        assert!(!crate::preview::is_temporary(Path::new("x.md")));
    }

    #[test]
    fn listening_beyond_this_computer_warns() {
        let lan = IpAddr::from([0, 0, 0, 0]);
        assert!(exposure_warning(IpAddr::from([127, 0, 0, 1]), &[]).is_none());
        let w = exposure_warning(lan, &[]).unwrap_or_default();
        assert!(w.starts_with("warning:") && w.contains("--allow-host"), "{w}");
        let w = exposure_warning(IpAddr::from([192, 168, 1, 5]), &["phone.local".into()]).unwrap_or_default();
        assert!(w.contains("phone.local"), "{w}");
    }
}
