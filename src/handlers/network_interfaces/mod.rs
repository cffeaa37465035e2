//! Network interfaces: CreateNetworkInterface, DescribeNetworkInterfaces (instances'
//! primary interfaces included), Attach/DetachNetworkInterface, DeleteNetworkInterface,
//! Modify/Describe/ResetNetworkInterfaceAttribute, Assign/UnassignPrivateIpAddresses
//! (those in `attributes.rs`).
//! An interface's addresses are counted against its subnet.

use super::common::{tag_specifications, tags_for, wire_tags};
use super::filters::NETWORK_INTERFACE_FILTERS;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::net::{dotted, private_dns};
use crate::store::{
    new_id, EniAttachment, Instance, InstanceState, NetworkInterface, RegionState, Resource,
    Subnet, View,
};
use crate::Ec2Error;
use std::net::Ipv4Addr;

mod attributes;

pub use attributes::{
    assign_private_ip_addresses, describe_network_interface_attribute,
    modify_network_interface_attribute, reset_network_interface_attribute,
    unassign_private_ip_addresses,
};

/// An explicit private IPv4 address, well-formed and inside the subnet's usable range
/// (AWS reserves the first four and the last address). Whether it is free is the
/// caller's check: RunInstances and the interface operations word InUse differently.
pub(crate) fn address_in_subnet(subnet: &Subnet, raw: &str) -> Result<u32, Ec2Error> {
    let ip: Ipv4Addr = raw
        .parse()
        .map_err(|_| Ec2Error::invalid_value("privateIpAddress", raw, "Invalid IPv4 address."))?;
    let ip = u32::from(ip);
    if !subnet.cidr.contains_ip(ip)
        || ip < subnet.cidr.first_usable()
        || ip > subnet.cidr.last_usable()
    {
        return Err(Ec2Error::invalid_parameter_value(format!(
            "Address {raw} does not fall within the subnet's address range"
        )));
    }
    Ok(ip)
}

/// An explicit address for an interface: in the subnet and free.
pub(super) fn explicit_ip(subnet: &Subnet, raw: &str, taken: &[u32]) -> Result<u32, Ec2Error> {
    let ip = address_in_subnet(subnet, raw)?;
    if subnet.used.contains(&ip) || taken.contains(&ip) {
        // pulumi/pulumi-aws#2169: "The specified address is already in use."
        return Err(Ec2Error::new(
            "InvalidIPAddress.InUse",
            "The specified address is already in use.",
        ));
    }
    Ok(ip)
}

/// Groups by id, all in the subnet's VPC; none given means the VPC's default group.
pub(super) fn groups_for(
    view: &View<'_>,
    subnet: &Subnet,
    ids: &[String],
) -> Result<Vec<String>, Ec2Error> {
    let mut out = crate::handlers::security_groups::groups_in_subnet_vpc(view, subnet, ids)?;
    if out.is_empty() {
        let g = view
            .state
            .group_by_name(&subnet.vpc_id, "default")
            .ok_or_else(|| Ec2Error::internal("the VPC has no default security group"))?;
        out.push(g.id.clone());
    }
    Ok(out)
}

