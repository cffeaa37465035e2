//! The delete operations test suites call in teardown, with EC2's dependency rules.

use crate::support::*;

#[test]
fn delete_security_group_refuses_default_and_groups_in_use() {
    let s = Server::start();
    let default = under(
        &s.call("DescribeSecurityGroups", &[]).ok().doc(),
        "securityGroupInfo",
        "groupId",
    )
    .remove(0);
    let r = s.call("DeleteSecurityGroup", &[("GroupId", &default)]);
    // alantech/iasql#654.
    assert_error(
        &r,
        400,
        "CannotDelete",
        &format!(
            "the specified group: \"{default}\" name: \"default\" cannot be deleted by a user"
        ),
    );
    let web = s
        .call(
            "CreateSecurityGroup",
            &[("GroupName", "web"), ("GroupDescription", "w")],
        )
        .ok()
        .first("groupId")
        .unwrap();
    let id = s
        .call(
            "RunInstances",
            &[
                ("ImageId", AMI),
                ("MinCount", "1"),
                ("MaxCount", "1"),
                ("SecurityGroupId.1", &web),
            ],
        )
        .ok()
        .first("instanceId")
        .unwrap();
    assert_error(
        &s.call("DeleteSecurityGroup", &[("GroupId", &web)]),
        400,
        "DependencyViolation",
        &format!("resource {web} has a dependent object"),
    );
    s.call("TerminateInstances", &[("InstanceId.1", &id)]).ok();
    let r = s.call("DeleteSecurityGroup", &[("GroupName", "web")]).ok();
    assert_eq!(r.first("return").as_deref(), Some("true"));
    assert_eq!(r.first("groupId"), Some(web.clone()));
    assert_eq!(
        s.call("DescribeSecurityGroups", &[("GroupId.1", &web)])
            .error()
            .1,
        "InvalidGroup.NotFound"
    );
    assert_eq!(
        s.call("DeleteSecurityGroup", &[("GroupId", &web)])
            .error()
            .1,
        "InvalidGroup.NotFound"
    );
}

#[test]
fn a_group_named_by_another_groups_rule_cannot_be_deleted() {
    let s = Server::start();
    let lb = s
        .call(
            "CreateSecurityGroup",
            &[("GroupName", "lb"), ("GroupDescription", "l")],
        )
        .ok()
        .first("groupId")
        .unwrap();
    let app = s
        .call(
            "CreateSecurityGroup",
            &[("GroupName", "app"), ("GroupDescription", "a")],
        )
        .ok()
        .first("groupId")
        .unwrap();
    s.call(
        "AuthorizeSecurityGroupIngress",
        &[
            ("GroupId", &app),
            ("IpPermissions.1.IpProtocol", "tcp"),
            ("IpPermissions.1.FromPort", "80"),
            ("IpPermissions.1.ToPort", "80"),
            ("IpPermissions.1.Groups.1.GroupId", &lb),
        ],
    )
    .ok();
    assert_eq!(
        s.call("DeleteSecurityGroup", &[("GroupId", &lb)]).error().1,
        "DependencyViolation"
    );
    s.call("DeleteSecurityGroup", &[("GroupId", &app)]).ok();
    s.call("DeleteSecurityGroup", &[("GroupId", &lb)]).ok();
}

