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
  ModifyVolumeCommand,
  StopInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
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

// Rules and sources in src/handlers/volumes.rs (check_performance) and volume_changes.rs.
test('IOPS and throughput limits, ClientToken, one modification at a time', async () => {
  const { ec2 } = srv;
  const az = 'us-east-1a';
  // AWS-raw (velero-io/velero-plugin-for-aws#119).
  await expectEc2Error(ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 100, VolumeType: 'io2' })), {
    code: 'InvalidParameterCombination',
    message: 'The parameter iops must be specified for io2 volumes.',
  });
  // AWS-raw (kubernetes-retired/kube-aws#1208).
  await expectEc2Error(ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 30, VolumeType: 'gp2', Iops: 0 })), {
    code: 'InvalidParameterCombination',
    message: 'The parameter iops is not supported for gp2 volumes.',
  });
  // AWS-raw (rocicorp/mono#4410).
  await expectEc2Error(ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 20, VolumeType: 'gp3', Iops: 15000 })), {
    code: 'InvalidParameterValue',
    message: 'Iops to volume size ratio of 750.000000 is too high; maximum is 500',
  });
  // Unverified wording (fog-aws's mock); gp3 goes to 80,000 IOPS.
  await expectEc2Error(ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 1000, VolumeType: 'gp3', Iops: 999999 })), {
    code: 'InvalidParameterValue',
    message: 'Volume iops of 999999 is too high; maximum is 80000.',
  });
  // AWS-raw (runs-on/runs-on#260, #426).
  await expectEc2Error(ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 100, VolumeType: 'gp3', Throughput: 1000 })), {
    code: 'InvalidParameterValue',
    message: 'Throughput (MiBps) to iops ratio of 0.333333 is too high; maximum is 0.250000 MiBps per iops',
  });
  await expectEc2Error(ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 100, VolumeType: 'io1', Iops: 1000, Throughput: 200 })), {
    code: 'InvalidParameterCombination',
    message: 'throughput can only be specified for volumeType gp3.',
  });

  const args = { AvailabilityZone: az, Size: 8, VolumeType: 'gp3', ClientToken: 'vol-token-1' };
  const a = await ec2.send(new CreateVolumeCommand(args));
  const b = await ec2.send(new CreateVolumeCommand(args));
  assert.equal(b.VolumeId, a.VolumeId, 'the same token answers the same volume');
  await expectEc2Error(ec2.send(new CreateVolumeCommand({ ...args, Size: 9 })), { code: 'IdempotentParameterMismatch' });
  assert.equal((await ec2.send(new DescribeVolumesCommand({}))).Volumes.length, 1);

  await waitUntilVolumeAvailable({ client: ec2, maxWaitTime: 10, minDelay: 1 }, { VolumeIds: [a.VolumeId] });
  const m = await ec2.send(new ModifyVolumeCommand({ VolumeId: a.VolumeId, Size: 20 }));
  assert.equal(m.VolumeModification.ModificationState, 'modifying');
  // AWS-raw (sodafoundation/strato#1120).
  await expectEc2Error(ec2.send(new ModifyVolumeCommand({ VolumeId: a.VolumeId, Size: 30 })), {
    code: 'IncorrectModificationState',
    message: `Volume ${a.VolumeId} cannot be modified in modification state MODIFYING`,
  });
});

test('a creating volume does not attach; zones must match; the root volume of a running instance stays', async () => {
  const { ec2 } = srv;
  const wait = { client: ec2, maxWaitTime: 10, minDelay: 1 };
  const [id] = await launch(ec2);
  await waitUntilInstanceRunning(wait, { InstanceIds: [id] });
  const inst = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations[0].Instances[0];
  const az = inst.Placement.AvailabilityZone;
  const vol = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 8 }));
  // AWS-raw (jsmartin/raidformer#5).
  await expectEc2Error(ec2.send(new AttachVolumeCommand({ VolumeId: vol.VolumeId, InstanceId: id, Device: '/dev/sdf' })), {
    code: 'IncorrectState',
    message: `${vol.VolumeId} is not 'available'.`,
  });
  const otherAz = az === 'us-east-1a' ? 'us-east-1b' : 'us-east-1a';
  const far = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: otherAz, Size: 8 }));
  await waitUntilVolumeAvailable(wait, { VolumeIds: [far.VolumeId] });
  // The code is EC2's (AttachVolume API reference); the wording is Unverified.
  await expectEc2Error(ec2.send(new AttachVolumeCommand({ VolumeId: far.VolumeId, InstanceId: id, Device: '/dev/sdf' })), {
    code: 'InvalidVolume.ZoneMismatch',
  });
  const root = inst.BlockDeviceMappings.find((b) => b.DeviceName === inst.RootDeviceName).Ebs.VolumeId;
  // Unverified wording.
  await expectEc2Error(ec2.send(new DetachVolumeCommand({ VolumeId: root })), {
    code: 'OperationNotPermitted',
    message: `Unable to detach root volume '${root}' from instance '${id}'`,
  });
  await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
  await waitUntilInstanceStopped(wait, { InstanceIds: [id] });
  await ec2.send(new DetachVolumeCommand({ VolumeId: root }));
});
