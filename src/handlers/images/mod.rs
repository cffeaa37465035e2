//! Images: DescribeImages over the catalog and the account's own images, and the
//! lifecycle (`lifecycle.rs`) and owner controls (`attributes.rs`).

mod attributes;
mod lifecycle;

pub use attributes::{
    describe_image_attribute, disable_image, disable_image_deprecation, enable_image,
    enable_image_deprecation, modify_image_attribute, reset_image_attribute,
};
pub use lifecycle::{copy_image, create_image, deregister_image, register_image};

use super::common::wire_tags;
use super::filters::IMAGE_FILTERS;
use crate::clock::{Timestamp, TimestampFormat};
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::describe::page::Page;
use crate::generated::types as w;
use crate::store::{Image, Resource};
use crate::Ec2Error;
use std::collections::BTreeMap;

pub fn describe_images(
    cx: &mut Cx<'_>,
    input: w::DescribeImagesInput,
) -> Result<w::DescribeImagesOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), IMAGE_FILTERS)?;
    let ids = input.image_ids.clone().unwrap_or_default();
    let owners = input.owners.clone().unwrap_or_default();
    let executable_by = input.executable_users.clone().unwrap_or_default();
    let view = cx.view();
    // The Region's images and those other accounts share with this one, in id order.
    let shared = cx.shared_images();
    let mut images: BTreeMap<String, &Image> = view
        .state
        .images
        .iter()
        .map(|(id, i)| (id.clone(), i))
        .collect();
    for i in &shared {
        images.entry(i.id.clone()).or_insert(i);
    }
    for id in &ids {
        Image::INFO.check(id)?;
    }
    let missing: Vec<&String> = ids
        .iter()
        .filter(|id| images.get(*id).is_none_or(|i| !i.usable_by(cx.account)))
        .collect();
    if !missing.is_empty() {
        return Err(Image::INFO.not_found(&missing));
    }
    crate::describe::page::ids_not_paged(!ids.is_empty(), input.max_results, "imagesSet")?;
    for o in &owners {
        let ok = matches!(
            o.as_str(),
            "self" | "amazon" | "aws-marketplace" | "aws-backup-vault"
        ) || crate::auth::is_account_id(o);
        if !ok {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "Invalid owner: {o}"
            )));
        }
    }
    for e in &executable_by {
        if !(e == "self" || e == "all" || crate::auth::is_account_id(e)) {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "Invalid user id: {e}"
            )));
        }
    }
    let page = Page::of(&input)?;
    let account = cx.account;
    // Owner.N: self, an alias, or an account id; any one matching is enough.
    let by_owner = |i: &Image| {
        owners.is_empty()
            || owners.iter().any(|o| match o.as_str() {
                "self" => i.owner_id == account,
                alias if !crate::auth::is_account_id(alias) => {
                    i.owner_alias.as_deref() == Some(alias)
                }
                id => i.owner_id == id,
            })
    };
    // ExecutableBy.N: `all` means public; `self` and account ids can launch public
    // images, their own and those shared with them.
    let executable = |i: &Image| {
        executable_by.is_empty()
            || executable_by.iter().any(|e| match e.as_str() {
                "all" => i.is_public,
                "self" => i.usable_by(account),
                id => i.is_public || i.owner_id == id || i.launch_users.iter().any(|u| u == id),
            })
    };
    // Disabled images are listed only with IncludeDisabled (DescribeImages API reference).
    let include_disabled = input.include_disabled == Some(true);
    // Deprecated images are left out unless asked for by id, with IncludeDeprecated, or
    // owned by the caller (DescribeImages API reference, IncludeDeprecated).
    let now = cx.now;
    let include_deprecated = input.include_deprecated == Some(true) || !ids.is_empty();
    let current = |i: &Image| {
        include_deprecated
            || i.owner_id == account
            || i.deprecation_time
                .as_deref()
                .and_then(|t| Timestamp::parse(t, TimestampFormat::DateTime))
                .is_none_or(|t| t > now)
    };
    let (images, next_token) = page.select(&images, &ids, |i: &&Image| {
        i.usable_by(account)
            && (include_disabled || !i.disabled)
            && current(i)
            && by_owner(i)
            && executable(i)
            && filters.matches(i, &view)
    });
    Ok(w::DescribeImagesOutput {
        images: Some(images.into_iter().map(|i| image_to_wire(i, now)).collect()),
        next_token,
    })
}