#[test]
fn subnets_and_vpcs_go_only_when_empty() {
    let s = Server::start();
    let vpc = s
        .call("CreateVpc", &[("CidrBlock", "10.0.0.0/16")])
        .ok()
        .first("vpcId")
        .unwrap();
    let sub = s
        .call(
            "CreateSubnet",
            &[("VpcId", &vpc), ("CidrBlock", "10.0.1.0/24")],
        )
        .ok()
        .first("subnetId")
        .unwrap();
    let sg = s
        .call(
            "CreateSecurityGroup",
            &[
                ("GroupName", "x"),
                ("GroupDescription", "x"),
                ("VpcId", &vpc),
            ],
        )
        .ok()
        .first("groupId")
        .unwrap();
    let id = s
        .call(
            "RunInstances",
            &[
                ("ImageId", AMI),
                ("MinCount", "1"),
                ("MaxCount", "1"),
                ("SubnetId", &sub),
            ],
        )
        .ok()
        .first("instanceId")
        .unwrap();
    assert_error(
        &s.call("DeleteSubnet", &[("SubnetId", &sub)]),
        400,
        "DependencyViolation",
        &format!("The subnet '{sub}' has dependencies and cannot be deleted."),
    );
    assert_error(
        &s.call("DeleteVpc", &[("VpcId", &vpc)]),
        400,
        "DependencyViolation",
        &format!("The vpc '{vpc}' has dependencies and cannot be deleted."),
    );
    s.call("TerminateInstances", &[("InstanceId.1", &id)]).ok();
    s.call("DeleteSubnet", &[("SubnetId", &sub)]).ok();
    assert_eq!(
        s.call("DeleteVpc", &[("VpcId", &vpc)]).error().1,
        "DependencyViolation",
        "its own group x still stands"
    );
    s.call("DeleteSecurityGroup", &[("GroupId", &sg)]).ok();
    s.call("DeleteVpc", &[("VpcId", &vpc)]).ok();
    assert_eq!(
        s.call("DescribeVpcs", &[("VpcId.1", &vpc)]).error().1,
        "InvalidVpcID.NotFound"
    );
    // The VPC's default group went with it.
    let groups = s
        .call(
            "DescribeSecurityGroups",
            &[("Filter.1.Name", "vpc-id"), ("Filter.1.Value.1", &vpc)],
        )
        .ok();
    assert!(groups.all("groupId").is_empty());
    assert_eq!(
        s.call("DeleteSubnet", &[("SubnetId", &sub)]).error().1,
        "InvalidSubnetID.NotFound"
    );
}

#[test]
fn delete_key_pair_is_quiet_about_missing_names() {
    let s = Server::start();
    let id = s
        .call("CreateKeyPair", &[("KeyName", "k"), ("KeyType", "ed25519")])
        .ok()
        .first("keyPairId")
        .unwrap();
    let r = s.call("DeleteKeyPair", &[("KeyName", "k")]).ok();
    assert_eq!(r.first("keyPairId"), Some(id));
    assert_eq!(
        s.call("DescribeKeyPairs", &[("KeyName.1", "k")]).error().1,
        "InvalidKeyPair.NotFound"
    );
    let again = s.call("DeleteKeyPair", &[("KeyName", "k")]).ok();
    assert_eq!(again.first("return").as_deref(), Some("true"));
    assert_eq!(again.first("keyPairId"), None);
    // Dry run first: the key survives.
    s.call(
        "CreateKeyPair",
        &[("KeyName", "k2"), ("KeyType", "ed25519")],
    )
    .ok();
    assert_eq!(
        s.call("DeleteKeyPair", &[("KeyName", "k2"), ("DryRun", "true")])
            .error()
            .0,
        412
    );
    s.call("DescribeKeyPairs", &[("KeyName.1", "k2")]).ok();
}

#[test]
fn delete_tags_by_key_by_key_and_value_or_all() {
    let s = Server::start();
    let vpc = s.call("DescribeVpcs", &[]).ok().first("vpcId").unwrap();
    let tag = |k: &str, v: &str| {
        s.call(
            "CreateTags",
            &[("ResourceId.1", &vpc), ("Tag.1.Key", k), ("Tag.1.Value", v)],
        )
        .ok()
    };
    tag("a", "1");
    tag("b", "2");
    tag("c", "3");
    // A value that does not match leaves the tag.
    s.call(
        "DeleteTags",
        &[
            ("ResourceId.1", &vpc),
            ("Tag.1.Key", "a"),
            ("Tag.1.Value", "9"),
        ],
    )
    .ok();
    s.call("DeleteTags", &[("ResourceId.1", &vpc), ("Tag.1.Key", "b")])
        .ok();
    let keys = s
        .call(
            "DescribeTags",
            &[("Filter.1.Name", "resource-id"), ("Filter.1.Value.1", &vpc)],
        )
        .ok()
        .all("key");
    assert_eq!(keys, ["a", "c"]);
    s.call("DeleteTags", &[("ResourceId.1", &vpc)]).ok();
    assert!(s.call("DescribeTags", &[]).ok().all("key").is_empty());
    assert_eq!(
        s.call("DeleteTags", &[("ResourceId.1", "vpc-0123456789abcdef0")])
            .error()
            .1,
        "InvalidVpcID.NotFound"
    );
    assert_eq!(
        s.call("DeleteTags", &[("ResourceId.1", "bogus-1")])
            .error()
            .1,
        "InvalidID"
    );
}
