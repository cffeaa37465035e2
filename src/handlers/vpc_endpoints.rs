//! VPC endpoints: CreateVpcEndpoint, DescribeVpcEndpoints, ModifyVpcEndpoint,
//! DeleteVpcEndpoints (the services are in `endpoint_services.rs`). A Gateway endpoint (S3, DynamoDB)
//! adds a route to the service's prefix list in each of its route tables; an Interface
//! endpoint has a network interface in each of its subnets.

use super::common::{tag_specifications, tags_for, wire_tags};
use super::filters::VPC_ENDPOINT_FILTERS;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::services::{self, GATEWAY_SERVICES, INTERFACE_SERVICES};
use crate::store::{
    new_id, Destination, NetworkInterface, RegionState, Resource, Route, RouteTable, RouteTarget,
    SecurityGroup, Subnet, View, Vpc, VpcEndpoint,
};
use crate::Ec2Error;

/// The policy an endpoint gets when none is given: full access.
const FULL_ACCESS: &str = r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;

/// The checks both Create and Modify make on what an endpoint is attached to.
fn check_route_tables(view: &View<'_>, vpc_id: &str, ids: &[String]) -> Result<(), Ec2Error> {
    view.require_all::<RouteTable>(ids)?;
    for id in ids {
        if view.state.route_tables[id].vpc_id != vpc_id {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "Route table {id} does not belong to vpc {vpc_id}"
            )));
        }
    }
    Ok(())
}

fn check_subnets(view: &View<'_>, vpc_id: &str, ids: &[String]) -> Result<(), Ec2Error> {
    view.require_all::<Subnet>(ids)?;
    let mut zones: Vec<&str> = Vec::new();
    for id in ids {
        let s = &view.state.subnets[id];
        if s.vpc_id != vpc_id {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "Subnet {id} does not belong to vpc {vpc_id}"
            )));
        }
        if zones.contains(&s.az.as_str()) {
            // One subnet per zone (CreateVpcEndpoint API reference).
            return Err(Ec2Error::new(
                "DuplicateSubnetsInSameZone",
                format!("Found another VPC endpoint subnet in the availability zone of {id}. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service."),
            ));
        }
        zones.push(&s.az);
        if s.available_ip_count() < 1 {
            return Err(Ec2Error::new(
                "InsufficientFreeAddressesInSubnet",
                format!("There are not enough free addresses in subnet '{id}' to satisfy the requested number of instances."),
            ));
        }
    }
    Ok(())
}

fn gateway_route(endpoint: &str, prefix_list: &str) -> Route {
    Route {
        destination: Destination::PrefixList(prefix_list.to_string()),
        target: RouteTarget::Gateway(endpoint.to_string()),
        origin: "CreateRoute",
    }
}

/// Adds the endpoint's interface in a subnet, with an address from it.
fn add_interface(
    state: &mut RegionState,
    endpoint: &str,
    subnet_id: &str,
    groups: &[String],
) -> Option<String> {
    let sub = state.subnets.get_mut(subnet_id)?;
    let ip = sub.allocate_ip()?;
    let eni = NetworkInterface {
        id: new_id("eni"),
        subnet_id: subnet_id.into(),
        vpc_id: sub.vpc_id.as_str().into(),
        description: format!("VPC Endpoint Interface {endpoint}"),
        private_ip: ip,
        secondary_ips: Vec::new(),
        ipv6_addresses: Vec::new(),
        mac: crate::store::MacAddr::random(),
        groups: groups.to_vec(),
        source_dest_check: true,
        attachment: None,
        tags: Default::default(),
    };
    let id = eni.id.clone();
    state.network_interfaces.insert(id.clone(), eni);
    Some(id)
}

fn remove_interface(state: &mut RegionState, eni: &str) {
    if let Some(n) = state.network_interfaces.remove(eni) {
        if let Some(s) = state.subnets.get_mut(&n.subnet_id) {
            s.release_ip(n.private_ip);
        }
    }
}

