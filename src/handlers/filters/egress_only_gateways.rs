//! DescribeEgressOnlyInternetGateways' filters.

use crate::describe::filter::FilterTable;
use crate::store::EgressOnlyInternetGateway;

/// Its documentation lists only the `tag` family.
pub const EGRESS_ONLY_GATEWAY_FILTERS: FilterTable<EgressOnlyInternetGateway> = &[];
