//! The instance metadata service (src/imds.rs) over HTTP, in process: the EC2 port and an
//! IMDS port on 127.0.0.1:0, driven with the raw client of support.rs. What is checked is
//! what EC2 serves (EC2 User Guide, "Use the Instance Metadata Service" and "Instance
//! metadata categories") and what the SDKs' metadata clients rely on.

use crate::support::{call_at, raw_at, Reply, AMI};
use parlel_ec2::config::Config;
use parlel_ec2::server::{bind, run, run_imds};
use parlel_ec2::App;
use std::net::SocketAddr;
use std::sync::Arc;

/// An emulator with its metadata service, stopped when dropped (the runtime goes).
struct Emu {
    ec2: SocketAddr,
    imds: SocketAddr,
    _runtime: tokio::runtime::Runtime,
}

impl Emu {
    fn start() -> Emu {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let app = Arc::new(App::new(Config::default()));
        let local = "127.0.0.1:0".parse().unwrap();
        let (ec2, imds) = {
            let _in = runtime.enter();
            (bind(local).unwrap(), bind(local).unwrap())
        };
        let (ec2_addr, imds_addr) = (ec2.local_addr().unwrap(), imds.local_addr().unwrap());
        runtime.spawn(run(ec2, app.clone(), std::future::pending::<()>()));
        runtime.spawn(run_imds(imds, app));
        Emu {
            ec2: ec2_addr,
            imds: imds_addr,
            _runtime: runtime,
        }
    }

    fn call(&self, action: &str, params: &[(&str, &str)]) -> Reply {
        let r = call_at(self.ec2, "parlel", "us-east-1", action, params).unwrap();
        assert_eq!(r.status, 200, "{action}: {}", r.body);
        r
    }

    /// One instance; its id and reservation id. HttpTokens is `optional` unless `params`
    /// say otherwise (the catalog's images are `v2.0`, which makes it `required`), so
    /// tests can read without a token.
    fn launch(&self, params: &[(&str, &str)]) -> (String, String) {
        let mut all = vec![
            ("ImageId", AMI),
            ("InstanceType", "t3.micro"),
            ("MinCount", "1"),
            ("MaxCount", "1"),
        ];
        if !params
            .iter()
            .any(|(k, _)| *k == "MetadataOptions.HttpTokens")
        {
            all.push(("MetadataOptions.HttpTokens", "optional"));
        }
        all.extend_from_slice(params);
        let r = self.call("RunInstances", &all);
        (
            r.first("instanceId").unwrap(),
            r.first("reservationId").unwrap(),
        )
    }

    fn admin(&self, method: &str, path: &str, body: &str) -> Reply {
        raw_at(self.ec2, method, path, &[], body.as_bytes()).unwrap()
    }

    fn token(&self, prefix: &str, ttl: &str) -> Reply {
        let path = format!("{prefix}/latest/api/token");
        let headers = [("X-aws-ec2-metadata-token-ttl-seconds", ttl)];
        raw_at(self.imds, "PUT", &path, &headers, b"").unwrap()
    }

    /// GET `/latest/<path>` under `prefix` (`/i-…` or ""), with a token or without.
    fn get(&self, prefix: &str, path: &str, token: Option<&str>) -> Reply {
        let full = format!("{prefix}/latest/{path}");
        let headers: Vec<(&str, &str)> = token
            .map(|t| ("X-aws-ec2-metadata-token", t))
            .into_iter()
            .collect();
        raw_at(self.imds, "GET", &full, &headers, b"").unwrap()
    }

    /// The body of a 200 GET.
    fn read(&self, prefix: &str, path: &str, token: Option<&str>) -> String {
        let r = self.get(prefix, path, token);
        assert_eq!(r.status, 200, "{prefix}/latest/{path}: {}", r.body);
        r.body
    }
}

