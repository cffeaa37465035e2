//! The HTTP side: a hyper 1 server with the admin routes, CORS, request ids, body limits,
//! timeouts and graceful shutdown, in front of the generated EC2 dispatcher.
//!
//! One request: decode the parameters, parse them into a typed `Request` (generated), lock
//! the caller's region once, run the handler, unlock, write the XML.

use crate::auth;
use crate::clock::Timestamp;
use crate::config::Config;
use crate::context::Cx;
use crate::generated::service::{Request as Ec2Request, SERVICE_VERSION};
use crate::handlers::Handlers;
use crate::store::Stores;
use crate::wire::query::Node;
use crate::wire::xml::error_document;
use crate::Ec2Error;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderMap, HeaderValue};
use hyper::{Method, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// Everything a request needs: the state of every account and region, and the settings.
pub struct App {
    pub stores: Stores,
    pub config: Config,
    /// `--data-dir`: where mutations are journaled.
    pub journal: Option<crate::journal::Journal>,
    /// Injected faults (`/_parlel/faults`, `--fault`).
    pub faults: crate::faults::Faults,
    /// The instance metadata service's tokens and selected instance (`--imds-port`).
    pub imds: crate::imds::Imds,
}

impl App {
    pub fn new(config: Config) -> App {
        App {
            stores: Stores::default(),
            config,
            journal: None,
            faults: Default::default(),
            imds: Default::default(),
        }
    }

    /// An emulator whose accounts see `catalog`'s images (the seed's and the user's).
    pub fn with_catalog(config: Config, catalog: crate::image_catalog::ImageCatalog) -> App {
        App {
            stores: Stores::with_catalog(catalog),
            config,
            journal: None,
            faults: Default::default(),
            imds: Default::default(),
        }
    }

    /// [`with_catalog`](Self::with_catalog) with durable state in `dir`: its journal is
    /// replayed now, and every change is journaled from here on. An unreadable journal or
    /// a directory another process holds is an error naming the file.
    pub fn with_data_dir(
        config: Config,
        catalog: crate::image_catalog::ImageCatalog,
        dir: &std::path::Path,
    ) -> Result<App, String> {
        let crate::journal::Opened {
            journal,
            snapshot,
            entries,
        } = crate::journal::Journal::open(dir)?;
        let mut app = App::with_catalog(config, catalog);
        app.stores.seed_partitions(journal.salt());
        let started = Instant::now();
        let count = entries.len();
        // A journal after a snapshot starts with the run-time image catalogs (the
        // partitions in the snapshot already hold their images): those go first, then
        // the snapshot's partitions, then the changes made after it.
        let mut snapshot = snapshot;
        for e in entries {
            if matches!(e, crate::journal::Entry::Ec2 { .. }) {
                if let Some(file) = snapshot.take() {
                    app.restore(file.payload(), dir)?;
                }
            }
            replay(&app, e).map_err(|m| format!("{}: {m}", journal.path().display()))?;
        }
        if let Some(file) = snapshot.take() {
            app.restore(file.payload(), dir)?;
        }
        tracing::info!(
            entries = count,
            millis = started.elapsed().as_millis() as u64,
            "state rebuilt"
        );
        let app = App {
            journal: Some(journal),
            ..app
        };
        // A long journal (a crash before the snapshot it was due) is not replayed twice.
        if let Some(j) = &app.journal {
            if j.wants_snapshot(app.config.snapshot_after_bytes) {
                app.snapshot()
                    .map_err(|e| format!("{}: {e}", dir.display()))?;
            }
        }
        Ok(app)
    }

    /// Installs the partitions of a snapshot's payload.
    fn restore(&self, payload: &[u8], dir: &std::path::Path) -> Result<(), String> {
        let partitions = crate::snapshot::decode(payload)
            .map_err(|e| format!("{}: unreadable: {e}", dir.join("snapshot").display()))?;
        self.stores.install(partitions);
        Ok(())
    }

    /// Writes a snapshot of the whole state and starts the journal after it, if the
    /// journal is due one (see `Journal::wants_snapshot`) or `always`. Mutating requests
    /// wait meanwhile (the order lock); reads go on.
    fn write_snapshot(&self, always: bool) -> std::io::Result<()> {
        let Some(j) = &self.journal else {
            return Ok(());
        };
        let _order = j.order();
        if !always && !j.wants_snapshot(self.config.snapshot_after_bytes) {
            return Ok(()); // another request wrote it meanwhile
        }
        self.snapshot_locked(j)
    }

    fn snapshot_locked(&self, j: &crate::journal::Journal) -> std::io::Result<()> {
        let started = Instant::now();
        let mut partitions = self.stores.partitions();
        partitions.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let locks: Vec<_> = partitions.iter().map(|(_, p)| &**p).collect();
        let payload = crate::snapshot::encode(&locks).map_err(std::io::Error::other)?;
        j.install_snapshot(&payload)?;
        tracing::info!(
            partitions = partitions.len(),
            bytes = payload.len(),
            millis = started.elapsed().as_millis() as u64,
            "snapshot written"
        );
        Ok(())
    }

    /// A snapshot now, whatever the journal holds (at a clean stop, after a long replay).
    pub fn snapshot(&self) -> std::io::Result<()> {
        self.write_snapshot(true)
    }
}

/// Applies one journal entry as it was first applied.
fn replay(app: &App, e: crate::journal::Entry) -> Result<(), String> {
    use crate::journal::Entry;
    match e {
        Entry::Init { .. } => Ok(()),
        Entry::Images(json) => {
            let more = crate::image_catalog::parse(&json, "POST /_parlel/images")?;
            app.stores
                .add_images(more, "POST /_parlel/images")
                .map(|_| ())
        }
        Entry::Ec2 {
            account,
            region,
            now,
            seed,
            query,
            body,
        } => {
            let mut params = Node::from_form(&query).map_err(|e| e.message)?;
            params.add_form(&body).map_err(|e| e.message)?;
            let action = params.get("Action").unwrap_or_default().to_string();
            let request = Ec2Request::parse(&action, &params).map_err(|e| e.message)?;
            let partition = app.stores.get(&account, &region);
            let mut state = partition.lock().unwrap_or_else(PoisonError::into_inner);
            let mut cx = Cx::new(
                &account,
                &region,
                &mut state,
                &app.config,
                Timestamp(now),
                false,
            )
            .with_images(&app.stores.images);
            // A journaled request succeeded once; if it no longer does, the release changed
            // what it does (README, durable state): keep going with the rest.
            if let Err(e) = crate::rng::seeded(seed, || request.call(&Handlers, &mut cx)) {
                tracing::warn!(action, code = %e.code, "a journaled request no longer succeeds");
            }
            Ok(())
        }
    }
}

/// A listener on `addr` with a backlog of 1024 (std's and tokio's `bind` use 128): a burst
/// of clients connecting at once is queued instead of having its SYNs dropped and retried
/// a second later. Needs a tokio runtime.
pub fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}

