//! RunInstances, DescribeInstances, StartInstances, StopInstances, TerminateInstances.
//!
//! Lifecycle follows EC2: the answer to Run/Start/Stop/Terminate shows the transitional
//! state (pending, stopping, shutting-down); the settled state is derived from the clock
//! when read (`Config::transition`, zero by default: settled on the next read).

use super::common::{require_all, tag_specifications, tags_for, wire_tags, Kind};
use super::filters::INSTANCE_FILTERS;
use crate::context::Cx;
use crate::describe::filter::{Filters, Tagged, View};
use crate::describe::page::Page;
use crate::generated::types as w;
use crate::store::{
    new_id, Image, Instance, InstanceState, MetadataOptions, NetworkInterface, Phase, RegionState,
    Reservation, Tags, Volume,
};
use crate::wire::Timestamp;
use crate::Ec2Error;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::net::Ipv4Addr;

impl Tagged for Instance {
    fn tags(&self) -> &Tags {
        &self.tags
    }
}

/// EC2's default when RunInstances names no type (API reference: "Default: m1.small").
const DEFAULT_INSTANCE_TYPE: &str = "m1.small";
/// User data is limited to 16 KB before base64 (EC2 User Guide, "Run commands at launch").
const MAX_USER_DATA: usize = 16 * 1024;

/// Everything RunInstances checked, ready to apply.
struct Launch {
    count: usize,
    image: Image,
    instance_type: String,
    subnet_id: String,
    vpc_id: String,
    az: String,
    groups: Vec<String>,
    private_ip: Option<u32>,
    public_ip: bool,
    volumes: Vec<(String, i32, String, Option<String>, bool)>,
    tags: Vec<(String, Tags)>,
    metadata: MetadataOptions,
    user_data: Option<Vec<u8>>,
    iam_instance_profile: Option<Box<(String, String)>>,
}

