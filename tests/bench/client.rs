//! A small blocking HTTP/1.1 client over `std::net::TcpStream`, for setting up state and
//! for the sequential measurements (paging, start-up). Keep-alive when the server allows
//! it; `Content-Length`, chunked and close-delimited bodies.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// The same header on every request to every target: parlel-ec2 accepts any credentials,
/// and moto's server picks the service (ec2) and region from the credential scope.
pub const AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=parlel/20240101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0";

pub struct Conn {
    addr: SocketAddr,
    stream: Option<BufReader<TcpStream>>,
}

pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap_or("<not utf-8>")
    }
}

impl Conn {
    pub fn new(addr: SocketAddr) -> Conn {
        Conn { addr, stream: None }
    }

    fn connect(&mut self) -> io::Result<&mut BufReader<TcpStream>> {
        if self.stream.is_none() {
            let s = TcpStream::connect_timeout(&self.addr, Duration::from_secs(5))?;
            s.set_nodelay(true)?;
            s.set_read_timeout(Some(Duration::from_secs(300)))?;
            s.set_write_timeout(Some(Duration::from_secs(30)))?;
            self.stream = Some(BufReader::with_capacity(256 * 1024, s));
        }
        Ok(self.stream.as_mut().expect("connected"))
    }

    /// One request; a kept-alive connection the server closed meanwhile is retried once
    /// on a new connection.
    pub fn request(&mut self, method: &str, path: &str, body: &[u8]) -> io::Result<Response> {
        self.request_with(method, path, &[], body)
    }

    /// [`request`](Self::request) with more headers; an `Authorization` among them
    /// replaces the fixed one (a SigV4-signed request).
    pub fn request_with(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> io::Result<Response> {
        let reused = self.stream.is_some();
        match self.request_once(method, path, headers, body) {
            Err(e) if reused => {
                self.stream = None;
                let _ = e;
                self.request_once(method, path, headers, body)
            }
            other => other,
        }
    }

    /// `POST /` with a form body, as the EC2 Query protocol sends it.
    pub fn ec2(&mut self, form: &str) -> io::Result<Response> {
        self.request("POST", "/", form.as_bytes())
    }

    fn request_once(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> io::Result<Response> {
        let addr = self.addr;
        let r = self.connect()?;
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\n");
        if !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        {
            head.push_str(&format!("Authorization: {AUTHORIZATION}\r\n"));
        }
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
            body.len()
        ));
        let mut req = head.into_bytes();
        req.extend_from_slice(body);
        r.get_mut().write_all(&req)?;

        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "closed"));
        }
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::other(format!("bad status line {line:?}")))?;
        let (mut length, mut chunked, mut close) = (None, false, line.starts_with("HTTP/1.0"));
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let Some((k, v)) = l.split_once(':') else {
                continue;
            };
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().to_ascii_lowercase());
            match k.as_str() {
                "content-length" => length = v.parse::<usize>().ok(),
                "transfer-encoding" => chunked = v.contains("chunked"),
                "connection" => close = v.contains("close"),
                _ => {}
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                r.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| io::Error::other("bad chunk size"))?;
                if size == 0 {
                    // Trailers, then the blank line.
                    loop {
                        line.clear();
                        if r.read_line(&mut line)? == 0 || line.trim().is_empty() {
                            break;
                        }
                    }
                    break;
                }
                let start = body.len();
                body.resize(start + size, 0);
                r.read_exact(&mut body[start..])?;
                line.clear();
                r.read_line(&mut line)?;
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            r.read_exact(&mut body)?;
        } else {
            r.read_to_end(&mut body)?;
            close = true;
        }
        if close {
            self.stream = None;
        }
        Ok(Response { status, body })
    }
}

/// The text of the first `<name>…</name>` element.
pub fn first_element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find("</")? + start;
    Some(&xml[start..end])
}

/// Every `<name>…</name>` element's text.
pub fn all_elements<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let s = &rest[i + open.len()..];
        let Some(end) = s.find("</") else { break };
        out.push(&s[..end]);
        rest = &s[end..];
    }
    out
}

/// Opening tags in a document: a measure of how much a response says, independent of
/// whitespace and of how long the values are.
pub fn element_count(xml: &[u8]) -> usize {
    xml.windows(2)
        .filter(|w| w[0] == b'<' && w[1] != b'/' && w[1] != b'?')
        .count()
}
