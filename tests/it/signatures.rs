//! `--verify-signatures` over HTTP (src/sigv4.rs cites each wording): every refusal, and
//! requests signed by an independent signer written here from the AWS documentation (GET
//! with a query string, POST with a form body, spaces, non-ASCII, empty values, repeated
//! keys, the presigned form) accepted, a body changed after signing refused. The real
//! SDKs sign in tests/sdk/signatures.test.mjs and tests/boto3/test_signatures.py; the
//! signing primitive is checked against AWS's published example in src/sigv4.rs.

use crate::support::Server;
use parlel_ec2::server::EmulatorHandle;
use parlel_ec2::sigv4::{Credential, Credentials};
use parlel_ec2::Config;

fn server() -> Server {
    let config = Config {
        verify_signatures: Some(Credentials::new([
            Credential {
                access_key: "AKIAKEY".into(),
                secret: "secret".into(),
                session_token: None,
                account: "111122223333".into(),
            },
            Credential {
                access_key: "ASIATEMP".into(),
                secret: "secret".into(),
                session_token: Some("the-token".into()),
                account: "111122223333".into(),
            },
        ])),
        ..Config::default()
    };
    Server {
        handle: EmulatorHandle::start_with(config, "127.0.0.1:0".parse().unwrap()).unwrap(),
        region: "us-east-1".into(),
        access_key: "AKIAKEY".into(),
    }
}

fn now_amz() -> String {
    let t =
        parlel_ec2::clock::Timestamp::now().format(parlel_ec2::clock::TimestampFormat::DateTime);
    // 2026-12-02T01:02:03.000Z → 20261202T010203Z
    format!(
        "{}{}{}T{}{}{}Z",
        &t[0..4],
        &t[5..7],
        &t[8..10],
        &t[11..13],
        &t[14..16],
        &t[17..19]
    )
}

fn post(s: &Server, headers: &[(&str, &str)]) -> (u16, String, String) {
    let r = s.raw(
        "POST",
        "/",
        &[
            &[("Content-Type", "application/x-www-form-urlencoded")],
            headers,
        ]
        .concat(),
        b"Action=DescribeVpcs&Version=2016-11-15",
    );
    let (status, code, message) = r.error();
    (status, code, message)
}

fn auth(credential: &str) -> String {
    format!("AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders=host;x-amz-date, Signature=00")
}

