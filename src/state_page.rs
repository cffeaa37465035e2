//! What the emulator holds, for programs and people: `GET /_parlel/state` (JSON of every
//! account and Region, resources by kind) and the page at `GET /_parlel/` that shows it.
//!
//! The JSON, stable: `{"accounts": [{"account", "regions": [{"region", "counts": {kind:
//! n}, "resources": {kind: [{"id", "tags": {…}, "name"?, "state"?, …main fields}]}}]}]}`,
//! kinds by their EC2 resource type (`instance`, `vpc`, …); each kind's main fields in
//! AWS's member names (its state, VPC and subnet, created time: see `fields`). Every
//! object's keys are in sorted order (`sorted`), so every build writes the same bytes.
//! Optional query parameters `account`, `region` and `kind` narrow it. What every
//! account starts with and does not own (the catalog's images and snapshots, AWS-managed
//! prefix lists) is left out.

use crate::clock::{Timestamp, TimestampFormat};
use crate::store::{
    Address, AssociationTarget, DhcpOptions, EgressOnlyInternetGateway, Image, Instance,
    InternetGateway, KeyPair, Kind, KindVisitor, LaunchTemplate, ManagedPrefixList, NatGateway,
    NetworkAcl, NetworkInterface, Peer, RegionState, Resource, RouteTable, SecurityGroup, SgRule,
    Snapshot, Subnet, SubnetCidrReservation, View, Volume, Vpc, VpcEndpoint,
};
use serde_json::{json, Map, Value};
use std::any::Any;
use std::sync::PoisonError;

