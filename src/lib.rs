//! parlel-ec2: a fast, faithful local emulator of the Amazon EC2 API (2016-11-15).
//!
//! Layout (one request flows top to bottom):
//!
//! - `server` — hyper accept loop, admin routes, request ids, body limits.
//! - [`wire`] — EC2 Query decoding and XML writing, called by the generated code.
//! - [`generated`] — request parsers, response writers, the `Ec2` handler trait and the
//!   `Action` dispatcher, all generated from `model/ec2.json` by build.rs.
//! - `handlers` — the hand-written `Ec2` implementation: EC2's rules over the store.
//! - [`Ec2Error`] — EC2 error codes, messages and HTTP statuses.

// Generated code names this crate `parlel_ec2` so the same text compiles here and in tests.
extern crate self as parlel_ec2;

mod error;
pub mod generated;
pub mod wire;

pub use error::Ec2Error;
