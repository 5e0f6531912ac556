//! A minimal HTTP/1.1 client over `std::net`: one request per connection (`Connection: close`),
//! response head parsing, and a body reader for `Content-Length`, chunked, or read-to-close
//! bodies. Plain `http://` only: std has no TLS.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// The largest response head accepted (status line plus headers).
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// An `http://host[:port]/path` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// Host name or address (IPv6 without brackets).
    pub host: String,
    /// Port (80 when the URL has none).
    pub port: u16,
    /// Path and query, starting with `/`.
    pub path: String,
}

impl Url {
    /// Parses an `http://` URL; `https://` and anything else is refused with a reason.
    pub fn parse(text: &str) -> Result<Url, String> {
        let text = text.trim();
        let rest = match text.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
            Some((scheme, _)) if scheme.eq_ignore_ascii_case("https") => {
                return Err(format!("{text}: https is not supported (the plugin uses std only, without TLS); use an http:// endpoint"));
            }
            _ => return Err(format!("{text:?} is not an http:// URL")),
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
            let (host, after) = bracketed.split_once(']').ok_or_else(|| format!("{text}: unclosed [ in the host"))?;
            (host, after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(format!("{text}: the URL has no host"));
        }
        let port = match port {
            Some(p) => p.parse().map_err(|_| format!("{text}: {p:?} is not a port"))?,
            None => 80,
        };
        Ok(Url { host: host.to_owned(), port, path: path.to_owned() })
    }

    /// `host:port` as written in a `Host` header.
    pub fn authority(&self) -> String {
        if self.host.contains(':') { format!("[{}]:{}", self.host, self.port) } else { format!("{}:{}", self.host, self.port) }
    }
}

/// Opens a TCP connection to the URL's host, trying each resolved address.
pub fn connect(url: &Url, timeout: Duration) -> io::Result<TcpStream> {
    let mut last = io::Error::new(io::ErrorKind::NotFound, format!("{} resolves to no address", url.host));
    for addr in (url.host.as_str(), url.port).to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(stream) => return Ok(stream),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Writes one request; `body` is sent with its `Content-Length`.
pub fn send_request(
    stream: &mut TcpStream,
    method: &str,
    url: &Url,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<()> {
    let mut head = format!("{method} {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", url.path, url.authority());
    for (name, value) in headers {
        // A header value must not break the request apart.
        let value: String = value.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

/// A response: status, headers, and the body as a reader.
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The reason phrase (`"Unauthorized"`).
    pub reason: String,
    /// Header names (lowercase) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body, decoded from its transfer encoding.
    pub body: BufReader<Body>,
}

impl Response {
    /// The first header with this (lowercase) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Reads the body as text, at most `limit` bytes (the rest is left unread).
    pub fn text(&mut self, limit: u64) -> io::Result<String> {
        let mut bytes = Vec::new();
        self.body.by_ref().take(limit).read_to_end(&mut bytes)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

/// Reads one CRLF (or LF) terminated line without the terminator; `None` at end of input.
fn read_line(reader: &mut impl BufRead, budget: &mut usize) -> io::Result<Option<String>> {
    let mut line = Vec::new();
    let read = reader.by_ref().take(*budget as u64 + 1).read_until(b'\n', &mut line)?;
    if read == 0 {
        return Ok(None);
    }
    if read > *budget {
        return Err(invalid("the response head is too large"));
    }
    *budget -= read;
    while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        line.pop();
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

/// Reads the status line and headers, and sets up the body reader.
pub fn read_response(stream: TcpStream) -> io::Result<Response> {
    let mut reader = BufReader::new(stream);
    let mut budget = MAX_HEAD_BYTES;
    let status_line = read_line(&mut reader, &mut budget)?.ok_or_else(|| invalid("the server closed the connection without answering"))?;
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/1.") {
        return Err(invalid(format!("not an HTTP/1.x response: {status_line:?}")));
    }
    let status = parts.next().and_then(|s| s.parse().ok()).ok_or_else(|| invalid(format!("bad status line {status_line:?}")))?;
    let reason = parts.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    loop {
        let line = read_line(&mut reader, &mut budget)?.ok_or_else(|| invalid("the response head ended early"))?;
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let find = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let body = if find("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
        Body::Chunked { inner: reader, left: 0, done: false }
    } else if let Some(length) = find("content-length") {
        let length: u64 = length.parse().map_err(|_| invalid(format!("bad Content-Length {length:?}")))?;
        Body::Length(reader.take(length))
    } else {
        Body::Close(reader)
    };
    Ok(Response { status, reason, headers, body: BufReader::new(body) })
}

/// A response body with its transfer framing removed.
pub enum Body {
    /// `Transfer-Encoding: chunked`.
    Chunked {
        /// The connection.
        inner: BufReader<TcpStream>,
        /// Bytes left in the current chunk.
        left: u64,
        /// The last chunk was read.
        done: bool,
    },
    /// `Content-Length`.
    Length(io::Take<BufReader<TcpStream>>),
    /// Neither: the body ends when the server closes the connection.
    Close(BufReader<TcpStream>),
}

impl Read for Body {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Body::Length(r) => r.read(buf),
            Body::Close(r) => r.read(buf),
            Body::Chunked { inner, left, done } => {
                if *done || buf.is_empty() {
                    return Ok(0);
                }
                if *left == 0 {
                    let mut budget = MAX_HEAD_BYTES;
                    let line = read_line(inner, &mut budget)?.ok_or_else(|| invalid("the chunked body ended early"))?;
                    let size = line.split(';').next().unwrap_or_default().trim();
                    let size = u64::from_str_radix(size, 16).map_err(|_| invalid(format!("bad chunk size {size:?}")))?;
                    if size == 0 {
                        // Trailers, up to the empty line.
                        while read_line(inner, &mut budget)?.is_some_and(|l| !l.is_empty()) {}
                        *done = true;
                        return Ok(0);
                    }
                    *left = size;
                }
                let want = buf.len().min(usize::try_from(*left).unwrap_or(usize::MAX));
                let n = inner.read(&mut buf[..want])?;
                if n == 0 {
                    return Err(invalid("the chunked body ended in the middle of a chunk"));
                }
                *left -= n as u64;
                if *left == 0 {
                    let mut budget = 2;
                    read_line(inner, &mut budget)?; // the CRLF after the chunk data
                }
                Ok(n)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_host_port_and_path_and_refuse_https() {
        let url = Url::parse("http://127.0.0.1:8080/v1/chat/completions").unwrap();
        assert_eq!((url.host.as_str(), url.port, url.path.as_str()), ("127.0.0.1", 8080, "/v1/chat/completions"));
        assert_eq!(Url::parse("http://localhost").unwrap(), Url { host: "localhost".into(), port: 80, path: "/".into() });
        let v6 = Url::parse("http://[::1]:9/x").unwrap();
        assert_eq!((v6.host.as_str(), v6.port, v6.authority()), ("::1", 9, "[::1]:9".to_owned()));
        assert!(Url::parse("https://example.invalid/v1").unwrap_err().contains("https is not supported"));
        assert!(Url::parse("ftp://x").is_err());
        assert!(Url::parse("http://h:port/").unwrap_err().contains("not a port"));
    }
}
