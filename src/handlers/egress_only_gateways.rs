//! CreateEgressOnlyInternetGateway, DescribeEgressOnlyInternetGateways,
//! DeleteEgressOnlyInternetGateway: attached to their VPC from creation.

use super::common::{tag_specifications, tags_for, wire_tags};
use super::filters::EGRESS_ONLY_GATEWAY_FILTERS;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::store::{new_id, EgressOnlyInternetGateway, Resource, Vpc};
use crate::Ec2Error;

pub fn create_egress_only_internet_gateway(
    cx: &mut Cx<'_>,
    input: w::CreateEgressOnlyInternetGatewayInput,
) -> Result<w::CreateEgressOnlyInternetGatewayOutput, Ec2Error> {
    let view = cx.view();
    let vpc: &Vpc = view.get(&input.vpc_id)?;
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[EgressOnlyInternetGateway::INFO.resource_type],
    )?;
    let existing = input
        .client_token
        .as_deref()
        .and_then(|t| view.state.token("CreateEgressOnlyInternetGateway", t))
        .and_then(|id| view.state.egress_only_gateways.get(id))
        .cloned();
    let vpc_id = vpc.id.clone();
    let state = cx.commit()?;
    let gw = match existing {
        Some(gw) => gw,
        None => {
            let gw = EgressOnlyInternetGateway {
                id: new_id("eigw"),
                vpc_id,
                tags: tags_for::<EgressOnlyInternetGateway>(&tags),
            };
            if let Some(t) = &input.client_token {
                state.set_token("CreateEgressOnlyInternetGateway", t, &gw.id);
            }
            state.egress_only_gateways.insert(gw.id.clone(), gw.clone());
            gw
        }
    };
    Ok(w::CreateEgressOnlyInternetGatewayOutput {
        client_token: input.client_token,
        egress_only_internet_gateway: Some(to_wire(&gw)),
    })
}

pub fn describe_egress_only_internet_gateways(
    cx: &mut Cx<'_>,
    input: w::DescribeEgressOnlyInternetGatewaysInput,
) -> Result<w::DescribeEgressOnlyInternetGatewaysOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), EGRESS_ONLY_GATEWAY_FILTERS)?;
    let ids = input
        .egress_only_internet_gateway_ids
        .clone()
        .unwrap_or_default();
    let view = cx.view();
    let (gws, next_token) = view.filtered(&input, &ids, &filters)?;
    Ok(w::DescribeEgressOnlyInternetGatewaysOutput {
        egress_only_internet_gateways: Some(gws.into_iter().map(to_wire).collect()),
        next_token,
    })
}

pub fn delete_egress_only_internet_gateway(
    cx: &mut Cx<'_>,
    input: w::DeleteEgressOnlyInternetGatewayInput,
) -> Result<w::DeleteEgressOnlyInternetGatewayOutput, Ec2Error> {
    let view = cx.view();
    let gw: &EgressOnlyInternetGateway = view.get(&input.egress_only_internet_gateway_id)?;
    let removed = view.deletable::<EgressOnlyInternetGateway>(&gw.id)?;
    cx.commit()?.remove_all(&removed);
    Ok(w::DeleteEgressOnlyInternetGatewayOutput {
        return_code: Some(true),
    })
}

fn to_wire(g: &EgressOnlyInternetGateway) -> w::EgressOnlyInternetGateway {
    w::EgressOnlyInternetGateway {
        rendered: None,
        attachments: Some(vec![w::InternetGatewayAttachment {
            state: Some(w::AttachmentStatus::Attached),
            vpc_id: Some(g.vpc_id.clone()),
        }]),
        egress_only_internet_gateway_id: Some(g.id.clone()),
        tags: Some(wire_tags(&g.tags)),
    }
}
