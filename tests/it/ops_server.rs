//! The HTTP surface: admin routes, CORS, request ids, protocol-level errors, limits.

use crate::support::*;

#[test]
fn health_answers_json_and_reset_restores_the_start_state() {
    let s = Server::start();
    let h = s.raw("GET", "/_parlel/health", &[], b"");
    assert_eq!(h.status, 200);
    assert_eq!(h.header("content-type"), Some("application/json"));
    let health: serde_json::Value = serde_json::from_str(&h.body).unwrap();
    assert_eq!(
        (health["status"].as_str(), health["service"].as_str()),
        (Some("ok"), Some("ec2"))
    );
    let before = s.call("DescribeVpcs", &[]).ok().all("vpcId");
    s.call("CreateVpc", &[("CidrBlock", "10.0.0.0/16")]).ok();
    s.call(
        "RunInstances",
        &[("ImageId", AMI), ("MinCount", "1"), ("MaxCount", "1")],
    )
    .ok();
    assert_eq!(s.raw("POST", "/_parlel/reset", &[], b"").status, 200);
    let after = s.call("DescribeVpcs", &[]).ok();
    assert_eq!(after.all("vpcId").len(), 1);
    assert_eq!(after.all("isDefault"), ["true"]);
    assert_ne!(
        after.all("vpcId"),
        before,
        "a reset account is a new account"
    );
    assert!(s
        .call("DescribeInstances", &[])
        .ok()
        .all("instanceId")
        .is_empty());
}

#[test]
fn every_response_carries_a_request_id_and_cors_headers() {
    let s = Server::start();
    let r = s.call("DescribeVpcs", &[]).ok();
    let id = r.header("x-amzn-requestid").unwrap().to_string();
    assert_eq!(id.len(), 36);
    assert_eq!(r.first("requestId"), Some(id));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let e = s.call("DescribeVpcs", &[("VpcId.1", "vpc-0123456789abcdef0")]);
    assert_eq!(
        e.first("RequestID").as_deref(),
        e.header("x-amzn-requestid")
    );
    let pre = s.raw(
        "OPTIONS",
        "/",
        &[
            ("Origin", "http://localhost:3000"),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "authorization,x-amz-date,amz-sdk-invocation-id",
            ),
        ],
        b"",
    );
    assert_eq!(pre.status, 200);
    assert_eq!(
        pre.header("access-control-allow-headers"),
        Some("authorization,x-amz-date,amz-sdk-invocation-id")
    );
    assert!(pre
        .header("access-control-allow-methods")
        .unwrap()
        .contains("POST"));
}

#[test]
fn protocol_errors_use_ec2_codes() {
    let s = Server::start();
    let post = |body: &str| {
        s.raw(
            "POST",
            "/",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body.as_bytes(),
        )
    };
    assert_error(
        &post("Action=DescribeLoadBalancers&Version=2016-11-15"),
        400,
        "InvalidAction",
        "The action DescribeLoadBalancers is not valid for this web service.",
    );
    assert_eq!(
        post("Action=CreateTransitGateway&Version=2016-11-15&Description=x")
            .error()
            .1,
        "UnsupportedOperation"
    );
    assert_eq!(post("Version=2016-11-15").error().1, "MissingAction");
    assert_error(
        &post("Action=DescribeVpcs&Version=2012-01-01"),
        400,
        "NoSuchVersion",
        "The requested version (2012-01-01) of service AmazonEC2 does not exist",
    );
    assert_eq!(
        post("Action=DescribeVpcs&Version=2016-11-15&VpcId.1=%zz")
            .error()
            .1,
        "MalformedQueryString"
    );
    assert_eq!(s.raw("GET", "/nowhere", &[], b"").status, 404);
    assert_eq!(s.raw("DELETE", "/", &[], b"").status, 405);
}

#[test]
fn get_with_a_query_string_works_like_post() {
    let s = Server::start();
    let r = s.raw("GET", "/?Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=is-default&Filter.1.Value.1=true", &[], b"").ok();
    assert_eq!(r.all("isDefault"), ["true"]);
}

#[test]
fn bodies_over_the_limit_are_refused_before_they_are_read() {
    use std::io::{Read, Write};
    let s = Server::start();
    // Only the headers are sent: the answer must come without waiting for 3 MiB.
    let mut c = std::net::TcpStream::connect(s.handle.addr()).unwrap();
    c.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    c.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3145728\r\n\r\n").unwrap();
    let mut buf = [0u8; 4096];
    let n = c.read(&mut buf).unwrap();
    let head = String::from_utf8_lossy(&buf[..n]);
    let (status, body) = head
        .split_once("\r\n\r\n")
        .expect("a whole answer in the first read");
    assert!(status.starts_with("HTTP/1.1 413"), "{head}");
    let doc = roxmltree::Document::parse(body).unwrap();
    assert_eq!(
        first(&doc, "Code").as_deref(),
        Some("RequestEntityTooLarge")
    );
    // The server still answers.
    s.call("DescribeVpcs", &[]).ok();
}

