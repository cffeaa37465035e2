//! DescribeInstanceStatus (instance and system status `initializing`, then `ok` one
//! transition after the instance is running), RebootInstances, Monitor/UnmonitorInstances.

use super::describe::state_wire;
use super::now_plus;
use crate::context::Cx;
use crate::describe::filter::{Filters, View};
use crate::generated::types as w;
use crate::handlers::filters::INSTANCE_STATUS_FILTERS;
use crate::store::{Instance, InstanceState};
use crate::Ec2Error;

/// `ok`, `initializing` (pending, or running for less than one transition) or
/// `not-applicable` (stopping, stopped, terminated), for both checks.
pub(crate) fn status(i: &Instance, view: &View<'_>) -> &'static str {
    match i.state(view.now) {
        InstanceState::Pending => return "initializing",
        InstanceState::Running => {}
        _ => return "not-applicable",
    }
    let running_since = super::up_since(i);
    let transition = std::time::Duration::from_millis(view.transition_ms.max(0) as u64);
    if view.now < now_plus(running_since, transition) {
        "initializing"
    } else {
        "ok"
    }
}

/// Running instances only, unless IncludeAllInstances (DescribeInstanceStatus API
/// reference); no scheduled events.
pub fn describe_instance_status(
    cx: &mut Cx<'_>,
    input: w::DescribeInstanceStatusInput,
) -> Result<w::DescribeInstanceStatusOutput, Ec2Error> {
    let filters = Filters::parse_untagged(input.filters.clone(), INSTANCE_STATUS_FILTERS)?;
    let ids = input.instance_ids.clone().unwrap_or_default();
    let all = input.include_all_instances == Some(true);
    let view = cx.view();
    let (items, next_token) = view.describe(&input, &ids, |i: &Instance| {
        (all || i.state(view.now) == InstanceState::Running) && filters.matches(i, &view)
    })?;
    let summary = |st: &str| {
        Some(w::InstanceStatusSummary {
            details: Some(vec![w::InstanceStatusDetails {
                name: Some(w::StatusName::from("reachability")),
                status: Some(w::StatusType::from(match st {
                    "ok" => "passed",
                    "initializing" => "initializing",
                    _ => "not-applicable",
                })),
                impaired_since: None,
            }]),
            status: Some(w::SummaryStatus::from(st)),
        })
    };
    Ok(w::DescribeInstanceStatusOutput {
        instance_statuses: Some(
            items
                .into_iter()
                .map(|i| {
                    let st = status(i, &view);
                    w::InstanceStatus {
                        availability_zone: Some(i.az.to_string()),
                        availability_zone_id: view.state.zone_id(&i.az).map(str::to_string),
                        events: Some(vec![]),
                        instance_id: Some(i.id.clone()),
                        instance_state: Some(state_wire(i.state(view.now))),
                        instance_status: summary(st),
                        system_status: summary(st),
                        ..Default::default()
                    }
                })
                .collect(),
        ),
        next_token,
    })
}

/// Rebooting keeps the instance running; only running (or rebooting-eligible pending)
/// instances can be rebooted.
pub fn reboot_instances(
    cx: &mut Cx<'_>,
    input: w::RebootInstancesInput,
) -> Result<w::RebootInstancesOutput, Ec2Error> {
    let view = cx.view();
    view.require_all::<Instance>(&input.instance_ids)?;
    for id in &input.instance_ids {
        let i = &view.state.instances[id];
        if !matches!(
            i.state(view.now),
            InstanceState::Running | InstanceState::Pending
        ) {
            // Unverified wording: EC2's start refusal, with "rebooted".
            return Err(Ec2Error::new(
                "IncorrectInstanceState",
                format!("The instance '{id}' is not in a state from which it can be rebooted"),
            ));
        }
    }
    cx.commit()?;
    Ok(w::RebootInstancesOutput {})
}

fn monitoring(
    cx: &mut Cx<'_>,
    ids: &[String],
    on: bool,
) -> Result<Vec<w::InstanceMonitoring>, Ec2Error> {
    cx.view().require_all::<Instance>(ids)?;
    let state = cx.commit()?;
    let mut out = Vec::new();
    for id in ids {
        if let Some(i) = state.instances.get_mut(id) {
            i.monitoring = on;
        }
        out.push(w::InstanceMonitoring {
            instance_id: Some(id.clone()),
            monitoring: Some(w::Monitoring {
                state: Some(w::MonitoringState::from(if on {
                    "pending"
                } else {
                    "disabling"
                })),
            }),
        });
    }
    Ok(out)
}

pub fn monitor_instances(
    cx: &mut Cx<'_>,
    input: w::MonitorInstancesInput,
) -> Result<w::MonitorInstancesOutput, Ec2Error> {
    Ok(w::MonitorInstancesOutput {
        instance_monitorings: Some(monitoring(cx, &input.instance_ids, true)?),
    })
}

pub fn unmonitor_instances(
    cx: &mut Cx<'_>,
    input: w::UnmonitorInstancesInput,
) -> Result<w::UnmonitorInstancesOutput, Ec2Error> {
    Ok(w::UnmonitorInstancesOutput {
        instance_monitorings: Some(monitoring(cx, &input.instance_ids, false)?),
    })
}