/// Serves connections from `listener` until `shutdown` completes, then lets the requests
/// in flight finish.
/// Serves the instance metadata service (`--imds-port`) on `listener` (src/imds.rs).
pub async fn run_imds(listener: TcpListener, app: Arc<App>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        let app = app.clone();
        let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            let app = app.clone();
            async move {
                let headers = req.headers().clone();
                let header = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string)
                };
                match crate::imds::answer(&app, req.method().as_str(), req.uri().path(), &header) {
                    Some(a) => {
                        let mut r = Response::new(Full::new(Bytes::from(a.body)));
                        *r.status_mut() = StatusCode::from_u16(a.status).unwrap_or(StatusCode::OK);
                        r.headers_mut().insert(
                            hyper::header::CONTENT_TYPE,
                            HeaderValue::from_static(a.content_type),
                        );
                        for (name, value) in a.headers {
                            if let Ok(v) = HeaderValue::from_str(&value) {
                                r.headers_mut().insert(name, v);
                            }
                        }
                        Ok(r)
                    }
                    // HttpEndpoint disabled: no answer, the connection closes.
                    None => Err(std::io::Error::other(
                        "the instance's metadata endpoint is disabled",
                    )),
                }
            }
        });
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

pub async fn run(listener: TcpListener, app: Arc<App>, shutdown: impl Future<Output = ()>) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(s) => s,
                    Err(e) => {
                        // Out of file descriptors and the like: back off instead of spinning.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let header_timeout = app.config.header_timeout;
                let app = app.clone();
                let service = hyper::service::service_fn(move |req| {
                    let app = app.clone();
                    async move { Ok::<_, std::convert::Infallible>(handle(&app, req).await) }
                });
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(header_timeout)
                    .max_buf_size(64 * 1024)
                    .serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(Duration::from_secs(10)) => tracing::warn!("connections still open after 10 s; closing"),
    }
    // A clean stop leaves a snapshot, so the next start replays nothing.
    if app.journal.as_ref().is_some_and(|j| j.has_changes()) {
        if let Err(e) = blocking(|| app.snapshot()) {
            tracing::error!(error = %e, "the snapshot at stop could not be written; the journal is kept");
        }
    }
}

