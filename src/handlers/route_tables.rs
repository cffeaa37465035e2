//! Route tables: CreateRouteTable, DeleteRouteTable, DescribeRouteTables, and their
//! associations (AssociateRouteTable, DisassociateRouteTable,
//! ReplaceRouteTableAssociation). Routes themselves are in `routes.rs`.
//!
//! Every VPC has a main route table (created with it, gone with it); a subnet without an
//! explicit association routes by it (VPC User Guide, "Route tables").

use super::common::{tag_specifications, tags_for, wire_tags};
use super::filters::ROUTE_TABLE_FILTERS;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::store::{
    new_id, AssociationTarget, Destination, InternetGateway, RegionState, Resource, RouteTable,
    RouteTableAssociation, RouteTarget, Subnet, View, Vpc,
};
use crate::Ec2Error;

pub fn create_route_table(
    cx: &mut Cx<'_>,
    input: w::CreateRouteTableInput,
) -> Result<w::CreateRouteTableOutput, Ec2Error> {
    let view = cx.view();
    let vpc: &Vpc = view.get(&input.vpc_id)?;
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[RouteTable::INFO.resource_type],
    )?;
    // ClientToken: the same token answers with the same table (EC2 User Guide,
    // "Ensure idempotency"); another VPC with a used token is a mismatch.
    if let Some(token) = &input.client_token {
        if let Some(t) = view.state.route_tables.get(
            view.state
                .token("CreateRouteTable", token)
                .unwrap_or_default(),
        ) {
            if t.vpc_id != vpc.id {
                return Err(Ec2Error::new(
                    "IdempotentParameterMismatch",
                    "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).",
                ));
            }
            let out = table_to_wire(&view, t);
            cx.commit()?;
            return Ok(w::CreateRouteTableOutput {
                route_table: Some(out),
                client_token: Some(token.clone()),
            });
        }
    }
    let (vpc_id, cidr) = (vpc.id.clone(), vpc.cidr);
    let state = cx.commit()?;
    let table = RouteTable {
        tags: tags_for::<RouteTable>(&tags),
        ..state.new_route_table(&vpc_id, cidr)
    };
    let id = table.id.clone();
    state.route_tables.insert(id.clone(), table);
    if let Some(token) = &input.client_token {
        state.set_token("CreateRouteTable", token, &id);
    }
    let view = cx.view();
    Ok(w::CreateRouteTableOutput {
        route_table: Some(table_to_wire(&view, &view.state.route_tables[&id])),
        client_token: input.client_token,
    })
}

/// The main table goes only with its VPC; a table with subnet or gateway associations
/// is in use (the kind's DependencyViolation; DeleteRouteTable API reference).
pub fn delete_route_table(
    cx: &mut Cx<'_>,
    input: w::DeleteRouteTableInput,
) -> Result<w::DeleteRouteTableOutput, Ec2Error> {
    let view = cx.view();
    let table: &RouteTable = view.get(&input.route_table_id)?;
    if !table.associations.is_empty() {
        return Err(RouteTable::INFO
            .in_use
            .as_ref()
            .expect("declared")
            .error(&table.id));
    }
    let removed = view.deletable::<RouteTable>(&table.id)?;
    cx.commit()?.remove_all(&removed);
    Ok(w::DeleteRouteTableOutput {})
}

pub fn describe_route_tables(
    cx: &mut Cx<'_>,
    input: w::DescribeRouteTablesInput,
) -> Result<w::DescribeRouteTablesOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), ROUTE_TABLE_FILTERS)?;
    let ids = input.route_table_ids.clone().unwrap_or_default();
    let view = cx.view();
    let (tables, next_token) = view.filtered(&input, &ids, &filters)?;
    Ok(w::DescribeRouteTablesOutput {
        route_tables: Some(
            tables
                .into_iter()
                .map(|t| table_to_wire(&view, t))
                .collect(),
        ),
        next_token,
    })
}

