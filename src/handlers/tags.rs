//! CreateTags, DeleteTags and DescribeTags, over every kind of resource: the resource
//! layer routes an id to its kind's table (`View::tags_of`), so a resource EC2 no longer
//! shows (an instance past its retention) has no tags to read or write either.

use super::common::{check_tag, tag_limit, MAX_TAGS};
use crate::context::Cx;
use crate::describe::filter::{check_limits, Pattern};
use crate::describe::page::Page;
use crate::generated::types as w;
use crate::store::{Kind, TagRow, Tags, View};
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
    let view = cx.view();
    require_taggable(&view, &input.resources)?;
    // The limit counts the tags a resource would have afterwards.
    let mut state_tags: Vec<Tags> = Vec::with_capacity(input.resources.len());
    for id in &input.resources {
        let mut tags = view
            .tags_of(id)
            .map(|(_, _, t)| t.clone())
            .unwrap_or_default();
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
fn require_taggable(view: &View<'_>, ids: &[String]) -> Result<(), Ec2Error> {
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
        if view.tags_of(id).is_none() {
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
    require_taggable(&cx.view(), &input.resources)?;
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

/// The tag rows of the given resources, ordered like [`View::all_tags`].
fn tags_of_ids<'s>(view: &View<'s>, ids: &[&str]) -> Vec<TagRow<'s>> {
    let mut rows: Vec<TagRow<'s>> = Vec::new();
    for id in ids {
        let Some((kind, id, tags)) = view.tags_of(id) else {
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

pub fn describe_tags(
    cx: &mut Cx<'_>,
    input: w::DescribeTagsInput,
) -> Result<w::DescribeTagsOutput, Ec2Error> {
    let filters = parse_filters(input.filters.clone().unwrap_or_default())?;
    let page = Page::of(&input)?;
    let view = cx.view();
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
        Some(ids) => tags_of_ids(&view, &ids),
        None => view.all_tags(),
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
