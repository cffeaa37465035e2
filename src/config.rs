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
}

impl Default for Config {
    fn default() -> Config {
        Config {
            transition: Duration::ZERO,
            terminated_retention: Duration::from_secs(3600),
            max_body_bytes: 2 * 1024 * 1024,
        }
    }
}
