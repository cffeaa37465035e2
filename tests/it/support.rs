//! A raw HTTP/1.1 client for the in-process server (mini-redis style) and XML readers
//! that assert on parsed values.

use parlel_ec2::EmulatorHandle;
use std::io::{Read, Write};
use std::net::TcpStream;

pub struct Server {
    pub handle: EmulatorHandle,
    pub region: String,
    pub access_key: String,
}

impl Server {
    /// A fresh emulator on 127.0.0.1:0.
    pub fn start() -> Server {
        Server {
            handle: EmulatorHandle::start().expect("start"),
            region: "us-east-1".into(),
            access_key: "parlel".into(),
        }
    }

    /// `Action` plus parameters, POSTed as a form with SigV4-shaped credentials.
    pub fn call(&self, action: &str, params: &[(&str, &str)]) -> Reply {
        self.call_as(&self.access_key, &self.region, action, params)
    }

    pub fn call_as(
        &self,
        access_key: &str,
        region: &str,
        action: &str,
        params: &[(&str, &str)],
    ) -> Reply {
        call_at(self.handle.addr(), access_key, region, action, params).expect("an answer")
    }

    pub fn raw(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        raw_at(self.handle.addr(), method, path, headers, body).expect("an answer")
    }
}

/// An EC2 call to any address (a server in another process); `Err` when the connection
/// fails or breaks (the process is gone).
pub fn call_at(
    addr: std::net::SocketAddr,
    access_key: &str,
    region: &str,
    action: &str,
    params: &[(&str, &str)],
) -> std::io::Result<Reply> {
    let mut body = format!("Action={action}&Version=2016-11-15");
    for (k, v) in params {
        body.push('&');
        body.push_str(&encode(k));
        body.push('=');
        body.push_str(&encode(v));
    }
    let auth = format!(
        "AWS4-HMAC-SHA256 Credential={access_key}/20261128/{region}/ec2/aws4_request, SignedHeaders=host, Signature=0"
    );
    raw_at(
        addr,
        "POST",
        "/",
        &[
            (
                "Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8",
            ),
            ("Authorization", &auth),
        ],
        body.as_bytes(),
    )
}

pub fn raw_at(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Reply> {
    let mut s = TcpStream::connect(addr)?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    s.write_all(body)?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    if !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "no full answer",
        ));
    }
    Ok(Reply::parse(&buf))
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    fn parse(raw: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(raw).to_string();
        let (head, body) = text.split_once("\r\n\r\n").expect("a full response");
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn doc(&self) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(&self.body)
            .unwrap_or_else(|e| panic!("not XML ({e}): {}", self.body))
    }

    /// Panics with the error unless the call succeeded.
    pub fn ok(self) -> Reply {
        assert_eq!(self.status, 200, "{}", self.body);
        self
    }

    /// `(HTTP status, Code, Message)` of an EC2 error response.
    pub fn error(&self) -> (u16, String, String) {
        let d = self.doc();
        assert_eq!(
            d.root_element().tag_name().name(),
            "Response",
            "not an error: {}",
            self.body
        );
        (
            self.status,
            first(&d, "Code").unwrap_or_default(),
            first(&d, "Message").unwrap_or_default(),
        )
    }

    /// Text of every element with this name, in document order.
    pub fn all(&self, name: &str) -> Vec<String> {
        all(&self.doc(), name)
    }

    pub fn first(&self, name: &str) -> Option<String> {
        first(&self.doc(), name)
    }
}

pub fn all(d: &roxmltree::Document, name: &str) -> Vec<String> {
    d.descendants()
        .filter(|n| n.tag_name().name() == name)
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

pub fn first(d: &roxmltree::Document, name: &str) -> Option<String> {
    all(d, name).into_iter().next()
}

/// Texts of `child` elements directly under each `parent` element, e.g. the `instanceId`
/// of every `instancesSet/item`.
pub fn under(d: &roxmltree::Document, parent: &str, child: &str) -> Vec<String> {
    d.descendants()
        .filter(|n| n.tag_name().name() == parent)
        .flat_map(|p| p.children().filter(|c| c.tag_name().name() == "item"))
        .filter_map(|item| item.children().find(|c| c.tag_name().name() == child))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

/// Asserts an EC2 error: status, code and exact message.
#[track_caller]
pub fn assert_error(r: &Reply, status: u16, code: &str, message: &str) {
    let (s, c, m) = r.error();
    assert_eq!(
        (s, c.as_str(), m.as_str()),
        (status, code, message),
        "{}",
        r.body
    );
}

pub const AMI: &str = "ami-0abcdef1234567890";
