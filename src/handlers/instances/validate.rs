//! What RunInstances checks before anything is created: image, counts, type, key pair,
//! placement, groups, addresses, block devices, metadata options, user data, profile.

use super::launch::{Launch, VolumeSpec};
use crate::context::Cx;
use crate::generated::types as w;
use crate::handlers::common::tag_specifications;
use crate::instance_types::{self, DEFAULT_INSTANCE_TYPE};
use crate::store::{IamProfile, Image, Kind, MetadataOptions, SecurityGroup};
use crate::Ec2Error;
use std::net::Ipv4Addr;

/// User data is limited to 16 KB before base64 (EC2 User Guide, "Run commands at launch").
const MAX_USER_DATA: usize = 16 * 1024;

pub(super) fn validate_launch(
    cx: &Cx<'_>,
    input: &w::RunInstancesInput,
) -> Result<Launch, Ec2Error> {
    let s = cx.state();
    // Counts (AWS-raw: "Maximum instance count must be greater than zero", jenkinsci/ec2-plugin#252).
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
    let Some(image_id) = input.image_id.as_deref() else {
        return Err(Ec2Error::missing_parameter("ImageId"));
    };
    Kind::Image.check(image_id)?;
    let image = s
        .images
        .get(image_id)
        .ok_or_else(|| Kind::Image.not_found(&[image_id]))?
        .clone();

    let instance_type = match &input.instance_type {
        None => DEFAULT_INSTANCE_TYPE.to_string(),
        Some(t) if t.is_known() => t.as_str().to_string(),
        // "Invalid value 'x' for InstanceType." (iterative/cml#821).
        Some(t) => {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "Invalid value '{t}' for InstanceType."
            )))
        }
    };
    let type_arch = instance_types::architecture(&instance_type);
    if type_arch != image.architecture {
        return Err(Ec2Error::invalid_parameter_value(format!(
            "The architecture '{type_arch}' of the specified instance type does not match the architecture '{}' of the specified AMI. \
             Specify an instance type and an AMI that have matching architectures, and try again. \
             You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.",
            image.architecture
        )));
    }
    if let Some(k) = &input.key_name {
        if s.key_pair_by_name(k).is_none() {
            return Err(Kind::KeyPair.not_found(&[k]));
        }
    }

    // Where: SubnetId, else the primary interface's subnet, else a default subnet (in the
    // requested Availability Zone, if any).
    let nic = input
        .network_interfaces
        .as_ref()
        .and_then(|n| n.iter().find(|i| i.device_index.unwrap_or(0) == 0));
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
    let subnet = match input
        .subnet_id
        .as_deref()
        .or(nic.and_then(|n| n.subnet_id.as_deref()))
    {
        Some(id) => {
            Kind::Subnet.check(id)?;
            let sub = s
                .subnets
                .get(id)
                .ok_or_else(|| Kind::Subnet.not_found(&[id]))?;
            if let Some(az) = wanted_az.filter(|az| *az != sub.az) {
                return Err(Ec2Error::invalid_parameter_value(format!(
                    "The specified subnet '{id}' is not in the availability zone '{az}'"
                )));
            }
            sub
        }
        None => {
            let vpc = s.default_vpc().ok_or_else(|| {
                Ec2Error::new("VPCIdNotSpecified", "No default VPC for this user")
            })?;
            if let Some(az) = wanted_az {
                if !s.azs.iter().any(|(n, _)| n == az) {
                    return Err(Ec2Error::invalid_value(
                        "availabilityZone",
                        az,
                        &format!(
                            "Valid availability zones: {}.",
                            s.azs
                                .iter()
                                .map(|(n, _)| n.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
            }
            s.subnets
                .values()
                .filter(|x| x.vpc_id == vpc.id && x.default_for_az)
                .filter(|x| wanted_az.is_none_or(|az| x.az == az))
                // EC2 picks a zone for you: the default subnet with most room, by zone name on ties.
                .min_by_key(|x| (std::cmp::Reverse(x.available_ip_count()), x.az.clone()))
                .ok_or_else(|| {
                    Ec2Error::new(
                        "VPCIdNotSpecified",
                        "No default subnet for this user in the requested Availability Zone",
                    )
                })?
        }
    };

    // Security groups: ids, names (in the subnet's VPC, which must be the default VPC),
    // the primary interface's groups, else the VPC's default group.
    let mut groups: Vec<String> = Vec::new();
    let ids: Vec<String> = input
        .security_group_ids
        .iter()
        .flatten()
        .chain(nic.and_then(|n| n.groups.as_ref()).into_iter().flatten())
        .cloned()
        .collect();
    cx.view().require_all::<SecurityGroup>(&ids)?;
    for id in &ids {
        let g = &s.security_groups[id];
        if g.vpc_id != subnet.vpc_id {
            return Err(Ec2Error::new(
                "InvalidParameter",
                format!(
                    "Security group {id} and subnet {} belong to different networks.",
                    subnet.id
                ),
            ));
        }
        if !groups.contains(id) {
            groups.push(id.clone());
        }
    }
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

    // Addresses: an explicit private IP (one instance only), else as many as the subnet
    // has free, at least MinCount.
    let private_ip = match input
        .private_ip_address
        .as_deref()
        .or(nic.and_then(|n| n.private_ip_address.as_deref()))
    {
        Some(raw) => {
            let ip: Ipv4Addr = raw.parse().map_err(|_| {
                Ec2Error::invalid_value("privateIpAddress", raw, "Invalid IPv4 address.")
            })?;
            let ip = u32::from(ip);
            if !subnet.cidr.contains_ip(ip)
                || ip < subnet.cidr.first_usable()
                || ip > subnet.cidr.last_usable()
            {
                return Err(Ec2Error::invalid_parameter_value(format!(
                    "Address {raw} does not fall within the subnet's address range"
                )));
            }
            if subnet.used.contains(&ip) {
                return Err(Ec2Error::new(
                    "InvalidIPAddress.InUse",
                    format!("Address {raw} is in use."),
                ));
            }
            if input.min_count > 1 {
                return Err(Ec2Error::new(
                    "InvalidParameterCombination",
                    "Cannot specify a private IP address when launching more than one instance",
                ));
            }
            Some(ip)
        }
        None => None,
    };
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
            "instance",
            "volume",
            "network-interface",
            "spot-instances-request",
            "elastic-gpu",
        ],
    )?;
    let metadata = metadata_options(&image, input.metadata_options.as_ref())?;
    let user_data = match input.user_data.as_deref() {
        None => None,
        Some(raw) => {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(raw.trim())
                .map_err(|_| {
                    Ec2Error::invalid_parameter_value("Invalid BASE64 encoding of user data.")
                })?;
            if bytes.len() > MAX_USER_DATA {
                return Err(Ec2Error::invalid_parameter_value(format!(
                    "User data is limited to {MAX_USER_DATA} bytes"
                )));
            }
            Some(bytes)
        }
    };
    let iam_instance_profile = iam_profile(input.iam_instance_profile.as_ref(), cx.account)?;
    Ok(Launch {
        iam_instance_profile,
        count,
        image,
        instance_type,
        subnet_id: subnet.id.clone(),
        vpc_id: subnet.vpc_id.clone(),
        az: subnet.az.clone(),
        groups,
        private_ip,
        public_ip,
        volumes,
        tags,
        metadata,
        user_data,
    })
}

/// The instance profile as EC2 echoes it: its ARN (given, or built from the name in the
/// caller's account) and an `AIPA…` id. IAM is not emulated, so any well-formed profile
/// is accepted.
fn iam_profile(
    spec: Option<&w::IamInstanceProfileSpecification>,
    account: &str,
) -> Result<Option<Box<IamProfile>>, Ec2Error> {
    let Some(spec) = spec else { return Ok(None) };
    let arn = match (&spec.arn, &spec.name) {
        (Some(_), Some(_)) => {
            return Err(Ec2Error::new(
                "InvalidParameterCombination",
                "The parameter 'iamInstanceProfile.name' may not be used in combination with 'iamInstanceProfile.arn'",
            ))
        }
        (Some(arn), None) => {
            let ok = arn
                .strip_prefix("arn:aws:iam::")
                .and_then(|r| r.split_once(":instance-profile/"))
                .is_some_and(|(acct, name)| acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty());
            if !ok {
                return Err(Ec2Error::invalid_value("iamInstanceProfile.arn", arn, "Invalid IAM Instance Profile ARN"));
            }
            arn.clone()
        }
        (None, Some(name)) if !name.is_empty() => format!("arn:aws:iam::{account}:instance-profile/{name}"),
        _ => return Ok(None),
    };
    let id = {
        use rand::Rng;
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut rng = rand::thread_rng();
        let tail: String = (0..17)
            .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
            .collect();
        format!("AIPA{tail}")
    };
    Ok(Some(Box::new(IamProfile { arn, id })))
}

/// The EBS volumes to create: the AMI's root device (resized or retyped by a mapping of the
/// same name), then every other EBS mapping.
fn block_devices(
    image: &Image,
    mappings: &[w::BlockDeviceMapping],
) -> Result<Vec<VolumeSpec>, Ec2Error> {
    let mut root = VolumeSpec {
        device_name: image.root_device_name.clone(),
        size_gib: image.root_volume_size,
        volume_type: image.volume_type.clone(),
        snapshot_id: Some(image.snapshot_id.clone()),
        delete_on_termination: true,
    };
    let mut extra = Vec::new();
    for m in mappings {
        let device = m
            .device_name
            .clone()
            .ok_or_else(|| Ec2Error::missing_parameter("BlockDeviceMapping.deviceName"))?;
        let Some(ebs) = &m.ebs else { continue };
        let vtype = ebs.volume_type.as_ref().map(|t| t.as_str().to_string());
        if let Some(t) = &vtype {
            if !matches!(
                t.as_str(),
                "standard" | "io1" | "io2" | "gp2" | "gp3" | "sc1" | "st1"
            ) {
                return Err(Ec2Error::invalid_value(
                    "volumeType",
                    t,
                    "Valid values: standard, io1, io2, gp2, gp3, sc1, st1.",
                ));
            }
        }
        if device == image.root_device_name {
            if let Some(size) = ebs.volume_size {
                if size < image.root_volume_size {
                    return Err(Ec2Error::invalid_parameter_value(format!(
                        "Volume of size {size}GB is smaller than snapshot '{}', expect size >= {}GB",
                        image.snapshot_id, image.root_volume_size
                    )));
                }
                root.size_gib = size;
            }
            if let Some(t) = vtype {
                root.volume_type = t;
            }
            if let Some(d) = ebs.delete_on_termination {
                root.delete_on_termination = d;
            }
        } else {
            let size = ebs
                .volume_size
                .ok_or_else(|| Ec2Error::missing_parameter("BlockDeviceMapping.ebs.volumeSize"))?;
            if !(1..=65536).contains(&size) {
                return Err(Ec2Error::invalid_value(
                    "volumeSize",
                    &size.to_string(),
                    "Volume size must be between 1 and 65536 GiB.",
                ));
            }
            extra.push(VolumeSpec {
                device_name: device,
                size_gib: size,
                volume_type: vtype.unwrap_or_else(|| "gp2".into()),
                snapshot_id: ebs.snapshot_id.clone(),
                delete_on_termination: ebs.delete_on_termination.unwrap_or(true),
            });
        }
    }
    let mut out = vec![root];
    out.extend(extra);
    Ok(out)
}

/// IMDS settings: AMIs flagged `imdsSupport: v2.0` default to tokens required and a hop
/// limit of 2, others to optional and 1 (EC2 User Guide, "Configure the instance metadata
/// options for new instances").
fn metadata_options(
    image: &Image,
    req: Option<&w::InstanceMetadataOptionsRequest>,
) -> Result<MetadataOptions, Ec2Error> {
    let v2 = image.imds_support.as_deref() == Some("v2.0");
    let mut m = MetadataOptions {
        http_tokens: if v2 { "required" } else { "optional" }.into(),
        http_put_response_hop_limit: if v2 { 2 } else { 1 },
        http_endpoint: "enabled".into(),
        http_protocol_ipv6: "disabled".into(),
        instance_metadata_tags: "disabled".into(),
    };
    if let Some(r) = req {
        let pick = |v: Option<&str>,
                    allowed: &[&str],
                    name: &str,
                    slot: &mut String|
         -> Result<(), Ec2Error> {
            if let Some(v) = v {
                if !allowed.contains(&v) {
                    return Err(Ec2Error::invalid_value(
                        name,
                        v,
                        &format!("Valid values: {}.", allowed.join(", ")),
                    ));
                }
                *slot = v.to_string();
            }
            Ok(())
        };
        pick(
            r.http_tokens.as_ref().map(|v| v.as_str()),
            &["optional", "required"],
            "httpTokens",
            &mut m.http_tokens,
        )?;
        pick(
            r.http_endpoint.as_ref().map(|v| v.as_str()),
            &["enabled", "disabled"],
            "httpEndpoint",
            &mut m.http_endpoint,
        )?;
        pick(
            r.http_protocol_ipv6.as_ref().map(|v| v.as_str()),
            &["enabled", "disabled"],
            "httpProtocolIpv6",
            &mut m.http_protocol_ipv6,
        )?;
        pick(
            r.instance_metadata_tags.as_ref().map(|v| v.as_str()),
            &["enabled", "disabled"],
            "instanceMetadataTags",
            &mut m.instance_metadata_tags,
        )?;
        if let Some(h) = r.http_put_response_hop_limit {
            if !(1..=64).contains(&h) {
                return Err(Ec2Error::invalid_value(
                    "httpPutResponseHopLimit",
                    &h.to_string(),
                    "Valid values are 1 to 64.",
                ));
            }
            m.http_put_response_hop_limit = h;
        }
    }
    Ok(m)
}
