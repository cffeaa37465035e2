//! Unit tests of `keys`. Two layers:
//! - pure Rust (always run): known-answer tests against files written by the real
//!   tools (see `src/testdata/README.md`), and structural checks of fresh keys;
//! - external tools (ssh-keygen, openssl, puttygen): each test prints
//!   `SKIPPED (<tool> not installed)` and returns early when its tool is absent.

use super::*;
use rsa::pkcs1::DecodeRsaPrivateKey;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const RSA_KAT_PEM: &str = include_str!("testdata/rsa-kat.pem");
const RSA_KAT_PPK: &str = include_str!("testdata/rsa-kat.ppk");
const RSA_KAT_PUB: &str = include_str!("testdata/rsa-kat.pub");
/// `openssl pkcs8 -in rsa-kat.pem -topk8 -nocrypt -outform DER | openssl sha1 -c`
const RSA_KAT_FP: &str = "3b:f0:2c:8e:b5:e3:cf:eb:03:2e:87:46:a8:b6:55:ef:be:eb:52:74";
/// RFC 8032 section 7.1, TEST 1 secret key.
const ED_KAT_SEED: [u8; 32] = [
    0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c, 0xc4,
    0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60,
];
const ED_KAT_PPK: &str = include_str!("testdata/ed25519-kat.ppk");
/// `ssh-keygen -y` of the RFC 8032 key (comment `kat-key`).
const ED_KAT_PUB: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINdamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea kat-key";
/// `ssh-keygen -lf` prints `SHA256:bbXp...bU8`; EC2 drops the prefix, keeps the `=`.
const ED_KAT_FP: &str = "bbXpuKG6zhzdmnxq256TlqzFBzRl2f6OOg722cYNbU8=";

fn rsa_kat() -> RsaPrivateKey {
    RsaPrivateKey::from_pkcs1_pem(RSA_KAT_PEM).unwrap()
}

fn blob_of(public_key: &str) -> Vec<u8> {
    B64.decode(public_key.split(' ').nth(1).unwrap()).unwrap()
}

#[test]
fn wire_values_round_trip() {
    for t in [KeyType::Rsa, KeyType::Ed25519] {
        assert_eq!(KeyType::parse(t.as_str()), Some(t));
    }
    for f in [KeyFormat::Pem, KeyFormat::Ppk] {
        assert_eq!(KeyFormat::parse(f.as_str()), Some(f));
    }
    assert_eq!(KeyType::parse("RSA"), None);
    assert_eq!(
        (KeyType::default(), KeyFormat::default()),
        (KeyType::Rsa, KeyFormat::Pem)
    );
}

#[test]
fn rsa_known_answer_matches_openssl_ssh_keygen_and_puttygen() {
    let pem = rsa_material(&rsa_kat(), KeyFormat::Pem, "rsa-kat");
    assert_eq!(pem.fingerprint, RSA_KAT_FP);
    assert_eq!(pem.public_key, RSA_KAT_PUB.trim_end());
    assert_eq!(pem.key_material, RSA_KAT_PEM.trim_end());
    let ppk = rsa_material(&rsa_kat(), KeyFormat::Ppk, "rsa-kat");
    assert_eq!(ppk.key_material, RSA_KAT_PPK);
    assert_eq!(
        (ppk.public_key, ppk.fingerprint),
        (pem.public_key, pem.fingerprint)
    );
}

#[test]
fn ed25519_known_answer_matches_ssh_keygen_and_puttygen() {
    let pem = ed25519_material(&ED_KAT_SEED, KeyFormat::Pem, "kat-key", 7);
    assert_eq!(pem.public_key, ED_KAT_PUB);
    assert_eq!(pem.fingerprint, ED_KAT_FP);
    let ppk = ed25519_material(&ED_KAT_SEED, KeyFormat::Ppk, "kat-key", 7);
    assert_eq!(ppk.key_material, ED_KAT_PPK);
}

