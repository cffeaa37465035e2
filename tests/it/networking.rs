//! Regions and zones, account attributes, VPC and subnet attributes, internet gateways,
//! route tables and routes: EC2's rules by direct handler calls.

use crate::local::Region;
use parlel_ec2::generated::service::Ec2;
use parlel_ec2::generated::types as w;
use parlel_ec2::Ec2Error;

fn code(e: Ec2Error) -> (String, String) {
    (e.code.to_string(), e.message)
}

impl Region {
    fn vpc(&mut self, cidr: &str) -> String {
        self.call(|h, cx| {
            h.create_vpc(
                cx,
                w::CreateVpcInput {
                    cidr_block: Some(cidr.into()),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .vpc
        .unwrap()
        .vpc_id
        .unwrap()
    }

    fn subnet(&mut self, vpc: &str, cidr: &str) -> String {
        self.call(|h, cx| {
            h.create_subnet(
                cx,
                w::CreateSubnetInput {
                    vpc_id: vpc.into(),
                    cidr_block: Some(cidr.into()),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .subnet
        .unwrap()
        .subnet_id
        .unwrap()
    }

    fn igw(&mut self) -> String {
        self.call(|h, cx| h.create_internet_gateway(cx, Default::default()))
            .unwrap()
            .internet_gateway
            .unwrap()
            .internet_gateway_id
            .unwrap()
    }

    fn attach(&mut self, igw: &str, vpc: &str) -> Result<(), Ec2Error> {
        self.call(|h, cx| {
            h.attach_internet_gateway(
                cx,
                w::AttachInternetGatewayInput {
                    internet_gateway_id: igw.into(),
                    vpc_id: vpc.into(),
                    dry_run: None,
                },
            )
        })
        .map(drop)
    }

    fn tables(&mut self, filters: &[(&str, &str)]) -> Vec<w::RouteTable> {
        let filters = filters
            .iter()
            .map(|(n, v)| w::Filter {
                name: Some(n.to_string()),
                values: Some(vec![v.to_string()]),
            })
            .collect();
        self.call(|h, cx| {
            h.describe_route_tables(
                cx,
                w::DescribeRouteTablesInput {
                    filters: Some(filters),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .route_tables
        .unwrap()
    }

    fn main_table(&mut self, vpc: &str) -> w::RouteTable {
        let mut t = self.tables(&[("vpc-id", vpc), ("association.main", "true")]);
        assert_eq!(t.len(), 1, "one main table per VPC");
        t.remove(0)
    }

    fn route(&mut self, table: &str, cidr: &str, igw: &str) -> Result<(), Ec2Error> {
        self.call(|h, cx| {
            h.create_route(
                cx,
                w::CreateRouteInput {
                    route_table_id: table.into(),
                    destination_cidr_block: Some(cidr.into()),
                    gateway_id: Some(igw.into()),
                    ..Default::default()
                },
            )
        })
        .map(drop)
    }

    fn delete_vpc(&mut self, vpc: &str) -> Result<(), Ec2Error> {
        self.call(|h, cx| {
            h.delete_vpc(
                cx,
                w::DeleteVpcInput {
                    vpc_id: vpc.into(),
                    dry_run: None,
                },
            )
        })
        .map(drop)
    }
}

fn routes(t: &w::RouteTable) -> Vec<(String, String, String, String)> {
    t.routes
        .iter()
        .flatten()
        .map(|r| {
            (
                r.destination_cidr_block.clone().unwrap_or_default(),
                r.gateway_id.clone().unwrap_or_default(),
                r.origin.as_ref().unwrap().as_str().to_string(),
                r.state.as_ref().unwrap().as_str().to_string(),
            )
        })
        .collect()
}

/// VPC User Guide, "Default VPC components": an internet gateway attached, and the main
/// route table sends 0.0.0.0/0 to it besides the local route.
#[test]
fn the_default_vpc_reaches_the_internet_through_its_main_table() {
    let mut r = Region::new();
    let vpc = r.state.default_vpc().unwrap().id.clone();
    let igws = r
        .call(|h, cx| h.describe_internet_gateways(cx, Default::default()))
        .unwrap()
        .internet_gateways
        .unwrap();
    assert_eq!(igws.len(), 1);
    let att = &igws[0].attachments.as_ref().unwrap()[0];
    assert_eq!(
        (att.vpc_id.as_deref(), att.state.as_ref().unwrap().as_str()),
        (Some(vpc.as_str()), "available")
    );
    let igw = igws[0].internet_gateway_id.clone().unwrap();
    let main = r.main_table(&vpc);
    assert_eq!(
        routes(&main),
        [
            (
                "172.31.0.0/16".into(),
                "local".into(),
                "CreateRouteTable".into(),
                "active".into()
            ),
            (
                "0.0.0.0/0".into(),
                igw,
                "CreateRoute".into(),
                "active".into()
            ),
        ]
    );
    let attrs = r
        .call(|h, cx| h.describe_account_attributes(cx, Default::default()))
        .unwrap()
        .account_attributes
        .unwrap();
    let default_vpc = attrs
        .iter()
        .find(|a| a.attribute_name.as_deref() == Some("default-vpc"))
        .unwrap();
    assert_eq!(
        default_vpc.attribute_values.as_ref().unwrap()[0]
            .attribute_value
            .as_deref(),
        Some(vpc.as_str())
    );
}

/// CreateVpc gives the VPC a main route table with only the local route (recorded AWS
/// answer in shared/reference: `GatewayId: local`, `Origin: CreateRouteTable`); DeleteVpc
/// takes it along, but a custom table or an attached gateway keeps the VPC.
#[test]
fn a_new_vpc_has_a_main_table_and_its_gateway_and_tables_keep_it() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let main = r.main_table(&vpc);
    assert_eq!(
        routes(&main),
        [(
            "10.0.0.0/16".into(),
            "local".into(),
            "CreateRouteTable".into(),
            "active".into()
        )]
    );
    let igw = r.igw();
    r.attach(&igw, &vpc).unwrap();
    assert_eq!(r.delete_vpc(&vpc).unwrap_err().code, "DependencyViolation");
    r.call(|h, cx| {
        h.detach_internet_gateway(
            cx,
            w::DetachInternetGatewayInput {
                internet_gateway_id: igw.clone(),
                vpc_id: vpc.clone(),
                dry_run: None,
            },
        )
    })
    .unwrap();
    let custom = r
        .call(|h, cx| {
            h.create_route_table(
                cx,
                w::CreateRouteTableInput {
                    vpc_id: vpc.clone(),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .route_table
        .unwrap()
        .route_table_id
        .unwrap();
    assert_eq!(r.delete_vpc(&vpc).unwrap_err().code, "DependencyViolation");
    r.call(|h, cx| {
        h.delete_route_table(
            cx,
            w::DeleteRouteTableInput {
                route_table_id: custom,
                dry_run: None,
            },
        )
    })
    .unwrap();
    r.delete_vpc(&vpc).unwrap();
    assert!(r.state.route_tables.values().all(|t| t.vpc_id != vpc));
}

/// A gateway attaches to one VPC and a VPC takes one gateway (berlioz-the/berlioz#1,
/// binlab/terraform-aws-vault-ha-raft#54); an attached gateway cannot be deleted; a route
/// through a detached gateway is a blackhole.
#[test]
fn internet_gateway_attachment_rules() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let (igw, other) = (r.igw(), r.igw());
    r.attach(&igw, &vpc).unwrap();
    assert_eq!(
        code(r.attach(&igw, &vpc).unwrap_err()),
        (
            "Resource.AlreadyAssociated".into(),
            format!("resource {igw} is already attached to network {vpc}")
        )
    );
    assert_eq!(
        code(r.attach(&other, &vpc).unwrap_err()),
        (
            "InvalidParameterValue".into(),
            format!("Network {vpc} already has an internet gateway attached")
        )
    );
    let delete = |r: &mut Region, id: &str| {
        r.call(|h, cx| {
            h.delete_internet_gateway(
                cx,
                w::DeleteInternetGatewayInput {
                    internet_gateway_id: id.into(),
                    dry_run: None,
                },
            )
        })
    };
    assert_eq!(
        code(delete(&mut r, &igw).unwrap_err()),
        (
            "DependencyViolation".into(),
            format!("The internetGateway '{igw}' has dependencies and cannot be deleted.")
        )
    );
    let main = r.main_table(&vpc).route_table_id.unwrap();
    r.route(&main, "0.0.0.0/0", &igw).unwrap();
    let detach = |r: &mut Region, id: &str| {
        r.call(|h, cx| {
            h.detach_internet_gateway(
                cx,
                w::DetachInternetGatewayInput {
                    internet_gateway_id: id.into(),
                    vpc_id: vpc.clone(),
                    dry_run: None,
                },
            )
        })
    };
    assert_eq!(
        detach(&mut r, &other).unwrap_err().code,
        "Gateway.NotAttached"
    );
    detach(&mut r, &igw).unwrap();
    assert_eq!(routes(&r.main_table(&vpc))[1].3, "blackhole");
    delete(&mut r, &igw).unwrap();
    let err = delete(&mut r, &igw).unwrap_err();
    assert_eq!(
        code(err),
        (
            "InvalidInternetGatewayID.NotFound".into(),
            format!("The internetGateway ID '{igw}' does not exist")
        )
    );
}

/// CreateRoute / ReplaceRoute / DeleteRoute: one route per destination
/// (RouteAlreadyExists, clouddrove/terraform-aws-vpc-peering#10), a destination is
/// required (hashicorp/terraform#14564), the local route stays, and a gateway of another
/// VPC "belong[s] to different networks" (giantswarm/aws-operator#632).
#[test]
fn routes_one_per_destination_to_a_gateway_of_the_vpc() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let igw = r.igw();
    let table = r.main_table(&vpc).route_table_id.unwrap();
    let err = r.route(&table, "0.0.0.0/0", &igw).unwrap_err();
    assert_eq!(
        code(err),
        (
            "InvalidParameterValue".into(),
            format!("route table {table} and network gateway {igw} belong to different networks")
        )
    );
    r.attach(&igw, &vpc).unwrap();
    r.route(&table, "0.0.0.0/0", &igw).unwrap();
    assert_eq!(
        code(r.route(&table, "0.0.0.0/0", &igw).unwrap_err()),
        (
            "RouteAlreadyExists".into(),
            "The route identified by 0.0.0.0/0 already exists.".into()
        )
    );
    let missing = r
        .call(|h, cx| {
            h.create_route(
                cx,
                w::CreateRouteInput {
                    route_table_id: table.clone(),
                    gateway_id: Some(igw.clone()),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(
        code(missing),
        (
            "MissingParameter".into(),
            "The request must contain the parameter destinationCidrBlock or destinationIpv6CidrBlock".into()
        )
    );
    let bad = r.route(&table, "::/0", &igw).unwrap_err();
    assert_eq!(
        code(bad),
        (
            "InvalidParameterValue".into(),
            "Value (::/0) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.".into()
        )
    );
    let delete = |r: &mut Region, cidr: &str| {
        r.call(|h, cx| {
            h.delete_route(
                cx,
                w::DeleteRouteInput {
                    route_table_id: table.clone(),
                    destination_cidr_block: Some(cidr.into()),
                    ..Default::default()
                },
            )
        })
    };
    assert_eq!(
        delete(&mut r, "10.0.0.0/16").unwrap_err().code,
        "InvalidParameterValue"
    );
    assert_eq!(
        delete(&mut r, "192.168.0.0/16").unwrap_err().code,
        "InvalidRoute.NotFound"
    );
    let replace_missing = r
        .call(|h, cx| {
            h.replace_route(
                cx,
                w::ReplaceRouteInput {
                    route_table_id: table.clone(),
                    destination_cidr_block: Some("192.168.0.0/16".into()),
                    gateway_id: Some(igw.clone()),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(replace_missing.code, "InvalidParameterValue");
    delete(&mut r, "0.0.0.0/0").unwrap();
    assert_eq!(routes(&r.main_table(&vpc)).len(), 1);
}

/// A subnet without an explicit association routes by the main table; it takes one
/// explicit table (Resource.AlreadyAssociated); an associated table cannot be deleted;
/// the main association moves with ReplaceRouteTableAssociation and cannot be removed;
/// a deleted subnet's association goes with it.
#[test]
fn associations_explicit_main_and_replaced() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let main = r.main_table(&vpc);
    let main_id = main.route_table_id.clone().unwrap();
    assert_eq!(
        r.state
            .route_table_of_subnet(&subnet, &vpc)
            .map(|t| t.id.clone()),
        Some(main_id.clone()),
        "implicitly the main table"
    );
    let custom = r
        .call(|h, cx| {
            h.create_route_table(
                cx,
                w::CreateRouteTableInput {
                    vpc_id: vpc.clone(),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .route_table
        .unwrap()
        .route_table_id
        .unwrap();
    let associate = |r: &mut Region, table: &str| {
        r.call(|h, cx| {
            h.associate_route_table(
                cx,
                w::AssociateRouteTableInput {
                    route_table_id: table.into(),
                    subnet_id: Some(subnet.clone()),
                    ..Default::default()
                },
            )
        })
    };
    let assoc = associate(&mut r, &custom).unwrap();
    assert_eq!(
        assoc.association_state.unwrap().state.unwrap().as_str(),
        "associated"
    );
    assert_eq!(
        associate(&mut r, &main_id).unwrap_err().code,
        "Resource.AlreadyAssociated"
    );
    assert_eq!(
        r.tables(&[("association.subnet-id", &subnet)])[0]
            .route_table_id
            .as_deref(),
        Some(custom.as_str())
    );
    let delete_custom = |r: &mut Region| {
        r.call(|h, cx| {
            h.delete_route_table(
                cx,
                w::DeleteRouteTableInput {
                    route_table_id: custom.clone(),
                    dry_run: None,
                },
            )
        })
    };
    assert_eq!(
        code(delete_custom(&mut r).unwrap_err()),
        (
            "DependencyViolation".into(),
            format!("The routeTable '{custom}' has dependencies and cannot be deleted.")
        )
    );
    // The main association moves to the custom table and cannot be removed.
    let main_assoc = main.associations.unwrap()[0]
        .route_table_association_id
        .clone()
        .unwrap();
    let moved = r
        .call(|h, cx| {
            h.replace_route_table_association(
                cx,
                w::ReplaceRouteTableAssociationInput {
                    association_id: main_assoc,
                    route_table_id: custom.clone(),
                    dry_run: None,
                },
            )
        })
        .unwrap()
        .new_association_id
        .unwrap();
    assert_eq!(
        r.main_table(&vpc).route_table_id.as_deref(),
        Some(custom.as_str())
    );
    let err = r
        .call(|h, cx| {
            h.disassociate_route_table(
                cx,
                w::DisassociateRouteTableInput {
                    association_id: moved,
                    dry_run: None,
                },
            )
        })
        .unwrap_err();
    assert_eq!(err.code, "InvalidParameterValue");
    // Deleting the subnet drops its explicit association.
    r.call(|h, cx| {
        h.delete_subnet(
            cx,
            w::DeleteSubnetInput {
                subnet_id: subnet.clone(),
                dry_run: None,
            },
        )
    })
    .unwrap();
    assert!(r.tables(&[("association.subnet-id", &subnet)]).is_empty());
}

/// Modify*Attribute takes one attribute per call (API reference); DNS hostnames decide
/// whether an instance shows a public DNS name; MapPublicIpOnLaunch decides whether it
/// gets a public address.
#[test]
fn vpc_and_subnet_attributes_change_what_instances_get() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let hostnames = |r: &mut Region| {
        r.call(|h, cx| {
            h.describe_vpc_attribute(
                cx,
                w::DescribeVpcAttributeInput {
                    attribute: w::VpcAttributeName::from("enableDnsHostnames"),
                    vpc_id: vpc.clone(),
                    dry_run: None,
                },
            )
        })
        .unwrap()
        .enable_dns_hostnames
        .unwrap()
        .value
    };
    assert_eq!(hostnames(&mut r), Some(false), "off in a new VPC");
    let on = Some(w::AttributeBooleanValue { value: Some(true) });
    let both = r
        .call(|h, cx| {
            h.modify_vpc_attribute(
                cx,
                w::ModifyVpcAttributeInput {
                    vpc_id: vpc.clone(),
                    enable_dns_hostnames: on.clone(),
                    enable_dns_support: on.clone(),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(both.code, "InvalidParameterCombination");
    r.call(|h, cx| {
        h.modify_vpc_attribute(
            cx,
            w::ModifyVpcAttributeInput {
                vpc_id: vpc.clone(),
                enable_dns_hostnames: on.clone(),
                ..Default::default()
            },
        )
    })
    .unwrap();
    assert_eq!(hostnames(&mut r), Some(true));
    r.call(|h, cx| {
        h.modify_subnet_attribute(
            cx,
            w::ModifySubnetAttributeInput {
                subnet_id: subnet.clone(),
                map_public_ip_on_launch: on.clone(),
                ..Default::default()
            },
        )
    })
    .unwrap();
    let run = r
        .call(|h, cx| {
            h.run_instances(
                cx,
                w::RunInstancesInput {
                    image_id: Some("ami-0abcdef1234567890".into()),
                    instance_type: Some(w::InstanceType::from("t3.micro")),
                    subnet_id: Some(subnet.clone()),
                    min_count: 1,
                    max_count: 1,
                    ..Default::default()
                },
            )
        })
        .unwrap();
    let i = &run.instances.unwrap()[0];
    assert!(i.public_ip_address.is_some(), "MapPublicIpOnLaunch");
    assert!(
        i.public_dns_name
            .as_deref()
            .is_some_and(|d| d.ends_with(".compute-1.amazonaws.com")),
        "DNS hostnames on: {:?}",
        i.public_dns_name
    );
}

/// DescribeRegions lists the regions enabled for a new account, AllRegions adds the
/// opt-in ones as `not-opted-in`; DescribeAvailabilityZones answers the caller's zones in
/// the shape recorded from AWS (shared/reference/aws-recorded: us-east-1a is `use1-az6`,
/// group `us-east-1-zg-1`, "US East (N. Virginia) 1"), and an unknown zone is
/// "Invalid availability zone: [x]".
#[test]
fn regions_and_zones() {
    let mut r = Region::new();
    let names = |r: &mut Region, all: bool| {
        r.call(|h, cx| {
            h.describe_regions(
                cx,
                w::DescribeRegionsInput {
                    all_regions: Some(all),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .regions
        .unwrap()
        .into_iter()
        .map(|x| {
            (
                x.region_name.unwrap(),
                x.opt_in_status.unwrap(),
                x.endpoint.unwrap(),
            )
        })
        .collect::<Vec<_>>()
    };
    let enabled = names(&mut r, false);
    assert!(enabled.contains(&(
        "us-east-1".into(),
        "opt-in-not-required".into(),
        "ec2.us-east-1.amazonaws.com".into()
    )));
    assert!(!enabled.iter().any(|(n, _, _)| n == "af-south-1"));
    let all = names(&mut r, true);
    assert!(all
        .iter()
        .any(|(n, s, _)| n == "af-south-1" && s == "not-opted-in"));

    let zones = r
        .call(|h, cx| {
            h.describe_availability_zones(
                cx,
                w::DescribeAvailabilityZonesInput {
                    filters: Some(vec![w::Filter {
                        name: Some("zone-name".into()),
                        values: Some(vec!["us-east-1a".into()]),
                    }]),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .availability_zones
        .unwrap();
    let z = &zones[0];
    assert_eq!(zones.len(), 1);
    assert_eq!(
        (
            z.zone_id.as_deref(),
            z.group_name.as_deref(),
            z.group_long_name.as_deref(),
            z.network_border_group.as_deref(),
            z.zone_type.as_deref(),
            z.state.as_ref().map(|s| s.as_str()),
        ),
        (
            Some("use1-az6"),
            Some("us-east-1-zg-1"),
            Some("US East (N. Virginia) 1"),
            Some("us-east-1"),
            Some("availability-zone"),
            Some("available")
        )
    );
    let err = r
        .call(|h, cx| {
            h.describe_availability_zones(
                cx,
                w::DescribeAvailabilityZonesInput {
                    zone_names: Some(vec!["us-east-1z".into()]),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(
        code(err),
        (
            "InvalidParameterValue".into(),
            "Invalid availability zone: [us-east-1z]".into()
        )
    );
}

fn on() -> Option<w::AttributeBooleanValue> {
    Some(w::AttributeBooleanValue { value: Some(true) })
}

impl Region {
    fn group(&mut self, vpc: &str, name: &str) -> String {
        self.call(|h, cx| {
            h.create_security_group(
                cx,
                w::CreateSecurityGroupInput {
                    group_name: name.into(),
                    description: "d".into(),
                    vpc_id: Some(vpc.into()),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .group_id
        .unwrap()
    }

    fn egress_rules(&mut self, group: &str) -> Vec<w::SecurityGroupRule> {
        self.call(|h, cx| {
            h.describe_security_group_rules(
                cx,
                w::DescribeSecurityGroupRulesInput {
                    filters: Some(vec![w::Filter {
                        name: Some("group-id".into()),
                        values: Some(vec![group.into()]),
                    }]),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .security_group_rules
        .unwrap()
        .into_iter()
        .filter(|r| r.is_egress == Some(true))
        .collect()
    }

    fn launch(&mut self, subnet: &str) -> String {
        self.call(|h, cx| {
            h.run_instances(
                cx,
                w::RunInstancesInput {
                    image_id: Some("ami-0abcdef1234567890".into()),
                    instance_type: Some(w::InstanceType::from("t3.micro")),
                    subnet_id: Some(subnet.into()),
                    min_count: 1,
                    max_count: 1,
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .instances
        .unwrap()[0]
            .instance_id
            .clone()
            .unwrap()
    }

    /// The reservation DescribeInstances answers for instance `id`, with only it.
    pub(crate) fn reservation(&mut self, id: &str) -> w::Reservation {
        self.call(|h, cx| {
            h.describe_instances(
                cx,
                w::DescribeInstancesInput {
                    instance_ids: Some(vec![id.into()]),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .reservations
        .unwrap()
        .remove(0)
    }

    fn instance(&mut self, id: &str) -> w::Instance {
        self.reservation(id).instances.unwrap().remove(0)
    }

    fn eip(&mut self) -> (String, String) {
        let a = self
            .call(|h, cx| h.allocate_address(cx, Default::default()))
            .unwrap();
        (a.allocation_id.unwrap(), a.public_ip.unwrap())
    }
}

fn all_traffic_out() -> w::IpPermission {
    w::IpPermission {
        ip_protocol: Some("-1".into()),
        ip_ranges: Some(vec![w::IpRange {
            cidr_ip: Some("0.0.0.0/0".into()),
            description: None,
        }]),
        ..Default::default()
    }
}

/// A new group allows all traffic out; Terraform revokes that rule and adds its own
/// (RevokeSecurityGroupEgress / AuthorizeSecurityGroupEgress API reference), and the
/// duplicate rule is EC2's InvalidPermission.Duplicate.
#[test]
fn egress_rules_are_revoked_and_authorized_by_group_id() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let g = r.group(&vpc, "web");
    let before = r.egress_rules(&g);
    assert_eq!(before.len(), 1, "allow-all egress in a new group");
    assert_eq!(before[0].cidr_ipv4.as_deref(), Some("0.0.0.0/0"));
    let revoked = r
        .call(|h, cx| {
            h.revoke_security_group_egress(
                cx,
                w::RevokeSecurityGroupEgressInput {
                    group_id: g.clone(),
                    ip_permissions: Some(vec![all_traffic_out()]),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    let gone = revoked.revoked_security_group_rules.unwrap();
    assert_eq!(gone[0].is_egress, Some(true));
    assert!(r.egress_rules(&g).is_empty());
    let https = w::IpPermission {
        ip_protocol: Some("tcp".into()),
        from_port: Some(443),
        to_port: Some(443),
        ip_ranges: Some(vec![w::IpRange {
            cidr_ip: Some("0.0.0.0/0".into()),
            description: Some("https out".into()),
        }]),
        ..Default::default()
    };
    let authorize = |r: &mut Region| {
        r.call(|h, cx| {
            h.authorize_security_group_egress(
                cx,
                w::AuthorizeSecurityGroupEgressInput {
                    group_id: g.clone(),
                    ip_permissions: Some(vec![https.clone()]),
                    ..Default::default()
                },
            )
        })
    };
    let added = authorize(&mut r).unwrap().security_group_rules.unwrap();
    assert_eq!(
        (added[0].is_egress, added[0].from_port),
        (Some(true), Some(443))
    );
    assert_eq!(
        code(authorize(&mut r).unwrap_err()),
        (
            "InvalidPermission.Duplicate".into(),
            "the specified rule \"peer: 0.0.0.0/0, TCP, from port: 443, to port: 443, ALLOW\" already exists".into()
        )
    );
    // Revoking what is not there: listed as unknown, not an error.
    let again = r
        .call(|h, cx| {
            h.revoke_security_group_egress(
                cx,
                w::RevokeSecurityGroupEgressInput {
                    group_id: g.clone(),
                    ip_permissions: Some(vec![all_traffic_out()]),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    assert_eq!(again.unknown_ip_permissions.map(|u| u.len()), Some(1));
}

/// An Elastic IP needs an internet gateway in the instance's VPC
/// (Gateway.NotAttached, terraform-provider-aws#2181); associated, it is the instance's
/// public address, owned by the account; it stays through a stop; an associated address
/// cannot be released (InvalidIPAddress.InUse); disassociated, the instance gets an
/// Amazon address back; released by public IP alone is refused (boto/boto#2727).
#[test]
fn elastic_ips_follow_their_instance() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let i = r.launch(&subnet);
    let (alloc, ip) = r.eip();
    let associate = |r: &mut Region| {
        r.call(|h, cx| {
            h.associate_address(
                cx,
                w::AssociateAddressInput {
                    allocation_id: Some(alloc.clone()),
                    instance_id: Some(i.clone()),
                    ..Default::default()
                },
            )
        })
    };
    assert_eq!(
        code(associate(&mut r).unwrap_err()),
        (
            "Gateway.NotAttached".into(),
            format!("Network {vpc} is not attached to any internet gateway")
        )
    );
    let igw = r.igw();
    r.attach(&igw, &vpc).unwrap();
    let assoc = associate(&mut r).unwrap().association_id.unwrap();
    let inst = r.instance(&i);
    assert_eq!(inst.public_ip_address.as_deref(), Some(ip.as_str()));
    let owner = inst.network_interfaces.unwrap()[0]
        .association
        .clone()
        .unwrap()
        .ip_owner_id;
    assert_eq!(owner.as_deref(), Some(crate::local::ACCOUNT));
    r.call(|h, cx| {
        h.stop_instances(
            cx,
            w::StopInstancesInput {
                instance_ids: vec![i.clone()],
                ..Default::default()
            },
        )
    })
    .unwrap();
    assert_eq!(
        r.instance(&i).public_ip_address.as_deref(),
        Some(ip.as_str())
    );
    let release = |r: &mut Region| {
        r.call(|h, cx| {
            h.release_address(
                cx,
                w::ReleaseAddressInput {
                    allocation_id: Some(alloc.clone()),
                    ..Default::default()
                },
            )
        })
    };
    assert_eq!(release(&mut r).unwrap_err().code, "InvalidIPAddress.InUse");
    r.call(|h, cx| {
        h.disassociate_address(
            cx,
            w::DisassociateAddressInput {
                association_id: Some(assoc),
                ..Default::default()
            },
        )
    })
    .unwrap();
    assert_eq!(
        r.instance(&i).public_ip_address,
        None,
        "stopped, no public IP"
    );
    let by_ip = r
        .call(|h, cx| {
            h.release_address(
                cx,
                w::ReleaseAddressInput {
                    public_ip: Some(ip.clone()),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(
        code(by_ip),
        (
            "InvalidParameterValue".into(),
            "You must specify an allocation id when releasing a VPC elastic IP address".into()
        )
    );
    release(&mut r).unwrap();
    assert_eq!(
        release(&mut r).unwrap_err().code,
        "InvalidAllocationID.NotFound"
    );
}

/// NAT gateways: pending in the answer, available on the next read (transitions settle
/// at once by default); a public one in a VPC without an internet gateway fails with
/// EC2's failure code; a route to it is active while it is available; deleting makes it
/// deleted, frees its Elastic IP and its subnet; unknown ids are NatGatewayNotFound
/// (gruntwork-io/cloud-nuke#325).
#[test]
fn nat_gateways_live_and_die_on_the_clock() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let (alloc, ip) = r.eip();
    let create = |r: &mut Region| {
        r.call(|h, cx| {
            h.create_nat_gateway(
                cx,
                w::CreateNatGatewayInput {
                    subnet_id: Some(subnet.clone()),
                    allocation_id: Some(alloc.clone()),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .nat_gateway
        .unwrap()
    };
    let failed = create(&mut r);
    assert_eq!(failed.state.as_ref().unwrap().as_str(), "failed");
    assert_eq!(
        (failed.failure_code.as_deref(), failed.failure_message),
        (
            Some("Gateway.NotAttached"),
            Some(format!("Network {vpc} has no Internet gateway attached"))
        )
    );
    let igw = r.igw();
    r.attach(&igw, &vpc).unwrap();
    let nat = create(&mut r);
    assert_eq!(nat.state.as_ref().unwrap().as_str(), "pending");
    let nat_id = nat.nat_gateway_id.unwrap();
    let describe = |r: &mut Region| {
        r.call(|h, cx| {
            h.describe_nat_gateways(
                cx,
                w::DescribeNatGatewaysInput {
                    nat_gateway_ids: Some(vec![nat_id.clone()]),
                    ..Default::default()
                },
            )
        })
        .map(|o| o.nat_gateways.unwrap().remove(0))
    };
    let live = describe(&mut r).unwrap();
    assert_eq!(live.state.as_ref().unwrap().as_str(), "available");
    let addr = &live.nat_gateway_addresses.unwrap()[0];
    assert_eq!(addr.public_ip.as_deref(), Some(ip.as_str()));
    let table = r.main_table(&vpc).route_table_id.unwrap();
    r.call(|h, cx| {
        h.create_route(
            cx,
            w::CreateRouteInput {
                route_table_id: table.clone(),
                destination_cidr_block: Some("0.0.0.0/0".into()),
                nat_gateway_id: Some(nat_id.clone()),
                ..Default::default()
            },
        )
    })
    .unwrap();
    assert_eq!(routes(&r.main_table(&vpc))[1].3, "active");
    let delete_subnet = |r: &mut Region| {
        r.call(|h, cx| {
            h.delete_subnet(
                cx,
                w::DeleteSubnetInput {
                    subnet_id: subnet.clone(),
                    dry_run: None,
                },
            )
        })
    };
    assert_eq!(
        delete_subnet(&mut r).unwrap_err().code,
        "DependencyViolation"
    );
    r.call(|h, cx| {
        h.delete_nat_gateway(
            cx,
            w::DeleteNatGatewayInput {
                nat_gateway_id: nat_id.clone(),
                dry_run: None,
            },
        )
    })
    .unwrap();
    let gone = describe(&mut r).unwrap();
    assert_eq!(gone.state.as_ref().unwrap().as_str(), "deleted");
    assert!(gone.delete_time.is_some());
    assert_eq!(routes(&r.main_table(&vpc))[1].3, "blackhole");
    assert!(r.state.addresses[&alloc].association.is_none(), "EIP freed");
    delete_subnet(&mut r).unwrap();
    r.later(3600);
    let err = describe(&mut r).unwrap_err();
    assert_eq!(
        code(err),
        (
            "NatGatewayNotFound".into(),
            format!("NAT gateway {nat_id} was not found")
        )
    );
}

/// The region's default DHCP options (AmazonProvidedDNS, `ec2.internal` in us-east-1);
/// a set a VPC uses cannot be deleted; `default` detaches a VPC from any set.
#[test]
fn dhcp_options_sets_and_their_vpcs() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let all = r
        .call(|h, cx| h.describe_dhcp_options(cx, Default::default()))
        .unwrap()
        .dhcp_options
        .unwrap();
    assert_eq!(all.len(), 1);
    let config: Vec<(String, Vec<String>)> = all[0]
        .dhcp_configurations
        .clone()
        .unwrap()
        .into_iter()
        .map(|c| {
            (
                c.key.unwrap(),
                c.values
                    .unwrap()
                    .into_iter()
                    .map(|v| v.value.unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        config,
        [
            ("domain-name".to_string(), vec!["ec2.internal".to_string()]),
            (
                "domain-name-servers".to_string(),
                vec!["AmazonProvidedDNS".to_string()]
            ),
        ]
    );
    let mine = r
        .call(|h, cx| {
            h.create_dhcp_options(
                cx,
                w::CreateDhcpOptionsInput {
                    dhcp_configurations: vec![w::NewDhcpConfiguration {
                        key: Some("domain-name".into()),
                        values: Some(vec!["corp.example".into()]),
                    }],
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .dhcp_options
        .unwrap()
        .dhcp_options_id
        .unwrap();
    let associate = |r: &mut Region, id: &str| {
        r.call(|h, cx| {
            h.associate_dhcp_options(
                cx,
                w::AssociateDhcpOptionsInput {
                    dhcp_options_id: id.into(),
                    vpc_id: vpc.clone(),
                    dry_run: None,
                },
            )
        })
    };
    associate(&mut r, &mine).unwrap();
    let delete = |r: &mut Region| {
        r.call(|h, cx| {
            h.delete_dhcp_options(
                cx,
                w::DeleteDhcpOptionsInput {
                    dhcp_options_id: mine.clone(),
                    dry_run: None,
                },
            )
        })
    };
    assert_eq!(
        code(delete(&mut r).unwrap_err()),
        (
            "DependencyViolation".into(),
            format!("The dhcpOptions '{mine}' has dependencies and cannot be deleted.")
        )
    );
    associate(&mut r, "default").unwrap();
    assert_eq!(r.state.vpcs[&vpc].dhcp_options_id, "default");
    delete(&mut r).unwrap();
}

/// Every VPC's default network ACL: rule 100 allow and `*` (32767) deny, each way, and
/// associated with each of its subnets (VPC User Guide, "Default network ACL"); it goes
/// with the VPC.
#[test]
fn the_default_network_acl_covers_every_subnet() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let acls = r
        .call(|h, cx| {
            h.describe_network_acls(
                cx,
                w::DescribeNetworkAclsInput {
                    filters: Some(vec![
                        w::Filter {
                            name: Some("vpc-id".into()),
                            values: Some(vec![vpc.clone()]),
                        },
                        w::Filter {
                            name: Some("default".into()),
                            values: Some(vec!["true".into()]),
                        },
                    ]),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .network_acls
        .unwrap();
    assert_eq!(acls.len(), 1);
    let entries: Vec<(i32, bool, String)> = acls[0]
        .entries
        .clone()
        .unwrap()
        .into_iter()
        .map(|e| {
            (
                e.rule_number.unwrap(),
                e.egress.unwrap(),
                e.rule_action.unwrap().as_str().to_string(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            (100, false, "allow".into()),
            (32767, false, "deny".into()),
            (100, true, "allow".into()),
            (32767, true, "deny".into())
        ]
    );
    let subnets: Vec<String> = acls[0]
        .associations
        .clone()
        .unwrap()
        .into_iter()
        .map(|a| a.subnet_id.unwrap())
        .collect();
    assert_eq!(subnets, std::slice::from_ref(&subnet));
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
    r.delete_vpc(&vpc).unwrap();
    assert!(r.state.network_acls.values().all(|a| a.vpc_id != vpc));
}

#[test]
fn modify_subnet_attribute_needs_exactly_one() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let err = r
        .call(|h, cx| {
            h.modify_subnet_attribute(
                cx,
                w::ModifySubnetAttributeInput {
                    subnet_id: subnet.clone(),
                    map_public_ip_on_launch: on(),
                    enable_dns64: on(),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(err.code, "InvalidParameterCombination");
}

/// Deviations an outside EC2 test suite found, each with EC2's documented or observed
/// answer: host bits are cleared (CreateVpc API reference: "if you specify
/// 100.68.0.18/18, we modify it to 100.68.0.0/18"), a prefixed VPC or subnet id of
/// another shape is NotFound (only an unprefixed one is Malformed), an Amazon IPv6 /56
/// comes with AmazonProvidedIpv6CidrBlock, TagSpecifications' resource type errors, and
/// RunInstances' "Invalid availability zone: [x]".
#[test]
fn deviations_found_by_an_outside_suite() {
    let mut r = Region::new();
    let vpc = r
        .call(|h, cx| {
            h.create_vpc(
                cx,
                w::CreateVpcInput {
                    cidr_block: Some("10.9.0.1/16".into()),
                    amazon_provided_ipv6_cidr_block: Some(true),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .vpc
        .unwrap();
    assert_eq!(vpc.cidr_block.as_deref(), Some("10.9.0.0/16"));
    let v6 = &vpc.ipv6_cidr_block_association_set.as_ref().unwrap()[0];
    assert!(v6.ipv6_cidr_block.as_deref().unwrap().ends_with("::/56"));
    assert_eq!(
        v6.ipv6_cidr_block_state
            .as_ref()
            .unwrap()
            .state
            .as_ref()
            .unwrap()
            .as_str(),
        "associating"
    );
    let vpc_id = vpc.vpc_id.unwrap();
    let described = r
        .call(|h, cx| {
            h.describe_vpcs(
                cx,
                w::DescribeVpcsInput {
                    vpc_ids: Some(vec![vpc_id.clone()]),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .vpcs
        .unwrap()
        .remove(0);
    let state = described.ipv6_cidr_block_association_set.unwrap()[0]
        .ipv6_cidr_block_state
        .clone()
        .unwrap();
    assert_eq!(state.state.unwrap().as_str(), "associated");
    let subnet = r.subnet(&vpc_id, "10.9.1.7/24");
    assert_eq!(r.state.subnets[&subnet].cidr.to_string(), "10.9.1.0/24");

    let describe = |r: &mut Region, id: &str| {
        r.call(|h, cx| {
            h.describe_vpcs(
                cx,
                w::DescribeVpcsInput {
                    vpc_ids: Some(vec![id.into()]),
                    ..Default::default()
                },
            )
        })
        .unwrap_err()
    };
    assert_eq!(
        code(describe(&mut r, "vpc-796591")),
        (
            "InvalidVpcID.NotFound".into(),
            "The vpc ID 'vpc-796591' does not exist".into()
        )
    );
    assert_eq!(describe(&mut r, "796591").code, "InvalidVpcID.Malformed");
    let err = r
        .call(|h, cx| {
            h.create_subnet(
                cx,
                w::CreateSubnetInput {
                    vpc_id: "vpc-796591".into(),
                    cidr_block: Some("10.0.0.0/24".into()),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(err.code, "InvalidVpcID.NotFound");

    let spec = |rt: Option<&str>| {
        Some(vec![w::TagSpecification {
            resource_type: rt.map(w::ResourceType::from),
            tags: Some(vec![crate::local::tag("k", "v")]),
        }])
    };
    let with_spec = |r: &mut Region, rt: Option<&str>| {
        r.call(|h, cx| {
            h.create_vpc(
                cx,
                w::CreateVpcInput {
                    cidr_block: Some("10.8.0.0/16".into()),
                    tag_specifications: spec(rt),
                    ..Default::default()
                },
            )
        })
        .unwrap_err()
    };
    assert_eq!(with_spec(&mut r, Some("bogus")).code, "InvalidParameter");
    assert_eq!(
        code(with_spec(&mut r, None)),
        (
            "InvalidParameterValue".into(),
            "Tag specification resource type must have a value".into()
        )
    );
    assert_eq!(
        with_spec(&mut r, Some("subnet")).code,
        "InvalidParameterValue"
    );

    let err = r
        .call(|h, cx| {
            h.run_instances(
                cx,
                w::RunInstancesInput {
                    image_id: Some("ami-0abcdef1234567890".into()),
                    min_count: 1,
                    max_count: 1,
                    placement: Some(w::Placement {
                        availability_zone: Some("us-east-1z".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(
        code(err),
        (
            "InvalidParameterValue".into(),
            "Invalid availability zone: [us-east-1z]".into()
        )
    );
}

/// Security group CIDRs lose their host bits too.
#[test]
fn security_group_cidrs_are_canonical() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let g = r.group(&vpc, "db");
    let rules = r
        .call(|h, cx| {
            h.authorize_security_group_ingress(
                cx,
                w::AuthorizeSecurityGroupIngressInput {
                    group_id: Some(g.clone()),
                    ip_permissions: Some(vec![w::IpPermission {
                        ip_protocol: Some("tcp".into()),
                        from_port: Some(5432),
                        to_port: Some(5432),
                        ip_ranges: Some(vec![w::IpRange {
                            cidr_ip: Some("10.0.3.9/24".into()),
                            description: None,
                        }]),
                        ..Default::default()
                    }]),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .security_group_rules
        .unwrap();
    assert_eq!(rules[0].cidr_ipv4.as_deref(), Some("10.0.3.0/24"));
}

/// CreateDefaultVpc and CreateDefaultSubnet remake what a new account has, and refuse
/// while it is there (DefaultVpcAlreadyExists, CreateDefaultVpc API reference).
#[test]
fn the_default_vpc_and_subnets_can_be_made_again() {
    let mut r = Region::new();
    let err = r
        .call(|h, cx| h.create_default_vpc(cx, Default::default()))
        .unwrap_err();
    assert_eq!(
        code(err),
        (
            "DefaultVpcAlreadyExists".into(),
            "A Default VPC already exists for this account in this region.".into()
        )
    );
    // Take the default VPC apart the way a user does.
    let vpc = r.state.default_vpc().unwrap().id.clone();
    let subnets: Vec<String> = r
        .state
        .subnets
        .values()
        .filter(|s| s.vpc_id == vpc)
        .map(|s| s.id.clone())
        .collect();
    let first_az = r.state.subnets[&subnets[0]].az.clone();
    let freed = r.state.subnets[&subnets[0]].cidr.to_string();
    let delete_subnet = |r: &mut Region, id: &str| {
        r.call(|h, cx| {
            h.delete_subnet(
                cx,
                w::DeleteSubnetInput {
                    subnet_id: id.into(),
                    dry_run: None,
                },
            )
        })
        .unwrap()
    };
    delete_subnet(&mut r, &subnets[0]);
    let again = r
        .call(|h, cx| {
            h.create_default_subnet(
                cx,
                w::CreateDefaultSubnetInput {
                    availability_zone: Some(first_az.clone()),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .subnet
        .unwrap();
    assert_eq!(
        (again.default_for_az, again.cidr_block),
        (Some(true), Some(freed)),
        "the first free /20 of the default VPC"
    );
    let dup = r
        .call(|h, cx| {
            h.create_default_subnet(
                cx,
                w::CreateDefaultSubnetInput {
                    availability_zone: Some(first_az.clone()),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(dup.code, "DefaultSubnetAlreadyExistsInAvailabilityZone");
    for s in r
        .state
        .subnets
        .values()
        .filter(|s| s.vpc_id == vpc)
        .map(|s| s.id.clone())
        .collect::<Vec<_>>()
    {
        delete_subnet(&mut r, &s);
    }
    let igw = r.state.internet_gateways.keys().next().unwrap().clone();
    r.call(|h, cx| {
        h.detach_internet_gateway(
            cx,
            w::DetachInternetGatewayInput {
                internet_gateway_id: igw.clone(),
                vpc_id: vpc.clone(),
                dry_run: None,
            },
        )
    })
    .unwrap();
    r.delete_vpc(&vpc).unwrap();
    let made = r
        .call(|h, cx| h.create_default_vpc(cx, Default::default()))
        .unwrap()
        .vpc
        .unwrap();
    assert_eq!(
        (made.is_default, made.cidr_block.as_deref()),
        (Some(true), Some("172.31.0.0/16"))
    );
    let new_vpc = made.vpc_id.unwrap();
    assert_eq!(
        r.state
            .subnets
            .values()
            .filter(|s| s.vpc_id == new_vpc)
            .count(),
        r.state.azs.len()
    );
    assert_eq!(
        routes(&r.main_table(&new_vpc)).len(),
        2,
        "local and 0.0.0.0/0"
    );
}

/// A secondary IPv4 block takes subnets and adds its local route; it cannot go while a
/// subnet is in it, and the primary block cannot go at all; an IPv6 /56 gives subnets
/// /64s inside it.
#[test]
fn vpc_and_subnet_cidr_blocks() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let added = r
        .call(|h, cx| {
            h.associate_vpc_cidr_block(
                cx,
                w::AssociateVpcCidrBlockInput {
                    vpc_id: vpc.clone(),
                    cidr_block: Some("10.1.0.0/16".into()),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .cidr_block_association
        .unwrap();
    let assoc = added.association_id.unwrap();
    let subnet = r.subnet(&vpc, "10.1.5.0/24");
    assert!(routes(&r.main_table(&vpc))
        .iter()
        .any(|(d, g, _, _)| d == "10.1.0.0/16" && g == "local"));
    let disassociate = |r: &mut Region, id: &str| {
        r.call(|h, cx| {
            h.disassociate_vpc_cidr_block(
                cx,
                w::DisassociateVpcCidrBlockInput {
                    association_id: id.into(),
                },
            )
        })
    };
    assert_eq!(
        disassociate(&mut r, &assoc).unwrap_err().code,
        "InvalidCidrBlock.InUse"
    );
    let primary = r.state.vpcs[&vpc].cidr_association_id.clone();
    assert_eq!(
        disassociate(&mut r, &primary).unwrap_err().code,
        "OperationNotPermitted"
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
    disassociate(&mut r, &assoc).unwrap();
    assert_eq!(routes(&r.main_table(&vpc)).len(), 1);

    let v6 = r
        .call(|h, cx| {
            h.associate_vpc_cidr_block(
                cx,
                w::AssociateVpcCidrBlockInput {
                    vpc_id: vpc.clone(),
                    amazon_provided_ipv6_cidr_block: Some(true),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .ipv6_cidr_block_association
        .unwrap()
        .ipv6_cidr_block
        .unwrap();
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let slash64 = v6.replace("00::/56", "01::/64");
    let ok = r
        .call(|h, cx| {
            h.associate_subnet_cidr_block(
                cx,
                w::AssociateSubnetCidrBlockInput {
                    subnet_id: subnet.clone(),
                    ipv6_cidr_block: Some(slash64.clone()),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    assert_eq!(
        ok.ipv6_cidr_block_association.unwrap().ipv6_cidr_block,
        Some(slash64)
    );
    let outside = r
        .call(|h, cx| {
            h.associate_subnet_cidr_block(
                cx,
                w::AssociateSubnetCidrBlockInput {
                    subnet_id: subnet.clone(),
                    ipv6_cidr_block: Some("2001:db8::/64".into()),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(outside.code, "InvalidSubnet.Range");
}

/// A custom ACL starts with only the `*` deny rules; entries are one per number and
/// direction (NetworkAclEntryAlreadyExists); the default ACL cannot be deleted, an
/// associated one is in use; ReplaceNetworkAclAssociation moves a subnet.
#[test]
fn network_acls_entries_and_associations() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let acl = r
        .call(|h, cx| {
            h.create_network_acl(
                cx,
                w::CreateNetworkAclInput {
                    vpc_id: vpc.clone(),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .network_acl
        .unwrap();
    let acl_id = acl.network_acl_id.unwrap();
    assert_eq!(
        acl.entries
            .unwrap()
            .iter()
            .map(|e| (
                e.rule_number.unwrap(),
                e.rule_action.as_ref().unwrap().as_str().to_string()
            ))
            .collect::<Vec<_>>(),
        [(32767, "deny".to_string()), (32767, "deny".to_string())]
    );
    let entry = |r: &mut Region| {
        r.call(|h, cx| {
            h.create_network_acl_entry(
                cx,
                w::CreateNetworkAclEntryInput {
                    network_acl_id: acl_id.clone(),
                    rule_number: 100,
                    protocol: "6".into(),
                    rule_action: w::RuleAction::from("allow"),
                    egress: false,
                    cidr_block: Some("0.0.0.0/0".into()),
                    port_range: Some(w::PortRange {
                        from: Some(443),
                        to: Some(443),
                    }),
                    ..Default::default()
                },
            )
        })
    };
    entry(&mut r).unwrap();
    assert_eq!(
        code(entry(&mut r).unwrap_err()),
        (
            "NetworkAclEntryAlreadyExists".into(),
            "The network acl entry identified by 100 already exists.".into()
        )
    );
    let default_acl = r
        .state
        .network_acls
        .values()
        .find(|a| a.vpc_id == vpc && a.is_default)
        .unwrap()
        .clone();
    let delete = |r: &mut Region, id: &str| {
        r.call(|h, cx| {
            h.delete_network_acl(
                cx,
                w::DeleteNetworkAclInput {
                    network_acl_id: id.into(),
                    dry_run: None,
                },
            )
        })
    };
    assert_eq!(
        delete(&mut r, &default_acl.id).unwrap_err().code,
        "InvalidParameterValue"
    );
    let assoc = default_acl.associations[0].0.clone();
    let moved = r
        .call(|h, cx| {
            h.replace_network_acl_association(
                cx,
                w::ReplaceNetworkAclAssociationInput {
                    association_id: assoc,
                    network_acl_id: acl_id.clone(),
                    dry_run: None,
                },
            )
        })
        .unwrap()
        .new_association_id
        .unwrap();
    assert_eq!(
        r.state.network_acls[&acl_id].associations,
        [(moved.clone(), subnet)]
    );
    assert_eq!(
        delete(&mut r, &acl_id).unwrap_err().code,
        "DependencyViolation"
    );
    r.call(|h, cx| {
        h.delete_network_acl_entry(
            cx,
            w::DeleteNetworkAclEntryInput {
                network_acl_id: acl_id.clone(),
                rule_number: 100,
                egress: false,
                dry_run: None,
            },
        )
    })
    .unwrap();
    assert_eq!(r.state.network_acls[&acl_id].entries.len(), 2);
}

/// An egress-only gateway is attached to its VPC from creation, can be a route target,
/// and keeps the VPC until deleted.
#[test]
fn egress_only_internet_gateways() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let gw = r
        .call(|h, cx| {
            h.create_egress_only_internet_gateway(
                cx,
                w::CreateEgressOnlyInternetGatewayInput {
                    vpc_id: vpc.clone(),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .egress_only_internet_gateway
        .unwrap();
    let id = gw.egress_only_internet_gateway_id.unwrap();
    assert_eq!(
        gw.attachments.unwrap()[0].state.as_ref().unwrap().as_str(),
        "attached"
    );
    let table = r.main_table(&vpc).route_table_id.unwrap();
    r.call(|h, cx| {
        h.create_route(
            cx,
            w::CreateRouteInput {
                route_table_id: table,
                destination_ipv6_cidr_block: Some("::/0".into()),
                egress_only_internet_gateway_id: Some(id.clone()),
                ..Default::default()
            },
        )
    })
    .unwrap();
    assert_eq!(r.delete_vpc(&vpc).unwrap_err().code, "DependencyViolation");
    let deleted = r
        .call(|h, cx| {
            h.delete_egress_only_internet_gateway(
                cx,
                w::DeleteEgressOnlyInternetGatewayInput {
                    egress_only_internet_gateway_id: id,
                    dry_run: None,
                },
            )
        })
        .unwrap();
    assert_eq!(deleted.return_code, Some(true));
    r.delete_vpc(&vpc).unwrap();
}

/// ModifySecurityGroupRules changes a rule in place (same id); the description
/// operations set descriptions by permission or by rule id.
#[test]
fn rules_are_modified_in_place() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let g = r.group(&vpc, "web");
    let rule = r.egress_rules(&g).remove(0).security_group_rule_id.unwrap();
    r.call(|h, cx| {
        h.modify_security_group_rules(
            cx,
            w::ModifySecurityGroupRulesInput {
                group_id: g.clone(),
                security_group_rules: vec![w::SecurityGroupRuleUpdate {
                    security_group_rule_id: rule.clone(),
                    security_group_rule: Some(w::SecurityGroupRuleRequest {
                        ip_protocol: Some("tcp".into()),
                        from_port: Some(443),
                        to_port: Some(443),
                        cidr_ipv4: Some("10.0.0.0/8".into()),
                        description: Some("https".into()),
                        ..Default::default()
                    }),
                }],
                dry_run: None,
            },
        )
    })
    .unwrap();
    let now = r.egress_rules(&g).remove(0);
    assert_eq!(
        (
            now.security_group_rule_id.as_deref(),
            now.from_port,
            now.cidr_ipv4.as_deref(),
            now.description.as_deref()
        ),
        (
            Some(rule.as_str()),
            Some(443),
            Some("10.0.0.0/8"),
            Some("https")
        )
    );
    r.call(|h, cx| {
        h.update_security_group_rule_descriptions_egress(
            cx,
            w::UpdateSecurityGroupRuleDescriptionsEgressInput {
                group_id: Some(g.clone()),
                security_group_rule_descriptions: Some(vec![w::SecurityGroupRuleDescription {
                    security_group_rule_id: Some(rule.clone()),
                    description: Some("tls out".into()),
                }]),
                ..Default::default()
            },
        )
    })
    .unwrap();
    assert_eq!(
        r.egress_rules(&g)[0].description.as_deref(),
        Some("tls out")
    );
    let missing = r
        .call(|h, cx| {
            h.update_security_group_rule_descriptions_ingress(
                cx,
                w::UpdateSecurityGroupRuleDescriptionsIngressInput {
                    group_id: Some(g.clone()),
                    ip_permissions: Some(vec![all_traffic_out()]),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(missing.code, "InvalidPermission.NotFound");
}

impl Region {
    fn eni(
        &mut self,
        subnet: &str,
        extra: impl FnOnce(&mut w::CreateNetworkInterfaceInput),
    ) -> w::NetworkInterface {
        let mut input = w::CreateNetworkInterfaceInput {
            subnet_id: subnet.into(),
            ..Default::default()
        };
        extra(&mut input);
        self.call(|h, cx| h.create_network_interface(cx, input))
            .unwrap()
            .network_interface
            .unwrap()
    }
}

/// CreateNetworkInterface takes its addresses from the subnet and the VPC's default group
/// when none is named; DescribeNetworkInterfaces lists instances' primary interfaces too;
/// attached interfaces are in use (InvalidNetworkInterface.InUse), show on the instance,
/// and the primary one cannot be detached; a subnet with interfaces cannot be deleted.
#[test]
fn network_interfaces_attach_detach_and_delete() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let free = r.state.subnets[&subnet].available_ip_count();
    let eni = r.eni(&subnet, |i| {
        i.private_ip_address = Some("10.0.1.20".into());
        i.secondary_private_ip_address_count = Some(2);
        i.description = Some("app".into());
    });
    assert_eq!(r.state.subnets[&subnet].available_ip_count(), free - 3);
    assert_eq!(eni.private_ip_address.as_deref(), Some("10.0.1.20"));
    assert_eq!(eni.private_ip_addresses.as_ref().unwrap().len(), 3);
    assert_eq!(eni.status.as_ref().unwrap().as_str(), "available");
    let default_group = r.state.group_by_name(&vpc, "default").unwrap().id.clone();
    assert_eq!(
        eni.groups.as_ref().unwrap()[0].group_id.as_deref(),
        Some(default_group.as_str())
    );
    let taken = r
        .call(|h, cx| {
            h.create_network_interface(
                cx,
                w::CreateNetworkInterfaceInput {
                    subnet_id: subnet.clone(),
                    private_ip_address: Some("10.0.1.20".into()),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(taken.code, "InvalidIPAddress.InUse");
    let eni_id = eni.network_interface_id.unwrap();

    let i = r.launch(&subnet);
    let all = r
        .call(|h, cx| h.describe_network_interfaces(cx, Default::default()))
        .unwrap()
        .network_interfaces
        .unwrap();
    let primary = all
        .iter()
        .find(|n| n.attachment.as_ref().and_then(|a| a.instance_id.as_deref()) == Some(i.as_str()))
        .expect("the instance's primary interface is listed");
    assert_eq!(primary.attachment.as_ref().unwrap().device_index, Some(0));

    let attach = |r: &mut Region, index: i32| {
        r.call(|h, cx| {
            h.attach_network_interface(
                cx,
                w::AttachNetworkInterfaceInput {
                    network_interface_id: eni_id.clone(),
                    instance_id: i.clone(),
                    device_index: index,
                    ..Default::default()
                },
            )
        })
    };
    assert_eq!(
        attach(&mut r, 0).unwrap_err().code,
        "InvalidParameterValue",
        "index 0 is taken"
    );
    let attachment = attach(&mut r, 1).unwrap().attachment_id.unwrap();
    assert_eq!(
        code(attach(&mut r, 2).unwrap_err()),
        (
            "InvalidNetworkInterface.InUse".into(),
            format!("Interface: [{eni_id}] in use.")
        )
    );
    let inst = r.instance(&i);
    assert_eq!(inst.network_interfaces.as_ref().unwrap().len(), 2);
    let delete = |r: &mut Region, id: &str| {
        r.call(|h, cx| {
            h.delete_network_interface(
                cx,
                w::DeleteNetworkInterfaceInput {
                    network_interface_id: id.into(),
                    dry_run: None,
                },
            )
        })
    };
    assert_eq!(
        delete(&mut r, &eni_id).unwrap_err().code,
        "InvalidNetworkInterface.InUse"
    );
    let primary_attachment = primary
        .attachment
        .as_ref()
        .unwrap()
        .attachment_id
        .clone()
        .unwrap();
    let detach = |r: &mut Region, id: &str| {
        r.call(|h, cx| {
            h.detach_network_interface(
                cx,
                w::DetachNetworkInterfaceInput {
                    attachment_id: id.into(),
                    ..Default::default()
                },
            )
        })
    };
    assert_eq!(
        detach(&mut r, &primary_attachment).unwrap_err().code,
        "OperationNotPermitted"
    );
    detach(&mut r, &attachment).unwrap();
    assert_eq!(r.instance(&i).network_interfaces.unwrap().len(), 1);
    r.call(|h, cx| {
        h.terminate_instances(
            cx,
            w::TerminateInstancesInput {
                instance_ids: vec![i.clone()],
                ..Default::default()
            },
        )
    })
    .unwrap();
    let delete_subnet = |r: &mut Region| {
        r.call(|h, cx| {
            h.delete_subnet(
                cx,
                w::DeleteSubnetInput {
                    subnet_id: subnet.clone(),
                    dry_run: None,
                },
            )
        })
    };
    assert_eq!(
        delete_subnet(&mut r).unwrap_err().code,
        "DependencyViolation",
        "the interface is left"
    );
    delete(&mut r, &eni_id).unwrap();
    assert_eq!(r.state.subnets[&subnet].available_ip_count(), free);
    delete_subnet(&mut r).unwrap();
}

/// Groups on an instance's primary interface are the instance's groups; one attribute per
/// call; secondary addresses come and go from the subnet.
#[test]
fn interface_attributes_and_secondary_addresses() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let web = r.group(&vpc, "web");
    let i = r.launch(&subnet);
    let eni = r.state.instances[&i].eni_id.clone();
    r.call(|h, cx| {
        h.modify_network_interface_attribute(
            cx,
            w::ModifyNetworkInterfaceAttributeInput {
                network_interface_id: eni.clone(),
                groups: Some(vec![web.clone()]),
                ..Default::default()
            },
        )
    })
    .unwrap();
    let groups = r.instance(&i).security_groups.unwrap();
    assert_eq!(groups[0].group_id.as_deref(), Some(web.as_str()));
    let both = r
        .call(|h, cx| {
            h.modify_network_interface_attribute(
                cx,
                w::ModifyNetworkInterfaceAttributeInput {
                    network_interface_id: eni.clone(),
                    description: Some(w::AttributeValue {
                        value: Some("x".into()),
                    }),
                    source_dest_check: Some(w::AttributeBooleanValue { value: Some(false) }),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(both.code, "InvalidParameterCombination");
    let free = r.state.subnets[&subnet].available_ip_count();
    let assigned = r
        .call(|h, cx| {
            h.assign_private_ip_addresses(
                cx,
                w::AssignPrivateIpAddressesInput {
                    network_interface_id: eni.clone(),
                    secondary_private_ip_address_count: Some(2),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .assigned_private_ip_addresses
        .unwrap();
    assert_eq!(assigned.len(), 2);
    assert_eq!(r.state.subnets[&subnet].available_ip_count(), free - 2);
    r.call(|h, cx| {
        h.unassign_private_ip_addresses(
            cx,
            w::UnassignPrivateIpAddressesInput {
                network_interface_id: eni.clone(),
                private_ip_addresses: Some(vec![assigned[0].private_ip_address.clone().unwrap()]),
                ..Default::default()
            },
        )
    })
    .unwrap();
    assert_eq!(r.state.subnets[&subnet].available_ip_count(), free - 1);
    let attr = r
        .call(|h, cx| {
            h.describe_network_interface_attribute(
                cx,
                w::DescribeNetworkInterfaceAttributeInput {
                    network_interface_id: eni.clone(),
                    attribute: Some(w::NetworkInterfaceAttribute::from("groupSet")),
                    dry_run: None,
                },
            )
        })
        .unwrap();
    assert_eq!(
        attr.groups.unwrap()[0].group_id.as_deref(),
        Some(web.as_str())
    );
    // The group is in use by the interface, so by the instance.
    let err = r
        .call(|h, cx| {
            h.delete_security_group(
                cx,
                w::DeleteSecurityGroupInput {
                    group_id: Some(web.clone()),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(err.code, "DependencyViolation");
}

/// A Gateway endpoint for S3 routes the region's S3 prefix list through itself in its
/// route tables (VPC User Guide, "Gateway endpoints"); modifying and deleting it moves and
/// removes the routes; deleting an unknown endpoint is an unsuccessful item, not an error.
#[test]
fn gateway_endpoints_route_the_service_prefix_list() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let main = r.main_table(&vpc).route_table_id.unwrap();
    let lists = r
        .call(|h, cx| h.describe_prefix_lists(cx, Default::default()))
        .unwrap()
        .prefix_lists
        .unwrap();
    let s3 = lists
        .iter()
        .find(|p| p.prefix_list_name.as_deref() == Some("com.amazonaws.us-east-1.s3"))
        .unwrap();
    assert!(s3
        .cidrs
        .as_ref()
        .unwrap()
        .contains(&"52.216.0.0/15".to_string()));
    let pl = s3.prefix_list_id.clone().unwrap();
    let ep = r
        .call(|h, cx| {
            h.create_vpc_endpoint(
                cx,
                w::CreateVpcEndpointInput {
                    vpc_id: vpc.clone(),
                    service_name: Some("com.amazonaws.us-east-1.s3".into()),
                    route_table_ids: Some(vec![main.clone()]),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .vpc_endpoint
        .unwrap();
    let id = ep.vpc_endpoint_id.unwrap();
    assert_eq!(ep.vpc_endpoint_type.unwrap().as_str(), "Gateway");
    let route = r
        .main_table(&vpc)
        .routes
        .unwrap()
        .into_iter()
        .find(|x| x.destination_prefix_list_id.as_deref() == Some(pl.as_str()))
        .unwrap();
    assert_eq!(route.gateway_id.as_deref(), Some(id.as_str()));
    let bad = r
        .call(|h, cx| {
            h.create_vpc_endpoint(
                cx,
                w::CreateVpcEndpointInput {
                    vpc_id: vpc.clone(),
                    service_name: Some("com.amazonaws.us-east-1.nope".into()),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(bad.code, "InvalidServiceName");
    r.call(|h, cx| {
        h.modify_vpc_endpoint(
            cx,
            w::ModifyVpcEndpointInput {
                vpc_endpoint_id: id.clone(),
                remove_route_table_ids: Some(vec![main.clone()]),
                ..Default::default()
            },
        )
    })
    .unwrap();
    assert_eq!(routes(&r.main_table(&vpc)).len(), 1);
    let out = r
        .call(|h, cx| {
            h.delete_vpc_endpoints(
                cx,
                w::DeleteVpcEndpointsInput {
                    vpc_endpoint_ids: vec![id.clone(), "vpce-0123456789abcdef0".into()],
                    dry_run: None,
                },
            )
        })
        .unwrap();
    let failed = out.unsuccessful.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(
        failed[0].resource_id.as_deref(),
        Some("vpce-0123456789abcdef0")
    );
    assert!(r.state.vpc_endpoints.is_empty());
}

/// An Interface endpoint has an interface in each subnet (one per zone), which keeps the
/// subnet until the endpoint goes.
#[test]
fn interface_endpoints_have_interfaces_in_their_subnets() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let ep = r
        .call(|h, cx| {
            h.create_vpc_endpoint(
                cx,
                w::CreateVpcEndpointInput {
                    vpc_id: vpc.clone(),
                    vpc_endpoint_type: Some(w::VpcEndpointType::from("Interface")),
                    service_name: Some("com.amazonaws.us-east-1.ssm".into()),
                    subnet_ids: Some(vec![subnet.clone()]),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .vpc_endpoint
        .unwrap();
    let enis = ep.network_interface_ids.unwrap();
    assert_eq!(enis.len(), 1);
    assert_eq!(&*r.state.network_interfaces[&enis[0]].subnet_id, subnet);
    let delete_subnet = |r: &mut Region| {
        r.call(|h, cx| {
            h.delete_subnet(
                cx,
                w::DeleteSubnetInput {
                    subnet_id: subnet.clone(),
                    dry_run: None,
                },
            )
        })
    };
    assert_eq!(
        delete_subnet(&mut r).unwrap_err().code,
        "DependencyViolation"
    );
    r.call(|h, cx| {
        h.delete_vpc_endpoints(
            cx,
            w::DeleteVpcEndpointsInput {
                vpc_endpoint_ids: vec![ep.vpc_endpoint_id.unwrap()],
                dry_run: None,
            },
        )
    })
    .unwrap();
    delete_subnet(&mut r).unwrap();
}

/// Managed prefix lists: versions on each change (GetManagedPrefixListEntries by
/// TargetVersion), CurrentVersion checked, AWS's own lists read-only, a list a rule
/// names is in use.
#[test]
fn managed_prefix_lists_keep_their_versions() {
    let mut r = Region::new();
    let list = r
        .call(|h, cx| {
            h.create_managed_prefix_list(
                cx,
                w::CreateManagedPrefixListInput {
                    prefix_list_name: "offices".into(),
                    max_entries: 5,
                    address_family: "IPv4".into(),
                    entries: Some(vec![w::AddPrefixListEntry {
                        cidr: "192.0.2.0/24".into(),
                        description: Some("hq".into()),
                    }]),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .prefix_list
        .unwrap();
    let id = list.prefix_list_id.unwrap();
    let modify = |r: &mut Region, version: i64| {
        r.call(|h, cx| {
            h.modify_managed_prefix_list(
                cx,
                w::ModifyManagedPrefixListInput {
                    prefix_list_id: id.clone(),
                    current_version: Some(version),
                    add_entries: Some(vec![w::AddPrefixListEntry {
                        cidr: "198.51.100.7/24".into(),
                        description: None,
                    }]),
                    ..Default::default()
                },
            )
        })
    };
    modify(&mut r, 1).unwrap();
    assert_eq!(
        modify(&mut r, 1).unwrap_err().code,
        "PrefixListVersionMismatch"
    );
    let entries = |r: &mut Region, v: Option<i64>| {
        r.call(|h, cx| {
            h.get_managed_prefix_list_entries(
                cx,
                w::GetManagedPrefixListEntriesInput {
                    prefix_list_id: id.clone(),
                    target_version: v,
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .entries
        .unwrap()
        .into_iter()
        .map(|e| e.cidr.unwrap())
        .collect::<Vec<_>>()
    };
    assert_eq!(entries(&mut r, None), ["192.0.2.0/24", "198.51.100.0/24"]);
    assert_eq!(entries(&mut r, Some(1)), ["192.0.2.0/24"]);
    let vpc = r.vpc("10.0.0.0/16");
    let g = r.group(&vpc, "office");
    r.call(|h, cx| {
        h.authorize_security_group_ingress(
            cx,
            w::AuthorizeSecurityGroupIngressInput {
                group_id: Some(g.clone()),
                ip_permissions: Some(vec![w::IpPermission {
                    ip_protocol: Some("tcp".into()),
                    from_port: Some(22),
                    to_port: Some(22),
                    prefix_list_ids: Some(vec![w::PrefixListId {
                        prefix_list_id: Some(id.clone()),
                        description: None,
                    }]),
                    ..Default::default()
                }]),
                ..Default::default()
            },
        )
    })
    .unwrap();
    let delete = |r: &mut Region, id: &str| {
        r.call(|h, cx| {
            h.delete_managed_prefix_list(
                cx,
                w::DeleteManagedPrefixListInput {
                    prefix_list_id: id.into(),
                    dry_run: None,
                },
            )
        })
    };
    assert_eq!(delete(&mut r, &id).unwrap_err().code, "DependencyViolation");
    let aws = r
        .state
        .prefix_lists
        .values()
        .find(|p| p.aws_managed)
        .unwrap()
        .id
        .clone();
    assert_eq!(
        delete(&mut r, &aws).unwrap_err().code,
        "OperationNotPermitted"
    );
}

/// An explicit subnet CIDR reservation keeps its addresses from being handed out.
#[test]
fn explicit_cidr_reservations_are_not_handed_out() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/28");
    r.call(|h, cx| {
        h.create_subnet_cidr_reservation(
            cx,
            w::CreateSubnetCidrReservationInput {
                subnet_id: subnet.clone(),
                cidr: "10.0.1.0/29".into(),
                reservation_type: w::SubnetCidrReservationType::from("explicit"),
                ..Default::default()
            },
        )
    })
    .unwrap();
    let eni = r.eni(&subnet, |_| {});
    let ip: std::net::Ipv4Addr = eni.private_ip_address.unwrap().parse().unwrap();
    assert!(ip.octets()[3] >= 8, "{ip} is outside 10.0.1.0/29");
    let got = r
        .call(|h, cx| {
            h.get_subnet_cidr_reservations(
                cx,
                w::GetSubnetCidrReservationsInput {
                    subnet_id: subnet.clone(),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .subnet_ipv4_cidr_reservations
        .unwrap();
    assert_eq!(got[0].cidr.as_deref(), Some("10.0.1.0/29"));
}

/// A subnet's launch settings reach the instances launched in it: resource-based
/// hostnames (EC2 User Guide, "EC2 instance hostname types") and an IPv6 address from its
/// /64 when AssignIpv6AddressOnCreation is on.
#[test]
fn subnet_launch_settings_reach_instances() {
    let mut r = Region::new();
    let vpc = r
        .call(|h, cx| {
            h.create_vpc(
                cx,
                w::CreateVpcInput {
                    cidr_block: Some("10.0.0.0/16".into()),
                    amazon_provided_ipv6_cidr_block: Some(true),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .vpc
        .unwrap();
    let block = vpc.ipv6_cidr_block_association_set.unwrap()[0]
        .ipv6_cidr_block
        .clone()
        .unwrap();
    let vpc = vpc.vpc_id.unwrap();
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let slash64 = block.replace("00::/56", "01::/64");
    r.call(|h, cx| {
        h.associate_subnet_cidr_block(
            cx,
            w::AssociateSubnetCidrBlockInput {
                subnet_id: subnet.clone(),
                ipv6_cidr_block: Some(slash64.clone()),
                ..Default::default()
            },
        )
    })
    .unwrap();
    for input in [
        w::ModifySubnetAttributeInput {
            subnet_id: subnet.clone(),
            assign_ipv6_address_on_creation: on(),
            ..Default::default()
        },
        w::ModifySubnetAttributeInput {
            subnet_id: subnet.clone(),
            private_dns_hostname_type_on_launch: Some(w::HostnameType::from("resource-name")),
            ..Default::default()
        },
    ] {
        r.call(|h, cx| h.modify_subnet_attribute(cx, input))
            .unwrap();
    }
    let i = r.launch(&subnet);
    let inst = r.instance(&i);
    assert_eq!(inst.private_dns_name, Some(format!("{i}.ec2.internal")));
    assert_eq!(
        inst.private_dns_name_options
            .unwrap()
            .hostname_type
            .unwrap()
            .as_str(),
        "resource-name"
    );
    let v6: std::net::Ipv6Addr = inst.ipv6_address.unwrap().parse().unwrap();
    let net: std::net::Ipv6Addr = slash64.trim_end_matches("/64").parse().unwrap();
    assert_eq!(
        u128::from(v6) >> 64,
        u128::from(net) >> 64,
        "inside the subnet's /64"
    );
}

/// EBS volumes (EBS User Guide; CreateVolume / AttachVolume / DetachVolume / DeleteVolume
/// API reference): size or snapshot required (recorded AWS wording), same zone as the
/// instance (InvalidVolume.ZoneMismatch), in use while attached (VolumeInUse), the root
/// volume of a running instance stays.
#[test]
fn volumes_create_attach_detach_delete() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let az = r.state.subnets[&subnet].az.clone();
    let other_az = r
        .state
        .azs
        .iter()
        .find(|(n, _)| *n != az)
        .unwrap()
        .0
        .clone();
    let create = |r: &mut Region, az: &str, size: Option<i32>| {
        r.call(|h, cx| {
            h.create_volume(
                cx,
                w::CreateVolumeInput {
                    availability_zone: Some(az.into()),
                    size,
                    volume_type: Some(w::VolumeType::from("gp3")),
                    ..Default::default()
                },
            )
        })
    };
    assert_eq!(
        code(create(&mut r, &az, None).unwrap_err()),
        (
            "MissingParameter".into(),
            "The request must contain the parameter size/snapshot".into()
        )
    );
    let vol = create(&mut r, &az, Some(20)).unwrap();
    assert_eq!(vol.state.as_ref().unwrap().as_str(), "creating");
    assert_eq!((vol.iops, vol.throughput), (Some(3000), Some(125)));
    let vol_id = vol.volume_id.unwrap();
    let far = create(&mut r, &other_az, Some(20))
        .unwrap()
        .volume_id
        .unwrap();
    let i = r.launch(&subnet);
    let attach = |r: &mut Region, v: &str, device: &str| {
        r.call(|h, cx| {
            h.attach_volume(
                cx,
                w::AttachVolumeInput {
                    device: device.into(),
                    instance_id: i.clone(),
                    volume_id: v.into(),
                    ..Default::default()
                },
            )
        })
    };
    assert_eq!(
        attach(&mut r, &far, "/dev/sdf").unwrap_err().code,
        "InvalidVolume.ZoneMismatch"
    );
    assert_eq!(
        attach(&mut r, &vol_id, "/dev/xvda").unwrap_err().code,
        "InvalidParameterValue",
        "the root device is taken"
    );
    let att = attach(&mut r, &vol_id, "/dev/sdf").unwrap();
    assert_eq!(att.state.unwrap().as_str(), "attaching");
    let devices: Vec<String> = r
        .instance(&i)
        .block_device_mappings
        .unwrap()
        .into_iter()
        .map(|m| m.device_name.unwrap())
        .collect();
    assert_eq!(devices, ["/dev/xvda", "/dev/sdf"]);
    let delete = |r: &mut Region, v: &str| {
        r.call(|h, cx| {
            h.delete_volume(
                cx,
                w::DeleteVolumeInput {
                    volume_id: v.into(),
                    dry_run: None,
                },
            )
        })
    };
    assert_eq!(
        code(delete(&mut r, &vol_id).unwrap_err()),
        (
            "VolumeInUse".into(),
            format!("Volume {vol_id} is currently attached to {i}")
        )
    );
    let root = r.state.instances[&i].volume_ids[0].clone();
    let detach = |r: &mut Region, v: &str| {
        r.call(|h, cx| {
            h.detach_volume(
                cx,
                w::DetachVolumeInput {
                    volume_id: v.into(),
                    ..Default::default()
                },
            )
        })
    };
    assert_eq!(
        detach(&mut r, &root).unwrap_err().code,
        "OperationNotPermitted"
    );
    detach(&mut r, &vol_id).unwrap();
    assert_eq!(detach(&mut r, &vol_id).unwrap_err().code, "IncorrectState");
    delete(&mut r, &vol_id).unwrap();
    let described = r
        .call(|h, cx| {
            h.describe_volumes(
                cx,
                w::DescribeVolumesInput {
                    filters: Some(vec![w::Filter {
                        name: Some("attachment.instance-id".into()),
                        values: Some(vec![i.clone()]),
                    }]),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .volumes
        .unwrap();
    assert_eq!(described.len(), 1, "the root volume");
    assert_eq!(described[0].state.as_ref().unwrap().as_str(), "in-use");
}

/// Terminating an instance detaches the volumes that do not delete on termination; they
/// become available (EC2 User Guide, "Preserve data when an instance is terminated").
#[test]
fn terminated_instances_leave_their_kept_volumes_available() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let az = r.state.subnets[&subnet].az.clone();
    let vol = r
        .call(|h, cx| {
            h.create_volume(
                cx,
                w::CreateVolumeInput {
                    availability_zone: Some(az.clone()),
                    size: Some(10),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .volume_id
        .unwrap();
    let i = r.launch(&subnet);
    r.call(|h, cx| {
        h.attach_volume(
            cx,
            w::AttachVolumeInput {
                device: "/dev/sdf".into(),
                instance_id: i.clone(),
                volume_id: vol.clone(),
                ..Default::default()
            },
        )
    })
    .unwrap();
    r.call(|h, cx| {
        h.terminate_instances(
            cx,
            w::TerminateInstancesInput {
                instance_ids: vec![i.clone()],
                ..Default::default()
            },
        )
    })
    .unwrap();
    let v = r
        .call(|h, cx| {
            h.describe_volumes(
                cx,
                w::DescribeVolumesInput {
                    volume_ids: Some(vec![vol.clone()]),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .volumes
        .unwrap()
        .remove(0);
    assert_eq!(v.state.unwrap().as_str(), "available");
    assert!(v.attachments.unwrap().is_empty());
}

/// Instance attributes (DescribeInstanceAttribute / ModifyInstanceAttribute API
/// reference): the type changes only while stopped; termination and stop protection make
/// TerminateInstances and StopInstances fail with OperationNotPermitted; burstable types
/// have their CPU credit option (T3 unlimited by default).
#[test]
fn instance_attributes_and_their_rules() {
    let mut r = Region::new();
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let i = r.launch(&subnet);
    let set_type = |r: &mut Region| {
        r.call(|h, cx| {
            h.modify_instance_attribute(
                cx,
                w::ModifyInstanceAttributeInput {
                    instance_id: i.clone(),
                    instance_type: Some(w::AttributeValue {
                        value: Some("m5.large".into()),
                    }),
                    ..Default::default()
                },
            )
        })
    };
    assert_eq!(set_type(&mut r).unwrap_err().code, "IncorrectInstanceState");
    let protect = |r: &mut Region, termination: bool, on: bool| {
        let v = Some(w::AttributeBooleanValue { value: Some(on) });
        r.call(|h, cx| {
            h.modify_instance_attribute(
                cx,
                w::ModifyInstanceAttributeInput {
                    instance_id: i.clone(),
                    disable_api_termination: if termination { v.clone() } else { None },
                    disable_api_stop: if termination { None } else { v.clone() },
                    ..Default::default()
                },
            )
        })
        .unwrap()
    };
    protect(&mut r, false, true);
    let stop = |r: &mut Region| {
        r.call(|h, cx| {
            h.stop_instances(
                cx,
                w::StopInstancesInput {
                    instance_ids: vec![i.clone()],
                    ..Default::default()
                },
            )
        })
    };
    assert_eq!(stop(&mut r).unwrap_err().code, "OperationNotPermitted");
    protect(&mut r, false, false);
    stop(&mut r).unwrap();
    set_type(&mut r).unwrap();
    let attr = |r: &mut Region, name: &str| {
        r.call(|h, cx| {
            h.describe_instance_attribute(
                cx,
                w::DescribeInstanceAttributeInput {
                    instance_id: i.clone(),
                    attribute: w::InstanceAttributeName::from(name),
                    dry_run: None,
                },
            )
        })
        .unwrap()
    };
    assert_eq!(
        attr(&mut r, "instanceType")
            .instance_type
            .unwrap()
            .value
            .as_deref(),
        Some("m5.large")
    );
    protect(&mut r, true, true);
    assert_eq!(
        attr(&mut r, "disableApiTermination")
            .disable_api_termination
            .unwrap()
            .value,
        Some(true)
    );
    let err = r
        .call(|h, cx| {
            h.terminate_instances(
                cx,
                w::TerminateInstancesInput {
                    instance_ids: vec![i.clone()],
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(err.code, "OperationNotPermitted");

    let t3 = r.launch(&subnet);
    let credits = r
        .call(|h, cx| h.describe_instance_credit_specifications(cx, Default::default()))
        .unwrap()
        .instance_credit_specifications
        .unwrap();
    // The unlimited ones, the t3.micro resized to m5.large included (the API reference's
    // "resize a T2 instance, while it is configured as unlimited, to an M4 instance").
    let mut listed: Vec<(String, String)> = credits
        .into_iter()
        .map(|c| (c.instance_id.unwrap(), c.cpu_credits.unwrap()))
        .collect();
    listed.sort();
    let mut want = vec![
        (t3.clone(), "unlimited".to_string()),
        (i.clone(), "unlimited".to_string()),
    ];
    want.sort();
    assert_eq!(listed, want);
    let out = r
        .call(|h, cx| {
            h.modify_instance_credit_specification(
                cx,
                w::ModifyInstanceCreditSpecificationInput {
                    instance_credit_specifications: vec![
                        w::InstanceCreditSpecificationRequest {
                            instance_id: t3.clone(),
                            cpu_credits: Some("standard".into()),
                        },
                        w::InstanceCreditSpecificationRequest {
                            instance_id: i.clone(),
                            cpu_credits: Some("standard".into()),
                        },
                    ],
                    ..Default::default()
                },
            )
        })
        .unwrap();
    assert_eq!(
        out.successful_instance_credit_specifications.unwrap().len(),
        1
    );
    let failed = out.unsuccessful_instance_credit_specifications.unwrap();
    assert_eq!(
        failed[0]
            .error
            .as_ref()
            .unwrap()
            .code
            .as_ref()
            .unwrap()
            .as_str(),
        "InstanceCreditSpecification.NotSupported"
    );
}

/// The texts of the elements at `path` (the last names of their ancestry, innermost
/// last) in a kept item, parsed as XML under a `kept` root.
fn kept_at(item: &str, path: &[&str]) -> Vec<String> {
    let doc = format!("<kept>{item}</kept>");
    let d = roxmltree::Document::parse(&doc).expect("a kept item is well-formed XML");
    d.descendants()
        .filter(|n| n.is_element())
        .filter(|n| {
            let names: Vec<&str> = n
                .ancestors()
                .filter(|a| a.is_element())
                .map(|a| a.tag_name().name())
                .take(path.len())
                .collect();
            names.iter().rev().eq(path.iter())
        })
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

/// DescribeInstances keeps each instance's rendered item (store::Renders) and serves it
/// while nothing the item shows has changed: a change to the instance, its interface,
/// its volumes, or the state the clock moves it to shows in the next answer.
#[test]
fn a_kept_instance_item_follows_every_record_it_shows() {
    let mut r = Region::new();
    r.config.render_cache_bytes = 1 << 20;
    r.config.transition = std::time::Duration::from_secs(1);
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let i = r.launch(&subnet);
    // The instance's item within its reservation's, both kept.
    let xml = |r: &mut Region| {
        let item = r.reservation(&i).rendered.expect("a rendered reservation");
        assert_eq!(
            kept_at(&item.to_xml(), &["instancesSet", "item", "instanceId"]),
            std::slice::from_ref(&i)
        );
        item.to_xml()
    };
    let first = xml(&mut r);
    assert_eq!(kept_at(&first, &["instanceState", "name"]), ["pending"]);
    assert_eq!(xml(&mut r), first);
    // Kept: the reservation's item and the instance's within it. (Debug builds also
    // render a hit afresh to check it, which reads the instance's entry.)
    let stats = r.state.renders.stats();
    assert_eq!((stats.items, stats.misses), (2, 2));
    assert!(stats.hits >= 1);
    // The clock: pending becomes running with no write at all.
    r.later(2);
    assert_eq!(
        kept_at(&xml(&mut r), &["instanceState", "name"]),
        ["running"]
    );
    // The instance's own record.
    r.call(|h, cx| {
        h.create_tags(
            cx,
            w::CreateTagsInput {
                resources: vec![i.clone()],
                tags: vec![w::Tag {
                    key: Some("Name".into()),
                    value: Some("web".into()),
                }],
                ..Default::default()
            },
        )
    })
    .unwrap();
    let tagged = xml(&mut r);
    assert_eq!(kept_at(&tagged, &["tagSet", "item", "key"]), ["Name"]);
    assert_eq!(kept_at(&tagged, &["tagSet", "item", "value"]), ["web"]);
    // Its primary interface.
    let eni = r.state.instances[&i].eni_id.clone();
    r.call(|h, cx| {
        h.modify_network_interface_attribute(
            cx,
            w::ModifyNetworkInterfaceAttributeInput {
                network_interface_id: eni.clone(),
                source_dest_check: Some(w::AttributeBooleanValue { value: Some(false) }),
                ..Default::default()
            },
        )
    })
    .unwrap();
    let checked = xml(&mut r);
    assert_eq!(
        kept_at(&checked, &["instancesSet", "item", "sourceDestCheck"]),
        ["false"]
    );
    assert_eq!(
        kept_at(
            &checked,
            &["networkInterfaceSet", "item", "sourceDestCheck"]
        ),
        ["false"]
    );
    // Its root volume, changed through the volume alone (the instance record is not
    // written: DeleteOnTermination lives on the volume's attachment).
    let root = r.state.instances[&i].volume_ids[0].clone();
    let before = r.state.instances.rev(&i);
    r.state
        .volumes
        .get_mut(&root)
        .unwrap()
        .attachment
        .as_mut()
        .unwrap()
        .delete_on_termination = false;
    assert_eq!(r.state.instances.rev(&i), before);
    assert_eq!(
        kept_at(
            &xml(&mut r),
            &["blockDeviceMapping", "item", "ebs", "deleteOnTermination"]
        ),
        ["false"]
    );
    let off = r.state.renders.stats();
    assert_eq!(
        off.items, 2,
        "one entry for the reservation and one for the instance, replaced in place"
    );
}

/// A reservation's kept item shows the instances asked for, no more: the whole
/// reservation, then one of its instances by id, then the whole again, each from the
/// cache where its key holds (debug builds check every reuse against a fresh render).
#[test]
fn a_kept_reservation_item_shows_the_instances_of_the_page() {
    let mut r = Region::new();
    r.config.render_cache_bytes = 1 << 20;
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let ids: Vec<String> = r
        .call(|h, cx| {
            h.run_instances(
                cx,
                w::RunInstancesInput {
                    image_id: Some("ami-0abcdef1234567890".into()),
                    instance_type: Some(w::InstanceType::from("t3.micro")),
                    subnet_id: Some(subnet.clone()),
                    min_count: 3,
                    max_count: 3,
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .instances
        .unwrap()
        .into_iter()
        .map(|i| i.instance_id.unwrap())
        .collect();
    let shown = |r: &mut Region, only: Option<&str>| {
        let out = r
            .call(|h, cx| {
                h.describe_instances(
                    cx,
                    w::DescribeInstancesInput {
                        instance_ids: only.map(|i| vec![i.to_string()]),
                        ..Default::default()
                    },
                )
            })
            .unwrap();
        let res = out.reservations.unwrap();
        assert_eq!(res.len(), 1);
        let xml = res[0]
            .rendered
            .clone()
            .expect("a kept reservation")
            .to_xml();
        kept_at(&xml, &["instancesSet", "item", "instanceId"])
    };
    assert_eq!(shown(&mut r, None), ids);
    assert_eq!(shown(&mut r, Some(&ids[1])), [ids[1].clone()]);
    assert_eq!(shown(&mut r, None), ids);
    assert_eq!(shown(&mut r, None), ids);
    let stats = r.state.renders.stats();
    // The reservation and its three instances; the last answer was a hit.
    assert_eq!(stats.items, 4);
}

/// A `tag:` filter reads the tag index (store::table), which every request that writes
/// leaves current: launching tagged, retagging and deleting tags all show in the next
/// filtered answer, and the answer is the index's, not a scan's.
#[test]
fn tag_filters_read_an_index_every_write_keeps_current() {
    let mut r = Region::new();
    let a = r.run_tagged("env");
    let b = r.run_tagged("team");
    let filtered = |r: &mut Region, name: &str, value: &str| -> Vec<String> {
        let out = r
            .call(|h, cx| {
                h.describe_instances(
                    cx,
                    w::DescribeInstancesInput {
                        filters: Some(vec![w::Filter {
                            name: Some(name.into()),
                            values: Some(vec![value.into()]),
                        }]),
                        ..Default::default()
                    },
                )
            })
            .unwrap();
        let mut ids: Vec<String> = out
            .reservations
            .unwrap()
            .into_iter()
            .flat_map(|r| r.instances.unwrap())
            .filter_map(|i| i.instance_id)
            .collect();
        ids.sort();
        ids
    };
    assert!(
        r.state.instances.tagged("env", None).is_some(),
        "current after each request"
    );
    assert_eq!(filtered(&mut r, "tag:env", "v"), vec![a.clone()]);
    assert_eq!(filtered(&mut r, "tag-key", "team"), vec![b.clone()]);
    r.create_tag(&b).unwrap();
    let tagged_b = r.tag_keys(&b);
    let key = tagged_b.iter().find(|k| *k != "team").unwrap().clone();
    assert_eq!(filtered(&mut r, "tag-key", &key), vec![b.clone()]);
    r.call(|h, cx| {
        h.delete_tags(
            cx,
            w::DeleteTagsInput {
                resources: vec![a.clone()],
                ..Default::default()
            },
        )
    })
    .unwrap();
    assert!(filtered(&mut r, "tag:env", "v").is_empty());
}

/// DescribeSubnets and DescribeVpcs keep their items too (their wire forms read only
/// their own record): a launch that takes an address shows in the subnet's next item.
#[test]
fn a_kept_subnet_item_follows_its_record() {
    let mut r = Region::new();
    r.config.render_cache_bytes = 1 << 20;
    let vpc = r.vpc("10.0.0.0/16");
    let subnet = r.subnet(&vpc, "10.0.1.0/24");
    let item = |r: &mut Region| {
        let out = r
            .call(|h, cx| {
                h.describe_subnets(
                    cx,
                    w::DescribeSubnetsInput {
                        subnet_ids: Some(vec![subnet.clone()]),
                        ..Default::default()
                    },
                )
            })
            .unwrap();
        let s = out.subnets.unwrap().remove(0);
        s.rendered.expect("a kept item").to_xml()
    };
    let first = item(&mut r);
    assert_eq!(
        kept_at(&first, &["kept", "availableIpAddressCount"]),
        ["251"]
    );
    assert_eq!(item(&mut r), first);
    r.launch(&subnet);
    assert_eq!(
        kept_at(&item(&mut r), &["kept", "availableIpAddressCount"]),
        ["250"]
    );
    let stats = r.state.renders.stats();
    assert_eq!((stats.hits, stats.misses), (1, 2));
}

/// A kept security group item follows its rules, which are records of their own: a rule
/// authorized or revoked shows in the next DescribeSecurityGroups.
#[test]
fn a_kept_group_item_follows_its_rules() {
    let mut r = Region::new();
    r.config.render_cache_bytes = 1 << 20;
    let vpc = r.vpc("10.0.0.0/16");
    let g = r.group(&vpc, "db");
    let item = |r: &mut Region| {
        let out = r
            .call(|h, cx| {
                h.describe_security_groups(
                    cx,
                    w::DescribeSecurityGroupsInput {
                        group_ids: Some(vec![g.clone()]),
                        ..Default::default()
                    },
                )
            })
            .unwrap();
        let s = out.security_groups.unwrap().remove(0);
        s.rendered.expect("a kept item").to_xml()
    };
    let first = item(&mut r);
    let cidrs = |item: &str| {
        kept_at(
            item,
            &["ipPermissions", "item", "ipRanges", "item", "cidrIp"],
        )
    };
    assert!(cidrs(&first).is_empty());
    assert_eq!(item(&mut r), first);
    let rule = w::IpPermission {
        ip_protocol: Some("tcp".into()),
        from_port: Some(5432),
        to_port: Some(5432),
        ip_ranges: Some(vec![w::IpRange {
            cidr_ip: Some("10.0.3.0/24".into()),
            description: None,
        }]),
        ..Default::default()
    };
    r.call(|h, cx| {
        h.authorize_security_group_ingress(
            cx,
            w::AuthorizeSecurityGroupIngressInput {
                group_id: Some(g.clone()),
                ip_permissions: Some(vec![rule.clone()]),
                ..Default::default()
            },
        )
    })
    .unwrap();
    assert_eq!(cidrs(&item(&mut r)), ["10.0.3.0/24"]);
    r.call(|h, cx| {
        h.revoke_security_group_ingress(
            cx,
            w::RevokeSecurityGroupIngressInput {
                group_id: Some(g.clone()),
                ip_permissions: Some(vec![rule.clone()]),
                ..Default::default()
            },
        )
    })
    .unwrap();
    assert_eq!(item(&mut r), first);
}
