use crate::clock::Timestamp;
use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, Resource, Tags};

/// A managed prefix list: AWS's own (`com.amazonaws.<region>.s3`, `.dynamodb`, owned by
/// `AWS`) or one the account created.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ManagedPrefixList {
    pub id: String,
    pub name: String,
    /// `IPv4` or `IPv6`.
    pub address_family: String,
    pub max_entries: i32,
    pub version: i64,
    /// `(cidr, description)`, in the order added; every version's, for
    /// GetManagedPrefixListEntries' TargetVersion: `history[v - 1]`.
    pub history: Vec<Vec<(String, Option<String>)>>,
    pub aws_managed: bool,
    pub create_time: Timestamp,
    pub tags: Tags,
}

impl ManagedPrefixList {
    pub fn entries(&self) -> &[(String, Option<String>)] {
        self.history.last().map_or(&[], Vec::as_slice)
    }

    /// `create-complete`, or `modify-complete` once a change made a second version (a
    /// change applies at once here, so no list is ever `*-in-progress`).
    pub fn state(&self) -> &'static str {
        if self.version > 1 {
            "modify-complete"
        } else {
            "create-complete"
        }
    }
}

impl Resource for ManagedPrefixList {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "pl",
        resource_type: "prefix-list",
        ids: IdCheck::Strict,
        not_found: ErrorText {
            code: "InvalidPrefixListID.NotFound",
            message: "The prefix list ID '{id}' does not exist",
        },
        not_found_many: "The prefix list IDs '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidPrefixListId.Malformed",
            message: "The prefix list ID '{id}' is malformed",
        },
        // Unverified wording: while a route or a security group rule names it.
        in_use: Some(ErrorText {
            code: "DependencyViolation",
            message: "The prefix list {id} has dependencies and cannot be deleted.",
        }),
    };
    stored_in!(prefix_lists);
}
