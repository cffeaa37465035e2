use crate::clock::Timestamp;
use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, Resource, Tags, View};

/// An elastic network interface in a subnet; attached to an instance, or not. An
/// instance's primary interface carries its security groups and MAC address (EC2's model:
/// groups belong to interfaces; an instance shows its primary interface's).
#[derive(Debug, Clone)]
pub struct NetworkInterface {
    pub id: String,
    pub subnet_id: std::sync::Arc<str>,
    pub vpc_id: std::sync::Arc<str>,
    pub description: String,
    /// The primary private IPv4 address, then the secondary ones.
    pub private_ip: u32,
    pub secondary_ips: Vec<u32>,
    /// IPv6 addresses (from the subnet's /64 when it assigns them on creation).
    pub ipv6_addresses: Vec<String>,
    pub mac: String,
    pub groups: Vec<String>,
    pub source_dest_check: bool,
    pub attachment: Option<EniAttachment>,
    pub tags: Tags,
}

#[derive(Debug, Clone)]
pub struct EniAttachment {
    /// `eni-attach-…`.
    pub id: String,
    pub instance_id: String,
    pub device_index: i32,
    pub attach_time: Timestamp,
    pub delete_on_termination: bool,
}

impl Resource for NetworkInterface {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "eni",
        resource_type: "network-interface",
        ids: IdCheck::Strict,
        not_found: ErrorText {
            code: "InvalidNetworkInterfaceID.NotFound",
            message: "The network interface ID '{id}' does not exist",
        },
        not_found_many: "The network interface IDs '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidNetworkInterfaceID.Malformed",
            message: "Invalid id: \"{id}\" (expecting \"eni-...\")",
        },
        // Unverified wording (the form seen in provider logs).
        in_use: Some(ErrorText {
            code: "InvalidNetworkInterface.InUse",
            message: "Interface: [{id}] in use.",
        }),
    };
    stored_in!(network_interfaces);
    /// An interface that deletes on termination counts as deleted once its instance is
    /// terminating (the primary interface always does).
    fn visible(&self, v: &View<'_>) -> bool {
        self.attachment.as_ref().is_none_or(|a| {
            !v.state
                .went_with_instance(&a.instance_id, a.delete_on_termination)
        })
    }
    /// Its subnet, VPC and security groups (a group used by an interface is in use).
    fn refs<'a>(&'a self, _: &View<'_>, pin: &mut dyn FnMut(&'a str)) {
        pin(&self.subnet_id);
        pin(&self.vpc_id);
        self.groups.iter().for_each(|g| pin(g));
        if let Some(a) = &self.attachment {
            pin(&a.instance_id);
        }
    }
}
