//! What every browser test stands on: the demo hub built by the real `chorus` binary into a
//! temporary folder, served over HTTP on 127.0.0.1, and Debian's Chromium driven headless
//! over the DevTools protocol (see `cdp.rs`; no browser is ever downloaded).
//!
//! ```ignore
//! let Some(env) = Env::start() else { return }; // no Chromium here: skipped
//! let page = env.page(Js::Enabled);
//! page.goto("/posts/x/");
//! let title: String = page.eval("document.title");
//! ```
//!
//! Nothing here depends on the network or on today's date: builds are judged against `common::NOW`,
//! the browser runs with its background networking off and a fresh profile, and every wait
//! polls against a deadline. Dropping an `Env` stops the browser and the server and removes
//! the temporary folders.

use std::cell::{Ref, RefCell};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::cdp::{Chromium, Slot, DEADLINE};
use crate::common::{files_under, Run, TestSite};
use crate::server::Server;

/// Debian's Chromium (CI installs it with `apt-get install chromium`).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Chromium's path, or `None` after printing why the test is skipped. With
/// `CHORUS_REQUIRE_BROWSER=1` (for CI), a missing Chromium fails the test instead.
pub fn chromium() -> Option<&'static Path> {
    let path = Path::new(CHROMIUM);
    if path.is_file() {
        return Some(path);
    }
    if std::env::var_os("CHORUS_REQUIRE_BROWSER").is_some_and(|v| v == "1") {
        panic!("CHORUS_REQUIRE_BROWSER=1 but Chromium is not installed at {CHROMIUM} (apt-get install chromium)");
    }
    // Straight to stderr, not `eprintln!`, which the test harness would capture and hide.
    let _ = writeln!(
        std::io::stderr(),
        "skipped: chromium not installed ({CHROMIUM}); set CHORUS_REQUIRE_BROWSER=1 to make this an error"
    );
    None
}

/// The demo hub as readers get it: `chorus build` of a copy of the repository's demo hub, in a
/// temporary folder.
pub struct Site {
    /// The build; it keeps the temporary folder alive.
    run: Run,
}

impl Site {
    pub fn build_demo() -> Site {
        let run = TestSite::demo().build();
        run.success();
        Site { run }
    }

    /// Any test hub, built with the real binary.
    pub fn build(hub: TestSite) -> Site {
        let run = hub.build();
        run.success();
        Site { run }
    }

    pub fn root(&self) -> PathBuf {
        self.run.out.clone()
    }

    /// The URL path of every HTML page in the build (`x/index.html` → `/x/`), sorted.
    pub fn html_pages(&self) -> Vec<String> {
        let mut pages: Vec<String> = files_under(&self.root())
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .map(|f| match f.strip_suffix("index.html") {
                Some(dir) => format!("/{dir}"),
                None => format!("/{f}"),
            })
            .collect();
        pages.sort();
        pages
    }
}

/// A built demo, its server and a headless Chromium. Fields drop in order: browser first,
/// the place among the tests that may run at once last.
pub struct Env {
    browser: RefCell<Chromium>,
    pub server: Server,
    pub site: Site,
    _slot: Slot,
}

impl Env {
    /// `None` (the test is skipped) when Chromium is not installed.
    pub fn start() -> Option<Env> {
        Env::start_with(HashMap::new())
    }

    /// Like [`Env::start`], for another hub than the demo.
    pub fn start_hub(hub: TestSite) -> Option<Env> {
        let chromium = chromium()?;
        let slot = Slot::take();
        let site = Site::build(hub);
        let server = Server::start(&site.root(), HashMap::new());
        let browser = RefCell::new(Chromium::launch(chromium));
        Some(Env { browser, server, site, _slot: slot })
    }

