//! RunInstances' launch options: the EBS volumes from the image and the block device
//! mappings, the instance metadata options, and the IAM instance profile.

use super::launch::VolumeSpec;
use crate::generated::types as w;
use crate::store::{IamProfile, Image, MetadataOptions};
use crate::Ec2Error;

/// The instance profile as EC2 echoes it: its ARN (given, or built from the name in the
/// caller's account) and an `AIPA…` id. IAM is not emulated, so any well-formed profile
/// is accepted.
pub(crate) fn iam_profile(
    spec: Option<&w::IamInstanceProfileSpecification>,
    account: &str,
    now: crate::clock::Timestamp,
) -> Result<Option<Box<IamProfile>>, Ec2Error> {
    let Some(spec) = spec else { return Ok(None) };
    let arn = match (&spec.arn, &spec.name) {
        (Some(_), Some(_)) => {
            return Err(Ec2Error::new(
                "InvalidParameterCombination",
                "The parameter 'iamInstanceProfile.name' may not be used in combination with 'iamInstanceProfile.arn'",
            ))
        }
        (Some(arn), None) => {
            let ok = arn
                .strip_prefix("arn:aws:iam::")
                .and_then(|r| r.split_once(":instance-profile/"))
                .is_some_and(|(acct, name)| crate::auth::is_account_id(acct) && !name.is_empty());
            if !ok {
                return Err(Ec2Error::invalid_value("iamInstanceProfile.arn", arn, "Invalid IAM Instance Profile ARN"));
            }
            arn.clone()
        }
        (None, Some(name)) if !name.is_empty() => format!("arn:aws:iam::{account}:instance-profile/{name}"),
        _ => return Ok(None),
    };
    let id = {
        use rand::Rng;
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut rng = crate::rng::rng();
        let tail: String = (0..17)
            .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
            .collect();
        format!("AIPA{tail}")
    };
    Ok(Some(Box::new(IamProfile {
        arn,
        id,
        association_id: crate::store::new_id("iip-assoc"),
        associated_at: now,
    })))
}

/// The EBS volumes to create: the AMI's root device (resized or retyped by a mapping of the
/// same name), then every other EBS mapping.
pub(super) fn block_devices(
    image: &Image,
    mappings: &[w::BlockDeviceMapping],
) -> Result<Vec<VolumeSpec>, Ec2Error> {
    let mut root = VolumeSpec {
        device_name: image.root_device_name.clone(),
        size_gib: image.root_volume_size,
        volume_type: image.volume_type.clone(),
        snapshot_id: Some(image.snapshot_id.clone()),
        delete_on_termination: image.root_delete_on_termination,
        encrypted: image.root_encrypted,
        iops: None,
        throughput: None,
    };
    // The image's other EBS mappings launch too (a request mapping of the same device
    // replaces one, NoDevice drops it).
    let mut extra: Vec<VolumeSpec> = image
        .other_mappings
        .iter()
        .filter_map(|m| {
            let e = m.ebs.as_ref()?;
            Some(VolumeSpec {
                device_name: m.device_name.as_deref()?.into(),
                size_gib: e.volume_size.unwrap_or(8),
                volume_type: e
                    .volume_type
                    .as_ref()
                    .map_or("gp2".into(), |t| t.as_str().to_string()),
                snapshot_id: e.snapshot_id.clone(),
                delete_on_termination: e.delete_on_termination.unwrap_or(true),
                encrypted: e.encrypted.unwrap_or(false),
                iops: e.iops,
                throughput: e.throughput,
            })
        })
        .collect();
    for m in mappings {
        let device = m
            .device_name
            .clone()
            .ok_or_else(|| Ec2Error::missing_parameter("BlockDeviceMapping.deviceName"))?;
        let Some(ebs) = &m.ebs else {
            if m.no_device.is_some() {
                extra.retain(|v| *v.device_name != *device);
            }
            continue;
        };
        let vtype = ebs.volume_type.as_ref().map(|t| t.as_str().to_string());
        if let Some(t) = &vtype {
            if !matches!(
                t.as_str(),
                "standard" | "io1" | "io2" | "gp2" | "gp3" | "sc1" | "st1"
            ) {
                return Err(Ec2Error::invalid_value(
                    "volumeType",
                    t,
                    "Valid values: standard, io1, io2, gp2, gp3, sc1, st1.",
                ));
            }
        }
        if *device == *image.root_device_name {
            if let Some(size) = ebs.volume_size {
                if size < image.root_volume_size {
                    return Err(Ec2Error::invalid_parameter_value(format!(
                        "Volume of size {size}GB is smaller than snapshot '{}', expect size >= {}GB",
                        image.snapshot_id, image.root_volume_size
                    )));
                }
                root.size_gib = size;
            }
            if let Some(t) = vtype {
                root.volume_type = t;
            }
            if let Some(d) = ebs.delete_on_termination {
                root.delete_on_termination = d;
            }
            // An encrypted snapshot restores encrypted, whatever the mapping says.
            root.encrypted = ebs.encrypted.unwrap_or(false) || image.root_encrypted;
            root.iops = ebs.iops;
            root.throughput = ebs.throughput;
        } else {
            let size = ebs
                .volume_size
                .ok_or_else(|| Ec2Error::missing_parameter("BlockDeviceMapping.ebs.volumeSize"))?;
            if !(1..=65536).contains(&size) {
                return Err(Ec2Error::invalid_value(
                    "volumeSize",
                    &size.to_string(),
                    "Volume size must be between 1 and 65536 GiB.",
                ));
            }
            extra.retain(|v| *v.device_name != *device);
            extra.push(VolumeSpec {
                device_name: device.as_str().into(),
                size_gib: size,
                volume_type: vtype.unwrap_or_else(|| "gp2".into()),
                snapshot_id: ebs.snapshot_id.clone(),
                delete_on_termination: ebs.delete_on_termination.unwrap_or(true),
                encrypted: ebs.encrypted.unwrap_or(false),
                iops: ebs.iops,
                throughput: ebs.throughput,
            });
        }
    }
    let mut out = vec![root];
    out.extend(extra);
    // A launch's volumes follow CreateVolume's performance rules (the same EBS limits;
    // io1/io2 need Iops — the AWS-raw wording comes from RunInstances' own mappings in
    // kubermatic/machine-controller#538).
    for v in &out {
        crate::handlers::volumes::require_iops(&v.volume_type, v.iops)?;
        crate::handlers::volumes::check_performance(
            &v.volume_type,
            v.size_gib,
            v.iops,
            v.throughput,
        )?;
    }
    Ok(out)
}

