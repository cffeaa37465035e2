use super::INVALID_ID;
use crate::clock::Timestamp;
use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, Resource, Tags, View};
use std::sync::Arc;

/// Where an instance is in its lifecycle. Transitional phases carry the moment they end;
/// the visible state is derived from the clock when read, with no background work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Phase {
    Pending { until: Timestamp },
    Running,
    Stopping { until: Timestamp },
    Stopped,
    ShuttingDown { until: Timestamp },
    Terminated { at: Timestamp },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct MetadataOptions {
    // The settings are one of a few values each, validated at launch: no allocation.
    #[serde(deserialize_with = "crate::snapshot::interned")]
    pub http_tokens: super::StaticStr,
    pub http_put_response_hop_limit: i32,
    #[serde(deserialize_with = "crate::snapshot::interned")]
    pub http_endpoint: super::StaticStr,
    #[serde(deserialize_with = "crate::snapshot::interned")]
    pub http_protocol_ipv6: super::StaticStr,
    #[serde(deserialize_with = "crate::snapshot::interned")]
    pub instance_metadata_tags: super::StaticStr,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Instance {
    pub id: String,
    pub reservation_id: String,
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub image_id: Arc<str>,
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub instance_type: Arc<str>,
    pub key_name: Option<String>,
    pub launch_index: i32,
    pub launch_time: Timestamp,
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub subnet_id: Arc<str>,
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub vpc_id: Arc<str>,
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub az: Arc<str>,
    pub private_ip: u32,
    pub public_ip: Option<u32>,
    /// The public address is an Elastic IP (its owner is the account, not `amazon`).
    pub elastic_ip: bool,
    /// The subnet's PrivateDnsNameOptionsOnLaunch when it launched: `resource-name` names
    /// the instance `i-….ec2.internal`; and its DNS A / AAAA record settings.
    #[serde(deserialize_with = "crate::snapshot::interned")]
    pub hostname_type: super::StaticStr,
    pub resource_name_a: bool,
    pub resource_name_aaaa: bool,
    /// The primary network interface (`eni-`), attached at device index 0; it holds the
    /// instance's security groups and MAC address.
    pub eni_id: String,
    /// Interfaces attached later (AttachNetworkInterface), in the order attached.
    pub secondary_enis: Vec<String>,
    /// Root volume first, then the other EBS volumes in mapping order.
    pub volume_ids: Vec<String>,
    // From the image, shared with it (no allocation per instance).
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub root_device_name: Arc<str>,
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub architecture: Arc<str>,
    #[serde(deserialize_with = "crate::snapshot::shared_opt")]
    pub platform: Option<Arc<str>>,
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub platform_details: Arc<str>,
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub usage_operation: Arc<str>,
    #[serde(deserialize_with = "crate::snapshot::shared_opt")]
    pub boot_mode: Option<Arc<str>>,
    pub client_token: Option<String>,
    pub user_data: Option<Vec<u8>>,
    /// A Windows instance's administrator password, encrypted to its RSA key pair and
    /// base64-encoded (GetPasswordData); `None` otherwise.
    pub password_data: Option<Box<str>>,
    pub monitoring: bool,
    pub ebs_optimized: bool,
    pub disable_api_termination: bool,
    /// DisableApiStop: StopInstances is refused while set.
    pub disable_api_stop: bool,
    /// InstanceInitiatedShutdownBehavior: `stop` or `terminate`.
    #[serde(deserialize_with = "crate::snapshot::interned")]
    pub shutdown_behavior: super::StaticStr,
    /// CPU credits of a burstable type: `standard` or `unlimited`; `None` for others.
    #[serde(deserialize_with = "crate::snapshot::interned_opt")]
    pub cpu_credits: Option<super::StaticStr>,
    /// The IAM instance profile given at launch (boxed: most have none).
    pub iam_instance_profile: Option<Box<IamProfile>>,
    pub metadata: MetadataOptions,
    /// `default`, `dedicated`, `host` (borrowed), or what else the caller sent.
    pub tenancy: std::borrow::Cow<'static, str>,
    pub phase: Phase,
    /// `stateTransitionReason`, e.g. "User initiated (2026-11-28 12:00:00 GMT)".
    pub transition_reason: String,
    /// `stateReason` code; the message is derived from it.
    #[serde(deserialize_with = "crate::snapshot::interned_opt")]
    pub state_reason: Option<super::StaticStr>,
    /// HibernationOptions.Configured at launch: StopInstances may hibernate it.
    pub hibernation_configured: bool,
    /// Placement affinity `host` (ModifyInstancePlacement); `default` otherwise.
    pub host_affinity: bool,
    pub tags: Tags,
}

/// An IAM instance profile as EC2 echoes it (IAM itself is not emulated).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct IamProfile {
    pub arn: String,
    /// `AIPA…`.
    pub id: String,
    /// The instance's association with it (`iip-assoc-…`) and when it was made.
    pub association_id: String,
    pub associated_at: Timestamp,
}

impl Instance {
    pub fn state(&self, now: Timestamp) -> InstanceState {
        self.phase.state(now)
    }
}

impl Resource for Instance {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "i",
        resource_type: "instance",
        ids: IdCheck::Strict,
        not_found: ErrorText {
            code: "InvalidInstanceID.NotFound",
            message: "The instance ID '{id}' does not exist",
        },
        not_found_many: "The instance IDs '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidInstanceID.Malformed",
            message: INVALID_ID,
        },
        in_use: None,
    };
    stored_in!(instances);
    /// Terminated instances stay visible for the retention (`--terminated-retention-secs`,
    /// an hour by default, as on EC2), then they are gone for every operation.
    fn visible(&self, v: &View<'_>) -> bool {
        self.phase
            .terminated_at(v.now)
            .is_none_or(|at| v.now.0 - at.0 < v.retention_ms)
    }
    /// Until it is terminated, an instance holds its VPC and subnet (its groups are held
    /// by its interfaces).
    fn refs<'a>(&'a self, v: &View<'_>, pin: &mut dyn FnMut(&'a str)) {
        if self.state(v.now) != InstanceState::Terminated {
            pin(&self.vpc_id);
            pin(&self.subnet_id);
        }
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Reservation {
    pub id: String,
    pub requester_id: Option<String>,
    #[serde(deserialize_with = "crate::snapshot::shared_vec")]
    pub instance_ids: Vec<Arc<str>>,
}
