//! DescribeNetworkAcls: every VPC's default ACL (rule 100 allows all, `*` denies the
//! rest, each way), associated with every subnet that has no other.

use super::common::wire_tags;
use super::filters::NETWORK_ACL_FILTERS;
use crate::context::Cx;
use crate::describe::filter::Filters;
use crate::generated::types as w;
use crate::store::NetworkAcl;
use crate::Ec2Error;

pub fn describe_network_acls(
    cx: &mut Cx<'_>,
    input: w::DescribeNetworkAclsInput,
) -> Result<w::DescribeNetworkAclsOutput, Ec2Error> {
    let filters = Filters::parse(input.filters.clone(), NETWORK_ACL_FILTERS)?;
    let ids = input.network_acl_ids.clone().unwrap_or_default();
    let view = cx.view();
    let (acls, next_token) = view.describe(&input, &ids, |a| filters.matches(a, &view))?;
    Ok(w::DescribeNetworkAclsOutput {
        network_acls: Some(
            acls.into_iter()
                .map(|a| acl_to_wire(a, cx.account))
                .collect(),
        ),
        next_token,
    })
}

fn acl_to_wire(a: &NetworkAcl, account: &str) -> w::NetworkAcl {
    w::NetworkAcl {
        associations: Some(
            a.associations
                .iter()
                .map(|(id, subnet)| w::NetworkAclAssociation {
                    network_acl_association_id: Some(id.clone()),
                    network_acl_id: Some(a.id.clone()),
                    subnet_id: Some(subnet.clone()),
                })
                .collect(),
        ),
        entries: Some(
            a.entries
                .iter()
                .map(|e| w::NetworkAclEntry {
                    cidr_block: (!e.cidr.contains(':')).then(|| e.cidr.clone()),
                    ipv6_cidr_block: e.cidr.contains(':').then(|| e.cidr.clone()),
                    egress: Some(e.egress),
                    protocol: Some(e.protocol.clone()),
                    rule_action: Some(w::RuleAction::from(if e.allow { "allow" } else { "deny" })),
                    rule_number: Some(e.number),
                    port_range: e.ports.map(|(from, to)| w::PortRange {
                        from: Some(from),
                        to: Some(to),
                    }),
                    ..Default::default()
                })
                .collect(),
        ),
        is_default: Some(a.is_default),
        network_acl_id: Some(a.id.clone()),
        tags: Some(wire_tags(&a.tags)),
        vpc_id: Some(a.vpc_id.clone()),
        owner_id: Some(account.to_string()),
    }
}
