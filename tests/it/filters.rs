//! Describe* filters over HTTP: every name the model documents is in its operation's
//! table, and each one selects what the Describe answer shows, on resources made here.
//!
//! The table-driven tests read a resource's own answer for the value that must match
//! (`privateIpAddress` → `private-ip-address`) and pair it with one that must not. Names
//! that can match nothing here (no IPv6, Outposts, Elastic IPs, …) are listed with the
//! reason, and `*` must select nothing with them.

use crate::support::*;
use parlel_ec2::generated::service::documented_filters;
use parlel_ec2::handlers::filters::table_names;

// ---------------------------------------------------------------------------------------
// Helpers.

/// The leaves of one item of a Describe answer, by path below the item
/// (`networkInterfaceSet/item/attachment/attachmentId`), in document order.
struct Item(Vec<(String, String)>);

impl Item {
    /// The item of `set` whose `id` child is `target`, in the answer to `action`.
    fn of(
        s: &Server,
        action: &str,
        params: &[(&str, &str)],
        set: &str,
        id: &str,
        target: &str,
    ) -> Item {
        let r = s.call(action, params).ok();
        let d = r.doc();
        let item = d
            .descendants()
            .filter(|n| n.tag_name().name() == "item")
            .filter(|n| n.parent().is_some_and(|p| p.tag_name().name() == set))
            .find(|n| {
                n.children()
                    .any(|c| c.tag_name().name() == id && c.text() == Some(target))
            })
            .unwrap_or_else(|| panic!("{target} is not in {action}: {}", r.body));
        let leaves = item
            .descendants()
            .filter(|n| n.is_element() && *n != item && !n.children().any(|c| c.is_element()))
            .map(|leaf| {
                let mut path: Vec<&str> = leaf
                    .ancestors()
                    .take_while(|a| *a != item)
                    .map(|a| a.tag_name().name())
                    .collect();
                path.reverse();
                (path.join("/"), leaf.text().unwrap_or("").to_string())
            })
            .collect();
        Item(leaves)
    }

    /// The first non-empty text at `path`.
    fn get(&self, path: &str) -> String {
        self.0
            .iter()
            .find(|(p, t)| p == path && !t.is_empty())
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| panic!("no {path} in the answer: {:?}", self.0))
    }
}

/// A filter name, a value that must select the target, and one that must not.
type Row<'a> = (&'a str, String, &'a str);

fn filtered(
    s: &Server,
    action: &str,
    set: &str,
    id: &str,
    filters: &[(&str, &str)],
) -> Vec<String> {
    let mut p: Vec<(String, String)> = Vec::new();
    for (i, (name, value)) in filters.iter().enumerate() {
        p.push((format!("Filter.{}.Name", i + 1), name.to_string()));
        p.push((format!("Filter.{}.Value.1", i + 1), value.to_string()));
    }
    let p: Vec<(&str, &str)> = p.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = s.call(action, &p).ok();
    under(&r.doc(), set, id)
}

/// Each row's matching value selects `target`; its other value leaves it out.
fn exercise(s: &Server, action: &str, set: &str, id: &str, target: &str, rows: &[Row<'_>]) {
    for (name, hit, miss) in rows {
        let got = filtered(s, action, set, id, &[(name, hit)]);
        assert!(
            got.iter().any(|x| x == target),
            "{action} {name}={hit} misses {target}: {got:?}"
        );
        let got = filtered(s, action, set, id, &[(name, miss)]);
        assert!(
            !got.iter().any(|x| x == target),
            "{action} {name}={miss} selects {target}"
        );
    }
}

/// Names that can match nothing here: even `*` selects nothing.
fn match_nothing(s: &Server, action: &str, set: &str, id: &str, names: &[(&str, &str)]) {
    for (name, _why) in names {
        let got = filtered(s, action, set, id, &[(name, "*")]);
        assert!(got.is_empty(), "{action} {name}=* selects {got:?}");
    }
}

/// Every documented name of `action` was exercised (`tag` / `tag:<key>` by some `tag:`).
fn assert_exercised<'a>(action: &str, names: impl IntoIterator<Item = &'a str>) {
    let names: Vec<&str> = names.into_iter().collect();
    for n in documented_filters(action) {
        let done = match *n {
            "tag" | "tag:<key>" => names.iter().any(|x| x.starts_with("tag:")),
            n => names.contains(&n),
        };
        assert!(done, "{action}: the documented filter {n} is not exercised");
    }
}

/// Sorts what an iterator yields (ids come in id order; expectations in any).
trait Sorted {
    fn sorted(self) -> Vec<String>;
}
impl<I: Iterator<Item = String>> Sorted for I {
    fn sorted(self) -> Vec<String> {
        let mut v: Vec<String> = self.collect();
        v.sort();
        v
    }
}

/// RunInstances of one t3.micro, unless `params` say otherwise.
fn run(s: &Server, params: &[(&str, &str)]) -> String {
    let defaults = [
        ("MinCount", "1"),
        ("MaxCount", "1"),
        ("InstanceType", "t3.micro"),
    ];
    let mut p: Vec<(&str, &str)> = defaults
        .into_iter()
        .filter(|(k, _)| !params.iter().any(|(x, _)| x == k))
        .collect();
    p.extend_from_slice(params);
    s.call("RunInstances", &p).ok().first("instanceId").unwrap()
}

fn vpc(s: &Server, cidr: &str, name: &str) -> String {
    s.call(
        "CreateVpc",
        &[
            ("CidrBlock", cidr),
            ("TagSpecification.1.ResourceType", "vpc"),
            ("TagSpecification.1.Tag.1.Key", "Name"),
            ("TagSpecification.1.Tag.1.Value", name),
        ],
    )
    .ok()
    .first("vpcId")
    .unwrap()
}

// ---------------------------------------------------------------------------------------
// Coverage: each table holds exactly the documented names.

const OPS: [&str; 6] = [
    "DescribeImages",
    "DescribeInstances",
    "DescribeKeyPairs",
    "DescribeSecurityGroups",
    "DescribeSubnets",
    "DescribeVpcs",
];

/// The aliases an operation's filter documentation names in prose: "You can also use
/// `cidr` or `cidrBlock` as the filter names."
fn documented_aliases(action: &str) -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/model/ec2.json");
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let shapes = &model["shapes"];
    let input = shapes[format!("com.amazonaws.ec2#{action}")]["input"]["target"]
        .as_str()
        .unwrap();
    let doc = shapes[input]["members"]["Filters"]["traits"]["smithy.api#documentation"]
        .as_str()
        .unwrap();
    let mut out = Vec::new();
    for part in doc.split("You can also use ").skip(1) {
        let sentence = part.split(" as the filter name").next().unwrap();
        for code in sentence.split("<code>").skip(1) {
            out.push(code.split("</code>").next().unwrap().to_string());
        }
    }
    out
}

/// Filter names EC2 accepts that its documentation does not list, each with the tool
/// that sends it.
const UNDOCUMENTED_ACCEPTED: &[(&str, &str)] = &[
    // terraform-provider-aws, internal/service/ec2/vpc_data_source.go (`default = true`).
    ("DescribeVpcs", "isDefault"),
];

/// Every supported Describe whose input documents filters has a table that holds to the
/// documentation (DescribeTags' five filters are its own, in tags.rs).
#[test]
fn every_describe_with_documented_filters_has_its_table() {
    let ops = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/model/operations.txt"))
        .unwrap();
    let mut checked = 0;
    for op in ops
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        if op == "DescribeTags" || documented_filters(op).is_empty() {
            continue;
        }
        coverage(op);
        checked += 1;
    }
    assert!(checked >= 10, "{checked} Describe operations checked");
}

