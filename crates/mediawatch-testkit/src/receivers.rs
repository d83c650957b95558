//! What alerts are sent to, played on 127.0.0.1: a webhook receiver (a route of [`TestServer`]) that answers
//! from a script of statuses and records every request, and an SMTP sink that accepts every message.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Instant;

use crate::{Request, Response, TestServer};

/// One request the webhook receiver got, and when.
#[derive(Debug, Clone)]
pub struct Received {
    pub request: Request,
    pub at: Instant,
}

impl std::ops::Deref for Received {
    type Target = Request;
    fn deref(&self) -> &Request {
        &self.request
    }
}

/// A [`TestServer`] route that answers each POST with the next status of its script, then 200 for ever, and
/// records when each request came.
pub struct WebhookReceiver {
    server: TestServer,
    log: Arc<Mutex<Vec<Received>>>,
}

impl WebhookReceiver {
    pub fn start(script: Vec<u16>) -> WebhookReceiver {
        let server = TestServer::start();
        let log = Arc::new(Mutex::new(Vec::new()));
        let script = Mutex::new(script.into_iter().collect::<VecDeque<u16>>());
        let l = log.clone();
        server.route("/hook", move |req| {
            if let Ok(mut l) = l.lock() {
                l.push(Received { request: req.clone(), at: Instant::now() });
            }
            let status = script.lock().ok().and_then(|mut s| s.pop_front()).unwrap_or(200);
            Response { status, headers: Vec::new(), body: b"ok".to_vec(), endless: false }
        });
        WebhookReceiver { server, log }
    }

    pub fn url(&self) -> String {
        self.server.url("/hook")
    }

    pub fn requests(&self) -> Vec<Received> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

/// One message the SMTP sink accepted.
#[derive(Debug, Clone, Default)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    /// The DATA as received, dot-unstuffed, CRLF line ends.
    pub data: String,
    /// The user of AUTH PLAIN or LOGIN, when the client authenticated.
    pub auth_user: Option<String>,
}

/// A minimal SMTP server (no TLS): EHLO/HELO, AUTH PLAIN and LOGIN (any credentials), MAIL, RCPT, DATA,
/// RSET, NOOP, QUIT.
pub struct SmtpSink {
    port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the SMTP sink");
        let port = listener.local_addr().expect("sink address").port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let m = mails.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let m = m.clone();
                thread::spawn(move || {
                    let _ = smtp_session(stream, &m);
                });
            }
        });
        SmtpSink { port, mails }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn messages(&self) -> Vec<Mail> {
        self.mails.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

fn b64_decode(s: &str) -> String {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes() {
        let Some(v) = ALPHA.iter().position(|&a| a == c) else { continue };
        bits = (bits << 6) | v as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn smtp_session(stream: TcpStream, mails: &Mutex<Vec<Mail>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    let say = |out: &mut TcpStream, s: &str| -> std::io::Result<()> {
        out.write_all(s.as_bytes())?;
        out.write_all(b"\r\n")?;
        out.flush()
    };
    say(&mut out, "220 sink.test ESMTP ready")?;
    let mut mail = Mail::default();
    let mut auth_user = None;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            say(&mut out, "250-sink.test")?;
            say(&mut out, "250-AUTH PLAIN LOGIN")?;
            say(&mut out, "250 8BITMIME")?;
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            say(&mut out, "250 ok")?;
        } else if upper.starts_with("AUTH PLAIN") {
            let arg = cmd.split_whitespace().nth(2).map(str::to_string);
            let arg = match arg {
                Some(a) => a,
                None => {
                    say(&mut out, "334 ")?;
                    let mut a = String::new();
                    reader.read_line(&mut a)?;
                    a.trim().to_string()
                }
            };
            let decoded = b64_decode(&arg);
            auth_user = decoded.split('\0').nth(1).map(str::to_string);
            say(&mut out, "235 2.7.0 authenticated")?;
        } else if upper.starts_with("AUTH LOGIN") {
            say(&mut out, "334 VXNlcm5hbWU6")?;
            let mut u = String::new();
            reader.read_line(&mut u)?;
            auth_user = Some(b64_decode(u.trim()));
            say(&mut out, "334 UGFzc3dvcmQ6")?;
            let mut p = String::new();
            reader.read_line(&mut p)?;
            say(&mut out, "235 2.7.0 authenticated")?;
        } else if upper.starts_with("MAIL FROM:") {
            mail = Mail { from: cmd[10..].trim().trim_matches(['<', '>']).to_string(), ..Mail::default() };
            let from = mail.from.split_whitespace().next().unwrap_or_default().trim_matches(['<', '>']).to_string();
            mail.from = from;
            say(&mut out, "250 ok")?;
        } else if upper.starts_with("RCPT TO:") {
            mail.to.push(cmd[8..].trim().trim_matches(['<', '>']).to_string());
            say(&mut out, "250 ok")?;
        } else if upper == "DATA" {
            say(&mut out, "354 end with <CRLF>.<CRLF>")?;
            let mut data = String::new();
            loop {
                let mut l = String::new();
                if reader.read_line(&mut l)? == 0 {
                    return Ok(());
                }
                if l == ".\r\n" || l == ".\n" {
                    break;
                }
                data.push_str(l.strip_prefix('.').unwrap_or(&l));
            }
            mail.data = data;
            mail.auth_user = auth_user.clone();
            if let Ok(mut m) = mails.lock() {
                m.push(std::mem::take(&mut mail));
            }
            say(&mut out, "250 2.0.0 queued")?;
        } else if upper.starts_with("RSET") {
            mail = Mail::default();
            say(&mut out, "250 ok")?;
        } else if upper.starts_with("QUIT") {
            say(&mut out, "221 bye")?;
            return Ok(());
        } else {
            say(&mut out, "502 command not implemented")?;
        }
    }
}
