//! Key material for EC2 `CreateKeyPair`, shaped the way Amazon EC2 returns it.
//!
//! Facts and where they come from:
//! - RSA keys are 2048-bit; `pem` material is an unencrypted PKCS#1 PEM
//!   (`-----BEGIN RSA PRIVATE KEY-----`), `ppk` is an unencrypted PuTTY key
//!   (EC2 API reference, CreateKeyPair:
//!   <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateKeyPair.html>).
//! - Fingerprint of an RSA key *created* by EC2: SHA-1 of the DER PKCS#8 private
//!   key, i.e. `openssl pkcs8 -topk8 -nocrypt -outform DER | openssl sha1 -c`
//!   (EC2 user guide, "Verify the fingerprint of your key pair":
//!   <https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/verify-keys.html>).
//! - Fingerprint of an ED25519 key: base64 SHA-256 of the SSH public key blob,
//!   *with* `=` padding and *without* the `SHA256:` prefix that ssh-keygen prints
//!   (same guide: "Amazon EC2 might append padding to the fingerprint with `=`";
//!   observed values such as `odzmoB4gyxi1jn9vGD4c+bOpt1XUX1JUyaHaWHHCO2w=` in
//!   mulgadc/spinifex PR #571 and eksctl-io/eksctl PR #5151).
//! - `PublicKey` (DescribeKeyPairs `IncludePublicKey=true`) is the OpenSSH line
//!   with the key pair name as comment, e.g. `ssh-ed25519 AAAA... my-key-pair`
//!   (EC2 user guide, "Describe your key pairs":
//!   <https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/describe-keys.html>).
//! - ED25519 `pem` material is the OpenSSH private key format (PROTOCOL.key in
//!   OpenSSH), written unencrypted as `ssh-keygen` writes it (70-column base64).
//!
//! Not verifiable from public docs, chosen and documented here:
//! - PPK version: we emit `PuTTY-User-Key-File-2` (unencrypted, HMAC-SHA-1 MAC),
//!   which every PuTTY since 0.52 and every PPK-reading library accepts (PPK v3 is
//!   rejected by older tools). PuTTY's format spec: PuTTY manual, appendix C.
//! - Comments: the key name is used as the comment of the PPK and of the
//!   OpenSSH private key, like the public key line.
//! - The RSA PEM has no trailing newline (the CreateKeyPair XML example ends the
//!   `keyMaterial` at `-----END RSA PRIVATE KEY-----`); the OpenSSH key ends with
//!   a newline as ssh-keygen writes it (older OpenSSH refuses it without one).

mod import;
pub use import::{encrypt_to, import, ImportError, ImportedKey};

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use ed25519_dalek::SigningKey;
use hmac::{Hmac, Mac};
use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
use rsa::pkcs8::EncodePrivateKey;
use rsa::rand_core::RngCore;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey};
use sha1::{Digest, Sha1};
use sha2::Sha256;

/// `KeyType` of CreateKeyPair (`rsa` is the API default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyType {
    #[default]
    Rsa,
    Ed25519,
}

impl KeyType {
    /// Wire value as used by the EC2 API (`rsa` / `ed25519`).
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::Rsa => "rsa",
            KeyType::Ed25519 => "ed25519",
        }
    }

    /// Parses the EC2 wire value (case-sensitive, as EC2 is).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "rsa" => Some(KeyType::Rsa),
            "ed25519" => Some(KeyType::Ed25519),
            _ => None,
        }
    }
}

/// `KeyFormat` of CreateKeyPair (`pem` is the API default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyFormat {
    #[default]
    Pem,
    Ppk,
}

impl KeyFormat {
    /// Wire value as used by the EC2 API (`pem` / `ppk`).
    pub fn as_str(self) -> &'static str {
        match self {
            KeyFormat::Pem => "pem",
            KeyFormat::Ppk => "ppk",
        }
    }

    /// Parses the EC2 wire value (case-sensitive, as EC2 is).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pem" => Some(KeyFormat::Pem),
            "ppk" => Some(KeyFormat::Ppk),
            _ => None,
        }
    }
}

/// What CreateKeyPair returns (`key_material`, `fingerprint`) plus the public key
/// line DescribeKeyPairs returns with `IncludePublicKey`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMaterial {
    pub key_material: String,
    pub public_key: String,
    pub fingerprint: String,
}

/// Generates a fresh key pair as EC2 CreateKeyPair would.
pub fn generate(key_type: KeyType, format: KeyFormat, key_name: &str) -> KeyMaterial {
    match key_type {
        KeyType::Rsa => {
            let key =
                RsaPrivateKey::new(&mut crate::rng::rng(), 2048).expect("RSA-2048 key generation");
            rsa_material(&p_above_q(key), format, key_name)
        }
        KeyType::Ed25519 => {
            let mut seed = [0u8; 32];
            crate::rng::rng().fill_bytes(&mut seed);
            ed25519_material(&seed, format, key_name, crate::rng::rng().next_u32())
        }
    }
}

/// Orders the primes p > q, as OpenSSL and PuTTY do (PuTTY swaps them on load),
/// so PKCS#1 and PPK output look like theirs; `iqmp` is then `q^-1 mod p`.
fn p_above_q(key: RsaPrivateKey) -> RsaPrivateKey {
    match key.primes() {
        [p, q] if p < q => {
            let (n, e, d) = (key.n().clone(), key.e().clone(), key.d().clone());
            RsaPrivateKey::from_components(n, e, d, vec![q.clone(), p.clone()])
                .expect("same key with swapped primes")
        }
        _ => key,
    }
}

