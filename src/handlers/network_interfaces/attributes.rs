//! An interface's attributes (description, groups, source/destination check, the
//! attachment's DeleteOnTermination) and its secondary private addresses.

use super::{eni_to_wire, explicit_ip, groups_for, release};
use crate::context::Cx;
use crate::generated::types as w;
use crate::net::dotted;
use crate::store::NetworkInterface;
use crate::Ec2Error;
use std::net::Ipv4Addr;

/// One attribute per call: description, security groups, source/destination check, or
/// the attachment's DeleteOnTermination.
pub fn modify_network_interface_attribute(
    cx: &mut Cx<'_>,
    input: w::ModifyNetworkInterfaceAttributeInput,
) -> Result<w::ModifyNetworkInterfaceAttributeOutput, Ec2Error> {
    let view = cx.view();
    let eni: &NetworkInterface = view.get(&input.network_interface_id)?;
    enum Change {
        Description(String),
        Groups(Vec<String>),
        SourceDest(bool),
        DeleteOnTermination(bool),
    }
    let mut changes: Vec<(&str, Change)> = Vec::new();
    if let Some(d) = &input.description {
        changes.push((
            "description",
            Change::Description(d.value.clone().unwrap_or_default()),
        ));
    }
    if let Some(g) = input.groups.as_ref().filter(|g| !g.is_empty()) {
        let subnet = view
            .state
            .subnets
            .get(&eni.subnet_id)
            .ok_or_else(|| Ec2Error::internal("the interface's subnet is gone"))?;
        changes.push(("groupSet", Change::Groups(groups_for(&view, subnet, g)?)));
    }
    if let Some(b) = &input.source_dest_check {
        changes.push((
            "sourceDestCheck",
            Change::SourceDest(b.value.unwrap_or(true)),
        ));
    }
    if let Some(a) = &input.attachment {
        let mine = eni.attachment.as_ref();
        if a.attachment_id.is_some() && mine.map(|m| &m.id) != a.attachment_id.as_ref() {
            return Err(Ec2Error::new(
                "InvalidAttachmentID.NotFound",
                format!(
                    "Interface attachment {} was not found",
                    a.attachment_id.clone().unwrap_or_default()
                ),
            ));
        }
        if mine.is_none() {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "The network interface {} is not attached",
                eni.id
            )));
        }
        changes.push((
            "attachment",
            Change::DeleteOnTermination(a.delete_on_termination.unwrap_or(false)),
        ));
    }
    let change = crate::handlers::subnets::one_attribute(changes)?;
    let id = eni.id.clone();
    let Some(n) = cx.commit()?.network_interfaces.get_mut(&id) else {
        return Ok(w::ModifyNetworkInterfaceAttributeOutput {});
    };
    match change {
        Change::Description(d) => n.description = d,
        Change::Groups(g) => n.groups = g,
        Change::SourceDest(b) => n.source_dest_check = b,
        Change::DeleteOnTermination(b) => {
            if let Some(a) = &mut n.attachment {
                a.delete_on_termination = b;
            }
        }
    }
    Ok(w::ModifyNetworkInterfaceAttributeOutput {})
}

pub fn describe_network_interface_attribute(
    cx: &mut Cx<'_>,
    input: w::DescribeNetworkInterfaceAttributeInput,
) -> Result<w::DescribeNetworkInterfaceAttributeOutput, Ec2Error> {
    let view = cx.view();
    let eni: &NetworkInterface = view.get(&input.network_interface_id)?;
    let full = eni_to_wire(&view, eni);
    let mut out = w::DescribeNetworkInterfaceAttributeOutput {
        network_interface_id: Some(eni.id.clone()),
        ..Default::default()
    };
    match input.attribute.as_ref().map(|a| a.as_str()) {
        Some("description") => {
            out.description = Some(w::AttributeValue {
                value: Some(eni.description.clone()),
            })
        }
        Some("groupSet") => out.groups = full.groups,
        Some("sourceDestCheck") => {
            out.source_dest_check = Some(w::AttributeBooleanValue {
                value: Some(eni.source_dest_check),
            })
        }
        Some("attachment") => out.attachment = full.attachment,
        Some("associatePublicIpAddress") => out.associate_public_ip_address = Some(full.association.is_some()),
        other => {
            return Err(Ec2Error::invalid_value(
                "attribute",
                other.unwrap_or(""),
                "Valid values: description, groupSet, sourceDestCheck, attachment, associatePublicIpAddress.",
            ))
        }
    }
    Ok(out)
}

