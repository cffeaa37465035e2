//! The benchmark harness (`cargo bench --bench ec2 -- run …`; `bash tests/bench/run.sh`
//! installs the tools and runs it). It starts the release binary, a minimal hyper server
//! answering fixed bodies (`fixed_body.rs`) and, when given, moto's server; drives them
//! with wrk (`request.lua`) at 16 connections, interleaved round by round; measures
//! start-up, resident memory and paging with a plain TCP client (`client.rs`); and writes
//! `target/bench/results.md`. Besides DescribeInstances it measures the newer Describes
//! (volumes, snapshots, interfaces, route tables, addresses, images, instance types,
//! launch templates) at 1,000 of each kind, and pages volumes, interfaces and snapshots
//! at the large instance count.
//!
//! Issue #12's costs (run 9 on), each its own part: `durable` — a mutating request
//! (CreateTags, the same tag on one VPC) in memory against `--data-dir` on the disk, with
//! the journal's bytes per request; `startup` — start-up from a journal of `Options::mid`
//! and `Options::large` instances (10,000 and 100,000); `sigv4` — a small call signed with
//! SigV4 once and sent as it is, `--verify-signatures` on against off.
//!
//! `PARLEL_BENCH_ONLY=durable,startup,sigv4` (any of those and `main`, comma-separated)
//! runs only the parts named; `main` is everything above. Unset or empty: every part.
//! `PARLEL_BENCH_ONLY=durable,startup,sigv4 bash tests/bench/run.sh` takes ~1 minute
//! after the build.
//!
//! All traffic goes to 127.0.0.1. Every loop is bounded by a count and every wait by a
//! deadline; the servers it starts are killed when it ends (and the yardstick server
//! exits by itself after 30 minutes).

mod client;
mod fixed_body;

use client::{all_elements, element_count, first_element, Conn};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const AMI: &str = "ami-0abcdef1234567890";
const UNKNOWN_ID: &str = "i-0123456789abcdef0";
const TAG_FILTER: &str = "Filter.1.Name=tag:env&Filter.1.Value.1=prod";
/// Connections for every throughput measurement.
const CONNECTIONS: usize = 16;
/// A moto request slower than this is measured sequentially on one connection: 16 of
/// them in flight at once would not finish inside a window (moto is CPU-bound under the
/// GIL, so concurrency does not raise its throughput).
const MOTO_SEQUENTIAL_ABOVE: Duration = Duration::from_millis(250);

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.first().map(String::as_str) {
        Some("fixed-body-server") => {
            if let Err(e) = fixed_body::serve() {
                eprintln!("fixed-body server: {e}");
                std::process::exit(1);
            }
        }
        Some("run") => run(Options::parse(&args[1..])),
        _ => {
            eprintln!(
                "usage: ec2 run [--bin PATH] [--wrk PATH] [--moto PATH] [--out DIR] [--quick]\n       ec2 fixed-body-server"
            );
            std::process::exit(2);
        }
    }
}

struct Options {
    bin: PathBuf,
    wrk: PathBuf,
    moto: Option<PathBuf>,
    moto_note: String,
    out: PathBuf,
    lua: PathBuf,
    /// Seconds per wrk run against parlel-ec2 and the yardstick, and rounds.
    secs: u64,
    rounds: usize,
    /// Seconds per wrk run against moto.
    moto_secs: u64,
    startups: usize,
    /// Instance counts of the large workloads.
    mid: usize,
    large: usize,
    /// Largest projected time to fill moto with `mid` instances before that part is skipped.
    moto_fill_budget: Duration,
}

impl Options {
    fn parse(args: &[String]) -> Options {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut o = Options {
            bin: PathBuf::from(env!("CARGO_BIN_EXE_parlel-ec2")),
            wrk: PathBuf::from("wrk"),
            moto: None,
            moto_note: String::new(),
            out: here.join("target/bench"),
            lua: here.join("tests/bench/request.lua"),
            secs: 3,
            rounds: 3,
            moto_secs: 2,
            startups: 20,
            mid: 10_000,
            large: 100_000,
            moto_fill_budget: Duration::from_secs(240),
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut val = || it.next().cloned().expect("a value after the flag");
            match a.as_str() {
                "--bin" => o.bin = val().into(),
                "--wrk" => o.wrk = val().into(),
                "--moto" => o.moto = Some(val().into()),
                "--moto-note" => o.moto_note = val(),
                "--out" => o.out = val().into(),
                "--quick" => {
                    o.secs = 1;
                    o.rounds = 1;
                    o.moto_secs = 1;
                    o.startups = 3;
                    o.mid = 2_000;
                    o.large = 5_000;
                    o.moto_fill_budget = Duration::from_secs(30);
                }
                other => panic!("unknown argument {other}"),
            }
        }
        o
    }
}

