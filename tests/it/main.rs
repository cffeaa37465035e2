//! The single integration-test crate.
