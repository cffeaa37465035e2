//! EBS snapshots: CreateSnapshot, CopySnapshot, DescribeSnapshots, DeleteSnapshot,
//! Describe/ModifySnapshotAttribute. A snapshot is `pending` for one transition, its
//! progress rising to `100%`, then `completed`; CreateVolume restores from any snapshot
//! the account may restore (`Snapshot::restorable_by`).

use super::common::{tag_specifications, tags_for, wire_tags};
use super::filters::SNAPSHOT_FILTERS;
use crate::clock::Timestamp;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::store::{new_id, Resource, Snapshot, View, Volume};
use crate::Ec2Error;

/// A new snapshot of `size` GiB owned by the caller, pending for one transition.
pub(crate) fn new_snapshot(
    cx: &Cx<'_>,
    volume_id: &str,
    size: i32,
    description: String,
) -> Snapshot {
    let now = cx.now;
    Snapshot {
        id: new_id("snap"),
        volume_id: volume_id.to_string(),
        volume_size: size,
        description,
        owner_id: cx.account.to_string(),
        owner_alias: None,
        start_time: Timestamp(now.0 - now.0.rem_euclid(1000)),
        completed_at: super::instances::now_plus(now, cx.config.transition),
        encrypted: false,
        public: false,
        shared_with: Vec::new(),
        tags: Default::default(),
    }
}

pub fn create_snapshot(
    cx: &mut Cx<'_>,
    input: w::CreateSnapshotInput,
) -> Result<w::Snapshot, Ec2Error> {
    let view = cx.view();
    let vol: &Volume = view.get(&input.volume_id)?;
    // A volume still `creating` has nothing to snapshot yet (IncorrectState, as EC2 refuses
    // AttachVolume then); the wording mirrors DetachVolume's AWS-raw "Volume '…' is in the
    // 'available' state." and is Unverified.
    if super::volumes::volume_state(vol, view.now) == "creating" {
        return Err(Ec2Error::new(
            "IncorrectState",
            format!("Volume '{}' is in the 'creating' state.", vol.id),
        ));
    }
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[Snapshot::INFO.resource_type],
    )?;
    let mut snap = new_snapshot(
        cx,
        &vol.id,
        vol.size_gib,
        input.description.clone().unwrap_or_default(),
    );
    // A snapshot of an encrypted volume is encrypted (EBS User Guide, "Amazon EBS
    // encryption").
    snap.encrypted = vol.encrypted;
    snap.tags = tags_for::<Snapshot>(&tags);
    let id = snap.id.clone();
    cx.commit()?.snapshots.insert(id.clone(), snap);
    let view = cx.view();
    Ok(snapshot_to_wire(&view, &view.state.snapshots[&id]))
}

/// One snapshot per EBS volume of the instance, root first, less ExcludeBootVolume and
/// ExcludeDataVolumeIds; CopyTagsFromSource `volume` copies each volume's tags under the
/// request's (CreateSnapshots API reference).
pub fn create_snapshots(
    cx: &mut Cx<'_>,
    input: w::CreateSnapshotsInput,
) -> Result<w::CreateSnapshotsOutput, Ec2Error> {
    let spec = &input.instance_specification;
    let view = cx.view();
    let i: &crate::store::Instance = view.get(&spec.instance_id)?;
    let excluded = spec.exclude_data_volume_ids.clone().unwrap_or_default();
    view.require_all::<Volume>(&excluded)?;
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[Snapshot::INFO.resource_type],
    )?;
    let copy_tags = input.copy_tags_from_source.as_ref().map(|c| c.as_str()) == Some("volume");
    let root = i.volume_ids.first().cloned();
    let description = input.description.clone().unwrap_or_default();
    let mut snaps = Vec::new();
    for vid in &i.volume_ids {
        let boot = Some(vid) == root.as_ref();
        if (boot && spec.exclude_boot_volume == Some(true)) || excluded.contains(vid) {
            continue;
        }
        let Some(vol) = view.find::<Volume>(vid) else {
            continue;
        };
        let mut snap = new_snapshot(cx, vid, vol.size_gib, description.clone());
        snap.encrypted = vol.encrypted;
        snap.tags = tags_for::<Snapshot>(&tags);
        if copy_tags {
            for (k, v) in vol.tags.iter() {
                snap.tags.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        snaps.push(snap);
    }
    let state = cx.commit()?;
    let mut out = Vec::new();
    for snap in snaps {
        out.push(w::SnapshotInfo {
            snapshot_id: Some(snap.id.clone()),
            volume_id: Some(snap.volume_id.clone()),
            volume_size: Some(snap.volume_size),
            description: Some(snap.description.clone()),
            state: Some(w::SnapshotState::Pending),
            start_time: Some(snap.start_time),
            progress: Some("0%".into()),
            owner_id: Some(snap.owner_id.clone()),
            encrypted: Some(snap.encrypted),
            tags: (!snap.tags.is_empty()).then(|| wire_tags(&snap.tags)),
            ..Default::default()
        });
        state.snapshots.insert(snap.id.clone(), snap);
    }
    Ok(w::CreateSnapshotsOutput {
        snapshots: Some(out),
    })
}

/// Within the region only: the source must be a snapshot the account may restore here.
/// Copying from another region is not emulated (the note on issue #10 says so).
pub fn copy_snapshot(
    cx: &mut Cx<'_>,
    input: w::CopySnapshotInput,
) -> Result<w::CopySnapshotOutput, Ec2Error> {
    let view = cx.view();
    if input.source_region != cx.region {
        // Unverified wording; what EC2 answers for a snapshot it cannot find there.
        return Err(Snapshot::INFO.not_found(&[&input.source_snapshot_id]));
    }
    let src: &Snapshot = view.get(&input.source_snapshot_id)?;
    if !src.completed(view.now) {
        // EC2 copies completed snapshots only (CopySnapshot API reference: "You can
        // copy a snapshot when it is in the completed state"); wording unverified.
        return Err(Ec2Error::new(
            "IncorrectState",
            format!("Snapshot {} is not in the completed state", src.id),
        ));
    }
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[Snapshot::INFO.resource_type],
    )?;
    let description = input
        .description
        .clone()
        .unwrap_or_else(|| format!("[Copied {} from {}]", src.id, cx.region));
    let mut snap = new_snapshot(cx, &src.volume_id, src.volume_size, description);
    snap.encrypted = src.encrypted || input.encrypted == Some(true);
    snap.tags = tags_for::<Snapshot>(&tags);
    let id = snap.id.clone();
    let out = w::CopySnapshotOutput {
        snapshot_id: Some(id.clone()),
        tags: (!snap.tags.is_empty()).then(|| wire_tags(&snap.tags)),
    };
    cx.commit()?.snapshots.insert(id, snap);
    Ok(out)
}

