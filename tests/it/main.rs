//! The single integration-test crate.

mod codegen_fresh;
mod contract;
mod protocol;
