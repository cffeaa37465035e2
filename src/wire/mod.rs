//! The EC2 Query wire layer that the generated code calls: parameter decoding
//! ([`query`]), XML writing ([`xml`]), the dynamic view used by contract tests
//! ([`value`]), the scalar types the model needs, and what paginated inputs share.

pub mod query;
pub mod value;
pub mod xml;

pub use crate::clock::{Timestamp, TimestampFormat};

/// A blob member (base64 on the wire), such as RunInstances' `UserData`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Blob(pub Vec<u8>);

/// What the model says about a paginated operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub input_token: &'static str,
    pub output_token: &'static str,
    pub page_size: &'static str,
    pub items: &'static str,
    /// The `range` of the page-size member, when the model gives one.
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// A paginated operation's input: its paging facts as constants (generated from the
/// model's `paginated` trait and the page-size member's `range`), its page-size and token
/// members, and a fingerprint of everything else it asks.
pub trait Paged {
    const PAGING: Paging;
    fn page_size(&self) -> Option<i32>;
    fn page_token(&self) -> Option<&str>;
    /// A hash of every member but the page size, the token and DryRun.
    fn fingerprint(&self) -> u64;
}

/// Hashes the `Debug` text of `parts` without building it.
pub fn fingerprint(parts: &[&dyn std::fmt::Debug]) -> u64 {
    use std::hash::Hasher;
    struct Sink(std::collections::hash_map::DefaultHasher);
    impl std::fmt::Write for Sink {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let mut sink = Sink(Default::default());
    for p in parts {
        let _ = std::fmt::write(&mut sink, format_args!("{p:?}\u{1}"));
    }
    sink.0.finish()
}

/// `s` as a `&'static str`: each distinct text is leaked once, for the process's life.
/// For texts from a small set that must outlive what they were read from (model member
/// names in JSON, a snapshot's enumerated values such as `"required"`).
pub fn intern(s: &str) -> &'static str {
    use std::collections::BTreeSet;
    use std::sync::{Mutex, PoisonError};
    static TEXTS: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut texts = TEXTS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(t) = texts.get(s) {
        return t;
    }
    let t: &'static str = Box::leak(s.to_string().into_boxed_str());
    texts.insert(t);
    t
}
