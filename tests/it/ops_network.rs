//! VPCs, subnets and security groups over HTTP.

use crate::support::*;

fn vpc(s: &Server, cidr: &str) -> String {
    s.call("CreateVpc", &[("CidrBlock", cidr)])
        .ok()
        .first("vpcId")
        .unwrap()
}

#[test]
fn a_new_account_has_a_default_vpc_subnets_and_group() {
    let s = Server::start();
    let v = s.call("DescribeVpcs", &[]).ok();
    assert_eq!(v.all("cidrBlock")[0], "172.31.0.0/16");
    assert_eq!(v.all("isDefault"), ["true"]);
    assert!(v.first("dhcpOptionsId").unwrap().starts_with("dopt-"));
    let subnets = s.call("DescribeSubnets", &[]).ok();
    let azs = subnets.all("availabilityZone");
    assert_eq!(azs.len(), 6, "us-east-1 has six Availability Zones");
    let mut cidrs = subnets.all("cidrBlock");
    cidrs.sort_by_key(|c| c.split('.').nth(2).unwrap().parse::<u32>().unwrap());
    assert_eq!(
        cidrs[..3],
        ["172.31.0.0/20", "172.31.16.0/20", "172.31.32.0/20"]
    );
    assert!(subnets.all("defaultForAz").iter().all(|d| d == "true"));
    assert!(subnets
        .all("mapPublicIpOnLaunch")
        .iter()
        .all(|d| d == "true"));
    let g = s.call("DescribeSecurityGroups", &[]).ok();
    assert_eq!(g.all("groupName"), ["default"]);
    // EC2's default rules: all traffic in from the group itself, all traffic out.
    let d = g.doc();
    assert_eq!(under(&d, "ipPermissions", "ipProtocol"), ["-1"]);
    assert_eq!(
        under(&d, "groups", "groupId"),
        [g.first("groupId").unwrap()]
    );
    assert_eq!(under(&d, "ipRanges", "cidrIp"), ["0.0.0.0/0"]);
}

#[test]
fn other_regions_have_their_own_zones_and_state() {
    let s = Server::start();
    let r = s
        .call_as("parlel", "eu-west-1", "DescribeSubnets", &[])
        .ok();
    assert_eq!(r.all("availabilityZone").len(), 3);
    assert!(r
        .all("availabilityZone")
        .iter()
        .all(|z| z.starts_with("eu-west-1")));
    let id = s
        .call_as(
            "parlel",
            "eu-west-1",
            "CreateVpc",
            &[("CidrBlock", "10.0.0.0/16")],
        )
        .ok()
        .first("vpcId")
        .unwrap();
    assert_eq!(
        s.call("DescribeVpcs", &[("VpcId.1", &id)]).error().1,
        "InvalidVpcID.NotFound"
    );
    // An access key of 12 digits is an account of its own.
    assert_eq!(
        s.call_as(
            "111122223333",
            "eu-west-1",
            "DescribeVpcs",
            &[("VpcId.1", &id)]
        )
        .error()
        .1,
        "InvalidVpcID.NotFound"
    );
    let r = s
        .call_as("111122223333", "eu-west-1", "DescribeVpcs", &[])
        .ok();
    assert_eq!(r.all("ownerId"), ["111122223333"]);
}

#[test]
fn create_vpc_checks_the_block_and_adds_a_default_group() {
    let s = Server::start();
    let r = s.call("CreateVpc", &[("CidrBlock", "10.1.0.0/16")]).ok();
    let d = r.doc();
    let vpc_node = d
        .descendants()
        .find(|n| n.tag_name().name() == "vpc")
        .unwrap();
    let state = vpc_node
        .children()
        .find(|c| c.tag_name().name() == "state")
        .and_then(|c| c.text());
    assert_eq!(
        state,
        Some("pending"),
        "CreateVpc answers while the VPC is being set up"
    );
    let id = r.first("vpcId").unwrap();
    assert!(r
        .first("associationId")
        .unwrap()
        .starts_with("vpc-cidr-assoc-"));
    assert_eq!(
        under(
            &s.call("DescribeVpcs", &[("VpcId.1", &id)]).ok().doc(),
            "vpcSet",
            "state"
        ),
        ["available"]
    );
    let g = s
        .call(
            "DescribeSecurityGroups",
            &[("Filter.1.Name", "vpc-id"), ("Filter.1.Value.1", &id)],
        )
        .ok();
    assert_eq!(g.all("groupName"), ["default"]);
    assert_error(
        &s.call("CreateVpc", &[("CidrBlock", "10.0.0.0/8")]),
        400,
        "InvalidVpc.Range",
        "The CIDR '10.0.0.0/8' is invalid.",
    );
    assert_error(
        &s.call("CreateVpc", &[("CidrBlock", "10.0.0.0/29")]),
        400,
        "InvalidVpc.Range",
        "The CIDR '10.0.0.0/29' is invalid.",
    );
    assert_error(
        &s.call("CreateVpc", &[("CidrBlock", "10.0.0.300/16")]),
        400,
        "InvalidParameterValue",
        "Value (10.0.0.300/16) for parameter cidrBlock is invalid. This is not a valid CIDR block.",
    );
    assert_error(
        &s.call("DescribeVpcs", &[("VpcId.1", "vpc-0123456789abcdef0")]),
        400,
        "InvalidVpcID.NotFound",
        "The vpc ID 'vpc-0123456789abcdef0' does not exist",
    );
}

