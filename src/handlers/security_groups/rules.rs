//! Authorize/RevokeSecurityGroupIngress and Authorize/RevokeSecurityGroupEgress:
//! permissions in, rules (`sgr-`, a kind of their own) out; DescribeSecurityGroupRules.

use super::find_group;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::handlers::common::{tag_specifications, tags_for, wire_tags};
use crate::handlers::filters::SG_RULE_FILTERS;
use crate::store::{new_id, Peer, Resource, SecurityGroup, SgRule, Tags, View};
use crate::Ec2Error;
use std::borrow::Cow;

/// The flat parameters of every Authorize/Revoke input, as one permission.
macro_rules! flat {
    ($input:expr) => {
        Flat {
            ip_protocol: $input.ip_protocol.clone(),
            from_port: $input.from_port,
            to_port: $input.to_port,
            cidr_ip: $input.cidr_ip.clone(),
            source_group_name: $input.source_security_group_name.clone(),
            source_group_owner: $input.source_security_group_owner_id.clone(),
        }
    };
}

pub fn authorize_security_group_ingress(
    cx: &mut Cx<'_>,
    input: w::AuthorizeSecurityGroupIngressInput,
) -> Result<w::AuthorizeSecurityGroupIngressOutput, Ec2Error> {
    let group = find_group(
        &cx.view(),
        input.group_id.as_deref(),
        input.group_name.as_deref(),
    )?
    .id
    .clone();
    let perms = permissions_of(input.ip_permissions.clone(), flat!(input));
    let rules = authorize(cx, &group, &perms, input.tag_specifications.as_ref(), false)?;
    Ok(w::AuthorizeSecurityGroupIngressOutput {
        r#return: Some(true),
        security_group_rules: Some(rules),
    })
}

/// AuthorizeSecurityGroupEgress: by group id only (API reference: the group name is not
/// accepted for egress).
pub fn authorize_security_group_egress(
    cx: &mut Cx<'_>,
    input: w::AuthorizeSecurityGroupEgressInput,
) -> Result<w::AuthorizeSecurityGroupEgressOutput, Ec2Error> {
    let group = find_group(&cx.view(), Some(&input.group_id), None)?
        .id
        .clone();
    let perms = permissions_of(input.ip_permissions.clone(), flat!(input));
    let rules = authorize(cx, &group, &perms, input.tag_specifications.as_ref(), true)?;
    Ok(w::AuthorizeSecurityGroupEgressOutput {
        r#return: Some(true),
        security_group_rules: Some(rules),
    })
}

/// Adds one rule per peer of each permission, in one direction; a rule the group has
/// already is EC2's InvalidPermission.Duplicate, and nothing is added.
fn authorize(
    cx: &mut Cx<'_>,
    group_id: &str,
    perms: &[w::IpPermission],
    tag_specs: Option<&Vec<w::TagSpecification>>,
    egress: bool,
) -> Result<Vec<w::SecurityGroupRule>, Ec2Error> {
    let view = cx.view();
    let s = view.state;
    let group: &SecurityGroup = view.get(group_id)?;
    if perms.is_empty() {
        return Err(Ec2Error::new(
            "MissingParameter",
            "No ip permissions specified",
        ));
    }
    let mut new_rules: Vec<SgRule> = Vec::new();
    for p in perms {
        for rule in expand(&view, group, p, cx.account, egress)? {
            if new_rules.iter().any(|r| r.same_as(&rule)) {
                // terraform-provider-aws#2587.
                return Err(Ec2Error::invalid_parameter_value(
                    "The same permission must not appear multiple times",
                ));
            }
            if s.rules_of(group).any(|r| r.same_as(&rule)) {
                return Err(duplicate(&rule));
            }
            new_rules.push(rule);
        }
    }
    let tags = tag_specifications(tag_specs, &[SgRule::INFO.resource_type])?;
    let tags = tags_for::<SgRule>(&tags);
    let group_id = group.id.clone();
    let account = cx.account.to_string();
    let state = cx.commit()?;
    let mut out = Vec::with_capacity(new_rules.len());
    for mut r in new_rules {
        r.tags = tags.clone();
        out.push(rule_to_wire(&r, &group_id, &account));
        state.add_rule(r);
    }
    Ok(out)
}

/// The legacy flat parameters of Authorize/Revoke (one permission, EC2-Classic style).
#[derive(Default)]
pub(super) struct Flat {
    ip_protocol: Option<String>,
    from_port: Option<i32>,
    to_port: Option<i32>,
    cidr_ip: Option<String>,
    source_group_name: Option<String>,
    source_group_owner: Option<String>,
}

