//! CreateVpc, DescribeVpcs, DeleteVpc.

use super::common::{own_record_item, tag_specifications, tags_for, wire_tags};
use super::filters::VPC_FILTERS;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::net::Cidr;
use crate::store::{Ipv6Block, Resource, Vpc};
use crate::Ec2Error;

pub(super) fn invalid_cidr(cidr: &str) -> Ec2Error {
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
    let cidr = Cidr::parse_canonical(raw).ok_or_else(|| invalid_cidr(raw))?;
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
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[Vpc::INFO.resource_type],
    )?;
    if input.ipv6_pool.is_some()
        || input.ipv6_cidr_block.is_some()
        || input.ipv6_ipam_pool_id.is_some()
    {
        return Err(Ec2Error::new(
            "UnsupportedOperation",
            "Bring-your-own and IPAM IPv6 pools are not supported by parlel-ec2; use AmazonProvidedIpv6CidrBlock.",
        ));
    }
    let ipv6 = input.amazon_provided_ipv6_cidr_block == Some(true);
    let (account, region) = (cx.account.to_string(), cx.region.to_string());
    let state = cx.commit()?;
    let id = state.add_vpc(cidr, &tenancy, false);
    let vpc = state.vpcs.get_mut(&id).expect("just added");
    vpc.tags = tags_for::<Vpc>(&tags);
    if ipv6 {
        vpc.ipv6 = Some(Ipv6Block {
            association_id: crate::store::new_id("vpc-cidr-assoc"),
            cidr: amazon_ipv6_56(),
        });
    }
    let mut out = vpc_to_wire(vpc, &account, &region);
    // CreateVpc answers while the VPC is still being set up, its IPv6 block associating.
    out.state = Some(w::VpcState::Pending);
    for a in out.ipv6_cidr_block_association_set.iter_mut().flatten() {
        a.ipv6_cidr_block_state = Some(w::VpcCidrBlockState {
            state: Some(w::VpcCidrBlockStateCode::Associating),
            status_message: None,
        });
    }
    Ok(w::CreateVpcOutput { vpc: Some(out) })
}

