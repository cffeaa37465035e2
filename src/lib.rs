//! parlel-ec2: a fast, faithful local emulator of the Amazon EC2 API (2016-11-15).
//!
//! ```
//! let ec2 = parlel_ec2::EmulatorHandle::start().unwrap();
//! println!("EC2 at {}", ec2.endpoint()); // stops when `ec2` is dropped
//! ```
//!
//! Layout (one request flows top to bottom):
//!
//! - `server` — hyper accept loop, admin routes, CORS, request ids, body limits.
//! - `auth` — account and region from the SigV4 credential scope.
//! - [`wire`] — EC2 Query decoding and XML writing, called by the generated code.
//! - [`generated`] — request parsers, response writers, the `Ec2` handler trait and the
//!   `Action` dispatcher, all generated from `model/ec2.json` by build.rs.
//! - `handlers` — the hand-written `Ec2` implementation: EC2's rules over the `store`,
//!   with `describe` (filters, pagination) shared by every Describe*.
//! - [`store`] — the state of every account and region; each kind of resource declared
//!   once (`store::Resource`), with the operations every kind shares.
//! - [`Ec2Error`] — EC2 error codes, messages and HTTP statuses.

// Generated code names this crate `parlel_ec2` so the same text compiles here and in tests.
extern crate self as parlel_ec2;

pub mod auth;
pub mod clock;
pub mod config;
pub mod context;
pub mod describe;
mod error;
pub mod faults;
pub mod generated;
pub mod handlers;
pub mod image_catalog;
pub mod imds;
pub mod instance_types;
pub mod journal;
pub mod keys;
pub mod log;
pub mod net;
pub mod regions;
pub mod rng;
pub mod server;
pub mod services;
pub mod sigv4;
pub mod snapshot;
pub mod state_page;
pub mod store;
pub mod wire;

pub use config::Config;
pub use error::Ec2Error;
pub use server::{App, EmulatorHandle};
