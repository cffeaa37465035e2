//! DescribeInstanceAttribute, ModifyInstanceAttribute, ResetInstanceAttribute, and the CPU
//! credit options of burstable instances (Describe/ModifyInstanceCreditSpecification(s)).

use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::handlers::common::ClientToken;
use crate::handlers::filters::INSTANCE_CREDIT_FILTERS;
use crate::instance_types;
use crate::store::{Instance, InstanceState};
use crate::Ec2Error;

fn text(v: impl Into<String>) -> Option<w::AttributeValue> {
    Some(w::AttributeValue {
        value: Some(v.into()),
    })
}

fn flag(b: bool) -> Option<w::AttributeBooleanValue> {
    Some(w::AttributeBooleanValue { value: Some(b) })
}

/// One attribute of the instance, as DescribeInstanceAttribute lists each (API reference).
pub fn describe_instance_attribute(
    cx: &mut Cx<'_>,
    input: w::DescribeInstanceAttributeInput,
) -> Result<w::DescribeInstanceAttributeOutput, Ec2Error> {
    let view = cx.view();
    let i: &Instance = view.get(&input.instance_id)?;
    let s = view.state;
    let primary = s.network_interfaces.get(&i.eni_id);
    let mut out = w::DescribeInstanceAttributeOutput {
        instance_id: Some(i.id.clone()),
        ..Default::default()
    };
    match input.attribute.as_str() {
        "instanceType" => out.instance_type = text(i.instance_type.to_string()),
        // No kernels or RAM disks: HVM images.
        "kernel" => out.kernel_id = Some(w::AttributeValue { value: None }),
        "ramdisk" => out.ramdisk_id = Some(w::AttributeValue { value: None }),
        "userData" => {
            use base64::Engine;
            out.user_data = Some(w::AttributeValue {
                value: i
                    .user_data
                    .as_ref()
                    .map(|d| base64::engine::general_purpose::STANDARD.encode(d)),
            })
        }
        "disableApiTermination" => out.disable_api_termination = flag(i.disable_api_termination),
        "disableApiStop" => out.disable_api_stop = flag(i.disable_api_stop),
        "instanceInitiatedShutdownBehavior" => {
            out.instance_initiated_shutdown_behavior = text(i.shutdown_behavior)
        }
        "rootDeviceName" => out.root_device_name = text(i.root_device_name.to_string()),
        "blockDeviceMapping" => {
            out.block_device_mappings =
                super::describe::instance_to_wire(s, i, view.now).block_device_mappings
        }
        "productCodes" => out.product_codes = Some(vec![]),
        "sourceDestCheck" => {
            out.source_dest_check = flag(primary.is_none_or(|n| n.source_dest_check))
        }
        "groupSet" => {
            out.groups = Some(
                s.groups_of(i)
                    .iter()
                    .map(|g| w::GroupIdentifier {
                        group_id: Some(g.clone()),
                        group_name: s.security_groups.get(g).map(|x| x.name.clone()),
                    })
                    .collect(),
            )
        }
        "ebsOptimized" => out.ebs_optimized = flag(i.ebs_optimized),
        "sriovNetSupport" => out.sriov_net_support = text("simple"),
        "enaSupport" => out.ena_support = flag(true),
        "enclaveOptions" => {
            out.enclave_options = Some(w::EnclaveOptions {
                enabled: Some(false),
            })
        }
        other => {
            return Err(Ec2Error::invalid_value(
                "attribute",
                other,
                "Unknown attribute.",
            ))
        }
    }
    Ok(out)
}

