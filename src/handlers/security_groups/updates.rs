//! Changing rules in place: ModifySecurityGroupRules, UpdateSecurityGroupRuleDescriptions-
//! Ingress / -Egress; and what references a group: DescribeSecurityGroupReferences,
//! DescribeStaleSecurityGroups (both about peered VPCs, which parlel-ec2 does not have).

use super::find_group;
use super::rules::{duplicate, expand, permissions_of};
use crate::context::Cx;
use crate::generated::types as w;
use crate::store::{Resource, SecurityGroup, SgRule, Vpc};
use crate::Ec2Error;

/// Each rule, by id, gets a new protocol, ports, peer and description; it keeps its id,
/// direction and tags (ModifySecurityGroupRules API reference).
pub fn modify_security_group_rules(
    cx: &mut Cx<'_>,
    input: w::ModifySecurityGroupRulesInput,
) -> Result<w::ModifySecurityGroupRulesOutput, Ec2Error> {
    let view = cx.view();
    let s = view.state;
    let group = find_group(&view, Some(&input.group_id), None)?;
    let mut changed: Vec<SgRule> = Vec::new();
    for update in &input.security_group_rules {
        let id = &update.security_group_rule_id;
        SgRule::INFO.check(id)?;
        let Some(old) = s.rules_of(group).find(|r| r.id == *id) else {
            return Err(SgRule::INFO.not_found(&[id]));
        };
        let Some(req) = &update.security_group_rule else {
            return Err(Ec2Error::missing_parameter("securityGroupRule"));
        };
        let perm = w::IpPermission {
            ip_protocol: req.ip_protocol.clone(),
            from_port: req.from_port,
            to_port: req.to_port,
            ip_ranges: req.cidr_ipv4.clone().map(|c| {
                vec![w::IpRange {
                    cidr_ip: Some(c),
                    description: req.description.clone(),
                }]
            }),
            ipv6_ranges: req.cidr_ipv6.clone().map(|c| {
                vec![w::Ipv6Range {
                    cidr_ipv6: Some(c),
                    description: req.description.clone(),
                }]
            }),
            prefix_list_ids: req.prefix_list_id.clone().map(|p| {
                vec![w::PrefixListId {
                    prefix_list_id: Some(p),
                    description: req.description.clone(),
                }]
            }),
            user_id_group_pairs: req.referenced_group_id.clone().map(|g| {
                vec![w::UserIdGroupPair {
                    group_id: Some(g),
                    description: req.description.clone(),
                    ..Default::default()
                }]
            }),
        };
        let mut new = expand(&view, group, &perm, cx.account, old.egress)?;
        if new.len() != 1 {
            return Err(Ec2Error::invalid_parameter_value(
                "A security group rule update names exactly one peer",
            ));
        }
        let mut rule = new.remove(0);
        rule.id = old.id.clone();
        rule.tags = old.tags.clone();
        if s.rules_of(group)
            .any(|r| r.id != rule.id && r.same_as(&rule))
        {
            return Err(duplicate(&rule));
        }
        changed.push(rule);
    }
    let state = cx.commit()?;
    for rule in changed {
        state.security_group_rules.insert(rule.id.clone(), rule);
    }
    Ok(w::ModifySecurityGroupRulesOutput {
        r#return: Some(true),
    })
}

/// By permissions (the rule that matches each peer takes the peer's description) or by
/// rule id; a permission matching no rule is InvalidPermission.NotFound.
fn update_descriptions(
    cx: &mut Cx<'_>,
    group_id: Option<&str>,
    group_name: Option<&str>,
    perms: Vec<w::IpPermission>,
    by_id: &[w::SecurityGroupRuleDescription],
    egress: bool,
) -> Result<(), Ec2Error> {
    let view = cx.view();
    let s = view.state;
    let group: &SecurityGroup = find_group(&view, group_id, group_name)?;
    let mut updates: Vec<(String, Option<String>)> = Vec::new();
    for p in &perms {
        for wanted in expand(&view, group, p, cx.account, egress)? {
            let Some(rule) = s.rules_of(group).find(|r| r.same_as(&wanted)) else {
                // Unverified wording.
                return Err(Ec2Error::new(
                    "InvalidPermission.NotFound",
                    "The specified rule does not exist in this security group.",
                ));
            };
            updates.push((rule.id.clone(), wanted.description.clone()));
        }
    }
    for d in by_id {
        let id = d.security_group_rule_id.clone().unwrap_or_default();
        SgRule::INFO.check(&id)?;
        if !s.rules_of(group).any(|r| r.id == id && r.egress == egress) {
            return Err(SgRule::INFO.not_found(&[&id]));
        }
        updates.push((id, d.description.clone()));
    }
    if updates.is_empty() {
        return Err(Ec2Error::missing_parameter("ipPermissions"));
    }
    let state = cx.commit()?;
    for (id, description) in updates {
        if let Some(r) = state.security_group_rules.get_mut(&id) {
            r.description = description;
        }
    }
    Ok(())
}

pub fn update_security_group_rule_descriptions_ingress(
    cx: &mut Cx<'_>,
    input: w::UpdateSecurityGroupRuleDescriptionsIngressInput,
) -> Result<w::UpdateSecurityGroupRuleDescriptionsIngressOutput, Ec2Error> {
    update_descriptions(
        cx,
        input.group_id.as_deref(),
        input.group_name.as_deref(),
        permissions_of(input.ip_permissions.clone(), Default::default()),
        input
            .security_group_rule_descriptions
            .as_deref()
            .unwrap_or_default(),
        false,
    )?;
    Ok(w::UpdateSecurityGroupRuleDescriptionsIngressOutput {
        r#return: Some(true),
    })
}

pub fn update_security_group_rule_descriptions_egress(
    cx: &mut Cx<'_>,
    input: w::UpdateSecurityGroupRuleDescriptionsEgressInput,
) -> Result<w::UpdateSecurityGroupRuleDescriptionsEgressOutput, Ec2Error> {
    update_descriptions(
        cx,
        input.group_id.as_deref(),
        input.group_name.as_deref(),
        permissions_of(input.ip_permissions.clone(), Default::default()),
        input
            .security_group_rule_descriptions
            .as_deref()
            .unwrap_or_default(),
        true,
    )?;
    Ok(w::UpdateSecurityGroupRuleDescriptionsEgressOutput {
        r#return: Some(true),
    })
}

/// Groups of peered VPCs that reference these groups: there are no VPC peering
/// connections here, so none; the groups must exist.
pub fn describe_security_group_references(
    cx: &mut Cx<'_>,
    input: w::DescribeSecurityGroupReferencesInput,
) -> Result<w::DescribeSecurityGroupReferencesOutput, Ec2Error> {
    cx.view().require_all::<SecurityGroup>(&input.group_id)?;
    Ok(w::DescribeSecurityGroupReferencesOutput {
        security_group_reference_set: Some(vec![]),
    })
}

/// Rules that reference groups of peered VPCs that are gone: there are no peering
/// connections here, so none are stale; the VPC must exist.
pub fn describe_stale_security_groups(
    cx: &mut Cx<'_>,
    input: w::DescribeStaleSecurityGroupsInput,
) -> Result<w::DescribeStaleSecurityGroupsOutput, Ec2Error> {
    let view = cx.view();
    view.get::<Vpc>(&input.vpc_id)?;
    crate::describe::page::Page::of(&input)?;
    Ok(w::DescribeStaleSecurityGroupsOutput {
        stale_security_group_set: Some(vec![]),
        next_token: None,
    })
}
