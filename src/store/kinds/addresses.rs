use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, Resource, Tags};

/// An Elastic IP address (`eipalloc-`), associated with an instance's or a NAT gateway's
/// interface, or not.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Address {
    pub id: String,
    pub public_ip: u32,
    pub association: Option<AddressAssociation>,
    pub tags: Tags,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AddressAssociation {
    /// `eipassoc-…`.
    pub id: String,
    pub instance_id: Option<String>,
    pub network_interface_id: String,
    pub private_ip: u32,
    /// The instance had an Amazon-assigned public address before; it gets one back when
    /// the Elastic IP is disassociated.
    pub had_public_ip: bool,
}

impl Resource for Address {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "eipalloc",
        resource_type: "elastic-ip",
        ids: IdCheck::Strict,
        not_found: ErrorText {
            code: "InvalidAllocationID.NotFound",
            message: "The allocation ID '{id}' does not exist",
        },
        not_found_many: "The allocation IDs '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidAllocationID.Malformed",
            message: "Invalid id: \"{id}\" (expecting \"eipalloc-...\")",
        },
        // ReleaseAddress refuses an associated address with the address itself in the
        // message; see handlers/addresses.rs.
        in_use: None,
    };
    stored_in!(addresses);
}