pub fn create_vpc_endpoint(
    cx: &mut Cx<'_>,
    input: w::CreateVpcEndpointInput,
) -> Result<w::CreateVpcEndpointOutput, Ec2Error> {
    let view = cx.view();
    let vpc: &Vpc = view.get(&input.vpc_id)?;
    let region = view.state.region.clone();
    let Some(name) = input.service_name.clone() else {
        return Err(Ec2Error::missing_parameter("serviceName"));
    };
    let gateway = match input.vpc_endpoint_type.as_ref().map(|t| t.as_str()) {
        None | Some("Gateway") => true,
        Some("Interface") => false,
        Some(other) => {
            return Err(Ec2Error::new(
                "UnsupportedOperation",
                format!("Endpoints of type {other} are not supported by parlel-ec2."),
            ))
        }
    };
    let short = services::short_name(&region, &name);
    let offered = short.is_some_and(|s| {
        if gateway {
            GATEWAY_SERVICES.contains(&s)
        } else {
            INTERFACE_SERVICES.contains(&s)
        }
    });
    if !offered {
        // Unverified wording.
        return Err(Ec2Error::new(
            "InvalidServiceName",
            format!("The Vpc Endpoint Service '{name}' does not exist"),
        ));
    }
    let route_tables = input.route_table_ids.clone().unwrap_or_default();
    let subnets = input.subnet_ids.clone().unwrap_or_default();
    let mut groups = input.security_group_ids.clone().unwrap_or_default();
    if gateway {
        check_route_tables(&view, &vpc.id, &route_tables)?;
        if !subnets.is_empty() || !groups.is_empty() {
            return Err(Ec2Error::invalid_parameter_value(
                "Gateway endpoints take route tables, not subnets or security groups",
            ));
        }
    } else {
        check_subnets(&view, &vpc.id, &subnets)?;
        view.require_all::<SecurityGroup>(&groups)?;
        if groups.is_empty() {
            if let Some(g) = view.state.group_by_name(&vpc.id, "default") {
                groups.push(g.id.clone());
            }
        }
    }
    let policy = input
        .policy_document
        .clone()
        .unwrap_or_else(|| FULL_ACCESS.to_string());
    if serde_json::from_str::<serde_json::Value>(&policy).is_err() {
        return Err(Ec2Error::invalid_parameter_value(
            "The policy document is not valid JSON",
        ));
    }
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[VpcEndpoint::INFO.resource_type],
    )?;
    if let Some(existing) = input
        .client_token
        .as_deref()
        .and_then(|t| view.state.token("CreateVpcEndpoint", t))
        .and_then(|id| view.state.vpc_endpoints.get(id))
    {
        let out = endpoint_to_wire(&view, existing);
        cx.commit()?;
        return Ok(w::CreateVpcEndpointOutput {
            vpc_endpoint: Some(out),
            client_token: input.client_token,
        });
    }
    let prefix_list = services::managed_prefix_list_id(&region, short.unwrap_or_default());
    let vpc_id = vpc.id.clone();
    let now = cx.now;
    let state = cx.commit()?;
    let id = new_id("vpce");
    let mut enis = Vec::new();
    if gateway {
        for t in &route_tables {
            if let Some(t) = state.route_tables.get_mut(t) {
                t.routes.push(gateway_route(&id, &prefix_list));
            }
        }
    } else {
        for s in &subnets {
            enis.extend(add_interface(state, &id, s, &groups));
        }
    }
    let endpoint = VpcEndpoint {
        id: id.clone(),
        vpc_id,
        service_name: name,
        gateway,
        policy,
        route_table_ids: if gateway { route_tables } else { Vec::new() },
        subnet_ids: subnets,
        network_interface_ids: enis,
        groups,
        private_dns_enabled: !gateway && input.private_dns_enabled != Some(false),
        create_time: now,
        tags: tags_for::<VpcEndpoint>(&tags),
    };
    state.vpc_endpoints.insert(id.clone(), endpoint);
    if let Some(t) = &input.client_token {
        state.set_token("CreateVpcEndpoint", t, &id);
    }
    let view = cx.view();
    let mut out = endpoint_to_wire(&view, &view.state.vpc_endpoints[&id]);
    if !gateway {
        out.state = Some(w::State::from("pending"));
    }
    Ok(w::CreateVpcEndpointOutput {
        vpc_endpoint: Some(out),
        client_token: input.client_token,
    })
}

