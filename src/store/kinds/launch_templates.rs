use crate::clock::Timestamp;
use crate::generated::types::ResponseLaunchTemplateData;
use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, RegionState, Resource, Tags};
use std::collections::BTreeMap;

/// A launch template: numbered versions of launch parameters, one of them the default.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LaunchTemplate {
    pub id: String,
    pub name: String,
    pub create_time: Timestamp,
    /// `arn:aws:iam::<account>:root`: who created it (CreatedBy).
    pub created_by: String,
    pub default_version: i64,
    /// The highest number handed out; numbers are never reused, even after deletes.
    pub latest_version: i64,
    pub versions: BTreeMap<i64, TemplateVersion>,
    pub tags: Tags,
}

/// One version. Its data is kept as EC2 answers it: a launch template's content is API
/// data the emulator stores and replays, and the model's shape is that data's schema.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TemplateVersion {
    /// The template it belongs to (for filters that ask about the template).
    pub template_id: String,
    pub number: i64,
    pub description: Option<String>,
    pub create_time: Timestamp,
    pub data: ResponseLaunchTemplateData,
}

impl Resource for LaunchTemplate {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "lt",
        resource_type: "launch-template",
        ids: IdCheck::Strict,
        // AWS-raw (botocore ClientError quoted in cartography-cncf/cartography#1519).
        not_found: ErrorText {
            code: "InvalidLaunchTemplateId.NotFound",
            message: "The specified launch template, with template ID {id}, does not exist.",
        },
        // Unverified wording for several at once.
        not_found_many:
            "At least one of the launch templates specified in the request does not exist.",
        // Unverified wording (the code is in the EC2 error-code list).
        malformed: ErrorText {
            code: "InvalidLaunchTemplateId.Malformed",
            message: "The specified launch template ID '{id}' is malformed.",
        },
        // Instances keep running when their template goes.
        in_use: None,
    };
    stored_in!(launch_templates);
    fn removed(self, s: &mut RegionState) {
        s.template_names.remove(&self.name);
    }
}