type Resp = Response<Full<Bytes>>;

/// Runs `f`, which blocks on the disk; on a multi-threaded runtime the runtime is told,
/// so other requests go on on other threads meanwhile (and share the next flush).
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(h) if h.runtime_flavor() == RuntimeFlavor::MultiThread => tokio::task::block_in_place(f),
        _ => f(),
    }
}

/// `POST /_parlel/faults`: one rule (src/faults.rs); `{"id": N}`, or 400 with the problem.
async fn add_fault(app: &App, req: hyper::Request<Incoming>) -> (StatusCode, String) {
    let body = match Limited::new(req.into_body(), 64 * 1024).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return (
                StatusCode::PAYLOAD_TOO_LARGE,
                "{\"error\":\"body too large\"}".into(),
            )
        }
    };
    match app.faults.add(&String::from_utf8_lossy(&body)) {
        Ok(id) => (StatusCode::OK, format!("{{\"id\":{id}}}")),
        Err(e) => (
            StatusCode::BAD_REQUEST,
            serde_json::json!({ "error": e }).to_string(),
        ),
    }
}

/// `POST /_parlel/images`: a catalog file's JSON adds images to every account, all or
/// none; `{"added": N}`, or 400 with the loader's error.
async fn add_images(app: &App, req: hyper::Request<Incoming>) -> (StatusCode, String) {
    const SOURCE: &str = "POST /_parlel/images";
    let fail =
        |status: StatusCode, e: &str| (status, serde_json::json!({ "error": e }).to_string());
    let body = match http_body_util::Limited::new(req.into_body(), app.config.max_body_bytes)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return fail(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body too large or unreadable",
            )
        }
    };
    let Ok(text) = std::str::from_utf8(&body) else {
        return fail(StatusCode::BAD_REQUEST, &format!("{SOURCE}: not UTF-8"));
    };
    let _order = app.journal.as_ref().map(|j| j.order());
    let added = crate::image_catalog::parse(text, SOURCE)
        .and_then(|more| app.stores.add_images(more, SOURCE))
        .and_then(|n| match &app.journal {
            Some(j) => j
                .append(&crate::journal::Entry::Images(text.to_string()))
                .map(|()| n)
                .map_err(|e| format!("the journal could not be written: {e}")),
            None => Ok(n),
        });
    match added {
        Ok(n) => (StatusCode::OK, format!("{{\"added\":{n}}}")),
        Err(e) => fail(StatusCode::BAD_REQUEST, &e),
    }
}

