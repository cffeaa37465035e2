//! CreateNatGateway, DescribeNatGateways, DeleteNatGateway: pending → available (or
//! failed) and deleting → deleted on the transition clock; deleted gateways stay visible
//! for the retention.

use super::common::{tag_specifications, tags_for, wire_tags};
use super::filters::NAT_GATEWAY_FILTERS;
use super::instances::now_plus;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::net::dotted;
use crate::store::{new_id, Address, NatGateway, NatPhase, Resource, Subnet, View};
use crate::Ec2Error;

/// A public gateway takes an unassociated Elastic IP; it fails (state `failed`, EC2's
/// failure code and message, AWS CLI reference for DescribeNatGateways) when its VPC has
/// no internet gateway. A private one takes none.
pub fn create_nat_gateway(
    cx: &mut Cx<'_>,
    input: w::CreateNatGatewayInput,
) -> Result<w::CreateNatGatewayOutput, Ec2Error> {
    let view = cx.view();
    let Some(subnet_id) = input.subnet_id.as_deref() else {
        return Err(Ec2Error::missing_parameter("subnetId"));
    };
    let subnet: &Subnet = view.get(subnet_id)?;
    let public = input
        .connectivity_type
        .as_ref()
        .is_none_or(|c| c.as_str() == "public");
    if let Some(c) = input
        .connectivity_type
        .as_ref()
        .filter(|c| !matches!(c.as_str(), "public" | "private"))
    {
        return Err(Ec2Error::invalid_value(
            "connectivityType",
            c.as_str(),
            "Valid values: public, private.",
        ));
    }
    let allocation = match (&input.allocation_id, public) {
        (Some(id), true) => Some(view.get::<Address>(id)?),
        (None, true) => {
            return Err(Ec2Error::new(
                "MissingParameter",
                "The request must contain the parameter allocationId",
            ))
        }
        (Some(_), false) => {
            return Err(Ec2Error::new(
                "InvalidParameterCombination",
                "The parameter allocationId cannot be used with connectivityType private",
            ))
        }
        (None, false) => None,
    };
    if let Some(token) = &input.client_token {
        if let Some(nat) = view
            .state
            .token("CreateNatGateway", token)
            .and_then(|id| view.state.nat_gateways.get(id))
        {
            let out = nat_to_wire(&view, nat);
            cx.commit()?;
            return Ok(w::CreateNatGatewayOutput {
                client_token: Some(token.clone()),
                nat_gateway: Some(out),
            });
        }
    }
    if subnet.available_ip_count() < 1 {
        return Err(Ec2Error::new(
            "InsufficientFreeAddressesInSubnet",
            "Subnet has insufficient free addresses to create this NAT gateway",
        ));
    }
    let failure = if let Some(a) = allocation {
        let gateway = view
            .state
            .internet_gateways
            .values()
            .any(|g| g.vpc_id.as_deref() == Some(subnet.vpc_id.as_str()));
        if a.association.is_some() {
            Some((
                "Resource.AlreadyAssociated",
                format!("Elastic IP address {} is already associated", a.id),
            ))
        } else if !gateway {
            Some((
                "Gateway.NotAttached",
                format!("Network {} has no Internet gateway attached", subnet.vpc_id),
            ))
        } else {
            None
        }
    } else {
        None
    };
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[NatGateway::INFO.resource_type],
    )?;
    let (subnet_id, vpc_id) = (subnet.id.clone(), subnet.vpc_id.clone());
    let allocation_id = allocation.map(|a| a.id.clone());
    let now = cx.now;
    let until = now_plus(now, cx.config.transition);
    let state = cx.commit()?;
    let private_ip = state
        .subnets
        .get_mut(&subnet_id)
        .and_then(|s| s.allocate_ip())
        .expect("a free address was checked");
    let nat = NatGateway {
        id: new_id("nat"),
        subnet_id,
        vpc_id,
        public,
        allocation_id: allocation_id.clone(),
        network_interface_id: new_id("eni"),
        private_ip,
        create_time: now,
        phase: match failure {
            Some((code, message)) => NatPhase::Failed { code, message },
            None => NatPhase::Pending { until },
        },
        tags: tags_for::<NatGateway>(&tags),
    };
    let failed = matches!(nat.phase, NatPhase::Failed { .. });
    if failed {
        if let Some(s) = state.subnets.get_mut(&nat.subnet_id) {
            s.release_ip(private_ip);
        }
    } else if let Some(a) = allocation_id.and_then(|id| state.addresses.get_mut(&id)) {
        a.association = Some(crate::store::AddressAssociation {
            id: new_id("eipassoc"),
            instance_id: None,
            network_interface_id: nat.network_interface_id.clone(),
            private_ip,
            had_public_ip: false,
        });
    }
    let id = nat.id.clone();
    state.nat_gateways.insert(id.clone(), nat);
    if let Some(token) = &input.client_token {
        state.set_token("CreateNatGateway", token, &id);
    }
    let view = cx.view();
    let mut out = nat_to_wire(&view, &view.state.nat_gateways[&id]);
    if !failed {
        // The answer shows the gateway pending, whatever the clock says by now.
        out.state = Some(w::NatGatewayState::Pending);
    }
    Ok(w::CreateNatGatewayOutput {
        client_token: input.client_token,
        nat_gateway: Some(out),
    })
}

