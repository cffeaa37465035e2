//! DescribeNetworkInterfaces' filters, read from the interface as `eni_to_wire` shows it.

use super::{flag, many, number, one, time};
use crate::describe::filter::{Field, FilterTable, View};
use crate::net::{dotted, private_dns};
use crate::store::{Instance, NetworkInterface};
use std::borrow::Cow;

/// The instance whose primary interface this is, when it has a public address.
fn public<'a>(n: &NetworkInterface, v: &View<'a>) -> Option<(&'a Instance, u32)> {
    let a = n.attachment.as_ref()?;
    let i = v.state.instances.get(&a.instance_id)?;
    (i.eni_id == n.id).then_some(())?;
    Some((i, i.public_ip?))
}

fn attachment<'a>(
    n: &'a NetworkInterface,
    f: impl FnOnce(&'a crate::store::EniAttachment) -> Field<'a>,
) -> Field<'a> {
    n.attachment.as_ref().map_or(Field::None, f)
}

pub const NETWORK_INTERFACE_FILTERS: FilterTable<NetworkInterface> = &[
    // Elastic IPs associated with an interface directly are not shown on it here.
    ("association.allocation-id", |_, _| Field::None),
    ("association.association-id", |_, _| Field::None),
    ("addresses.association.owner-id", |n, v| {
        public(n, v).map_or(Field::None, |(i, _)| {
            one(if i.elastic_ip {
                v.state.account.as_str()
            } else {
                "amazon"
            })
        })
    }),
    ("addresses.association.public-ip", |n, v| {
        public(n, v).map_or(Field::None, |(_, ip)| one(dotted(ip)))
    }),
    ("addresses.primary", |n, _| {
        many(std::iter::once(flag(true)).chain(n.secondary_ips.iter().map(|_| flag(false))))
    }),
    ("addresses.private-ip-address", |n, _| {
        many(
            std::iter::once(n.private_ip)
                .chain(n.secondary_ips.iter().copied())
                .map(|ip| Cow::Owned(dotted(ip))),
        )
    }),
    ("association.ip-owner-id", |n, v| {
        public(n, v).map_or(Field::None, |(i, _)| {
            one(if i.elastic_ip {
                v.state.account.as_str()
            } else {
                "amazon"
            })
        })
    }),
    ("association.public-ip", |n, v| {
        public(n, v).map_or(Field::None, |(_, ip)| one(dotted(ip)))
    }),
    // The interface's answer carries no public DNS name.
    ("association.public-dns-name", |_, _| Field::None),
    ("attachment.attach-time", |n, _| {
        attachment(n, |a| one(time(a.attach_time)))
    }),
    ("attachment.attachment-id", |n, _| {
        attachment(n, |a| one(a.id.as_str()))
    }),
    ("attachment.delete-on-termination", |n, _| {
        attachment(n, |a| one(flag(a.delete_on_termination)))
    }),
    ("attachment.device-index", |n, _| {
        attachment(n, |a| number(a.device_index))
    }),
    ("attachment.instance-id", |n, _| {
        attachment(n, |a| one(&*a.instance_id))
    }),
    ("attachment.instance-owner-id", |n, v| {
        attachment(n, |_| one(v.state.account.as_str()))
    }),
    ("attachment.status", |n, _| {
        attachment(n, |_| one("attached"))
    }),
    ("availability-zone", |n, v| {
        v.state
            .subnets
            .get(&n.subnet_id)
            .map(|s| s.az.as_str())
            .into()
    }),
    ("availability-zone-id", |n, v| {
        v.state
            .subnets
            .get(&n.subnet_id)
            .map(|s| s.az_id.as_str())
            .into()
    }),
    ("description", |n, _| one(n.description.as_str())),
    ("group-id", |n, _| many(n.groups.iter().map(String::as_str))),
    ("ipv6-addresses.ipv6-address", |n, _| {
        many(n.ipv6_addresses.iter().map(String::as_str))
    }),
    ("interface-type", |_, _| one("interface")),
    ("mac-address", |n, _| one(n.mac.as_str())),
    ("network-interface-id", |n, _| one(n.id.as_str())),
    ("operator.managed", |_, _| false.into()),
    ("operator.principal", |_, _| Field::None),
    ("owner-id", |_, v| one(v.state.account.as_str())),
    ("private-dns-name", |n, v| {
        one(private_dns(&v.state.region, n.private_ip))
    }),
    ("private-ip-address", |n, _| one(dotted(n.private_ip))),
    // No requester-managed interfaces are kept as records.
    ("requester-id", |_, _| Field::None),
    ("requester-managed", |_, _| false.into()),
    ("source-dest-check", |n, _| n.source_dest_check.into()),
    ("status", |n, _| one(n.status())),
    ("subnet-id", |n, _| one(&*n.subnet_id)),
    ("vpc-id", |n, _| one(&*n.vpc_id)),
];
