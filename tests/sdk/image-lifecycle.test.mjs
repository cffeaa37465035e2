// The image lifecycle through the real SDK: CreateImage and the imageAvailable waiter,
// RegisterImage, CopyImage, attributes, deprecation, Enable/DisableImage,
// DeregisterImage, resolve:ssm, and a user catalog given with --images
// (src/handlers/images/, src/image_catalog.rs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CopyImageCommand,
  CreateImageCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DisableImageCommand,
  DisableImageDeprecationCommand,
  EnableImageCommand,
  EnableImageDeprecationCommand,
  ModifyImageAttributeCommand,
  RegisterImageCommand,
  ResetImageAttributeCommand,
  RunInstancesCommand,
  waitUntilImageAvailable,
  waitUntilSnapshotCompleted,
} from '@aws-sdk/client-ec2';
import { AMI, expectDryRun, expectEc2Error, launch, useServer } from './helpers.mjs';

// A user catalog as `aws ec2 describe-images --owners self` would dump it, minimal entries.
const dir = mkdtempSync(join(tmpdir(), 'parlel-images-'));
const catalog = join(dir, 'team.json');
writeFileSync(catalog, JSON.stringify({
  Images: [
    { ImageId: 'ami-0123456789abcdef0', Name: 'team-golden-2026-11', Architecture: 'x86_64' },
    { ImageId: 'ami-0fedcba9876543210', Name: 'team-arm', Architecture: 'arm64', Regions: ['eu-west-1'] },
  ],
}));

const srv = useServer({ args: ['--transition-ms', '300', '--images', catalog] });
const wait = { maxWaitTime: 10, minDelay: 1 };

test('an image from a user catalog is described and launches by id', async () => {
  const { ec2 } = srv;
  const d = await ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] }));
  assert.equal(d.Images[0].Name, 'team-golden-2026-11');
  assert.equal(d.Images[0].State, 'available');
  assert.equal(d.Images[0].RootDeviceName, '/dev/xvda');
  const [id] = await launch(ec2, { ImageId: 'ami-0123456789abcdef0' });
  const i = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations[0].Instances[0];
  assert.equal(i.ImageId, 'ami-0123456789abcdef0');
  assert.equal(i.PlatformDetails, 'Linux/UNIX');
  // The arm64 entry names eu-west-1 only.
  await expectEc2Error(ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0fedcba9876543210'] })), {
    code: 'InvalidAMIID.NotFound', message: "The image id '[ami-0fedcba9876543210]' does not exist",
  });
});

test('CreateImage → imageAvailable → launch; attributes; DeregisterImage', async () => {
  const { ec2 } = srv;
  const [instance] = await launch(ec2);
  await new Promise((r) => setTimeout(r, 350));
  await expectDryRun(ec2, new CreateImageCommand({ DryRun: true, InstanceId: instance, Name: 'web-v1' }));
  const { ImageId } = await ec2.send(new CreateImageCommand({
    InstanceId: instance, Name: 'web-v1', Description: 'web server', NoReboot: true,
    TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'app', Value: 'web' }] }],
  }));
  assert.match(ImageId, /^ami-[0-9a-f]{17}$/);
  const pending = (await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId] }))).Images[0];
  assert.equal(pending.State, 'pending');
  await waitUntilImageAvailable({ client: ec2, ...wait }, { ImageIds: [ImageId] });
  // The user catalog's minimal entries are the default account's too (README).
  const mine = await ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: ['web-*'] }] }));
  assert.deepEqual(mine.Images.map((i) => [i.ImageId, i.Name, i.Public, i.SourceInstanceId]), [[ImageId, 'web-v1', false, instance]]);
  assert.deepEqual(mine.Images[0].Tags, [{ Key: 'app', Value: 'web' }]);
  await expectEc2Error(ec2.send(new CreateImageCommand({ InstanceId: instance, Name: 'web-v1' })), {
    code: 'InvalidAMIName.Duplicate', message: `AMI name web-v1 is already in use by AMI ${ImageId}`,
  });
  const [again] = await launch(ec2, { ImageId });
  assert.match(again, /^i-/);

  const desc = await ec2.send(new DescribeImageAttributeCommand({ ImageId, Attribute: 'description' }));
  assert.equal(desc.Description.Value, 'web server');
  await ec2.send(new ModifyImageAttributeCommand({
    ImageId, LaunchPermission: { Add: [{ UserId: '111122223333' }, { Group: 'all' }] },
  }));
  const perms = await ec2.send(new DescribeImageAttributeCommand({ ImageId, Attribute: 'launchPermission' }));
  assert.deepEqual(perms.LaunchPermissions, [{ Group: 'all' }, { UserId: '111122223333' }]);
  assert.equal((await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId] }))).Images[0].Public, true);
  await ec2.send(new ResetImageAttributeCommand({ ImageId, Attribute: 'launchPermission' }));
  const reset = await ec2.send(new DescribeImageAttributeCommand({ ImageId, Attribute: 'launchPermission' }));
  assert.deepEqual(reset.LaunchPermissions, []);
  await expectEc2Error(ec2.send(new ModifyImageAttributeCommand({
    ImageId, LaunchPermission: { Add: [{ UserId: 'not-an-account' }] },
  })), { code: 'InvalidAMIAttributeItemValue', message: /not-an-account/ });

  const gone = await ec2.send(new DeregisterImageCommand({ ImageId, DeleteAssociatedSnapshots: true }));
  assert.equal(gone.Return, true);
  assert.equal(gone.DeleteSnapshotResults[0].ReturnCode, 'success');
  await expectEc2Error(ec2.send(new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' })), {
    code: 'InvalidAMIID.NotFound', message: `The image id '[${ImageId}]' does not exist`,
  });
});

