//! Tag rules every handler shares: limits, TagSpecifications, wire conversion. (Kinds,
//! their errors and id checks are the store's: `crate::store::Resource`.)

use crate::generated::types::{Tag, TagSpecification};
use crate::store::{Resource, Tags};
use crate::Ec2Error;

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
        let Some(resource_type) = spec.resource_type.as_ref() else {
            return Err(Ec2Error::invalid_parameter_value(
                "Tag specification resource type must have a value",
            ));
        };
        let rt = resource_type.as_str();
        if !resource_type.is_known() {
            // A type EC2 does not know at all is InvalidParameter; one it knows but this
            // operation does not create is InvalidParameterValue (below).
            return Err(Ec2Error::new(
                "InvalidParameter",
                format!("'{rt}' is not a valid taggable resource type."),
            ));
        }
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

/// The tags TagSpecifications gave the resources of kind `R`.
pub fn tags_for<R: Resource>(specs: &[(String, Tags)]) -> Tags {
    specs
        .iter()
        .find(|(t, _)| t == R::INFO.resource_type)
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

/// A resource's item from the render cache (`store::Renders`) while `key` holds, else
/// `to_wire` written once by the generated `write` and kept; `wrap` puts the kept item
/// in an otherwise empty wire struct. With the cache off (`--render-cache-mib 0`) it is
/// `to_wire` as it is.
pub fn kept_item<W>(
    s: &crate::store::RegionState,
    id: &str,
    key: &crate::store::RenderKey<'_>,
    budget: usize,
    to_wire: impl FnOnce() -> W,
    write: fn(&mut crate::wire::xml::XmlOut, &W),
    wrap: impl FnOnce(crate::wire::xml::Rendered) -> W,
) -> W {
    if budget == 0 {
        return to_wire();
    }
    let item = s.renders.get_or_render(id, key, budget, || {
        let wire = to_wire();
        crate::wire::xml::XmlOut::render(|out| write(out, &wire))
    });
    wrap(item)
}

/// [`kept_item`] for a resource whose wire form reads nothing but its own record (what
/// the signature of its `to_wire` shows: the record, the account, the Region): the
/// record's revision is the whole key.
pub fn own_record_item<R: crate::store::Resource, W>(
    s: &crate::store::RegionState,
    r: &R,
    budget: usize,
    to_wire: impl FnOnce(&R) -> W,
    write: fn(&mut crate::wire::xml::XmlOut, &W),
    wrap: impl FnOnce(crate::wire::xml::Rendered) -> W,
) -> W {
    let own = [R::table(s).rev(r.id()).unwrap_or(0)];
    let key = crate::store::RenderKey {
        own: &own,
        tables: &[],
        deps: &|_| {},
    };
    kept_item(s, r.id(), &key, budget, || to_wire(r), write, wrap)
}

/// A ClientToken of an operation whose tokens `RegionState::tokens` keeps (EC2 API
/// reference, "Ensure idempotency": a retry with the same token answers as the first call
/// did and changes nothing more; the same token with other arguments is
/// IdempotentParameterMismatch). The request's fingerprint is the hash of its `Debug`
/// form, as RunInstances fingerprints its own (`instances::launch`), kept beside the id
/// the first call made. No token: nothing to look up or keep.
pub struct ClientToken<'a> {
    action: &'static str,
    token: Option<&'a str>,
    fingerprint: u64,
}

impl<'a> ClientToken<'a> {
    /// `request` is the input without DryRun (a DryRun call is the same request); it is
    /// only built when there is a token.
    pub fn of<T: std::fmt::Debug>(
        action: &'static str,
        token: Option<&'a str>,
        request: impl FnOnce() -> T,
    ) -> ClientToken<'a> {
        use std::hash::{Hash, Hasher};
        let fingerprint = token.map_or(0, |_| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            format!("{:?}", request()).hash(&mut h);
            h.finish()
        });
        ClientToken {
            action,
            token,
            fingerprint,
        }
    }

    /// What the first call with this token made (its id, as `remember` kept it), or
    /// `None` for a token not seen yet (or no token).
    pub fn prior<'s>(&self, s: &'s crate::store::RegionState) -> Result<Option<&'s str>, Ec2Error> {
        let Some(token) = self.token else {
            return Ok(None);
        };
        let Some((id, fingerprint)) = s.kept_token(self.action, token) else {
            return Ok(None);
        };
        if fingerprint != Some(self.fingerprint) {
            // AWS-doc wording (ec2-errors.md, IdempotentParameterMismatch), as RunInstances.
            return Err(Ec2Error::new(
                "IdempotentParameterMismatch",
                "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).",
            ));
        }
        Ok(Some(id))
    }

    /// Keeps `id` (what a retry answers with) and the request's fingerprint.
    pub fn remember(&self, s: &mut crate::store::RegionState, id: &str) {
        if let Some(token) = self.token {
            s.keep_token(self.action, token, id, Some(self.fingerprint));
        }
    }
}
