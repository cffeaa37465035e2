//! Run-time settings of the emulator (flags and environment, see main.rs and the README).

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// How long pending, stopping and shutting-down last. Zero (the default) settles a
    /// transition on the next read, so SDK waiters return at once.
    pub transition: Duration,
    /// How long a terminated instance stays visible (EC2: about an hour).
    pub terminated_retention: Duration,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
    /// How long a client may take to send a request's headers (10 s). The clock also runs
    /// while a keep-alive connection waits for its next request, so idle connections are
    /// closed after this long.
    pub header_timeout: Duration,
    /// How long a client may take to send a request's body once its headers are in (30 s).
    pub body_timeout: Duration,
    /// For tests only: a handler answering this action panics after it has run, while the
    /// region is still locked, to check that the panic becomes a 500 `InternalError` for
    /// that request alone. `None` (the default) in every real use.
    pub panic_on_action: Option<String>,
    /// `--verify-signatures`: the credentials SigV4 signatures are checked against;
    /// `None` (the default) accepts any credentials unchecked.
    pub verify_signatures: Option<crate::sigv4::Credentials>,
    /// `--render-cache-mib`: how many bytes of rendered items a Region keeps (see
    /// `store::Renders`); 0 renders every item on every request.
    pub render_cache_bytes: usize,
    /// `--snapshot-after-mib`: with `--data-dir`, a snapshot is written once the journal
    /// holds this many bytes (and at least as many as the last snapshot).
    pub snapshot_after_bytes: u64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            transition: Duration::ZERO,
            terminated_retention: Duration::from_secs(3600),
            max_body_bytes: 2 * 1024 * 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            panic_on_action: None,
            verify_signatures: None,
            render_cache_bytes: 64 << 20,
            snapshot_after_bytes: 64 << 20,
        }
    }
}
