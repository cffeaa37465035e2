//! ModifyVolume and DescribeVolumesModifications (modifying → optimizing → completed on
//! the transition clock), DescribeVolumeStatus, Describe/ModifyVolumeAttribute.

use super::filters::{VOLUME_MODIFICATION_FILTERS, VOLUME_STATUS_FILTERS};
use super::instances::now_plus;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::describe::page::Page;
use crate::generated::types as w;
use crate::store::{Volume, VolumeModification};
use crate::Ec2Error;

/// The new size, type, IOPS and throughput, checked like CreateVolume's (EBS User Guide,
/// "Modify a volume"): a volume can grow, not shrink; one modification at a time.
pub fn modify_volume(
    cx: &mut Cx<'_>,
    input: w::ModifyVolumeInput,
) -> Result<w::ModifyVolumeOutput, Ec2Error> {
    let view = cx.view();
    let v: &Volume = view.get(&input.volume_id)?;
    // One modification at a time, `optimizing` included: AWS-raw, IncorrectModificationState
    // "Volume vol-08986585387cd1eff cannot be modified in modification state MODIFYING"
    // (sodafoundation/strato#1120, which saw OPTIMIZING refused the same way). EC2's
    // six-hour wait between modifications is not emulated.
    if let Some(m) = &v.modification {
        let state = m.state(view.now);
        if state != "completed" {
            return Err(Ec2Error::new(
                "IncorrectModificationState",
                format!(
                    "Volume {} cannot be modified in modification state {}",
                    v.id,
                    state.to_ascii_uppercase()
                ),
            ));
        }
    }
    let size = input.size.unwrap_or(v.size_gib);
    if size < v.size_gib {
        return Err(Ec2Error::invalid_parameter_value(format!(
            "New size cannot be smaller than existing size of {}GiB",
            v.size_gib
        )));
    }
    let volume_type = input
        .volume_type
        .as_ref()
        .map_or(v.volume_type.clone(), |t| t.as_str().to_string());
    let Some((min, max)) = super::volumes::size_bounds(&volume_type) else {
        return Err(Ec2Error::invalid_value(
            "volumeType",
            &volume_type,
            "Valid values: standard, io1, io2, gp2, gp3, sc1, st1.",
        ));
    };
    if !(min..=max).contains(&size) {
        return Err(Ec2Error::invalid_value(
            "size",
            &size.to_string(),
            &format!("Volume of type {volume_type} must be {min}–{max} GiB."),
        ));
    }
    // ModifyVolume API reference: Iops "Default: The existing value is retained if you
    // keep the same volume type. If you change the volume type to io1, io2, or gp3, the
    // default is 3,000"; Throughput "The existing value is retained if the source and
    // target volume type is gp3. Otherwise, the default value is 125." Then CreateVolume's
    // limits.
    let same_type = volume_type == v.volume_type;
    let kept = |given: Option<i32>, old: Option<i32>| given.or(old.filter(|_| same_type));
    let (iops, throughput) = match volume_type.as_str() {
        "gp3" => (
            Some(kept(input.iops, v.iops).unwrap_or(3000)),
            Some(kept(input.throughput, v.throughput).unwrap_or(125)),
        ),
        "io1" | "io2" => (
            Some(kept(input.iops, v.iops).unwrap_or(3000)),
            input.throughput,
        ),
        _ => (input.iops, input.throughput),
    };
    super::volumes::check_performance(&volume_type, size, iops, throughput)?;
    let now = cx.now;
    let t = cx.config.transition;
    let modification = VolumeModification {
        start: now,
        optimizing_at: now_plus(now, t),
        completed_at: now_plus(now_plus(now, t), t),
        original: (v.size_gib, v.volume_type.clone(), v.iops, v.throughput),
        target: (size, volume_type.clone(), iops, throughput),
    };
    let id = v.id.clone();
    let state = cx.commit()?;
    let vol = state.volumes.get_mut(&id).expect("checked above");
    vol.size_gib = size;
    vol.volume_type = volume_type;
    vol.iops = iops;
    vol.throughput = throughput;
    let mut out = modification_to_wire(&id, &modification, now);
    out.modification_state = Some(w::VolumeModificationState::Modifying);
    vol.modification = Some(Box::new(modification));
    Ok(w::ModifyVolumeOutput {
        volume_modification: Some(out),
    })
}

