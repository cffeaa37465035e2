//! DescribeInternetGateways' filters.

use super::one;
use crate::describe::filter::{Field, FilterTable};
use crate::store::InternetGateway;

pub const INTERNET_GATEWAY_FILTERS: FilterTable<InternetGateway> = &[
    ("attachment.state", |g, _| {
        g.vpc_id.as_ref().map_or(Field::None, |_| one("available"))
    }),
    ("attachment.vpc-id", |g, _| g.vpc_id.as_deref().into()),
    ("internet-gateway-id", |g, _| one(g.id.as_str())),
    ("owner-id", |_, v| one(v.state.account.as_str())),
];
