//! ModifyInstanceMetadataOptions and the IAM instance profile associations: Associate,
//! Describe, Replace, Disassociate. IAM is not emulated: a profile is echoed as given
//! (`options::iam_profile`). An association is kept on its instance, one at most
//! (EC2 User Guide, "Attach an IAM role to an instance"); a terminated instance has none.

use super::options::{apply_metadata, iam_profile, MetadataChange};
use crate::context::Cx;
use crate::describe::filter::{Filters, View};
use crate::describe::page::Page;
use crate::generated::types as w;
use crate::handlers::filters::IAM_ASSOCIATION_FILTERS;
use crate::store::{IamProfile, Instance, InstanceState};
use crate::Ec2Error;

/// Terminating or terminated: no metadata changes, no profile association.
fn gone(i: &Instance, view: &View<'_>) -> bool {
    matches!(
        i.state(view.now),
        InstanceState::ShuttingDown | InstanceState::Terminated
    )
}

/// Not on a terminated (or terminating) instance. Unverified wording.
fn live<'a>(view: &View<'a>, id: &str) -> Result<&'a Instance, Ec2Error> {
    let i: &Instance = view.get(id)?;
    if gone(i, view) {
        return Err(Ec2Error::new(
            "IncorrectInstanceState",
            format!("The instance '{id}' is not in a valid state for this operation."),
        ));
    }
    Ok(i)
}

/// The new settings are answered `pending` (applied on the next read), as EC2 answers
/// them while the instance picks them up.
pub fn modify_instance_metadata_options(
    cx: &mut Cx<'_>,
    input: w::ModifyInstanceMetadataOptionsInput,
) -> Result<w::ModifyInstanceMetadataOptionsOutput, Ec2Error> {
    let view = cx.view();
    let mut m = live(&view, &input.instance_id)?.metadata.clone();
    apply_metadata(
        &mut m,
        MetadataChange {
            http_tokens: input.http_tokens.as_ref().map(|v| v.as_str()),
            hop_limit: input.http_put_response_hop_limit,
            http_endpoint: input.http_endpoint.as_ref().map(|v| v.as_str()),
            http_protocol_ipv6: input.http_protocol_ipv6.as_ref().map(|v| v.as_str()),
            instance_metadata_tags: input.instance_metadata_tags.as_ref().map(|v| v.as_str()),
        },
    )?;
    let out = w::InstanceMetadataOptionsResponse {
        state: Some(w::InstanceMetadataOptionsState::Pending),
        http_tokens: Some(w::HttpTokensState::from(m.http_tokens)),
        http_put_response_hop_limit: Some(m.http_put_response_hop_limit),
        http_endpoint: Some(w::InstanceMetadataEndpointState::from(m.http_endpoint)),
        http_protocol_ipv6: Some(w::InstanceMetadataProtocolState::from(m.http_protocol_ipv6)),
        instance_metadata_tags: Some(w::InstanceMetadataTagsState::from(m.instance_metadata_tags)),
    };
    let id = input.instance_id.clone();
    if let Some(i) = cx.commit()?.instances.get_mut(&id) {
        i.metadata = m;
    }
    Ok(w::ModifyInstanceMetadataOptionsOutput {
        instance_id: Some(id),
        instance_metadata_options: Some(out),
    })
}

fn association(i: &Instance, p: &IamProfile, state: &str) -> w::IamInstanceProfileAssociation {
    w::IamInstanceProfileAssociation {
        association_id: Some(p.association_id.clone()),
        instance_id: Some(i.id.clone()),
        iam_instance_profile: Some(w::IamInstanceProfile {
            arn: Some(p.arn.clone()),
            id: Some(p.id.clone()),
        }),
        state: Some(w::IamInstanceProfileAssociationState::from(state)),
        timestamp: Some(p.associated_at),
    }
}

/// The live instance holding association `id`. Unverified wording.
fn by_association<'a>(view: &View<'a>, id: &str) -> Result<&'a Instance, Ec2Error> {
    view.state
        .instances
        .values()
        .find(|i| {
            i.iam_instance_profile
                .as_ref()
                .is_some_and(|p| p.association_id == id)
                && !gone(i, view)
        })
        .ok_or_else(|| {
            Ec2Error::new(
                "InvalidAssociationID.NotFound",
                format!("An association ID '{id}' does not exist"),
            )
        })
}