pub fn create_network_interface(
    cx: &mut Cx<'_>,
    input: w::CreateNetworkInterfaceInput,
) -> Result<w::CreateNetworkInterfaceOutput, Ec2Error> {
    let view = cx.view();
    let subnet: &Subnet = view.get(&input.subnet_id)?;
    if input.ipv6_address_count.is_some_and(|n| n > 0)
        || input.ipv6_addresses.as_ref().is_some_and(|a| !a.is_empty())
        || input.ipv4_prefixes.is_some()
        || input.ipv4_prefix_count.is_some()
    {
        return Err(Ec2Error::new(
            "UnsupportedOperation",
            "IPv6 addresses and prefixes on interfaces are not supported by parlel-ec2 yet.",
        ));
    }
    if let Some(t) = input
        .interface_type
        .as_ref()
        .filter(|t| t.as_str() != "interface")
    {
        return Err(Ec2Error::new(
            "UnsupportedOperation",
            format!(
                "Interface type {} is not supported by parlel-ec2.",
                t.as_str()
            ),
        ));
    }
    let groups = groups_for(&view, subnet, input.groups.as_deref().unwrap_or_default())?;
    // The primary address: PrivateIpAddress, or the one PrivateIpAddresses marks primary;
    // the others given are secondary; SecondaryPrivateIpAddressCount adds more.
    let specs = input.private_ip_addresses.clone().unwrap_or_default();
    let mut chosen: Vec<u32> = Vec::new();
    let mut primary: Option<u32> = None;
    if let Some(raw) = &input.private_ip_address {
        let ip = explicit_ip(subnet, raw, &chosen)?;
        primary = Some(ip);
        chosen.push(ip);
    }
    let mut secondary: Vec<u32> = Vec::new();
    for spec in &specs {
        let Some(raw) = &spec.private_ip_address else {
            continue;
        };
        if primary.is_some_and(|p| dotted(p) == *raw) {
            continue;
        }
        let ip = explicit_ip(subnet, raw, &chosen)?;
        chosen.push(ip);
        if spec.primary == Some(true) && primary.is_none() {
            primary = Some(ip);
        } else {
            secondary.push(ip);
        }
    }
    let extra = input.secondary_private_ip_address_count.unwrap_or(0).max(0) as usize;
    let needed = usize::from(primary.is_none()) + extra;
    if (subnet.available_ip_count().max(0) as usize) < chosen.len() + needed {
        return Err(Ec2Error::new(
            "InsufficientFreeAddressesInSubnet",
            format!(
                "There are not enough free addresses in subnet '{}' to satisfy the requested number of addresses.",
                subnet.id
            ),
        ));
    }
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[NetworkInterface::INFO.resource_type],
    )?;
    let existing = input
        .client_token
        .as_deref()
        .and_then(|t| view.state.token("CreateNetworkInterface", t))
        .map(str::to_string);
    let (subnet_id, vpc_id) = (subnet.id.clone(), subnet.vpc_id.clone());
    let state = cx.commit()?;
    let id = match existing {
        Some(id) => id,
        None => {
            let sub = state.subnets.get_mut(&subnet_id).expect("checked above");
            for ip in &chosen {
                sub.used.insert(*ip);
            }
            let primary = match primary {
                Some(p) => p,
                None => sub.allocate_ip().expect("capacity checked"),
            };
            for _ in 0..extra {
                secondary.push(sub.allocate_ip().expect("capacity checked"));
            }
            let eni = NetworkInterface {
                id: new_id("eni"),
                subnet_id: subnet_id.into(),
                vpc_id: vpc_id.into(),
                description: input.description.clone().unwrap_or_default(),
                private_ip: primary,
                secondary_ips: secondary,
                ipv6_addresses: Vec::new(),
                mac: crate::store::MacAddr::random(),
                groups,
                source_dest_check: true,
                attachment: None,
                tags: tags_for::<NetworkInterface>(&tags),
            };
            let id = eni.id.clone();
            state.network_interfaces.insert(id.clone(), eni);
            if let Some(t) = &input.client_token {
                state.set_token("CreateNetworkInterface", t, &id);
            }
            id
        }
    };
    let view = cx.view();
    Ok(w::CreateNetworkInterfaceOutput {
        network_interface: Some(eni_to_wire(&view, &view.state.network_interfaces[&id])),
        client_token: input.client_token,
    })
}

pub fn describe_network_interfaces(
    cx: &mut Cx<'_>,
    input: w::DescribeNetworkInterfacesInput,
) -> Result<w::DescribeNetworkInterfacesOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), NETWORK_INTERFACE_FILTERS)?;
    let ids = input.network_interface_ids.clone().unwrap_or_default();
    let view = cx.view();
    let (enis, next_token) = view.filtered(&input, &ids, &filters)?;
    Ok(w::DescribeNetworkInterfacesOutput {
        network_interfaces: Some(enis.into_iter().map(|n| eni_to_wire(&view, n)).collect()),
        next_token,
    })
}