pub fn describe_vpc_endpoints(
    cx: &mut Cx<'_>,
    input: w::DescribeVpcEndpointsInput,
) -> Result<w::DescribeVpcEndpointsOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), VPC_ENDPOINT_FILTERS)?;
    let ids = input.vpc_endpoint_ids.clone().unwrap_or_default();
    let view = cx.view();
    let (eps, next_token) = view.filtered(&input, &ids, &filters)?;
    Ok(w::DescribeVpcEndpointsOutput {
        vpc_endpoints: Some(
            eps.into_iter()
                .map(|e| endpoint_to_wire(&view, e))
                .collect(),
        ),
        next_token,
    })
}

/// Route tables, subnets and groups added and removed; the policy replaced or reset.
pub fn modify_vpc_endpoint(
    cx: &mut Cx<'_>,
    input: w::ModifyVpcEndpointInput,
) -> Result<w::ModifyVpcEndpointOutput, Ec2Error> {
    let view = cx.view();
    let ep: &VpcEndpoint = view.get(&input.vpc_endpoint_id)?;
    let add_rt = input.add_route_table_ids.clone().unwrap_or_default();
    let remove_rt = input.remove_route_table_ids.clone().unwrap_or_default();
    let add_sn = input.add_subnet_ids.clone().unwrap_or_default();
    let remove_sn = input.remove_subnet_ids.clone().unwrap_or_default();
    let add_sg = input.add_security_group_ids.clone().unwrap_or_default();
    let remove_sg = input.remove_security_group_ids.clone().unwrap_or_default();
    if ep.gateway
        && !(add_sn.is_empty() && remove_sn.is_empty() && add_sg.is_empty() && remove_sg.is_empty())
    {
        return Err(Ec2Error::invalid_parameter_value(
            "Gateway endpoints take route tables, not subnets or security groups",
        ));
    }
    let touches_tables = !(add_rt.is_empty() && remove_rt.is_empty());
    if !ep.gateway && touches_tables {
        return Err(Ec2Error::invalid_parameter_value(
            "Interface endpoints take subnets and security groups, not route tables",
        ));
    }
    check_route_tables(&view, &ep.vpc_id, &add_rt)?;
    let new_subnets: Vec<String> = add_sn
        .iter()
        .filter(|s| !ep.subnet_ids.contains(s))
        .cloned()
        .collect();
    let mut all_subnets: Vec<String> = ep
        .subnet_ids
        .iter()
        .filter(|s| !remove_sn.contains(s))
        .cloned()
        .collect();
    all_subnets.extend(new_subnets.iter().cloned());
    check_subnets(&view, &ep.vpc_id, &all_subnets)?;
    view.require_all::<SecurityGroup>(&add_sg)?;
    if let Some(p) = &input.policy_document {
        if serde_json::from_str::<serde_json::Value>(p).is_err() {
            return Err(Ec2Error::invalid_parameter_value(
                "The policy document is not valid JSON",
            ));
        }
    }
    let id = ep.id.clone();
    let region = view.state.region.clone();
    let prefix_list = services::short_name(&region, &ep.service_name)
        .map(|s| services::managed_prefix_list_id(&region, s))
        .unwrap_or_default();
    let state = cx.commit()?;
    let mut ep = state.vpc_endpoints.remove(&id).expect("checked above");
    for t in &remove_rt {
        if let Some(t) = state.route_tables.get_mut(t) {
            t.routes
                .retain(|r| r.target != RouteTarget::Gateway(id.clone()));
        }
    }
    ep.route_table_ids.retain(|t| !remove_rt.contains(t));
    let added: Vec<String> = add_rt
        .iter()
        .filter(|t| !ep.route_table_ids.contains(t))
        .cloned()
        .collect();
    for t in &added {
        if let Some(tab) = state.route_tables.get_mut(t) {
            tab.routes.push(gateway_route(&id, &prefix_list));
        }
        ep.route_table_ids.push(t.clone());
    }
    ep.groups.retain(|g| !remove_sg.contains(g));
    for g in add_sg {
        if !ep.groups.contains(&g) {
            ep.groups.push(g);
        }
    }
    let kept: Vec<String> = ep
        .network_interface_ids
        .iter()
        .filter(|e| {
            state
                .network_interfaces
                .get(e)
                .is_some_and(|n| !remove_sn.iter().any(|s| **s == *n.subnet_id))
        })
        .cloned()
        .collect();
    for e in ep.network_interface_ids.clone() {
        if !kept.contains(&e) {
            remove_interface(state, &e);
        }
    }
    ep.network_interface_ids = kept;
    for s in &new_subnets {
        let groups = ep.groups.clone();
        ep.network_interface_ids
            .extend(add_interface(state, &id, s, &groups));
    }
    ep.subnet_ids = all_subnets;
    for e in &ep.network_interface_ids {
        if let Some(n) = state.network_interfaces.get_mut(e) {
            n.groups = ep.groups.clone();
        }
    }
    if input.reset_policy == Some(true) {
        ep.policy = FULL_ACCESS.to_string();
    } else if let Some(p) = input.policy_document {
        ep.policy = p;
    }
    if let Some(d) = input.private_dns_enabled {
        ep.private_dns_enabled = d && !ep.gateway;
    }
    state.vpc_endpoints.insert(id, ep);
    Ok(w::ModifyVpcEndpointOutput {
        r#return: Some(true),
    })
}

