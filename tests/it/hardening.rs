//! Hardening: many clients at once, hostile HTTP traffic, a panicking handler, and
//! shutdown on SIGTERM. Every wait is bounded and generous; nothing depends on luck.

use crate::support::*;
use parlel_ec2::{Config, EmulatorHandle};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

/// Timeouts short enough for a test to watch them fire.
const SHORT: Duration = Duration::from_millis(200);

fn server_with(config: Config) -> Server {
    Server {
        handle: EmulatorHandle::start_with(config, "127.0.0.1:0".parse().unwrap()).unwrap(),
        region: "us-east-1".into(),
        access_key: "parlel".into(),
    }
}

fn short_timeouts() -> Config {
    Config {
        header_timeout: SHORT,
        body_timeout: SHORT,
        ..Config::default()
    }
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn form(action: &str, params: &[(&str, &str)]) -> String {
    let mut body = format!("Action={action}&Version=2016-11-15");
    for (k, v) in params {
        body.push_str(&format!("&{}={}", encode(k), encode(v)));
    }
    body
}

/// A keep-alive HTTP/1.1 connection that sends EC2 calls one after another.
struct Conn {
    s: TcpStream,
    buf: Vec<u8>,
}

struct Answer {
    status: u16,
    headers: String,
    body: String,
}

impl Answer {
    fn doc(&self) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(&self.body)
            .unwrap_or_else(|e| panic!("not XML ({e}): {}", self.body))
    }

    fn ok(self) -> Answer {
        assert_eq!(self.status, 200, "{}", self.body);
        self
    }

    fn first(&self, name: &str) -> String {
        first(&self.doc(), name).unwrap_or_else(|| panic!("no <{name}> in {}", self.body))
    }
}

impl Conn {
    fn open(addr: SocketAddr) -> Conn {
        let s = TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s.set_nodelay(true).unwrap();
        Conn { s, buf: Vec::new() }
    }

    fn send(&mut self, body: &str) {
        let req = format!(
            "POST / HTTP/1.1\r\nHost: ec2\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: AWS4-HMAC-SHA256 Credential=parlel/20261128/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.s.write_all(req.as_bytes()).expect("send");
    }

    /// Reads one response (the server always sends Content-Length).
    fn recv(&mut self) -> Answer {
        let head_end = loop {
            if let Some(i) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            self.fill();
        };
        let head = String::from_utf8_lossy(&self.buf[..head_end]).to_string();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        let len: usize = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().unwrap())
            })
            .expect("content-length");
        while self.buf.len() < head_end + len {
            self.fill();
        }
        let body = String::from_utf8_lossy(&self.buf[head_end..head_end + len]).to_string();
        self.buf.drain(..head_end + len);
        Answer {
            status,
            headers: head,
            body,
        }
    }

    /// Reads the interim `100 Continue` answer.
    fn expect_continue(&mut self) {
        let end = loop {
            if let Some(i) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            self.fill();
        };
        let head = String::from_utf8_lossy(&self.buf[..end]).to_string();
        assert!(head.starts_with("HTTP/1.1 100 "), "{head}");
        self.buf.drain(..end);
    }

    fn fill(&mut self) {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.s.read(&mut chunk).expect("read");
        assert!(n > 0, "connection closed mid-response");
        self.buf.extend_from_slice(&chunk[..n]);
    }

    fn call(&mut self, action: &str, params: &[(&str, &str)]) -> Answer {
        self.send(&form(action, params));
        self.recv()
    }
}

/// Reads until the peer closes; `Ok(bytes)` on EOF, `Err` on a read error or timeout.
fn read_to_close(s: &mut TcpStream, limit: Duration) -> std::io::Result<Vec<u8>> {
    s.set_read_timeout(Some(limit))?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).map(|_| out)
}

