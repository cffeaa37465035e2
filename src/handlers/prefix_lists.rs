//! Prefix lists: DescribePrefixLists (the AWS services' lists, for Gateway endpoints and
//! security group rules), DescribeManagedPrefixLists, GetManagedPrefixListEntries, and the
//! account's own lists (Create/Modify/DeleteManagedPrefixList).

use super::common::{tag_specifications, tags_for, wire_tags};
use super::filters::{MANAGED_PREFIX_LIST_FILTERS, PREFIX_LIST_FILTERS};
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::net::Cidr;
use crate::store::{new_id, ManagedPrefixList, Resource, View};
use crate::Ec2Error;

pub fn describe_prefix_lists(
    cx: &mut Cx<'_>,
    input: w::DescribePrefixListsInput,
) -> Result<w::DescribePrefixListsOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), PREFIX_LIST_FILTERS)?;
    let ids = input.prefix_list_ids.clone().unwrap_or_default();
    let view = cx.view();
    let (lists, next_token) = view.describe(&input, &ids, |p: &ManagedPrefixList| {
        p.aws_managed && filters.matches(p, &view)
    })?;
    Ok(w::DescribePrefixListsOutput {
        next_token,
        prefix_lists: Some(
            lists
                .into_iter()
                .map(|p| w::PrefixList {
                    cidrs: Some(p.entries().iter().map(|(c, _)| c.clone()).collect()),
                    prefix_list_id: Some(p.id.clone()),
                    prefix_list_name: Some(p.name.clone()),
                })
                .collect(),
        ),
    })
}

pub fn describe_managed_prefix_lists(
    cx: &mut Cx<'_>,
    input: w::DescribeManagedPrefixListsInput,
) -> Result<w::DescribeManagedPrefixListsOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), MANAGED_PREFIX_LIST_FILTERS)?;
    let ids = input.prefix_list_ids.clone().unwrap_or_default();
    let view = cx.view();
    let (lists, next_token) = view.filtered(&input, &ids, &filters)?;
    Ok(w::DescribeManagedPrefixListsOutput {
        next_token,
        prefix_lists: Some(lists.into_iter().map(|p| list_to_wire(&view, p)).collect()),
    })
}

pub fn get_managed_prefix_list_entries(
    cx: &mut Cx<'_>,
    input: w::GetManagedPrefixListEntriesInput,
) -> Result<w::GetManagedPrefixListEntriesOutput, Ec2Error> {
    let view = cx.view();
    let list: &ManagedPrefixList = view.get(&input.prefix_list_id)?;
    let version = input.target_version.unwrap_or(list.version);
    let Some(entries) = usize::try_from(version - 1)
        .ok()
        .and_then(|v| list.history.get(v))
    else {
        // Unverified wording.
        return Err(Ec2Error::new(
            "InvalidPrefixListVersion",
            format!("The prefix list {} has no version {version}", list.id),
        ));
    };
    let page = crate::describe::page::Page::of(&input)?;
    let start = page.after.as_deref();
    let (page_items, next_token) = page.take(
        entries
            .iter()
            .filter(|(c, _)| start.is_none_or(|a| c.as_str() > a)),
        |(c, _)| c.clone(),
    );
    Ok(w::GetManagedPrefixListEntriesOutput {
        entries: Some(
            page_items
                .into_iter()
                .map(|(c, d)| w::PrefixListEntry {
                    cidr: Some(c.clone()),
                    description: d.clone(),
                })
                .collect(),
        ),
        next_token,
    })
}

/// The entries' blocks, canonical, for the list's address family, at most `max`.
fn checked_entries(
    family: &str,
    entries: &[w::AddPrefixListEntry],
) -> Result<Vec<(String, Option<String>)>, Ec2Error> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for e in entries {
        let cidr = if family == "IPv4" {
            Cidr::parse_canonical(&e.cidr)
                .map(|c| c.to_string())
                .ok_or_else(|| super::vpcs::invalid_cidr(&e.cidr))?
        } else {
            e.cidr.to_ascii_lowercase()
        };
        if out.iter().any(|(c, _)| *c == cidr) {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "The CIDR {cidr} is specified more than once"
            )));
        }
        out.push((cidr, e.description.clone()));
    }
    Ok(out)
}

pub fn create_managed_prefix_list(
    cx: &mut Cx<'_>,
    input: w::CreateManagedPrefixListInput,
) -> Result<w::CreateManagedPrefixListOutput, Ec2Error> {
    if !matches!(input.address_family.as_str(), "IPv4" | "IPv6") {
        return Err(Ec2Error::invalid_value(
            "addressFamily",
            &input.address_family,
            "Valid values: IPv4, IPv6.",
        ));
    }
    if !(1..=1000).contains(&input.max_entries) {
        return Err(Ec2Error::invalid_value(
            "maxEntries",
            &input.max_entries.to_string(),
            "Valid values are 1 to 1000.",
        ));
    }
    let entries = checked_entries(
        &input.address_family,
        input.entries.as_deref().unwrap_or_default(),
    )?;
    if entries.len() > input.max_entries as usize {
        return Err(Ec2Error::invalid_parameter_value(format!(
            "The prefix list has more entries than its maximum of {}",
            input.max_entries
        )));
    }
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[ManagedPrefixList::INFO.resource_type],
    )?;
    // ClientToken: the same token answers with the same list.
    if let Some(id) = input
        .client_token
        .as_deref()
        .and_then(|t| cx.state().token("CreateManagedPrefixList", t))
        .map(str::to_string)
    {
        cx.commit()?;
        let view = cx.view();
        return Ok(w::CreateManagedPrefixListOutput {
            prefix_list: view
                .state
                .prefix_lists
                .get(&id)
                .map(|p| list_to_wire(&view, p)),
        });
    }
    let now = cx.now;
    let state = cx.commit()?;
    let list = ManagedPrefixList {
        id: new_id("pl"),
        name: input.prefix_list_name.clone(),
        address_family: input.address_family.clone(),
        max_entries: input.max_entries,
        version: 1,
        history: vec![entries],
        aws_managed: false,
        create_time: now,
        tags: tags_for::<ManagedPrefixList>(&tags),
    };
    let id = list.id.clone();
    state.prefix_lists.insert(id.clone(), list);
    if let Some(t) = &input.client_token {
        state.set_token("CreateManagedPrefixList", t, &id);
    }
    let view = cx.view();
    let mut out = list_to_wire(&view, &view.state.prefix_lists[&id]);
    out.state = Some(w::PrefixListState::from("create-in-progress"));
    Ok(w::CreateManagedPrefixListOutput {
        prefix_list: Some(out),
    })
}

