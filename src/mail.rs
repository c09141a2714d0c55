//! The digest as an email (DESIGN §14): the `digest:` settings of `chorus.yaml`, the message
//! (`multipart/alternative`, a text part and an HTML part) and its delivery over SMTP.
//!
//! Owns the wording of every failure to send: what failed and how to fix it. The message's
//! bytes depend only on the hub, the week and `--now` (its `Message-ID`, `Date` and MIME
//! boundary included), so `--eml` writes exactly what `--send` sends. The password comes
//! from `CHORUS_SMTP_PASSWORD` only, and is never printed. Must not build the digest itself
//! (`digest`) or render it (`render`).

use std::time::{Duration, SystemTime};

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Quit, Rcpt, Rset};
use lettre::transport::smtp::extension::ClientId;
use lettre::Message;

use crate::dates::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::fields::{Fields, Spanned};

/// The environment variable the SMTP password is read from.
pub const PASSWORD_VAR: &str = "CHORUS_SMTP_PASSWORD";

/// How long a mail server may take to answer before sending is given up.
const TIMEOUT: Duration = Duration::from_secs(30);

/// `digest:` in `chorus.yaml`.
#[derive(Clone, Debug)]
pub struct Settings {
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub smtp: Smtp,
}

/// `digest.smtp`.
#[derive(Clone, Debug)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (usually port 587).
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or network.
    None,
}

impl Security {
    pub fn id(self) -> &'static str {
        match self {
            Security::StartTls => "starttls",
            Security::Tls => "tls",
            Security::None => "none",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Security::StartTls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }
}

const ADDRESS_HINT: &str = "write an address like `all-staff@example.com` or `Our Voices <voices@example.com>`";

/// Reads `digest:` (already checked for unknown keys by the caller); `None` after an error.
pub fn read_settings(f: &Fields, diags: &mut Vec<Diagnostic>) -> Option<Settings> {
    let before = diags.len();
    let from =
        f.required_text("from", "add `from: Our Voices <voices@example.com>` (who the digest comes from)", diags);
    let from = from.and_then(|a| address(f, &a, diags));
    let mut to = Vec::new();
    if !f.has("to") {
        f.missing("to", "add `to: all-staff@example.com` (a list address, or several in `[…]`)", diags);
    }
    let listed = f.list("to", diags);
    if f.has("to") && listed.is_empty() {
        let e = f.entry("to").expect("`to` is there");
        diags.push(
            f.src
                .error_at_node(Code::BadEmailAddress, "`digest.to` lists no address", &e.value)
                .with_hint("write the list address, like `to: all-staff@example.com`"),
        );
    }
    for a in listed {
        to.extend(address(f, &a, diags));
    }
    let smtp = match f.map("smtp", &["host", "port", "security", "username"], diags) {
        Some(s) => read_smtp(&s, diags),
        None => {
            f.missing("smtp", "add `smtp:` with the mail server's `host` (and `port`, `security`, `username`)", diags);
            None
        }
    };
    if diags[before..].iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(Settings { from: from?, to, smtp: smtp? })
}

fn read_smtp(s: &Fields, diags: &mut Vec<Diagnostic>) -> Option<Smtp> {
    let host = s.required_text("host", "add `host: smtp.example.com` (the mail server's name)", diags);
    let security = match s.text("security", diags) {
        None => Security::StartTls,
        Some(t) => match t.value.trim().to_ascii_lowercase().as_str() {
            "starttls" => Security::StartTls,
            "tls" | "ssl" => Security::Tls,
            "none" => Security::None,
            _ => {
                diags.push(
                    s.src
                        .error(
                            Code::BadValue,
                            format!("`{}` is not a kind of connection security", t.value),
                            t.line,
                            t.column,
                            t.len,
                        )
                        .with_hint("write `starttls` (usually port 587), `tls` (usually 465) or `none`"),
                );
                return None;
            }
        },
    };
    let port = match s.integer("port", diags) {
        Some(p) if !(1..=65535).contains(&p.value) => {
            diags.push(
                s.src
                    .error(Code::BadValue, "`digest.smtp.port` must be between 1 and 65535", p.line, p.column, p.len)
                    .with_hint("the usual ports are 587 (starttls), 465 (tls) and 25"),
            );
            return None;
        }
        Some(p) => p.value as u16,
        None => security.default_port(),
    };
    let username = s.text("username", diags).map(|u| u.value.trim().to_string()).filter(|u| !u.is_empty());
    Some(Smtp { host: host?.value.trim().to_string(), port, security, username })
}

