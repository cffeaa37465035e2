//! Fault injection (src/faults.rs) over HTTP: rules from `--fault` at start (the real
//! binary), probability and duration rules made deterministic (probability 0 and 1, a
//! duration that runs out), deleting one rule, and rule keys that are refused. The
//! errors are EC2's ("Common client and server error codes" in the EC2 API reference).

use crate::support::{assert_error, raw_at, Reply, Server, AMI};
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

fn add(s: &Server, rule: &str) -> Reply {
    s.raw("POST", "/_parlel/faults", &[], rule.as_bytes())
}

fn add_ok(s: &Server, rule: &str) -> u64 {
    let r = add(s, rule);
    assert_eq!(r.status, 200, "{rule}: {}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    v["id"].as_u64().unwrap()
}

/// `GET /_parlel/faults` as `(id, state, fired)` per rule.
fn listed(addr: std::net::SocketAddr) -> Vec<(u64, String, u64)> {
    let r = raw_at(addr, "GET", "/_parlel/faults", &[], b"").unwrap();
    assert_eq!(r.status, 200);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    v["faults"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_u64().unwrap(),
                f["state"].as_str().unwrap().to_string(),
                f["fired"].as_u64().unwrap(),
            )
        })
        .collect()
}

const RUN: &[(&str, &str)] = &[
    ("ImageId", AMI),
    ("InstanceType", "t3.micro"),
    ("MinCount", "1"),
    ("MaxCount", "1"),
];

