//! DescribeInstances' filters: every documented name, read from the instance the way
//! `instance_to_wire` shows it. A terminated instance has left its subnet: EC2 drops its
//! VPC, subnet, private address, network interfaces, volumes and groups from the answer,
//! and so do these filters.

use super::{flag, many, number, one, text, time};
use crate::describe::filter::{Field, FilterTable, View};
use crate::handlers::instances::reason_message;
use crate::net::{dotted, private_dns, public_dns};
use crate::store::{Instance, InstanceState, VolumeAttachment};

fn live(i: &Instance, v: &View<'_>) -> bool {
    i.phase.state(v.now) != InstanceState::Terminated
}

/// `f` while the instance has its network interface, else nothing.
fn nic<'a>(i: &Instance, v: &View<'_>, f: impl FnOnce() -> Field<'a>) -> Field<'a> {
    if live(i, v) {
        f()
    } else {
        Field::None
    }
}

/// The instance's attached volumes, as its block device mapping shows them.
fn volumes<'a>(
    i: &'a Instance,
    v: &View<'a>,
) -> impl Iterator<Item = (&'a str, &'a VolumeAttachment)> + 'a {
    let (state, live) = (v.state, live(i, v));
    i.volume_ids
        .iter()
        .filter(move |_| live)
        .filter_map(move |id| Some((id.as_str(), state.volumes.get(id)?.attachment.as_ref()?)))
}

fn group_ids<'a>(i: &'a Instance, v: &View<'a>) -> Field<'a> {
    nic(i, v, || {
        many(v.state.groups_of(i).iter().map(String::as_str))
    })
}

fn group_names<'a>(i: &'a Instance, v: &View<'a>) -> Field<'a> {
    let state = v.state;
    nic(i, v, || {
        many(
            state
                .groups_of(i)
                .iter()
                .filter_map(|g| state.security_groups.get(g))
                .map(|g| g.name.as_str()),
        )
    })
}

fn private_ip<'a>(i: &'a Instance, v: &View<'a>) -> Field<'a> {
    nic(i, v, || one(dotted(i.private_ip)))
}

fn private_dns_name<'a>(i: &'a Instance, v: &View<'a>) -> Field<'a> {
    nic(i, v, || one(private_dns(&v.state.region, i.private_ip)))
}

fn public_ip<'a>(i: &'a Instance, _: &View<'a>) -> Field<'a> {
    i.public_ip.map(dotted).into()
}

/// The public DNS name exists only in VPCs with DNS hostnames (the default VPC here).
fn public_dns_name<'a>(i: &'a Instance, v: &View<'a>) -> Field<'a> {
    let hostnames = v
        .state
        .vpcs
        .get(&i.vpc_id)
        .is_some_and(|x| x.enable_dns_hostnames);
    i.public_ip
        .filter(|_| hostnames)
        .map(|ip| public_dns(&v.state.region, ip))
        .into()
}

/// Owner of the public address of the interface's association: `amazon` for the
/// auto-assigned ones (parlel-ec2 has no Elastic IPs).
fn ip_owner<'a>(i: &'a Instance, v: &View<'a>) -> Field<'a> {
    nic(i, v, || {
        i.public_ip
            .map(|_| {
                if i.elastic_ip {
                    v.state.account.as_str()
                } else {
                    "amazon"
                }
            })
            .into()
    })
}

fn association_public_ip<'a>(i: &'a Instance, v: &View<'a>) -> Field<'a> {
    nic(i, v, || public_ip(i, v))
}

fn association_dns<'a>(i: &'a Instance, v: &View<'a>) -> Field<'a> {
    nic(i, v, || public_dns_name(i, v))
}

fn subnet_id<'a>(i: &'a Instance, v: &View<'a>) -> Field<'a> {
    nic(i, v, || one(&*i.subnet_id))
}

fn vpc_id<'a>(i: &'a Instance, v: &View<'a>) -> Field<'a> {
    nic(i, v, || one(&*i.vpc_id))
}