/// OwnerIds (`self`, `amazon`, account ids) and RestorableByUserIds (`self`, account
/// ids) narrow what the account may restore (DescribeSnapshots API reference).
pub fn describe_snapshots(
    cx: &mut Cx<'_>,
    input: w::DescribeSnapshotsInput,
) -> Result<w::DescribeSnapshotsOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), SNAPSHOT_FILTERS)?;
    let ids = input.snapshot_ids.clone().unwrap_or_default();
    let view = cx.view();
    let me = view.state.account.as_str();
    let owners = input.owner_ids.clone().unwrap_or_default();
    let restorable = input.restorable_by_user_ids.clone().unwrap_or_default();
    let owned = |s: &Snapshot, o: &str| match o {
        "self" => s.owner_id == me,
        "amazon" => s.owner_alias.as_deref() == Some("amazon"),
        id => s.owner_id == id,
    };
    let for_user = |s: &Snapshot, u: &str| s.restorable_by(if u == "self" { me } else { u });
    let (snaps, next_token) = view.describe(&input, &ids, |s: &Snapshot| {
        (owners.is_empty() || owners.iter().any(|o| owned(s, o)))
            && (restorable.is_empty() || restorable.iter().any(|u| for_user(s, u)))
            && filters.matches(s, &view)
    })?;
    Ok(w::DescribeSnapshotsOutput {
        next_token,
        snapshots: Some(
            snaps
                .into_iter()
                .map(|s| snapshot_to_wire(&view, s))
                .collect(),
        ),
    })
}

/// Only the owner deletes; a snapshot an image uses is InvalidSnapshot.InUse.
pub fn delete_snapshot(
    cx: &mut Cx<'_>,
    input: w::DeleteSnapshotInput,
) -> Result<w::DeleteSnapshotOutput, Ec2Error> {
    let view = cx.view();
    let snap: &Snapshot = view.get(&input.snapshot_id)?;
    let removed = view.deletable::<Snapshot>(&snap.id)?;
    if snap.owner_id != view.state.account {
        return Err(not_owner(&snap.id));
    }
    cx.commit()?.remove_all(&removed);
    Ok(w::DeleteSnapshotOutput {})
}

/// Unverified wording: EC2's refusal to change another account's resource.
fn not_owner(id: &str) -> Ec2Error {
    Ec2Error::new(
        "UnauthorizedOperation",
        format!("You are not authorized to perform this operation on {id}."),
    )
}

fn attribute_name(name: &str) -> Result<&'static str, Ec2Error> {
    match name {
        "createVolumePermission" => Ok("createVolumePermission"),
        "productCodes" => Ok("productCodes"),
        other => Err(Ec2Error::invalid_value(
            "attribute",
            other,
            "Valid values: createVolumePermission, productCodes.",
        )),
    }
}