/// The main fields of one resource, by kind, in AWS's member names (id, name and tags
/// are added for every kind); `None` for what the account did not make (seeded catalog
/// entries). `state` is the kind's state or status where it has one; the created time
/// is under EC2's own name for it (`launchTime`, `createTime`, `startTime`,
/// `creationDate`, `creationTimestamp`) where EC2 records one.
fn fields(r: &dyn Any, v: &View<'_>) -> Option<Map<String, Value>> {
    let mut m = Map::new();
    let ip = |n: u32| json!(std::net::Ipv4Addr::from(n).to_string());
    let time = |t: Timestamp| json!(t.format(TimestampFormat::DateTime));
    let mut put = |k: &str, x: Value| {
        m.insert(k.into(), x);
    };
    if let Some(i) = r.downcast_ref::<Instance>() {
        put("state", json!(i.phase.state(v.now).name()));
        put("instanceType", json!(&*i.instance_type));
        put("imageId", json!(&*i.image_id));
        put("vpcId", json!(&*i.vpc_id));
        put("subnetId", json!(&*i.subnet_id));
        put("availabilityZone", json!(&*i.az));
        put("privateIpAddress", ip(i.private_ip));
        if let Some(p) = i.public_ip {
            put("publicIpAddress", ip(p));
        }
        put("launchTime", time(i.launch_time));
        put("keyName", json!(i.key_name));
        put("volumeIds", json!(i.volume_ids));
        put("architecture", json!(&*i.architecture));
        put("platformDetails", json!(&*i.platform_details));
        put("networkInterfaceId", json!(i.eni_id));
        if let Some(n) = v.state.network_interfaces.get(&i.eni_id) {
            put("securityGroupIds", json!(n.groups));
        }
        if let Some(p) = &i.iam_instance_profile {
            put("iamInstanceProfileArn", json!(p.arn));
        }
    } else if let Some(x) = r.downcast_ref::<Vpc>() {
        put("state", json!("available"));
        put("cidrBlock", json!(x.cidr.to_string()));
        put("isDefault", json!(x.is_default));
        put("instanceTenancy", json!(x.instance_tenancy));
        put("dhcpOptionsId", json!(x.dhcp_options_id));
    } else if let Some(x) = r.downcast_ref::<Subnet>() {
        put("state", json!("available"));
        put("vpcId", json!(x.vpc_id));
        put("cidrBlock", json!(x.cidr.to_string()));
        put("availabilityZone", json!(&*x.az));
        put("availableIpAddressCount", json!(x.available_ip_count()));
        put("defaultForAz", json!(x.default_for_az));
        put("mapPublicIpOnLaunch", json!(x.map_public_ip_on_launch));
    } else if let Some(x) = r.downcast_ref::<SecurityGroup>() {
        put("groupName", json!(x.name));
        put("vpcId", json!(x.vpc_id));
        put("description", json!(x.description));
        put("ruleCount", json!(x.rule_ids.len()));
    } else if let Some(x) = r.downcast_ref::<SgRule>() {
        put("groupId", json!(x.group_id));
        put("isEgress", json!(x.egress));
        put("ipProtocol", json!(x.protocol));
        put("fromPort", json!(x.from_port.unwrap_or(-1)));
        put("toPort", json!(x.to_port.unwrap_or(-1)));
        let (k, p) = match &x.peer {
            Peer::Cidr4(c) => ("cidrIpv4", c),
            Peer::Cidr6(c) => ("cidrIpv6", c),
            Peer::PrefixList(p) => ("prefixListId", p),
            Peer::Group { group_id, .. } => ("referencedGroupId", group_id),
        };
        put(k, json!(p));
        if let Some(d) = &x.description {
            put("description", json!(d));
        }
    } else if let Some(x) = r.downcast_ref::<Volume>() {
        put(
            "state",
            json!(crate::handlers::volumes::volume_state(x, v.now)),
        );
        put("size", json!(x.size_gib));
        put("volumeType", json!(x.volume_type));
        put("availabilityZone", json!(&*x.az));
        if let Some(a) = &x.attachment {
            put("instanceId", json!(&*a.instance_id));
            put("device", json!(&*a.device_name));
        }
        put("createTime", time(x.create_time));
        put("encrypted", json!(x.encrypted));
        if let Some(s) = &x.snapshot_id {
            put("snapshotId", json!(s));
        }
        if let Some(n) = x.iops {
            put("iops", json!(n));
        }
    } else if let Some(x) = r.downcast_ref::<Image>() {
        if x.catalog {
            return None;
        }
        put("state", json!(x.state(v.now)));
        put("imageName", json!(x.name));
        put("public", json!(x.is_public));
        put("creationDate", json!(x.creation_date));
        put("architecture", json!(&*x.architecture));
        put("rootDeviceName", json!(&*x.root_device_name));
        put("description", json!(x.description));
        if let Some(s) = &x.source_instance_id {
            put("sourceInstanceId", json!(s));
        }
    } else if let Some(x) = r.downcast_ref::<Snapshot>() {
        if x.owner_id != v.state.account {
            return None;
        }
        put("state", json!(x.state(v.now)));
        put("volumeId", json!(x.volume_id));
        put("volumeSize", json!(x.volume_size));
        put("startTime", time(x.start_time));
        put("progress", json!(x.progress(v.now)));
        put("description", json!(x.description));
        put("encrypted", json!(x.encrypted));
    } else if let Some(x) = r.downcast_ref::<KeyPair>() {
        put("keyName", json!(x.name));
        put("keyType", json!(x.key_type));
        put("keyFingerprint", json!(x.fingerprint));
        put("createTime", time(x.create_time));
    } else if let Some(x) = r.downcast_ref::<NetworkInterface>() {
        put("state", json!(x.status()));
        put("vpcId", json!(&*x.vpc_id));
        put("subnetId", json!(&*x.subnet_id));
        put("privateIpAddress", ip(x.private_ip));
        put("macAddress", json!(x.mac.as_str()));
        put("description", json!(x.description));
        put("groupIds", json!(x.groups));
        if let Some(a) = &x.attachment {
            put("instanceId", json!(&*a.instance_id));
            put("deviceIndex", json!(a.device_index));
            put("attachTime", time(a.attach_time));
        }
    } else if let Some(x) = r.downcast_ref::<InternetGateway>() {
        // As the console says it (the API's attachment state is `available`).
        put(
            "state",
            json!(if x.vpc_id.is_some() {
                "attached"
            } else {
                "detached"
            }),
        );
        if let Some(vpc) = &x.vpc_id {
            put("vpcId", json!(vpc));
        }
    } else if let Some(x) = r.downcast_ref::<EgressOnlyInternetGateway>() {
        put("state", json!("attached"));
        put("vpcId", json!(x.vpc_id));
    } else if let Some(x) = r.downcast_ref::<RouteTable>() {
        put("vpcId", json!(x.vpc_id));
        put("main", json!(x.is_main()));
        put("routeCount", json!(x.routes.len()));
        let subnets: Vec<&str> = x
            .associations
            .iter()
            .filter_map(|a| match &a.target {
                AssociationTarget::Subnet(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        put("subnetIds", json!(subnets));
    } else if let Some(x) = r.downcast_ref::<Address>() {
        put("publicIp", ip(x.public_ip));
        put("domain", json!("vpc"));
        if let Some(a) = &x.association {
            put("associationId", json!(a.id));
            if let Some(i) = &a.instance_id {
                put("instanceId", json!(i));
            }
            put("networkInterfaceId", json!(a.network_interface_id));
            put("privateIpAddress", ip(a.private_ip));
        }
    } else if let Some(x) = r.downcast_ref::<NatGateway>() {
        put("state", json!(x.state(v.now)));
        put("vpcId", json!(x.vpc_id));
        put("subnetId", json!(x.subnet_id));
        put(
            "connectivityType",
            json!(if x.public { "public" } else { "private" }),
        );
        put("createTime", time(x.create_time));
        put("privateIp", ip(x.private_ip));
        put("networkInterfaceId", json!(x.network_interface_id));
        if let Some(a) = &x.allocation_id {
            put("allocationId", json!(a));
        }
    } else if let Some(x) = r.downcast_ref::<DhcpOptions>() {
        let conf: Map<String, Value> = x
            .configurations
            .iter()
            .map(|(k, vals)| (k.clone(), json!(vals)))
            .collect();
        put("dhcpConfigurations", Value::Object(conf));
    } else if let Some(x) = r.downcast_ref::<NetworkAcl>() {
        put("vpcId", json!(x.vpc_id));
        put("isDefault", json!(x.is_default));
        put("entryCount", json!(x.entries.len()));
        let subnets: Vec<&str> = x.associations.iter().map(|(_, s)| s.as_str()).collect();
        put("subnetIds", json!(subnets));
    } else if let Some(x) = r.downcast_ref::<ManagedPrefixList>() {
        if x.aws_managed {
            return None;
        }
        put("prefixListName", json!(x.name));
        put("state", json!(x.state()));
        put("addressFamily", json!(x.address_family));
        put("maxEntries", json!(x.max_entries));
        put("version", json!(x.version));
        put("entryCount", json!(x.entries().len()));
    } else if let Some(x) = r.downcast_ref::<VpcEndpoint>() {
        put("state", json!("available"));
        put("vpcId", json!(x.vpc_id));
        put("serviceName", json!(x.service_name));
        put(
            "vpcEndpointType",
            json!(if x.gateway { "Gateway" } else { "Interface" }),
        );
        put("creationTimestamp", time(x.create_time));
        put("subnetIds", json!(x.subnet_ids));
        put("routeTableIds", json!(x.route_table_ids));
    } else if let Some(x) = r.downcast_ref::<SubnetCidrReservation>() {
        put("subnetId", json!(x.subnet_id));
        put("cidr", json!(x.cidr.to_string()));
        put(
            "reservationType",
            json!(if x.explicit { "explicit" } else { "prefix" }),
        );
        if let Some(d) = &x.description {
            put("description", json!(d));
        }
    } else if let Some(x) = r.downcast_ref::<LaunchTemplate>() {
        put("launchTemplateName", json!(x.name));
        put("createTime", time(x.create_time));
        put("createdBy", json!(x.created_by));
        put("defaultVersionNumber", json!(x.default_version));
        put("latestVersionNumber", json!(x.latest_version));
    }
    Some(m)
}

/// `value` with every object's keys in sorted order at every depth. serde_json's `Map`
/// keeps insertion order when its `preserve_order` feature is on (the test builds: a
/// dev-dependency turns it on) and sorts otherwise (the binary): inserting in sorted
/// order makes every build write the same bytes.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(m) => {
            let mut entries: Vec<(String, Value)> = m.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, x)| (k, sorted(x))).collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(sorted).collect()),
        x => x,
    }
}

