//! DescribeInstances, and an instance as the wire shows it (also the answer of
//! RunInstances).

use crate::clock::Timestamp;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::handlers::common::{kept_item, wire_tags};
use crate::handlers::filters::INSTANCE_FILTERS;
use crate::instance_types;
use crate::net::{dotted, private_dns, public_dns};
use crate::store::{Instance, InstanceState, RegionState, RenderKey, Reservation};
use crate::Ec2Error;
use std::collections::HashMap;

pub fn describe_instances(
    cx: &mut Cx<'_>,
    input: w::DescribeInstancesInput,
) -> Result<w::DescribeInstancesOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), INSTANCE_FILTERS)?;
    let ids = input.instance_ids.clone().unwrap_or_default();
    crate::describe::page::ids_not_paged(!ids.is_empty(), input.max_results, "instancesSet")?;
    let view = cx.view();
    let (s, now) = (view.state, view.now);
    // Pages walk the instances in id order (a sequential B-tree walk, no lookups per
    // item), or only those the tag index names for a tag filter; explicit ids are
    // looked up directly.
    let (page_items, next_token) = view.filtered(&input, &ids, &filters)?;
    // One reservation element per reservation in the page, in order of first appearance,
    // its instances in launch order: each instance is tagged with its reservation's place
    // and the page sorted once (one allocation for the page, not one per reservation).
    let mut slot: HashMap<&str, usize, foldhash::fast::RandomState> = HashMap::default();
    let mut order: Vec<(usize, i32, &Instance)> = Vec::with_capacity(page_items.len());
    for i in page_items {
        let next = slot.len();
        let k = *slot.entry(&i.reservation_id).or_insert(next);
        order.push((k, i.launch_index, i));
    }
    order.sort_unstable_by_key(|&(k, launch, _)| (k, launch));
    let budget = cx.config.render_cache_bytes;
    let mut out: Vec<w::Reservation> = Vec::with_capacity(slot.len());
    let mut shown: Vec<&Instance> = Vec::new();
    for group in order.chunk_by(|a, b| a.0 == b.0) {
        shown.clear();
        shown.extend(group.iter().map(|&(_, _, i)| i));
        out.push(kept_reservation(s, &shown, now, cx.account, budget));
    }
    Ok(w::DescribeInstancesOutput {
        reservations: Some(out),
        next_token,
    })
}

/// The tables an instance's item reads besides its own (see [`render_deps`]).
fn instance_tables(s: &RegionState) -> [u64; 4] {
    [
        s.vpcs.written(),
        s.network_interfaces.written(),
        s.security_groups.written(),
        s.volumes.written(),
    ]
}

/// What an instance's own item is keyed on: its revision and its state (the clock moves
/// it without a write).
fn instance_own(s: &RegionState, i: &Instance, now: Timestamp) -> [u64; 2] {
    [
        s.instances.rev(&i.id).unwrap_or(0),
        i.phase.state(now).code() as u64,
    ]
}

/// A reservation's item showing `shown` (its instances on this page, in launch order),
/// kept like an instance's: keyed on each shown instance's own key (the reservation's
/// own fields never change), its dependencies theirs. It holds the instances' kept items,
/// shared.
fn kept_reservation(
    s: &RegionState,
    shown: &[&Instance],
    now: Timestamp,
    account: &str,
    budget: usize,
) -> w::Reservation {
    let rid = &shown[0].reservation_id;
    let to_wire = || {
        let mut r = match s.reservations.get(rid) {
            Some(r) => reservation_shell(r, account),
            None => w::Reservation {
                reservation_id: Some(rid.clone()),
                owner_id: Some(account.to_string()),
                groups: Some(vec![]),
                ..Default::default()
            },
        };
        r.instances = Some(
            shown
                .iter()
                .map(|i| rendered_instance(s, i, now, budget))
                .collect(),
        );
        r
    };
    if budget == 0 {
        // No cache: not even the key is needed.
        return to_wire();
    }
    // The shell (id, owner, requester) never changes, and stands while any of its
    // instances does: the instances' keys are the whole key. Small reservations (most
    // are one instance) keep it on the stack.
    let mut inline = [0u64; 8];
    let mut heap = Vec::new();
    let own: &[u64] = if shown.len() * 2 <= inline.len() {
        for (k, i) in shown.iter().enumerate() {
            inline[2 * k..2 * k + 2].copy_from_slice(&instance_own(s, i, now));
        }
        &inline[..2 * shown.len()]
    } else {
        heap.extend(shown.iter().flat_map(|i| instance_own(s, i, now)));
        &heap
    };
    let deps = |key: &mut Vec<u64>| shown.iter().for_each(|i| render_deps(s, i, key));
    let key = RenderKey {
        own,
        tables: &instance_tables(s),
        deps: &deps,
    };
    kept_item(
        s,
        rid,
        &key,
        budget,
        to_wire,
        crate::generated::xml::write_reservation,
        |item| w::Reservation {
            rendered: Some(item),
            ..Default::default()
        },
    )
}

