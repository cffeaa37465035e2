//! DescribeRegions' and DescribeAvailabilityZones' filters (no tags: `tag:` names are
//! unknown there).

use super::one;
use crate::describe::filter::{Field, FilterTable};
use crate::handlers::regions::{RegionRow, ZoneRow};

pub const REGION_FILTERS: FilterTable<RegionRow> = &[
    ("endpoint", |r, _| one(r.endpoint.as_str())),
    ("opt-in-status", |r, _| one(r.opt_in_status)),
    ("region-name", |r, _| one(r.name)),
];

pub const ZONE_FILTERS: FilterTable<ZoneRow> = &[
    ("group-long-name", |z, _| one(z.group_long_name.as_str())),
    ("group-name", |z, _| one(z.group_name.as_str())),
    // Zones carry no messages.
    ("message", |_, _| Field::None),
    ("opt-in-status", |_, _| one("opt-in-not-required")),
    // Only Local and Wavelength Zones have parents.
    ("parent-zone-id", |_, _| Field::None),
    ("parent-zone-name", |_, _| Field::None),
    ("region-name", |z, _| one(z.region.as_str())),
    ("state", |_, _| one("available")),
    ("zone-id", |z, _| one(z.zone_id.as_str())),
    ("zone-name", |z, _| one(z.name.as_str())),
    ("zone-type", |_, _| one("availability-zone")),
];