/// A subnet (or a gateway, for ingress routing) gets one explicit table: a second
/// association is `Resource.AlreadyAssociated`; the subnet must be in the table's VPC.
pub fn associate_route_table(
    cx: &mut Cx<'_>,
    input: w::AssociateRouteTableInput,
) -> Result<w::AssociateRouteTableOutput, Ec2Error> {
    let view = cx.view();
    let table: &RouteTable = view.get(&input.route_table_id)?;
    let target = match (&input.subnet_id, &input.gateway_id) {
        (Some(_), Some(_)) => {
            return Err(Ec2Error::new(
                "InvalidParameterCombination",
                "The parameter subnetId cannot be used with the parameter gatewayId",
            ))
        }
        (Some(id), None) => {
            let subnet: &Subnet = view.get(id)?;
            if subnet.vpc_id != table.vpc_id {
                // The "belong to different networks" wording EC2 uses for routes
                // (giantswarm/aws-operator#632), for a subnet.
                return Err(Ec2Error::invalid_parameter_value(format!(
                    "Route table {} and subnet {} belong to different networks",
                    table.id, subnet.id
                )));
            }
            AssociationTarget::Subnet(subnet.id.clone())
        }
        (None, Some(id)) => {
            let igw: &InternetGateway = view.get(id)?;
            if igw.vpc_id.as_deref() != Some(table.vpc_id.as_str()) {
                return Err(Ec2Error::invalid_parameter_value(format!(
                    "route table {} and network gateway {} belong to different networks",
                    table.id, igw.id
                )));
            }
            AssociationTarget::Gateway(igw.id.clone())
        }
        (None, None) => {
            return Err(Ec2Error::new(
                "MissingParameter",
                "The request must contain the parameter subnetId or gatewayId",
            ))
        }
    };
    if view
        .state
        .route_tables
        .values()
        .any(|t| t.associations.iter().any(|a| a.target == target))
    {
        // Unverified wording.
        return Err(Ec2Error::new(
            "Resource.AlreadyAssociated",
            format!(
                "the specified association for route table {} conflicts with an existing association",
                table.id
            ),
        ));
    }
    let table_id = table.id.clone();
    let state = cx.commit()?;
    let id = new_id("rtbassoc");
    if let Some(t) = state.route_tables.get_mut(&table_id) {
        t.associations.push(RouteTableAssociation {
            id: id.clone(),
            target,
        });
    }
    Ok(w::AssociateRouteTableOutput {
        association_id: Some(id),
        association_state: Some(associated()),
    })
}

/// The main association cannot be removed, only moved (ReplaceRouteTableAssociation).
pub fn disassociate_route_table(
    cx: &mut Cx<'_>,
    input: w::DisassociateRouteTableInput,
) -> Result<w::DisassociateRouteTableOutput, Ec2Error> {
    let (table_id, target) = find_association(cx.state(), &input.association_id)?;
    if target == AssociationTarget::Main {
        // Unverified wording.
        return Err(Ec2Error::invalid_parameter_value(format!(
            "cannot disassociate the main route table association {}",
            input.association_id
        )));
    }
    if let Some(t) = cx.commit()?.route_tables.get_mut(&table_id) {
        t.associations.retain(|a| a.id != input.association_id);
    }
    Ok(w::DisassociateRouteTableOutput {})
}

/// Moves an association (a subnet's, or the VPC's main one) to another table of the
/// same VPC; the association gets a new id.
pub fn replace_route_table_association(
    cx: &mut Cx<'_>,
    input: w::ReplaceRouteTableAssociationInput,
) -> Result<w::ReplaceRouteTableAssociationOutput, Ec2Error> {
    let (old_table, target) = find_association(cx.state(), &input.association_id)?;
    let view = cx.view();
    let table: &RouteTable = view.get(&input.route_table_id)?;
    if table.vpc_id != view.state.route_tables[&old_table].vpc_id {
        return Err(Ec2Error::invalid_parameter_value(format!(
            "Route table {} and association {} belong to different networks",
            table.id, input.association_id
        )));
    }
    let new_table = table.id.clone();
    let state = cx.commit()?;
    if let Some(t) = state.route_tables.get_mut(&old_table) {
        t.associations.retain(|a| a.id != input.association_id);
    }
    let id = new_id("rtbassoc");
    if let Some(t) = state.route_tables.get_mut(&new_table) {
        t.associations.push(RouteTableAssociation {
            id: id.clone(),
            target,
        });
    }
    Ok(w::ReplaceRouteTableAssociationOutput {
        new_association_id: Some(id),
        association_state: Some(associated()),
    })
}

/// The table holding an association, and what it associates.
fn find_association(s: &RegionState, id: &str) -> Result<(String, AssociationTarget), Ec2Error> {
    if !crate::store::is_well_formed(id, "rtbassoc") {
        return Err(Ec2Error::new(
            "InvalidAssociationID.Malformed",
            format!("Invalid id: \"{id}\" (expecting \"rtbassoc-...\")"),
        ));
    }
    s.route_tables
        .values()
        .find_map(|t| {
            t.associations
                .iter()
                .find(|a| a.id == id)
                .map(|a| (t.id.clone(), a.target.clone()))
        })
        .ok_or_else(|| {
            Ec2Error::new(
                "InvalidAssociationID.NotFound",
                format!("The association ID '{id}' does not exist"),
            )
        })
}

