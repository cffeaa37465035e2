//! CreateSecurityGroup, DescribeSecurityGroups, AuthorizeSecurityGroupIngress.

use super::common::{require_all, tag_specifications, tags_for, wire_tags, Kind};
use super::filters::SG_FILTERS;
use crate::context::Cx;
use crate::describe::filter::{Filters, Tagged, View};
use crate::describe::page::Page;
use crate::generated::types as w;
use crate::store::{egress_all, new_id, Peer, RegionState, SecurityGroup, SgRule, Tags};
use crate::Ec2Error;
use std::borrow::Cow;

impl Tagged for SecurityGroup {
    fn tags(&self) -> &Tags {
        &self.tags
    }
}

pub fn create_security_group(
    cx: &mut Cx<'_>,
    input: w::CreateSecurityGroupInput,
) -> Result<w::CreateSecurityGroupOutput, Ec2Error> {
    let s = cx.state();
    let name = input.group_name.as_str();
    // EC2: names and descriptions are up to 255 characters; "sg-" starts no name.
    if name.is_empty() {
        return Err(Ec2Error::missing_parameter("GroupName"));
    }
    if input.description.is_empty() {
        return Err(Ec2Error::missing_parameter("GroupDescription"));
    }
    if name.chars().count() > 255 {
        return Err(Ec2Error::invalid_value(
            "GroupName",
            name,
            "Length exceeds maximum of 255.",
        ));
    }
    if input.description.chars().count() > 255 {
        return Err(Ec2Error::invalid_value(
            "GroupDescription",
            &input.description,
            "Length exceeds maximum of 255.",
        ));
    }
    if name.starts_with("sg-") {
        return Err(Ec2Error::invalid_value(
            "groupName",
            name,
            "Group names may not be in the format sg-*.",
        ));
    }
    let vpc_id = match &input.vpc_id {
        Some(id) => {
            Kind::Vpc.check(id)?;
            s.vpcs
                .get(id)
                .ok_or_else(|| Kind::Vpc.not_found(&[id]))?
                .id
                .clone()
        }
        None => s
            .default_vpc()
            .ok_or_else(|| Ec2Error::new("VPCIdNotSpecified", "No default VPC for this user"))?
            .id
            .clone(),
    };
    // InvalidGroup.Duplicate names the VPC (hashicorp/terraform#15428).
    if s.group_by_name(&vpc_id, name).is_some() {
        return Err(Ec2Error::new(
            "InvalidGroup.Duplicate",
            format!("The security group '{name}' already exists for VPC '{vpc_id}'"),
        ));
    }
    let tags = tag_specifications(input.tag_specifications.as_ref(), &["security-group"])?;
    let (account, region) = (cx.account.to_string(), cx.region.to_string());
    let state = cx.commit()?;
    let group = SecurityGroup {
        id: new_id("sg"),
        name: name.to_string(),
        description: input.description,
        vpc_id,
        rules: vec![egress_all()],
        tags: tags_for(&tags, "security-group"),
    };
    let out = w::CreateSecurityGroupOutput {
        group_id: Some(group.id.clone()),
        tags: (!group.tags.is_empty()).then(|| wire_tags(&group.tags)),
        security_group_arn: Some(group_arn(&region, &account, &group.id)),
    };
    state.security_groups.insert(group.id.clone(), group);
    Ok(out)
}

fn group_arn(region: &str, account: &str, id: &str) -> String {
    format!("arn:aws:ec2:{region}:{account}:security-group/{id}")
}

