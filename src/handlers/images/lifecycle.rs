//! The image lifecycle in one account: RegisterImage (from a snapshot), CreateImage
//! (from an instance's volumes), CopyImage, DeregisterImage. New images are `pending` for
//! one transition, then `available`; their snapshots are the account's own.

use super::mine;
use crate::clock::{Timestamp, TimestampFormat};
use crate::context::Cx;
use crate::generated::types as w;
use crate::handlers::common::{tag_specifications, tags_for};
use crate::handlers::instances::now_plus;
use crate::handlers::snapshots::new_snapshot;
use crate::store::{new_id, Image, Instance, InstanceState, Resource, Snapshot, Tags, View};
use crate::Ec2Error;

/// Names: 3–128 of letters, digits and `( ) [ ] . / - ' @ _` and spaces (CreateImage API
/// reference, Name); the message is AWS-raw (webdigi/AWS-AMI-Automated-Creation-Deletion#6),
/// names unique among the account's images in the Region (InvalidAMIName.Duplicate).
pub(super) fn check_name(view: &View<'_>, name: &str) -> Result<(), Ec2Error> {
    let ok = (3..=128).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "()[] ./-'@_".contains(c));
    if !ok {
        return Err(Ec2Error::new(
            "InvalidAMIName.Malformed",
            "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'",
        ));
    }
    let account = view.state.account.as_str();
    if let Some(other) = view
        .state
        .images
        .values()
        .find(|i| !i.catalog && i.owner_id == account && i.name == name)
    {
        return Err(Ec2Error::new(
            "InvalidAMIName.Duplicate",
            format!("AMI name {name} is already in use by AMI {}", other.id),
        ));
    }
    Ok(())
}

/// EC2 writes creation dates to the millisecond: `2026-12-02T01:02:03.000Z`.
fn creation_date(now: Timestamp) -> String {
    Timestamp(now.0 - now.0.rem_euclid(1000)).format(TimestampFormat::DateTime)
}

/// A new image of the caller's, `pending` for one transition: the fields every lifecycle
/// operation sets alike; the caller fills in what it knows.
fn new_image(cx: &Cx<'_>, name: &str, description: Option<&str>) -> Image {
    Image {
        id: new_id("ami"),
        name: name.to_string(),
        description: description.unwrap_or_default().to_string(),
        owner_id: cx.account.to_string(),
        owner_alias: None,
        architecture: "x86_64".into(),
        platform: None,
        platform_details: "Linux/UNIX".into(),
        usage_operation: "RunInstances".into(),
        root_device_name: "/dev/xvda".into(),
        root_volume_size: 8,
        volume_type: "gp2".into(),
        snapshot_id: String::new(),
        root_encrypted: false,
        root_delete_on_termination: true,
        other_mappings: Vec::new().into(),
        creation_date: creation_date(cx.now),
        boot_mode: None,
        tpm_support: None,
        imds_support: None,
        deprecation_time: None,
        virtualization_type: "hvm".into(),
        ena_support: true,
        sriov_net_support: Some("simple".into()),
        is_public: false,
        launch_users: Vec::new(),
        catalog: false,
        ready_at: now_plus(cx.now, cx.config.transition),
        disabled: false,
        source_image: None,
        source_instance_id: None,
        tags: Tags::new(),
    }
}

