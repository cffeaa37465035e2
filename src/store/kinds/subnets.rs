use super::AssociationTarget;
use crate::net::Cidr;
use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, RegionState, Resource, Tags, View};
use std::collections::BTreeSet;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Subnet {
    pub id: String,
    pub vpc_id: String,
    pub cidr: Cidr,
    pub az: String,
    pub az_id: String,
    pub default_for_az: bool,
    pub map_public_ip_on_launch: bool,
    // ModifySubnetAttribute's settings, as DescribeSubnets shows them.
    pub assign_ipv6_address_on_creation: bool,
    pub enable_dns64: bool,
    /// `ip-name` or `resource-name` (PrivateDnsHostnameTypeOnLaunch).
    #[serde(deserialize_with = "crate::snapshot::interned")]
    pub hostname_type: super::StaticStr,
    pub enable_resource_name_dns_a_record: bool,
    pub enable_resource_name_dns_aaaa_record: bool,
    /// An IPv6 /64 from the VPC's /56 (AssociateSubnetCidrBlock).
    pub ipv6: Option<crate::store::Ipv6Block>,
    /// Private addresses in use by instances and interfaces.
    pub used: BTreeSet<u32>,
    /// Where the next address search starts, so allocation is O(1) amortised.
    pub next_hint: u32,
    /// Blocks of explicit CIDR reservations: never handed out automatically (an index of
    /// `subnet_cidr_reservations`, kept by Create/DeleteSubnetCidrReservation).
    pub reserved: Vec<Cidr>,
    pub tags: Tags,
}

impl Subnet {
    pub fn available_ip_count(&self) -> i32 {
        self.cidr.usable() as i32 - self.used.len() as i32
    }

    /// Takes the lowest free address at or after the hint, wrapping once.
    pub fn allocate_ip(&mut self) -> Option<u32> {
        let (first, last) = (self.cidr.first_usable(), self.cidr.last_usable());
        if self.used.len() as u32 >= self.cidr.usable() {
            return None;
        }
        let start = self.next_hint.clamp(first, last);
        let reserved = &self.reserved;
        let ip = (start..=last)
            .chain(first..start)
            .find(|ip| !self.used.contains(ip) && !reserved.iter().any(|r| r.contains_ip(*ip)))?;
        self.used.insert(ip);
        self.next_hint = ip + 1;
        Some(ip)
    }

    pub fn release_ip(&mut self, ip: u32) {
        self.used.remove(&ip);
    }
}

impl Resource for Subnet {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "subnet",
        resource_type: "subnet",
        ids: IdCheck::PrefixOnly,
        not_found: ErrorText {
            code: "InvalidSubnetID.NotFound",
            message: "The subnet ID '{id}' does not exist",
        },
        not_found_many: "The subnet IDs '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidSubnetID.Malformed",
            message: "The subnet ID '{id}' is malformed",
        },
        in_use: Some(ErrorText {
            code: "DependencyViolation",
            message: "The subnet '{id}' has dependencies and cannot be deleted.",
        }),
    };
    stored_in!(subnets);
    fn refs<'a>(&'a self, _: &View<'_>, pin: &mut dyn FnMut(&'a str)) {
        pin(&self.vpc_id);
    }
    /// A deleted subnet's route table and network ACL associations go with it.
    fn removed(self, s: &mut RegionState) {
        for acl in s.network_acls.values_mut() {
            acl.associations.retain(|(_, subnet)| *subnet != self.id);
        }
        let mine = AssociationTarget::Subnet(self.id);
        for t in s.route_tables.values_mut() {
            t.associations.retain(|a| a.target != mine);
        }
    }
}

impl Subnet {
    /// A subnet as CreateSubnet makes it: every setting off.
    pub fn new(id: String, vpc_id: String, cidr: Cidr, az: String, az_id: String) -> Subnet {
        Subnet {
            id,
            vpc_id,
            cidr,
            az,
            az_id,
            default_for_az: false,
            map_public_ip_on_launch: false,
            assign_ipv6_address_on_creation: false,
            enable_dns64: false,
            hostname_type: "ip-name",
            enable_resource_name_dns_a_record: false,
            enable_resource_name_dns_aaaa_record: false,
            ipv6: None,
            used: Default::default(),
            next_hint: 0,
            reserved: Vec::new(),
            tags: Tags::new(),
        }
    }
}