pub fn describe_vpcs(
    cx: &mut Cx<'_>,
    input: w::DescribeVpcsInput,
) -> Result<w::DescribeVpcsOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), VPC_FILTERS)?;
    let ids = input.vpc_ids.clone().unwrap_or_default();
    let view = cx.view();
    let (vpcs, next_token) = view.filtered(&input, &ids, &filters)?;
    Ok(w::DescribeVpcsOutput {
        vpcs: Some(
            vpcs.into_iter()
                .map(|v| {
                    own_record_item(
                        view.state,
                        v,
                        cx.config.render_cache_bytes,
                        |v| vpc_to_wire(v, cx.account, cx.region),
                        crate::generated::xml::write_vpc,
                        |item| w::Vpc {
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

pub(super) fn vpc_to_wire(v: &Vpc, account: &str, region: &str) -> w::Vpc {
    w::Vpc {
        rendered: None,
        vpc_id: Some(v.id.clone()),
        state: Some(w::VpcState::Available),
        cidr_block: Some(v.cidr.to_string()),
        dhcp_options_id: Some(v.dhcp_options_id.clone()),
        instance_tenancy: Some(w::Tenancy::from(v.instance_tenancy.as_str())),
        is_default: Some(v.is_default),
        owner_id: Some(account.to_string()),
        cidr_block_association_set: Some(
            std::iter::once((&v.cidr_association_id, v.cidr))
                .chain(v.secondary_cidrs.iter().map(|(id, c)| (id, *c)))
                .map(|(id, c)| cidr_association(id, c, w::VpcCidrBlockStateCode::Associated))
                .collect(),
        ),
        // Always present, empty without IPv6 blocks (recorded AWS answers, shared/reference).
        ipv6_cidr_block_association_set: Some(
            v.ipv6
                .iter()
                .map(|b| w::VpcIpv6CidrBlockAssociation {
                    association_id: Some(b.association_id.clone()),
                    ipv6_cidr_block: Some(b.cidr.clone()),
                    ipv6_cidr_block_state: Some(w::VpcCidrBlockState {
                        state: Some(w::VpcCidrBlockStateCode::Associated),
                        status_message: None,
                    }),
                    network_border_group: Some(region.to_string()),
                    ipv6_pool: Some("Amazon".into()),
                    ipv6_address_attribute: Some(w::Ipv6AddressAttribute::from("public")),
                    ip_source: Some(w::IpSource::from("amazon")),
                })
                .collect(),
        ),
        tags: (!v.tags.is_empty()).then(|| wire_tags(&v.tags)),
        block_public_access_states: Some(w::BlockPublicAccessStates {
            internet_gateway_block_mode: Some(w::BlockPublicAccessMode::Off),
        }),
        encryption_control: None,
    }
}

/// A VPC goes with its default security group; anything else in it (subnets, other
/// groups, instances) keeps it (the kind's DependencyViolation).
pub fn delete_vpc(
    cx: &mut Cx<'_>,
    input: w::DeleteVpcInput,
) -> Result<w::DeleteVpcOutput, Ec2Error> {
    let view = cx.view();
    let vpc: &Vpc = view.get(&input.vpc_id)?;
    let removed = view.deletable::<Vpc>(&vpc.id)?;
    cx.commit()?.remove_all(&removed);
    Ok(w::DeleteVpcOutput {})
}

/// DescribeVpcAttribute: the one attribute asked for.
pub fn describe_vpc_attribute(
    cx: &mut Cx<'_>,
    input: w::DescribeVpcAttributeInput,
) -> Result<w::DescribeVpcAttributeOutput, Ec2Error> {
    let vpc: &Vpc = cx.view().get(&input.vpc_id)?;
    let value = |b: bool| Some(w::AttributeBooleanValue { value: Some(b) });
    let mut out = w::DescribeVpcAttributeOutput {
        vpc_id: Some(vpc.id.clone()),
        ..Default::default()
    };
    match input.attribute.as_str() {
        "enableDnsSupport" => out.enable_dns_support = value(vpc.enable_dns_support),
        "enableDnsHostnames" => out.enable_dns_hostnames = value(vpc.enable_dns_hostnames),
        "enableNetworkAddressUsageMetrics" => {
            out.enable_network_address_usage_metrics =
                value(vpc.enable_network_address_usage_metrics)
        }
        other => return Err(Ec2Error::invalid_value(
            "attribute",
            other,
            "Valid values: enableDnsSupport, enableDnsHostnames, enableNetworkAddressUsageMetrics.",
        )),
    }
    Ok(out)
}

/// ModifyVpcAttribute: one attribute per call (API reference: "You can only modify one
/// attribute at a time"). DNS hostnames decide whether instances show public DNS names.
pub fn modify_vpc_attribute(
    cx: &mut Cx<'_>,
    input: w::ModifyVpcAttributeInput,
) -> Result<w::ModifyVpcAttributeOutput, Ec2Error> {
    let vpc: &Vpc = cx.view().get(&input.vpc_id)?;
    let id = vpc.id.clone();
    let flag = |v: &Option<w::AttributeBooleanValue>| v.as_ref().map(|b| b.value.unwrap_or(false));
    /// Which flag a change sets, and to what.
    type Change = (fn(&mut Vpc) -> &mut bool, bool);
    let mut changes: Vec<(&str, Change)> = Vec::new();
    if let Some(on) = flag(&input.enable_dns_support) {
        changes.push(("enableDnsSupport", (|v| &mut v.enable_dns_support, on)));
    }
    if let Some(on) = flag(&input.enable_dns_hostnames) {
        changes.push(("enableDnsHostnames", (|v| &mut v.enable_dns_hostnames, on)));
    }
    if let Some(on) = flag(&input.enable_network_address_usage_metrics) {
        changes.push((
            "enableNetworkAddressUsageMetrics",
            (|v| &mut v.enable_network_address_usage_metrics, on),
        ));
    }
    let (field, on) = super::subnets::one_attribute(changes)?;
    let state = cx.commit()?;
    if let Some(v) = state.vpcs.get_mut(&id) {
        *field(v) = on;
    }
    Ok(w::ModifyVpcAttributeOutput {})
}

/// An Amazon-provided IPv6 /56 from 2600:1f00::/24 (AWS's range for VPC blocks).
fn amazon_ipv6_56() -> String {
    use rand::Rng;
    let mut rng = crate::rng::rng();
    format!(
        "2600:1f{:02x}:{:04x}:{:02x}00::/56",
        rng.gen_range(0x10..0x20u8),
        rng.gen::<u16>(),
        rng.gen::<u8>()
    )
}

pub(super) fn cidr_association(
    id: &str,
    c: Cidr,
    state: w::VpcCidrBlockStateCode,
) -> w::VpcCidrBlockAssociation {
    w::VpcCidrBlockAssociation {
        association_id: Some(id.to_string()),
        cidr_block: Some(c.to_string()),
        cidr_block_state: Some(w::VpcCidrBlockState {
            state: Some(state),
            status_message: None,
        }),
    }
}

/// CreateDefaultVpc: only when the region has none (DefaultVpcAlreadyExists), made as a
/// new account has it.
pub fn create_default_vpc(
    cx: &mut Cx<'_>,
    _input: w::CreateDefaultVpcInput,
) -> Result<w::CreateDefaultVpcOutput, Ec2Error> {
    if cx.state().default_vpc().is_some() {
        return Err(Ec2Error::new(
            "DefaultVpcAlreadyExists",
            "A Default VPC already exists for this account in this region.",
        ));
    }
    let (account, region) = (cx.account.to_string(), cx.region.to_string());
    let state = cx.commit()?;
    let id = state.add_default_vpc();
    let mut out = vpc_to_wire(&state.vpcs[&id], &account, &region);
    out.state = Some(w::VpcState::Pending);
    Ok(w::CreateDefaultVpcOutput { vpc: Some(out) })
}

pub(super) fn amazon_ipv6() -> String {
    amazon_ipv6_56()
}
