use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, Resource, Tags};

/// A DHCP options set: `key` → values, in the order given.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DhcpOptions {
    pub id: String,
    pub configurations: Vec<(String, Vec<String>)>,
    pub tags: Tags,
}

impl Resource for DhcpOptions {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "dopt",
        resource_type: "dhcp-options",
        ids: IdCheck::Strict,
        not_found: ErrorText {
            code: "InvalidDhcpOptionID.NotFound",
            message: "The dhcpOption ID '{id}' does not exist",
        },
        not_found_many: "The dhcpOption IDs '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidDhcpOptionsId.Malformed",
            message: "Invalid id: \"{id}\" (expecting \"dopt-...\")",
        },
        // While a VPC uses it (DeleteDhcpOptions API reference).
        in_use: Some(ErrorText {
            code: "DependencyViolation",
            message: "The dhcpOptions '{id}' has dependencies and cannot be deleted.",
        }),
    };
    stored_in!(dhcp_options);
}