    /// Like [`Env::start`], with extra in-memory pages (path → HTML) served beside the site.
    pub fn start_with(extra_pages: HashMap<String, String>) -> Option<Env> {
        let chromium = chromium()?;
        let slot = Slot::take();
        let site = Site::build_demo();
        let server = Server::start(&site.root(), extra_pages);
        let browser = RefCell::new(Chromium::launch(chromium));
        Some(Env { browser, server, site, _slot: slot })
    }

    /// A new tab, with its recorders on, before it loads anything.
    pub fn page(&self, js: Js) -> Page<'_> {
        let mut browser = self.browser.borrow_mut();
        let target = browser.must(None, "Target.createTarget", json!({ "url": "about:blank" }));
        let attached =
            browser.must(None, "Target.attachToTarget", json!({ "targetId": target["targetId"], "flatten": true }));
        let session = attached["sessionId"].as_str().expect("a session id").to_string();
        let s = Some(session.as_str());
        browser.must(s, "Page.enable", json!({}));
        browser.must(s, "Page.setLifecycleEventsEnabled", json!({ "enabled": true }));
        browser.must(s, "Network.enable", json!({}));
        browser.must(s, "Log.enable", json!({}));
        browser.must(s, "Runtime.enable", json!({}));
        // Headless pages are not focused; the clipboard API needs a focused document.
        browser.must(s, "Emulation.setFocusEmulationEnabled", json!({ "enabled": true }));
        browser.must(s, "Runtime.addBinding", json!({ "name": VIOLATION_BINDING }));
        browser.must(s, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": VIOLATION_LISTENER }));
        if js == Js::Disabled {
            browser.must(s, "Emulation.setScriptExecutionDisabled", json!({ "value": true }));
        }
        drop(browser);
        Page { env: self, session, js, recorded: RefCell::new(Recorded::default()), loaded: RefCell::default() }
    }

    /// Lets pages of the test server read and write the clipboard without asking.
    pub fn grant_clipboard(&self) {
        self.browser.borrow_mut().must(
            None,
            "Browser.grantPermissions",
            json!({
                "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
                "origin": self.server.origin(),
            }),
        );
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Js {
    Enabled,
    Disabled,
}

/// A network request a page made.
#[derive(Clone, Debug)]
pub struct Request {
    pub url: String,
    /// The document that made it.
    pub document: String,
}

/// A message the browser logged (what DevTools' console shows).
#[derive(Clone, Debug)]
pub struct LogEntry {
    pub level: String,
    pub source: String,
    pub text: String,
    /// The page or resource it is about.
    pub url: String,
}

/// What the browser reported about a tab, across navigations.
#[derive(Default, Debug)]
pub struct Recorded {
    pub requests: Vec<Request>,
    /// `securitypolicyviolation` events the documents saw (JSON objects).
    pub violations: Vec<Value>,
    /// Browser log entries of level error or warning.
    pub log: Vec<LogEntry>,
    /// Uncaught exceptions in page scripts.
    pub exceptions: Vec<String>,
}

const VIOLATION_BINDING: &str = "__chorusViolation";

/// Installed in every document before its own scripts run: reports CSP violations to the
/// test through a DevTools binding, whose calls reach the test even if the page navigates on.
const VIOLATION_LISTENER: &str = r#"
document.addEventListener("securitypolicyviolation", function (e) {
  window.__chorusViolation(JSON.stringify({
    document: e.documentURI, directive: e.effectiveDirective, blocked: e.blockedURI,
    sample: e.sample, source: e.sourceFile, line: e.lineNumber
  }));
}, true);
"#;

/// One tab.
pub struct Page<'a> {
    env: &'a Env,
    session: String,
    js: Js,
    recorded: RefCell<Recorded>,
    /// Loader ids of the documents that fired `load`.
    loaded: RefCell<HashSet<String>>,
}

impl Page<'_> {
    fn call(&self, method: &str, params: Value) -> Result<Value, String> {
        let mut browser = self.env.browser.borrow_mut();
        let result = browser.call(Some(&self.session), method, params);
        let events = browser.take_events();
        drop(browser);
        self.absorb(events);
        result
    }

