//! DescribeAddresses' filters.

use super::one;
use crate::describe::filter::{Field, FilterTable};
use crate::net::dotted;
use crate::store::Address;

pub const ADDRESS_FILTERS: FilterTable<Address> = &[
    ("allocation-id", |a, _| one(a.id.as_str())),
    ("association-id", |a, _| {
        a.association.as_ref().map(|x| x.id.as_str()).into()
    }),
    ("instance-id", |a, _| {
        a.association
            .as_ref()
            .and_then(|x| x.instance_id.as_deref())
            .into()
    }),
    ("network-border-group", |_, v| one(v.state.region.as_str())),
    ("network-interface-id", |a, _| {
        a.association
            .as_ref()
            .map(|x| x.network_interface_id.as_str())
            .into()
    }),
    ("network-interface-owner-id", |a, v| {
        a.association
            .as_ref()
            .map_or(Field::None, |_| one(v.state.account.as_str()))
    }),
    ("private-ip-address", |a, _| {
        a.association
            .as_ref()
            .map_or(Field::None, |x| one(dotted(x.private_ip)))
    }),
    ("public-ip", |a, _| one(dotted(a.public_ip))),
];