/// IMDS settings: AMIs flagged `imdsSupport: v2.0` default to tokens required and a hop
/// limit of 2, others to optional and 1 (EC2 User Guide, "Configure the instance metadata
/// options for new instances").
pub(super) fn metadata_options(
    image: &Image,
    req: Option<&w::InstanceMetadataOptionsRequest>,
) -> Result<MetadataOptions, Ec2Error> {
    let v2 = image.imds_support.as_deref() == Some("v2.0");
    let mut m = MetadataOptions {
        http_tokens: if v2 { "required" } else { "optional" },
        http_put_response_hop_limit: if v2 { 2 } else { 1 },
        http_endpoint: "enabled",
        http_protocol_ipv6: "disabled",
        instance_metadata_tags: "disabled",
    };
    if let Some(r) = req {
        apply_metadata(
            &mut m,
            MetadataChange {
                http_tokens: r.http_tokens.as_ref().map(|v| v.as_str()),
                hop_limit: r.http_put_response_hop_limit,
                http_endpoint: r.http_endpoint.as_ref().map(|v| v.as_str()),
                http_protocol_ipv6: r.http_protocol_ipv6.as_ref().map(|v| v.as_str()),
                instance_metadata_tags: r.instance_metadata_tags.as_ref().map(|v| v.as_str()),
            },
        )?;
    }
    Ok(m)
}

/// The IMDS settings a request names (RunInstances' MetadataOptions or
/// ModifyInstanceMetadataOptions); `None` keeps the current value.
pub(crate) struct MetadataChange<'a> {
    pub http_tokens: Option<&'a str>,
    pub hop_limit: Option<i32>,
    pub http_endpoint: Option<&'a str>,
    pub http_protocol_ipv6: Option<&'a str>,
    pub instance_metadata_tags: Option<&'a str>,
}

/// Applies `c` to `m`, validating every value first (the hop limit is 1–64).
pub(crate) fn apply_metadata(
    m: &mut MetadataOptions,
    c: MetadataChange<'_>,
) -> Result<(), Ec2Error> {
    let pick = |v: Option<&str>,
                allowed: &[&'static str],
                name: &str,
                slot: &mut &'static str|
     -> Result<(), Ec2Error> {
        if let Some(v) = v {
            *slot = allowed.iter().find(|a| **a == v).ok_or_else(|| {
                Ec2Error::invalid_value(name, v, &format!("Valid values: {}.", allowed.join(", ")))
            })?;
        }
        Ok(())
    };
    let mut next = m.clone();
    pick(
        c.http_tokens,
        &["optional", "required"],
        "httpTokens",
        &mut next.http_tokens,
    )?;
    pick(
        c.http_endpoint,
        &["enabled", "disabled"],
        "httpEndpoint",
        &mut next.http_endpoint,
    )?;
    pick(
        c.http_protocol_ipv6,
        &["enabled", "disabled"],
        "httpProtocolIpv6",
        &mut next.http_protocol_ipv6,
    )?;
    pick(
        c.instance_metadata_tags,
        &["enabled", "disabled"],
        "instanceMetadataTags",
        &mut next.instance_metadata_tags,
    )?;
    if let Some(h) = c.hop_limit {
        if !(1..=64).contains(&h) {
            return Err(Ec2Error::invalid_value(
                "httpPutResponseHopLimit",
                &h.to_string(),
                "Valid values are 1 to 64.",
            ));
        }
        next.http_put_response_hop_limit = h;
    }
    *m = next;
    Ok(())
}