/// One kind's visible resources in a Region.
struct Collect<'a, 'v>(&'a View<'v>);

impl KindVisitor for Collect<'_, '_> {
    type Out = Vec<Value>;
    fn visit<R: Resource>(self) -> Vec<Value> {
        let v = self.0;
        R::table(v.state)
            .values()
            .filter(|r| r.visible(v))
            .filter_map(|r| {
                let mut m = fields(r as &dyn Any, v)?;
                m.insert("id".into(), json!(r.id()));
                if let Some(n) = r.tags().get("Name") {
                    m.insert("name".into(), json!(n));
                }
                m.insert("tags".into(), json!(r.tags()));
                Some(sorted(Value::Object(m)))
            })
            .collect()
    }
}

fn region_json(s: &RegionState, now: Timestamp, retention_ms: i64, kind: Option<&str>) -> Value {
    let view = View {
        state: s,
        now,
        retention_ms,
        transition_ms: 0,
    };
    // Kinds in the order of their names, so every build lists them alike (see `sorted`).
    let mut kinds: Vec<Kind> = Kind::ALL
        .iter()
        .copied()
        .filter(|k| kind.is_none_or(|x| x == k.resource_type()))
        .collect();
    kinds.sort_by_key(|k| k.resource_type());
    let mut counts = Map::new();
    let mut resources = Map::new();
    for k in kinds {
        let items = k.visit(Collect(&view));
        if items.is_empty() {
            continue;
        }
        counts.insert(k.resource_type().into(), json!(items.len()));
        resources.insert(k.resource_type().into(), Value::Array(items));
    }
    // Keys in sorted order, as `sorted` would put them.
    let mut region = Map::new();
    region.insert("counts".into(), Value::Object(counts));
    region.insert("region".into(), json!(s.region));
    region.insert("resources".into(), Value::Object(resources));
    Value::Object(region)
}

