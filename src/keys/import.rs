//! Public keys for EC2 `ImportKeyPair`.
//!
//! Facts and where they come from (EC2 user guide, "Import your own public key to
//! Amazon EC2", and the ImportKeyPair API reference):
//! - Accepted formats: an OpenSSH public key line (`ssh-rsa AAAA… comment`), the
//!   RFC 4716 SSH2 public key file (`---- BEGIN SSH2 PUBLIC KEY ----`), and
//!   base64-encoded DER. RSA keys of 1024, 2048 or 4096 bits and ED25519 keys;
//!   DSA and ECDSA keys are refused.
//! - Fingerprint of an *imported* RSA key: MD5 of the DER SubjectPublicKeyInfo,
//!   colon-separated (user guide, "Verify the fingerprint": `openssl rsa -pubout
//!   -outform DER | openssl md5 -c`), which is not what `ssh-keygen -l -E md5` prints.
//!   ED25519 keys get the same base64 SHA-256 fingerprint as created ones.
//!
//! Chosen here, not verifiable from public docs: the stored public key line
//! (DescribeKeyPairs `IncludePublicKey`) is the key in OpenSSH form with the key pair
//! name as comment, like a created key's; the caller's comment is dropped.

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use md5::Md5;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::{DecodePublicKey, EncodePublicKey};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPublicKey};
use sha1::Digest;
use sha2::Sha256;

use super::{hex, put_mpint, put_str, KeyType};

/// What ImportKeyPair keeps of a public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedKey {
    pub key_type: KeyType,
    pub public_key: String,
    pub fingerprint: String,
}

/// Why a key was refused; the handler (`handlers::key_pairs::import_key_pair`) answers
/// either with EC2's `InvalidKey.Format`, "Key is not in valid OpenSSH public key format".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// Not one of the three accepted encodings, or a malformed key inside one.
    Format,
    /// An RSA key of a length EC2 does not take.
    RsaLength(usize),
}

/// Parses `material` (the decoded `PublicKeyMaterial` blob) as EC2 does.
pub fn import(material: &[u8], key_name: &str) -> Result<ImportedKey, ImportError> {
    let text = std::str::from_utf8(material)
        .map_err(|_| ImportError::Format)?
        .trim();
    let key = if let Some(body) = rfc4716_body(text) {
        from_ssh_blob(&decode(&body)?)?
    } else if let Some((algorithm, b64)) = openssh_fields(text) {
        let key = from_ssh_blob(&decode(b64)?)?;
        if key.algorithm() != algorithm {
            return Err(ImportError::Format);
        }
        key
    } else {
        let der = decode(&text.split_whitespace().collect::<String>())?;
        let rsa = RsaPublicKey::from_public_key_der(&der)
            .or_else(|_| RsaPublicKey::from_pkcs1_der(&der))
            .map_err(|_| ImportError::Format)?;
        Parsed::Rsa(rsa)
    };
    key.finish(key_name)
}

/// Encrypts `secret` to the RSA key of an OpenSSH public key line with PKCS#1 v1.5
/// padding, as EC2 encrypts a Windows administrator password for GetPasswordData
/// (user guide, "Retrieve the password": decrypted with `openssl pkeyutl -decrypt`
/// / `rsautl`, whose default padding is PKCS#1 v1.5). `None` for non-RSA keys.
pub fn encrypt_to(public_key_line: &str, secret: &[u8]) -> Option<Vec<u8>> {
    let (_, b64) = openssh_fields(public_key_line)?;
    let Parsed::Rsa(rsa) = from_ssh_blob(&decode(b64).ok()?).ok()? else {
        return None;
    };
    rsa.encrypt(&mut crate::rng::rng(), rsa::Pkcs1v15Encrypt, secret)
        .ok()
}

enum Parsed {
    Rsa(RsaPublicKey),
    Ed25519([u8; 32]),
}