pub fn run_instances(
    cx: &mut Cx<'_>,
    input: w::RunInstancesInput,
) -> Result<w::RunInstancesOutput, Ec2Error> {
    let s = cx.state();
    // ClientToken: the same token answers with the same reservation (EC2 User Guide,
    // "Ensure idempotency"); other arguments with a used token are a mismatch.
    // Only a ClientToken needs the request's fingerprint (formatting the input is not free).
    let fingerprint = input
        .client_token
        .as_ref()
        .map_or(0, |_| request_fingerprint(&input));
    if let Some(token) = &input.client_token {
        if let Some((rid, fp)) = s.client_tokens.get(token) {
            if *fp != fingerprint {
                return Err(Ec2Error::new(
                    "IdempotentParameterMismatch",
                    "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).",
                ));
            }
            if let Some(r) = s.reservations.get(rid) {
                if cx.dry_run() {
                    return Err(Ec2Error::dry_run());
                }
                return Ok(reservation_to_wire(s, r, cx.now, cx.account));
            }
        }
    }
    let launch = validate_launch(cx, &input)?;
    let until = now_plus(cx.now, cx.config.transition);
    // EC2 reports launch and attach times in whole seconds (`…:27.000Z`).
    let now = Timestamp(cx.now.0 - cx.now.0.rem_euclid(1000));
    let account = cx.account.to_string();
    let state = cx.commit()?;
    let reservation_id = new_id("r");
    let mut ids = Vec::with_capacity(launch.count);
    for index in 0..launch.count {
        let subnet = state.subnets.get_mut(&launch.subnet_id).expect("validated");
        let private_ip = match launch.private_ip {
            Some(ip) => {
                subnet.used.insert(ip);
                ip
            }
            None => subnet.allocate_ip().expect("capacity validated"),
        };
        let public_ip = launch.public_ip.then(|| state.allocate_public_ip());
        let id = new_id("i");
        let eni_id = new_id("eni");
        let mut volume_ids = Vec::with_capacity(launch.volumes.len());
        for (device, size, vtype, snapshot, delete) in &launch.volumes {
            let vid = new_id("vol");
            state.volumes.insert(
                vid.clone(),
                Volume {
                    id: vid.clone(),
                    instance_id: id.clone(),
                    device_name: device.clone(),
                    size_gib: *size,
                    volume_type: vtype.clone(),
                    snapshot_id: snapshot.clone(),
                    attach_time: now,
                    delete_on_termination: *delete,
                    tags: tags_for(&launch.tags, "volume"),
                },
            );
            volume_ids.push(vid);
        }
        state.network_interfaces.insert(
            eni_id.clone(),
            NetworkInterface {
                id: eni_id.clone(),
                instance_id: id.clone(),
                tags: tags_for(&launch.tags, "network-interface"),
            },
        );
        let instance = Instance {
            id: id.clone(),
            reservation_id: reservation_id.clone(),
            image_id: launch.image.id.clone(),
            instance_type: launch.instance_type.clone(),
            key_name: input.key_name.clone(),
            launch_index: index as i32,
            launch_time: now,
            subnet_id: launch.subnet_id.clone(),
            vpc_id: launch.vpc_id.clone(),
            az: launch.az.clone(),
            private_ip,
            public_ip,
            security_groups: launch.groups.clone(),
            eni_id,
            eni_attachment_id: new_id("eni-attach"),
            mac: mac_address(),
            volume_ids,
            root_device_name: launch.image.root_device_name.clone(),
            architecture: launch.image.architecture.clone(),
            platform: launch.image.platform.clone(),
            platform_details: launch.image.platform_details.clone(),
            usage_operation: launch.image.usage_operation.clone(),
            boot_mode: launch.image.boot_mode.clone(),
            client_token: input.client_token.clone(),
            user_data: launch.user_data.clone(),
            monitoring: input.monitoring.as_ref().is_some_and(|m| m.enabled),
            ebs_optimized: input.ebs_optimized.unwrap_or(false),
            disable_api_termination: input.disable_api_termination.unwrap_or(false),
            iam_instance_profile: launch.iam_instance_profile.clone(),
            metadata: launch.metadata.clone(),
            tenancy: input
                .placement
                .as_ref()
                .and_then(|p| p.tenancy.as_ref())
                .map_or("default".into(), |t| t.as_str().to_string()),
            phase: Phase::Pending { until },
            transition_reason: String::new(),
            state_reason: Some("pending"),
            tags: tags_for(&launch.tags, "instance"),
        };
        state.instances.insert(id.clone(), instance);
        ids.push(id);
    }
    let reservation = Reservation {
        id: reservation_id.clone(),
        requester_id: None,
        instance_ids: ids,
    };
    if let Some(token) = &input.client_token {
        state
            .client_tokens
            .insert(token.clone(), (reservation_id.clone(), fingerprint));
    }
    state
        .reservations
        .insert(reservation_id, reservation.clone());
    // The launch answer shows every instance pending, whatever the clock says by now.
    let mut out = reservation_to_wire(state, &reservation, now, &account);
    for i in out.instances.iter_mut().flatten() {
        i.state = Some(state_wire(InstanceState::Pending));
        i.state_reason = Some(w::StateReason {
            code: Some("pending".into()),
            message: Some("pending".into()),
        });
        if let Some(m) = &mut i.metadata_options {
            m.state = Some(w::InstanceMetadataOptionsState::Pending);
        }
    }
    Ok(out)
}

fn request_fingerprint(input: &w::RunInstancesInput) -> u64 {
    let mut copy = input.clone();
    copy.dry_run = None;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{copy:?}").hash(&mut h);
    h.finish()
}

fn now_plus(now: Timestamp, d: std::time::Duration) -> Timestamp {
    Timestamp(now.0 + d.as_millis() as i64)
}

fn mac_address() -> String {
    use rand::Rng;
    let b: [u8; 5] = rand::thread_rng().gen();
    format!(
        "0e:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        b[0], b[1], b[2], b[3], b[4]
    )
}

