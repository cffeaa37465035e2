//! CreateRoute, ReplaceRoute, DeleteRoute: one route per destination in a table, to
//! exactly one target.

use crate::context::Cx;
use crate::generated::types as w;
use crate::net::Cidr;
use crate::store::{
    Destination, EgressOnlyInternetGateway, Instance, InternetGateway, NatGateway,
    NetworkInterface, Route, RouteTable, RouteTarget, View,
};
use crate::Ec2Error;

/// The destination of Create/Replace/DeleteRoute: an IPv4 or IPv6 block or a prefix list.
fn destination(
    cidr: Option<&str>,
    cidr6: Option<&str>,
    prefix_list: Option<&str>,
) -> Result<Destination, Ec2Error> {
    match (cidr, cidr6, prefix_list) {
        (Some(c), None, None) => Cidr::parse(c).map(Destination::Cidr4).ok_or_else(|| {
            // ansible-collections/amazon.aws#477.
            Ec2Error::invalid_value("destinationCidrBlock", c, "This is not a valid CIDR block.")
        }),
        (None, Some(c), None) => {
            let ok = c.split_once('/').is_some_and(|(ip, len)| {
                ip.parse::<std::net::Ipv6Addr>().is_ok()
                    && len.parse::<u8>().is_ok_and(|l| l <= 128)
            });
            if !ok {
                return Err(Ec2Error::invalid_value(
                    "destinationIpv6CidrBlock",
                    c,
                    "This is not a valid IPv6 CIDR block.",
                ));
            }
            Ok(Destination::Cidr6(c.to_ascii_lowercase()))
        }
        (None, None, Some(p)) => {
            if !crate::store::is_well_formed(p, "pl") {
                return Err(Ec2Error::new(
                    "InvalidPrefixListId.Malformed",
                    format!("The prefix list ID '{p}' is malformed"),
                ));
            }
            Ok(Destination::PrefixList(p.to_string()))
        }
        // hashicorp/terraform#14564.
        (None, None, None) => Err(Ec2Error::new(
            "MissingParameter",
            "The request must contain the parameter destinationCidrBlock or destinationIpv6CidrBlock",
        )),
        _ => Err(Ec2Error::new(
            "InvalidParameterCombination",
            "Only one of destinationCidrBlock, destinationIpv6CidrBlock and destinationPrefixListId may be specified",
        )),
    }
}

fn describe_destination(d: &Destination) -> String {
    match d {
        Destination::Cidr4(c) => c.to_string(),
        Destination::Cidr6(c) | Destination::PrefixList(c) => c.clone(),
    }
}

/// The targets of a CreateRoute or ReplaceRoute input (the same members in both).
macro_rules! targets {
    ($input:expr, $local:expr) => {
        Targets {
            gateway: $input
                .gateway_id
                .as_deref()
                .or($input.vpc_endpoint_id.as_deref()),
            egress_only: $input.egress_only_internet_gateway_id.as_deref(),
            nat: $input.nat_gateway_id.as_deref(),
            interface: $input.network_interface_id.as_deref(),
            instance: $input.instance_id.as_deref(),
            peering: $input.vpc_peering_connection_id.as_deref(),
            transit: $input.transit_gateway_id.as_deref(),
            local: $local,
        }
    };
}

/// The targets a route may name, as the request gives them.
struct Targets<'a> {
    gateway: Option<&'a str>,
    egress_only: Option<&'a str>,
    nat: Option<&'a str>,
    interface: Option<&'a str>,
    instance: Option<&'a str>,
    peering: Option<&'a str>,
    transit: Option<&'a str>,
    local: bool,
}

