use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, RegionState, Resource, Tags, View};

/// A network ACL of a VPC: numbered entries each way, and the subnets it is associated
/// with (each subnet with exactly one ACL; the VPC's default one unless replaced).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct NetworkAcl {
    pub id: String,
    pub vpc_id: String,
    pub is_default: bool,
    pub entries: Vec<AclEntry>,
    /// `(aclassoc-…, subnet id)`.
    pub associations: Vec<(String, String)>,
    pub tags: Tags,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AclEntry {
    /// 1–32766; 32767 is the final `*` deny.
    pub number: i32,
    pub egress: bool,
    /// `-1`, or a protocol number.
    pub protocol: String,
    pub allow: bool,
    pub cidr: String,
    pub ports: Option<(i32, i32)>,
}

impl NetworkAcl {
    /// A VPC's default ACL: rule 100 allows all traffic each way, `*` denies the rest
    /// (VPC User Guide, "Default network ACL").
    pub fn default_for(id: String, vpc_id: &str) -> NetworkAcl {
        let rule = |number, egress, allow| AclEntry {
            number,
            egress,
            protocol: "-1".into(),
            allow,
            cidr: "0.0.0.0/0".into(),
            ports: None,
        };
        NetworkAcl {
            id,
            vpc_id: vpc_id.to_string(),
            is_default: true,
            entries: vec![
                rule(100, false, true),
                rule(32767, false, false),
                rule(100, true, true),
                rule(32767, true, false),
            ],
            associations: Vec::new(),
            tags: Tags::new(),
        }
    }
}

impl Resource for NetworkAcl {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "acl",
        resource_type: "network-acl",
        ids: IdCheck::Strict,
        not_found: ErrorText {
            code: "InvalidNetworkAclID.NotFound",
            message: "The networkAcl ID '{id}' does not exist",
        },
        not_found_many: "The networkAcl IDs '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidNetworkAclId.Malformed",
            message: "Invalid id: \"{id}\" (expecting \"acl-...\")",
        },
        in_use: Some(ErrorText {
            code: "DependencyViolation",
            message: "The networkAcl '{id}' has dependencies and cannot be deleted.",
        }),
    };
    stored_in!(network_acls);
    fn refs<'a>(&'a self, _: &View<'_>, pin: &mut dyn FnMut(&'a str)) {
        pin(&self.vpc_id);
    }
    /// The default ACL goes with its VPC.
    fn owner(&self) -> Option<&str> {
        self.is_default.then_some(self.vpc_id.as_str())
    }
}

impl RegionState {
    /// Associates a new subnet with its VPC's default ACL.
    pub fn associate_default_acl(&mut self, subnet_id: &str, vpc_id: &str) {
        if let Some(acl) = self
            .network_acls
            .values_mut()
            .find(|a| a.vpc_id == vpc_id && a.is_default)
        {
            acl.associations
                .push((crate::store::new_id("aclassoc"), subnet_id.to_string()));
        }
    }
}