/// The token PUT answers the TTL it granted in `X-aws-ec2-metadata-token-ttl-seconds`, as
/// EC2 does: the Go SDK v2 (`feature/ec2/imds`, `buildGetTokenOutput` parses it) and the
/// Rust SDK (`aws-config` `imds/client/token.rs`, `parse_token_response`: `NoTtl` without
/// it) refuse a token answer that lacks it.
#[test]
fn token_put_answers_its_ttl_header_as_the_go_and_rust_sdks_need() {
    let e = Emu::start();
    let (id, _) = e.launch(&[]);
    let prefix = format!("/{id}");
    let t = e.token(&prefix, "321");
    assert_eq!(t.status, 200, "{}", t.body);
    assert_eq!(
        t.header("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("321")
    );
    assert!(!t.body.is_empty());
    assert_eq!(e.read(&prefix, "meta-data/instance-id", Some(&t.body)), id);
    // Missing or out of range (1–21600 s, EC2 User Guide): 400, no token.
    assert_eq!(e.token(&prefix, "0").status, 400);
    assert_eq!(e.token(&prefix, "21601").status, 400);
    let none = raw_at(
        e.imds,
        "PUT",
        &format!("{prefix}/latest/api/token"),
        &[],
        b"",
    )
    .unwrap();
    assert_eq!(none.status, 400);
    assert_eq!(none.header("x-aws-ec2-metadata-token-ttl-seconds"), None);
}

/// HttpTokens `optional`: IMDSv1 (no token) is answered; `required`: 401 without a token
/// and with a wrong one (EC2 User Guide, "Configure the instance metadata options").
#[test]
fn imdsv1_answers_when_optional_and_401_when_tokens_are_required() {
    let e = Emu::start();
    let (open, _) = e.launch(&[("MetadataOptions.HttpTokens", "optional")]);
    let (locked, _) = e.launch(&[("MetadataOptions.HttpTokens", "required")]);
    assert_eq!(
        e.read(&format!("/{open}"), "meta-data/instance-id", None),
        open
    );
    let prefix = format!("/{locked}");
    assert_eq!(e.get(&prefix, "meta-data/instance-id", None).status, 401);
    assert_eq!(
        e.get(&prefix, "meta-data/instance-id", Some("made-up"))
            .status,
        401
    );
    // A token is the instance's own: another instance's is refused.
    let other = e.token(&format!("/{open}"), "60").body;
    assert_eq!(
        e.get(&prefix, "meta-data/instance-id", Some(&other)).status,
        401
    );
    let t = e.token(&prefix, "60").body;
    assert_eq!(e.read(&prefix, "meta-data/instance-id", Some(&t)), locked);
}

/// The categories SDKs and agents read ("Instance metadata categories"), each equal to
/// what DescribeInstances says of the same instance.
#[test]
fn categories_match_what_describe_instances_says() {
    let e = Emu::start();
    // "#!/bin/bash\necho hi", base64 on the wire as RunInstances takes it.
    let (id, reservation) = e.launch(&[
        ("UserData", "IyEvYmluL2Jhc2gKZWNobyBoaQ=="),
        ("IamInstanceProfile.Name", "web-role"),
        ("BlockDeviceMapping.1.DeviceName", "/dev/sdf"),
        ("BlockDeviceMapping.1.Ebs.VolumeSize", "8"),
    ]);
    let d = e.call("DescribeInstances", &[("InstanceId.1", &id)]);
    let p = format!("/{id}");
    let t = e.token(&p, "60").body;
    let get = |path: &str| e.read(&p, path, Some(&t));

    assert_eq!(get("user-data"), "#!/bin/bash\necho hi");
    // reservation-id: the instance's reservation (was an empty body).
    assert_eq!(get("meta-data/reservation-id"), reservation);
    assert_eq!(d.first("reservationId").unwrap(), reservation);
    assert!(get("meta-data/").lines().any(|l| l == "reservation-id"));

    // block-device-mapping/: ami and root name the root device, ebsN the other volumes.
    let root = d.first("rootDeviceName").unwrap();
    assert_eq!(get("meta-data/block-device-mapping/"), "ami\nroot\nebs1");
    assert_eq!(get("meta-data/block-device-mapping/ami"), root);
    assert_eq!(get("meta-data/block-device-mapping/root"), root);
    assert_eq!(get("meta-data/block-device-mapping/ebs1"), "/dev/sdf");
    assert_eq!(
        e.get(&p, "meta-data/block-device-mapping/ebs2", Some(&t))
            .status,
        404
    );

    // security-groups: names, one a line (the default VPC's `default` group here).
    assert_eq!(get("meta-data/security-groups"), "default");

    // public-ipv4 / public-hostname: the default subnet maps a public address at launch.
    let public_ip = d.first("ipAddress").expect("a public address");
    assert_eq!(get("meta-data/public-ipv4"), public_ip);
    assert_eq!(
        get("meta-data/public-hostname"),
        d.first("dnsName").unwrap()
    );

    // placement/: the zone, its id (DescribeAvailabilityZones' ZoneId) and the Region.
    let zone = get("meta-data/placement/availability-zone");
    assert_eq!(zone, d.first("availabilityZone").unwrap());
    let zones = e.call("DescribeAvailabilityZones", &[("ZoneName.1", &zone)]);
    assert_eq!(
        get("meta-data/placement/availability-zone-id"),
        zones.first("zoneId").unwrap()
    );
    assert_eq!(get("meta-data/placement/region"), "us-east-1");

    // iam/info: the profile, as EC2 words it (Code, LastUpdated, InstanceProfileArn, Id).
    let info: serde_json::Value = serde_json::from_str(&get("meta-data/iam/info")).unwrap();
    assert_eq!(info["Code"], "Success");
    assert!(info["InstanceProfileArn"]
        .as_str()
        .unwrap()
        .ends_with(":instance-profile/web-role"));
    assert!(info["InstanceProfileId"]
        .as_str()
        .unwrap()
        .starts_with("AIPA"));
    assert!(info["LastUpdated"].as_str().unwrap().ends_with('Z'));
    assert_eq!(get("meta-data/iam/security-credentials/"), "web-role");

    // dynamic/instance-identity/: the document, and the signature paths (placeholders of
    // AWS's 256-byte RSA signature length: the emulator signs nothing).
    assert_eq!(
        get("dynamic/instance-identity/"),
        "document\npkcs7\nrsa2048\nsignature"
    );
    let doc: serde_json::Value =
        serde_json::from_str(&get("dynamic/instance-identity/document")).unwrap();
    assert_eq!(doc["instanceId"], id.as_str());
    assert_eq!(doc["availabilityZone"], zone.as_str());
    for path in ["signature", "pkcs7", "rsa2048"] {
        let sig = get(&format!("dynamic/instance-identity/{path}"));
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(sig.trim())
            .unwrap_or_else(|e| panic!("{path}: not base64 ({e})"));
        assert_eq!(bytes.len(), 256, "{path}");
    }
}

/// An instance without a public address, profile or user data: those paths are 404, as
/// on EC2, and iam/ is not listed.
#[test]
fn absent_categories_are_404() {
    let e = Emu::start();
    let (id, _) = e.launch(&[
        ("NetworkInterface.1.DeviceIndex", "0"),
        ("NetworkInterface.1.AssociatePublicIpAddress", "false"),
    ]);
    let p = format!("/{id}");
    for path in [
        "user-data",
        "meta-data/public-ipv4",
        "meta-data/public-hostname",
        "meta-data/iam/info",
        "meta-data/iam/security-credentials/",
    ] {
        assert_eq!(e.get(&p, path, None).status, 404, "{path}");
    }
    assert!(!e.read(&p, "meta-data/", None).lines().any(|l| l == "iam/"));
}

/// `POST /_parlel/imds` refuses an id that no account holds (404 with a JSON error, as
/// `DELETE /_parlel/faults/N` refuses a rule that is not there), and keeps the selection
/// it had; a known id is selected and answers without a path prefix.
#[test]
fn selecting_an_unknown_instance_is_refused() {
    let e = Emu::start();
    let (first, _) = e.launch(&[]);
    let (second, _) = e.launch(&[]);
    let ok = e.admin(
        "POST",
        "/_parlel/imds",
        &format!("{{\"InstanceId\":\"{first}\"}}"),
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    let r = e.admin(
        "POST",
        "/_parlel/imds",
        r#"{"InstanceId":"i-0123456789abcdef0"}"#,
    );
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let err: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(err["error"]
        .as_str()
        .unwrap()
        .contains("i-0123456789abcdef0"));
    assert_eq!(e.read("", "meta-data/instance-id", None), first);
    for bad in ["", "{}", r#"{"InstanceId":5}"#, "not json"] {
        assert_eq!(e.admin("POST", "/_parlel/imds", bad).status, 400, "{bad}");
    }
    // null unselects: with the selected one stopped, the other (running) one answers.
    e.call("StopInstances", &[("InstanceId.1", &first)]);
    assert_eq!(e.get("", "meta-data/instance-id", None).status, 404);
    let none = e.admin("POST", "/_parlel/imds", r#"{"InstanceId":null}"#);
    assert_eq!(none.status, 200);
    assert_eq!(e.read("", "meta-data/instance-id", None), second);
}

/// Only a running instance has a metadata service: on EC2 it is reached from inside the
/// instance, so a stopped or terminated one has no caller. Named by path or selected,
/// such an instance gets 404 with a text body saying so (README, "Instance metadata");
/// started again, it answers; the newest-running default skips it.
#[test]
fn a_stopped_or_terminated_instance_does_not_answer() {
    let e = Emu::start();
    let (older, _) = e.launch(&[]);
    let (id, _) = e.launch(&[]);
    let p = format!("/{id}");
    assert_eq!(e.read(&p, "meta-data/instance-id", None), id);
    e.call("StopInstances", &[("InstanceId.1", &id)]);
    let r = e.get(&p, "meta-data/instance-id", None);
    assert_eq!(r.status, 404);
    assert_eq!(
        r.body,
        format!("{id} is stopped: only a running instance has a metadata service")
    );
    assert_eq!(e.token(&p, "60").status, 404);
    // The default is the newest instance that is running.
    assert_eq!(e.read("", "meta-data/instance-id", None), older);
    // Selected (it exists), it still does not answer while stopped.
    let sel = e.admin(
        "POST",
        "/_parlel/imds",
        &format!("{{\"InstanceId\":\"{id}\"}}"),
    );
    assert_eq!(sel.status, 200);
    assert_eq!(e.get("", "meta-data/instance-id", None).status, 404);
    e.call("StartInstances", &[("InstanceId.1", &id)]);
    assert_eq!(e.read("", "meta-data/instance-id", None), id);
    e.call("TerminateInstances", &[("InstanceId.1", &id)]);
    let r = e.get(&p, "meta-data/instance-id", None);
    assert_eq!(r.status, 404);
    assert_eq!(
        r.body,
        format!("{id} is terminated: only a running instance has a metadata service")
    );
    // An id no account holds, named by path: 404 too.
    assert_eq!(
        e.get("/i-0123456789abcdef0", "meta-data/instance-id", None)
            .status,
        404
    );
}

/// HttpEndpoint `disabled`: no answer at all, the connection is closed.
#[test]
fn a_disabled_endpoint_does_not_answer() {
    let e = Emu::start();
    let (id, _) = e.launch(&[("MetadataOptions.HttpEndpoint", "disabled")]);
    assert!(raw_at(e.imds, "GET", &format!("/{id}/latest/meta-data/"), &[], b"").is_err());
}
