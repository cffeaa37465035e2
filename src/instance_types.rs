//! The instance-type catalog: every type EC2's DescribeInstanceTypes reported, as data
//! (`src/data/instance-types.json`, AWS's own shape; where it came from is in
//! `src/data/INSTANCE-TYPES.md`), and which zones of which region offer each
//! (`src/data/instance-type-offerings.json`). Both are compiled in and parsed on first
//! use. DescribeInstanceTypes, DescribeInstanceTypeOfferings, RunInstances and
//! ModifyInstanceAttribute all read this one catalog.

use crate::generated::types::InstanceTypeInfo;
use crate::wire::value::{Reflect, Value};
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// EC2's default when RunInstances names no type (API reference: "Default: m1.small").
pub const DEFAULT_INSTANCE_TYPE: &str = "m1.small";

const TYPES: &str = include_str!("data/instance-types.json");
const OFFERINGS: &str = include_str!("data/instance-type-offerings.json");

pub struct Catalog {
    /// Type names, sorted: DescribeInstanceTypes pages through them in this order.
    names: Vec<&'static str>,
    /// Each type's entry as the data file has it, parsed the first time it is asked for:
    /// a launch reads one entry, not the whole catalog.
    raw: Vec<&'static str>,
    parsed: Vec<OnceLock<InstanceTypeInfo>>,
    index: HashMap<&'static str, usize>,
    /// Region → zone name → the types the zone offers, one bit per type (by index).
    offerings: HashMap<String, BTreeMap<String, Vec<u64>>>,
}

/// The catalog, indexed once.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG
        .get_or_init(|| Catalog::parse(TYPES, OFFERINGS).expect("the compiled-in catalog parses"))
}

/// Indexes the catalog (~5 ms) on a thread of its own, once: called when the first
/// partition is made, so a launch soon after does not wait for it, and an idle emulator
/// never reads the 3 MB of data (start-up and idle memory stay small).
pub fn warm_up() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        std::thread::spawn(|| {
            catalog();
        });
    });
}

/// Whether EC2 knows a type by this name: the catalog lists it or the model's enum names
/// it. The catalog has types newer than the vendored model (`c8in.large`), which EC2
/// launches like any other; a name in neither is `Invalid value 'x' for InstanceType.`
pub fn is_valid_name(name: &str) -> bool {
    get(name).is_some() || crate::generated::types::InstanceType::from(name).is_known()
}

/// The facts about one type.
pub fn get(name: &str) -> Option<&'static InstanceTypeInfo> {
    catalog().get(name)
}

