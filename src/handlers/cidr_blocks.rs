//! AssociateVpcCidrBlock / DisassociateVpcCidrBlock (secondary IPv4 blocks, an Amazon
//! IPv6 /56) and AssociateSubnetCidrBlock / DisassociateSubnetCidrBlock (an IPv6 /64 of
//! the VPC's /56). A VPC block adds its `local` route to the VPC's route tables.

use super::subnets::subnet_ipv6_association;
use super::vpcs::{amazon_ipv6, cidr_association, invalid_cidr};
use crate::context::Cx;
use crate::generated::types as w;
use crate::net::Cidr;
use crate::store::{new_id, Destination, Ipv6Block, Route, RouteTarget, Subnet, Vpc};
use crate::Ec2Error;

/// A VPC has up to five IPv4 blocks by default (VPC User Guide, "VPC CIDR blocks"), in
/// the /16–/28 range, not overlapping each other.
const MAX_IPV4_BLOCKS: usize = 5;

pub fn associate_vpc_cidr_block(
    cx: &mut Cx<'_>,
    input: w::AssociateVpcCidrBlockInput,
) -> Result<w::AssociateVpcCidrBlockOutput, Ec2Error> {
    let view = cx.view();
    let vpc: &Vpc = view.get(&input.vpc_id)?;
    let vpc_id = vpc.id.clone();
    match (
        &input.cidr_block,
        input.amazon_provided_ipv6_cidr_block == Some(true),
    ) {
        (Some(raw), false) => {
            let cidr = Cidr::parse_canonical(raw).ok_or_else(|| invalid_cidr(raw))?;
            if !(16..=28).contains(&cidr.prefix) {
                return Err(Ec2Error::new(
                    "InvalidVpc.Range",
                    format!("The CIDR '{raw}' is invalid."),
                ));
            }
            // Unverified wordings.
            if vpc.cidrs().any(|c| c.overlaps(cidr)) {
                return Err(Ec2Error::invalid_parameter_value(format!(
                    "The CIDR '{raw}' conflicts with another CIDR block of the VPC"
                )));
            }
            if vpc.cidrs().count() >= MAX_IPV4_BLOCKS {
                return Err(Ec2Error::new(
                    "CidrLimitExceeded",
                    format!("This network '{vpc_id}' has met its maximum number of allowed CIDRs: {MAX_IPV4_BLOCKS}"),
                ));
            }
            let id = new_id("vpc-cidr-assoc");
            let state = cx.commit()?;
            if let Some(v) = state.vpcs.get_mut(&vpc_id) {
                v.secondary_cidrs.push((id.clone(), cidr));
            }
            for t in state
                .route_tables
                .values_mut()
                .filter(|t| t.vpc_id == vpc_id)
            {
                t.routes.push(Route {
                    destination: Destination::Cidr4(cidr),
                    target: RouteTarget::Local,
                    origin: "CreateRouteTable",
                });
            }
            Ok(w::AssociateVpcCidrBlockOutput {
                cidr_block_association: Some(cidr_association(
                    &id,
                    cidr,
                    w::VpcCidrBlockStateCode::Associating,
                )),
                vpc_id: Some(vpc_id),
                ..Default::default()
            })
        }
        (None, true) => {
            if vpc.ipv6.is_some() {
                return Err(Ec2Error::new(
                    "CidrLimitExceeded",
                    format!("This network '{vpc_id}' has met its maximum number of allowed IPv6 CIDRs: 1"),
                ));
            }
            let block = Ipv6Block {
                association_id: new_id("vpc-cidr-assoc"),
                cidr: amazon_ipv6(),
            };
            let region = cx.region.to_string();
            let out = w::VpcIpv6CidrBlockAssociation {
                association_id: Some(block.association_id.clone()),
                ipv6_cidr_block: Some(block.cidr.clone()),
                ipv6_cidr_block_state: Some(w::VpcCidrBlockState {
                    state: Some(w::VpcCidrBlockStateCode::Associating),
                    status_message: None,
                }),
                network_border_group: Some(region),
                ipv6_pool: Some("Amazon".into()),
                ..Default::default()
            };
            if let Some(v) = cx.commit()?.vpcs.get_mut(&vpc_id) {
                v.ipv6 = Some(block);
            }
            Ok(w::AssociateVpcCidrBlockOutput {
                ipv6_cidr_block_association: Some(out),
                vpc_id: Some(vpc_id),
                ..Default::default()
            })
        }
        (Some(_), true) => Err(Ec2Error::new(
            "InvalidParameterCombination",
            "The parameter cidrBlock cannot be used with the parameter amazonProvidedIpv6CidrBlock",
        )),
        (None, false) => Err(Ec2Error::new(
            "MissingParameter",
            "Either 'cidrBlock' or 'amazonProvidedIpv6CidrBlock' should be provided.",
        )),
    }
}