#[test]
fn dropping_the_handle_stops_the_server() {
    let s = Server::start();
    let addr = s.handle.addr();
    drop(s);
    assert!(std::net::TcpStream::connect(addr).is_err());
}

/// `GET /_parlel/state`: every account and Region with its resources by kind, narrowed by
/// `account`, `region` and `kind`; what every account starts with and does not own (the
/// catalog's images) is left out; the page at `/_parlel/` is served.
#[test]
fn the_state_json_lists_resources_by_account_region_and_kind() {
    let s = Server::start();
    let id = s
        .call(
            "RunInstances",
            &[
                ("ImageId", "ami-0abcdef1234567890"),
                ("InstanceType", "t3.micro"),
                ("MinCount", "1"),
                ("MaxCount", "1"),
                ("TagSpecification.1.ResourceType", "instance"),
                ("TagSpecification.1.Tag.1.Key", "Name"),
                ("TagSpecification.1.Tag.1.Value", "web"),
            ],
        )
        .ok()
        .first("instanceId")
        .unwrap();
    s.call_as(
        "222233334444",
        "eu-west-1",
        "CreateVpc",
        &[("CidrBlock", "10.1.0.0/16")],
    )
    .ok();
    let get = |q: &str| -> serde_json::Value {
        let r = s.raw("GET", &format!("/_parlel/state{q}"), &[], b"");
        assert_eq!(r.status, 200);
        serde_json::from_str(&r.body).unwrap()
    };
    let all = get("");
    assert_eq!(all["accounts"].as_array().unwrap().len(), 2);
    let mine = get("?account=123456789012&region=us-east-1&kind=instance");
    let region = &mine["accounts"][0]["regions"][0];
    assert_eq!(region["region"], "us-east-1");
    assert_eq!(region["counts"]["instance"], 1);
    let i = &region["resources"]["instance"][0];
    assert_eq!(
        (i["id"].as_str(), i["name"].as_str()),
        (Some(id.as_str()), Some("web"))
    );
    assert!(["pending", "running"].contains(&i["state"].as_str().unwrap()));
    assert_eq!(i["tags"]["Name"], "web");
    assert!(region["resources"].get("vpc").is_none(), "kind narrows");
    let everything = get("?account=123456789012");
    assert!(
        everything["accounts"][0]["regions"][0]["resources"]
            .get("image")
            .is_none(),
        "catalog images are left out"
    );
    let other = get("?account=222233334444");
    assert_eq!(
        other["accounts"][0]["regions"][0]["counts"]["vpc"], 2,
        "its default VPC and the new one"
    );
    let page = s.raw("GET", "/_parlel/", &[], b"");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("/_parlel/state"));
}

