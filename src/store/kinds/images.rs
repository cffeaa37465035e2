use crate::clock::Timestamp;
use crate::generated::types::BlockDeviceMapping;
use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, Resource, Tags, View};
use std::sync::Arc;

/// A machine image the region offers: from the catalog (the seed file and the user's),
/// or registered, created or copied in this account.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Image {
    pub id: String,
    pub name: String,
    pub description: String,
    pub owner_id: String,
    pub owner_alias: Option<String>,
    // Shared with the instances launched from it.
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub architecture: Arc<str>,
    #[serde(deserialize_with = "crate::snapshot::shared_opt")]
    pub platform: Option<Arc<str>>,
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub platform_details: Arc<str>,
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub usage_operation: Arc<str>,
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub root_device_name: Arc<str>,
    /// The root device's EBS mapping.
    pub root_volume_size: i32,
    pub volume_type: String,
    pub snapshot_id: String,
    pub root_encrypted: bool,
    pub root_delete_on_termination: bool,
    /// The other block device mappings, as DescribeImages shows them.
    pub other_mappings: Arc<[BlockDeviceMapping]>,
    pub creation_date: String,
    #[serde(deserialize_with = "crate::snapshot::shared_opt")]
    pub boot_mode: Option<Arc<str>>,
    pub tpm_support: Option<String>,
    pub imds_support: Option<String>,
    pub deprecation_time: Option<String>,
    pub virtualization_type: String,
    pub ena_support: bool,
    pub sriov_net_support: Option<String>,
    /// `Public` as EC2 shows it: launchPermission group `all`.
    pub is_public: bool,
    /// Accounts given launchPermission (ModifyImageAttribute).
    pub launch_users: Vec<String>,
    /// A catalog image: every account sees and launches it, whatever `Public` says (the
    /// catalog is the emulator's world; a file the user loads is theirs to launch).
    pub catalog: bool,
    /// `pending` until this moment (CreateImage, RegisterImage, CopyImage), then
    /// `available`.
    pub ready_at: Timestamp,
    /// DisableImage: `disabled`, launchable by nobody until EnableImage.
    pub disabled: bool,
    /// SourceImageId / SourceImageRegion (CopyImage), SourceInstanceId (CreateImage).
    pub source_image: Option<(String, String)>,
    pub source_instance_id: Option<String>,
    pub tags: Tags,
}

impl Image {
    /// `pending`, `available` or `disabled`, as DescribeImages shows it.
    pub fn state(&self, now: Timestamp) -> &'static str {
        if self.disabled {
            "disabled"
        } else if now < self.ready_at {
            "pending"
        } else {
            "available"
        }
    }

    /// Whether `account` may see and launch it: its owner, any account for a catalog or
    /// public image, and the accounts it is shared with.
    pub fn usable_by(&self, account: &str) -> bool {
        self.catalog
            || self.is_public
            || self.owner_id == account
            || self.launch_users.iter().any(|u| u == account)
    }
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
    /// Its snapshots cannot be deleted while it exists (InvalidSnapshot.InUse).
    fn refs<'a>(&'a self, _: &View<'_>, pin: &mut dyn FnMut(&'a str)) {
        pin(&self.snapshot_id);
        for m in self.other_mappings.iter() {
            if let Some(s) = m.ebs.as_ref().and_then(|e| e.snapshot_id.as_deref()) {
                pin(s);
            }
        }
    }
}