fn status_of(raw: &[u8]) -> Option<u16> {
    let text = String::from_utf8_lossy(raw);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

// ---------------------------------------------------------------------------------------
// Concurrency

const THREADS: usize = 16;
const ROUNDS: usize = 6;

/// Everything one client thread made and what it wrote last.
#[derive(Default)]
struct Made {
    ids: Vec<String>,
    /// resource → the tags it must end with.
    tags: BTreeMap<String, BTreeMap<String, String>>,
    /// The value this thread wrote last to the shared key on the default VPC.
    shared_last: String,
}

fn client(addr: SocketAddr, t: usize, default_vpc: &str, start: &Barrier) -> Made {
    let mut c = Conn::open(addr);
    let mut made = Made::default();
    start.wait();
    for r in 0..ROUNDS {
        let name = format!("t{t}r{r}");
        let cidr = format!("10.{}.0.0/16", t * ROUNDS + r);
        let vpc = c
            .call("CreateVpc", &[("CidrBlock", &cidr)])
            .ok()
            .first("vpcId");
        let subnet_cidr = format!("10.{}.0.0/26", t * ROUNDS + r);
        let subnet = c
            .call(
                "CreateSubnet",
                &[("VpcId", &vpc), ("CidrBlock", &subnet_cidr)],
            )
            .ok()
            .first("subnetId");
        let sg = c
            .call(
                "CreateSecurityGroup",
                &[
                    ("GroupName", &name),
                    ("GroupDescription", "hardening"),
                    ("VpcId", &vpc),
                ],
            )
            .ok()
            .first("groupId");
        let run = c
            .call(
                "RunInstances",
                &[
                    ("ImageId", AMI),
                    ("MinCount", "3"),
                    ("MaxCount", "3"),
                    ("SubnetId", &subnet),
                    ("SecurityGroupId.1", &sg),
                    ("TagSpecification.1.ResourceType", "instance"),
                    ("TagSpecification.1.Tag.1.Key", "owner"),
                    ("TagSpecification.1.Tag.1.Value", "launch"),
                ],
            )
            .ok();
        let doc = run.doc();
        let instances = under(&doc, "instancesSet", "instanceId");
        assert_eq!(instances.len(), 3, "{}", run.body);
        made.ids.push(first(&doc, "reservationId").unwrap());
        made.ids.extend([vpc.clone(), subnet.clone(), sg.clone()]);
        made.ids.extend(instances.iter().cloned());
        // Tags written twice; the second write is the one that must stay.
        for (i, value) in ["first", "last"].into_iter().enumerate() {
            let v = format!("{name}-{value}");
            c.call(
                "CreateTags",
                &[
                    ("ResourceId.1", &vpc),
                    ("ResourceId.2", &subnet),
                    ("ResourceId.3", &instances[0]),
                    ("Tag.1.Key", "owner"),
                    ("Tag.1.Value", &v),
                    ("Tag.2.Key", &format!("pass{i}")),
                    ("Tag.2.Value", ""),
                ],
            )
            .ok();
        }
        let mine = |extra: &[(&str, &str)]| {
            let mut m: BTreeMap<String, String> = [
                ("owner".to_string(), format!("{name}-last")),
                ("pass0".to_string(), String::new()),
                ("pass1".to_string(), String::new()),
            ]
            .into();
            m.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
            m
        };
        made.tags.insert(vpc.clone(), mine(&[]));
        made.tags.insert(subnet.clone(), mine(&[]));
        made.tags.insert(instances[0].clone(), mine(&[]));
        for i in &instances[1..] {
            made.tags
                .insert(i.clone(), [("owner".into(), "launch".into())].into());
        }
        // Every thread writes its own key and a shared one on the default VPC.
        made.shared_last = name.clone();
        c.call(
            "CreateTags",
            &[
                ("ResourceId.1", default_vpc),
                ("Tag.1.Key", &format!("thread-{t}")),
                ("Tag.1.Value", &name),
                ("Tag.2.Key", "shared"),
                ("Tag.2.Value", &name),
            ],
        )
        .ok();
        // Lifecycle: stop and start the first, terminate the second, keep the third.
        c.call("StopInstances", &[("InstanceId.1", &instances[0])])
            .ok();
        c.call("StartInstances", &[("InstanceId.1", &instances[0])])
            .ok();
        c.call("TerminateInstances", &[("InstanceId.1", &instances[1])])
            .ok();
        // Reads in between the writes of other threads.
        let d = c
            .call(
                "DescribeInstances",
                &[
                    ("InstanceId.1", &instances[0]),
                    ("InstanceId.2", &instances[1]),
                ],
            )
            .ok();
        assert_eq!(under(&d.doc(), "instancesSet", "instanceId").len(), 2);
        let d = c.call("DescribeSubnets", &[("SubnetId.1", &subnet)]).ok();
        // A /26 has 64 - 5 usable addresses; two of the three instances are live.
        assert_eq!(d.first("availableIpAddressCount"), "57", "{}", d.body);
        c.call(
            "DescribeSecurityGroups",
            &[("Filter.1.Name", "vpc-id"), ("Filter.1.Value.1", &vpc)],
        )
        .ok();
        c.call("DescribeVpcs", &[("VpcId.1", &vpc)]).ok();
        c.call(
            "DescribeTags",
            &[("Filter.1.Name", "resource-id"), ("Filter.1.Value.1", &vpc)],
        )
        .ok();
    }
    made
}

fn child<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    n.children().find(|c| c.has_tag_name(name))
}

