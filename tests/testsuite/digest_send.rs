//! `chorus digest --send`, `--eml` and `--dry-run` (DESIGN §14), against a real SMTP server
//! the test starts on 127.0.0.1 (`tests/support/smtp_server.py`, Python's aiosmtpd, installed
//! by `.ci/run`). The tests read what arrives: envelope, headers, both parts.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::common::{repo, TestSite, NOW};

/// An SMTP server of the test's own, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new("python3")
            .arg(repo().join("tests/support/smtp_server.py"))
            .arg(dir.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs (install it and `pip install aiosmtpd`, see .ci/run)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port =
            line.trim().strip_prefix("PORT ").and_then(|p| p.parse().ok()).unwrap_or_else(|| {
                panic!("the SMTP server did not start (is aiosmtpd installed? see .ci/run): {line:?}")
            });
        Server { child, port, dir }
    }

    fn events(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(self.dir.path().join("events.jsonl")).unwrap_or_default();
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    fn event_names(&self) -> Vec<String> {
        self.events().iter().map(|e| e["event"].as_str().unwrap().to_string()).collect()
    }

    fn messages(&self) -> Vec<(Vec<u8>, Value)> {
        (1..)
            .map(|n| self.dir.path().join(format!("message-{n}")))
            .take_while(|p| p.with_extension("eml").exists())
            .map(|p| {
                let raw = std::fs::read(p.with_extension("eml")).unwrap();
                let parsed = serde_json::from_str(&std::fs::read_to_string(p.with_extension("json")).unwrap()).unwrap();
                (raw, parsed)
            })
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `basic` hub (its week 2026-W47 has two posts and a cause coming up) with a `digest:`
/// section pointing at `port`.
fn hub(port: u16, security: &str, username: Option<&str>, to: &[&str]) -> TestSite {
    let config = std::fs::read_to_string(repo().join("tests/fixtures/basic/chorus.yaml")).unwrap();
    let user = username.map_or(String::new(), |u| format!("    username: {u}\n"));
    let to: Vec<String> = to.iter().map(|t| format!("    - {t}\n")).collect();
    TestSite::fixture("basic")
        .file(
            "chorus.yaml",
            format!(
                "{config}digest:\n  from: Harbour Voices <voices@harbour.example>\n  to:\n{}  smtp:\n    host: 127.0.0.1\n    port: {port}\n    security: {security}\n{user}",
                to.concat()
            ),
        )
        .file(
            "content/posts/2026-11-18-open-day.md",
            "---\ntitle: Open day at the roof\ndate: 2026-11-18\nauthor: ben\n\
             share:\n  text: Come to our open day and see the roof.\n  variants:\n    - The roof is open to visitors on Saturday.\n\
             ---\nOpen day body.\n",
        )
}

fn send(site: &TestSite, password: Option<&str>, extra: &[&str]) -> crate::common::Run {
    let mut cmd = site.command();
    let args: Vec<&str> = [&["digest", "--now", NOW, "--week", "2026-W47"][..], extra].concat();
    cmd.args(&args);
    cmd.env_remove("CHORUS_SMTP_PASSWORD");
    if let Some(p) = password {
        cmd.env("CHORUS_SMTP_PASSWORD", p);
    }
    site.run(cmd, &args)
}

/// A port on 127.0.0.1 that nothing listens on.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

fn eml(site: &TestSite, name: &str) -> PathBuf {
    site.outer().join(name)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_digest_arrives_as_one_message_with_both_parts_and_eml_writes_the_same_bytes() {
    let server = Server::start(&[]);
    let site = hub(server.port, "none", None, &["all-staff@harbour.example"]);
    let run = send(&site, None, &["--send"]);
    run.success();
    assert_eq!(
        run.stderr,
        format!(
            "Sent the digest of 2026-W47 to all-staff@harbour.example through 127.0.0.1:{} (Message-ID <digest-2026-W47@voices.harbour.example>).\n",
            server.port
        )
    );
    assert_eq!(run.stdout, "");
    let messages = server.messages();
    assert_eq!(messages.len(), 1, "{:?}", server.events());
    let (raw, m) = &messages[0];
    assert_eq!(m["mail_from"], "voices@harbour.example");
    assert_eq!(m["rcpt_tos"], serde_json::json!(["all-staff@harbour.example"]));
    assert_eq!(m["defects"], serde_json::json!([]));
    let h = &m["headers"];
    assert_eq!(h["From"], "Harbour Voices <voices@harbour.example>");
    assert_eq!(h["To"], "all-staff@harbour.example");
    assert_eq!(h["Subject"], "Harbour Voices — weekly digest, 2026-W47");
    assert_eq!(h["Message-ID"], "<digest-2026-W47@voices.harbour.example>");
    assert_eq!(h["Date"], "Sun, 22 Nov 2026 12:00:00 +0000");
    assert_eq!(h["MIME-Version"], "1.0");
    assert_eq!(m["content_type"], "multipart/alternative");
    let parts = m["parts"].as_array().unwrap();
    let types: Vec<&str> = parts.iter().map(|p| p["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["text/plain", "text/html"]);
    assert!(parts.iter().all(|p| p["charset"] == "utf-8"), "{parts:?}");

    // The text part is exactly what `chorus digest` prints.
    let printed = site.digest(&["--week", "2026-W47"]);
    let text = parts[0]["text"].as_str().unwrap();
    assert_eq!(text.replace("\r\n", "\n"), printed.success().stdout);
    for expected in [
        "Sharing is always optional: share only what you genuinely like, in your own words, and nobody keeps track of who shares.",
        "1. Open day at the roof\n   https://voices.harbour.example/posts/open-day/\n   By Ben Okoro\n",
        "   - Come to our open day and see the roof. #HarbourEmployee https://voices.harbour.example/posts/open-day/\n",
        "   - The roof is open to visitors on Saturday. #HarbourEmployee https://voices.harbour.example/posts/open-day/\n",
        "CAUSES COMING UP\n\n- Harbour winter swim — Fundraiser, Sun 6 December 2026, 09:00–13:00 (UTC), North Pier\n",
    ] {
        assert!(text.replace("\r\n", "\n").contains(expected), "the text part lacks {expected:?}:\n{text}");
    }

    // The HTML part: the same posts, links and messages, with inline styles and nothing
    // loaded from elsewhere.
    let html = parts[1]["text"].as_str().unwrap();
    for expected in [
        "<a href=\"https://voices.harbour.example/posts/open-day/\" style=\"color:#0b57d0;\">Open day at the roof</a>",
        "Sharing is always optional: share only what you genuinely like",
        "Come to our open day and see the roof. #HarbourEmployee https://voices.harbour.example/posts/open-day/",
        "<a href=\"https://voices.harbour.example/causes/harbour-swim/\"",
        "Harbour winter swim</a>",
        "<a href=\"https://voices.harbour.example/guidelines/\"",
        "style=\"",
    ] {
        assert!(html.contains(expected), "the HTML part lacks {expected:?}:\n{html}");
    }
    for forbidden in ["<link", "<script", "<style", "<img", "src=", "url(", "@import"] {
        assert!(!html.contains(forbidden), "the HTML part has {forbidden:?}:\n{html}");
    }

    // `--eml` writes the very bytes the server received.
    let file = eml(&site, "digest.eml");
    let written = send(&site, None, &["--eml", file.to_str().unwrap()]);
    written.success();
    assert_eq!(read(&file), *raw, "--eml and --send differ");
    assert!(raw.is_ascii(), "the message is 7-bit: headers encoded, parts quoted-printable");
    assert!(
        written.stderr.starts_with(&format!("Wrote the digest of 2026-W47 to {} (", file.display())),
        "{written:?}"
    );
    // Still one message: `--eml` sent nothing.
    assert_eq!(server.messages().len(), 1);
}

#[test]
fn the_same_digest_sent_twice_is_the_same_message() {
    let server = Server::start(&[]);
    let site = hub(server.port, "none", None, &["all-staff@harbour.example"]);
    send(&site, None, &["--send"]).success();
    send(&site, None, &["--send"]).success();
    let messages = server.messages();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].0, messages[1].0);
}

#[test]
fn signing_in_uses_the_password_from_the_environment_only() {
    let server = Server::start(&["--auth", "voices:s3cret pass"]);
    let site = hub(server.port, "none", Some("voices"), &["all-staff@harbour.example"]);

    // No password: a clear error, nothing sent, exit code 1.
    let run = send(&site, None, &["--send"]);
    run.failure();
    assert_eq!(
        run.stderr,
        format!(
            "error: 127.0.0.1:{} asks for a sign-in, but CHORUS_SMTP_PASSWORD is not set; the digest was not sent\n  \
             = help: set the password of `voices` in the environment, e.g. `CHORUS_SMTP_PASSWORD=… chorus digest --send` (Chorus never reads it from chorus.yaml)\n\n\
             1 error, 0 warnings\n",
            server.port
        )
    );
    assert!(server.messages().is_empty());

    // A wrong password: the server's refusal, and never the password.
    let run = send(&site, Some("wrong-password"), &["--send"]);
    run.failure();
    assert!(
        run.stderr.starts_with(&format!(
            "error: 127.0.0.1:{} rejected the sign-in of `voices` (535 5.7.8 Authentication credentials invalid); the digest was not sent\n  \
             = help: check `digest.smtp.username` in chorus.yaml and the password in CHORUS_SMTP_PASSWORD\n",
            server.port
        )),
        "{run:?}"
    );
    assert!(!run.stderr.contains("wrong-password") && !run.stdout.contains("wrong-password"));
    assert!(server.messages().is_empty());

    // The right one.
    let run = send(&site, Some("s3cret pass"), &["--send"]);
    run.success();
    assert!(!run.stderr.contains("s3cret"));
    assert_eq!(server.messages().len(), 1);
    assert!(server.events().iter().any(|e| e["event"] == "AUTH" && e["ok"] == true));
}

#[test]
fn a_server_that_wants_a_sign_in_from_a_hub_without_username_says_what_to_add() {
    let server = Server::start(&["--auth", "voices:pw"]);
    let site = hub(server.port, "none", None, &["all-staff@harbour.example"]);
    let run = send(&site, Some("pw"), &["--send"]);
    run.failure();
    assert_eq!(
        run.stderr,
        format!(
            "error: 127.0.0.1:{} asks for a sign-in (530 5.7.0 Authentication required); the digest was not sent\n  \
             = help: add `username:` under `digest.smtp` in chorus.yaml and set the password in CHORUS_SMTP_PASSWORD\n\n1 error, 0 warnings\n",
            server.port
        )
    );
    assert!(server.messages().is_empty());
}

#[test]
fn a_refused_recipient_stops_the_whole_send() {
    let server = Server::start(&["--reject", "nobody@harbour.example"]);
    let site = hub(server.port, "none", None, &["all-staff@harbour.example", "nobody@harbour.example"]);
    let run = send(&site, None, &["--send"]);
    run.failure();
    assert_eq!(
        run.stderr,
        format!(
            "error: 127.0.0.1:{} refused the recipient `nobody@harbour.example` (550 5.1.1 <nobody@harbour.example>: no such mailbox here); the digest was not sent to anyone\n  \
             = help: check `digest.to` in chorus.yaml; the server may refuse addresses outside its own domain unless you sign in\n\n1 error, 0 warnings\n",
            server.port
        )
    );
    // The accepted recipient got nothing either: the message was never handed over.
    assert_eq!(server.event_names(), ["MAIL", "RCPT", "RCPT"]);
    assert!(server.messages().is_empty());
}

#[test]
fn a_refused_connection_says_what_to_check() {
    let port = closed_port();
    let site = hub(port, "none", None, &["all-staff@harbour.example"]);
    let run = send(&site, None, &["--send"]);
    run.failure();
    assert_eq!(
        run.stderr,
        format!(
            "error: cannot connect to the mail server 127.0.0.1:{port}: the connection was refused; the digest was not sent\n  \
             = help: check `digest.smtp.host` and `digest.smtp.port` in chorus.yaml (587 is usual for starttls, 465 for tls), and that the mail server is running\n\n1 error, 0 warnings\n"
        )
    );
}

#[test]
fn tls_failures_say_which_setting_to_check() {
    let server = Server::start(&[]);
    // TLS from the first byte, against a server that speaks plain SMTP.
    let run = send(&hub(server.port, "tls", None, &["all-staff@harbour.example"]), None, &["--send"]);
    run.failure();
    assert!(
        run.stderr.starts_with(&format!("error: the encrypted connection to 127.0.0.1:{} failed (", server.port)),
        "{run:?}"
    );
    assert!(run.stderr.contains("); the digest was not sent\n  = help: check `digest.smtp.security`: `tls` is for servers that encrypt from the start (usually port 465)"), "{run:?}");
    // STARTTLS, against a server that does not offer it.
    let run = send(&hub(server.port, "starttls", None, &["all-staff@harbour.example"]), None, &["--send"]);
    run.failure();
    assert_eq!(
        run.stderr,
        format!(
            "error: 127.0.0.1:{} does not offer STARTTLS, so the digest was not sent\n  \
             = help: if the server expects TLS from the start (usually port 465), set `digest.smtp.security: tls`; use `none` only for a relay on this machine or network\n\n1 error, 0 warnings\n",
            server.port
        )
    );
    assert!(server.messages().is_empty());
}

#[test]
fn dry_run_prints_the_envelope_and_the_text_part_and_sends_nothing() {
    let port = closed_port();
    let site = hub(port, "starttls", Some("voices"), &["all-staff@harbour.example", "Board <board@harbour.example>"]);
    let run = send(&site, None, &["--dry-run"]);
    run.success();
    let text = site.digest(&["--week", "2026-W47"]).stdout.clone();
    assert_eq!(
        run.stdout,
        format!(
            "SMTP server: 127.0.0.1:{port} (STARTTLS)\nSign in as: voices (password from CHORUS_SMTP_PASSWORD)\n\
             Envelope from: voices@harbour.example\nEnvelope to: all-staff@harbour.example\nEnvelope to: board@harbour.example\n\
             From: Harbour Voices <voices@harbour.example>\nTo: all-staff@harbour.example, Board <board@harbour.example>\n\
             Subject: Harbour Voices — weekly digest, 2026-W47\nMessage-ID: <digest-2026-W47@voices.harbour.example>\n\
             Date: Sun, 22 Nov 2026 12:00:00 +0000\n\n{text}"
        )
    );
    assert_eq!(
        run.stderr,
        "Dry run: nothing was sent. `--send` would send this to all-staff@harbour.example, board@harbour.example.\n"
    );
}

#[test]
fn a_week_with_nothing_in_it_sends_nothing_and_says_so() {
    let server = Server::start(&[]);
    let site = hub(server.port, "none", None, &["all-staff@harbour.example"]);
    let mut cmd = site.command();
    let args = ["digest", "--now", NOW, "--week", "2026-W02", "--send"];
    cmd.args(args);
    let run = site.run(cmd, &args);
    run.success();
    assert_eq!(
        run.stderr,
        "Nothing to send: 2026-W02 has no posts and no causes coming up, and an empty digest would only be noise.\n"
    );
    assert!(server.events().is_empty(), "the server was contacted: {:?}", server.events());
}

#[test]
fn language_must_be_the_hubs_own_for_now() {
    let site = hub(closed_port(), "none", None, &["all-staff@harbour.example"]);
    let run = send(&site, None, &["--dry-run", "--language", "de"]);
    run.usage_error();
    assert_eq!(
        run.stderr,
        "error: `--language de`: this hub is written in `en` only (its `language` in chorus.yaml), so its digest is in `en`; leave out `--language` or write `--language en`\n"
    );
    send(&site, None, &["--dry-run", "--language", "en"]).success();
    site.digest(&["--week", "2026-W47", "--language", "EN"]).success();
}

#[test]
fn a_hub_without_digest_settings_cannot_send() {
    let site = TestSite::fixture("basic");
    let run = send(&site, None, &["--send"]);
    run.failure();
    assert!(
        run.stderr.starts_with(
            "error: chorus.yaml has no `digest:` settings, so Chorus does not know whom to send the digest to\n"
        ),
        "{run:?}"
    );
    // `--send` and `--eml` are different things.
    site.chorus(&["digest", "--send", "--eml", "x.eml"]).usage_error();
}

#[test]
fn a_password_is_never_sent_unencrypted_over_the_network() {
    let site = hub(25, "none", Some("voices"), &["all-staff@harbour.example"]);
    let config = std::fs::read_to_string(site.root().join("chorus.yaml")).unwrap();
    site.write("chorus.yaml", config.replace("host: 127.0.0.1", "host: smtp.harbour.invalid"));
    let run = send(&site, Some("secret"), &["--send"]);
    run.failure();
    assert_eq!(
        run.stderr,
        "error: `digest.smtp.security` is `none`, so the password of `voices` would cross the network unencrypted to smtp.harbour.invalid:25; the digest was not sent\n  \
         = help: set `security: starttls` (usually port 587) or `tls` (usually 465); `none` with a sign-in is only for a relay on this machine\n\n1 error, 0 warnings\n"
    );
}
