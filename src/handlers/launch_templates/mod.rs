//! Launch templates: Create/Describe/Modify/Delete of templates, their numbered versions
//! ($Latest, $Default, SourceVersion), GetLaunchTemplateData from an instance, and the
//! template RunInstances launches from ([`for_launch`]).

mod data;
mod from_instance;

use super::common::{tag_specifications, tags_for, wire_tags, ClientToken};
use super::filters::{LAUNCH_TEMPLATE_FILTERS, LAUNCH_TEMPLATE_VERSION_FILTERS};
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::describe::page::Page;
use crate::generated::types as w;
use crate::store::{new_id, LaunchTemplate, Resource, TemplateVersion, View};
use crate::Ec2Error;
use std::collections::BTreeMap;

pub use from_instance::get_launch_template_data;

/// A version description is at most 255 characters (CreateLaunchTemplate API reference).
const MAX_DESCRIPTION: usize = 255;

/// Names: 3–128 characters of letters, digits and `- ( ) . / _` (the wording is AWS-raw,
/// github-aws-runners/terraform-aws-github-runner#932; the code is the EC2 error-code
/// list's).
fn check_name(name: &str) -> Result<(), Ec2Error> {
    let ok = (3..=128).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-()./_".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Ec2Error::new(
            "InvalidLaunchTemplateName.MalformedException",
            "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.",
        ))
    }
}

fn check_description(d: Option<&str>) -> Result<(), Ec2Error> {
    match d {
        Some(d) if d.chars().count() > MAX_DESCRIPTION => Err(Ec2Error::invalid_value(
            "versionDescription",
            d,
            "Length must be at most 255 characters.",
        )),
        _ => Ok(()),
    }
}

/// `InvalidLaunchTemplateName.NotFoundException` (AWS-raw, the CLI quoted in getmoto/moto#5477).
fn name_not_found(name: &str) -> Ec2Error {
    Ec2Error::new(
        "InvalidLaunchTemplateName.NotFoundException",
        format!("The specified launch template, with template name {name}, does not exist."),
    )
}

/// The template an input names by id or by name, "either ... but not both" (API reference).
fn find<'a>(
    view: &View<'a>,
    id: Option<&str>,
    name: Option<&str>,
) -> Result<&'a LaunchTemplate, Ec2Error> {
    match (id, name) {
        (Some(id), None) => view.get(id),
        (None, Some(name)) => view
            .state
            .template_names
            .get(name)
            .and_then(|id| view.state.launch_templates.get(id))
            .ok_or_else(|| name_not_found(name)),
        (Some(_), Some(_)) => Err(Ec2Error::new(
            "InvalidParameterCombination",
            "Specify either the launch template ID or the launch template name, but not both.",
        )),
        // Unverified wording.
        (None, None) => Err(Ec2Error::missing_parameter(
            "launchTemplateId or launchTemplateName",
        )),
    }
}

/// The inputs that name one template, by id or by name.
trait NamesTemplate {
    fn template_id(&self) -> Option<&str>;
    fn template_name(&self) -> Option<&str>;
}

macro_rules! names_template {
    ($($input:ty),*) => {$(
        impl NamesTemplate for $input {
            fn template_id(&self) -> Option<&str> {
                self.launch_template_id.as_deref()
            }
            fn template_name(&self) -> Option<&str> {
                self.launch_template_name.as_deref()
            }
        }
    )*};
}

names_template!(
    w::CreateLaunchTemplateVersionInput,
    w::ModifyLaunchTemplateInput,
    w::DeleteLaunchTemplateInput,
    w::DeleteLaunchTemplateVersionsInput,
    w::DescribeLaunchTemplateVersionsInput,
    w::LaunchTemplateSpecification
);

fn named<'a>(view: &View<'a>, input: &impl NamesTemplate) -> Result<&'a LaunchTemplate, Ec2Error> {
    find(view, input.template_id(), input.template_name())
}

/// `InvalidLaunchTemplateId.VersionNotFound` (AWS-raw, eksctl-io/eksctl#7786).
fn version_not_found(t: &LaunchTemplate, v: &str) -> Ec2Error {
    Ec2Error::new(
        "InvalidLaunchTemplateId.VersionNotFound",
        format!(
            "Could not find the specified version {v} for the launch template with ID {}.",
            t.id
        ),
    )
}

