use super::{DEPENDENT_OBJECT, INVALID_ID};
use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, RegionState, Resource, Tags, View};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub description: String,
    pub vpc_id: String,
    /// Its rules (`security_group_rules`) in the order they were added, which is the
    /// order DescribeSecurityGroups folds them in.
    pub rule_ids: Vec<String>,
    pub tags: Tags,
}

impl Resource for SecurityGroup {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "sg",
        resource_type: "security-group",
        ids: IdCheck::Strict,
        not_found: ErrorText {
            code: "InvalidGroup.NotFound",
            message: "The security group '{id}' does not exist",
        },
        not_found_many: "The security groups '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidGroupId.Malformed",
            message: "The security-group ID '{id}' is malformed",
        },
        // In use by an instance, or named as a peer by another group's rule (kops#6454).
        in_use: Some(ErrorText {
            code: "DependencyViolation",
            message: DEPENDENT_OBJECT,
        }),
    };
    stored_in!(security_groups);
    fn refs<'a>(&'a self, _: &View<'_>, pin: &mut dyn FnMut(&'a str)) {
        pin(&self.vpc_id);
    }
    /// A VPC's `default` group goes with the VPC.
    fn owner(&self) -> Option<&str> {
        (self.name == "default").then_some(self.vpc_id.as_str())
    }
}

/// The peer of a security group rule.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
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

/// One rule of a group (`sgr-`), a resource of its own: it has tags, and
/// RevokeSecurityGroupIngress takes it by id.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SgRule {
    pub id: String,
    pub group_id: String,
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

impl Resource for SgRule {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "sgr",
        resource_type: "security-group-rule",
        ids: IdCheck::Strict,
        not_found: ErrorText {
            code: "InvalidSecurityGroupRuleId.NotFound",
            message: "The security group rule ID '{id}' does not exist",
        },
        not_found_many: "The security group rule IDs '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidSecurityGroupRuleId.Malformed",
            message: INVALID_ID,
        },
        in_use: None,
    };
    stored_in!(security_group_rules);
    /// A rule naming another group (or a prefix list) keeps it from being deleted.
    fn refs<'a>(&'a self, _: &View<'_>, pin: &mut dyn FnMut(&'a str)) {
        match &self.peer {
            Peer::Group { group_id, .. } => pin(group_id),
            Peer::PrefixList(id) => pin(id),
            _ => {}
        }
    }
    fn owner(&self) -> Option<&str> {
        Some(&self.group_id)
    }
    fn removed(self, s: &mut RegionState) {
        if let Some(g) = s.security_groups.get_mut(&self.group_id) {
            g.rule_ids.retain(|r| *r != self.id);
        }
    }
}
