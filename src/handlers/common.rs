//! Rules every handler shares: resource kinds and their EC2 error codes, id checks, and
//! tags (limits, TagSpecifications, wire conversion).

use crate::generated::types::{ResourceType, Tag, TagSpecification};
use crate::store::{is_well_formed, Tags};
use crate::Ec2Error;

/// The kinds of resource parlel-ec2 keeps, with the codes EC2 uses for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Instance,
    Vpc,
    Subnet,
    SecurityGroup,
    SecurityGroupRule,
    Image,
    KeyPair,
    Volume,
    NetworkInterface,
}

impl Kind {
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Instance => "i",
            Kind::Vpc => "vpc",
            Kind::Subnet => "subnet",
            Kind::SecurityGroup => "sg",
            Kind::SecurityGroupRule => "sgr",
            Kind::Image => "ami",
            Kind::KeyPair => "key",
            Kind::Volume => "vol",
            Kind::NetworkInterface => "eni",
        }
    }

    /// The kind an id names, by prefix.
    pub fn of(id: &str) -> Option<Kind> {
        let prefix = id.rsplit_once('-')?.0;
        [
            Kind::Instance,
            Kind::Vpc,
            Kind::Subnet,
            Kind::SecurityGroup,
            Kind::SecurityGroupRule,
            Kind::Image,
            Kind::KeyPair,
            Kind::Volume,
            Kind::NetworkInterface,
        ]
        .into_iter()
        .find(|k| k.prefix() == prefix)
    }

    /// `resourceType` in DescribeTags and TagSpecifications.
    pub fn resource_type(self) -> &'static str {
        match self {
            Kind::Instance => "instance",
            Kind::Vpc => "vpc",
            Kind::Subnet => "subnet",
            Kind::SecurityGroup => "security-group",
            Kind::SecurityGroupRule => "security-group-rule",
            Kind::Image => "image",
            Kind::KeyPair => "key-pair",
            Kind::Volume => "volume",
            Kind::NetworkInterface => "network-interface",
        }
    }

    /// `InvalidXxxID.NotFound` with EC2's wording: `The vpc ID 'vpc-1' does not exist`,
    /// `The instance IDs 'i-1, i-2' do not exist` (ec2-errors.md).
    pub fn not_found(self, ids: &[impl AsRef<str>]) -> Ec2Error {
        let list = ids.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(", ");
        let many = ids.len() > 1;
        let (code, message) = match self {
            Kind::Instance => (
                "InvalidInstanceID.NotFound",
                id_message("instance ID", &list, many),
            ),
            Kind::Vpc => ("InvalidVpcID.NotFound", id_message("vpc ID", &list, many)),
            Kind::Subnet => (
                "InvalidSubnetID.NotFound",
                id_message("subnet ID", &list, many),
            ),
            Kind::SecurityGroup => (
                "InvalidGroup.NotFound",
                id_message("security group", &list, many),
            ),
            Kind::SecurityGroupRule => (
                "InvalidSecurityGroupRuleId.NotFound",
                id_message("security group rule ID", &list, many),
            ),
            Kind::Image if many => (
                "InvalidAMIID.NotFound",
                format!("The image ids '[{list}]' do not exist"),
            ),
            Kind::Image => (
                "InvalidAMIID.NotFound",
                format!("The image id '[{list}]' does not exist"),
            ),
            Kind::KeyPair => (
                "InvalidKeyPair.NotFound",
                id_message("key pair", &list, many),
            ),
            Kind::Volume => ("InvalidVolume.NotFound", id_message("volume", &list, many)),
            Kind::NetworkInterface => (
                "InvalidNetworkInterfaceID.NotFound",
                id_message("network interface ID", &list, many),
            ),
        };
        Ec2Error::new(code, message)
    }

    /// The error for an id of this kind that is not shaped like one.
    pub fn malformed(self, id: &str) -> Ec2Error {
        match self {
            Kind::Instance => Ec2Error::new(
                "InvalidInstanceID.Malformed",
                format!("Invalid id: \"{id}\""),
            ),
            Kind::Image => Ec2Error::new(
                "InvalidAMIID.Malformed",
                format!("Invalid id: \"{id}\" (expecting \"ami-...\")"),
            ),
            Kind::SecurityGroup => Ec2Error::new(
                "InvalidGroupId.Malformed",
                format!("The security-group ID '{id}' is malformed"),
            ),
            Kind::Subnet => Ec2Error::new(
                "InvalidSubnetID.Malformed",
                format!("The subnet ID '{id}' is malformed"),
            ),
            Kind::Vpc => Ec2Error::new("InvalidVpcID.Malformed", format!("Invalid id: \"{id}\"")),
            Kind::KeyPair => {
                Ec2Error::new("InvalidKeyPair.Malformed", format!("Invalid id: \"{id}\""))
            }
            Kind::Volume => Ec2Error::new(
                "InvalidVolumeID.Malformed",
                format!("Invalid id: \"{id}\" (expecting \"vol-...\")"),
            ),
            Kind::NetworkInterface => Ec2Error::new(
                "InvalidNetworkInterfaceID.Malformed",
                format!("Invalid id: \"{id}\" (expecting \"eni-...\")"),
            ),
            Kind::SecurityGroupRule => Ec2Error::new(
                "InvalidSecurityGroupRuleId.Malformed",
                format!("Invalid id: \"{id}\""),
            ),
        }
    }

    /// Fails with `malformed` unless `id` is shaped like an id of this kind.
    pub fn check(self, id: &str) -> Result<(), Ec2Error> {
        if is_well_formed(id, self.prefix()) {
            Ok(())
        } else {
            Err(self.malformed(id))
        }
    }
}

