//! DescribeSnapshots' filters, read from the snapshot as `snapshot_to_wire` shows it.

use super::{number, one, time};
use crate::describe::filter::{Field, FilterTable};
use crate::store::Snapshot;

pub const SNAPSHOT_FILTERS: FilterTable<Snapshot> = &[
    ("description", |s, _| one(s.description.as_str())),
    ("encrypted", |s, _| s.encrypted.into()),
    ("owner-alias", |s, _| s.owner_alias.as_deref().into()),
    ("owner-id", |s, _| one(s.owner_id.as_str())),
    ("progress", |s, v| s.progress(v.now).into()),
    ("snapshot-id", |s, _| one(s.id.as_str())),
    ("start-time", |s, _| one(time(s.start_time))),
    ("status", |s, v| one(s.state(v.now))),
    ("storage-tier", |_, _| one("standard")),
    ("transfer-type", |_, _| Field::None),
    ("volume-id", |s, _| one(s.volume_id.as_str())),
    ("volume-size", |s, _| number(s.volume_size)),
];
