//! What every Describe* shares: filters ([`filter`]) and pagination ([`page`]).

pub mod filter;
pub mod page;
