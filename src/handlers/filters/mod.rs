//! The filter tables of the Describe* operations, one file per resource (STYLE.md §3:
//! filters are a declared table, checked when they are parsed).
//!
//! Each table holds every filter name that the model documents for its operation
//! (`generated::service::documented_filters`), except the `tag:<key>` / `tag-key` family
//! that every kind of resource gets from its tags (`Resource::tags`); the test
//! `tests/it/filters.rs` fails when the two lists part. A getter reads the attribute the
//! Describe output shows for that name, so a filter and the answer never disagree:
//!
//! - booleans are `true` / `false`, numbers decimal text, timestamps EC2's
//!   `YYYY-MM-DDTHH:MM:SS.000Z` (so `2021-09-29T*` selects a day);
//! - an attribute the answer leaves out or shows empty is absent: the filter matches
//!   nothing, even `*`;
//! - where parlel-ec2 keeps no such thing (IPv6, Outposts, Elastic IPs, Capacity
//!   Reservations, Spot, product codes…) the getter is
//!   `Field::None`, and where EC2 reports one constant for every resource parlel-ec2 can
//!   make (`hypervisor` = `xen`, `root-device-type` = `ebs`) it is that constant.
//!
//! DescribeTags lists tags, not tagged resources; its five filters live in `tags.rs`.

mod addresses;
mod egress_only_gateways;
mod endpoints;
mod images;
mod instance_types;
mod instances;
mod internet_gateways;
mod key_pairs;
mod launch_templates;
mod nat_gateways;
mod network_acls;
mod network_interfaces;
mod regions;
mod route_tables;
mod security_groups;
mod snapshots;
mod subnets;
mod volumes;
mod vpcs;

pub use addresses::ADDRESS_FILTERS;
pub use egress_only_gateways::EGRESS_ONLY_GATEWAY_FILTERS;
pub use endpoints::{
    ENDPOINT_SERVICE_FILTERS, MANAGED_PREFIX_LIST_FILTERS, PREFIX_LIST_FILTERS,
    SUBNET_CIDR_RESERVATION_FILTERS, VPC_ENDPOINT_FILTERS,
};
pub use images::IMAGE_FILTERS;
pub use instance_types::{INSTANCE_TYPE_FILTERS, INSTANCE_TYPE_OFFERING_FILTERS};
pub use instances::{
    IAM_ASSOCIATION_FILTERS, INSTANCE_CREDIT_FILTERS, INSTANCE_FILTERS, INSTANCE_STATUS_FILTERS,
};
pub use internet_gateways::INTERNET_GATEWAY_FILTERS;
pub use key_pairs::KEY_PAIR_FILTERS;
pub use launch_templates::{LAUNCH_TEMPLATE_FILTERS, LAUNCH_TEMPLATE_VERSION_FILTERS};
pub use nat_gateways::NAT_GATEWAY_FILTERS;
pub use network_acls::{DHCP_OPTIONS_FILTERS, NETWORK_ACL_FILTERS};
pub use network_interfaces::NETWORK_INTERFACE_FILTERS;
pub use regions::{REGION_FILTERS, ZONE_FILTERS};
pub use route_tables::ROUTE_TABLE_FILTERS;
pub use security_groups::{SG_FILTERS, SG_RULE_FILTERS};
pub use snapshots::SNAPSHOT_FILTERS;
pub use subnets::SUBNET_FILTERS;
pub use volumes::{VOLUME_FILTERS, VOLUME_MODIFICATION_FILTERS, VOLUME_STATUS_FILTERS};
pub use vpcs::VPC_FILTERS;

use crate::clock::{Timestamp, TimestampFormat};
use crate::describe::filter::Field;
use std::borrow::Cow;