pub fn describe_security_groups(
    cx: &mut Cx<'_>,
    input: w::DescribeSecurityGroupsInput,
) -> Result<w::DescribeSecurityGroupsOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), SG_FILTERS)?;
    let ids = input.group_ids.clone().unwrap_or_default();
    let names = input.group_names.clone().unwrap_or_default();
    let s = cx.state();
    require_all(Kind::SecurityGroup, &ids, |id| {
        s.security_groups.contains_key(id)
    })?;
    // GroupName.N names groups of the default VPC (aws-cli#5348).
    let default_vpc = s.default_vpc().map(|v| v.id.clone()).unwrap_or_default();
    for n in &names {
        if s.group_by_name(&default_vpc, n).is_none() {
            return Err(Ec2Error::new(
                "InvalidGroup.NotFound",
                format!("The security group '{n}' does not exist in default VPC '{default_vpc}'"),
            ));
        }
    }
    if input.max_results.is_some() && !(ids.is_empty() && names.is_empty()) {
        return Err(Ec2Error::new(
            "InvalidParameterCombination",
            "The parameter groupIdSet cannot be used with the parameter maxResults",
        ));
    }
    let page = Page::new(
        "DescribeSecurityGroups",
        input.max_results,
        input.next_token.as_deref(),
        &format!("{:?}{ids:?}{names:?}", input.filters),
    )?;
    let view = View {
        state: s,
        now: cx.now,
    };
    let (groups, next_token) = page.select(&s.security_groups, &ids, |g| {
        (names.is_empty() || (g.vpc_id == default_vpc && names.contains(&g.name)))
            && filters.matches(g, &view)
    });
    Ok(w::DescribeSecurityGroupsOutput {
        security_groups: Some(
            groups
                .into_iter()
                .map(|g| group_to_wire(s, g, cx.account, cx.region))
                .collect(),
        ),
        next_token,
    })
}

fn group_to_wire(
    s: &RegionState,
    g: &SecurityGroup,
    account: &str,
    region: &str,
) -> w::SecurityGroup {
    w::SecurityGroup {
        group_id: Some(g.id.clone()),
        group_name: Some(g.name.clone()),
        description: Some(g.description.clone()),
        owner_id: Some(account.to_string()),
        vpc_id: Some(g.vpc_id.clone()),
        security_group_arn: Some(group_arn(region, account, &g.id)),
        ip_permissions: Some(permissions(s, g, false)),
        ip_permissions_egress: Some(permissions(s, g, true)),
        tags: (!g.tags.is_empty()).then(|| wire_tags(&g.tags)),
    }
}

/// Rules folded into IpPermissions the way EC2 shows them: one permission per protocol
/// and port range, its peers listed inside.
fn permissions(s: &RegionState, g: &SecurityGroup, egress: bool) -> Vec<w::IpPermission> {
    let mut out: Vec<w::IpPermission> = Vec::new();
    for r in g.rules.iter().filter(|r| r.egress == egress) {
        let idx = match out.iter().position(|p| {
            p.ip_protocol.as_deref() == Some(&r.protocol)
                && p.from_port == r.from_port
                && p.to_port == r.to_port
        }) {
            Some(i) => i,
            None => {
                out.push(w::IpPermission {
                    ip_protocol: Some(r.protocol.clone()),
                    from_port: r.from_port,
                    to_port: r.to_port,
                    user_id_group_pairs: Some(vec![]),
                    ip_ranges: Some(vec![]),
                    ipv6_ranges: Some(vec![]),
                    prefix_list_ids: Some(vec![]),
                });
                out.len() - 1
            }
        };
        let p = &mut out[idx];
        let description = r.description.clone();
        match &r.peer {
            Peer::Cidr4(c) => p.ip_ranges.get_or_insert_with(Vec::new).push(w::IpRange {
                cidr_ip: Some(c.clone()),
                description,
            }),
            Peer::Cidr6(c) => p
                .ipv6_ranges
                .get_or_insert_with(Vec::new)
                .push(w::Ipv6Range {
                    cidr_ipv6: Some(c.clone()),
                    description,
                }),
            Peer::PrefixList(id) => {
                p.prefix_list_ids
                    .get_or_insert_with(Vec::new)
                    .push(w::PrefixListId {
                        prefix_list_id: Some(id.clone()),
                        description,
                    })
            }
            Peer::Group { group_id, user_id } => p
                .user_id_group_pairs
                .get_or_insert_with(Vec::new)
                .push(w::UserIdGroupPair {
                    group_id: Some(group_id.clone()),
                    user_id: Some(user_id.clone()),
                    group_name: None,
                    vpc_id: s
                        .security_groups
                        .get(group_id)
                        .map(|g| g.vpc_id.clone())
                        .filter(|v| *v != g.vpc_id),
                    description,
                    ..Default::default()
                }),
        }
    }
    out
}

