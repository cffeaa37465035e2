//! DescribeVpcs' filters, read from the VPC the way `vpc_to_wire` shows it.

use super::one;
use crate::describe::filter::FilterTable;
use crate::store::Vpc;

/// Filter names from the DescribeVpcs documentation (15 with `tag` and `tag-key`).
pub const VPC_FILTERS: FilterTable<Vpc> = &[
    ("cidr", |v, _| one(v.cidr.to_string())),
    ("cidr-block-association.cidr-block", |v, _| {
        one(v.cidr.to_string())
    }),
    ("cidr-block-association.association-id", |v, _| {
        one(v.cidr_association_id.as_str())
    }),
    ("cidr-block-association.state", |_, _| one("associated")),
    ("dhcp-options-id", |v, _| one(v.dhcp_options_id.as_str())),
    ("ipv6-cidr-block-association.ipv6-cidr-block", |v, _| {
        v.ipv6.as_ref().map(|b| b.cidr.as_str()).into()
    }),
    ("ipv6-cidr-block-association.ipv6-pool", |v, _| {
        v.ipv6.as_ref().map(|_| "Amazon").into()
    }),
    ("ipv6-cidr-block-association.association-id", |v, _| {
        v.ipv6.as_ref().map(|b| b.association_id.as_str()).into()
    }),
    ("ipv6-cidr-block-association.state", |v, _| {
        v.ipv6.as_ref().map(|_| "associated").into()
    }),
    ("is-default", |v, _| v.is_default.into()),
    ("owner-id", |_, view| one(view.state.account.as_str())),
    ("state", |_, _| one("available")),
    ("vpc-id", |v, _| one(v.id.as_str())),
    // Undocumented, accepted by EC2 and sent by Terraform's `data "aws_vpc" { default =
    // true }` (terraform-provider-aws internal/service/ec2/vpc_data_source.go).
    ("isDefault", |v, _| v.is_default.into()),
];
