//! CreateInternetGateway, AttachInternetGateway, DetachInternetGateway,
//! DeleteInternetGateway, DescribeInternetGateways.

use super::common::{tag_specifications, tags_for, wire_tags};
use super::filters::INTERNET_GATEWAY_FILTERS;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::store::{new_id, InternetGateway, Resource, Vpc};
use crate::Ec2Error;

pub fn create_internet_gateway(
    cx: &mut Cx<'_>,
    input: w::CreateInternetGatewayInput,
) -> Result<w::CreateInternetGatewayOutput, Ec2Error> {
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[InternetGateway::INFO.resource_type],
    )?;
    let account = cx.account.to_string();
    let state = cx.commit()?;
    let igw = InternetGateway {
        id: new_id("igw"),
        vpc_id: None,
        tags: tags_for::<InternetGateway>(&tags),
    };
    let out = igw_to_wire(&igw, &account);
    state.internet_gateways.insert(igw.id.clone(), igw);
    Ok(w::CreateInternetGatewayOutput {
        internet_gateway: Some(out),
    })
}

/// A gateway attaches to one VPC, and a VPC takes one gateway.
pub fn attach_internet_gateway(
    cx: &mut Cx<'_>,
    input: w::AttachInternetGatewayInput,
) -> Result<w::AttachInternetGatewayOutput, Ec2Error> {
    let view = cx.view();
    let igw: &InternetGateway = view.get(&input.internet_gateway_id)?;
    let vpc: &Vpc = view.get(&input.vpc_id)?;
    if let Some(attached) = &igw.vpc_id {
        // berlioz-the/berlioz#1.
        return Err(Ec2Error::new(
            "Resource.AlreadyAssociated",
            format!(
                "resource {} is already attached to network {attached}",
                igw.id
            ),
        ));
    }
    if view
        .state
        .internet_gateways
        .values()
        .any(|g| g.vpc_id.as_deref() == Some(vpc.id.as_str()))
    {
        // binlab/terraform-aws-vault-ha-raft#54.
        return Err(Ec2Error::invalid_parameter_value(format!(
            "Network {} already has an internet gateway attached",
            vpc.id
        )));
    }
    let (igw_id, vpc_id) = (igw.id.clone(), vpc.id.clone());
    if let Some(g) = cx.commit()?.internet_gateways.get_mut(&igw_id) {
        g.vpc_id = Some(vpc_id);
    }
    Ok(w::AttachInternetGatewayOutput {})
}

pub fn detach_internet_gateway(
    cx: &mut Cx<'_>,
    input: w::DetachInternetGatewayInput,
) -> Result<w::DetachInternetGatewayOutput, Ec2Error> {
    let view = cx.view();
    let igw: &InternetGateway = view.get(&input.internet_gateway_id)?;
    let vpc: &Vpc = view.get(&input.vpc_id)?;
    if igw.vpc_id.as_deref() != Some(vpc.id.as_str()) {
        // Unverified wording; the code is EC2's (DetachInternetGateway API reference).
        return Err(Ec2Error::new(
            "Gateway.NotAttached",
            format!("resource {} is not attached to network {}", igw.id, vpc.id),
        ));
    }
    let igw_id = igw.id.clone();
    if let Some(g) = cx.commit()?.internet_gateways.get_mut(&igw_id) {
        g.vpc_id = None;
    }
    Ok(w::DetachInternetGatewayOutput {})
}

/// An attached gateway is in use (the kind's DependencyViolation).
pub fn delete_internet_gateway(
    cx: &mut Cx<'_>,
    input: w::DeleteInternetGatewayInput,
) -> Result<w::DeleteInternetGatewayOutput, Ec2Error> {
    let view = cx.view();
    let igw: &InternetGateway = view.get(&input.internet_gateway_id)?;
    if igw.vpc_id.is_some() {
        return Err(InternetGateway::INFO
            .in_use
            .as_ref()
            .expect("declared")
            .error(&igw.id));
    }
    let removed = view.deletable::<InternetGateway>(&igw.id)?;
    cx.commit()?.remove_all(&removed);
    Ok(w::DeleteInternetGatewayOutput {})
}

pub fn describe_internet_gateways(
    cx: &mut Cx<'_>,
    input: w::DescribeInternetGatewaysInput,
) -> Result<w::DescribeInternetGatewaysOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), INTERNET_GATEWAY_FILTERS)?;
    let ids = input.internet_gateway_ids.clone().unwrap_or_default();
    let view = cx.view();
    let (igws, next_token) = view.filtered(&input, &ids, &filters)?;
    Ok(w::DescribeInternetGatewaysOutput {
        internet_gateways: Some(
            igws.into_iter()
                .map(|g| igw_to_wire(g, cx.account))
                .collect(),
        ),
        next_token,
    })
}

fn igw_to_wire(g: &InternetGateway, account: &str) -> w::InternetGateway {
    w::InternetGateway {
        rendered: None,
        internet_gateway_id: Some(g.id.clone()),
        owner_id: Some(account.to_string()),
        // EC2 reports an attached gateway's state as `available` (k1LoW/awspec#253).
        attachments: Some(
            g.vpc_id
                .iter()
                .map(|v| w::InternetGatewayAttachment {
                    state: Some(w::AttachmentStatus::from("available")),
                    vpc_id: Some(v.clone()),
                })
                .collect(),
        ),
        tags: Some(wire_tags(&g.tags)),
    }
}
