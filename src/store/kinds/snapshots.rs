use crate::clock::Timestamp;
use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, Resource, Tags, View};

/// An EBS snapshot: the account's own, or one behind a public AMI of the catalog (owned
/// by the image's owner, public, volume `vol-ffffffff` as Amazon's public snapshots show).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    pub id: String,
    pub volume_id: String,
    pub volume_size: i32,
    pub description: String,
    pub owner_id: String,
    pub owner_alias: Option<String>,
    pub start_time: Timestamp,
    /// When `pending` ends (the transition clock).
    pub completed_at: Timestamp,
    pub encrypted: bool,
    /// createVolumePermission: group `all`, and the accounts it is shared with.
    pub public: bool,
    pub shared_with: Vec<String>,
    pub tags: Tags,
}

impl Snapshot {
    pub fn completed(&self, now: Timestamp) -> bool {
        now >= self.completed_at
    }

    /// `pending`, then `completed`.
    pub fn state(&self, now: Timestamp) -> &'static str {
        if self.completed(now) {
            "completed"
        } else {
            "pending"
        }
    }

    /// `0%` … `99%` on the way, linear in time, then `100%`.
    pub fn progress(&self, now: Timestamp) -> String {
        if self.completed(now) {
            return "100%".into();
        }
        let span = (self.completed_at.0 - self.start_time.0).max(1);
        let done = ((now.0 - self.start_time.0).max(0) * 100 / span).min(99);
        format!("{done}%")
    }

    /// Who may restore it: the owner, everyone when public, and the accounts shared with.
    pub fn restorable_by(&self, account: &str) -> bool {
        self.public || self.owner_id == account || self.shared_with.iter().any(|a| a == account)
    }
}

impl Resource for Snapshot {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "snap",
        resource_type: "snapshot",
        ids: IdCheck::Strict,
        // The singular wording CreateVolume already returned (trailing period); the
        // plural is unverified.
        not_found: ErrorText {
            code: "InvalidSnapshot.NotFound",
            message: "The snapshot '{id}' does not exist.",
        },
        not_found_many: "The snapshots '{ids}' do not exist.",
        malformed: ErrorText {
            code: "InvalidSnapshotID.Malformed",
            message: "Invalid id: \"{id}\" (expecting \"snap-...\")",
        },
        // EC2 names the image; this names the snapshot only (unverified wording).
        in_use: Some(ErrorText {
            code: "InvalidSnapshot.InUse",
            message: "The snapshot {id} is currently in use by an image",
        }),
    };
    stored_in!(snapshots);
    /// Only snapshots the account may restore exist for it.
    fn visible(&self, v: &View<'_>) -> bool {
        self.restorable_by(&v.state.account)
    }
}
