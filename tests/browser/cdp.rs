//! A small Chrome DevTools Protocol client: Debian's Chromium started headless with a fresh
//! profile, one WebSocket to it (`tungstenite`, blocking), commands and events as plain JSON
//! (`serde_json`), and tabs as flattened sessions. Every wait has a deadline.

use std::collections::VecDeque;
use std::fs::File;
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// How long a single wait (start-up, a command, an event) may take. Generous: on a 2-core
/// machine two Chromiums and a debug build share the CPU, and a page with several images
/// has been seen to need over 20 s to fire its load event; a real hang still fails.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// The flags the browser runs with, besides the profile and the debugging port.
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--password-store=basic",
    "--use-mock-keychain",
    "--window-size=1280,900",
];

/// How many browser tests may run at once (build a hub and drive a Chromium), whatever the
/// number of test threads: each Chromium is several processes, and on a 2-core machine more
/// than two tests starve each other until page loads miss their deadline.
const AT_ONCE: usize = 2;

/// A place among the [`AT_ONCE`] browser tests that may run; given back when dropped.
pub struct Slot;

static RUNNING: (std::sync::Mutex<usize>, std::sync::Condvar) = (std::sync::Mutex::new(0), std::sync::Condvar::new());

impl Slot {
    pub fn take() -> Slot {
        let (count, freed) = &RUNNING;
        let mut running = count.lock().unwrap_or_else(|e| e.into_inner());
        while *running >= AT_ONCE {
            running = freed.wait(running).unwrap_or_else(|e| e.into_inner());
        }
        *running += 1;
        Slot
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let (count, freed) = &RUNNING;
        *count.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
        freed.notify_one();
    }
}

/// A running headless Chromium and the one connection that drives it. Dropping it closes
/// the browser (killing it if it does not quit in time) and removes its profile.
pub struct Chromium {
    child: Child,
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    /// Events read while waiting for something else, oldest first.
    events: VecDeque<Value>,
    profile: tempfile::TempDir,
}

impl Chromium {
    pub fn launch(executable: &Path) -> Chromium {
        let profile = tempfile::Builder::new().prefix("chorus-chromium-").tempdir().expect("a temporary folder");
        let log = File::create(profile.path().join("chromium.log")).expect("a log file");
        let mut child = Command::new(executable)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.path().join("profile").display()))
            .arg("--remote-debugging-port=0")
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", executable.display()));

        // With port 0, Chromium picks a free port and writes it, with the browser's
        // WebSocket path, to DevToolsActivePort in the profile.
        let port_file = profile.path().join("profile").join("DevToolsActivePort");
        let start = Instant::now();
        let endpoint = loop {
            if let Ok(text) = std::fs::read_to_string(&port_file) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    break format!("ws://127.0.0.1:{port}{path}");
                }
            }
            let log = || std::fs::read_to_string(profile.path().join("chromium.log")).unwrap_or_default();
            if let Ok(Some(status)) = child.try_wait() {
                panic!("Chromium exited at start-up ({status}):\n{}", log());
            }
            if start.elapsed() > DEADLINE {
                let _ = child.kill();
                let _ = child.wait();
                panic!("Chromium did not open its debugging port within {DEADLINE:?}:\n{}", log());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let (ws, _) = tungstenite::connect(&endpoint).unwrap_or_else(|e| panic!("cannot connect to {endpoint}: {e}"));
        if let MaybeTlsStream::Plain(stream) = ws.get_ref() {
            // Reads wake up regularly so that waits can check their deadline.
            stream.set_read_timeout(Some(Duration::from_millis(200))).expect("a read timeout");
        }
        Chromium { child, ws, next_id: 0, events: VecDeque::new(), profile }
    }

    /// Sends a command (to a tab's session, or to the browser) and returns its result, or the
    /// protocol's error message.
    pub fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.ws
            .send(Message::text(message.to_string()))
            .unwrap_or_else(|e| panic!("cannot send {method} to Chromium: {e}"));
        let start = Instant::now();
        loop {
            let Some(message) = self.read(start) else {
                panic!("Chromium did not answer {method} within {DEADLINE:?}");
            };
            if message["id"] == id {
                return match message.get("error") {
                    Some(error) => Err(format!("{method}: {}", error["message"].as_str().unwrap_or("error"))),
                    None => Ok(message["result"].clone()),
                };
            }
            if message.get("method").is_some() {
                self.events.push_back(message);
            }
        }
    }

    /// [`Chromium::call`], failing the test on a protocol error.
    pub fn must(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.call(session, method, params).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Takes every event read so far (everything Chromium sent before the last answer).
    pub fn take_events(&mut self) -> Vec<Value> {
        self.events.drain(..).collect()
    }

    /// The next event (buffered, or read from the socket), or `None` once [`DEADLINE`] has
    /// passed since `start`.
    pub fn next_event(&mut self, start: Instant) -> Option<Value> {
        if let Some(event) = self.events.pop_front() {
            return Some(event);
        }
        loop {
            let message = self.read(start)?;
            if message.get("method").is_some() {
                return Some(message);
            }
        }
    }

    /// The next message, or `None` once [`DEADLINE`] has passed since `start`.
    fn read(&mut self, start: Instant) -> Option<Value> {
        loop {
            match self.ws.read() {
                Ok(Message::Text(text)) => {
                    return Some(serde_json::from_str(text.as_str()).expect("JSON from Chromium"))
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) =>
                {
                    if start.elapsed() > DEADLINE {
                        return None;
                    }
                }
                Err(e) => panic!("lost the connection to Chromium: {e}\n{}", self.log()),
            }
        }
    }

    /// What Chromium printed so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.profile.path().join("chromium.log")).unwrap_or_default()
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        self.next_id += 1;
        let close = json!({ "id": self.next_id, "method": "Browser.close", "params": {} });
        let _ = self.ws.send(Message::text(close.to_string()));
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
