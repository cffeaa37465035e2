//! ModifyInstancePlacement: tenancy and host affinity of a stopped instance (EC2 API
//! reference, ModifyInstancePlacement). Placement groups and Dedicated Hosts are not
//! emulated, so naming one is EC2's error for one that does not exist.

use crate::context::Cx;
use crate::generated::types as w;
use crate::store::{Instance, InstanceState};
use crate::Ec2Error;

/// The rules, from the API reference:
/// - at least one of affinity, host id, tenancy or placement group must be given;
/// - the host id, tenancy, placement group or partition change only while the instance
///   is stopped (affinity alone may change at any time);
/// - "For T3 instances, you can't change the tenancy from dedicated to host, or from host
///   to dedicated … the InvalidTenancy error code";
/// - `GroupName` "" takes the instance out of its placement group (it is in none here);
/// - affinity only with a tenancy of `host` (RunInstances' rule; see `validate`).
pub fn modify_instance_placement(
    cx: &mut Cx<'_>,
    input: w::ModifyInstancePlacementInput,
) -> Result<w::ModifyInstancePlacementOutput, Ec2Error> {
    let view = cx.view();
    let i: &Instance = view.get(&input.instance_id)?;
    let group = input
        .group_name
        .as_deref()
        .filter(|g| !g.is_empty())
        .or(input.group_id.as_deref());
    let asks_stop = input.tenancy.is_some()
        || input.host_id.is_some()
        || input.group_name.is_some()
        || input.group_id.is_some()
        || input.partition_number.is_some()
        || input.host_resource_group_arn.is_some();
    if !asks_stop && input.affinity.is_none() {
        // Unverified wording (the API reference states the rule, not the error).
        return Err(Ec2Error::missing_parameter(
            "affinity, hostId, tenancy or groupName",
        ));
    }
    if asks_stop && i.state(view.now) != InstanceState::Stopped {
        // The wording ModifyInstanceAttribute gives a running instance (unverified here).
        return Err(Ec2Error::new(
            "IncorrectInstanceState",
            format!("The instance '{}' is not in the 'stopped' state.", i.id),
        ));
    }
    if let Some(g) = group {
        // AWS-raw for a group that does not exist: "The Placement Group 'x' is unknown."
        // (bcbio/bcbio-nextgen-vm#37, from RunInstances).
        return Err(Ec2Error::new(
            "InvalidPlacementGroup.Unknown",
            format!("The Placement Group '{g}' is unknown."),
        ));
    }
    if let Some(h) = &input.host_id {
        // Unverified wording: no Dedicated Host exists here.
        return Err(Ec2Error::new(
            "InvalidHostID.NotFound",
            format!("The specified host ID '{h}' does not exist."),
        ));
    }
    let tenancy = input.tenancy.as_ref().map(|t| t.as_str().to_string());
    if let Some(t) = &tenancy {
        let from = i.tenancy.as_ref();
        let swap = matches!(
            (from, t.as_str()),
            ("dedicated", "host") | ("host", "dedicated")
        );
        if swap && i.instance_type.starts_with("t3") {
            // Unverified wording; the code is the API reference's.
            return Err(Ec2Error::new(
                "InvalidTenancy",
                format!(
                    "The tenancy of a {} instance cannot change from {from} to {t}.",
                    i.instance_type
                ),
            ));
        }
    }
    // RunInstances' rule for affinity, applied to the tenancy the instance will have
    // (AWS-raw for RunInstances; unverified for this operation).
    let tenancy_after = tenancy.as_deref().unwrap_or(i.tenancy.as_ref());
    if input.affinity.is_some() && tenancy_after != "host" {
        return Err(Ec2Error::new(
            "InvalidParameterCombination",
            "The parameter affinity cannot be used without specifying a tenancy of 'host'",
        ));
    }
    let affinity = input.affinity.as_ref().map(|a| a.as_str() == "host");
    let id = i.id.clone();
    let rec = cx
        .commit()?
        .instances
        .get_mut(&id)
        .expect("looked up above");
    if let Some(t) = tenancy {
        rec.tenancy = match t.as_str() {
            "default" => "default".into(),
            "dedicated" => "dedicated".into(),
            "host" => "host".into(),
            other => other.to_string().into(),
        };
    }
    if let Some(host) = affinity {
        rec.host_affinity = host;
    }
    Ok(w::ModifyInstancePlacementOutput {
        r#return: Some(true),
    })
}