fn coverage(action: &str) {
    let documented = documented_filters(action);
    assert!(
        !documented.is_empty(),
        "{action}: the model documents no filters"
    );
    let table = table_names(action).expect("a filter table");
    let family = |n: &str| {
        matches!(n, "tag" | "tag:<key>" | "tag-key" | "tag-value") || n.starts_with("tag:")
    };
    let missing: Vec<&&str> = documented
        .iter()
        .filter(|n| !family(n) && !table.contains(n))
        .collect();
    assert!(
        missing.is_empty(),
        "{action}: documented, not in its table: {missing:?}"
    );
    let aliases = documented_aliases(action);
    let invented: Vec<&&str> = table
        .iter()
        .filter(|n| !documented.contains(n) && !aliases.iter().any(|a| a == *n))
        .filter(|n| !UNDOCUMENTED_ACCEPTED.contains(&(action, **n)))
        .collect();
    assert!(
        invented.is_empty(),
        "{action}: in its table, not documented: {invented:?}"
    );
    let shadowed: Vec<&&str> = table.iter().filter(|n| family(n)).collect();
    assert!(
        shadowed.is_empty(),
        "{action}: the tag family is shared, not tabled: {shadowed:?}"
    );
    for a in &aliases {
        assert!(
            table.contains(&a.as_str()),
            "{action}: documented alias {a} is missing"
        );
    }
    let mut sorted = table.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), table.len(), "{action}: a name appears twice");
}

#[test]
fn describe_instances_table_is_the_documented_list() {
    coverage("DescribeInstances");
}

#[test]
fn describe_images_table_is_the_documented_list() {
    coverage("DescribeImages");
}

#[test]
fn describe_vpcs_table_is_the_documented_list() {
    coverage("DescribeVpcs");
}

#[test]
fn describe_subnets_table_is_the_documented_list_and_its_aliases() {
    coverage("DescribeSubnets");
    assert_eq!(
        documented_aliases("DescribeSubnets"),
        [
            "availabilityZone",
            "availabilityZoneId",
            "cidr",
            "cidrBlock",
            "defaultForAz"
        ]
    );
}

#[test]
fn describe_security_groups_table_is_the_documented_list() {
    coverage("DescribeSecurityGroups");
}

#[test]
fn describe_key_pairs_table_is_the_documented_list() {
    coverage("DescribeKeyPairs");
}

#[test]
fn every_describe_with_documented_filters_has_a_table() {
    for op in OPS {
        assert!(table_names(op).is_some(), "{op}");
    }
    // DescribeTags filters tag rows, not tagged resources (tags.rs); checked over HTTP.
    assert!(table_names("DescribeTags").is_none());
}

#[test]
fn describe_tags_accepts_exactly_its_documented_filters() {
    let s = Server::start();
    for n in documented_filters("DescribeTags") {
        let name = if *n == "tag" { "tag:Name" } else { n };
        s.call(
            "DescribeTags",
            &[("Filter.1.Name", name), ("Filter.1.Value.1", "x")],
        )
        .ok();
    }
    assert_eq!(
        documented_filters("DescribeTags"),
        ["key", "resource-id", "resource-type", "tag", "value"]
    );
    for n in ["tag-key", "tag-value", "Key", "resource-arn"] {
        assert_error(
            &s.call(
                "DescribeTags",
                &[("Filter.1.Name", n), ("Filter.1.Value.1", "x")],
            ),
            400,
            "InvalidParameterValue",
            &format!("The filter '{n}' is invalid"),
        );
    }
}

// ---------------------------------------------------------------------------------------
// Every documented name, matching and not, against resources made over HTTP.

/// DescribeInstances names no instance here has a value for.
#[rustfmt::skip]
const INSTANCE_NOTHING: &[(&str, &str)] = &[
    ("affinity", "no Dedicated Hosts"),
    ("host-id", "no Dedicated Hosts"),
    ("capacity-reservation-id", "no Capacity Reservations"),
    ("capacity-reservation-specification.capacity-reservation-target.capacity-reservation-id", "no Capacity Reservations"),
    ("capacity-reservation-specification.capacity-reservation-target.capacity-reservation-resource-group-arn", "no Capacity Reservations"),
    ("instance-lifecycle", "On-Demand instances only (no Spot, Scheduled, Capacity Blocks)"),
    ("spot-instance-request-id", "no Spot Instances"),
    ("ipv6-address", "no IPv6"),
    ("network-interface.ipv6-address", "no IPv6"),
    ("network-interface.ipv6-addresses.ipv6-address", "no IPv6"),
    ("network-interface.ipv6-addresses.is-primary-ipv6", "no IPv6"),
    ("network-interface.ipv6-prefixes.ipv6-prefix", "no IPv6"),
    ("network-interface.deny-all-igw-traffic", "only interfaces with IPv6 report it"),
    ("network-interface.ipv4-prefixes.ipv4-prefix", "no prefix delegation"),
    ("kernel-id", "HVM images have no kernel of their own"),
    ("ramdisk-id", "HVM images have no RAM disk of their own"),
    ("product-code", "the catalog has no product codes"),
    ("product-code.type", "the catalog has no product codes"),
    ("tpm-support", "no catalog image has NitroTPM"),
    ("network-interface.addresses.association.allocation-id", "no Elastic IPs"),
    ("network-interface.addresses.association.association-id", "no Elastic IPs"),
    ("network-interface.association.allocation-id", "no Elastic IPs"),
    ("network-interface.association.association-id", "no Elastic IPs"),
    ("network-interface.addresses.association.carrier-ip", "no Wavelength zones"),
    ("network-interface.association.carrier-ip", "no Wavelength zones"),
    ("network-interface.addresses.association.customer-owned-ip", "no Outposts"),
    ("network-interface.association.customer-owned-ip", "no Outposts"),
    ("network-interface.outpost-arn", "no Outposts"),
    ("outpost-arn", "no Outposts"),
    ("network-interface.description", "the primary interface's description is empty"),
    ("network-interface.requester-id", "only AWS-created interfaces have a requester"),
    ("network-interface.operator.principal", "no managed interfaces"),
    ("operator.principal", "no managed instances"),
    ("placement-group-name", "no placement groups"),
    ("placement-partition-number", "no placement groups"),
    ("requester-id", "instances are launched by the account itself"),
];

