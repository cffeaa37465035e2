// Instance status checks and volume modifications on the transition clock, through the
// real SDK and its waiters (instanceStatusOk, systemStatusOk); RebootInstances and
// Monitor/UnmonitorInstances. Rules in src/handlers/instances/status.rs and
// src/handlers/volume_changes.rs (issue #10).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateVolumeCommand,
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  DescribeVolumeAttributeCommand,
  DescribeVolumeStatusCommand,
  DescribeVolumesModificationsCommand,
  ModifyVolumeAttributeCommand,
  ModifyVolumeCommand,
  MonitorInstancesCommand,
  RebootInstancesCommand,
  StopInstancesCommand,
  UnmonitorInstancesCommand,
  waitUntilInstanceStatusOk,
  waitUntilSystemStatusOk,
} from '@aws-sdk/client-ec2';
import { expectEc2Error, launch, useServer } from './helpers.mjs';

const srv = useServer({ args: ['--transition-ms', '400'] });

test('status checks initialize then pass; reboot, monitoring', async () => {
  const { ec2 } = srv;
  const wait = { client: ec2, maxWaitTime: 15, minDelay: 1 };
  const [id] = await launch(ec2);
  const first = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id], IncludeAllInstances: true }));
  assert.equal(first.InstanceStatuses[0].InstanceStatus.Status, 'initializing');
  await waitUntilInstanceStatusOk(wait, { InstanceIds: [id] });
  await waitUntilSystemStatusOk(wait, { InstanceIds: [id] });
  const ok = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }));
  assert.deepEqual(ok.InstanceStatuses[0].InstanceStatus.Details, [{ Name: 'reachability', Status: 'passed' }]);
  await ec2.send(new RebootInstancesCommand({ InstanceIds: [id] }));
  const mon = await ec2.send(new MonitorInstancesCommand({ InstanceIds: [id] }));
  assert.equal(mon.InstanceMonitorings[0].Monitoring.State, 'pending');
  const d = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  assert.equal(d.Reservations[0].Instances[0].Monitoring.State, 'enabled');
  await ec2.send(new UnmonitorInstancesCommand({ InstanceIds: [id] }));
  await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
  const none = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }));
  assert.deepEqual(none.InstanceStatuses, [], 'only running instances without IncludeAllInstances');
  await expectEc2Error(ec2.send(new RebootInstancesCommand({ InstanceIds: [id] })), { code: 'IncorrectInstanceState' });
});

test('a volume grows, is optimized, completes; it cannot shrink', async () => {
  const { ec2 } = srv;
  const vol = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10, VolumeType: 'gp2' }));
  const m = await ec2.send(new ModifyVolumeCommand({ VolumeId: vol.VolumeId, Size: 20, VolumeType: 'gp3' }));
  assert.deepEqual(
    [m.VolumeModification.ModificationState, m.VolumeModification.OriginalSize, m.VolumeModification.TargetSize],
    ['modifying', 10, 20],
  );
  await new Promise((r) => setTimeout(r, 900));
  const done = await ec2.send(new DescribeVolumesModificationsCommand({ VolumeIds: [vol.VolumeId] }));
  assert.equal(done.VolumesModifications[0].ModificationState, 'completed');
  await expectEc2Error(ec2.send(new ModifyVolumeCommand({ VolumeId: vol.VolumeId, Size: 5 })), { code: 'InvalidParameterValue' });
  const st = await ec2.send(new DescribeVolumeStatusCommand({ VolumeIds: [vol.VolumeId] }));
  assert.equal(st.VolumeStatuses[0].VolumeStatus.Status, 'ok');
  await ec2.send(new ModifyVolumeAttributeCommand({ VolumeId: vol.VolumeId, AutoEnableIO: { Value: true } }));
  const attr = await ec2.send(new DescribeVolumeAttributeCommand({ VolumeId: vol.VolumeId, Attribute: 'autoEnableIO' }));
  assert.equal(attr.AutoEnableIO.Value, true);
});