// ---------------------------------------------------------------- processes

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn pid(&self) -> u32 {
        self.child.id()
    }
    fn conn(&self) -> Conn {
        Conn::new(self.addr)
    }
    fn rss_kib(&self) -> u64 {
        rss_kib(self.pid())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Waits (bounded) for `needle` followed by an address in a log file.
fn wait_for_address(log: &Path, needle: &str, child: &mut Child) -> SocketAddr {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(text) = std::fs::read_to_string(log) {
            if let Some(i) = text.find(needle) {
                let rest = &text[i + needle.len()..];
                let addr = rest.split_whitespace().next().unwrap_or("");
                if let Ok(a) = addr.parse() {
                    return a;
                }
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{} exited early ({status}); see {}", needle, log.display());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    panic!("no '{needle}' in {} within 30 s", log.display());
}

fn log_file(o: &Options, name: &str) -> (PathBuf, std::fs::File) {
    let p = o.out.join(format!("{name}.log"));
    let f = std::fs::File::create(&p).expect("log file");
    (p, f)
}

/// parlel-ec2 as users run it: default settings and log level, logs to a file.
fn start_parlel(o: &Options, name: &str) -> Server {
    start_parlel_with(o, name, None)
}

fn start_parlel_with(o: &Options, name: &str, rust_log: Option<&str>) -> Server {
    start_parlel_args(o, name, rust_log, &[])
}

/// parlel-ec2 with more flags (`--data-dir`, `--verify-signatures`).
fn start_parlel_args(o: &Options, name: &str, rust_log: Option<&str>, args: &[&str]) -> Server {
    let (path, f) = log_file(o, name);
    let mut cmd = Command::new(&o.bin);
    if let Some(level) = rust_log {
        cmd.env("RUST_LOG", level);
    }
    let mut child = cmd
        .args(["--port", "0"])
        .args(args)
        .stdout(f.try_clone().expect("log"))
        .stderr(f)
        .spawn()
        .expect("start parlel-ec2");
    let addr = wait_for_address(&path, "listening on http://", &mut child);
    let s = Server { child, addr };
    let r = s
        .conn()
        .request("GET", "/_parlel/health", b"")
        .expect("health");
    assert_eq!(r.status, 200);
    s
}

/// Stops a server as a service manager would: SIGTERM, then a bounded wait for its exit.
fn stop_gracefully(mut s: Server) {
    let pid = s.pid();
    let sent = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .is_ok_and(|st| st.success());
    assert!(sent, "kill -TERM {pid}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = s.child.try_wait() {
            assert!(
                status.success(),
                "parlel-ec2 stopped with {status} on SIGTERM"
            );
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("parlel-ec2 (pid {pid}) did not stop within 30 s of SIGTERM");
}

fn start_fixed(o: &Options) -> Server {
    let (path, f) = log_file(o, "fixed-body");
    let mut child = Command::new(std::env::current_exe().expect("own path"))
        .arg("fixed-body-server")
        .stdout(f.try_clone().expect("log"))
        .stderr(f)
        .spawn()
        .expect("start the fixed-body server");
    let addr = wait_for_address(&path, "listening on http://", &mut child);
    Server { child, addr }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Waits (bounded) until the server answers any HTTP request.
fn wait_http(addr: SocketAddr, child: &mut Child, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if Conn::new(addr).request("GET", "/", b"").is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited early ({status})");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("{what} did not answer within 60 s");
}

fn start_moto(o: &Options, moto: &Path, name: &str) -> Server {
    let (_, f) = log_file(o, name);
    let port = free_port();
    let mut child = Command::new(moto)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(f.try_clone().expect("log"))
        .stderr(f)
        .spawn()
        .expect("start moto_server");
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("address");
    wait_http(addr, &mut child, "moto_server");
    Server { child, addr }
}

// ---------------------------------------------------------------- state

fn form(action: &str, rest: &str) -> String {
    if rest.is_empty() {
        format!("Action={action}&Version=2016-11-15")
    } else {
        format!("Action={action}&Version=2016-11-15&{rest}")
    }
}

fn ec2_ok(conn: &mut Conn, f: &str) -> String {
    let r = conn.ec2(f).unwrap_or_else(|e| panic!("{f}: {e}"));
    assert_eq!(r.status, 200, "{f}: {}", r.text());
    r.text().to_string()
}

/// A VPC and one subnet covering it: `/16` gives 65,531 addresses.
fn big_subnet(conn: &mut Conn, second_octet: u8) -> String {
    let vpc = ec2_ok(
        conn,
        &form("CreateVpc", &format!("CidrBlock=10.{second_octet}.0.0/16")),
    );
    let vpc_id = first_element(&vpc, "vpcId").expect("vpcId").to_string();
    let sub = ec2_ok(
        conn,
        &form(
            "CreateSubnet",
            &format!("VpcId={vpc_id}&CidrBlock=10.{second_octet}.0.0/16"),
        ),
    );
    first_element(&sub, "subnetId")
        .expect("subnetId")
        .to_string()
}

/// Launches instances until there are `target` (counting from `*count`): blocks of 100
/// launched as one RunInstances of 99 and one of a single instance tagged `env=prod`, so
/// 1% carry the tag. The default subnets hold 24,546; beyond ~24,000 the launches go to
/// /16 subnets in two new VPCs (parlel-ec2 only: moto is never filled that far). They go
/// there sooner when the default subnets are full for the default instance type: m1.small
/// is offered in 4 of us-east-1's 6 zones, and RunInstances without a subnet picks a
/// zone that offers the type, so 4 × 4,091 = 16,364 fit.
struct Fill {
    count: usize,
    subnets: Vec<(String, usize)>,
    millis: u128,
    /// The default subnets answered InsufficientFreeAddressesInSubnet.
    default_full: bool,
}

impl Fill {
    fn new() -> Fill {
        Fill {
            count: 0,
            subnets: Vec::new(),
            millis: 0,
            default_full: false,
        }
    }

    fn to(&mut self, conn: &mut Conn, target: usize) -> Vec<String> {
        let started = Instant::now();
        let mut first_ids = Vec::new();
        let mut guard = 0;
        while self.count < target {
            guard += 1;
            assert!(guard < 10 * target + 10, "fill loop ran away");
            let in_block = self.count % 100;
            let (n, tagged) = if in_block == 99 {
                (1, true)
            } else {
                ((99 - in_block).min(target - self.count), false)
            };
            let mut f = form(
                "RunInstances",
                &format!("ImageId={AMI}&MinCount={n}&MaxCount={n}"),
            );
            if tagged {
                f.push_str("&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=env&TagSpecification.1.Tag.1.Value=prod");
            }
            let in_big = self.count + n > 24_000 || self.default_full;
            if in_big {
                if self.subnets.iter().all(|(_, free)| *free < n) {
                    let octet = self.subnets.len() as u8;
                    let id = big_subnet(conn, octet);
                    self.subnets.push((id, 65_000));
                }
                let (id, free) = self
                    .subnets
                    .iter_mut()
                    .find(|(_, free)| *free >= n)
                    .expect("a subnet with room");
                *free -= n;
                f.push_str(&format!("&SubnetId={id}"));
            }
            let r = conn.ec2(&f).unwrap_or_else(|e| panic!("{f}: {e}"));
            if !in_big
                && r.status == 400
                && r.text()
                    .contains("<Code>InsufficientFreeAddressesInSubnet</Code>")
            {
                self.default_full = true;
                continue;
            }
            assert_eq!(r.status, 200, "{f}: {}", r.text());
            let xml = r.text();
            if first_ids.len() < 10 {
                first_ids.extend(
                    all_elements(xml, "instanceId")
                        .into_iter()
                        .map(str::to_string),
                );
            }
            self.count += n;
        }
        self.millis += started.elapsed().as_millis();
        first_ids
    }
}

// ---------------------------------------------------------------- load

#[derive(Clone, Copy, Default, Debug)]
struct Load {
    rps: f64,
    p50_us: f64,
    p99_us: f64,
    requests: u64,
    /// Responses whose status was not the expected one, plus socket errors.
    unexpected: u64,
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    v[v.len() / 2]
}

fn combine(runs: &[Load]) -> Load {
    Load {
        rps: median(runs.iter().map(|l| l.rps).collect()),
        p50_us: median(runs.iter().map(|l| l.p50_us).collect()),
        p99_us: median(runs.iter().map(|l| l.p99_us).collect()),
        requests: runs.iter().map(|l| l.requests).sum(),
        unexpected: runs.iter().map(|l| l.unexpected).sum(),
    }
}

/// One wrk run: `CONNECTIONS` connections on 2 threads for `secs`, optionally capped.
fn wrk(
    o: &Options,
    addr: SocketAddr,
    path: &str,
    body: &str,
    secs: u64,
    cap_per_thread: u64,
    expect_ok: bool,
) -> Load {
    wrk_env(o, addr, path, body, secs, cap_per_thread, expect_ok, &[])
}

/// [`wrk`] with more of `request.lua`'s settings (`BENCH_AUTHORIZATION`, …).
#[allow(clippy::too_many_arguments)]
fn wrk_env(
    o: &Options,
    addr: SocketAddr,
    path: &str,
    body: &str,
    secs: u64,
    cap_per_thread: u64,
    expect_ok: bool,
    env: &[(&str, String)],
) -> Load {
    let out = Command::new(&o.wrk)
        .args([
            "-t2",
            &format!("-c{CONNECTIONS}"),
            &format!("-d{secs}s"),
            "--timeout",
            "30s",
            "-s",
        ])
        .arg(&o.lua)
        .arg(format!("http://{addr}"))
        .env("BENCH_PATH", path)
        .env("BENCH_BODY", body)
        .env("BENCH_MAX_PER_THREAD", cap_per_thread.to_string())
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null())
        .output()
        .expect("run wrk");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("BENCH_RESULT"))
        .unwrap_or_else(|| panic!("wrk said: {text} {}", String::from_utf8_lossy(&out.stderr)));
    let field = |k: &str| -> f64 {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(k).and_then(|v| v.strip_prefix('=')))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    let requests = field("requests") as u64;
    let status_errors = field("status_errors") as u64;
    let socket = (field("connect_errors")
        + field("read_errors")
        + field("write_errors")
        + field("timeouts")) as u64;
    let unexpected = if expect_ok {
        status_errors + socket
    } else {
        requests - status_errors.min(requests) + socket
    };
    Load {
        rps: requests as f64 / (field("duration_us") / 1e6),
        p50_us: field("p50_us"),
        p99_us: field("p99_us"),
        requests,
        unexpected,
    }
}

/// `n` requests one after another on one connection.
fn sequential(conn: &mut Conn, path: &str, body: &str, n: usize, expect_ok: bool) -> Load {
    let mut times = Vec::with_capacity(n);
    let mut unexpected = 0;
    let started = Instant::now();
    for _ in 0..n {
        let t = Instant::now();
        let r = conn
            .request("POST", path, body.as_bytes())
            .expect("request");
        times.push(t.elapsed().as_secs_f64() * 1e6);
        if (r.status == 200) != expect_ok {
            unexpected += 1;
        }
    }
    let total = started.elapsed().as_secs_f64();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    let pct = |p: f64| sorted[((sorted.len() as f64 - 1.0) * p).round() as usize];
    Load {
        rps: n as f64 / total,
        p50_us: pct(0.5),
        p99_us: pct(0.99),
        requests: n as u64,
        unexpected,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Who {
    Parlel,
    Moto,
}

struct Row {
    title: String,
    body_bytes: usize,
    moto_body_bytes: Option<usize>,
    parlel: Load,
    hyper: Load,
    moto: Option<Load>,
    moto_how: String,
    /// Which target each ratio is held to: (× moto, share of hyper).
    target: Option<(f64, f64)>,
}

struct Bench<'a> {
    o: &'a Options,
    hyper: &'a Server,
    rows: Vec<Row>,
    notes: Vec<String>,
}

impl Bench<'_> {
    /// One workload against parlel-ec2, the yardstick and moto, interleaved round by
    /// round. `prepare` gives the form body for a target and round (and may reset state).
    #[allow(clippy::too_many_arguments)]
    fn compare(
        &mut self,
        title: &str,
        parlel: &Server,
        moto: Option<&Server>,
        mut prepare: impl FnMut(Who, usize) -> String,
        expect_ok: bool,
        cap_per_thread: u64,
        target: Option<(f64, f64)>,
    ) {
        let o = self.o;
        eprintln!("== {title}");
        let probe_form = prepare(Who::Parlel, usize::MAX);
        let probe = parlel.conn().ec2(&probe_form).expect("probe");
        assert_eq!(probe.status == 200, expect_ok, "{title}: {}", probe.text());
        let size = probe.body.len();
        let hyper_path = format!("/bytes/{size}");

        // moto: probe once, then 16 connections with wrk, or one connection in sequence
        // when a single request is slow.
        let mut moto_size = None;
        let mut moto_seq = None;
        let mut moto_took = Duration::ZERO;
        let mut moto_fell_back = false;
        let per_round = |took: Duration| (2.0 / took.as_secs_f64()).ceil().clamp(1.0, 5.0) as usize;
        if let Some(m) = moto {
            // Twice: moto's first request of a kind can be much slower than the rest.
            let f = prepare(Who::Moto, usize::MAX);
            m.conn().ec2(&f).expect("moto probe");
            let f = prepare(Who::Moto, usize::MAX);
            let t = Instant::now();
            let r = m.conn().ec2(&f).expect("moto probe");
            let took = t.elapsed();
            moto_took = took;
            assert_eq!(r.status == 200, expect_ok, "moto {title}: {}", r.text());
            moto_size = Some(r.body.len());
            if took > MOTO_SEQUENTIAL_ABOVE {
                moto_seq = Some(per_round(took));
            }
        }

        let (mut p, mut h, mut m) = (Vec::new(), Vec::new(), Vec::new());
        // A capped workload (RunInstances: what one /16 subnet holds) runs 1 s rounds, so
        // the cap bounds the state but not the rate (2 × 30,000 in 3 s read as 20,000/s
        // flat in runs 5–7, whatever the server did).
        let secs = if cap_per_thread > 0 { 1 } else { o.secs };
        for round in 0..o.rounds {
            let f = prepare(Who::Parlel, round);
            p.push(wrk(
                o,
                parlel.addr,
                "/",
                &f,
                secs,
                cap_per_thread,
                expect_ok,
            ));
            h.push(wrk(o, self.hyper.addr, &hyper_path, &f, secs, 0, true));
            if let Some(ms) = moto {
                let f = prepare(Who::Moto, round);
                match moto_seq {
                    Some(n) => m.push(sequential(&mut ms.conn(), "/", &f, n, expect_ok)),
                    None => {
                        let l = wrk(o, ms.addr, "/", &f, o.moto_secs, 0, expect_ok);
                        if l.requests >= CONNECTIONS as u64 {
                            m.push(l);
                        } else {
                            // Not one answer per connection inside the round (a request
                            // just under the sequential threshold, 16 at once under the
                            // GIL): measure this and the earlier rounds in sequence.
                            let n = per_round(moto_took);
                            moto_seq = Some(n);
                            moto_fell_back = true;
                            m.clear();
                            for _ in 0..=round {
                                m.push(sequential(&mut ms.conn(), "/", &f, n, expect_ok));
                            }
                        }
                    }
                }
            }
            eprintln!(
                "   round {round}: parlel {:.0}/s, hyper {:.0}/s{}",
                p[round].rps,
                h[round].rps,
                m.last()
                    .map_or(String::new(), |l| format!(", moto {:.1}/s", l.rps))
            );
        }
        let moto_how = match (moto, moto_seq) {
            (None, _) => "not run".to_string(),
            (Some(_), Some(n)) if moto_fell_back => format!(
                "1 connection, {n} requests × {} rounds ({CONNECTIONS} connections answered fewer than {CONNECTIONS} requests in a {} s round)",
                o.rounds, o.moto_secs
            ),
            (Some(_), Some(n)) => format!("1 connection, {n} requests × {} rounds", o.rounds),
            (Some(_), None) => format!(
                "{CONNECTIONS} connections, {} s × {} rounds",
                o.moto_secs, o.rounds
            ),
        };
        self.rows.push(Row {
            title: title.to_string(),
            body_bytes: size,
            moto_body_bytes: moto_size,
            parlel: combine(&p),
            hyper: combine(&h),
            moto: moto.map(|_| combine(&m)),
            moto_how,
            target,
        });
    }
}

// ---------------------------------------------------------------- start-up

struct Startup {
    listening_ms: Vec<f64>,
    health_ms: Vec<f64>,
}

/// Process start to the printed address, and to the first 200 on `health_path`.
fn startup(cmd: &mut dyn FnMut() -> Command, health_path: &str, n: usize) -> Startup {
    let mut out = Startup {
        listening_ms: Vec::new(),
        health_ms: Vec::new(),
    };
    for _ in 0..n {
        let t0 = Instant::now();
        let mut child = cmd()
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("first line");
        let listening = t0.elapsed();
        let addr: SocketAddr = line
            .split("http://")
            .nth(1)
            .and_then(|a| a.trim().parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        let mut ok = false;
        for _ in 0..2000 {
            if let Ok(r) = Conn::new(addr).request("GET", health_path, b"") {
                if r.status == 200 {
                    ok = true;
                    break;
                }
            }
            std::thread::sleep(Duration::from_micros(500));
        }
        let health = t0.elapsed();
        let _ = child.kill();
        let _ = child.wait();
        assert!(ok, "no 200 on {health_path}");
        out.listening_ms.push(listening.as_secs_f64() * 1e3);
        out.health_ms.push(health.as_secs_f64() * 1e3);
    }
    out
}

fn moto_startup(moto: &Path, n: usize) -> Vec<f64> {
    let mut v = Vec::new();
    for _ in 0..n {
        let port = free_port();
        let t0 = Instant::now();
        let mut child = Command::new(moto)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto");
        wait_http(
            format!("127.0.0.1:{port}").parse().expect("addr"),
            &mut child,
            "moto_server",
        );
        v.push(t0.elapsed().as_secs_f64() * 1e3);
        let _ = child.kill();
        let _ = child.wait();
    }
    v
}

// ---------------------------------------------------------------- paging

/// Pages through every instance at `max_results`; the time of each page.
fn walk(conn: &mut Conn, max_results: usize, max_pages: usize) -> (Vec<f64>, usize) {
    let mut times = Vec::new();
    let mut seen = 0;
    let mut token: Option<String> = None;
    for _ in 0..max_pages {
        let mut f = form("DescribeInstances", &format!("MaxResults={max_results}"));
        if let Some(t) = &token {
            f.push_str(&format!("&NextToken={t}"));
        }
        let t = Instant::now();
        let r = conn.ec2(&f).expect("page");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(r.status, 200, "{}", r.text());
        let xml = r.text();
        seen += xml.matches("<instanceId>").count();
        token = first_element(xml, "nextToken").map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    (times, seen)
}

// ---------------------------------------------------------------- the newer Describes

/// Resources of each kind for the newer Describes' throughput rows (both modes: the
/// emulator creates them in well under a second).
const NEWER_N: usize = 1000;
/// Route tables per VPC and VPCs per Region: EC2's default quotas (Amazon VPC quotas).
/// parlel-ec2 enforces neither, but 5 × 200 holds the rows' 1,000 route tables within them.
const TABLES_PER_VPC: usize = 200;
/// Snapshots for the paging measurement are created up to the instance count only when
/// that is projected to take at most this long; otherwise up to `Options::mid`.
const SNAPSHOT_FILL_BUDGET: Duration = Duration::from_secs(30);

/// The distinct `<element>` values of one answer, in the order they first appear (an id
/// can appear twice in an item: a volume's id is in its attachment too).
fn unique_elements(xml: &str, element: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    all_elements(xml, element)
        .into_iter()
        .filter(|v| seen.insert(*v))
        .map(str::to_string)
        .collect()
}

/// The distinct `<element>` values of one Describe answer.
fn ids_of(conn: &mut Conn, f: &str, element: &str) -> Vec<String> {
    unique_elements(&ec2_ok(conn, f), element)
}

/// `n` requests made by `make(i)`, one after another, each answered 200; how long they took.
fn create_n(conn: &mut Conn, n: usize, mut make: impl FnMut(usize) -> String) -> Duration {
    let t = Instant::now();
    for i in 0..n {
        ec2_ok(conn, &make(i));
    }
    t.elapsed()
}

/// The snapshot, image and template requests the rows fill with.
fn create_snapshot_form(volume_id: &str) -> String {
    form("CreateSnapshot", &format!("VolumeId={volume_id}"))
}

fn register_image_form(i: usize, snapshot_id: &str) -> String {
    form(
        "RegisterImage",
        &format!(
            "Name=bench-image-{i}&Architecture=x86_64&VirtualizationType=hvm&RootDeviceName=/dev/xvda&BlockDeviceMapping.1.DeviceName=/dev/xvda&BlockDeviceMapping.1.Ebs.SnapshotId={snapshot_id}"
        ),
    )
}

fn launch_template_form(i: usize) -> String {
    form(
        "CreateLaunchTemplate",
        &format!(
            "LaunchTemplateName=bench-template-{i}&LaunchTemplateData.ImageId={AMI}&LaunchTemplateData.InstanceType=t3.micro"
        ),
    )
}

/// Route tables until the Region holds `total`: up to `TABLES_PER_VPC` in the default VPC
/// (the Region's only VPC so far; its main table counts), then in new VPCs
/// `10.{20+k}.0.0/16` (each with its main table).
fn fill_route_tables(conn: &mut Conn, total: usize) {
    let describe = form("DescribeRouteTables", "");
    let mut have = ids_of(conn, &describe, "routeTableId").len();
    let vpcs = ids_of(conn, &form("DescribeVpcs", ""), "vpcId");
    assert_eq!(
        vpcs.len(),
        1,
        "only the default VPC before the route tables"
    );
    let mut vpc = vpcs[0].clone();
    let mut in_vpc = have;
    let mut octet = 20u8;
    let mut guard = 0;
    while have < total {
        guard += 1;
        assert!(guard < 2 * total + 10, "route-table fill ran away");
        if in_vpc >= TABLES_PER_VPC {
            let v = ec2_ok(
                conn,
                &form("CreateVpc", &format!("CidrBlock=10.{octet}.0.0/16")),
            );
            octet += 1;
            vpc = first_element(&v, "vpcId").expect("vpcId").to_string();
            // The new VPC's main route table.
            in_vpc = 1;
            have += 1;
            continue;
        }
        ec2_ok(conn, &form("CreateRouteTable", &format!("VpcId={vpc}")));
        in_vpc += 1;
        have += 1;
    }
}

/// Every page of one Describe at `max_results`, `extra` added to each request; the time of
/// each page and the distinct `id_element` values seen (in order when `keep` is given).
fn walk_kind(
    conn: &mut Conn,
    action: &str,
    extra: &str,
    id_element: &str,
    max_results: usize,
    max_pages: usize,
    mut keep: Option<&mut Vec<String>>,
) -> (Vec<f64>, usize) {
    let mut times = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut token: Option<String> = None;
    for _ in 0..max_pages {
        let mut f = form(action, &format!("MaxResults={max_results}{extra}"));
        if let Some(t) = &token {
            f.push_str(&format!("&NextToken={t}"));
        }
        let t = Instant::now();
        let r = conn.ec2(&f).expect("page");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(r.status, 200, "{action}: {}", r.text());
        let xml = r.text();
        for id in unique_elements(xml, id_element) {
            if seen.insert(id.clone()) {
                if let Some(k) = keep.as_deref_mut() {
                    k.push(id);
                }
            }
        }
        token = first_element(xml, "nextToken").map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    (times, seen.len())
}

/// One kind paged through at MaxResults 1000: median time per page position over 3
/// walks, the page size, and the yardstick answering the same body size in sequence.
struct KindPaging {
    kind: String,
    items: usize,
    page_bytes: usize,
    page_median: Vec<f64>,
    hyper_p50_us: f64,
    /// The same request (MaxResults 1000) when the Region held only 1,000 of the kind:
    /// sequential p50, in µs.
    at_1000_p50_us: Option<f64>,
}

#[allow(clippy::too_many_arguments)]
fn page_kind(
    conn: &mut Conn,
    hyper: &Server,
    kind: &str,
    action: &str,
    extra: &str,
    id_element: &str,
    expect: usize,
    at_1000_p50_us: Option<f64>,
    mut keep: Option<&mut Vec<String>>,
) -> KindPaging {
    eprintln!("== paging {kind}");
    let mut walks = Vec::new();
    for w in 0..3 {
        let k = if w == 0 { keep.as_deref_mut() } else { None };
        let (t, seen) = walk_kind(conn, action, extra, id_element, 1000, expect / 1000 + 5, k);
        assert_eq!(seen, expect, "paging {kind} saw every item once");
        walks.push(t);
    }
    let pages = walks[0].len();
    let page_median: Vec<f64> = (0..pages)
        .map(|i| median(walks.iter().map(|w| w[i]).collect()))
        .collect();
    let first = form(action, &format!("MaxResults=1000{extra}"));
    let page_bytes = conn.ec2(&first).expect("page").body.len();
    let hyper_page = sequential(
        &mut hyper.conn(),
        &format!("/bytes/{page_bytes}"),
        &first,
        pages,
        true,
    );
    KindPaging {
        kind: kind.to_string(),
        items: expect,
        page_bytes,
        page_median,
        hyper_p50_us: hyper_page.p50_us,
        at_1000_p50_us,
    }
}

/// CreateSnapshot of each volume in `volumes`, spread over 4 connections; how long it took.
fn snapshot_each(addr: SocketAddr, volumes: &[String]) -> Duration {
    let t = Instant::now();
    let chunk = volumes.len().div_ceil(4).max(1);
    std::thread::scope(|s| {
        for part in volumes.chunks(chunk) {
            s.spawn(move || {
                let mut conn = Conn::new(addr);
                for v in part {
                    ec2_ok(&mut conn, &create_snapshot_form(v));
                }
            });
        }
    });
    t.elapsed()
}

/// Mean of the first and of the last (up to) 10 entries.
fn first_last_10(v: &[f64]) -> (f64, f64) {
    let n = v.len().min(10);
    let first = v[..n].iter().sum::<f64>() / n as f64;
    let last = v[v.len() - n..].iter().sum::<f64>() / n as f64;
    (first, last)
}

// ---------------------------------------------------------------- issue #12's costs

/// The parts of a run; `PARLEL_BENCH_ONLY` (comma-separated names) picks some.
struct Parts {
    main: bool,
    durable: bool,
    startup: bool,
    sigv4: bool,
}

impl Parts {
    const NAMES: [&'static str; 4] = ["main", "durable", "startup", "sigv4"];

    fn from_env() -> Parts {
        let v = std::env::var("PARLEL_BENCH_ONLY").unwrap_or_default();
        if v.trim().is_empty() {
            return Parts {
                main: true,
                durable: true,
                startup: true,
                sigv4: true,
            };
        }
        let mut p = Parts {
            main: false,
            durable: false,
            startup: false,
            sigv4: false,
        };
        for name in v.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "main" => p.main = true,
                "durable" => p.durable = true,
                "startup" => p.startup = true,
                "sigv4" => p.sigv4 = true,
                other => panic!(
                    "PARLEL_BENCH_ONLY: unknown part {other:?} (the parts: {})",
                    Parts::NAMES.join(", ")
                ),
            }
        }
        p
    }

    fn flags(&self) -> [bool; 4] {
        [self.main, self.durable, self.startup, self.sigv4]
    }

    fn all(&self) -> bool {
        self.flags().iter().all(|f| *f)
    }

    fn names(&self) -> String {
        Parts::NAMES
            .iter()
            .zip(self.flags())
            .filter(|(_, on)| *on)
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A data directory under the output folder, removed first; the server makes it.
fn fresh_data_dir(o: &Options, name: &str) -> (PathBuf, String) {
    let dir = o.out.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let s = dir.to_str().expect("a UTF-8 output path").to_string();
    (dir, s)
}

fn file_len(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

/// The file system a path is on, as `df -T` names it.
fn file_system(p: &Path) -> String {
    sh(&format!(
        "df -T '{}' | tail -1 | awk '{{print $2 \" on \" $1}}'",
        p.display()
    ))
}

fn kib(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / (1u64 << 20) as f64)
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

/// Durable state: CreateTags with the same tag on one VPC — a change journaled every
/// time whose cost does not grow with the state — in memory and with `--data-dir`, wrk
/// at `CONNECTIONS` connections (interleaved rounds) and one connection in sequence.
fn durable(o: &Options, md: &mut String) {
    eprintln!("== durable state: CreateTags in memory and with --data-dir");
    let (dir, dir_s) = fresh_data_dir(o, "durable-data");
    let journal = dir.join("journal");
    let mem = start_parlel(o, "parlel-durable-memory");
    let disk = start_parlel_args(o, "parlel-durable-disk", None, &["--data-dir", &dir_s]);
    let tag_form = |s: &Server| {
        let mut c = s.conn();
        let vpc = ec2_ok(&mut c, &form("CreateVpc", "CidrBlock=10.0.0.0/16"));
        let id = first_element(&vpc, "vpcId").expect("vpcId").to_string();
        form(
            "CreateTags",
            &format!("ResourceId.1={id}&Tag.1.Key=env&Tag.1.Value=bench"),
        )
    };
    let (mem_form, disk_form) = (tag_form(&mem), tag_form(&disk));
    assert_eq!(mem_form.len(), disk_form.len(), "the same body size");

    // The journal's bytes for one request, exactly: 100 in sequence.
    let before = file_len(&journal);
    let mut c = disk.conn();
    for _ in 0..100 {
        ec2_ok(&mut c, &disk_form);
    }
    let per_request = (file_len(&journal) - before) / 100;
    assert!(per_request > 0, "CreateTags is journaled");

    let (mut m, mut d) = (Vec::new(), Vec::new());
    let (mut disk_requests, mut disk_bytes) = (0u64, 0u64);
    for round in 0..o.rounds {
        m.push(wrk(o, mem.addr, "/", &mem_form, o.secs, 0, true));
        let before = file_len(&journal);
        let l = wrk(o, disk.addr, "/", &disk_form, o.secs, 0, true);
        disk_bytes += file_len(&journal) - before;
        disk_requests += l.requests;
        d.push(l);
        eprintln!(
            "   round {round}: in memory {:.0}/s, --data-dir {:.0}/s",
            m[round].rps, d[round].rps
        );
    }
    let (m, d) = (combine(&m), combine(&d));
    let seq = 300;
    let m1 = sequential(&mut mem.conn(), "/", &mem_form, seq, true);
    let d1 = sequential(&mut disk.conn(), "/", &disk_form, seq, true);
    let journal_total = file_len(&journal);
    drop(mem);
    drop(disk);

    let _ = writeln!(
        md,
        "\n### Durable state: a mutating request in memory and with `--data-dir`\n"
    );
    let _ = writeln!(md, "CreateTags with the same tag on one VPC ({} body bytes; the state does not grow, but every request is a change the journal records). `--data-dir` is a new directory under `{}` ({}); each response waits for its record's `fdatasync`, one flush shared by the requests waiting at once (group commit). {CONNECTIONS} connections: median of {} interleaved rounds of {} s; 1 connection: {seq} requests one after another. Latencies in ms.\n",
        mem_form.len(), o.out.display(), file_system(&o.out), o.rounds, o.secs);
    let _ = writeln!(
        md,
        "| state | connections | req/s | p50 | p99 | journal bytes per request | % of in memory |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|");
    let row = |md: &mut String, what: &str, n: usize, l: &Load, bytes: &str, base: &Load| {
        let _ = writeln!(
            md,
            "| {what} | {n} | {} | {} | {} | {bytes} | {:.0}% |",
            rate(l.rps),
            ms(l.p50_us),
            ms(l.p99_us),
            l.rps / base.rps * 100.0
        );
    };
    let measured = if disk_requests > 0 {
        format!(
            "{per_request} ({:.0} over the rounds)",
            disk_bytes as f64 / disk_requests as f64
        )
    } else {
        per_request.to_string()
    };
    row(md, "in memory", CONNECTIONS, &m, "–", &m);
    row(md, "`--data-dir`", CONNECTIONS, &d, &measured, &m);
    row(md, "in memory", 1, &m1, "–", &m1);
    row(md, "`--data-dir`", 1, &d1, &per_request.to_string(), &m1);
    let _ = writeln!(md, "\nRequests counted: in memory {} ({} unexpected), `--data-dir` {} ({} unexpected). Bytes per request: the journal's growth over 100 sequential requests (and over the wrk rounds, divided by the responses wrk counted; requests still in flight when a round stopped make it a little higher). The journal held {} after the run.",
        m.requests, m.unexpected, d.requests, d.unexpected, kib(journal_total));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Start-up from a journal: instances launched through the server with `--data-dir` (the
/// fill's RunInstances of 99 + 1 tagged, /16 subnets past the default subnets), the
/// server stopped with SIGTERM, then spawn → first health 200, 3 times, at 0 (a new
/// journal), `Options::mid` and `Options::large` instances. A last start pages every
/// instance to check they all came back.
fn durable_startup(o: &Options, md: &mut String) {
    const RUNS: usize = 3;
    eprintln!("== start-up from a data directory");
    let bin = o.bin.clone();
    let restart = |dir: &str| {
        startup(
            &mut || {
                let mut c = Command::new(&bin);
                c.args(["--port", "0", "--data-dir", dir]);
                c
            },
            "/_parlel/health",
            RUNS,
        )
    };
    struct StartRow {
        what: String,
        on_disk: String,
        st: Startup,
        note: String,
    }
    let mut rows = Vec::new();
    rows.push(StartRow {
        what: "in memory (no `--data-dir`)".into(),
        on_disk: "–".into(),
        st: startup(
            &mut || {
                let mut c = Command::new(&bin);
                c.args(["--port", "0"]);
                c
            },
            "/_parlel/health",
            RUNS,
        ),
        note: "–".into(),
    });
    let (dir, dir_s) = fresh_data_dir(o, "startup-data");
    stop_gracefully(start_parlel_args(
        o,
        "parlel-startup-0",
        None,
        &["--data-dir", &dir_s],
    ));
    rows.push(StartRow {
        what: "0 instances (a new journal)".into(),
        on_disk: format!("journal {}", kib(file_len(&dir.join("journal")))),
        st: restart(&dir_s),
        note: "–".into(),
    });
    for target in [o.mid, o.large] {
        // A fresh directory each: the fill is all in the journal (no snapshot while
        // filling), then kill -9, as a crash leaves it.
        let (dir, dir_s) = fresh_data_dir(o, &format!("startup-data-{target}"));
        eprintln!("   filling to {target} through --data-dir");
        let s = start_parlel_args(
            o,
            &format!("parlel-startup-{target}"),
            None,
            &["--data-dir", &dir_s, "--snapshot-after-mib", "100000"],
        );
        let mut fill = Fill::new();
        fill.to(&mut s.conn(), target);
        let launched = fill.count as f64 / (fill.millis as f64 / 1e3);
        drop(s); // SIGKILL
        eprintln!("   {RUNS} starts with {target} instances in the journal");
        rows.push(StartRow {
            what: format!("{target} instances, journal only (after kill -9)"),
            on_disk: format!("journal {}", kib(file_len(&dir.join("journal")))),
            st: restart(&dir_s),
            note: format!("launched at {launched:.0} instances/s"),
        });
        // A clean stop writes the snapshot; its time is the stop's.
        let s = start_parlel_args(o, "parlel-startup-snap", None, &["--data-dir", &dir_s]);
        let t = Instant::now();
        stop_gracefully(s);
        let stop_ms = t.elapsed().as_secs_f64() * 1e3;
        eprintln!("   {RUNS} starts with {target} instances in a snapshot");
        rows.push(StartRow {
            what: format!("{target} instances, snapshot (after SIGTERM)"),
            on_disk: format!(
                "snapshot {}, journal {}",
                kib(file_len(&dir.join("snapshot"))),
                kib(file_len(&dir.join("journal")))
            ),
            st: restart(&dir_s),
            note: format!("SIGTERM → exit (writing it) {stop_ms:.0} ms"),
        });
        // Everything came back.
        let s = start_parlel_args(o, "parlel-startup-check", None, &["--data-dir", &dir_s]);
        let (_, seen) = walk(&mut s.conn(), 1000, target / 1000 + 5);
        assert_eq!(seen, target, "every instance is back after the restarts");
        drop(s);
        let _ = std::fs::remove_dir_all(&dir);
    }

    let med = |v: &[f64]| median(v.to_vec());
    let max = |v: &[f64]| v.iter().cloned().fold(0.0, f64::max);
    let _ = writeln!(md, "\n### Start-up from a data directory (`--data-dir`)\n");
    let _ = writeln!(md, "Instances launched through the server with `--data-dir` (RunInstances of 99 + 1 tagged, as the fill above; /16 subnets once the default subnets are full) and no snapshot while filling, then kill -9: the journal holds it all. Then one start and a SIGTERM stop, which writes the snapshot. Each row: spawn → printed address → first 200 on `/_parlel/health`, {RUNS} runs, each ended by SIGKILL (the state is rebuilt before the address is printed). The directory is on {}. A last start paged every instance back.\n", file_system(&o.out));
    let _ = writeln!(
        md,
        "| on disk | files | to printed address, median / max | to first 200, median / max | |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---|");
    for r in &rows {
        let _ = writeln!(
            md,
            "| {} | {} | {:.1} / {:.1} ms | {:.1} / {:.1} ms | {} |",
            r.what,
            r.on_disk,
            med(&r.st.listening_ms),
            max(&r.st.listening_ms),
            med(&r.st.health_ms),
            max(&r.st.health_ms),
            r.note
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The access key and secret `--verify-signatures` accepts when none is configured.
const SIGV4_KEY: &str = "parlel";
const SIGV4_SECRET: &str = "parlel";
/// The Content-Type `request.lua` and `client.rs` send (a signed header here).
const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// Now as SigV4's X-Amz-Date (`20261202T061500Z`).
fn amz_date_now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The Authorization header of `POST /` with `body`, signed (SigV4, header form) over
/// content-type, host and x-amz-date with `secret`, scoped to us-east-1's ec2.
fn sigv4_authorization(host: &str, body: &str, amz_date: &str, secret: &str) -> String {
    use hmac::{Hmac, Mac};
    use sha2::{Digest, Sha256};
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let mac = |key: &[u8], data: &str| {
        let mut m = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
        m.update(data.as_bytes());
        m.finalize().into_bytes().to_vec()
    };
    let date = &amz_date[..8];
    let signed = "content-type;host;x-amz-date";
    let canonical = format!(
        "POST\n/\n\ncontent-type:{CONTENT_TYPE}\nhost:{host}\nx-amz-date:{amz_date}\n\n{signed}\n{}",
        hex(&Sha256::digest(body.as_bytes()))
    );
    let scope = format!("{date}/us-east-1/ec2/aws4_request");
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let key = mac(format!("AWS4{secret}").as_bytes(), date);
    let key = mac(&key, "us-east-1");
    let key = mac(&key, "ec2");
    let key = mac(&key, "aws4_request");
    format!(
        "AWS4-HMAC-SHA256 Credential={SIGV4_KEY}/{scope}, SignedHeaders={signed}, Signature={}",
        hex(&mac(&key, &to_sign))
    )
}

/// The request.lua settings for one signed request to `addr`, signed now.
fn signed_env(addr: SocketAddr, body: &str, secret: &str) -> Vec<(&'static str, String)> {
    let host = addr.to_string();
    let date = amz_date_now();
    let auth = sigv4_authorization(&host, body, &date, secret);
    vec![
        ("BENCH_HOST", host),
        ("BENCH_AMZ_DATE", date),
        ("BENCH_AUTHORIZATION", auth),
    ]
}

/// One signed request through the harness's client.
fn signed_request(addr: SocketAddr, body: &str, secret: &str) -> client::Response {
    let env = signed_env(addr, body, secret);
    let headers: Vec<(&str, &str)> = [
        ("X-Amz-Date", env[1].1.as_str()),
        ("Authorization", env[2].1.as_str()),
    ]
    .to_vec();
    Conn::new(addr)
        .request_with("POST", "/", &headers, body.as_bytes())
        .expect("signed request")
}

/// `--verify-signatures`: DescribeVpcs (one default VPC) signed once, with an X-Amz-Date
/// of the round's start, and sent as it is by wrk (the server allows 15 minutes of skew),
/// to a server checking signatures and one not; and a wrong signature, refused.
fn sigv4(o: &Options, md: &mut String) {
    eprintln!("== --verify-signatures: a signed DescribeVpcs, verified and not");
    let off = start_parlel(o, "parlel-sigv4-off");
    let on = start_parlel_args(o, "parlel-sigv4-on", None, &["--verify-signatures"]);
    let body = form("DescribeVpcs", "");
    // The signing is right (200 where it is checked), a wrong secret is refused there and
    // accepted where nothing is checked, and the harness's unsigned header is refused.
    for s in [&off, &on] {
        let r = signed_request(s.addr, &body, SIGV4_SECRET);
        assert_eq!(r.status, 200, "signed DescribeVpcs: {}", r.text());
    }
    let wrong = signed_request(on.addr, &body, "not-the-secret");
    assert!(
        wrong.status == 403 && wrong.text().contains("<Code>SignatureDoesNotMatch</Code>"),
        "a wrong secret is refused: {} {}",
        wrong.status,
        wrong.text()
    );
    let unsigned = on.conn().ec2(&body).expect("unsigned");
    assert_ne!(
        unsigned.status, 200,
        "the fixed header is refused with verification"
    );
    let ok_bytes = signed_request(on.addr, &body, SIGV4_SECRET).body.len();

    let (mut p_off, mut p_on, mut p_wrong) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..o.rounds {
        p_off.push(wrk_env(
            o,
            off.addr,
            "/",
            &body,
            o.secs,
            0,
            true,
            &signed_env(off.addr, &body, SIGV4_SECRET),
        ));
        p_on.push(wrk_env(
            o,
            on.addr,
            "/",
            &body,
            o.secs,
            0,
            true,
            &signed_env(on.addr, &body, SIGV4_SECRET),
        ));
        p_wrong.push(wrk_env(
            o,
            on.addr,
            "/",
            &body,
            o.secs,
            0,
            false,
            &signed_env(on.addr, &body, "not-the-secret"),
        ));
        eprintln!(
            "   round {round}: off {:.0}/s, on {:.0}/s, wrong signature {:.0}/s",
            p_off[round].rps, p_on[round].rps, p_wrong[round].rps
        );
    }
    let (off_l, on_l, wrong_l) = (combine(&p_off), combine(&p_on), combine(&p_wrong));
    drop(off);
    drop(on);

    let _ = writeln!(md, "\n### Verified signatures (`--verify-signatures`)\n");
    let _ = writeln!(md, "DescribeVpcs (the default VPC; {ok_bytes} bytes answered) signed with SigV4 in the harness (header form; content-type, host and x-amz-date signed; `parlel`/`parlel`, the credential when none is configured), once per round with that moment's X-Amz-Date, and sent unchanged by wrk — a fixed signed request, as a client replaying one would send (the server allows 15 minutes of skew). {CONNECTIONS} connections, median of {} interleaved rounds of {} s. Latencies in ms.\n", o.rounds, o.secs);
    let _ = writeln!(
        md,
        "| server | answer | req/s | p50 | p99 | % of off | requests (unexpected) |"
    );
    let _ = writeln!(md, "|---|---|---:|---:|---:|---:|---:|");
    for (what, answer, l) in [
        ("without `--verify-signatures`", "200", &off_l),
        ("`--verify-signatures`", "200", &on_l),
        (
            "`--verify-signatures`, wrong secret",
            "403 SignatureDoesNotMatch",
            &wrong_l,
        ),
    ] {
        let _ = writeln!(
            md,
            "| {what} | {answer} | {} | {} | {} | {:.0}% | {} ({}) |",
            rate(l.rps),
            ms(l.p50_us),
            ms(l.p99_us),
            l.rps / off_l.rps * 100.0,
            l.requests,
            l.unexpected
        );
    }
}

// ---------------------------------------------------------------- the run

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn ms(us: f64) -> String {
    if us.is_nan() {
        "–".into()
    } else if us >= 100_000.0 {
        format!("{:.0}", us / 1e3)
    } else {
        format!("{:.2}", us / 1e3)
    }
}

fn rate(r: f64) -> String {
    if r.is_nan() {
        "–".into()
    } else if r >= 100.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.2}")
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**missed**"
    }
}

fn sh(cmd: &str) -> String {
    Command::new("sh")
        .args(["-c", cmd])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn machine(o: &Options, with_moto: bool) -> String {
    let cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-");
    let mem = sh("grep MemTotal /proc/meminfo | awk '{printf \"%.1f GiB\", $2/1048576}'");
    format!(
        "- date: {}\n- machine: {} cores (`nproc`), CPU `{}`, {} memory, kernel {}\n- load average before the run: {}\n- parlel-ec2: commit {}, binary {}\n- load generator: {} (2 threads, {CONNECTIONS} connections)\n- moto: {}\n",
        sh("date -u +%Y-%m-%dT%H:%M:%SZ"),
        sh("nproc"),
        cpu.trim(),
        mem,
        sh("uname -r"),
        sh("cut -d' ' -f1-3 /proc/loadavg"),
        sh(&format!("git -C {} rev-parse --short HEAD", env!("CARGO_MANIFEST_DIR"))),
        o.bin.display(),
        sh(&format!("{} --version 2>&1 | head -1", o.wrk.display())),
        if o.moto.is_some() { o.moto_note.as_str() } else if with_moto { "not available (see BENCHMARKS.md)" } else { "not used by these parts" }
    )
}

/// The throughput table: one line per row; rows with a target add to `targets`.
fn rows_table(md: &mut String, rows: &[Row], targets: &mut Vec<(String, String, &'static str)>) {
    let _ = writeln!(md, "| workload | body bytes | parlel-ec2 req/s | p50 | p99 | hyper req/s | p50 | p99 | moto req/s | p50 | p99 | × moto | % of hyper |");
    let _ = writeln!(
        md,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for r in rows {
        let m = r.moto.unwrap_or(Load {
            rps: f64::NAN,
            p50_us: f64::NAN,
            p99_us: f64::NAN,
            ..Load::default()
        });
        let x_moto = r.parlel.rps / m.rps;
        let of_hyper = r.parlel.rps / r.hyper.rps;
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.0}% |",
            r.title,
            r.body_bytes,
            rate(r.parlel.rps),
            ms(r.parlel.p50_us),
            ms(r.parlel.p99_us),
            rate(r.hyper.rps),
            ms(r.hyper.p50_us),
            ms(r.hyper.p99_us),
            rate(m.rps),
            ms(m.p50_us),
            ms(m.p99_us),
            if x_moto.is_nan() {
                "–".into()
            } else {
                format!("{x_moto:.0}×")
            },
            of_hyper * 100.0
        );
        if let Some((want_moto, want_hyper)) = r.target {
            if r.moto.is_some() {
                targets.push((
                    format!("{}: ≥ {want_moto:.0}× moto", r.title),
                    format!("{x_moto:.0}×"),
                    verdict(x_moto >= want_moto),
                ));
            }
            targets.push((
                format!("{}: ≥ {:.0}% of hyper", r.title, want_hyper * 100.0),
                format!("{:.0}%", of_hyper * 100.0),
                verdict(of_hyper >= want_hyper),
            ));
        }
    }
}

/// Requests counted and unexpected answers per row, then the notes.
fn requests_list(md: &mut String, rows: &[Row], notes: &[String]) {
    let _ = writeln!(md);
    let _ = writeln!(
        md,
        "Requests counted (all rounds) and unexpected answers (wrong status or socket errors):\n"
    );
    for r in rows {
        let _ = writeln!(
            md,
            "- {}: parlel-ec2 {} ({} unexpected), hyper {} ({}), moto {} ({}), moto measured with {}{}",
            r.title,
            r.parlel.requests,
            r.parlel.unexpected,
            r.hyper.requests,
            r.hyper.unexpected,
            r.moto.map_or(0, |m| m.requests),
            r.moto.map_or(0, |m| m.unexpected),
            r.moto_how,
            r.moto_body_bytes
                .map_or(String::new(), |b| format!("; moto body {b} bytes"))
        );
    }
    for n in notes {
        let _ = writeln!(md, "- {n}");
    }
}

fn run(o: Options) {
    std::fs::create_dir_all(&o.out).expect("output folder");
    let started = Instant::now();
    let parts = Parts::from_env();
    let mut md = String::new();
    md.push_str(&machine(&o, parts.main));
    if !parts.all() {
        let _ = writeln!(md, "- parts run: {} (`PARLEL_BENCH_ONLY`)", parts.names());
    }
    md.push('\n');
    let mut targets: Vec<(String, String, &'static str)> = Vec::new();

    if parts.main {
        main_parts(&o, &mut md, &mut targets);
    }
    if parts.durable {
        durable(&o, &mut md);
    }
    if parts.startup {
        durable_startup(&o, &mut md);
    }
    if parts.sigv4 {
        sigv4(&o, &mut md);
    }

    if !targets.is_empty() {
        let _ = writeln!(md, "\n### Targets\n");
        let _ = writeln!(md, "| target | measured | |");
        let _ = writeln!(md, "|---|---:|---|");
        for (t, v, ok) in &targets {
            let _ = writeln!(md, "| {t} | {v} | {ok} |");
        }
    }
    let _ = writeln!(
        md,
        "\nTotal harness time: {:.0} s; load average after the run: {}.",
        started.elapsed().as_secs_f64(),
        sh("cut -d' ' -f1-3 /proc/loadavg")
    );

    let path = o.out.join("results.md");
    std::fs::write(&path, &md).expect("write results");
    println!("{md}");
    eprintln!("results written to {}", path.display());
}

/// The main part: start-up, the throughput tables against the yardstick and moto, memory,
/// paging and response sizes (`PARLEL_BENCH_ONLY=main`).
fn main_parts(o: &Options, md: &mut String, targets: &mut Vec<(String, String, &'static str)>) {
    // -- start-up
    eprintln!("== start-up ({} runs)", o.startups);
    let bin = o.bin.clone();
    let st = startup(
        &mut || {
            let mut c = Command::new(&bin);
            c.args(["--port", "0"]);
            c
        },
        "/_parlel/health",
        o.startups,
    );
    let exe = std::env::current_exe().expect("own path");
    let st_hyper = startup(
        &mut || {
            let mut c = Command::new(&exe);
            c.arg("fixed-body-server");
            c
        },
        "/bytes/1",
        o.startups.min(10),
    );
    let st_moto = o.moto.as_ref().map(|m| moto_startup(m, 3));

    // -- servers for the comparisons
    let hyper = start_fixed(o);
    let parlel = start_parlel(o, "parlel-small");
    let moto = o.moto.as_ref().map(|m| start_moto(o, m, "moto"));
    let moto_idle = moto.as_ref().map(Server::rss_kib);
    let mut bench = Bench {
        o,
        hyper: &hyper,
        rows: Vec::new(),
        notes: Vec::new(),
    };

    // -- 10 instances: the small requests
    let mut pfill = Fill::new();
    let mut mfill = Fill::new();
    let ids = pfill.to(&mut parlel.conn(), 10);
    let mids = moto
        .as_ref()
        .map(|m| mfill.to(&mut m.conn(), 10))
        .unwrap_or_default();
    let moto_seeded = moto.as_ref().map(Server::rss_kib);
    let small = Some((100.0, 0.40));
    let di_10 = form("DescribeInstances", "");
    bench.compare(
        "DescribeInstances, 10 instances in the region",
        &parlel,
        moto.as_ref(),
        |_, _| di_10.clone(),
        true,
        0,
        small,
    );
    let body_10 = parlel.conn().ec2(&di_10).expect("di").body;
    let moto_body_10 = moto
        .as_ref()
        .map(|m| m.conn().ec2(&di_10).expect("di").body);
    bench.compare(
        "DescribeInstances of one id",
        &parlel,
        moto.as_ref(),
        |who, _| match who {
            Who::Parlel => form("DescribeInstances", &format!("InstanceId.1={}", ids[3])),
            Who::Moto => form("DescribeInstances", &format!("InstanceId.1={}", mids[3])),
        },
        true,
        0,
        small,
    );
    let dsg = form("DescribeSecurityGroups", "");
    bench.compare(
        "DescribeSecurityGroups",
        &parlel,
        moto.as_ref(),
        |_, _| dsg.clone(),
        true,
        0,
        small,
    );
    let unknown = form("DescribeInstances", &format!("InstanceId.1={UNKNOWN_ID}"));
    bench.compare(
        "Error: DescribeInstances of an unknown id (400)",
        &parlel,
        moto.as_ref(),
        |_, _| unknown.clone(),
        false,
        0,
        small,
    );

    // -- the same small request with the per-request log line off, to show its cost.
    {
        let quiet = start_parlel_with(o, "parlel-quiet", Some("warn"));
        let qids = Fill::new().to(&mut quiet.conn(), 10);
        bench.compare(
            "DescribeInstances of one id, RUST_LOG=warn (no request log line)",
            &quiet,
            None,
            |_, _| form("DescribeInstances", &format!("InstanceId.1={}", qids[3])),
            true,
            0,
            None,
        );
    }

    // -- 1,000 instances
    eprintln!("== filling to 1,000");
    pfill.to(&mut parlel.conn(), 1000);
    if let Some(m) = &moto {
        mfill.to(&mut m.conn(), 1000);
    }
    let moto_1000 = moto.as_ref().map(Server::rss_kib);
    let moto_rate = (mfill.count > 0).then(|| mfill.count as f64 / (mfill.millis as f64 / 1e3));
    bench.compare(
        "DescribeInstances, 1,000 instances in the region",
        &parlel,
        moto.as_ref(),
        |_, _| di_10.clone(),
        true,
        0,
        Some((500.0, 0.30)),
    );
    let body_1000 = parlel.conn().ec2(&di_10).expect("di").body;
    let moto_body_1000 = moto
        .as_ref()
        .map(|m| m.conn().ec2(&di_10).expect("di").body);

    // -- the newer Describes, 1,000 of each kind, in their own table. The 1,000 instances
    // above give 1,000 root volumes and 1,000 primary interfaces; the other kinds are
    // created here. The RunInstances rows below reset this state.
    eprintln!("== the newer Describes: {NEWER_N} of each kind");
    let mut newer = Bench {
        o,
        hyper: &hyper,
        rows: Vec::new(),
        notes: Vec::new(),
    };
    let mut pc = parlel.conn();
    let volumes = ids_of(&mut pc, &form("DescribeVolumes", ""), "volumeId");
    assert_eq!(volumes.len(), NEWER_N, "one root volume per instance");
    let dv = form("DescribeVolumes", "");
    if let Some(m) = &moto {
        let mut mc = m.conn();
        assert_eq!(ids_of(&mut mc, &dv, "volumeId").len(), NEWER_N, "moto");
        let n = ids_of(
            &mut mc,
            &form("DescribeNetworkInterfaces", ""),
            "networkInterfaceId",
        );
        assert_eq!(n.len(), NEWER_N, "moto");
    }
    newer.compare(
        "DescribeVolumes, 1,000 volumes in the region (the instances' root volumes)",
        &parlel,
        moto.as_ref(),
        |_, _| dv.clone(),
        true,
        0,
        None,
    );
    let dni = form("DescribeNetworkInterfaces", "");
    assert_eq!(
        ids_of(&mut pc, &dni, "networkInterfaceId").len(),
        NEWER_N,
        "one primary interface per instance"
    );
    newer.compare(
        "DescribeNetworkInterfaces, 1,000 interfaces in the region (the instances' primary interfaces)",
        &parlel,
        moto.as_ref(),
        |_, _| dni.clone(),
        true,
        0,
        None,
    );
    let took = create_n(&mut pc, NEWER_N, |i| create_snapshot_form(&volumes[i]));
    eprintln!("   {NEWER_N} snapshots in {} ms", took.as_millis());
    let dsn = form("DescribeSnapshots", "Owner.1=self");
    let snapshots = ids_of(&mut pc, &dsn, "snapshotId");
    assert_eq!(snapshots.len(), NEWER_N, "the account's own snapshots");
    newer.compare(
        "DescribeSnapshots Owner=self, 1,000 snapshots (one per volume)",
        &parlel,
        None,
        |_, _| dsn.clone(),
        true,
        0,
        None,
    );
    if let Some(m) = &moto {
        let own_snaps = ids_of(&mut m.conn(), &dsn, "snapshotId").len();
        newer.notes.push(format!(
            "DescribeSnapshots has no moto column: moto's Owner=self lists {own_snaps} snapshots before any is created (those of its seeded images, which it owns as the same account), so its answer is not the same set; no snapshots were created in moto for this row."
        ));
    }
    // The same request as one page of the 100,000 paging below, when only 1,000 exist.
    let at_1000 = |action: &str, extra: &str| {
        let f = form(action, &format!("MaxResults=1000{extra}"));
        sequential(&mut parlel.conn(), "/", &f, 20, true).p50_us
    };
    let seq_1000 = [
        at_1000("DescribeVolumes", ""),
        at_1000("DescribeNetworkInterfaces", ""),
        at_1000("DescribeSnapshots", "&Owner.1=self"),
    ];

    // moto: filled with the same resources if that fits its budget (it creates ~300 a
    // second); its snapshots are not needed (see the notes).
    let moto_newer = match &moto {
        None => None,
        Some(m) => {
            let mut mc = m.conn();
            let probe = 100;
            let took = create_n(&mut mc, probe, |_| form("AllocateAddress", "Domain=vpc"));
            let remaining = 4 * NEWER_N - probe;
            let projected = took.mul_f64(remaining as f64 / probe as f64);
            if took + projected <= o.moto_fill_budget {
                eprintln!("   moto: ~{} s of creates", projected.as_secs());
                Some(m)
            } else {
                newer.notes.push(format!(
                    "moto was not filled for the newer Describes: {} creates at its measured {:.0}/s would take ~{} s; the rows after DescribeNetworkInterfaces have no moto column.",
                    4 * NEWER_N,
                    probe as f64 / took.as_secs_f64(),
                    projected.as_secs()
                ));
                None
            }
        }
    };

    // Elastic IPs. EC2's default quota is 5 per Region (DescribeAccountAttributes here
    // says max-elastic-ips 5 too), raised on request; AllocateAddress enforces no quota
    // in parlel-ec2 (nor in moto), so the row holds 1,000 as a raised quota would.
    create_n(&mut pc, NEWER_N, |_| form("AllocateAddress", "Domain=vpc"));
    if let Some(m) = moto_newer {
        create_n(&mut m.conn(), NEWER_N - 100, |_| {
            form("AllocateAddress", "Domain=vpc")
        });
    }
    let da = form("DescribeAddresses", "");
    assert_eq!(ids_of(&mut pc, &da, "allocationId").len(), NEWER_N);
    if let Some(m) = moto_newer {
        assert_eq!(
            ids_of(&mut m.conn(), &da, "allocationId").len(),
            NEWER_N,
            "moto"
        );
    }
    newer.compare(
        "DescribeAddresses, 1,000 Elastic IPs (unassociated)",
        &parlel,
        moto_newer,
        |_, _| da.clone(),
        true,
        0,
        None,
    );

    // Route tables: 5 VPCs × 200, main tables included (EC2's default quotas).
    fill_route_tables(&mut pc, NEWER_N);
    if let Some(m) = moto_newer {
        fill_route_tables(&mut m.conn(), NEWER_N);
    }
    let drt = form("DescribeRouteTables", "");
    assert_eq!(ids_of(&mut pc, &drt, "routeTableId").len(), NEWER_N);
    if let Some(m) = moto_newer {
        assert_eq!(
            ids_of(&mut m.conn(), &drt, "routeTableId").len(),
            NEWER_N,
            "moto"
        );
    }
    newer.compare(
        &format!(
            "DescribeRouteTables, 1,000 route tables in the region ({} VPCs × {TABLES_PER_VPC}, main tables included)",
            NEWER_N.div_ceil(TABLES_PER_VPC)
        ),
        &parlel,
        moto_newer,
        |_, _| drt.clone(),
        true,
        0,
        None,
    );

    // Images: RegisterImage from one snapshot, 1,000 names.
    create_n(&mut pc, NEWER_N, |i| register_image_form(i, &snapshots[0]));
    if let Some(m) = moto_newer {
        let mut mc = m.conn();
        let vol = first_element(&ec2_ok(&mut mc, &dv), "volumeId")
            .expect("a moto volume")
            .to_string();
        let snap = first_element(&ec2_ok(&mut mc, &create_snapshot_form(&vol)), "snapshotId")
            .expect("snapshotId")
            .to_string();
        create_n(&mut mc, NEWER_N, |i| register_image_form(i, &snap));
    }
    let dim_self = form("DescribeImages", "Owner.1=self");
    assert_eq!(ids_of(&mut pc, &dim_self, "imageId").len(), NEWER_N);
    if let Some(m) = moto_newer {
        assert_eq!(
            ids_of(&mut m.conn(), &dim_self, "imageId").len(),
            NEWER_N,
            "moto"
        );
    }
    newer.compare(
        "DescribeImages Owner=self, 1,000 own images (RegisterImage)",
        &parlel,
        moto_newer,
        |_, _| dim_self.clone(),
        true,
        0,
        None,
    );
    let dim = form("DescribeImages", "");
    let catalog_images = ids_of(&mut pc, &dim, "imageId").len() - NEWER_N;
    newer.compare(
        &format!(
            "DescribeImages, default (1,000 own images + the {catalog_images} of the seed catalog)"
        ),
        &parlel,
        None,
        |_, _| dim.clone(),
        true,
        0,
        None,
    );

    // Launch templates.
    create_n(&mut pc, NEWER_N, launch_template_form);
    if let Some(m) = moto_newer {
        create_n(&mut m.conn(), NEWER_N, launch_template_form);
    }
    // moto answers only the first 15 without MaxResults (and no NextToken), so it is
    // sent MaxResults=1000; parlel-ec2 takes 1–200 (the model's range) and answers all
    // 1,000 without it.
    let dlt = form("DescribeLaunchTemplates", "");
    let dlt_moto = form("DescribeLaunchTemplates", &format!("MaxResults={NEWER_N}"));
    assert_eq!(ids_of(&mut pc, &dlt, "launchTemplateId").len(), NEWER_N);
    if let Some(m) = moto_newer {
        assert_eq!(
            ids_of(&mut m.conn(), &dlt_moto, "launchTemplateId").len(),
            NEWER_N,
            "moto's 1,000 templates"
        );
        newer.notes.push(
            "DescribeLaunchTemplates: moto is sent MaxResults=1000 (without it moto answers only the first 15 templates, with no NextToken); parlel-ec2 takes MaxResults 1–200 (the model's range) and is sent none, answering all 1,000 as EC2 does.".into(),
        );
    }
    newer.compare(
        "DescribeLaunchTemplates, 1,000 templates in the region",
        &parlel,
        moto_newer,
        |who, _| match who {
            Who::Parlel => dlt.clone(),
            Who::Moto => dlt_moto.clone(),
        },
        true,
        0,
        None,
    );

    // Instance types: a fixed catalog; MaxResults is 5–100 (the model), so a page of 100.
    let (type_pages, types_offered) = walk_kind(
        &mut pc,
        "DescribeInstanceTypes",
        "",
        "instanceType",
        100,
        100,
        None,
    );
    let dit = form("DescribeInstanceTypes", "MaxResults=100");
    newer.compare(
        &format!(
            "DescribeInstanceTypes, MaxResults=100 (first of {} pages; {types_offered} types offered in us-east-1)",
            type_pages.len()
        ),
        &parlel,
        None,
        |_, _| dit.clone(),
        true,
        0,
        None,
    );
    drop(pc);

    // Why some rows have no moto column, with moto's own counts.
    if let Some(m) = &moto {
        let mut mc = m.conn();
        if moto_newer.is_some() {
            let all_images = ids_of(&mut mc, &dim, "imageId").len();
            newer.notes.push(format!(
                "DescribeImages default has no moto column: moto lists {all_images} images there ({} of its seeded catalog besides the 1,000 own), against {catalog_images} catalog images here, so the answers are not comparable.",
                all_images - NEWER_N
            ));
        }
        let types = ids_of(&mut mc, &dit, "instanceType").len();
        newer.notes.push(format!(
            "DescribeInstanceTypes has no moto column: moto answers MaxResults=100 with {types} types in one answer (it does not page), not a page of 100."
        ));
    }
    newer.notes.push(
        "The rows without MaxResults (all but DescribeInstanceTypes) answer every item in one response, as EC2 does without MaxResults.".into(),
    );

    // -- RunInstances of one instance: fresh state each round, bounded count (a /16
    // subnet holds 65,531; 2 wrk threads × 30,000).
    let reset = |s: &Server, who: Who| {
        let path = if who == Who::Parlel {
            "/_parlel/reset"
        } else {
            "/moto-api/reset"
        };
        let r = s.conn().request("POST", path, b"").expect("reset");
        assert_eq!(r.status, 200, "reset: {}", r.text());
    };
    bench.compare(
        "RunInstances of one instance",
        &parlel,
        moto.as_ref(),
        |who, _| match who {
            Who::Parlel => {
                reset(&parlel, who);
                let subnet = big_subnet(&mut parlel.conn(), 0);
                form(
                    "RunInstances",
                    &format!("ImageId={AMI}&MinCount=1&MaxCount=1&SubnetId={subnet}"),
                )
            }
            Who::Moto => {
                reset(moto.as_ref().expect("moto"), who);
                form(
                    "RunInstances",
                    &format!("ImageId={AMI}&MinCount=1&MaxCount=1"),
                )
            }
        },
        true,
        30_000,
        small,
    );

    // -- tag filter over `mid` instances
    eprintln!("== filling to {}", o.mid);
    reset(&parlel, Who::Parlel);
    let mut pfill = Fill::new();
    pfill.to(&mut parlel.conn(), o.mid);
    let mut moto_mid = None;
    let moto_for_mid = match (&moto, moto_rate) {
        (Some(m), Some(rate)) => {
            let projected = Duration::from_secs_f64(o.mid as f64 / rate);
            if projected <= o.moto_fill_budget {
                reset(m, Who::Moto);
                let mut f = Fill::new();
                eprintln!("   moto: ~{} s", projected.as_secs());
                f.to(&mut m.conn(), o.mid);
                moto_mid = Some((m.rss_kib(), f.millis));
                Some(m)
            } else {
                bench.notes.push(format!(
                    "moto was not filled to {} instances: at its measured {rate:.0} launches/s that would take ~{} s.",
                    o.mid,
                    projected.as_secs()
                ));
                None
            }
        }
        _ => None,
    };
    let tag = form("DescribeInstances", TAG_FILTER);
    bench.compare(
        &format!(
            "DescribeInstances, tag filter, {} instances (1% match)",
            o.mid
        ),
        &parlel,
        moto_for_mid,
        |_, _| tag.clone(),
        true,
        0,
        None,
    );
    drop(parlel);

    // -- memory, then `large` instances
    eprintln!("== memory and {} instances", o.large);
    let big = start_parlel(o, "parlel-large");
    std::thread::sleep(Duration::from_millis(200));
    let idle = big.rss_kib();
    ec2_ok(&mut big.conn(), &form("DescribeInstances", ""));
    let seeded = big.rss_kib();
    let mut fill = Fill::new();
    fill.to(&mut big.conn(), o.mid);
    let at_mid = big.rss_kib();
    fill.to(&mut big.conn(), o.large);
    let at_large = big.rss_kib();
    let fill_rate = fill.count as f64 / (fill.millis as f64 / 1e3);
    bench.compare(
        &format!(
            "DescribeInstances, tag filter, {} instances (1% match)",
            o.large
        ),
        &big,
        None,
        |_, _| tag.clone(),
        true,
        0,
        None,
    );
    // Paging: every page at MaxResults 1000, three walks.
    eprintln!("== paging");
    let mut walks = Vec::new();
    for _ in 0..3 {
        let (t, seen) = walk(&mut big.conn(), 1000, o.large / 1000 + 5);
        assert_eq!(seen, o.large, "paging saw every instance once");
        walks.push(t);
    }
    let pages = walks[0].len();
    let page_median: Vec<f64> = (0..pages)
        .map(|i| median(walks.iter().map(|w| w[i]).collect()))
        .collect();
    let page_body = big
        .conn()
        .ec2(&form("DescribeInstances", "MaxResults=1000"))
        .expect("page")
        .body
        .len();
    let hyper_page = sequential(
        &mut hyper.conn(),
        &format!("/bytes/{page_body}"),
        &form("DescribeInstances", "MaxResults=1000"),
        pages,
        true,
    );
    let large_rss_after = big.rss_kib();

    // -- flat paging of the newer kinds at `large`: the instances' volumes and primary
    // interfaces (MaxResults is 5–1000 for both), then a snapshot of each volume when that
    // fits the time budget. Measured after the memory figures above.
    let mut kind_paging = Vec::new();
    let mut big_volumes = Vec::new();
    kind_paging.push(page_kind(
        &mut big.conn(),
        &hyper,
        "DescribeVolumes",
        "DescribeVolumes",
        "",
        "volumeId",
        o.large,
        Some(seq_1000[0]),
        Some(&mut big_volumes),
    ));
    kind_paging.push(page_kind(
        &mut big.conn(),
        &hyper,
        "DescribeNetworkInterfaces",
        "DescribeNetworkInterfaces",
        "",
        "networkInterfaceId",
        o.large,
        Some(seq_1000[1]),
        None,
    ));
    // Snapshots: `mid` first, timed; on to `large` if the rest is projected to fit.
    eprintln!("== {} snapshots", o.mid);
    let mut snap_took = snapshot_each(big.addr, &big_volumes[..o.mid]);
    let projected = snap_took.mul_f64(o.large as f64 / o.mid as f64);
    let snapshot_count = if projected <= SNAPSHOT_FILL_BUDGET {
        eprintln!("== {} snapshots", o.large);
        snap_took += snapshot_each(big.addr, &big_volumes[o.mid..]);
        o.large
    } else {
        o.mid
    };
    let snapshot_rate = snapshot_count as f64 / snap_took.as_secs_f64();
    let snapshot_note = if snapshot_count == o.large {
        format!(
            "{snapshot_count} snapshots (CreateSnapshot of each volume, 4 connections) took {:.1} s ({snapshot_rate:.0}/s).",
            snap_took.as_secs_f64()
        )
    } else {
        format!(
            "Snapshots were paged at {snapshot_count}, not {}: the first {} took {:.1} s ({snapshot_rate:.0}/s), so {} were projected at ~{:.0} s, over the {} s budget.",
            o.large,
            o.mid,
            snap_took.as_secs_f64(),
            o.large,
            projected.as_secs_f64(),
            SNAPSHOT_FILL_BUDGET.as_secs()
        )
    };
    kind_paging.push(page_kind(
        &mut big.conn(),
        &hyper,
        "DescribeSnapshots Owner=self",
        "DescribeSnapshots",
        "&Owner.1=self",
        "snapshotId",
        snapshot_count,
        Some(seq_1000[2]),
        None,
    ));

    // ------------------------------------------------------------ report
    let Bench { rows, notes, .. } = bench;
    let _ = writeln!(
        md,
        "### Throughput and latency, {CONNECTIONS} connections\n"
    );
    let _ = writeln!(
        md,
        "Median of {} interleaved rounds of {} s each (parlel-ec2, then the hyper yardstick with the same body size, then moto). Latencies in ms.\n",
        o.rounds, o.secs
    );
    rows_table(md, &rows, targets);
    requests_list(md, &rows, &notes);

    let Bench {
        rows: newer_rows,
        notes: newer_notes,
        ..
    } = newer;
    let _ = writeln!(
        md,
        "\n### The newer Describes, 1,000 resources of each kind, {CONNECTIONS} connections\n"
    );
    let _ = writeln!(
        md,
        "Measured like the table above, on the state of its 1,000-instance row plus 1,000 snapshots, Elastic IPs, route tables, images and launch templates created for these rows (moto gets the same resources but no snapshots).\n"
    );
    rows_table(md, &newer_rows, targets);
    requests_list(md, &newer_rows, &newer_notes);

    // start-up
    let med = |v: &[f64]| median(v.to_vec());
    let max = |v: &[f64]| v.iter().cloned().fold(0.0, f64::max);
    let _ = writeln!(md, "\n### Start-up\n");
    let _ = writeln!(
        md,
        "| process | runs | to printed address, median / max | to first 200, median / max |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|");
    let _ = writeln!(
        md,
        "| parlel-ec2 (`/_parlel/health`) | {} | {:.1} / {:.1} ms | {:.1} / {:.1} ms |",
        st.health_ms.len(),
        med(&st.listening_ms),
        max(&st.listening_ms),
        med(&st.health_ms),
        max(&st.health_ms)
    );
    let _ = writeln!(
        md,
        "| hyper yardstick | {} | {:.1} / {:.1} ms | {:.1} / {:.1} ms |",
        st_hyper.health_ms.len(),
        med(&st_hyper.listening_ms),
        max(&st_hyper.listening_ms),
        med(&st_hyper.health_ms),
        max(&st_hyper.health_ms)
    );
    if let Some(v) = &st_moto {
        let _ = writeln!(
            md,
            "| moto_server (first HTTP answer) | {} | – | {:.0} / {:.0} ms |",
            v.len(),
            med(v),
            max(v)
        );
    }
    let startup_ms = med(&st.health_ms);
    targets.push((
        "Start to first health 200 < 50 ms (median)".into(),
        format!("{startup_ms:.1} ms (max {:.1})", max(&st.health_ms)),
        verdict(startup_ms < 50.0),
    ));

    // memory
    let per_instance = (at_large.saturating_sub(seeded)) as f64 * 1024.0 / o.large as f64;
    let per_instance_mid = (at_mid.saturating_sub(seeded)) as f64 * 1024.0 / o.mid as f64;
    let _ = writeln!(md, "\n### Resident memory (VmRSS)\n");
    let _ = writeln!(
        md,
        "| parlel-ec2 | VmRSS | per instance over the seeded region |"
    );
    let _ = writeln!(md, "|---|---:|---:|");
    let _ = writeln!(
        md,
        "| idle (started, one health request) | {} | |",
        mib(idle)
    );
    let _ = writeln!(
        md,
        "| us-east-1 seeded (after one DescribeInstances) | {} | |",
        mib(seeded)
    );
    let _ = writeln!(
        md,
        "| {} instances | {} | {:.0} bytes |",
        o.mid,
        mib(at_mid),
        per_instance_mid
    );
    let _ = writeln!(
        md,
        "| {} instances | {} | {:.0} bytes ({:.2} KiB) |",
        o.large,
        mib(at_large),
        per_instance,
        per_instance / 1024.0
    );
    let _ = writeln!(
        md,
        "| {} instances, after the workloads and paging above | {} | |",
        o.large,
        mib(large_rss_after)
    );
    let _ = writeln!(md, "\nparlel-ec2 launched the {} instances at {:.0} instances/s (RunInstances of 99 + 1 tagged).", o.large, fill_rate);
    if let (Some(i), Some(s), Some(k)) = (moto_idle, moto_seeded, moto_1000) {
        let _ = writeln!(md, "\nmoto: idle {}, 10 instances {}, 1,000 instances {} ({:.0} bytes per instance over 10){}; it launched at {:.0} instances/s.",
            mib(i), mib(s), mib(k), (k.saturating_sub(s)) as f64 * 1024.0 / 990.0,
            moto_mid.map_or(String::new(), |(r, _)| format!(", {} instances {} ({:.0} bytes per instance over 10; after a reset of the 1,000)", o.mid, mib(r), (r.saturating_sub(s)) as f64 * 1024.0 / (o.mid - 10) as f64)),
            moto_rate.unwrap_or(f64::NAN));
    }
    targets.push((
        "Idle RSS < 10 MB".into(),
        mib(idle),
        verdict(idle * 1024 < 10_000_000),
    ));
    targets.push((
        format!("≤ 3 KiB per instance at {}", o.large),
        format!("{:.2} KiB", per_instance / 1024.0),
        verdict(per_instance <= 3072.0),
    ));

    // paging
    let first10 = page_median[..pages.min(10)].iter().sum::<f64>() / pages.min(10) as f64;
    let last10 = page_median[pages.saturating_sub(10)..].iter().sum::<f64>() / pages.min(10) as f64;
    let _ = writeln!(
        md,
        "\n### Paging through {} instances at MaxResults 1000\n",
        o.large
    );
    let _ = writeln!(md, "One connection, one page after another, 3 walks; median time per page. A page is ~{page_body} bytes.\n");
    let _ = writeln!(md, "| pages | page 1 | page 2 | page {} | page {} (last) | mean of first 10 | mean of last 10 | last/first | hyper, same body, sequential |", pages / 2, pages);
    let _ = writeln!(md, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        md,
        "| {pages} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {first10:.2} ms | {last10:.2} ms | {:.2} | {:.2} ms |",
        page_median[0],
        page_median.get(1).copied().unwrap_or(f64::NAN),
        page_median[(pages / 2).max(1) - 1],
        page_median[pages - 1],
        last10 / first10,
        hyper_page.p50_us / 1e3
    );
    targets.push((
        "A late page costs no more than an early one (last 10 / first 10 ≤ 1.25)".into(),
        format!("{:.2}", last10 / first10),
        verdict(last10 / first10 <= 1.25),
    ));

    // paging of the newer kinds
    let _ = writeln!(
        md,
        "\n### Paging the newer kinds at MaxResults 1000 ({} instances: one root volume and one primary interface each)\n",
        o.large
    );
    let _ = writeln!(md, "One connection, one page after another, 3 walks; median time per page. \"At 1,000\" is the same request (MaxResults 1000, one page holding every item) when the Region held 1,000 of the kind, sequential p50 over 20 requests, from the newer Describes' rows above. {snapshot_note}\n");
    let _ = writeln!(md, "| kind | items | pages | page bytes | page 1 | page 2 | middle page | last page | mean of first 10 | mean of last 10 | last/first | hyper, same body, sequential | at 1,000 | last/first ≤ 1.25 |");
    let _ = writeln!(
        md,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    for k in &kind_paging {
        let pm = &k.page_median;
        let n = pm.len();
        let (first10, last10) = first_last_10(pm);
        let _ = writeln!(
            md,
            "| {} | {} | {n} | {} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {first10:.2} ms | {last10:.2} ms | {:.2} | {:.2} ms | {} | {} |",
            k.kind,
            k.items,
            k.page_bytes,
            pm[0],
            pm.get(1).copied().unwrap_or(f64::NAN),
            pm[(n / 2).max(1) - 1],
            pm[n - 1],
            last10 / first10,
            k.hyper_p50_us / 1e3,
            k.at_1000_p50_us
                .map_or("–".to_string(), |us| format!("{:.2} ms", us / 1e3)),
            verdict(last10 / first10 <= 1.25)
        );
    }

    // response size
    let per_inst = |a: &[u8], b: &[u8]| (b.len() as f64 - a.len() as f64) / 990.0;
    let el_per_inst =
        |a: &[u8], b: &[u8]| (element_count(b) as f64 - element_count(a) as f64) / 990.0;
    let _ = writeln!(md, "\n### Response size, DescribeInstances (from 10 to 1,000 instances, default subnets, no tags on 99%)\n");
    let _ = writeln!(
        md,
        "| server | bytes per instance | XML elements per instance |"
    );
    let _ = writeln!(md, "|---|---:|---:|");
    let _ = writeln!(
        md,
        "| parlel-ec2 | {:.0} | {:.1} |",
        per_inst(&body_10, &body_1000),
        el_per_inst(&body_10, &body_1000)
    );
    if let (Some(a), Some(b)) = (&moto_body_10, &moto_body_1000) {
        let _ = writeln!(
            md,
            "| moto | {:.0} | {:.1} |",
            per_inst(a, b),
            el_per_inst(a, b)
        );
    }

    drop(big);
    drop(moto);
    drop(hyper);
}
