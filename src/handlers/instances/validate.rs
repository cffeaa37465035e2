//! What RunInstances checks before anything is created: image, counts, type, key pair,
//! placement, groups, addresses, user data; the launch options (block devices, metadata
//! options, instance profile) are checked in `options.rs`.

use super::launch::Launch;
use super::options::{block_devices, iam_profile, metadata_options};
use crate::context::Cx;
use crate::generated::types as w;
use crate::handlers::common::tag_specifications;
use crate::instance_types::{self, DEFAULT_INSTANCE_TYPE};
use crate::store::{Image, Instance, KeyPair, NetworkInterface, Resource, Subnet, View, Volume};
use crate::Ec2Error;

/// User data is limited to 16 KB before base64 (EC2 User Guide, "Run commands at launch").
const MAX_USER_DATA: usize = 16 * 1024;

pub(super) fn validate_launch(
    cx: &Cx<'_>,
    input: &w::RunInstancesInput,
) -> Result<Launch, Ec2Error> {
    let view = cx.view();
    check_counts(input)?;
    let Some(image_id) = input.image_id.as_deref() else {
        return Err(Ec2Error::missing_parameter("ImageId"));
    };
    let image = launch_image(cx, image_id)?;
    let instance_type = instance_type(input, &image)?;
    affinity_needs_host_tenancy(input.placement.as_ref())?;
    if let Some(k) = &input.key_name {
        if view.state.key_pair_by_name(k).is_none() {
            return Err(KeyPair::INFO.not_found(&[k]));
        }
    }
    // The primary interface (device index 0) may carry the subnet, groups and address.
    let nic = input
        .network_interfaces
        .as_ref()
        .and_then(|n| n.iter().find(|i| i.device_index.unwrap_or(0) == 0));
    let subnet = subnet(&view, input, nic, &instance_type)?;
    offered_in_zone(&view, &instance_type, &subnet.az)?;
    let groups = security_groups(&view, input, nic, subnet)?;
    let (private_ip, secondary_ips) = private_addresses(input, nic, subnet)?;
    // As many as the subnet has free, at least MinCount; one with an explicit address.
    let free = subnet.available_ip_count().max(0) as usize;
    if free < input.min_count as usize {
        return Err(Ec2Error::new(
            "InsufficientFreeAddressesInSubnet",
            format!("There are not enough free addresses in subnet '{}' to satisfy the requested number of instances.", subnet.id),
        ));
    }
    let count = if private_ip.is_some() {
        1
    } else {
        (input.max_count as usize).min(free)
    };
    let public_ip = nic
        .and_then(|n| n.associate_public_ip_address)
        .unwrap_or(subnet.map_public_ip_on_launch);
    let volumes = block_devices(
        &image,
        input.block_device_mappings.as_deref().unwrap_or_default(),
    )?;
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[
            Instance::INFO.resource_type,
            Volume::INFO.resource_type,
            NetworkInterface::INFO.resource_type,
            "spot-instances-request",
            "elastic-gpu",
        ],
    )?;
    let metadata = metadata_options(&image, input.metadata_options.as_ref())?;
    let user_data = user_data(input.user_data.as_deref())?;
    let iam_instance_profile =
        iam_profile(input.iam_instance_profile.as_ref(), cx.account, cx.now)?;
    let shutdown_behavior = match input
        .instance_initiated_shutdown_behavior
        .as_ref()
        .map(|b| b.as_str())
    {
        None | Some("stop") => "stop",
        Some("terminate") => "terminate",
        Some(other) => {
            return Err(Ec2Error::invalid_value(
                "instanceInitiatedShutdownBehavior",
                other,
                "Valid values: stop, terminate.",
            ))
        }
    };
    let cpu_credits = credits(
        &instance_type,
        input
            .credit_specification
            .as_ref()
            .map(|c| c.cpu_credits.as_str()),
    )?;
    let hibernation = hibernation(input, &instance_type, &volumes)?;
    Ok(Launch {
        hibernation,
        shutdown_behavior,
        cpu_credits,
        hostname_type: subnet.hostname_type,
        resource_name_a: subnet.enable_resource_name_dns_a_record,
        resource_name_aaaa: subnet.enable_resource_name_dns_aaaa_record,
        ipv6: subnet.assign_ipv6_address_on_creation && subnet.ipv6.is_some(),
        subnet_ipv6: subnet
            .ipv6
            .as_ref()
            .map(|b| b.cidr.clone())
            .unwrap_or_default(),
        iam_instance_profile,
        count,
        image,
        instance_type,
        subnet_id: subnet.id.clone(),
        vpc_id: subnet.vpc_id.clone(),
        az: subnet.az.clone(),
        groups,
        private_ip,
        secondary_ips,
        public_ip,
        volumes,
        tags,
        metadata,
        user_data,
    })
}