    fn must(&self, method: &str, params: Value) -> Value {
        self.call(method, params).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Records this tab's events of interest.
    fn absorb(&self, events: Vec<Value>) {
        let mut recorded = self.recorded.borrow_mut();
        for event in events {
            if event["sessionId"] != self.session.as_str() {
                continue;
            }
            let params = &event["params"];
            match event["method"].as_str().unwrap_or("") {
                "Page.lifecycleEvent" if params["name"] == "load" => {
                    self.loaded.borrow_mut().insert(params["loaderId"].as_str().unwrap_or("").to_string());
                }
                "Network.requestWillBeSent" => recorded.requests.push(Request {
                    url: params["request"]["url"].as_str().unwrap_or("").to_string(),
                    document: params["documentURL"].as_str().unwrap_or("").to_string(),
                }),
                "Runtime.bindingCalled" if params["name"] == VIOLATION_BINDING => {
                    let payload = params["payload"].as_str().unwrap_or("");
                    recorded.violations.push(serde_json::from_str(payload).unwrap_or_else(|_| json!(payload)));
                }
                "Log.entryAdded" if matches!(params["entry"]["level"].as_str(), Some("error" | "warning")) => {
                    let entry = &params["entry"];
                    let field = |name: &str| entry[name].as_str().unwrap_or("").to_string();
                    recorded.log.push(LogEntry {
                        level: field("level"),
                        source: field("source"),
                        text: field("text"),
                        url: field("url"),
                    });
                }
                "Runtime.exceptionThrown" => {
                    let details = &params["exceptionDetails"];
                    recorded.exceptions.push(format!(
                        "{} {} ({}:{})",
                        details["text"].as_str().unwrap_or(""),
                        details["exception"]["description"].as_str().unwrap_or(""),
                        details["url"].as_str().unwrap_or(""),
                        details["lineNumber"]
                    ));
                }
                _ => {}
            }
        }
    }

    pub fn url(&self, path: &str) -> String {
        self.env.server.url(path)
    }

    /// Loads `path` of the test server and waits for its `load` event. A load that stalls
    /// (seen now and then on a busy machine: the tab asks for an image that never reaches
    /// the server, and no `load` comes) is tried once more; a page that stalls twice fails.
    pub fn goto(&self, path: &str) {
        const FIRST_TRY: Duration = Duration::from_secs(20);
        let url = self.url(path);
        if self.navigate(&url, FIRST_TRY) {
            return;
        }
        let _ = writeln!(std::io::stderr(), "{url} did not load within {FIRST_TRY:?}; loading it again");
        if !self.navigate(&url, DEADLINE) {
            let asked: Vec<String> = self.recorded.borrow().requests.iter().map(|r| r.url.clone()).collect();
            let served: Vec<String> =
                self.env.server.log().iter().map(|s| format!("{} {}", s.status, s.path)).collect();
            panic!(
                "{url} did not finish loading, twice\nthe tab asked for (last 15): {:#?}\nthe server answered (last 15): {:#?}",
                &asked[asked.len().saturating_sub(15)..],
                &served[served.len().saturating_sub(15)..]
            );
        }
    }

    /// Navigates to `url`; whether its `load` event came within `within` (at most [`DEADLINE`]).
    fn navigate(&self, url: &str, within: Duration) -> bool {
        let navigated = self.must("Page.navigate", json!({ "url": url }));
        if let Some(error) = navigated.get("errorText") {
            panic!("cannot open {url}: {error}");
        }
        let loader = navigated["loaderId"].as_str().unwrap_or_else(|| panic!("no new document for {url}")).to_string();
        // `next_event` gives up [`DEADLINE`] after the instant it is given.
        let start = Instant::now().checked_sub(DEADLINE.saturating_sub(within)).unwrap_or_else(Instant::now);
        // The load event may already have come in with the answer to Page.navigate.
        while !self.loaded.borrow().contains(&loader) {
            match self.env.browser.borrow_mut().next_event(start) {
                Some(event) => self.absorb(vec![event]),
                None => return false,
            }
        }
        true
    }

    /// Polls `done` until it is true, failing the test after [`DEADLINE`].
    pub fn wait_for(&self, what: &str, mut done: impl FnMut() -> bool) {
        let start = Instant::now();
        while !done() {
            assert!(start.elapsed() < DEADLINE, "timed out after {DEADLINE:?} waiting for {what}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Evaluates a JavaScript expression in the page (awaiting it if it is a promise) and
    /// returns its JSON value, or the exception it threw.
    pub fn try_eval<T: DeserializeOwned>(&self, expression: &str) -> Result<T, String> {
        let params = json!({ "expression": expression, "returnByValue": true, "awaitPromise": true });
        let result = self.call("Runtime.evaluate", params)?;
        if let Some(details) = result.get("exceptionDetails") {
            let description = details["exception"]["description"].as_str().unwrap_or("");
            return Err(format!("{} {description}", details["text"].as_str().unwrap_or("")));
        }
        let value = result["result"].get("value").cloned().unwrap_or(Value::Null);
        serde_json::from_value(value.clone()).map_err(|e| format!("unexpected result {value}: {e}"))
    }

    /// Sends a DevTools command to this tab (e.g. `Page.printToPDF`) and returns its result,
    /// failing the test on an error.
    pub fn devtools(&self, method: &str, params: Value) -> Value {
        self.must(method, params)
    }

    /// [`Page::try_eval`], failing the test on an exception.
    pub fn eval<T: DeserializeOwned>(&self, expression: &str) -> T {
        self.try_eval(expression).unwrap_or_else(|e| panic!("evaluating `{expression}` failed: {e}"))
    }

    /// Clicks the middle of the element `selector` with the mouse, as a person would; fails
    /// if it is not visible or something else covers it.
    pub fn click(&self, selector: &str) {
        let quoted = Value::from(selector);
        let point: Option<(f64, f64)> = self.eval(&format!(
            "(() => {{ const e = document.querySelector({quoted}); if (!e || !e.checkVisibility()) return null;
               e.scrollIntoView({{ block: 'center' }}); const r = e.getBoundingClientRect();
               const x = r.left + r.width / 2, y = r.top + r.height / 2;
               const hit = document.elementFromPoint(x, y);
               return hit && (hit === e || e.contains(hit)) ? [x, y] : null; }})()"
        ));
        let (x, y) = point.unwrap_or_else(|| panic!("{selector} is missing, hidden or covered: it cannot be clicked"));
        self.must("Input.dispatchMouseEvent", json!({ "type": "mouseMoved", "x": x, "y": y }));
        for kind in ["mousePressed", "mouseReleased"] {
            self.must(
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            );
        }
    }

    /// Types `text` into the focused element, one key press per character.
    pub fn type_text(&self, text: &str) {
        for c in text.chars() {
            let key = c.to_string();
            self.must(
                "Input.dispatchKeyEvent",
                json!({ "type": "keyDown", "key": key, "text": key, "unmodifiedText": key }),
            );
            self.must("Input.dispatchKeyEvent", json!({ "type": "keyUp", "key": key }));
        }
    }

    /// Inserts `text` into the focused element at once, as an input method does (for
    /// scripts that are not typed key by key, like Japanese).
    pub fn insert_text(&self, text: &str) {
        self.must("Input.insertText", json!({ "text": text }));
    }

    /// Presses a key that types nothing (`ArrowDown`, `Escape`, `Enter`, `Tab`).
    pub fn press(&self, key: &str) {
        let code = match key {
            "ArrowDown" => 40,
            "ArrowUp" => 38,
            "Escape" => 27,
            "Enter" => 13,
            "Tab" => 9,
            _ => 0,
        };
        let mut down = json!({ "type": "rawKeyDown", "key": key, "code": key, "windowsVirtualKeyCode": code });
        if key == "Enter" {
            // A key that types a character: the form submits on it.
            down["type"] = json!("keyDown");
            down["text"] = json!("\r");
        }
        self.must("Input.dispatchKeyEvent", down);
        self.must(
            "Input.dispatchKeyEvent",
            json!({ "type": "keyUp", "key": key, "code": key, "windowsVirtualKeyCode": code }),
        );
    }

    /// Sets the viewport width and the colour scheme, and saves a PNG of the whole page.
    pub fn screenshot_at(&self, path: &Path, width: u32, dark: bool) {
        self.must(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600 }),
        );
        let scheme = if dark { "dark" } else { "light" };
        self.must(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
        let shot = self.must("Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": true }));
        let data = shot["data"].as_str().expect("a screenshot");
        let bytes = decode_base64(data);
        std::fs::write(path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }

    /// What the browser reported about this tab so far. Makes a round trip through the page
    /// first, so that whatever the current document has reported is in.
    pub fn recorded(&self) -> Ref<'_, Recorded> {
        // (Timers do not run while scripts are off; then a plain round trip does.)
        let _ = match self.js {
            Js::Enabled => self.try_eval::<Value>("new Promise(r => setTimeout(() => r(null), 0))"),
            Js::Disabled => self.try_eval::<Value>("null"),
        };
        self.recorded.borrow()
    }

    /// The recorded requests that went anywhere but the test server (`data:` URLs stay in
    /// the page and are allowed).
    pub fn foreign_requests(&self) -> Vec<Request> {
        let origin = self.env.server.origin();
        let prefix = format!("{origin}/");
        self.recorded()
            .requests
            .iter()
            .filter(|r| r.url != origin && !r.url.starts_with(&prefix) && !r.url.starts_with("data:"))
            .cloned()
            .collect()
    }
}