/// Endpoints that are not there are listed as unsuccessful, not an error (DeleteVpcEndpoints
/// API reference); the others go with their routes and interfaces.
pub fn delete_vpc_endpoints(
    cx: &mut Cx<'_>,
    input: w::DeleteVpcEndpointsInput,
) -> Result<w::DeleteVpcEndpointsOutput, Ec2Error> {
    let view = cx.view();
    let mut unsuccessful = Vec::new();
    let mut found = Vec::new();
    for id in &input.vpc_endpoint_ids {
        match view.get::<VpcEndpoint>(id) {
            Ok(e) => found.push(e.id.clone()),
            Err(e) => unsuccessful.push(w::UnsuccessfulItem {
                error: Some(w::UnsuccessfulItemError {
                    code: Some(e.code.to_string()),
                    message: Some(e.message),
                }),
                resource_id: Some(id.clone()),
            }),
        }
    }
    let state = cx.commit()?;
    for id in found {
        let Some(ep) = state.vpc_endpoints.remove(&id) else {
            continue;
        };
        for t in state.route_tables.values_mut() {
            t.routes
                .retain(|r| r.target != RouteTarget::Gateway(id.clone()));
        }
        for e in &ep.network_interface_ids {
            remove_interface(state, e);
        }
    }
    Ok(w::DeleteVpcEndpointsOutput {
        unsuccessful: Some(unsuccessful),
    })
}

fn endpoint_to_wire(view: &View<'_>, e: &VpcEndpoint) -> w::VpcEndpoint {
    let region = &view.state.region;
    let short = e.service_name.rsplit('.').next().unwrap_or_default();
    w::VpcEndpoint {
        vpc_endpoint_id: Some(e.id.clone()),
        vpc_endpoint_type: Some(w::VpcEndpointType::from(if e.gateway {
            "Gateway"
        } else {
            "Interface"
        })),
        vpc_id: Some(e.vpc_id.clone()),
        service_name: Some(e.service_name.clone()),
        state: Some(w::State::from("available")),
        policy_document: Some(e.policy.clone()),
        route_table_ids: Some(e.route_table_ids.clone()),
        subnet_ids: Some(e.subnet_ids.clone()),
        groups: Some(
            e.groups
                .iter()
                .map(|g| w::SecurityGroupIdentifier {
                    group_id: Some(g.clone()),
                    group_name: view.state.security_groups.get(g).map(|x| x.name.clone()),
                })
                .collect(),
        ),
        private_dns_enabled: Some(e.private_dns_enabled),
        requester_managed: Some(false),
        network_interface_ids: Some(e.network_interface_ids.clone()),
        dns_entries: Some(if e.gateway {
            vec![]
        } else {
            vec![w::DnsEntry {
                dns_name: Some(format!(
                    "{}-{:08x}.{short}.{region}.vpce.amazonaws.com",
                    e.id, e.create_time.0 as u32
                )),
                hosted_zone_id: None,
            }]
        }),
        creation_timestamp: Some(e.create_time),
        tags: Some(wire_tags(&e.tags)),
        owner_id: Some(view.state.account.clone()),
        ..Default::default()
    }
}
