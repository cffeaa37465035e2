use crate::net::Cidr;
use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, RegionState, Resource, Tags, View};

/// A route table of a VPC: its routes and its associations (subnets, gateways, and for
/// the VPC's main table the main association).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RouteTable {
    pub id: String,
    pub vpc_id: String,
    pub routes: Vec<Route>,
    pub associations: Vec<RouteTableAssociation>,
    pub tags: Tags,
}

impl RouteTable {
    pub fn is_main(&self) -> bool {
        self.associations
            .iter()
            .any(|a| a.target == AssociationTarget::Main)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Destination {
    Cidr4(Cidr),
    Cidr6(String),
    PrefixList(String),
}

/// Where a route sends traffic: `local` (the VPC itself) or one resource.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RouteTarget {
    Local,
    /// An internet gateway (`igw-`), virtual private gateway (`vgw-`) or gateway
    /// endpoint (`vpce-`): EC2 reports all of them as `gatewayId`.
    Gateway(String),
    EgressOnlyGateway(String),
    NatGateway(String),
    NetworkInterface(String),
    Instance(String),
    VpcPeering(String),
    TransitGateway(String),
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Route {
    pub destination: Destination,
    pub target: RouteTarget,
    /// `CreateRouteTable` for the local route, `CreateRoute` for the rest.
    #[serde(deserialize_with = "crate::snapshot::interned")]
    pub origin: super::StaticStr,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AssociationTarget {
    Main,
    Subnet(String),
    Gateway(String),
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RouteTableAssociation {
    /// `rtbassoc-…`.
    pub id: String,
    pub target: AssociationTarget,
}

impl Resource for RouteTable {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "rtb",
        resource_type: "route-table",
        ids: IdCheck::Strict,
        not_found: ErrorText {
            code: "InvalidRouteTableID.NotFound",
            message: "The routeTable ID '{id}' does not exist",
        },
        not_found_many: "The routeTable IDs '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidRouteTableId.Malformed",
            message: "Invalid id: \"{id}\" (expecting \"rtb-...\")",
        },
        // While associated (DeleteRouteTable API reference: "You must disassociate the
        // route table from any subnets before you can delete it").
        in_use: Some(ErrorText {
            code: "DependencyViolation",
            message: "The routeTable '{id}' has dependencies and cannot be deleted.",
        }),
    };
    stored_in!(route_tables);
    /// Its VPC, and the prefix lists its routes send somewhere.
    fn refs<'a>(&'a self, _: &View<'_>, pin: &mut dyn FnMut(&'a str)) {
        pin(&self.vpc_id);
        for r in &self.routes {
            if let Destination::PrefixList(p) = &r.destination {
                pin(p);
            }
        }
    }
    /// The main route table goes with its VPC.
    fn owner(&self) -> Option<&str> {
        self.is_main().then_some(self.vpc_id.as_str())
    }
}

impl RegionState {
    /// The table a subnet routes by: its explicit association, else its VPC's main table.
    pub fn route_table_of_subnet(&self, subnet_id: &str, vpc_id: &str) -> Option<&RouteTable> {
        let explicit = AssociationTarget::Subnet(subnet_id.to_string());
        let tables = || self.route_tables.values().filter(|t| t.vpc_id == vpc_id);
        tables()
            .find(|t| t.associations.iter().any(|a| a.target == explicit))
            .or_else(|| tables().find(|t| t.is_main()))
    }
}
