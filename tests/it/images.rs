//! Issue #11 at handler level and over HTTP: the catalog loader (good, minimal and bad
//! files), the image lifecycle rules, resolve:ssm, and `POST /_parlel/images`.

use crate::local::{Region, ACCOUNT};
use crate::support::Server;
use parlel_ec2::generated::service::Ec2;
use parlel_ec2::generated::types as w;
use parlel_ec2::image_catalog::{parse, ImageCatalog};
use parlel_ec2::store::RegionState;

const AMI: &str = "ami-0abcdef1234567890";

fn err(text: &str) -> String {
    parse(text, "mine.json").unwrap_err()
}

/// A user catalog may be as small as an id; the rest is the README's defaults.
#[test]
fn a_minimal_entry_is_completed_with_the_documented_defaults() {
    let c = parse(r#"{"Images":[{"ImageId":"ami-12345678"}]}"#, "mine.json").unwrap();
    let i = &c[0].image;
    assert_eq!(i.name, "ami-12345678");
    assert_eq!(&*i.architecture, "x86_64");
    assert_eq!(&*i.root_device_name, "/dev/xvda");
    assert_eq!((i.root_volume_size, i.volume_type.as_str()), (8, "gp3"));
    assert_eq!(&*i.platform_details, "Linux/UNIX");
    assert_eq!(i.owner_id, ACCOUNT);
    assert!(i.is_public && i.catalog);
    assert!(i.snapshot_id.starts_with("snap-"));
    // The same id gets the same snapshot on every start.
    let again = parse(r#"{"Images":[{"ImageId":"ami-12345678"}]}"#, "x").unwrap();
    assert_eq!(again[0].image.snapshot_id, i.snapshot_id);
    let win = parse(
        r#"{"Images":[{"ImageId":"ami-87654321","Name":"w","Platform":"windows","Regions":["eu-west-1"]}]}"#,
        "w.json",
    )
    .unwrap();
    assert_eq!(&*win[0].image.usage_operation, "RunInstances:0002");
    assert_eq!(win[0].image.root_volume_size, 30);
    assert_eq!(
        win[0].regions.as_deref(),
        Some(&["eu-west-1".to_string()][..])
    );
}

/// Every kind of bad file names the file, the entry and the member.
#[test]
fn bad_catalogs_name_file_entry_and_member() {
    assert!(err("{not json").starts_with("mine.json: not JSON"));
    assert!(err(r#"{"images":[]}"#).contains("expected {\"Images\": [...]}"));
    assert!(err(r#"{"Images":[7]}"#).contains("entry 0: not an object"));
    let e = err(r#"{"Images":[{"ImageId":"ami-12345678"},{"ImageId":"image-1"}]}"#);
    assert!(e.starts_with("mine.json: entry 1: ImageId:"), "{e}");
    let e = err(r#"{"Images":[{"Name":"x"}]}"#);
    assert_eq!(e, "mine.json: entry 0: ImageId: missing");
    let e = err(r#"{"Images":[{"ImageId":"ami-12345678","Architecture":"sparc"}]}"#);
    assert!(
        e.starts_with("mine.json: entry 0: Architecture: unknown value sparc"),
        "{e}"
    );
    let e = err(r#"{"Images":[{"ImageId":"ami-12345678","BlockDeviceMappings":"none"}]}"#);
    assert!(
        e.starts_with("mine.json: entry 0: BlockDeviceMappings:"),
        "{e}"
    );
    let e = err(r#"{"Images":[{"ImageId":"ami-12345678"},{"ImageId":"ami-12345678"}]}"#);
    assert!(
        e.contains("entry 1: ImageId: ami-12345678 is listed twice"),
        "{e}"
    );
    let e = err(r#"{"Images":[{"ImageId":"ami-12345678","DeprecationTime":"soon"}]}"#);
    assert!(e.contains("entry 0: DeprecationTime:"), "{e}");
    let e = err(r#"{"Images":[{"ImageId":"ami-12345678","Regions":"us-east-1"}]}"#);
    assert!(e.contains("entry 0: Regions:"), "{e}");
    // An id the seed already has is a duplicate across files.
    let dup = parse(
        &format!(r#"{{"Images":[{{"ImageId":"{AMI}"}}]}}"#),
        "dup.json",
    )
    .unwrap();
    let e = ImageCatalog::seed().with(dup, "dup.json").unwrap_err();
    assert!(e.starts_with("dup.json: entry 0: ImageId:"), "{e}");
}

/// The seed file holds the families the README lists, each with a public snapshot.
#[test]
fn the_seed_catalog_is_the_readme_start_state() {
    let seed = ImageCatalog::seed();
    let names: Vec<&str> = seed.images.iter().map(|c| c.image.name.as_str()).collect();
    for family in [
        "al2023-ami-2023",
        "al2023-ami-minimal",
        "amzn2-ami",
        "ubuntu-noble-24.04-amd64",
        "ubuntu-noble-24.04-arm64",
        "ubuntu-jammy-22.04-amd64",
        "ubuntu-jammy-22.04-arm64",
        "debian-12-amd64",
        "debian-12-arm64",
        "RHEL-9",
        "suse-sles-15",
        "Windows_Server-2019",
        "Windows_Server-2022",
        "Windows_Server-2025",
    ] {
        assert!(names.iter().any(|n| n.contains(family)), "{family}");
    }
    let s = RegionState::new(ACCOUNT, "us-east-1");
    for c in &seed.images {
        let snap = &s.snapshots[&c.image.snapshot_id];
        assert!(snap.public && snap.owner_id == c.image.owner_id);
        // Taken when the image was made, not at the epoch.
        let taken = snap
            .start_time
            .format(parlel_ec2::clock::TimestampFormat::DateTime);
        assert_eq!(taken, c.image.creation_date, "{}", c.image.id);
    }
}

fn register(r: &mut Region, name: &str, snapshot: &str) -> Result<String, parlel_ec2::Ec2Error> {
    let input = w::RegisterImageInput {
        name: name.into(),
        root_device_name: Some("/dev/xvda".into()),
        architecture: Some("x86_64".into()),
        virtualization_type: Some("hvm".into()),
        block_device_mappings: Some(vec![w::BlockDeviceMapping {
            device_name: Some("/dev/xvda".into()),
            ebs: Some(w::EbsBlockDevice {
                snapshot_id: Some(snapshot.into()),
                ..Default::default()
            }),
            ..Default::default()
        }]),
        ..Default::default()
    };
    r.call(|h, cx| h.register_image(cx, input))
        .map(|o| o.image_id.unwrap())
}

fn image<'a>(r: &'a Region, id: &str) -> &'a parlel_ec2::store::Image {
    &r.state.images[id]
}

/// RegisterImage: EC2's name rules (AWS-raw wording), unique per account and Region,
/// the root snapshot must exist; pending for one transition, then available; the
/// defaults the API reference gives (i386, paravirtual) when the request says nothing.
#[test]
fn register_image_rules() {
    let mut r = Region::new();
    r.config.transition = std::time::Duration::from_secs(2);
    let snap = r.state.images[AMI].snapshot_id.clone();
    let id = register(&mut r, "my-image (v1)", &snap).unwrap();
    assert_eq!(image(&r, &id).state(r.now), "pending");
    r.later(2);
    assert_eq!(image(&r, &id).state(r.now), "available");
    let dup = register(&mut r, "my-image (v1)", &snap).unwrap_err();
    assert_eq!(dup.code, "InvalidAMIName.Duplicate");
    assert_eq!(
        dup.message,
        format!("AMI name my-image (v1) is already in use by AMI {id}")
    );
    for bad in ["ab", "semi;colon", &"n".repeat(129)] {
        assert_eq!(
            register(&mut r, bad, &snap).unwrap_err().code,
            "InvalidAMIName.Malformed"
        );
    }
    let missing = register(&mut r, "other", "snap-0123456789abcdef0").unwrap_err();
    assert_eq!(missing.code, "InvalidSnapshot.NotFound");
    // A catalog image's name is not the account's: registering it again is allowed.
    let catalog_name = r.state.images[AMI].name.clone();
    register(&mut r, &catalog_name, &snap).unwrap();
    let bare = r
        .call(|h, cx| {
            h.register_image(
                cx,
                w::RegisterImageInput {
                    name: "bare".into(),
                    root_device_name: Some("/dev/sda1".into()),
                    block_device_mappings: Some(vec![w::BlockDeviceMapping {
                        device_name: Some("/dev/sda1".into()),
                        ebs: Some(w::EbsBlockDevice {
                            snapshot_id: Some(snap.clone()),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }]),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .image_id
        .unwrap();
    let bare = image(&r, &bare);
    assert_eq!(
        (&*bare.architecture, bare.virtualization_type.as_str()),
        ("i386", "paravirtual")
    );
}

fn launch(r: &mut Region, image: &str) -> Result<String, parlel_ec2::Ec2Error> {
    let input = w::RunInstancesInput {
        image_id: Some(image.into()),
        instance_type: Some("t3.micro".into()),
        min_count: 1,
        max_count: 1,
        ..Default::default()
    };
    r.call(|h, cx| h.run_instances(cx, input))
        .map(|o| o.instances.unwrap()[0].instance_id.clone().unwrap())
}

/// CreateImage snapshots every attached volume, carries the
/// instance's image facts and mapping; a pending image cannot launch (AWS-raw wording),
/// an available one can; DeregisterImage with DeleteAssociatedSnapshots reports each.
#[test]
fn create_image_launch_and_deregister() {
    let mut r = Region::new();
    r.config.transition = std::time::Duration::from_secs(1);
    let i = launch(&mut r, AMI).unwrap();
    r.later(1);
    let input = w::CreateImageInput {
        instance_id: i.clone(),
        name: "from-instance".into(),
        tag_specifications: Some(vec![w::TagSpecification {
            resource_type: Some("snapshot".into()),
            tags: Some(vec![crate::local::tag("k", "v")]),
        }]),
        ..Default::default()
    };
    let id = r
        .call(|h, cx| h.create_image(cx, input))
        .unwrap()
        .image_id
        .unwrap();
    let img = image(&r, &id).clone();
    assert_eq!(img.source_instance_id.as_deref(), Some(i.as_str()));
    assert_eq!(&*img.platform_details, "Linux/UNIX");
    let snap = &r.state.snapshots[&img.snapshot_id];
    assert_eq!(snap.owner_id, ACCOUNT);
    assert_eq!(
        snap.description,
        format!("Created by CreateImage({i}) for {id}")
    );
    assert_eq!(snap.tags.get("k").map(String::as_str), Some("v"));
    let pending = launch(&mut r, &id).unwrap_err();
    assert_eq!(pending.code, "InvalidAMIID.Unavailable");
    assert_eq!(
        pending.message,
        format!("The AMI ID '{id}' is currently pending and may not be used for this operation")
    );
    r.later(1);
    let again = launch(&mut r, &id).unwrap();
    // The image's root snapshot restores the new instance's root volume.
    let root = &r.state.instances[&again].volume_ids[0];
    assert_eq!(
        r.state.volumes[root].snapshot_id.as_deref(),
        Some(img.snapshot_id.as_str())
    );
    // A snapshot an image uses cannot be deleted (InvalidSnapshot.InUse).
    let in_use = r
        .call(|h, cx| {
            h.delete_snapshot(
                cx,
                w::DeleteSnapshotInput {
                    snapshot_id: img.snapshot_id.clone(),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(in_use.code, "InvalidSnapshot.InUse");
    let out = r
        .call(|h, cx| {
            h.deregister_image(
                cx,
                w::DeregisterImageInput {
                    image_id: id.clone(),
                    delete_associated_snapshots: Some(true),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    let results = out.delete_snapshot_results.unwrap();
    assert_eq!(results[0].return_code.as_ref().unwrap().as_str(), "success");
    assert!(!r.state.snapshots.contains_key(&img.snapshot_id));
    assert_eq!(
        launch(&mut r, &id).unwrap_err().code,
        "InvalidAMIID.NotFound"
    );
    // The catalog's images are not the account's to deregister.
    let denied = r
        .call(|h, cx| {
            h.deregister_image(
                cx,
                w::DeregisterImageInput {
                    image_id: AMI.into(),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(denied.code, "AuthFailure");
}

/// CopyImage makes new snapshots (encrypted when asked), sets SourceImageId/Region and
/// copies tags on request; another Region is refused as not emulated.
#[test]
fn copy_image_within_the_region() {
    let mut r = Region::new();
    let input = |region: &str| w::CopyImageInput {
        name: "copy".into(),
        source_image_id: AMI.into(),
        source_region: region.into(),
        encrypted: Some(true),
        client_token: Some("tok".into()),
        ..Default::default()
    };
    let a = input("us-east-1");
    let id = r
        .call(|h, cx| h.copy_image(cx, a))
        .unwrap()
        .image_id
        .unwrap();
    let b = input("us-east-1");
    assert_eq!(
        r.call(|h, cx| h.copy_image(cx, b))
            .unwrap()
            .image_id
            .unwrap(),
        id,
        "ClientToken"
    );
    let copy = image(&r, &id);
    assert_eq!(
        copy.source_image,
        Some((AMI.to_string(), "us-east-1".to_string()))
    );
    assert_ne!(copy.snapshot_id, r.state.images[AMI].snapshot_id);
    assert!(copy.root_encrypted && r.state.snapshots[&copy.snapshot_id].encrypted);
    assert_eq!(copy.owner_id, ACCOUNT);
    assert!(!copy.is_public && !copy.catalog);
    // A seed catalog image is in every Region: copying it from another works.
    let mut other = input("eu-west-1");
    other.client_token = None;
    other.name = "copy-from-eu".into();
    r.call(|h, cx| h.copy_image(cx, other)).unwrap();
    // SourceRegion must be a Region.
    let mut nowhere = input("xx-nowhere-9");
    nowhere.client_token = None;
    nowhere.name = "copy-from-nowhere".into();
    let e = r.call(|h, cx| h.copy_image(cx, nowhere)).unwrap_err();
    assert_eq!(
        (e.code.as_ref(), e.message.as_ref()),
        ("InvalidParameterValue", "Invalid region: xx-nowhere-9")
    );
}

/// A catalog entry that names its Regions is copied from those Regions only: CopyImage
/// reads the source in SourceRegion, as EC2 does, not in the destination.
#[test]
fn a_region_limited_catalog_image_is_copied_from_its_region() {
    let s = Server::start();
    let body = br#"{"Images":[{"ImageId":"ami-0fedcba9876543210","Name":"team-arm","Architecture":"arm64","Regions":["eu-west-1"]}]}"#;
    assert_eq!(s.raw("POST", "/_parlel/images", &[], body).status, 200);
    let copy = |to: &str, from: &str, name: &str| {
        s.call_as(
            ACCOUNT,
            to,
            "CopyImage",
            &[
                ("SourceImageId", "ami-0fedcba9876543210"),
                ("SourceRegion", from),
                ("Name", name),
            ],
        )
    };
    let id = copy("us-east-1", "eu-west-1", "from-eu")
        .ok()
        .first("imageId")
        .unwrap();
    let seen = s
        .call_as(
            ACCOUNT,
            "us-east-1",
            "DescribeImages",
            &[("ImageId.1", &id)],
        )
        .ok();
    assert_eq!(
        (seen.first("sourceImageId"), seen.first("sourceImageRegion")),
        (
            Some("ami-0fedcba9876543210".to_string()),
            Some("eu-west-1".to_string())
        )
    );
    let (status, code, _) = copy("eu-west-1", "us-east-1", "from-us").error();
    assert_eq!((status, code.as_str()), (400, "InvalidAMIID.NotFound"));
}

/// AMI names of the wrong length are malformed names, not a generic parameter error:
/// EC2 answers InvalidAMIName.Malformed for every rule of the name (the model's length
/// trait is checked by the handler, see codegen `EC2_CHECKS_LENGTH`).
#[test]
fn an_ami_name_too_short_or_long_is_invalid_ami_name_malformed() {
    let s = Server::start();
    let i = s
        .call(
            "RunInstances",
            &[
                ("ImageId", AMI),
                ("InstanceType", "t3.micro"),
                ("MinCount", "1"),
                ("MaxCount", "1"),
            ],
        )
        .ok()
        .first("instanceId")
        .unwrap();
    let long = "n".repeat(129);
    for name in ["ab", long.as_str()] {
        let calls: [(&str, Vec<(&str, &str)>); 3] = [
            (
                "RegisterImage",
                vec![("Name", name), ("RootDeviceName", "/dev/xvda")],
            ),
            ("CreateImage", vec![("Name", name), ("InstanceId", &i)]),
            (
                "CopyImage",
                vec![
                    ("Name", name),
                    ("SourceImageId", AMI),
                    ("SourceRegion", "us-east-1"),
                ],
            ),
        ];
        for (action, params) in calls {
            let (status, code, _) = s.call(action, &params).error();
            assert_eq!(
                (status, code.as_str()),
                (400, "InvalidAMIName.Malformed"),
                "{action} {}",
                name.len()
            );
        }
    }
    let (status, code, _) = s
        .call(
            "CreateLaunchTemplate",
            &[
                ("LaunchTemplateName", "ab"),
                ("LaunchTemplateData.InstanceType", "t3.micro"),
            ],
        )
        .error();
    assert_eq!(
        (status, code.as_str()),
        (400, "InvalidLaunchTemplateName.MalformedException")
    );
}

/// ModifyImageAttribute: launch permissions in both forms (account ids; group `all`
/// makes the image public), bad items refused; description; imdsSupport only `v2.0`;
/// ResetImageAttribute clears the permissions; deprecation rounds up to the minute.
#[test]
fn image_attributes() {
    let mut r = Region::new();
    let snap = r.state.images[AMI].snapshot_id.clone();
    let id = register(&mut r, "shared", &snap).unwrap();
    let modify = |r: &mut Region, input: w::ModifyImageAttributeInput| {
        r.call(|h, cx| h.modify_image_attribute(cx, input))
    };
    modify(
        &mut r,
        w::ModifyImageAttributeInput {
            image_id: id.clone(),
            launch_permission: Some(w::LaunchPermissionModifications {
                add: Some(vec![
                    w::LaunchPermission {
                        user_id: Some("111122223333".into()),
                        ..Default::default()
                    },
                    w::LaunchPermission {
                        group: Some(w::PermissionGroup::All),
                        ..Default::default()
                    },
                ]),
                remove: None,
            }),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(image(&r, &id).is_public);
    assert_eq!(image(&r, &id).launch_users, ["111122223333"]);
    modify(
        &mut r,
        w::ModifyImageAttributeInput {
            image_id: id.clone(),
            attribute: Some("launchPermission".into()),
            operation_type: Some(w::OperationType::Remove),
            user_groups: Some(vec!["all".into()]),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!image(&r, &id).is_public);
    let bad = modify(
        &mut r,
        w::ModifyImageAttributeInput {
            image_id: id.clone(),
            attribute: Some("launchPermission".into()),
            operation_type: Some(w::OperationType::Add),
            user_ids: Some(vec!["12345".into()]),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(bad.code, "InvalidAMIAttributeItemValue");
    modify(
        &mut r,
        w::ModifyImageAttributeInput {
            image_id: id.clone(),
            description: Some(w::AttributeValue {
                value: Some("new words".into()),
            }),
            imds_support: Some(w::AttributeValue {
                value: Some("v2.0".into()),
            }),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(image(&r, &id).description, "new words");
    assert_eq!(image(&r, &id).imds_support.as_deref(), Some("v2.0"));
    let reset = w::ResetImageAttributeInput {
        image_id: id.clone(),
        attribute: w::ResetImageAttributeName::Launchpermission,
        ..Default::default()
    };
    r.call(|h, cx| h.reset_image_attribute(cx, reset)).unwrap();
    assert!(image(&r, &id).launch_users.is_empty());
    let at = parlel_ec2::clock::Timestamp(r.now.0 + 3_600_000 + 1_500);
    let dep = w::EnableImageDeprecationInput {
        image_id: id.clone(),
        deprecate_at: at,
        ..Default::default()
    };
    r.call(|h, cx| h.enable_image_deprecation(cx, dep)).unwrap();
    let t = image(&r, &id).deprecation_time.clone().unwrap();
    assert!(t.ends_with(":00.000Z"), "rounded up to the minute: {t}");
    let past = w::EnableImageDeprecationInput {
        image_id: id.clone(),
        deprecate_at: parlel_ec2::clock::Timestamp(r.now.0 - 1000),
        ..Default::default()
    };
    assert!(r
        .call(|h, cx| h.enable_image_deprecation(cx, past))
        .is_err());
    // Disabled: not launchable, not public; enabled again: available.
    let d = w::DisableImageInput {
        image_id: id.clone(),
        ..Default::default()
    };
    r.call(|h, cx| h.disable_image(cx, d)).unwrap();
    assert_eq!(
        launch(&mut r, &id).unwrap_err().code,
        "InvalidAMIID.Unavailable"
    );
    let e = w::EnableImageInput {
        image_id: id.clone(),
        ..Default::default()
    };
    r.call(|h, cx| h.enable_image(cx, e)).unwrap();
    assert_eq!(image(&r, &id).state(r.now), "available");
}

/// `resolve:ssm:` names the newest catalog image of the public parameter; an unknown
/// parameter is refused.
#[test]
fn resolve_ssm_picks_the_parameters_image() {
    let mut r = Region::new();
    let id = launch(
        &mut r,
        "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    )
    .unwrap();
    assert_eq!(&*r.state.instances[&id].image_id, AMI);
    let arm = w::RunInstancesInput {
        image_id: Some("resolve:ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id".into()),
        instance_type: Some("t4g.micro".into()),
        min_count: 1,
        max_count: 1,
        ..Default::default()
    };
    let out = r.call(|h, cx| h.run_instances(cx, arm)).unwrap();
    assert_eq!(
        out.instances.unwrap()[0].image_id.as_deref(),
        Some("ami-09157da14e0404a8f")
    );
    let unknown = launch(&mut r, "resolve:ssm:/my/own/parameter").unwrap_err();
    assert_eq!(unknown.code, "InvalidParameterValue");
}

/// `POST /_parlel/images` adds images to every account, all or none; reset keeps them.
#[test]
fn images_added_at_run_time_survive_reset() {
    let s = Server::start();
    let body = br#"{"Images":[{"ImageId":"ami-00000000000000001","Name":"team-base","Architecture":"arm64"}]}"#;
    let r = s.raw("POST", "/_parlel/images", &[], body);
    assert_eq!((r.status, r.body.as_str()), (200, "{\"added\":1}"));
    let again = s.raw("POST", "/_parlel/images", &[], body);
    assert_eq!(again.status, 400);
    assert!(again.body.contains("entry 0: ImageId"), "{}", again.body);
    let bad = s.raw(
        "POST",
        "/_parlel/images",
        &[],
        br#"{"Images":[{"ImageId":"ami-00000000000000002"},{"ImageId":"nope"}]}"#,
    );
    assert_eq!(bad.status, 400);
    s.raw("POST", "/_parlel/reset", &[], b"");
    let found = s
        .call("DescribeImages", &[("ImageId.1", "ami-00000000000000001")])
        .ok();
    assert_eq!(found.first("architecture").as_deref(), Some("arm64"));
    // All or none: the file with a bad entry added nothing.
    let (status, code, _) = s
        .call("DescribeImages", &[("ImageId.1", "ami-00000000000000002")])
        .error();
    assert_eq!((status, code.as_str()), (400, "InvalidAMIID.NotFound"));
    let run = s
        .call(
            "RunInstances",
            &[
                ("ImageId", "ami-00000000000000001"),
                ("InstanceType", "t4g.micro"),
                ("MinCount", "1"),
                ("MaxCount", "1"),
            ],
        )
        .ok();
    assert!(run.first("instanceId").is_some());
}

/// A bad `--images` file stops the start with the file, entry and member named; nothing
/// listens. (The SDK suite starts the binary with a good one and launches from it.)
#[test]
fn a_bad_catalog_file_fails_the_start() {
    let dir = std::env::temp_dir().join(format!("parlel-images-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.json");
    let bad = dir.join("bad.json");
    std::fs::write(&good, r#"{"Images":[{"ImageId":"ami-0000000000000000a"}]}"#).unwrap();
    std::fs::write(
        &bad,
        r#"{"Images":[{"ImageId":"ami-0000000000000000b","Architecture":"z80"}]}"#,
    )
    .unwrap();
    let joined = std::env::join_paths([&good, &bad]).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_parlel-ec2"))
        .args(["--port", "0"])
        .env("PARLEL_EC2_IMAGES", &joined)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run parlel-ec2");
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("listening"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}: entry 0: Architecture: unknown value z80",
            bad.display()
        )),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Sharing across accounts (ModifyImageAttribute launchPermission): the account given
/// permission describes and launches the image, others get InvalidAMIID.NotFound as for
/// an image they may not see; `all` makes it public; removing the permission ends it.
/// CopyImage reads an image of another Region of the account.
#[test]
fn images_are_shared_across_accounts_and_copied_across_regions() {
    let s = Server::start();
    let (a, b, c) = ("111111111111", "222222222222", "333333333333");
    let call = |who: &str, region: &str, action: &str, p: &[(&str, &str)]| {
        s.call_as(who, region, action, p)
    };
    let i = call(
        a,
        "us-east-1",
        "RunInstances",
        &[
            ("ImageId", AMI),
            ("InstanceType", "t3.micro"),
            ("MinCount", "1"),
            ("MaxCount", "1"),
        ],
    )
    .ok()
    .first("instanceId")
    .unwrap();
    let img = call(
        a,
        "us-east-1",
        "CreateImage",
        &[("InstanceId", &i), ("Name", "golden")],
    )
    .ok()
    .first("imageId")
    .unwrap();
    let sees =
        |who: &str| call(who, "us-east-1", "DescribeImages", &[("ImageId.1", &img)]).status == 200;
    assert!(sees(a) && !sees(b) && !sees(c));
    call(
        a,
        "us-east-1",
        "ModifyImageAttribute",
        &[("ImageId", &img), ("LaunchPermission.Add.1.UserId", b)],
    )
    .ok();
    assert!(sees(b) && !sees(c));
    let listed = call(
        b,
        "us-east-1",
        "DescribeImages",
        &[("ExecutableBy.1", "self"), ("Owner.1", a)],
    )
    .ok();
    assert_eq!(listed.all("imageId"), std::slice::from_ref(&img));
    assert_eq!(listed.first("isPublic").as_deref(), Some("false"));
    let launched = call(
        b,
        "us-east-1",
        "RunInstances",
        &[
            ("ImageId", &img),
            ("InstanceType", "t3.micro"),
            ("MinCount", "1"),
            ("MaxCount", "1"),
        ],
    );
    assert_eq!(launched.status, 200, "{}", launched.body);
    let (_, code, _) = call(
        c,
        "us-east-1",
        "RunInstances",
        &[
            ("ImageId", &img),
            ("InstanceType", "t3.micro"),
            ("MinCount", "1"),
            ("MaxCount", "1"),
        ],
    )
    .error();
    assert_eq!(code, "InvalidAMIID.NotFound");
    // Only the owner changes it.
    let (status, code, _) = call(
        b,
        "us-east-1",
        "ModifyImageAttribute",
        &[("ImageId", &img), ("LaunchPermission.Add.1.Group", "all")],
    )
    .error();
    assert_eq!((status, code.as_str()), (401, "AuthFailure"));
    call(
        a,
        "us-east-1",
        "ModifyImageAttribute",
        &[("ImageId", &img), ("LaunchPermission.Add.1.Group", "all")],
    )
    .ok();
    assert!(sees(c));
    call(
        a,
        "us-east-1",
        "ResetImageAttribute",
        &[("ImageId", &img), ("Attribute", "launchPermission")],
    )
    .ok();
    assert!(!sees(b) && !sees(c));
    // CopyImage from another Region of the same account.
    let copy = call(
        a,
        "eu-west-1",
        "CopyImage",
        &[
            ("SourceImageId", &img),
            ("SourceRegion", "us-east-1"),
            ("Name", "golden-eu"),
        ],
    )
    .ok()
    .first("imageId")
    .unwrap();
    let d = call(a, "eu-west-1", "DescribeImages", &[("ImageId.1", &copy)]).ok();
    assert_eq!(d.first("sourceImageRegion").as_deref(), Some("us-east-1"));
    assert_eq!(d.first("sourceImageId").as_deref(), Some(img.as_str()));
    // Another account cannot copy a private image.
    let (_, code, _) = call(
        b,
        "eu-west-1",
        "CopyImage",
        &[
            ("SourceImageId", &img),
            ("SourceRegion", "us-east-1"),
            ("Name", "stolen"),
        ],
    )
    .error();
    assert_eq!(code, "InvalidAMIID.NotFound");
    // Deregistered, it is gone for everyone.
    call(a, "us-east-1", "DeregisterImage", &[("ImageId", &img)]).ok();
    assert!(!sees(a));
}

/// An image made from an instance with a data volume maps it; launching the image makes
/// both volumes again, and a NoDevice mapping in the launch leaves the data one out.
#[test]
fn an_images_data_volume_launches_with_it() {
    let mut r = Region::new();
    let run = |r: &mut Region, image: &str, mappings: Vec<w::BlockDeviceMapping>| {
        let input = w::RunInstancesInput {
            image_id: Some(image.into()),
            instance_type: Some("t3.micro".into()),
            min_count: 1,
            max_count: 1,
            block_device_mappings: Some(mappings),
            ..Default::default()
        };
        let id = r
            .call(|h, cx| h.run_instances(cx, input))
            .unwrap()
            .instances
            .unwrap()[0]
            .instance_id
            .clone()
            .unwrap();
        r.state.instances[&id].volume_ids.len()
    };
    let data = w::BlockDeviceMapping {
        device_name: Some("/dev/sdf".into()),
        ebs: Some(w::EbsBlockDevice {
            volume_size: Some(5),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(run(&mut r, AMI, vec![data]), 2);
    let source = r.state.instances.keys().next().unwrap().clone();
    let input = w::CreateImageInput {
        instance_id: source,
        name: "with-data".into(),
        ..Default::default()
    };
    let id = r
        .call(|h, cx| h.create_image(cx, input))
        .unwrap()
        .image_id
        .unwrap();
    assert_eq!(r.state.images[&id].other_mappings.len(), 1);
    assert_eq!(run(&mut r, &id, vec![]), 2);
    let drop = w::BlockDeviceMapping {
        device_name: Some("/dev/sdf".into()),
        no_device: Some(String::new()),
        ..Default::default()
    };
    assert_eq!(run(&mut r, &id, vec![drop]), 1);
}

/// `POST /_parlel/images` may not reuse the id of an image an account made: the catalog
/// entry would replace that account's record. Refused whole, naming the entry.
#[test]
fn a_run_time_catalog_image_cannot_take_an_accounts_image_id() {
    let s = Server::start();
    let i = s
        .call(
            "RunInstances",
            &[
                ("ImageId", AMI),
                ("InstanceType", "t3.micro"),
                ("MinCount", "1"),
                ("MaxCount", "1"),
            ],
        )
        .ok()
        .first("instanceId")
        .unwrap();
    let own = s
        .call("CreateImage", &[("InstanceId", &i), ("Name", "mine")])
        .ok()
        .first("imageId")
        .unwrap();
    let body = format!(r#"{{"Images":[{{"ImageId":"{own}","Name":"clash"}}]}}"#);
    let r = s.raw("POST", "/_parlel/images", &[], body.as_bytes());
    assert_eq!(r.status, 400);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        v["error"].as_str(),
        Some(
            format!(
                "POST /_parlel/images: entry 0: ImageId: {own} is an image an account registered"
            )
            .as_str()
        )
    );
    let name = s
        .call("DescribeImages", &[("ImageId.1", &own)])
        .ok()
        .first("name");
    assert_eq!(name.as_deref(), Some("mine"));
}
