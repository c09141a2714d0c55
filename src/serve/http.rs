//! `serve`'s HTTP side on hyper: one task per connection, the [`Decision`] of `request.rs`
//! turned into a response, the overlay, and live reload over server-sent events.
//!
//! Every request gets a response built from constants or checked values: nothing here
//! unwraps request data. File reads run on tokio's blocking pool so a slow disk never
//! stalls other connections.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE, LOCATION, X_CONTENT_TYPE_OPTIONS};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{mpsc, watch};

use super::request::{self, Decision, Entry, Hosts, Own};

/// Live-reload streams open at once; each is a browser tab.
const MAX_STREAMS: usize = 64;
/// A connection that has not sent its request headers by then is closed.
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);

/// State shared by the rebuild loop and the request handlers.
pub struct State {
    /// Bumped after every rebuild; live-reload streams watch it.
    pub version: watch::Sender<u64>,
    /// The human-readable diagnostics of the last rebuild, if it failed.
    pub errors: RwLock<Option<String>>,
    pub out: PathBuf,
    pub hosts: Hosts,
    pub streams: AtomicUsize,
}

impl State {
    fn errors(&self) -> Option<String> {
        self.errors.read().ok().and_then(|e| e.clone())
    }
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

const TEXT: &str = "text/plain; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";

/// Accepts connections until the runtime stops; each is served on its own task, so an idle
/// or half-sent connection never holds up another.
pub async fn accept_loop(listener: tokio::net::TcpListener, state: Arc<State>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: wait a moment rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let state = state.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| handle(req, state.clone()));
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT);
            // A broken or closed connection concerns that client only.
            let _ = builder.serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

