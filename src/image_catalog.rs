//! The AMI catalog as data: images in the shape `aws ec2 describe-images --output json`
//! prints (`{"Images": [...]}`, AWS's member names), from the seed file compiled in
//! (`src/data/images.json`, sources in `src/data/IMAGES.md`) and from the user's files
//! (`--images FILE`, `POST /_parlel/images`). Every account sees every catalog image in
//! the Regions it names (`Regions`, a list of Region names; absent: every Region).
//!
//! An entry needs only `ImageId`; the rest defaults as documented in the README
//! ("User image catalogs"). Members the model does not know are ignored, so a dump from a
//! newer CLI loads.

use crate::generated::types as w;
use crate::store::{is_well_formed, Image, Tags};
use crate::wire::value::{Reflect, Value};
use std::collections::HashSet;
use std::sync::OnceLock;

const SEED: &str = include_str!("data/images.json");

/// The defaults of a minimal entry (README, "User image catalogs").
const DEFAULT_CREATION_DATE: &str = "2026-11-01T00:00:00.000Z";
const DEFAULT_ROOT_SIZE: i32 = 8;

/// One catalog image and the Regions it is offered in (`None`: every Region).
#[derive(Debug, Clone)]
pub struct CatalogImage {
    pub image: Image,
    pub regions: Option<Vec<String>>,
}

/// Every catalog image: the seed's, then each loaded file's, ids unique across them.
#[derive(Debug, Clone, Default)]
pub struct ImageCatalog {
    pub images: Vec<CatalogImage>,
}

impl ImageCatalog {
    /// The seed catalog, parsed once.
    pub fn seed() -> &'static ImageCatalog {
        static SEEDED: OnceLock<ImageCatalog> = OnceLock::new();
        SEEDED.get_or_init(|| ImageCatalog {
            images: parse(SEED, "src/data/images.json").expect("the seed catalog parses"),
        })
    }

    /// This catalog and `more` together, or the first id `more` repeats.
    pub fn with(&self, more: Vec<CatalogImage>, source: &str) -> Result<ImageCatalog, String> {
        let mut ids: HashSet<&str> = self.images.iter().map(|c| c.image.id.as_str()).collect();
        for (n, c) in more.iter().enumerate() {
            if !ids.insert(&c.image.id) {
                return Err(format!(
                    "{source}: entry {n}: ImageId: {} is already in the catalog",
                    c.image.id
                ));
            }
        }
        let mut images = self.images.clone();
        images.extend(more);
        Ok(ImageCatalog { images })
    }

    /// The images a Region offers.
    pub fn in_region<'a>(&'a self, region: &'a str) -> impl Iterator<Item = &'a Image> + 'a {
        self.images
            .iter()
            .filter(move |c| {
                c.regions
                    .as_ref()
                    .is_none_or(|r| r.iter().any(|x| x == region))
            })
            .map(|c| &c.image)
    }
}

/// Parses a catalog file; an error names `source`, the entry and the member.
pub fn parse(text: &str, source: &str) -> Result<Vec<CatalogImage>, String> {
    let doc: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("{source}: not JSON: {e}"))?;
    let entries = doc
        .get("Images")
        .and_then(|v| v.as_array())
        .ok_or_else(|| format!("{source}: expected {{\"Images\": [...]}}"))?;
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(entries.len());
    for (n, e) in entries.iter().enumerate() {
        let at = |field: &str, problem: &str| format!("{source}: entry {n}: {field}: {problem}");
        if !e.is_object() {
            return Err(format!("{source}: entry {n}: not an object"));
        }
        let regions = match e.get("Regions") {
            None => None,
            Some(r) => Some(
                r.as_array()
                    .and_then(|a| a.iter().map(|x| x.as_str().map(str::to_string)).collect())
                    .ok_or_else(|| at("Regions", "expected a list of Region names"))?,
            ),
        };
        let value = Value::from_json(e);
        let shape = w::Image::from_value(&value).ok_or_else(|| {
            let field = value.misfit::<w::Image>().unwrap_or("?");
            at(field, "does not fit the Image shape of describe-images")
        })?;
        let image = complete(shape).map_err(|(field, problem)| at(field, &problem))?;
        if !seen.insert(image.id.clone()) {
            return Err(at("ImageId", &format!("{} is listed twice", image.id)));
        }
        out.push(CatalogImage { image, regions });
    }
    Ok(out)
}