/// The architecture of an instance type: Graviton families carry a `g` after the
/// generation digit (t4g, m7gd, c7gn), plus a1; the rest are x86_64.
fn type_architecture(t: &str) -> &'static str {
    let family = t.split('.').next().unwrap_or("");
    let after_digit = family
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .trim_start_matches(|c: char| c.is_ascii_digit());
    if family == "a1" || after_digit.contains('g') {
        "arm64"
    } else if family.starts_with("mac") {
        if family == "mac1" {
            "x86_64_mac"
        } else {
            "arm64_mac"
        }
    } else {
        "x86_64"
    }
}

fn validate_launch(cx: &Cx<'_>, input: &w::RunInstancesInput) -> Result<Launch, Ec2Error> {
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
    let type_arch = type_architecture(&instance_type);
    if type_arch != image.architecture {
        return Err(Ec2Error::invalid_parameter_value(format!(
            "The architecture '{type_arch}' of the specified instance type does not match the architecture '{}' of the specified AMI. \
             Specify an instance type and an AMI that have matching architectures, and try again. \
             You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.",
            image.architecture
        )));
    }
    if let Some(k) = &input.key_name {
        if !s.key_pairs.contains_key(k) {
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
    require_all(Kind::SecurityGroup, &ids, |id| {
        s.security_groups.contains_key(id)
    })?;
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
) -> Result<Option<Box<(String, String)>>, Ec2Error> {
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
    Ok(Some(Box::new((arn, id))))
}

/// The EBS volumes to create: the AMI's root device (resized or retyped by a mapping of the
/// same name), then every other EBS mapping.
#[allow(clippy::type_complexity)]
fn block_devices(
    image: &Image,
    mappings: &[w::BlockDeviceMapping],
) -> Result<Vec<(String, i32, String, Option<String>, bool)>, Ec2Error> {
    let mut root = (
        image.root_device_name.clone(),
        image.root_volume_size,
        image.volume_type.clone(),
        Some(image.snapshot_id.clone()),
        true,
    );
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
                root.1 = size;
            }
            if let Some(t) = vtype {
                root.2 = t;
            }
            if let Some(d) = ebs.delete_on_termination {
                root.4 = d;
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
            extra.push((
                device,
                size,
                vtype.unwrap_or_else(|| "gp2".into()),
                ebs.snapshot_id.clone(),
                ebs.delete_on_termination.unwrap_or(true),
            ));
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

pub fn describe_instances(
    cx: &mut Cx<'_>,
    input: w::DescribeInstancesInput,
) -> Result<w::DescribeInstancesOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), INSTANCE_FILTERS)?;
    let ids = input.instance_ids.clone().unwrap_or_default();
    // yuuki/grabeni#7, aws-cli#1976.
    if !ids.is_empty() && input.max_results.is_some() {
        return Err(Ec2Error::new(
            "InvalidParameterCombination",
            "The parameter instancesSet cannot be used with the parameter maxResults",
        ));
    }
    let s = cx.state();
    let now = cx.now;
    let retention = cx.config.terminated_retention;
    let visible = |i: &Instance| {
        i.phase
            .terminated_at(now)
            .is_none_or(|at| now.0 - at.0 < retention.as_millis() as i64)
    };
    require_all(Kind::Instance, &ids, |id| {
        s.instances.get(id).is_some_and(visible)
    })?;
    let page = Page::new(
        "DescribeInstances",
        input.max_results,
        input.next_token.as_deref(),
        &format!("{:?}{ids:?}", input.filters),
    )?;
    let view = View { state: s, now };
    // Pages walk the instances in id order (a sequential B-tree walk, no lookups per
    // item); explicit ids are looked up directly.
    let (page_items, next_token) = page.select(&s.instances, &ids, |i| {
        visible(i) && filters.matches(i, &view)
    });
    // One reservation element per reservation in the page, in order of first appearance,
    // its instances in launch order.
    let mut groups: Vec<Vec<&Instance>> = Vec::new();
    let mut slot: HashMap<&str, usize> = HashMap::new();
    for i in page_items {
        let k = *slot.entry(&i.reservation_id).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[k].push(i);
    }
    let out: Vec<w::Reservation> = groups
        .into_iter()
        .map(|mut g| {
            g.sort_by_key(|i| i.launch_index);
            let mut r = match s.reservations.get(&g[0].reservation_id) {
                Some(r) => reservation_shell(r, cx.account),
                None => w::Reservation {
                    reservation_id: Some(g[0].reservation_id.clone()),
                    owner_id: Some(cx.account.to_string()),
                    groups: Some(vec![]),
                    ..Default::default()
                },
            };
            r.instances = Some(g.into_iter().map(|i| instance_to_wire(s, i, now)).collect());
            r
        })
        .collect();
    Ok(w::DescribeInstancesOutput {
        reservations: Some(out),
        next_token,
    })
}

