//! DescribeVpcEndpointServices: the AWS services of the region (`crate::services`).

use super::filters::ENDPOINT_SERVICE_FILTERS;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::services::{self, GATEWAY_SERVICES, INTERFACE_SERVICES};
use crate::Ec2Error;

/// One service of the region, as DescribeVpcEndpointServices lists it.
pub struct ServiceRow {
    pub name: String,
    pub gateway: bool,
}

pub fn describe_vpc_endpoint_services(
    cx: &mut Cx<'_>,
    input: w::DescribeVpcEndpointServicesInput,
) -> Result<w::DescribeVpcEndpointServicesOutput, Ec2Error> {
    let filters = Filters::parse_untagged(input.filters.clone(), ENDPOINT_SERVICE_FILTERS)?;
    let view = cx.view();
    let region = view.state.region.clone();
    let wanted = input.service_names.clone().unwrap_or_default();
    let mut rows: Vec<ServiceRow> = GATEWAY_SERVICES
        .iter()
        .map(|s| ServiceRow {
            name: services::service_name(&region, s),
            gateway: true,
        })
        .chain(INTERFACE_SERVICES.iter().map(|s| ServiceRow {
            name: services::service_name(&region, s),
            gateway: false,
        }))
        .filter(|r| wanted.is_empty() || wanted.contains(&r.name))
        .filter(|r| filters.matches(r, &view))
        .collect();
    rows.sort_by(|a, b| (&a.name, a.gateway).cmp(&(&b.name, b.gateway)));
    if let Some(bad) = wanted.iter().find(|n| !rows.iter().any(|r| r.name == **n)) {
        // Unverified wording.
        return Err(Ec2Error::new(
            "InvalidServiceName",
            format!("The Vpc Endpoint Service '{bad}' does not exist"),
        ));
    }
    let zones: Vec<String> = view.state.azs.iter().map(|(n, _)| n.clone()).collect();
    let zone_ids: Vec<String> = view.state.azs.iter().map(|(_, i)| i.clone()).collect();
    let mut names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    names.dedup();
    Ok(w::DescribeVpcEndpointServicesOutput {
        service_names: Some(names),
        service_details: Some(
            rows.iter()
                .map(|r| {
                    let short = r.name.rsplit('.').next().unwrap_or_default();
                    w::ServiceDetail {
                        service_name: Some(r.name.clone()),
                        service_type: Some(vec![w::ServiceTypeDetail {
                            service_type: Some(w::ServiceType::from(if r.gateway {
                                "Gateway"
                            } else {
                                "Interface"
                            })),
                        }]),
                        service_region: Some(region.clone()),
                        availability_zones: Some(zones.clone()),
                        availability_zone_ids: Some(zone_ids.clone()),
                        owner: Some("amazon".into()),
                        base_endpoint_dns_names: Some(vec![format!(
                            "{short}.{region}.amazonaws.com"
                        )]),
                        private_dns_name: (!r.gateway)
                            .then(|| format!("{short}.{region}.amazonaws.com")),
                        vpc_endpoint_policy_supported: Some(true),
                        acceptance_required: Some(false),
                        manages_vpc_endpoints: Some(false),
                        ..Default::default()
                    }
                })
                .collect(),
        ),
        next_token: None,
    })
}
