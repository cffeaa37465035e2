//! DescribeDhcpOptions' and DescribeNetworkAcls' filters.

use super::{flag, many, one};
use crate::describe::filter::{Field, FilterTable};
use crate::store::{DhcpOptions, NetworkAcl};
use std::borrow::Cow;

pub const DHCP_OPTIONS_FILTERS: FilterTable<DhcpOptions> = &[
    ("dhcp-options-id", |o, _| one(o.id.as_str())),
    ("key", |o, _| {
        many(o.configurations.iter().map(|(k, _)| k.as_str()))
    }),
    ("value", |o, _| {
        many(
            o.configurations
                .iter()
                .flat_map(|(_, vs)| vs.iter().map(String::as_str)),
        )
    }),
    ("owner-id", |_, v| one(v.state.account.as_str())),
];

pub const NETWORK_ACL_FILTERS: FilterTable<NetworkAcl> = &[
    ("association.association-id", |a, _| {
        many(a.associations.iter().map(|(id, _)| id.as_str()))
    }),
    ("association.network-acl-id", |a, _| {
        many(a.associations.iter().map(|_| a.id.as_str()))
    }),
    ("association.subnet-id", |a, _| {
        many(a.associations.iter().map(|(_, s)| s.as_str()))
    }),
    ("default", |a, _| a.is_default.into()),
    ("entry.cidr", |a, _| {
        many(
            a.entries
                .iter()
                .filter(|e| !e.cidr.contains(':'))
                .map(|e| e.cidr.as_str()),
        )
    }),
    // No ICMP entries: the default ACL's are all-traffic rules.
    ("entry.icmp.code", |_, _| Field::None),
    ("entry.icmp.type", |_, _| Field::None),
    ("entry.ipv6-cidr", |a, _| {
        many(
            a.entries
                .iter()
                .filter(|e| e.cidr.contains(':'))
                .map(|e| e.cidr.as_str()),
        )
    }),
    ("entry.port-range.from", |a, _| {
        many(
            a.entries
                .iter()
                .filter_map(|e| e.ports.map(|p| Cow::Owned(p.0.to_string()))),
        )
    }),
    ("entry.port-range.to", |a, _| {
        many(
            a.entries
                .iter()
                .filter_map(|e| e.ports.map(|p| Cow::Owned(p.1.to_string()))),
        )
    }),
    ("entry.protocol", |a, _| {
        many(a.entries.iter().map(|e| e.protocol.as_str()))
    }),
    ("entry.rule-action", |a, _| {
        many(
            a.entries
                .iter()
                .map(|e| if e.allow { "allow" } else { "deny" }),
        )
    }),
    ("entry.egress", |a, _| {
        many(a.entries.iter().map(|e| flag(e.egress)))
    }),
    ("entry.rule-number", |a, _| {
        many(a.entries.iter().map(|e| Cow::Owned(e.number.to_string())))
    }),
    ("network-acl-id", |a, _| one(a.id.as_str())),
    ("owner-id", |_, v| one(v.state.account.as_str())),
    ("vpc-id", |a, _| one(a.vpc_id.as_str())),
];