#[test]
fn fresh_rsa_pem_is_pkcs1_and_fingerprint_is_sha1_of_pkcs8() {
    let m = generate(KeyType::Rsa, KeyFormat::Pem, "fresh");
    assert!(m
        .key_material
        .starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    assert!(m.key_material.ends_with("\n-----END RSA PRIVATE KEY-----"));
    let key = RsaPrivateKey::from_pkcs1_pem(&m.key_material).unwrap();
    assert_eq!(key.size(), 256, "2048-bit modulus");
    assert!(
        key.primes()[0] > key.primes()[1],
        "p > q as OpenSSL writes it"
    );
    let der = key.to_pkcs8_der().unwrap();
    assert_eq!(m.fingerprint, hex(&Sha1::digest(der.as_bytes()), ":"));
    assert_eq!(m.fingerprint.len(), 59); // 20 bytes as xx:xx:...
    assert!(m.public_key.starts_with("ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB"));
    assert!(m.public_key.ends_with(" fresh"));
}

/// Parses the unencrypted `openssh-key-v1` container independently of the writer.
#[test]
fn fresh_ed25519_pem_is_a_consistent_openssh_key() {
    let m = generate(KeyType::Ed25519, KeyFormat::Pem, "fresh-ed");
    let body: String = m
        .key_material
        .strip_prefix("-----BEGIN OPENSSH PRIVATE KEY-----\n")
        .and_then(|s| s.strip_suffix("-----END OPENSSH PRIVATE KEY-----\n"))
        .unwrap()
        .lines()
        .inspect(|l| assert!(l.len() <= 70))
        .collect();
    let raw = B64.decode(body).unwrap();
    let mut r = Reader(raw.strip_prefix(b"openssh-key-v1\0").unwrap());
    assert_eq!(
        (r.string(), r.string(), r.string()),
        (&b"none"[..], &b"none"[..], &b""[..])
    );
    assert_eq!(r.u32(), 1);
    let blob = r.string();
    assert_eq!(blob, blob_of(&m.public_key));
    let mut s = Reader(r.string());
    assert!(r.0.is_empty() && s.0.len() % 8 == 0);
    assert_eq!(s.u32(), s.u32(), "check ints");
    assert_eq!(s.string(), b"ssh-ed25519");
    let public = s.string();
    let secret = s.string();
    let seed: [u8; 32] = secret[..32].try_into().unwrap();
    assert_eq!(
        SigningKey::from_bytes(&seed).verifying_key().as_bytes(),
        public
    );
    assert_eq!(&secret[32..], public);
    assert_eq!(s.string(), b"fresh-ed");
    assert!(
        s.0.iter().enumerate().all(|(i, &b)| b as usize == i + 1),
        "padding 1,2,3.."
    );
    // EC2 form of the OpenSSH SHA256 fingerprint: padded base64, no prefix.
    assert_eq!(m.fingerprint.len(), 44);
    assert!(m.fingerprint.ends_with('=') && !m.fingerprint.starts_with("SHA256:"));
    assert_eq!(
        B64.decode(&m.fingerprint).unwrap(),
        Sha256::digest(blob).to_vec()
    );
}

#[test]
fn fresh_ppk_carries_the_same_public_key() {
    for t in [KeyType::Rsa, KeyType::Ed25519] {
        let m = generate(t, KeyFormat::Ppk, "putty-key");
        let alg = m.public_key.split(' ').next().unwrap();
        let mut lines = m.key_material.lines();
        assert_eq!(
            lines.next(),
            Some(&*format!("PuTTY-User-Key-File-2: {alg}"))
        );
        assert_eq!(lines.next(), Some("Encryption: none"));
        assert_eq!(lines.next(), Some("Comment: putty-key"));
        let n: usize = lines.next().unwrap()["Public-Lines: ".len()..]
            .parse()
            .unwrap();
        let public: String = lines.by_ref().take(n).collect();
        assert_eq!(B64.decode(public).unwrap(), blob_of(&m.public_key));
        assert!(m.key_material.contains("\nPrivate-MAC: "));
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn u32(&mut self) -> u32 {
        let (head, rest) = self.0.split_at(4);
        self.0 = rest;
        u32::from_be_bytes(head.try_into().unwrap())
    }
    fn string(&mut self) -> &'a [u8] {
        let n = self.u32() as usize;
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        head
    }
}

// ---- checks with the real tools (skipped, loudly, when a tool is absent) ----

fn have(tool: &str) -> bool {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
        .unwrap_or(false);
    if !found {
        eprintln!("SKIPPED ({tool} not installed)");
    }
    found
}

/// A 0600 file under the temp dir, removed on drop (also when a test panics).
struct Temp(PathBuf);

impl Temp {
    fn new(tag: &str, contents: &str) -> Temp {
        use std::os::unix::fs::PermissionsExt;
        let name = format!("scratch-keys-{}-{tag}", std::process::id());
        let t = Temp(std::env::temp_dir().join(name));
        std::fs::write(&t.0, contents).unwrap();
        std::fs::set_permissions(&t.0, std::fs::Permissions::from_mode(0o600)).unwrap();
        t
    }
    fn s(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn run(cmd: &str, args: &[&str], stdin: Option<&Path>) -> String {
    let mut c = Command::new(cmd);
    c.args(args).stderr(Stdio::inherit());
    if let Some(p) = stdin {
        c.stdin(std::fs::File::open(p).unwrap());
    }
    let out = c.output().unwrap();
    assert!(out.status.success(), "{cmd} {args:?} failed");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn tool_ssh_keygen_and_openssl_accept_rsa_pem() {
    if !have("ssh-keygen") || !have("openssl") {
        return;
    }
    let m = generate(KeyType::Rsa, KeyFormat::Pem, "cli-rsa");
    let f = Temp::new("rsa.pem", &m.key_material);
    // PKCS#1 has no comment, so ssh-keygen prints `ssh-rsa <blob>` only.
    let derived = run("ssh-keygen", &["-y", "-f", f.s()], None);
    assert_eq!(format!("{} cli-rsa", derived.trim_end()), m.public_key);
    run("openssl", &["rsa", "-check", "-noout", "-in", f.s()], None);
    // The AWS doc recipe: openssl pkcs8 -topk8 -nocrypt -outform DER | openssl sha1 -c
    let der = Temp::new("rsa.der", "");
    let args = [
        "pkcs8",
        "-in",
        f.s(),
        "-topk8",
        "-nocrypt",
        "-outform",
        "DER",
        "-out",
        der.s(),
    ];
    run("openssl", &args, None);
    let sha1 = run("openssl", &["sha1", "-c"], Some(&der.0));
    assert_eq!(sha1.trim_end().rsplit(' ').next().unwrap(), m.fingerprint);
}

#[test]
fn tool_ssh_keygen_accepts_ed25519_pem_and_signs_with_it() {
    if !have("ssh-keygen") {
        return;
    }
    let m = generate(KeyType::Ed25519, KeyFormat::Pem, "cli-ed");
    let f = Temp::new("ed.pem", &m.key_material);
    assert_eq!(
        run("ssh-keygen", &["-y", "-f", f.s()], None).trim_end(),
        m.public_key
    );
    let listed = run("ssh-keygen", &["-l", "-f", f.s()], None);
    let want = format!(
        "256 SHA256:{} cli-ed (ED25519)",
        m.fingerprint.trim_end_matches('=')
    );
    assert_eq!(listed.trim_end(), want);
    // A signature made from the private half verifies: seed and public key agree.
    let data = Temp::new("ed.data", "payload");
    let sig = Temp(PathBuf::from(format!("{}.sig", data.s())));
    run(
        "ssh-keygen",
        &["-q", "-Y", "sign", "-f", f.s(), "-n", "file", data.s()],
        None,
    );
    let check = ["-Y", "check-novalidate", "-n", "file", "-s", sig.s()];
    run("ssh-keygen", &check, Some(&data.0));
}

#[test]
fn tool_puttygen_loads_ppk_and_matches_its_own_conversion() {
    if !have("puttygen") {
        return;
    }
    for (t, tag) in [(KeyType::Rsa, "rsa"), (KeyType::Ed25519, "ed")] {
        let m = generate(t, KeyFormat::Ppk, "cli-ppk");
        let f = Temp::new(&format!("{tag}.ppk"), &m.key_material);
        // puttygen verifies the MAC when loading; then compare the public key.
        let public = run("puttygen", &[f.s(), "-O", "public-openssh"], None);
        assert_eq!(public.trim_end(), m.public_key);
        // Out through OpenSSH format and back: puttygen must reproduce our bytes.
        let ossh = Temp::new(&format!("{tag}.ossh"), "");
        run(
            "puttygen",
            &[f.s(), "-O", "private-openssh-new", "-o", ossh.s()],
            None,
        );
        let back = Temp::new(&format!("{tag}.back.ppk"), "");
        let args = [
            ossh.s(),
            "-O",
            "private",
            "--ppk-param",
            "version=2",
            "-C",
            "cli-ppk",
        ];
        run("puttygen", &[&args[..], &["-o", back.s()]].concat(), None);
        assert_eq!(std::fs::read_to_string(&back.0).unwrap(), m.key_material);
    }
}