fn text(n: roxmltree::Node, name: &str) -> Option<String> {
    child(n, name).map(|c| c.text().unwrap_or("").to_string())
}

fn items<'a>(n: roxmltree::Node<'a, 'a>, set: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    child(n, set)
        .map(|s| s.children().filter(|c| c.has_tag_name("item")).collect())
        .unwrap_or_default()
}

fn tag_map(n: roxmltree::Node) -> BTreeMap<String, String> {
    items(n, "tagSet")
        .into_iter()
        .map(|t| {
            (
                text(t, "key").unwrap(),
                text(t, "value").unwrap_or_default(),
            )
        })
        .collect()
}

/// 16 threads × 6 rounds of create / tag / stop / start / terminate / describe against
/// one region (about 1,400 requests), then the region is checked as a whole.
#[test]
fn sixteen_clients_at_once_leave_a_consistent_region() {
    let s = Server::start();
    let addr = s.handle.addr();
    let default_vpc = s.call("DescribeVpcs", &[]).ok().first("vpcId").unwrap();
    let start = Arc::new(Barrier::new(THREADS));
    let began = Instant::now();
    let made: Vec<Made> = (0..THREADS)
        .map(|t| {
            let (start, default_vpc) = (start.clone(), default_vpc.clone());
            std::thread::spawn(move || client(addr, t, &default_vpc, &start))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().expect("a client thread failed"))
        .collect();
    let took = began.elapsed();
    assert!(took < Duration::from_secs(30), "{took:?}");

    // No id handed out twice.
    let all: Vec<&String> = made.iter().flat_map(|m| &m.ids).collect();
    let distinct: HashSet<&String> = all.iter().copied().collect();
    assert_eq!(distinct.len(), all.len(), "duplicate ids");
    assert_eq!(all.len(), THREADS * ROUNDS * 7);

    let mut c = Conn::open(addr);
    let vpcs = c.call("DescribeVpcs", &[]).ok();
    let vpc_ids: BTreeSet<String> = all_of(&vpcs, "vpcId");
    assert_eq!(vpc_ids.len(), 1 + THREADS * ROUNDS);
    let groups = c.call("DescribeSecurityGroups", &[]).ok();
    let group_ids: BTreeSet<String> = all_of(&groups, "groupId");
    // Each new VPC brings its `default` group, plus the one each round made.
    assert_eq!(group_ids.len(), 1 + 2 * THREADS * ROUNDS);
    let subnets = c.call("DescribeSubnets", &[]).ok();
    let instances = c.call("DescribeInstances", &[]).ok();

    // Every instance's subnet, VPC and groups exist; count the live ones per subnet.
    let idoc = instances.doc();
    let mut live: BTreeMap<String, i64> = BTreeMap::new();
    let mut seen = 0;
    for r in items(idoc.root_element(), "reservationSet") {
        for i in items(r, "instancesSet") {
            seen += 1;
            let id = text(i, "instanceId").unwrap();
            let state = text(child(i, "instanceState").unwrap(), "name").unwrap();
            let subnet = text(i, "subnetId");
            let vpc = text(i, "vpcId");
            if state != "terminated" {
                let (subnet, vpc) = (subnet.clone().unwrap(), vpc.clone().unwrap());
                assert!(
                    subnets
                        .body
                        .contains(&format!("<subnetId>{subnet}</subnetId>")),
                    "{id}'s subnet {subnet} is missing"
                );
                assert!(vpc_ids.contains(&vpc), "{id}'s VPC {vpc} is missing");
                for g in items(i, "groupSet") {
                    let g = text(g, "groupId").unwrap();
                    assert!(group_ids.contains(&g), "{id}'s group {g} is missing");
                }
            }
            if !matches!(state.as_str(), "terminated" | "shutting-down") {
                *live.entry(subnet.unwrap()).or_default() += 1;
            }
        }
    }
    assert_eq!(seen, THREADS * ROUNDS * 3);
    assert_eq!(live.values().sum::<i64>(), (THREADS * ROUNDS * 2) as i64);

    // availableIpAddressCount = usable size − live instances, for every subnet.
    let sdoc = subnets.doc();
    for sub in items(sdoc.root_element(), "subnetSet") {
        let id = text(sub, "subnetId").unwrap();
        let cidr = text(sub, "cidrBlock").unwrap();
        let prefix: u32 = cidr.split_once('/').unwrap().1.parse().unwrap();
        let usable = (1i64 << (32 - prefix)) - 5;
        let available: i64 = text(sub, "availableIpAddressCount")
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(
            available,
            usable - live.get(&id).copied().unwrap_or(0),
            "subnet {id} ({cidr})"
        );
    }

    // Tags: what each thread wrote last, on every resource.
    let tags = c.call("DescribeTags", &[]).ok();
    let mut actual: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for t in items(tags.doc().root_element(), "tagSet") {
        actual
            .entry(text(t, "resourceId").unwrap())
            .or_default()
            .insert(
                text(t, "key").unwrap(),
                text(t, "value").unwrap_or_default(),
            );
    }
    for m in &made {
        for (resource, expected) in &m.tags {
            assert_eq!(actual.get(resource), Some(expected), "tags of {resource}");
        }
    }
    // Each instance's tags in DescribeInstances agree with DescribeTags.
    let none = BTreeMap::new();
    for r in items(idoc.root_element(), "reservationSet") {
        for i in items(r, "instancesSet") {
            let id = text(i, "instanceId").unwrap();
            assert_eq!(
                &tag_map(i),
                actual.get(&id).unwrap_or(&none),
                "tags of {id}"
            );
        }
    }
    let shared = &actual[&default_vpc];
    for (t, m) in made.iter().enumerate() {
        assert_eq!(shared[&format!("thread-{t}")], m.shared_last);
    }
    let finals: Vec<&String> = made.iter().map(|m| &m.shared_last).collect();
    assert!(
        finals.contains(&&shared["shared"]),
        "{:?}",
        shared["shared"]
    );
}

fn all_of(a: &Answer, name: &str) -> BTreeSet<String> {
    all(&a.doc(), name).into_iter().collect()
}

// ---------------------------------------------------------------------------------------
// Hostile traffic

/// The soft limit on open files, raised to the hard limit with prlimit(1) when it is below
/// `want` (no libc in this crate). Returns the limit in force.
fn raise_fd_limit(want: u64) -> u64 {
    fn soft() -> Option<u64> {
        let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
        let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
        line.split_whitespace().nth(3)?.parse().ok()
    }
    let Some(now) = soft() else {
        return want; // Not Linux: assume enough.
    };
    if now < want {
        let _ = Command::new("prlimit")
            .args([
                "--pid",
                &std::process::id().to_string(),
                &format!("--nofile={want}:"),
            ])
            .stderr(Stdio::null())
            .status();
    }
    soft().unwrap_or(now)
}

/// 1,000 keep-alive connections open at once, each served twice.
#[test]
fn a_thousand_keep_alive_connections_are_served() {
    // Client and server ends live in this process: two descriptors per connection.
    let limit = raise_fd_limit(4096);
    let n = 1000.min((limit.saturating_sub(512) / 2) as usize);
    if n < 1000 {
        eprintln!("open-file limit {limit}: testing {n} connections instead of 1000");
    }
    // Idle time between the two rounds must not count against the connections.
    let s = server_with(Config {
        header_timeout: Duration::from_secs(120),
        ..Config::default()
    });
    let addr = s.handle.addr();
    let mut conns: Vec<Conn> = (0..n).map(|_| Conn::open(addr)).collect();
    // All requests out before any answer is read: the server holds them all at once.
    for c in conns.iter_mut() {
        c.send(&form("DescribeKeyPairs", &[]));
    }
    for c in conns.iter_mut() {
        let a = c.recv().ok();
        assert!(!a.headers.to_ascii_lowercase().contains("connection: close"));
    }
    // The same connections, again.
    for (i, c) in conns.iter_mut().enumerate() {
        c.send(&form(
            "DescribeVpcs",
            &[
                ("Filter.1.Name", "is-default"),
                (
                    "Filter.1.Value.1",
                    if i % 2 == 0 { "true" } else { "false" },
                ),
            ],
        ));
    }
    for (i, c) in conns.iter_mut().enumerate() {
        let a = c.recv().ok();
        assert_eq!(all(&a.doc(), "vpcId").len(), usize::from(i % 2 == 0));
    }
}

/// Slow clients trickling headers or bodies byte by byte are cut off after the timeout,
/// and the others are served meanwhile without waiting on them.
#[test]
fn slow_clients_are_cut_off_and_hold_no_one_up() {
    let s = server_with(short_timeouts());
    let addr = s.handle.addr();
    let trickle = |prefix: Vec<u8>, slow: Vec<u8>| {
        std::thread::spawn(move || {
            let mut c = TcpStream::connect(addr).unwrap();
            c.set_nodelay(true).unwrap();
            c.write_all(&prefix).unwrap();
            let started = Instant::now();
            // One byte every 20 ms, for up to 5 s: far longer than the 200 ms allowed, so
            // only a deadline on the whole (not a timeout between bytes) can end it.
            let bytes = slow.iter().copied().chain(std::iter::repeat(b'a'));
            for b in bytes.take(250) {
                if c.write_all(&[b]).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
                // Stop as soon as the server has closed or answered.
                c.set_nonblocking(true).unwrap();
                let mut probe = [0u8; 512];
                let r = c.read(&mut probe);
                c.set_nonblocking(false).unwrap();
                match r {
                    Ok(0) => return (started.elapsed(), Vec::new()),
                    Ok(n) => {
                        let mut got = probe[..n].to_vec();
                        got.extend(
                            read_to_close(&mut c, Duration::from_secs(5)).unwrap_or_default(),
                        );
                        return (started.elapsed(), got);
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                    Err(_) => return (started.elapsed(), Vec::new()),
                }
            }
            (started.elapsed(), b"still open after 5 s".to_vec())
        })
    };
    // Headers byte by byte, never finished.
    let slow_head = trickle(
        Vec::new(),
        b"POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ".to_vec(),
    );
    // Headers at once, then the body byte by byte.
    let body = form("DescribeVpcs", &[]);
    let head = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len() + 1000
    );
    let slow_body = trickle(head.into_bytes(), body.into_bytes());

    // A body that stops halfway and goes silent.
    let stalled = std::thread::spawn(move || {
        let mut c = TcpStream::connect(addr).unwrap();
        let body = form("DescribeVpcs", &[]);
        c.write_all(
            format!(
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{}",
                body.len(),
                &body[..10]
            )
            .as_bytes(),
        )
        .unwrap();
        let t = Instant::now();
        let got = read_to_close(&mut c, Duration::from_secs(5)).unwrap_or_default();
        (t.elapsed(), got)
    });

    // Meanwhile, everyone else: 40 calls, each answered at once.
    let mut c = Conn::open(addr);
    for _ in 0..40 {
        let t = Instant::now();
        c.call("DescribeVpcs", &[]).ok();
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
        std::thread::sleep(Duration::from_millis(5));
    }
    let window =
        |took: Duration| took >= SHORT - Duration::from_millis(50) && took < Duration::from_secs(3);

    // Cut off: closed without an answer (hyper drops a connection whose headers are late).
    let (took, got) = slow_head.join().unwrap();
    let text = String::from_utf8_lossy(&got);
    assert!(
        got.is_empty() || status_of(&got).is_some_and(|s| s >= 400),
        "{text}"
    );
    assert!(window(took), "slow headers cut off after {took:?}");

    // Cut off with 400 RequestTimeout. The server closes while bytes are still arriving,
    // so the kernel may reset the connection before the answer is read: a reset counts.
    let (took, got) = slow_body.join().unwrap();
    let text = String::from_utf8_lossy(&got);
    assert!(
        got.is_empty()
            || (status_of(&got) == Some(400) && text.contains("<Code>RequestTimeout</Code>")),
        "{text}"
    );
    assert!(window(took), "slow body cut off after {took:?}");

    // Silent after half a body: the answer is always read.
    let (took, got) = stalled.join().unwrap();
    let text = String::from_utf8_lossy(&got);
    assert_eq!(status_of(&got), Some(400), "{text}");
    assert!(text.contains("<Code>RequestTimeout</Code>"), "{text}");
    assert!(window(took), "stalled body cut off after {took:?}");
    s.call("DescribeVpcs", &[]).ok();
}

/// An idle keep-alive connection is closed after the header timeout.
#[test]
fn idle_keep_alive_connections_are_closed() {
    let s = server_with(short_timeouts());
    let mut c = Conn::open(s.handle.addr());
    c.call("DescribeVpcs", &[]).ok();
    let t = Instant::now();
    let rest = read_to_close(&mut c.s, Duration::from_secs(5)).expect("closed by the server");
    assert!(rest.is_empty());
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
}

/// Over the body limit: refused from Content-Length alone, and a chunked body (no length
/// announced) is refused as soon as it passes the limit, without reading the rest.
#[test]
fn bodies_over_the_limit_are_refused_early() {
    let limit = 64 * 1024;
    let s = server_with(Config {
        max_body_bytes: limit,
        ..Config::default()
    });
    let addr = s.handle.addr();

    let mut c = TcpStream::connect(addr).unwrap();
    c.write_all(
        format!(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
            limit + 1
        )
        .as_bytes(),
    )
    .unwrap();
    let got = read_to_close(&mut c, Duration::from_secs(5)).unwrap();
    assert_eq!(
        status_of(&got),
        Some(413),
        "{}",
        String::from_utf8_lossy(&got)
    );

    // Chunked, no length announced: 64 KiB, then one byte more, then nothing (so every
    // byte sent is read and the close is clean: no reset racing the answer).
    let mut c = TcpStream::connect(addr).unwrap();
    c.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n")
        .unwrap();
    let chunk = format!("4000\r\n{}\r\n", "a".repeat(0x4000));
    for _ in 0..limit / 0x4000 {
        c.write_all(chunk.as_bytes()).unwrap();
    }
    c.write_all(b"1\r\na").unwrap();
    let got = read_to_close(&mut c, Duration::from_secs(5)).unwrap_or_default();
    let text = String::from_utf8_lossy(&got);
    assert_eq!(status_of(&got), Some(413), "{text}");
    assert!(
        text.contains("<Code>RequestEntityTooLarge</Code>"),
        "{text}"
    );
    s.call("DescribeVpcs", &[]).ok();
}

/// Requests that are not HTTP get a 400 and a closed connection; the server goes on.
#[test]
fn malformed_http_gets_400() {
    let s = Server::start();
    let addr = s.handle.addr();
    let cases: [&[u8]; 6] = [
        b"GARBAGE\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost x\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
    ];
    for raw in cases {
        let mut c = TcpStream::connect(addr).unwrap();
        c.write_all(raw).unwrap();
        let got = read_to_close(&mut c, Duration::from_secs(5)).unwrap_or_default();
        let status = status_of(&got);
        // A bad chunk is found while the body is read: EC2's envelope, still a 400.
        assert_eq!(
            status,
            Some(400),
            "{:?} → {}",
            String::from_utf8_lossy(raw),
            String::from_utf8_lossy(&got)
        );
    }
    // Headers past the read buffer: refused too (431), not buffered without end.
    let mut c = TcpStream::connect(addr).unwrap();
    let big = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(200 * 1024)
    );
    let _ = c.write_all(big.as_bytes());
    let got = read_to_close(&mut c, Duration::from_secs(5)).unwrap_or_default();
    assert!(
        got.is_empty() || status_of(&got).is_some_and(|s| s == 431 || s == 400),
        "{}",
        String::from_utf8_lossy(&got)
    );
    s.call("DescribeVpcs", &[]).ok();
}