#[test]
fn describe_instances_every_documented_filter() {
    let s = Server::start();
    s.call(
        "CreateKeyPair",
        &[("KeyName", "ops"), ("KeyType", "ed25519")],
    )
    .ok();
    let a = run(
        &s,
        &[
            ("ImageId", AMI),
            ("KeyName", "ops"),
            ("ClientToken", "launch-a"),
            ("IamInstanceProfile.Name", "app-role"),
            ("TagSpecification.1.ResourceType", "instance"),
            ("TagSpecification.1.Tag.1.Key", "Name"),
            ("TagSpecification.1.Tag.1.Value", "web"),
            ("TagSpecification.2.ResourceType", "network-interface"),
            ("TagSpecification.2.Tag.1.Key", "role"),
            ("TagSpecification.2.Tag.1.Value", "frontend"),
        ],
    );
    // A stopped Windows instance, for the platform and the state reasons.
    let b = run(&s, &[("ImageId", "ami-0873e57d051852355")]);
    s.call("StopInstances", &[("InstanceId.1", &b)]).ok();
    let act = "DescribeInstances";
    let (set, id) = ("instancesSet", "instanceId");
    let r = s.call(act, &[("InstanceId.1", &a)]).ok();
    let (owner, reservation) = (
        r.first("ownerId").unwrap(),
        r.first("reservationId").unwrap(),
    );
    let i = Item::of(&s, act, &[("InstanceId.1", &a)], set, id, &a);
    let o = |p: &str| i.get(p);
    let ni = |p: &str| i.get(&format!("networkInterfaceSet/item/{p}"));
    let addr = |p: &str| ni(&format!("privateIpAddressesSet/item/{p}"));
    let never = "2001-01-01T00:00:00.000Z";
    #[rustfmt::skip]
    let rows: Vec<Row> = vec![
        ("architecture", o("architecture"), "arm64"),
        ("availability-zone", o("placement/availabilityZone"), "us-east-1z"),
        ("availability-zone-id", o("placement/availabilityZoneId"), "use1-az0"),
        ("block-device-mapping.attach-time", o("blockDeviceMapping/item/ebs/attachTime"), never),
        ("block-device-mapping.delete-on-termination", o("blockDeviceMapping/item/ebs/deleteOnTermination"), "false"),
        ("block-device-mapping.device-name", o("blockDeviceMapping/item/deviceName"), "/dev/sdz"),
        ("block-device-mapping.status", o("blockDeviceMapping/item/ebs/status"), "detached"),
        ("block-device-mapping.volume-id", o("blockDeviceMapping/item/ebs/volumeId"), "vol-00000000000000000"),
        ("boot-mode", o("bootMode"), "uefi"),
        ("capacity-reservation-specification.capacity-reservation-preference", o("capacityReservationSpecification/capacityReservationPreference"), "none"),
        ("client-token", o("clientToken"), "launch-b"),
        ("current-instance-boot-mode", o("currentInstanceBootMode"), "uefi"),
        ("dns-name", o("dnsName"), "ec2-1-2-3-4.compute-1.amazonaws.com"),
        ("ebs-optimized", o("ebsOptimized"), "true"),
        ("ena-support", o("enaSupport"), "false"),
        ("enclave-options.enabled", o("enclaveOptions/enabled"), "true"),
        ("hibernation-options.configured", o("hibernationOptions/configured"), "true"),
        ("hypervisor", o("hypervisor"), "ovm"),
        ("iam-instance-profile.arn", o("iamInstanceProfile/arn"), "arn:aws:iam::123456789012:instance-profile/other"),
        ("iam-instance-profile.id", o("iamInstanceProfile/id"), "AIPAAAAAAAAAAAAAAAAAA"),
        ("image-id", o("imageId"), "ami-043aca06cfbc25a0c"),
        ("instance-id", o("instanceId"), "i-00000000000000000"),
        ("instance-state-code", o("instanceState/code"), "80"),
        ("instance-state-name", o("instanceState/name"), "stopped"),
        ("instance-type", o("instanceType"), "m5.large"),
        ("instance.group-id", o("groupSet/item/groupId"), "sg-00000000000000000"),
        ("instance.group-name", o("groupSet/item/groupName"), "web"),
        ("ip-address", o("ipAddress"), "1.2.3.4"),
        ("key-name", o("keyName"), "other"),
        ("launch-index", o("amiLaunchIndex"), "1"),
        ("launch-time", o("launchTime"), never),
        ("maintenance-options.auto-recovery", o("maintenanceOptions/autoRecovery"), "disabled"),
        ("metadata-options.http-endpoint", o("metadataOptions/httpEndpoint"), "disabled"),
        // Not in the answer: the IPv4 endpoint is on for every instance.
        ("metadata-options.http-protocol-ipv4", "enabled".into(), "disabled"),
        ("metadata-options.http-protocol-ipv6", o("metadataOptions/httpProtocolIpv6"), "enabled"),
        ("metadata-options.http-put-response-hop-limit", o("metadataOptions/httpPutResponseHopLimit"), "64"),
        ("metadata-options.http-tokens", o("metadataOptions/httpTokens"), "optional"),
        ("metadata-options.instance-metadata-tags", o("metadataOptions/instanceMetadataTags"), "enabled"),
        ("metadata-options.state", o("metadataOptions/state"), "pending"),
        ("monitoring-state", o("monitoring/state"), "enabled"),
        ("network-interface.addresses.association.ip-owner-id", addr("association/ipOwnerId"), "111111111111"),
        ("network-interface.addresses.association.public-dns-name", addr("association/publicDnsName"), "ec2-1-2-3-4.compute-1.amazonaws.com"),
        ("network-interface.addresses.association.public-ip", addr("association/publicIp"), "1.2.3.4"),
        ("network-interface.addresses.primary", addr("primary"), "false"),
        ("network-interface.addresses.private-dns-name", addr("privateDnsName"), "ip-10-9-9-9.ec2.internal"),
        ("network-interface.addresses.private-ip-address", addr("privateIpAddress"), "10.9.9.9"),
        ("network-interface.association.ip-owner-id", ni("association/ipOwnerId"), "111111111111"),
        ("network-interface.association.public-dns-name", ni("association/publicDnsName"), "ec2-1-2-3-4.compute-1.amazonaws.com"),
        ("network-interface.association.public-ip", ni("association/publicIp"), "1.2.3.4"),
        ("network-interface.attachment.attach-time", ni("attachment/attachTime"), never),
        ("network-interface.attachment.attachment-id", ni("attachment/attachmentId"), "eni-attach-00000000000000000"),
        ("network-interface.attachment.delete-on-termination", ni("attachment/deleteOnTermination"), "false"),
        ("network-interface.attachment.device-index", ni("attachment/deviceIndex"), "1"),
        // The attachment in the answer names neither; they are the instance and its owner.
        ("network-interface.attachment.instance-id", o("instanceId"), "i-00000000000000000"),
        ("network-interface.attachment.instance-owner-id", owner.clone(), "111111111111"),
        ("network-interface.attachment.network-card-index", ni("attachment/networkCardIndex"), "1"),
        ("network-interface.attachment.status", ni("attachment/status"), "detached"),
        // Not in the answer: the primary interface is in the instance's zone.
        ("network-interface.availability-zone", o("placement/availabilityZone"), "us-east-1z"),
        ("network-interface.group-id", ni("groupSet/item/groupId"), "sg-00000000000000000"),
        ("network-interface.group-name", ni("groupSet/item/groupName"), "web"),
        // Not in the answer: every subnet here is IPv4 (DescribeSubnets' ipv6Native).
        ("network-interface.ipv6-native", "false".into(), "true"),
        ("network-interface.mac-address", ni("macAddress"), "0e:00:00:00:00:00"),
        ("network-interface.network-interface-id", ni("networkInterfaceId"), "eni-00000000000000000"),
        ("network-interface.operator.managed", ni("operator/managed"), "true"),
        ("network-interface.owner-id", ni("ownerId"), "111111111111"),
        ("network-interface.private-dns-name", ni("privateDnsName"), "ip-10-9-9-9.ec2.internal"),
        ("network-interface.private-ip-address", ni("privateIpAddress"), "10.9.9.9"),
        ("network-interface.public-dns-name", ni("association/publicDnsName"), "ec2-1-2-3-4.compute-1.amazonaws.com"),
        // Not in the answer: the instance's own interface is not AWS-managed.
        ("network-interface.requester-managed", "false".into(), "true"),
        ("network-interface.status", ni("status"), "available"),
        ("network-interface.source-dest-check", ni("sourceDestCheck"), "false"),
        ("network-interface.subnet-id", ni("subnetId"), "subnet-00000000000000000"),
        // The interface's own tags (TagSpecification network-interface), not the instance's.
        ("network-interface.tag-key", "role".into(), "Name"),
        ("network-interface.tag-value", "frontend".into(), "web"),
        ("network-interface.vpc-id", ni("vpcId"), "vpc-00000000000000000"),
        ("network-performance-options.bandwidth-weighting", o("networkPerformanceOptions/bandwidthWeighting"), "vpc-1"),
        ("operator.managed", o("operator/managed"), "true"),
        ("owner-id", owner.clone(), "111111111111"),
        ("platform-details", o("platformDetails"), "Windows"),
        ("private-dns-name", o("privateDnsName"), "ip-10-9-9-9.ec2.internal"),
        ("private-dns-name-options.enable-resource-name-dns-a-record", o("privateDnsNameOptions/enableResourceNameDnsARecord"), "true"),
        ("private-dns-name-options.enable-resource-name-dns-aaaa-record", o("privateDnsNameOptions/enableResourceNameDnsAAAARecord"), "true"),
        ("private-dns-name-options.hostname-type", o("privateDnsNameOptions/hostnameType"), "resource-name"),
        ("private-ip-address", o("privateIpAddress"), "10.9.9.9"),
        ("reservation-id", reservation, "r-00000000000000000"),
        ("root-device-name", o("rootDeviceName"), "/dev/sda1"),
        ("root-device-type", o("rootDeviceType"), "instance-store"),
        ("source-dest-check", o("sourceDestCheck"), "false"),
        ("subnet-id", o("subnetId"), "subnet-00000000000000000"),
        ("tenancy", o("placement/tenancy"), "dedicated"),
        ("usage-operation", o("usageOperation"), "RunInstances:0002"),
        ("usage-operation-update-time", o("usageOperationUpdateTime"), never),
        ("virtualization-type", o("virtualizationType"), "paravirtual"),
        ("vpc-id", o("vpcId"), "vpc-00000000000000000"),
        ("tag:Name", "web".into(), "db"),
        ("tag-key", "Name".into(), "Owner"),
    ];
    exercise(&s, act, set, id, &a, &rows);
    let ib = Item::of(&s, act, &[("InstanceId.1", &b)], set, id, &b);
    #[rustfmt::skip]
    let rows_b: Vec<Row> = vec![
        ("platform", ib.get("platform"), "Windows"),
        ("reason", ib.get("reason"), "User initiated"),
        ("state-reason-code", ib.get("stateReason/code"), "pending"),
        ("state-reason-message", ib.get("stateReason/message"), "pending"),
    ];
    exercise(&s, act, set, id, &b, &rows_b);
    match_nothing(&s, act, set, id, INSTANCE_NOTHING);
    let names = rows.iter().chain(&rows_b).map(|r| r.0);
    assert_exercised(act, names.chain(INSTANCE_NOTHING.iter().map(|n| n.0)));
}