/// The image to launch: `resolve:ssm:<parameter>` is the newest catalog image the public
/// parameter names (EC2 User Guide, "Use a Systems Manager parameter to find an AMI"); the
/// image must be one the account may launch, and available.
fn launch_image(cx: &Cx<'_>, id: &str) -> Result<Image, Ec2Error> {
    let image = if id.starts_with("resolve:ssm:") {
        let visible = cx.state().images.values().filter(|i| i.catalog);
        crate::image_catalog::resolve_ssm(id, visible)
            .cloned()
            .ok_or_else(|| {
                // Unverified wording and code.
                Ec2Error::invalid_parameter_value(format!(
                    "Invalid value '{id}' for ImageId: the parameter does not exist or names no image"
                ))
            })?
    } else {
        crate::handlers::images::usable(cx, id)?
    };
    crate::handlers::images::available(&image, cx.now)?;
    Ok(image)
}

/// MinCount and MaxCount (AWS-raw: "Maximum instance count must be greater than zero",
/// jenkinsci/ec2-plugin#252).
fn check_counts(input: &w::RunInstancesInput) -> Result<(), Ec2Error> {
    if input.max_count < 1 {
        return Err(Ec2Error::invalid_parameter_value(
            "Maximum instance count must be greater than zero",
        ));
    }
    if input.min_count < 1 {
        return Err(Ec2Error::invalid_parameter_value(
            "Minimum instance count must be greater than zero",
        ));
    }
    if input.min_count > input.max_count {
        return Err(Ec2Error::invalid_parameter_value(
            "Minimum instance count must not exceed maximum instance count",
        ));
    }
    Ok(())
}

/// Placement.Affinity only with a tenancy of `host`: AWS-raw, "The parameter affinity
/// cannot be used without specifying a tenancy of 'host'" for `--placement
/// Affinity=default` alone (kubernetes-sigs/cluster-api-provider-aws#5825).
pub(super) fn affinity_needs_host_tenancy(p: Option<&w::Placement>) -> Result<(), Ec2Error> {
    let Some(p) = p else { return Ok(()) };
    if p.affinity.is_some() && p.tenancy.as_ref().map(|t| t.as_str()) != Some("host") {
        return Err(Ec2Error::new(
            "InvalidParameterCombination",
            "The parameter affinity cannot be used without specifying a tenancy of 'host'",
        ));
    }
    Ok(())
}

/// The type asked for (or EC2's default), which must run the image's architecture.
fn instance_type(input: &w::RunInstancesInput, image: &Image) -> Result<String, Ec2Error> {
    let instance_type = match &input.instance_type {
        None => DEFAULT_INSTANCE_TYPE.to_string(),
        Some(t) if instance_types::is_valid_name(t.as_str()) => t.as_str().to_string(),
        // "Invalid value 'x' for InstanceType." (iterative/cml#821).
        Some(t) => {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "Invalid value '{t}' for InstanceType."
            )))
        }
    };
    let archs = instance_types::architectures(&instance_type);
    if archs.is_empty() {
        return Err(unsupported());
    }
    if !archs.contains(&&*image.architecture) {
        return Err(Ec2Error::invalid_parameter_value(format!(
            "The architecture '{}' of the specified instance type does not match the architecture '{}' of the specified AMI. \
             Specify an instance type and an AMI that have matching architectures, and try again. \
             You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.",
            archs[0], image.architecture
        )));
    }
    Ok(instance_type)
}