/// To a running or stopped instance in the interface's zone, at a free device index
/// (AttachNetworkInterface API reference); an attached interface is in use.
pub fn attach_network_interface(
    cx: &mut Cx<'_>,
    input: w::AttachNetworkInterfaceInput,
) -> Result<w::AttachNetworkInterfaceOutput, Ec2Error> {
    let view = cx.view();
    let eni: &NetworkInterface = view.get(&input.network_interface_id)?;
    let instance: &Instance = view.get(&input.instance_id)?;
    if eni.attachment.is_some() {
        return Err(in_use(&eni.id));
    }
    let state_now = instance.state(view.now);
    if !matches!(state_now, InstanceState::Running | InstanceState::Stopped) {
        return Err(Ec2Error::new(
            "IncorrectInstanceState",
            format!(
                "Instance '{}' is not in a valid state for this operation.",
                instance.id
            ),
        ));
    }
    let subnet_az = view
        .state
        .subnets
        .get(&eni.subnet_id)
        .map(|s| s.az.as_str());
    if subnet_az != Some(&*instance.az) || *eni.vpc_id != *instance.vpc_id {
        // Unverified wording.
        return Err(Ec2Error::invalid_parameter_value(format!(
            "The network interface {} and the instance {} are not in the same availability zone",
            eni.id, instance.id
        )));
    }
    if !(0..16).contains(&input.device_index) {
        return Err(Ec2Error::invalid_value(
            "deviceIndex",
            &input.device_index.to_string(),
            "Device indexes are 0 to 15.",
        ));
    }
    let taken = view.state.interfaces_of(instance).any(|n| {
        n.attachment
            .as_ref()
            .is_some_and(|a| a.device_index == input.device_index)
    });
    if taken {
        // Unverified wording.
        return Err(Ec2Error::invalid_parameter_value(format!(
            "Instance '{}' already has an interface attached at device index '{}'.",
            instance.id, input.device_index
        )));
    }
    let (eni_id, instance_id) = (eni.id.clone(), instance.id.clone());
    let now = cx.now;
    let state = cx.commit()?;
    let attachment_id = new_id("eni-attach");
    if let Some(n) = state.network_interfaces.get_mut(&eni_id) {
        n.attachment = Some(EniAttachment {
            id: attachment_id.clone(),
            instance_id: instance_id.as_str().into(),
            device_index: input.device_index,
            attach_time: crate::clock::Timestamp(now.0 - now.0.rem_euclid(1000)),
            delete_on_termination: false,
        });
    }
    if let Some(i) = state.instances.get_mut(&instance_id) {
        i.secondary_enis.push(eni_id);
    }
    Ok(w::AttachNetworkInterfaceOutput {
        attachment_id: Some(attachment_id),
        network_card_index: Some(0),
    })
}

fn in_use(id: &str) -> Ec2Error {
    NetworkInterface::INFO
        .in_use
        .as_ref()
        .expect("declared")
        .error(id)
}

/// The instance's primary interface (device index 0) stays.
pub fn detach_network_interface(
    cx: &mut Cx<'_>,
    input: w::DetachNetworkInterfaceInput,
) -> Result<w::DetachNetworkInterfaceOutput, Ec2Error> {
    let s = cx.state();
    let id = &input.attachment_id;
    let eni = s
        .network_interfaces
        .values()
        .find(|n| n.attachment.as_ref().is_some_and(|a| a.id == *id))
        .ok_or_else(|| {
            Ec2Error::new(
                "InvalidAttachmentID.NotFound",
                format!("Interface attachment {id} was not found"),
            )
        })?;
    let attachment = eni.attachment.as_ref().expect("found by it");
    if attachment.device_index == 0 {
        // Unverified wording.
        return Err(Ec2Error::new(
            "OperationNotPermitted",
            "The network interface at device index 0 cannot be detached.",
        ));
    }
    let (eni_id, instance_id) = (eni.id.clone(), attachment.instance_id.clone());
    let state = cx.commit()?;
    if let Some(n) = state.network_interfaces.get_mut(&eni_id) {
        n.attachment = None;
    }
    if let Some(i) = state.instances.get_mut(&instance_id) {
        i.secondary_enis.retain(|x| *x != eni_id);
    }
    Ok(w::DetachNetworkInterfaceOutput {})
}

