//! The filters of DescribeVpcEndpoints, DescribeVpcEndpointServices, DescribePrefixLists,
//! DescribeManagedPrefixLists and GetSubnetCidrReservations.

use super::one;
use crate::describe::filter::FilterTable;
use crate::handlers::endpoint_services::ServiceRow;
use crate::store::{ManagedPrefixList, SubnetCidrReservation, VpcEndpoint};

pub const VPC_ENDPOINT_FILTERS: FilterTable<VpcEndpoint> = &[
    ("ip-address-type", |_, _| one("ipv4")),
    ("service-name", |e, _| one(e.service_name.as_str())),
    ("service-region", |_, v| one(v.state.region.as_str())),
    ("vpc-id", |e, _| one(e.vpc_id.as_str())),
    ("vpc-endpoint-id", |e, _| one(e.id.as_str())),
    ("vpc-endpoint-state", |_, _| one("available")),
    ("vpc-endpoint-type", |e, _| {
        one(if e.gateway { "Gateway" } else { "Interface" })
    }),
];

pub const ENDPOINT_SERVICE_FILTERS: FilterTable<ServiceRow> = &[
    ("owner", |_, _| one("amazon")),
    ("service-name", |s, _| one(s.name.as_str())),
    ("service-region", |_, v| one(v.state.region.as_str())),
    ("service-type", |s, _| {
        one(if s.gateway { "Gateway" } else { "Interface" })
    }),
    ("supported-ip-address-types", |_, _| one("ipv4")),
];

pub const PREFIX_LIST_FILTERS: FilterTable<ManagedPrefixList> = &[
    ("prefix-list-id", |p, _| one(p.id.as_str())),
    ("prefix-list-name", |p, _| one(p.name.as_str())),
];

pub const MANAGED_PREFIX_LIST_FILTERS: FilterTable<ManagedPrefixList> = &[
    ("owner-id", |p, v| {
        one(if p.aws_managed {
            "AWS"
        } else {
            v.state.account.as_str()
        })
    }),
    ("prefix-list-id", |p, _| one(p.id.as_str())),
    ("prefix-list-name", |p, _| one(p.name.as_str())),
];

pub const SUBNET_CIDR_RESERVATION_FILTERS: FilterTable<SubnetCidrReservation> = &[
    ("reservationType", |r, _| {
        one(if r.explicit { "explicit" } else { "prefix" })
    }),
    ("subnet-id", |r, _| one(r.subnet_id.as_str())),
];