/// The caller's own image `id`, for the owner's operations: one it may use but does not
/// own (a catalog image, or another account's shared with it) is EC2's AuthFailure
/// (AWS-raw for DeregisterImage, cloudcaptainsh/cloudcaptain#66); one it may not see is
/// InvalidAMIID.NotFound.
pub(crate) fn mine<'a>(cx: &'a Cx<'_>, id: &str) -> Result<&'a Image, Ec2Error> {
    let usable = usable(cx, id)?;
    match cx.state().images.get(id) {
        Some(i) if i.owner_id == cx.account && !i.catalog => Ok(i),
        _ => Err(Ec2Error::new(
            "AuthFailure",
            format!("Not authorized for image:{}", usable.id),
        )),
    }
}

/// The image `id` as the caller may use it: the Region's own (the catalog's and the
/// account's), else one another account published and shares with it (public, or with
/// this account in its launch permissions). InvalidAMIID.NotFound otherwise.
pub(crate) fn usable(cx: &Cx<'_>, id: &str) -> Result<Image, Ec2Error> {
    Image::INFO.check(id)?;
    match cx.state().images.get(id) {
        Some(i) if i.usable_by(cx.account) => Ok(i.clone()),
        _ => cx
            .published_image(cx.region, id)
            .ok_or_else(|| Image::INFO.not_found(&[id])),
    }
}

/// Refuses an image that is not `available` (AWS-raw for a pending one, the
/// ModifyImageAttribute answer in app-sre/qontract-reconcile#2222; the same words for a
/// disabled one, unverified).
pub(crate) fn available(i: &Image, now: Timestamp) -> Result<(), Ec2Error> {
    match i.state(now) {
        "available" => Ok(()),
        state => Err(Ec2Error::new(
            "InvalidAMIID.Unavailable",
            format!(
                "The AMI ID '{}' is currently {state} and may not be used for this operation",
                i.id
            ),
        )),
    }
}

pub(super) fn location(i: &Image) -> String {
    format!(
        "{}/{}",
        i.owner_alias.as_deref().unwrap_or(&i.owner_id),
        i.name
    )
}

/// An image as DescribeImages shows it at `now`.
pub fn image_to_wire(i: &Image, now: Timestamp) -> w::Image {
    let root = w::BlockDeviceMapping {
        device_name: Some(i.root_device_name.to_string()),
        ebs: Some(w::EbsBlockDevice {
            delete_on_termination: Some(i.root_delete_on_termination),
            snapshot_id: Some(i.snapshot_id.clone()),
            volume_size: Some(i.root_volume_size),
            volume_type: Some(w::VolumeType::from(i.volume_type.as_str())),
            encrypted: Some(i.root_encrypted),
            iops: (i.volume_type == "gp3").then_some(3000),
            throughput: (i.volume_type == "gp3").then_some(125),
            ..Default::default()
        }),
        ..Default::default()
    };
    w::Image {
        image_id: Some(i.id.clone()),
        image_location: Some(location(i)),
        state: Some(w::ImageState::from(i.state(now))),
        owner_id: Some(i.owner_id.clone()),
        creation_date: Some(i.creation_date.clone()),
        public: Some(i.is_public),
        architecture: Some(w::ArchitectureValues::from(&*i.architecture)),
        image_type: Some(w::ImageTypeValues::Machine),
        name: Some(i.name.clone()),
        description: Some(i.description.clone()),
        root_device_type: Some(w::DeviceType::Ebs),
        root_device_name: Some(i.root_device_name.to_string()),
        block_device_mappings: Some(
            std::iter::once(root)
                .chain(i.other_mappings.iter().cloned())
                .collect(),
        ),
        virtualization_type: Some(w::VirtualizationType::from(i.virtualization_type.as_str())),
        hypervisor: Some(w::HypervisorType::Xen),
        image_owner_alias: i.owner_alias.clone(),
        ena_support: Some(i.ena_support),
        sriov_net_support: i.sriov_net_support.clone(),
        boot_mode: i.boot_mode.as_deref().map(w::BootModeValues::from),
        tpm_support: i.tpm_support.as_deref().map(w::TpmSupportValues::from),
        platform: i.platform.as_deref().map(w::PlatformValues::from),
        platform_details: Some(i.platform_details.to_string()),
        usage_operation: Some(i.usage_operation.to_string()),
        imds_support: i.imds_support.as_deref().map(w::ImdsSupportValues::from),
        deprecation_time: i.deprecation_time.clone(),
        free_tier_eligible: Some(free_tier(i)),
        source_image_id: i.source_image.as_ref().map(|(id, _)| id.clone()),
        source_image_region: i.source_image.as_ref().map(|(_, r)| r.clone()),
        source_instance_id: i.source_instance_id.clone(),
        tags: (!i.tags.is_empty()).then(|| wire_tags(&i.tags)),
        product_codes: Some(vec![]),
        ..Default::default()
    }
}

/// Linux images on x86_64 run on the free-tier types.
pub(super) fn free_tier(i: &Image) -> bool {
    &*i.architecture == "x86_64" && i.platform.is_none()
}