/// The highest version that still exists (`$Latest`, LatestVersionNumber).
fn latest(t: &LaunchTemplate) -> i64 {
    t.versions
        .keys()
        .next_back()
        .copied()
        .unwrap_or(t.default_version)
}

/// A version by number, `$Latest` or `$Default`.
fn version<'a>(t: &'a LaunchTemplate, v: &str) -> Result<&'a TemplateVersion, Ec2Error> {
    let n = match v {
        "$Latest" => latest(t),
        "$Default" => t.default_version,
        n => n.parse::<i64>().map_err(|_| version_not_found(t, v))?,
    };
    t.versions.get(&n).ok_or_else(|| version_not_found(t, v))
}

fn template_wire(t: &LaunchTemplate) -> w::LaunchTemplate {
    w::LaunchTemplate {
        rendered: None,
        launch_template_id: Some(t.id.clone()),
        launch_template_name: Some(t.name.clone()),
        create_time: Some(t.create_time),
        created_by: Some(t.created_by.clone()),
        default_version_number: Some(t.default_version),
        latest_version_number: Some(latest(t)),
        tags: (!t.tags.is_empty()).then(|| wire_tags(&t.tags)),
        operator: None,
    }
}

fn version_wire(t: &LaunchTemplate, v: &TemplateVersion) -> w::LaunchTemplateVersion {
    w::LaunchTemplateVersion {
        launch_template_id: Some(t.id.clone()),
        launch_template_name: Some(t.name.clone()),
        version_number: Some(v.number),
        version_description: v.description.clone(),
        create_time: Some(v.create_time),
        created_by: Some(t.created_by.clone()),
        default_version: Some(v.number == t.default_version),
        launch_template_data: Some(v.data.clone()),
        operator: None,
    }
}

/// Tags in the template data name what a launch creates (CreateLaunchTemplate API
/// reference, LaunchTemplateTagSpecificationRequest: "instance | volume |
/// network-interface | spot-instances-request"); each tag obeys the tag rules.
fn check_data(d: &w::RequestLaunchTemplateData) -> Result<(), Ec2Error> {
    let specs: Vec<w::TagSpecification> = d
        .tag_specifications
        .iter()
        .flatten()
        .map(|s| w::TagSpecification {
            resource_type: s.resource_type.clone(),
            tags: s.tags.clone(),
        })
        .collect();
    tag_specifications(
        Some(&specs),
        &[
            "instance",
            "volume",
            "network-interface",
            "spot-instances-request",
        ],
    )?;
    Ok(())
}

pub fn create_launch_template(
    cx: &mut Cx<'_>,
    input: w::CreateLaunchTemplateInput,
) -> Result<w::CreateLaunchTemplateOutput, Ec2Error> {
    // ClientToken: the same token answers with the same template; other arguments with it
    // are IdempotentParameterMismatch (EC2 API reference, "Ensure idempotency").
    let token = ClientToken::of(
        "CreateLaunchTemplate",
        input.client_token.as_deref(),
        || w::CreateLaunchTemplateInput {
            dry_run: None,
            ..input.clone()
        },
    );
    if let Some(id) = token.prior(cx.state())?.map(str::to_string) {
        cx.commit()?;
        return Ok(w::CreateLaunchTemplateOutput {
            launch_template: cx.state().launch_templates.get(&id).map(template_wire),
            warning: None,
        });
    }
    check_name(&input.launch_template_name)?;
    check_description(input.version_description.as_deref())?;
    check_data(&input.launch_template_data)?;
    let tags = tag_specifications(
        input.tag_specifications.as_ref(),
        &[LaunchTemplate::INFO.resource_type],
    )?;
    if cx
        .state()
        .template_names
        .contains_key(&input.launch_template_name)
    {
        // AWS-raw (github-aws-runners/terraform-aws-github-runner#1382).
        return Err(Ec2Error::new(
            "InvalidLaunchTemplateName.AlreadyExistsException",
            "Launch template name already in use.",
        ));
    }
    let data = data::stored(&input.launch_template_data)?;
    let (now, account) = (cx.now, cx.account.to_string());
    let state = cx.commit()?;
    let id = new_id("lt");
    let first = TemplateVersion {
        template_id: id.clone(),
        number: 1,
        description: input.version_description.clone(),
        create_time: now,
        data,
    };
    let template = LaunchTemplate {
        id: id.clone(),
        name: input.launch_template_name.clone(),
        create_time: now,
        created_by: format!("arn:aws:iam::{account}:root"),
        default_version: 1,
        latest_version: 1,
        versions: BTreeMap::from([(1, first)]),
        tags: tags_for::<LaunchTemplate>(&tags),
    };
    let out = template_wire(&template);
    state
        .template_names
        .insert(template.name.clone(), id.clone());
    state.launch_templates.insert(id.clone(), template);
    token.remember(state, &id);
    Ok(w::CreateLaunchTemplateOutput {
        launch_template: Some(out),
        warning: None,
    })
}