async fn handle(app: &App, req: hyper::Request<Incoming>) -> Resp {
    let started = Instant::now();
    let request_id = request_id();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let (status, body, content_type, action) = match (&method, path.as_str()) {
        (&Method::OPTIONS, _) => {
            let mut r = respond(StatusCode::OK, Bytes::new(), "text/plain", &request_id);
            preflight(req.headers(), r.headers_mut());
            return r;
        }
        (&Method::GET, "/_parlel/health") => {
            let body = format!(
                "{{\"status\":\"ok\",\"service\":\"ec2\",\"version\":\"{}\"}}",
                env!("CARGO_PKG_VERSION")
            );
            (StatusCode::OK, body, "application/json", "health")
        }
        (&Method::POST, "/_parlel/reset") => {
            let _order = app.journal.as_ref().map(|j| j.order());
            app.stores.reset();
            app.faults.clear(None);
            // On disk, the empty state is the next snapshot (crash-safe like any other).
            match app.journal.as_ref().map(|j| app.snapshot_locked(j)) {
                Some(Err(e)) => {
                    tracing::error!(error = %e, "the reset could not be written to the data directory");
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        serde_json::json!({ "error": format!("the reset could not be written to the data directory: {e}") }).to_string(),
                        "application/json",
                        "reset",
                    )
                }
                _ => (
                    StatusCode::OK,
                    "{\"reset\":true}".to_string(),
                    "application/json",
                    "reset",
                ),
            }
        }
        (&Method::GET, "/_parlel/state") => {
            let q = req.uri().query().unwrap_or("").to_string();
            (
                StatusCode::OK,
                crate::state_page::state_json(app, &q),
                "application/json",
                "state",
            )
        }
        (&Method::GET, "/_parlel/" | "/_parlel") => (
            StatusCode::OK,
            crate::state_page::PAGE.to_string(),
            "text/html; charset=utf-8",
            "page",
        ),
        (&Method::POST, "/_parlel/faults") => {
            let (status, body) = add_fault(app, req).await;
            (status, body, "application/json", "faults")
        }
        (&Method::GET, "/_parlel/faults") => (
            StatusCode::OK,
            app.faults.list(),
            "application/json",
            "faults",
        ),
        (&Method::DELETE, "/_parlel/faults") => {
            app.faults.clear(None);
            (
                StatusCode::OK,
                "{\"cleared\":true}".to_string(),
                "application/json",
                "faults",
            )
        }
        (&Method::DELETE, p) if p.starts_with("/_parlel/faults/") => {
            let id = p["/_parlel/faults/".len()..].parse::<u64>().ok();
            if id.is_some_and(|id| app.faults.clear(Some(id))) {
                (
                    StatusCode::OK,
                    "{\"cleared\":true}".to_string(),
                    "application/json",
                    "faults",
                )
            } else {
                (
                    StatusCode::NOT_FOUND,
                    "{\"error\":\"no such fault\"}".to_string(),
                    "application/json",
                    "faults",
                )
            }
        }
        (&Method::POST, "/_parlel/imds") => {
            let body = Limited::new(req.into_body(), 64 * 1024).collect().await;
            let body = body.map(|b| b.to_bytes()).unwrap_or_default();
            let (status, body) = crate::imds::select(app, &body);
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            (status, body, "application/json", "imds")
        }
        (&Method::POST, "/_parlel/images") => {
            let (status, body) = add_images(app, req).await;
            (status, body, "application/json", "images")
        }
        (&Method::GET | &Method::POST, "/") => {
            let (status, body, action) = ec2(app, req, &request_id).await;
            (status, body, "text/xml;charset=UTF-8", action)
        }
        (_, "/") => {
            let e = Ec2Error::new(
                "MethodNotAllowed",
                format!("The method {method} is not allowed; EC2 takes POST or GET on /."),
            );
            (
                StatusCode::METHOD_NOT_ALLOWED,
                error_document(&e.code, &e.message, &request_id),
                "text/xml;charset=UTF-8",
                "-",
            )
        }
        _ => {
            let e = Ec2Error::new("NotFound", format!("No route for {method} {path}: EC2 is served on /, admin routes under /_parlel/."));
            (
                StatusCode::NOT_FOUND,
                error_document(&e.code, &e.message, &request_id),
                "text/xml;charset=UTF-8",
                "-",
            )
        }
    };
    crate::log::request(
        method.as_str(),
        &path,
        action,
        status.as_u16(),
        started.elapsed().as_micros() as u64,
        &request_id,
    );
    respond(status, Bytes::from(body), content_type, &request_id)
}

