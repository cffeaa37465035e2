use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, Resource, Tags};
use std::sync::Arc;

/// A machine image the region offers.
#[derive(Debug, Clone)]
pub struct Image {
    pub id: String,
    pub name: String,
    pub description: String,
    pub owner_id: String,
    pub owner_alias: Option<String>,
    // Shared with the instances launched from it.
    pub architecture: Arc<str>,
    pub platform: Option<Arc<str>>,
    pub platform_details: Arc<str>,
    pub usage_operation: Arc<str>,
    pub root_device_name: Arc<str>,
    pub root_volume_size: i32,
    pub volume_type: String,
    pub snapshot_id: String,
    pub creation_date: String,
    pub boot_mode: Option<Arc<str>>,
    pub imds_support: Option<String>,
    pub deprecation_time: Option<String>,
    pub is_public: bool,
    pub tags: Tags,
}

impl Resource for Image {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "ami",
        resource_type: "image",
        ids: IdCheck::Strict,
        // EC2 brackets image ids and says "id" (ec2-errors.md).
        not_found: ErrorText {
            code: "InvalidAMIID.NotFound",
            message: "The image id '[{id}]' does not exist",
        },
        not_found_many: "The image ids '[{ids}]' do not exist",
        malformed: ErrorText {
            code: "InvalidAMIID.Malformed",
            message: "Invalid id: \"{id}\" (expecting \"ami-...\")",
        },
        in_use: None,
    };
    stored_in!(images);
    /// Its root snapshot cannot be deleted while it exists (InvalidSnapshot.InUse).
    fn refs<'a>(&'a self, _: &crate::store::View<'_>, pin: &mut dyn FnMut(&'a str)) {
        pin(&self.snapshot_id);
    }
}