/// ResetNetworkInterfaceAttribute resets the source/destination check to true.
pub fn reset_network_interface_attribute(
    cx: &mut Cx<'_>,
    input: w::ResetNetworkInterfaceAttributeInput,
) -> Result<w::ResetNetworkInterfaceAttributeOutput, Ec2Error> {
    let eni: &NetworkInterface = cx.view().get(&input.network_interface_id)?;
    let id = eni.id.clone();
    if let Some(n) = cx.commit()?.network_interfaces.get_mut(&id) {
        n.source_dest_check = true;
    }
    Ok(w::ResetNetworkInterfaceAttributeOutput {})
}

/// Secondary private addresses, explicit or counted, from the interface's subnet.
pub fn assign_private_ip_addresses(
    cx: &mut Cx<'_>,
    input: w::AssignPrivateIpAddressesInput,
) -> Result<w::AssignPrivateIpAddressesOutput, Ec2Error> {
    let view = cx.view();
    let eni: &NetworkInterface = view.get(&input.network_interface_id)?;
    let subnet = view
        .state
        .subnets
        .get(&eni.subnet_id)
        .ok_or_else(|| Ec2Error::internal("the interface's subnet is gone"))?;
    let mut explicit = Vec::new();
    for raw in input.private_ip_addresses.iter().flatten() {
        let ip = explicit_ip(subnet, raw, &explicit)?;
        explicit.push(ip);
    }
    let count = input.secondary_private_ip_address_count.unwrap_or(0).max(0) as usize;
    if explicit.is_empty() && count == 0 {
        return Err(Ec2Error::new(
            "MissingParameter",
            "The request must contain the parameter privateIpAddress or secondaryPrivateIpAddressCount",
        ));
    }
    if (subnet.available_ip_count().max(0) as usize) < explicit.len() + count {
        return Err(Ec2Error::new(
            "InsufficientFreeAddressesInSubnet",
            format!(
                "There are not enough free addresses in subnet '{}' to satisfy the requested number of addresses.",
                subnet.id
            ),
        ));
    }
    let (eni_id, subnet_id) = (eni.id.clone(), subnet.id.clone());
    let state = cx.commit()?;
    let sub = state.subnets.get_mut(&subnet_id).expect("checked above");
    let mut assigned = explicit.clone();
    for ip in &explicit {
        sub.used.insert(*ip);
    }
    for _ in 0..count {
        assigned.push(sub.allocate_ip().expect("capacity checked"));
    }
    if let Some(n) = state.network_interfaces.get_mut(&eni_id) {
        n.secondary_ips.extend(&assigned);
    }
    Ok(w::AssignPrivateIpAddressesOutput {
        network_interface_id: Some(eni_id),
        assigned_private_ip_addresses: Some(
            assigned
                .into_iter()
                .map(|ip| w::AssignedPrivateIpAddress {
                    private_ip_address: Some(dotted(ip)),
                })
                .collect(),
        ),
        assigned_ipv4_prefixes: None,
    })
}

/// Only secondary addresses the interface has can be unassigned.
pub fn unassign_private_ip_addresses(
    cx: &mut Cx<'_>,
    input: w::UnassignPrivateIpAddressesInput,
) -> Result<w::UnassignPrivateIpAddressesOutput, Ec2Error> {
    let view = cx.view();
    let eni: &NetworkInterface = view.get(&input.network_interface_id)?;
    let mut ips = Vec::new();
    for raw in input.private_ip_addresses.iter().flatten() {
        let ip = raw.parse::<Ipv4Addr>().map(u32::from).ok();
        match ip.filter(|ip| eni.secondary_ips.contains(ip)) {
            Some(ip) => ips.push(ip),
            None => {
                // Unverified wording.
                return Err(Ec2Error::invalid_parameter_value(format!(
                    "Some of the specified addresses are not assigned to interface {}",
                    eni.id
                )));
            }
        }
    }
    let (eni_id, subnet_id) = (eni.id.clone(), eni.subnet_id.clone());
    let state = cx.commit()?;
    release(state, &subnet_id, &ips);
    if let Some(n) = state.network_interfaces.get_mut(&eni_id) {
        n.secondary_ips.retain(|ip| !ips.contains(ip));
    }
    Ok(w::UnassignPrivateIpAddressesOutput {})
}