#[test]
fn create_subnet_inside_the_vpc_without_overlap() {
    let s = Server::start();
    let v = vpc(&s, "10.0.0.0/16");
    let r = s
        .call(
            "CreateSubnet",
            &[
                ("VpcId", &v),
                ("CidrBlock", "10.0.1.0/24"),
                ("AvailabilityZone", "us-east-1b"),
            ],
        )
        .ok();
    assert_eq!(r.first("availabilityZone").as_deref(), Some("us-east-1b"));
    assert_eq!(
        r.first("availableIpAddressCount").as_deref(),
        Some("251"),
        "256 minus AWS's five"
    );
    assert_eq!(r.first("mapPublicIpOnLaunch").as_deref(), Some("false"));
    assert_eq!(r.first("defaultForAz").as_deref(), Some("false"));
    assert!(r
        .first("subnetArn")
        .unwrap()
        .starts_with("arn:aws:ec2:us-east-1:123456789012:subnet/subnet-"));
    let conflict = s.call(
        "CreateSubnet",
        &[("VpcId", &v), ("CidrBlock", "10.0.1.128/25")],
    );
    assert_error(
        &conflict,
        400,
        "InvalidSubnet.Conflict",
        "The CIDR '10.0.1.128/25' conflicts with another subnet",
    );
    let outside = s.call(
        "CreateSubnet",
        &[("VpcId", &v), ("CidrBlock", "10.1.0.0/24")],
    );
    assert_error(
        &outside,
        400,
        "InvalidSubnet.Range",
        "The CIDR '10.1.0.0/24' is invalid.",
    );
    let small = s.call(
        "CreateSubnet",
        &[("VpcId", &v), ("CidrBlock", "10.0.2.0/29")],
    );
    assert_error(
        &small,
        400,
        "InvalidSubnet.Range",
        "The CIDR '10.0.2.0/29' is invalid.",
    );
    let az = s.call(
        "CreateSubnet",
        &[
            ("VpcId", &v),
            ("CidrBlock", "10.0.3.0/24"),
            ("AvailabilityZone", "us-west-2a"),
        ],
    );
    let zones: Vec<String> = parlel_ec2::regions::availability_zones("us-east-1")
        .iter()
        .map(|z| z.name.to_string())
        .collect();
    assert_error(
        &az,
        400,
        "InvalidParameterValue",
        &format!(
            "Value (us-west-2a) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: {}.",
            zones.join(", ")
        ),
    );
    let missing = s.call(
        "CreateSubnet",
        &[
            ("VpcId", "vpc-0123456789abcdef0"),
            ("CidrBlock", "10.0.3.0/24"),
        ],
    );
    assert_eq!(missing.error().1, "InvalidVpcID.NotFound");
    assert_error(
        &s.call("CreateSubnet", &[("CidrBlock", "10.0.3.0/24")]),
        400,
        "MissingParameter",
        "The request must contain the parameter vpcId",
    );
}

