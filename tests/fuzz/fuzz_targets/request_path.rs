//! (b) The whole request path: decode, parse, handler, XML; see harness.rs.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::request_path(data));
