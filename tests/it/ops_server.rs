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
