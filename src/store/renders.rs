//! Rendered items, kept between requests: an item's XML is written once and copied into
//! every answer that shows it unchanged.
//!
//! An entry is keyed by the item's id and holds the *revisions* of every record its
//! rendering read ([`Table`](super::Table) stamps a fresh one on each write access),
//! plus whatever else the rendering depends on (an instance's state, which the clock
//! moves). A read takes the entry only if those are unchanged, so nothing has to
//! remember to invalidate: a change to any record the item shows makes them differ.
//! To keep a read O(1) per item, the entry also holds the latest write of each table
//! the other records live in; while those stand the other records' revisions are not
//! looked up at all. In debug builds every hit is also rendered afresh and compared
//! (the whole test suite checks the keys).
//!
//! An item may hold other kept items (a reservation holds its instances' items, shared):
//! its cost counts them as if it held copies, so the bound holds even while an outdated
//! entry keeps items the cache has since replaced.
//!
//! Memory is bounded: past the budget (`--render-cache-mib`, 64 MiB per Region by
//! default; 0 turns the cache off) the cache starts over empty, so a scan of more items
//! than fit costs what it would without the cache, and the items asked for again are the
//! ones that come back.

use crate::wire::xml::Rendered;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// Bytes an entry costs besides its XML and key: the map slot, the id, the `Arc`.
const ENTRY_OVERHEAD: usize = 96;

#[derive(Default)]
pub struct Renders {
    // Only touched under the partition's lock; the mutex gives write access through the
    // `&RegionState` a Describe reads with, and is never contended.
    inner: Mutex<Map>,
}

#[derive(Default)]
struct Map {
    /// Keyed by ids the emulator made, so a fast hasher is safe here.
    items: HashMap<String, Entry, foldhash::fast::RandomState>,
    bytes: usize,
    hits: u64,
    misses: u64,
}

struct Entry {
    /// What must match exactly: the item's own revision and anything like it.
    own: Box<[u64]>,
    /// The latest write to each table the item reads from, when last checked: while
    /// they stand, `deps` cannot have changed and is not recomputed.
    tables: Box<[u64]>,
    /// The revisions of the records it read besides its own.
    deps: Box<[u64]>,
    item: Rendered,
}

impl Entry {
    fn cost(&self, id: &str) -> usize {
        self.item.len()
            + id.len()
            + (self.own.len() + self.tables.len() + self.deps.len()) * 8
            + ENTRY_OVERHEAD
    }
}

/// How the cache has done (tests read it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderStats {
    pub items: usize,
    pub bytes: usize,
    pub hits: u64,
    pub misses: u64,
}

/// How one item is keyed (see the module docs).
pub struct RenderKey<'k> {
    pub own: &'k [u64],
    pub tables: &'k [u64],
    /// Writes the revisions of the other records it reads (looked up only when a table
    /// it reads from has been written since the entry was last checked).
    pub deps: &'k dyn Fn(&mut Vec<u64>),
}

impl Renders {
    /// The item `id` as rendered from exactly the records `key` describes, else
    /// `render()`'s, kept for next time if it fits in `budget` bytes.
    pub fn get_or_render(
        &self,
        id: &str,
        key: &RenderKey<'_>,
        budget: usize,
        render: impl FnOnce() -> Rendered,
    ) -> Rendered {
        let mut m = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let mut deps = None;
        if let Some(e) = m.items.get_mut(id).filter(|e| *e.own == *key.own) {
            let unchanged = *e.tables == *key.tables || {
                let mut now = Vec::with_capacity(e.deps.len());
                (key.deps)(&mut now);
                let same = *now == *e.deps;
                if same {
                    e.tables = key.tables.into();
                }
                deps = Some(now);
                same
            };
            if unchanged {
                let r = e.item.clone();
                m.hits += 1;
                drop(m);
                debug_assert_eq!(
                    r,
                    render(),
                    "stale rendered item {id}: its key misses a dependency"
                );
                return r;
            }
        }
        m.misses += 1;
        // Unlocked while rendering: an item may hold items kept here too (a reservation
        // its instances), which `render` takes from this cache.
        drop(m);
        let deps = deps.unwrap_or_else(|| {
            let mut now = Vec::new();
            (key.deps)(&mut now);
            now
        });
        let r = render();
        let mut m = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = Entry {
            own: key.own.into(),
            tables: key.tables.into(),
            deps: deps.into(),
            item: r.clone(),
        };
        let cost = entry.cost(id);
        if cost > budget {
            return r;
        }
        if m.bytes + cost > budget {
            m.items.clear();
            m.bytes = 0;
        }
        if let Some(old) = m.items.insert(id.to_string(), entry) {
            m.bytes -= old.cost(id);
        }
        m.bytes += cost;
        r
    }

    pub fn stats(&self) -> RenderStats {
        let m = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        RenderStats {
            items: m.items.len(),
            bytes: m.bytes,
            hits: m.hits,
            misses: m.misses,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Renders;
    use crate::wire::xml::XmlOut;

    fn item(text: &str) -> crate::wire::xml::Rendered {
        let text = text.to_string();
        XmlOut::render(move |w| w.scalar("v", text.as_str()))
    }

    #[test]
    fn an_entry_serves_only_the_key_it_was_rendered_from() {
        use super::RenderKey as Key;
        use std::cell::Cell;
        let r = Renders::default();
        let looked = Cell::new(0);
        let deps = Cell::new(7u64);
        let key = |own: u64, table: u64| (own, table);
        let get = |(own, table): (u64, u64), text: &str| {
            let f = |out: &mut Vec<u64>| {
                looked.set(looked.get() + 1);
                out.push(deps.get());
            };
            let k = Key {
                own: &[own, 16],
                tables: &[table],
                deps: &f,
            };
            r.get_or_render("i-1", &k, 1 << 20, || item(text)).to_xml()
        };
        assert_eq!(get(key(1, 100), "a"), "<v>a</v>");
        // Same revisions and tables: the kept item, dependencies not even looked up.
        let before = looked.get();
        assert_eq!(get(key(1, 100), "a"), "<v>a</v>");
        assert_eq!(looked.get(), before);
        // A table was written but not the records it read: looked up, still kept.
        assert_eq!(get(key(1, 101), "a"), "<v>a</v>");
        assert_eq!(looked.get(), before + 1);
        // A record it reads changed: rendered again.
        deps.set(8);
        assert_eq!(get(key(1, 102), "b"), "<v>b</v>");
        // Its own record changed: rendered again.
        assert_eq!(get(key(2, 102), "c"), "<v>c</v>");
        let s = r.stats();
        assert_eq!((s.items, s.hits, s.misses), (1, 2, 3));
    }

    #[test]
    fn past_the_budget_the_cache_starts_over_and_never_exceeds_it() {
        let none = |_: &mut Vec<u64>| {};
        let r = Renders::default();
        let budget = 1000;
        for n in 0..50 {
            let k = super::RenderKey {
                own: &[n],
                tables: &[],
                deps: &none,
            };
            r.get_or_render(&format!("i-{n}"), &k, budget, || item("x"));
            assert!(r.stats().bytes <= budget);
        }
        assert!(r.stats().items < 50);
        // Off: nothing kept.
        let off = Renders::default();
        let k = super::RenderKey {
            own: &[1],
            tables: &[],
            deps: &none,
        };
        off.get_or_render("i-1", &k, 0, || item("x"));
        assert_eq!(off.stats().items, 0);
    }
}
