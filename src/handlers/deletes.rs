//! DeleteKeyPair, DeleteSecurityGroup, DeleteSubnet, DeleteVpc: what test
//! suites call in their teardown, with EC2's dependency rules. Every check runs before
//! anything is removed.

use super::common::Kind;
use super::security_groups::find_group;
use crate::context::Cx;
use crate::generated::types as w;
use crate::store::{InstanceState, Peer, RegionState};
use crate::wire::Timestamp;
use crate::Ec2Error;

/// Instances that still hold their network resources (everything not yet terminated).
fn live_instances(
    s: &RegionState,
    now: Timestamp,
) -> impl Iterator<Item = &crate::store::Instance> {
    s.instances
        .values()
        .filter(move |i| i.phase.state(now) != InstanceState::Terminated)
}

/// EC2 answers a missing key pair name quietly (DeleteKeyPair is idempotent by name).
pub fn delete_key_pair(
    cx: &mut Cx<'_>,
    input: w::DeleteKeyPairInput,
) -> Result<w::DeleteKeyPairOutput, Ec2Error> {
    let s = cx.state();
    let name = match (&input.key_name, &input.key_pair_id) {
        (Some(n), _) => s.key_pairs.get(n).map(|k| k.name.clone()),
        (None, Some(id)) => {
            Kind::KeyPair.check(id)?;
            s.key_pairs
                .values()
                .find(|k| k.id == *id)
                .map(|k| k.name.clone())
        }
        (None, None) => return Err(Ec2Error::missing_parameter("keyName")),
    };
    let state = cx.commit()?;
    let removed = name.and_then(|n| state.key_pairs.remove(&n));
    Ok(w::DeleteKeyPairOutput {
        r#return: Some(true),
        key_pair_id: removed.map(|k| k.id),
    })
}

pub fn delete_security_group(
    cx: &mut Cx<'_>,
    input: w::DeleteSecurityGroupInput,
) -> Result<w::DeleteSecurityGroupOutput, Ec2Error> {
    let s = cx.state();
    let group = find_group(s, input.group_id.as_deref(), input.group_name.as_deref())?;
    let id = group.id.clone();
    if group.name == "default" {
        // alantech/iasql#654.
        return Err(Ec2Error::new(
            "CannotDelete",
            format!("the specified group: \"{id}\" name: \"default\" cannot be deleted by a user"),
        ));
    }
    // In use by an instance, or named as a peer by another group's rule (kops#6454).
    let used = live_instances(s, cx.now).any(|i| i.security_groups.contains(&id))
        || s.security_groups
            .values()
            .filter(|g| g.id != id)
            .flat_map(|g| &g.rules)
            .any(|r| matches!(&r.peer, Peer::Group { group_id, .. } if *group_id == id));
    if used {
        return Err(Ec2Error::new(
            "DependencyViolation",
            format!("resource {id} has a dependent object"),
        ));
    }
    let state = cx.commit()?;
    state.security_groups.remove(&id);
    Ok(w::DeleteSecurityGroupOutput {
        r#return: Some(true),
        group_id: Some(id),
    })
}

pub fn delete_subnet(
    cx: &mut Cx<'_>,
    input: w::DeleteSubnetInput,
) -> Result<w::DeleteSubnetOutput, Ec2Error> {
    let s = cx.state();
    let id = input.subnet_id;
    Kind::Subnet.check(&id)?;
    if !s.subnets.contains_key(&id) {
        return Err(Kind::Subnet.not_found(&[&id]));
    }
    if live_instances(s, cx.now).any(|i| i.subnet_id == id) {
        return Err(Ec2Error::new(
            "DependencyViolation",
            format!("The subnet '{id}' has dependencies and cannot be deleted."),
        ));
    }
    let state = cx.commit()?;
    state.subnets.remove(&id);
    Ok(w::DeleteSubnetOutput {})
}

pub fn delete_vpc(
    cx: &mut Cx<'_>,
    input: w::DeleteVpcInput,
) -> Result<w::DeleteVpcOutput, Ec2Error> {
    let s = cx.state();
    let id = input.vpc_id;
    Kind::Vpc.check(&id)?;
    if !s.vpcs.contains_key(&id) {
        return Err(Kind::Vpc.not_found(&[&id]));
    }
    // Subnets, or groups other than the VPC's own default group, keep it (lianghong/delete_vpc#10).
    let dependents = s.subnets.values().any(|x| x.vpc_id == id)
        || s.security_groups
            .values()
            .any(|g| g.vpc_id == id && g.name != "default")
        || live_instances(s, cx.now).any(|i| i.vpc_id == id);
    if dependents {
        return Err(Ec2Error::new(
            "DependencyViolation",
            format!("The vpc '{id}' has dependencies and cannot be deleted."),
        ));
    }
    let state = cx.commit()?;
    state.security_groups.retain(|_, g| g.vpc_id != id);
    state.vpcs.remove(&id);
    Ok(w::DeleteVpcOutput {})
}
