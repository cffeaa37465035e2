// DryRun on every operation: when the request would have succeeded, EC2 answers
// DryRunOperation with HTTP 412 and changes nothing; when it would have failed, the real
// error comes back instead.
//
// Source: ec2-errors.md, DryRunOperation row (AWS-raw full HTTP capture getmoto/moto#1980:
// `HTTP/1.1 412 Precondition Failed`; aws-cli#3127): "Request would have succeeded, but
// DryRun flag is set."; every API reference page: "DryRun — Checks whether you have the
// required permissions for the action, without actually making the request".

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { AMI, expectDryRun, expectEc2Error, launch, useServer } from './helpers.mjs';

const srv = useServer();

const instanceState = async (id) =>
  (await srv.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations[0].Instances[0].State.Name;

describe('DryRunOperation (412) on every operation, and nothing changes', () => {
  test('RunInstances', async () => {
    await expectDryRun(srv.ec2, new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, DryRun: true }));
    assert.deepEqual((await srv.ec2.send(new DescribeInstancesCommand({}))).Reservations, []);
  });

  test('DescribeInstances', async () => {
    await expectDryRun(srv.ec2, new DescribeInstancesCommand({ DryRun: true }));
  });

  test('StopInstances, StartInstances, TerminateInstances', async () => {
    const [id] = await launch(srv.ec2);
    await expectDryRun(srv.ec2, new StopInstancesCommand({ InstanceIds: [id], DryRun: true }));
    assert.equal(await instanceState(id), 'running');
    await expectDryRun(srv.ec2, new TerminateInstancesCommand({ InstanceIds: [id], DryRun: true }));
    assert.equal(await instanceState(id), 'running');
    await srv.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    assert.equal(await instanceState(id), 'stopped');
    await expectDryRun(srv.ec2, new StartInstancesCommand({ InstanceIds: [id], DryRun: true }));
    assert.equal(await instanceState(id), 'stopped');
  });

  test('CreateSecurityGroup, DescribeSecurityGroups, AuthorizeSecurityGroupIngress', async () => {
    await expectDryRun(srv.ec2, new CreateSecurityGroupCommand({ GroupName: 'dry', Description: 'dry', DryRun: true }));
    await expectDryRun(srv.ec2, new DescribeSecurityGroupsCommand({ DryRun: true }));
    const { SecurityGroups } = await srv.ec2.send(new DescribeSecurityGroupsCommand({}));
    assert.deepEqual(SecurityGroups.map((g) => g.GroupName), ['default']);
    const { GroupId } = await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'wet', Description: 'wet' }));
    await expectDryRun(
      srv.ec2,
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        DryRun: true,
      }),
    );
    const g = (await srv.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId] }))).SecurityGroups[0];
    assert.deepEqual(g.IpPermissions, []);
  });

  test('CreateVpc, DescribeVpcs, CreateSubnet, DescribeSubnets', async () => {
    await expectDryRun(srv.ec2, new CreateVpcCommand({ CidrBlock: '10.0.0.0/16', DryRun: true }));
    await expectDryRun(srv.ec2, new DescribeVpcsCommand({ DryRun: true }));
    const { Vpcs } = await srv.ec2.send(new DescribeVpcsCommand({}));
    assert.equal(Vpcs.length, 1);
    const before = (await srv.ec2.send(new DescribeSubnetsCommand({}))).Subnets.length;
    const { Vpc } = await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    await expectDryRun(srv.ec2, new CreateSubnetCommand({ VpcId: Vpc.VpcId, CidrBlock: '10.0.0.0/24', DryRun: true }));
    await expectDryRun(srv.ec2, new DescribeSubnetsCommand({ DryRun: true }));
    assert.equal((await srv.ec2.send(new DescribeSubnetsCommand({}))).Subnets.length, before);
  });

  test('DescribeImages', async () => {
    await expectDryRun(srv.ec2, new DescribeImagesCommand({ ImageIds: [AMI], DryRun: true }));
  });

  test('CreateTags, DescribeTags', async () => {
    const { Vpc } = await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    await expectDryRun(srv.ec2, new CreateTagsCommand({ Resources: [Vpc.VpcId], Tags: [{ Key: 'a', Value: 'b' }], DryRun: true }));
    await expectDryRun(srv.ec2, new DescribeTagsCommand({ DryRun: true }));
    assert.deepEqual((await srv.ec2.send(new DescribeTagsCommand({}))).Tags, []);
  });

  test('CreateKeyPair, DescribeKeyPairs', async () => {
    await expectDryRun(srv.ec2, new CreateKeyPairCommand({ KeyName: 'dry', KeyType: 'ed25519', DryRun: true }));
    await expectDryRun(srv.ec2, new DescribeKeyPairsCommand({ DryRun: true }));
    assert.deepEqual((await srv.ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs, []);
  });
});

describe('DryRun on a request that would fail answers the real error', () => {
  // ec2-errors.md: DryRunOperation is only for requests "whose checks pass".
  test('RunInstances with an unknown AMI: InvalidAMIID.NotFound, not DryRunOperation', async () => {
    await expectEc2Error(
      srv.ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', MinCount: 1, MaxCount: 1, DryRun: true })),
      { code: 'InvalidAMIID.NotFound', message: "The image id '[ami-0123456789abcdef0]' does not exist" },
    );
  });

  test('StopInstances on an unknown instance: InvalidInstanceID.NotFound', async () => {
    await expectEc2Error(srv.ec2.send(new StopInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'], DryRun: true })), {
      code: 'InvalidInstanceID.NotFound',
      message: "The instance ID 'i-0123456789abcdef0' does not exist",
    });
  });

  test('CreateSecurityGroup with a taken name: InvalidGroup.Duplicate', async () => {
    await expectEc2Error(srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'default', Description: 'x', DryRun: true })), {
      code: 'InvalidGroup.Duplicate',
      message: /^The security group 'default' already exists for VPC 'vpc-[0-9a-f]{17}'$/,
    });
  });
});
