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

use crate::image_catalog::{CatalogImage, ImageCatalog};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

/// One partition: an account's state in one region.
pub type Partition = Arc<Mutex<RegionState>>;

#[derive(Default)]
pub struct Stores {
    /// `(account, region)` → partition.
    regions: Mutex<HashMap<(String, String), Partition>>,
    /// The image catalog every new partition starts with; `None` is the seed alone.
    catalog: RwLock<Option<Arc<ImageCatalog>>>,
}

impl Stores {
    /// Stores whose partitions start with `catalog`'s images (the seed's and the user's).
    pub fn with_catalog(catalog: ImageCatalog) -> Stores {
        Stores {
            catalog: RwLock::new(Some(Arc::new(catalog))),
            ..Stores::default()
        }
    }

    fn catalog(&self) -> Arc<ImageCatalog> {
        self.catalog
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .unwrap_or_else(|| Arc::new(ImageCatalog::seed().clone()))
    }

    /// The partition of one account and region, seeded like a new AWS account on first use.
    pub fn get(&self, account: &str, region: &str) -> Partition {
        let catalog = self.catalog();
        let mut map = self.regions.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(r) = map.get(&(account.to_string(), region.to_string())) {
            return r.clone();
        }
        let r = Arc::new(Mutex::new(RegionState::with_catalog(
            account, region, &catalog,
        )));
        map.insert((account.to_string(), region.to_string()), r.clone());
        r
    }

    /// Adds catalog images at run time (`POST /_parlel/images`): all or none. Partitions
    /// made from now on start with them, and every existing one gets them now.
    pub fn add_images(&self, more: Vec<CatalogImage>, source: &str) -> Result<usize, String> {
        let added = more.len();
        let next = {
            let mut slot = self.catalog.write().unwrap_or_else(PoisonError::into_inner);
            let current = slot
                .clone()
                .unwrap_or_else(|| Arc::new(ImageCatalog::seed().clone()));
            let next = Arc::new(current.with(more.clone(), source)?);
            *slot = Some(next.clone());
            next
        };
        let partitions: Vec<((String, String), Partition)> = self
            .regions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let ids: std::collections::HashSet<&str> =
            more.iter().map(|c| c.image.id.as_str()).collect();
        for ((_, region), p) in partitions {
            let mut s = p.lock().unwrap_or_else(PoisonError::into_inner);
            for image in next
                .in_region(&region)
                .filter(|i| ids.contains(i.id.as_str()))
            {
                s.add_catalog_image(image);
            }
        }
        Ok(added)
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