/// Exactly one target, which must exist; an internet gateway must be attached to the
/// table's VPC ("belong to different networks", giantswarm/aws-operator#632).
fn target(view: &View<'_>, table: &RouteTable, t: Targets<'_>) -> Result<RouteTarget, Ec2Error> {
    let given = [
        t.gateway.is_some(),
        t.egress_only.is_some(),
        t.nat.is_some(),
        t.interface.is_some(),
        t.instance.is_some(),
        t.peering.is_some(),
        t.transit.is_some(),
        t.local,
    ]
    .iter()
    .filter(|g| **g)
    .count();
    if given != 1 {
        // Unverified wording.
        return Err(Ec2Error::new(
            if given == 0 { "MissingParameter" } else { "InvalidParameterCombination" },
            "The request must contain exactly one of gatewayId, egressOnlyInternetGatewayId, natGatewayId, networkInterfaceId, instanceId, vpcPeeringConnectionId, transitGatewayId",
        ));
    }
    // Kinds parlel-ec2 does not keep yet: no such resource exists (wording follows the
    // NotFound pattern of the kinds it keeps).
    let missing = |code: &str, noun: &str, id: &str| {
        Ec2Error::new(
            code.to_string(),
            format!("The {noun} ID '{id}' does not exist"),
        )
    };
    if t.local {
        return Ok(RouteTarget::Local);
    }
    if let Some(id) = t.gateway {
        if id == "local" {
            return Ok(RouteTarget::Local);
        }
        let igw: &InternetGateway = view.get(id)?;
        if igw.vpc_id.as_deref() != Some(table.vpc_id.as_str()) {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "route table {} and network gateway {} belong to different networks",
                table.id, igw.id
            )));
        }
        return Ok(RouteTarget::Gateway(igw.id.clone()));
    }
    if let Some(id) = t.instance {
        let i: &Instance = view.get(id)?;
        return Ok(RouteTarget::Instance(i.id.clone()));
    }
    if let Some(id) = t.interface {
        let n: &NetworkInterface = view.get(id)?;
        return Ok(RouteTarget::NetworkInterface(n.id.clone()));
    }
    if let Some(id) = t.nat {
        let n: &NatGateway = view.get(id)?;
        return Ok(RouteTarget::NatGateway(n.id.clone()));
    }
    if let Some(id) = t.egress_only {
        let g: &EgressOnlyInternetGateway = view.get(id)?;
        return Ok(RouteTarget::EgressOnlyGateway(g.id.clone()));
    }
    if let Some(id) = t.peering {
        return Err(missing(
            "InvalidVpcPeeringConnectionID.NotFound",
            "vpcPeeringConnection",
            id,
        ));
    }
    let id = t.transit.unwrap_or_default();
    Err(missing(
        "InvalidTransitGatewayID.NotFound",
        "transitGateway",
        id,
    ))
}

pub fn create_route(
    cx: &mut Cx<'_>,
    input: w::CreateRouteInput,
) -> Result<w::CreateRouteOutput, Ec2Error> {
    let view = cx.view();
    let table: &RouteTable = view.get(&input.route_table_id)?;
    let dest = destination(
        input.destination_cidr_block.as_deref(),
        input.destination_ipv6_cidr_block.as_deref(),
        input.destination_prefix_list_id.as_deref(),
    )?;
    let target = target(&view, table, targets!(input, false))?;
    if table.routes.iter().any(|r| r.destination == dest) {
        // clouddrove/terraform-aws-vpc-peering#10.
        return Err(Ec2Error::new(
            "RouteAlreadyExists",
            format!(
                "The route identified by {} already exists.",
                describe_destination(&dest)
            ),
        ));
    }
    let id = table.id.clone();
    if let Some(t) = cx.commit()?.route_tables.get_mut(&id) {
        t.routes.push(Route {
            destination: dest,
            target,
            origin: "CreateRoute",
        });
    }
    Ok(w::CreateRouteOutput {
        r#return: Some(true),
    })
}

pub fn replace_route(
    cx: &mut Cx<'_>,
    input: w::ReplaceRouteInput,
) -> Result<w::ReplaceRouteOutput, Ec2Error> {
    let view = cx.view();
    let table: &RouteTable = view.get(&input.route_table_id)?;
    let dest = destination(
        input.destination_cidr_block.as_deref(),
        input.destination_ipv6_cidr_block.as_deref(),
        input.destination_prefix_list_id.as_deref(),
    )?;
    let Some(index) = table.routes.iter().position(|r| r.destination == dest) else {
        // Unverified wording.
        return Err(Ec2Error::invalid_parameter_value(format!(
            "There is no route defined for '{}' in the route table. Use CreateRoute instead.",
            describe_destination(&dest)
        )));
    };
    let target = target(
        &view,
        table,
        targets!(input, input.local_target == Some(true)),
    )?;
    let id = table.id.clone();
    if let Some(t) = cx.commit()?.route_tables.get_mut(&id) {
        t.routes[index].target = target;
    }
    Ok(w::ReplaceRouteOutput {})
}

/// The `local` route stays; a destination with no route is `InvalidRoute.NotFound`.
pub fn delete_route(
    cx: &mut Cx<'_>,
    input: w::DeleteRouteInput,
) -> Result<w::DeleteRouteOutput, Ec2Error> {
    let view = cx.view();
    let table: &RouteTable = view.get(&input.route_table_id)?;
    let dest = destination(
        input.destination_cidr_block.as_deref(),
        input.destination_ipv6_cidr_block.as_deref(),
        input.destination_prefix_list_id.as_deref(),
    )?;
    let shown = describe_destination(&dest);
    let Some(index) = table.routes.iter().position(|r| r.destination == dest) else {
        // Unverified wording.
        return Err(Ec2Error::new(
            "InvalidRoute.NotFound",
            format!(
                "no route with destination-cidr-block {shown} in route table {}",
                table.id
            ),
        ));
    };
    if table.routes[index].target == RouteTarget::Local {
        // Unverified wording.
        return Err(Ec2Error::invalid_parameter_value(format!(
            "cannot remove local route {shown} in route table {}",
            table.id
        )));
    }
    let id = table.id.clone();
    if let Some(t) = cx.commit()?.route_tables.get_mut(&id) {
        t.routes.remove(index);
    }
    Ok(w::DeleteRouteOutput {})
}