/// RegisterImage from EBS snapshots: the root device's mapping names a snapshot the
/// account may restore; S3-manifest (instance store) images are not emulated.
pub fn register_image(
    cx: &mut Cx<'_>,
    input: w::RegisterImageInput,
) -> Result<w::RegisterImageOutput, Ec2Error> {
    let view = cx.view();
    check_name(&view, &input.name)?;
    if input.image_location.is_some() {
        return Err(Ec2Error::new(
            "UnsupportedOperation",
            "Instance store-backed AMIs (ImageLocation) are not emulated; register from an EBS snapshot.",
        ));
    }
    let mappings = input.block_device_mappings.clone().unwrap_or_default();
    let root_name = input
        .root_device_name
        .clone()
        .ok_or_else(|| Ec2Error::missing_parameter("rootDeviceName"))?;
    let root = mappings
        .iter()
        .find(|m| m.device_name.as_deref() == Some(root_name.as_str()))
        .and_then(|m| m.ebs.as_ref())
        .and_then(|e| e.snapshot_id.as_ref().map(|s| (e, s)));
    // Unverified wording: the root device must map a snapshot.
    let Some((root_ebs, snap_id)) = root else {
        return Err(Ec2Error::invalid_parameter_value(format!(
            "The root device {root_name} must be an EBS volume with a snapshot id in the block device mapping"
        )));
    };
    let snap: &Snapshot = view.get(snap_id)?;
    if !snap.restorable_by(cx.account) {
        return Err(Snapshot::INFO.not_found(&[snap_id]));
    }
    let mut snapshots = vec![snap_id.as_str()];
    for m in &mappings {
        if let Some(s) = m.ebs.as_ref().and_then(|e| e.snapshot_id.as_deref()) {
            if m.device_name.as_deref() != Some(root_name.as_str()) {
                view.get::<Snapshot>(s)?;
                snapshots.push(s);
            }
        }
    }
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[Image::INFO.resource_type],
    )?;
    let mut image = new_image(cx, &input.name, input.description.as_deref());
    // RegisterImage API reference: Architecture "Default: For Amazon EBS-backed AMIs,
    // i386", VirtualizationType "Default: paravirtual".
    image.architecture = input
        .architecture
        .as_ref()
        .map_or("i386", |a| a.as_str())
        .into();
    image.virtualization_type = input
        .virtualization_type
        .clone()
        .unwrap_or_else(|| "paravirtual".into());
    image.root_device_name = root_name.as_str().into();
    image.snapshot_id = snap.id.clone();
    image.root_volume_size = root_ebs.volume_size.unwrap_or(snap.volume_size);
    image.volume_type = root_ebs
        .volume_type
        .as_ref()
        .map_or("gp2".into(), |t| t.as_str().to_string());
    image.root_encrypted = snap.encrypted;
    image.root_delete_on_termination = root_ebs.delete_on_termination.unwrap_or(true);
    image.other_mappings = mappings
        .into_iter()
        .filter(|m| m.device_name.as_deref() != Some(root_name.as_str()))
        .collect::<Vec<_>>()
        .into();
    image.boot_mode = input.boot_mode.as_ref().map(|b| b.as_str().into());
    image.tpm_support = input.tpm_support.as_ref().map(|t| t.as_str().to_string());
    image.imds_support = input.imds_support.as_ref().map(|t| t.as_str().to_string());
    image.ena_support = input.ena_support.unwrap_or(false);
    image.sriov_net_support = input.sriov_net_support.clone();
    image.tags = tags_for::<Image>(&tags);
    let id = image.id.clone();
    cx.commit()?.images.insert(id.clone(), image);
    cx.publish_image(&id);
    Ok(w::RegisterImageOutput { image_id: Some(id) })
}

