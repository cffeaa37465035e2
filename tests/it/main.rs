//! The single integration-test crate.

mod catalog;
mod codegen_fresh;
mod compute;
mod contract;
mod durable;
mod faults;
mod filters;
mod hardening;
mod hostile_query;
mod images;
mod imds;
mod local;
mod networking;
mod ops_deletes;
mod ops_instances;
mod ops_misc;
mod ops_network;
mod ops_server;
mod paging;
mod protocol;
mod resources;
mod signatures;
mod support;
mod templates;