/// The EC2 Query endpoint: status, XML body, and the action (for the log line).
async fn ec2(
    app: &App,
    req: hyper::Request<Incoming>,
    request_id: &str,
) -> (StatusCode, String, &'static str) {
    match ec2_inner(app, req, request_id).await {
        Ok((action, xml)) => (StatusCode::OK, xml, action),
        Err((action, e)) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
            (
                status,
                error_document(&e.code, &e.message, request_id),
                action,
            )
        }
    }
}

async fn ec2_inner(
    app: &App,
    req: hyper::Request<Incoming>,
    request_id: &str,
) -> Result<(&'static str, String), (&'static str, Ec2Error)> {
    let fail = |e| ("-", e);
    let limit = app.config.max_body_bytes;
    let too_large = || {
        Ec2Error::new(
            "RequestEntityTooLarge",
            format!("The request body is larger than the limit of {limit} bytes."),
        )
    };
    // Refuse early when the client announces a body over the limit.
    let announced = req
        .headers()
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return Err(fail(too_large()));
    }
    let authorization = req
        .headers()
        .get(hyper::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let query = req.uri().query().unwrap_or("").as_bytes().to_vec();
    // What a signature covers, kept only when signatures are checked.
    let signed_parts = app.config.verify_signatures.as_ref().map(|_| {
        let headers: Vec<(String, String)> = req
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        (
            req.method().to_string(),
            req.uri().path().to_string(),
            headers,
        )
    });
    let body = match tokio::time::timeout(
        app.config.body_timeout,
        Limited::new(req.into_body(), limit).collect(),
    )
    .await
    {
        Ok(Ok(b)) => b.to_bytes(),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => return Err(fail(too_large())),
        Ok(Err(_)) => {
            return Err(fail(Ec2Error::new(
                "MalformedQueryString",
                "The request body could not be read.",
            )))
        }
        Err(_) => {
            return Err(fail(Ec2Error::new(
                "RequestTimeout",
                "The request body was not received in time.",
            )))
        }
    };
    // Injected faults: only when a rule exists is the action read here.
    if let Some(effect) = fault_for(app, &query, &body, authorization.as_deref()) {
        match effect {
            crate::faults::Effect::Delay(d) => tokio::time::sleep(d).await,
            crate::faults::Effect::Error {
                code,
                status,
                message,
            } => return Err(("fault", Ec2Error::new(code, message).with_status(status))),
        }
    }
    // Everything from here on is synchronous. A panic anywhere in it (decoder, parser,
    // handler, serializer) answers 500 for this request only; the server keeps serving.
    // A panic in a handler poisons its region's mutex, which every lock shrugs off.
    std::panic::catch_unwind(AssertUnwindSafe(|| {
        let verified = match (&app.config.verify_signatures, &signed_parts) {
            (Some(creds), Some((method, path, headers))) => {
                let signed = crate::sigv4::Signed {
                    method,
                    path,
                    query: std::str::from_utf8(&query).unwrap_or(""),
                    headers,
                    body: &body,
                };
                Some(crate::sigv4::verify(creds, &signed, Timestamp::now()).map_err(|e| ("-", e))?)
            }
            _ => None,
        };
        answer(
            app,
            &query,
            &body,
            authorization.as_deref(),
            verified,
            request_id,
        )
    }))
    .unwrap_or_else(|_| Err(("-", Ec2Error::internal("An internal error has occurred"))))
}

/// The fault a rule injects into this request, if any (its action and scope read
/// unchecked: a fault comes before any other answer).
fn fault_for(
    app: &App,
    query: &[u8],
    body: &[u8],
    authorization: Option<&str>,
) -> Option<crate::faults::Effect> {
    if !app.faults.any() {
        return None;
    }
    let mut params = Node::from_form(query).ok()?;
    params.add_form(body).ok()?;
    let caller = auth::caller(authorization, params.get("X-Amz-Credential"));
    app.faults
        .check(params.get("Action")?, &caller.account, &caller.region)
}

