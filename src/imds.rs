//! The instance metadata service, opt-in (`--imds-port PORT`): what code running on an
//! instance reads at 169.254.169.254, served for the emulator's instances.
//!
//! Which instance a request speaks for: real EC2 knows by the caller's address; here a
//! path prefix names it (`http://127.0.0.1:PORT/i-0123…/latest/meta-data/…`, which
//! botocore keeps when `AWS_EC2_METADATA_SERVICE_ENDPOINT` has it), else the instance
//! selected with `POST /_parlel/imds {"InstanceId": "i-…"}` on the EC2 port (an id no
//! account holds is refused, 404), else the most recently launched instance that is
//! running (the JS SDK's metadata client drops any path, so it reads the selected or
//! newest instance).
//!
//! Only a running instance answers. On EC2 the service is reached from inside the
//! instance, so a stopped or terminated one has no caller and no answer; here a request
//! that names one (by path or selection) gets 404 with a text body saying why, so a test
//! sees at once what it spoke to, and SDK credential chains move on as they do when no
//! metadata service is there.
//!
//! IMDSv2 as EC2 serves it (EC2 User Guide, "Use the Instance Metadata Service"): `PUT
//! /latest/api/token` with `X-aws-ec2-metadata-token-ttl-seconds` (1–21600) returns a
//! token, with the same header naming its TTL in the answer (the Go SDK v2's
//! `feature/ec2/imds` `buildGetTokenOutput` and the Rust SDK's `aws-config`
//! `imds/client/token.rs` `parse_token_response` fail without it); requests carry it in
//! `X-aws-ec2-metadata-token`. Without one they are IMDSv1, allowed unless the
//! instance's HttpTokens is `required` (then 401); a wrong or expired token is 401.
//! HttpEndpoint `disabled`: the service does not answer (the connection is closed). Tags
//! appear under `tags/instance/` only with InstanceMetadataTags `enabled`.
//! HttpPutResponseHopLimit is kept and shown by DescribeInstances but changes nothing
//! here: a request reaches this service over loopback, through no hop to count.

use crate::clock::{Timestamp, TimestampFormat};
use crate::generated::types as w;
use crate::server::App;
use base64::Engine as _;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The header a token PUT names its TTL in, and the answer echoes (lower case: HTTP
/// header names are case-insensitive, and hyper writes them so).
pub const TOKEN_TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";

/// IMDS state: the tokens handed out and the selected instance.
#[derive(Debug, Default)]
pub struct Imds {
    tokens: Mutex<HashMap<String, (String, Instant)>>,
    selected: Mutex<Option<String>>,
}

impl Imds {
    /// The instance requests without a path prefix speak for (unchecked: see [`select`]).
    pub fn select(&self, instance_id: Option<String>) {
        *self.selected.lock().unwrap_or_else(PoisonError::into_inner) = instance_id;
    }
}

/// `POST /_parlel/imds` with `{"InstanceId": "i-…"}` (or `null` to unselect): status and
/// JSON body. An id that no account and Region holds is refused with 404, as the other
/// admin routes refuse what is not there; an instance that exists but is not running is
/// selected (it answers once it runs again).
pub fn select(app: &App, body: &[u8]) -> (u16, String) {
    let id = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| match v.get("InstanceId")? {
            serde_json::Value::Null => Some(None),
            serde_json::Value::String(s) => Some(Some(s.clone())),
            _ => None,
        });
    let Some(id) = id else {
        return (
            400,
            serde_json::json!({"error": "expected {\"InstanceId\": \"i-...\"} or {\"InstanceId\": null}"})
                .to_string(),
        );
    };
    if let Some(id) = &id {
        let exists = app.stores.partitions().iter().any(|(_, p)| {
            p.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .instances
                .contains_key(id.as_str())
        });
        if !exists {
            return (
                404,
                serde_json::json!({ "error": format!("no instance {id} in any account or Region") })
                    .to_string(),
            );
        }
    }
    app.imds.select(id);
    (200, "{\"selected\":true}".to_string())
}