fn id_message(noun: &str, list: &str, many: bool) -> String {
    if many {
        format!("The {noun}s '{list}' do not exist")
    } else {
        format!("The {noun} '{list}' does not exist")
    }
}

/// Checks explicit ids (all well-formed first, then all present) in one pass each, and
/// reports every missing one in a single NotFound, as EC2 does.
pub fn require_all<'a>(
    kind: Kind,
    ids: &'a [String],
    exists: impl Fn(&str) -> bool,
) -> Result<(), Ec2Error> {
    for id in ids {
        kind.check(id)?;
    }
    let missing: Vec<&'a String> = ids.iter().filter(|id| !exists(id)).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(kind.not_found(&dedup(missing)))
    }
}

fn dedup<T: PartialEq>(v: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(v.len());
    for x in v {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// EC2's tag limits (EC2 User Guide, "Tag restrictions"): 50 tags per resource, keys of
/// 1–128 characters, values of up to 256, and the `aws:` prefix reserved.
pub const MAX_TAGS: usize = 50;

pub fn check_tag(key: &str, value: &str) -> Result<(), Ec2Error> {
    if key.is_empty() {
        // Verbatim from a real response (aws-cli#3283).
        return Err(Ec2Error::invalid_parameter_value(
            "Value ( '' ) for parameter Tag key is invalid. Tag key cannot be null or empty.",
        ));
    }
    if key.chars().count() > 128 {
        return Err(Ec2Error::invalid_parameter_value(format!(
            "Value ( {key} ) for parameter key is invalid. Tag keys must be between 1 and 128 characters."
        )));
    }
    if value.chars().count() > 256 {
        return Err(Ec2Error::invalid_parameter_value(format!(
            "Value ( {value} ) for parameter value is invalid. Tag values must be at most 256 characters."
        )));
    }
    if key.to_ascii_lowercase().starts_with("aws:") {
        return Err(Ec2Error::invalid_parameter_value(format!(
            "Value ( {key} ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use"
        )));
    }
    Ok(())
}

/// Validated `(key, value)` pairs from wire tags; a missing value is the empty string.
pub fn parse_tags(tags: &[Tag]) -> Result<Vec<(String, String)>, Ec2Error> {
    let mut out = Vec::with_capacity(tags.len());
    for t in tags {
        let key = t.key.clone().unwrap_or_default();
        let value = t.value.clone().unwrap_or_default();
        check_tag(&key, &value)?;
        out.push((key, value));
    }
    if out.len() > MAX_TAGS {
        return Err(tag_limit());
    }
    Ok(out)
}

pub fn tag_limit() -> Ec2Error {
    Ec2Error::new(
        "TagLimitExceeded",
        "The maximum number of Tags for a resource has been reached.",
    )
}

/// The tags that TagSpecifications give to each resource type the operation creates.
/// A resource type the operation does not create is `InvalidParameterValue`.
pub fn tag_specifications(
    specs: Option<&Vec<TagSpecification>>,
    allowed: &[&str],
) -> Result<Vec<(String, Tags)>, Ec2Error> {
    let mut out: Vec<(String, Tags)> = Vec::new();
    for spec in specs.into_iter().flatten() {
        let rt = spec
            .resource_type
            .as_ref()
            .map(ResourceType::as_str)
            .unwrap_or("");
        if !allowed.contains(&rt) {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "'{rt}' is not a valid taggable resource type for this operation."
            )));
        }
        let pairs = parse_tags(spec.tags.as_deref().unwrap_or_default())?;
        let entry = match out.iter_mut().find(|(t, _)| t == rt) {
            Some(e) => e,
            None => {
                out.push((rt.to_string(), Tags::new()));
                out.last_mut().unwrap()
            }
        };
        entry.1.extend(pairs);
        if entry.1.len() > MAX_TAGS {
            return Err(tag_limit());
        }
    }
    Ok(out)
}

/// The tags TagSpecifications gave one resource type.
pub fn tags_for(specs: &[(String, Tags)], resource_type: &str) -> Tags {
    specs
        .iter()
        .find(|(t, _)| t == resource_type)
        .map(|(_, t)| t.clone())
        .unwrap_or_default()
}

/// Tags as the wire's `tagSet`.
pub fn wire_tags(tags: &Tags) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag {
            key: Some(k.clone()),
            value: Some(v.clone()),
        })
        .collect()
}