#[test]
fn instances_in_a_custom_subnet_get_its_addresses_and_no_public_ip() {
    let s = Server::start();
    let v = vpc(&s, "10.0.0.0/16");
    let sub = s
        .call(
            "CreateSubnet",
            &[("VpcId", &v), ("CidrBlock", "10.0.5.0/28")],
        )
        .ok()
        .first("subnetId")
        .unwrap();
    let r = s
        .call(
            "RunInstances",
            &[
                ("ImageId", AMI),
                ("MinCount", "1"),
                ("MaxCount", "20"),
                ("SubnetId", &sub),
            ],
        )
        .ok();
    // A /28 has 16 addresses; AWS keeps five: 11 instances fit, MaxCount is a ceiling.
    let ips = under(&r.doc(), "instancesSet", "privateIpAddress");
    assert_eq!(ips.len(), 11);
    assert_eq!(ips[0], "10.0.5.4");
    assert_eq!(ips[10], "10.0.5.14");
    assert_eq!(r.first("ipAddress"), None);
    let count = s
        .call("DescribeSubnets", &[("SubnetId.1", &sub)])
        .ok()
        .first("availableIpAddressCount");
    assert_eq!(count.as_deref(), Some("0"));
    let full = s.call(
        "RunInstances",
        &[
            ("ImageId", AMI),
            ("MinCount", "1"),
            ("MaxCount", "1"),
            ("SubnetId", &sub),
        ],
    );
    assert_eq!(full.error().1, "InsufficientFreeAddressesInSubnet");
}

#[test]
fn security_group_names_are_unique_per_vpc() {
    let s = Server::start();
    let r = s
        .call(
            "CreateSecurityGroup",
            &[("GroupName", "web"), ("GroupDescription", "web tier")],
        )
        .ok();
    let id = r.first("groupId").unwrap();
    assert!(r
        .first("securityGroupArn")
        .unwrap()
        .ends_with(&format!("security-group/{id}")));
    let default_vpc = s.call("DescribeVpcs", &[]).ok().first("vpcId").unwrap();
    let dup = s.call(
        "CreateSecurityGroup",
        &[("GroupName", "web"), ("GroupDescription", "again")],
    );
    assert_error(
        &dup,
        400,
        "InvalidGroup.Duplicate",
        &format!("The security group 'web' already exists for VPC '{default_vpc}'"),
    );
    let other = vpc(&s, "10.9.0.0/16");
    s.call(
        "CreateSecurityGroup",
        &[
            ("GroupName", "web"),
            ("GroupDescription", "w"),
            ("VpcId", &other),
        ],
    )
    .ok();
    // A VPC group starts with the allow-all egress rule and no ingress.
    let g = s.call("DescribeSecurityGroups", &[("GroupId.1", &id)]).ok();
    let d = g.doc();
    assert_eq!(under(&d, "ipPermissionsEgress", "ipProtocol"), ["-1"]);
    assert!(under(&d, "ipPermissions", "ipProtocol").is_empty());
    assert_eq!(g.first("groupDescription").as_deref(), Some("web tier"));
    assert_eq!(
        s.call("DescribeSecurityGroups", &[("GroupName.1", "web")])
            .ok()
            .all("groupId"),
        [id.as_str()]
    );
    let missing = s.call("DescribeSecurityGroups", &[("GroupName.1", "nope")]);
    assert_error(
        &missing,
        400,
        "InvalidGroup.NotFound",
        &format!("The security group 'nope' does not exist in default VPC '{default_vpc}'"),
    );
    assert_error(
        &s.call("DescribeSecurityGroups", &[("GroupId.1", "bogus")]),
        400,
        "InvalidGroupId.Malformed",
        "The security-group ID 'bogus' is malformed",
    );
    assert_error(
        &s.call("CreateSecurityGroup", &[("GroupName", "x")]),
        400,
        "MissingParameter",
        "The request must contain the parameter GroupDescription",
    );
}