#[test]
fn describe_images_every_documented_filter() {
    let s = Server::start();
    s.call(
        "CreateTags",
        &[
            ("ResourceId.1", AMI),
            ("Tag.1.Key", "Name"),
            ("Tag.1.Value", "base"),
        ],
    )
    .ok();
    let act = "DescribeImages";
    let (set, id) = ("imagesSet", "imageId");
    let i = Item::of(&s, act, &[("ImageId.1", AMI)], set, id, AMI);
    let o = |p: &str| i.get(p);
    let ebs = |p: &str| i.get(&format!("blockDeviceMapping/item/ebs/{p}"));
    #[rustfmt::skip]
    let rows: Vec<Row> = vec![
        ("architecture", o("architecture"), "arm64"),
        ("block-device-mapping.delete-on-termination", ebs("deleteOnTermination"), "false"),
        ("block-device-mapping.device-name", o("blockDeviceMapping/item/deviceName"), "/dev/sda1"),
        ("block-device-mapping.snapshot-id", ebs("snapshotId"), "snap-00000000000000000"),
        ("block-device-mapping.volume-size", ebs("volumeSize"), "30"),
        ("block-device-mapping.volume-type", ebs("volumeType"), "gp2"),
        ("block-device-mapping.encrypted", ebs("encrypted"), "true"),
        ("creation-date", o("creationDate"), "2001-01-01T00:00:00.000Z"),
        ("description", o("description"), "Amazon Linux 2"),
        ("ena-support", o("enaSupport"), "false"),
        ("free-tier-eligible", o("freeTierEligible"), "false"),
        ("hypervisor", o("hypervisor"), "ovm"),
        // Not in the answer: Allowed AMIs is off, which allows every image.
        ("image-allowed", "true".into(), "false"),
        ("image-id", o("imageId"), "ami-00000000000000000"),
        ("image-type", o("imageType"), "kernel"),
        ("is-public", o("isPublic"), "false"),
        ("manifest-location", o("imageLocation"), "amazon/other"),
        ("name", o("name"), "al2023-ami-minimal-*"),
        ("owner-alias", o("imageOwnerAlias"), "aws-marketplace"),
        ("owner-id", o("imageOwnerId"), "099720109477"),
        ("root-device-name", o("rootDeviceName"), "/dev/sda1"),
        ("root-device-type", o("rootDeviceType"), "instance-store"),
        ("state", o("imageState"), "pending"),
        ("sriov-net-support", o("sriovNetSupport"), "none"),
        ("virtualization-type", o("virtualizationType"), "paravirtual"),
        ("tag:Name", "base".into(), "other"),
        ("tag-key", "Name".into(), "Owner"),
    ];
    exercise(&s, act, set, id, AMI, &rows);
    let windows = "ami-0873e57d051852355";
    let w = Item::of(&s, act, &[("ImageId.1", windows)], set, id, windows);
    let rows_w: Vec<Row> = vec![("platform", w.get("platform"), "Windows")];
    exercise(&s, act, set, id, windows, &rows_w);
    #[rustfmt::skip]
    let nothing: &[(&str, &str)] = &[
        ("kernel-id", "HVM images have no kernel of their own"),
        ("ramdisk-id", "HVM images have no RAM disk of their own"),
        ("product-code", "the catalog has no product codes"),
        ("product-code.type", "the catalog has no product codes"),
        ("state-reason-code", "every image is available"),
        ("state-reason-message", "every image is available"),
    ];
    // An image made from an instance, and a copy of it.
    let instance = s
        .call(
            "RunInstances",
            &[
                ("ImageId", AMI),
                ("InstanceType", "t3.micro"),
                ("MinCount", "1"),
                ("MaxCount", "1"),
            ],
        )
        .ok()
        .first("instanceId")
        .unwrap();
    let made = s
        .call(
            "CreateImage",
            &[("InstanceId", &instance), ("Name", "made")],
        )
        .ok()
        .first("imageId")
        .unwrap();
    let copy = s
        .call(
            "CopyImage",
            &[
                ("SourceImageId", &made),
                ("SourceRegion", "us-east-1"),
                ("Name", "copied"),
            ],
        )
        .ok()
        .first("imageId")
        .unwrap();
    let c = Item::of(&s, act, &[("ImageId.1", &copy)], set, id, &copy);
    #[rustfmt::skip]
    let rows_c: Vec<Row> = vec![
        ("source-image-id", c.get("sourceImageId"), "ami-00000000000000000"),
        ("source-image-region", c.get("sourceImageRegion"), "eu-west-1"),
    ];
    assert_eq!(rows_c[0].1, made);
    exercise(&s, act, set, id, &copy, &rows_c);
    let m = Item::of(&s, act, &[("ImageId.1", &made)], set, id, &made);
    let rows_m: Vec<Row> = vec![(
        "source-instance-id",
        m.get("sourceInstanceId"),
        "i-00000000000000000",
    )];
    assert_eq!(rows_m[0].1, instance);
    exercise(&s, act, set, id, &made, &rows_m);
    match_nothing(&s, act, set, id, nothing);
    let names = rows
        .iter()
        .chain(&rows_w)
        .chain(&rows_c)
        .chain(&rows_m)
        .map(|r| r.0);
    assert_exercised(act, names.chain(nothing.iter().map(|n| n.0)));
}

