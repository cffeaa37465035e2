//! Elastic IP addresses: AllocateAddress, AssociateAddress, DisassociateAddress,
//! ReleaseAddress, DescribeAddresses. While associated with an instance, the address is
//! the instance's public IPv4 address.

use super::common::{tag_specifications, tags_for, wire_tags};
use super::filters::ADDRESS_FILTERS;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::net::dotted;
use crate::store::{
    new_id, Address, AddressAssociation, Instance, InstanceState, NetworkInterface, RegionState,
    Resource, View,
};
use crate::Ec2Error;

pub fn allocate_address(
    cx: &mut Cx<'_>,
    input: w::AllocateAddressInput,
) -> Result<w::AllocateAddressOutput, Ec2Error> {
    if let Some(d) = input.domain.as_ref().filter(|d| d.as_str() != "vpc") {
        return Err(Ec2Error::invalid_value(
            "domain",
            d.as_str(),
            "EC2-Classic is retired; the only domain is vpc.",
        ));
    }
    if input.address.is_some()
        || input.ipam_pool_id.is_some()
        || input.customer_owned_ipv4_pool.is_some()
    {
        return Err(Ec2Error::new(
            "UnsupportedOperation",
            "Bring-your-own and pooled addresses are not supported by parlel-ec2.",
        ));
    }
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[Address::INFO.resource_type],
    )?;
    let region = cx.region.to_string();
    let state = cx.commit()?;
    let address = Address {
        id: new_id("eipalloc"),
        public_ip: state.allocate_public_ip(),
        association: None,
        tags: tags_for::<Address>(&tags),
    };
    let out = w::AllocateAddressOutput {
        allocation_id: Some(address.id.clone()),
        public_ip: Some(dotted(address.public_ip)),
        public_ipv4_pool: Some("amazon".into()),
        network_border_group: Some(region),
        domain: Some(w::DomainType::from("vpc")),
        ..Default::default()
    };
    state.addresses.insert(address.id.clone(), address);
    Ok(out)
}

/// The address named by AllocationId, or else by PublicIp.
fn find<'s>(
    view: &View<'s>,
    allocation_id: Option<&str>,
    public_ip: Option<&str>,
) -> Result<&'s Address, Ec2Error> {
    match (allocation_id, public_ip) {
        (Some(id), _) => view.get(id),
        (None, Some(ip)) => view
            .state
            .addresses
            .values()
            .find(|a| dotted(a.public_ip) == ip)
            // Unverified wording.
            .ok_or_else(|| {
                Ec2Error::new(
                    "InvalidAddress.NotFound",
                    format!("Address '{ip}' not found."),
                )
            }),
        (None, None) => Err(Ec2Error::missing_parameter("allocationId")),
    }
}