fn owner<'a>(_: &'a Instance, v: &View<'a>) -> Field<'a> {
    one(v.state.account.as_str())
}

/// The answer's `stateReason`: pending while pending, none while running, else the
/// reason the last change left.
fn state_reason(i: &Instance, v: &View<'_>) -> Option<&'static str> {
    match i.phase.state(v.now) {
        InstanceState::Pending => Some("pending"),
        InstanceState::Running => None,
        _ => i.state_reason,
    }
}

fn eni_tags<'a>(i: &'a Instance, v: &View<'a>, keys: bool) -> Field<'a> {
    let tags = v.state.network_interfaces.get(&i.eni_id).map(|n| &n.tags);
    nic(i, v, || match tags {
        Some(t) if keys => many(t.keys().map(String::as_str)),
        Some(t) => many(t.values().map(String::as_str)),
        None => Field::None,
    })
}

/// Filter names from the DescribeInstances documentation (136 with the `tag:` family).
pub const INSTANCE_FILTERS: FilterTable<Instance> = &[
    // Dedicated Hosts: parlel-ec2 places nothing on one.
    ("affinity", |_, _| Field::None),
    ("architecture", |i, _| one(&*i.architecture)),
    ("availability-zone", |i, _| one(&*i.az)),
    ("availability-zone-id", |i, v| {
        v.state.zone_id(&i.az).into()
    }),
    ("block-device-mapping.attach-time", |i, v| {
        many(volumes(i, v).map(|(_, x)| time(x.attach_time)))
    }),
    ("block-device-mapping.delete-on-termination", |i, v| {
        many(volumes(i, v).map(|(_, x)| flag(x.delete_on_termination)))
    }),
    ("block-device-mapping.device-name", |i, v| {
        many(volumes(i, v).map(|(_, x)| &*x.device_name))
    }),
    ("block-device-mapping.status", |i, v| {
        many(volumes(i, v).map(|_| "attached"))
    }),
    ("block-device-mapping.volume-id", |i, v| {
        many(volumes(i, v).map(|(id, _)| id))
    }),
    ("boot-mode", |i, _| i.boot_mode.as_deref().into()),
    // No Capacity Reservations: every instance is `open` and targets none.
    ("capacity-reservation-id", |_, _| Field::None),
    (
        "capacity-reservation-specification.capacity-reservation-preference",
        |_, _| one("open"),
    ),
    (
        "capacity-reservation-specification.capacity-reservation-target.capacity-reservation-id",
        |_, _| Field::None,
    ),
    (
        "capacity-reservation-specification.capacity-reservation-target.capacity-reservation-resource-group-arn",
        |_, _| Field::None,
    ),
    ("client-token", |i, _| {
        i.client_token.as_deref().map_or(Field::None, text)
    }),
    ("current-instance-boot-mode", |i, _| {
        one(
            if i.boot_mode.as_deref() == Some("uefi") || &*i.architecture == "arm64" {
                "uefi"
            } else {
                "legacy-bios"
            },
        )
    }),
    ("dns-name", public_dns_name),
    ("ebs-optimized", |i, _| i.ebs_optimized.into()),
    ("ena-support", |_, _| true.into()),
    ("enclave-options.enabled", |_, _| false.into()),
    ("hibernation-options.configured", |_, _| false.into()),
    // Dedicated Hosts, as for `affinity`.
    ("host-id", |_, _| Field::None),
    ("hypervisor", |_, _| one("xen")),
    // RunInstances keeps no IAM instance profile.
    ("iam-instance-profile.arn", |i, _| i.iam_instance_profile.as_ref().map(|p| p.arn.as_str()).into()),
    ("iam-instance-profile.id", |i, _| i.iam_instance_profile.as_ref().map(|p| p.id.as_str()).into()),
    ("image-id", |i, _| one(&*i.image_id)),
    ("instance-id", |i, _| one(i.id.as_str())),
    // On-Demand instances have no lifecycle (spot | scheduled | capacity-block).
    ("instance-lifecycle", |_, _| Field::None),
    ("instance-state-code", |i, v| number(i.phase.state(v.now).code())),
    ("instance-state-name", |i, v| one(i.phase.state(v.now).name())),
    ("instance-type", |i, _| one(&*i.instance_type)),
    ("instance.group-id", group_ids),
    ("instance.group-name", group_names),
    ("ip-address", public_ip),
    // No IPv6 addresses.
    ("ipv6-address", |_, _| Field::None),
    // HVM images have no kernel or RAM disk of their own.
    ("kernel-id", |_, _| Field::None),
    ("key-name", |i, _| i.key_name.as_deref().into()),
    ("launch-index", |i, _| number(i.launch_index)),
    ("launch-time", |i, _| one(time(i.launch_time))),
    ("maintenance-options.auto-recovery", |_, _| one("default")),
    ("metadata-options.http-endpoint", |i, _| {
        one(i.metadata.http_endpoint)
    }),
    // Not in the answer; the IPv4 endpoint is on for every instance here.
    ("metadata-options.http-protocol-ipv4", |_, _| one("enabled")),
    ("metadata-options.http-protocol-ipv6", |i, _| {
        one(i.metadata.http_protocol_ipv6)
    }),
    ("metadata-options.http-put-response-hop-limit", |i, _| {
        number(i.metadata.http_put_response_hop_limit)
    }),
    ("metadata-options.http-tokens", |i, _| {
        one(i.metadata.http_tokens)
    }),
    ("metadata-options.instance-metadata-tags", |i, _| {
        one(i.metadata.instance_metadata_tags)
    }),
    ("metadata-options.state", |i, v| {
        one(if i.phase.state(v.now) == InstanceState::Pending {
            "pending"
        } else {
            "applied"
        })
    }),
    ("monitoring-state", |i, _| {
        one(if i.monitoring { "enabled" } else { "disabled" })
    }),
    // Elastic IPs and carrier / customer-owned addresses: none here.
    (
        "network-interface.addresses.association.allocation-id",
        |_, _| Field::None,
    ),
    (
        "network-interface.addresses.association.association-id",
        |_, _| Field::None,
    ),
    ("network-interface.addresses.association.carrier-ip", |_, _| {
        Field::None
    }),
    (
        "network-interface.addresses.association.customer-owned-ip",
        |_, _| Field::None,
    ),
    ("network-interface.addresses.association.ip-owner-id", ip_owner),
    (
        "network-interface.addresses.association.public-dns-name",
        association_dns,
    ),
    (
        "network-interface.addresses.association.public-ip",
        association_public_ip,
    ),
    ("network-interface.addresses.primary", |i, v| {
        nic(i, v, || true.into())
    }),
    ("network-interface.addresses.private-dns-name", private_dns_name),
    ("network-interface.addresses.private-ip-address", private_ip),
    ("network-interface.association.allocation-id", |_, _| {
        Field::None
    }),
    ("network-interface.association.association-id", |_, _| {
        Field::None
    }),
    ("network-interface.association.carrier-ip", |_, _| Field::None),
    ("network-interface.association.customer-owned-ip", |_, _| {
        Field::None
    }),
    ("network-interface.association.ip-owner-id", ip_owner),
    ("network-interface.association.public-dns-name", association_dns),
    ("network-interface.association.public-ip", association_public_ip),
    ("network-interface.attachment.attach-time", |i, v| {
        nic(i, v, || one(time(i.launch_time)))
    }),
    ("network-interface.attachment.attachment-id", |i, v| {
        nic(i, v, || {
            let eni = v.state.network_interfaces.get(&i.eni_id);
            eni.and_then(|n| n.attachment.as_ref())
                .map(|a| a.id.as_str())
                .into()
        })
    }),
    ("network-interface.attachment.delete-on-termination", |i, v| {
        nic(i, v, || true.into())
    }),
    ("network-interface.attachment.device-index", |i, v| {
        nic(i, v, || number(0))
    }),
    ("network-interface.attachment.instance-id", |i, v| {
        nic(i, v, || one(i.id.as_str()))
    }),
    // Not in the answer's attachment; the instance's owner, as DescribeNetworkInterfaces shows.
    ("network-interface.attachment.instance-owner-id", |i, v| {
        nic(i, v, || one(v.state.account.as_str()))
    }),
    ("network-interface.attachment.network-card-index", |i, v| {
        nic(i, v, || number(0))
    }),
    ("network-interface.attachment.status", |i, v| {
        nic(i, v, || one("attached"))
    }),
    // Not in the answer; an instance's primary interface is in the instance's zone.
    ("network-interface.availability-zone", |i, v| {
        nic(i, v, || one(&*i.az))
    }),
    // Only interfaces with IPv6 addresses report it; parlel-ec2 assigns none.
    ("network-interface.deny-all-igw-traffic", |_, _| Field::None),
    // The primary interface's description is empty.
    ("network-interface.description", |_, _| Field::None),
    ("network-interface.group-id", group_ids),
    ("network-interface.group-name", group_names),
    // No IPv4 / IPv6 prefixes, no IPv6 addresses.
    ("network-interface.ipv4-prefixes.ipv4-prefix", |_, _| {
        Field::None
    }),
    ("network-interface.ipv6-address", |_, _| Field::None),
    ("network-interface.ipv6-addresses.ipv6-address", |_, _| {
        Field::None
    }),
    ("network-interface.ipv6-addresses.is-primary-ipv6", |_, _| {
        Field::None
    }),
    // Every subnet here is IPv4 (`ipv6Native` false in DescribeSubnets).
    ("network-interface.ipv6-native", |i, v| {
        nic(i, v, || false.into())
    }),
    ("network-interface.ipv6-prefixes.ipv6-prefix", |_, _| {
        Field::None
    }),
    ("network-interface.mac-address", |i, v| {
        nic(i, v, || {
            v.state
                .network_interfaces
                .get(&i.eni_id)
                .map(|n| n.mac.as_str())
                .into()
        })
    }),
    ("network-interface.network-interface-id", |i, v| {
        nic(i, v, || one(i.eni_id.as_str()))
    }),
    ("network-interface.operator.managed", |i, v| {
        nic(i, v, || false.into())
    }),
    // Only managed interfaces have a principal.
    ("network-interface.operator.principal", |_, _| Field::None),
    // No Outposts.
    ("network-interface.outpost-arn", |_, _| Field::None),
    ("network-interface.owner-id", |i, v| {
        nic(i, v, || owner(i, v))
    }),
    ("network-interface.private-dns-name", private_dns_name),
    ("network-interface.private-ip-address", private_ip),
    ("network-interface.public-dns-name", association_dns),
    // Interfaces AWS creates for a service have a requester; the instance's own has none.
    ("network-interface.requester-id", |_, _| Field::None),
    ("network-interface.requester-managed", |i, v| {
        nic(i, v, || false.into())
    }),
    ("network-interface.status", |i, v| nic(i, v, || one("in-use"))),
    ("network-interface.source-dest-check", |i, v| {
        nic(i, v, || true.into())
    }),
    ("network-interface.subnet-id", subnet_id),
    ("network-interface.tag-key", |i, v| eni_tags(i, v, true)),
    ("network-interface.tag-value", |i, v| eni_tags(i, v, false)),
    ("network-interface.vpc-id", vpc_id),
    ("network-performance-options.bandwidth-weighting", |_, _| {
        one("default")
    }),
    ("operator.managed", |_, _| false.into()),
    // Only managed instances have a principal.
    ("operator.principal", |_, _| Field::None),
    // No Outposts.
    ("outpost-arn", |_, _| Field::None),
    ("owner-id", owner),
    // No placement groups: the answer's `groupName` is empty.
    ("placement-group-name", |_, _| Field::None),
    ("placement-partition-number", |_, _| Field::None),
    ("platform", |i, _| i.platform.as_deref().into()),
    ("platform-details", |i, _| one(&*i.platform_details)),
    ("private-dns-name", private_dns_name),
    (
        "private-dns-name-options.enable-resource-name-dns-a-record",
        |_, _| false.into(),
    ),
    (
        "private-dns-name-options.enable-resource-name-dns-aaaa-record",
        |_, _| false.into(),
    ),
    ("private-dns-name-options.hostname-type", |_, _| {
        one("ip-name")
    }),
    ("private-ip-address", private_ip),
    // The catalog's AMIs carry no product codes.
    ("product-code", |_, _| Field::None),
    ("product-code.type", |_, _| Field::None),
    ("ramdisk-id", |_, _| Field::None),
    ("reason", |i, _| text(&i.transition_reason)),
    ("requester-id", |i, v| {
        v.state
            .reservations
            .get(&i.reservation_id)
            .and_then(|r| r.requester_id.as_deref())
            .into()
    }),
    ("reservation-id", |i, _| one(i.reservation_id.as_str())),
    ("root-device-name", |i, _| one(&*i.root_device_name)),
    ("root-device-type", |_, _| one("ebs")),
    ("source-dest-check", |i, v| nic(i, v, || true.into())),
    // No Spot Instances.
    ("spot-instance-request-id", |_, _| Field::None),
    ("state-reason-code", |i, v| state_reason(i, v).into()),
    ("state-reason-message", |i, v| {
        state_reason(i, v).map(reason_message).map_or(Field::None, text)
    }),
    ("subnet-id", subnet_id),
    ("tenancy", |i, _| one(i.tenancy.as_ref())),
    // NitroTPM is an AMI setting none of the catalog's images has.
    ("tpm-support", |_, _| Field::None),
    ("usage-operation", |i, _| one(&*i.usage_operation)),
    // The usage operation is set at launch and never changes here.
    ("usage-operation-update-time", |i, _| one(time(i.launch_time))),
    ("virtualization-type", |_, _| one("hvm")),
    ("vpc-id", vpc_id),
];

/// DescribeInstanceCreditSpecifications' one filter.
pub const INSTANCE_CREDIT_FILTERS: FilterTable<Instance> =
    &[("instance-id", |i, _| one(i.id.as_str()))];

/// DescribeInstanceStatus' filters: no scheduled events, no EBS status checks.
pub const INSTANCE_STATUS_FILTERS: FilterTable<Instance> = &[
    ("availability-zone", |i, _| one(&*i.az)),
    ("availability-zone-id", |i, v| v.state.zone_id(&i.az).into()),
    ("event.code", |_, _| Field::None),
    ("event.description", |_, _| Field::None),
    ("event.instance-event-id", |_, _| Field::None),
    ("event.not-after", |_, _| Field::None),
    ("event.not-before", |_, _| Field::None),
    ("event.not-before-deadline", |_, _| Field::None),
    ("instance-state-code", |i, v| number(i.state(v.now).code())),
    ("instance-state-name", |i, v| one(i.state(v.now).name())),
    ("instance-status.reachability", |i, v| {
        one(reachability(i, v))
    }),
    ("instance-status.status", |i, v| {
        one(crate::handlers::instances::status(i, v))
    }),
    ("operator.managed", |_, _| false.into()),
    ("operator.principal", |_, _| Field::None),
    ("system-status.reachability", |i, v| one(reachability(i, v))),
    ("system-status.status", |i, v| {
        one(crate::handlers::instances::status(i, v))
    }),
    ("attached-ebs-status.status", |_, _| Field::None),
];

fn reachability(i: &Instance, v: &View<'_>) -> &'static str {
    match crate::handlers::instances::status(i, v) {
        "ok" => "passed",
        "initializing" => "initializing",
        _ => "not-applicable",
    }
}

/// DescribeIamInstanceProfileAssociations' filters, read from the instance.
pub const IAM_ASSOCIATION_FILTERS: FilterTable<Instance> = &[
    ("instance-id", |i, _| one(i.id.as_str())),
    ("state", |i, _| {
        i.iam_instance_profile.as_ref().map(|_| "associated").into()
    }),
];