/// A snapshot id for an image that names none, the same on every start: `snap-` and 17
/// hex digits of the image id's hash.
fn snapshot_for(image_id: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    image_id.hash(&mut h);
    format!("snap-{:017x}", h.finish() & ((1u64 << 63) - 1) | (1 << 60))
}

/// A catalog entry as a record, with the documented defaults; `Err((member, problem))`.
fn complete(i: w::Image) -> Result<Image, (&'static str, String)> {
    let id = i
        .image_id
        .clone()
        .ok_or(("ImageId", "missing".to_string()))?;
    if !is_well_formed(&id, "ami") {
        return Err((
            "ImageId",
            format!("{id} is not an AMI id (ami- and 8 or 17 hex digits)"),
        ));
    }
    let architecture = i
        .architecture
        .clone()
        .unwrap_or(w::ArchitectureValues::X8664);
    if !architecture.is_known() {
        return Err((
            "Architecture",
            format!(
                "unknown value {}; one of {}",
                architecture.as_str(),
                w::ArchitectureValues::VALUES.join(", ")
            ),
        ));
    }
    let windows = i
        .platform
        .as_ref()
        .is_some_and(|p| p.as_str().eq_ignore_ascii_case("windows"));
    let root_device_name = i
        .root_device_name
        .clone()
        .unwrap_or_else(|| if windows { "/dev/sda1" } else { "/dev/xvda" }.to_string());
    let mappings = i.block_device_mappings.clone().unwrap_or_default();
    let root = mappings
        .iter()
        .find(|m| m.device_name.as_deref() == Some(root_device_name.as_str()))
        .and_then(|m| m.ebs.clone())
        .unwrap_or_default();
    let volume_type = root
        .volume_type
        .as_ref()
        .map_or("gp3".to_string(), |t| t.as_str().to_string());
    if !matches!(
        volume_type.as_str(),
        "standard" | "io1" | "io2" | "gp2" | "gp3" | "sc1" | "st1"
    ) {
        return Err((
            "BlockDeviceMappings",
            format!("unknown volume type {volume_type}"),
        ));
    }
    for (field, t) in [
        ("CreationDate", &i.creation_date),
        ("DeprecationTime", &i.deprecation_time),
    ] {
        if let Some(t) = t {
            if crate::clock::Timestamp::parse(t, crate::clock::TimestampFormat::DateTime).is_none()
            {
                return Err((
                    field,
                    format!("{t} is not a date-time like 2026-11-10T08:21:34.000Z"),
                ));
            }
        }
    }
    let snapshot_id = root
        .snapshot_id
        .clone()
        .unwrap_or_else(|| snapshot_for(&id));
    if !is_well_formed(&snapshot_id, "snap") {
        return Err((
            "BlockDeviceMappings",
            format!("{snapshot_id} is not a snapshot id"),
        ));
    }
    let tags: Tags = i
        .tags
        .iter()
        .flatten()
        .map(|t| {
            (
                t.key.clone().unwrap_or_default(),
                t.value.clone().unwrap_or_default(),
            )
        })
        .collect();
    Ok(Image {
        name: i.name.clone().unwrap_or_else(|| id.clone()),
        description: i.description.clone().unwrap_or_default(),
        owner_id: i
            .owner_id
            .clone()
            .unwrap_or_else(|| crate::auth::DEFAULT_ACCOUNT.to_string()),
        owner_alias: i.image_owner_alias.clone(),
        architecture: architecture.as_str().into(),
        platform: windows.then(|| "windows".into()),
        platform_details: i
            .platform_details
            .clone()
            .unwrap_or_else(|| if windows { "Windows" } else { "Linux/UNIX" }.to_string())
            .into(),
        usage_operation: i
            .usage_operation
            .clone()
            .unwrap_or_else(|| {
                if windows {
                    "RunInstances:0002"
                } else {
                    "RunInstances"
                }
                .to_string()
            })
            .into(),
        root_volume_size: root
            .volume_size
            .unwrap_or(if windows { 30 } else { DEFAULT_ROOT_SIZE }),
        volume_type,
        root_encrypted: root.encrypted.unwrap_or(false),
        root_delete_on_termination: root.delete_on_termination.unwrap_or(true),
        other_mappings: mappings
            .into_iter()
            .filter(|m| m.device_name.as_deref() != Some(root_device_name.as_str()))
            .collect::<Vec<_>>()
            .into(),
        root_device_name: root_device_name.into(),
        snapshot_id,
        creation_date: i
            .creation_date
            .clone()
            .unwrap_or_else(|| DEFAULT_CREATION_DATE.to_string()),
        boot_mode: i.boot_mode.as_ref().map(|b| b.as_str().into()),
        tpm_support: i.tpm_support.as_ref().map(|t| t.as_str().to_string()),
        imds_support: i.imds_support.as_ref().map(|t| t.as_str().to_string()),
        deprecation_time: i.deprecation_time.clone(),
        virtualization_type: i
            .virtualization_type
            .as_ref()
            .map_or("hvm".to_string(), |v| v.as_str().to_string()),
        ena_support: i.ena_support.unwrap_or(true),
        sriov_net_support: i.sriov_net_support.clone().or(Some("simple".into())),
        is_public: i.public.unwrap_or(true),
        launch_users: Vec::new(),
        catalog: true,
        ready_at: crate::clock::Timestamp(0),
        disabled: false,
        source_image: None,
        source_instance_id: None,
        tags,
        id,
    })
}

