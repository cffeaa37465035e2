//! CreateVpc, DescribeVpcs, CreateSubnet, DescribeSubnets.

use super::common::{require_all, tag_specifications, tags_for, wire_tags, Kind};
use super::filters::{SUBNET_FILTERS, VPC_FILTERS};
use crate::context::Cx;
use crate::describe::filter::{Filters, Tagged, View};
use crate::describe::page::Page;
use crate::generated::types as w;
use crate::net::Cidr;
use crate::store::{new_id, RegionState, Subnet, Tags, Vpc};
use crate::Ec2Error;

impl Tagged for Vpc {
    fn tags(&self) -> &Tags {
        &self.tags
    }
}
impl Tagged for Subnet {
    fn tags(&self) -> &Tags {
        &self.tags
    }
}

fn invalid_cidr(cidr: &str) -> Ec2Error {
    Ec2Error::invalid_value("cidrBlock", cidr, "This is not a valid CIDR block.")
}

pub fn create_vpc(
    cx: &mut Cx<'_>,
    input: w::CreateVpcInput,
) -> Result<w::CreateVpcOutput, Ec2Error> {
    let Some(raw) = input.cidr_block.as_deref() else {
        if input.ipv4_ipam_pool_id.is_some() {
            return Err(Ec2Error::new(
                "UnsupportedOperation",
                "IPAM pools are not supported by parlel-ec2; give CidrBlock.",
            ));
        }
        return Err(Ec2Error::missing_parameter("cidrBlock"));
    };
    let cidr = Cidr::parse(raw).ok_or_else(|| invalid_cidr(raw))?;
    // VPC blocks are /16 to /28 (InvalidVpc.Range, grycap/im#1011).
    if !(16..=28).contains(&cidr.prefix) {
        return Err(Ec2Error::new(
            "InvalidVpc.Range",
            format!("The CIDR '{raw}' is invalid."),
        ));
    }
    let tenancy = input
        .instance_tenancy
        .as_ref()
        .map(|t| t.as_str().to_string())
        .unwrap_or_else(|| "default".into());
    if !matches!(tenancy.as_str(), "default" | "dedicated") {
        return Err(Ec2Error::invalid_value(
            "instanceTenancy",
            &tenancy,
            "Valid values: default, dedicated.",
        ));
    }
    let tags = tag_specifications(input.tag_specifications.as_ref(), &["vpc"])?;
    let account = cx.account.to_string();
    let state = cx.commit()?;
    let id = state.add_vpc(cidr, &tenancy, false);
    let vpc = state.vpcs.get_mut(&id).expect("just added");
    vpc.tags = tags_for(&tags, "vpc");
    let mut out = vpc_to_wire(vpc, &account);
    // CreateVpc answers while the VPC is still being set up.
    out.state = Some(w::VpcState::Pending);
    Ok(w::CreateVpcOutput { vpc: Some(out) })
}

pub fn describe_vpcs(
    cx: &mut Cx<'_>,
    input: w::DescribeVpcsInput,
) -> Result<w::DescribeVpcsOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), VPC_FILTERS)?;
    let ids = input.vpc_ids.clone().unwrap_or_default();
    let s = cx.state();
    require_all(Kind::Vpc, &ids, |id| s.vpcs.contains_key(id))?;
    let page = Page::new(
        "DescribeVpcs",
        input.max_results,
        input.next_token.as_deref(),
        &format!("{:?}{ids:?}", input.filters),
    )?;
    let view = View {
        state: s,
        now: cx.now,
    };
    let (vpcs, next_token) = page.select(&s.vpcs, &ids, |v| filters.matches(v, &view));
    Ok(w::DescribeVpcsOutput {
        vpcs: Some(
            vpcs.into_iter()
                .map(|v| vpc_to_wire(v, cx.account))
                .collect(),
        ),
        next_token,
    })
}

fn vpc_to_wire(v: &Vpc, account: &str) -> w::Vpc {
    w::Vpc {
        vpc_id: Some(v.id.clone()),
        state: Some(w::VpcState::Available),
        cidr_block: Some(v.cidr.to_string()),
        dhcp_options_id: Some(v.dhcp_options_id.clone()),
        instance_tenancy: Some(w::Tenancy::from(v.instance_tenancy.as_str())),
        is_default: Some(v.is_default),
        owner_id: Some(account.to_string()),
        cidr_block_association_set: Some(vec![w::VpcCidrBlockAssociation {
            association_id: Some(v.cidr_association_id.clone()),
            cidr_block: Some(v.cidr.to_string()),
            cidr_block_state: Some(w::VpcCidrBlockState {
                state: Some(w::VpcCidrBlockStateCode::Associated),
                status_message: None,
            }),
        }]),
        ipv6_cidr_block_association_set: None,
        tags: (!v.tags.is_empty()).then(|| wire_tags(&v.tags)),
        block_public_access_states: Some(w::BlockPublicAccessStates {
            internet_gateway_block_mode: Some(w::BlockPublicAccessMode::Off),
        }),
        encryption_control: None,
    }
}