/// Decodes, parses, runs and serializes one EC2 request whose bytes are all in.
fn answer(
    app: &App,
    query: &[u8],
    body: &[u8],
    authorization: Option<&str>,
    verified: Option<crate::sigv4::Verified>,
    request_id: &str,
) -> Result<(&'static str, String), (&'static str, Ec2Error)> {
    let fail = |e| ("-", e);
    let mut params = Node::from_form(query).map_err(fail)?;
    params.add_form(body).map_err(fail)?;
    // A verified signature names the account (its credential's) and the Region (its
    // scope); otherwise they are read from the credential scope unchecked.
    let caller = match &verified {
        Some(v) => auth::Caller {
            account: v.account.as_str().into(),
            region: v.region.as_str().into(),
        },
        None => auth::caller(authorization, params.get("X-Amz-Credential")),
    };

    let Some(action) = params.get("Action") else {
        return Err(fail(Ec2Error::new(
            "MissingAction",
            "The request must contain the parameter Action",
        )));
    };
    match params.get("Version") {
        None => return Err(fail(Ec2Error::missing_parameter("Version"))),
        // ansible/ansible#37267.
        Some(v) if v != SERVICE_VERSION => {
            return Err(fail(Ec2Error::new(
                "NoSuchVersion",
                format!("The requested version ({v}) of service AmazonEC2 does not exist"),
            )))
        }
        Some(_) => {}
    }
    let request = Ec2Request::parse(action, &params).map_err(fail)?;
    let action = request.action();
    let dry_run = request.dry_run();
    // With a journal, a request that may change something holds the journal's order
    // from before its partition is locked until it is on disk.
    let journal = app
        .journal
        .as_ref()
        .filter(|_| !(action.starts_with("Describe") || action.starts_with("Get")));
    let order = journal.map(|j| j.order());
    // Where this request's journal record ends, once written (synced after the order
    // lock is released, before the answer).
    let mut written: Option<u64> = None;
    let response = {
        let region = app.stores.get(&caller.account, &caller.region);
        let mut state = region.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Timestamp::now();
        let mut cx = Cx::new(
            &caller.account,
            &caller.region,
            &mut state,
            &app.config,
            now,
            dry_run,
        )
        .with_images(&app.stores.images);
        let response = match journal {
            None => request.call(&Handlers, &mut cx),
            Some(j) => {
                let seed: u64 = rand::Rng::gen(&mut rand::thread_rng());
                let response = crate::rng::seeded(seed, || request.call(&Handlers, &mut cx));
                if response.is_ok() && cx.committed() {
                    let entry = crate::journal::Entry::Ec2 {
                        account: caller.account.to_string(),
                        region: caller.region.to_string(),
                        now: now.0,
                        seed,
                        query: query.to_vec(),
                        body: body.to_vec(),
                    };
                    match j.write(&entry) {
                        Ok(end) => written = Some(end),
                        Err(e) => {
                            tracing::error!(error = %e, "the journal could not be written");
                            return Err((
                                action,
                                Ec2Error::internal("The change could not be made durable."),
                            ));
                        }
                    }
                }
                response
            }
        };
        if app.config.panic_on_action.as_deref() == Some(action) {
            panic!("fault injected by Config::panic_on_action for {action}");
        }
        response
    };
    drop(order);
    if let (Some(j), Some(end)) = (journal, written) {
        // The flush blocks this thread: tell the runtime, so other requests keep going
        // on other threads and share the next flush (group commit).
        if let Err(e) = blocking(|| j.sync_to(end)) {
            tracing::error!(error = %e, "the journal could not be flushed");
            return Err((
                action,
                Ec2Error::internal("The change could not be made durable."),
            ));
        }
        if j.wants_snapshot(app.config.snapshot_after_bytes) {
            // This request's change is on disk already; its answer waits for the snapshot.
            if let Err(e) = blocking(|| app.write_snapshot(false)) {
                tracing::error!(error = %e, "a snapshot could not be written; the journal goes on");
            }
        }
    }
    match response {
        // DryRun: the checks passed, so EC2 answers 412 (read-only operations included).
        Ok(_) if dry_run => Err((action, Ec2Error::dry_run())),
        Ok(r) => Ok((action, r.to_xml(request_id))),
        Err(e) => Err((action, e)),
    }
}

