//! CreateSecurityGroup, DescribeSecurityGroups, DeleteSecurityGroup; the rules of a
//! group (Authorize / Revoke) are in `rules.rs`.

mod rules;
mod updates;

pub use rules::{
    authorize_security_group_egress, authorize_security_group_ingress,
    describe_security_group_rules, revoke_security_group_egress, revoke_security_group_ingress,
};
pub use updates::{
    describe_security_group_references, describe_stale_security_groups,
    modify_security_group_rules, update_security_group_rule_descriptions_egress,
    update_security_group_rule_descriptions_ingress,
};

use super::common::{kept_item, tag_specifications, tags_for, wire_tags};
use super::filters::SG_FILTERS;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::describe::page::Page;
use crate::generated::types as w;
use crate::store::{
    egress_all, new_id, Peer, RegionState, RenderKey, Resource, SecurityGroup, View, Vpc,
};
use crate::Ec2Error;

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
        Some(id) => cx.view().get::<Vpc>(id)?.id.clone(),
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
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[SecurityGroup::INFO.resource_type],
    )?;
    let (account, region) = (cx.account.to_string(), cx.region.to_string());
    let state = cx.commit()?;
    let group = SecurityGroup {
        id: new_id("sg"),
        name: name.to_string(),
        description: input.description,
        vpc_id,
        rule_ids: Vec::new(),
        tags: tags_for::<SecurityGroup>(&tags),
    };
    let out = w::CreateSecurityGroupOutput {
        group_id: Some(group.id.clone()),
        tags: (!group.tags.is_empty()).then(|| wire_tags(&group.tags)),
        security_group_arn: Some(group_arn(&region, &account, &group.id)),
    };
    let id = group.id.clone();
    state.security_groups.insert(id.clone(), group);
    state.add_rule(egress_all(&id));
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
    let view = cx.view();
    let s = view.state;
    view.require_all::<SecurityGroup>(&ids)?;
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
    crate::describe::page::ids_not_paged(
        !(ids.is_empty() && names.is_empty()),
        input.max_results,
        "groupIdSet",
    )?;
    let page = Page::of(&input)?;
    let (groups, next_token) = view.select(&page, &ids, |g: &SecurityGroup| {
        (names.is_empty() || (g.vpc_id == default_vpc && names.contains(&g.name)))
            && filters.matches(g, &view)
    });
    Ok(w::DescribeSecurityGroupsOutput {
        security_groups: Some(groups.into_iter().map(|g| kept_group(s, g, cx)).collect()),
        next_token,
    })
}

/// A group's item from the render cache (`store::Renders`) while nothing it shows has
/// changed: the group, its rules, and the groups its rules name (their VPCs).
fn kept_group(s: &RegionState, g: &SecurityGroup, cx: &Cx<'_>) -> w::SecurityGroup {
    let own = [s.security_groups.rev(&g.id).unwrap_or(0)];
    let deps = |key: &mut Vec<u64>| {
        for r in &g.rule_ids {
            key.push(s.security_group_rules.rev(r).unwrap_or(0));
        }
        for r in s.rules_of(g) {
            if let Peer::Group { group_id, .. } = &r.peer {
                key.push(s.security_groups.rev(group_id).unwrap_or(0));
            }
        }
    };
    let key = RenderKey {
        own: &own,
        tables: &[
            s.security_group_rules.written(),
            s.security_groups.written(),
        ],
        deps: &deps,
    };
    kept_item(
        s,
        &g.id,
        &key,
        cx.config.render_cache_bytes,
        || group_to_wire(s, g, cx.account, cx.region),
        crate::generated::xml::write_security_group,
        |item| w::SecurityGroup {
            rendered: Some(item),
            ..Default::default()
        },
    )
}

fn group_to_wire(
    s: &RegionState,
    g: &SecurityGroup,
    account: &str,
    region: &str,
) -> w::SecurityGroup {
    w::SecurityGroup {
        rendered: None,
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
    for r in s.rules_of(g).filter(|r| r.egress == egress) {
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

/// The target group: by id, or by name in the default VPC.
pub(super) fn find_group<'s>(
    view: &View<'s>,
    id: Option<&str>,
    name: Option<&str>,
) -> Result<&'s SecurityGroup, Ec2Error> {
    match (id, name) {
        (Some(id), _) => view.get(id),
        (None, Some(name)) => {
            let s = view.state;
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

/// The `default` group cannot be deleted; a group that an instance (until terminated)
/// uses, or that another group's rule names, is in use (the kind's DependencyViolation).
pub fn delete_security_group(
    cx: &mut Cx<'_>,
    input: w::DeleteSecurityGroupInput,
) -> Result<w::DeleteSecurityGroupOutput, Ec2Error> {
    let view = cx.view();
    let group = find_group(
        &view,
        input.group_id.as_deref(),
        input.group_name.as_deref(),
    )?;
    let id = group.id.clone();
    if group.name == "default" {
        // alantech/iasql#654.
        return Err(Ec2Error::new(
            "CannotDelete",
            format!("the specified group: \"{id}\" name: \"default\" cannot be deleted by a user"),
        ));
    }
    let removed = view.deletable::<SecurityGroup>(&id)?;
    cx.commit()?.remove_all(&removed);
    Ok(w::DeleteSecurityGroupOutput {
        r#return: Some(true),
        group_id: Some(id),
    })
}

/// Groups by id for something in `subnet`: all must exist and be in the subnet's VPC
/// (RunInstances and CreateNetworkInterface alike); duplicates count once.
pub(crate) fn groups_in_subnet_vpc(
    view: &View<'_>,
    subnet: &crate::store::Subnet,
    ids: &[String],
) -> Result<Vec<String>, Ec2Error> {
    view.require_all::<SecurityGroup>(ids)?;
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        if view.state.security_groups[id].vpc_id != subnet.vpc_id {
            return Err(Ec2Error::new(
                "InvalidParameter",
                format!(
                    "Security group {id} and subnet {} belong to different networks.",
                    subnet.id
                ),
            ));
        }
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    Ok(out)
}