fn reservation_shell(r: &Reservation, account: &str) -> w::Reservation {
    w::Reservation {
        reservation_id: Some(r.id.clone()),
        owner_id: Some(account.to_string()),
        requester_id: r.requester_id.clone(),
        // EC2-Classic group names; VPC launches show an empty groupSet.
        groups: Some(vec![]),
        instances: Some(vec![]),
    }
}

fn reservation_to_wire(
    s: &RegionState,
    r: &Reservation,
    now: Timestamp,
    account: &str,
) -> w::Reservation {
    let mut out = reservation_shell(r, account);
    out.instances = Some(
        r.instance_ids
            .iter()
            .filter_map(|id| s.instances.get(id))
            .map(|i| instance_to_wire(s, i, now))
            .collect(),
    );
    out
}

fn state_wire(st: InstanceState) -> w::InstanceState {
    w::InstanceState {
        code: Some(st.code()),
        name: Some(w::InstanceStateName::from(st.name())),
    }
}

pub(super) fn dotted(ip: u32) -> String {
    let mut out = String::with_capacity(15);
    push_ip(&mut out, ip, '.');
    out
}

/// The four octets of `ip` joined by `sep`, without `core::fmt` (it showed in profiles:
/// every instance in every answer writes its addresses several times).
fn push_ip(out: &mut String, ip: u32, sep: char) {
    for (n, octet) in ip.to_be_bytes().into_iter().enumerate() {
        if n > 0 {
            out.push(sep);
        }
        if octet >= 100 {
            out.push((b'0' + octet / 100) as char);
        }
        if octet >= 10 {
            out.push((b'0' + octet / 10 % 10) as char);
        }
        out.push((b'0' + octet % 10) as char);
    }
}

/// `prefix` + the address with dashes + `suffix`: EC2's DNS names.
fn dns_name(prefix: &str, ip: u32, suffix: &[&str]) -> String {
    let mut out = String::with_capacity(64);
    out.push_str(prefix);
    push_ip(&mut out, ip, '-');
    suffix.iter().for_each(|s| out.push_str(s));
    out
}

/// `ip-172-31-5-10.ec2.internal` in us-east-1, `ip-….{region}.compute.internal` elsewhere.
pub(super) fn private_dns(region: &str, ip: u32) -> String {
    if region == "us-east-1" {
        dns_name("ip-", ip, &[".ec2.internal"])
    } else {
        dns_name("ip-", ip, &[".", region, ".compute.internal"])
    }
}

/// `ec2-3-80-0-10.compute-1.amazonaws.com` in us-east-1, `ec2-….{region}.compute.amazonaws.com` elsewhere.
pub(super) fn public_dns(region: &str, ip: u32) -> String {
    if region == "us-east-1" {
        dns_name("ec2-", ip, &[".compute-1.amazonaws.com"])
    } else {
        dns_name("ec2-", ip, &[".", region, ".compute.amazonaws.com"])
    }
}

/// Cores × threads per core of an instance type: t2 and a1 have one thread per core;
/// sizes up to large have one core, then two per xlarge.
fn cpu_options(t: &str) -> (i32, i32) {
    let (family, size) = t.split_once('.').unwrap_or((t, "large"));
    let threads = if family.starts_with("t2") || family == "a1" || type_architecture(t) == "arm64" {
        1
    } else {
        2
    };
    let vcpus = match size {
        "nano" | "micro" | "small" | "medium" => 2,
        "large" => 2,
        "xlarge" => 4,
        s => s
            .strip_suffix("xlarge")
            .and_then(|n| n.parse::<i32>().ok())
            .map_or(2, |n| 4 * n),
    };
    let vcpus = if family.starts_with("t2") && matches!(size, "nano" | "micro" | "small") {
        1
    } else {
        vcpus
    };
    ((vcpus / threads).max(1), threads)
}