#[test]
fn describe_vpcs_every_documented_filter() {
    let s = Server::start();
    let v = vpc(&s, "10.0.0.0/16", "net");
    let act = "DescribeVpcs";
    let (set, id) = ("vpcSet", "vpcId");
    let i = Item::of(&s, act, &[("VpcId.1", &v)], set, id, &v);
    let o = |p: &str| i.get(p);
    #[rustfmt::skip]
    let rows: Vec<Row> = vec![
        ("cidr", o("cidrBlock"), "10.1.0.0/16"),
        ("cidr-block-association.cidr-block", o("cidrBlockAssociationSet/item/cidrBlock"), "10.0.0.0/24"),
        ("cidr-block-association.association-id", o("cidrBlockAssociationSet/item/associationId"), "vpc-cidr-assoc-00000000000000000"),
        ("cidr-block-association.state", o("cidrBlockAssociationSet/item/cidrBlockState/state"), "disassociated"),
        ("dhcp-options-id", o("dhcpOptionsId"), "dopt-00000000000000000"),
        ("is-default", o("isDefault"), "true"),
        ("owner-id", o("ownerId"), "111111111111"),
        ("state", o("state"), "pending"),
        ("vpc-id", o("vpcId"), "vpc-00000000000000000"),
        ("tag:Name", "net".into(), "Net"),
        ("tag-key", "Name".into(), "name"),
    ];
    exercise(&s, act, set, id, &v, &rows);
    #[rustfmt::skip]
    let nothing: &[(&str, &str)] = &[
        ("ipv6-cidr-block-association.ipv6-cidr-block", "no IPv6 blocks"),
        ("ipv6-cidr-block-association.ipv6-pool", "no IPv6 blocks"),
        ("ipv6-cidr-block-association.association-id", "no IPv6 blocks"),
        ("ipv6-cidr-block-association.state", "no IPv6 blocks"),
    ];
    match_nothing(&s, act, set, id, nothing);
    assert_exercised(
        act,
        rows.iter().map(|r| r.0).chain(nothing.iter().map(|n| n.0)),
    );
}

#[test]
fn describe_subnets_every_documented_filter_and_alias() {
    let s = Server::start();
    let v = vpc(&s, "10.0.0.0/16", "net");
    let sub = s
        .call(
            "CreateSubnet",
            &[
                ("VpcId", &v),
                ("CidrBlock", "10.0.1.0/24"),
                ("AvailabilityZone", "us-east-1b"),
                ("TagSpecification.1.ResourceType", "subnet"),
                ("TagSpecification.1.Tag.1.Key", "tier"),
                ("TagSpecification.1.Tag.1.Value", "app"),
            ],
        )
        .ok()
        .first("subnetId")
        .unwrap();
    let act = "DescribeSubnets";
    let (set, id) = ("subnetSet", "subnetId");
    let i = Item::of(&s, act, &[("SubnetId.1", &sub)], set, id, &sub);
    let o = |p: &str| i.get(p);
    let dns = |p: &str| i.get(&format!("privateDnsNameOptionsOnLaunch/{p}"));
    #[rustfmt::skip]
    let rows: Vec<Row> = vec![
        ("availability-zone", o("availabilityZone"), "us-east-1a"),
        ("availability-zone-id", o("availabilityZoneId"), "use1-az0"),
        ("available-ip-address-count", o("availableIpAddressCount"), "250"),
        ("cidr-block", o("cidrBlock"), "10.0.2.0/24"),
        ("default-for-az", o("defaultForAz"), "true"),
        ("enable-dns64", o("enableDns64"), "true"),
        ("ipv6-native", o("ipv6Native"), "true"),
        ("map-customer-owned-ip-on-launch", o("mapCustomerOwnedIpOnLaunch"), "true"),
        ("map-public-ip-on-launch", o("mapPublicIpOnLaunch"), "true"),
        ("owner-id", o("ownerId"), "111111111111"),
        ("private-dns-name-options-on-launch.hostname-type", dns("hostnameType"), "resource-name"),
        ("private-dns-name-options-on-launch.enable-resource-name-dns-a-record", dns("enableResourceNameDnsARecord"), "true"),
        ("private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record", dns("enableResourceNameDnsAAAARecord"), "true"),
        ("state", o("state"), "pending"),
        ("subnet-arn", o("subnetArn"), "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0"),
        ("subnet-id", o("subnetId"), "subnet-00000000000000000"),
        ("vpc-id", o("vpcId"), "vpc-00000000000000000"),
        ("availabilityZone", o("availabilityZone"), "us-east-1a"),
        ("availabilityZoneId", o("availabilityZoneId"), "use1-az0"),
        ("cidr", o("cidrBlock"), "10.0.2.0/24"),
        ("cidrBlock", o("cidrBlock"), "10.0.2.0/24"),
        ("defaultForAz", o("defaultForAz"), "true"),
        ("tag:tier", "app".into(), "web"),
        ("tag-key", "tier".into(), "Name"),
    ];
    exercise(&s, act, set, id, &sub, &rows);
    #[rustfmt::skip]
    let nothing: &[(&str, &str)] = &[
        ("customer-owned-ipv4-pool", "no Outposts"),
        ("outpost-arn", "no Outposts"),
        ("enable-lni-at-device-index", "no local network interfaces"),
        ("ipv6-cidr-block-association.ipv6-cidr-block", "no IPv6 blocks"),
        ("ipv6-cidr-block-association.association-id", "no IPv6 blocks"),
        ("ipv6-cidr-block-association.state", "no IPv6 blocks"),
    ];
    match_nothing(&s, act, set, id, nothing);
    assert_exercised(
        act,
        rows.iter().map(|r| r.0).chain(nothing.iter().map(|n| n.0)),
    );
}