fn rsa_material(key: &RsaPrivateKey, format: KeyFormat, name: &str) -> KeyMaterial {
    let pkcs8 = key.to_pkcs8_der().expect("PKCS#8 encoding");
    let mut blob = Vec::new();
    put_str(&mut blob, b"ssh-rsa");
    put_mpint(&mut blob, key.e());
    put_mpint(&mut blob, key.n());
    let key_material = match format {
        KeyFormat::Pem => {
            let pem = key.to_pkcs1_pem(LineEnding::LF).expect("PKCS#1 encoding");
            pem.trim_end().to_string()
        }
        KeyFormat::Ppk => {
            let [p, q] = key.primes() else {
                unreachable!("RsaPrivateKey::new makes two-prime keys")
            };
            let iqmp = key.crt_coefficient().expect("q is invertible mod p");
            let mut private = Vec::new();
            for part in [key.d(), p, q, &iqmp] {
                put_mpint(&mut private, part);
            }
            ppk_v2("ssh-rsa", name, &blob, &private)
        }
    };
    KeyMaterial {
        key_material,
        public_key: format!("ssh-rsa {} {name}", B64.encode(&blob)),
        fingerprint: hex(&Sha1::digest(pkcs8.as_bytes()), ":"),
    }
}

fn ed25519_material(seed: &[u8; 32], format: KeyFormat, name: &str, check: u32) -> KeyMaterial {
    let public = SigningKey::from_bytes(seed).verifying_key().to_bytes();
    let mut blob = Vec::new();
    put_str(&mut blob, b"ssh-ed25519");
    put_str(&mut blob, &public);
    let key_material = match format {
        KeyFormat::Pem => openssh_ed25519(&blob, seed, &public, name, check),
        KeyFormat::Ppk => {
            // PuTTY keeps the 32-byte seed as a plain string (checked against puttygen).
            let mut private = Vec::new();
            put_str(&mut private, seed);
            ppk_v2("ssh-ed25519", name, &blob, &private)
        }
    };
    KeyMaterial {
        key_material,
        public_key: format!("ssh-ed25519 {} {name}", B64.encode(&blob)),
        fingerprint: B64.encode(Sha256::digest(&blob)),
    }
}

/// OpenSSH `openssh-key-v1` container, cipher and KDF `none`, one key.
fn openssh_ed25519(blob: &[u8], seed: &[u8], public: &[u8], name: &str, check: u32) -> String {
    let mut section = Vec::new();
    section.extend_from_slice(&check.to_be_bytes());
    section.extend_from_slice(&check.to_be_bytes());
    put_str(&mut section, b"ssh-ed25519");
    put_str(&mut section, public);
    put_str(&mut section, &[seed, public].concat());
    put_str(&mut section, name.as_bytes());
    let mut pad = 1u8;
    while section.len() % 8 != 0 {
        section.push(pad);
        pad += 1;
    }
    let mut out = b"openssh-key-v1\0".to_vec();
    put_str(&mut out, b"none");
    put_str(&mut out, b"none");
    put_str(&mut out, b"");
    out.extend_from_slice(&1u32.to_be_bytes());
    put_str(&mut out, blob);
    put_str(&mut out, &section);
    format!(
        "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n-----END OPENSSH PRIVATE KEY-----\n",
        wrap(&B64.encode(&out), 70)
    )
}

/// PuTTY private key file, version 2, unencrypted (PuTTY manual, appendix C).
fn ppk_v2(algorithm: &str, comment: &str, public: &[u8], private: &[u8]) -> String {
    let mac_key = Sha1::digest(b"putty-private-key-file-mac-key"); // + empty passphrase
    let mut mac = Hmac::<Sha1>::new_from_slice(&mac_key).expect("HMAC takes any key length");
    let mut signed = Vec::new();
    for field in [
        algorithm.as_bytes(),
        b"none",
        comment.as_bytes(),
        public,
        private,
    ] {
        put_str(&mut signed, field);
    }
    mac.update(&signed);
    let (public, private) = (
        wrap(&B64.encode(public), 64),
        wrap(&B64.encode(private), 64),
    );
    format!(
        "PuTTY-User-Key-File-2: {algorithm}\nEncryption: none\nComment: {comment}\n\
         Public-Lines: {}\n{public}\nPrivate-Lines: {}\n{private}\nPrivate-MAC: {}\n",
        public.lines().count(),
        private.lines().count(),
        hex(&mac.finalize().into_bytes(), "")
    )
}

/// RFC 4251 `string`.
fn put_str(out: &mut Vec<u8>, data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(data);
}

/// RFC 4251 `mpint` of a non-negative integer.
fn put_mpint(out: &mut Vec<u8>, n: &BigUint) {
    let mut bytes = n.to_bytes_be();
    if bytes == [0] {
        bytes.clear();
    } else if bytes[0] & 0x80 != 0 {
        bytes.insert(0, 0);
    }
    put_str(out, &bytes);
}

fn wrap(text: &str, width: usize) -> String {
    let lines: Vec<&str> = text
        .as_bytes()
        .chunks(width)
        .map(|c| std::str::from_utf8(c).expect("base64 is ASCII"))
        .collect();
    lines.join("\n")
}

fn hex(bytes: &[u8], sep: &str) -> String {
    let parts: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    parts.join(sep)
}

#[cfg(test)]
mod tests;