fn address(f: &Fields, a: &Spanned<String>, diags: &mut Vec<Diagnostic>) -> Option<Mailbox> {
    match a.value.trim().parse::<Mailbox>() {
        Ok(m) => Some(m),
        Err(_) => {
            diags.push(
                f.src
                    .error(
                        Code::BadEmailAddress,
                        format!("`{}` is not an email address", a.value),
                        a.line,
                        a.column,
                        a.len,
                    )
                    .with_hint(ADDRESS_HINT),
            );
            None
        }
    }
}

/// The digest of one week, ready to send: what the message says and who it is for.
pub struct Letter<'a> {
    pub settings: &'a Settings,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The week, like `2026-W47`.
    pub week: &'a str,
    /// The host of the hub's `base_url`, which names the message.
    pub hub_host: String,
    pub date: Date,
}

impl Letter<'_> {
    /// `<digest-2026-W47@voices.example.com>`: the same hub and week always give the same id.
    pub fn message_id(&self) -> String {
        format!("<digest-{}@{}>", self.week, self.hub_host)
    }

    /// The whole message, headers and both parts.
    pub fn message(&self) -> Result<Message, String> {
        let part = |kind: ContentType, body: &str| {
            SinglePart::builder()
                .header(kind)
                .header(ContentTransferEncoding::QuotedPrintable)
                .body(body.replace("\r\n", "\n"))
        };
        // Quoted-printable never writes `=_`, so this boundary cannot occur in either part.
        let boundary = format!("=_chorus_{:016x}", fnv1a(&[self.text.as_bytes(), self.html.as_bytes()]));
        let body = MultiPart::alternative()
            .boundary(boundary)
            .singlepart(part(ContentType::TEXT_PLAIN, &self.text))
            .singlepart(part(ContentType::TEXT_HTML, &self.html));
        let seconds = self.date.timestamp().max(0) as u64;
        let mut builder = Message::builder()
            .message_id(Some(self.message_id()))
            .date(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
            .from(self.settings.from.clone())
            .subject(self.subject.clone());
        for to in &self.settings.to {
            builder = builder.to(to.clone());
        }
        builder.multipart(body).map_err(|e| format!("the message cannot be made: {e}"))
    }

    /// What `--dry-run` prints: the envelope, the headers that matter, and the text part.
    pub fn dry_run(&self) -> String {
        let s = &self.settings;
        let mut out = format!(
            "SMTP server: {}:{} ({})\n",
            s.smtp.host,
            s.smtp.port,
            match s.smtp.security {
                Security::StartTls => "STARTTLS",
                Security::Tls => "TLS",
                Security::None => "no encryption",
            }
        );
        if let Some(u) = &s.smtp.username {
            out.push_str(&format!("Sign in as: {u} (password from {PASSWORD_VAR})\n"));
        }
        out.push_str(&format!("Envelope from: {}\n", s.from.email));
        for to in &s.to {
            out.push_str(&format!("Envelope to: {}\n", to.email));
        }
        out.push_str(&format!("From: {}\n", s.from));
        out.push_str(&format!("To: {}\n", s.to.iter().map(Mailbox::to_string).collect::<Vec<_>>().join(", ")));
        out.push_str(&format!("Subject: {}\n", self.subject));
        out.push_str(&format!("Message-ID: {}\n", self.message_id()));
        out.push_str(&format!("Date: {}\n\n", self.date.to_rfc2822()));
        out.push_str(&self.text);
        out
    }
}