impl Parsed {
    fn algorithm(&self) -> &'static str {
        match self {
            Parsed::Rsa(_) => "ssh-rsa",
            Parsed::Ed25519(_) => "ssh-ed25519",
        }
    }

    fn finish(self, key_name: &str) -> Result<ImportedKey, ImportError> {
        let mut blob = Vec::new();
        put_str(&mut blob, self.algorithm().as_bytes());
        let (key_type, fingerprint) = match &self {
            Parsed::Rsa(rsa) => {
                let bits = rsa.n().bits();
                if ![1024, 2048, 4096].contains(&bits) {
                    return Err(ImportError::RsaLength(bits));
                }
                put_mpint(&mut blob, rsa.e());
                put_mpint(&mut blob, rsa.n());
                let spki = rsa.to_public_key_der().map_err(|_| ImportError::Format)?;
                (KeyType::Rsa, hex(&Md5::digest(spki.as_bytes()), ":"))
            }
            Parsed::Ed25519(public) => {
                put_str(&mut blob, public);
                (KeyType::Ed25519, B64.encode(Sha256::digest(&blob)))
            }
        };
        Ok(ImportedKey {
            key_type,
            public_key: format!("{} {} {key_name}", self.algorithm(), B64.encode(&blob)),
            fingerprint,
        })
    }
}

fn decode(b64: &str) -> Result<Vec<u8>, ImportError> {
    B64.decode(b64).map_err(|_| ImportError::Format)
}

/// `ssh-rsa AAAA… [comment]`: the algorithm and the base64 field.
fn openssh_fields(text: &str) -> Option<(&str, &str)> {
    let mut fields = text.split_whitespace();
    let algorithm = fields.next()?;
    let b64 = fields.next()?;
    algorithm.starts_with("ssh-").then_some((algorithm, b64))
}

/// The base64 body of an RFC 4716 file: header lines (`Tag: value`, continued by a
/// trailing backslash) are skipped.
fn rfc4716_body(text: &str) -> Option<String> {
    let rest = text.strip_prefix("---- BEGIN SSH2 PUBLIC KEY ----")?;
    let (inner, _) = rest.split_once("---- END SSH2 PUBLIC KEY ----")?;
    let mut body = String::new();
    let mut continued = false;
    for line in inner.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if continued || line.contains(':') {
            continued = line.ends_with('\\');
            continue;
        }
        body.push_str(line);
    }
    Some(body)
}

