//! DescribeNatGateways' filters (its input calls the member `Filter`).

use super::one;
use crate::describe::filter::FilterTable;
use crate::store::NatGateway;

pub const NAT_GATEWAY_FILTERS: FilterTable<NatGateway> = &[
    ("nat-gateway-id", |n, _| one(n.id.as_str())),
    ("state", |n, v| one(n.state(v.now))),
    ("subnet-id", |n, _| one(n.subnet_id.as_str())),
    ("vpc-id", |n, _| one(n.vpc_id.as_str())),
];