/// FNV-1a, 64 bits: a hash that is the same on every machine and in every version.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Sends `bytes` (the formatted `message`) in one SMTP transaction: every recipient is
/// accepted before the message is, or nobody gets it. `password` is `CHORUS_SMTP_PASSWORD`.
pub fn send(settings: &Settings, message: &Message, bytes: &[u8], password: Option<&str>) -> Result<(), Diagnostic> {
    let smtp = &settings.smtp;
    let server = format!("{}:{}", smtp.host, smtp.port);
    if let (Some(user), Security::None) = (&smtp.username, smtp.security) {
        if !is_this_machine(&smtp.host) {
            return Err(Diagnostic::error(
                Code::MailTls,
                format!("`digest.smtp.security` is `none`, so the password of `{user}` would cross the network unencrypted to {server}; the digest was not sent"),
            )
            .with_hint("set `security: starttls` (usually port 587) or `tls` (usually 465); `none` with a sign-in is only for a relay on this machine"));
        }
    }
    let tls = match smtp.security {
        Security::None => None,
        _ => Some(TlsParameters::new(smtp.host.clone()).map_err(|e| tls_failed(&server, smtp.security, &e))?),
    };
    let hello = ClientId::default();
    let direct_tls = if smtp.security == Security::Tls { tls.as_ref() } else { None };
    let mut conn = SmtpConnection::connect((smtp.host.as_str(), smtp.port), Some(TIMEOUT), &hello, direct_tls, None)
        .map_err(|e| connect_failed(&server, smtp.security, &e))?;
    let outcome = transaction(&mut conn, settings, &server, tls.as_ref(), &hello, message, bytes, password);
    if outcome.is_err() {
        // Nothing was accepted for delivery: leave politely, ignoring a server that has gone.
        let _ = conn.command(Rset);
    }
    let _ = conn.command(Quit);
    outcome
}

#[allow(clippy::too_many_arguments)]
fn transaction(
    conn: &mut SmtpConnection,
    settings: &Settings,
    server: &str,
    tls: Option<&TlsParameters>,
    hello: &ClientId,
    message: &Message,
    bytes: &[u8],
    password: Option<&str>,
) -> Result<(), Diagnostic> {
    let smtp = &settings.smtp;
    if smtp.security == Security::StartTls {
        if !conn.can_starttls() {
            return Err(Diagnostic::error(Code::MailTls, format!("{server} does not offer STARTTLS, so the digest was not sent"))
                .with_hint("if the server expects TLS from the start (usually port 465), set `digest.smtp.security: tls`; use `none` only for a relay on this machine or network"));
        }
        let tls = tls.expect("starttls has TLS parameters");
        conn.starttls(tls, hello).map_err(|e| tls_failed(server, smtp.security, &e))?;
    }
    let offers_sign_in = conn.server_info().get_auth_mechanism(&[Mechanism::Plain, Mechanism::Login]).is_some();
    if let Some(user) = &smtp.username {
        if !offers_sign_in {
            return Err(Diagnostic::error(
                Code::MailAuth,
                format!("{server} does not offer a sign-in, but `digest.smtp.username` is set; the digest was not sent"),
            )
            .with_hint("many servers offer sign-in only over an encrypted connection: check `digest.smtp.security`; or remove `username` if the server needs none"));
        }
        let Some(password) = password.filter(|p| !p.is_empty()) else {
            return Err(Diagnostic::error(
                Code::MailAuth,
                format!("{server} asks for a sign-in, but {PASSWORD_VAR} is not set; the digest was not sent"),
            )
            .with_hint(format!("set the password of `{user}` in the environment, e.g. `{PASSWORD_VAR}=… chorus digest --send` (Chorus never reads it from chorus.yaml)")));
        };
        let credentials = Credentials::new(user.clone(), password.to_string());
        conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials).map_err(|e| {
            let what =
                if e.status().is_some() { "rejected the sign-in of" } else { "could not complete the sign-in of" };
            Diagnostic::error(
                Code::MailAuth,
                format!("{server} {what} `{user}` ({}); the digest was not sent", reply(&e)),
            )
            .with_hint(format!("check `digest.smtp.username` in chorus.yaml and the password in {PASSWORD_VAR}"))
        })?;
    }
    let envelope = message.envelope();
    let from = envelope.from().cloned();
    conn.command(Mail::new(from.clone(), Vec::new())).map_err(|e| {
        if e.status().is_some_and(|c| c.to_string() == "530") && smtp.username.is_none() {
            Diagnostic::error(
                Code::MailAuth,
                format!("{server} asks for a sign-in ({}); the digest was not sent", reply(&e)),
            )
            .with_hint(format!(
                "add `username:` under `digest.smtp` in chorus.yaml and set the password in {PASSWORD_VAR}"
            ))
        } else {
            let from = from.as_ref().map_or_else(String::new, ToString::to_string);
            Diagnostic::error(
                Code::MailRejected,
                format!("{server} refused the sender `{from}` ({}); the digest was not sent", reply(&e)),
            )
            .with_hint("check `digest.from` in chorus.yaml: the server may only accept the address you sign in with")
        }
    })?;
    // Every recipient is tried, so one run names all the refused ones; then nothing is sent.
    let mut refused = Vec::new();
    for to in envelope.to() {
        if let Err(e) = conn.command(Rcpt::new(to.clone(), Vec::new())) {
            refused.push(format!("`{to}` ({})", reply(&e)));
        }
    }
    if !refused.is_empty() {
        return Err(Diagnostic::error(
            Code::MailRejected,
            format!("{server} refused the recipient {}; the digest was not sent to anyone", refused.join(", ")),
        )
        .with_hint("check `digest.to` in chorus.yaml; the server may refuse addresses outside its own domain unless you sign in"));
    }
    // The end of the data, `CRLF . CRLF`, brings its own line end: sent whole, the message's
    // last one would arrive as an extra empty line, and differ from what `--eml` writes.
    let data = bytes.strip_suffix(b"\r\n").unwrap_or(bytes);
    conn.command(Data).and_then(|_| conn.message(data)).map_err(|e| {
        Diagnostic::error(
            Code::MailRejected,
            format!("{server} refused the message ({}); the digest was not sent", reply(&e)),
        )
        .with_hint(
            "the server's answer says why; a message refused as too large or as spam needs the server's administrator",
        )
    })?;
    Ok(())
}