fn associated() -> w::RouteTableAssociationState {
    w::RouteTableAssociationState {
        state: Some(w::RouteTableAssociationStateCode::Associated),
        status_message: None,
    }
}

/// Whether a route's target still carries traffic: `blackhole` once the gateway is
/// detached or gone, the instance terminated, the interface deleted (VPC User Guide,
/// "Route table concepts").
pub(super) fn route_active(view: &View<'_>, vpc_id: &str, target: &RouteTarget) -> bool {
    match target {
        RouteTarget::Local => true,
        RouteTarget::Gateway(id) if id.starts_with("igw-") => view
            .find::<InternetGateway>(id)
            .is_some_and(|g| g.vpc_id.as_deref() == Some(vpc_id)),
        RouteTarget::Instance(id) => view
            .find::<crate::store::Instance>(id)
            .is_some_and(|i| i.state(view.now) != crate::store::InstanceState::Terminated),
        RouteTarget::NetworkInterface(id) => {
            view.find::<crate::store::NetworkInterface>(id).is_some()
        }
        RouteTarget::NatGateway(id) => view
            .find::<crate::store::NatGateway>(id)
            .is_some_and(|n| n.state(view.now) == "available"),
        // Kinds parlel-ec2 does not keep (peering, transit gateways) cannot be targets.
        _ => true,
    }
}

pub(super) fn table_to_wire(view: &View<'_>, t: &RouteTable) -> w::RouteTable {
    let routes = t
        .routes
        .iter()
        .map(|r| {
            let mut out = w::Route {
                origin: Some(w::RouteOrigin::from(r.origin)),
                state: Some(if route_active(view, &t.vpc_id, &r.target) {
                    w::RouteState::Active
                } else {
                    w::RouteState::Blackhole
                }),
                ..Default::default()
            };
            match &r.destination {
                Destination::Cidr4(c) => out.destination_cidr_block = Some(c.to_string()),
                Destination::Cidr6(c) => out.destination_ipv6_cidr_block = Some(c.clone()),
                Destination::PrefixList(p) => out.destination_prefix_list_id = Some(p.clone()),
            }
            match &r.target {
                RouteTarget::Local => out.gateway_id = Some("local".into()),
                RouteTarget::Gateway(g) => out.gateway_id = Some(g.clone()),
                RouteTarget::EgressOnlyGateway(g) => {
                    out.egress_only_internet_gateway_id = Some(g.clone())
                }
                RouteTarget::NatGateway(n) => out.nat_gateway_id = Some(n.clone()),
                RouteTarget::NetworkInterface(n) => out.network_interface_id = Some(n.clone()),
                RouteTarget::Instance(i) => {
                    out.instance_id = Some(i.clone());
                    out.instance_owner_id = Some(view.state.account.clone());
                    out.network_interface_id = view
                        .find::<crate::store::Instance>(i)
                        .map(|x| x.eni_id.clone());
                }
                RouteTarget::VpcPeering(p) => out.vpc_peering_connection_id = Some(p.clone()),
                RouteTarget::TransitGateway(g) => out.transit_gateway_id = Some(g.clone()),
            }
            out
        })
        .collect();
    let associations = t
        .associations
        .iter()
        .map(|a| {
            let mut out = w::RouteTableAssociation {
                main: Some(a.target == AssociationTarget::Main),
                route_table_association_id: Some(a.id.clone()),
                route_table_id: Some(t.id.clone()),
                association_state: Some(associated()),
                ..Default::default()
            };
            match &a.target {
                AssociationTarget::Main => {}
                AssociationTarget::Subnet(s) => out.subnet_id = Some(s.clone()),
                AssociationTarget::Gateway(g) => out.gateway_id = Some(g.clone()),
            }
            out
        })
        .collect();
    w::RouteTable {
        rendered: None,
        associations: Some(associations),
        propagating_vgws: Some(vec![]),
        route_table_id: Some(t.id.clone()),
        routes: Some(routes),
        tags: Some(wire_tags(&t.tags)),
        vpc_id: Some(t.vpc_id.clone()),
        owner_id: Some(view.state.account.clone()),
    }
}
