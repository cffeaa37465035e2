//! DescribeRouteTables' filters: a table matches when any of its associations or routes
//! does.

use super::{flag, many, one};
use crate::describe::filter::{Field, FilterTable, View};
use crate::handlers::route_tables::route_active;
use crate::store::{AssociationTarget, Destination, Route, RouteTable, RouteTarget};
use std::borrow::Cow;

fn routes<'a>(t: &'a RouteTable, f: impl Fn(&'a Route) -> Option<Cow<'a, str>>) -> Field<'a> {
    many(t.routes.iter().filter_map(f))
}

fn target<'a>(t: &'a RouteTable, pick: fn(&'a RouteTarget) -> Option<&'a str>) -> Field<'a> {
    routes(t, |r| pick(&r.target).map(Cow::Borrowed))
}

pub const ROUTE_TABLE_FILTERS: FilterTable<RouteTable> = &[
    ("association.gateway-id", |t, _| {
        many(t.associations.iter().filter_map(|a| match &a.target {
            AssociationTarget::Gateway(g) => Some(g.as_str()),
            _ => None,
        }))
    }),
    ("association.route-table-association-id", |t, _| {
        many(t.associations.iter().map(|a| a.id.as_str()))
    }),
    ("association.route-table-id", |t, _| {
        many(t.associations.iter().map(|_| t.id.as_str()))
    }),
    ("association.subnet-id", |t, _| {
        many(t.associations.iter().filter_map(|a| match &a.target {
            AssociationTarget::Subnet(s) => Some(s.as_str()),
            _ => None,
        }))
    }),
    ("association.main", |t, _| {
        many(
            t.associations
                .iter()
                .map(|a| flag(a.target == AssociationTarget::Main)),
        )
    }),
    ("owner-id", |_, v| one(v.state.account.as_str())),
    ("route-table-id", |t, _| one(t.id.as_str())),
    ("route.destination-cidr-block", |t, _| {
        routes(t, |r| match &r.destination {
            Destination::Cidr4(c) => Some(Cow::Owned(c.to_string())),
            _ => None,
        })
    }),
    ("route.destination-ipv6-cidr-block", |t, _| {
        routes(t, |r| match &r.destination {
            Destination::Cidr6(c) => Some(Cow::Borrowed(c.as_str())),
            _ => None,
        })
    }),
    ("route.destination-prefix-list-id", |t, _| {
        routes(t, |r| match &r.destination {
            Destination::PrefixList(p) => Some(Cow::Borrowed(p.as_str())),
            _ => None,
        })
    }),
    ("route.egress-only-internet-gateway-id", |t, _| {
        target(t, |x| match x {
            RouteTarget::EgressOnlyGateway(g) => Some(g),
            _ => None,
        })
    }),
    ("route.gateway-id", |t, _| {
        target(t, |x| match x {
            RouteTarget::Local => Some("local"),
            RouteTarget::Gateway(g) => Some(g),
            _ => None,
        })
    }),
    ("route.instance-id", |t, _| {
        target(t, |x| match x {
            RouteTarget::Instance(i) => Some(i),
            _ => None,
        })
    }),
    ("route.nat-gateway-id", |t, _| {
        target(t, |x| match x {
            RouteTarget::NatGateway(n) => Some(n),
            _ => None,
        })
    }),
    ("route.transit-gateway-id", |t, _| {
        target(t, |x| match x {
            RouteTarget::TransitGateway(g) => Some(g),
            _ => None,
        })
    }),
    ("route.origin", |t, _| {
        routes(t, |r| Some(Cow::Borrowed(r.origin)))
    }),
    ("route.state", |t, v: &View<'_>| {
        routes(t, |r| {
            Some(Cow::Borrowed(if route_active(v, &t.vpc_id, &r.target) {
                "active"
            } else {
                "blackhole"
            }))
        })
    }),
    ("route.vpc-peering-connection-id", |t, _| {
        target(t, |x| match x {
            RouteTarget::VpcPeering(p) => Some(p),
            _ => None,
        })
    }),
    ("vpc-id", |t, _| one(t.vpc_id.as_str())),
];
