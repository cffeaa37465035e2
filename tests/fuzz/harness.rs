//! The fuzz targets' bodies, shared by the cargo-fuzz binaries in fuzz_targets/ and by
//! tests/it/hardening.rs, which replays the seed corpora and every input in regressions/
//! under `cargo test` (so this file is compiled and run by the main suite too).
//! A panic is a finding: the functions assert what must hold and otherwise return quietly.

use parlel_ec2::context::Cx;
use parlel_ec2::generated::service::{Request, ALL_OPERATIONS};
use parlel_ec2::generated::types::KeyType;
use parlel_ec2::handlers::Handlers;
use parlel_ec2::store::{InstanceState, RegionState};
use parlel_ec2::wire::query::{self, Node};
use parlel_ec2::wire::Timestamp;
use parlel_ec2::Config;
use std::sync::OnceLock;

/// (a) The EC2 Query decoder: any bytes, as a form body or query string, either decode
/// into a parameter tree or are refused with an EC2 error.
pub fn query_decode(data: &[u8]) {
    // The server decodes the query string, then adds the body to the same tree: split the
    // input at the first 0xFF byte (never valid in a form) to drive both calls.
    let (query, body) = match data.iter().position(|&b| b == 0xff) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(mut node) = Node::from_form(query) else {
        return;
    };
    if node.add_form(body).is_err() {
        return;
    }
    // Walk what the generated parsers walk: the well-known keys and any list under them.
    for key in [
        "Action",
        "Version",
        "Filter",
        "InstanceId",
        "TagSpecification",
    ] {
        let _ = node.get(key);
        if let Some(c) = node.child(key) {
            let _ = query::list(c, key, |n, name| {
                let _ = n.child("Name").and_then(Node::value);
                query::string(n, name)
            });
        }
    }
}

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

/// Every operation the generated dispatcher accepts, found by asking it about each EC2
/// operation, so new operations are fuzzed without touching this file.
fn supported() -> &'static [&'static str] {
    static OPS: OnceLock<Vec<&'static str>> = OnceLock::new();
    OPS.get_or_init(|| {
        ALL_OPERATIONS
            .iter()
            .copied()
            .filter(|op| {
                Request::parse(op, &Node::default()).map_or_else(
                    |e| e.code != "UnsupportedOperation" && e.code != "InvalidAction",
                    |_| true,
                )
            })
            .collect()
    })
}

/// Ids of each kind in the order they appeared.
#[derive(Default)]
struct Seen {
    vpc: Vec<String>,
    subnet: Vec<String>,
    sg: Vec<String>,
    instance: Vec<String>,
}

impl Seen {
    fn learn(&mut self, s: &RegionState) {
        fn add<'a>(list: &mut Vec<String>, ids: impl Iterator<Item = &'a String>) {
            for id in ids {
                if !list.contains(id) {
                    list.push(id.clone());
                }
            }
        }
        add(&mut self.vpc, s.vpcs.keys());
        add(&mut self.subnet, s.subnets.keys());
        add(&mut self.sg, s.security_groups.keys());
        add(&mut self.instance, s.instances.keys());
    }

    fn substitute(&self, body: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(body.len());
        let mut rest = body;
        'outer: while let Some((&b, tail)) = rest.split_first() {
            if b == b'$' {
                // Longest names first: `$subnet` and `$sg` before `$i`.
                for (name, ids) in [
                    (&b"subnet"[..], &self.subnet),
                    (b"vpc", &self.vpc),
                    (b"sg", &self.sg),
                    (b"i", &self.instance),
                ] {
                    if let Some(after) = tail.strip_prefix(name) {
                        out.extend_from_slice(ids.last().map_or("none", |s| s).as_bytes());
                        rest = after;
                        continue 'outer;
                    }
                }
            }
            out.push(b);
            rest = tail;
        }
        out
    }
}

