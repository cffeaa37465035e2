//! CreateTags and DescribeTags, over every taggable resource kind.

use super::common::{check_tag, tag_limit, Kind, MAX_TAGS};
use crate::context::Cx;
use crate::describe::filter::{check_limits, Pattern};
use crate::describe::page::Page;
use crate::generated::types as w;
use crate::store::{RegionState, Tags};
use crate::Ec2Error;

pub fn create_tags(
    cx: &mut Cx<'_>,
    input: w::CreateTagsInput,
) -> Result<w::CreateTagsOutput, Ec2Error> {
    let mut pairs = Vec::with_capacity(input.tags.len());
    for t in &input.tags {
        let (k, v) = (
            t.key.clone().unwrap_or_default(),
            t.value.clone().unwrap_or_default(),
        );
        check_tag(&k, &v)?;
        pairs.push((k, v));
    }
    let s = cx.state();
    require_taggable(s, &input.resources)?;
    // The limit counts the tags a resource would have afterwards.
    let mut state_tags: Vec<Tags> = Vec::with_capacity(input.resources.len());
    for id in &input.resources {
        let mut tags = tags_of(s, id).map(|(_, t)| t.clone()).unwrap_or_default();
        tags.extend(pairs.iter().cloned());
        if tags.len() > MAX_TAGS {
            return Err(tag_limit());
        }
        state_tags.push(tags);
    }
    let state = cx.commit()?;
    for (id, tags) in input.resources.iter().zip(state_tags) {
        if let Some(t) = state.tags_mut(id) {
            *t = tags;
        }
    }
    Ok(w::CreateTagsOutput {})
}

/// Every id names an existing taggable resource: an id with no known prefix is InvalidID
/// (aws-cli#4109), a known kind that is not there gets that kind's NotFound.
fn require_taggable(s: &RegionState, ids: &[String]) -> Result<(), Ec2Error> {
    if ids.is_empty() {
        return Err(Ec2Error::missing_parameter("resourceIdSet"));
    }
    for id in ids {
        let kind = Kind::of(id).filter(|k| crate::store::is_well_formed(id, k.prefix()));
        let Some(kind) = kind else {
            return Err(Ec2Error::new(
                "InvalidID",
                format!("The ID '{id}' is not valid"),
            ));
        };
        if tags_of(s, id).is_none() {
            return Err(kind.not_found(&[id]));
        }
    }
    Ok(())
}

/// Tags given with a value are removed only when the value matches; a key alone removes
/// the key; no tags at all removes every tag (DeleteTags API reference).
pub fn delete_tags(
    cx: &mut Cx<'_>,
    input: w::DeleteTagsInput,
) -> Result<w::DeleteTagsOutput, Ec2Error> {
    let tags = input.tags.unwrap_or_default();
    for t in &tags {
        check_tag(
            t.key.as_deref().unwrap_or_default(),
            t.value.as_deref().unwrap_or_default(),
        )?;
    }
    require_taggable(cx.state(), &input.resources)?;
    let state = cx.commit()?;
    for id in &input.resources {
        let Some(current) = state.tags_mut(id) else {
            continue;
        };
        if tags.is_empty() {
            current.clear();
        }
        for t in &tags {
            let key = t.key.as_deref().unwrap_or_default();
            if t.value.as_ref().is_none_or(|v| current.get(key) == Some(v)) {
                current.remove(key);
            }
        }
    }
    Ok(w::DeleteTagsOutput {})
}