/// CreateImage: a snapshot of every EBS volume attached to the instance (a mapping with
/// NoDevice leaves one out), the instance's image facts, `pending` until the snapshots
/// complete. Running and stopped instances can be imaged. Without NoReboot EC2 reboots a
/// running instance first; a reboot shows in nothing this emulator reports (see
/// RebootInstances), so NoReboot changes nothing here. Mappings that add volumes or
/// resize one are not applied (not emulated: the image has the instance's volumes).
pub fn create_image(
    cx: &mut Cx<'_>,
    input: w::CreateImageInput,
) -> Result<w::CreateImageOutput, Ec2Error> {
    let view = cx.view();
    let i: &Instance = view.get(&input.instance_id)?;
    let st = i.phase.state(view.now);
    if !matches!(st, InstanceState::Running | InstanceState::Stopped) {
        // Unverified wording, in the pattern of EC2's other IncorrectInstanceState texts.
        return Err(Ec2Error::new(
            "IncorrectInstanceState",
            format!(
                "The instance '{}' is not in a state from which it can be imaged",
                i.id
            ),
        ));
    }
    check_name(&view, &input.name)?;
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[Image::INFO.resource_type, Snapshot::INFO.resource_type],
    )?;
    let excluded: Vec<&str> = input
        .block_device_mappings
        .iter()
        .flatten()
        .filter(|m| m.no_device.is_some())
        .filter_map(|m| m.device_name.as_deref())
        .collect();
    let source = view.state.images.get(&i.image_id);
    let mut image = new_image(cx, &input.name, input.description.as_deref());
    let mut snapshots = Vec::new();
    let mut other = Vec::new();
    for v in i
        .volume_ids
        .iter()
        .filter_map(|v| view.state.volumes.get(v))
    {
        let Some(a) = &v.attachment else { continue };
        if excluded.contains(&&*a.device_name) {
            continue;
        }
        let mut snap = new_snapshot(
            cx,
            &v.id,
            v.size_gib,
            format!("Created by CreateImage({}) for {}", i.id, image.id),
        );
        snap.encrypted = v.encrypted;
        snap.tags = tags_for::<Snapshot>(&tags);
        if *a.device_name == *i.root_device_name {
            image.snapshot_id = snap.id.clone();
            image.root_volume_size = v.size_gib;
            image.volume_type = v.volume_type.clone();
            image.root_encrypted = v.encrypted;
            image.root_delete_on_termination = a.delete_on_termination;
        } else {
            other.push(w::BlockDeviceMapping {
                device_name: Some(a.device_name.to_string()),
                ebs: Some(w::EbsBlockDevice {
                    delete_on_termination: Some(a.delete_on_termination),
                    snapshot_id: Some(snap.id.clone()),
                    volume_size: Some(v.size_gib),
                    volume_type: Some(w::VolumeType::from(v.volume_type.as_str())),
                    encrypted: Some(v.encrypted),
                    ..Default::default()
                }),
                ..Default::default()
            });
        }
        snapshots.push(snap);
    }
    if image.snapshot_id.is_empty() {
        // Unverified wording: an image needs its root volume.
        return Err(Ec2Error::invalid_parameter_value(format!(
            "The instance '{}' has no root volume to image",
            i.id
        )));
    }
    image.architecture = i.architecture.clone();
    image.platform = i.platform.clone();
    image.platform_details = i.platform_details.clone();
    image.usage_operation = i.usage_operation.clone();
    image.root_device_name = i.root_device_name.clone();
    image.boot_mode = i.boot_mode.clone();
    image.imds_support = source.and_then(|s| s.imds_support.clone());
    image.tpm_support = source.and_then(|s| s.tpm_support.clone());
    image.other_mappings = other.into();
    image.source_instance_id = Some(i.id.clone());
    image.tags = tags_for::<Image>(&tags);
    let id = image.id.clone();
    let state = cx.commit()?;
    for s in snapshots {
        state.snapshots.insert(s.id.clone(), s);
    }
    state.images.insert(id.clone(), image);
    cx.publish_image(&id);
    Ok(w::CreateImageOutput { image_id: Some(id) })
}

