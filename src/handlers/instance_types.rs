//! DescribeInstanceTypes and DescribeInstanceTypeOfferings over the catalog
//! (`crate::instance_types`): what each type is, and where the Region offers it.

use super::filters::{INSTANCE_TYPE_FILTERS, INSTANCE_TYPE_OFFERING_FILTERS};
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::describe::page::Page;
use crate::generated::types as w;
use crate::instance_types::catalog;
use crate::Ec2Error;

/// Without MaxResults EC2 answers DescribeInstanceTypes 100 at a time, with a NextToken
/// (the model's MaxResults maximum; boto3 users page through the ~1,000 types).
const DEFAULT_TYPES_PAGE: usize = 100;

pub fn describe_instance_types(
    cx: &mut Cx<'_>,
    input: w::DescribeInstanceTypesInput,
) -> Result<w::DescribeInstanceTypesOutput, Ec2Error> {
    let filters = Filters::parse_untagged(input.filters.clone(), INSTANCE_TYPE_FILTERS)?;
    let page = Page::paged_by_default(&input, Some(DEFAULT_TYPES_PAGE))?;
    let catalog = catalog();
    let view = cx.view();
    let (region, zones) = (view.state.region.as_str(), view.state.azs.as_slice());
    let names: Vec<&str> = input
        .instance_types
        .iter()
        .flatten()
        .map(|t| t.as_str())
        .collect();
    // A type the Region does not offer "does not exist" here (AWS-raw, botocore's
    // ClientError for i8ge.xlarge in scylladb/scylla-cluster-tests#12419).
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| !catalog.offered_in_region(region, zones, n))
        .collect();
    if !missing.is_empty() {
        return Err(Ec2Error::new(
            "InvalidInstanceType",
            format!(
                "The following supplied instance types do not exist: [{}]",
                missing.join(", ")
            ),
        ));
    }
    let after = page.after.clone();
    // Names first (cheap), then the entries that pass, read and filtered.
    let (types, next_token) = page.take(
        catalog
            .names()
            .iter()
            .copied()
            .filter(|n| {
                (names.is_empty() || names.contains(n))
                    && after.as_deref().is_none_or(|a| *n > a)
                    && catalog.offered_in_region(region, zones, n)
            })
            .filter_map(|n| catalog.get(n))
            .filter(|t| filters.matches(t, &view)),
        |t| {
            t.instance_type
                .as_ref()
                .map_or(String::new(), |x| x.as_str().to_string())
        },
    );
    Ok(w::DescribeInstanceTypesOutput {
        instance_types: Some(types.into_iter().cloned().collect()),
        next_token,
    })
}

pub fn describe_instance_type_offerings(
    cx: &mut Cx<'_>,
    input: w::DescribeInstanceTypeOfferingsInput,
) -> Result<w::DescribeInstanceTypeOfferingsOutput, Ec2Error> {
    let filters = Filters::parse_untagged(input.filters.clone(), INSTANCE_TYPE_OFFERING_FILTERS)?;
    let page = Page::of(&input)?;
    let location_type = input
        .location_type
        .clone()
        .unwrap_or(w::LocationType::Region);
    let catalog = catalog();
    let view = cx.view();
    let s = view.state;
    // The locations asked about: the Region itself, or each zone (by name or by id).
    let locations: Vec<(&str, String)> = match location_type.as_str() {
        "region" => vec![("", s.region.clone())],
        "availability-zone" => s.azs.iter().map(|(n, _)| (n.as_str(), n.clone())).collect(),
        "availability-zone-id" => s
            .azs
            .iter()
            .map(|(n, id)| (n.as_str(), id.clone()))
            .collect(),
        other => {
            return Err(Ec2Error::invalid_value(
                "LocationType",
                other,
                "Valid values: region, availability-zone, availability-zone-id, outpost.",
            ))
        }
    };
    let mut offerings: Vec<(String, w::InstanceTypeOffering)> = Vec::new();
    for (zone, location) in &locations {
        for &name in catalog.names() {
            let offered = if zone.is_empty() {
                catalog.offered_in_region(&s.region, &s.azs, name)
            } else {
                catalog.offered_in_zone(&s.region, zone, name)
            };
            if !offered {
                continue;
            }
            let o = w::InstanceTypeOffering {
                instance_type: Some(name.into()),
                location_type: Some(location_type.clone()),
                location: Some(location.clone()),
            };
            if filters.matches(&o, &view) {
                offerings.push((format!("{location}/{name}"), o));
            }
        }
    }
    offerings.sort_by(|a, b| a.0.cmp(&b.0));
    let after = page.after.clone();
    let (items, next_token) = page.take(
        offerings
            .into_iter()
            .filter(|(k, _)| after.as_deref().is_none_or(|a| k.as_str() > a)),
        |(k, _)| k.clone(),
    );
    Ok(w::DescribeInstanceTypeOfferingsOutput {
        instance_type_offerings: Some(items.into_iter().map(|(_, o)| o).collect()),
        next_token,
    })
}
