//! DescribeImages' filters, read from the image the way `image_to_wire` shows it.

use super::{flag, many, one};
use crate::describe::filter::{Field, FilterTable};
use crate::generated::types as w;
use crate::handlers::images::{free_tier, location};
use crate::store::Image;

/// Filter names from the DescribeImages documentation (37 with the `tag:` family).
/// The EBS mappings of an image as DescribeImages lists them: the root one, then the rest.
fn ebs(i: &Image) -> impl Iterator<Item = (&str, Option<&w::EbsBlockDevice>)> {
    std::iter::once((&*i.root_device_name, None)).chain(
        i.other_mappings
            .iter()
            .map(|m| (m.device_name.as_deref().unwrap_or(""), m.ebs.as_ref())),
    )
}

/// Filter names from the DescribeImages documentation (37 with the `tag:` family).
pub const IMAGE_FILTERS: FilterTable<Image> = &[
    ("architecture", |i, _| one(&*i.architecture)),
    ("block-device-mapping.delete-on-termination", |i, _| {
        many(
            ebs(i)
                .filter_map(|(_, e)| match e {
                    None => Some(i.root_delete_on_termination),
                    Some(e) => e.delete_on_termination,
                })
                .map(flag),
        )
    }),
    ("block-device-mapping.device-name", |i, _| {
        many(ebs(i).map(|(d, _)| d))
    }),
    ("block-device-mapping.snapshot-id", |i, _| {
        many(ebs(i).filter_map(|(_, e)| match e {
            None => Some(i.snapshot_id.as_str()),
            Some(e) => e.snapshot_id.as_deref(),
        }))
    }),
    ("block-device-mapping.volume-size", |i, _| {
        many(
            ebs(i)
                .filter_map(|(_, e)| match e {
                    None => Some(i.root_volume_size),
                    Some(e) => e.volume_size,
                })
                .map(|n| n.to_string()),
        )
    }),
    ("block-device-mapping.volume-type", |i, _| {
        many(ebs(i).filter_map(|(_, e)| match e {
            None => Some(i.volume_type.as_str()),
            Some(e) => e.volume_type.as_ref().map(|t| t.as_str()),
        }))
    }),
    ("block-device-mapping.encrypted", |i, _| {
        many(
            ebs(i)
                .filter_map(|(_, e)| match e {
                    None => Some(i.root_encrypted),
                    Some(e) => e.encrypted,
                })
                .map(flag),
        )
    }),
    ("creation-date", |i, _| one(i.creation_date.as_str())),
    ("description", |i, _| one(i.description.as_str())),
    ("ena-support", |i, _| i.ena_support.into()),
    ("free-tier-eligible", |i, _| free_tier(i).into()),
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
    ("source-image-id", |i, _| {
        i.source_image.as_ref().map(|(id, _)| id.as_str()).into()
    }),
    ("source-image-region", |i, _| {
        i.source_image.as_ref().map(|(_, r)| r.as_str()).into()
    }),
    ("source-instance-id", |i, _| {
        i.source_instance_id.as_deref().into()
    }),
    ("state", |i, v| one(i.state(v.now))),
    // Available images have no state reason.
    ("state-reason-code", |_, _| Field::None),
    ("state-reason-message", |_, _| Field::None),
    ("sriov-net-support", |i, _| {
        i.sriov_net_support.as_deref().into()
    }),
    ("virtualization-type", |i, _| {
        one(i.virtualization_type.as_str())
    }),
];