pub(super) fn reason_message(code: &str) -> &'static str {
    match code {
        "pending" => "pending",
        "Client.UserInitiatedShutdown" => "Client.UserInitiatedShutdown: User initiated shutdown",
        _ => "",
    }
}

pub fn instance_to_wire(s: &RegionState, i: &Instance, now: Timestamp) -> w::Instance {
    let st = i.phase.state(now);
    let gone = st == InstanceState::Terminated;
    let region = s.region.as_str();
    let dns_hostnames = s.vpcs.get(&i.vpc_id).is_some_and(|v| v.is_default);
    let groups: Vec<w::GroupIdentifier> = i
        .security_groups
        .iter()
        .map(|g| w::GroupIdentifier {
            group_id: Some(g.clone()),
            group_name: s.security_groups.get(g).map(|x| x.name.clone()),
        })
        .collect();
    let public_dns_name = match i.public_ip {
        Some(ip) if dns_hostnames => public_dns(region, ip),
        _ => String::new(),
    };
    let association = i
        .public_ip
        .map(|ip| w::InstanceNetworkInterfaceAssociation {
            ip_owner_id: Some("amazon".into()),
            public_dns_name: Some(public_dns_name.clone()),
            public_ip: Some(dotted(ip)),
            ..Default::default()
        });
    let network_interfaces = if gone {
        vec![]
    } else {
        vec![w::InstanceNetworkInterface {
            association: association.clone(),
            attachment: Some(w::InstanceNetworkInterfaceAttachment {
                attach_time: Some(i.launch_time),
                attachment_id: Some(i.eni_attachment_id.clone()),
                delete_on_termination: Some(true),
                device_index: Some(0),
                status: Some(w::AttachmentStatus::Attached),
                network_card_index: Some(0),
                ..Default::default()
            }),
            description: Some(String::new()),
            groups: Some(groups.clone()),
            ipv6_addresses: Some(vec![]),
            mac_address: Some(i.mac.clone()),
            network_interface_id: Some(i.eni_id.clone()),
            owner_id: Some(s.account.clone()),
            private_dns_name: Some(private_dns(region, i.private_ip)),
            private_ip_address: Some(dotted(i.private_ip)),
            private_ip_addresses: Some(vec![w::InstancePrivateIpAddress {
                association,
                primary: Some(true),
                private_dns_name: Some(private_dns(region, i.private_ip)),
                private_ip_address: Some(dotted(i.private_ip)),
            }]),
            source_dest_check: Some(true),
            status: Some(w::NetworkInterfaceStatus::InUse),
            subnet_id: Some(i.subnet_id.clone()),
            vpc_id: Some(i.vpc_id.clone()),
            interface_type: Some("interface".into()),
            operator: Some(w::OperatorResponse {
                managed: Some(false),
                ..Default::default()
            }),
            ..Default::default()
        }]
    };
    let block_devices = if gone {
        vec![]
    } else {
        i.volume_ids
            .iter()
            .filter_map(|v| s.volumes.get(v))
            .map(|v| w::InstanceBlockDeviceMapping {
                device_name: Some(v.device_name.clone()),
                ebs: Some(w::EbsInstanceBlockDevice {
                    attach_time: Some(v.attach_time),
                    delete_on_termination: Some(v.delete_on_termination),
                    status: Some(w::AttachmentStatus::Attached),
                    volume_id: Some(v.id.clone()),
                    ..Default::default()
                }),
            })
            .collect()
    };
    let (cores, threads) = cpu_options(&i.instance_type);
    let state_reason = match st {
        InstanceState::Pending => Some("pending"),
        InstanceState::Running => None,
        _ => i.state_reason,
    };
    w::Instance {
        instance_id: Some(i.id.clone()),
        image_id: Some(i.image_id.clone()),
        state: Some(state_wire(st)),
        private_dns_name: Some(if gone {
            String::new()
        } else {
            private_dns(region, i.private_ip)
        }),
        public_dns_name: Some(public_dns_name),
        state_transition_reason: Some(i.transition_reason.clone()),
        key_name: i.key_name.clone(),
        ami_launch_index: Some(i.launch_index),
        product_codes: Some(vec![]),
        instance_type: Some(w::InstanceType::from(i.instance_type.as_str())),
        launch_time: Some(i.launch_time),
        placement: Some(w::Placement {
            availability_zone: Some(i.az.clone()),
            availability_zone_id: s
                .azs
                .iter()
                .find(|(n, _)| *n == i.az)
                .map(|(_, id)| id.clone()),
            group_name: Some(String::new()),
            tenancy: Some(w::Tenancy::from(i.tenancy.as_str())),
            ..Default::default()
        }),
        platform: i.platform.as_deref().map(w::PlatformValues::from),
        monitoring: Some(w::Monitoring {
            state: Some(if i.monitoring {
                w::MonitoringState::Enabled
            } else {
                w::MonitoringState::Disabled
            }),
        }),
        subnet_id: (!gone).then(|| i.subnet_id.clone()),
        vpc_id: (!gone).then(|| i.vpc_id.clone()),
        private_ip_address: (!gone).then(|| dotted(i.private_ip)),
        public_ip_address: i.public_ip.map(dotted),
        architecture: Some(w::ArchitectureValues::from(i.architecture.as_str())),
        root_device_type: Some(w::DeviceType::Ebs),
        root_device_name: Some(i.root_device_name.clone()),
        block_device_mappings: Some(block_devices),
        virtualization_type: Some(w::VirtualizationType::Hvm),
        client_token: Some(i.client_token.clone().unwrap_or_default()),
        iam_instance_profile: i
            .iam_instance_profile
            .as_ref()
            .map(|p| w::IamInstanceProfile {
                arn: Some(p.0.clone()),
                id: Some(p.1.clone()),
            }),
        tags: (!i.tags.is_empty()).then(|| wire_tags(&i.tags)),
        security_groups: Some(if gone { vec![] } else { groups }),
        source_dest_check: (!gone).then_some(true),
        hypervisor: Some(w::HypervisorType::Xen),
        network_interfaces: Some(network_interfaces),
        ebs_optimized: Some(i.ebs_optimized),
        ena_support: Some(true),
        cpu_options: Some(w::CpuOptions {
            core_count: Some(cores),
            threads_per_core: Some(threads),
            ..Default::default()
        }),
        capacity_reservation_specification: Some(w::CapacityReservationSpecificationResponse {
            capacity_reservation_preference: Some(w::CapacityReservationPreference::Open),
            capacity_reservation_target: None,
        }),
        hibernation_options: Some(w::HibernationOptions {
            configured: Some(false),
        }),
        metadata_options: Some(w::InstanceMetadataOptionsResponse {
            state: Some(if st == InstanceState::Pending {
                w::InstanceMetadataOptionsState::Pending
            } else {
                w::InstanceMetadataOptionsState::Applied
            }),
            http_tokens: Some(w::HttpTokensState::from(i.metadata.http_tokens.as_str())),
            http_put_response_hop_limit: Some(i.metadata.http_put_response_hop_limit),
            http_endpoint: Some(w::InstanceMetadataEndpointState::from(
                i.metadata.http_endpoint.as_str(),
            )),
            http_protocol_ipv6: Some(w::InstanceMetadataProtocolState::from(
                i.metadata.http_protocol_ipv6.as_str(),
            )),
            instance_metadata_tags: Some(w::InstanceMetadataTagsState::from(
                i.metadata.instance_metadata_tags.as_str(),
            )),
        }),
        enclave_options: Some(w::EnclaveOptions {
            enabled: Some(false),
        }),
        boot_mode: i.boot_mode.as_deref().map(w::BootModeValues::from),
        current_instance_boot_mode: Some(w::InstanceBootModeValues::from(
            if i.boot_mode.as_deref() == Some("uefi") || i.architecture == "arm64" {
                "uefi"
            } else {
                "legacy-bios"
            },
        )),
        platform_details: Some(i.platform_details.clone()),
        usage_operation: Some(i.usage_operation.clone()),
        usage_operation_update_time: Some(i.launch_time),
        private_dns_name_options: Some(w::PrivateDnsNameOptionsResponse {
            hostname_type: Some(w::HostnameType::IpName),
            enable_resource_name_dns_a_record: Some(false),
            enable_resource_name_dns_aaaa_record: Some(false),
        }),
        maintenance_options: Some(w::InstanceMaintenanceOptions {
            auto_recovery: Some(w::InstanceAutoRecoveryState::Default),
            reboot_migration: Some(w::InstanceRebootMigrationState::Default),
        }),
        network_performance_options: Some(w::InstanceNetworkPerformanceOptions {
            bandwidth_weighting: Some(w::InstanceBandwidthWeighting::Default),
        }),
        operator: Some(w::OperatorResponse {
            managed: Some(false),
            ..Default::default()
        }),
        state_reason: state_reason.map(|c| w::StateReason {
            code: Some(c.to_string()),
            message: Some(reason_message(c).to_string()),
        }),
        ..Default::default()
    }
}