/// IpPermissions.N plus the one permission the flat parameters describe, if any.
pub(super) fn permissions_of(
    list: Option<Vec<w::IpPermission>>,
    flat: Flat,
) -> Vec<w::IpPermission> {
    let mut perms = list.unwrap_or_default();
    if flat.ip_protocol.is_some() || flat.cidr_ip.is_some() || flat.source_group_name.is_some() {
        perms.push(w::IpPermission {
            ip_protocol: Some(flat.ip_protocol.unwrap_or_else(|| "-1".into())),
            from_port: flat.from_port,
            to_port: flat.to_port,
            ip_ranges: flat.cidr_ip.map(|c| {
                vec![w::IpRange {
                    cidr_ip: Some(c),
                    description: None,
                }]
            }),
            user_id_group_pairs: flat.source_group_name.map(|n| {
                vec![w::UserIdGroupPair {
                    group_name: Some(n),
                    user_id: flat.source_group_owner,
                    ..Default::default()
                }]
            }),
            ..Default::default()
        });
    }
    perms
}

/// RevokeSecurityGroupIngress: by permissions (matched on protocol, ports and peer, as
/// EC2 matches them) or by rule id. Permissions that match no rule are not an error:
/// EC2 lists them in `unknownIpPermissions` (RevokeSecurityGroupIngress API reference).
pub fn revoke_security_group_ingress(
    cx: &mut Cx<'_>,
    input: w::RevokeSecurityGroupIngressInput,
) -> Result<w::RevokeSecurityGroupIngressOutput, Ec2Error> {
    let group = find_group(
        &cx.view(),
        input.group_id.as_deref(),
        input.group_name.as_deref(),
    )?
    .id
    .clone();
    let perms = permissions_of(input.ip_permissions.clone(), flat!(input));
    let ids = input.security_group_rule_ids.clone().unwrap_or_default();
    let (unknown, revoked) = revoke(cx, &group, &perms, &ids, false)?;
    Ok(w::RevokeSecurityGroupIngressOutput {
        r#return: Some(true),
        unknown_ip_permissions: (!unknown.is_empty()).then_some(unknown),
        revoked_security_group_rules: Some(revoked),
    })
}

/// RevokeSecurityGroupEgress, the same by group id; Terraform revokes the allow-all
/// egress rule of every group it creates this way.
pub fn revoke_security_group_egress(
    cx: &mut Cx<'_>,
    input: w::RevokeSecurityGroupEgressInput,
) -> Result<w::RevokeSecurityGroupEgressOutput, Ec2Error> {
    let group = find_group(&cx.view(), Some(&input.group_id), None)?
        .id
        .clone();
    let perms = permissions_of(input.ip_permissions.clone(), flat!(input));
    let ids = input.security_group_rule_ids.clone().unwrap_or_default();
    let (unknown, revoked) = revoke(cx, &group, &perms, &ids, true)?;
    Ok(w::RevokeSecurityGroupEgressOutput {
        r#return: Some(true),
        unknown_ip_permissions: (!unknown.is_empty()).then_some(unknown),
        revoked_security_group_rules: Some(revoked),
    })
}

type Revoked = (Vec<w::IpPermission>, Vec<w::RevokedSecurityGroupRule>);