pub fn create_launch_template_version(
    cx: &mut Cx<'_>,
    input: w::CreateLaunchTemplateVersionInput,
) -> Result<w::CreateLaunchTemplateVersionOutput, Ec2Error> {
    let view = cx.view();
    let t = named(&view, &input)?;
    check_description(input.version_description.as_deref())?;
    check_data(&input.launch_template_data)?;
    let given = data::stored(&input.launch_template_data)?;
    let data = match input.source_version.as_deref() {
        Some(v) => data::merged(&version(t, v)?.data, &given)?,
        None => given,
    };
    // ClientToken, per template: the same token answers with the same version; other
    // arguments with it are IdempotentParameterMismatch.
    let token_key = input
        .client_token
        .as_ref()
        .map(|tok| format!("{}:{tok}", t.id));
    let token = ClientToken::of("CreateLaunchTemplateVersion", token_key.as_deref(), || {
        w::CreateLaunchTemplateVersionInput {
            dry_run: None,
            ..input.clone()
        }
    });
    if let Some(number) = token.prior(cx.state())?.and_then(|n| n.parse::<i64>().ok()) {
        let id = t.id.clone();
        cx.commit()?;
        let t = &cx.state().launch_templates[&id];
        return Ok(w::CreateLaunchTemplateVersionOutput {
            launch_template_version: t.versions.get(&number).map(|v| version_wire(t, v)),
            warning: None,
        });
    }
    let id = t.id.clone();
    let now = cx.now;
    let state = cx.commit()?;
    let t = state.launch_templates.get_mut(&id).expect("found above");
    t.latest_version += 1;
    let number = t.latest_version;
    t.versions.insert(
        number,
        TemplateVersion {
            template_id: id.clone(),
            number,
            description: input.version_description.clone(),
            create_time: now,
            data,
        },
    );
    let out = version_wire(t, &t.versions[&number]);
    token.remember(state, &number.to_string());
    Ok(w::CreateLaunchTemplateVersionOutput {
        launch_template_version: Some(out),
        warning: None,
    })
}

pub fn describe_launch_templates(
    cx: &mut Cx<'_>,
    input: w::DescribeLaunchTemplatesInput,
) -> Result<w::DescribeLaunchTemplatesOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), LAUNCH_TEMPLATE_FILTERS)?;
    let view = cx.view();
    let mut ids = input.launch_template_ids.clone().unwrap_or_default();
    // Names are looked up first: a name that does not exist is its own error.
    for name in input.launch_template_names.iter().flatten() {
        let t = find(&view, None, Some(name))?;
        if !ids.contains(&t.id) {
            ids.push(t.id.clone());
        }
    }
    let (templates, next_token) = view.filtered(&input, &ids, &filters)?;
    Ok(w::DescribeLaunchTemplatesOutput {
        launch_templates: Some(templates.into_iter().map(template_wire).collect()),
        next_token,
    })
}

