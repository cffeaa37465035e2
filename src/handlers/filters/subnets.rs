//! DescribeSubnets' filters, read from the subnet the way `subnet_to_wire` shows it.
//! The documentation also names the camel-case aliases EC2 accepts for five of them.

use super::{number, one};
use crate::describe::filter::{Field, FilterTable, Getter, View};
use crate::handlers::subnets::subnet_arn;
use crate::store::Subnet;

fn az<'a>(s: &'a Subnet, _: &View<'a>) -> Field<'a> {
    one(s.az.as_str())
}
fn az_id<'a>(s: &'a Subnet, _: &View<'a>) -> Field<'a> {
    one(s.az_id.as_str())
}
fn cidr<'a>(s: &'a Subnet, _: &View<'a>) -> Field<'a> {
    one(s.cidr.to_string())
}
fn default_for_az<'a>(s: &'a Subnet, _: &View<'a>) -> Field<'a> {
    s.default_for_az.into()
}
const NONE: Getter<Subnet> = |_, _| Field::None;

/// Filter names from the DescribeSubnets documentation (25 with `tag` and `tag-key`),
/// then its aliases ("You can also use `availabilityZone` as the filter name").
pub const SUBNET_FILTERS: FilterTable<Subnet> = &[
    ("availability-zone", az),
    ("availability-zone-id", az_id),
    ("available-ip-address-count", |s, _| {
        number(s.available_ip_count())
    }),
    ("cidr-block", cidr),
    // No customer-owned pools (Outposts) and no local network interfaces.
    ("customer-owned-ipv4-pool", NONE),
    ("default-for-az", default_for_az),
    ("enable-dns64", |_, _| false.into()),
    ("enable-lni-at-device-index", NONE),
    // No IPv6 blocks: CreateSubnet takes no Ipv6CidrBlock here.
    ("ipv6-cidr-block-association.ipv6-cidr-block", NONE),
    ("ipv6-cidr-block-association.association-id", NONE),
    ("ipv6-cidr-block-association.state", NONE),
    ("ipv6-native", |_, _| false.into()),
    ("map-customer-owned-ip-on-launch", |_, _| false.into()),
    ("map-public-ip-on-launch", |s, _| {
        s.map_public_ip_on_launch.into()
    }),
    // No Outposts.
    ("outpost-arn", NONE),
    ("owner-id", |_, view| one(view.state.account.as_str())),
    (
        "private-dns-name-options-on-launch.hostname-type",
        |_, _| one("ip-name"),
    ),
    (
        "private-dns-name-options-on-launch.enable-resource-name-dns-a-record",
        |_, _| false.into(),
    ),
    (
        "private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record",
        |_, _| false.into(),
    ),
    ("state", |_, _| one("available")),
    ("subnet-arn", |s, view| {
        one(subnet_arn(&view.state.region, &view.state.account, &s.id))
    }),
    ("subnet-id", |s, _| one(s.id.as_str())),
    ("vpc-id", |s, _| one(s.vpc_id.as_str())),
    ("availabilityZone", az),
    ("availabilityZoneId", az_id),
    ("cidr", cidr),
    ("cidrBlock", cidr),
    ("defaultForAz", default_for_az),
];
