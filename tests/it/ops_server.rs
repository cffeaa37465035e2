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