/// The three state-change operations share validation and their answer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    Start,
    Stop,
    Terminate,
}

fn change_state(
    cx: &mut Cx<'_>,
    ids: &[String],
    change: Change,
) -> Result<Vec<w::InstanceStateChange>, Ec2Error> {
    if ids.is_empty() {
        return Err(Ec2Error::missing_parameter("instanceId"));
    }
    let s = cx.state();
    let now = cx.now;
    let retention = cx.config.terminated_retention.as_millis() as i64;
    let visible = |i: &Instance| {
        i.phase
            .terminated_at(now)
            .is_none_or(|at| now.0 - at.0 < retention)
    };
    require_all(Kind::Instance, ids, |id| {
        s.instances.get(id).is_some_and(visible)
    })?;
    // Every instance is checked before any changes (no partial state on error).
    let mut plan: Vec<(String, InstanceState, InstanceState)> = Vec::with_capacity(ids.len());
    for id in ids {
        if plan.iter().any(|(p, _, _)| p == id) {
            continue;
        }
        let i = &s.instances[id];
        let before = i.phase.state(now);
        use InstanceState as S;
        let after = match (change, before) {
            (Change::Start, S::Stopped) => S::Pending,
            (Change::Start, S::Pending | S::Running) => before,
            // burstable-ai/burst#42: "The instance 'i-…' is not in a state from which it can be started".
            (Change::Start, _) => {
                return Err(Ec2Error::new("IncorrectInstanceState", format!("The instance '{id}' is not in a state from which it can be started")))
            }
            (Change::Stop, S::Running) => S::Stopping,
            (Change::Stop, S::Stopping | S::Stopped) => before,
            // cloud-custodian#6014.
            (Change::Stop, S::Pending) => {
                return Err(Ec2Error::new(
                    "IncorrectInstanceState",
                    format!("Instance '{id}' cannot be stopped as it has never reached the 'running' state."),
                ))
            }
            (Change::Stop, _) => {
                // Unverified wording: EC2's verified start message, with "stopped".
                return Err(Ec2Error::new("IncorrectInstanceState", format!("The instance '{id}' is not in a state from which it can be stopped")))
            }
            (Change::Terminate, S::ShuttingDown | S::Terminated) => before,
            (Change::Terminate, _) if i.disable_api_termination => {
                return Err(Ec2Error::new(
                    "OperationNotPermitted",
                    format!("The instance '{id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again."),
                ))
            }
            (Change::Terminate, _) => S::ShuttingDown,
        };
        plan.push((id.clone(), before, after));
    }
    let until = now_plus(now, cx.config.transition);
    let reason = format!(
        "User initiated ({} GMT)",
        Timestamp::format(now, crate::wire::TimestampFormat::DateTime)[..19].replace('T', " ")
    );
    let state = cx.commit()?;
    state.purge_terminated(Timestamp(now.0 - retention));
    let mut out = Vec::with_capacity(plan.len());
    for (id, before, after) in plan {
        if before != after {
            apply(state, &id, change, until, now, &reason);
        }
        out.push(w::InstanceStateChange {
            instance_id: Some(id),
            previous_state: Some(state_wire(before)),
            current_state: Some(state_wire(after)),
        });
    }
    Ok(out)
}