/// A resource's stored id (rows borrow it from the region) and its tags.
fn tags_of<'s>(s: &'s RegionState, id: &str) -> Option<(&'s str, &'s Tags)> {
    let kind = Kind::of(id)?;
    fn pair<'s>(id: &'s str, tags: &'s Tags) -> Option<(&'s str, &'s Tags)> {
        Some((id, tags))
    }
    match kind {
        Kind::Instance => s.instances.get(id).and_then(|x| pair(&x.id, &x.tags)),
        Kind::Vpc => s.vpcs.get(id).and_then(|x| pair(&x.id, &x.tags)),
        Kind::Subnet => s.subnets.get(id).and_then(|x| pair(&x.id, &x.tags)),
        Kind::SecurityGroup => s.security_groups.get(id).and_then(|x| pair(&x.id, &x.tags)),
        Kind::SecurityGroupRule => s
            .security_groups
            .values()
            .flat_map(|g| &g.rules)
            .find(|r| r.id == id)
            .and_then(|x| pair(&x.id, &x.tags)),
        Kind::Image => s.images.get(id).and_then(|x| pair(&x.id, &x.tags)),
        Kind::KeyPair => s
            .key_pairs
            .values()
            .find(|k| k.id == id)
            .and_then(|x| pair(&x.id, &x.tags)),
        Kind::Volume => s
            .volumes
            .get(id)
            .filter(|v| !s.went_with_instance(&v.instance_id, v.delete_on_termination))
            .and_then(|x| pair(&x.id, &x.tags)),
        Kind::NetworkInterface => s
            .network_interfaces
            .get(id)
            .filter(|n| !s.went_with_instance(&n.instance_id, true))
            .and_then(|x| pair(&x.id, &x.tags)),
    }
}

/// One tag of one resource, as DescribeTags lists it.
pub struct TagRow<'a> {
    pub id: &'a str,
    pub kind: Kind,
    pub key: &'a str,
    pub value: &'a str,
}

/// Every tag in the region, ordered by resource id then key. Terminated instances keep
/// their tags while they are visible.
/// The tag rows of the given resources, ordered like [`all_tags`].
fn tags_of_ids<'s>(s: &'s RegionState, ids: &[&str]) -> Vec<TagRow<'s>> {
    let mut rows: Vec<TagRow<'s>> = Vec::new();
    for id in ids {
        let (Some(kind), Some((id, tags))) = (Kind::of(id), tags_of(s, id)) else {
            continue;
        };
        rows.extend(tags.iter().map(|(k, v)| TagRow {
            id,
            kind,
            key: k,
            value: v,
        }));
    }
    rows.sort_by(|a, b| (a.id, a.key).cmp(&(b.id, b.key)));
    rows.dedup_by(|a, b| a.id == b.id && a.key == b.key);
    rows
}

fn all_tags(s: &RegionState) -> Vec<TagRow<'_>> {
    let mut rows = Vec::new();
    fn push<'a>(rows: &mut Vec<TagRow<'a>>, id: &'a str, kind: Kind, tags: &'a Tags) {
        rows.extend(tags.iter().map(|(k, v)| TagRow {
            id,
            kind,
            key: k,
            value: v,
        }));
    }
    for i in s.instances.values() {
        push(&mut rows, &i.id, Kind::Instance, &i.tags);
    }
    for v in s.vpcs.values() {
        push(&mut rows, &v.id, Kind::Vpc, &v.tags);
    }
    for v in s.subnets.values() {
        push(&mut rows, &v.id, Kind::Subnet, &v.tags);
    }
    for g in s.security_groups.values() {
        push(&mut rows, &g.id, Kind::SecurityGroup, &g.tags);
        for r in &g.rules {
            push(&mut rows, &r.id, Kind::SecurityGroupRule, &r.tags);
        }
    }
    for i in s.images.values() {
        push(&mut rows, &i.id, Kind::Image, &i.tags);
    }
    for k in s.key_pairs.values() {
        push(&mut rows, &k.id, Kind::KeyPair, &k.tags);
    }
    for v in s
        .volumes
        .values()
        .filter(|v| !s.went_with_instance(&v.instance_id, v.delete_on_termination))
    {
        push(&mut rows, &v.id, Kind::Volume, &v.tags);
    }
    for n in s
        .network_interfaces
        .values()
        .filter(|n| !s.went_with_instance(&n.instance_id, true))
    {
        push(&mut rows, &n.id, Kind::NetworkInterface, &n.tags);
    }
    rows.sort_by(|a, b| (a.id, a.key).cmp(&(b.id, b.key)));
    rows
}