pub fn authorize_security_group_ingress(
    cx: &mut Cx<'_>,
    input: w::AuthorizeSecurityGroupIngressInput,
) -> Result<w::AuthorizeSecurityGroupIngressOutput, Ec2Error> {
    let s = cx.state();
    let group = find_group(s, input.group_id.as_deref(), input.group_name.as_deref())?;
    let perms = permissions_of(
        input.ip_permissions.clone(),
        Flat {
            ip_protocol: input.ip_protocol.clone(),
            from_port: input.from_port,
            to_port: input.to_port,
            cidr_ip: input.cidr_ip.clone(),
            source_group_name: input.source_security_group_name.clone(),
            source_group_owner: input.source_security_group_owner_id.clone(),
        },
    );
    if perms.is_empty() {
        return Err(Ec2Error::new(
            "MissingParameter",
            "No ip permissions specified",
        ));
    }
    let mut new_rules: Vec<SgRule> = Vec::new();
    for p in &perms {
        for rule in expand(s, group, p, cx.account)? {
            if new_rules.iter().any(|r| r.same_as(&rule)) {
                // terraform-provider-aws#2587.
                return Err(Ec2Error::invalid_parameter_value(
                    "The same permission must not appear multiple times",
                ));
            }
            if group.rules.iter().any(|r| r.same_as(&rule)) {
                return Err(duplicate(&rule));
            }
            new_rules.push(rule);
        }
    }
    let tags = tag_specifications(input.tag_specifications.as_ref(), &["security-group-rule"])?;
    let tags = tags_for(&tags, "security-group-rule");
    let group_id = group.id.clone();
    let account = cx.account.to_string();
    let state = cx.commit()?;
    let group = state
        .security_groups
        .get_mut(&group_id)
        .expect("checked above");
    let mut out = Vec::with_capacity(new_rules.len());
    for mut r in new_rules {
        r.tags = tags.clone();
        out.push(rule_to_wire(&r, &group_id, &account));
        group.rules.push(r);
    }
    Ok(w::AuthorizeSecurityGroupIngressOutput {
        r#return: Some(true),
        security_group_rules: Some(out),
    })
}

/// The legacy flat parameters of Authorize/Revoke (one permission, EC2-Classic style).
struct Flat {
    ip_protocol: Option<String>,
    from_port: Option<i32>,
    to_port: Option<i32>,
    cidr_ip: Option<String>,
    source_group_name: Option<String>,
    source_group_owner: Option<String>,
}

