//! RunInstances: a validated [`Launch`] becomes a reservation of instances, each with its
//! primary network interface and EBS volumes.

use super::describe::{reservation_to_wire, state_wire};
use super::now_plus;
use super::validate::validate_launch;
use crate::clock::Timestamp;
use crate::context::Cx;
use crate::generated::types as w;
use crate::handlers::common::tags_for;
use crate::store::{
    new_id, EniAttachment, IamProfile, Image, Instance, InstanceState, MetadataOptions,
    NetworkInterface, Phase, Reservation, Tags, Volume, VolumeAttachment,
};
use crate::Ec2Error;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Everything RunInstances checked, ready to apply.
pub(super) struct Launch {
    pub count: usize,
    pub image: Image,
    pub instance_type: String,
    pub subnet_id: String,
    pub vpc_id: String,
    pub az: String,
    pub groups: Vec<String>,
    pub private_ip: Option<u32>,
    /// Secondary addresses of the primary interface (PrivateIpAddresses).
    pub secondary_ips: Vec<u32>,
    pub public_ip: bool,
    /// The root volume first, then the other EBS mappings in order.
    pub volumes: Vec<VolumeSpec>,
    /// TagSpecifications by resource type.
    pub tags: Vec<(String, Tags)>,
    pub metadata: MetadataOptions,
    pub user_data: Option<Vec<u8>>,
    pub iam_instance_profile: Option<Box<IamProfile>>,
    /// The subnet's DNS name options, and whether the primary interface gets an IPv6
    /// address from the subnet's /64 (AssignIpv6AddressOnCreation).
    pub hostname_type: &'static str,
    pub resource_name_a: bool,
    pub resource_name_aaaa: bool,
    pub ipv6: bool,
    pub subnet_ipv6: String,
    pub shutdown_behavior: &'static str,
    pub cpu_credits: Option<&'static str>,
    pub hibernation: bool,
}