#[test]
fn authorize_ingress_adds_rules_and_rejects_duplicates_with_aws_wording() {
    let s = Server::start();
    let g = s
        .call(
            "CreateSecurityGroup",
            &[("GroupName", "web"), ("GroupDescription", "w")],
        )
        .ok()
        .first("groupId")
        .unwrap();
    let peer = s
        .call(
            "CreateSecurityGroup",
            &[("GroupName", "lb"), ("GroupDescription", "l")],
        )
        .ok()
        .first("groupId")
        .unwrap();
    let r = s
        .call(
            "AuthorizeSecurityGroupIngress",
            &[
                ("GroupId", &g),
                ("IpPermissions.1.IpProtocol", "tcp"),
                ("IpPermissions.1.FromPort", "22"),
                ("IpPermissions.1.ToPort", "22"),
                ("IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"),
                ("IpPermissions.1.IpRanges.1.Description", "ssh"),
                ("IpPermissions.1.Ipv6Ranges.1.CidrIpv6", "::/0"),
                ("IpPermissions.2.IpProtocol", "tcp"),
                ("IpPermissions.2.FromPort", "80"),
                ("IpPermissions.2.ToPort", "80"),
                ("IpPermissions.2.Groups.1.GroupId", &peer),
                ("IpPermissions.3.IpProtocol", "-1"),
                (
                    "IpPermissions.3.PrefixListIds.1.PrefixListId",
                    "pl-12345678",
                ),
            ],
        )
        .ok();
    assert_eq!(r.first("return").as_deref(), Some("true"));
    let rules = under(&r.doc(), "securityGroupRuleSet", "securityGroupRuleId");
    assert_eq!(rules.len(), 4);
    assert!(rules.iter().all(|r| r.starts_with("sgr-")));
    assert_eq!(
        under(&r.doc(), "securityGroupRuleSet", "isEgress"),
        ["false"; 4]
    );
    let d = s.call("DescribeSecurityGroups", &[("GroupId.1", &g)]).ok();
    let doc = d.doc();
    assert_eq!(
        under(&doc, "ipPermissions", "ipProtocol"),
        ["tcp", "tcp", "-1"]
    );
    assert_eq!(under(&doc, "ipRanges", "description"), ["ssh"]);
    assert!(under(&doc, "groups", "groupId").contains(&peer));
    assert_eq!(
        under(&doc, "prefixListIds", "prefixListId"),
        ["pl-12345678"]
    );

    let again = s.call(
        "AuthorizeSecurityGroupIngress",
        &[
            ("GroupId", &g),
            ("IpProtocol", "tcp"),
            ("FromPort", "22"),
            ("ToPort", "22"),
            ("CidrIp", "0.0.0.0/0"),
        ],
    );
    assert_error(&again, 400, "InvalidPermission.Duplicate", "the specified rule \"peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW\" already exists");
    let all = s.call(
        "AuthorizeSecurityGroupIngress",
        &[
            ("GroupId", &g),
            ("IpPermissions.1.IpProtocol", "-1"),
            (
                "IpPermissions.1.PrefixListIds.1.PrefixListId",
                "pl-12345678",
            ),
        ],
    );
    assert_error(
        &all,
        400,
        "InvalidPermission.Duplicate",
        "the specified rule \"peer: pl-12345678, ALL, ALLOW\" already exists",
    );
    let twice = s.call(
        "AuthorizeSecurityGroupIngress",
        &[
            ("GroupId", &g),
            ("IpPermissions.1.IpProtocol", "udp"),
            ("IpPermissions.1.FromPort", "53"),
            ("IpPermissions.1.ToPort", "53"),
            ("IpPermissions.1.IpRanges.1.CidrIp", "10.0.0.0/8"),
            ("IpPermissions.2.IpProtocol", "udp"),
            ("IpPermissions.2.FromPort", "53"),
            ("IpPermissions.2.ToPort", "53"),
            ("IpPermissions.2.IpRanges.1.CidrIp", "10.0.0.0/8"),
        ],
    );
    assert_error(
        &twice,
        400,
        "InvalidParameterValue",
        "The same permission must not appear multiple times",
    );
    // Neither failure added anything.
    let after = s.call("DescribeSecurityGroups", &[("GroupId.1", &g)]).ok();
    assert_eq!(
        under(&after.doc(), "ipPermissions", "ipProtocol"),
        ["tcp", "tcp", "-1"]
    );
}

#[test]
fn authorize_ingress_by_group_name_and_unknown_groups() {
    let s = Server::start();
    s.call(
        "CreateSecurityGroup",
        &[("GroupName", "db"), ("GroupDescription", "d")],
    )
    .ok();
    let r = s
        .call(
            "AuthorizeSecurityGroupIngress",
            &[
                ("GroupName", "db"),
                ("IpProtocol", "tcp"),
                ("FromPort", "5432"),
                ("ToPort", "5432"),
                ("CidrIp", "10.0.0.0/16"),
            ],
        )
        .ok();
    assert_eq!(r.first("cidrIpv4").as_deref(), Some("10.0.0.0/16"));
    let missing = s.call(
        "AuthorizeSecurityGroupIngress",
        &[
            ("GroupId", "sg-0123456789abcdef0"),
            ("IpProtocol", "-1"),
            ("CidrIp", "1.2.3.4/32"),
        ],
    );
    assert_error(
        &missing,
        400,
        "InvalidGroup.NotFound",
        "The security group 'sg-0123456789abcdef0' does not exist",
    );
    let malformed = s.call(
        "AuthorizeSecurityGroupIngress",
        &[
            ("GroupId", ""),
            ("IpProtocol", "-1"),
            ("CidrIp", "1.2.3.4/32"),
        ],
    );
    assert_error(
        &malformed,
        400,
        "InvalidGroupId.Malformed",
        "The security-group ID '' is malformed",
    );
}