/// The side effects of a state change, done when it is requested.
fn apply(
    state: &mut RegionState,
    id: &str,
    change: Change,
    until: Timestamp,
    now: Timestamp,
    reason: &str,
) {
    let Some(i) = state.instances.get_mut(id) else {
        return;
    };
    match change {
        Change::Start => {
            i.phase = Phase::Pending { until };
            i.transition_reason = String::new();
            i.state_reason = None;
            let maps_public = state
                .subnets
                .get(&i.subnet_id)
                .is_some_and(|s| s.map_public_ip_on_launch);
            if maps_public && i.public_ip.is_none() {
                let ip = state.allocate_public_ip();
                if let Some(i) = state.instances.get_mut(id) {
                    i.public_ip = Some(ip);
                }
            }
        }
        Change::Stop => {
            // A stopped instance keeps its private address and loses its public one.
            i.phase = Phase::Stopping { until };
            i.public_ip = None;
            i.transition_reason = reason.to_string();
            i.state_reason = Some("Client.UserInitiatedShutdown");
        }
        Change::Terminate => {
            i.phase = Phase::ShuttingDown { until };
            i.public_ip = None;
            i.transition_reason = reason.to_string();
            i.state_reason = Some("Client.UserInitiatedShutdown");
            // The address goes back to the subnet now; the interface and the volumes that
            // go with the instance stay attached until it is terminated (then they count as
            // deleted) and are dropped with the instance after the retention.
            let (subnet_id, ip) = (i.subnet_id.clone(), i.private_ip);
            if let Some(sub) = state.subnets.get_mut(&subnet_id) {
                sub.release_ip(ip);
            }
            state.terminated.push_back((now, id.to_string()));
        }
    }
}

