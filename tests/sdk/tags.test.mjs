// CreateTags and DescribeTags through the real SDK, over every kind of resource the
// emulator keeps.
//
// Sources: ec2-errors.md (rows named in each test); CreateTags API reference ("If you
// specify a tag key that is already associated with the resource, the new tag value
// overwrites the old"; a value may be empty); DescribeTags API reference (filters `key`,
// `resource-id`, `resource-type`, `tag:<key>`, `value`); EC2 User Guide "Tag your Amazon
// EC2 resources" (resource types `instance`, `vpc`, `subnet`, `security-group`, `key-pair`,
// `volume`).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  paginateDescribeTags,
} from '@aws-sdk/client-ec2';
import { expectEc2Error, launch, useServer } from './helpers.mjs';

const srv = useServer();

describe('CreateTags and DescribeTags', () => {
  test('tags on an instance, a VPC, a subnet, a security group, a key pair and a volume; DescribeTags lists each with its resource type', async () => {
    const [instanceId] = await launch(srv.ec2);
    const { Reservations } = await srv.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const volumeId = Reservations[0].Instances[0].BlockDeviceMappings[0].Ebs.VolumeId;
    const { Vpc } = await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const subnetId = (await srv.ec2.send(new DescribeSubnetsCommand({}))).Subnets[0].SubnetId;
    const { GroupId } = await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'tagged', Description: 'x' }));
    const { KeyPairId } = await srv.ec2.send(new CreateKeyPairCommand({ KeyName: 'tagged', KeyType: 'ed25519' }));
    const resources = [instanceId, Vpc.VpcId, subnetId, GroupId, KeyPairId, volumeId];
    const out = await srv.ec2.send(new CreateTagsCommand({ Resources: resources, Tags: [{ Key: 'project', Value: 'parlel' }] }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    const { Tags } = await srv.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['project'] }] }));
    const rows = Object.fromEntries(Tags.map((t) => [t.ResourceId, t]));
    const types = {
      [instanceId]: 'instance',
      [Vpc.VpcId]: 'vpc',
      [subnetId]: 'subnet',
      [GroupId]: 'security-group',
      [KeyPairId]: 'key-pair',
      [volumeId]: 'volume',
    };
    assert.equal(Tags.length, resources.length);
    for (const id of resources) {
      assert.deepEqual(rows[id], { ResourceId: id, ResourceType: types[id], Key: 'project', Value: 'parlel' });
    }
    // The tags show on the resources themselves.
    const i = (await srv.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations[0].Instances[0];
    assert.deepEqual(i.Tags, [{ Key: 'project', Value: 'parlel' }]);
    const v = (await srv.ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc.VpcId] }))).Vpcs[0];
    assert.deepEqual(v.Tags, [{ Key: 'project', Value: 'parlel' }]);
  });

  test('CreateTags with an existing key overwrites its value; an empty value is allowed', async () => {
    const { Vpc } = await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    await srv.ec2.send(new CreateTagsCommand({ Resources: [Vpc.VpcId], Tags: [{ Key: 'Name', Value: 'old' }] }));
    await srv.ec2.send(new CreateTagsCommand({ Resources: [Vpc.VpcId], Tags: [{ Key: 'Name', Value: 'new' }, { Key: 'flag', Value: '' }] }));
    const { Tags } = await srv.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [Vpc.VpcId] }] }));
    assert.deepEqual(
      Tags.map((t) => [t.Key, t.Value]).sort(),
      [['Name', 'new'], ['flag', '']],
    );
  });

  test('DescribeTags filters: resource-type, value (wildcards), tag:<key>; filters are ANDed', async () => {
    const { Vpc } = await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const { GroupId } = await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'g', Description: 'g' }));
    await srv.ec2.send(new CreateTagsCommand({ Resources: [Vpc.VpcId, GroupId], Tags: [{ Key: 'env', Value: 'prod-1' }] }));
    await srv.ec2.send(new CreateTagsCommand({ Resources: [GroupId], Tags: [{ Key: 'team', Value: 'blue' }] }));
    const list = async (Filters) => (await srv.ec2.send(new DescribeTagsCommand({ Filters }))).Tags.map((t) => `${t.ResourceId}:${t.Key}`).sort();
    assert.deepEqual(await list([{ Name: 'resource-type', Values: ['vpc'] }]), [`${Vpc.VpcId}:env`]);
    assert.deepEqual(await list([{ Name: 'value', Values: ['prod-*'] }]), [`${GroupId}:env`, `${Vpc.VpcId}:env`].sort());
    assert.deepEqual(await list([{ Name: 'tag:team', Values: ['blue'] }]), [`${GroupId}:team`]);
    assert.deepEqual(
      await list([
        { Name: 'resource-type', Values: ['security-group'] },
        { Name: 'key', Values: ['env', 'team'] },
      ]),
      [`${GroupId}:env`, `${GroupId}:team`],
    );
    assert.deepEqual(await list([{ Name: 'resource-type', Values: ['instance'] }]), []);
  });

  test('paginateDescribeTags returns every tag exactly once (pageSize 5)', async () => {
    const { Vpc } = await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const { GroupId } = await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'g', Description: 'g' }));
    const tags = Array.from({ length: 7 }, (_, n) => ({ Key: `k${n}`, Value: `v${n}` }));
    await srv.ec2.send(new CreateTagsCommand({ Resources: [Vpc.VpcId, GroupId], Tags: tags }));
    const seen = [];
    let pages = 0;
    for await (const page of paginateDescribeTags({ client: srv.ec2, pageSize: 5 }, {})) {
      pages += 1;
      assert.ok(page.Tags.length <= 5);
      seen.push(...page.Tags.map((t) => `${t.ResourceId}/${t.Key}`));
    }
    assert.equal(seen.length, 14);
    assert.equal(new Set(seen).size, 14);
    assert.equal(pages, 3);
  });
});