/// An instance's item, from the render cache when nothing it shows has changed since it
/// was rendered (see `store::Renders`), else rendered now and kept.
fn rendered_instance(s: &RegionState, i: &Instance, now: Timestamp, budget: usize) -> w::Instance {
    let own = instance_own(s, i, now);
    let deps = |key: &mut Vec<u64>| render_deps(s, i, key);
    let key = RenderKey {
        own: &own,
        tables: &instance_tables(s),
        deps: &deps,
    };
    kept_item(
        s,
        &i.id,
        &key,
        budget,
        || instance_to_wire(s, i, now),
        crate::generated::xml::write_instance,
        |item| w::Instance {
            rendered: Some(item),
            ..Default::default()
        },
    )
}

/// What [`instance_to_wire`] reads besides the instance itself, its state and constants,
/// as revisions: its VPC (DNS hostnames), each interface and the security groups it names
/// (their names), each volume — the tables listed in `rendered_instance`. Keep it in step
/// with `instance_to_wire`; debug builds check every cache hit against a fresh render.
fn render_deps(s: &RegionState, i: &Instance, key: &mut Vec<u64>) {
    let rev = |r: Option<u64>| r.unwrap_or(0);
    key.push(rev(s.vpcs.rev(&i.vpc_id)));
    for eni in std::iter::once(&i.eni_id).chain(&i.secondary_enis) {
        match s.network_interfaces.get_rev(eni) {
            Some((n, r)) => {
                key.push(r);
                key.extend(n.groups.iter().map(|g| rev(s.security_groups.rev(g))));
            }
            None => key.push(0),
        }
    }
    key.extend(i.volume_ids.iter().map(|v| rev(s.volumes.rev(v))));
}

fn reservation_shell(r: &Reservation, account: &str) -> w::Reservation {
    w::Reservation {
        reservation_id: Some(r.id.clone()),
        owner_id: Some(account.to_string()),
        requester_id: r.requester_id.clone(),
        // EC2-Classic group names; VPC launches show an empty groupSet.
        groups: Some(vec![]),
        instances: Some(vec![]),
        rendered: None,
    }
}

pub(super) fn reservation_to_wire(
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

pub(super) fn state_wire(st: InstanceState) -> w::InstanceState {
    w::InstanceState {
        code: Some(st.code()),
        name: Some(w::InstanceStateName::from(st.name())),
    }
}
pub(crate) fn reason_message(code: &str) -> &'static str {
    match code {
        "pending" => "pending",
        "Client.UserInitiatedShutdown" => "Client.UserInitiatedShutdown: User initiated shutdown",
        "Client.UserInitiatedHibernate" => {
            "Client.UserInitiatedHibernate: User initiated hibernate"
        }
        _ => "",
    }
}