/// IpPermissions.N plus the one permission the flat parameters describe, if any.
fn permissions_of(list: Option<Vec<w::IpPermission>>, flat: Flat) -> Vec<w::IpPermission> {
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
    let s = cx.state();
    let group = find_group(s, input.group_id.as_deref(), input.group_name.as_deref())?;
    let perms = permissions_of(
        input.ip_permissions.clone(),
        Flat {
            ip_protocol: input.ip_protocol.clone(),
            from_port: input.from_port,
            to_port: input.to_port,
            cidr_ip: input.cidr_ip.clone(),
            source_group_name: input.source_security_group_name.clone(),
            source_group_owner: input.source_security_group_owner_id.clone(),
        },
    );
    let rule_ids = input.security_group_rule_ids.clone().unwrap_or_default();
    if perms.is_empty() && rule_ids.is_empty() {
        return Err(Ec2Error::missing_parameter("ipPermissions"));
    }
    let ingress = |id: &str| group.rules.iter().any(|r| !r.egress && r.id == id);
    require_all(Kind::SecurityGroupRule, &rule_ids, ingress)?;
    let mut revoke: Vec<String> = rule_ids.clone();
    let mut unknown = Vec::new();
    for p in &perms {
        let mut matched_all = true;
        for wanted in expand(s, group, p, cx.account)? {
            match group.rules.iter().find(|r| r.same_as(&wanted)) {
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
    let state = cx.commit()?;
    let group = state
        .security_groups
        .get_mut(&group_id)
        .expect("checked above");
    let mut revoked = Vec::with_capacity(revoke.len());
    group.rules.retain(|r| {
        if !revoke.contains(&r.id) {
            return true;
        }
        let (cidr_ipv4, cidr_ipv6, prefix_list_id, referenced_group_id) = match &r.peer {
            Peer::Cidr4(c) => (Some(c.clone()), None, None, None),
            Peer::Cidr6(c) => (None, Some(c.clone()), None, None),
            Peer::PrefixList(p) => (None, None, Some(p.clone()), None),
            Peer::Group { group_id, .. } => (None, None, None, Some(group_id.clone())),
        };
        revoked.push(w::RevokedSecurityGroupRule {
            security_group_rule_id: Some(r.id.clone()),
            group_id: Some(group_id.clone()),
            is_egress: Some(false),
            ip_protocol: Some(r.protocol.clone()),
            from_port: Some(r.from_port.unwrap_or(-1)),
            to_port: Some(r.to_port.unwrap_or(-1)),
            cidr_ipv4,
            cidr_ipv6,
            prefix_list_id,
            referenced_group_id,
            description: r.description.clone(),
        });
        false
    });
    Ok(w::RevokeSecurityGroupIngressOutput {
        r#return: Some(true),
        unknown_ip_permissions: (!unknown.is_empty()).then_some(unknown),
        revoked_security_group_rules: Some(revoked),
    })
}

/// The target group: by id, or by name in the default VPC.
pub(super) fn find_group<'s>(
    s: &'s RegionState,
    id: Option<&str>,
    name: Option<&str>,
) -> Result<&'s SecurityGroup, Ec2Error> {
    match (id, name) {
        (Some(id), _) => {
            Kind::SecurityGroup.check(id)?;
            s.security_groups
                .get(id)
                .ok_or_else(|| Kind::SecurityGroup.not_found(&[id]))
        }
        (None, Some(name)) => {
            let vpc = s.default_vpc().map(|v| v.id.as_str()).unwrap_or_default();
            s.group_by_name(vpc, name).ok_or_else(|| {
                Ec2Error::new(
                    "InvalidGroup.NotFound",
                    format!("The security group '{name}' does not exist in default VPC '{vpc}'"),
                )
            })
        }
        (None, None) => Err(Ec2Error::new(
            "MissingParameter",
            "The request must contain the parameter groupName or groupId",
        )),
    }
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
fn expand(
    s: &RegionState,
    group: &SecurityGroup,
    p: &w::IpPermission,
    account: &str,
) -> Result<Vec<SgRule>, Ec2Error> {
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
        egress: false,
        protocol: protocol.clone(),
        from_port: from,
        to_port: to,
        peer,
        description: description.clone(),
        tags: Tags::new(),
    };
    let mut out = Vec::new();
    for r in p.ip_ranges.iter().flatten() {
        let c = r.cidr_ip.clone().unwrap_or_default();
        if crate::net::Cidr::parse(&c).is_none() {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "CIDR block {c} is malformed"
            )));
        }
        out.push(rule(Peer::Cidr4(c), &r.description));
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
            (Some(id), _) => {
                Kind::SecurityGroup.check(id)?;
                s.security_groups
                    .get(id)
                    .ok_or_else(|| Kind::SecurityGroup.not_found(&[id]))?
            }
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
fn duplicate(r: &SgRule) -> Ec2Error {
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

fn rule_to_wire(r: &SgRule, group_id: &str, account: &str) -> w::SecurityGroupRule {
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
