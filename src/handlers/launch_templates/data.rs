//! Launch template data moved between the model's shapes through [`Value`], by member
//! name: the request data a client sends becomes the data EC2 answers with, a version
//! built on a source version takes the source's members it does not give, and RunInstances
//! takes the template's members it does not give. The shapes' members line up by name
//! (checked against the model when these conversions were written: the request and
//! response data agree member for member; RunInstances names two differently).

use crate::generated::types as w;
use crate::wire::value::{Reflect, Value};
use crate::Ec2Error;

/// `base` with every member `top` has put in place of its own: a member given replaces
/// the whole member, as EC2 documents for SourceVersion ("the new version inherits the
/// same launch parameters as the source version, except for parameters that you
/// specify") and for RunInstances ("any parameters that you specify in RunInstances
/// override the same parameters in the launch template").
pub(super) fn overlay(base: Value, top: Value) -> Value {
    let Value::Struct(mut members) = base else {
        return top;
    };
    if let Value::Struct(given) = top {
        for (name, v) in given {
            match members.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = v,
                None => members.push((name, v)),
            }
        }
    }
    Value::Struct(members)
}

/// Converts between two shapes whose members agree by name; a mismatch is this
/// emulator's bug, not the client's.
fn convert<T: Reflect>(v: &Value, what: &str) -> Result<T, Ec2Error> {
    T::from_value(v).ok_or_else(|| Ec2Error::internal(format!("{what} does not convert")))
}

/// The data as DescribeLaunchTemplateVersions will show it.
pub(super) fn stored(
    d: &w::RequestLaunchTemplateData,
) -> Result<w::ResponseLaunchTemplateData, Ec2Error> {
    convert(&d.to_value(), "launch template data")
}

/// `d` on top of the source version's data (CreateLaunchTemplateVersion SourceVersion).
pub(super) fn merged(
    source: &w::ResponseLaunchTemplateData,
    d: &w::ResponseLaunchTemplateData,
) -> Result<w::ResponseLaunchTemplateData, Ec2Error> {
    convert(
        &overlay(source.to_value(), d.to_value()),
        "launch template data",
    )
}

/// RunInstances' members under their RunInstances names: `RamDiskId` is `RamdiskId` there
/// and `ElasticGpuSpecifications` is `ElasticGpuSpecification`; a Monitoring without
/// Enabled says nothing (RunInstances requires the flag).
fn as_run_instances(data: &w::ResponseLaunchTemplateData) -> Value {
    let Value::Struct(members) = data.to_value() else {
        unreachable!("a structure reflects as a struct")
    };
    Value::Struct(
        members
            .into_iter()
            .filter(|(n, v)| !(*n == "Monitoring" && v.member("Enabled").is_none()))
            .map(|(n, v)| match n {
                "RamDiskId" => ("RamdiskId", v),
                "ElasticGpuSpecifications" => ("ElasticGpuSpecification", v),
                _ => (n, v),
            })
            .collect(),
    )
}

/// The RunInstances request a template version and the explicit parameters make
/// together. TagSpecifications merge by resource type and key, the request's values
/// winning (so the template's tags reach instances launched with tags of their own).
pub(super) fn run_instances_input(
    data: &w::ResponseLaunchTemplateData,
    input: &w::RunInstancesInput,
) -> Result<w::RunInstancesInput, Ec2Error> {
    let mut explicit = input.clone();
    explicit.launch_template = None;
    let mut out: w::RunInstancesInput = convert(
        &overlay(as_run_instances(data), explicit.to_value()),
        "launch template data for RunInstances",
    )?;
    out.tag_specifications = merged_tags(
        data.tag_specifications.as_deref().unwrap_or_default(),
        input.tag_specifications.as_deref().unwrap_or_default(),
    );
    out.launch_template = input.launch_template.clone();
    Ok(out)
}

fn merged_tags(
    template: &[w::LaunchTemplateTagSpecification],
    given: &[w::TagSpecification],
) -> Option<Vec<w::TagSpecification>> {
    let mut out: Vec<w::TagSpecification> = template
        .iter()
        .map(|s| w::TagSpecification {
            resource_type: s.resource_type.clone(),
            tags: s.tags.clone(),
        })
        .collect();
    for spec in given {
        match out
            .iter_mut()
            .find(|s| s.resource_type == spec.resource_type)
        {
            Some(s) => {
                let tags = s.tags.get_or_insert_with(Vec::new);
                for t in spec.tags.iter().flatten() {
                    tags.retain(|x| x.key != t.key);
                    tags.push(t.clone());
                }
            }
            None => out.push(spec.clone()),
        }
    }
    (!out.is_empty()).then_some(out)
}