/// What every request must leave true, whatever it asked.
fn check(s: &RegionState, now: Timestamp) {
    for (id, i) in s.instances.iter() {
        assert_eq!(&i.id, id);
        let subnet = s
            .subnets
            .get(&i.subnet_id)
            .expect("instance's subnet exists");
        assert_eq!(
            *subnet.vpc_id, *i.vpc_id,
            "instance {id} is in its subnet's VPC"
        );
        assert!(s.vpcs.contains_key(&i.vpc_id), "instance {id}'s VPC exists");
        for g in s.groups_of(i) {
            let g = s.security_groups.get(g).expect("instance's group exists");
            assert_eq!(*g.vpc_id, *i.vpc_id, "instance {id}'s group is in its VPC");
        }
        assert!(
            subnet.cidr.contains_ip(i.private_ip),
            "instance {id}'s address is in its subnet"
        );
    }
    for (id, sub) in s.subnets.iter() {
        assert!(s.vpcs.contains_key(&sub.vpc_id), "subnet {id}'s VPC exists");
        let live: Vec<u32> = s
            .instances
            .values()
            .filter(|i| *i.subnet_id == **id)
            .filter(|i| {
                !matches!(
                    i.phase.state(now),
                    InstanceState::ShuttingDown | InstanceState::Terminated
                )
            })
            .map(|i| i.private_ip)
            .collect();
        let distinct: std::collections::BTreeSet<u32> = live.iter().copied().collect();
        assert_eq!(
            distinct.len(),
            live.len(),
            "two live instances share an address in {id}"
        );
        // In use: the addresses of the interfaces that still exist (an instance's primary
        // one holds the instance's) and of the NAT gateways that are not gone.
        let view = parlel_ec2::store::View {
            state: s,
            now,
            retention_ms: i64::MAX,
            transition_ms: 0,
        };
        let mut held: std::collections::BTreeSet<u32> = s
            .network_interfaces
            .values()
            .filter(|n| *n.subnet_id == **id)
            .filter(|n| {
                view.find::<parlel_ec2::store::NetworkInterface>(&n.id)
                    .is_some()
            })
            .flat_map(|n| std::iter::once(n.private_ip).chain(n.secondary_ips.iter().copied()))
            .collect();
        held.extend(
            s.nat_gateways
                .values()
                .filter(|n| {
                    &n.subnet_id == id
                        && !matches!(
                            n.phase,
                            parlel_ec2::store::NatPhase::Failed { .. }
                                | parlel_ec2::store::NatPhase::Deleting { .. }
                        )
                })
                .map(|n| n.private_ip),
        );
        assert!(
            distinct.is_subset(&held),
            "live instances' addresses are held in {id}"
        );
        assert_eq!(
            sub.used, held,
            "subnet {id}'s used addresses are its interfaces'"
        );
        assert!(sub.available_ip_count() >= 0);
    }
    for (id, g) in s.security_groups.iter() {
        assert!(s.vpcs.contains_key(&g.vpc_id), "group {id}'s VPC exists");
    }
}

/// (b) The whole request path, as server.rs runs it once the body is in: decode the form,
/// parse it as one supported operation, run the handler against a fresh region through
/// `Cx`, serialize the answer; and the region stays consistent after every request.
///
/// Input: up to 8 requests, one per line. A line is one byte, then a form body; the
/// operation is the body's `Action` when that is a supported one, else the one the first
/// byte picks (modulo the number of supported operations). `$vpc`, `$subnet`, `$sg` and
/// `$i` in a body stand for the newest VPC, subnet, security group and instance, so later
/// requests can name what earlier ones created (ids are random).
pub fn request_path(data: &[u8]) {
    let ops = supported();
    let config = Config::default();
    let mut state = RegionState::new(ACCOUNT, REGION);
    let mut seen = Seen::default();
    seen.learn(&state);
    for line in data.split(|&b| b == b'\n').take(8) {
        let Some((&pick, body)) = line.split_first() else {
            continue;
        };
        let body = seen.substitute(body);
        let Ok(params) = Node::from_form(&body) else {
            continue;
        };
        let op = match params
            .get("Action")
            .and_then(|a| ops.iter().find(|&&o| o == a))
        {
            Some(&op) => op,
            None => ops[pick as usize % ops.len()],
        };
        let Ok(mut request) = Request::parse(op, &params) else {
            continue;
        };
        // RSA-2048 generation takes seconds under the sanitizer and is the rsa crate's
        // code, not ours: fuzz CreateKeyPair (names, formats, tags, duplicates) with
        // ed25519 keys. Unknown key types still reach the handler as sent.
        if let Request::CreateKeyPair(i) = &mut request {
            if matches!(i.key_type, None | Some(KeyType::Rsa)) {
                i.key_type = Some(KeyType::Ed25519);
            }
        }
        assert_eq!(request.action(), op);
        let dry_run = request.dry_run();
        let now = Timestamp::now();
        let mut cx = Cx::new(ACCOUNT, REGION, &mut state, &config, now, dry_run);
        if let Ok(response) = request.call(&Handlers, &mut cx) {
            assert_eq!(response.action(), op);
            let xml = response.to_xml("c0ffee00-0000-4000-8000-000000000000");
            assert!(xml.contains(&format!("<{op}Response ")), "{xml}");
        }
        drop(cx);
        check(&state, now);
        seen.learn(&state);
    }
}
