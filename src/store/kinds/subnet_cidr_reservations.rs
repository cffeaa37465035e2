use crate::net::Cidr;
use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, Resource, Tags};

/// A block of a subnet's addresses set aside: `explicit` ones are never handed out
/// automatically; `prefix` ones are for prefix delegation.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SubnetCidrReservation {
    pub id: String,
    pub subnet_id: String,
    pub cidr: Cidr,
    pub explicit: bool,
    pub description: Option<String>,
    pub tags: Tags,
}

impl Resource for SubnetCidrReservation {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "scr",
        resource_type: "subnet-cidr-reservation",
        ids: IdCheck::Strict,
        // Unverified wording.
        not_found: ErrorText {
            code: "InvalidSubnetCidrReservationID.NotFound",
            message: "The subnet CIDR reservation ID '{id}' does not exist",
        },
        not_found_many: "The subnet CIDR reservation IDs '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidSubnetCidrReservationID.Malformed",
            message: "Invalid id: \"{id}\" (expecting \"scr-...\")",
        },
        in_use: None,
    };
    stored_in!(subnet_cidr_reservations);
    /// It goes with its subnet.
    fn owner(&self) -> Option<&str> {
        Some(&self.subnet_id)
    }
}