/// What a request reads: everything about one instance, copied out of its partition.
struct Seen {
    account: String,
    region: String,
    zone_id: String,
    reservation_id: String,
    wire: w::Instance,
    tags: Vec<(String, String)>,
    user_data: Option<Vec<u8>>,
    tokens_required: bool,
    endpoint_enabled: bool,
    tags_enabled: bool,
    profile: Option<String>,
}

/// The instance `id` names, or the newest running one; `Err` says why none answers.
fn find(app: &App, id: Option<&str>, now: Timestamp) -> Result<Seen, String> {
    let running =
        |i: &crate::store::Instance| i.phase.state(now) == crate::store::InstanceState::Running;
    let mut best: Option<(Timestamp, Seen)> = None;
    for ((account, region), p) in app.stores.partitions() {
        let s = p.lock().unwrap_or_else(PoisonError::into_inner);
        let chosen = match id {
            Some(id) => match s.instances.get(id) {
                Some(i) if running(i) => Some(i),
                Some(i) => {
                    return Err(format!(
                        "{id} is {}: only a running instance has a metadata service",
                        i.phase.state(now).name()
                    ))
                }
                None => None,
            },
            None => s
                .instances
                .values()
                .filter(|i| running(i))
                .max_by_key(|i| i.launch_time),
        };
        let Some(i) = chosen else { continue };
        if best.as_ref().is_some_and(|(t, _)| *t >= i.launch_time) {
            continue;
        }
        let seen = Seen {
            account: account.clone(),
            region: region.clone(),
            zone_id: s.zone_id(&i.az).unwrap_or_default().to_string(),
            reservation_id: i.reservation_id.clone(),
            wire: crate::handlers::instances::instance_to_wire(&s, i, now),
            tags: i.tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            user_data: i.user_data.clone(),
            tokens_required: i.metadata.http_tokens == "required",
            endpoint_enabled: i.metadata.http_endpoint == "enabled",
            tags_enabled: i.metadata.instance_metadata_tags == "enabled",
            profile: i.iam_instance_profile.as_ref().map(|p| p.arn.clone()),
        };
        best = Some((i.launch_time, seen));
    }
    best.map(|(_, s)| s).ok_or_else(|| match id {
        Some(id) => format!("no instance {id} in any account or Region"),
        None => "no running instance (launch one, or name one by path or POST /_parlel/imds)"
            .to_string(),
    })
}

/// One answer: status, content type, body, and headers beyond the content type.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Lower-case names.
    pub headers: Vec<(&'static str, String)>,
}

/// `None` closes the connection unanswered (HttpEndpoint `disabled`).
pub type Answer = Option<Reply>;

fn reply(status: u16, content_type: &'static str, body: Vec<u8>) -> Answer {
    Some(Reply {
        status,
        content_type,
        body,
        headers: Vec::new(),
    })
}

fn text(s: impl Into<String>) -> Answer {
    reply(200, "text/plain", s.into().into_bytes())
}

fn not_found() -> Answer {
    reply(404, "text/html", b"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<html><head><title>404 - Not Found</title></head><body><h1>404 - Not Found</h1></body></html>\n".to_vec())
}

fn unauthorized() -> Answer {
    reply(401, "text/plain", Vec::new())
}