pub fn describe_tags(
    cx: &mut Cx<'_>,
    input: w::DescribeTagsInput,
) -> Result<w::DescribeTagsOutput, Ec2Error> {
    let filters = parse_filters(input.filters.clone().unwrap_or_default())?;
    let page = Page::new(
        "DescribeTags",
        input.max_results,
        input.next_token.as_deref(),
        &format!("{:?}", input.filters),
    )?;
    let s = cx.state();
    // A `resource-id` filter of exact ids reads just those resources' tags, so the cost
    // follows the ids asked for, not the size of the region.
    let exact_ids: Option<Vec<&str>> = filters.iter().find_map(|(f, values)| match f {
        TagFilter::ResourceId => values
            .iter()
            .map(|p| match p {
                Pattern::Exact(id) => Some(id.as_str()),
                Pattern::Glob(_) => None,
            })
            .collect(),
        _ => None,
    });
    let rows = match exact_ids {
        Some(ids) => tags_of_ids(s, &ids),
        None => all_tags(s),
    };
    // Token position: "<resource id>\u{1}<key>", which orders like the rows.
    let pos = |r: &&TagRow| format!("{}\u{1}{}", r.id, r.key);
    let start = page.after.as_deref();
    let items = rows
        .iter()
        .filter(|r| start.is_none_or(|a| pos(r).as_str() > a))
        .filter(|r| {
            filters
                .iter()
                .all(|(f, values)| values.iter().any(|p| f.matches(r, p)))
        });
    let (rows, next_token) = page.take(items, pos);
    Ok(w::DescribeTagsOutput {
        tags: Some(
            rows.into_iter()
                .map(|r| w::TagDescription {
                    resource_id: Some(r.id.to_string()),
                    resource_type: Some(w::ResourceType::from(r.kind.resource_type())),
                    key: Some(r.key.to_string()),
                    value: Some(r.value.to_string()),
                })
                .collect(),
        ),
        next_token,
    })
}

/// DescribeTags' filters (its documentation: `key`, `resource-id`, `resource-type`,
/// `tag:<key>`, `value`). Rows are tags, not tagged resources, so the shared tag filters
/// of [`Filters`](crate::describe::filter::Filters) do not apply here.
enum TagFilter {
    Key,
    ResourceId,
    ResourceType,
    Value,
    /// `tag:<key>`: rows of that key whose value matches.
    Tag(String),
}

impl TagFilter {
    fn matches(&self, r: &TagRow, p: &Pattern) -> bool {
        match self {
            TagFilter::Key => p.matches(r.key),
            TagFilter::ResourceId => p.matches(r.id),
            TagFilter::ResourceType => p.matches(r.kind.resource_type()),
            TagFilter::Value => p.matches(r.value),
            TagFilter::Tag(k) => r.key == k && p.matches(r.value),
        }
    }
}

fn parse_filters(input: Vec<w::Filter>) -> Result<Vec<(TagFilter, Vec<Pattern>)>, Ec2Error> {
    check_limits(&input)?;
    input
        .into_iter()
        .map(|f| {
            let name = f.name.unwrap_or_default();
            let filter = match name.as_str() {
                "key" => TagFilter::Key,
                "resource-id" => TagFilter::ResourceId,
                "resource-type" => TagFilter::ResourceType,
                "value" => TagFilter::Value,
                n if n.starts_with("tag:") => TagFilter::Tag(n[4..].to_string()),
                _ => {
                    return Err(Ec2Error::invalid_parameter_value(format!(
                        "The filter '{name}' is invalid"
                    )))
                }
            };
            Ok((
                filter,
                f.values
                    .unwrap_or_default()
                    .iter()
                    .map(|v| Pattern::new(v))
                    .collect(),
            ))
        })
        .collect()
}
