//! The resources a region holds. These are EC2's facts in compact form; handlers turn
//! them into the generated wire shapes when they answer.

use crate::net::Cidr;
use crate::wire::Timestamp;
use std::collections::{BTreeMap, BTreeSet};

/// Tags of one resource, by key.
pub type Tags = BTreeMap<String, String>;

#[derive(Debug, Clone)]
pub struct Vpc {
    pub id: String,
    pub cidr: Cidr,
    pub cidr_association_id: String,
    pub dhcp_options_id: String,
    pub instance_tenancy: String,
    pub is_default: bool,
    pub tags: Tags,
}

#[derive(Debug, Clone)]
pub struct Subnet {
    pub id: String,
    pub vpc_id: String,
    pub cidr: Cidr,
    pub az: String,
    pub az_id: String,
    pub default_for_az: bool,
    pub map_public_ip_on_launch: bool,
    /// Private addresses in use by instances and interfaces.
    pub used: BTreeSet<u32>,
    /// Where the next address search starts, so allocation is O(1) amortised.
    pub next_hint: u32,
    pub tags: Tags,
}

impl Subnet {
    pub fn available_ip_count(&self) -> i32 {
        self.cidr.usable() as i32 - self.used.len() as i32
    }

    /// Takes the lowest free address at or after the hint, wrapping once.
    pub fn allocate_ip(&mut self) -> Option<u32> {
        let (first, last) = (self.cidr.first_usable(), self.cidr.last_usable());
        if self.used.len() as u32 >= self.cidr.usable() {
            return None;
        }
        let start = self.next_hint.clamp(first, last);
        let ip = (start..=last)
            .chain(first..start)
            .find(|ip| !self.used.contains(ip))?;
        self.used.insert(ip);
        self.next_hint = ip + 1;
        Some(ip)
    }

    pub fn release_ip(&mut self, ip: u32) {
        self.used.remove(&ip);
    }
}

/// The peer of a security group rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Peer {
    Cidr4(String),
    Cidr6(String),
    Group { group_id: String, user_id: String },
    PrefixList(String),
}