/// A rule with a key it does not know (`"acton"` for `"action"`) is refused with 400
/// naming the key, instead of silently faulting every action; so is one in `error`.
#[test]
fn a_rule_with_an_unknown_key_is_refused_naming_it() {
    let s = Server::start();
    let r = add(
        &s,
        r#"{"acton":"RunInstances","error":"RequestLimitExceeded"}"#,
    );
    assert_eq!(r.status, 400, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(
        v["error"].as_str().unwrap().contains("\"acton\""),
        "{}",
        r.body
    );
    let r = add(&s, r#"{"error":{"code":"X","mesage":"m"}}"#);
    assert_eq!(r.status, 400);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(
        v["error"].as_str().unwrap().contains("\"mesage\""),
        "{}",
        r.body
    );
    assert!(listed(s.handle.addr()).is_empty());
    s.call("DescribeVpcs", &[]).ok();
}

/// Probability 0 never fires and 1 always does (the two values with no chance in them).
#[test]
fn probability_zero_never_fires_and_one_always_does() {
    let s = Server::start();
    let never = add_ok(
        &s,
        r#"{"action":"DescribeVpcs","error":"Unavailable","probability":0}"#,
    );
    for _ in 0..20 {
        s.call("DescribeVpcs", &[]).ok();
    }
    let always = add_ok(
        &s,
        r#"{"action":"DescribeSubnets","error":"Unavailable","probability":1}"#,
    );
    for _ in 0..5 {
        let r = s.call("DescribeSubnets", &[]);
        assert_error(
            &r,
            503,
            "Unavailable",
            "The server is overloaded and can't handle the request.",
        );
    }
    s.call("DescribeVpcs", &[]).ok();
    assert_eq!(
        listed(s.handle.addr()),
        vec![
            (never, "active".to_string(), 0),
            (always, "active".to_string(), 5)
        ]
    );
}

/// A duration rule faults every matching call until its time is up, then none; it stays
/// listed as `expired` with how often it fired, until deleted.
#[test]
fn a_duration_rule_fires_until_it_expires_and_stays_listed() {
    let s = Server::start();
    let id = add_ok(
        &s,
        r#"{"action":"DescribeVpcs","error":"RequestLimitExceeded","duration_ms":300}"#,
    );
    let r = s.call("DescribeVpcs", &[]);
    assert_error(&r, 503, "RequestLimitExceeded", "Request limit exceeded.");
    assert_eq!(listed(s.handle.addr()), vec![(id, "active".to_string(), 1)]);
    std::thread::sleep(Duration::from_millis(350));
    s.call("DescribeVpcs", &[]).ok();
    assert_eq!(
        listed(s.handle.addr()),
        vec![(id, "expired".to_string(), 1)]
    );
    assert_eq!(
        s.raw("DELETE", &format!("/_parlel/faults/{id}"), &[], b"")
            .status,
        200
    );
    assert!(listed(s.handle.addr()).is_empty());
}

/// A count rule, spent, stays listed as `spent` with `remaining: 0`; a reset clears it.
#[test]
fn a_spent_count_rule_stays_listed_until_reset() {
    let s = Server::start();
    let id = add_ok(
        &s,
        r#"{"action":"RunInstances","error":"InsufficientInstanceCapacity","count":1}"#,
    );
    let (status, code, _) = s.call("RunInstances", RUN).error();
    assert_eq!(
        (status, code.as_str()),
        (500, "InsufficientInstanceCapacity")
    );
    s.call("RunInstances", RUN).ok();
    assert_eq!(listed(s.handle.addr()), vec![(id, "spent".to_string(), 1)]);
    let r = s.raw("GET", "/_parlel/faults", &[], b"");
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["faults"][0]["remaining"], 0);
    assert_eq!(
        v["faults"][0]["rule"]["error"],
        "InsufficientInstanceCapacity"
    );
    assert_eq!(s.raw("POST", "/_parlel/reset", &[], b"").status, 200);
    assert!(listed(s.handle.addr()).is_empty());
}

/// `DELETE /_parlel/faults/N` removes that rule only: it stops firing, the other goes on;
/// a rule that is not there is 404.
#[test]
fn deleting_one_rule_over_http_leaves_the_others() {
    let s = Server::start();
    let vpcs = add_ok(&s, r#"{"action":"DescribeVpcs","error":"InternalError"}"#);
    let subnets = add_ok(
        &s,
        r#"{"action":"DescribeSubnets","error":"InternalError"}"#,
    );
    assert_eq!(s.call("DescribeVpcs", &[]).status, 500);
    let del = s.raw("DELETE", &format!("/_parlel/faults/{vpcs}"), &[], b"");
    assert_eq!(del.status, 200, "{}", del.body);
    s.call("DescribeVpcs", &[]).ok();
    let (status, code, message) = s.call("DescribeSubnets", &[]).error();
    assert_eq!(
        (status, code.as_str(), message.as_str()),
        (500, "InternalError", "An internal error has occurred.")
    );
    assert_eq!(
        listed(s.handle.addr()),
        vec![(subnets, "active".to_string(), 1)]
    );
    let again = s.raw("DELETE", &format!("/_parlel/faults/{vpcs}"), &[], b"");
    assert_eq!(again.status, 404, "{}", again.body);
    assert_eq!(s.raw("DELETE", "/_parlel/faults/x", &[], b"").status, 404);
}

/// The binary with `args`; its EC2 address once it prints it.
fn spawn(args: &[&str]) -> (std::process::Child, std::net::SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_parlel-ec2"))
        .args(["--port", "0"])
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn parlel-ec2");
    let mut out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        let mut sent = false;
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 {
                break;
            }
            if !sent {
                seen.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&seen);
                if let Some(line) = text.lines().find(|l| l.contains("listening on http://")) {
                    let _ = tx.send(line.rsplit("http://").next().unwrap().trim().to_string());
                    sent = true;
                }
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the binary printed its address")
        .parse()
        .unwrap();
    (child, addr)
}

/// `--fault RULE` (repeatable) sets rules from the start, for CI jobs that cannot make an
/// HTTP call first: the first RunInstances gets EC2's InsufficientInstanceCapacity, the
/// next succeeds, and the spent rule is listed with its count.
#[test]
fn fault_rules_given_at_start_fire_in_the_binary() {
    let (mut child, addr) = spawn(&[
        "--fault",
        r#"{"action":"RunInstances","error":"InsufficientInstanceCapacity","count":1}"#,
        "--fault",
        r#"{"action":"DescribeVpcs","delay_ms":1,"region":"eu-west-1"}"#,
    ]);
    let call = |action: &str, params: &[(&str, &str)]| {
        crate::support::call_at(addr, "parlel", "us-east-1", action, params).unwrap()
    };
    let r = call("RunInstances", RUN);
    assert_error(
        &r,
        500,
        "InsufficientInstanceCapacity",
        "We currently do not have sufficient capacity in the Availability Zone you requested. \
         Our system will be working on provisioning additional capacity.",
    );
    call("RunInstances", RUN).ok();
    call("DescribeVpcs", &[]).ok();
    assert_eq!(
        listed(addr),
        vec![(1, "spent".to_string(), 1), (2, "active".to_string(), 0)]
    );
    let _ = child.kill();
    let _ = child.wait();
}

/// A `--fault` rule that is wrong stops the start: exit 2, the message naming the
/// problem (here the unknown key) on stderr.
#[test]
fn a_bad_fault_rule_at_start_exits_2_naming_the_key() {
    let out = Command::new(env!("CARGO_BIN_EXE_parlel-ec2"))
        .args([
            "--port",
            "0",
            "--fault",
            r#"{"acton":"RunInstances","error":"RequestLimitExceeded"}"#,
        ])
        .stdin(Stdio::null())
        .output()
        .expect("run parlel-ec2");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--fault") && stderr.contains("\"acton\""),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "it never listened");
}
