//! The log: stderr, written in batches off the request path, and a request line written
//! by hand.
//!
//! At the default level every request logs one `info` line. Formatted by
//! `tracing-subscriber` and written with one `write(2)` each, that line cost about a
//! quarter of a small request's time (BENCHMARKS.md, run 8). Here a request appends its
//! line to a shared buffer and a background thread writes what has gathered, one write
//! per batch; the request line itself is formatted without `core::fmt` machinery.
//! Other events (warnings, errors) go through `tracing` as before, into the same buffer,
//! so lines stay in order.
//!
//! A line reaches stderr within [`LINGER`] of being logged; the buffer is also written
//! out when the server shuts down and when a thread panics. A `kill -9` can lose the
//! last few milliseconds of lines.

use std::io::Write;
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};
use std::time::Duration;

/// How long a line may wait for others to share its write.
pub const LINGER: Duration = Duration::from_millis(5);
/// Past this many buffered bytes the logging thread writes them itself (back-pressure
/// when stderr is slower than the requests).
const HIGH_WATER: usize = 1 << 20;

struct Shared {
    buf: Mutex<Vec<u8>>,
    ready: Condvar,
}

static SHARED: OnceLock<Shared> = OnceLock::new();

fn shared() -> &'static Shared {
    SHARED.get_or_init(|| {
        std::thread::Builder::new()
            .name("log-writer".into())
            .spawn(writer_loop)
            .expect("the log writer thread");
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            flush();
            hook(info);
        }));
        Shared {
            buf: Mutex::new(Vec::with_capacity(64 * 1024)),
            ready: Condvar::new(),
        }
    })
}

fn writer_loop() {
    let s = shared();
    let mut out = Vec::with_capacity(64 * 1024);
    loop {
        {
            let mut buf = s.buf.lock().unwrap_or_else(PoisonError::into_inner);
            while buf.is_empty() {
                buf = s.ready.wait(buf).unwrap_or_else(PoisonError::into_inner);
            }
        }
        // Let the lines of the requests in flight join this write.
        std::thread::sleep(LINGER);
        {
            let mut buf = s.buf.lock().unwrap_or_else(PoisonError::into_inner);
            std::mem::swap(&mut *buf, &mut out);
        }
        let _ = std::io::stderr().lock().write_all(&out);
        out.clear();
    }
}

/// Appends whole lines to the log.
pub fn append(bytes: &[u8]) {
    let s = shared();
    let mut buf = s.buf.lock().unwrap_or_else(PoisonError::into_inner);
    let was_empty = buf.is_empty();
    buf.extend_from_slice(bytes);
    if buf.len() > HIGH_WATER {
        let _ = std::io::stderr().lock().write_all(&buf);
        buf.clear();
    } else if was_empty {
        s.ready.notify_one();
    }
}

/// Writes out whatever is buffered (shutdown, panics).
pub fn flush() {
    if let Some(s) = SHARED.get() {
        let mut buf = s.buf.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = std::io::stderr().lock().write_all(&buf);
        buf.clear();
    }
}

/// The `MakeWriter` for `tracing-subscriber`: each event's formatted text is appended.
#[derive(Clone, Copy, Default)]
pub struct Batched;

pub struct EventWriter(Vec<u8>);

impl Write for EventWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for EventWriter {
    fn drop(&mut self) {
        append(&self.0);
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Batched {
    type Writer = EventWriter;
    fn make_writer(&'a self) -> EventWriter {
        EventWriter(Vec::with_capacity(256))
    }
}

/// One request's line, in the shape `tracing-subscriber` gives the other events:
/// `YYYY-MM-DDTHH:MM:SS` of `second` (Unix time), kept per thread for the second it is.
fn push_second(line: &mut Vec<u8>, second: i64) {
    thread_local! {
        static LAST: std::cell::Cell<(i64, [u8; 19])> = const { std::cell::Cell::new((i64::MIN, [0; 19])) };
    }
    let (at, text) = LAST.get();
    if at == second {
        line.extend_from_slice(&text);
        return;
    }
    let stamp = crate::clock::Timestamp::from_millis(second * 1000)
        .format(crate::wire::TimestampFormat::DateTime);
    let mut text = [0u8; 19];
    text.copy_from_slice(&stamp.as_bytes()[..19]);
    LAST.set((second, text));
    line.extend_from_slice(&text);
}

/// `2026-12-02T03:10:59.123456Z  INFO request method=POST path=/ action=DescribeVpcs
/// status=200 micros=35 request_id=…`. Only when `info` is enabled.
pub fn request(method: &str, path: &str, action: &str, status: u16, micros: u64, request_id: &str) {
    if !tracing::enabled!(tracing::Level::INFO) {
        return;
    }
    let mut line = Vec::with_capacity(160 + path.len());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    // `…T03:10:59.123456Z`, as tracing writes it. The date and time to the second are
    // formatted once a second per thread; the fraction is six digits.
    push_second(&mut line, now.as_secs() as i64);
    line.push(b'.');
    let micros_of_second = now.subsec_micros();
    for k in (0..6).rev() {
        line.push(b'0' + (micros_of_second / 10u32.pow(k) % 10) as u8);
    }
    line.push(b'Z');
    line.extend_from_slice(b"  INFO request method=");
    line.extend_from_slice(method.as_bytes());
    line.extend_from_slice(b" path=");
    push_field(&mut line, path);
    line.extend_from_slice(b" action=");
    push_field(&mut line, action);
    line.extend_from_slice(b" status=");
    push_u64(&mut line, u64::from(status));
    line.extend_from_slice(b" micros=");
    push_u64(&mut line, micros);
    line.extend_from_slice(b" request_id=");
    line.extend_from_slice(request_id.as_bytes());
    line.push(b'\n');
    append(&line);
}

/// A client-chosen value on one log line: control characters (a newline would forge a
/// line) are written escaped, as `tracing` does for strings.
fn push_field(line: &mut Vec<u8>, s: &str) {
    if s.bytes()
        .all(|b| (0x21..0x7f).contains(&b) && b != b'"' && b != b'\\')
    {
        line.extend_from_slice(s.as_bytes());
    } else {
        line.extend_from_slice(format!("{s:?}").as_bytes());
    }
}

fn push_u64(line: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    line.extend_from_slice(&digits[i..]);
}

#[cfg(test)]
mod tests {
    #[test]
    fn client_values_cannot_break_the_line() {
        let mut line = Vec::new();
        super::push_field(&mut line, "/x\ny");
        assert_eq!(line, b"\"/x\\ny\"");
        let mut n = Vec::new();
        super::push_u64(&mut n, 0);
        super::push_u64(&mut n, 18_446_744_073_709_551_615);
        assert_eq!(n, b"018446744073709551615");
    }

    #[test]
    fn the_second_is_formatted_once_and_reused_while_it_lasts() {
        let mut a = Vec::new();
        super::push_second(&mut a, 1_764_644_459);
        super::push_second(&mut a, 1_764_644_459);
        super::push_second(&mut a, 1_764_644_460);
        assert_eq!(
            String::from_utf8(a).unwrap(),
            "2025-12-02T03:00:59\
             2025-12-02T03:00:59\
             2025-12-02T03:01:00"
        );
    }
}