impl Peer {
    pub fn describe(&self) -> &str {
        match self {
            Peer::Cidr4(c) | Peer::Cidr6(c) | Peer::PrefixList(c) => c,
            Peer::Group { group_id, .. } => group_id,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SgRule {
    pub id: String,
    pub egress: bool,
    /// `tcp`, `udp`, `icmp`, `icmpv6`, `-1`, or a protocol number.
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub peer: Peer,
    pub description: Option<String>,
    pub tags: Tags,
}

impl SgRule {
    /// Two rules are the same rule when protocol, ports and peer agree (the description
    /// does not count, as on EC2).
    pub fn same_as(&self, other: &SgRule) -> bool {
        self.egress == other.egress
            && self.protocol == other.protocol
            && self.from_port == other.from_port
            && self.to_port == other.to_port
            && self.peer == other.peer
    }
}

#[derive(Debug, Clone)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub description: String,
    pub vpc_id: String,
    pub rules: Vec<SgRule>,
    pub tags: Tags,
}

/// Where an instance is in its lifecycle. Transitional phases carry the moment they end;
/// the visible state is derived from the clock when read, with no background work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Pending { until: Timestamp },
    Running,
    Stopping { until: Timestamp },
    Stopped,
    ShuttingDown { until: Timestamp },
    Terminated { at: Timestamp },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceState {
    Pending,
    Running,
    ShuttingDown,
    Terminated,
    Stopping,
    Stopped,
}

impl InstanceState {
    /// EC2's state codes (the low byte of `instanceState.code`).
    pub fn code(self) -> i32 {
        match self {
            InstanceState::Pending => 0,
            InstanceState::Running => 16,
            InstanceState::ShuttingDown => 32,
            InstanceState::Terminated => 48,
            InstanceState::Stopping => 64,
            InstanceState::Stopped => 80,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            InstanceState::Pending => "pending",
            InstanceState::Running => "running",
            InstanceState::ShuttingDown => "shutting-down",
            InstanceState::Terminated => "terminated",
            InstanceState::Stopping => "stopping",
            InstanceState::Stopped => "stopped",
        }
    }
}

impl Phase {
    pub fn state(self, now: Timestamp) -> InstanceState {
        match self {
            Phase::Pending { until } if now < until => InstanceState::Pending,
            Phase::Pending { .. } | Phase::Running => InstanceState::Running,
            Phase::Stopping { until } if now < until => InstanceState::Stopping,
            Phase::Stopping { .. } | Phase::Stopped => InstanceState::Stopped,
            Phase::ShuttingDown { until } if now < until => InstanceState::ShuttingDown,
            Phase::ShuttingDown { .. } | Phase::Terminated { .. } => InstanceState::Terminated,
        }
    }

    /// When the instance became terminated, if it has.
    pub fn terminated_at(self, now: Timestamp) -> Option<Timestamp> {
        match self {
            Phase::Terminated { at } => Some(at),
            Phase::ShuttingDown { until } if now >= until => Some(until),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct MetadataOptions {
    pub http_tokens: String,
    pub http_put_response_hop_limit: i32,
    pub http_endpoint: String,
    pub http_protocol_ipv6: String,
    pub instance_metadata_tags: String,
}

#[derive(Debug, Clone)]
pub struct Instance {
    pub id: String,
    pub reservation_id: String,
    pub image_id: String,
    pub instance_type: String,
    pub key_name: Option<String>,
    pub launch_index: i32,
    pub launch_time: Timestamp,
    pub subnet_id: String,
    pub vpc_id: String,
    pub az: String,
    pub private_ip: u32,
    pub public_ip: Option<u32>,
    pub security_groups: Vec<String>,
    pub eni_id: String,
    pub eni_attachment_id: String,
    pub mac: String,
    /// Root volume first, then the other EBS volumes in mapping order.
    pub volume_ids: Vec<String>,
    pub root_device_name: String,
    pub architecture: String,
    pub platform: Option<String>,
    pub platform_details: String,
    pub usage_operation: String,
    pub boot_mode: Option<String>,
    pub client_token: Option<String>,
    pub user_data: Option<Vec<u8>>,
    pub monitoring: bool,
    pub ebs_optimized: bool,
    pub disable_api_termination: bool,
    /// `(arn, id)` of the IAM instance profile given at launch (boxed: most have none).
    pub iam_instance_profile: Option<Box<(String, String)>>,
    pub metadata: MetadataOptions,
    pub tenancy: String,
    pub phase: Phase,
    /// `stateTransitionReason`, e.g. "User initiated (2026-11-28 12:00:00 GMT)".
    pub transition_reason: String,
    /// `stateReason` code; the message is derived from it.
    pub state_reason: Option<&'static str>,
    pub tags: Tags,
}

#[derive(Debug, Clone)]
pub struct Reservation {
    pub id: String,
    pub requester_id: Option<String>,
    pub instance_ids: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Volume {
    pub id: String,
    pub instance_id: String,
    pub device_name: String,
    pub size_gib: i32,
    pub volume_type: String,
    pub snapshot_id: Option<String>,
    pub attach_time: Timestamp,
    pub delete_on_termination: bool,
    pub tags: Tags,
}

#[derive(Debug, Clone)]
pub struct NetworkInterface {
    pub id: String,
    pub instance_id: String,
    pub tags: Tags,
}

#[derive(Debug, Clone)]
pub struct KeyPair {
    pub id: String,
    pub name: String,
    pub key_type: String,
    pub fingerprint: String,
    pub public_key: String,
    pub create_time: Timestamp,
    pub tags: Tags,
}

/// A machine image the region offers.
#[derive(Debug, Clone)]
pub struct Image {
    pub id: String,
    pub name: String,
    pub description: String,
    pub owner_id: String,
    pub owner_alias: Option<String>,
    pub architecture: String,
    pub platform: Option<String>,
    pub platform_details: String,
    pub usage_operation: String,
    pub root_device_name: String,
    pub root_volume_size: i32,
    pub volume_type: String,
    pub snapshot_id: String,
    pub creation_date: String,
    pub boot_mode: Option<String>,
    pub imds_support: Option<String>,
    pub deprecation_time: Option<String>,
    pub is_public: bool,
    pub tags: Tags,
}