/// Whether `host` names this machine, where a password never leaves it.
fn is_this_machine(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The server's answer in an error, with its code, on one line and without control characters.
fn reply(e: &lettre::transport::smtp::Error) -> String {
    if e.is_timeout() || matches!(io_kind(e), Some(std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)) {
        return format!("no answer within {} seconds", TIMEOUT.as_secs());
    }
    let text = std::error::Error::source(e).map_or_else(|| e.to_string(), |s| s.to_string());
    let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    match e.status() {
        Some(code) => format!("{code} {}", text.trim()),
        None => text.trim().to_string(),
    }
}

fn connect_failed(server: &str, security: Security, e: &lettre::transport::smtp::Error) -> Diagnostic {
    let io = io_kind(e);
    // rustls reports a failed handshake as invalid data on the connection.
    if e.is_tls() || (security != Security::None && io == Some(std::io::ErrorKind::InvalidData)) {
        return tls_failed(server, security, e);
    }
    let (what, hint) = match io {
        Some(std::io::ErrorKind::ConnectionRefused) => (
            "the connection was refused".to_string(),
            "check `digest.smtp.host` and `digest.smtp.port` in chorus.yaml (587 is usual for starttls, 465 for tls), and that the mail server is running",
        ),
        _ if e.is_timeout() => (
            "it did not answer in time".to_string(),
            "check `digest.smtp.host` and `digest.smtp.port`, and that this network lets you reach the server",
        ),
        _ => (reply(e), "check `digest.smtp.host` and `digest.smtp.port` in chorus.yaml, and this computer's network"),
    };
    Diagnostic::error(
        Code::MailConnection,
        format!("cannot connect to the mail server {server}: {what}; the digest was not sent"),
    )
    .with_hint(hint)
}

fn io_kind(e: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    let mut source = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = s.source();
    }
    None
}

fn tls_failed(server: &str, security: Security, e: &lettre::transport::smtp::Error) -> Diagnostic {
    let hint = match security {
        Security::Tls => "check `digest.smtp.security`: `tls` is for servers that encrypt from the start (usually port 465); port 587 usually needs `starttls`. The server's certificate must be valid for its host name",
        _ => "check `digest.smtp.security` and `port` (465 usually needs `tls`), and that the server's certificate is valid for its host name",
    };
    Diagnostic::error(
        Code::MailTls,
        format!("the encrypted connection to {server} failed ({}); the digest was not sent", reply(e)),
    )
    .with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_is_the_reference_function() {
        assert_eq!(fnv1a(&[b""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(&[b"a"]), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(&[b"fo", b"o"]), fnv1a(&[b"foo"]));
    }
}