#[test]
fn dry_run_changes_nothing_on_network_calls() {
    let s = Server::start();
    assert_eq!(
        s.call(
            "CreateVpc",
            &[("CidrBlock", "10.0.0.0/16"), ("DryRun", "true")]
        )
        .error()
        .1,
        "DryRunOperation"
    );
    assert_eq!(s.call("DescribeVpcs", &[]).ok().all("vpcId").len(), 1);
    assert_eq!(
        s.call(
            "CreateSecurityGroup",
            &[
                ("GroupName", "a"),
                ("GroupDescription", "a"),
                ("DryRun", "true")
            ]
        )
        .error()
        .0,
        412
    );
    assert_eq!(
        under(
            &s.call("DescribeSecurityGroups", &[]).ok().doc(),
            "securityGroupInfo",
            "groupId"
        )
        .len(),
        1
    );
}

#[test]
fn revoke_ingress_by_permission_or_rule_id_and_reports_unknown_permissions() {
    let s = Server::start();
    let g = s
        .call(
            "CreateSecurityGroup",
            &[("GroupName", "web"), ("GroupDescription", "w")],
        )
        .ok()
        .first("groupId")
        .unwrap();
    let r = s
        .call(
            "AuthorizeSecurityGroupIngress",
            &[
                ("GroupId", &g),
                ("IpPermissions.1.IpProtocol", "tcp"),
                ("IpPermissions.1.FromPort", "22"),
                ("IpPermissions.1.ToPort", "22"),
                ("IpPermissions.1.IpRanges.1.CidrIp", "10.0.0.0/8"),
                ("IpPermissions.1.IpRanges.2.CidrIp", "192.168.0.0/16"),
                ("IpPermissions.2.IpProtocol", "udp"),
                ("IpPermissions.2.FromPort", "53"),
                ("IpPermissions.2.ToPort", "53"),
                ("IpPermissions.2.IpRanges.1.CidrIp", "0.0.0.0/0"),
            ],
        )
        .ok();
    let ids = under(&r.doc(), "securityGroupRuleSet", "securityGroupRuleId");
    // By permission, with the legacy flat parameters: one of the two ssh peers goes.
    let r = s
        .call(
            "RevokeSecurityGroupIngress",
            &[
                ("GroupId", &g),
                ("IpProtocol", "tcp"),
                ("FromPort", "22"),
                ("ToPort", "22"),
                ("CidrIp", "10.0.0.0/8"),
            ],
        )
        .ok();
    assert_eq!(r.first("return").as_deref(), Some("true"));
    assert_eq!(
        under(
            &r.doc(),
            "revokedSecurityGroupRuleSet",
            "securityGroupRuleId"
        ),
        [ids[0].as_str()]
    );
    assert_eq!(r.first("unknownIpPermissionSet"), None);
    // A rule that is not there is reported, not an error.
    let r = s
        .call(
            "RevokeSecurityGroupIngress",
            &[
                ("GroupId", &g),
                ("IpProtocol", "tcp"),
                ("FromPort", "443"),
                ("ToPort", "443"),
                ("CidrIp", "0.0.0.0/0"),
            ],
        )
        .ok();
    assert_eq!(
        under(&r.doc(), "unknownIpPermissionSet", "ipProtocol"),
        ["tcp"]
    );
    // By rule id.
    s.call(
        "RevokeSecurityGroupIngress",
        &[("GroupId", &g), ("SecurityGroupRuleId.1", &ids[2])],
    )
    .ok();
    let left = s.call("DescribeSecurityGroups", &[("GroupId.1", &g)]).ok();
    assert_eq!(
        under(&left.doc(), "ipRanges", "cidrIp")
            .iter()
            .filter(|c| *c != "0.0.0.0/0")
            .collect::<Vec<_>>(),
        ["192.168.0.0/16"]
    );
    assert_eq!(under(&left.doc(), "ipPermissions", "ipProtocol"), ["tcp"]);
    let missing = s.call(
        "RevokeSecurityGroupIngress",
        &[
            ("GroupId", &g),
            ("SecurityGroupRuleId.1", "sgr-0123456789abcdef0"),
        ],
    );
    assert_eq!(missing.error().1, "InvalidSecurityGroupRuleId.NotFound");
    assert_eq!(
        s.call("RevokeSecurityGroupIngress", &[("GroupId", &g)])
            .error()
            .1,
        "MissingParameter"
    );
}