/// `GET /_parlel/state`: each kind carries its main fields: its state where it has one
/// (a network interface's status too), its VPC and subnet, and the time EC2 records it
/// was created under EC2's own name for it; the shape of the first version stays (an
/// instance without a key pair still has `keyName: null`).
#[test]
fn the_state_json_gives_each_kind_its_state_place_and_created_time() {
    let s = Server::start();
    // us-east-1a's default subnet (us-east-1e has no t3.micro).
    let subnet = s
        .call(
            "DescribeSubnets",
            &[
                ("Filter.1.Name", "availability-zone"),
                ("Filter.1.Value.1", "us-east-1a"),
            ],
        )
        .ok()
        .first("subnetId")
        .unwrap();
    let volume = s
        .call(
            "CreateVolume",
            &[("AvailabilityZone", "us-east-1a"), ("Size", "8")],
        )
        .ok()
        .first("volumeId")
        .unwrap();
    let snapshot = s
        .call("CreateSnapshot", &[("VolumeId", &volume)])
        .ok()
        .first("snapshotId")
        .unwrap();
    s.call("CreateKeyPair", &[("KeyName", "deploy")]).ok();
    let nat = s
        .call(
            "CreateNatGateway",
            &[("SubnetId", &subnet), ("ConnectivityType", "private")],
        )
        .ok()
        .first("natGatewayId")
        .unwrap();
    s.call(
        "CreateLaunchTemplate",
        &[
            ("LaunchTemplateName", "web"),
            ("LaunchTemplateData.InstanceType", "t3.micro"),
        ],
    )
    .ok();
    let instance = s
        .call(
            "RunInstances",
            &[
                ("ImageId", "ami-0abcdef1234567890"),
                ("InstanceType", "t3.micro"),
                ("MinCount", "1"),
                ("MaxCount", "1"),
                ("SubnetId", &subnet),
            ],
        )
        .ok()
        .first("instanceId")
        .unwrap();
    let r = s.raw("GET", "/_parlel/state?account=123456789012", &[], b"");
    assert_eq!(r.status, 200);
    let all: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let region = &all["accounts"][0]["regions"][0];
    let one = |kind: &str, id: &str| -> serde_json::Value {
        region["resources"][kind]
            .as_array()
            .unwrap_or_else(|| panic!("no {kind} in {region}"))
            .iter()
            .find(|x| x["id"] == id)
            .unwrap_or_else(|| panic!("no {kind} {id}"))
            .clone()
    };
    let by = |kind: &str, field: &str, value: &str| -> serde_json::Value {
        region["resources"][kind]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x[field] == value)
            .unwrap_or_else(|| panic!("no {kind} with {field} {value}"))
            .clone()
    };
    // EC2's date-time: 2026-12-02T05:46:13.082Z.
    let is_time = |v: &serde_json::Value| {
        let t = v.as_str().unwrap_or_default();
        t.len() == 24 && t.as_bytes()[10] == b'T' && t.ends_with('Z')
    };
    let i = one("instance", &instance);
    assert!(is_time(&i["launchTime"]), "{i}");
    assert_eq!(i["subnetId"], subnet.as_str());
    assert!(i["keyName"].is_null() && i.get("keyName").is_some(), "{i}");
    let eni = i["networkInterfaceId"].as_str().unwrap().to_string();
    let v = one("volume", &volume);
    assert_eq!(
        (v["state"].as_str(), v["size"].as_i64()),
        (Some("available"), Some(8))
    );
    assert!(is_time(&v["createTime"]), "{v}");
    let sn = one("snapshot", &snapshot);
    assert!(["pending", "completed"].contains(&sn["state"].as_str().unwrap()));
    assert_eq!(sn["volumeId"], volume.as_str());
    assert!(is_time(&sn["startTime"]), "{sn}");
    let k = by("key-pair", "keyName", "deploy");
    assert!(is_time(&k["createTime"]), "{k}");
    assert_eq!(k["keyType"], "rsa");
    let n = one("natgateway", &nat);
    assert!(["pending", "available"].contains(&n["state"].as_str().unwrap()));
    assert_eq!(n["subnetId"], subnet.as_str());
    assert!(n["vpcId"].as_str().unwrap().starts_with("vpc-"));
    assert!(is_time(&n["createTime"]), "{n}");
    let t = by("launch-template", "launchTemplateName", "web");
    assert!(is_time(&t["createTime"]), "{t}");
    assert_eq!(t["defaultVersionNumber"], 1);
    let e = one("network-interface", &eni);
    assert_eq!(e["state"], "in-use");
    assert_eq!(
        (e["subnetId"].as_str(), e["instanceId"].as_str()),
        (Some(subnet.as_str()), Some(instance.as_str()))
    );
    let sub = one("subnet", &subnet);
    assert_eq!(sub["state"], "available");
    let g = by("internet-gateway", "state", "attached");
    assert!(g["vpcId"].as_str().unwrap().starts_with("vpc-"));
}

/// The state JSON's objects list their keys in sorted order (kinds, fields), whichever
/// way serde_json was built (it keeps insertion order in test builds only): every build
/// writes the same bytes for the same state.
#[test]
fn the_state_json_lists_kinds_and_fields_in_a_fixed_order() {
    let s = Server::start();
    s.call(
        "CreateVolume",
        &[("AvailabilityZone", "us-east-1a"), ("Size", "8")],
    )
    .ok();
    s.call(
        "RunInstances",
        &[
            ("ImageId", "ami-0abcdef1234567890"),
            ("InstanceType", "t3.micro"),
            ("MinCount", "1"),
            ("MaxCount", "1"),
            ("TagSpecification.1.ResourceType", "instance"),
            ("TagSpecification.1.Tag.1.Key", "zone"),
            ("TagSpecification.1.Tag.1.Value", "a"),
            ("TagSpecification.1.Tag.2.Key", "Name"),
            ("TagSpecification.1.Tag.2.Value", "web"),
        ],
    )
    .ok();
    let body = s.raw("GET", "/_parlel/state", &[], b"").body;
    // Parsed keeping the text's order (this build's serde_json preserves it).
    let all: serde_json::Value = serde_json::from_str(&body).unwrap();
    fn check(v: &serde_json::Value, at: &str) {
        match v {
            serde_json::Value::Object(m) => {
                let keys: Vec<&String> = m.keys().collect();
                let mut want = keys.clone();
                want.sort();
                assert_eq!(keys, want, "keys at {at}");
                m.iter().for_each(|(k, x)| check(x, &format!("{at}.{k}")));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| check(x, at)),
            _ => {}
        }
    }
    check(&all, "");
    let region = &all["accounts"][0]["regions"][0];
    let kinds: Vec<&String> = region["resources"].as_object().unwrap().keys().collect();
    assert!(kinds.len() > 5, "{kinds:?}");
    assert_eq!(
        region["counts"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        kinds
    );
    assert_eq!(
        body,
        s.raw("GET", "/_parlel/state", &[], b"").body,
        "the same state, the same bytes"
    );
}
