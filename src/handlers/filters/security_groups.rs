//! DescribeSecurityGroups' filters. The `ip-permission.*` names look at the inbound
//! rules, `egress.ip-permission.*` at the outbound ones, each filter on its own: a group
//! matches when some rule matches each filter, not necessarily one rule all of them (as
//! the documentation says).

use super::one;
use crate::describe::filter::{Field, FilterTable, View};
use crate::store::{Peer, SecurityGroup, SgRule};
use std::borrow::Cow;

/// What one filter reads from one rule, for the rules of one direction.
type RuleValue = for<'a> fn(&'a SgRule, &View<'a>) -> Option<Cow<'a, str>>;

fn rules<'a>(g: &'a SecurityGroup, v: &View<'a>, egress: bool, f: RuleValue) -> Field<'a> {
    Field::Many(
        v.state
            .rules_of(g)
            .filter(|r| r.egress == egress)
            .filter_map(|r| f(r, v))
            .collect(),
    )
}

/// Ports as the answer shows them: absent for all-traffic and port-less protocols, `-1`
/// for "all ICMP types".
fn from_port<'a>(r: &'a SgRule, _: &View<'a>) -> Option<Cow<'a, str>> {
    r.from_port.map(|p| Cow::Owned(p.to_string()))
}

fn to_port<'a>(r: &'a SgRule, _: &View<'a>) -> Option<Cow<'a, str>> {
    r.to_port.map(|p| Cow::Owned(p.to_string()))
}

fn protocol<'a>(r: &'a SgRule, _: &View<'a>) -> Option<Cow<'a, str>> {
    Some(Cow::Borrowed(r.protocol.as_str()))
}

fn cidr<'a>(r: &'a SgRule, _: &View<'a>) -> Option<Cow<'a, str>> {
    match &r.peer {
        Peer::Cidr4(c) => Some(Cow::Borrowed(c)),
        _ => None,
    }
}

fn cidr6<'a>(r: &'a SgRule, _: &View<'a>) -> Option<Cow<'a, str>> {
    match &r.peer {
        Peer::Cidr6(c) => Some(Cow::Borrowed(c)),
        _ => None,
    }
}

fn prefix_list<'a>(r: &'a SgRule, _: &View<'a>) -> Option<Cow<'a, str>> {
    match &r.peer {
        Peer::PrefixList(c) => Some(Cow::Borrowed(c)),
        _ => None,
    }
}

fn group_id<'a>(r: &'a SgRule, _: &View<'a>) -> Option<Cow<'a, str>> {
    match &r.peer {
        Peer::Group { group_id, .. } => Some(Cow::Borrowed(group_id)),
        _ => None,
    }
}

/// The referenced group's name, which EC2 matches although a VPC group's answer lists
/// the pair by id only.
fn group_name<'a>(r: &'a SgRule, v: &View<'a>) -> Option<Cow<'a, str>> {
    match &r.peer {
        Peer::Group { group_id, .. } => v
            .state
            .security_groups
            .get(group_id)
            .map(|g| Cow::Borrowed(g.name.as_str())),
        _ => None,
    }
}

fn user_id<'a>(r: &'a SgRule, _: &View<'a>) -> Option<Cow<'a, str>> {
    match &r.peer {
        Peer::Group { user_id, .. } => Some(Cow::Borrowed(user_id)),
        _ => None,
    }
}

/// Filter names from the DescribeSecurityGroups documentation (25 with `tag:<key>` and
/// `tag-key`).
pub const SG_FILTERS: FilterTable<SecurityGroup> = &[
    ("description", |g, _| one(g.description.as_str())),
    ("egress.ip-permission.cidr", |g, v| rules(g, v, true, cidr)),
    ("egress.ip-permission.from-port", |g, v| {
        rules(g, v, true, from_port)
    }),
    ("egress.ip-permission.group-id", |g, v| {
        rules(g, v, true, group_id)
    }),
    ("egress.ip-permission.group-name", |g, v| {
        rules(g, v, true, group_name)
    }),
    ("egress.ip-permission.ipv6-cidr", |g, v| {
        rules(g, v, true, cidr6)
    }),
    ("egress.ip-permission.prefix-list-id", |g, v| {
        rules(g, v, true, prefix_list)
    }),
    ("egress.ip-permission.protocol", |g, v| {
        rules(g, v, true, protocol)
    }),
    ("egress.ip-permission.to-port", |g, v| {
        rules(g, v, true, to_port)
    }),
    ("egress.ip-permission.user-id", |g, v| {
        rules(g, v, true, user_id)
    }),
    ("group-id", |g, _| one(g.id.as_str())),
    ("group-name", |g, _| one(g.name.as_str())),
    ("ip-permission.cidr", |g, v| rules(g, v, false, cidr)),
    ("ip-permission.from-port", |g, v| {
        rules(g, v, false, from_port)
    }),
    ("ip-permission.group-id", |g, v| {
        rules(g, v, false, group_id)
    }),
    ("ip-permission.group-name", |g, v| {
        rules(g, v, false, group_name)
    }),
    ("ip-permission.ipv6-cidr", |g, v| rules(g, v, false, cidr6)),
    ("ip-permission.prefix-list-id", |g, v| {
        rules(g, v, false, prefix_list)
    }),
    ("ip-permission.protocol", |g, v| {
        rules(g, v, false, protocol)
    }),
    ("ip-permission.to-port", |g, v| rules(g, v, false, to_port)),
    ("ip-permission.user-id", |g, v| rules(g, v, false, user_id)),
    ("owner-id", |_, v| one(v.state.account.as_str())),
    ("vpc-id", |g, _| one(g.vpc_id.as_str())),
];

/// DescribeSecurityGroupRules' filters.
pub const SG_RULE_FILTERS: FilterTable<SgRule> = &[
    ("group-id", |r, _| one(r.group_id.as_str())),
    ("security-group-rule-id", |r, _| one(r.id.as_str())),
];