#[test]
fn describe_security_groups_every_documented_filter() {
    let s = Server::start();
    let v = vpc(&s, "10.0.0.0/16", "net");
    let g = s
        .call(
            "CreateSecurityGroup",
            &[
                ("GroupName", "web"),
                ("GroupDescription", "web tier"),
                ("VpcId", &v),
                ("TagSpecification.1.ResourceType", "security-group"),
                ("TagSpecification.1.Tag.1.Key", "Name"),
                ("TagSpecification.1.Tag.1.Value", "web"),
            ],
        )
        .ok()
        .first("groupId")
        .unwrap();
    let act = "DescribeSecurityGroups";
    let (set, id) = ("securityGroupInfo", "groupId");
    let peer = s
        .call(
            act,
            &[
                ("Filter.1.Name", "vpc-id"),
                ("Filter.1.Value.1", &v),
                ("Filter.2.Name", "group-name"),
                ("Filter.2.Value.1", "default"),
            ],
        )
        .ok();
    let peer = under(&peer.doc(), set, id).pop().unwrap();
    s.call(
        "AuthorizeSecurityGroupIngress",
        &[
            ("GroupId", &g),
            ("IpPermissions.1.IpProtocol", "tcp"),
            ("IpPermissions.1.FromPort", "22"),
            ("IpPermissions.1.ToPort", "23"),
            ("IpPermissions.1.IpRanges.1.CidrIp", "10.0.0.0/8"),
            ("IpPermissions.2.IpProtocol", "tcp"),
            ("IpPermissions.2.FromPort", "443"),
            ("IpPermissions.2.ToPort", "443"),
            ("IpPermissions.2.Ipv6Ranges.1.CidrIpv6", "::/0"),
            ("IpPermissions.3.IpProtocol", "tcp"),
            ("IpPermissions.3.FromPort", "8080"),
            ("IpPermissions.3.ToPort", "8080"),
            (
                "IpPermissions.3.PrefixListIds.1.PrefixListId",
                "pl-12345678",
            ),
            ("IpPermissions.4.IpProtocol", "tcp"),
            ("IpPermissions.4.FromPort", "5432"),
            ("IpPermissions.4.ToPort", "5432"),
            ("IpPermissions.4.Groups.1.GroupId", &peer),
        ],
    )
    .ok();
    let i = Item::of(&s, act, &[("GroupId.1", &g)], set, id, &g);
    let o = |p: &str| i.get(p);
    let ip = |p: &str| i.get(&format!("ipPermissions/item/{p}"));
    #[rustfmt::skip]
    let rows: Vec<Row> = vec![
        ("description", o("groupDescription"), "web"),
        ("egress.ip-permission.cidr", o("ipPermissionsEgress/item/ipRanges/item/cidrIp"), "10.0.0.0/8"),
        ("egress.ip-permission.protocol", o("ipPermissionsEgress/item/ipProtocol"), "tcp"),
        ("group-id", o("groupId"), "sg-00000000000000000"),
        ("group-name", o("groupName"), "default"),
        ("ip-permission.cidr", ip("ipRanges/item/cidrIp"), "0.0.0.0/0"),
        ("ip-permission.from-port", ip("fromPort"), "23"),
        ("ip-permission.group-id", ip("groups/item/groupId"), "sg-00000000000000000"),
        // A VPC group's answer lists the pair by id; the filter matches the peer's name.
        ("ip-permission.group-name", "default".into(), "web"),
        ("ip-permission.ipv6-cidr", ip("ipv6Ranges/item/cidrIpv6"), "2001:db8::/32"),
        ("ip-permission.prefix-list-id", ip("prefixListIds/item/prefixListId"), "pl-87654321"),
        ("ip-permission.protocol", ip("ipProtocol"), "udp"),
        ("ip-permission.to-port", ip("toPort"), "22"),
        ("ip-permission.user-id", ip("groups/item/userId"), "111111111111"),
        ("owner-id", o("ownerId"), "111111111111"),
        ("vpc-id", o("vpcId"), "vpc-00000000000000000"),
        ("tag:Name", "web".into(), "db"),
        ("tag-key", "Name".into(), "Owner"),
    ];
    exercise(&s, act, set, id, &g, &rows);
    // AuthorizeSecurityGroupEgress is not implemented: every group's only outbound rule
    // is EC2's default, all traffic (no ports) to 0.0.0.0/0.
    #[rustfmt::skip]
    let nothing: &[(&str, &str)] = &[
        ("egress.ip-permission.from-port", "the default egress rule has no ports"),
        ("egress.ip-permission.to-port", "the default egress rule has no ports"),
        ("egress.ip-permission.group-id", "no egress rule names a group"),
        ("egress.ip-permission.group-name", "no egress rule names a group"),
        ("egress.ip-permission.user-id", "no egress rule names a group"),
        ("egress.ip-permission.ipv6-cidr", "no egress rule has an IPv6 block"),
        ("egress.ip-permission.prefix-list-id", "no egress rule names a prefix list"),
    ];
    match_nothing(&s, act, set, id, nothing);
    assert_exercised(
        act,
        rows.iter().map(|r| r.0).chain(nothing.iter().map(|n| n.0)),
    );
}

#[test]
fn describe_key_pairs_every_documented_filter() {
    let s = Server::start();
    s.call(
        "CreateKeyPair",
        &[
            ("KeyName", "ops"),
            ("KeyType", "ed25519"),
            ("TagSpecification.1.ResourceType", "key-pair"),
            ("TagSpecification.1.Tag.1.Key", "team"),
            ("TagSpecification.1.Tag.1.Value", "infra"),
        ],
    )
    .ok();
    let dev = s
        .call(
            "CreateKeyPair",
            &[("KeyName", "dev"), ("KeyType", "ed25519")],
        )
        .ok();
    let dev_fingerprint = dev.first("keyFingerprint").unwrap();
    let act = "DescribeKeyPairs";
    let (set, id) = ("keySet", "keyName");
    let i = Item::of(&s, act, &[("KeyName.1", "ops")], set, id, "ops");
    let o = |p: &str| i.get(p);
    #[rustfmt::skip]
    let rows: Vec<Row> = vec![
        ("key-pair-id", o("keyPairId"), "key-00000000000000000"),
        ("fingerprint", o("keyFingerprint"), &dev_fingerprint),
        ("key-name", o("keyName"), "dev"),
        ("tag:team", "infra".into(), "apps"),
        ("tag-key", "team".into(), "Team"),
    ];
    exercise(&s, act, set, id, "ops", &rows);
    assert_exercised(act, rows.iter().map(|r| r.0));
}

#[test]
fn describe_tags_every_documented_filter() {
    let s = Server::start();
    let v = vpc(&s, "10.0.0.0/16", "net");
    let act = "DescribeTags";
    let (set, id) = ("tagSet", "resourceId");
    let i = Item::of(&s, act, &[], set, id, &v);
    let o = |p: &str| i.get(p);
    #[rustfmt::skip]
    let rows: Vec<Row> = vec![
        ("key", o("key"), "name"),
        ("resource-id", o("resourceId"), "vpc-00000000000000000"),
        ("resource-type", o("resourceType"), "subnet"),
        ("tag:Name", o("value"), "Net"),
        ("value", o("value"), "ne"),
    ];
    exercise(&s, act, set, id, &v, &rows);
    assert_exercised(act, rows.iter().map(|r| r.0));
}

// ---------------------------------------------------------------------------------------
// How filters combine, and their errors.

#[test]
fn values_are_ored_and_filters_anded() {
    let s = Server::start();
    let a = vpc(&s, "10.0.0.0/16", "a");
    let b = vpc(&s, "10.1.0.0/16", "b");
    let ids = |p: &[(&str, &str)]| under(&s.call("DescribeVpcs", p).ok().doc(), "vpcSet", "vpcId");
    let either = [
        ("Filter.1.Name", "tag:Name"),
        ("Filter.1.Value.1", "a"),
        ("Filter.1.Value.2", "b"),
    ];
    assert_eq!(ids(&either), [a.clone(), b.clone()].into_iter().sorted());
    let mut both = either.to_vec();
    both.extend([
        ("Filter.2.Name", "cidr"),
        ("Filter.2.Value.1", "10.1.0.0/16"),
    ]);
    assert_eq!(ids(&both), [b.as_str()]);
    both.extend([
        ("Filter.3.Name", "is-default"),
        ("Filter.3.Value.1", "true"),
    ]);
    assert!(ids(&both).is_empty());
    // The same name twice is two filters, both to be met.
    let twice = [
        ("Filter.1.Name", "tag:Name"),
        ("Filter.1.Value.1", "a"),
        ("Filter.2.Name", "tag:Name"),
        ("Filter.2.Value.1", "b"),
    ];
    assert!(ids(&twice).is_empty());
}