/// Which versions of one template a DescribeLaunchTemplateVersions asks for: the listed
/// ones (numbers, `$Latest`, `$Default`), or all of them between MinVersion and MaxVersion.
fn wanted<'a>(
    t: &'a LaunchTemplate,
    input: &w::DescribeLaunchTemplateVersionsInput,
) -> Result<Vec<&'a TemplateVersion>, Ec2Error> {
    let bound = |b: Option<&str>| -> Result<Option<i64>, Ec2Error> {
        b.map(|b| match b {
            "$Latest" => Ok(latest(t)),
            "$Default" => Ok(t.default_version),
            n => n.parse::<i64>().map_err(|_| {
                Ec2Error::invalid_value("versionRange", n, "Versions must be numbers.")
            }),
        })
        .transpose()
    };
    let min = bound(input.min_version.as_deref())?;
    let max = bound(input.max_version.as_deref())?;
    let in_range = |v: &&TemplateVersion| {
        min.is_none_or(|m| v.number >= m) && max.is_none_or(|m| v.number <= m)
    };
    match input.versions.as_deref() {
        Some(list) if !list.is_empty() => {
            let mut out: Vec<&TemplateVersion> = Vec::new();
            for v in list {
                let found = version(t, v)?;
                if !out.iter().any(|x| x.number == found.number) {
                    out.push(found);
                }
            }
            out.sort_by_key(|v| v.number);
            Ok(out.into_iter().filter(in_range).collect())
        }
        _ => Ok(t.versions.values().filter(in_range).collect()),
    }
}

pub fn describe_launch_template_versions(
    cx: &mut Cx<'_>,
    input: w::DescribeLaunchTemplateVersionsInput,
) -> Result<w::DescribeLaunchTemplateVersionsOutput, Ec2Error> {
    let filters = Filters::parse_untagged(input.filters.clone(), LAUNCH_TEMPLATE_VERSION_FILTERS)?;
    let view = cx.view();
    let page = Page::of(&input)?;
    let rows: Vec<(&LaunchTemplate, &TemplateVersion)> = match (
        &input.launch_template_id,
        &input.launch_template_name,
    ) {
        (None, None) => {
            // Without a template: the $Latest or $Default versions of every template
            // (API reference, Versions: "To describe all the latest or default launch
            // template versions in your account, you must omit this parameter").
            let all = input
                .versions
                .as_deref()
                .unwrap_or_default()
                .iter()
                .all(|v| v == "$Latest" || v == "$Default");
            if !all || input.versions.as_ref().is_none_or(Vec::is_empty) {
                return Err(Ec2Error::new(
                        "InvalidParameterCombination",
                        "To describe versions of all launch templates, specify only $Latest or $Default versions.",
                    ));
            }
            let mut rows = Vec::new();
            for t in view.state.launch_templates.values() {
                for v in wanted(t, &input)? {
                    rows.push((t, v));
                }
            }
            rows
        }
        _ => {
            let t = named(&view, &input)?;
            wanted(t, &input)?.into_iter().map(|v| (t, v)).collect()
        }
    };
    let start = page.after.as_deref();
    let (rows, next_token) = page.take(
        rows.into_iter()
            .filter(|(_, v)| filters.matches(v, &view))
            .filter(|(t, v)| start.is_none_or(|a| version_key(t, v).as_str() > a)),
        |(t, v)| version_key(t, v),
    );
    Ok(w::DescribeLaunchTemplateVersionsOutput {
        launch_template_versions: Some(rows.into_iter().map(|(t, v)| version_wire(t, v)).collect()),
        next_token,
    })
}

/// A version's place in the answer's order: template id, then number (zero-padded so the
/// text orders as the numbers do).
fn version_key(t: &LaunchTemplate, v: &TemplateVersion) -> String {
    format!("{}/{:020}", t.id, v.number)
}

pub fn modify_launch_template(
    cx: &mut Cx<'_>,
    input: w::ModifyLaunchTemplateInput,
) -> Result<w::ModifyLaunchTemplateOutput, Ec2Error> {
    let view = cx.view();
    let t = named(&view, &input)?;
    // ClientToken: a retry answers with the template and changes nothing again (the
    // default version someone set since stays); other arguments with the token are
    // IdempotentParameterMismatch (API reference, ClientToken).
    let token = ClientToken::of(
        "ModifyLaunchTemplate",
        input.client_token.as_deref(),
        || w::ModifyLaunchTemplateInput {
            dry_run: None,
            ..input.clone()
        },
    );
    if token.prior(view.state)?.is_some() {
        let out = template_wire(t);
        cx.commit()?;
        return Ok(w::ModifyLaunchTemplateOutput {
            launch_template: Some(out),
        });
    }
    let new_default = match input.default_version.as_deref() {
        Some(v) => Some(version(t, v)?.number),
        None => None,
    };
    let id = t.id.clone();
    let state = cx.commit()?;
    token.remember(state, &id);
    let t = state.launch_templates.get_mut(&id).expect("found above");
    if let Some(n) = new_default {
        t.default_version = n;
    }
    Ok(w::ModifyLaunchTemplateOutput {
        launch_template: Some(template_wire(t)),
    })
}