test('RegisterImage from a snapshot; CopyImage; deprecation; Disable/EnableImage', async () => {
  const { ec2 } = srv;
  const vol = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8 }));
  await new Promise((r) => setTimeout(r, 350));
  const snap = await ec2.send(new CreateSnapshotCommand({ VolumeId: vol.VolumeId }));
  await waitUntilSnapshotCompleted({ client: ec2, ...wait }, { SnapshotIds: [snap.SnapshotId] });
  const mapping = [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snap.SnapshotId, VolumeType: 'gp3' } }];
  // AWS-raw wording (webdigi/AWS-AMI-Automated-Creation-Deletion#6).
  await expectEc2Error(ec2.send(new RegisterImageCommand({ Name: 'no;semicolons', RootDeviceName: '/dev/xvda', BlockDeviceMappings: mapping })), {
    code: 'InvalidAMIName.Malformed',
    message: "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'",
  });
  const reg = await ec2.send(new RegisterImageCommand({
    Name: 'registered', RootDeviceName: '/dev/xvda', BlockDeviceMappings: mapping,
    Architecture: 'x86_64', VirtualizationType: 'hvm', EnaSupport: true, BootMode: 'uefi', ImdsSupport: 'v2.0',
  }));
  await waitUntilImageAvailable({ client: ec2, ...wait }, { ImageIds: [reg.ImageId] });
  const r = (await ec2.send(new DescribeImagesCommand({ ImageIds: [reg.ImageId] }))).Images[0];
  assert.equal(r.BlockDeviceMappings[0].Ebs.SnapshotId, snap.SnapshotId);
  assert.equal(r.BootMode, 'uefi');
  assert.equal(r.ImdsSupport, 'v2.0');
  const [fromReg] = await launch(ec2, { ImageId: reg.ImageId });
  const inst = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [fromReg] }))).Reservations[0].Instances[0];
  assert.equal(inst.MetadataOptions.HttpTokens, 'required', 'imdsSupport v2.0 reaches the launch');

  const copy = await ec2.send(new CopyImageCommand({
    SourceImageId: AMI, SourceRegion: 'us-east-1', Name: 'al2023-copy', Encrypted: true,
  }));
  await waitUntilImageAvailable({ client: ec2, ...wait }, { ImageIds: [copy.ImageId] });
  const c = (await ec2.send(new DescribeImagesCommand({ ImageIds: [copy.ImageId] }))).Images[0];
  assert.equal(c.SourceImageId, AMI);
  assert.equal(c.SourceImageRegion, 'us-east-1');
  assert.equal(c.BlockDeviceMappings[0].Ebs.Encrypted, true);

  const at = new Date(Date.now() + 3600_000 + 1234);
  await ec2.send(new EnableImageDeprecationCommand({ ImageId: copy.ImageId, DeprecateAt: at }));
  const dep = (await ec2.send(new DescribeImagesCommand({ ImageIds: [copy.ImageId] }))).Images[0];
  assert.match(dep.DeprecationTime, /:00\.000Z$/);
  await ec2.send(new DisableImageDeprecationCommand({ ImageId: copy.ImageId }));
  assert.equal((await ec2.send(new DescribeImagesCommand({ ImageIds: [copy.ImageId] }))).Images[0].DeprecationTime, undefined);

  await ec2.send(new DisableImageCommand({ ImageId: copy.ImageId }));
  const listed = await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
  assert.ok(!listed.Images.some((i) => i.ImageId === copy.ImageId), 'disabled images need IncludeDisabled');
  const disabled = await ec2.send(new DescribeImagesCommand({ Owners: ['self'], IncludeDisabled: true }));
  assert.equal(disabled.Images.find((i) => i.ImageId === copy.ImageId).State, 'disabled');
  await expectEc2Error(ec2.send(new RunInstancesCommand({ ImageId: copy.ImageId, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' })), {
    code: 'InvalidAMIID.Unavailable', message: /disabled/,
  });
  await ec2.send(new EnableImageCommand({ ImageId: copy.ImageId }));
  await launch(ec2, { ImageId: copy.ImageId });
  // The catalog's images are Amazon's, not the account's (AWS-raw, cloudcaptainsh/cloudcaptain#66).
  await expectEc2Error(ec2.send(new DeregisterImageCommand({ ImageId: AMI })), {
    code: 'AuthFailure', status: 401, message: `Not authorized for image:${AMI}`,
  });
});

test('resolve:ssm: launches the image a public parameter names', async () => {
  const { ec2 } = srv;
  const run = await ec2.send(new RunInstancesCommand({
    ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
    InstanceType: 't3.micro', MinCount: 1, MaxCount: 1,
  }));
  assert.equal(run.Instances[0].ImageId, AMI);
  const win = await ec2.send(new RunInstancesCommand({
    ImageId: 'resolve:ssm:/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base',
    InstanceType: 't3.micro', MinCount: 1, MaxCount: 1,
  }));
  assert.equal(win.Instances[0].ImageId, 'ami-0873e57d051852355');
  assert.equal(win.Instances[0].Platform, 'windows');
  await expectEc2Error(ec2.send(new RunInstancesCommand({
    ImageId: 'resolve:ssm:/aws/service/no/such/parameter', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1,
  })), { code: 'InvalidParameterValue', message: /resolve:ssm:\/aws\/service\/no\/such\/parameter/ });
});