/// Adds and removes entries (a new version), renames, resizes; CurrentVersion must be the
/// list's version (optimistic locking, ModifyManagedPrefixList API reference).
pub fn modify_managed_prefix_list(
    cx: &mut Cx<'_>,
    input: w::ModifyManagedPrefixListInput,
) -> Result<w::ModifyManagedPrefixListOutput, Ec2Error> {
    let view = cx.view();
    let list: &ManagedPrefixList = view.get(&input.prefix_list_id)?;
    refuse_aws_managed(list)?;
    if input.current_version.is_some_and(|v| v != list.version) {
        return Err(Ec2Error::new(
            "PrefixListVersionMismatch",
            format!(
                "The prefix list {} is at version {}, not {}",
                list.id,
                list.version,
                input.current_version.unwrap_or_default()
            ),
        ));
    }
    let added = checked_entries(
        &list.address_family,
        input.add_entries.as_deref().unwrap_or_default(),
    )?;
    let mut entries = list.entries().to_vec();
    for r in input.remove_entries.iter().flatten() {
        let before = entries.len();
        entries.retain(|(c, _)| *c != r.cidr);
        if entries.len() == before {
            return Err(Ec2Error::invalid_parameter_value(format!(
                "The CIDR {} is not in the prefix list",
                r.cidr
            )));
        }
    }
    for (c, d) in added {
        match entries.iter_mut().find(|(x, _)| *x == c) {
            Some(e) => e.1 = d,
            None => entries.push((c, d)),
        }
    }
    let max = input.max_entries.unwrap_or(list.max_entries);
    if entries.len() > max as usize {
        return Err(Ec2Error::invalid_parameter_value(format!(
            "The prefix list has more entries than its maximum of {max}"
        )));
    }
    let changed_entries = entries != list.entries();
    let id = list.id.clone();
    let state = cx.commit()?;
    if let Some(l) = state.prefix_lists.get_mut(&id) {
        if let Some(name) = &input.prefix_list_name {
            l.name = name.clone();
        }
        l.max_entries = max;
        if changed_entries {
            l.history.push(entries);
            l.version += 1;
        }
    }
    let view = cx.view();
    let mut out = list_to_wire(&view, &view.state.prefix_lists[&id]);
    out.state = Some(w::PrefixListState::from("modify-in-progress"));
    Ok(w::ModifyManagedPrefixListOutput {
        prefix_list: Some(out),
    })
}

/// AWS's lists stay; one that a route or a security group rule names is in use.
pub fn delete_managed_prefix_list(
    cx: &mut Cx<'_>,
    input: w::DeleteManagedPrefixListInput,
) -> Result<w::DeleteManagedPrefixListOutput, Ec2Error> {
    let view = cx.view();
    let list: &ManagedPrefixList = view.get(&input.prefix_list_id)?;
    refuse_aws_managed(list)?;
    let removed = view.deletable::<ManagedPrefixList>(&list.id)?;
    let mut out = list_to_wire(&view, list);
    out.state = Some(w::PrefixListState::from("delete-in-progress"));
    cx.commit()?.remove_all(&removed);
    Ok(w::DeleteManagedPrefixListOutput {
        prefix_list: Some(out),
    })
}

/// AWS's own lists cannot be changed or deleted (unverified wording).
fn refuse_aws_managed(list: &ManagedPrefixList) -> Result<(), Ec2Error> {
    if list.aws_managed {
        return Err(Ec2Error::new(
            "OperationNotPermitted",
            format!("The prefix list {} is managed by AWS", list.id),
        ));
    }
    Ok(())
}

fn list_to_wire(view: &View<'_>, p: &ManagedPrefixList) -> w::ManagedPrefixList {
    let owner = if p.aws_managed {
        "AWS".to_string()
    } else {
        view.state.account.clone()
    };
    w::ManagedPrefixList {
        prefix_list_id: Some(p.id.clone()),
        address_family: Some(p.address_family.clone()),
        state: Some(w::PrefixListState::from(p.state())),
        prefix_list_arn: Some(format!(
            "arn:aws:ec2:{}:{}:prefix-list/{}",
            view.state.region,
            if p.aws_managed {
                "aws"
            } else {
                &view.state.account
            },
            p.id
        )),
        prefix_list_name: Some(p.name.clone()),
        max_entries: (!p.aws_managed).then_some(p.max_entries),
        version: Some(p.version),
        tags: Some(wire_tags(&p.tags)),
        owner_id: Some(owner),
        ..Default::default()
    }
}
