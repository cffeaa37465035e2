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
mod renders;
pub(crate) mod resource;
mod table;
pub use table::{Tagged, TaggedIds};

pub use kinds::*;
pub use region::{egress_all, RegionState};
pub use renders::{RenderKey, RenderStats, Renders};
pub use resource::{
    ErrorText, IdCheck, Kind, KindInfo, KindVisitor, Resource, Table, TagRow, Tags, View,
};

use crate::image_catalog::{CatalogImage, ImageCatalog};
use foldhash::fast::RandomState;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

/// One partition: an account's state in one region.
pub type Partition = Arc<Mutex<RegionState>>;

/// Every image an account registered, created or copied, by Region then id, as its owner
/// last left it: how other accounts see the images shared with them (or public), and how
/// CopyImage reads an image of another Region; and the image catalog every partition
/// starts with. Locked after a partition, never before.
pub struct ImageRegistry {
    published: Mutex<HashMap<String, BTreeMap<String, Image>>>,
    /// The seed's and the user's catalog images (in the Regions each entry names).
    catalog: RwLock<Arc<ImageCatalog>>,
}

impl ImageRegistry {
    fn new(catalog: ImageCatalog) -> ImageRegistry {
        ImageRegistry {
            published: Mutex::default(),
            catalog: RwLock::new(Arc::new(catalog)),
        }
    }

    /// The catalog as it now is.
    pub fn catalog(&self) -> Arc<ImageCatalog> {
        self.catalog
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The catalog image `id` if `region` offers it.
    pub fn catalog_image(&self, region: &str, id: &str) -> Option<Image> {
        self.catalog()
            .in_region(region)
            .find(|i| i.id == id)
            .cloned()
    }

    /// Records the image as it now is in `region` (`None`: it is gone).
    pub fn publish(&self, region: &str, id: &str, image: Option<&Image>) {
        let mut map = self
            .published
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let images = map.entry(region.to_string()).or_default();
        match image {
            Some(i) => {
                images.insert(id.to_string(), i.clone());
            }
            None => {
                images.remove(id);
            }
        }
    }

    /// The images of `region` that `account` may use but does not own.
    pub fn usable_by(&self, region: &str, account: &str) -> Vec<Image> {
        let map = self
            .published
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        map.get(region)
            .into_iter()
            .flat_map(|m| m.values())
            .filter(|i| i.owner_id != account && i.usable_by(account))
            .cloned()
            .collect()
    }

    /// One image of `region`, if `account` may use it (its own included).
    pub fn get(&self, region: &str, id: &str, account: &str) -> Option<Image> {
        let map = self
            .published
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        map.get(region)?
            .get(id)
            .filter(|i| i.usable_by(account))
            .cloned()
    }

    fn clear(&self) {
        self.published
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

type Partitions = HashMap<String, HashMap<String, Partition, RandomState>, RandomState>;

pub struct Stores {
    /// The accounts' own images, for the others and for other Regions.
    pub images: ImageRegistry,
    /// account → region → partition (nested, so a lookup borrows the request's strings).
    /// Keyed by the request's account and Region, which a client chooses: foldhash is
    /// seeded per process, and a map of partitions grows only with what a client creates.
    regions: Mutex<Partitions>,
    /// With a journal: new partitions draw their start state (default VPC, subnets…)
    /// from a seed made of this, the account and the Region, so a replay makes them again.
    partition_seed: Option<u64>,
}

impl Default for Stores {
    fn default() -> Stores {
        Stores::with_catalog(ImageCatalog::seed().clone())
    }
}

impl Stores {
    /// New partitions' start states follow from `salt` (see `partition_seed`).
    pub fn seed_partitions(&mut self, salt: u64) {
        self.partition_seed = Some(salt);
    }

    /// Stores whose partitions start with `catalog`'s images (the seed's and the user's).
    pub fn with_catalog(catalog: ImageCatalog) -> Stores {
        Stores {
            images: ImageRegistry::new(catalog),
            regions: Mutex::default(),
            partition_seed: None,
        }
    }

    /// The partition of one account and region, seeded like a new AWS account on first use.
    pub fn get(&self, account: &str, region: &str) -> Partition {
        let mut map = self.regions.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(r) = map.get(account).and_then(|a| a.get(region)) {
            return r.clone();
        }
        crate::instance_types::warm_up();
        // Only a new partition reads the catalog.
        let catalog = self.images.catalog();
        let make = || RegionState::with_catalog(account, region, &catalog);
        let state = match self.partition_seed {
            None => make(),
            Some(salt) => {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                (salt, account, region).hash(&mut h);
                crate::rng::seeded(h.finish(), make)
            }
        };
        let r = Arc::new(Mutex::new(state));
        map.entry(account.to_string())
            .or_default()
            .insert(region.to_string(), r.clone());
        r
    }

    /// Every partition there is, with its account and Region.
    pub fn partitions(&self) -> Vec<((String, String), Partition)> {
        self.regions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .flat_map(|(account, regions)| {
                regions
                    .iter()
                    .map(|(region, p)| ((account.clone(), region.clone()), p.clone()))
            })
            .collect()
    }

    /// Adds catalog images at run time (`POST /_parlel/images`): all or none. Partitions
    /// made from now on start with them, and every existing one gets them now.
    pub fn add_images(&self, more: Vec<CatalogImage>, source: &str) -> Result<usize, String> {
        let added = more.len();
        // A catalog image must not take the id of one an account made (it would replace
        // that record in its partition).
        for (_, p) in self.partitions() {
            let s = p.lock().unwrap_or_else(PoisonError::into_inner);
            for (n, c) in more.iter().enumerate() {
                if s.images.get(&c.image.id).is_some_and(|i| !i.catalog) {
                    return Err(format!(
                        "{source}: entry {n}: ImageId: {} is an image an account registered",
                        c.image.id
                    ));
                }
            }
        }
        let next = {
            let mut slot = self
                .images
                .catalog
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            let next = Arc::new(slot.with(more.clone(), source)?);
            *slot = next.clone();
            next
        };
        let partitions = self.partitions();
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
            s.reindex();
        }
        Ok(added)
    }

    /// Installs partitions as a snapshot kept them (at start, before any request), and
    /// publishes their accounts' own images again (what the registry held is what their
    /// owners last left, which is what the partitions hold).
    pub fn install(&self, partitions: Vec<RegionState>) {
        let mut map = self.regions.lock().unwrap_or_else(PoisonError::into_inner);
        for state in partitions {
            for image in state.images.values().filter(|i| !i.catalog) {
                self.images.publish(&state.region, &image.id, Some(image));
            }
            map.entry(state.account.clone())
                .or_default()
                .insert(state.region.clone(), Arc::new(Mutex::new(state)));
        }
    }

    /// Every account and region back to its start state.
    pub fn reset(&self) {
        self.images.clear();
        self.regions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

/// A new EC2-shaped id: `prefix-` and 17 lowercase hex digits.
pub fn new_id(prefix: &str) -> String {
    use rand::Rng;
    let n: u128 = crate::rng::rng().gen();
    let mut s = String::with_capacity(prefix.len() + 18);
    s.push_str(prefix);
    s.push('-');
    // 17 lowercase hex digits, written digit by digit (RunInstances makes several ids
    // per instance).
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for k in (0..17).rev() {
        s.push(HEX[(n >> (4 * k)) as usize & 0xf] as char);
    }
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
