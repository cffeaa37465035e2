//! Rendered items, kept between requests: an item's XML is written once and copied into
//! every answer that shows it unchanged.
//!
//! An entry is keyed by the item's id and holds the *revisions* of every record its
//! rendering read ([`Table`](super::Table) stamps a fresh one on each write access),
//! plus whatever else the rendering depends on (an instance's state, which the clock
//! moves). A read computes the same list from the store and takes the entry only if it
//! is equal, so nothing has to remember to invalidate: a change to any record the item
//! shows makes the lists differ. In debug builds every hit is also rendered afresh and
//! compared (the whole test suite checks the keys).
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
    items: HashMap<String, (Box<[u64]>, Rendered)>,
    bytes: usize,
    hits: u64,
    misses: u64,
}

/// Counters for the state page and the benchmark notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderStats {
    pub items: usize,
    pub bytes: usize,
    pub hits: u64,
    pub misses: u64,
}

impl Renders {
    /// The item `id` as rendered from exactly `key`, else `render()`'s, kept for next
    /// time if it fits in `budget` bytes.
    pub fn get_or_render(
        &self,
        id: &str,
        key: &[u64],
        budget: usize,
        render: impl FnOnce() -> Rendered,
    ) -> Rendered {
        let mut m = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((k, r)) = m.items.get(id) {
            if **k == *key {
                let r = r.clone();
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
        let r = render();
        let cost = r.len() + id.len() + key.len() * 8 + ENTRY_OVERHEAD;
        if cost > budget {
            return r;
        }
        if m.bytes + cost > budget {
            m.items.clear();
            m.bytes = 0;
        }
        if let Some((k, old)) = m.items.insert(id.to_string(), (key.into(), r.clone())) {
            m.bytes -= old.len() + id.len() + k.len() * 8 + ENTRY_OVERHEAD;
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
        let r = Renders::default();
        let a = r.get_or_render("i-1", &[1, 16], 1 << 20, || item("a"));
        assert_eq!(a.as_str(), "<v>a</v>");
        // Same key: the kept item (a different render would fail the debug check, so
        // render the same text).
        r.get_or_render("i-1", &[1, 16], 1 << 20, || item("a"));
        // A dependency moved: rendered again and replaced.
        let b = r.get_or_render("i-1", &[2, 16], 1 << 20, || item("b"));
        assert_eq!(b.as_str(), "<v>b</v>");
        let s = r.stats();
        assert_eq!((s.items, s.hits, s.misses), (1, 1, 2));
    }

    #[test]
    fn past_the_budget_the_cache_starts_over_and_never_exceeds_it() {
        let r = Renders::default();
        let budget = 1000;
        for n in 0..50 {
            r.get_or_render(&format!("i-{n}"), &[n], budget, || item("x"));
            assert!(r.stats().bytes <= budget);
        }
        assert!(r.stats().items < 50);
        // Off: nothing kept.
        let off = Renders::default();
        off.get_or_render("i-1", &[1], 0, || item("x"));
        assert_eq!(off.stats().items, 0);
    }
}