/// A type the model names but that the catalog does not list, or that no zone of the
/// region offers: EC2's generic refusal (AWS-raw, for a type a region lacks:
/// hashicorp/terraform-provider-aws#9113).
pub(super) fn unsupported() -> Ec2Error {
    Ec2Error::new(
        "Unsupported",
        "The requested configuration is currently not supported. Please check the documentation for supported configurations.",
    )
}

/// The zone must offer the type (DescribeInstanceTypeOfferings). EC2's wording names the
/// zones that do (AWS-raw: t3.micro in us-east-1e, ned1313/Getting-Started-Terraform#44).
fn offered_in_zone(view: &View<'_>, t: &str, az: &str) -> Result<(), Ec2Error> {
    let catalog = instance_types::catalog();
    let region = view.state.region.as_str();
    if catalog.offered_in_zone(region, az, t) {
        return Ok(());
    }
    let others: Vec<&str> = view
        .state
        .azs
        .iter()
        .map(|(z, _)| z.as_str())
        .filter(|z| catalog.offered_in_zone(region, z, t))
        .collect();
    if others.is_empty() {
        return Err(unsupported());
    }
    Err(Ec2Error::new(
        "Unsupported",
        format!(
            "Your requested instance type ({t}) is not supported in your requested Availability Zone ({az}). \
             Please retry your request by not specifying an Availability Zone or choosing {}.",
            others.join(", ")
        ),
    ))
}

/// HibernationOptions.Configured (EC2 User Guide, "Hibernation prerequisites"): the type
/// must support it (the catalog's HibernationSupported) and the root volume be encrypted.
fn hibernation(
    input: &w::RunInstancesInput,
    instance_type: &str,
    volumes: &[super::launch::VolumeSpec],
) -> Result<bool, Ec2Error> {
    if input
        .hibernation_options
        .as_ref()
        .and_then(|h| h.configured)
        != Some(true)
    {
        return Ok(false);
    }
    if !instance_types::hibernation_supported(instance_type) {
        // Unverified wording; the code is the one EC2 uses for hibernation refusals.
        return Err(Ec2Error::new(
            "UnsupportedHibernationConfiguration",
            format!("The instance type {instance_type} does not support hibernation."),
        ));
    }
    if !volumes.first().is_some_and(|root| root.encrypted) {
        // AWS-raw (apache/airflow#35790).
        return Err(Ec2Error::new(
            "UnsupportedHibernationConfiguration",
            "For hibernation, the root device volume must be encrypted.",
        ));
    }
    Ok(true)
}

