//! `--data-dir` (src/journal.rs): the state is rebuilt exactly after a restart, a torn last
//! record is ignored, anything else unreadable is an error naming the file that leaves it
//! untouched, a directory of something else is refused untouched, a second process is
//! refused, reset empties it, kill -9 under concurrent load loses no acknowledged write,
//! and durable state works with verified signatures.

use crate::support::{call_at, Server};
use parlel_ec2::image_catalog::ImageCatalog;
use parlel_ec2::journal::Journal;
use parlel_ec2::server::{App, EmulatorHandle};
use parlel_ec2::Config;
use std::path::{Path, PathBuf};

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("parlel-durable-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn start(dir: &Path) -> Server {
    let config = Config {
        transition: std::time::Duration::from_millis(50),
        ..Config::default()
    };
    let app =
        App::with_data_dir(config, ImageCatalog::seed().clone(), dir).expect("open the data dir");
    Server {
        handle: EmulatorHandle::start_app(app, "127.0.0.1:0".parse().unwrap()).unwrap(),
        region: "us-east-1".into(),
        access_key: "parlel".into(),
    }
}

/// The answer without its request id, for comparing two servers' answers.
fn body(s: &Server, action: &str, p: &[(&str, &str)]) -> String {
    let b = s.call(action, p).ok().body;
    let start = b.find("<requestId>").unwrap();
    let end = b.find("</requestId>").unwrap();
    format!("{}{}", &b[..start], &b[end..])
}

