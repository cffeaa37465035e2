//! StartInstances, StopInstances, TerminateInstances: all-or-nothing state changes with
//! EC2's IncorrectInstanceState wording.

use super::describe::state_wire;
use super::now_plus;
use crate::clock::Timestamp;
use crate::context::Cx;
use crate::generated::types as w;
use crate::store::{Instance, InstanceState, Phase, RegionState};
use crate::Ec2Error;

/// The three state-change operations share validation and their answer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    Start,
    /// StopInstances; `hibernate` is its Hibernate flag.
    Stop {
        hibernate: bool,
    },
    Terminate,
}

fn change_state(
    cx: &mut Cx<'_>,
    ids: &[String],
    change: Change,
) -> Result<Vec<w::InstanceStateChange>, Ec2Error> {
    // Real EC2 on TerminateInstances with no id (gruntwork-io/cloud-nuke#731); the
    // generator lets this member through empty (codegen EC2_CHECKS_PRESENCE).
    if ids.is_empty() {
        return Err(Ec2Error::new(
            "InvalidParameterCombination",
            "No instances specified",
        ));
    }
    let view = cx.view();
    let (s, now, retention) = (view.state, view.now, view.retention_ms);
    view.require_all::<Instance>(ids)?;
    // Every instance is checked before any changes (no partial state on error).
    let mut plan: Vec<(String, InstanceState, InstanceState)> = Vec::with_capacity(ids.len());
    for id in ids {
        if plan.iter().any(|(p, _, _)| p == id) {
            continue;
        }
        let i = &s.instances[id];
        let before = i.phase.state(now);
        use InstanceState as S;
        let after = match (change, before) {
            (Change::Start, S::Stopped) => S::Pending,
            (Change::Start, S::Pending | S::Running) => before,
            // burstable-ai/burst#42: "The instance 'i-…' is not in a state from which it can be started".
            (Change::Start, _) => {
                return Err(Ec2Error::new("IncorrectInstanceState", format!("The instance '{id}' is not in a state from which it can be started")))
            }
            // AWS-raw (aws-solutions/instance-scheduler-on-aws#510).
            (Change::Stop { hibernate: true }, _) if !i.hibernation_configured => {
                return Err(Ec2Error::new(
                    "UnsupportedHibernationConfiguration",
                    format!("The instance can't be hibernated because it was not configured at launch for hibernation: {id}"),
                ))
            }
            (Change::Stop { .. }, S::Running) if i.disable_api_stop => {
                // By analogy with the termination protection message (unverified).
                return Err(Ec2Error::new(
                    "OperationNotPermitted",
                    format!("The instance '{id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again."),
                ))
            }
            (Change::Stop { .. }, S::Running) => S::Stopping,
            (Change::Stop { .. }, S::Stopping | S::Stopped) => before,
            // cloud-custodian#6014.
            (Change::Stop { .. }, S::Pending) => {
                return Err(Ec2Error::new(
                    "IncorrectInstanceState",
                    format!("Instance '{id}' cannot be stopped as it has never reached the 'running' state."),
                ))
            }
            (Change::Stop { .. }, _) => {
                // Unverified wording: EC2's verified start message, with "stopped".
                return Err(Ec2Error::new("IncorrectInstanceState", format!("The instance '{id}' is not in a state from which it can be stopped")))
            }
            (Change::Terminate, S::ShuttingDown | S::Terminated) => before,
            (Change::Terminate, _) if i.disable_api_termination => {
                return Err(Ec2Error::new(
                    "OperationNotPermitted",
                    format!("The instance '{id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again."),
                ))
            }
            (Change::Terminate, _) => S::ShuttingDown,
        };
        plan.push((id.clone(), before, after));
    }
    let until = now_plus(now, cx.config.transition);
    let reason = format!(
        "User initiated ({} GMT)",
        Timestamp::format(now, crate::clock::TimestampFormat::DateTime)[..19].replace('T', " ")
    );
    let state = cx.commit()?;
    state.purge_terminated(Timestamp(now.0 - retention));
    let mut out = Vec::with_capacity(plan.len());
    for (id, before, after) in plan {
        if before != after {
            apply(state, &id, change, until, now, &reason);
        }
        out.push(w::InstanceStateChange {
            instance_id: Some(id),
            previous_state: Some(state_wire(before)),
            current_state: Some(state_wire(after)),
        });
    }
    Ok(out)
}