/// To an instance (its primary interface) or an interface, in a VPC with an internet
/// gateway (Gateway.NotAttached otherwise, hashicorp/terraform-provider-aws#2181). An
/// associated address moves only with AllowReassociation; the instance's previous Elastic
/// IP, if any, is disassociated.
pub fn associate_address(
    cx: &mut Cx<'_>,
    input: w::AssociateAddressInput,
) -> Result<w::AssociateAddressOutput, Ec2Error> {
    let view = cx.view();
    let address = find(
        &view,
        input.allocation_id.as_deref(),
        input.public_ip.as_deref(),
    )?;
    let (instance_id, eni_id, private_ip, vpc_id) =
        match (&input.instance_id, &input.network_interface_id) {
            (Some(id), _) => {
                let i: &Instance = view.get(id)?;
                if i.state(view.now) == InstanceState::Terminated {
                    return Err(Ec2Error::new(
                        "IncorrectInstanceState",
                        format!("The instance '{id}' is not in a valid state for this operation."),
                    ));
                }
                (
                    Some(i.id.clone()),
                    i.eni_id.clone(),
                    i.private_ip,
                    i.vpc_id.to_string(),
                )
            }
            (None, Some(id)) => {
                let n: &NetworkInterface = view.get(id)?;
                let instance = n.attachment.as_ref().map(|a| a.instance_id.to_string());
                let ip = instance
                    .as_deref()
                    .and_then(|i| view.state.instances.get(i))
                    .map_or(0, |i| i.private_ip);
                (instance, n.id.clone(), ip, n.vpc_id.to_string())
            }
            (None, None) => {
                return Err(Ec2Error::new(
                    "MissingParameter",
                    "The request must contain the parameter instanceId or networkInterfaceId",
                ))
            }
        };
    if let Some(raw) = &input.private_ip_address {
        if raw.parse::<std::net::Ipv4Addr>().map(u32::from) != Ok(private_ip) {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "The private IP address {raw} is not assigned to the network interface {eni_id}"
            )));
        }
    }
    let has_gateway = view
        .state
        .internet_gateways
        .values()
        .any(|g| g.vpc_id.as_deref() == Some(vpc_id.as_str()));
    if !has_gateway {
        return Err(Ec2Error::new(
            "Gateway.NotAttached",
            format!("Network {vpc_id} is not attached to any internet gateway"),
        ));
    }
    if let Some(a) = &address.association {
        let same = a.network_interface_id == eni_id;
        if !same && input.allow_reassociation != Some(true) {
            // Unverified wording.
            return Err(Ec2Error::new(
                "Resource.AlreadyAssociated",
                format!(
                    "resource {} is already associated with associationId {}",
                    address.id, a.id
                ),
            ));
        }
    }
    let allocation_id = address.id.clone();
    let had_public_ip = instance_id
        .as_deref()
        .and_then(|i| view.state.instances.get(i))
        .is_some_and(|i| i.public_ip.is_some() && !i.elastic_ip)
        || instance_id.as_deref().is_some_and(|i| {
            view.state.addresses.values().any(|a| {
                a.association
                    .as_ref()
                    .is_some_and(|x| x.instance_id.as_deref() == Some(i) && x.had_public_ip)
            })
        });
    let state = cx.commit()?;
    // Whatever the address was associated with, and whatever the instance had.
    unlink(state, &allocation_id);
    if let Some(i) = &instance_id {
        let previous: Vec<String> = state
            .addresses
            .values()
            .filter(|a| {
                a.association
                    .as_ref()
                    .is_some_and(|x| x.instance_id.as_deref() == Some(i))
            })
            .map(|a| a.id.clone())
            .collect();
        for p in previous {
            if let Some(a) = state.addresses.get_mut(&p) {
                a.association = None;
            }
        }
    }
    let association_id = new_id("eipassoc");
    let public_ip = state.addresses.get(&allocation_id).map(|a| a.public_ip);
    if let Some(a) = state.addresses.get_mut(&allocation_id) {
        a.association = Some(AddressAssociation {
            id: association_id.clone(),
            instance_id: instance_id.clone(),
            network_interface_id: eni_id,
            private_ip,
            had_public_ip,
        });
    }
    if let Some(i) = instance_id.and_then(|i| state.instances.get_mut(&i)) {
        i.public_ip = public_ip;
        i.elastic_ip = true;
    }
    Ok(w::AssociateAddressOutput {
        association_id: Some(association_id),
    })
}

/// Ends an address's association; an instance that had an Amazon-assigned address gets a
/// new one, as EC2 assigns one back.
fn unlink(state: &mut RegionState, allocation_id: &str) {
    let Some(assoc) = state
        .addresses
        .get_mut(allocation_id)
        .and_then(|a| a.association.take())
    else {
        return;
    };
    let Some(id) = assoc.instance_id else { return };
    let running = state.instances.get(&id).is_some_and(|i| {
        !matches!(
            i.phase,
            crate::store::Phase::Stopped | crate::store::Phase::Stopping { .. }
        )
    });
    let ip = (assoc.had_public_ip && running).then(|| state.allocate_public_ip());
    if let Some(i) = state.instances.get_mut(&id) {
        i.public_ip = ip;
        i.elastic_ip = false;
    }
}

pub fn disassociate_address(
    cx: &mut Cx<'_>,
    input: w::DisassociateAddressInput,
) -> Result<w::DisassociateAddressOutput, Ec2Error> {
    let s = cx.state();
    let address = match (&input.association_id, &input.public_ip) {
        (Some(id), _) => s
            .addresses
            .values()
            .find(|a| a.association.as_ref().is_some_and(|x| x.id == *id))
            .ok_or_else(|| {
                Ec2Error::new(
                    "InvalidAssociationID.NotFound",
                    format!("The association ID '{id}' does not exist"),
                )
            })?,
        (None, Some(ip)) => find(&cx.view(), None, Some(ip))?,
        (None, None) => return Err(Ec2Error::missing_parameter("associationId")),
    };
    if s.nat_gateways
        .values()
        .any(|n| n.allocation_id.as_deref() == Some(address.id.as_str()) && n.live(cx.now))
    {
        // Unverified wording: a NAT gateway's address goes only with the gateway.
        return Err(Ec2Error::new(
            "OperationNotPermitted",
            format!("The address {} is in use by a NAT gateway", address.id),
        ));
    }
    let id = address.id.clone();
    unlink(cx.commit()?, &id);
    Ok(w::DisassociateAddressOutput {})
}

