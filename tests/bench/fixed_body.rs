//! The yardstick: the smallest useful hyper 1 server (the same hyper, hyper-util and tokio
//! versions parlel-ec2 is built with, from Cargo.lock), answering `/bytes/N` with a
//! fixed body of N bytes and nothing else. What parlel-ec2 does beyond this — parsing the
//! request, locking the region, building and writing XML — is what the ratio measures.

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::sync::OnceLock;

/// Largest body served; the biggest benchmark answer (1,000 instances) is a few MB.
const MAX: usize = 32 << 20;

fn body(n: usize) -> Bytes {
    static BUF: OnceLock<&'static [u8]> = OnceLock::new();
    // Zeroed memory comes straight from the kernel, untouched until read: start-up stays
    // fast and the resident size small. The bytes' values do not matter to the client.
    let buf = BUF.get_or_init(|| Vec::leak(vec![0u8; MAX]));
    Bytes::from_static(&buf[..n.min(MAX)])
}

async fn answer(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let n = req
        .uri()
        .path()
        .strip_prefix("/bytes/")
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let mut r = Response::new(Full::new(body(n)));
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/xml;charset=UTF-8"),
    );
    Ok(r)
}

/// Serves forever on 127.0.0.1 and a free port, printing the address the way
/// parlel-ec2 does. Same runtime shape as parlel-ec2's main: multi-threaded, one worker
/// per core.
pub fn serve() -> std::io::Result<()> {
    let _ = body(0);
    // A safety net: a yardstick left behind by a crashed harness goes away by itself.
    std::thread::spawn(|| {
        std::thread::sleep(std::time::Duration::from_secs(30 * 60));
        std::process::exit(0);
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        println!("fixed-body listening on http://{}", listener.local_addr()?);
        loop {
            let (stream, _) = match listener.accept().await {
                Ok(s) => s,
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), hyper::service::service_fn(answer))
                    .await;
            });
        }
    })
}