pub fn delete_launch_template(
    cx: &mut Cx<'_>,
    input: w::DeleteLaunchTemplateInput,
) -> Result<w::DeleteLaunchTemplateOutput, Ec2Error> {
    let view = cx.view();
    let t = named(&view, &input)?;
    let out = template_wire(t);
    let id = t.id.clone();
    let state = cx.commit()?;
    state.remove_all(&[id]);
    Ok(w::DeleteLaunchTemplateOutput {
        launch_template: Some(out),
    })
}

/// Deletes versions one by one, each answered in the success or the failure list; the
/// default version cannot go (API reference: "You can't delete the default version of a
/// launch template; you must first assign a different version as the default"). A
/// template named that does not exist fails the whole call.
pub fn delete_launch_template_versions(
    cx: &mut Cx<'_>,
    input: w::DeleteLaunchTemplateVersionsInput,
) -> Result<w::DeleteLaunchTemplateVersionsOutput, Ec2Error> {
    let view = cx.view();
    let t = named(&view, &input)?;
    if input.versions.is_empty() {
        return Err(Ec2Error::missing_parameter("LaunchTemplateVersion"));
    }
    let mut gone = Vec::new();
    let mut failed = Vec::new();
    for v in &input.versions {
        let refusal = match v.parse::<i64>() {
            Ok(n) if n == t.default_version => Some((
                w::LaunchTemplateErrorCode::Unexpectederror,
                // Unverified wording.
                "Cannot delete the default version of a launch template.".to_string(),
            )),
            Ok(n) if t.versions.contains_key(&n) => {
                if !gone.contains(&n) {
                    gone.push(n);
                }
                None
            }
            _ => Some((
                w::LaunchTemplateErrorCode::Launchtemplateversiondoesnotexist,
                format!("The specified launch template version {v} does not exist."),
            )),
        };
        if let Some((code, message)) = refusal {
            failed.push(w::DeleteLaunchTemplateVersionsResponseErrorItem {
                launch_template_id: Some(t.id.clone()),
                launch_template_name: Some(t.name.clone()),
                version_number: v.parse().ok(),
                response_error: Some(w::ResponseError {
                    code: Some(code),
                    message: Some(message),
                }),
            });
        }
    }
    let (id, name) = (t.id.clone(), t.name.clone());
    let state = cx.commit()?;
    let t = state.launch_templates.get_mut(&id).expect("found above");
    for n in &gone {
        t.versions.remove(n);
    }
    Ok(w::DeleteLaunchTemplateVersionsOutput {
        successfully_deleted_launch_template_versions: Some(
            gone.into_iter()
                .map(|n| w::DeleteLaunchTemplateVersionsResponseSuccessItem {
                    launch_template_id: Some(id.clone()),
                    launch_template_name: Some(name.clone()),
                    version_number: Some(n),
                })
                .collect(),
        ),
        unsuccessfully_deleted_launch_template_versions: Some(failed),
    })
}

/// What RunInstances launches when it names a template: the version's data under the
/// explicit parameters, and the `aws:ec2launchtemplate:id` / `:version` tags EC2 puts on
/// the instances (EC2 User Guide, "Launch an instance from a launch template").
pub(crate) struct FromTemplate {
    pub input: w::RunInstancesInput,
    pub tags: [(String, String); 2],
}

pub(crate) fn for_launch(
    view: &View<'_>,
    input: &w::RunInstancesInput,
) -> Result<Option<FromTemplate>, Ec2Error> {
    let Some(spec) = &input.launch_template else {
        return Ok(None);
    };
    let t = named(view, spec)?;
    // Version defaults to the default version (LaunchTemplateSpecification).
    let v = version(t, spec.version.as_deref().unwrap_or("$Default"))?;
    Ok(Some(FromTemplate {
        input: data::run_instances_input(&v.data, input)?,
        tags: [
            ("aws:ec2launchtemplate:id".to_string(), t.id.clone()),
            (
                "aws:ec2launchtemplate:version".to_string(),
                v.number.to_string(),
            ),
        ],
    }))
}