/// Where: SubnetId, else the primary interface's subnet, else a default subnet (in the
/// requested Availability Zone, if any).
fn subnet<'s>(
    view: &View<'s>,
    input: &w::RunInstancesInput,
    nic: Option<&w::InstanceNetworkInterfaceSpecification>,
    instance_type: &str,
) -> Result<&'s Subnet, Ec2Error> {
    let s = view.state;
    if input.subnet_id.is_some()
        && input
            .network_interfaces
            .as_ref()
            .is_some_and(|n| !n.is_empty())
    {
        return Err(Ec2Error::new(
            "InvalidParameterCombination",
            "Network interfaces and an instance-level subnet ID may not be specified on the same request",
        ));
    }
    let wanted_az = input
        .placement
        .as_ref()
        .and_then(|p| p.availability_zone.as_deref());
    if let Some(id) = input
        .subnet_id
        .as_deref()
        .or(nic.and_then(|n| n.subnet_id.as_deref()))
    {
        let sub: &Subnet = view.get(id)?;
        if let Some(az) = wanted_az.filter(|az| *az != sub.az) {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "The specified subnet '{id}' is not in the availability zone '{az}'"
            )));
        }
        return Ok(sub);
    }
    let vpc = s
        .default_vpc()
        .ok_or_else(|| Ec2Error::new("VPCIdNotSpecified", "No default VPC for this user"))?;
    if let Some(az) = wanted_az {
        if !s.azs.iter().any(|(n, _)| n == az) {
            // EC2's wording for a zone outside the region (found by an outside EC2 test
            // suite run against parlel-ec2; the same as DescribeAvailabilityZones').
            return Err(Ec2Error::invalid_parameter_value(format!(
                "Invalid availability zone: [{az}]"
            )));
        }
    }
    s.subnets
        .values()
        .filter(|x| x.vpc_id == vpc.id && x.default_for_az)
        .filter(|x| wanted_az.is_none_or(|az| x.az == az))
        // EC2 picks a zone for you: one that offers the type, then the default subnet
        // with most room, by zone name on ties.
        .min_by_key(|x| {
            (
                !instance_types::catalog().offered_in_zone(&s.region, &x.az, instance_type),
                std::cmp::Reverse(x.available_ip_count()),
                x.az.clone(),
            )
        })
        .ok_or_else(|| {
            Ec2Error::new(
                "VPCIdNotSpecified",
                "No default subnet for this user in the requested Availability Zone",
            )
        })
}

/// Security groups: ids, names (in the subnet's VPC, which must be the default VPC),
/// the primary interface's groups, else the VPC's default group.
fn security_groups(
    view: &View<'_>,
    input: &w::RunInstancesInput,
    nic: Option<&w::InstanceNetworkInterfaceSpecification>,
    subnet: &Subnet,
) -> Result<Vec<String>, Ec2Error> {
    let s = view.state;
    let ids: Vec<String> = input
        .security_group_ids
        .iter()
        .flatten()
        .chain(nic.and_then(|n| n.groups.as_ref()).into_iter().flatten())
        .cloned()
        .collect();
    let mut groups = crate::handlers::security_groups::groups_in_subnet_vpc(view, subnet, &ids)?;
    let is_default_vpc = s.vpcs.get(&subnet.vpc_id).is_some_and(|v| v.is_default);
    for name in input.security_groups.iter().flatten() {
        if !is_default_vpc && input.subnet_id.is_some() {
            return Err(Ec2Error::new(
                "InvalidParameterCombination",
                "The parameter groupName cannot be used with the parameter subnet",
            ));
        }
        let g = s.group_by_name(&subnet.vpc_id, name).ok_or_else(|| {
            Ec2Error::new(
                "InvalidGroup.NotFound",
                format!(
                    "The security group '{name}' does not exist in VPC '{}'",
                    subnet.vpc_id
                ),
            )
        })?;
        if !groups.contains(&g.id) {
            groups.push(g.id.clone());
        }
    }
    if groups.is_empty() {
        let g = s
            .group_by_name(&subnet.vpc_id, "default")
            .ok_or_else(|| Ec2Error::internal("the VPC has no default security group"))?;
        groups.push(g.id.clone());
    }
    Ok(groups)
}

