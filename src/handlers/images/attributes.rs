//! Describe/Modify/ResetImageAttribute, Enable/DisableImageDeprecation and
//! Enable/DisableImage: the owner's controls over an image.

use super::mine;
use crate::clock::{Timestamp, TimestampFormat};
use crate::context::Cx;
use crate::generated::types as w;
use crate::store::Image;
use crate::Ec2Error;

/// Applies an owner's change to image `id` (already checked as the caller's) and
/// publishes the image as it now is, for the accounts it is shared with.
fn change(cx: &mut Cx<'_>, id: &str, f: impl FnOnce(&mut Image)) -> Result<(), Ec2Error> {
    f(cx.commit()?.images.get_mut(id).expect("checked by mine()"));
    cx.publish_image(id);
    Ok(())
}

fn value(s: impl Into<String>) -> Option<w::AttributeValue> {
    Some(w::AttributeValue {
        value: Some(s.into()),
    })
}

/// One attribute per call, of the image's. Anyone who may launch the image may read them;
/// its launch permissions are the owner's to read (unverified: EC2's answer to others).
pub fn describe_image_attribute(
    cx: &mut Cx<'_>,
    input: w::DescribeImageAttributeInput,
) -> Result<w::DescribeImageAttributeOutput, Ec2Error> {
    let view = cx.view();
    let attr = input.attribute.as_str();
    let i = if attr == "launchPermission" {
        mine(cx, &input.image_id)?.clone()
    } else {
        super::usable(cx, &input.image_id)?
    };
    let i = &i;
    let mut out = w::DescribeImageAttributeOutput {
        image_id: Some(i.id.clone()),
        ..Default::default()
    };
    match attr {
        "description" => out.description = value(i.description.clone()),
        // HVM images carry no kernel or RAM disk: the answer has the element, empty.
        "kernel" => out.kernel_id = Some(w::AttributeValue::default()),
        "ramdisk" => out.ramdisk_id = Some(w::AttributeValue::default()),
        "launchPermission" => {
            let mut perms: Vec<w::LaunchPermission> = Vec::new();
            if i.is_public {
                perms.push(w::LaunchPermission {
                    group: Some(w::PermissionGroup::All),
                    ..Default::default()
                });
            }
            perms.extend(i.launch_users.iter().map(|u| w::LaunchPermission {
                user_id: Some(u.clone()),
                ..Default::default()
            }));
            out.launch_permissions = Some(perms);
        }
        "productCodes" => out.product_codes = Some(Vec::new()),
        "blockDeviceMapping" => {
            out.block_device_mappings = super::image_to_wire(i, view.now).block_device_mappings
        }
        "sriovNetSupport" => {
            out.sriov_net_support = i.sriov_net_support.clone().map_or(Some(Default::default()), value)
        }
        "bootMode" => out.boot_mode = i.boot_mode.as_deref().map_or(Some(Default::default()), value),
        "tpmSupport" => out.tpm_support = i.tpm_support.clone().map_or(Some(Default::default()), value),
        "uefiData" => out.uefi_data = Some(Default::default()),
        "lastLaunchedTime" => out.last_launched_time = Some(Default::default()),
        "imdsSupport" => out.imds_support = i.imds_support.clone().map_or(Some(Default::default()), value),
        "deregistrationProtection" => out.deregistration_protection = value("disabled"),
        other => {
            return Err(Ec2Error::invalid_value(
                "attribute",
                other,
                "Valid values: description, kernel, ramdisk, launchPermission, productCodes, blockDeviceMapping, sriovNetSupport, bootMode, tpmSupport, uefiData, lastLaunchedTime, imdsSupport, deregistrationProtection.",
            ))
        }
    }
    Ok(out)
}

/// `InvalidAMIAttributeItemValue` for a launch permission that names no account or
/// group (the wording follows EC2's "Invalid attribute item value" pattern; unverified).
fn bad_item(value: &str, kind: &str) -> Ec2Error {
    Ec2Error::new(
        "InvalidAMIAttributeItemValue",
        format!("Invalid attribute item value \"{value}\" for {kind} item type."),
    )
}

/// Launch permission changes, in both request forms: LaunchPermission.Add/Remove, or
/// Attribute=launchPermission with OperationType, UserId.N and UserGroup.N.
fn permission_changes(
    input: &w::ModifyImageAttributeInput,
) -> Result<Vec<(bool, w::LaunchPermission)>, Ec2Error> {
    let mut out: Vec<(bool, w::LaunchPermission)> = Vec::new();
    if let Some(lp) = &input.launch_permission {
        out.extend(lp.add.iter().flatten().map(|p| (true, p.clone())));
        out.extend(lp.remove.iter().flatten().map(|p| (false, p.clone())));
    }
    let legacy = input.attribute.as_deref() == Some("launchPermission")
        || input.user_ids.is_some()
        || input.user_groups.is_some();
    if legacy {
        let add = match input.operation_type.as_ref().map(|o| o.as_str()) {
            Some("add") => true,
            Some("remove") => false,
            _ => return Err(Ec2Error::missing_parameter("operationType")),
        };
        out.extend(input.user_ids.iter().flatten().map(|u| {
            (
                add,
                w::LaunchPermission {
                    user_id: Some(u.clone()),
                    ..Default::default()
                },
            )
        }));
        out.extend(input.user_groups.iter().flatten().map(|g| {
            (
                add,
                w::LaunchPermission {
                    group: Some(w::PermissionGroup::from(g.as_str())),
                    ..Default::default()
                },
            )
        }));
    }
    for (_, p) in &out {
        if let Some(u) = &p.user_id {
            if !crate::auth::is_account_id(u) {
                return Err(bad_item(u, "userId"));
            }
        }
        if let Some(g) = &p.group {
            if !g.is_known() {
                return Err(bad_item(g.as_str(), "group"));
            }
        }
    }
    Ok(out)
}