/// Removes the rules of one direction that the permissions or rule ids name; returns
/// the permissions that matched nothing and the rules removed.
fn revoke(
    cx: &mut Cx<'_>,
    group_id: &str,
    perms: &[w::IpPermission],
    rule_ids: &[String],
    egress: bool,
) -> Result<Revoked, Ec2Error> {
    let view = cx.view();
    let s = view.state;
    let group: &SecurityGroup = view.get(group_id)?;
    if perms.is_empty() && rule_ids.is_empty() {
        return Err(Ec2Error::missing_parameter("ipPermissions"));
    }
    // Rule ids must name rules of this group, in this direction.
    let info = SgRule::INFO;
    for id in rule_ids {
        info.check(id)?;
    }
    let missing: Vec<&String> = rule_ids
        .iter()
        .filter(|id| {
            !s.rules_of(group)
                .any(|r| r.egress == egress && r.id == **id)
        })
        .collect();
    if !missing.is_empty() {
        return Err(info.not_found(&missing));
    }
    let mut revoke: Vec<String> = rule_ids.to_vec();
    let mut unknown = Vec::new();
    for p in perms {
        let mut matched_all = true;
        for wanted in expand(&view, group, p, cx.account, egress)? {
            match s.rules_of(group).find(|r| r.same_as(&wanted)) {
                Some(r) if !revoke.contains(&r.id) => revoke.push(r.id.clone()),
                Some(_) => {}
                None => matched_all = false,
            }
        }
        if !matched_all {
            unknown.push(p.clone());
        }
    }
    let group_id = group.id.clone();
    // In the group's order, as EC2 lists them.
    let revoke: Vec<&SgRule> = s
        .rules_of(group)
        .filter(|r| revoke.contains(&r.id))
        .collect();
    let revoked: Vec<w::RevokedSecurityGroupRule> = revoke
        .iter()
        .map(|r| {
            let (cidr_ipv4, cidr_ipv6, prefix_list_id, referenced_group_id) = match &r.peer {
                Peer::Cidr4(c) => (Some(c.clone()), None, None, None),
                Peer::Cidr6(c) => (None, Some(c.clone()), None, None),
                Peer::PrefixList(p) => (None, None, Some(p.clone()), None),
                Peer::Group { group_id, .. } => (None, None, None, Some(group_id.clone())),
            };
            w::RevokedSecurityGroupRule {
                security_group_rule_id: Some(r.id.clone()),
                group_id: Some(group_id.clone()),
                is_egress: Some(egress),
                ip_protocol: Some(r.protocol.clone()),
                from_port: Some(r.from_port.unwrap_or(-1)),
                to_port: Some(r.to_port.unwrap_or(-1)),
                cidr_ipv4,
                cidr_ipv6,
                prefix_list_id,
                referenced_group_id,
                description: r.description.clone(),
            }
        })
        .collect();
    let ids: Vec<String> = revoke.iter().map(|r| r.id.clone()).collect();
    cx.commit()?.remove_all(&ids);
    Ok((unknown, revoked))
}

/// EC2 accepts protocol names and numbers; it stores tcp/udp/icmp/icmpv6 by name and
/// everything else by number, with `-1` for all.
fn normalize_protocol(p: &str) -> Result<String, Ec2Error> {
    let lower = p.to_ascii_lowercase();
    Ok(match lower.as_str() {
        "tcp" | "6" => "tcp".into(),
        "udp" | "17" => "udp".into(),
        "icmp" | "1" => "icmp".into(),
        "icmpv6" | "58" => "icmpv6".into(),
        "-1" | "all" => "-1".into(),
        n if n.parse::<u8>().is_ok() => n.to_string(),
        _ => {
            return Err(Ec2Error::invalid_value(
                "ipProtocol",
                p,
                "Valid values: tcp, udp, icmp, icmpv6, -1, or a protocol number.",
            ))
        }
    })
}

/// One rule per peer of a permission, validated.
pub(super) fn expand(
    view: &View<'_>,
    group: &SecurityGroup,
    p: &w::IpPermission,
    account: &str,
    egress: bool,
) -> Result<Vec<SgRule>, Ec2Error> {
    let s = view.state;
    let protocol = normalize_protocol(p.ip_protocol.as_deref().unwrap_or(""))?;
    let (from, to) = match protocol.as_str() {
        "tcp" | "udp" => {
            let (Some(from), Some(to)) = (p.from_port, p.to_port) else {
                return Err(Ec2Error::invalid_parameter_value(
                    "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange",
                ));
            };
            if !(0..=65535).contains(&from) || !(0..=65535).contains(&to) || from > to {
                return Err(Ec2Error::invalid_parameter_value(format!(
                    "Invalid value 'Invalid port range: {from}-{to}' for portRange"
                )));
            }
            (Some(from), Some(to))
        }
        "icmp" | "icmpv6" => (
            Some(p.from_port.unwrap_or(-1)),
            Some(p.to_port.unwrap_or(-1)),
        ),
        // All traffic, and protocols without ports: EC2 drops the ports.
        _ => (None, None),
    };
    let rule = |peer: Peer, description: &Option<String>| SgRule {
        id: new_id("sgr"),
        group_id: group.id.clone(),
        egress,
        protocol: protocol.clone(),
        from_port: from,
        to_port: to,
        peer,
        description: description.clone(),
        tags: Tags::new(),
    };
    let mut out = Vec::new();
    for r in p.ip_ranges.iter().flatten() {
        let raw = r.cidr_ip.clone().unwrap_or_default();
        // Host bits are cleared, as EC2 stores the rule (10.0.0.1/24 → 10.0.0.0/24).
        let Some(c) = crate::net::Cidr::parse_canonical(&raw) else {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "CIDR block {raw} is malformed"
            )));
        };
        out.push(rule(Peer::Cidr4(c.to_string()), &r.description));
    }
    for r in p.ipv6_ranges.iter().flatten() {
        let c = r.cidr_ipv6.clone().unwrap_or_default();
        if !valid_ipv6_cidr(&c) {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "CIDR block {c} is malformed"
            )));
        }
        out.push(rule(Peer::Cidr6(c), &r.description));
    }
    for r in p.prefix_list_ids.iter().flatten() {
        let id = r.prefix_list_id.clone().unwrap_or_default();
        if !crate::store::is_well_formed(&id, "pl") {
            return Err(Ec2Error::new(
                "InvalidPrefixListId.Malformed",
                format!("The prefix list ID '{id}' is malformed"),
            ));
        }
        out.push(rule(Peer::PrefixList(id), &r.description));
    }
    for pair in p.user_id_group_pairs.iter().flatten() {
        let peer_group = match (&pair.group_id, &pair.group_name) {
            (Some(id), _) => view.get::<SecurityGroup>(id)?,
            (None, Some(name)) => s.group_by_name(&group.vpc_id, name).ok_or_else(|| {
                Ec2Error::new(
                    "InvalidGroup.NotFound",
                    format!(
                        "The security group '{name}' does not exist in VPC '{}'",
                        group.vpc_id
                    ),
                )
            })?,
            (None, None) => return Err(Ec2Error::missing_parameter("groupId")),
        };
        let user = pair.user_id.clone().unwrap_or_else(|| account.to_string());
        out.push(rule(
            Peer::Group {
                group_id: peer_group.id.clone(),
                user_id: user,
            },
            &pair.description,
        ));
    }
    if out.is_empty() {
        // A permission with no peer: EC2 opens it to nobody and says so.
        return Err(Ec2Error::invalid_parameter_value("The permission must specify a peer: IpRanges, Ipv6Ranges, PrefixListIds or UserIdGroupPairs"));
    }
    Ok(out)
}