/// The primary IPv4 block stays; a block with subnets in it is in use.
pub fn disassociate_vpc_cidr_block(
    cx: &mut Cx<'_>,
    input: w::DisassociateVpcCidrBlockInput,
) -> Result<w::DisassociateVpcCidrBlockOutput, Ec2Error> {
    let s = cx.state();
    let id = &input.association_id;
    let not_found = || {
        Ec2Error::new(
            "InvalidVpcCidrBlockAssociationID.NotFound",
            format!("The vpc CIDR block association ID '{id}' does not exist"),
        )
    };
    let vpc = s
        .vpcs
        .values()
        .find(|v| {
            v.cidr_association_id == *id
                || v.secondary_cidrs.iter().any(|(a, _)| a == id)
                || v.ipv6.as_ref().is_some_and(|b| b.association_id == *id)
        })
        .ok_or_else(not_found)?;
    let vpc_id = vpc.id.clone();
    if vpc.cidr_association_id == *id {
        // Unverified wording.
        return Err(Ec2Error::new(
            "OperationNotPermitted",
            format!("The vpc {vpc_id} has a primary CIDR block that cannot be disassociated"),
        ));
    }
    if let Some((_, cidr)) = vpc.secondary_cidrs.iter().find(|(a, _)| a == id) {
        let cidr = *cidr;
        if s.subnets
            .values()
            .any(|x| x.vpc_id == vpc_id && cidr.contains(x.cidr))
        {
            return Err(Ec2Error::new(
                "InvalidCidrBlock.InUse",
                format!("The vpc CIDR block {cidr} is in use by subnets"),
            ));
        }
        let state = cx.commit()?;
        if let Some(v) = state.vpcs.get_mut(&vpc_id) {
            v.secondary_cidrs.retain(|(a, _)| a != id);
        }
        for t in state
            .route_tables
            .values_mut()
            .filter(|t| t.vpc_id == vpc_id)
        {
            t.routes.retain(|r| {
                !(r.target == RouteTarget::Local && r.destination == Destination::Cidr4(cidr))
            });
        }
        return Ok(w::DisassociateVpcCidrBlockOutput {
            cidr_block_association: Some(cidr_association(
                id,
                cidr,
                w::VpcCidrBlockStateCode::Disassociating,
            )),
            vpc_id: Some(vpc_id),
            ..Default::default()
        });
    }
    if s.subnets
        .values()
        .any(|x| x.vpc_id == vpc_id && x.ipv6.is_some())
    {
        return Err(Ec2Error::new(
            "InvalidCidrBlock.InUse",
            "The vpc IPv6 CIDR block is in use by subnets".to_string(),
        ));
    }
    let block = cx
        .commit()?
        .vpcs
        .get_mut(&vpc_id)
        .and_then(|v| v.ipv6.take())
        .ok_or_else(not_found)?;
    Ok(w::DisassociateVpcCidrBlockOutput {
        ipv6_cidr_block_association: Some(w::VpcIpv6CidrBlockAssociation {
            association_id: Some(block.association_id),
            ipv6_cidr_block: Some(block.cidr),
            ipv6_cidr_block_state: Some(w::VpcCidrBlockState {
                state: Some(w::VpcCidrBlockStateCode::Disassociating),
                status_message: None,
            }),
            ..Default::default()
        }),
        vpc_id: Some(vpc_id),
        ..Default::default()
    })
}