/// The owner shares the image (launchPermission: account ids, or group `all`, which
/// makes it public), describes it, or requires IMDSv2 of it (imdsSupport `v2.0`, which
/// cannot be turned off again: ModifyImageAttribute API reference).
pub fn modify_image_attribute(
    cx: &mut Cx<'_>,
    input: w::ModifyImageAttributeInput,
) -> Result<w::ModifyImageAttributeOutput, Ec2Error> {
    let view = cx.view();
    let i: &Image = mine(cx, &input.image_id)?;
    super::available(i, view.now)?;
    let permissions = permission_changes(&input)?;
    let description = input
        .description
        .as_ref()
        .and_then(|d| d.value.clone())
        .or_else(|| {
            (input.attribute.as_deref() == Some("description"))
                .then(|| input.value.clone())
                .flatten()
        });
    let imds = input.imds_support.as_ref().and_then(|d| d.value.clone());
    if let Some(v) = &imds {
        if v != "v2.0" {
            return Err(Ec2Error::invalid_value(
                "imdsSupport",
                v,
                "Valid values: v2.0.",
            ));
        }
    }
    if permissions.is_empty() && description.is_none() && imds.is_none() {
        // Unverified wording.
        return Err(Ec2Error::missing_parameter("attribute"));
    }
    let id = i.id.clone();
    change(cx, &id, |i| {
        for (add, p) in permissions {
            if p.group.is_some() {
                i.is_public = add;
            }
            if let Some(u) = p.user_id {
                i.launch_users.retain(|x| *x != u);
                if add {
                    i.launch_users.push(u);
                }
            }
        }
        if let Some(d) = description {
            i.description = d;
        }
        if imds.is_some() {
            i.imds_support = imds;
        }
    })?;
    Ok(w::ModifyImageAttributeOutput {})
}

/// ResetImageAttribute: launchPermission back to the owner alone.
pub fn reset_image_attribute(
    cx: &mut Cx<'_>,
    input: w::ResetImageAttributeInput,
) -> Result<w::ResetImageAttributeOutput, Ec2Error> {
    let i: &Image = mine(cx, &input.image_id)?;
    if input.attribute.as_str() != "launchPermission" {
        return Err(Ec2Error::invalid_value(
            "attribute",
            input.attribute.as_str(),
            "Valid values: launchPermission.",
        ));
    }
    let id = i.id.clone();
    change(cx, &id, |i| {
        i.is_public = false;
        i.launch_users.clear();
    })?;
    Ok(w::ResetImageAttributeOutput {})
}

/// EnableImageDeprecation: DeprecateAt in the future, rounded up to the minute
/// (EnableImageDeprecation API reference: "Amazon EC2 rounds up any seconds to the
/// nearest minute"); at most 10 years ahead.
pub fn enable_image_deprecation(
    cx: &mut Cx<'_>,
    input: w::EnableImageDeprecationInput,
) -> Result<w::EnableImageDeprecationOutput, Ec2Error> {
    let view = cx.view();
    let i: &Image = mine(cx, &input.image_id)?;
    let at = input.deprecate_at.0;
    let minute = 60_000;
    let rounded = Timestamp((at + minute - 1).div_euclid(minute) * minute);
    const TEN_YEARS_MS: i64 = 10 * 366 * 24 * 3600 * 1000;
    if rounded <= view.now || rounded.0 > view.now.0 + TEN_YEARS_MS {
        // Unverified wording.
        return Err(Ec2Error::invalid_parameter_value(
            "The deprecation time must be in the future and at most 10 years from now.",
        ));
    }
    let id = i.id.clone();
    change(cx, &id, |i| {
        i.deprecation_time = Some(rounded.format(TimestampFormat::DateTime));
    })?;
    Ok(w::EnableImageDeprecationOutput {
        r#return: Some(true),
    })
}

pub fn disable_image_deprecation(
    cx: &mut Cx<'_>,
    input: w::DisableImageDeprecationInput,
) -> Result<w::DisableImageDeprecationOutput, Ec2Error> {
    let i: &Image = mine(cx, &input.image_id)?;
    let id = i.id.clone();
    change(cx, &id, |i| i.deprecation_time = None)?;
    Ok(w::DisableImageDeprecationOutput {
        r#return: Some(true),
    })
}

/// DisableImage: `disabled`, launchable by nobody, and no longer shared or public
/// (DisableImage API reference); EnableImage makes it `available` again, still private.
pub fn disable_image(
    cx: &mut Cx<'_>,
    input: w::DisableImageInput,
) -> Result<w::DisableImageOutput, Ec2Error> {
    let i: &Image = mine(cx, &input.image_id)?;
    let id = i.id.clone();
    change(cx, &id, |i| {
        i.disabled = true;
        i.is_public = false;
        i.launch_users.clear();
    })?;
    Ok(w::DisableImageOutput {
        r#return: Some(true),
    })
}

pub fn enable_image(
    cx: &mut Cx<'_>,
    input: w::EnableImageInput,
) -> Result<w::EnableImageOutput, Ec2Error> {
    let i: &Image = mine(cx, &input.image_id)?;
    let id = i.id.clone();
    change(cx, &id, |i| i.disabled = false)?;
    Ok(w::EnableImageOutput {
        r#return: Some(true),
    })
}