async fn handle(req: Request<Incoming>, state: Arc<State>) -> Result<Response<Reply>, Infallible> {
    let method = req.method().as_str().to_string();
    let target = req.uri().to_string();
    let headers: Vec<(String, Vec<u8>)> =
        req.headers().iter().map(|(n, v)| (n.as_str().to_string(), v.as_bytes().to_vec())).collect();
    let blocking = {
        let state = state.clone();
        tokio::task::spawn_blocking(move || answer(&method, &target, &headers, &state))
    };
    Ok(match blocking.await {
        Ok(Prepared::Ready(response)) => response,
        Ok(Prepared::Events) => events(&state),
        Err(_) => plain(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong; try again.\n"),
    })
}

enum Prepared {
    Ready(Response<Reply>),
    Events,
}

/// Decides and, for files, reads them (blocking: run on the blocking pool).
fn answer(method: &str, target: &str, headers: &[(String, Vec<u8>)], state: &State) -> Prepared {
    let headers: Vec<(&str, &[u8])> = headers.iter().map(|(n, v)| (n.as_str(), v.as_slice())).collect();
    let look = |rel: &Path| look(&state.out, rel);
    let response = match request::decide(method, target, &headers, &state.hosts, &look) {
        Decision::UnknownHost => plain(
            StatusCode::FORBIDDEN,
            "This preview only answers to localhost and the names given with --allow-host.\n",
        ),
        Decision::MethodNotAllowed => plain(StatusCode::METHOD_NOT_ALLOWED, "Only GET and HEAD.\n"),
        Decision::BadRequest => plain(StatusCode::BAD_REQUEST, "Bad request.\n"),
        Decision::Own(Own::LiveReload) => reply(StatusCode::OK, "text/javascript; charset=utf-8", LIVE_JS.into()),
        Decision::Own(Own::OverlayCss) => reply(StatusCode::OK, "text/css; charset=utf-8", OVERLAY_CSS.into()),
        Decision::Own(Own::Events) => return Prepared::Events,
        Decision::Redirect(location) => redirect(&location),
        Decision::File(rel) => file(state, StatusCode::OK, &state.out.join(rel)),
        Decision::NotFound => file(state, StatusCode::NOT_FOUND, &state.out.join("404.html")),
    };
    Prepared::Ready(response)
}

/// What `rel` names in the preview folder; a link leading out of it names nothing.
fn look(out: &Path, rel: &Path) -> Entry {
    let path = out.join(rel);
    match std::fs::metadata(&path) {
        Ok(m) if (m.is_file() || m.is_dir()) && !crate::hub::contains(out, &path) => Entry::Missing,
        Ok(m) if m.is_file() => Entry::File,
        Ok(m) if m.is_dir() => Entry::Folder,
        _ => Entry::Missing,
    }
}

fn file(state: &State, status: StatusCode, path: &Path) -> Response<Reply> {
    match std::fs::read(path) {
        Ok(body) => {
            let ctype = request::content_type(path);
            let body = if ctype == HTML { with_overlay(body, state) } else { body };
            reply(status, ctype, body)
        }
        // Nothing was ever built (the first build failed): show why, not a bare 404.
        Err(_) if state.errors().is_some() => {
            let page = b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title><script src=\"/__chorus/livereload.js\" defer></script></head><body></body></html>".to_vec();
            reply(StatusCode::INTERNAL_SERVER_ERROR, HTML, with_overlay(page, state))
        }
        Err(_) => plain(StatusCode::NOT_FOUND, "Not found.\n"),
    }
}

fn redirect(location: &str) -> Response<Reply> {
    // `decide` builds only safe addresses; checked again so no header can ever carry more.
    match HeaderValue::from_str(location) {
        Ok(value) if request::safe_location(location) => {
            let mut r = reply(StatusCode::MOVED_PERMANENTLY, TEXT, Vec::new());
            r.headers_mut().insert(LOCATION, value);
            r
        }
        _ => plain(StatusCode::BAD_REQUEST, "Bad request.\n"),
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response<Reply> {
    reply(status, TEXT, text.into())
}

fn reply(status: StatusCode, ctype: &'static str, body: Vec<u8>) -> Response<Reply> {
    let mut r = Response::new(Reply::Full(Some(Bytes::from(body))));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}

/// Puts the build errors over the page, when the last rebuild failed.
fn with_overlay(body: Vec<u8>, state: &State) -> Vec<u8> {
    let Some(errors) = state.errors() else { return body };
    let mut html = String::from_utf8_lossy(&body).into_owned();
    let overlay = format!(
        "<link rel=\"stylesheet\" href=\"/__chorus/overlay.css\"><div class=\"chorus-overlay\" role=\"alert\"><h2>The last change could not be built</h2><p>You are looking at the last good build. Fix the problems below and save: this page reloads by itself.</p><pre>{}</pre></div>",
        crate::markdown::escape_html(&errors)
    );
    let at = html.find("<body").and_then(|b| html[b..].find('>').map(|e| b + e + 1)).unwrap_or(0);
    html.insert_str(at, &overlay);
    html.into_bytes()
}

/// Server-sent events: one `data:` line with the build version, then one per rebuild, and
/// a comment every 15 s so that a closed tab is noticed.
fn events(state: &Arc<State>) -> Response<Reply> {
    if state.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        state.streams.fetch_sub(1, Ordering::SeqCst);
        return plain(StatusCode::SERVICE_UNAVAILABLE, "Too many live-reload connections.\n");
    }
    let slot = Slot(state.clone());
    let (tx, rx) = mpsc::channel::<Bytes>(4);
    let mut version = state.version.subscribe();
    tokio::spawn(async move {
        let first = *version.borrow_and_update();
        if tx.send(Bytes::from(format!("data: {first}\n\n"))).await.is_err() {
            return;
        }
        loop {
            let frame = match tokio::time::timeout(Duration::from_secs(15), version.changed()).await {
                Ok(Ok(())) => format!("data: {}\n\n", *version.borrow_and_update()),
                Ok(Err(_)) => return,
                Err(_) => ": still here\n\n".to_string(),
            };
            // Fails once the client has gone and its body was dropped.
            if tx.send(Bytes::from(frame)).await.is_err() {
                return;
            }
        }
    });
    let mut r = Response::new(Reply::Events { rx, _slot: slot });
    let h = r.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// One place among [`MAX_STREAMS`], given back when the stream's body is dropped.
pub struct Slot(Arc<State>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.streams.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A response body: a whole file or text, or a live-reload stream.
pub enum Reply {
    Full(Option<Bytes>),
    Events { rx: mpsc::Receiver<Bytes>, _slot: Slot },
}

impl Body for Reply {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Reply::Full(body) => Poll::Ready(body.take().map(|b| Ok(Frame::data(b)))),
            Reply::Events { rx, .. } => rx.poll_recv(cx).map(|b| b.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Reply::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Reply::Full(body) => SizeHint::with_exact(body.as_ref().map_or(0, |b| b.len() as u64)),
            Reply::Events { .. } => SizeHint::default(),
        }
    }
}