fn valid_ipv6_cidr(c: &str) -> bool {
    c.split_once('/').is_some_and(|(ip, len)| {
        ip.parse::<std::net::Ipv6Addr>().is_ok() && len.parse::<u8>().is_ok_and(|l| l <= 128)
    })
}

/// `the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already
/// exists` (lower-case "the"; ansible#19759, galaxyproject/cloudlaunch#56).
pub(super) fn duplicate(r: &SgRule) -> Ec2Error {
    let proto: Cow<str> = match r.protocol.as_str() {
        "-1" => "ALL".into(),
        p => p.to_ascii_uppercase().into(),
    };
    let rule = match (r.from_port, r.to_port) {
        (Some(f), Some(t)) => format!(
            "peer: {}, {proto}, from port: {f}, to port: {t}, ALLOW",
            r.peer.describe()
        ),
        _ => format!("peer: {}, {proto}, ALLOW", r.peer.describe()),
    };
    Ec2Error::new(
        "InvalidPermission.Duplicate",
        format!("the specified rule \"{rule}\" already exists"),
    )
}

pub(super) fn rule_to_wire(r: &SgRule, group_id: &str, account: &str) -> w::SecurityGroupRule {
    let mut out = w::SecurityGroupRule {
        security_group_rule_id: Some(r.id.clone()),
        group_id: Some(group_id.to_string()),
        group_owner_id: Some(account.to_string()),
        is_egress: Some(r.egress),
        ip_protocol: Some(r.protocol.clone()),
        from_port: Some(r.from_port.unwrap_or(-1)),
        to_port: Some(r.to_port.unwrap_or(-1)),
        description: r.description.clone(),
        tags: Some(wire_tags(&r.tags)),
        ..Default::default()
    };
    match &r.peer {
        Peer::Cidr4(c) => out.cidr_ipv4 = Some(c.clone()),
        Peer::Cidr6(c) => out.cidr_ipv6 = Some(c.clone()),
        Peer::PrefixList(p) => out.prefix_list_id = Some(p.clone()),
        Peer::Group { group_id, user_id } => {
            out.referenced_group_info = Some(w::ReferencedSecurityGroup {
                group_id: Some(group_id.clone()),
                user_id: Some(user_id.clone()),
                ..Default::default()
            })
        }
    }
    out
}

/// DescribeSecurityGroupRules: rules by id and filters, in id order, paged.
pub fn describe_security_group_rules(
    cx: &mut Cx<'_>,
    input: w::DescribeSecurityGroupRulesInput,
) -> Result<w::DescribeSecurityGroupRulesOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), SG_RULE_FILTERS)?;
    let ids = input.security_group_rule_ids.clone().unwrap_or_default();
    let view = cx.view();
    let (rules, next_token) = view.filtered(&input, &ids, &filters)?;
    Ok(w::DescribeSecurityGroupRulesOutput {
        security_group_rules: Some(
            rules
                .into_iter()
                .map(|r| rule_to_wire(r, &r.group_id, cx.account))
                .collect(),
        ),
        next_token,
    })
}
