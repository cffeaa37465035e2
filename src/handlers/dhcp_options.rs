//! CreateDhcpOptions, DescribeDhcpOptions, AssociateDhcpOptions, DeleteDhcpOptions.
//! Every region starts with its default set, which the default VPC and new VPCs use.

use super::common::{tag_specifications, tags_for, wire_tags};
use super::filters::DHCP_OPTIONS_FILTERS;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::store::{new_id, DhcpOptions, Resource, Vpc};
use crate::Ec2Error;

/// The keys EC2 takes (CreateDhcpOptions API reference), with their value limits.
const KEYS: &[(&str, usize)] = &[
    ("domain-name-servers", 4),
    ("domain-name", 1),
    ("ntp-servers", 4),
    ("netbios-name-servers", 4),
    ("netbios-node-type", 1),
    ("ipv6-address-preferred-lease-time", 1),
];

pub fn create_dhcp_options(
    cx: &mut Cx<'_>,
    input: w::CreateDhcpOptionsInput,
) -> Result<w::CreateDhcpOptionsOutput, Ec2Error> {
    let mut configurations: Vec<(String, Vec<String>)> = Vec::new();
    for c in &input.dhcp_configurations {
        let key = c.key.clone().unwrap_or_default();
        let values = c.values.clone().unwrap_or_default();
        // Unverified wording, in EC2's "Value (x) for parameter y is invalid" family.
        let Some((_, max)) = KEYS.iter().find(|(k, _)| *k == key) else {
            return Err(Ec2Error::invalid_value(
                "dhcpConfiguration.key",
                &key,
                "Valid keys: domain-name-servers, domain-name, ntp-servers, netbios-name-servers, netbios-node-type, ipv6-address-preferred-lease-time.",
            ));
        };
        if values.is_empty() || values.len() > *max {
            return Err(Ec2Error::invalid_value(
                "dhcpConfiguration.value",
                &values.join(","),
                &format!("{key} takes 1 to {max} values."),
            ));
        }
        if configurations.iter().any(|(k, _)| *k == key) {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "The DHCP option {key} is specified more than once"
            )));
        }
        configurations.push((key, values));
    }
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[DhcpOptions::INFO.resource_type],
    )?;
    let account = cx.account.to_string();
    let state = cx.commit()?;
    let options = DhcpOptions {
        id: new_id("dopt"),
        configurations,
        tags: tags_for::<DhcpOptions>(&tags),
    };
    let out = options_to_wire(&options, &account);
    state.dhcp_options.insert(options.id.clone(), options);
    Ok(w::CreateDhcpOptionsOutput {
        dhcp_options: Some(out),
    })
}

/// `default` leaves the VPC with no options set (AssociateDhcpOptions API reference).
pub fn associate_dhcp_options(
    cx: &mut Cx<'_>,
    input: w::AssociateDhcpOptionsInput,
) -> Result<w::AssociateDhcpOptionsOutput, Ec2Error> {
    let view = cx.view();
    let vpc: &Vpc = view.get(&input.vpc_id)?;
    let options = if input.dhcp_options_id == "default" {
        "default".to_string()
    } else {
        view.get::<DhcpOptions>(&input.dhcp_options_id)?.id.clone()
    };
    let vpc_id = vpc.id.clone();
    if let Some(v) = cx.commit()?.vpcs.get_mut(&vpc_id) {
        v.dhcp_options_id = options;
    }
    Ok(w::AssociateDhcpOptionsOutput {})
}

/// A set a VPC uses is in use (the kind's DependencyViolation).
pub fn delete_dhcp_options(
    cx: &mut Cx<'_>,
    input: w::DeleteDhcpOptionsInput,
) -> Result<w::DeleteDhcpOptionsOutput, Ec2Error> {
    let view = cx.view();
    let options: &DhcpOptions = view.get(&input.dhcp_options_id)?;
    let removed = view.deletable::<DhcpOptions>(&options.id)?;
    cx.commit()?.remove_all(&removed);
    Ok(w::DeleteDhcpOptionsOutput {})
}

pub fn describe_dhcp_options(
    cx: &mut Cx<'_>,
    input: w::DescribeDhcpOptionsInput,
) -> Result<w::DescribeDhcpOptionsOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), DHCP_OPTIONS_FILTERS)?;
    let ids = input.dhcp_options_ids.clone().unwrap_or_default();
    let view = cx.view();
    let (sets, next_token) = view.filtered(&input, &ids, &filters)?;
    Ok(w::DescribeDhcpOptionsOutput {
        dhcp_options: Some(
            sets.into_iter()
                .map(|o| options_to_wire(o, cx.account))
                .collect(),
        ),
        next_token,
    })
}

fn options_to_wire(o: &DhcpOptions, account: &str) -> w::DhcpOptions {
    w::DhcpOptions {
        rendered: None,
        owner_id: Some(account.to_string()),
        tags: Some(wire_tags(&o.tags)),
        dhcp_options_id: Some(o.id.clone()),
        dhcp_configurations: Some(
            o.configurations
                .iter()
                .map(|(k, vs)| w::DhcpConfiguration {
                    key: Some(k.clone()),
                    values: Some(
                        vs.iter()
                            .map(|v| w::AttributeValue {
                                value: Some(v.clone()),
                            })
                            .collect(),
                    ),
                })
                .collect(),
        ),
    }
}