/// An attached interface is in use; deleting one frees its addresses in the subnet.
pub fn delete_network_interface(
    cx: &mut Cx<'_>,
    input: w::DeleteNetworkInterfaceInput,
) -> Result<w::DeleteNetworkInterfaceOutput, Ec2Error> {
    let view = cx.view();
    let eni: &NetworkInterface = view.get(&input.network_interface_id)?;
    if eni.attachment.is_some() {
        return Err(in_use(&eni.id));
    }
    let removed = view.deletable::<NetworkInterface>(&eni.id)?;
    let (subnet_id, ips): (String, Vec<u32>) = (
        eni.subnet_id.to_string(),
        std::iter::once(eni.private_ip)
            .chain(eni.secondary_ips.iter().copied())
            .collect(),
    );
    let state = cx.commit()?;
    release(state, &subnet_id, &ips);
    state.remove_all(&removed);
    Ok(w::DeleteNetworkInterfaceOutput {})
}

pub(super) fn release(state: &mut RegionState, subnet_id: &str, ips: &[u32]) {
    if let Some(sub) = state.subnets.get_mut(subnet_id) {
        for ip in ips {
            sub.release_ip(*ip);
        }
    }
}

pub(crate) fn eni_to_wire(view: &View<'_>, n: &NetworkInterface) -> w::NetworkInterface {
    let s = view.state;
    let region = s.region.as_str();
    let subnet = s.subnets.get(&n.subnet_id);
    let instance = n
        .attachment
        .as_ref()
        .and_then(|a| s.instances.get(&a.instance_id));
    // An instance's public address belongs to its primary interface.
    let association = instance
        .filter(|i| i.eni_id == n.id)
        .and_then(|i| i.public_ip.map(|ip| (i, ip)))
        .map(|(i, ip)| w::NetworkInterfaceAssociation {
            ip_owner_id: Some(if i.elastic_ip {
                s.account.clone()
            } else {
                "amazon".into()
            }),
            public_ip: Some(dotted(ip)),
            ..Default::default()
        });
    let mut ips = vec![w::NetworkInterfacePrivateIpAddress {
        association: association.clone(),
        primary: Some(true),
        private_dns_name: Some(private_dns(region, n.private_ip)),
        private_ip_address: Some(dotted(n.private_ip)),
    }];
    ips.extend(
        n.secondary_ips
            .iter()
            .map(|ip| w::NetworkInterfacePrivateIpAddress {
                primary: Some(false),
                private_dns_name: Some(private_dns(region, *ip)),
                private_ip_address: Some(dotted(*ip)),
                ..Default::default()
            }),
    );
    w::NetworkInterface {
        association,
        attachment: n
            .attachment
            .as_ref()
            .map(|a| w::NetworkInterfaceAttachment {
                attach_time: Some(a.attach_time),
                attachment_id: Some(a.id.clone()),
                delete_on_termination: Some(a.delete_on_termination),
                device_index: Some(a.device_index),
                network_card_index: Some(0),
                instance_id: Some(a.instance_id.to_string()),
                instance_owner_id: Some(s.account.clone()),
                status: Some(w::AttachmentStatus::Attached),
                ..Default::default()
            }),
        availability_zone: subnet.map(|x| x.az.clone()),
        description: Some(n.description.clone()),
        groups: Some(
            n.groups
                .iter()
                .map(|g| w::GroupIdentifier {
                    group_id: Some(g.clone()),
                    group_name: s.security_groups.get(g).map(|x| x.name.clone()),
                })
                .collect(),
        ),
        interface_type: Some(w::NetworkInterfaceType::from("interface")),
        ipv6_addresses: Some(
            n.ipv6_addresses
                .iter()
                .map(|a| w::NetworkInterfaceIpv6Address {
                    ipv6_address: Some(a.clone()),
                    is_primary_ipv6: Some(false),
                    ..Default::default()
                })
                .collect(),
        ),
        mac_address: Some(n.mac.as_str().to_string()),
        network_interface_id: Some(n.id.clone()),
        owner_id: Some(s.account.clone()),
        private_dns_name: Some(private_dns(region, n.private_ip)),
        private_ip_address: Some(dotted(n.private_ip)),
        private_ip_addresses: Some(ips),
        requester_managed: Some(false),
        source_dest_check: Some(n.source_dest_check),
        status: Some(w::NetworkInterfaceStatus::from(n.status())),
        subnet_id: Some(n.subnet_id.to_string()),
        tag_set: Some(wire_tags(&n.tags)),
        vpc_id: Some(n.vpc_id.to_string()),
        ..Default::default()
    }
}