/// CopyImage, within the Region or from SourceRegion: a new image with copies of the
/// source's snapshots (encrypted when asked), SourceImageId / SourceImageRegion set. The
/// source is any image the account may launch in SourceRegion.
pub fn copy_image(
    cx: &mut Cx<'_>,
    input: w::CopyImageInput,
) -> Result<w::CopyImageOutput, Ec2Error> {
    if let Some(id) = input
        .client_token
        .as_deref()
        .and_then(|t| cx.state().token("CopyImage", t))
        .map(str::to_string)
    {
        cx.commit()?;
        return Ok(w::CopyImageOutput { image_id: Some(id) });
    }
    let view = cx.view();
    // The source: this Region's, or a catalog image SourceRegion offers, or one of the
    // images the account may use there (its own or shared).
    let src = if input.source_region == cx.region {
        super::usable(cx, &input.source_image_id)?
    } else {
        // Unverified wording: EC2 documents SourceRegion as a Region name; a name that is
        // none is refused the way DescribeRegions refuses one.
        if crate::regions::find_region(&input.source_region).is_none() {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "Invalid region: {}",
                input.source_region
            )));
        }
        Image::INFO.check(&input.source_image_id)?;
        cx.catalog_image(&input.source_region, &input.source_image_id)
            .or_else(|| cx.published_image(&input.source_region, &input.source_image_id))
            .ok_or_else(|| Image::INFO.not_found(&[&input.source_image_id]))?
    };
    let src = &src;
    super::available(src, view.now)?;
    check_name(&view, &input.name)?;
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[Image::INFO.resource_type],
    )?;
    let encrypted = input.encrypted == Some(true);
    let mut image = src.clone();
    let fresh = new_image(cx, &input.name, None);
    image.id = fresh.id;
    image.name = input.name.clone();
    image.description = input
        .description
        .clone()
        .unwrap_or_else(|| src.description.clone());
    image.owner_id = cx.account.to_string();
    image.owner_alias = None;
    image.creation_date = fresh.creation_date;
    image.ready_at = fresh.ready_at;
    image.is_public = false;
    image.launch_users = Vec::new();
    image.catalog = false;
    image.disabled = false;
    image.deprecation_time = None;
    image.source_image = Some((src.id.clone(), input.source_region.clone()));
    image.tags = if input.copy_image_tags == Some(true) {
        let mut t = src.tags.clone();
        t.extend(tags_for::<Image>(&tags));
        t
    } else {
        tags_for::<Image>(&tags)
    };
    // Each snapshot is copied: the root, then the other EBS mappings.
    let copy = |from: &str, size: i32, was: bool| {
        let mut s = new_snapshot(
            cx,
            "vol-ffffffff",
            size,
            format!(
                "Copied for DestinationAmi {} from SourceAmi {} for SourceSnapshot {from}.",
                image.id, src.id
            ),
        );
        s.encrypted = was || encrypted;
        s
    };
    let mut snapshots = vec![copy(
        &src.snapshot_id,
        src.root_volume_size,
        src.root_encrypted,
    )];
    image.snapshot_id = snapshots[0].id.clone();
    image.root_encrypted = src.root_encrypted || encrypted;
    let mut other = Vec::new();
    for m in src.other_mappings.iter() {
        let mut m = m.clone();
        if let Some(e) = m.ebs.as_mut() {
            if let Some(from) = e.snapshot_id.clone() {
                let s = copy(&from, e.volume_size.unwrap_or(8), e.encrypted == Some(true));
                e.snapshot_id = Some(s.id.clone());
                e.encrypted = Some(s.encrypted);
                snapshots.push(s);
            }
        }
        other.push(m);
    }
    image.other_mappings = other.into();
    let id = image.id.clone();
    let state = cx.commit()?;
    for s in snapshots {
        state.snapshots.insert(s.id.clone(), s);
    }
    state.images.insert(id.clone(), image);
    if let Some(t) = &input.client_token {
        state.set_token("CopyImage", t, &id);
    }
    cx.publish_image(&id);
    Ok(w::CopyImageOutput { image_id: Some(id) })
}

/// DeregisterImage: only the owner; the image is gone at once (launching it is
/// InvalidAMIID.NotFound); DeleteAssociatedSnapshots deletes its snapshots that no other
/// image uses, each reported.
pub fn deregister_image(
    cx: &mut Cx<'_>,
    input: w::DeregisterImageInput,
) -> Result<w::DeregisterImageOutput, Ec2Error> {
    let view = cx.view();
    let image: &Image = mine(cx, &input.image_id)?;
    let mut snaps: Vec<String> = vec![image.snapshot_id.clone()];
    snaps.extend(
        image
            .other_mappings
            .iter()
            .filter_map(|m| m.ebs.as_ref()?.snapshot_id.clone()),
    );
    let delete = input.delete_associated_snapshots == Some(true);
    let others_use = |s: &str| {
        view.state.images.values().any(|i| {
            i.id != image.id
                && (i.snapshot_id == s
                    || i.other_mappings
                        .iter()
                        .any(|m| m.ebs.as_ref().and_then(|e| e.snapshot_id.as_deref()) == Some(s)))
        })
    };
    // Each snapshot: deleted, `skipped` while another image uses it, or
    // `missing-permissions` when it is not the caller's.
    let results: Vec<(String, &'static str)> = if delete {
        snaps
            .iter()
            .map(|s| {
                let mine = view
                    .state
                    .snapshots
                    .get(s)
                    .is_some_and(|x| x.owner_id == cx.account);
                let code = match (mine, others_use(s)) {
                    (false, _) => "missing-permissions",
                    (true, true) => "skipped",
                    (true, false) => "success",
                };
                (s.clone(), code)
            })
            .collect()
    } else {
        Vec::new()
    };
    let id = image.id.clone();
    let state = cx.commit()?;
    state.remove_all(std::slice::from_ref(&id));
    for (s, code) in &results {
        if *code == "success" {
            state.snapshots.remove(s);
        }
    }
    cx.publish_image(&id);
    Ok(w::DeregisterImageOutput {
        r#return: Some(true),
        delete_snapshot_results: delete.then(|| {
            results
                .into_iter()
                .map(|(s, code)| w::DeleteSnapshotReturnCode {
                    snapshot_id: Some(s),
                    return_code: Some(w::SnapshotReturnCodes::from(code)),
                })
                .collect()
        }),
    })
}
