//! The records a region holds, one file per resource family, each record next to its
//! [`Resource`](super::Resource) declaration: id prefix, resource type, EC2's error
//! texts, table, tags, visibility, references and owner. Handlers turn records into the
//! generated wire shapes when they answer.

/// A text from a fixed set of values (`"required"`, `"stop"`…), as handlers have it.
/// Spelled as an alias so that serde's derive does not take it for a borrowed `&str`
/// (which would tie a decoded record to its input); a snapshot reads it back through
/// `crate::snapshot::interned`.
pub type StaticStr = &'static str;

mod addresses;
mod dhcp_options;
mod egress_only_gateways;
mod images;
mod instances;
mod interfaces;
mod internet_gateways;
mod key_pairs;
mod launch_templates;
mod nat_gateways;
mod network_acls;
mod prefix_lists;
mod route_tables;
mod security_groups;
mod snapshots;
mod subnet_cidr_reservations;
mod subnets;
mod volumes;
mod vpc_endpoints;
mod vpcs;

pub use addresses::{Address, AddressAssociation};
pub use dhcp_options::DhcpOptions;
pub use egress_only_gateways::EgressOnlyInternetGateway;
pub use images::Image;
pub use instances::{IamProfile, Instance, InstanceState, MetadataOptions, Phase, Reservation};
pub use interfaces::{EniAttachment, MacAddr, NetworkInterface};
pub use internet_gateways::InternetGateway;
pub use key_pairs::KeyPair;
pub use launch_templates::{LaunchTemplate, TemplateVersion};
pub use nat_gateways::{NatGateway, NatPhase};
pub use network_acls::{AclEntry, NetworkAcl};
pub use prefix_lists::ManagedPrefixList;
pub use route_tables::{
    AssociationTarget, Destination, Route, RouteTable, RouteTableAssociation, RouteTarget,
};
pub use security_groups::{Peer, SecurityGroup, SgRule};
pub use snapshots::Snapshot;
pub use subnet_cidr_reservations::SubnetCidrReservation;
pub use subnets::Subnet;
pub use volumes::{Volume, VolumeAttachment, VolumeModification};
pub use vpc_endpoints::VpcEndpoint;
pub use vpcs::{Ipv6Block, Vpc};

/// `Invalid id: "{id}"`, the Malformed message most kinds share (ec2-errors.md).
const INVALID_ID: &str = "Invalid id: \"{id}\"";
/// The DependencyViolation wording EC2 uses when a resource has no wording of its own.
const DEPENDENT_OBJECT: &str = "resource {id} has a dependent object";
