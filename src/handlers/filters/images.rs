//! DescribeImages' filters, read from the image the way `image_to_wire` shows it.

use super::{number, one};
use crate::describe::filter::{Field, FilterTable};
use crate::handlers::images::location;
use crate::store::Image;

/// Filter names from the DescribeImages documentation (37 with the `tag:` family).
pub const IMAGE_FILTERS: FilterTable<Image> = &[
    ("architecture", |i, _| one(&*i.architecture)),
    // Each image maps its root device only, an unencrypted EBS volume.
    ("block-device-mapping.delete-on-termination", |_, _| {
        true.into()
    }),
    ("block-device-mapping.device-name", |i, _| {
        one(&*i.root_device_name)
    }),
    ("block-device-mapping.snapshot-id", |i, _| {
        one(i.snapshot_id.as_str())
    }),
    ("block-device-mapping.volume-size", |i, _| {
        number(i.root_volume_size)
    }),
    ("block-device-mapping.volume-type", |i, _| {
        one(i.volume_type.as_str())
    }),
    ("block-device-mapping.encrypted", |_, _| false.into()),
    ("creation-date", |i, _| one(i.creation_date.as_str())),
    ("description", |i, _| one(i.description.as_str())),
    ("ena-support", |_, _| true.into()),
    ("free-tier-eligible", |i, _| {
        (&*i.architecture == "x86_64" && i.platform.is_none()).into()
    }),
    ("hypervisor", |_, _| one("xen")),
    // Allowed AMIs is off in every account here, which allows every image.
    ("image-allowed", |_, _| true.into()),
    ("image-id", |i, _| one(i.id.as_str())),
    ("image-type", |_, _| one("machine")),
    ("is-public", |i, _| i.is_public.into()),
    // HVM images have no kernel or RAM disk of their own.
    ("kernel-id", |_, _| Field::None),
    ("manifest-location", |i, _| one(location(i))),
    ("name", |i, _| one(i.name.as_str())),
    ("owner-alias", |i, _| i.owner_alias.as_deref().into()),
    ("owner-id", |i, _| one(i.owner_id.as_str())),
    ("platform", |i, _| i.platform.as_deref().into()),
    // The catalog's images carry no product codes.
    ("product-code", |_, _| Field::None),
    ("product-code.type", |_, _| Field::None),
    ("ramdisk-id", |_, _| Field::None),
    ("root-device-name", |i, _| one(&*i.root_device_name)),
    ("root-device-type", |_, _| one("ebs")),
    // The catalog's images were not copied or created from an instance here.
    ("source-image-id", |_, _| Field::None),
    ("source-image-region", |_, _| Field::None),
    ("source-instance-id", |_, _| Field::None),
    ("state", |_, _| one("available")),
    // Available images have no state reason.
    ("state-reason-code", |_, _| Field::None),
    ("state-reason-message", |_, _| Field::None),
    ("sriov-net-support", |_, _| one("simple")),
    ("virtualization-type", |_, _| one("hvm")),
];