#[test]
fn a_restart_rebuilds_the_same_state() {
    let dir = temp_dir("restart");
    let reads: [(&str, Vec<(&str, &str)>); 5] = [
        ("DescribeVpcs", vec![]),
        ("DescribeSubnets", vec![]),
        ("DescribeInstances", vec![]),
        ("DescribeKeyPairs", vec![("IncludePublicKey", "true")]),
        ("DescribeImages", vec![("Owner.1", "self")]),
    ];
    let before: Vec<String> = {
        let s = start(&dir);
        let vpc = s
            .call("CreateVpc", &[("CidrBlock", "10.4.0.0/16")])
            .ok()
            .first("vpcId")
            .unwrap();
        s.call(
            "CreateSubnet",
            &[("VpcId", &vpc), ("CidrBlock", "10.4.1.0/24")],
        )
        .ok();
        s.call("CreateKeyPair", &[("KeyName", "k"), ("KeyType", "ed25519")])
            .ok();
        let i = s
            .call(
                "RunInstances",
                &[
                    ("ImageId", "ami-0abcdef1234567890"),
                    ("InstanceType", "t3.micro"),
                    ("MinCount", "2"),
                    ("MaxCount", "2"),
                    ("KeyName", "k"),
                    ("TagSpecification.1.ResourceType", "instance"),
                    ("TagSpecification.1.Tag.1.Key", "Name"),
                    ("TagSpecification.1.Tag.1.Value", "web"),
                ],
            )
            .ok()
            .first("instanceId")
            .unwrap();
        let settle = || std::thread::sleep(std::time::Duration::from_millis(70));
        settle();
        s.call("StopInstances", &[("InstanceId.1", &i)]).ok();
        settle();
        s.call("CreateImage", &[("InstanceId", &i), ("Name", "durable")])
            .ok();
        // Reads and refused requests are not journaled.
        s.call("DescribeVpcs", &[]).ok();
        assert_eq!(s.call("CreateVpc", &[("CidrBlock", "nope")]).status, 400);
        s.call(
            "CreateVpc",
            &[("CidrBlock", "10.5.0.0/16"), ("DryRun", "true")],
        );
        std::thread::sleep(std::time::Duration::from_millis(120));
        reads.iter().map(|(a, p)| body(&s, a, p)).collect()
    };
    let after: Vec<String> = {
        let s = start(&dir);
        reads.iter().map(|(a, p)| body(&s, a, p)).collect()
    };
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a);
    }
    assert_eq!(
        after[0].matches("<vpcId>").count(),
        2,
        "the default VPC and one more"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn reset_empties_the_journal() {
    let dir = temp_dir("reset");
    {
        let s = start(&dir);
        s.call("CreateVpc", &[("CidrBlock", "10.4.0.0/16")]).ok();
        s.raw(
            "POST",
            "/_parlel/images",
            &[],
            br#"{"Images":[{"ImageId":"ami-0000000000000abcd"}]}"#,
        );
        s.raw("POST", "/_parlel/reset", &[], b"");
    }
    let s = start(&dir);
    assert_eq!(s.call("DescribeVpcs", &[]).ok().all("vpcId").len(), 1);
    // Images added at run time survive a reset, and so a restart after one.
    s.call("DescribeImages", &[("ImageId.1", "ami-0000000000000abcd")])
        .ok();
    drop(s);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_torn_tail_is_ignored_and_other_damage_is_refused() {
    let dir = temp_dir("damage");
    {
        let s = start(&dir);
        s.call("CreateVpc", &[("CidrBlock", "10.4.0.0/16")]).ok();
        s.call("CreateVpc", &[("CidrBlock", "10.6.0.0/16")]).ok();
    }
    let path = dir.join("journal");
    let good = std::fs::read(&path).unwrap();
    // A record cut short by a crash: ignored, and cut off.
    let mut torn = good.clone();
    torn.extend_from_slice(&[200, 0, 0, 0, 1, 2, 3, 4, b'{']);
    std::fs::write(&path, &torn).unwrap();
    {
        let (_, entries) = Journal::open(&dir).unwrap();
        assert_eq!(entries.len(), 3, "the salt and the two VPCs");
    }
    assert_eq!(std::fs::read(&path).unwrap(), good);
    // A damaged record that is not the last: refused, the file left as it is.
    let mut corrupt = good.clone();
    corrupt[16 + 8 + 5] ^= 0x20;
    std::fs::write(&path, &corrupt).unwrap();
    let err = Journal::open(&dir).err().unwrap();
    assert!(
        err.contains(&path.display().to_string()) && err.contains("corrupt"),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), corrupt);
    // A newer format version, and a file something else wrote.
    let mut newer = good.clone();
    newer[8] = 2;
    std::fs::write(&path, &newer).unwrap();
    let err = Journal::open(&dir).err().unwrap();
    assert!(err.contains("version 2"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), newer);
    std::fs::write(&path, b"hello, I am a text file").unwrap();
    let err = Journal::open(&dir).err().unwrap();
    assert!(err.contains("not a parlel-ec2 journal"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_second_process_is_refused() {
    let dir = temp_dir("lock");
    let (_first, _) = Journal::open(&dir).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_parlel-ec2"))
        .args(["--port", "0", "--data-dir"])
        .arg(&dir)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("another parlel-ec2 process is using this data directory"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// kill -9 at random moments while 16 clients create VPCs and tag them: after each
/// restart every VPC a client saw created exists, with its tag. Bounded here (a few
/// hundred requests, three kills); the soak in BENCHMARKS.md runs it longer with
/// `PARLEL_KILL9_ROUNDS` and `PARLEL_KILL9_OPS`.
#[test]
fn kill_9_under_load_loses_no_acknowledged_write() {
    use std::io::{BufRead, BufReader};
    let dir = temp_dir("kill9");
    let spawn = || {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_parlel-ec2"))
            .args(["--port", "0", "--data-dir"])
            .arg(&dir)
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr: std::net::SocketAddr = line
            .trim()
            .rsplit("http://")
            .next()
            .unwrap()
            .parse()
            .unwrap();
        (child, addr)
    };
    // The VPCs the writers made (each tagged `round`), as a restarted server lists them.
    let survivors = |addr| {
        call_at(
            addr,
            "parlel",
            "us-east-1",
            "DescribeVpcs",
            &[("Filter.1.Name", "tag-key"), ("Filter.1.Value.1", "round")],
        )
        .unwrap()
        .ok()
        .all("vpcId")
    };
    let knob = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (rounds, ops) = (knob("PARLEL_KILL9_ROUNDS", 3), knob("PARLEL_KILL9_OPS", 12));
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    for round in 0..rounds {
        let (mut child, addr) = spawn();
        // Everything acknowledged before survived the kill.
        let have = survivors(addr);
        for id in acked.lock().unwrap().iter() {
            assert!(
                have.contains(id),
                "round {round}: {id} was acknowledged and is gone"
            );
        }
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let workers: Vec<_> = (0..16)
            .map(|w| {
                let (acked, stop) = (acked.clone(), stop.clone());
                std::thread::spawn(move || {
                    for n in 0.. {
                        if stop.load(std::sync::atomic::Ordering::Relaxed) || n >= ops {
                            break;
                        }
                        let tag = format!("{round}-{w}-{n}");
                        let r = call_at(
                            addr,
                            "parlel",
                            "us-east-1",
                            "CreateVpc",
                            &[
                                ("CidrBlock", "10.0.0.0/16"),
                                ("TagSpecification.1.ResourceType", "vpc"),
                                ("TagSpecification.1.Tag.1.Key", "round"),
                                ("TagSpecification.1.Tag.1.Value", &tag),
                            ],
                        );
                        match r {
                            Ok(r) if r.status == 200 => {
                                acked.lock().unwrap().push(r.first("vpcId").unwrap())
                            }
                            _ => break, // the server is gone
                        }
                    }
                })
            })
            .collect();
        std::thread::sleep(std::time::Duration::from_millis(40 + 30 * (round % 5)));
        child.kill().unwrap(); // SIGKILL
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for w in workers {
            w.join().unwrap();
        }
        child.wait().unwrap();
    }
    let (mut child, addr) = spawn();
    let have = survivors(addr);
    let acked = acked.lock().unwrap();
    // Not vacuous: some writes were acknowledged (how many depends on the disk's flush time).
    assert!(!acked.is_empty(), "no write was acknowledged");
    for id in acked.iter() {
        assert!(have.contains(id), "{id} was acknowledged and is gone");
    }
    eprintln!(
        "kill -9 soak: {rounds} kills, {} acknowledged writes, all present",
        acked.len()
    );
    child.kill().ok();
    child.wait().ok();
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_foreign_directory_is_refused_untouched() {
    let dir = temp_dir("foreign");
    std::fs::create_dir_all(dir.join("photos")).unwrap();
    std::fs::write(dir.join("notes.txt"), b"mine").unwrap();
    let listing = |d: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let before = listing(&dir);
    let err = Journal::open(&dir).err().unwrap();
    assert!(
        err.starts_with(&format!(
            "{}: not a parlel-ec2 data directory",
            dir.display()
        )),
        "{err}"
    );
    assert_eq!(listing(&dir), before, "nothing was added");
    assert_eq!(std::fs::read(dir.join("notes.txt")).unwrap(), b"mine");
    // The process refuses to start with the same message.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_parlel-ec2"))
        .args(["--port", "0", "--data-dir"])
        .arg(&dir)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("not a parlel-ec2 data directory"),
        "{stderr}"
    );
    assert_eq!(listing(&dir), before);
    std::fs::remove_dir_all(&dir).ok();
    // A missing directory, an empty one, a fresh file system's root (lost+found) and one
    // holding our journal beside other files are all taken.
    let missing = temp_dir("missing").join("deeper");
    drop(Journal::open(&missing).unwrap());
    let empty = temp_dir("empty");
    std::fs::create_dir_all(empty.join("lost+found")).unwrap();
    drop(Journal::open(&empty).unwrap());
    std::fs::write(empty.join("README"), b"state of the demo stack").unwrap();
    let (_, entries) = Journal::open(&empty).unwrap();
    assert_eq!(entries.len(), 1, "the salt");
    std::fs::remove_dir_all(missing.parent().unwrap()).ok();
    std::fs::remove_dir_all(&empty).ok();
}

/// `--data-dir` with `--verify-signatures`: what a signed request created is there after a
/// restart, and the signature is still checked (a wrong secret is refused).
#[test]
fn durable_state_and_verified_signatures_together() {
    use crate::signatures::{signed_as, signer, FORM, KEY};
    let dir = temp_dir("verified");
    let start = || {
        let config = Config {
            verify_signatures: Some(parlel_ec2::sigv4::Credentials::new([
                parlel_ec2::sigv4::Credential {
                    access_key: KEY.access_key.into(),
                    secret: KEY.secret.into(),
                    session_token: None,
                    account: "111122223333".into(),
                },
            ])),
            ..Config::default()
        };
        let app = App::with_data_dir(config, ImageCatalog::seed().clone(), &dir)
            .expect("open the data dir");
        Server {
            handle: EmulatorHandle::start_app(app, "127.0.0.1:0".parse().unwrap()).unwrap(),
            region: "eu-west-1".into(),
            access_key: KEY.access_key.into(),
        }
    };
    let eu = signer::Key {
        region: "eu-west-1",
        ..KEY
    };
    let send = |s: &Server, key: &signer::Key<'_>, pairs: &[(&str, &str)]| {
        let body = signer::query(&[&[("Version", "2016-11-15")], pairs].concat());
        signed_as(
            s,
            key,
            "POST",
            "",
            &[FORM],
            body.as_bytes(),
            body.as_bytes(),
            &signer::amz_date(0),
        )
    };
    let vpc = {
        let s = start();
        send(
            &s,
            &eu,
            &[("Action", "CreateVpc"), ("CidrBlock", "10.4.0.0/16")],
        )
        .ok()
        .first("vpcId")
        .unwrap()
    };
    let s = start();
    let r = send(&s, &eu, &[("Action", "DescribeVpcs"), ("VpcId.1", &vpc)]).ok();
    assert_eq!(r.first("ownerId").as_deref(), Some("111122223333"));
    assert_eq!(r.first("cidrBlock").as_deref(), Some("10.4.0.0/16"));
    // In its Region only.
    let (_, code, _) = send(&s, &KEY, &[("Action", "DescribeVpcs"), ("VpcId.1", &vpc)]).error();
    assert_eq!(code, "InvalidVpcID.NotFound");
    let wrong = signer::Key {
        secret: "not-the-secret",
        ..eu
    };
    let (status, code, _) = send(&s, &wrong, &[("Action", "DescribeVpcs")]).error();
    assert_eq!((status, code.as_str()), (403, "SignatureDoesNotMatch"));
    // An unsigned request is refused too.
    let (status, code, _) = s
        .raw(
            "POST",
            "/",
            &[FORM],
            b"Action=DescribeVpcs&Version=2016-11-15",
        )
        .error();
    assert_eq!((status, code.as_str()), (403, "MissingAuthenticationToken"));
    drop(s);
    std::fs::remove_dir_all(&dir).ok();
}