/// The side effects of a state change, done when it is requested.
fn apply(
    state: &mut RegionState,
    id: &str,
    change: Change,
    until: Timestamp,
    now: Timestamp,
    reason: &str,
) {
    let Some(i) = state.instances.get_mut(id) else {
        return;
    };
    match change {
        Change::Start => {
            i.phase = Phase::Pending { until };
            i.transition_reason = String::new();
            i.state_reason = None;
            let maps_public = state
                .subnets
                .get(&i.subnet_id)
                .is_some_and(|s| s.map_public_ip_on_launch);
            if maps_public && i.public_ip.is_none() {
                let ip = state.allocate_public_ip();
                if let Some(i) = state.instances.get_mut(id) {
                    i.public_ip = Some(ip);
                }
            }
        }
        Change::Stop { hibernate } => {
            // A stopped instance keeps its private address and its Elastic IP, and loses
            // an Amazon-assigned public one.
            i.phase = Phase::Stopping { until };
            if !i.elastic_ip {
                i.public_ip = None;
            }
            i.transition_reason = reason.to_string();
            i.state_reason = Some(if hibernate {
                "Client.UserInitiatedHibernate"
            } else {
                "Client.UserInitiatedShutdown"
            });
        }
        Change::Terminate => {
            i.phase = Phase::ShuttingDown { until };
            i.public_ip = None;
            i.elastic_ip = false;
            i.transition_reason = reason.to_string();
            i.state_reason = Some("Client.UserInitiatedShutdown");
            // The address goes back to the subnet now; the interface and the volumes that
            // go with the instance stay attached until it is terminated (then they count as
            // deleted) and are dropped with the instance after the retention.
            let (subnet_id, ip) = (i.subnet_id.to_string(), i.private_ip);
            let mut freed = vec![(subnet_id, ip)];
            // The addresses of the interfaces that go with it (the primary one, and those
            // that delete on termination) go back to their subnets too.
            let going: Vec<String> = std::iter::once(i.eni_id.clone())
                .chain(i.secondary_enis.iter().cloned())
                .collect();
            for eni in going {
                if let Some(n) = state.network_interfaces.get(&eni) {
                    if n.attachment
                        .as_ref()
                        .is_some_and(|a| a.delete_on_termination)
                    {
                        freed.extend(
                            n.secondary_ips
                                .iter()
                                .map(|ip| (n.subnet_id.to_string(), *ip)),
                        );
                        if eni != state.instances[id].eni_id {
                            freed.push((n.subnet_id.to_string(), n.private_ip));
                        }
                    }
                }
            }
            for (subnet_id, ip) in freed {
                if let Some(sub) = state.subnets.get_mut(&subnet_id) {
                    sub.release_ip(ip);
                }
            }
            state.terminated.push_back((now, id.to_string()));
            // Attached interfaces that do not delete on termination are detached.
            let secondary = state
                .instances
                .get(id)
                .map(|i| i.secondary_enis.clone())
                .unwrap_or_default();
            for eni in secondary {
                if let Some(n) = state.network_interfaces.get_mut(&eni) {
                    if n.attachment
                        .as_ref()
                        .is_some_and(|a| !a.delete_on_termination)
                    {
                        n.attachment = None;
                        if let Some(i) = state.instances.get_mut(id) {
                            i.secondary_enis.retain(|x| *x != eni);
                        }
                    }
                }
            }
            // Volumes that do not delete on termination are detached and become available.
            let volumes = state
                .instances
                .get(id)
                .map(|i| i.volume_ids.clone())
                .unwrap_or_default();
            for v in volumes {
                if let Some(vol) = state.volumes.get_mut(&v) {
                    if vol
                        .attachment
                        .as_ref()
                        .is_some_and(|a| !a.delete_on_termination)
                    {
                        vol.attachment = None;
                        if let Some(i) = state.instances.get_mut(id) {
                            i.volume_ids.retain(|x| *x != v);
                        }
                    }
                }
            }
            // An Elastic IP is disassociated and stays allocated.
            for a in state.addresses.values_mut() {
                if a.association
                    .as_ref()
                    .is_some_and(|x| x.instance_id.as_deref() == Some(id))
                {
                    a.association = None;
                }
            }
        }
    }
}

pub fn start_instances(
    cx: &mut Cx<'_>,
    input: w::StartInstancesInput,
) -> Result<w::StartInstancesOutput, Ec2Error> {
    Ok(w::StartInstancesOutput {
        starting_instances: Some(change_state(cx, &input.instance_ids, Change::Start)?),
    })
}

pub fn stop_instances(
    cx: &mut Cx<'_>,
    input: w::StopInstancesInput,
) -> Result<w::StopInstancesOutput, Ec2Error> {
    Ok(w::StopInstancesOutput {
        stopping_instances: Some(change_state(
            cx,
            &input.instance_ids,
            Change::Stop {
                hibernate: input.hibernate == Some(true),
            },
        )?),
    })
}

pub fn terminate_instances(
    cx: &mut Cx<'_>,
    input: w::TerminateInstancesInput,
) -> Result<w::TerminateInstancesOutput, Ec2Error> {
    Ok(w::TerminateInstancesOutput {
        terminating_instances: Some(change_state(cx, &input.instance_ids, Change::Terminate)?),
    })
}