pub fn describe_volumes_modifications(
    cx: &mut Cx<'_>,
    input: w::DescribeVolumesModificationsInput,
) -> Result<w::DescribeVolumesModificationsOutput, Ec2Error> {
    let filters = Filters::parse_untagged(input.filters.clone(), VOLUME_MODIFICATION_FILTERS)?;
    let ids = input.volume_ids.clone().unwrap_or_default();
    let view = cx.view();
    view.require_all::<Volume>(&ids)?;
    if let Some(id) = ids
        .iter()
        .find(|id| view.state.volumes[id.as_str()].modification.is_none())
    {
        // Unverified wording.
        return Err(Ec2Error::new(
            "InvalidVolumeModification.NotFound",
            format!("Modification for volume '{id}' does not exist."),
        ));
    }
    let page = Page::of(&input)?;
    let (vols, next_token) = view.select(&page, &ids, |v: &Volume| {
        v.modification.is_some() && filters.matches(v, &view)
    });
    Ok(w::DescribeVolumesModificationsOutput {
        next_token,
        volumes_modifications: Some(
            vols.into_iter()
                .filter_map(|v| {
                    Some(modification_to_wire(
                        &v.id,
                        v.modification.as_deref()?,
                        view.now,
                    ))
                })
                .collect(),
        ),
    })
}

fn modification_to_wire(
    id: &str,
    m: &VolumeModification,
    now: crate::clock::Timestamp,
) -> w::VolumeModification {
    let state = m.state(now);
    w::VolumeModification {
        volume_id: Some(id.to_string()),
        modification_state: Some(w::VolumeModificationState::from(state)),
        target_size: Some(m.target.0),
        target_volume_type: Some(w::VolumeType::from(m.target.1.as_str())),
        target_iops: m.target.2,
        target_throughput: m.target.3,
        target_multi_attach_enabled: Some(false),
        original_size: Some(m.original.0),
        original_volume_type: Some(w::VolumeType::from(m.original.1.as_str())),
        original_iops: m.original.2,
        original_throughput: m.original.3,
        original_multi_attach_enabled: Some(false),
        progress: Some(match state {
            "modifying" => 0,
            "optimizing" => 50,
            _ => 100,
        }),
        start_time: Some(m.start),
        end_time: (state == "completed").then_some(m.completed_at),
        ..Default::default()
    }
}

/// Every volume is healthy: status `ok`, I/O enabled, no events or actions.
pub fn describe_volume_status(
    cx: &mut Cx<'_>,
    input: w::DescribeVolumeStatusInput,
) -> Result<w::DescribeVolumeStatusOutput, Ec2Error> {
    let filters = Filters::parse_untagged(input.filters.clone(), VOLUME_STATUS_FILTERS)?;
    let ids = input.volume_ids.clone().unwrap_or_default();
    let view = cx.view();
    let (vols, next_token) = view.filtered(&input, &ids, &filters)?;
    Ok(w::DescribeVolumeStatusOutput {
        next_token,
        volume_statuses: Some(
            vols.into_iter()
                .map(|v| w::VolumeStatusItem {
                    actions: Some(vec![]),
                    availability_zone: Some(v.az.to_string()),
                    events: Some(vec![]),
                    volume_id: Some(v.id.clone()),
                    volume_status: Some(w::VolumeStatusInfo {
                        details: Some(vec![
                            w::VolumeStatusDetails {
                                name: Some(w::VolumeStatusName::from("io-enabled")),
                                status: Some("passed".into()),
                            },
                            w::VolumeStatusDetails {
                                name: Some(w::VolumeStatusName::from("io-performance")),
                                status: Some("not-applicable".into()),
                            },
                        ]),
                        status: Some(w::VolumeStatusInfoStatus::from("ok")),
                    }),
                    ..Default::default()
                })
                .collect(),
        ),
    })
}

pub fn describe_volume_attribute(
    cx: &mut Cx<'_>,
    input: w::DescribeVolumeAttributeInput,
) -> Result<w::DescribeVolumeAttributeOutput, Ec2Error> {
    let v: &Volume = cx.view().get(&input.volume_id)?;
    let mut out = w::DescribeVolumeAttributeOutput {
        volume_id: Some(v.id.clone()),
        ..Default::default()
    };
    match input.attribute.as_str() {
        "autoEnableIO" => {
            out.auto_enable_io = Some(w::AttributeBooleanValue {
                value: Some(v.auto_enable_io),
            })
        }
        "productCodes" => out.product_codes = Some(vec![]),
        other => {
            return Err(Ec2Error::invalid_value(
                "attribute",
                other,
                "Valid values: autoEnableIO, productCodes.",
            ))
        }
    }
    Ok(out)
}

pub fn modify_volume_attribute(
    cx: &mut Cx<'_>,
    input: w::ModifyVolumeAttributeInput,
) -> Result<w::ModifyVolumeAttributeOutput, Ec2Error> {
    let v: &Volume = cx.view().get(&input.volume_id)?;
    let Some(b) = input.auto_enable_io.as_ref() else {
        return Err(Ec2Error::missing_parameter("autoEnableIO"));
    };
    let (id, on) = (v.id.clone(), b.value.unwrap_or(false));
    if let Some(v) = cx.commit()?.volumes.get_mut(&id) {
        v.auto_enable_io = on;
    }
    Ok(w::ModifyVolumeAttributeOutput {})
}
