//! DescribeRegions, DescribeAvailabilityZones, DescribeAccountAttributes: what an account
//! sees of where it can run. The zone catalog is `crate::regions`, shared with
//! CreateSubnet's and RunInstances' zone checks.

use super::filters::{REGION_FILTERS, ZONE_FILTERS};
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::regions::{self, REGIONS};
use crate::Ec2Error;

/// One row of DescribeRegions.
pub struct RegionRow {
    pub name: &'static str,
    pub endpoint: String,
    pub opt_in_status: &'static str,
}

/// One row of DescribeAvailabilityZones.
pub struct ZoneRow {
    pub name: String,
    pub zone_id: String,
    pub region: String,
    pub group_name: String,
    pub group_long_name: String,
}

/// Regions enabled for the account by default; with AllRegions also those that need
/// opting in, as `not-opted-in` (DescribeRegions API reference). A new account has opted
/// in to none.
pub fn describe_regions(
    cx: &mut Cx<'_>,
    input: w::DescribeRegionsInput,
) -> Result<w::DescribeRegionsOutput, Ec2Error> {
    let filters = Filters::parse_untagged(input.filters.clone(), REGION_FILTERS)?;
    let names = input.region_names.clone().unwrap_or_default();
    // Unverified wording.
    if let Some(bad) = names.iter().find(|n| regions::find_region(n).is_none()) {
        return Err(Ec2Error::invalid_parameter_value(format!(
            "Invalid region: {bad}"
        )));
    }
    let all = input.all_regions == Some(true) || !names.is_empty();
    let view = cx.view();
    let rows = REGIONS
        .iter()
        .filter(|r| all || !r.opt_in_required)
        .filter(|r| names.is_empty() || names.iter().any(|n| n == r.name))
        .map(|r| RegionRow {
            name: r.name,
            endpoint: format!("ec2.{}.amazonaws.com", r.name),
            opt_in_status: if r.opt_in_required {
                "not-opted-in"
            } else {
                "opt-in-not-required"
            },
        })
        .filter(|r| filters.matches(r, &view))
        .map(|r| w::Region {
            region_name: Some(r.name.to_string()),
            endpoint: Some(r.endpoint),
            opt_in_status: Some(r.opt_in_status.to_string()),
            ..Default::default()
        })
        .collect();
    Ok(w::DescribeRegionsOutput {
        regions: Some(rows),
    })
}

/// The zones of the caller's region (the catalog's for commercial regions, `<region>a`–`c`
/// otherwise); ZoneName.N and ZoneId.N select, an unknown one is EC2's
/// "Invalid availability zone: [x]". There are no Local or Wavelength Zones, so
/// AllAvailabilityZones changes nothing.
pub fn describe_availability_zones(
    cx: &mut Cx<'_>,
    input: w::DescribeAvailabilityZonesInput,
) -> Result<w::DescribeAvailabilityZonesOutput, Ec2Error> {
    let filters = Filters::parse_untagged(input.filters.clone(), ZONE_FILTERS)?;
    let names = input.zone_names.clone().unwrap_or_default();
    let ids = input.zone_ids.clone().unwrap_or_default();
    let region = cx.region;
    let zones = regions::availability_zones(region);
    let unknown = names
        .iter()
        .find(|n| !zones.iter().any(|z| *z.name == **n))
        .or_else(|| {
            ids.iter()
                .find(|i| !zones.iter().any(|z| *z.zone_id == **i))
        });
    if let Some(bad) = unknown {
        return Err(Ec2Error::invalid_parameter_value(format!(
            "Invalid availability zone: [{bad}]"
        )));
    }
    let view = cx.view();
    let long = regions::long_name(region);
    let out = zones
        .iter()
        .filter(|z| {
            (names.is_empty() && ids.is_empty())
                || names.iter().any(|n| *n == *z.name)
                || ids.iter().any(|i| *i == *z.zone_id)
        })
        .map(|z| ZoneRow {
            name: z.name.to_string(),
            zone_id: z.zone_id.to_string(),
            region: region.to_string(),
            // Recorded from AWS: GroupName `us-east-1-zg-1`, GroupLongName
            // `US East (N. Virginia) 1` (shared/reference/aws-recorded).
            group_name: format!("{region}-zg-1"),
            group_long_name: format!("{} 1", long.unwrap_or(region)),
        })
        .filter(|z| filters.matches(z, &view))
        .map(|z| w::AvailabilityZone {
            opt_in_status: Some(w::AvailabilityZoneOptInStatus::from("opt-in-not-required")),
            messages: Some(vec![]),
            network_border_group: Some(z.region.clone()),
            region_name: Some(z.region),
            zone_name: Some(z.name),
            zone_id: Some(z.zone_id),
            group_name: Some(z.group_name),
            group_long_name: Some(z.group_long_name),
            zone_type: Some("availability-zone".into()),
            state: Some(w::AvailabilityZoneState::from("available")),
            ..Default::default()
        })
        .collect();
    Ok(w::DescribeAvailabilityZonesOutput {
        availability_zones: Some(out),
    })
}

/// The attributes of a new account (DescribeAccountAttributes API reference):
/// `supported-platforms` is `VPC` (EC2-Classic is retired), `default-vpc` the default
/// VPC's id or `none`, and the quotas of a new account.
pub fn describe_account_attributes(
    cx: &mut Cx<'_>,
    input: w::DescribeAccountAttributesInput,
) -> Result<w::DescribeAccountAttributesOutput, Ec2Error> {
    let default_vpc = cx
        .state()
        .default_vpc()
        .map_or_else(|| "none".to_string(), |v| v.id.clone());
    // New-account values; the instance and Elastic IP quotas are the long-standing defaults.
    let all: [(&str, Vec<String>); 6] = [
        ("supported-platforms", vec!["VPC".into()]),
        ("vpc-max-security-groups-per-interface", vec!["5".into()]),
        ("max-elastic-ips", vec!["5".into()]),
        ("max-instances", vec!["20".into()]),
        ("vpc-max-elastic-ips", vec!["5".into()]),
        ("default-vpc", vec![default_vpc]),
    ];
    let wanted: Vec<String> = input
        .attribute_names
        .iter()
        .flatten()
        .map(|n| n.as_str().to_string())
        .collect();
    if let Some(bad) = wanted.iter().find(|n| !all.iter().any(|(a, _)| a == n)) {
        return Err(Ec2Error::invalid_value(
            "attributeName",
            bad,
            "Valid values: supported-platforms, default-vpc, vpc-max-security-groups-per-interface, max-elastic-ips, max-instances, vpc-max-elastic-ips.",
        ));
    }
    let attributes = all
        .into_iter()
        .filter(|(n, _)| wanted.is_empty() || wanted.iter().any(|w| w == n))
        .map(|(n, values)| w::AccountAttribute {
            attribute_name: Some(n.to_string()),
            attribute_values: Some(
                values
                    .into_iter()
                    .map(|v| w::AccountAttributeValue {
                        attribute_value: Some(v),
                    })
                    .collect(),
            ),
        })
        .collect();
    Ok(w::DescribeAccountAttributesOutput {
        account_attributes: Some(attributes),
    })
}
