//! Images, tags and key pairs over HTTP.

use crate::support::*;

#[test]
fn the_ami_catalog_has_the_seeded_image_and_amazon_images() {
    let s = Server::start();
    let r = s.call("DescribeImages", &[("ImageId.1", AMI)]).ok();
    assert_eq!(r.all("imageId"), [AMI]);
    assert_eq!(r.first("architecture").as_deref(), Some("x86_64"));
    assert_eq!(r.first("imageOwnerAlias").as_deref(), Some("amazon"));
    assert_eq!(r.first("isPublic").as_deref(), Some("true"));
    assert_eq!(r.first("rootDeviceType").as_deref(), Some("ebs"));
    assert!(r.first("snapshotId").unwrap().starts_with("snap-"));
    let amazon = s
        .call("DescribeImages", &[("Owner.1", "amazon")])
        .ok()
        .all("imageId");
    assert!(amazon.len() >= 3 && amazon.contains(&AMI.to_string()));
    // Amazon Linux 2 images are deprecated: listed only by id or with IncludeDeprecated.
    let with_deprecated = s
        .call(
            "DescribeImages",
            &[("Owner.1", "amazon"), ("IncludeDeprecated", "true")],
        )
        .ok();
    let al2: Vec<String> = with_deprecated
        .all("name")
        .into_iter()
        .filter(|n| n.starts_with("amzn2-"))
        .collect();
    // The kernel-5.10 and kernel-4.14 builds (src/data/images.json).
    assert_eq!(al2.len(), 2);
    assert!(!s
        .call("DescribeImages", &[("Owner.1", "amazon")])
        .ok()
        .all("name")
        .iter()
        .any(|n| n.starts_with("amzn2-")));
    assert!(with_deprecated.first("deprecationTime").is_some());
    let arm = s
        .call(
            "DescribeImages",
            &[
                ("Owner.1", "amazon"),
                ("Filter.1.Name", "architecture"),
                ("Filter.1.Value.1", "arm64"),
                ("Filter.2.Name", "name"),
                ("Filter.2.Value.1", "al2023-*"),
            ],
        )
        .ok();
    // The standard and the minimal AL2023 arm64 images.
    assert_eq!(arm.all("architecture"), ["arm64", "arm64"]);
    assert!(s
        .call("DescribeImages", &[("Owner.1", "self")])
        .ok()
        .all("imageId")
        .is_empty());
    assert_error(
        &s.call("DescribeImages", &[("ImageId.1", "ami-00000000000000000")]),
        400,
        "InvalidAMIID.NotFound",
        "The image id '[ami-00000000000000000]' does not exist",
    );
    assert_error(
        &s.call("DescribeImages", &[("ImageId.1", "ami-1")]),
        400,
        "InvalidAMIID.Malformed",
        "Invalid id: \"ami-1\" (expecting \"ami-...\")",
    );
    assert_error(
        &s.call(
            "DescribeImages",
            &[("Filter.1.Name", "colour"), ("Filter.1.Value.1", "x")],
        ),
        400,
        "InvalidParameterValue",
        "The filter 'colour' is invalid",
    );
}

#[test]
fn create_tags_overwrites_and_describe_tags_lists_them() {
    let s = Server::start();
    let vpc = s.call("DescribeVpcs", &[]).ok().first("vpcId").unwrap();
    let sg = s
        .call(
            "CreateSecurityGroup",
            &[("GroupName", "a"), ("GroupDescription", "a")],
        )
        .ok()
        .first("groupId")
        .unwrap();
    s.call(
        "CreateTags",
        &[
            ("ResourceId.1", &vpc),
            ("ResourceId.2", &sg),
            ("Tag.1.Key", "env"),
            ("Tag.1.Value", "dev"),
            ("Tag.2.Key", "team"),
        ],
    )
    .ok();
    let r = s
        .call(
            "CreateTags",
            &[
                ("ResourceId.1", &vpc),
                ("Tag.1.Key", "env"),
                ("Tag.1.Value", "prod"),
            ],
        )
        .ok();
    assert_eq!(r.first("return").as_deref(), Some("true"));
    let t = s
        .call(
            "DescribeTags",
            &[("Filter.1.Name", "key"), ("Filter.1.Value.1", "env")],
        )
        .ok();
    let d = t.doc();
    let rows: Vec<(String, String)> = under(&d, "tagSet", "resourceId")
        .into_iter()
        .zip(under(&d, "tagSet", "value"))
        .collect();
    assert!(
        rows.contains(&(vpc.clone(), "prod".into())) && rows.contains(&(sg.clone(), "dev".into()))
    );
    assert_eq!(
        s.call(
            "DescribeTags",
            &[
                ("Filter.1.Name", "resource-type"),
                ("Filter.1.Value.1", "security-group")
            ]
        )
        .ok()
        .all("key"),
        ["env", "team"]
    );
    let mut team = vec![vpc.clone(), sg.clone()];
    team.sort();
    let r = s
        .call(
            "DescribeTags",
            &[("Filter.1.Name", "tag:team"), ("Filter.1.Value.1", "")],
        )
        .ok();
    assert_eq!(
        r.all("resourceId"),
        team,
        "a tag given without a value has the empty value"
    );
    // A filter without values matches nothing (real AWS output quoted in getmoto/moto#8570).
    assert!(s
        .call("DescribeTags", &[("Filter.1.Name", "tag:team")])
        .ok()
        .all("resourceId")
        .is_empty());
    assert_eq!(
        s.call(
            "DescribeVpcs",
            &[("Filter.1.Name", "tag:env"), ("Filter.1.Value.1", "prod")]
        )
        .ok()
        .all("vpcId"),
        [vpc.as_str()]
    );
}

