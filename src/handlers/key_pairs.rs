//! CreateKeyPair, ImportKeyPair, DescribeKeyPairs and DeleteKeyPair, with real key material (see
//! `crate::keys`). Key pairs are kept by id, with an index by name.

use super::common::{tag_specifications, tags_for, wire_tags};
use super::filters::KEY_PAIR_FILTERS;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::keys::{self, KeyFormat, KeyType};
use crate::store::{new_id, KeyPair, Resource};
use crate::Ec2Error;

/// Key names are up to 255 ASCII characters and unique in the region (CreateKeyPair
/// and ImportKeyPair API references).
fn check_new_name(cx: &Cx<'_>, name: &str) -> Result<(), Ec2Error> {
    if name.is_empty() {
        return Err(Ec2Error::missing_parameter("KeyName"));
    }
    if name.len() > 255 || !name.is_ascii() {
        return Err(Ec2Error::invalid_value(
            "KeyName",
            name,
            "Key names must be at most 255 ASCII characters.",
        ));
    }
    if cx.state().key_pair_by_name(name).is_some() {
        // iterative/terraform-provider-iterative#14: "keypair", trailing period.
        return Err(Ec2Error::new(
            "InvalidKeyPair.Duplicate",
            format!("The keypair '{name}' already exists."),
        ));
    }
    Ok(())
}

fn new_pair(
    name: &str,
    key_type: KeyType,
    fingerprint: String,
    public_key: String,
    now: crate::clock::Timestamp,
    tags: &[(String, crate::store::Tags)],
) -> KeyPair {
    KeyPair {
        id: new_id("key"),
        name: name.to_string(),
        key_type: key_type.as_str().to_string(),
        fingerprint,
        public_key,
        create_time: now,
        tags: tags_for::<KeyPair>(tags),
    }
}

pub fn create_key_pair(
    cx: &mut Cx<'_>,
    input: w::CreateKeyPairInput,
) -> Result<w::CreateKeyPairOutput, Ec2Error> {
    let name = input.key_name.as_str();
    let key_type = match &input.key_type {
        None => KeyType::Rsa,
        Some(t) => KeyType::parse(t.as_str()).ok_or_else(|| {
            Ec2Error::invalid_value("KeyType", t.as_str(), "Valid values: rsa, ed25519.")
        })?,
    };
    let format = match &input.key_format {
        None => KeyFormat::Pem,
        Some(f) => KeyFormat::parse(f.as_str()).ok_or_else(|| {
            Ec2Error::invalid_value("KeyFormat", f.as_str(), "Valid values: pem, ppk.")
        })?,
    };
    check_new_name(cx, name)?;
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[KeyPair::INFO.resource_type],
    )?;
    let now = cx.now;
    let state = cx.commit()?;
    let material = keys::generate(key_type, format, name);
    let pair = new_pair(
        name,
        key_type,
        material.fingerprint,
        material.public_key,
        now,
        &tags,
    );
    let out = w::CreateKeyPairOutput {
        key_pair_id: Some(pair.id.clone()),
        key_name: Some(pair.name.clone()),
        key_fingerprint: Some(pair.fingerprint.clone()),
        key_material: Some(material.key_material),
        tags: (!pair.tags.is_empty()).then(|| wire_tags(&pair.tags)),
    };
    state.add_key_pair(pair);
    Ok(out)
}

/// The key type comes from the material; an unreadable key, an unsupported algorithm
/// or RSA length is `InvalidKey.Format` (the code and wording real EC2 sent in
/// aws/aws-sdk-go#176, aws/aws-sdk-js#314 and trailofbits/algo#376; see
/// `crate::keys::import` for the formats).
pub fn import_key_pair(
    cx: &mut Cx<'_>,
    input: w::ImportKeyPairInput,
) -> Result<w::ImportKeyPairOutput, Ec2Error> {
    let name = input.key_name.as_str();
    check_new_name(cx, name)?;
    let key = keys::import(&input.public_key_material.0, name).map_err(|_| {
        Ec2Error::new(
            "InvalidKey.Format",
            "Key is not in valid OpenSSH public key format",
        )
    })?;
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[KeyPair::INFO.resource_type],
    )?;
    let now = cx.now;
    let state = cx.commit()?;
    let pair = new_pair(
        name,
        key.key_type,
        key.fingerprint,
        key.public_key,
        now,
        &tags,
    );
    let out = w::ImportKeyPairOutput {
        key_pair_id: Some(pair.id.clone()),
        key_name: Some(pair.name.clone()),
        key_fingerprint: Some(pair.fingerprint.clone()),
        tags: (!pair.tags.is_empty()).then(|| wire_tags(&pair.tags)),
    };
    state.add_key_pair(pair);
    Ok(out)
}

pub fn describe_key_pairs(
    cx: &mut Cx<'_>,
    input: w::DescribeKeyPairsInput,
) -> Result<w::DescribeKeyPairsOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), KEY_PAIR_FILTERS)?;
    let names = input.key_names.clone().unwrap_or_default();
    let ids = input.key_pair_ids.clone().unwrap_or_default();
    let view = cx.view();
    let s = view.state;
    let info = KeyPair::INFO;
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| s.key_pair_by_name(n).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(info.not_found(&missing));
    }
    view.require_all::<KeyPair>(&ids)?;
    let include_public = input.include_public_key == Some(true);
    // In name order, as the name index keeps them.
    let pairs = s
        .key_names
        .values()
        .filter_map(|id| s.key_pairs.get(id))
        .filter(|k| names.is_empty() || names.contains(&k.name))
        .filter(|k| ids.is_empty() || ids.contains(&k.id))
        .filter(|k| filters.matches(k, &view))
        .map(|k| w::KeyPairInfo {
            rendered: None,
            key_pair_id: Some(k.id.clone()),
            key_name: Some(k.name.clone()),
            key_fingerprint: Some(k.fingerprint.clone()),
            key_type: Some(w::KeyType::from(k.key_type.as_str())),
            tags: Some(wire_tags(&k.tags)),
            public_key: include_public.then(|| k.public_key.clone()),
            create_time: Some(k.create_time),
        })
        .collect();
    Ok(w::DescribeKeyPairsOutput {
        key_pairs: Some(pairs),
    })
}

/// EC2 answers a missing key pair name quietly (DeleteKeyPair is idempotent by name).
pub fn delete_key_pair(
    cx: &mut Cx<'_>,
    input: w::DeleteKeyPairInput,
) -> Result<w::DeleteKeyPairOutput, Ec2Error> {
    let s = cx.state();
    let id = match (&input.key_name, &input.key_pair_id) {
        (Some(n), _) => s.key_names.get(n).cloned(),
        (None, Some(id)) => {
            KeyPair::INFO.check(id)?;
            s.key_pairs.contains_key(id).then(|| id.clone())
        }
        (None, None) => return Err(Ec2Error::missing_parameter("keyName")),
    };
    let state = cx.commit()?;
    if let Some(id) = &id {
        state.remove_all(std::slice::from_ref(id));
    }
    Ok(w::DeleteKeyPairOutput {
        r#return: Some(true),
        key_pair_id: id,
    })
}