#[test]
fn refusals_before_the_signature() {
    let s = server();
    let date = now_amz();
    let day = &date[..8];
    // No signature at all.
    let (status, code, _) = post(&s, &[]);
    assert_eq!((status, code.as_str()), (403, "MissingAuthenticationToken"));
    // A header without its parts: AWS lists each missing one.
    let (status, code, message) = post(
        &s,
        &[("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAKEY/x")],
    );
    assert_eq!((status, code.as_str()), (400, "IncompleteSignature"));
    assert!(message.starts_with(
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. \
         Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
    ), "{message}");
    // An unknown key.
    let h = auth(&format!("AKIAOTHER/{day}/us-east-1/ec2/aws4_request"));
    let (status, code, _) = post(&s, &[("Authorization", &h), ("X-Amz-Date", &date)]);
    assert_eq!((status, code.as_str()), (401, "AuthFailure"));
    // The scope's date, service and terminator.
    let h = auth("AKIAKEY/20200101/us-east-1/ec2/aws4_request");
    let (status, code, message) = post(&s, &[("Authorization", &h), ("X-Amz-Date", &date)]);
    assert_eq!((status, code.as_str()), (403, "SignatureDoesNotMatch"));
    assert!(
        message.starts_with("Date in Credential scope does not match YYYYMMDD"),
        "{message}"
    );
    let h = auth(&format!("AKIAKEY/{day}/us-east-1/s3/aws4_request"));
    let (_, code, message) = post(&s, &[("Authorization", &h), ("X-Amz-Date", &date)]);
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "SignatureDoesNotMatch",
            "Credential should be scoped to correct service: 'ec2'. "
        )
    );
    let h = auth(&format!("AKIAKEY/{day}/us-east-1/ec2/aws5_request"));
    let (_, _, message) = post(&s, &[("Authorization", &h), ("X-Amz-Date", &date)]);
    assert_eq!(
        message,
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."
    );
    // More than 15 minutes off.
    let h = auth("AKIAKEY/20200101/us-east-1/ec2/aws4_request");
    let (status, code, message) = post(
        &s,
        &[("Authorization", &h), ("X-Amz-Date", "20200101T000000Z")],
    );
    assert_eq!(
        (status, code.as_str(), message.as_str()),
        (400, "RequestExpired", "Request has expired.")
    );
    // A session token is required for the credential that has one, and must match.
    let h = auth(&format!("ASIATEMP/{day}/us-east-1/ec2/aws4_request"));
    let (_, code, _) = post(&s, &[("Authorization", &h), ("X-Amz-Date", &date)]);
    assert_eq!(code, "AuthFailure");
    let (_, code, _) = post(
        &s,
        &[
            ("Authorization", &h),
            ("X-Amz-Date", &date),
            ("X-Amz-Security-Token", "wrong"),
        ],
    );
    assert_eq!(code, "AuthFailure");
    // Right token, made-up signature: only now is the signature compared.
    let (_, code, _) = post(
        &s,
        &[
            ("Authorization", &h),
            ("X-Amz-Date", &date),
            ("X-Amz-Security-Token", "the-token"),
        ],
    );
    assert_eq!(code, "SignatureDoesNotMatch");
    // A presigned URL past its expiry.
    let q = "/?Action=DescribeVpcs&Version=2016-11-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAKEY%2F20200101%2Fus-east-1%2Fec2%2Faws4_request&X-Amz-Date=20200101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00";
    let (status, code, _) = s.raw("GET", q, &[], b"").error();
    assert_eq!((status, code.as_str()), (400, "RequestExpired"));
    // The admin routes stay open.
    assert_eq!(s.raw("GET", "/_parlel/health", &[], b"").status, 200);
}

/// An independent SigV4 signer for the tests, written from the AWS documentation ("Create
/// a signed AWS API request", IAM User Guide) rather than from src/sigv4.rs: the wire query
/// is built from pairs encoded as RFC 3986 unreserved characters, and the canonical query
/// is those encoded pairs sorted.
pub mod signer {
    use hmac::{Hmac, Mac};
    use sha2::{Digest, Sha256};

    pub fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    pub fn sha256_hex(b: &[u8]) -> String {
        hex(&Sha256::digest(b))
    }

    fn hmac(key: &[u8], data: &str) -> Vec<u8> {
        let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
        m.update(data.as_bytes());
        m.finalize().into_bytes().to_vec()
    }