/// The explicit private IPv4 addresses of the primary interface: PrivateIpAddress (on
/// the request or the interface) or the interface's PrivateIpAddresses list, whose
/// `Primary` entry is the primary address and the rest secondaries (RunInstances API
/// reference). Each is free and inside the subnet's usable range — the first four
/// addresses and the last are the VPC's (VPC User Guide, "Subnet CIDR blocks") — and
/// given once; explicit addresses mean one instance only.
fn private_addresses(
    input: &w::RunInstancesInput,
    nic: Option<&w::InstanceNetworkInterfaceSpecification>,
    subnet: &Subnet,
) -> Result<(Option<u32>, Vec<u32>), Ec2Error> {
    let single = input
        .private_ip_address
        .as_deref()
        .or(nic.and_then(|n| n.private_ip_address.as_deref()));
    let list = nic
        .and_then(|n| n.private_ip_addresses.as_deref())
        .unwrap_or_default();
    let primaries = list.iter().filter(|a| a.primary == Some(true)).count();
    if primaries > 1 || (primaries == 1 && single.is_some()) {
        // Unverified wording; EC2 takes one primary address per interface.
        return Err(Ec2Error::invalid_parameter_value(
            "Only one primary private IP address may be specified",
        ));
    }
    let mut primary = single.map(|raw| check_address(raw, subnet)).transpose()?;
    let mut secondaries = Vec::new();
    for a in list {
        let raw = a
            .private_ip_address
            .as_deref()
            .ok_or_else(|| Ec2Error::missing_parameter("privateIpAddress"))?;
        let ip = check_address(raw, subnet)?;
        if primary == Some(ip) || secondaries.contains(&ip) {
            // Unverified wording.
            return Err(Ec2Error::invalid_parameter_value(format!(
                "The address {raw} is specified more than once"
            )));
        }
        if a.primary == Some(true) {
            primary = Some(ip);
        } else {
            secondaries.push(ip);
        }
    }
    if !secondaries.is_empty() && primary.is_none() {
        // The first listed address is primary when none is marked (unverified).
        primary = Some(secondaries.remove(0));
    }
    if primary.is_some() && input.min_count > 1 {
        return Err(Ec2Error::new(
            "InvalidParameterCombination",
            "Cannot specify a private IP address when launching more than one instance",
        ));
    }
    Ok((primary, secondaries))
}

/// One explicit address: usable in the subnet, not taken (RunInstances' InUse wording,
/// seen from real EC2 in aws/aws-cli#7178 and kubernetes-the-hard-way#129).
fn check_address(raw: &str, subnet: &Subnet) -> Result<u32, Ec2Error> {
    let ip = crate::handlers::network_interfaces::address_in_subnet(subnet, raw)?;
    if subnet.used.contains(&ip) {
        return Err(Ec2Error::new(
            "InvalidIPAddress.InUse",
            format!("Address {raw} is in use."),
        ));
    }
    Ok(ip)
}

/// UserData: base64, at most 16 KB decoded.
fn user_data(raw: Option<&str>) -> Result<Option<Vec<u8>>, Ec2Error> {
    let Some(raw) = raw else { return Ok(None) };
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(raw.trim())
        .map_err(|_| Ec2Error::invalid_parameter_value("Invalid BASE64 encoding of user data."))?;
    if bytes.len() > MAX_USER_DATA {
        return Err(Ec2Error::invalid_parameter_value(format!(
            "User data is limited to {MAX_USER_DATA} bytes"
        )));
    }
    Ok(Some(bytes))
}

/// The CPU credit option of a launch: only burstable types take one (EC2 User Guide,
/// "Burstable performance instances"); `standard` or `unlimited`.
pub(super) fn credits(
    instance_type: &str,
    asked: Option<&str>,
) -> Result<Option<&'static str>, Ec2Error> {
    let default = instance_types::default_cpu_credits(instance_type);
    match (asked, default) {
        (None, d) => Ok(d),
        (Some("standard"), Some(_)) => Ok(Some("standard")),
        (Some("unlimited"), Some(_)) => Ok(Some("unlimited")),
        (Some(other), Some(_)) => Err(Ec2Error::invalid_value(
            "cpuCredits",
            other,
            "Valid values: standard, unlimited.",
        )),
        // The code is the model's (UnsuccessfulInstanceCreditSpecificationErrorCode);
        // the wording is unverified.
        (Some(_), None) => Err(Ec2Error::new(
            "InstanceCreditSpecification.NotSupported",
            format!("The instance type {instance_type} does not support CPU credits"),
        )),
    }
}
