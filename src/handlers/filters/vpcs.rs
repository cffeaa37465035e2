//! DescribeVpcs' filters, read from the VPC the way `vpc_to_wire` shows it.

use super::one;
use crate::describe::filter::{Field, FilterTable};
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
    // No IPv6 blocks: CreateVpc takes no AmazonProvidedIpv6CidrBlock here.
    ("ipv6-cidr-block-association.ipv6-cidr-block", |_, _| {
        Field::None
    }),
    ("ipv6-cidr-block-association.ipv6-pool", |_, _| Field::None),
    ("ipv6-cidr-block-association.association-id", |_, _| {
        Field::None
    }),
    ("ipv6-cidr-block-association.state", |_, _| Field::None),
    ("is-default", |v, _| v.is_default.into()),
    ("owner-id", |_, view| one(view.state.account.as_str())),
    ("state", |_, _| one("available")),
    ("vpc-id", |v, _| one(v.id.as_str())),
    // Undocumented, accepted by EC2 and sent by Terraform's `data "aws_vpc" { default =
    // true }` (terraform-provider-aws internal/service/ec2/vpc_data_source.go).
    ("isDefault", |v, _| v.is_default.into()),
];
