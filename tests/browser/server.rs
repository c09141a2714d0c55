//! A tiny static HTTP server on `127.0.0.1` (a free port) for a built site, the way a plain
//! static host serves it: `/x/` → `x/index.html`, anything missing → `404.html` with status
//! 404. It can also serve a few extra in-memory pages (the self-test pages), and it logs every
//! request it answers so a test can see which files pages asked for.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tiny_http::{Header, Response, StatusCode};

/// One answered request: the path asked for and the status given.
#[derive(Clone, Debug)]
pub struct Served {
    pub path: String,
    pub status: u16,
}

pub struct Server {
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
    origin: String,
    log: Arc<Mutex<Vec<Served>>>,
}

impl Server {
    /// Serves `root`, plus `extra` pages (path → HTML, where `{PORT}` stands for the
    /// server's port) that are not in it.
    pub fn start(root: &Path, extra: HashMap<String, String>) -> Server {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("a free port on 127.0.0.1"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let extra: HashMap<String, String> =
            extra.into_iter().map(|(path, html)| (path, html.replace("{PORT}", &port.to_string()))).collect();
        let origin = format!("http://127.0.0.1:{port}");
        let log = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (server, log, root) = (Arc::clone(&server), Arc::clone(&log), root.to_path_buf());
            std::thread::spawn(move || {
                // Ends when `Drop` unblocks the server.
                for request in server.incoming_requests() {
                    let path = request.url().split(['?', '#']).next().unwrap_or("/").to_string();
                    let (status, content_type, body) = answer(&root, &extra, &path);
                    log.lock().unwrap().push(Served { path, status });
                    let header = Header::from_bytes("Content-Type", content_type).unwrap();
                    // One request per connection: with connections kept alive, a page's eager
                    // images were seen to wait for ever for a connection the server no longer
                    // read from (the load event never came).
                    let close = Header::from_bytes("Connection", "close").unwrap();
                    let response = Response::from_data(body)
                        .with_status_code(StatusCode(status))
                        .with_header(header)
                        .with_header(close);
                    // Each answer on a thread of its own: a browser that stops reading one
                    // response (an image of a page it left) must not hold up the others.
                    std::thread::spawn(move || {
                        let _ = request.respond(response);
                    });
                }
            })
        };
        Server { server, thread: Some(thread), origin, log }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    /// Every request answered so far.
    pub fn log(&self) -> Vec<Served> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn answer(root: &Path, extra: &HashMap<String, String>, path: &str) -> (u16, &'static str, Vec<u8>) {
    if let Some(html) = extra.get(path) {
        return (200, "text/html; charset=utf-8", html.clone().into_bytes());
    }
    if let Some(file) = file_for(root, path) {
        if let Ok(body) = fs::read(&file) {
            return (200, content_type(&file), body);
        }
    }
    let not_found = fs::read(root.join("404.html")).unwrap_or_else(|_| b"not found".to_vec());
    (404, "text/html; charset=utf-8", not_found)
}

/// The file a URL path names, if it is a file inside `root`.
fn file_for(root: &Path, path: &str) -> Option<PathBuf> {
    let relative = path.strip_prefix('/')?;
    if relative.split('/').any(|segment| segment == ".." || segment == "." || segment.contains('\\')) {
        return None;
    }
    let mut file = root.join(relative);
    if path.ends_with('/') {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "xml" => "application/xml",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