pub fn create_subnet(
    cx: &mut Cx<'_>,
    input: w::CreateSubnetInput,
) -> Result<w::CreateSubnetOutput, Ec2Error> {
    let s = cx.state();
    Kind::Vpc.check(&input.vpc_id)?;
    let vpc = s
        .vpcs
        .get(&input.vpc_id)
        .ok_or_else(|| Kind::Vpc.not_found(&[&input.vpc_id]))?;
    let Some(raw) = input.cidr_block.as_deref() else {
        return Err(Ec2Error::missing_parameter("cidrBlock"));
    };
    let cidr = Cidr::parse(raw).ok_or_else(|| invalid_cidr(raw))?;
    // Subnets are /16 to /28 and inside the VPC's block (InvalidSubnet.Range, pulumi-awsx#111).
    if !(16..=28).contains(&cidr.prefix) || !vpc.cidr.contains(cidr) {
        return Err(Ec2Error::new(
            "InvalidSubnet.Range",
            format!("The CIDR '{raw}' is invalid."),
        ));
    }
    if s.subnets
        .values()
        .any(|o| o.vpc_id == vpc.id && o.cidr.overlaps(cidr))
    {
        return Err(Ec2Error::new(
            "InvalidSubnet.Conflict",
            format!("The CIDR '{raw}' conflicts with another subnet"),
        ));
    }
    let (az, az_id) = pick_az(
        s,
        &vpc.id,
        input.availability_zone.as_deref(),
        input.availability_zone_id.as_deref(),
    )?;
    let tags = tag_specifications(input.tag_specifications.as_ref(), &["subnet"])?;
    let vpc_id = vpc.id.clone();
    let account = cx.account.to_string();
    let region = cx.region.to_string();
    let state = cx.commit()?;
    let subnet = Subnet {
        id: new_id("subnet"),
        vpc_id,
        cidr,
        az,
        az_id,
        default_for_az: false,
        map_public_ip_on_launch: false,
        used: Default::default(),
        next_hint: 0,
        tags: tags_for(&tags, "subnet"),
    };
    let mut out = subnet_to_wire(&subnet, &account, &region);
    out.state = Some(w::SubnetState::Available);
    state.subnets.insert(subnet.id.clone(), subnet);
    Ok(w::CreateSubnetOutput { subnet: Some(out) })
}

/// The Availability Zone named by name or id, or else the zone with the fewest subnets
/// of this VPC (AWS picks one for you).
fn pick_az(
    s: &RegionState,
    vpc_id: &str,
    name: Option<&str>,
    id: Option<&str>,
) -> Result<(String, String), Ec2Error> {
    let list = || {
        s.azs
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(name) = name {
        return s.azs.iter().find(|(n, _)| n == name).cloned().ok_or_else(|| {
            Ec2Error::invalid_value(
                "availabilityZone",
                name,
                &format!("Subnets can currently only be created in the following availability zones: {}.", list()),
            )
        });
    }
    if let Some(id) = id {
        return s.azs.iter().find(|(_, i)| i == id).cloned().ok_or_else(|| {
            Ec2Error::invalid_value(
                "availabilityZoneId",
                id,
                &format!("Subnets can currently only be created in the following availability zones: {}.", list()),
            )
        });
    }
    let count = |az: &str| {
        s.subnets
            .values()
            .filter(|o| o.vpc_id == vpc_id && o.az == az)
            .count()
    };
    s.azs
        .iter()
        .min_by_key(|(n, _)| count(n))
        .cloned()
        .ok_or_else(|| Ec2Error::internal("the region has no Availability Zones"))
}

pub fn describe_subnets(
    cx: &mut Cx<'_>,
    input: w::DescribeSubnetsInput,
) -> Result<w::DescribeSubnetsOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), SUBNET_FILTERS)?;
    let ids = input.subnet_ids.clone().unwrap_or_default();
    let s = cx.state();
    require_all(Kind::Subnet, &ids, |id| s.subnets.contains_key(id))?;
    let page = Page::new(
        "DescribeSubnets",
        input.max_results,
        input.next_token.as_deref(),
        &format!("{:?}{ids:?}", input.filters),
    )?;
    let view = View {
        state: s,
        now: cx.now,
    };
    let (subnets, next_token) = page.select(&s.subnets, &ids, |v| filters.matches(v, &view));
    Ok(w::DescribeSubnetsOutput {
        subnets: Some(
            subnets
                .into_iter()
                .map(|v| subnet_to_wire(v, cx.account, cx.region))
                .collect(),
        ),
        next_token,
    })
}

pub(super) fn subnet_arn(region: &str, account: &str, id: &str) -> String {
    format!("arn:aws:ec2:{region}:{account}:subnet/{id}")
}

fn subnet_to_wire(v: &Subnet, account: &str, region: &str) -> w::Subnet {
    w::Subnet {
        subnet_id: Some(v.id.clone()),
        subnet_arn: Some(subnet_arn(region, account, &v.id)),
        state: Some(w::SubnetState::Available),
        vpc_id: Some(v.vpc_id.clone()),
        cidr_block: Some(v.cidr.to_string()),
        available_ip_address_count: Some(v.available_ip_count()),
        availability_zone: Some(v.az.clone()),
        availability_zone_id: Some(v.az_id.clone()),
        default_for_az: Some(v.default_for_az),
        map_public_ip_on_launch: Some(v.map_public_ip_on_launch),
        map_customer_owned_ip_on_launch: Some(false),
        assign_ipv6_address_on_creation: Some(false),
        ipv6_cidr_block_association_set: Some(vec![]),
        owner_id: Some(account.to_string()),
        tags: (!v.tags.is_empty()).then(|| wire_tags(&v.tags)),
        enable_dns64: Some(false),
        ipv6_native: Some(false),
        private_dns_name_options_on_launch: Some(w::PrivateDnsNameOptionsOnLaunch {
            hostname_type: Some(w::HostnameType::IpName),
            enable_resource_name_dns_a_record: Some(false),
            enable_resource_name_dns_aaaa_record: Some(false),
        }),
        block_public_access_states: Some(w::BlockPublicAccessStates {
            internet_gateway_block_mode: Some(w::BlockPublicAccessMode::Off),
        }),
        ..Default::default()
    }
}