pub fn describe_snapshot_attribute(
    cx: &mut Cx<'_>,
    input: w::DescribeSnapshotAttributeInput,
) -> Result<w::DescribeSnapshotAttributeOutput, Ec2Error> {
    let view = cx.view();
    let snap: &Snapshot = view.get(&input.snapshot_id)?;
    let attribute = attribute_name(input.attribute.as_str())?;
    let mut out = w::DescribeSnapshotAttributeOutput {
        snapshot_id: Some(snap.id.clone()),
        ..Default::default()
    };
    if attribute == "productCodes" {
        out.product_codes = Some(vec![]);
    } else {
        let group = snap.public.then(|| w::CreateVolumePermission {
            group: Some(w::PermissionGroup::from("all")),
            user_id: None,
        });
        let users = snap.shared_with.iter().map(|u| w::CreateVolumePermission {
            group: None,
            user_id: Some(u.clone()),
        });
        out.create_volume_permissions = Some(group.into_iter().chain(users).collect());
    }
    Ok(out)
}

/// Either `CreateVolumePermission.Add/Remove` or `Attribute=createVolumePermission` with
/// `OperationType` and `UserId.N` / `UserGroup.N` (`all`), as the API reference gives
/// both forms. Only the owner may share (EBS User Guide, "Share a snapshot").
pub fn modify_snapshot_attribute(
    cx: &mut Cx<'_>,
    input: w::ModifySnapshotAttributeInput,
) -> Result<w::ModifySnapshotAttributeOutput, Ec2Error> {
    let view = cx.view();
    let snap: &Snapshot = view.get(&input.snapshot_id)?;
    if let Some(a) = &input.attribute {
        if attribute_name(a.as_str())? != "createVolumePermission" {
            return Err(Ec2Error::invalid_parameter_value(
                "The attribute productCodes cannot be modified.",
            ));
        }
    }
    let mut add: Vec<w::CreateVolumePermission> = Vec::new();
    let mut remove: Vec<w::CreateVolumePermission> = Vec::new();
    if let Some(m) = &input.create_volume_permission {
        add.extend(m.add.clone().unwrap_or_default());
        remove.extend(m.remove.clone().unwrap_or_default());
    }
    let listed: Vec<w::CreateVolumePermission> = input
        .user_ids
        .iter()
        .flatten()
        .map(|u| w::CreateVolumePermission {
            user_id: Some(u.clone()),
            group: None,
        })
        .chain(
            input
                .group_names
                .iter()
                .flatten()
                .map(|g| w::CreateVolumePermission {
                    group: Some(w::PermissionGroup::from(g.as_str())),
                    user_id: None,
                }),
        )
        .collect();
    if !listed.is_empty() {
        match input.operation_type.as_ref().map(|o| o.as_str()) {
            Some("add") => add.extend(listed),
            Some("remove") => remove.extend(listed),
            _ => return Err(Ec2Error::missing_parameter("operationType")),
        }
    }
    if add.is_empty() && remove.is_empty() {
        return Err(Ec2Error::missing_parameter("createVolumePermission"));
    }
    for p in add.iter().chain(&remove) {
        if let Some(g) = &p.group {
            if g.as_str() != "all" {
                return Err(Ec2Error::invalid_value(
                    "group",
                    g.as_str(),
                    "Valid values: all.",
                ));
            }
        }
        if let Some(u) = &p.user_id {
            if !crate::auth::is_account_id(u) {
                // Unverified wording; EC2 refuses ids that are not 12-digit accounts.
                return Err(Ec2Error::new(
                    "InvalidUserID.Malformed",
                    format!("User ID '{u}' is invalid"),
                ));
            }
        }
    }
    if snap.owner_id != view.state.account {
        return Err(not_owner(&snap.id));
    }
    let id = snap.id.clone();
    let state = cx.commit()?;
    let snap = state.snapshots.get_mut(&id).expect("checked above");
    for p in &add {
        if p.group.is_some() {
            snap.public = true;
        } else if let Some(u) = &p.user_id {
            if !snap.shared_with.contains(u) {
                snap.shared_with.push(u.clone());
            }
        }
    }
    for p in &remove {
        if p.group.is_some() {
            snap.public = false;
        } else if let Some(u) = &p.user_id {
            snap.shared_with.retain(|s| s != u);
        }
    }
    Ok(w::ModifySnapshotAttributeOutput {})
}

fn snapshot_to_wire(view: &View<'_>, s: &Snapshot) -> w::Snapshot {
    w::Snapshot {
        snapshot_id: Some(s.id.clone()),
        volume_id: Some(s.volume_id.clone()),
        state: Some(w::SnapshotState::from(s.state(view.now))),
        start_time: Some(s.start_time),
        progress: Some(s.progress(view.now)),
        owner_id: Some(s.owner_id.clone()),
        owner_alias: s.owner_alias.clone(),
        description: Some(s.description.clone()),
        volume_size: Some(s.volume_size),
        encrypted: Some(s.encrypted),
        storage_tier: Some(w::StorageTier::from("standard")),
        tags: (!s.tags.is_empty()).then(|| wire_tags(&s.tags)),
        ..Default::default()
    }
}
