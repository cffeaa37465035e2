//! What the emulator holds, for programs and people: `GET /_parlel/state` (JSON of every
//! account and Region, resources by kind) and the page at `GET /_parlel/` that shows it.
//!
//! The JSON, stable: `{"accounts": [{"account", "regions": [{"region", "counts": {kind:
//! n}, "resources": {kind: [{"id", "tags": {…}, "name"?, "state"?, …main fields}]}}]}]}`,
//! kinds by their EC2 resource type (`instance`, `vpc`, …). Optional query parameters
//! `account`, `region` and `kind` narrow it. What every account starts with and does not
//! own (the catalog's images and snapshots, AWS-managed prefix lists) is left out.

use crate::clock::{Timestamp, TimestampFormat};
use crate::store::{
    Image, Instance, Kind, KindVisitor, ManagedPrefixList, RegionState, Resource, SecurityGroup,
    Snapshot, Subnet, View, Volume, Vpc,
};
use serde_json::{json, Map, Value};
use std::any::Any;
use std::sync::PoisonError;

/// The main fields of one resource, by kind (id and tags are added for every kind);
/// `None` for what the account did not make (seeded catalog entries).
fn fields(r: &dyn Any, v: &View<'_>) -> Option<Map<String, Value>> {
    let mut m = Map::new();
    let ip = |n: u32| std::net::Ipv4Addr::from(n).to_string();
    if let Some(i) = r.downcast_ref::<Instance>() {
        m.insert("state".into(), json!(i.phase.state(v.now).name()));
        m.insert("instanceType".into(), json!(&*i.instance_type));
        m.insert("imageId".into(), json!(&*i.image_id));
        m.insert("vpcId".into(), json!(&*i.vpc_id));
        m.insert("subnetId".into(), json!(&*i.subnet_id));
        m.insert("availabilityZone".into(), json!(&*i.az));
        m.insert("privateIpAddress".into(), json!(ip(i.private_ip)));
        if let Some(p) = i.public_ip {
            m.insert("publicIpAddress".into(), json!(ip(p)));
        }
        m.insert(
            "launchTime".into(),
            json!(i.launch_time.format(TimestampFormat::DateTime)),
        );
        m.insert("keyName".into(), json!(i.key_name));
        m.insert("volumeIds".into(), json!(i.volume_ids));
    } else if let Some(x) = r.downcast_ref::<Vpc>() {
        m.insert("state".into(), json!("available"));
        m.insert("cidrBlock".into(), json!(x.cidr.to_string()));
        m.insert("isDefault".into(), json!(x.is_default));
    } else if let Some(x) = r.downcast_ref::<Subnet>() {
        m.insert("state".into(), json!("available"));
        m.insert("vpcId".into(), json!(x.vpc_id));
        m.insert("cidrBlock".into(), json!(x.cidr.to_string()));
        m.insert("availabilityZone".into(), json!(&*x.az));
        m.insert(
            "availableIpAddressCount".into(),
            json!(x.available_ip_count()),
        );
    } else if let Some(x) = r.downcast_ref::<SecurityGroup>() {
        m.insert("groupName".into(), json!(x.name));
        m.insert("vpcId".into(), json!(x.vpc_id));
    } else if let Some(x) = r.downcast_ref::<Volume>() {
        m.insert(
            "state".into(),
            json!(crate::handlers::volumes::volume_state(x, v.now)),
        );
        m.insert("size".into(), json!(x.size_gib));
        m.insert("volumeType".into(), json!(x.volume_type));
        m.insert("availabilityZone".into(), json!(&*x.az));
        if let Some(a) = &x.attachment {
            m.insert("instanceId".into(), json!(&*a.instance_id));
            m.insert("device".into(), json!(&*a.device_name));
        }
    } else if let Some(x) = r.downcast_ref::<Image>() {
        if x.catalog {
            return None;
        }
        m.insert("state".into(), json!(x.state(v.now)));
        m.insert("imageName".into(), json!(x.name));
        m.insert("public".into(), json!(x.is_public));
    } else if let Some(x) = r.downcast_ref::<Snapshot>() {
        if x.owner_id != v.state.account {
            return None;
        }
        m.insert("state".into(), json!(x.state(v.now)));
        m.insert("volumeId".into(), json!(x.volume_id));
        m.insert("volumeSize".into(), json!(x.volume_size));
    } else if let Some(x) = r.downcast_ref::<ManagedPrefixList>() {
        if x.aws_managed {
            return None;
        }
        m.insert("prefixListName".into(), json!(x.name));
    }
    Some(m)
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
                Some(Value::Object(m))
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
    let mut counts = Map::new();
    let mut resources = Map::new();
    for k in Kind::ALL
        .iter()
        .copied()
        .filter(|k| kind.is_none_or(|x| x == k.resource_type()))
    {
        let items = k.visit(Collect(&view));
        if items.is_empty() {
            continue;
        }
        counts.insert(k.resource_type().into(), json!(items.len()));
        resources.insert(k.resource_type().into(), Value::Array(items));
    }
    json!({ "region": s.region, "counts": counts, "resources": resources })
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