fn respond(status: StatusCode, body: Bytes, content_type: &'static str, request_id: &str) -> Resp {
    let mut r = Response::new(Full::new(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        hyper::header::CONTENT_TYPE,
        HeaderValue::from_static(content_type),
    );
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amzn-requestid", v);
    }
    h.insert(hyper::header::SERVER, HeaderValue::from_static("AmazonEC2"));
    h.insert(
        hyper::header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        hyper::header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("x-amzn-RequestId, x-amz-request-id, Date"),
    );
    r
}

/// CORS preflight: the browser SDK sends `authorization`, `x-amz-*` and `amz-sdk-*` headers.
fn preflight(req: &HeaderMap, out: &mut HeaderMap) {
    out.insert(
        hyper::header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    let allowed = req
        .get(hyper::header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
        .unwrap_or(HeaderValue::from_static("*"));
    out.insert(hyper::header::ACCESS_CONTROL_ALLOW_HEADERS, allowed);
    out.insert(
        hyper::header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
}

/// A random UUID v4, as AWS request ids are.
fn request_id() -> String {
    use rand::Rng;
    let b: [u8; 16] = rand::thread_rng().gen();
    let v = (u128::from_be_bytes(b) & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    // 8-4-4-4-12 lowercase hex digits, written digit by digit (every request makes one).
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for i in 0..32 {
        if matches!(i, 8 | 12 | 16 | 20) {
            out.push('-');
        }
        out.push(HEX[(v >> (124 - 4 * i)) as usize & 0xf] as char);
    }
    out
}

/// An emulator running on its own threads, for tests and embedding. Dropping it stops the
/// server and waits for it.
///
/// ```
/// let ec2 = parlel_ec2::EmulatorHandle::start().unwrap();
/// // Point an SDK at ec2.endpoint(), e.g. "http://127.0.0.1:41234".
/// assert!(ec2.endpoint().starts_with("http://127.0.0.1:"));
/// ```
pub struct EmulatorHandle {
    endpoint: String,
    addr: SocketAddr,
    app: Arc<App>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl EmulatorHandle {
    /// Starts on 127.0.0.1 and a free port with the default settings.
    pub fn start() -> std::io::Result<EmulatorHandle> {
        Self::start_with(Config::default(), "127.0.0.1:0".parse().expect("address"))
    }

    pub fn start_with(config: Config, addr: SocketAddr) -> std::io::Result<EmulatorHandle> {
        Self::start_app(App::new(config), addr)
    }

    /// Serves an emulator built elsewhere (a user catalog, a data directory).
    pub fn start_app(app: App, addr: SocketAddr) -> std::io::Result<EmulatorHandle> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let listener = {
            let _runtime = runtime.enter();
            bind(addr)?
        };
        let addr = listener.local_addr()?;
        let app = Arc::new(app);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let served = app.clone();
        let thread = std::thread::Builder::new()
            .name("parlel-ec2".into())
            .spawn(move || {
                runtime.block_on(async move {
                    run(listener, served, async {
                        let _ = rx.await;
                    })
                    .await;
                })
            })?;
        Ok(EmulatorHandle {
            endpoint: format!("http://{addr}"),
            addr,
            app,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL` or an SDK's `endpoint`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every account and region back to its start state.
    pub fn reset(&self) {
        self.app.stores.reset();
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    /// EC2 request ids are version-4 UUIDs: 8-4-4-4-12 lowercase hex, `4` as the version
    /// digit, `8`–`b` as the variant digit.
    #[test]
    fn request_ids_are_version_4_uuids() {
        let ids: Vec<String> = (0..64).map(|_| super::request_id()).collect();
        for id in &ids {
            let b = id.as_bytes();
            assert_eq!(b.len(), 36, "{id}");
            for (i, c) in b.iter().enumerate() {
                if matches!(i, 8 | 13 | 18 | 23) {
                    assert_eq!(*c, b'-', "{id}");
                } else {
                    assert!(c.is_ascii_hexdigit() && !c.is_ascii_uppercase(), "{id}");
                }
            }
            assert_eq!(b[14], b'4', "{id}");
            assert!(matches!(b[19], b'8' | b'9' | b'a' | b'b'), "{id}");
        }
        assert!(ids.windows(2).all(|w| w[0] != w[1]));
    }
}
