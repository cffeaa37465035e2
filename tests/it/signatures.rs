//! `--verify-signatures`: every refusal before the signature is compared, over HTTP
//! (src/sigv4.rs cites each wording). Good signatures are made by the real SDK in
//! tests/sdk/signatures.test.mjs; the signing primitive is checked against AWS's
//! published example in src/sigv4.rs.

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