impl Catalog {
    /// Indexes the two data files: each entry's name is read now, its facts when first
    /// asked for ([`check_all`](Self::check_all) reads them all). An error names the
    /// entry and what is wrong with it.
    pub fn parse(types: &'static str, offerings: &'static str) -> Result<Catalog, String> {
        let doc: HashMap<&str, Vec<&'static RawValue>> =
            serde_json::from_str(types).map_err(|e| format!("instance types: {e}"))?;
        let entries = doc
            .get("InstanceTypes")
            .ok_or("instance types: no InstanceTypes list")?;
        let mut named: Vec<(&'static str, &'static str)> = Vec::with_capacity(entries.len());
        for (n, e) in entries.iter().enumerate() {
            let raw: &'static str = e.get();
            named.push((
                entry_name(raw)
                    .ok_or_else(|| format!("instance types: entry {n} has no InstanceType"))?,
                raw,
            ));
        }
        named.sort_by(|a, b| a.0.cmp(b.0));
        if let Some(w) = named.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(format!("instance types: {} is listed twice", w[0].0));
        }
        let index: HashMap<&'static str, usize> = named
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (*n, i))
            .collect();
        let by_region: HashMap<&str, BTreeMap<&str, Vec<&str>>> =
            serde_json::from_str(offerings).map_err(|e| format!("offerings: {e}"))?;
        let words = named.len().div_ceil(64);
        let mut offered: HashMap<String, BTreeMap<String, Vec<u64>>> = HashMap::new();
        for (region, groups) in by_region {
            let zones = offered.entry(region.to_string()).or_default();
            for (letters, names) in groups {
                let mut set = vec![0u64; words];
                for t in names {
                    let i = *index
                        .get(t)
                        .ok_or_else(|| format!("offerings: {region}: {t} is not in the catalog"))?;
                    set[i / 64] |= 1 << (i % 64);
                }
                for letter in letters.chars() {
                    let zone = zones
                        .entry(format!("{region}{letter}"))
                        .or_insert_with(|| vec![0u64; words]);
                    for (z, s) in zone.iter_mut().zip(&set) {
                        *z |= s;
                    }
                }
            }
        }
        Ok(Catalog {
            parsed: named.iter().map(|_| OnceLock::new()).collect(),
            names: named.iter().map(|(n, _)| *n).collect(),
            raw: named.iter().map(|(_, r)| *r).collect(),
            index,
            offerings: offered,
        })
    }

    /// Reads every entry's facts: `Err` names the first that does not fit the model's
    /// InstanceTypeInfo (the test of the compiled-in data calls this).
    pub fn check_all(&self) -> Result<(), String> {
        for i in 0..self.raw.len() {
            self.try_info(i)?;
        }
        Ok(())
    }

    fn try_info(&self, i: usize) -> Result<&InstanceTypeInfo, String> {
        if let Some(info) = self.parsed[i].get() {
            return Ok(info);
        }
        let bad = || {
            format!(
                "instance types: {} does not fit InstanceTypeInfo",
                self.names[i]
            )
        };
        let json: serde_json::Value = serde_json::from_str(self.raw[i]).map_err(|_| bad())?;
        let info = InstanceTypeInfo::from_value(&Value::from_json(&json)).ok_or_else(bad)?;
        Ok(self.parsed[i].get_or_init(|| info))
    }

    /// Entry `i`'s facts (the compiled-in data is checked whole by a test, so an entry
    /// that does not read is a build defect; it answers with the name alone).
    fn info(&self, i: usize) -> &InstanceTypeInfo {
        match self.try_info(i) {
            Ok(info) => info,
            Err(_) => self.parsed[i].get_or_init(|| InstanceTypeInfo {
                instance_type: Some(self.names[i].into()),
                ..Default::default()
            }),
        }
    }

    /// Every type, sorted by name.
    pub fn all(&self) -> impl Iterator<Item = &InstanceTypeInfo> + '_ {
        (0..self.names.len()).map(|i| self.info(i))
    }

    pub fn names(&self) -> &[&'static str] {
        &self.names
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn get(&self, name: &str) -> Option<&InstanceTypeInfo> {
        self.index.get(name).map(|&i| self.info(i))
    }

    /// Whether `zone` of `region` offers the type. A Region the data has no dump for
    /// offers every type in every zone.
    pub fn offered_in_zone(&self, region: &str, zone: &str, t: &str) -> bool {
        let Some(&i) = self.index.get(t) else {
            return false;
        };
        match self.offerings.get(region) {
            None => true,
            Some(zones) => zones
                .get(zone)
                .is_some_and(|bits| bits[i / 64] & (1 << (i % 64)) != 0),
        }
    }

    /// Whether any zone of `region` offers the type.
    pub fn offered_in_region(&self, region: &str, zones: &[(String, String)], t: &str) -> bool {
        zones
            .iter()
            .any(|(z, _)| self.offered_in_zone(region, z, t))
    }
}

/// The `InstanceType` member of one entry's text, without parsing the rest.
fn entry_name(raw: &str) -> Option<&str> {
    const KEY: &str = "\"InstanceType\"";
    let after = raw[raw.find(KEY)? + KEY.len()..].trim_start();
    let value = after.strip_prefix(':')?.trim_start().strip_prefix('"')?;
    Some(&value[..value.find('"')?])
}

/// The architectures a type runs (`ProcessorInfo.SupportedArchitectures`).
pub fn architectures(t: &str) -> Vec<&'static str> {
    get(t)
        .and_then(|i| i.processor_info.as_ref())
        .and_then(|p| p.supported_architectures.as_ref())
        .map(|a| a.iter().map(|x| x.as_str()).collect())
        .unwrap_or_default()
}

/// The CPU credit option a burstable type starts with (EC2 User Guide, "Burstable
/// performance instances"): `standard` for T2, `unlimited` for T3, T3a and T4g; `None` for
/// types that are not burstable (`BurstablePerformanceSupported`).
pub fn default_cpu_credits(t: &str) -> Option<&'static str> {
    let burstable = get(t).and_then(|i| i.burstable_performance_supported) == Some(true);
    match t.split('.').next().unwrap_or("") {
        _ if !burstable => None,
        "t2" => Some("standard"),
        _ => Some("unlimited"),
    }
}

/// Default cores × threads per core (`VCpuInfo`).
pub fn cpu_options(t: &str) -> (i32, i32) {
    let v = get(t).and_then(|i| i.v_cpu_info.as_ref());
    let threads = v.and_then(|v| v.default_threads_per_core).unwrap_or(1);
    let cores = v
        .and_then(|v| v.default_cores)
        .or_else(|| v.and_then(|v| v.default_v_cpus).map(|n| n / threads))
        .unwrap_or(1);
    (cores, threads)
}

/// Whether the type can hibernate (`HibernationSupported`).
pub fn hibernation_supported(t: &str) -> bool {
    get(t).and_then(|i| i.hibernation_supported) == Some(true)
}