// ---------------------------------------------------------------------------------------
// The binary as a process

/// The emulator binary on a free port; killed on drop if still running.
struct Process {
    child: Child,
    addr: SocketAddr,
}

impl Process {
    fn spawn() -> Process {
        Process::spawn_logging("warn", Stdio::null())
    }

    fn spawn_logging(level: &str, stderr: Stdio) -> Process {
        let mut child = Command::new(env!("CARGO_BIN_EXE_parlel-ec2"))
            .args(["--port", "0"])
            .env("RUST_LOG", level)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("spawn parlel-ec2");
        let mut out = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        // Read the address line, then keep draining so the pipe never fills.
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
                        let addr = line.rsplit("http://").next().unwrap().trim().to_string();
                        let _ = tx.send(addr);
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
        Process { child, addr }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn wait(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let t = Instant::now();
        while t.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }

    fn open_fds(&self) -> Option<usize> {
        std::fs::read_dir(format!("/proc/{}/fd", self.pid()))
            .ok()
            .map(|d| d.count())
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// 2,000 connections opened and dropped in every way: the server's descriptors come back
/// to where they were and it still answers.
#[test]
fn opening_and_dropping_two_thousand_connections_leaks_nothing() {
    let p = Process::spawn();
    let mut c = Conn::open(p.addr);
    c.call("DescribeVpcs", &[]).ok();
    drop(c);
    std::thread::sleep(Duration::from_millis(100));
    let before = p.open_fds();
    let request = form("DescribeVpcs", &[]);
    for i in 0..2000 {
        let mut s = TcpStream::connect(p.addr).unwrap();
        match i % 4 {
            0 => {}
            1 => {
                let _ = s.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Len");
            }
            2 => {
                let _ = s.write_all(
                    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nAction=Desc",
                );
            }
            _ => {
                let mut c = Conn { s, buf: Vec::new() };
                c.send(&request);
                c.recv().ok();
                continue;
            }
        }
    }
    let mut c = Conn::open(p.addr);
    c.call("DescribeVpcs", &[]).ok();
    drop(c);
    if let Some(before) = before {
        // The server closes each socket once it sees the client's FIN.
        let t = Instant::now();
        let mut now = p.open_fds().unwrap();
        while now > before + 2 && t.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(20));
            now = p.open_fds().unwrap();
        }
        assert!(
            now <= before + 2,
            "descriptors: {before} before, {now} after"
        );
    }
    Conn::open(p.addr).call("DescribeVpcs", &[]).ok();
}

/// SIGTERM: the server stops accepting, finishes the request in flight (a body still
/// arriving), answers it 200 and exits 0.
#[cfg(unix)]
#[test]
fn sigterm_finishes_requests_in_flight_then_exits_zero() {
    let mut p = Process::spawn();
    let body = form("CreateVpc", &[("CidrBlock", "10.9.0.0/16")]);
    let (first, rest) = body.split_at(body.len() / 2);
    // `Expect: 100-continue`: the server answers 100 once the handler reads the body, which
    // proves the request is in flight before the signal is sent.
    let mut c = Conn::open(p.addr);
    c.s.write_all(
        format!(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    )
    .unwrap();
    c.expect_continue();
    c.s.write_all(first.as_bytes()).unwrap();
    let kill = Command::new("kill")
        .args(["-TERM", &p.pid().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    // The listener closes first: new connections are refused.
    let t = Instant::now();
    while TcpStream::connect(p.addr).is_ok() {
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "still accepting after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        p.child.try_wait().unwrap().is_none(),
        "exited with a request in flight"
    );
    c.s.write_all(rest.as_bytes()).unwrap();
    let a = c.recv().ok();
    assert!(a.first("vpcId").starts_with("vpc-"));
    let status = p
        .wait(Duration::from_secs(10))
        .expect("exited after the request");
    assert_eq!(status.code(), Some(0), "{status:?}");
}

/// At the default level every request logs one line (written in batches, see log.rs):
/// all of them are on stderr by the time the process has exited, one per request.
#[cfg(unix)]
#[test]
fn every_request_logs_one_line_and_all_are_written_by_exit() {
    let path = std::env::temp_dir().join(format!("parlel-log-{}.txt", std::process::id()));
    let file = std::fs::File::create(&path).unwrap();
    let mut p = Process::spawn_logging("info", Stdio::from(file));
    let mut c = Conn::open(p.addr);
    for _ in 0..50 {
        c.call("DescribeVpcs", &[]).ok();
    }
    let odd = c.call("DescribeNothing", &[]);
    assert_eq!(odd.status, 400);
    let kill = Command::new("kill")
        .args(["-TERM", &p.pid().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    assert_eq!(
        p.wait(Duration::from_secs(10)).and_then(|s| s.code()),
        Some(0)
    );
    let log = std::fs::read_to_string(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    // Each request line: a timestamp, `INFO request`, then key=value fields.
    let lines: Vec<BTreeMap<&str, &str>> = log
        .lines()
        .filter_map(|l| l.split_once("  INFO request "))
        .map(|(_, fields)| {
            fields
                .split(' ')
                .map(|kv| kv.split_once('=').expect("key=value"))
                .collect()
        })
        .collect();
    assert_eq!(lines.len(), 51, "{log}");
    for l in &lines[..50] {
        assert_eq!(
            (l["action"], l["status"], l["path"]),
            ("DescribeVpcs", "200", "/")
        );
        assert!(l["micros"].parse::<u64>().is_ok(), "{l:?}");
        assert_eq!(l["request_id"].len(), 36, "{l:?}");
    }
    // An action EC2 does not have is logged as `-`, never as the client's text.
    assert_eq!((lines[50]["action"], lines[50]["status"]), ("-", "400"));
    assert!(
        log.lines().last().unwrap().ends_with("INFO stopped"),
        "{log}"
    );
}

// ---------------------------------------------------------------------------------------
// Panics

/// A panicking handler answers 500 InternalError for that request alone; the connection,
/// the server and the region (whose lock the panic poisoned) all go on working.
#[test]
fn a_panicking_handler_answers_500_and_the_server_goes_on() {
    let s = server_with(Config {
        panic_on_action: Some("CreateVpc".into()),
        ..Config::default()
    });
    let mut c = Conn::open(s.handle.addr());
    let before = c.call("DescribeVpcs", &[]).ok();
    assert_eq!(all(&before.doc(), "vpcId").len(), 1);

    let a = c.call("CreateVpc", &[("CidrBlock", "10.0.0.0/16")]);
    assert_eq!(a.status, 500, "{}", a.body);
    let doc = a.doc();
    assert_eq!(doc.root_element().tag_name().name(), "Response");
    assert_eq!(first(&doc, "Code").as_deref(), Some("InternalError"));
    assert_eq!(
        first(&doc, "Message").as_deref(),
        Some("An internal error has occurred")
    );
    let id = first(&doc, "RequestID").unwrap();
    assert!(a
        .headers
        .to_ascii_lowercase()
        .contains(&format!("x-amzn-requestid: {id}")));

    // Same connection, same region: reads and writes work. The handler had finished when
    // the fault hit, so its VPC exists and can be built on.
    let vpcs = c
        .call(
            "DescribeVpcs",
            &[
                ("Filter.1.Name", "cidr"),
                ("Filter.1.Value.1", "10.0.0.0/16"),
            ],
        )
        .ok();
    let vpc = vpcs.first("vpcId");
    let subnet = c
        .call(
            "CreateSubnet",
            &[("VpcId", &vpc), ("CidrBlock", "10.0.0.0/24")],
        )
        .ok()
        .first("subnetId");
    c.call(
        "RunInstances",
        &[
            ("ImageId", AMI),
            ("MinCount", "1"),
            ("MaxCount", "1"),
            ("SubnetId", &subnet),
        ],
    )
    .ok();
    let d = c.call("DescribeSubnets", &[("SubnetId.1", &subnet)]).ok();
    assert_eq!(d.first("availableIpAddressCount"), "250");
    // Again, while other clients are busy: only the faulty calls fail.
    let addr = s.handle.addr();
    let others: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(move || {
                let mut c = Conn::open(addr);
                for _ in 0..25 {
                    c.call("DescribeInstances", &[]).ok();
                }
            })
        })
        .collect();
    for _ in 0..10 {
        assert_eq!(
            c.call("CreateVpc", &[("CidrBlock", "10.1.0.0/16")]).status,
            500
        );
    }
    for h in others {
        h.join().unwrap();
    }
    assert_eq!(
        all(&c.call("DescribeVpcs", &[]).ok().doc(), "vpcId").len(),
        12
    );
}

// ---------------------------------------------------------------------------------------
// Fuzzing's inputs, replayed

#[path = "../fuzz/harness.rs"]
mod fuzz_harness;

/// Every seed of the two fuzz targets, and every input a fuzz run ever crashed on
/// (tests/fuzz/regressions/), through the same harness as `cargo fuzz run`.
#[test]
fn fuzz_seeds_and_regressions_replay_cleanly() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let mut replayed = 0;
    for (target, run) in [
        ("query_decode", fuzz_harness::query_decode as fn(&[u8])),
        ("request_path", fuzz_harness::request_path),
    ] {
        for dir in [
            root.join("corpus").join(target),
            root.join("regressions").join(target),
        ] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
            files.sort();
            for f in files {
                let name = f.file_name().unwrap().to_string_lossy().to_string();
                if dir.ends_with(target)
                    && dir.parent().unwrap().ends_with("corpus")
                    && !name.starts_with("seed-")
                {
                    continue; // a local fuzz run's finds, not committed
                }
                let data = std::fs::read(&f).unwrap();
                if std::panic::catch_unwind(|| run(&data)).is_err() {
                    panic!("{target} panics on {}", f.display());
                }
                replayed += 1;
            }
        }
    }
    assert!(
        replayed >= 80,
        "only {replayed} inputs found under {}",
        root.display()
    );
}