    /// `A-Z a-z 0-9 - _ . ~` as they are, every other byte `%XY`.
    pub fn encode(s: &str) -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    }

    /// Pairs as a wire query (or form body), in the given order.
    pub fn query(pairs: &[(&str, &str)]) -> String {
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The canonical query of a wire query built by [`query`]: its pairs sorted.
    fn canonical_query(wire: &str) -> String {
        let mut pairs: Vec<&str> = wire.split('&').filter(|p| !p.is_empty()).collect();
        // By name, then by value (byte order of the encoded forms).
        pairs.sort_by(|a, b| {
            let (ak, av) = a.split_once('=').unwrap_or((a, ""));
            let (bk, bv) = b.split_once('=').unwrap_or((b, ""));
            (ak, av).cmp(&(bk, bv))
        });
        pairs.join("&")
    }

    pub struct Key<'a> {
        pub access_key: &'a str,
        pub secret: &'a str,
        pub region: &'a str,
    }

    impl Key<'_> {
        fn signature(&self, amz_date: &str, canonical: &str) -> String {
            let day = &amz_date[..8];
            let scope = format!("{day}/{}/ec2/aws4_request", self.region);
            let to_sign = format!(
                "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
                sha256_hex(canonical.as_bytes())
            );
            let k = hmac(format!("AWS4{}", self.secret).as_bytes(), day);
            let k = hmac(&k, self.region);
            let k = hmac(&k, "ec2");
            let k = hmac(&k, "aws4_request");
            hex(&hmac(&k, &to_sign))
        }

        pub fn credential(&self, amz_date: &str) -> String {
            format!(
                "{}/{}/{}/ec2/aws4_request",
                self.access_key,
                &amz_date[..8],
                self.region
            )
        }

        /// The `Authorization` header of a request whose headers (besides `host`, added
        /// here) are `headers` (lower-case names, all signed) and whose payload hash is
        /// `payload_hash`.
        pub fn authorization(
            &self,
            method: &str,
            host: &str,
            query: &str,
            headers: &[(&str, &str)],
            payload_hash: &str,
            amz_date: &str,
        ) -> String {
            let mut all: Vec<(String, String)> = headers
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_string()))
                .collect();
            all.push(("host".into(), host.into()));
            all.sort();
            let canonical_headers: String = all.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
            let signed = all
                .iter()
                .map(|(k, _)| k.as_str())
                .collect::<Vec<_>>()
                .join(";");
            let canonical = format!(
                "{method}\n/\n{}\n{canonical_headers}\n{signed}\n{payload_hash}",
                canonical_query(query)
            );
            format!(
                "AWS4-HMAC-SHA256 Credential={}, SignedHeaders={signed}, Signature={}",
                self.credential(amz_date),
                self.signature(amz_date, &canonical)
            )
        }

        /// A presigned query (host signed, the empty payload's hash): `query` plus the
        /// X-Amz-* parameters and the signature.
        pub fn presign(&self, host: &str, query: &str, amz_date: &str, expires: &str) -> String {
            let credential = self.credential(amz_date);
            let q = format!(
                "{query}&{}",
                self::query(&[
                    ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
                    ("X-Amz-Credential", &credential),
                    ("X-Amz-Date", amz_date),
                    ("X-Amz-Expires", expires),
                    ("X-Amz-SignedHeaders", "host"),
                ])
            );
            let canonical = format!(
                "GET\n/\n{}\nhost:{host}\n\nhost\n{}",
                canonical_query(&q),
                sha256_hex(b"")
            );
            format!(
                "{q}&X-Amz-Signature={}",
                self.signature(amz_date, &canonical)
            )
        }
    }

    /// `X-Amz-Date` for now plus `offset_secs`.
    pub fn amz_date(offset_secs: i64) -> String {
        let t = parlel_ec2::clock::Timestamp(
            parlel_ec2::clock::Timestamp::now().0 + offset_secs * 1000,
        )
        .format(parlel_ec2::clock::TimestampFormat::DateTime);
        // 2026-12-02T01:02:03.000Z → 20261202T010203Z
        format!(
            "{}{}{}T{}{}{}Z",
            &t[0..4],
            &t[5..7],
            &t[8..10],
            &t[11..13],
            &t[14..16],
            &t[17..19]
        )
    }
}

pub(crate) const KEY: signer::Key<'static> = signer::Key {
    access_key: "AKIAKEY",
    secret: "secret",
    region: "us-east-1",
};

/// A request signed with [`KEY`] in the header form: `signed_body` is what the signature
/// covers, `body` what is sent (the same unless a test swaps it); `headers` are sent and
/// signed besides `host` and `x-amz-date`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn signed_as(
    s: &Server,
    key: &signer::Key<'_>,
    method: &str,
    query: &str,
    headers: &[(&str, &str)],
    signed_body: &[u8],
    body: &[u8],
    amz_date: &str,
) -> crate::support::Reply {
    let host = s.handle.addr().to_string();
    let mut all = headers.to_vec();
    all.push(("x-amz-date", amz_date));
    let payload = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("x-amz-content-sha256"))
        .map(|(_, v)| v.to_string())
        .unwrap_or_else(|| signer::sha256_hex(signed_body));
    let auth = key.authorization(method, &host, query, &all, &payload, amz_date);
    all.push(("Authorization", &auth));
    let path = if query.is_empty() {
        "/".to_string()
    } else {
        format!("/?{query}")
    };
    s.raw(method, &path, &all, body)
}

pub(crate) const FORM: (&str, &str) = (
    "content-type",
    "application/x-www-form-urlencoded; charset=utf-8",
);

