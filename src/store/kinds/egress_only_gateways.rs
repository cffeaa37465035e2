use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, Resource, Tags, View};

/// An egress-only internet gateway: IPv6 out, nothing in; attached to its VPC from
/// creation.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct EgressOnlyInternetGateway {
    pub id: String,
    pub vpc_id: String,
    pub tags: Tags,
}

impl Resource for EgressOnlyInternetGateway {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "eigw",
        resource_type: "egress-only-internet-gateway",
        ids: IdCheck::Strict,
        // Unverified wording: the pattern of the internet gateway's.
        not_found: ErrorText {
            code: "InvalidGatewayID.NotFound",
            message: "The eigw ID '{id}' does not exist",
        },
        not_found_many: "The eigw IDs '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidGatewayID.Malformed",
            message: "Invalid id: \"{id}\" (expecting \"eigw-...\")",
        },
        in_use: None,
    };
    stored_in!(egress_only_gateways);
    fn refs<'a>(&'a self, _: &View<'_>, pin: &mut dyn FnMut(&'a str)) {
        pin(&self.vpc_id);
    }
}
