// The teardown users write after a test: delete what was made, in dependency order,
// through the real SDK. Sources: ec2-errors.md rows CannotDelete and DependencyViolation
// (alantech/iasql#654, lianghong/delete_vpc#10, kops#6454).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteKeyPairCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteTagsCommand,
  DeleteVpcCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  TerminateInstancesCommand,
  waitUntilInstanceTerminated,
} from '@aws-sdk/client-ec2';
import { expectDryRun, expectEc2Error, launch, useServer } from './helpers.mjs';

const srv = useServer();

describe('teardown in dependency order', () => {
  test('instance, group, subnet, VPC: each refused while something depends on it', async () => {
    const { ec2 } = srv;
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: Vpc.VpcId, CidrBlock: '10.20.1.0/24' }));
    const { GroupId } = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app', VpcId: Vpc.VpcId }),
    );
    const [id] = await launch(ec2, { SubnetId: Subnet.SubnetId, SecurityGroupIds: [GroupId] });

    await expectEc2Error(ec2.send(new DeleteSecurityGroupCommand({ GroupId })), {
      code: 'DependencyViolation',
      message: `resource ${GroupId} has a dependent object`,
    });
    await expectEc2Error(ec2.send(new DeleteSubnetCommand({ SubnetId: Subnet.SubnetId })), {
      code: 'DependencyViolation',
      message: `The subnet '${Subnet.SubnetId}' has dependencies and cannot be deleted.`,
    });
    await expectEc2Error(ec2.send(new DeleteVpcCommand({ VpcId: Vpc.VpcId })), {
      code: 'DependencyViolation',
      message: `The vpc '${Vpc.VpcId}' has dependencies and cannot be deleted.`,
    });

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await waitUntilInstanceTerminated({ client: ec2, maxWaitTime: 10, minDelay: 1 }, { InstanceIds: [id] });
    const deleted = await ec2.send(new DeleteSecurityGroupCommand({ GroupId }));
    assert.equal(deleted.GroupId, GroupId);
    await ec2.send(new DeleteSubnetCommand({ SubnetId: Subnet.SubnetId }));
    await expectDryRun(ec2, new DeleteVpcCommand({ VpcId: Vpc.VpcId, DryRun: true }));
    await ec2.send(new DeleteVpcCommand({ VpcId: Vpc.VpcId }));
    await expectEc2Error(ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc.VpcId] })), {
      code: 'InvalidVpcID.NotFound',
      message: `The vpc ID '${Vpc.VpcId}' does not exist`,
    });
  });

  test("the default group is CannotDelete (alantech/iasql#654)", async () => {
    const { ec2 } = srv;
    const { SecurityGroups } = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }),
    );
    const id = SecurityGroups[0].GroupId;
    await expectEc2Error(ec2.send(new DeleteSecurityGroupCommand({ GroupId: id })), {
      code: 'CannotDelete',
      message: `the specified group: "${id}" name: "default" cannot be deleted by a user`,
    });
  });

  test('a group named by another group rule is a dependency', async () => {
    const { ec2 } = srv;
    const lb = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'lb', Description: 'lb' }))).GroupId;
    const app = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app' }))).GroupId;
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: app,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: lb }] }],
      }),
    );
    await expectEc2Error(ec2.send(new DeleteSecurityGroupCommand({ GroupId: lb })), { code: 'DependencyViolation' });
    await ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'app' }));
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: lb }));
  });

  test('DeleteKeyPair removes the key and is quiet about a missing name', async () => {
    const { ec2 } = srv;
    const { KeyPairId } = await ec2.send(new CreateKeyPairCommand({ KeyName: 'ci', KeyType: 'ed25519' }));
    const out = await ec2.send(new DeleteKeyPairCommand({ KeyName: 'ci' }));
    assert.equal(out.KeyPairId, KeyPairId);
    assert.equal(out.Return, true);
    await expectEc2Error(ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['ci'] })), {
      code: 'InvalidKeyPair.NotFound',
      message: "The key pair 'ci' does not exist",
    });
    const again = await ec2.send(new DeleteKeyPairCommand({ KeyName: 'ci' }));
    assert.equal(again.Return, true);
  });

  test('DeleteTags by key, by key and value, and all', async () => {
    const { ec2 } = srv;
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({}));
    const vpc = Vpcs[0].VpcId;
    await ec2.send(
      new CreateTagsCommand({
        Resources: [vpc],
        Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }, { Key: 'c', Value: '3' }],
      }),
    );
    await ec2.send(new DeleteTagsCommand({ Resources: [vpc], Tags: [{ Key: 'a', Value: 'other' }, { Key: 'b' }] }));
    const keys = async () =>
      (await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [vpc] }] }))).Tags.map(
        (t) => t.Key,
      );
    assert.deepEqual(await keys(), ['a', 'c']);
    await ec2.send(new DeleteTagsCommand({ Resources: [vpc] }));
    assert.deepEqual(await keys(), []);
  });
});
