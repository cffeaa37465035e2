use crate::clock::Timestamp;
use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, Resource, Tags, View};

/// An elastic network interface in a subnet; attached to an instance, or not. An
/// instance's primary interface carries its security groups and MAC address (EC2's model:
/// groups belong to interfaces; an instance shows its primary interface's).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct NetworkInterface {
    pub id: String,
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub subnet_id: std::sync::Arc<str>,
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub vpc_id: std::sync::Arc<str>,
    pub description: String,
    /// The primary private IPv4 address, then the secondary ones.
    pub private_ip: u32,
    pub secondary_ips: Vec<u32>,
    /// IPv6 addresses (from the subnet's /64 when it assigns them on creation).
    pub ipv6_addresses: Vec<String>,
    pub mac: MacAddr,
    pub groups: Vec<String>,
    pub source_dest_check: bool,
    pub attachment: Option<EniAttachment>,
    pub tags: Tags,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct EniAttachment {
    /// `eni-attach-…`.
    pub id: String,
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub instance_id: std::sync::Arc<str>,
    pub device_index: i32,
    pub attach_time: Timestamp,
    pub delete_on_termination: bool,
}

impl NetworkInterface {
    /// `in-use` while attached, else `available` (the model's NetworkInterfaceStatus).
    pub fn status(&self) -> &'static str {
        if self.attachment.is_some() {
            "in-use"
        } else {
            "available"
        }
    }
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

/// A MAC address as EC2 writes it (`0e:1a:2b:3c:4d:5e`), kept inline: every instance has
/// one, and a `String` of it cost 56 bytes where these are 17.
#[derive(Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MacAddr([u8; 17]);

impl MacAddr {
    /// `0e:` and five random bytes in lowercase hex.
    pub fn random() -> MacAddr {
        use rand::Rng;
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let b: [u8; 5] = crate::rng::rng().gen();
        let mut out = *b"0e:00:00:00:00:00";
        for (i, byte) in b.iter().enumerate() {
            out[3 + 3 * i] = HEX[usize::from(byte >> 4)];
            out[4 + 3 * i] = HEX[usize::from(byte & 0xf)];
        }
        MacAddr(out)
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII is ever written into it.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl std::fmt::Debug for MacAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn macs_are_ec2_shaped() {
        let m = super::MacAddr::random();
        let s = m.as_str();
        assert_eq!(s.len(), 17);
        assert!(s.starts_with("0e:"));
        assert!(s.split(':').all(|p| p.len() == 2
            && p.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())));
    }
}
