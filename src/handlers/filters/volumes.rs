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
        v.attachment.as_ref().map(|a| a.device_name.as_str()).into()
    }),
    ("attachment.instance-id", |v, _| {
        v.attachment.as_ref().map(|a| a.instance_id.as_str()).into()
    }),
    ("attachment.status", |v, _| {
        v.attachment.as_ref().map(|_| "attached").into()
    }),
    ("availability-zone", |v, _| one(v.az.as_str())),
    ("availability-zone-id", |v, view| {
        view.state
            .azs
            .iter()
            .find(|(n, _)| *n == v.az)
            .map(|(_, id)| id.as_str())
            .into()
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
