//! The instance metadata service, opt-in (`--imds-port PORT`): what code running on an
//! instance reads at 169.254.169.254, served for the emulator's instances.
//!
//! Which instance a request speaks for: real EC2 knows by the caller's address; here a
//! path prefix names it (`http://127.0.0.1:PORT/i-0123…/latest/meta-data/…`, which
//! botocore keeps when `AWS_EC2_METADATA_SERVICE_ENDPOINT` has it), else the instance
//! selected with `POST /_parlel/imds {"InstanceId": "i-…"}` on the EC2 port, else the most
//! recently launched instance that is running (the JS SDK's metadata client drops any
//! path, so it reads the selected or newest instance).
//!
//! IMDSv2 as EC2 serves it (EC2 User Guide, "Use the Instance Metadata Service"): `PUT
//! /latest/api/token` with `X-aws-ec2-metadata-token-ttl-seconds` (1–21600) returns a
//! token; requests carry it in `X-aws-ec2-metadata-token`. Without one they are IMDSv1,
//! allowed unless the instance's HttpTokens is `required` (then 401); a wrong or expired
//! token is 401. HttpEndpoint `disabled`: the service does not answer (the connection is
//! closed). Tags appear under `tags/instance/` only with InstanceMetadataTags `enabled`.

use crate::clock::{Timestamp, TimestampFormat};
use crate::generated::types as w;
use crate::server::App;
use base64::Engine as _;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// IMDS state: the tokens handed out and the selected instance.
#[derive(Debug, Default)]
pub struct Imds {
    tokens: Mutex<HashMap<String, (String, Instant)>>,
    selected: Mutex<Option<String>>,
}

impl Imds {
    /// `POST /_parlel/imds`: the instance requests without a path prefix speak for.
    pub fn select(&self, instance_id: Option<String>) {
        *self.selected.lock().unwrap_or_else(PoisonError::into_inner) = instance_id;
    }
}

/// What a request reads: everything about one instance, copied out of its partition.
struct Seen {
    account: String,
    region: String,
    zone_id: String,
    wire: w::Instance,
    tags: Vec<(String, String)>,
    user_data: Option<Vec<u8>>,
    tokens_required: bool,
    endpoint_enabled: bool,
    tags_enabled: bool,
    profile: Option<String>,
    launched: Timestamp,
}

fn find(app: &App, id: Option<&str>, now: Timestamp) -> Option<Seen> {
    let mut best: Option<Seen> = None;
    for ((account, region), p) in app.stores.partitions() {
        let s = p.lock().unwrap_or_else(PoisonError::into_inner);
        for i in s.instances.values() {
            let wanted = match id {
                Some(id) => i.id == id,
                None => i.phase.state(now) == crate::store::InstanceState::Running,
            };
            if !wanted
                || best
                    .as_ref()
                    .is_some_and(|b| id.is_none() && b.launched >= i.launch_time)
            {
                continue;
            }
            best = Some(Seen {
                account: account.clone(),
                region: region.clone(),
                zone_id: s.zone_id(&i.az).unwrap_or_default().to_string(),
                wire: crate::handlers::instances::instance_to_wire(&s, i, now),
                tags: i.tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                user_data: i.user_data.clone(),
                tokens_required: i.metadata.http_tokens == "required",
                endpoint_enabled: i.metadata.http_endpoint == "enabled",
                tags_enabled: i.metadata.instance_metadata_tags == "enabled",
                profile: i.iam_instance_profile.as_ref().map(|p| p.arn.clone()),
                launched: i.launch_time,
            });
        }
    }
    best
}

/// One answer: status, content type, body; `None` closes the connection unanswered.
pub type Answer = Option<(u16, &'static str, Vec<u8>)>;

fn text(s: impl Into<String>) -> Answer {
    Some((200, "text/plain", s.into().into_bytes()))
}

fn not_found() -> Answer {
    Some((404, "text/html", b"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<html><head><title>404 - Not Found</title></head><body><h1>404 - Not Found</h1></body></html>\n".to_vec()))
}

fn unauthorized() -> Answer {
    Some((401, "text/plain", Vec::new()))
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
    let Some(seen) = find(app, named.as_deref().or(selected.as_deref()), now) else {
        return not_found();
    };
    if !seen.endpoint_enabled {
        return None;
    }
    let id = seen.wire.instance_id.clone().unwrap_or_default();
    if rest == "/latest/api/token" {
        if method != "PUT" {
            return Some((405, "text/plain", Vec::new()));
        }
        let Some(ttl) = header("x-aws-ec2-metadata-token-ttl-seconds")
            .and_then(|t| t.trim().parse::<u64>().ok())
            .filter(|t| (1..=21_600).contains(t))
        else {
            return Some((400, "text/plain", Vec::new()));
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
        return Some((200, "text/plain", token.into_bytes()));
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
        return Some((405, "text/plain", Vec::new()));
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
            Some(u) => Some((200, "application/octet-stream", u.clone())),
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
        (_, Some("reservation-id")) => text(String::new()),
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