/// A subnet's IPv6 block is a /64 inside its VPC's /56.
pub fn associate_subnet_cidr_block(
    cx: &mut Cx<'_>,
    input: w::AssociateSubnetCidrBlockInput,
) -> Result<w::AssociateSubnetCidrBlockOutput, Ec2Error> {
    let view = cx.view();
    let subnet: &Subnet = view.get(&input.subnet_id)?;
    let Some(raw) = input.ipv6_cidr_block.as_deref() else {
        return Err(Ec2Error::missing_parameter("ipv6CidrBlock"));
    };
    let vpc_block = view
        .state
        .vpcs
        .get(&subnet.vpc_id)
        .and_then(|v| v.ipv6.as_ref())
        .map(|b| b.cidr.clone());
    let inside = |vpc: &str| -> bool {
        let (Some((sub_ip, "64")), Some((vpc_ip, "56"))) =
            (raw.split_once('/'), vpc.split_once('/'))
        else {
            return false;
        };
        match (
            sub_ip.parse::<std::net::Ipv6Addr>(),
            vpc_ip.parse::<std::net::Ipv6Addr>(),
        ) {
            (Ok(a), Ok(b)) => {
                u128::from(a) >> 72 == u128::from(b) >> 72 && u128::from(a) & ((1 << 64) - 1) == 0
            }
            _ => false,
        }
    };
    if !vpc_block.as_deref().is_some_and(inside) {
        // Unverified wording.
        return Err(Ec2Error::new(
            "InvalidSubnet.Range",
            format!("The IPv6 CIDR '{raw}' is invalid."),
        ));
    }
    if subnet.ipv6.is_some() {
        return Err(Ec2Error::new(
            "CidrLimitExceeded",
            format!(
                "This subnet '{}' has met its maximum number of allowed IPv6 CIDRs: 1",
                subnet.id
            ),
        ));
    }
    let taken = view.state.subnets.values().any(|x| {
        x.ipv6
            .as_ref()
            .is_some_and(|b| b.cidr.eq_ignore_ascii_case(raw))
    });
    if taken {
        return Err(Ec2Error::new(
            "InvalidSubnet.Conflict",
            format!("The CIDR '{raw}' conflicts with another subnet"),
        ));
    }
    let block = Ipv6Block {
        association_id: new_id("subnet-cidr-assoc"),
        cidr: raw.to_ascii_lowercase(),
    };
    let out = subnet_ipv6_association(&block, "associating");
    let subnet_id = subnet.id.clone();
    if let Some(s) = cx.commit()?.subnets.get_mut(&subnet_id) {
        s.ipv6 = Some(block);
    }
    Ok(w::AssociateSubnetCidrBlockOutput {
        ipv6_cidr_block_association: Some(out),
        subnet_id: Some(subnet_id),
    })
}

pub fn disassociate_subnet_cidr_block(
    cx: &mut Cx<'_>,
    input: w::DisassociateSubnetCidrBlockInput,
) -> Result<w::DisassociateSubnetCidrBlockOutput, Ec2Error> {
    let id = &input.association_id;
    let subnet = cx
        .state()
        .subnets
        .values()
        .find(|s| s.ipv6.as_ref().is_some_and(|b| b.association_id == *id))
        .ok_or_else(|| {
            Ec2Error::new(
                "InvalidSubnetCidrBlockAssociationID.NotFound",
                format!("The subnet CIDR block association ID '{id}' does not exist"),
            )
        })?;
    let subnet_id = subnet.id.clone();
    let block = cx
        .commit()?
        .subnets
        .get_mut(&subnet_id)
        .and_then(|s| s.ipv6.take())
        .expect("found above");
    Ok(w::DisassociateSubnetCidrBlockOutput {
        ipv6_cidr_block_association: Some(subnet_ipv6_association(&block, "disassociating")),
        subnet_id: Some(subnet_id),
    })
}

