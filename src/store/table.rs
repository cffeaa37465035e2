//! [`Table`]: one kind's records by id, each stamped with the revision it was last
//! written at.
//!
//! Every way to change a record goes through `&mut` access to its table — `get_mut`,
//! `insert`, `remove`, `values_mut` — and each stamps the record with a fresh revision
//! from one process-wide counter. So two reads that see the same revision saw the same
//! record: what a cache of anything derived from records (the rendered items of
//! DescribeInstances, `handlers::instances::render`) can key on without knowing which
//! handler changed what. Revisions are never reused, so a record removed and created
//! again under the same id does not look unchanged.
//!
//! A table also indexes its records by tag (key → value → ids), so a `tag:` or `tag-key`
//! filter reads the ids that carry the tag instead of every record. Write access takes
//! the record out of the index first (its tags are at hand then) and notes its id; the
//! end of the request ([`Table::reindex`], run when a `Cx` that wrote goes away) puts
//! the noted records back under their tags as they are now. Until then the index says
//! it is behind and lookups fall back to a scan, so a reader never sees it stale.

use super::Tags;
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::{Index, RangeBounds};
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT: AtomicU64 = AtomicU64::new(1);

/// A revision no record has had before.
fn fresh() -> u64 {
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// What the index reads from a record: its tags.
pub trait Tagged {
    fn tag_map(&self) -> &Tags;
}

impl<R: super::Resource> Tagged for R {
    fn tag_map(&self) -> &Tags {
        self.tags()
    }
}

/// A kind's resources by id: ordered, so Describe answers and pages are stable.
#[derive(Debug, Clone)]
pub struct Table<R> {
    /// Boxed: a B-tree node holds eleven entries and is two thirds full on average, so
    /// records inline (an instance is ~700 bytes) would waste a third of their size; a
    /// box costs a pointer and an exact-size allocation (BENCHMARKS.md, run 8).
    rows: BTreeMap<String, Box<Row<R>>>,
    tags: TagIndex,
    /// The revision of the latest write access to any record (insert, change, removal):
    /// while it stays the same, no record in the table has changed.
    written: u64,
}

/// Ids by tag key, then value.
#[derive(Debug, Clone, Default)]
struct TagIndex {
    ids: HashMap<String, HashMap<String, BTreeSet<String>>>,
    /// Records taken out for writing, to put back by [`Table::reindex`].
    pending: Vec<String>,
    /// Every record was open for writing at once (`values_mut`): rebuild it all.
    rebuild: bool,
}

impl TagIndex {
    fn add(&mut self, id: &str, tags: &Tags) {
        for (k, v) in tags {
            if !self.ids.contains_key(k) {
                self.ids.insert(k.clone(), HashMap::new());
            }
            let values = self.ids.get_mut(k).expect("just made");
            match values.get_mut(v) {
                Some(ids) => {
                    ids.insert(id.to_string());
                }
                None => {
                    values.insert(v.clone(), BTreeSet::from([id.to_string()]));
                }
            }
        }
    }

    fn take_out(&mut self, id: &str, tags: &Tags) {
        for (k, v) in tags {
            let Some(values) = self.ids.get_mut(k) else {
                continue;
            };
            if let Some(set) = values.get_mut(v) {
                set.remove(id);
                if set.is_empty() {
                    values.remove(v);
                }
            }
            if values.is_empty() {
                self.ids.remove(k);
            }
        }
    }

    fn current(&self) -> bool {
        self.pending.is_empty() && !self.rebuild
    }
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
            tags: TagIndex::default(),
            written: 0,
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

    /// The revision of the latest write to any record of the table (0 if none ever was).
    pub fn written(&self) -> u64 {
        self.written
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

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + Clone {
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
}

impl<R: Tagged> Table<R> {
    /// Write access to one record: it takes a fresh revision.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut R> {
        let (key, row) = self.rows.get_key_value(id)?;
        if !self.tags.rebuild {
            self.tags.take_out(key, row.value.tag_map());
            self.tags.pending.push(key.clone());
        }
        let rev = fresh();
        self.written = rev;
        self.rows.get_mut(id).map(|r| {
            r.rev = rev;
            &mut r.value
        })
    }

    pub fn insert(&mut self, id: String, value: R) -> Option<R> {
        let old = self.remove(&id);
        if !self.tags.rebuild {
            self.tags.pending.push(id.clone());
        }
        self.written = fresh();
        let row = Box::new(Row {
            rev: self.written,
            value,
        });
        self.rows.insert(id, row);
        old
    }

    pub fn remove(&mut self, id: &str) -> Option<R> {
        let (key, row) = self.rows.remove_entry(id)?;
        self.written = fresh();
        if !self.tags.rebuild {
            self.tags.take_out(&key, row.value.tag_map());
        }
        Some(row.value)
    }

    /// Write access to every record, each taking a fresh revision as it is reached.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut R> {
        self.tags.rebuild = true;
        self.written = fresh();
        self.rows.values_mut().map(|r| {
            r.rev = fresh();
            &mut r.value
        })
    }

    /// Puts the records written since the last call back into the tag index.
    pub fn reindex(&mut self) {
        let tags = &mut self.tags;
        if tags.rebuild {
            tags.ids.clear();
            for (id, row) in &self.rows {
                tags.add(id, row.value.tag_map());
            }
            tags.rebuild = false;
        } else {
            for id in std::mem::take(&mut tags.pending) {
                if let Some(row) = self.rows.get(&id) {
                    // Taken out when it was opened; a second note of the same id finds it
                    // back in already.
                    tags.take_out(&id, row.value.tag_map());
                    tags.add(&id, row.value.tag_map());
                }
            }
        }
        tags.pending.clear();
    }

    /// The ids of the records tagged `key` with one of `values` (any value for `None`),
    /// or `None` while the index is behind (writes of this request not yet put back).
    /// One value (the usual filter) is answered with the index's own set, not a copy.
    pub fn tagged(&self, key: &str, values: Option<&[&str]>) -> Option<TaggedIds<'_>> {
        if !self.tags.current() {
            return None;
        }
        let by_value = self.tags.ids.get(key);
        if let (Some(by_value), Some([v])) = (by_value, values) {
            return Some(match by_value.get(*v) {
                Some(ids) => TaggedIds::One(ids),
                None => TaggedIds::Merged(BTreeSet::new()),
            });
        }
        let mut out = BTreeSet::new();
        let Some(by_value) = by_value else {
            return Some(TaggedIds::Merged(out));
        };
        match values {
            None => by_value
                .values()
                .for_each(|ids| out.extend(ids.iter().map(String::as_str))),
            Some(vs) => vs
                .iter()
                .filter_map(|v| by_value.get(*v))
                .for_each(|ids| out.extend(ids.iter().map(String::as_str))),
        }
        Some(TaggedIds::Merged(out))
    }
}