/// Answers one IMDS request (method, path, header lookup).
pub fn answer(
    app: &App,
    method: &str,
    path: &str,
    header: &dyn Fn(&str) -> Option<String>,
) -> Answer {
    let now = Timestamp::now();
    // `/i-…/latest/…` names the instance; `/latest/…` is the selected or newest one.
    let (named, rest) = match path.strip_prefix("/i-") {
        Some(r) => {
            let (id, rest) = r.split_once('/').unwrap_or((r, ""));
            (Some(format!("i-{id}")), format!("/{rest}"))
        }
        None => (None, path.to_string()),
    };
    let selected = app
        .imds
        .selected
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let seen = match find(app, named.as_deref().or(selected.as_deref()), now) {
        Ok(seen) => seen,
        Err(why) => return reply(404, "text/plain", why.into_bytes()),
    };
    if !seen.endpoint_enabled {
        return None;
    }
    let id = seen.wire.instance_id.clone().unwrap_or_default();
    if rest == "/latest/api/token" {
        if method != "PUT" {
            return reply(405, "text/plain", Vec::new());
        }
        let Some(ttl) = header(TOKEN_TTL_HEADER)
            .and_then(|t| t.trim().parse::<u64>().ok())
            .filter(|t| (1..=21_600).contains(t))
        else {
            return reply(400, "text/plain", Vec::new());
        };
        let mut bytes = [0u8; 36];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut bytes);
        let token = base64::engine::general_purpose::STANDARD.encode(bytes);
        app.imds
            .tokens
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                token.clone(),
                (id, Instant::now() + Duration::from_secs(ttl)),
            );
        return Some(Reply {
            status: 200,
            content_type: "text/plain",
            body: token.into_bytes(),
            headers: vec![(TOKEN_TTL_HEADER, ttl.to_string())],
        });
    }
    match header("x-aws-ec2-metadata-token") {
        Some(t) => {
            let tokens = app
                .imds
                .tokens
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let ok = tokens
                .get(&t)
                .is_some_and(|(i, until)| *i == id && *until > Instant::now());
            if !ok {
                return unauthorized();
            }
        }
        None if seen.tokens_required => return unauthorized(),
        None => {}
    }
    if method != "GET" {
        return reply(405, "text/plain", Vec::new());
    }
    metadata(&seen, rest.trim_start_matches("/latest"), now)
}

/// A directory listing: one entry per line, sub-directories with a trailing `/`.
fn listing(entries: &[&str]) -> Answer {
    text(entries.join("\n"))
}

