//! The resource layer, tested on a region built in the test and handlers called directly
//! (no HTTP): kinds declared once, visibility applied by every operation, tags routed by
//! id, deletes refused or cascaded from the declared references and owners.

use crate::local::Region;
use parlel_ec2::generated::service::Ec2;
use parlel_ec2::generated::types as w;
use parlel_ec2::store::{new_id, Kind, Tags, Volume};

/// EC2 User Guide, "Terminate Amazon EC2 instances": a terminated instance stays visible
/// for about an hour, then it is gone. Gone means gone for every operation: before the
/// resource layer, DescribeTags kept listing its tags and CreateTags kept tagging it.
#[test]
fn an_instance_past_its_retention_is_gone_for_tags_too() {
    let mut r = Region::new();
    let id = r.run_tagged("team");
    r.call(|h, cx| {
        h.terminate_instances(
            cx,
            w::TerminateInstancesInput {
                instance_ids: vec![id.clone()],
                ..Default::default()
            },
        )
    })
    .unwrap();
    r.later(30);
    assert_eq!(
        r.tag_keys(&id),
        ["team"],
        "still visible within the retention"
    );
    r.create_tag(&id).expect("taggable within the retention");

    r.later(60);
    let err = r
        .call(|h, cx| {
            h.describe_instances(
                cx,
                w::DescribeInstancesInput {
                    instance_ids: Some(vec![id.clone()]),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(err.code, "InvalidInstanceID.NotFound");
    assert!(r.tag_keys(&id).is_empty(), "DescribeTags by id");
    let everything = r
        .call(|h, cx| h.describe_tags(cx, w::DescribeTagsInput::default()))
        .unwrap()
        .tags
        .unwrap_or_default();
    assert!(
        everything
            .iter()
            .all(|t| t.resource_id.as_deref() != Some(&id)),
        "DescribeTags of everything"
    );
    let err = r.create_tag(&id).unwrap_err();
    assert_eq!(
        (err.code.as_ref(), err.message.as_str()),
        (
            "InvalidInstanceID.NotFound",
            format!("The instance ID '{id}' does not exist").as_str()
        )
    );
}

/// Every kind has its own prefix, and its TagSpecifications resource type is one the
/// model's `ResourceType` enum knows.
#[test]
fn every_kind_is_declared_once_with_model_resource_types() {
    for (i, k) in Kind::ALL.iter().enumerate() {
        assert!(
            w::ResourceType::from(k.resource_type()).is_known(),
            "{k:?}: {}",
            k.resource_type()
        );
        assert_eq!(Kind::of(&new_id(k.prefix())), Some(*k));
        for other in &Kind::ALL[i + 1..] {
            assert_ne!(k.prefix(), other.prefix());
        }
        let err = k.check(&format!("{}XYZ", k.prefix())).unwrap_err();
        assert!(err.code.ends_with(".Malformed"), "{k:?}: {}", err.code);
    }
}

/// DeleteVpc: DependencyViolation while a subnet is in it; once empty, the VPC goes with
/// its default security group and that group's rules (EC2 API reference, DeleteVpc: "you
/// must … delete or detach all security groups … except the default").
#[test]
fn deleting_a_vpc_follows_references_and_takes_what_it_owns() {
    let mut r = Region::new();
    let vpc = r
        .call(|h, cx| {
            h.create_vpc(
                cx,
                w::CreateVpcInput {
                    cidr_block: Some("10.0.0.0/16".into()),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .vpc
        .unwrap()
        .vpc_id
        .unwrap();
    let subnet = r
        .call(|h, cx| {
            h.create_subnet(
                cx,
                w::CreateSubnetInput {
                    vpc_id: vpc.clone(),
                    cidr_block: Some("10.0.1.0/24".into()),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .subnet
        .unwrap()
        .subnet_id
        .unwrap();
    let delete_vpc = |r: &mut Region| {
        r.call(|h, cx| {
            h.delete_vpc(
                cx,
                w::DeleteVpcInput {
                    vpc_id: vpc.clone(),
                    dry_run: None,
                },
            )
        })
    };
    let err = delete_vpc(&mut r).unwrap_err();
    assert_eq!(
        (err.code.as_ref(), err.message.as_str()),
        (
            "DependencyViolation",
            format!("The vpc '{vpc}' has dependencies and cannot be deleted.").as_str()
        )
    );
    r.call(|h, cx| {
        h.delete_subnet(
            cx,
            w::DeleteSubnetInput {
                subnet_id: subnet,
                dry_run: None,
            },
        )
    })
    .unwrap();
    let default_group = r
        .state
        .security_groups
        .values()
        .find(|g| g.vpc_id == vpc)
        .map(|g| g.id.clone())
        .expect("the VPC's default group");
    delete_vpc(&mut r).unwrap();
    assert!(!r.state.vpcs.contains_key(&vpc));
    assert!(!r.state.security_groups.contains_key(&default_group));
    assert!(
        r.state
            .security_group_rules
            .values()
            .all(|rule| rule.group_id != default_group),
        "the default group's rules went with it"
    );
}

/// A group named by another group's rule is in use (kops#6454); once that rule is
/// revoked it can be deleted, and its own rules go with it.
#[test]
fn a_group_named_by_another_groups_rule_is_in_use() {
    let mut r = Region::new();
    let group = |r: &mut Region, name: &str| {
        r.call(|h, cx| {
            h.create_security_group(
                cx,
                w::CreateSecurityGroupInput {
                    group_name: name.into(),
                    description: "d".into(),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .group_id
        .unwrap()
    };
    let (db, web) = (group(&mut r, "db"), group(&mut r, "web"));
    let from_web = w::IpPermission {
        ip_protocol: Some("tcp".into()),
        from_port: Some(5432),
        to_port: Some(5432),
        user_id_group_pairs: Some(vec![w::UserIdGroupPair {
            group_id: Some(web.clone()),
            ..Default::default()
        }]),
        ..Default::default()
    };
    r.call(|h, cx| {
        h.authorize_security_group_ingress(
            cx,
            w::AuthorizeSecurityGroupIngressInput {
                group_id: Some(db.clone()),
                ip_permissions: Some(vec![from_web.clone()]),
                ..Default::default()
            },
        )
    })
    .unwrap();
    let delete_web = |r: &mut Region| {
        r.call(|h, cx| {
            h.delete_security_group(
                cx,
                w::DeleteSecurityGroupInput {
                    group_id: Some(web.clone()),
                    ..Default::default()
                },
            )
        })
    };
    let err = delete_web(&mut r).unwrap_err();
    assert_eq!(
        (err.code.as_ref(), err.message.as_str()),
        (
            "DependencyViolation",
            format!("resource {web} has a dependent object").as_str()
        )
    );
    r.call(|h, cx| {
        h.revoke_security_group_ingress(
            cx,
            w::RevokeSecurityGroupIngressInput {
                group_id: Some(db.clone()),
                ip_permissions: Some(vec![from_web]),
                ..Default::default()
            },
        )
    })
    .unwrap();
    delete_web(&mut r).unwrap();
    assert!(r
        .state
        .security_group_rules
        .values()
        .all(|rule| rule.group_id != web));
    let db_rules = &r.state.security_groups[&db].rule_ids;
    assert_eq!(db_rules.len(), 1, "db keeps its default egress rule only");
}

/// Volumes (and interfaces) may exist unattached: the layer tags, lists and routes them
/// like any other resource.
#[test]
fn an_unattached_volume_is_a_resource_like_any_other() {
    let mut r = Region::new();
    let id = new_id("vol");
    r.state.volumes.insert(
        id.clone(),
        Volume {
            id: id.clone(),
            az: "us-east-1a".into(),
            size_gib: 8,
            volume_type: "gp3".into(),
            snapshot_id: None,
            create_time: r.now,
            ready_at: r.now,
            iops: None,
            throughput: None,
            encrypted: false,
            auto_enable_io: false,
            modification: None,
            attachment: None,
            tags: Tags::new(),
        },
    );
    r.create_tag(&id).unwrap();
    assert_eq!(r.tag_keys(&id), ["late"]);
    let missing = new_id("vol");
    let err = r.create_tag(&missing).unwrap_err();
    assert_eq!(
        (err.code.as_ref(), err.message.as_str()),
        (
            "InvalidVolume.NotFound",
            format!("The volume '{missing}' does not exist").as_str()
        )
    );
}

/// Key pairs are kept by id with a name index; DeleteKeyPair by name or id keeps both true.
#[test]
fn key_pairs_are_kept_by_id_and_found_by_name() {
    let mut r = Region::new();
    let out = r
        .call(|h, cx| {
            h.create_key_pair(
                cx,
                w::CreateKeyPairInput {
                    key_name: "deploy".into(),
                    key_type: Some(w::KeyType::from("ed25519")),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    let id = out.key_pair_id.unwrap();
    assert_eq!(r.state.key_pair_by_name("deploy").map(|k| &k.id), Some(&id));
    let deleted = r
        .call(|h, cx| {
            h.delete_key_pair(
                cx,
                w::DeleteKeyPairInput {
                    key_pair_id: Some(id.clone()),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    assert_eq!(deleted.key_pair_id, Some(id.clone()));
    assert!(r.state.key_pairs.is_empty() && r.state.key_names.is_empty());
}
