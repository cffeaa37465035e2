//! RunInstances, DescribeInstances, StartInstances, StopInstances, TerminateInstances.
//!
//! Lifecycle follows EC2: the answer to Run/Start/Stop/Terminate shows the transitional
//! state (pending, stopping, shutting-down); the settled state is derived from the clock
//! when read (`Config::transition`, zero by default: settled on the next read).
//!
//! - `validate` — everything RunInstances checks, into a [`Launch`](launch::Launch) plan;
//! - `options` — block devices, metadata options and instance profile of a launch;
//! - `launch` — RunInstances: the plan applied (instances, volumes, interfaces);
//! - `lifecycle` — Start / Stop / Terminate;
//! - `describe` — DescribeInstances and the wire form of an instance.

mod attributes;
mod console;
mod describe;
mod launch;
mod lifecycle;
mod options;
mod placement;
mod profiles;
mod status;
mod validate;

pub use attributes::{
    describe_instance_attribute, describe_instance_credit_specifications,
    modify_instance_attribute, modify_instance_credit_specification, reset_instance_attribute,
};
pub use console::{get_console_output, get_password_data};
pub use describe::describe_instances;
pub(crate) use describe::instance_to_wire;
pub(crate) use describe::reason_message;
pub use launch::run_instances;
pub use lifecycle::{start_instances, stop_instances, terminate_instances};
pub use placement::modify_instance_placement;
pub use profiles::{
    associate_iam_instance_profile, describe_iam_instance_profile_associations,
    disassociate_iam_instance_profile, modify_instance_metadata_options,
    replace_iam_instance_profile_association,
};
pub(crate) use status::status;
pub use status::{
    describe_instance_status, monitor_instances, reboot_instances, unmonitor_instances,
};

use crate::clock::Timestamp;

/// When the instance last came up: the end of its latest pending transition (its launch
/// time once the phase no longer records it).
pub(crate) fn up_since(i: &crate::store::Instance) -> Timestamp {
    match i.phase {
        crate::store::Phase::Pending { until } => until,
        _ => i.launch_time,
    }
}

pub(crate) fn now_plus(now: Timestamp, d: std::time::Duration) -> Timestamp {
    Timestamp(now.0 + d.as_millis() as i64)
}
