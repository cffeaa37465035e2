//! CreateSubnet, DescribeSubnets, DeleteSubnet.

use super::common::{own_record_item, tag_specifications, tags_for, wire_tags};
use super::filters::SUBNET_FILTERS;
use super::vpcs::invalid_cidr;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::net::Cidr;
use crate::store::{new_id, RegionState, Resource, Subnet, Vpc};
use crate::Ec2Error;

pub fn create_subnet(
    cx: &mut Cx<'_>,
    input: w::CreateSubnetInput,
) -> Result<w::CreateSubnetOutput, Ec2Error> {
    let s = cx.state();
    let vpc: &Vpc = cx.view().get(&input.vpc_id)?;
    let Some(raw) = input.cidr_block.as_deref() else {
        return Err(Ec2Error::missing_parameter("cidrBlock"));
    };
    let cidr = Cidr::parse_canonical(raw).ok_or_else(|| invalid_cidr(raw))?;
    // Subnets are /16 to /28 and inside the VPC's block (InvalidSubnet.Range, pulumi-awsx#111).
    if !(16..=28).contains(&cidr.prefix) || !vpc.cidrs().any(|c| c.contains(cidr)) {
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
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[Subnet::INFO.resource_type],
    )?;
    let vpc_id = vpc.id.clone();
    let account = cx.account.to_string();
    let region = cx.region.to_string();
    let state = cx.commit()?;
    let subnet = Subnet {
        tags: tags_for::<Subnet>(&tags),
        ..Subnet::new(new_id("subnet"), vpc_id, cidr, az, az_id)
    };
    let mut out = subnet_to_wire(&subnet, &account, &region);
    out.state = Some(w::SubnetState::Available);
    state.associate_default_acl(&subnet.id, &subnet.vpc_id);
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
    let view = cx.view();
    let (subnets, next_token) = view.filtered(&input, &ids, &filters)?;
    Ok(w::DescribeSubnetsOutput {
        subnets: Some(
            subnets
                .into_iter()
                .map(|v| {
                    own_record_item(
                        view.state,
                        v,
                        cx.config.render_cache_bytes,
                        |v| subnet_to_wire(v, cx.account, cx.region),
                        crate::generated::xml::write_subnet,
                        |item| w::Subnet {
                            rendered: Some(item),
                            ..Default::default()
                        },
                    )
                })
                .collect(),
        ),
        next_token,
    })
}

pub(super) fn subnet_arn(region: &str, account: &str, id: &str) -> String {
    format!("arn:aws:ec2:{region}:{account}:subnet/{id}")
}

pub(super) fn subnet_to_wire(v: &Subnet, account: &str, region: &str) -> w::Subnet {
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
        assign_ipv6_address_on_creation: Some(v.assign_ipv6_address_on_creation),
        ipv6_cidr_block_association_set: Some(
            v.ipv6
                .iter()
                .map(|b| subnet_ipv6_association(b, "associated"))
                .collect(),
        ),
        owner_id: Some(account.to_string()),
        tags: (!v.tags.is_empty()).then(|| wire_tags(&v.tags)),
        enable_dns64: Some(v.enable_dns64),
        ipv6_native: Some(false),
        private_dns_name_options_on_launch: Some(w::PrivateDnsNameOptionsOnLaunch {
            hostname_type: Some(w::HostnameType::from(v.hostname_type)),
            enable_resource_name_dns_a_record: Some(v.enable_resource_name_dns_a_record),
            enable_resource_name_dns_aaaa_record: Some(v.enable_resource_name_dns_aaaa_record),
        }),
        block_public_access_states: Some(w::BlockPublicAccessStates {
            internet_gateway_block_mode: Some(w::BlockPublicAccessMode::Off),
        }),
        ..Default::default()
    }
}

/// A subnet that an instance (until terminated) or an interface is in cannot go.
pub fn delete_subnet(
    cx: &mut Cx<'_>,
    input: w::DeleteSubnetInput,
) -> Result<w::DeleteSubnetOutput, Ec2Error> {
    let view = cx.view();
    let subnet: &Subnet = view.get(&input.subnet_id)?;
    let removed = view.deletable::<Subnet>(&subnet.id)?;
    cx.commit()?.remove_all(&removed);
    Ok(w::DeleteSubnetOutput {})
}