/// `GET /_parlel/state[?account=&region=&kind=]`.
pub fn state_json(app: &crate::server::App, query: &str) -> String {
    let param = |name: &str| {
        query
            .split('&')
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    };
    let (account, region, kind) = (param("account"), param("region"), param("kind"));
    let now = Timestamp::now();
    let retention = app.config.terminated_retention.as_millis() as i64;
    let mut partitions = app.stores.partitions();
    partitions.sort_by(|a, b| a.0.cmp(&b.0));
    let mut accounts: Vec<(String, Vec<Value>)> = Vec::new();
    for ((acct, reg), p) in partitions {
        if account.as_ref().is_some_and(|a| *a != acct)
            || region.as_ref().is_some_and(|r| *r != reg)
        {
            continue;
        }
        let s = p.lock().unwrap_or_else(PoisonError::into_inner);
        let r = region_json(&s, now, retention, kind.as_deref());
        match accounts.iter_mut().find(|(a, _)| *a == acct) {
            Some((_, regions)) => regions.push(r),
            None => accounts.push((acct, vec![r])),
        }
    }
    json!({
        "accounts": accounts
            .into_iter()
            .map(|(a, regions)| json!({ "account": a, "regions": regions }))
            .collect::<Vec<_>>()
    })
    .to_string()
}

/// The page (`GET /_parlel/`): one file, no CDN, no build step.
pub const PAGE: &str = include_str!("state_page.html");
