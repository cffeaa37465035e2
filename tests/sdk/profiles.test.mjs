// ModifyInstanceMetadataOptions, the IAM instance profile associations and CreateSnapshots
// through the real SDK (src/handlers/instances/profiles.rs, src/handlers/snapshots.rs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateIamInstanceProfileCommand,
  CreateSnapshotsCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DisassociateIamInstanceProfileCommand,
  ModifyInstanceMetadataOptionsCommand,
  ReplaceIamInstanceProfileAssociationCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { expectEc2Error, launch, useServer } from './helpers.mjs';

const srv = useServer();

test('metadata options change and read back in DescribeInstances', async () => {
  const { ec2 } = srv;
  const [id] = await launch(ec2);
  const out = await ec2.send(new ModifyInstanceMetadataOptionsCommand({
    InstanceId: id, HttpTokens: 'required', HttpPutResponseHopLimit: 3, InstanceMetadataTags: 'enabled',
  }));
  assert.equal(out.InstanceMetadataOptions.State, 'pending');
  const i = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations[0].Instances[0];
  assert.equal(i.MetadataOptions.HttpTokens, 'required');
  assert.equal(i.MetadataOptions.HttpPutResponseHopLimit, 3);
  assert.equal(i.MetadataOptions.InstanceMetadataTags, 'enabled');
  assert.equal(i.MetadataOptions.State, 'applied');
  await expectEc2Error(ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpPutResponseHopLimit: 65 })), {
    code: 'InvalidParameterValue', message: /httpPutResponseHopLimit/,
  });
});

test('an instance profile associates, is listed, replaced and disassociated', async () => {
  const { ec2 } = srv;
  const [id] = await launch(ec2);
  const a = await ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: 'web' } }));
  const assoc = a.IamInstanceProfileAssociation;
  assert.match(assoc.AssociationId, /^iip-assoc-[0-9a-f]{17}$/);
  assert.equal(assoc.State, 'associating');
  assert.match(assoc.IamInstanceProfile.Arn, /^arn:aws:iam::\d{12}:instance-profile\/web$/);
  await expectEc2Error(ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: 'x' } })), {
    code: 'IncorrectState', message: `There is an existing association for instance ${id}`,
  });
  const listed = await ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [id] }] }));
  assert.deepEqual(listed.IamInstanceProfileAssociations.map((x) => [x.AssociationId, x.State]), [[assoc.AssociationId, 'associated']]);
  // aws/aws-cli#5251: Replace on a stopped instance is IncorrectState.
  await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
  await expectEc2Error(ec2.send(new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: assoc.AssociationId, IamInstanceProfile: { Name: 'api' } })), {
    code: 'IncorrectState', message: `The association ${assoc.AssociationId} is not the active association`,
  });
  await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
  const r = await ec2.send(new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: assoc.AssociationId, IamInstanceProfile: { Name: 'api' } }));
  assert.notEqual(r.IamInstanceProfileAssociation.AssociationId, assoc.AssociationId);
  const i = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations[0].Instances[0];
  assert.match(i.IamInstanceProfile.Arn, /instance-profile\/api$/);
  const d = await ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: r.IamInstanceProfileAssociation.AssociationId }));
  assert.equal(d.IamInstanceProfileAssociation.State, 'disassociating');
  await expectEc2Error(ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: assoc.AssociationId })), {
    code: 'InvalidAssociationID.NotFound', message: `An association ID '${assoc.AssociationId}' does not exist`,
  });
  const none = await ec2.send(new DescribeIamInstanceProfileAssociationsCommand({}));
  assert.deepEqual(none.IamInstanceProfileAssociations, []);
});

test('a launch profile is an association; termination ends it', async () => {
  const { ec2 } = srv;
  const [id] = await launch(ec2, { IamInstanceProfile: { Name: 'boot' } });
  const [x] = (await ec2.send(new DescribeIamInstanceProfileAssociationsCommand({}))).IamInstanceProfileAssociations;
  assert.equal(x.InstanceId, id);
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  const after = await ec2.send(new DescribeIamInstanceProfileAssociationsCommand({}));
  assert.deepEqual(after.IamInstanceProfileAssociations, []);
});

test('CreateSnapshots snapshots every volume of an instance, tags copied on request', async () => {
  const { ec2 } = srv;
  const [id] = await launch(ec2, {
    BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 5 } }],
    TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'team', Value: 'db' }] }],
  });
  const out = await ec2.send(new CreateSnapshotsCommand({
    InstanceSpecification: { InstanceId: id }, CopyTagsFromSource: 'volume', Description: 'all',
  }));
  assert.equal(out.Snapshots.length, 2);
  assert.deepEqual(out.Snapshots.map((s) => s.Tags), [[{ Key: 'team', Value: 'db' }], [{ Key: 'team', Value: 'db' }]]);
  const noBoot = await ec2.send(new CreateSnapshotsCommand({ InstanceSpecification: { InstanceId: id, ExcludeBootVolume: true } }));
  assert.deepEqual(noBoot.Snapshots.map((s) => s.VolumeSize), [5]);
  const mine = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
  assert.equal(mine.Snapshots.length, 3);
});
