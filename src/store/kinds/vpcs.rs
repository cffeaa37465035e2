use super::INVALID_ID;
use crate::net::Cidr;
use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, Resource, Tags, View};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Vpc {
    pub id: String,
    pub cidr: Cidr,
    pub cidr_association_id: String,
    pub dhcp_options_id: String,
    pub instance_tenancy: String,
    pub is_default: bool,
    /// DescribeVpcAttribute / ModifyVpcAttribute. DNS support is on for every VPC, DNS
    /// hostnames only for default VPCs until changed (VPC User Guide, "DNS attributes for
    /// your VPC").
    pub enable_dns_support: bool,
    pub enable_dns_hostnames: bool,
    pub enable_network_address_usage_metrics: bool,
    /// An Amazon-provided IPv6 /56 (AmazonProvidedIpv6CidrBlock), if asked for.
    pub ipv6: Option<Ipv6Block>,
    /// Secondary IPv4 blocks (AssociateVpcCidrBlock): `(vpc-cidr-assoc-…, block)`.
    pub secondary_cidrs: Vec<(String, Cidr)>,
    pub tags: Tags,
}

impl Vpc {
    /// Every IPv4 block of the VPC, the primary first.
    pub fn cidrs(&self) -> impl Iterator<Item = Cidr> + '_ {
        std::iter::once(self.cidr).chain(self.secondary_cidrs.iter().map(|(_, c)| *c))
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Ipv6Block {
    /// `vpc-cidr-assoc-…`.
    pub association_id: String,
    pub cidr: String,
}

impl Resource for Vpc {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "vpc",
        resource_type: "vpc",
        ids: IdCheck::PrefixOnly,
        not_found: ErrorText {
            code: "InvalidVpcID.NotFound",
            message: "The vpc ID '{id}' does not exist",
        },
        not_found_many: "The vpc IDs '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidVpcID.Malformed",
            message: INVALID_ID,
        },
        // Subnets, groups other than its own default group, instances (lianghong/delete_vpc#10).
        in_use: Some(ErrorText {
            code: "DependencyViolation",
            message: "The vpc '{id}' has dependencies and cannot be deleted.",
        }),
    };
    stored_in!(vpcs);
    /// Its DHCP options set (`default` is none).
    fn refs<'a>(&'a self, _: &View<'_>, pin: &mut dyn FnMut(&'a str)) {
        if self.dhcp_options_id != "default" {
            pin(&self.dhcp_options_id);
        }
    }
}
