use crate::clock::Timestamp;
use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, Resource, Tags, View};

/// An EBS volume; attached to an instance, or not (an optional attachment).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Volume {
    pub id: String,
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub az: std::sync::Arc<str>,
    pub size_gib: i32,
    pub volume_type: String,
    pub snapshot_id: Option<String>,
    pub create_time: Timestamp,
    /// When `creating` ends (the transition clock).
    pub ready_at: Timestamp,
    pub iops: Option<i32>,
    pub throughput: Option<i32>,
    pub encrypted: bool,
    /// DescribeVolumeAttribute / ModifyVolumeAttribute `autoEnableIO`.
    pub auto_enable_io: bool,
    /// The latest ModifyVolume (boxed: most volumes are never modified).
    pub modification: Option<Box<VolumeModification>>,
    pub attachment: Option<VolumeAttachment>,
    pub tags: Tags,
}

/// A ModifyVolume: modifying → optimizing → completed on the transition clock (one
/// transition each), the new values in force from the start, as EC2 reports them.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct VolumeModification {
    pub start: Timestamp,
    /// When `modifying` ends; `optimizing` ends one transition later.
    pub optimizing_at: Timestamp,
    pub completed_at: Timestamp,
    pub original: (i32, String, Option<i32>, Option<i32>),
    pub target: (i32, String, Option<i32>, Option<i32>),
}

impl VolumeModification {
    pub fn state(&self, now: Timestamp) -> &'static str {
        if now < self.optimizing_at {
            "modifying"
        } else if now < self.completed_at {
            "optimizing"
        } else {
            "completed"
        }
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct VolumeAttachment {
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub instance_id: std::sync::Arc<str>,
    #[serde(deserialize_with = "crate::snapshot::shared")]
    pub device_name: std::sync::Arc<str>,
    pub attach_time: Timestamp,
    pub delete_on_termination: bool,
}

impl Resource for Volume {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "vol",
        resource_type: "volume",
        ids: IdCheck::Strict,
        not_found: ErrorText {
            code: "InvalidVolume.NotFound",
            message: "The volume '{id}' does not exist",
        },
        not_found_many: "The volumes '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidVolumeID.Malformed",
            message: "Invalid id: \"{id}\" (expecting \"vol-...\")",
        },
        // The generic fallback (`View::deletable`): DeleteVolume refuses an attached volume
        // itself first, naming the instance as EC2 does (`Volume {id} is currently attached
        // to {instance}`, handlers::volumes::delete_volume).
        in_use: Some(ErrorText {
            code: "VolumeInUse",
            message: "Volume {id} is currently attached",
        }),
    };
    stored_in!(volumes);
    /// A DeleteOnTermination volume counts as deleted once its instance is terminating.
    fn visible(&self, v: &View<'_>) -> bool {
        self.attachment.as_ref().is_none_or(|a| {
            !v.state
                .went_with_instance(&a.instance_id, a.delete_on_termination)
        })
    }
    fn refs<'a>(&'a self, _: &View<'_>, pin: &mut dyn FnMut(&'a str)) {
        if let Some(a) = &self.attachment {
            pin(&a.instance_id);
        }
    }
}