fn metadata(seen: &Seen, path: &str, now: Timestamp) -> Answer {
    let i = &seen.wire;
    let get = |o: &Option<String>| o.clone().unwrap_or_default();
    let nic = i.network_interfaces.iter().flatten().next();
    let mac = nic.and_then(|n| n.mac_address.clone()).unwrap_or_default();
    let az = i
        .placement
        .as_ref()
        .and_then(|p| p.availability_zone.clone())
        .unwrap_or_default();
    let role = seen
        .profile
        .as_ref()
        .map(|arn| arn.rsplit('/').next().unwrap_or("role").to_string());
    let path = path.trim_end_matches('/');
    let p = path
        .strip_prefix("/meta-data")
        .map(|r| r.trim_start_matches('/'));
    match (path, p) {
        ("", _) => listing(&["dynamic", "meta-data", "user-data"]),
        ("/user-data", _) => match &seen.user_data {
            Some(u) => reply(200, "application/octet-stream", u.clone()),
            None => not_found(),
        },
        ("/dynamic", _) => listing(&["instance-identity/"]),
        ("/dynamic/instance-identity", _) => {
            listing(&["document", "pkcs7", "rsa2048", "signature"])
        }
        ("/dynamic/instance-identity/document", _) => text(
            serde_json::to_string_pretty(&serde_json::json!({
                "accountId": seen.account,
                "architecture": i.architecture.as_ref().map(|a| a.as_str()),
                "availabilityZone": az,
                "billingProducts": null,
                "devpayProductCodes": null,
                "marketplaceProductCodes": null,
                "imageId": get(&i.image_id),
                "instanceId": get(&i.instance_id),
                "instanceType": i.instance_type.as_ref().map(|t| t.as_str()),
                "kernelId": null,
                "pendingTime": i.launch_time.map(|t| t.format(TimestampFormat::DateTime)),
                "privateIp": get(&i.private_ip_address),
                "ramdiskId": null,
                "region": seen.region,
                "version": "2017-09-30",
            }))
            .unwrap_or_default(),
        ),
        // The emulator signs nothing: a well-formed base64 placeholder of AWS's lengths.
        (
            "/dynamic/instance-identity/signature"
            | "/dynamic/instance-identity/pkcs7"
            | "/dynamic/instance-identity/rsa2048",
            _,
        ) => text(base64::engine::general_purpose::STANDARD.encode([0u8; 256])),
        (_, Some("")) => {
            let mut entries = vec![
                "ami-id",
                "ami-launch-index",
                "block-device-mapping/",
                "hostname",
                "instance-id",
                "instance-type",
                "local-hostname",
                "local-ipv4",
                "mac",
                "network/",
                "placement/",
                "public-hostname",
                "public-ipv4",
                "reservation-id",
                "security-groups",
            ];
            if role.is_some() {
                entries.push("iam/");
            }
            if seen.tags_enabled {
                entries.push("tags/");
            }
            entries.sort_unstable();
            listing(&entries)
        }
        (_, Some("ami-id")) => text(get(&i.image_id)),
        (_, Some("ami-launch-index")) => text(i.ami_launch_index.unwrap_or(0).to_string()),
        (_, Some("instance-id")) => text(get(&i.instance_id)),
        (_, Some("instance-type")) => text(i.instance_type.as_ref().map_or("", |t| t.as_str())),
        (_, Some("hostname" | "local-hostname")) => text(get(&i.private_dns_name)),
        (_, Some("local-ipv4")) => text(get(&i.private_ip_address)),
        (_, Some("public-ipv4")) => i.public_ip_address.clone().map_or_else(not_found, text),
        (_, Some("public-hostname")) => match i.public_dns_name.clone().filter(|d| !d.is_empty()) {
            Some(d) => text(d),
            None => not_found(),
        },
        (_, Some("mac")) => text(mac.clone()),
        (_, Some("reservation-id")) => text(seen.reservation_id.clone()),
        (_, Some("security-groups")) => text(
            i.security_groups
                .iter()
                .flatten()
                .filter_map(|g| g.group_name.clone())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (_, Some("placement")) => listing(&["availability-zone", "availability-zone-id", "region"]),
        (_, Some("placement/availability-zone")) => text(az),
        (_, Some("placement/availability-zone-id")) => text(seen.zone_id.clone()),
        (_, Some("placement/region")) => text(seen.region.clone()),
        (_, Some("block-device-mapping")) => {
            let mut entries = vec!["ami".to_string(), "root".to_string()];
            let n = i.block_device_mappings.iter().flatten().count();
            entries.extend((1..n).map(|k| format!("ebs{k}")));
            text(entries.join("\n"))
        }
        (_, Some("block-device-mapping/ami" | "block-device-mapping/root")) => {
            text(get(&i.root_device_name))
        }
        (_, Some(b)) if b.starts_with("block-device-mapping/ebs") => {
            let k: usize = b["block-device-mapping/ebs".len()..].parse().unwrap_or(0);
            i.block_device_mappings
                .iter()
                .flatten()
                .nth(k)
                .filter(|_| k > 0)
                .and_then(|m| m.device_name.clone())
                .map_or_else(not_found, text)
        }
        (_, Some("network")) => listing(&["interfaces/"]),
        (_, Some("network/interfaces")) => listing(&["macs/"]),
        (_, Some("network/interfaces/macs")) => {
            let macs: Vec<String> = i
                .network_interfaces
                .iter()
                .flatten()
                .filter_map(|n| n.mac_address.clone())
                .map(|m| format!("{m}/"))
                .collect();
            text(macs.join("\n"))
        }
        (_, Some(m)) if m.starts_with("network/interfaces/macs/") => {
            let rest = &m["network/interfaces/macs/".len()..];
            let (which, field) = rest.split_once('/').unwrap_or((rest, ""));
            let Some(n) = i
                .network_interfaces
                .iter()
                .flatten()
                .find(|n| n.mac_address.as_deref() == Some(which))
            else {
                return not_found();
            };
            match field {
                "" => listing(&[
                    "device-number",
                    "interface-id",
                    "local-hostname",
                    "local-ipv4s",
                    "mac",
                    "owner-id",
                    "security-group-ids",
                    "security-groups",
                    "subnet-id",
                    "vpc-id",
                ]),
                "device-number" => text(
                    n.attachment
                        .as_ref()
                        .and_then(|a| a.device_index)
                        .unwrap_or(0)
                        .to_string(),
                ),
                "interface-id" => text(get(&n.network_interface_id)),
                "local-hostname" => text(get(&n.private_dns_name)),
                "local-ipv4s" => text(
                    n.private_ip_addresses
                        .iter()
                        .flatten()
                        .filter_map(|a| a.private_ip_address.clone())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                "mac" => text(which),
                "owner-id" => text(seen.account.clone()),
                "security-group-ids" => text(
                    n.groups
                        .iter()
                        .flatten()
                        .filter_map(|g| g.group_id.clone())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                "security-groups" => text(
                    n.groups
                        .iter()
                        .flatten()
                        .filter_map(|g| g.group_name.clone())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                "subnet-id" => text(get(&n.subnet_id)),
                "vpc-id" => text(get(&n.vpc_id)),
                _ => not_found(),
            }
        }
        (_, Some("tags")) if seen.tags_enabled => listing(&["instance/"]),
        (_, Some("tags/instance")) if seen.tags_enabled => text(
            seen.tags
                .iter()
                .map(|(k, _)| k.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (_, Some(t)) if seen.tags_enabled && t.starts_with("tags/instance/") => {
            let key = &t["tags/instance/".len()..];
            seen.tags
                .iter()
                .find(|(k, _)| k == key)
                .map_or_else(not_found, |(_, v)| text(v.clone()))
        }
        (_, Some("iam")) if role.is_some() => listing(&["info", "security-credentials/"]),
        (_, Some("iam/info")) => match &seen.profile {
            Some(arn) => text(
                serde_json::to_string_pretty(&serde_json::json!({
                    "Code": "Success",
                    "LastUpdated": now.format(TimestampFormat::DateTime),
                    "InstanceProfileArn": arn,
                    "InstanceProfileId": "AIPA".to_string() + &fake_key(&id_seed(seen), 17),
                }))
                .unwrap_or_default(),
            ),
            None => not_found(),
        },
        (_, Some("iam/security-credentials")) => role.clone().map_or_else(not_found, text),
        (_, Some(c))
            if c.starts_with("iam/security-credentials/")
                && role.as_deref() == Some(&c["iam/security-credentials/".len()..]) =>
        {
            // Well-formed temporary credentials, valid for six hours as EC2's are.
            let seed = id_seed(seen);
            text(
                serde_json::to_string_pretty(&serde_json::json!({
                    "Code": "Success",
                    "LastUpdated": now.format(TimestampFormat::DateTime),
                    "Type": "AWS-HMAC",
                    "AccessKeyId": format!("ASIA{}", fake_key(&seed, 16)),
                    "SecretAccessKey": fake_key(&(seed.clone() + "secret"), 40),
                    "Token": base64::engine::general_purpose::STANDARD.encode((seed + "token").repeat(8)),
                    "Expiration": Timestamp(now.0 + 6 * 3600 * 1000).format(TimestampFormat::DateTime),
                }))
                .unwrap_or_default(),
            )
        }
        _ => not_found(),
    }
}

fn id_seed(seen: &Seen) -> String {
    seen.wire.instance_id.clone().unwrap_or_default()
}

/// `n` upper-case letters and digits derived from `seed` (stable per instance).
fn fake_key(seed: &str, n: usize) -> String {
    use sha2::{Digest, Sha256};
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(n);
    let mut block = Sha256::digest(seed.as_bytes());
    while out.len() < n {
        for b in block.iter() {
            if out.len() == n {
                break;
            }
            out.push(ALPHABET[usize::from(*b) % ALPHABET.len()] as char);
        }
        block = Sha256::digest(block);
    }
    out
}