#[test]
fn wildcards_match_and_case_counts() {
    let s = Server::start();
    let web = vpc(&s, "10.0.0.0/16", "web-1");
    let star = vpc(&s, "10.1.0.0/16", "a*b");
    let ids = |name: &str, value: &str| {
        under(
            &s.call(
                "DescribeVpcs",
                &[("Filter.1.Name", name), ("Filter.1.Value.1", value)],
            )
            .ok()
            .doc(),
            "vpcSet",
            "vpcId",
        )
    };
    assert_eq!(ids("tag:Name", "web*"), [web.as_str()]);
    assert_eq!(ids("tag:Name", "web-?"), [web.as_str()]);
    assert_eq!(ids("tag:Name", "*-1"), [web.as_str()]);
    assert!(ids("tag:Name", "web-??").is_empty());
    assert!(
        ids("tag:Name", "Web*").is_empty(),
        "values are case-sensitive"
    );
    assert!(
        ids("tag:name", "web-1").is_empty(),
        "tag keys are case-sensitive"
    );
    assert_eq!(ids("tag:Name", r"a\*b"), [star.as_str()]);
    assert!(ids("tag:Name", r"a\*").is_empty());
    assert_eq!(ids("cidr", "10.?.0.0/16").len(), 2);
    assert_eq!(ids("tag-key", "*").len(), 2, "the default VPC has no tags");
    // Filter names are case-sensitive too.
    assert_error(
        &s.call(
            "DescribeVpcs",
            &[("Filter.1.Name", "VPC-ID"), ("Filter.1.Value.1", &web)],
        ),
        400,
        "InvalidParameterValue",
        "The filter 'VPC-ID' is invalid",
    );
}

#[test]
fn an_unknown_filter_fails_before_anything_else() {
    let s = Server::start();
    // Each with bad ids or parameters, and a valid filter before the unknown one.
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 7] = [
        (
            "DescribeInstances",
            &[("InstanceId.1", "i-bad"), ("MaxResults", "1")],
            "owner-id",
        ),
        (
            "DescribeImages",
            &[("ImageId.1", "ami-bad"), ("Owner.1", "nobody")],
            "owner-id",
        ),
        (
            "DescribeVpcs",
            &[("VpcId.1", "vpc-00000000000000000")],
            "owner-id",
        ),
        (
            "DescribeSubnets",
            &[("SubnetId.1", "subnet-bad")],
            "owner-id",
        ),
        (
            "DescribeSecurityGroups",
            &[("GroupId.1", "sg-bad"), ("GroupName.1", "nope")],
            "owner-id",
        ),
        (
            "DescribeKeyPairs",
            &[("KeyName.1", "missing"), ("KeyPairId.1", "key-bad")],
            "key-name",
        ),
        (
            "DescribeTags",
            &[("MaxResults", "1"), ("NextToken", "garbage")],
            "key",
        ),
    ];
    for (action, params, valid) in cases {
        let mut p = params.to_vec();
        p.extend([
            ("Filter.1.Name", valid),
            ("Filter.1.Value.1", "x"),
            ("Filter.2.Name", "x"),
            ("Filter.2.Value.1", "y"),
        ]);
        assert_error(
            &s.call(action, &p),
            400,
            "InvalidParameterValue",
            "The filter 'x' is invalid",
        );
        // A filter with no values is still checked by name.
        assert_error(
            &s.call(action, &[("Filter.1.Name", "colour")]),
            400,
            "InvalidParameterValue",
            "The filter 'colour' is invalid",
        );
    }
}

#[test]
fn a_value_over_255_characters_exceeds_the_filter_limit() {
    let s = Server::start();
    let long = "a".repeat(256);
    let just = "a".repeat(255);
    for action in OPS.iter().chain(&["DescribeTags"]) {
        let name = if *action == "DescribeTags" {
            "key"
        } else {
            "tag-key"
        };
        assert_error(
            &s.call(
                action,
                &[
                    ("Filter.1.Name", name),
                    ("Filter.1.Value.1", "ok"),
                    ("Filter.1.Value.2", &long),
                ],
            ),
            400,
            "FilterLimitExceeded",
            "The maximum length for a filter value is 255 characters",
        );
        s.call(
            action,
            &[("Filter.1.Name", name), ("Filter.1.Value.1", &just)],
        )
        .ok();
    }
}

#[test]
fn images_owner_executable_by_and_filters_together() {
    let s = Server::start();
    let ids = |p: &[(&str, &str)]| {
        under(
            &s.call("DescribeImages", p).ok().doc(),
            "imagesSet",
            "imageId",
        )
        .into_iter()
        .sorted()
    };
    let arm = [
        ("Filter.1.Name", "architecture"),
        ("Filter.1.Value.1", "arm64"),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut p = extra.to_vec();
        p.extend(arm);
        ids(&p)
    };
    // Amazon Linux's account; the alias `amazon` also covers Canonical, Debian, Red Hat
    // and SUSE images nowadays (src/data/IMAGES.md).
    assert_eq!(
        with(&[
            ("Owner.1", "137112412989"),
            ("ExecutableBy.1", "all"),
            ("Filter.2.Name", "name"),
            ("Filter.2.Value.1", "al2023-ami-2023*"),
        ]),
        ["ami-043aca06cfbc25a0c"]
    );
    assert_eq!(
        with(&[
            ("Owner.1", "137112412989"),
            ("Owner.2", "099720109477"),
            ("ExecutableBy.1", "self"),
            ("Filter.2.Name", "name"),
            ("Filter.2.Value.1", "*24.04*"),
            ("Filter.2.Value.2", "al2023-ami-2023*"),
        ]),
        ["ami-043aca06cfbc25a0c", "ami-09157da14e0404a8f"]
    );
    assert!(with(&[("Owner.1", "amazon")]).contains(&"ami-09157da14e0404a8f".to_string()));
    assert!(with(&[("Owner.1", "self"), ("ExecutableBy.1", "all")]).is_empty());
    // Owners and filters on the owner agree; the filter can narrow, not widen.
    assert!(with(&[
        ("Owner.1", "137112412989"),
        ("Filter.2.Name", "owner-id"),
        ("Filter.2.Value.1", "099720109477"),
    ])
    .is_empty());
    assert_eq!(
        ids(&[
            ("ExecutableBy.1", "123456789012"),
            ("Filter.1.Name", "name"),
            ("Filter.1.Value.1", "ubuntu/images/hvm-ssd-gp3/*"),
            ("Filter.2.Name", "architecture"),
            ("Filter.2.Value.1", "x86_64"),
        ]),
        ["ami-024f29cd047c14d5d"]
    );
}

#[test]
fn image_name_wildcard_owner_alias_and_architecture() {
    let s = Server::start();
    let r = s
        .call(
            "DescribeImages",
            &[
                ("Filter.1.Name", "name"),
                ("Filter.1.Value.1", "al2023-ami-2023.*-kernel-6.1-*"),
                ("Filter.2.Name", "owner-alias"),
                ("Filter.2.Value.1", "amazon"),
                ("Filter.3.Name", "architecture"),
                ("Filter.3.Value.1", "x86_64"),
            ],
        )
        .ok();
    assert_eq!(under(&r.doc(), "imagesSet", "imageId"), [AMI]);
    // Canonical's images carry the alias `amazon` in current EC2 answers (IMAGES.md).
    let r = s
        .call(
            "DescribeImages",
            &[
                ("Filter.1.Name", "name"),
                ("Filter.1.Value.1", "ubuntu/*"),
                ("Filter.2.Name", "owner-alias"),
                ("Filter.2.Value.1", "amazon"),
            ],
        )
        .ok();
    assert_eq!(under(&r.doc(), "imagesSet", "imageId").len(), 4);
}