/// Deleting releases the gateway's address in its subnet and disassociates its Elastic
/// IP (which stays allocated); a gateway already deleting or deleted answers as it is.
pub fn delete_nat_gateway(
    cx: &mut Cx<'_>,
    input: w::DeleteNatGatewayInput,
) -> Result<w::DeleteNatGatewayOutput, Ec2Error> {
    let view = cx.view();
    let nat: &NatGateway = view.get(&input.nat_gateway_id)?;
    let id = nat.id.clone();
    let deleting = matches!(nat.phase, NatPhase::Deleting { .. });
    let until = now_plus(cx.now, cx.config.transition);
    let state = cx.commit()?;
    if !deleting {
        if let Some(nat) = state.nat_gateways.get_mut(&id) {
            let failed = matches!(nat.phase, NatPhase::Failed { .. });
            nat.phase = NatPhase::Deleting { until };
            let (subnet, ip, eni) = (
                nat.subnet_id.clone(),
                nat.private_ip,
                nat.network_interface_id.clone(),
            );
            if !failed {
                if let Some(s) = state.subnets.get_mut(&subnet) {
                    s.release_ip(ip);
                }
            }
            for a in state.addresses.values_mut() {
                if a.association
                    .as_ref()
                    .is_some_and(|x| x.network_interface_id == eni)
                {
                    a.association = None;
                }
            }
        }
    }
    Ok(w::DeleteNatGatewayOutput {
        nat_gateway_id: Some(id),
    })
}

pub fn describe_nat_gateways(
    cx: &mut Cx<'_>,
    input: w::DescribeNatGatewaysInput,
) -> Result<w::DescribeNatGatewaysOutput, Ec2Error> {
    let filters = Filters::parse(input.filter.clone(), NAT_GATEWAY_FILTERS)?;
    let ids = input.nat_gateway_ids.clone().unwrap_or_default();
    let view = cx.view();
    let (nats, next_token) = view.filtered(&input, &ids, &filters)?;
    Ok(w::DescribeNatGatewaysOutput {
        nat_gateways: Some(nats.into_iter().map(|n| nat_to_wire(&view, n)).collect()),
        next_token,
    })
}

fn nat_to_wire(view: &View<'_>, n: &NatGateway) -> w::NatGateway {
    let state = n.state(view.now);
    let public_ip = n
        .allocation_id
        .as_deref()
        .and_then(|id| view.state.addresses.get(id))
        .map(|a| dotted(a.public_ip));
    let (failure_code, failure_message) = match &n.phase {
        NatPhase::Failed { code, message } => (Some(code.to_string()), Some(message.clone())),
        _ => (None, None),
    };
    w::NatGateway {
        create_time: Some(n.create_time),
        delete_time: n.delete_time(view.now),
        failure_code,
        failure_message,
        nat_gateway_addresses: Some(vec![w::NatGatewayAddress {
            allocation_id: n.allocation_id.clone(),
            network_interface_id: Some(n.network_interface_id.clone()),
            private_ip: Some(dotted(n.private_ip)),
            public_ip: public_ip.filter(|_| state != "failed"),
            is_primary: Some(true),
            status: Some(w::NatGatewayAddressStatus::from(match state {
                "pending" => "associating",
                "deleting" => "disassociating",
                "deleted" | "failed" => "disassociated",
                _ => "succeeded",
            })),
            ..Default::default()
        }]),
        nat_gateway_id: Some(n.id.clone()),
        state: Some(w::NatGatewayState::from(state)),
        subnet_id: Some(n.subnet_id.clone()),
        vpc_id: Some(n.vpc_id.clone()),
        tags: Some(wire_tags(&n.tags)),
        connectivity_type: Some(w::ConnectivityType::from(if n.public {
            "public"
        } else {
            "private"
        })),
        ..Default::default()
    }
}