pub fn start_instances(
    cx: &mut Cx<'_>,
    input: w::StartInstancesInput,
) -> Result<w::StartInstancesOutput, Ec2Error> {
    Ok(w::StartInstancesOutput {
        starting_instances: Some(change_state(cx, &input.instance_ids, Change::Start)?),
    })
}

pub fn stop_instances(
    cx: &mut Cx<'_>,
    input: w::StopInstancesInput,
) -> Result<w::StopInstancesOutput, Ec2Error> {
    Ok(w::StopInstancesOutput {
        stopping_instances: Some(change_state(cx, &input.instance_ids, Change::Stop)?),
    })
}

pub fn terminate_instances(
    cx: &mut Cx<'_>,
    input: w::TerminateInstancesInput,
) -> Result<w::TerminateInstancesOutput, Ec2Error> {
    Ok(w::TerminateInstancesOutput {
        terminating_instances: Some(change_state(cx, &input.instance_ids, Change::Terminate)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_dns_names_are_written_like_ec2() {
        let ip = u32::from(Ipv4Addr::new(172, 31, 0, 104));
        assert_eq!(dotted(ip), "172.31.0.104");
        assert_eq!(dotted(u32::from(Ipv4Addr::new(3, 80, 10, 0))), "3.80.10.0");
        assert_eq!(private_dns("us-east-1", ip), "ip-172-31-0-104.ec2.internal");
        assert_eq!(
            private_dns("eu-west-1", ip),
            "ip-172-31-0-104.eu-west-1.compute.internal"
        );
        assert_eq!(
            public_dns("us-east-1", ip),
            "ec2-172-31-0-104.compute-1.amazonaws.com"
        );
        assert_eq!(
            public_dns("ap-south-1", ip),
            "ec2-172-31-0-104.ap-south-1.compute.amazonaws.com"
        );
    }
}