#[test]
fn instance_ids_with_filters_select_without_erroring() {
    let s = Server::start();
    let a = run(&s, &[("ImageId", AMI)]);
    let b = run(&s, &[("ImageId", AMI), ("InstanceType", "t3.small")]);
    let ids = |p: &[(&str, &str)]| {
        under(
            &s.call("DescribeInstances", p).ok().doc(),
            "instancesSet",
            "instanceId",
        )
    };
    let by_type = [
        ("Filter.1.Name", "instance-type"),
        ("Filter.1.Value.1", "t3.small"),
    ];
    let mut p = vec![("InstanceId.1", a.as_str()), ("InstanceId.2", b.as_str())];
    p.extend(by_type);
    assert_eq!(ids(&p), [b.as_str()]);
    // The filter leaves out the only id asked for: an empty answer, not NotFound.
    let mut p = vec![("InstanceId.1", a.as_str())];
    p.extend(by_type);
    assert!(ids(&p).is_empty());
    // A missing id is still NotFound, filters or not.
    let mut p = vec![("InstanceId.1", "i-00000000000000000")];
    p.extend(by_type);
    assert_eq!(
        s.call("DescribeInstances", &p).error().1,
        "InvalidInstanceID.NotFound"
    );
}

#[test]
fn state_name_tag_and_vpc_together() {
    let s = Server::start();
    let tagged = |name: &'static str| {
        [
            ("ImageId", AMI),
            ("TagSpecification.1.ResourceType", "instance"),
            ("TagSpecification.1.Tag.1.Key", "Name"),
            ("TagSpecification.1.Tag.1.Value", name),
        ]
    };
    let web1 = run(&s, &tagged("web-1"));
    let web2 = run(&s, &tagged("web-2"));
    let db = run(&s, &tagged("db-1"));
    let stopped = run(&s, &tagged("web-3"));
    s.call("StopInstances", &[("InstanceId.1", &stopped)]).ok();
    // One in another VPC, same name and state.
    let v = vpc(&s, "10.0.0.0/16", "other");
    let sub = s
        .call(
            "CreateSubnet",
            &[("VpcId", &v), ("CidrBlock", "10.0.0.0/24")],
        )
        .ok()
        .first("subnetId")
        .unwrap();
    let mut p = tagged("web-4").to_vec();
    p.push(("SubnetId", &sub));
    let elsewhere = run(&s, &p);
    let default_vpc = Item::of(
        &s,
        "DescribeInstances",
        &[("InstanceId.1", &web1)],
        "instancesSet",
        "instanceId",
        &web1,
    )
    .get("vpcId");
    let ids = |p: &[(&str, &str)]| {
        under(
            &s.call("DescribeInstances", p).ok().doc(),
            "instancesSet",
            "instanceId",
        )
        .into_iter()
        .sorted()
    };
    let query = [
        ("Filter.1.Name", "instance-state-name"),
        ("Filter.1.Value.1", "running"),
        ("Filter.1.Value.2", "pending"),
        ("Filter.2.Name", "tag:Name"),
        ("Filter.2.Value.1", "web-*"),
        ("Filter.3.Name", "vpc-id"),
        ("Filter.3.Value.1", &default_vpc),
    ];
    assert_eq!(
        ids(&query),
        [web1.clone(), web2.clone()].into_iter().sorted()
    );
    assert!(!ids(&query[..5]).contains(&db));
    assert!(ids(&query[..5]).contains(&elsewhere));
    // A terminated instance has left its VPC: `vpc-id` no longer selects it.
    s.call("TerminateInstances", &[("InstanceId.1", &web2)])
        .ok();
    assert_eq!(ids(&query), [web1.as_str()]);
    let gone = [
        ("Filter.1.Name", "instance-state-name"),
        ("Filter.1.Value.1", "terminated"),
        ("Filter.2.Name", "vpc-id"),
        ("Filter.2.Value.1", &default_vpc),
    ];
    assert_eq!(ids(&gone[..2]), [web2.as_str()]);
    assert!(ids(&gone).is_empty());
}

#[test]
fn tag_key_with_wildcards() {
    let s = Server::start();
    let a = run(
        &s,
        &[
            ("ImageId", AMI),
            ("TagSpecification.1.ResourceType", "instance"),
            ("TagSpecification.1.Tag.1.Key", "team:payments"),
            ("TagSpecification.1.Tag.1.Value", ""),
        ],
    );
    let b = run(
        &s,
        &[
            ("ImageId", AMI),
            ("TagSpecification.1.ResourceType", "instance"),
            ("TagSpecification.1.Tag.1.Key", "team:search"),
            ("TagSpecification.1.Tag.1.Value", "x"),
        ],
    );
    let plain = run(&s, &[("ImageId", AMI)]);
    let ids = |v: &[&str]| {
        let mut p = vec![("Filter.1.Name", "tag-key")];
        let keys: Vec<String> = (1..=v.len())
            .map(|i| format!("Filter.1.Value.{i}"))
            .collect();
        p.extend(keys.iter().map(String::as_str).zip(v.iter().copied()));
        under(
            &s.call("DescribeInstances", &p).ok().doc(),
            "instancesSet",
            "instanceId",
        )
        .into_iter()
        .sorted()
    };
    let both = [a.clone(), b.clone()].into_iter().sorted();
    assert_eq!(ids(&["team:*"]), both);
    assert_eq!(ids(&["*:pay*"]), [a.as_str()]);
    assert_eq!(ids(&["team:??????"]), [b.as_str()]);
    assert_eq!(ids(&["team:search", "team:pay?ents"]), both);
    assert!(ids(&["Team:*"]).is_empty());
    assert!(!ids(&["*"]).contains(&plain));
    // `tag:<key>` with an empty value matches the empty value only.
    let r = s
        .call(
            "DescribeInstances",
            &[
                ("Filter.1.Name", "tag:team:payments"),
                ("Filter.1.Value.1", ""),
            ],
        )
        .ok();
    assert_eq!(under(&r.doc(), "instancesSet", "instanceId"), [a.as_str()]);
}

#[test]
fn launch_time_matches_a_whole_day_with_a_wildcard() {
    let s = Server::start();
    let a = run(&s, &[("ImageId", AMI)]);
    let launched = Item::of(
        &s,
        "DescribeInstances",
        &[],
        "instancesSet",
        "instanceId",
        &a,
    )
    .get("launchTime");
    assert!(
        launched.ends_with('Z') && launched.len() == 24,
        "{launched}"
    );
    let ids = |v: &str| {
        under(
            &s.call(
                "DescribeInstances",
                &[("Filter.1.Name", "launch-time"), ("Filter.1.Value.1", v)],
            )
            .ok()
            .doc(),
            "instancesSet",
            "instanceId",
        )
    };
    assert_eq!(ids(&format!("{}*", &launched[..11])), [a.as_str()]);
    assert_eq!(
        ids(&format!("{}*", &launched[..8])),
        [a.as_str()],
        "a month"
    );
    assert!(ids("2001-01-01T*").is_empty());
    assert!(
        ids(&launched[..19]).is_empty(),
        "a value is the whole timestamp or a pattern"
    );
}
