//! (b) The whole request path: decode, parse, handler, XML; see harness.rs.
#![no_main]

// Each binary uses one of the two targets.
#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::request_path(data));