pub fn associate_iam_instance_profile(
    cx: &mut Cx<'_>,
    input: w::AssociateIamInstanceProfileInput,
) -> Result<w::AssociateIamInstanceProfileOutput, Ec2Error> {
    let view = cx.view();
    let i = live(&view, &input.instance_id)?;
    if i.iam_instance_profile.is_some() {
        // Real EC2's answer (aws-samples/one-observability-demo#201,
        // aws-samples/aws-cloud9-bootstrapping-example#5).
        return Err(Ec2Error::new(
            "IncorrectState",
            format!("There is an existing association for instance {}", i.id),
        ));
    }
    let id = i.id.clone();
    Ok(w::AssociateIamInstanceProfileOutput {
        iam_instance_profile_association: Some(set_profile(cx, &id, &input.iam_instance_profile)?),
    })
}

/// Gives instance `id` a new association with the profile `spec` names.
fn set_profile(
    cx: &mut Cx<'_>,
    id: &str,
    spec: &w::IamInstanceProfileSpecification,
) -> Result<w::IamInstanceProfileAssociation, Ec2Error> {
    let profile = iam_profile(Some(spec), cx.account, cx.now)?
        .ok_or_else(|| Ec2Error::missing_parameter("iamInstanceProfile"))?;
    let state = cx.commit()?;
    let i = state.instances.get_mut(id).expect("checked by the caller");
    let out = association(i, &profile, "associating");
    i.iam_instance_profile = Some(profile);
    Ok(out)
}

pub fn replace_iam_instance_profile_association(
    cx: &mut Cx<'_>,
    input: w::ReplaceIamInstanceProfileAssociationInput,
) -> Result<w::ReplaceIamInstanceProfileAssociationOutput, Ec2Error> {
    let view = cx.view();
    let i = by_association(&view, &input.association_id)?;
    // Replace works on a running instance only; a stopped one answers this (real EC2 in
    // aws/aws-cli#5251: disassociate and associate instead).
    if i.state(view.now) != InstanceState::Running {
        return Err(Ec2Error::new(
            "IncorrectState",
            format!(
                "The association {} is not the active association",
                input.association_id
            ),
        ));
    }
    let id = i.id.clone();
    Ok(w::ReplaceIamInstanceProfileAssociationOutput {
        iam_instance_profile_association: Some(set_profile(cx, &id, &input.iam_instance_profile)?),
    })
}

pub fn disassociate_iam_instance_profile(
    cx: &mut Cx<'_>,
    input: w::DisassociateIamInstanceProfileInput,
) -> Result<w::DisassociateIamInstanceProfileOutput, Ec2Error> {
    let view = cx.view();
    let id = by_association(&view, &input.association_id)?.id.clone();
    let state = cx.commit()?;
    let i = state.instances.get_mut(&id).expect("checked above");
    let profile = i
        .iam_instance_profile
        .take()
        .expect("found by its association");
    Ok(w::DisassociateIamInstanceProfileOutput {
        iam_instance_profile_association: Some(association(i, &profile, "disassociating")),
    })
}

/// In association-id order; filters `instance-id` and `state` (the API reference's two).
/// Unlike the resource tables this scans every instance: associations are not indexed.
pub fn describe_iam_instance_profile_associations(
    cx: &mut Cx<'_>,
    input: w::DescribeIamInstanceProfileAssociationsInput,
) -> Result<w::DescribeIamInstanceProfileAssociationsOutput, Ec2Error> {
    let filters = Filters::parse_untagged(input.filters.clone(), IAM_ASSOCIATION_FILTERS)?;
    let page = Page::of(&input)?;
    let view = cx.view();
    let ids = input.association_ids.clone().unwrap_or_default();
    for id in &ids {
        by_association(&view, id)?;
    }
    let mut found: Vec<(&Instance, &IamProfile)> = view
        .state
        .instances
        .values()
        .filter(|i| !gone(i, &view))
        .filter_map(|i| i.iam_instance_profile.as_deref().map(|p| (i, p)))
        .filter(|(_, p)| ids.is_empty() || ids.contains(&p.association_id))
        .filter(|(_, p)| {
            page.after
                .as_deref()
                .is_none_or(|a| p.association_id.as_str() > a)
        })
        .filter(|(i, _)| filters.matches(*i, &view))
        .collect();
    found.sort_by(|a, b| a.1.association_id.cmp(&b.1.association_id));
    let (items, next_token) = page.take(found.into_iter(), |(_, p)| p.association_id.clone());
    Ok(w::DescribeIamInstanceProfileAssociationsOutput {
        iam_instance_profile_associations: Some(
            items
                .into_iter()
                .map(|(i, p)| association(i, p, "associated"))
                .collect(),
        ),
        next_token,
    })
}