describe('errors', () => {
  // ec2-errors.md: InvalidID (AWS-raw aws-cli#4109, pulumi-aws#502, cloud-provider-aws#1387).
  test("InvalidID: an id with no known prefix is \"The ID '{value}' is not valid\"", async () => {
    for (const id of ['foo', 'bar-0123456789abcdef0']) {
      await expectEc2Error(srv.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'a', Value: 'b' }] })), {
        code: 'InvalidID',
        message: `The ID '${id}' is not valid`,
      });
    }
  });

  // ec2-errors.md: InvalidInstanceID.NotFound (CreateTags on an i- id) and InvalidVpcID.NotFound.
  test('CreateTags on a well-formed id that does not exist gets that kind\'s NotFound', async () => {
    await expectEc2Error(
      srv.ec2.send(new CreateTagsCommand({ Resources: ['i-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] })),
      { code: 'InvalidInstanceID.NotFound', message: "The instance ID 'i-0123456789abcdef0' does not exist" },
    );
    await expectEc2Error(
      srv.ec2.send(new CreateTagsCommand({ Resources: ['vpc-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] })),
      { code: 'InvalidVpcID.NotFound', message: "The vpc ID 'vpc-0123456789abcdef0' does not exist" },
    );
    await expectEc2Error(
      srv.ec2.send(new CreateTagsCommand({ Resources: ['subnet-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] })),
      { code: 'InvalidSubnetID.NotFound', message: "The subnet ID 'subnet-0123456789abcdef0' does not exist" },
    );
    await expectEc2Error(
      srv.ec2.send(new CreateTagsCommand({ Resources: ['sg-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] })),
      { code: 'InvalidGroup.NotFound', message: "The security group 'sg-0123456789abcdef0' does not exist" },
    );
  });

  test('a failed CreateTags tags nothing, not even the resources that exist', async () => {
    const { Vpc } = await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    await assert.rejects(
      srv.ec2.send(new CreateTagsCommand({ Resources: [Vpc.VpcId, 'vpc-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] })),
    );
    assert.deepEqual((await srv.ec2.send(new DescribeTagsCommand({}))).Tags, []);
  });

  // ec2-errors.md: MissingParameter, `resourceIdSet` for CreateTags (AWS-raw awsdocs#1302).
  test('MissingParameter: CreateTags without resources is "…parameter resourceIdSet"', async () => {
    await expectEc2Error(srv.ec2.send(new CreateTagsCommand({ Resources: [], Tags: [{ Key: 'a', Value: 'b' }] })), {
      code: 'MissingParameter',
      message: 'The request must contain the parameter resourceIdSet',
    });
  });

  // ec2-errors.md: InvalidParameterValue (tag key) (AWS-raw aws-cli#3283).
  test('InvalidParameterValue: an empty tag key', async () => {
    const { Vpc } = await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    await expectEc2Error(srv.ec2.send(new CreateTagsCommand({ Resources: [Vpc.VpcId], Tags: [{ Key: '', Value: 'b' }] })), {
      code: 'InvalidParameterValue',
      message: "Value ( '' ) for parameter Tag key is invalid. Tag key cannot be null or empty.",
    });
  });

  // ec2-errors.md: InvalidParameterValue (unknown filter).
  test('InvalidParameterValue: DescribeTags with an unknown filter', async () => {
    await expectEc2Error(srv.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'owner', Values: ['me'] }] })), {
      code: 'InvalidParameterValue',
      message: "The filter 'owner' is invalid",
    });
  });

  // ec2-errors.md: InvalidParameterValue (MaxResults).
  test('InvalidParameterValue: DescribeTags MaxResults below 5', async () => {
    await expectEc2Error(srv.ec2.send(new DescribeTagsCommand({ MaxResults: 2 })), {
      code: 'InvalidParameterValue',
      message: 'Value ( 2 ) for parameter maxResults is invalid. Expecting a value greater than 5.',
    });
  });
});