/// Ids a tag index lookup names, in id order: one value's set as the index holds it, or
/// the union of several.
#[derive(Debug, PartialEq)]
pub enum TaggedIds<'t> {
    One(&'t BTreeSet<String>),
    Merged(BTreeSet<&'t str>),
}

impl<'t> TaggedIds<'t> {
    pub fn len(&self) -> usize {
        match self {
            TaggedIds::One(s) => s.len(),
            TaggedIds::Merged(s) => s.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The ids after `id` (all of them for `None`), in order.
    pub fn after<'s>(&'s self, id: Option<&str>) -> Box<dyn Iterator<Item = &'t str> + 's> {
        use std::ops::Bound;
        let start = id.map_or(Bound::Unbounded, Bound::Excluded);
        match self {
            TaggedIds::One(s) => Box::new(
                s.range::<str, _>((start, Bound::Unbounded))
                    .map(String::as_str),
            ),
            TaggedIds::Merged(s) => Box::new(s.range::<str, _>((start, Bound::Unbounded)).copied()),
        }
    }
}

impl<R, Q: Borrow<str> + ?Sized> Index<&Q> for Table<R> {
    type Output = R;

    /// The record `id`; panics if there is none (for ids just checked or created).
    fn index(&self, id: &Q) -> &R {
        self.get(id.borrow()).expect("no record with this id")
    }
}

#[cfg(test)]
mod tests {
    use super::{Table, Tagged};
    use crate::store::Tags;

    #[derive(Debug, Clone, Default, PartialEq)]
    struct Rec(Tags);
    impl Tagged for Rec {
        fn tag_map(&self) -> &Tags {
            &self.0
        }
    }
    fn rec(tags: &[(&str, &str)]) -> Rec {
        Rec(tags
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect())
    }

    #[test]
    fn every_write_access_takes_a_fresh_revision_and_reads_do_not() {
        let mut t: Table<Rec> = Table::default();
        t.insert("a".into(), rec(&[]));
        t.insert("b".into(), rec(&[]));
        let (a0, b0) = (t.rev("a").unwrap(), t.rev("b").unwrap());
        assert_ne!(a0, b0);
        let w0 = t.written();
        assert_eq!(w0, b0);
        let _ = (t.get("a"), t.values().count(), t.iter().count());
        assert_eq!((t.rev("a"), t.written()), (Some(a0), w0));
        t.get_mut("a").unwrap().0.insert("k".into(), "v".into());
        let a1 = t.rev("a").unwrap();
        assert!(a1 > a0);
        assert_eq!(t.rev("b"), Some(b0));
        assert_eq!(t.written(), a1, "the table's latest write");
        t.remove("b");
        assert!(t.written() > a1, "a removal is a write");
        t.insert("b".into(), rec(&[]));
        let b0 = t.rev("b").unwrap();
        t.values_mut().for_each(|_| {});
        assert!(t.rev("a").unwrap() > a1 && t.rev("b").unwrap() > b0);
        // Removed and created again under the same id: not the same record.
        let before = t.rev("a").unwrap();
        t.remove("a");
        t.insert("a".into(), rec(&[]));
        assert!(t.rev("a").unwrap() > before);
    }

    #[test]
    fn the_tag_index_follows_every_write_and_is_never_read_stale() {
        let mut t: Table<Rec> = Table::default();
        t.insert("i-1".into(), rec(&[("env", "prod")]));
        t.insert("i-2".into(), rec(&[("env", "dev"), ("team", "a")]));
        t.insert("i-3".into(), rec(&[]));
        assert_eq!(t.tagged("env", None), None, "behind until reindexed");
        t.reindex();
        let ids = |t: &Table<Rec>, k: &str, v: Option<&[&str]>| {
            t.tagged(k, v)
                .map(|s| s.after(None).map(str::to_string).collect::<Vec<_>>())
        };
        assert_eq!(ids(&t, "env", Some(&["prod"])), Some(vec!["i-1".into()]));
        assert_eq!(ids(&t, "env", None), Some(vec!["i-1".into(), "i-2".into()]));
        assert_eq!(ids(&t, "nope", None), Some(vec![]));
        // A tag changes, a record goes, one is written twice in one request.
        t.get_mut("i-1")
            .unwrap()
            .0
            .insert("env".into(), "dev".into());
        t.get_mut("i-1")
            .unwrap()
            .0
            .insert("team".into(), "b".into());
        t.remove("i-2");
        t.get_mut("i-3")
            .unwrap()
            .0
            .insert("env".into(), "prod".into());
        assert_eq!(t.tagged("env", None), None);
        t.reindex();
        assert_eq!(ids(&t, "env", Some(&["prod"])), Some(vec!["i-3".into()]));
        assert_eq!(
            ids(&t, "env", Some(&["dev", "x"])),
            Some(vec!["i-1".into()])
        );
        assert_eq!(ids(&t, "team", None), Some(vec!["i-1".into()]));
        // Every record opened at once: rebuilt whole.
        t.values_mut().for_each(|r| r.0.clear());
        t.reindex();
        assert_eq!(ids(&t, "env", None), Some(vec![]));
        assert!(t.tags.ids.is_empty(), "no empty sets left behind");
    }
}
