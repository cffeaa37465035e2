//! Who is asking, and where: the account and region of a request, from its SigV4
//! credential scope. Any signature is accepted (the emulator checks none).

use std::borrow::Cow;

/// The account of credentials whose access key id is not a 12-digit account id
/// (the example account of the AWS documentation).
pub const DEFAULT_ACCOUNT: &str = "123456789012";
/// The region of a request that carries no credential scope.
pub const DEFAULT_REGION: &str = "us-east-1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller<'a> {
    pub account: Cow<'a, str>,
    pub region: Cow<'a, str>,
}

/// Reads `Credential=AKID/20240101/us-east-1/ec2/aws4_request` from an `Authorization`
/// header, or the same scope from a presigned `X-Amz-Credential` parameter.
pub fn caller<'a>(
    authorization: Option<&'a str>,
    presigned_credential: Option<&'a str>,
) -> Caller<'a> {
    // Every SDK writes the algorithm, one space, then the credential: read that shape
    // without a substring search, anything else with one.
    let scope = authorization
        .and_then(|h| {
            h.strip_prefix("AWS4-HMAC-SHA256 Credential=")
                .or_else(|| h.split_once("Credential=").map(|(_, rest)| rest))
        })
        .map(|rest| rest.split([',', ' ']).next().unwrap_or(""))
        .or(presigned_credential);
    let mut parts = scope.unwrap_or("").split('/');
    let access_key = parts.next().unwrap_or("");
    let region = parts.nth(1).filter(|r| valid_region(r));
    Caller {
        account: Cow::Borrowed(account_of(access_key)),
        region: Cow::Borrowed(region.unwrap_or(DEFAULT_REGION)),
    }
}

/// An AWS account id: 12 digits.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The account of unverified credentials: the access key id when it is an account id,
/// else [`DEFAULT_ACCOUNT`].
pub fn account_of(access_key: &str) -> &str {
    if is_account_id(access_key) {
        access_key
    } else {
        DEFAULT_ACCOUNT
    }
}

/// Region names are lower-case letters, digits and dashes (any such name is accepted).
fn valid_region(r: &str) -> bool {
    !r.is_empty()
        && r.len() <= 32
        && r.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_and_account_come_from_the_credential_scope() {
        let h = "AWS4-HMAC-SHA256 Credential=parlel/20261128/eu-west-1/ec2/aws4_request, SignedHeaders=host, Signature=x";
        assert_eq!(
            caller(Some(h), None),
            Caller {
                account: DEFAULT_ACCOUNT.into(),
                region: "eu-west-1".into()
            }
        );
        let h = "AWS4-HMAC-SHA256 Credential=111122223333/20261128/ap-south-1/ec2/aws4_request,SignedHeaders=host,Signature=x";
        assert_eq!(
            caller(Some(h), None),
            Caller {
                account: "111122223333".into(),
                region: "ap-south-1".into()
            }
        );
        let q = "AKID/20261128/us-west-2/ec2/aws4_request";
        assert_eq!(caller(None, Some(q)).region, "us-west-2");
        assert_eq!(
            caller(None, None),
            Caller {
                account: DEFAULT_ACCOUNT.into(),
                region: DEFAULT_REGION.into()
            }
        );
        assert_eq!(
            caller(Some("Credential=a/b/../ec2"), None).region,
            DEFAULT_REGION
        );
    }
}
