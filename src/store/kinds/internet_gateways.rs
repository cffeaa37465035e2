use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, Resource, Tags, View};

/// An internet gateway, attached to at most one VPC.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct InternetGateway {
    pub id: String,
    pub vpc_id: Option<String>,
    pub tags: Tags,
}

impl Resource for InternetGateway {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "igw",
        resource_type: "internet-gateway",
        ids: IdCheck::Strict,
        not_found: ErrorText {
            code: "InvalidInternetGatewayID.NotFound",
            message: "The internetGateway ID '{id}' does not exist",
        },
        not_found_many: "The internetGateway IDs '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidInternetGatewayId.Malformed",
            message: "Invalid id: \"{id}\" (expecting \"igw-...\")",
        },
        // While attached (DeleteInternetGateway API reference: detach it first).
        in_use: Some(ErrorText {
            code: "DependencyViolation",
            message: "The internetGateway '{id}' has dependencies and cannot be deleted.",
        }),
    };
    stored_in!(internet_gateways);
    /// An attached gateway keeps its VPC (DeleteVpc API reference: detach and delete
    /// the internet gateway first).
    fn refs<'a>(&'a self, _: &View<'_>, pin: &mut dyn FnMut(&'a str)) {
        if let Some(v) = &self.vpc_id {
            pin(v);
        }
    }
}