pub fn instance_to_wire(s: &RegionState, i: &Instance, now: Timestamp) -> w::Instance {
    let st = i.phase.state(now);
    let gone = st == InstanceState::Terminated;
    let region = s.region.as_str();
    let dns_hostnames = s
        .vpcs
        .get(&i.vpc_id)
        .is_some_and(|v| v.enable_dns_hostnames);
    let group_wire = |ids: &[String]| -> Vec<w::GroupIdentifier> {
        ids.iter()
            .map(|g| w::GroupIdentifier {
                group_id: Some(g.clone()),
                group_name: s.security_groups.get(g).map(|x| x.name.clone()),
            })
            .collect()
    };
    // One lookup of the primary interface serves the groups, the source/destination
    // check, the IPv6 address and the interface list (the answer's hot path).
    let primary = s.network_interfaces.get(&i.eni_id);
    let groups = group_wire(primary.map_or(&[], |n| n.groups.as_slice()));
    let public_dns_name = match i.public_ip {
        Some(ip) if dns_hostnames => public_dns(region, ip),
        _ => String::new(),
    };
    let association = i
        .public_ip
        .map(|ip| w::InstanceNetworkInterfaceAssociation {
            ip_owner_id: Some(if i.elastic_ip {
                s.account.clone()
            } else {
                "amazon".into()
            }),
            public_dns_name: Some(public_dns_name.clone()),
            public_ip: Some(dotted(ip)),
            ..Default::default()
        });
    let network_interfaces =
        if gone {
            vec![]
        } else {
            primary
                .into_iter()
                .chain(
                    i.secondary_enis
                        .iter()
                        .filter_map(|id| s.network_interfaces.get(id)),
                )
                .map(|n| {
                    // The public address is the primary interface's.
                    let association = (n.id == i.eni_id).then(|| association.clone()).flatten();
                    let attachment = n.attachment.as_ref();
                    let mut private_ips = vec![w::InstancePrivateIpAddress {
                        association: association.clone(),
                        primary: Some(true),
                        private_dns_name: Some(private_dns(region, n.private_ip)),
                        private_ip_address: Some(dotted(n.private_ip)),
                    }];
                    private_ips.extend(n.secondary_ips.iter().map(|ip| {
                        w::InstancePrivateIpAddress {
                            primary: Some(false),
                            private_dns_name: Some(private_dns(region, *ip)),
                            private_ip_address: Some(dotted(*ip)),
                            ..Default::default()
                        }
                    }));
                    w::InstanceNetworkInterface {
                        association,
                        attachment: attachment.map(|a| w::InstanceNetworkInterfaceAttachment {
                            attach_time: Some(a.attach_time),
                            attachment_id: Some(a.id.clone()),
                            delete_on_termination: Some(a.delete_on_termination),
                            device_index: Some(a.device_index),
                            status: Some(w::AttachmentStatus::Attached),
                            network_card_index: Some(0),
                            ..Default::default()
                        }),
                        description: Some(n.description.clone()),
                        groups: Some(group_wire(&n.groups)),
                        ipv6_addresses: Some(
                            n.ipv6_addresses
                                .iter()
                                .map(|a| w::InstanceIpv6Address {
                                    ipv6_address: Some(a.clone()),
                                    is_primary_ipv6: Some(false),
                                })
                                .collect(),
                        ),
                        mac_address: Some(n.mac.as_str().to_string()),
                        network_interface_id: Some(n.id.clone()),
                        owner_id: Some(s.account.clone()),
                        private_dns_name: Some(private_dns(region, n.private_ip)),
                        private_ip_address: Some(dotted(n.private_ip)),
                        private_ip_addresses: Some(private_ips),
                        source_dest_check: Some(n.source_dest_check),
                        status: Some(w::NetworkInterfaceStatus::InUse),
                        subnet_id: Some(n.subnet_id.to_string()),
                        vpc_id: Some(n.vpc_id.to_string()),
                        interface_type: Some("interface".into()),
                        operator: Some(w::OperatorResponse {
                            managed: Some(false),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }
                })
                .collect()
        };
    let block_devices = if gone {
        vec![]
    } else {
        i.volume_ids
            .iter()
            .filter_map(|v| s.volumes.get(v))
            .filter_map(|v| Some((v, v.attachment.as_ref()?)))
            .map(|(v, a)| w::InstanceBlockDeviceMapping {
                device_name: Some(a.device_name.to_string()),
                ebs: Some(w::EbsInstanceBlockDevice {
                    attach_time: Some(a.attach_time),
                    delete_on_termination: Some(a.delete_on_termination),
                    status: Some(w::AttachmentStatus::Attached),
                    volume_id: Some(v.id.clone()),
                    ..Default::default()
                }),
            })
            .collect()
    };
    let (cores, threads) = instance_types::cpu_options(&i.instance_type);
    let state_reason = match st {
        InstanceState::Pending => Some("pending"),
        InstanceState::Running => None,
        _ => i.state_reason,
    };
    w::Instance {
        instance_id: Some(i.id.clone()),
        image_id: Some(i.image_id.to_string()),
        state: Some(state_wire(st)),
        private_dns_name: Some(if gone {
            String::new()
        } else if i.hostname_type == "resource-name" {
            // Resource-based names (EC2 User Guide, "EC2 instance hostname types").
            resource_dns(region, &i.id)
        } else {
            private_dns(region, i.private_ip)
        }),
        ipv6_address: primary
            .and_then(|n| n.ipv6_addresses.first().cloned())
            .filter(|_| !gone),
        public_dns_name: Some(public_dns_name),
        state_transition_reason: Some(i.transition_reason.clone()),
        key_name: i.key_name.clone(),
        ami_launch_index: Some(i.launch_index),
        product_codes: Some(vec![]),
        instance_type: Some(w::InstanceType::from(&*i.instance_type)),
        launch_time: Some(i.launch_time),
        placement: Some(w::Placement {
            availability_zone: Some(i.az.to_string()),
            availability_zone_id: s.zone_id(&i.az).map(str::to_string),
            group_name: Some(String::new()),
            tenancy: Some(w::Tenancy::from(i.tenancy.as_ref())),
            affinity: i.host_affinity.then(|| "host".to_string()),
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
        subnet_id: (!gone).then(|| i.subnet_id.to_string()),
        vpc_id: (!gone).then(|| i.vpc_id.to_string()),
        private_ip_address: (!gone).then(|| dotted(i.private_ip)),
        public_ip_address: i.public_ip.map(dotted),
        architecture: Some(w::ArchitectureValues::from(&*i.architecture)),
        root_device_type: Some(w::DeviceType::Ebs),
        root_device_name: Some(i.root_device_name.to_string()),
        block_device_mappings: Some(block_devices),
        virtualization_type: Some(w::VirtualizationType::Hvm),
        client_token: Some(i.client_token.clone().unwrap_or_default()),
        iam_instance_profile: i
            .iam_instance_profile
            .as_ref()
            .map(|p| w::IamInstanceProfile {
                arn: Some(p.arn.clone()),
                id: Some(p.id.clone()),
            }),
        tags: (!i.tags.is_empty()).then(|| wire_tags(&i.tags)),
        security_groups: Some(if gone { vec![] } else { groups }),
        source_dest_check: (!gone).then(|| primary.is_none_or(|n| n.source_dest_check)),
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
            configured: Some(i.hibernation_configured),
        }),
        metadata_options: Some(w::InstanceMetadataOptionsResponse {
            state: Some(if st == InstanceState::Pending {
                w::InstanceMetadataOptionsState::Pending
            } else {
                w::InstanceMetadataOptionsState::Applied
            }),
            http_tokens: Some(w::HttpTokensState::from(i.metadata.http_tokens)),
            http_put_response_hop_limit: Some(i.metadata.http_put_response_hop_limit),
            http_endpoint: Some(w::InstanceMetadataEndpointState::from(
                i.metadata.http_endpoint,
            )),
            http_protocol_ipv6: Some(w::InstanceMetadataProtocolState::from(
                i.metadata.http_protocol_ipv6,
            )),
            instance_metadata_tags: Some(w::InstanceMetadataTagsState::from(
                i.metadata.instance_metadata_tags,
            )),
        }),
        enclave_options: Some(w::EnclaveOptions {
            enabled: Some(false),
        }),
        boot_mode: i.boot_mode.as_deref().map(w::BootModeValues::from),
        current_instance_boot_mode: Some(w::InstanceBootModeValues::from(
            if i.boot_mode.as_deref() == Some("uefi") || &*i.architecture == "arm64" {
                "uefi"
            } else {
                "legacy-bios"
            },
        )),
        platform_details: Some(i.platform_details.to_string()),
        usage_operation: Some(i.usage_operation.to_string()),
        usage_operation_update_time: Some(i.launch_time),
        private_dns_name_options: Some(w::PrivateDnsNameOptionsResponse {
            hostname_type: Some(w::HostnameType::from(i.hostname_type)),
            enable_resource_name_dns_a_record: Some(i.resource_name_a),
            enable_resource_name_dns_aaaa_record: Some(i.resource_name_aaaa),
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

/// `i-0123456789abcdef0.ec2.internal` in us-east-1, `i-….{region}.compute.internal` elsewhere.
fn resource_dns(region: &str, id: &str) -> String {
    if region == "us-east-1" {
        format!("{id}.ec2.internal")
    } else {
        format!("{id}.{region}.compute.internal")
    }
}