/// A POST of `pairs` as a form body, signed now with [`KEY`].
fn post_signed(s: &Server, pairs: &[(&str, &str)]) -> crate::support::Reply {
    let body = signer::query(&[&[("Version", "2016-11-15")], pairs].concat());
    signed_as(
        s,
        &KEY,
        "POST",
        "",
        &[FORM],
        body.as_bytes(),
        body.as_bytes(),
        &signer::amz_date(0),
    )
}

/// A GET of `pairs` as the query string, signed now with [`KEY`].
fn get_signed(s: &Server, pairs: &[(&str, &str)]) -> crate::support::Reply {
    let q = signer::query(&[&[("Version", "2016-11-15")], pairs].concat());
    signed_as(s, &KEY, "GET", &q, &[], b"", b"", &signer::amz_date(0))
}

#[test]
fn correctly_signed_requests_are_accepted() {
    let s = server();
    // GET with a query string, POST with a form body.
    get_signed(&s, &[("Action", "DescribeVpcs")]).ok();
    let vpc = post_signed(&s, &[("Action", "CreateVpc"), ("CidrBlock", "10.3.0.0/16")])
        .ok()
        .first("vpcId")
        .unwrap();
    // The credential's account owns it.
    let owner = get_signed(&s, &[("Action", "DescribeVpcs"), ("VpcId.1", &vpc)])
        .ok()
        .first("ownerId");
    assert_eq!(owner.as_deref(), Some("111122223333"));
    // Spaces, non-ASCII and empty values, in a query string and in a form body.
    get_signed(
        &s,
        &[
            ("Action", "CreateTags"),
            ("ResourceId.1", &vpc),
            ("Tag.1.Key", "q name"),
            ("Tag.1.Value", "a  b c"),
            ("Tag.2.Key", "q-ünï"),
            ("Tag.2.Value", "☃ + & = % /"),
            ("Tag.3.Key", "q-empty"),
            ("Tag.3.Value", ""),
        ],
    )
    .ok();
    post_signed(
        &s,
        &[
            ("Action", "CreateTags"),
            ("ResourceId.1", &vpc),
            ("Tag.1.Key", "f name"),
            ("Tag.1.Value", "a  b c"),
            ("Tag.2.Key", "f-ünï"),
            ("Tag.2.Value", "☃ + & = % /"),
            ("Tag.3.Key", "f-empty"),
            ("Tag.3.Value", ""),
        ],
    )
    .ok();
    let tags = get_signed(
        &s,
        &[
            ("Action", "DescribeTags"),
            ("Filter.1.Name", "resource-id"),
            ("Filter.1.Value.1", &vpc),
        ],
    )
    .ok();
    let d = tags.doc();
    let mut got: Vec<(String, String)> = d
        .descendants()
        .filter(|n| n.tag_name().name() == "item")
        .map(|n| {
            let text = |name: &str| {
                n.children()
                    .find(|c| c.tag_name().name() == name)
                    .and_then(|c| c.text())
                    .unwrap_or("")
                    .to_string()
            };
            (text("key"), text("value"))
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String)> = ["q", "f"]
        .iter()
        .flat_map(|p| {
            [
                (format!("{p} name"), "a  b c".to_string()),
                (format!("{p}-empty"), String::new()),
                (format!("{p}-ünï"), "☃ + & = % /".to_string()),
            ]
        })
        .collect();
    want.sort();
    assert_eq!(got, want);
    // A repeated key: the signature covers both values (sorted by value), so the request
    // gets past it, and EC2's parser refuses the repetition.
    let (status, code, message) = get_signed(
        &s,
        &[
            ("Action", "DescribeVpcs"),
            ("VpcId.1", "vpc-2"),
            ("VpcId.1", "vpc-1"),
        ],
    )
    .error();
    assert_eq!(
        (status, code.as_str()),
        (400, "InvalidParameterValue"),
        "{message}"
    );
    // The SDKs' x-amz-content-sha256, when it is the body's hash, is one more signed header.
    let body = signer::query(&[("Action", "DescribeVpcs"), ("Version", "2016-11-15")]);
    let hash = signer::sha256_hex(body.as_bytes());
    signed_as(
        &s,
        &KEY,
        "POST",
        "",
        &[FORM, ("x-amz-content-sha256", &hash)],
        body.as_bytes(),
        body.as_bytes(),
        &signer::amz_date(0),
    )
    .ok();
    // The presigned form, at the longest X-Amz-Expires AWS allows (7 days).
    let host = s.handle.addr().to_string();
    let q = KEY.presign(
        &host,
        &signer::query(&[("Action", "DescribeVpcs"), ("Version", "2016-11-15")]),
        &signer::amz_date(0),
        "604800",
    );
    s.raw("GET", &format!("/?{q}"), &[], b"").ok();
    // Any Region of the commercial partition, opt-in ones included, is its own partition.
    let ap = signer::Key {
        region: "ap-east-1",
        ..KEY
    };
    let q = signer::query(&[("Action", "DescribeVpcs"), ("Version", "2016-11-15")]);
    let r = signed_as(&s, &ap, "GET", &q, &[], b"", b"", &signer::amz_date(0)).ok();
    assert_eq!(r.all("vpcId").len(), 1, "only ap-east-1's default VPC");
}

#[test]
fn a_body_changed_after_signing_is_refused() {
    let s = server();
    let signed = signer::query(&[
        ("Action", "CreateVpc"),
        ("Version", "2016-11-15"),
        ("CidrBlock", "10.1.0.0/16"),
    ]);
    let sent = signer::query(&[
        ("Action", "CreateVpc"),
        ("Version", "2016-11-15"),
        ("CidrBlock", "10.2.0.0/16"),
    ]);
    let mismatch = |r: crate::support::Reply| {
        let (status, code, _) = r.error();
        assert_eq!((status, code.as_str()), (403, "SignatureDoesNotMatch"));
    };
    let date = signer::amz_date(0);
    // Without x-amz-content-sha256 the payload hash is the body's.
    mismatch(signed_as(
        &s,
        &KEY,
        "POST",
        "",
        &[FORM],
        signed.as_bytes(),
        sent.as_bytes(),
        &date,
    ));
    // With it, the header's claim is not taken: the hash is still the body's.
    let claimed = signer::sha256_hex(signed.as_bytes());
    mismatch(signed_as(
        &s,
        &KEY,
        "POST",
        "",
        &[FORM, ("x-amz-content-sha256", &claimed)],
        signed.as_bytes(),
        sent.as_bytes(),
        &date,
    ));
    // Nothing was created.
    let vpcs = get_signed(&s, &[("Action", "DescribeVpcs")])
        .ok()
        .all("cidrBlock");
    assert!(
        !vpcs
            .iter()
            .any(|c| c.starts_with("10.1.") || c.starts_with("10.2.")),
        "{vpcs:?}"
    );
}

#[test]
fn refusals_of_malformed_signatures() {
    let s = server();
    let date = now_amz();
    let day = &date[..8];
    // Not Signature Version 4.
    let (status, code, _) = post(
        &s,
        &[
            ("Authorization", &format!("AWS4-HMAC-SHA512 Credential=AKIAKEY/{day}/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00")),
            ("X-Amz-Date", &date),
        ],
    );
    assert_eq!((status, code.as_str()), (400, "IncompleteSignature"));
    let (status, code, _) = post(&s, &[("Authorization", "AWS AKIAKEY:c2lnbmF0dXJl")]);
    assert_eq!((status, code.as_str()), (400, "IncompleteSignature"));
    // A scope of four or six elements: EC2 answers AuthFailure (AWS-raw,
    // StreisandEffect/streisand#485).
    for credential in [
        format!("AKIAKEY/{day}/us-east-1/ec2"),
        format!("AKIAKEY/x/{day}/us-east-1/ec2/aws4_request"),
    ] {
        let (status, code, message) = post(
            &s,
            &[("Authorization", &auth(&credential)), ("X-Amz-Date", &date)],
        );
        assert_eq!(
            (status, code.as_str(), message),
            (
                401,
                "AuthFailure",
                format!("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'")
            )
        );
    }
    // X-Amz-Date not in ISO 8601 basic format.
    let h = auth(&format!("AKIAKEY/{day}/us-east-1/ec2/aws4_request"));
    let (status, code, message) = post(
        &s,
        &[
            ("Authorization", &h),
            ("X-Amz-Date", "2026-12-02T01:02:03Z"),
        ],
    );
    assert_eq!((status, code.as_str()), (400, "IncompleteSignature"));
    assert!(
        message.starts_with("Date must be in ISO-8601 'basic format'. Got '2026-12-02T01:02:03Z'."),
        "{message}"
    );
    // X-Amz-Expires that is not a number of seconds from 1 to 604800 (7 days).
    let host = s.handle.addr().to_string();
    let q = signer::query(&[("Action", "DescribeVpcs"), ("Version", "2016-11-15")]);
    for expires in ["abc", "0", "-5", "604801"] {
        let url = format!("/?{}", KEY.presign(&host, &q, &date, expires));
        let (status, code, message) = s.raw("GET", &url, &[], b"").error();
        assert_eq!(
            (status, code.as_str()),
            (401, "AuthFailure"),
            "{expires}: {message}"
        );
        assert!(message.starts_with("X-Amz-Expires must be"), "{message}");
    }
    // The presigned form's algorithm.
    let url = format!("/?{}", KEY.presign(&host, &q, &date, "60"))
        .replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1");
    let (status, code, _) = s.raw("GET", &url, &[], b"").error();
    assert_eq!((status, code.as_str()), (400, "IncompleteSignature"));
    // Dated more than 15 minutes ahead, correctly signed otherwise: both forms.
    let ahead = signer::amz_date(20 * 60);
    let (status, code, message) = signed_as(&s, &KEY, "GET", &q, &[], b"", b"", &ahead).error();
    assert_eq!(
        (status, code.as_str(), message.as_str()),
        (400, "RequestExpired", "Request has expired.")
    );
    let url = format!("/?{}", KEY.presign(&host, &q, &ahead, "3600"));
    let (status, code, _) = s.raw("GET", &url, &[], b"").error();
    assert_eq!((status, code.as_str()), (400, "RequestExpired"));
    // Up to 15 minutes ahead is within the allowed skew.
    signed_as(
        &s,
        &KEY,
        "GET",
        &q,
        &[],
        b"",
        b"",
        &signer::amz_date(10 * 60),
    )
    .ok();
    // A Region EC2 does not have, correctly signed otherwise.
    let nowhere = signer::Key {
        region: "xx-east-9",
        ..KEY
    };
    let (status, code, message) = signed_as(&s, &nowhere, "GET", &q, &[], b"", b"", &date).error();
    assert_eq!(
        (status, code.as_str(), message.as_str()),
        (
            403,
            "SignatureDoesNotMatch",
            "Credential should be scoped to a valid region, not 'xx-east-9'. "
        )
    );
}

/// Without verification any Region name in the scope is a partition, as before.
#[test]
fn without_verification_any_region_is_a_partition() {
    let s = Server::start();
    let vpc = s
        .call_as(
            "parlel",
            "local-lab-1",
            "CreateVpc",
            &[("CidrBlock", "10.5.0.0/16")],
        )
        .ok()
        .first("vpcId")
        .unwrap();
    let in_lab = s
        .call_as("parlel", "local-lab-1", "DescribeVpcs", &[])
        .ok()
        .all("vpcId");
    assert!(in_lab.contains(&vpc));
    assert!(!s.call("DescribeVpcs", &[]).ok().all("vpcId").contains(&vpc));
}

/// `--credential` without `--verify-signatures` is ignored with one warning at start.
#[test]
fn credentials_without_verification_are_ignored_with_a_warning() {
    use std::io::{BufRead, BufReader, Read};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_parlel-ec2"))
        .args(["--port", "0", "--credential", "AKIAX:secret"])
        .env("RUST_LOG", "warn")
        .env_remove("PARLEL_EC2_VERIFY_SIGNATURES")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
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
    // Any credentials still work.
    crate::support::call_at(addr, "anyone", "us-east-1", "DescribeVpcs", &[])
        .unwrap()
        .ok();
    // Logs are written in batches within 5 ms.
    std::thread::sleep(std::time::Duration::from_millis(200));
    child.kill().unwrap();
    child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("ignored without --verify-signatures"))
        .collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
}
