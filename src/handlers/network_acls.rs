//! Network ACLs: every VPC's default ACL (rule 100 allows all, `*` denies the rest,
//! each way) is associated with every subnet that has no other. CreateNetworkAcl,
//! DeleteNetworkAcl, Create/Replace/DeleteNetworkAclEntry, ReplaceNetworkAclAssociation,
//! DescribeNetworkAcls.

use super::common::{tag_specifications, tags_for, wire_tags};
use super::filters::NETWORK_ACL_FILTERS;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::store::{new_id, AclEntry, NetworkAcl, Resource, Vpc};
use crate::Ec2Error;

/// A new ACL denies everything each way until entries are added (VPC User Guide,
/// "Custom network ACLs").
pub fn create_network_acl(
    cx: &mut Cx<'_>,
    input: w::CreateNetworkAclInput,
) -> Result<w::CreateNetworkAclOutput, Ec2Error> {
    let view = cx.view();
    let vpc: &Vpc = view.get(&input.vpc_id)?;
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[NetworkAcl::INFO.resource_type],
    )?;
    if let Some(token) = &input.client_token {
        if let Some(acl) = view
            .state
            .token("CreateNetworkAcl", token)
            .and_then(|id| view.state.network_acls.get(id))
        {
            let out = acl_to_wire(acl, cx.account);
            cx.commit()?;
            return Ok(w::CreateNetworkAclOutput {
                network_acl: Some(out),
                client_token: Some(token.clone()),
            });
        }
    }
    let mut acl = NetworkAcl::default_for(new_id("acl"), &vpc.id);
    acl.is_default = false;
    acl.entries.retain(|e| !e.allow);
    acl.tags = tags_for::<NetworkAcl>(&tags);
    let out = acl_to_wire(&acl, cx.account);
    let state = cx.commit()?;
    if let Some(token) = &input.client_token {
        state.set_token("CreateNetworkAcl", token, &acl.id);
    }
    state.network_acls.insert(acl.id.clone(), acl);
    Ok(w::CreateNetworkAclOutput {
        network_acl: Some(out),
        client_token: input.client_token,
    })
}

/// The default ACL cannot be deleted; an associated one is in use.
pub fn delete_network_acl(
    cx: &mut Cx<'_>,
    input: w::DeleteNetworkAclInput,
) -> Result<w::DeleteNetworkAclOutput, Ec2Error> {
    let view = cx.view();
    let acl: &NetworkAcl = view.get(&input.network_acl_id)?;
    if acl.is_default {
        // Unverified wording.
        return Err(Ec2Error::invalid_parameter_value(format!(
            "cannot delete default network ACL {}",
            acl.id
        )));
    }
    if !acl.associations.is_empty() {
        return Err(NetworkAcl::INFO
            .in_use
            .as_ref()
            .expect("declared")
            .error(&acl.id));
    }
    let removed = view.deletable::<NetworkAcl>(&acl.id)?;
    cx.commit()?.remove_all(&removed);
    Ok(w::DeleteNetworkAclOutput {})
}

/// The entry a Create/ReplaceNetworkAclEntry input describes (the same members in both).
macro_rules! entry {
    ($input:expr) => {
        entry(
            $input.rule_number,
            $input.egress,
            &$input.protocol,
            &$input.rule_action,
            $input.cidr_block.as_deref(),
            $input.ipv6_cidr_block.as_deref(),
            $input.port_range.as_ref(),
        )
    };
}