/// The names in an operation's filter table (the `tag:` family aside); `None` for an
/// operation without one.
pub fn table_names(action: &str) -> Option<Vec<&'static str>> {
    fn names<T>(t: crate::describe::filter::FilterTable<T>) -> Option<Vec<&'static str>> {
        Some(t.iter().map(|(n, _)| *n).collect())
    }
    match action {
        "DescribeImages" => names(IMAGE_FILTERS),
        "DescribeInstances" => names(INSTANCE_FILTERS),
        "DescribeKeyPairs" => names(KEY_PAIR_FILTERS),
        "DescribeInstanceTypes" => names(INSTANCE_TYPE_FILTERS),
        "DescribeInstanceTypeOfferings" => names(INSTANCE_TYPE_OFFERING_FILTERS),
        "DescribeLaunchTemplates" => names(LAUNCH_TEMPLATE_FILTERS),
        "DescribeLaunchTemplateVersions" => names(LAUNCH_TEMPLATE_VERSION_FILTERS),
        "DescribeInstanceStatus" => names(INSTANCE_STATUS_FILTERS),
        "DescribeVolumesModifications" => names(VOLUME_MODIFICATION_FILTERS),
        "DescribeVolumeStatus" => names(VOLUME_STATUS_FILTERS),
        "DescribeInstanceCreditSpecifications" => names(INSTANCE_CREDIT_FILTERS),
        "DescribeVolumes" => names(VOLUME_FILTERS),
        "DescribeSnapshots" => names(SNAPSHOT_FILTERS),
        "DescribeIamInstanceProfileAssociations" => names(IAM_ASSOCIATION_FILTERS),
        "DescribeVpcEndpoints" => names(VPC_ENDPOINT_FILTERS),
        "DescribeVpcEndpointServices" => names(ENDPOINT_SERVICE_FILTERS),
        "DescribePrefixLists" => names(PREFIX_LIST_FILTERS),
        "DescribeManagedPrefixLists" => names(MANAGED_PREFIX_LIST_FILTERS),
        "GetSubnetCidrReservations" => names(SUBNET_CIDR_RESERVATION_FILTERS),
        "DescribeNetworkInterfaces" => names(NETWORK_INTERFACE_FILTERS),
        "DescribeEgressOnlyInternetGateways" => names(EGRESS_ONLY_GATEWAY_FILTERS),
        "DescribeDhcpOptions" => names(DHCP_OPTIONS_FILTERS),
        "DescribeNetworkAcls" => names(NETWORK_ACL_FILTERS),
        "DescribeNatGateways" => names(NAT_GATEWAY_FILTERS),
        "DescribeAddresses" => names(ADDRESS_FILTERS),
        "DescribeSecurityGroupRules" => names(SG_RULE_FILTERS),
        "DescribeRouteTables" => names(ROUTE_TABLE_FILTERS),
        "DescribeInternetGateways" => names(INTERNET_GATEWAY_FILTERS),
        "DescribeRegions" => names(REGION_FILTERS),
        "DescribeAvailabilityZones" => names(ZONE_FILTERS),
        "DescribeSecurityGroups" => names(SG_FILTERS),
        "DescribeSubnets" => names(SUBNET_FILTERS),
        "DescribeVpcs" => names(VPC_FILTERS),
        _ => None,
    }
}

fn one<'a>(v: impl Into<Cow<'a, str>>) -> Field<'a> {
    Field::One(v.into())
}

/// Text the answer shows; empty text counts as absent.
fn text(v: &str) -> Field<'_> {
    if v.is_empty() {
        Field::None
    } else {
        Field::One(Cow::Borrowed(v))
    }
}

fn many<'a, S: Into<Cow<'a, str>>>(vs: impl IntoIterator<Item = S>) -> Field<'a> {
    Field::Many(vs.into_iter().map(Into::into).collect())
}

fn number(n: i32) -> Field<'static> {
    one(n.to_string())
}

fn flag(b: bool) -> Cow<'static, str> {
    Cow::Borrowed(if b { "true" } else { "false" })
}

/// `2021-09-29T11:04:43.000Z`, as the answer writes it.
fn time(t: Timestamp) -> Cow<'static, str> {
    Cow::Owned(t.format(TimestampFormat::DateTime))
}
