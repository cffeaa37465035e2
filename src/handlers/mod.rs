//! The hand-written side of the API: `impl Ec2 for Emulator`, one line per operation,
//! delegating to a file per resource family.

mod common;
pub mod filters;
mod images;
pub(crate) mod instances;
mod key_pairs;
mod security_groups;
pub(crate) mod subnets;
mod tags;
mod vpcs;

use crate::context::Cx;
use crate::generated::service::Ec2;
use crate::generated::types::*;
use crate::Ec2Error;

/// The emulator's handlers. Stateless: state arrives through `Cx`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Handlers;

impl<'a> Ec2<Cx<'a>> for Handlers {
    fn authorize_security_group_ingress(
        &self,
        cx: &mut Cx<'a>,
        input: AuthorizeSecurityGroupIngressInput,
    ) -> Result<AuthorizeSecurityGroupIngressOutput, Ec2Error> {
        security_groups::authorize_security_group_ingress(cx, input)
    }
    fn create_key_pair(
        &self,
        cx: &mut Cx<'a>,
        input: CreateKeyPairInput,
    ) -> Result<CreateKeyPairOutput, Ec2Error> {
        key_pairs::create_key_pair(cx, input)
    }
    fn create_security_group(
        &self,
        cx: &mut Cx<'a>,
        input: CreateSecurityGroupInput,
    ) -> Result<CreateSecurityGroupOutput, Ec2Error> {
        security_groups::create_security_group(cx, input)
    }
    fn create_subnet(
        &self,
        cx: &mut Cx<'a>,
        input: CreateSubnetInput,
    ) -> Result<CreateSubnetOutput, Ec2Error> {
        subnets::create_subnet(cx, input)
    }
    fn create_tags(
        &self,
        cx: &mut Cx<'a>,
        input: CreateTagsInput,
    ) -> Result<CreateTagsOutput, Ec2Error> {
        tags::create_tags(cx, input)
    }
    fn create_vpc(
        &self,
        cx: &mut Cx<'a>,
        input: CreateVpcInput,
    ) -> Result<CreateVpcOutput, Ec2Error> {
        vpcs::create_vpc(cx, input)
    }
    fn delete_key_pair(
        &self,
        cx: &mut Cx<'a>,
        input: DeleteKeyPairInput,
    ) -> Result<DeleteKeyPairOutput, Ec2Error> {
        key_pairs::delete_key_pair(cx, input)
    }
    fn delete_security_group(
        &self,
        cx: &mut Cx<'a>,
        input: DeleteSecurityGroupInput,
    ) -> Result<DeleteSecurityGroupOutput, Ec2Error> {
        security_groups::delete_security_group(cx, input)
    }
    fn delete_subnet(
        &self,
        cx: &mut Cx<'a>,
        input: DeleteSubnetInput,
    ) -> Result<DeleteSubnetOutput, Ec2Error> {
        subnets::delete_subnet(cx, input)
    }
    fn delete_tags(
        &self,
        cx: &mut Cx<'a>,
        input: DeleteTagsInput,
    ) -> Result<DeleteTagsOutput, Ec2Error> {
        tags::delete_tags(cx, input)
    }
    fn delete_vpc(
        &self,
        cx: &mut Cx<'a>,
        input: DeleteVpcInput,
    ) -> Result<DeleteVpcOutput, Ec2Error> {
        vpcs::delete_vpc(cx, input)
    }
    fn describe_images(
        &self,
        cx: &mut Cx<'a>,
        input: DescribeImagesInput,
    ) -> Result<DescribeImagesOutput, Ec2Error> {
        images::describe_images(cx, input)
    }
    fn describe_instances(
        &self,
        cx: &mut Cx<'a>,
        input: DescribeInstancesInput,
    ) -> Result<DescribeInstancesOutput, Ec2Error> {
        instances::describe_instances(cx, input)
    }
    fn describe_key_pairs(
        &self,
        cx: &mut Cx<'a>,
        input: DescribeKeyPairsInput,
    ) -> Result<DescribeKeyPairsOutput, Ec2Error> {
        key_pairs::describe_key_pairs(cx, input)
    }
    fn describe_security_groups(
        &self,
        cx: &mut Cx<'a>,
        input: DescribeSecurityGroupsInput,
    ) -> Result<DescribeSecurityGroupsOutput, Ec2Error> {
        security_groups::describe_security_groups(cx, input)
    }
    fn describe_subnets(
        &self,
        cx: &mut Cx<'a>,
        input: DescribeSubnetsInput,
    ) -> Result<DescribeSubnetsOutput, Ec2Error> {
        subnets::describe_subnets(cx, input)
    }
    fn describe_tags(
        &self,
        cx: &mut Cx<'a>,
        input: DescribeTagsInput,
    ) -> Result<DescribeTagsOutput, Ec2Error> {
        tags::describe_tags(cx, input)
    }
    fn describe_vpcs(
        &self,
        cx: &mut Cx<'a>,
        input: DescribeVpcsInput,
    ) -> Result<DescribeVpcsOutput, Ec2Error> {
        vpcs::describe_vpcs(cx, input)
    }
    fn revoke_security_group_ingress(
        &self,
        cx: &mut Cx<'a>,
        input: RevokeSecurityGroupIngressInput,
    ) -> Result<RevokeSecurityGroupIngressOutput, Ec2Error> {
        security_groups::revoke_security_group_ingress(cx, input)
    }
    fn run_instances(
        &self,
        cx: &mut Cx<'a>,
        input: RunInstancesInput,
    ) -> Result<RunInstancesOutput, Ec2Error> {
        instances::run_instances(cx, input)
    }
    fn start_instances(
        &self,
        cx: &mut Cx<'a>,
        input: StartInstancesInput,
    ) -> Result<StartInstancesOutput, Ec2Error> {
        instances::start_instances(cx, input)
    }
    fn stop_instances(
        &self,
        cx: &mut Cx<'a>,
        input: StopInstancesInput,
    ) -> Result<StopInstancesOutput, Ec2Error> {
        instances::stop_instances(cx, input)
    }
    fn terminate_instances(
        &self,
        cx: &mut Cx<'a>,
        input: TerminateInstancesInput,
    ) -> Result<TerminateInstancesOutput, Ec2Error> {
        instances::terminate_instances(cx, input)
    }
}