/// What one ModifyInstanceAttribute call changes.
enum Change {
    InstanceType(String),
    UserData(Option<Vec<u8>>),
    DisableApiTermination(bool),
    DisableApiStop(bool),
    ShutdownBehavior(&'static str),
    SourceDestCheck(bool),
    Groups(Vec<String>),
    EbsOptimized(bool),
    DeleteOnTermination(Vec<(String, bool)>),
    /// kernel, ramdisk, sriovNetSupport, enaSupport: fixed for the HVM images run here.
    Fixed,
}

/// One attribute per call (API reference: "You can specify only one attribute at a time"),
/// checked before anything else about it. Some attributes change only while the instance
/// is stopped (IncorrectInstanceState otherwise): the instance type, user data, kernel and
/// RAM disk (EC2 User Guide, "Modify a stopped instance"), EBS optimization (EBS User
/// Guide, "Amazon EBS-optimized instances": a running instance is stopped first; also
/// hashicorp/terraform-provider-aws#1980 on `ebs_optimized` and `user_data`) and enhanced
/// networking, `enaSupport` and `sriovNetSupport` (EC2 User Guide, "Enhanced networking":
/// enabled on a stopped instance).
pub fn modify_instance_attribute(
    cx: &mut Cx<'_>,
    input: w::ModifyInstanceAttributeInput,
) -> Result<w::ModifyInstanceAttributeOutput, Ec2Error> {
    let view = cx.view();
    let i: &Instance = view.get(&input.instance_id)?;
    let stopped = i.state(view.now) == InstanceState::Stopped;
    let must_be_stopped = || -> Result<(), Ec2Error> {
        if stopped {
            Ok(())
        } else {
            // aws-cli users see this for a running instance (unverified wording).
            Err(Ec2Error::new(
                "IncorrectInstanceState",
                format!("The instance '{}' is not in the 'stopped' state.", i.id),
            ))
        }
    };
    // Each attribute the call names, with what setting it would do (or why it cannot);
    // the error of the one attribute is raised once there is only one.
    let mut changes: Vec<(&str, Result<Change, Ec2Error>)> = Vec::new();
    // The generic form: Attribute=name&Value=value.
    let generic = input
        .attribute
        .as_ref()
        .map(|a| (a.as_str(), input.value.clone().unwrap_or_default()));
    let value_of = |name: &str, v: Option<&w::AttributeValue>| -> Option<String> {
        v.and_then(|x| x.value.clone()).or_else(|| {
            generic
                .as_ref()
                .filter(|(a, _)| *a == name)
                .map(|(_, v)| v.clone())
        })
    };
    let bool_of = |name: &str, v: Option<&w::AttributeBooleanValue>| -> Option<bool> {
        v.map(|x| x.value.unwrap_or(false)).or_else(|| {
            generic
                .as_ref()
                .filter(|(a, _)| *a == name)
                .map(|(_, v)| v == "true")
        })
    };
    if let Some(t) = value_of("instanceType", input.instance_type.as_ref()) {
        let change = must_be_stopped().and_then(|()| {
            if !w::InstanceType::from(t.as_str()).is_known() {
                return Err(Ec2Error::invalid_parameter_value(format!(
                    "Invalid value '{t}' for InstanceType."
                )));
            }
            if !instance_types::catalog().offered_in_zone(&view.state.region, &i.az, &t) {
                return Err(super::validate::unsupported());
            }
            if !instance_types::architectures(&t).contains(&&*i.architecture) {
                return Err(Ec2Error::invalid_parameter_value(format!(
                    "The instance type '{t}' does not support the architecture '{}' of the instance.",
                    i.architecture
                )));
            }
            Ok(Change::InstanceType(t))
        });
        changes.push(("instanceType", change));
    }
    if let Some(d) = &input.user_data {
        changes.push((
            "userData",
            must_be_stopped().map(|()| Change::UserData(d.value.as_ref().map(|b| b.0.clone()))),
        ));
    }
    if let Some(b) = bool_of(
        "disableApiTermination",
        input.disable_api_termination.as_ref(),
    ) {
        changes.push((
            "disableApiTermination",
            Ok(Change::DisableApiTermination(b)),
        ));
    }
    if let Some(b) = bool_of("disableApiStop", input.disable_api_stop.as_ref()) {
        changes.push(("disableApiStop", Ok(Change::DisableApiStop(b))));
    }
    if let Some(b) = value_of(
        "instanceInitiatedShutdownBehavior",
        input.instance_initiated_shutdown_behavior.as_ref(),
    ) {
        let change = match b.as_str() {
            "stop" => Ok(Change::ShutdownBehavior("stop")),
            "terminate" => Ok(Change::ShutdownBehavior("terminate")),
            other => Err(Ec2Error::invalid_value(
                "instanceInitiatedShutdownBehavior",
                other,
                "Valid values: stop, terminate.",
            )),
        };
        changes.push(("instanceInitiatedShutdownBehavior", change));
    }
    if let Some(b) = bool_of("sourceDestCheck", input.source_dest_check.as_ref()) {
        changes.push(("sourceDestCheck", Ok(Change::SourceDestCheck(b))));
    }
    if let Some(b) = bool_of("ebsOptimized", input.ebs_optimized.as_ref()) {
        changes.push((
            "ebsOptimized",
            must_be_stopped().map(|()| Change::EbsOptimized(b)),
        ));
    }
    if let Some(g) = input.groups.as_ref().filter(|g| !g.is_empty()) {
        let change = view
            .state
            .subnets
            .get(&i.subnet_id)
            .ok_or_else(|| Ec2Error::internal("the instance's subnet is gone"))
            .and_then(|subnet| {
                crate::handlers::security_groups::groups_in_subnet_vpc(&view, subnet, g)
            })
            .map(Change::Groups);
        changes.push(("groupSet", change));
    }
    if let Some(m) = input
        .block_device_mappings
        .as_ref()
        .filter(|m| !m.is_empty())
    {
        let flags = m
            .iter()
            .map(|spec| {
                let device = spec.device_name.clone().unwrap_or_default();
                let known = i.volume_ids.iter().any(|v| {
                    view.state
                        .volumes
                        .get(v)
                        .and_then(|x| x.attachment.as_ref())
                        .is_some_and(|a| *a.device_name == *device)
                });
                if !known {
                    return Err(Ec2Error::invalid_parameter_value(format!(
                        "The device '{device}' is not attached to instance '{}'",
                        i.id
                    )));
                }
                let delete = spec
                    .ebs
                    .as_ref()
                    .and_then(|e| e.delete_on_termination)
                    .unwrap_or(false);
                Ok((device, delete))
            })
            .collect::<Result<Vec<_>, _>>();
        changes.push(("blockDeviceMapping", flags.map(Change::DeleteOnTermination)));
    }
    let fixed = [
        (
            "kernel",
            value_of("kernel", input.kernel.as_ref()).is_some(),
        ),
        (
            "ramdisk",
            value_of("ramdisk", input.ramdisk.as_ref()).is_some(),
        ),
        (
            "sriovNetSupport",
            value_of("sriovNetSupport", input.sriov_net_support.as_ref()).is_some(),
        ),
        (
            "enaSupport",
            bool_of("enaSupport", input.ena_support.as_ref()).is_some(),
        ),
    ];
    for (name, _) in fixed.into_iter().filter(|(_, given)| *given) {
        changes.push((name, must_be_stopped().map(|()| Change::Fixed)));
    }
    let change = crate::handlers::subnets::one_attribute(changes)??;
    if matches!(change, Change::Fixed) {
        return Err(Ec2Error::new(
            "UnsupportedOperation",
            "kernel, ramdisk, sriovNetSupport and enaSupport are fixed for the HVM images parlel-ec2 runs.",
        ));
    }
    let (id, eni) = (i.id.clone(), i.eni_id.clone());
    let state = cx.commit()?;
    let Some(inst) = state.instances.get_mut(&id) else {
        return Ok(w::ModifyInstanceAttributeOutput {});
    };
    match change {
        // A burstable type starts with its default credit option; an `unlimited` instance
        // resized to a type that is not burstable stays `unlimited` (the
        // DescribeInstanceCreditSpecifications API reference: "if you resize a T2 instance,
        // while it is configured as unlimited, to an M4 instance, Amazon EC2 returns the M4
        // instance").
        Change::InstanceType(t) => {
            inst.cpu_credits = instance_types::default_cpu_credits(&t)
                .or(inst.cpu_credits.filter(|c| *c == "unlimited"));
            inst.instance_type = t.into();
        }
        Change::Fixed => {}
        Change::UserData(d) => inst.user_data = d,
        Change::DisableApiTermination(b) => inst.disable_api_termination = b,
        Change::DisableApiStop(b) => inst.disable_api_stop = b,
        Change::ShutdownBehavior(b) => inst.shutdown_behavior = b,
        Change::EbsOptimized(b) => inst.ebs_optimized = b,
        Change::SourceDestCheck(b) => {
            if let Some(n) = state.network_interfaces.get_mut(&eni) {
                n.source_dest_check = b;
            }
        }
        Change::Groups(g) => {
            if let Some(n) = state.network_interfaces.get_mut(&eni) {
                n.groups = g;
            }
        }
        Change::DeleteOnTermination(flags) => {
            let volumes = inst.volume_ids.clone();
            for v in volumes {
                if let Some(a) = state
                    .volumes
                    .get_mut(&v)
                    .and_then(|x| x.attachment.as_mut())
                {
                    if let Some((_, d)) = flags.iter().find(|(dev, _)| **dev == *a.device_name) {
                        a.delete_on_termination = *d;
                    }
                }
            }
        }
    }
    Ok(w::ModifyInstanceAttributeOutput {})
}

/// Only kernel, ramdisk and sourceDestCheck can be reset (ResetInstanceAttribute API
/// reference); kernel and ramdisk have nothing to reset to here.
pub fn reset_instance_attribute(
    cx: &mut Cx<'_>,
    input: w::ResetInstanceAttributeInput,
) -> Result<w::ResetInstanceAttributeOutput, Ec2Error> {
    let i: &Instance = cx.view().get(&input.instance_id)?;
    let eni = i.eni_id.clone();
    match input.attribute.as_str() {
        "kernel" | "ramdisk" => {
            cx.commit()?;
        }
        "sourceDestCheck" => {
            if let Some(n) = cx.commit()?.network_interfaces.get_mut(&eni) {
                n.source_dest_check = true;
            }
        }
        other => {
            return Err(Ec2Error::invalid_value(
                "attribute",
                other,
                "Only kernel, ramdisk and sourceDestCheck can be reset.",
            ))
        }
    }
    Ok(w::ResetInstanceAttributeOutput {})
}

/// DescribeInstanceCreditSpecifications API reference: without instance ids, the
/// instances whose credit option is `unlimited` (burstable ones, and those resized from an
/// `unlimited` T type to another family); with ids, each instance's option, `standard` for
/// one that is not burstable. Ids and MaxResults do not go together ("You cannot specify
/// this parameter and the instance IDs parameter in the same call").
pub fn describe_instance_credit_specifications(
    cx: &mut Cx<'_>,
    input: w::DescribeInstanceCreditSpecificationsInput,
) -> Result<w::DescribeInstanceCreditSpecificationsOutput, Ec2Error> {
    let filters = Filters::parse_untagged(input.filters.clone(), INSTANCE_CREDIT_FILTERS)?;
    let ids = input.instance_ids.clone().unwrap_or_default();
    // The API reference (MaxResults): not in the same call as instance ids.
    crate::describe::page::ids_not_paged(!ids.is_empty(), input.max_results, "instancesSet")?;
    let view = cx.view();
    let listed = ids.is_empty();
    let (items, next_token) = view.describe(&input, &ids, |i: &Instance| {
        (!listed || i.cpu_credits == Some("unlimited")) && filters.matches(i, &view)
    })?;
    Ok(w::DescribeInstanceCreditSpecificationsOutput {
        instance_credit_specifications: Some(
            items
                .into_iter()
                .map(|i| w::InstanceCreditSpecification {
                    instance_id: Some(i.id.clone()),
                    cpu_credits: Some(i.cpu_credits.unwrap_or("standard").to_string()),
                })
                .collect(),
        ),
        next_token,
    })
}

/// Each instance succeeds or fails on its own (ModifyInstanceCreditSpecification API
/// reference: successful and unsuccessful sets).
pub fn modify_instance_credit_specification(
    cx: &mut Cx<'_>,
    input: w::ModifyInstanceCreditSpecificationInput,
) -> Result<w::ModifyInstanceCreditSpecificationOutput, Ec2Error> {
    // ClientToken: a retry answers as the first call did and changes nothing again; other
    // arguments with the token are IdempotentParameterMismatch (API reference, ClientToken).
    let token = ClientToken::of(
        "ModifyInstanceCreditSpecification",
        input.client_token.as_deref(),
        || w::ModifyInstanceCreditSpecificationInput {
            dry_run: None,
            ..input.clone()
        },
    );
    let retry = token.prior(cx.state())?.is_some();
    let view = cx.view();
    let mut ok: Vec<(String, &'static str)> = Vec::new();
    let mut failed = Vec::new();
    for req in &input.instance_credit_specifications {
        let result = view.get::<Instance>(&req.instance_id).and_then(|i| {
            super::validate::credits(&i.instance_type, req.cpu_credits.as_deref())?
                .ok_or_else(|| Ec2Error::missing_parameter("cpuCredits"))
                .map(|c| (i.id.clone(), c))
        });
        match result {
            Ok(x) => ok.push(x),
            Err(e) => failed.push(w::UnsuccessfulInstanceCreditSpecificationItem {
                instance_id: Some(req.instance_id.clone()),
                error: Some(w::UnsuccessfulInstanceCreditSpecificationItemError {
                    code: Some(w::UnsuccessfulInstanceCreditSpecificationErrorCode::from(
                        e.code.as_ref(),
                    )),
                    message: Some(e.message),
                }),
            }),
        }
    }
    let state = cx.commit()?;
    if !retry {
        for (id, c) in &ok {
            if let Some(i) = state.instances.get_mut(id) {
                i.cpu_credits = Some(c);
            }
        }
        token.remember(state, "");
    }
    Ok(w::ModifyInstanceCreditSpecificationOutput {
        successful_instance_credit_specifications: Some(
            ok.into_iter()
                .map(|(id, _)| w::SuccessfulInstanceCreditSpecificationItem {
                    instance_id: Some(id),
                })
                .collect(),
        ),
        unsuccessful_instance_credit_specifications: Some(failed),
    })
}
