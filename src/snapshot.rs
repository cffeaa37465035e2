//! What a snapshot of the durable state holds, and how its parts are encoded (the file
//! around it is `journal.rs`'s): every partition's `RegionState` as serde derives it,
//! written with postcard. The few parts serde cannot derive are here: texts the state
//! keeps as `&'static str` (read back through [`crate::wire::intern`]), the tokens map
//! keyed by action name, and a [`Table`], written as its `(id, record)` pairs and read
//! back through `insert` so its tag index and revisions are made anew.
//!
//! postcard writes no field names, so a snapshot can be read only by a build whose types
//! are the same: [`LAYOUT`] is a fingerprint of them (build.rs), kept in the file and
//! compared before anything is decoded.

use crate::store::{RegionState, Table, Tagged};
use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// The fingerprints of the kept generated shapes and of the hand-written state types.
pub const LAYOUT: [u64; 2] = [
    crate::generated::types::KEPT_LAYOUT,
    const_parse(env!("PARLEL_STATE_LAYOUT")),
];

const fn const_parse(s: &str) -> u64 {
    let b = s.as_bytes();
    let mut n = 0u64;
    let mut i = 0;
    while i < b.len() {
        n = n * 10 + (b[i] - b'0') as u64;
        i += 1;
    }
    n
}

/// The partitions (in the order given), each encoded while it alone is locked. Maps are
/// written in key order, so the same state is the same bytes.
pub fn encode(partitions: &[&Mutex<RegionState>]) -> Result<Vec<u8>, String> {
    struct Locked<'a>(&'a [&'a Mutex<RegionState>]);
    impl Serialize for Locked<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut seq = s.serialize_seq(Some(self.0.len()))?;
            for p in self.0 {
                seq.serialize_element(&*p.lock().unwrap_or_else(PoisonError::into_inner))?;
            }
            seq.end()
        }
    }
    postcard::to_stdvec(&Locked(partitions)).map_err(|e| e.to_string())
}

/// The partitions of a snapshot's payload.
pub fn decode(payload: &[u8]) -> Result<Vec<RegionState>, String> {
    SHARED.with(|s| *s.borrow_mut() = Some(HashSet::default()));
    let decoded = postcard::take_from_bytes::<Vec<RegionState>>(payload);
    SHARED.with(|s| *s.borrow_mut() = None);
    let (partitions, rest) = decoded.map_err(|e| e.to_string())?;
    if !rest.is_empty() {
        return Err(format!("{} bytes after the state", rest.len()));
    }
    Ok(partitions)
}

type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

thread_local! {
    /// While [`decode`] runs: every `Arc<str>` read so far, so equal texts share one
    /// allocation again (the records share subnet ids, AZs, image facts… in memory, and
    /// would otherwise each get a copy after a restart).
    static SHARED: std::cell::RefCell<Option<HashSet<Arc<str>>>> = const { std::cell::RefCell::new(None) };
}

/// An `Arc<str>` field, shared with every equal one the snapshot holds.
pub fn shared<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<str>, D::Error> {
    let s = std::borrow::Cow::<str>::deserialize(d)?;
    Ok(share(&s))
}

pub fn shared_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Arc<str>>, D::Error> {
    let s = Option::<std::borrow::Cow<str>>::deserialize(d)?;
    Ok(s.map(|s| share(&s)))
}

pub fn shared_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Arc<str>>, D::Error> {
    let v = Vec::<std::borrow::Cow<str>>::deserialize(d)?;
    Ok(v.iter().map(|s| share(s)).collect())
}

fn share(s: &str) -> Arc<str> {
    SHARED.with(|set| match set.borrow_mut().as_mut() {
        Some(set) => match set.get(s) {
            Some(a) => a.clone(),
            None => {
                let a: Arc<str> = Arc::from(s);
                set.insert(a.clone());
                a
            }
        },
        None => Arc::from(s),
    })
}

/// A `&'static str` field (one of a few values: `"required"`, `"stop"`…).
pub fn interned<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let s = std::borrow::Cow::<str>::deserialize(d)?;
    Ok(crate::wire::intern(&s))
}

pub fn interned_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'static str>, D::Error> {
    let s = Option::<std::borrow::Cow<str>>::deserialize(d)?;
    Ok(s.map(|s| crate::wire::intern(&s)))
}

/// `RegionState::tokens`: `(action, token) → (id, fingerprint)`, as a list of entries.
pub mod tokens {
    use super::*;
    type Tokens = HashMap<(&'static str, String), (String, Option<u64>)>;

    pub fn serialize<S: Serializer>(t: &Tokens, s: S) -> Result<S::Ok, S::Error> {
        let mut entries: Vec<_> = t.iter().map(|((a, k), v)| (*a, k, v)).collect();
        entries.sort_unstable();
        s.collect_seq(entries)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Tokens, D::Error> {
        let list: Vec<(String, String, (String, Option<u64>))> = Vec::deserialize(d)?;
        Ok(list
            .into_iter()
            .map(|(a, k, v)| ((crate::wire::intern(&a), k), v))
            .collect())
    }
}

/// A `HashMap` field, written in key order.
pub fn sorted<K: Serialize + Ord, V: Serialize, S: Serializer>(
    m: &HashMap<K, V>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(m.iter().collect::<std::collections::BTreeMap<_, _>>())
}

impl<R: Serialize> Serialize for Table<R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de, R: Deserialize<'de> + Tagged> Deserialize<'de> for Table<R> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let rows: Vec<(String, R)> = Vec::deserialize(d)?;
        let mut t = Table::default();
        for (id, r) in rows {
            t.insert(id, r);
        }
        t.reindex();
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    /// Both fingerprints cover something: FNV-1a of nothing is its offset basis, which a
    /// generator that found none of the kept shapes would give.
    #[test]
    fn the_layout_fingerprints_cover_the_kept_types() {
        const EMPTY: u64 = 0xcbf2_9ce4_8422_2325;
        assert!(super::LAYOUT.iter().all(|&f| f != EMPTY && f != 0));
    }
}