/// A colour scheme the page is shown in (`prefers-color-scheme`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scheme {
    Light,
    Dark,
}

impl Scheme {
    pub fn id(self) -> &'static str {
        match self {
            Scheme::Light => "light",
            Scheme::Dark => "dark",
        }
    }
}

impl Page<'_> {
    /// Shows the page as a `width` × `height` screen (a phone when `mobile`), in `scheme`.
    pub fn emulate(&self, width: u32, height: u32, mobile: bool, scheme: Scheme) {
        self.must(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile }),
        );
        self.must(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme.id() }] }),
        );
    }

    /// Puts the browser in the IANA time zone `zone` (e.g. `Europe/Berlin`).
    pub fn set_timezone(&self, zone: &str) {
        self.must("Emulation.setTimezoneOverride", json!({ "timezoneId": zone }));
    }

    /// A PNG of the whole page (beyond the viewport), written to `path`.
    pub fn screenshot(&self, path: &Path) {
        let shot = self.must("Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": true }));
        let data = shot["data"].as_str().expect("screenshot data");
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("screenshot folder");
        }
        std::fs::write(path, decode_base64(data)).expect("write the screenshot");
    }
}

/// Standard base64 (what DevTools sends screenshots in).
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => 0,
        }
    };
    let clean: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    for chunk in clean.chunks(4) {
        let pad = chunk.iter().filter(|&&c| c == b'=').count();
        let n = chunk.iter().fold(0u32, |n, &c| (n << 6) | if c == b'=' { 0 } else { value(c) });
        let n = n << (6 * (4 - chunk.len()));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad.min(2)]);
    }
    out
}

#[test]
fn base64_decodes() {
    assert_eq!(decode_base64("aGVsbG8="), b"hello");
    assert_eq!(decode_base64("aGVsbG8h"), b"hello!");
    assert_eq!(decode_base64("aGk="), b"hi");
    assert_eq!(decode_base64(""), b"");
}
