// EBS volumes through the real SDK, with the volumeAvailable / volumeInUse waiters: the
// first step of issue #10 (CreateVolume, DescribeVolumes, AttachVolume, DetachVolume,
// DeleteVolume; rules and sources in src/handlers/volumes.rs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  waitUntilVolumeAvailable,
  waitUntilVolumeInUse,
} from '@aws-sdk/client-ec2';
import { expectEc2Error, launch, useServer } from './helpers.mjs';

const srv = useServer({ args: ['--transition-ms', '300'] });

test('create, wait available, attach, wait in-use, detach, delete; EC2 errors', async () => {
  const { ec2 } = srv;
  const wait = { client: ec2, maxWaitTime: 10, minDelay: 1 };
  const [id] = await launch(ec2);
  const az = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations[0].Instances[0]
    .Placement.AvailabilityZone;
  await expectEc2Error(ec2.send(new CreateVolumeCommand({ AvailabilityZone: az })), {
    code: 'MissingParameter',
    message: 'The request must contain the parameter size/snapshot',
  });
  const vol = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 8, VolumeType: 'gp3' }));
  assert.equal(vol.State, 'creating');
  await waitUntilVolumeAvailable(wait, { VolumeIds: [vol.VolumeId] });
  await ec2.send(new AttachVolumeCommand({ VolumeId: vol.VolumeId, InstanceId: id, Device: '/dev/sdf' }));
  await waitUntilVolumeInUse(wait, { VolumeIds: [vol.VolumeId] });
  await expectEc2Error(ec2.send(new DeleteVolumeCommand({ VolumeId: vol.VolumeId })), {
    code: 'VolumeInUse',
    message: `Volume ${vol.VolumeId} is currently attached to ${id}`,
  });
  const byInstance = await ec2.send(
    new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [id] }] }),
  );
  assert.equal(byInstance.Volumes.length, 2, 'the root volume and the new one');
  await ec2.send(new DetachVolumeCommand({ VolumeId: vol.VolumeId }));
  await waitUntilVolumeAvailable(wait, { VolumeIds: [vol.VolumeId] });
  await ec2.send(new DeleteVolumeCommand({ VolumeId: vol.VolumeId }));
  await expectEc2Error(ec2.send(new DescribeVolumesCommand({ VolumeIds: [vol.VolumeId] })), {
    code: 'InvalidVolume.NotFound',
    message: `The volume '${vol.VolumeId}' does not exist`,
  });
});