/// The fields of Create/ReplaceNetworkAclEntry, checked: rule numbers 1–32766
/// (CreateNetworkAclEntry API reference), a protocol number or -1, ports for TCP/UDP.
#[allow(clippy::too_many_arguments)]
fn entry(
    number: i32,
    egress: bool,
    protocol: &str,
    action: &w::RuleAction,
    cidr: Option<&str>,
    ipv6: Option<&str>,
    ports: Option<&w::PortRange>,
) -> Result<AclEntry, Ec2Error> {
    if !(1..=32766).contains(&number) {
        return Err(Ec2Error::invalid_value(
            "ruleNumber",
            &number.to_string(),
            "Rule numbers must be between 1 and 32766.",
        ));
    }
    let protocol = match protocol.to_ascii_lowercase().as_str() {
        "-1" | "all" => "-1".to_string(),
        "tcp" | "6" => "6".to_string(),
        "udp" | "17" => "17".to_string(),
        "icmp" | "1" => "1".to_string(),
        "icmpv6" | "58" => "58".to_string(),
        n if n.parse::<u8>().is_ok() => n.to_string(),
        other => {
            return Err(Ec2Error::invalid_value(
                "protocol",
                other,
                "Valid values: -1 or a protocol number.",
            ))
        }
    };
    let allow = match action.as_str() {
        "allow" => true,
        "deny" => false,
        other => {
            return Err(Ec2Error::invalid_value(
                "ruleAction",
                other,
                "Valid values: allow, deny.",
            ))
        }
    };
    let cidr =
        match (cidr, ipv6) {
            (Some(c), None) => crate::net::Cidr::parse_canonical(c)
                .ok_or_else(|| super::vpcs::invalid_cidr(c))?
                .to_string(),
            (None, Some(c)) => c.to_ascii_lowercase(),
            _ => return Err(Ec2Error::new(
                "MissingParameter",
                "The request must contain exactly one of the parameters cidrBlock or ipv6CidrBlock",
            )),
        };
    let ports = match (protocol.as_str(), ports) {
        ("6" | "17", Some(p)) => Some((p.from.unwrap_or(0), p.to.unwrap_or(65535))),
        ("6" | "17", None) => {
            return Err(Ec2Error::new(
                "MissingParameter",
                "The request must contain the parameter portRange",
            ))
        }
        _ => None,
    };
    Ok(AclEntry {
        number,
        egress,
        protocol,
        allow,
        cidr,
        ports,
    })
}

/// One entry per rule number and direction (NetworkAclEntryAlreadyExists).
pub fn create_network_acl_entry(
    cx: &mut Cx<'_>,
    input: w::CreateNetworkAclEntryInput,
) -> Result<w::CreateNetworkAclEntryOutput, Ec2Error> {
    let view = cx.view();
    let acl: &NetworkAcl = view.get(&input.network_acl_id)?;
    let e = entry!(input)?;
    if acl
        .entries
        .iter()
        .any(|x| x.number == e.number && x.egress == e.egress)
    {
        return Err(Ec2Error::new(
            "NetworkAclEntryAlreadyExists",
            format!(
                "The network acl entry identified by {} already exists.",
                e.number
            ),
        ));
    }
    let id = acl.id.clone();
    if let Some(acl) = cx.commit()?.network_acls.get_mut(&id) {
        let at = acl
            .entries
            .iter()
            .position(|x| x.egress == e.egress && x.number > e.number)
            .unwrap_or(acl.entries.len());
        acl.entries.insert(at, e);
    }
    Ok(w::CreateNetworkAclEntryOutput {})
}

fn missing_entry(number: i32) -> Ec2Error {
    // Unverified wording.
    Ec2Error::new(
        "InvalidNetworkAclEntry.NotFound",
        format!("The network acl entry identified by {number} does not exist."),
    )
}

pub fn replace_network_acl_entry(
    cx: &mut Cx<'_>,
    input: w::ReplaceNetworkAclEntryInput,
) -> Result<w::ReplaceNetworkAclEntryOutput, Ec2Error> {
    let view = cx.view();
    let acl: &NetworkAcl = view.get(&input.network_acl_id)?;
    let e = entry!(input)?;
    let Some(at) = acl
        .entries
        .iter()
        .position(|x| x.number == e.number && x.egress == e.egress)
    else {
        return Err(missing_entry(e.number));
    };
    let id = acl.id.clone();
    if let Some(acl) = cx.commit()?.network_acls.get_mut(&id) {
        acl.entries[at] = e;
    }
    Ok(w::ReplaceNetworkAclEntryOutput {})
}