#[test]
fn create_tags_checks_resources_and_limits_before_changing_anything() {
    let s = Server::start();
    let vpc = s.call("DescribeVpcs", &[]).ok().first("vpcId").unwrap();
    assert_error(
        &s.call(
            "CreateTags",
            &[("ResourceId.1", "foo-123"), ("Tag.1.Key", "a")],
        ),
        400,
        "InvalidID",
        "The ID 'foo-123' is not valid",
    );
    let missing = s.call(
        "CreateTags",
        &[
            ("ResourceId.1", &vpc),
            ("ResourceId.2", "i-0123456789abcdef0"),
            ("Tag.1.Key", "a"),
        ],
    );
    assert_error(
        &missing,
        400,
        "InvalidInstanceID.NotFound",
        "The instance ID 'i-0123456789abcdef0' does not exist",
    );
    assert_error(
        &s.call("CreateTags", &[("ResourceId.1", &vpc), ("Tag.1.Key", "")]),
        400,
        "InvalidParameterValue",
        "Value ( '' ) for parameter Tag key is invalid. Tag key cannot be null or empty.",
    );
    assert_eq!(
        s.call(
            "CreateTags",
            &[("ResourceId.1", &vpc), ("Tag.1.Key", "aws:x")]
        )
        .error()
        .1,
        "InvalidParameterValue"
    );
    let long = "k".repeat(129);
    assert_eq!(
        s.call(
            "CreateTags",
            &[("ResourceId.1", &vpc), ("Tag.1.Key", &long)]
        )
        .error()
        .1,
        "InvalidParameterValue"
    );
    assert_error(
        &s.call("CreateTags", &[("Tag.1.Key", "a")]),
        400,
        "MissingParameter",
        "The request must contain the parameter resourceIdSet",
    );
    // 50 tags per resource.
    let keys: Vec<String> = (0..51).map(|i| format!("k{i}")).collect();
    let names: Vec<String> = (1..=51).map(|i| format!("Tag.{i}.Key")).collect();
    let mut p: Vec<(&str, &str)> = vec![("ResourceId.1", &vpc)];
    p.extend(
        names
            .iter()
            .map(String::as_str)
            .zip(keys.iter().map(String::as_str)),
    );
    assert_eq!(s.call("CreateTags", &p).error().1, "TagLimitExceeded");
    assert!(
        s.call("DescribeTags", &[]).ok().all("key").is_empty(),
        "no failed call left a tag behind"
    );
}

#[test]
fn create_key_pair_gives_real_rsa_material_with_aws_fingerprint() {
    let s = Server::start();
    let r = s.call("CreateKeyPair", &[("KeyName", "deploy")]).ok();
    let pem = r.first("keyMaterial").unwrap();
    assert!(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----"), "{pem}");
    let fp = r.first("keyFingerprint").unwrap();
    // SHA-1 of the PKCS#8 DER: 20 colon-separated hex bytes.
    assert_eq!(fp.split(':').count(), 20);
    assert!(r.first("keyPairId").unwrap().starts_with("key-"));
    let d = s
        .call(
            "DescribeKeyPairs",
            &[("KeyName.1", "deploy"), ("IncludePublicKey", "true")],
        )
        .ok();
    assert_eq!(d.first("keyFingerprint"), Some(fp));
    assert_eq!(d.first("keyType").as_deref(), Some("rsa"));
    assert!(d.first("publicKey").unwrap().starts_with("ssh-rsa AAAA"));
    assert_eq!(
        s.call("DescribeKeyPairs", &[("KeyName.1", "deploy")])
            .ok()
            .first("publicKey"),
        None
    );
    assert_error(
        &s.call("CreateKeyPair", &[("KeyName", "deploy")]),
        400,
        "InvalidKeyPair.Duplicate",
        "The keypair 'deploy' already exists.",
    );
    assert_error(
        &s.call("DescribeKeyPairs", &[("KeyName.1", "nope")]),
        400,
        "InvalidKeyPair.NotFound",
        "The key pair 'nope' does not exist",
    );
    // The key can be used to launch.
    s.call(
        "RunInstances",
        &[
            ("ImageId", AMI),
            ("MinCount", "1"),
            ("MaxCount", "1"),
            ("KeyName", "deploy"),
        ],
    )
    .ok();
}

#[test]
fn ed25519_key_pairs_are_openssh_with_a_sha256_fingerprint() {
    let s = Server::start();
    let r = s
        .call(
            "CreateKeyPair",
            &[("KeyName", "ed"), ("KeyType", "ed25519")],
        )
        .ok();
    assert!(r
        .first("keyMaterial")
        .unwrap()
        .starts_with("-----BEGIN OPENSSH PRIVATE KEY-----"));
    let fp = r.first("keyFingerprint").unwrap();
    assert!(
        fp.ends_with('=') && fp.len() == 44,
        "base64 SHA-256 with padding: {fp}"
    );
    // `key-type` is no documented DescribeKeyPairs filter; the answer says the type.
    let k = s.call("DescribeKeyPairs", &[("KeyName.1", "ed")]).ok();
    assert_eq!(k.all("keyType"), ["ed25519"]);
    assert_eq!(
        s.call("CreateKeyPair", &[("KeyName", "x"), ("KeyType", "dsa")])
            .error()
            .1,
        "InvalidParameterValue"
    );
}