/// CreateSubnetCidrReservation: a block inside the subnet; `explicit` blocks are never
/// handed out automatically, `prefix` ones are for prefix delegation.
pub fn create_subnet_cidr_reservation(
    cx: &mut Cx<'_>,
    input: w::CreateSubnetCidrReservationInput,
) -> Result<w::CreateSubnetCidrReservationOutput, Ec2Error> {
    use crate::store::{Resource, SubnetCidrReservation};
    let view = cx.view();
    let subnet: &Subnet = view.get(&input.subnet_id)?;
    let cidr = Cidr::parse_canonical(&input.cidr).ok_or_else(|| invalid_cidr(&input.cidr))?;
    if !subnet.cidr.contains(cidr) {
        return Err(Ec2Error::new(
            "InvalidSubnet.Range",
            format!("The CIDR '{}' is invalid.", input.cidr),
        ));
    }
    let explicit = match input.reservation_type.as_str() {
        "explicit" => true,
        "prefix" => false,
        other => {
            return Err(Ec2Error::invalid_value(
                "reservationType",
                other,
                "Valid values: prefix, explicit.",
            ))
        }
    };
    let overlaps = view
        .state
        .subnet_cidr_reservations
        .values()
        .any(|r| r.subnet_id == subnet.id && r.cidr.overlaps(cidr));
    if overlaps {
        // Unverified wording.
        return Err(Ec2Error::new(
            "InvalidSubnetCidrReservation.Conflict",
            format!(
                "The CIDR '{}' conflicts with another reservation",
                input.cidr
            ),
        ));
    }
    let tags = crate::handlers::common::tag_specifications(
        input.tag_specifications.as_ref(),
        &[SubnetCidrReservation::INFO.resource_type],
    )?;
    let subnet_id = subnet.id.clone();
    let state = cx.commit()?;
    let r = SubnetCidrReservation {
        id: new_id("scr"),
        subnet_id: subnet_id.clone(),
        cidr,
        explicit,
        description: input.description.clone(),
        tags: crate::handlers::common::tags_for::<SubnetCidrReservation>(&tags),
    };
    if explicit {
        if let Some(s) = state.subnets.get_mut(&subnet_id) {
            s.reserved.push(cidr);
        }
    }
    let out = reservation_to_wire(&r, &state.account);
    state.subnet_cidr_reservations.insert(r.id.clone(), r);
    Ok(w::CreateSubnetCidrReservationOutput {
        subnet_cidr_reservation: Some(out),
    })
}

pub fn delete_subnet_cidr_reservation(
    cx: &mut Cx<'_>,
    input: w::DeleteSubnetCidrReservationInput,
) -> Result<w::DeleteSubnetCidrReservationOutput, Ec2Error> {
    use crate::store::SubnetCidrReservation;
    let r: &SubnetCidrReservation = cx.view().get(&input.subnet_cidr_reservation_id)?;
    let r = r.clone();
    let state = cx.commit()?;
    if let Some(s) = state.subnets.get_mut(&r.subnet_id) {
        s.reserved.retain(|c| *c != r.cidr);
    }
    state.remove_all(std::slice::from_ref(&r.id));
    Ok(w::DeleteSubnetCidrReservationOutput {
        deleted_subnet_cidr_reservation: Some(reservation_to_wire(&r, &state.account)),
    })
}

pub fn get_subnet_cidr_reservations(
    cx: &mut Cx<'_>,
    input: w::GetSubnetCidrReservationsInput,
) -> Result<w::GetSubnetCidrReservationsOutput, Ec2Error> {
    use crate::describe::filter::Filters;
    use crate::handlers::filters::SUBNET_CIDR_RESERVATION_FILTERS;
    use crate::store::SubnetCidrReservation;
    let filters = Filters::parse(input.filters.clone(), SUBNET_CIDR_RESERVATION_FILTERS)?;
    let view = cx.view();
    let subnet: &Subnet = view.get(&input.subnet_id)?;
    // The model does not page this operation: every reservation of the subnet, in id order.
    let rows = view
        .state
        .subnet_cidr_reservations
        .values()
        .filter(|r: &&SubnetCidrReservation| r.subnet_id == subnet.id && filters.matches(r, &view))
        .map(|r| reservation_to_wire(r, &view.state.account))
        .collect();
    Ok(w::GetSubnetCidrReservationsOutput {
        subnet_ipv4_cidr_reservations: Some(rows),
        subnet_ipv6_cidr_reservations: Some(vec![]),
        next_token: None,
    })
}

fn reservation_to_wire(
    r: &crate::store::SubnetCidrReservation,
    account: &str,
) -> w::SubnetCidrReservation {
    w::SubnetCidrReservation {
        rendered: None,
        subnet_cidr_reservation_id: Some(r.id.clone()),
        subnet_id: Some(r.subnet_id.clone()),
        cidr: Some(r.cidr.to_string()),
        reservation_type: Some(w::SubnetCidrReservationType::from(if r.explicit {
            "explicit"
        } else {
            "prefix"
        })),
        owner_id: Some(account.to_string()),
        description: r.description.clone(),
        tags: Some(crate::handlers::common::wire_tags(&r.tags)),
    }
}
