use crate::clock::Timestamp;
use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, Resource, Tags, View};

/// A VPC endpoint: a Gateway endpoint (S3, DynamoDB) routes the service's prefix list
/// through itself in the chosen route tables; an Interface endpoint has an interface in
/// each chosen subnet.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct VpcEndpoint {
    pub id: String,
    pub vpc_id: String,
    pub service_name: String,
    pub gateway: bool,
    pub policy: String,
    pub route_table_ids: Vec<String>,
    pub subnet_ids: Vec<String>,
    pub network_interface_ids: Vec<String>,
    pub groups: Vec<String>,
    pub private_dns_enabled: bool,
    pub create_time: Timestamp,
    pub tags: Tags,
}

impl Resource for VpcEndpoint {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "vpce",
        resource_type: "vpc-endpoint",
        ids: IdCheck::Strict,
        not_found: ErrorText {
            code: "InvalidVpcEndpointId.NotFound",
            message: "The Vpc Endpoint Id '{id}' does not exist",
        },
        not_found_many: "The Vpc Endpoint Ids '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidVpcEndpointId.Malformed",
            message: "The Vpc Endpoint Id '{id}' is malformed",
        },
        in_use: None,
    };
    stored_in!(vpc_endpoints);
    /// It keeps its VPC and its security groups (its interfaces keep their subnets).
    fn refs<'a>(&'a self, _: &View<'_>, pin: &mut dyn FnMut(&'a str)) {
        pin(&self.vpc_id);
        self.groups.iter().for_each(|g| pin(g));
    }
}