/// One EBS volume each instance of a launch gets.
pub(super) struct VolumeSpec {
    pub device_name: Arc<str>,
    pub size_gib: i32,
    pub volume_type: String,
    pub snapshot_id: Option<String>,
    pub delete_on_termination: bool,
    /// Ebs.Encrypted of the mapping (the catalog's snapshots are not encrypted).
    pub encrypted: bool,
    /// Ebs.Iops and Ebs.Throughput as given; gp3 defaults to 3,000 and 125.
    pub iops: Option<i32>,
    pub throughput: Option<i32>,
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
    // A launch template's version supplies what the request does not say.
    let (input, template_tags) =
        match crate::handlers::launch_templates::for_launch(&cx.view(), &input)? {
            Some(t) => (t.input, Some(t.tags)),
            None => (input, None),
        };
    let launch = validate_launch(cx, &input)?;
    let until = now_plus(cx.now, cx.config.transition);
    // EC2 reports launch and attach times in whole seconds (`…:27.000Z`).
    let now = Timestamp(cx.now.0 - cx.now.0.rem_euclid(1000));
    let account = cx.account.to_string();
    let state = cx.commit()?;
    let reservation_id = new_id("r");
    let mut ids = Vec::with_capacity(launch.count);
    // One copy of what every instance of the call shares (interned per launch).
    let image_id: Arc<str> = launch.image.id.as_str().into();
    let instance_type: Arc<str> = launch.instance_type.as_str().into();
    let (subnet_id, vpc_id, az): (Arc<str>, Arc<str>, Arc<str>) = (
        launch.subnet_id.as_str().into(),
        launch.vpc_id.as_str().into(),
        launch.az.as_str().into(),
    );
    for index in 0..launch.count {
        let subnet = state.subnets.get_mut(&launch.subnet_id).expect("validated");
        let private_ip = match launch.private_ip {
            Some(ip) => {
                subnet.used.insert(ip);
                subnet.used.extend(launch.secondary_ips.iter().copied());
                ip
            }
            None => subnet.allocate_ip().expect("capacity validated"),
        };
        let public_ip = launch.public_ip.then(|| state.allocate_public_ip());
        let id = new_id("i");
        // The attachments and the reservation share one copy of the id.
        let shared_id: Arc<str> = id.as_str().into();
        let eni_id = new_id("eni");
        let mut volume_ids = Vec::with_capacity(launch.volumes.len());
        for spec in &launch.volumes {
            let vid = new_id("vol");
            state.volumes.insert(
                vid.clone(),
                Volume {
                    id: vid.clone(),
                    az: az.clone(),
                    size_gib: spec.size_gib,
                    volume_type: spec.volume_type.clone(),
                    snapshot_id: spec.snapshot_id.clone(),
                    create_time: now,
                    ready_at: now,
                    iops: spec.iops.or((spec.volume_type == "gp3").then_some(3000)),
                    throughput: spec
                        .throughput
                        .or((spec.volume_type == "gp3").then_some(125)),
                    encrypted: spec.encrypted,
                    auto_enable_io: false,
                    modification: None,
                    attachment: Some(VolumeAttachment {
                        instance_id: shared_id.clone(),
                        device_name: spec.device_name.clone(),
                        attach_time: now,
                        delete_on_termination: spec.delete_on_termination,
                    }),
                    tags: tags_for::<Volume>(&launch.tags),
                },
            );
            volume_ids.push(vid);
        }
        state.network_interfaces.insert(
            eni_id.clone(),
            NetworkInterface {
                id: eni_id.clone(),
                subnet_id: subnet_id.clone(),
                vpc_id: vpc_id.clone(),
                description: String::new(),
                private_ip,
                secondary_ips: launch.secondary_ips.clone(),
                ipv6_addresses: launch
                    .ipv6
                    .then(|| ipv6_in(&launch.subnet_ipv6))
                    .into_iter()
                    .collect(),
                mac: crate::store::MacAddr::random(),
                groups: launch.groups.clone(),
                source_dest_check: true,
                attachment: Some(EniAttachment {
                    id: new_id("eni-attach"),
                    instance_id: shared_id.clone(),
                    device_index: 0,
                    attach_time: now,
                    delete_on_termination: true,
                }),
                tags: tags_for::<NetworkInterface>(&launch.tags),
            },
        );
        let password_data = match (&launch.image.platform, &input.key_name) {
            (Some(_), Some(k)) => state
                .key_pair_by_name(k)
                .and_then(|p| super::console::windows_password(&p.public_key)),
            _ => None,
        };
        let instance = Instance {
            id: id.clone(),
            reservation_id: reservation_id.clone(),
            image_id: image_id.clone(),
            instance_type: instance_type.clone(),
            key_name: input.key_name.clone(),
            launch_index: index as i32,
            launch_time: now,
            subnet_id: subnet_id.clone(),
            vpc_id: vpc_id.clone(),
            az: az.clone(),
            private_ip,
            public_ip,
            elastic_ip: false,
            hostname_type: launch.hostname_type,
            resource_name_a: launch.resource_name_a,
            resource_name_aaaa: launch.resource_name_aaaa,
            eni_id,
            secondary_enis: Vec::new(),
            volume_ids,
            root_device_name: launch.image.root_device_name.clone(),
            architecture: launch.image.architecture.clone(),
            platform: launch.image.platform.clone(),
            platform_details: launch.image.platform_details.clone(),
            usage_operation: launch.image.usage_operation.clone(),
            boot_mode: launch.image.boot_mode.clone(),
            client_token: input.client_token.clone(),
            user_data: launch.user_data.clone(),
            password_data,
            monitoring: input.monitoring.as_ref().is_some_and(|m| m.enabled),
            ebs_optimized: input.ebs_optimized.unwrap_or(false),
            disable_api_termination: input.disable_api_termination.unwrap_or(false),
            disable_api_stop: input.disable_api_stop.unwrap_or(false),
            shutdown_behavior: launch.shutdown_behavior,
            cpu_credits: launch.cpu_credits,
            iam_instance_profile: launch.iam_instance_profile.clone(),
            metadata: launch.metadata.clone(),
            tenancy: input
                .placement
                .as_ref()
                .and_then(|p| p.tenancy.as_ref())
                .map_or("default".into(), |t| match t.as_str() {
                    "default" => "default".into(),
                    "dedicated" => "dedicated".into(),
                    "host" => "host".into(),
                    other => other.to_string().into(),
                }),
            phase: Phase::Pending { until },
            transition_reason: String::new(),
            state_reason: Some("pending"),
            hibernation_configured: launch.hibernation,
            host_affinity: input.placement.as_ref().and_then(|p| p.affinity.as_deref())
                == Some("host"),
            tags: {
                let mut tags = tags_for::<Instance>(&launch.tags);
                tags.extend(template_tags.iter().flatten().cloned());
                tags
            },
        };
        state.instances.insert(id.clone(), instance);
        ids.push(shared_id);
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

/// A random address in an IPv6 /64 (`2600:1f18:…:…01::/64` → `2600:1f18:…:…01:…`).
fn ipv6_in(block: &str) -> String {
    use rand::Rng;
    let base = block
        .split_once('/')
        .and_then(|(ip, _)| ip.parse::<std::net::Ipv6Addr>().ok())
        .map_or(0, u128::from);
    let host: u64 = crate::rng::rng().gen::<u64>() | 1;
    std::net::Ipv6Addr::from(base | u128::from(host)).to_string()
}