/// The final `*` rule (32767) is not an entry one can delete.
pub fn delete_network_acl_entry(
    cx: &mut Cx<'_>,
    input: w::DeleteNetworkAclEntryInput,
) -> Result<w::DeleteNetworkAclEntryOutput, Ec2Error> {
    let view = cx.view();
    let acl: &NetworkAcl = view.get(&input.network_acl_id)?;
    let Some(at) = acl.entries.iter().position(|x| {
        x.number == input.rule_number && x.egress == input.egress && x.number != 32767
    }) else {
        return Err(missing_entry(input.rule_number));
    };
    let id = acl.id.clone();
    if let Some(acl) = cx.commit()?.network_acls.get_mut(&id) {
        acl.entries.remove(at);
    }
    Ok(w::DeleteNetworkAclEntryOutput {})
}

/// Moves a subnet's association to another ACL of its VPC; the association gets a new id.
pub fn replace_network_acl_association(
    cx: &mut Cx<'_>,
    input: w::ReplaceNetworkAclAssociationInput,
) -> Result<w::ReplaceNetworkAclAssociationOutput, Ec2Error> {
    let view = cx.view();
    let id = &input.association_id;
    let (old, subnet) = view
        .state
        .network_acls
        .values()
        .find_map(|a| {
            a.associations
                .iter()
                .find(|(x, _)| x == id)
                .map(|(_, s)| (a, s.clone()))
        })
        .ok_or_else(|| {
            Ec2Error::new(
                "InvalidAssociationID.NotFound",
                format!("The association ID '{id}' does not exist"),
            )
        })?;
    let target: &NetworkAcl = view.get(&input.network_acl_id)?;
    if target.vpc_id != old.vpc_id {
        return Err(Ec2Error::invalid_parameter_value(format!(
            "Network ACL {} and association {id} belong to different networks",
            target.id
        )));
    }
    let (old_id, new_acl) = (old.id.clone(), target.id.clone());
    let state = cx.commit()?;
    if let Some(a) = state.network_acls.get_mut(&old_id) {
        a.associations.retain(|(x, _)| x != id);
    }
    let new_id = new_id("aclassoc");
    if let Some(a) = state.network_acls.get_mut(&new_acl) {
        a.associations.push((new_id.clone(), subnet));
    }
    Ok(w::ReplaceNetworkAclAssociationOutput {
        new_association_id: Some(new_id),
    })
}

pub fn describe_network_acls(
    cx: &mut Cx<'_>,
    input: w::DescribeNetworkAclsInput,
) -> Result<w::DescribeNetworkAclsOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), NETWORK_ACL_FILTERS)?;
    let ids = input.network_acl_ids.clone().unwrap_or_default();
    let view = cx.view();
    let (acls, next_token) = view.filtered(&input, &ids, &filters)?;
    Ok(w::DescribeNetworkAclsOutput {
        network_acls: Some(
            acls.into_iter()
                .map(|a| acl_to_wire(a, cx.account))
                .collect(),
        ),
        next_token,
    })
}

fn acl_to_wire(a: &NetworkAcl, account: &str) -> w::NetworkAcl {
    w::NetworkAcl {
        rendered: None,
        associations: Some(
            a.associations
                .iter()
                .map(|(id, subnet)| w::NetworkAclAssociation {
                    network_acl_association_id: Some(id.clone()),
                    network_acl_id: Some(a.id.clone()),
                    subnet_id: Some(subnet.clone()),
                })
                .collect(),
        ),
        entries: Some(
            a.entries
                .iter()
                .map(|e| w::NetworkAclEntry {
                    cidr_block: (!e.cidr.contains(':')).then(|| e.cidr.clone()),
                    ipv6_cidr_block: e.cidr.contains(':').then(|| e.cidr.clone()),
                    egress: Some(e.egress),
                    protocol: Some(e.protocol.clone()),
                    rule_action: Some(w::RuleAction::from(if e.allow { "allow" } else { "deny" })),
                    rule_number: Some(e.number),
                    port_range: e.ports.map(|(from, to)| w::PortRange {
                        from: Some(from),
                        to: Some(to),
                    }),
                    ..Default::default()
                })
                .collect(),
        ),
        is_default: Some(a.is_default),
        network_acl_id: Some(a.id.clone()),
        tags: Some(wire_tags(&a.tags)),
        vpc_id: Some(a.vpc_id.clone()),
        owner_id: Some(account.to_string()),
    }
}
