//! DescribeVolumes' filters, read from the volume as `volume_to_wire` shows it.

use super::{flag, number, one, time};
use crate::describe::filter::{Field, FilterTable};
use crate::handlers::volumes::volume_state;
use crate::store::Volume;

pub const VOLUME_FILTERS: FilterTable<Volume> = &[
    ("attachment.attach-time", |v, _| {
        v.attachment
            .as_ref()
            .map_or(Field::None, |a| one(time(a.attach_time)))
    }),
    ("attachment.delete-on-termination", |v, _| {
        v.attachment
            .as_ref()
            .map_or(Field::None, |a| one(flag(a.delete_on_termination)))
    }),
    ("attachment.device", |v, _| {
        v.attachment.as_ref().map(|a| &*a.device_name).into()
    }),
    ("attachment.instance-id", |v, _| {
        v.attachment.as_ref().map(|a| &*a.instance_id).into()
    }),
    ("attachment.status", |v, _| {
        v.attachment.as_ref().map(|_| "attached").into()
    }),
    ("availability-zone", |v, _| one(&*v.az)),
    ("availability-zone-id", |v, view| {
        view.state.zone_id(&v.az).into()
    }),
    ("create-time", |v, _| one(time(v.create_time))),
    ("encrypted", |v, _| v.encrypted.into()),
    ("fast-restored", |_, _| false.into()),
    ("multi-attach-enabled", |_, _| false.into()),
    ("operator.managed", |_, _| false.into()),
    ("operator.principal", |_, _| Field::None),
    ("size", |v, _| number(v.size_gib)),
    ("snapshot-id", |v, _| v.snapshot_id.as_deref().into()),
    ("status", |v, view| one(volume_state(v, view.now))),
    ("volume-id", |v, _| one(v.id.as_str())),
    ("volume-type", |v, _| one(v.volume_type.as_str())),
];

/// DescribeVolumesModifications' filters (the documentation's camel-case names included).
pub const VOLUME_MODIFICATION_FILTERS: FilterTable<Volume> = &[
    ("modification-state", |v, view| {
        v.modification.as_ref().map(|m| m.state(view.now)).into()
    }),
    ("original-iops", |v, _| {
        v.modification
            .as_ref()
            .and_then(|m| m.original.2)
            .map_or(Field::None, number)
    }),
    ("original-size", |v, _| {
        v.modification
            .as_ref()
            .map_or(Field::None, |m| number(m.original.0))
    }),
    ("original-volume-type", |v, _| {
        v.modification
            .as_ref()
            .map(|m| m.original.1.as_str())
            .into()
    }),
    ("originalMultiAttachEnabled", |_, _| false.into()),
    ("start-time", |v, _| {
        v.modification
            .as_ref()
            .map_or(Field::None, |m| one(time(m.start)))
    }),
    ("target-iops", |v, _| {
        v.modification
            .as_ref()
            .and_then(|m| m.target.2)
            .map_or(Field::None, number)
    }),
    ("target-size", |v, _| {
        v.modification
            .as_ref()
            .map_or(Field::None, |m| number(m.target.0))
    }),
    ("target-volume-type", |v, _| {
        v.modification.as_ref().map(|m| m.target.1.as_str()).into()
    }),
    ("targetMultiAttachEnabled", |_, _| false.into()),
    ("volume-id", |v, _| one(v.id.as_str())),
];

/// DescribeVolumeStatus' filters: every volume is `ok` with no events or actions.
pub const VOLUME_STATUS_FILTERS: FilterTable<Volume> = &[
    ("action.code", |_, _| Field::None),
    ("action.description", |_, _| Field::None),
    ("action.event-id", |_, _| Field::None),
    ("availability-zone", |v, _| one(&*v.az)),
    ("event.description", |_, _| Field::None),
    ("event.event-id", |_, _| Field::None),
    ("event.event-type", |_, _| Field::None),
    ("event.not-after", |_, _| Field::None),
    ("event.not-before", |_, _| Field::None),
    ("volume-status.details-name", |_, _| {
        super::many(["io-enabled", "io-performance"])
    }),
    ("volume-status.details-status", |_, _| {
        super::many(["passed", "not-applicable"])
    }),
    ("volume-status.status", |_, _| one("ok")),
];
