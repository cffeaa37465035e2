//! [`Table`]: one kind's records by id, each stamped with the revision it was last
//! written at.
//!
//! Every way to change a record goes through `&mut` access to its table — `get_mut`,
//! `insert`, `values_mut`, `iter_mut` — and each stamps the record with a fresh revision
//! from one process-wide counter. So two reads that see the same revision saw the same
//! record: what a cache of anything derived from records (the rendered items of
//! DescribeInstances, `handlers::instances::render`) can key on without knowing which
//! handler changed what. Revisions are never reused, so a record removed and created
//! again under the same id does not look unchanged.

use std::borrow::Borrow;
use std::collections::btree_map;
use std::collections::BTreeMap;
use std::ops::{Index, RangeBounds};
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT: AtomicU64 = AtomicU64::new(1);

/// A revision no record has had before.
fn fresh() -> u64 {
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A kind's resources by id: ordered, so Describe answers and pages are stable.
#[derive(Debug, Clone)]
pub struct Table<R> {
    rows: BTreeMap<String, Row<R>>,
}

#[derive(Debug, Clone)]
struct Row<R> {
    rev: u64,
    value: R,
}

impl<R> Default for Table<R> {
    fn default() -> Self {
        Table {
            rows: BTreeMap::new(),
        }
    }
}

impl<R> Table<R> {
    pub fn get(&self, id: &str) -> Option<&R> {
        self.rows.get(id).map(|r| &r.value)
    }

    /// The record and the revision it was last written at.
    pub fn get_rev(&self, id: &str) -> Option<(&R, u64)> {
        self.rows.get(id).map(|r| (&r.value, r.rev))
    }

    /// The revision `id` was last written at, if it is stored.
    pub fn rev(&self, id: &str) -> Option<u64> {
        self.rows.get(id).map(|r| r.rev)
    }

    pub fn get_key_value(&self, id: &str) -> Option<(&String, &R)> {
        self.rows.get_key_value(id).map(|(k, r)| (k, &r.value))
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.rows.contains_key(id)
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn keys(&self) -> btree_map::Keys<'_, String, impl Sized> {
        self.rows.keys()
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &R> + Clone {
        self.rows.values().map(|r| &r.value)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&String, &R)> + Clone {
        self.rows.iter().map(|(k, r)| (k, &r.value))
    }

    /// The records whose ids fall in `range`, in id order (a page's resumption).
    pub fn range<T, B>(&self, range: B) -> impl DoubleEndedIterator<Item = (&String, &R)>
    where
        T: Ord + ?Sized,
        B: RangeBounds<T>,
        String: Borrow<T>,
    {
        self.rows.range(range).map(|(k, r)| (k, &r.value))
    }

    /// Write access to one record: it takes a fresh revision.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut R> {
        self.rows.get_mut(id).map(|r| {
            r.rev = fresh();
            &mut r.value
        })
    }

    pub fn insert(&mut self, id: String, value: R) -> Option<R> {
        let row = Row {
            rev: fresh(),
            value,
        };
        self.rows.insert(id, row).map(|r| r.value)
    }

    pub fn remove(&mut self, id: &str) -> Option<R> {
        self.rows.remove(id).map(|r| r.value)
    }

    /// Write access to every record, each taking a fresh revision as it is reached.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut R> {
        self.rows.values_mut().map(|r| {
            r.rev = fresh();
            &mut r.value
        })
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&String, &mut R)> {
        self.rows.iter_mut().map(|(k, r)| {
            r.rev = fresh();
            (k, &mut r.value)
        })
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut R) -> bool) {
        self.rows.retain(|k, r| {
            r.rev = fresh();
            keep(k, &mut r.value)
        })
    }

    pub fn clear(&mut self) {
        self.rows.clear();
    }
}

impl<R, Q: Borrow<str> + ?Sized> Index<&Q> for Table<R> {
    type Output = R;

    /// The record `id`; panics if there is none (for ids just checked or created).
    fn index(&self, id: &Q) -> &R {
        self.get(id.borrow()).expect("no record with this id")
    }
}

impl<R> FromIterator<(String, R)> for Table<R> {
    fn from_iter<I: IntoIterator<Item = (String, R)>>(items: I) -> Self {
        let mut t = Table::default();
        for (k, v) in items {
            t.insert(k, v);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::Table;

    #[test]
    fn every_write_access_takes_a_fresh_revision_and_reads_do_not() {
        let mut t: Table<u32> = Table::default();
        t.insert("a".into(), 1);
        t.insert("b".into(), 2);
        let (a0, b0) = (t.rev("a").unwrap(), t.rev("b").unwrap());
        assert_ne!(a0, b0);
        let _ = (t.get("a"), t.values().count(), t.iter().count());
        assert_eq!(t.rev("a"), Some(a0));
        *t.get_mut("a").unwrap() += 1;
        let a1 = t.rev("a").unwrap();
        assert!(a1 > a0);
        assert_eq!(t.rev("b"), Some(b0));
        t.values_mut().for_each(|_| {});
        assert!(t.rev("a").unwrap() > a1 && t.rev("b").unwrap() > b0);
        // Removed and created again under the same id: not the same record.
        let before = t.rev("a").unwrap();
        t.remove("a");
        t.insert("a".into(), 2);
        assert!(t.rev("a").unwrap() > before);
    }
}