/// By allocation id ("You must specify an allocation id when releasing a VPC elastic IP
/// address", boto/boto#2727); an associated address is in use.
pub fn release_address(
    cx: &mut Cx<'_>,
    input: w::ReleaseAddressInput,
) -> Result<w::ReleaseAddressOutput, Ec2Error> {
    let Some(id) = &input.allocation_id else {
        if input.public_ip.is_some() {
            return Err(Ec2Error::invalid_parameter_value(
                "You must specify an allocation id when releasing a VPC elastic IP address",
            ));
        }
        return Err(Ec2Error::missing_parameter("allocationId"));
    };
    let view = cx.view();
    let address: &Address = view.get(id)?;
    if address.association.is_some() {
        // The code is EC2's (ReleaseAddress API reference); the wording follows
        // RunInstances' "Address … is in use." (unverified here).
        return Err(Ec2Error::new(
            "InvalidIPAddress.InUse",
            format!("Address {} is in use.", dotted(address.public_ip)),
        ));
    }
    let id = address.id.clone();
    cx.commit()?.remove_all(&[id]);
    Ok(w::ReleaseAddressOutput {})
}

pub fn describe_addresses(
    cx: &mut Cx<'_>,
    input: w::DescribeAddressesInput,
) -> Result<w::DescribeAddressesOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), ADDRESS_FILTERS)?;
    let ids = input.allocation_ids.clone().unwrap_or_default();
    let ips = input.public_ips.clone().unwrap_or_default();
    let view = cx.view();
    view.require_all::<Address>(&ids)?;
    if let Some(ip) = ips.iter().find(|ip| {
        !view
            .state
            .addresses
            .values()
            .any(|a| dotted(a.public_ip) == **ip)
    }) {
        // Unverified wording.
        return Err(Ec2Error::new(
            "InvalidAddress.NotFound",
            format!("Address '{ip}' not found."),
        ));
    }
    let out = view
        .state
        .addresses
        .values()
        .filter(|a| ids.is_empty() || ids.contains(&a.id))
        .filter(|a| ips.is_empty() || ips.contains(&dotted(a.public_ip)))
        .filter(|a| filters.matches(a, &view))
        .map(|a| address_to_wire(&view, a))
        .collect();
    Ok(w::DescribeAddressesOutput {
        addresses: Some(out),
    })
}

fn address_to_wire(view: &View<'_>, a: &Address) -> w::Address {
    let assoc = a.association.as_ref();
    w::Address {
        allocation_id: Some(a.id.clone()),
        association_id: assoc.map(|x| x.id.clone()),
        domain: Some(w::DomainType::from("vpc")),
        network_interface_id: assoc.map(|x| x.network_interface_id.clone()),
        network_interface_owner_id: assoc.map(|_| view.state.account.clone()),
        private_ip_address: assoc.map(|x| dotted(x.private_ip)),
        instance_id: assoc.and_then(|x| x.instance_id.clone()),
        public_ip: Some(dotted(a.public_ip)),
        public_ipv4_pool: Some("amazon".into()),
        network_border_group: Some(view.state.region.clone()),
        tags: (!a.tags.is_empty()).then(|| wire_tags(&a.tags)),
        ..Default::default()
    }
}

/// DescribeAddressesAttribute (`domain-name`): no reverse DNS record has been set on any
/// address here, so each lists its address and allocation only.
pub fn describe_addresses_attribute(
    cx: &mut Cx<'_>,
    input: w::DescribeAddressesAttributeInput,
) -> Result<w::DescribeAddressesAttributeOutput, Ec2Error> {
    if let Some(a) = input
        .attribute
        .as_ref()
        .filter(|a| a.as_str() != "domain-name")
    {
        return Err(Ec2Error::invalid_value(
            "attribute",
            a.as_str(),
            "Valid values: domain-name.",
        ));
    }
    let ids = input.allocation_ids.clone().unwrap_or_default();
    let view = cx.view();
    let (addresses, next_token) = view.describe(&input, &ids, |_: &Address| true)?;
    Ok(w::DescribeAddressesAttributeOutput {
        addresses: Some(
            addresses
                .into_iter()
                .map(|a| w::AddressAttribute {
                    public_ip: Some(dotted(a.public_ip)),
                    allocation_id: Some(a.id.clone()),
                    ..Default::default()
                })
                .collect(),
        ),
        next_token,
    })
}