/// A public SSM parameter AWS publishes for an image family: the newest image (by
/// CreationDate) of `owner_id` whose name matches `image_name` (`*` matches any run).
#[derive(Debug, Clone)]
pub struct SsmParameter {
    pub name: String,
    pub image_name: String,
    pub owner_id: String,
}

const SSM: &str = include_str!("data/ssm-parameters.json");

/// The parameters of `src/data/ssm-parameters.json`, parsed once.
pub fn ssm_parameters() -> &'static [SsmParameter] {
    static PARAMS: OnceLock<Vec<SsmParameter>> = OnceLock::new();
    PARAMS.get_or_init(|| parse_ssm(SSM).expect("the SSM parameter table parses"))
}

fn parse_ssm(text: &str) -> Result<Vec<SsmParameter>, String> {
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let list = doc["Parameters"].as_array().ok_or("no Parameters list")?;
    list.iter()
        .enumerate()
        .map(|(n, p)| {
            let field = |k: &str| {
                p[k].as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("parameter {n}: {k} missing"))
            };
            Ok(SsmParameter {
                name: field("Name")?,
                image_name: field("ImageName")?,
                owner_id: field("OwnerId")?,
            })
        })
        .collect()
}

/// `*`-only glob match.
fn glob(pattern: &str, s: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = s.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (k, p) in parts.iter().enumerate() {
        if k == parts.len() - 1 {
            return rest.ends_with(p);
        }
        match rest.find(p) {
            Some(at) => rest = &rest[at + p.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// The image a `resolve:ssm:<name>[:<version>]` ImageId names among `images`: the newest
/// matching one, as the parameter's current value would be. `None` for a parameter the
/// table does not have, or one no image matches.
pub fn resolve_ssm<'a>(
    reference: &str,
    images: impl Iterator<Item = &'a Image>,
) -> Option<&'a Image> {
    let name = reference.strip_prefix("resolve:ssm:")?;
    // A trailing `:<version>` or `:<label>` selects a version of the parameter; the
    // catalog has one version of each, the current one.
    let name = match name.rsplit_once(':') {
        Some((n, _)) if n.starts_with('/') => n,
        _ => name,
    };
    let p = ssm_parameters().iter().find(|p| p.name == name)?;
    images
        .filter(|i| i.owner_id == p.owner_id && glob(&p.image_name, &i.name))
        .max_by(|a, b| a.creation_date.cmp(&b.creation_date))
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs_match_runs() {
        assert!(glob(
            "al2023-ami-2023.*-kernel-6.1-x86_64",
            "al2023-ami-2023.9.20261110.0-kernel-6.1-x86_64"
        ));
        assert!(!glob(
            "al2023-ami-2023.*-kernel-6.1-x86_64",
            "al2023-ami-minimal-2023.9.1-kernel-6.1-x86_64"
        ));
        assert!(glob("a*", "a"));
        assert!(glob("*b", "ab"));
        assert!(!glob("a*c", "ab"));
        assert!(glob("exact", "exact"));
        assert!(!glob("exact", "exactly"));
    }
}