/// RFC 4253 §6.6 public key blob: `ssh-rsa` (e, n) or `ssh-ed25519` (32 bytes).
fn from_ssh_blob(blob: &[u8]) -> Result<Parsed, ImportError> {
    let mut r = Reader(blob);
    let key = match r.string()? {
        b"ssh-rsa" => {
            let e = BigUint::from_bytes_be(r.string()?);
            let n = BigUint::from_bytes_be(r.string()?);
            Parsed::Rsa(RsaPublicKey::new(n, e).map_err(|_| ImportError::Format)?)
        }
        b"ssh-ed25519" => Parsed::Ed25519(r.string()?.try_into().map_err(|_| ImportError::Format)?),
        _ => return Err(ImportError::Format),
    };
    if !r.0.is_empty() {
        return Err(ImportError::Format);
    }
    Ok(key)
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    /// RFC 4251 `string` (an `mpint` reads the same way).
    fn string(&mut self) -> Result<&'a [u8], ImportError> {
        let (len, rest) = self.0.split_first_chunk::<4>().ok_or(ImportError::Format)?;
        let len = u32::from_be_bytes(*len) as usize;
        if rest.len() < len {
            return Err(ImportError::Format);
        }
        let (s, rest) = rest.split_at(len);
        self.0 = rest;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{generate, KeyFormat};

    /// A created key's public line imports to the same key: the ED25519 fingerprint
    /// is the created one, the RSA one is MD5 of the SPKI DER (verify-keys guide).
    #[test]
    fn created_keys_import_with_ec2_fingerprints() {
        let ed = generate(KeyType::Ed25519, KeyFormat::Pem, "a");
        let got = import(ed.public_key.as_bytes(), "b").unwrap();
        assert_eq!(got.fingerprint, ed.fingerprint);
        assert_eq!(got.key_type, KeyType::Ed25519);
        assert_eq!(got.public_key, ed.public_key.replace(" a", " b"));

        let rsa = generate(KeyType::Rsa, KeyFormat::Pem, "a");
        let got = import(rsa.public_key.as_bytes(), "a").unwrap();
        assert_eq!(got.public_key, rsa.public_key);
        assert_eq!(got.fingerprint.len(), 47, "16 colon-separated bytes");
        assert_ne!(got.fingerprint, rsa.fingerprint, "imported ≠ created rule");
    }

    /// A key made by `ssh-keygen -t rsa -b 2048`; its EC2 fingerprint computed with
    /// `ssh-keygen -e -m PKCS8 -f k.pub | openssl pkey -pubin -outform DER | openssl
    /// md5 -c` (the verify-keys guide's recipe for imported keys).
    #[test]
    fn rsa_fingerprint_matches_openssl() {
        let line = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQClixXNbkMGWY7yHHIfDr42QksTgn+EjwJKunyrHZScXzkYOpE3tv7QYVhdF4tILLcvcU2D9ovm7awL6XKZqh1wYoes/0D1CKW6Tgw+cQIQfXtPFQar5XHYhUZINpsk+AeSUzigsPCtA2Gsqfj9u3I8y54GC9vS9TemnJ830/Oa53+cPiKg5auSd4gsdIZQjNJvIGYWVwaLHuaqrvnDOukZynU7wXkmg8gvLtCzrIQkYN1wjjpvMT0LC5P23iiBUyACbiqh7mu8vJU4gs/QDqIR/U5F/RXKvietmrtBpjAXPCcTpPvIOSAsNoKidzxXNf2aDruGEcwmFZZOzz2IN5Bh me@host";
        let got = import(line.as_bytes(), "mine").unwrap();
        assert_eq!(
            got.fingerprint,
            "63:17:18:6e:34:a6:77:70:e0:da:44:7e:28:67:0f:73"
        );
        assert_eq!(got.key_type, KeyType::Rsa);
        assert!(got.public_key.ends_with(" mine") && line.starts_with(&got.public_key[..300]));
    }

    /// The three formats of the user guide give one key; the fingerprint is fixed by
    /// the key (checked against `openssl rsa -pubin -outform DER | openssl md5 -c`).
    #[test]
    fn openssh_rfc4716_and_der_agree() {
        let rsa = generate(KeyType::Rsa, KeyFormat::Pem, "k");
        let b64 = rsa.public_key.split(' ').nth(1).unwrap();
        let blob = B64.decode(b64).unwrap();
        let Parsed::Rsa(key) = from_ssh_blob(&blob).unwrap() else {
            panic!("rsa")
        };
        let der = B64.encode(key.to_public_key_der().unwrap().as_bytes());
        let rfc = format!(
            "---- BEGIN SSH2 PUBLIC KEY ----\nComment: \"long \\\nvalue\"\n{}\n{}\n---- END SSH2 PUBLIC KEY ----\n",
            &b64[..64],
            &b64[64..]
        );
        let a = import(rsa.public_key.as_bytes(), "k").unwrap();
        assert_eq!(import(rfc.as_bytes(), "k").unwrap(), a);
        assert_eq!(import(der.as_bytes(), "k").unwrap(), a);
    }

    /// The Windows password blob decrypts with the private key (PKCS#1 v1.5), as
    /// `openssl pkeyutl -decrypt -inkey key.pem` would; ED25519 keys cannot hold one.
    #[test]
    fn password_data_decrypts_with_the_private_key() {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        let rsa = generate(KeyType::Rsa, KeyFormat::Pem, "w");
        let blob = encrypt_to(&rsa.public_key, b"Secret-123").unwrap();
        let private = rsa::RsaPrivateKey::from_pkcs1_pem(&rsa.key_material).unwrap();
        assert_eq!(
            private.decrypt(rsa::Pkcs1v15Encrypt, &blob).unwrap(),
            b"Secret-123"
        );
        let ed = generate(KeyType::Ed25519, KeyFormat::Pem, "w");
        assert_eq!(encrypt_to(&ed.public_key, b"x"), None);
    }

    /// Garbage, a mislabelled line, a truncated blob and an unsupported algorithm are
    /// refused; so is an RSA key that is not 1024, 2048 or 4096 bits.
    #[test]
    fn refuses_what_ec2_refuses() {
        let ed = generate(KeyType::Ed25519, KeyFormat::Pem, "a").public_key;
        let b64 = ed.split(' ').nth(1).unwrap();
        for bad in [
            "hello".to_string(),
            format!("ssh-rsa {b64}"),
            format!("ssh-ed25519 {}", &b64[..40]),
            "ssh-dss AAAAB3NzaC1kc3MAAAACAQI=".to_string(),
            String::new(),
        ] {
            assert_eq!(
                import(bad.as_bytes(), "a"),
                Err(ImportError::Format),
                "{bad}"
            );
        }
        assert_eq!(import(&[0xff, 0xfe], "a"), Err(ImportError::Format));
        let small = RsaPublicKey::new(
            (BigUint::from(1u8) << 1535usize) + 1u8,
            BigUint::from(65537u32),
        );
        let der = B64.encode(small.unwrap().to_public_key_der().unwrap().as_bytes());
        assert_eq!(
            import(der.as_bytes(), "a"),
            Err(ImportError::RsaLength(1536))
        );
    }
}
