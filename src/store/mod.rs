//! In-memory state, partitioned by account and region.
//!
//! `Stores` maps `(account, region)` to a `RegionState` behind its own mutex; the outer
//! lock is held only to find or create a partition. A request locks its partition once,
//! so every request is atomic per account and region (see server.rs).
//!
//! Each kind of resource is declared once ([`Resource`], in `kinds/`); what is generic
//! about kinds (lookups with EC2's errors, Describe, tags, deletes) is in `resource.rs`.

mod kinds;
mod region;
pub(crate) mod resource;

pub use kinds::*;
pub use region::{egress_all, RegionState};
pub use resource::{
    ErrorText, IdCheck, Kind, KindInfo, KindVisitor, Resource, Table, TagRow, Tags, View,
};

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// One partition: an account's state in one region.
pub type Partition = Arc<Mutex<RegionState>>;

#[derive(Default)]
pub struct Stores {
    /// `(account, region)` → partition.
    regions: Mutex<HashMap<(String, String), Partition>>,
}

impl Stores {
    /// The partition of one account and region, seeded like a new AWS account on first use.
    pub fn get(&self, account: &str, region: &str) -> Partition {
        let mut map = self.regions.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(r) = map.get(&(account.to_string(), region.to_string())) {
            return r.clone();
        }
        let r = Arc::new(Mutex::new(RegionState::new(account, region)));
        map.insert((account.to_string(), region.to_string()), r.clone());
        r
    }

    /// Every account and region back to its start state.
    pub fn reset(&self) {
        self.regions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

/// A new EC2-shaped id: `prefix-` and 17 lowercase hex digits.
pub fn new_id(prefix: &str) -> String {
    use rand::Rng;
    let n: u128 = rand::thread_rng().gen();
    let mut s = String::with_capacity(prefix.len() + 18);
    s.push_str(prefix);
    s.push('-');
    s.push_str(&format!("{:017x}", n & ((1u128 << 68) - 1)));
    s
}

/// Whether `id` is `prefix-` followed by 8 or 17 lowercase hex digits (EC2's short and
/// long id formats).
pub fn is_well_formed(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|hex| {
            (hex.len() == 8 || hex.len() == 17)
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}
