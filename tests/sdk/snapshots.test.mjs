// EBS snapshots through the real SDK and its snapshotCompleted waiter: create, restore,
// copy, share, delete (src/handlers/snapshots.rs; DescribeSnapshots, CopySnapshot and
// ModifySnapshotAttribute API references).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DescribeImagesCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  ModifySnapshotAttributeCommand,
  waitUntilSnapshotCompleted,
  waitUntilVolumeAvailable,
} from '@aws-sdk/client-ec2';
import { AMI, expectEc2Error, useServer } from './helpers.mjs';

const srv = useServer({ args: ['--transition-ms', '300'] });
const az = 'us-east-1a';

test('a snapshot goes pending -> completed, restores and copies', async () => {
  const { ec2 } = srv;
  const vol = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 20, Encrypted: true }));
  // A volume still creating has nothing to snapshot (IncorrectState; wording Unverified,
  // src/handlers/snapshots.rs).
  await expectEc2Error(ec2.send(new CreateSnapshotCommand({ VolumeId: vol.VolumeId })), {
    code: 'IncorrectState', message: `Volume '${vol.VolumeId}' is in the 'creating' state.`,
  });
  await waitUntilVolumeAvailable({ client: ec2, maxWaitTime: 10, minDelay: 1 }, { VolumeIds: [vol.VolumeId] });
  const snap = await ec2.send(new CreateSnapshotCommand({
    VolumeId: vol.VolumeId, Description: 'nightly',
    TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'Name', Value: 'n1' }] }],
  }));
  assert.match(snap.SnapshotId, /^snap-[0-9a-f]{17}$/);
  assert.equal(snap.State, 'pending');
  assert.equal(snap.VolumeSize, 20);
  assert.equal(snap.Encrypted, true);
  assert.deepEqual(snap.Tags, [{ Key: 'Name', Value: 'n1' }]);
  await expectEc2Error(ec2.send(new CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: snap.SnapshotId })), {
    code: 'IncorrectState', message: /not in the completed state/,
  });
  await waitUntilSnapshotCompleted({ client: ec2, maxWaitTime: 10, minDelay: 1 }, { SnapshotIds: [snap.SnapshotId] });
  const [done] = (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap.SnapshotId] }))).Snapshots;
  assert.equal(done.Progress, '100%');
  assert.match(done.OwnerId, /^\d{12}$/);

  const restored = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, SnapshotId: snap.SnapshotId }));
  assert.equal(restored.Size, 20);
  assert.equal(restored.Encrypted, true, 'restored from an encrypted snapshot');
  await expectEc2Error(ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, SnapshotId: snap.SnapshotId, Size: 10 })), {
    code: 'InvalidParameterValue', message: /smaller than snapshot/,
  });

  const copy = await ec2.send(new CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: snap.SnapshotId }));
  const mine = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
  assert.deepEqual(mine.Snapshots.map((s) => s.SnapshotId).sort(), [snap.SnapshotId, copy.SnapshotId].sort());
  const [c] = mine.Snapshots.filter((s) => s.SnapshotId === copy.SnapshotId);
  assert.equal(c.Description, `[Copied ${snap.SnapshotId} from us-east-1]`);
  const byTag = await ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'tag:Name', Values: ['n1'] }] }));
  assert.deepEqual(byTag.Snapshots.map((s) => s.SnapshotId), [snap.SnapshotId]);
});

test("the catalog's snapshots are public, Amazon's, and in use by their images", async () => {
  const { ec2 } = srv;
  const [image] = (await ec2.send(new DescribeImagesCommand({ ImageIds: [AMI] }))).Images;
  const snapId = image.BlockDeviceMappings[0].Ebs.SnapshotId;
  const amazon = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['amazon'], SnapshotIds: [snapId] }));
  assert.equal(amazon.Snapshots[0].OwnerAlias, 'amazon');
  assert.equal(amazon.Snapshots[0].State, 'completed');
  const self = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
  assert.deepEqual(self.Snapshots, []);
  await expectEc2Error(ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapId })), {
    code: 'InvalidSnapshot.InUse', message: `The snapshot ${snapId} is currently in use by an image`,
  });
  const vol = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, SnapshotId: snapId }));
  assert.equal(vol.Size, image.BlockDeviceMappings[0].Ebs.VolumeSize);
});

test('sharing through createVolumePermission; delete; unknown ids', async () => {
  const { ec2 } = srv;
  const vol = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 1 }));
  await waitUntilVolumeAvailable({ client: ec2, maxWaitTime: 10, minDelay: 1 }, { VolumeIds: [vol.VolumeId] });
  const { SnapshotId } = await ec2.send(new CreateSnapshotCommand({ VolumeId: vol.VolumeId }));
  await ec2.send(new ModifySnapshotAttributeCommand({
    SnapshotId, CreateVolumePermission: { Add: [{ UserId: '111122223333' }, { Group: 'all' }] },
  }));
  await ec2.send(new ModifySnapshotAttributeCommand({
    SnapshotId, Attribute: 'createVolumePermission', OperationType: 'remove', GroupNames: ['all'],
  }));
  const attr = await ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId, Attribute: 'createVolumePermission' }));
  assert.deepEqual(attr.CreateVolumePermissions, [{ UserId: '111122223333' }]);
  const shared = await ec2.send(new DescribeSnapshotsCommand({ RestorableByUserIds: ['111122223333'], OwnerIds: ['self'] }));
  assert.deepEqual(shared.Snapshots.map((s) => s.SnapshotId), [SnapshotId]);
  await ec2.send(new DeleteSnapshotCommand({ SnapshotId }));
  await expectEc2Error(ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [SnapshotId] })), {
    code: 'InvalidSnapshot.NotFound', message: `The snapshot '${SnapshotId}' does not exist.`,
  });
  await expectEc2Error(ec2.send(new CreateSnapshotCommand({ VolumeId: 'vol-0123456789abcdef0' })), {
    code: 'InvalidVolume.NotFound', message: "The volume 'vol-0123456789abcdef0' does not exist",
  });
  await expectEc2Error(ec2.send(new DeleteSnapshotCommand({ SnapshotId: 'snapx' })), {
    code: 'InvalidSnapshotID.Malformed', message: 'Invalid id: "snapx" (expecting "snap-...")',
  });
});