/// ModifySubnetAttribute: one attribute per call (API reference: "You can only modify one
/// attribute at a time"), read back by DescribeSubnets and honoured by RunInstances
/// (MapPublicIpOnLaunch).
pub fn modify_subnet_attribute(
    cx: &mut Cx<'_>,
    input: w::ModifySubnetAttributeInput,
) -> Result<w::ModifySubnetAttributeOutput, Ec2Error> {
    let subnet: &Subnet = cx.view().get(&input.subnet_id)?;
    let id = subnet.id.clone();
    let flag = |v: &Option<w::AttributeBooleanValue>| v.as_ref().map(|b| b.value.unwrap_or(false));
    type Set = Box<dyn FnOnce(&mut Subnet)>;
    let mut changes: Vec<(&str, Set)> = Vec::new();
    if let Some(on) = flag(&input.map_public_ip_on_launch) {
        changes.push((
            "mapPublicIpOnLaunch",
            Box::new(move |s| s.map_public_ip_on_launch = on),
        ));
    }
    if let Some(on) = flag(&input.assign_ipv6_address_on_creation) {
        changes.push((
            "assignIpv6AddressOnCreation",
            Box::new(move |s| s.assign_ipv6_address_on_creation = on),
        ));
    }
    if let Some(on) = flag(&input.enable_dns64) {
        changes.push(("enableDns64", Box::new(move |s| s.enable_dns64 = on)));
    }
    if let Some(t) = &input.private_dns_hostname_type_on_launch {
        let t: &'static str = match t.as_str() {
            "ip-name" => "ip-name",
            "resource-name" => "resource-name",
            other => {
                return Err(Ec2Error::invalid_value(
                    "privateDnsHostnameTypeOnLaunch",
                    other,
                    "Valid values: ip-name, resource-name.",
                ))
            }
        };
        changes.push((
            "privateDnsHostnameTypeOnLaunch",
            Box::new(move |s| s.hostname_type = t),
        ));
    }
    if let Some(on) = flag(&input.enable_resource_name_dns_a_record_on_launch) {
        changes.push((
            "enableResourceNameDnsARecordOnLaunch",
            Box::new(move |s| s.enable_resource_name_dns_a_record = on),
        ));
    }
    if let Some(on) = flag(&input.enable_resource_name_dns_aaaa_record_on_launch) {
        changes.push((
            "enableResourceNameDnsAAAARecordOnLaunch",
            Box::new(move |s| s.enable_resource_name_dns_aaaa_record = on),
        ));
    }
    if input.map_customer_owned_ip_on_launch.is_some() || input.customer_owned_ipv4_pool.is_some() {
        return Err(Ec2Error::new(
            "UnsupportedOperation",
            "Customer-owned IP pools (Outposts) are not supported by parlel-ec2.",
        ));
    }
    let change = one_attribute(changes)?;
    let state = cx.commit()?;
    if let Some(s) = state.subnets.get_mut(&id) {
        change(s);
    }
    Ok(w::ModifySubnetAttributeOutput {})
}

/// The one attribute a Modify*Attribute call may set. Several are InvalidParameterCombination
/// (wording unverified: EC2's "Fields for multiple attribute types specified" family);
/// none is MissingParameter.
pub(crate) fn one_attribute<T>(mut changes: Vec<(&str, T)>) -> Result<T, Ec2Error> {
    match changes.len() {
        0 => Err(Ec2Error::new(
            "MissingParameter",
            "The request must contain exactly one attribute to modify",
        )),
        1 => Ok(changes.pop().expect("one").1),
        _ => Err(Ec2Error::new(
            "InvalidParameterCombination",
            format!(
                "Fields for multiple attribute types specified: {}",
                changes
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

pub(super) fn subnet_ipv6_association(
    b: &crate::store::Ipv6Block,
    state: &str,
) -> w::SubnetIpv6CidrBlockAssociation {
    w::SubnetIpv6CidrBlockAssociation {
        association_id: Some(b.association_id.clone()),
        ipv6_cidr_block: Some(b.cidr.clone()),
        ipv6_cidr_block_state: Some(w::SubnetCidrBlockState {
            state: Some(w::SubnetCidrBlockStateCode::from(state)),
            status_message: None,
        }),
        ipv6_address_attribute: Some(w::Ipv6AddressAttribute::from("public")),
        ip_source: Some(w::IpSource::from("amazon")),
    }
}

/// CreateDefaultSubnet: a default /20 in the default VPC for a zone that has none
/// (CreateDefaultSubnet API reference).
pub fn create_default_subnet(
    cx: &mut Cx<'_>,
    input: w::CreateDefaultSubnetInput,
) -> Result<w::CreateDefaultSubnetOutput, Ec2Error> {
    let s = cx.state();
    let Some(vpc) = s.default_vpc() else {
        // Unverified wording.
        return Err(Ec2Error::new(
            "DefaultVpcDoesNotExist",
            "No default VPC exists for this account in this region.",
        ));
    };
    let (az, az_id) = pick_az(
        s,
        &vpc.id,
        input.availability_zone.as_deref(),
        input.availability_zone_id.as_deref(),
    )?;
    if s.subnets
        .values()
        .any(|x| x.vpc_id == vpc.id && x.default_for_az && x.az == az)
    {
        // Unverified wording.
        return Err(Ec2Error::new(
            "DefaultSubnetAlreadyExistsInAvailabilityZone",
            format!("A Default Subnet already exists in availability zone {az}."),
        ));
    }
    let vpc_id = vpc.id.clone();
    let (account, region) = (cx.account.to_string(), cx.region.to_string());
    let state = cx.commit()?;
    let id = state
        .add_default_subnet(&vpc_id, az, az_id)
        .ok_or_else(|| {
            Ec2Error::new(
                "InsufficientFreeAddressesInSubnet",
                "The default VPC has no room for another default subnet.",
            )
        })?;
    Ok(w::CreateDefaultSubnetOutput {
        subnet: Some(subnet_to_wire(&state.subnets[&id], &account, &region)),
    })
}
