// What Terraform's AWS provider does for aws_key_pair + aws_launch_template + aws_instance
// + aws_ebs_volume + aws_volume_attachment on apply, refresh and destroy
// (terraform-provider-aws internal/service/ec2: ec2_key_pair.go, ec2_launch_template.go,
// ec2_instance.go, ebs_volume.go, ebs_volume_attachment.go and their waiters), replayed
// call by call through the real SDK.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  AttachVolumeCommand,
  CreateLaunchTemplateCommand,
  CreateVolumeCommand,
  DeleteKeyPairCommand,
  DeleteLaunchTemplateCommand,
  DeleteVolumeCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstanceCreditSpecificationsCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeKeyPairsCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  ImportKeyPairCommand,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceTerminated,
  waitUntilVolumeAvailable,
  waitUntilVolumeDeleted,
  waitUntilVolumeInUse,
} from '@aws-sdk/client-ec2';
import { AMI, useServer } from './helpers.mjs';

const srv = useServer({ args: ['--transition-ms', '200'] });
const wait = { maxWaitTime: 20, minDelay: 1 };
const named = (type, name) => [{ ResourceType: type, Tags: [{ Key: 'Name', Value: name }] }];

function ed25519Line() {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const s = (b) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([s(Buffer.from('ssh-ed25519')), s(raw)]);
  return { line: `ssh-ed25519 ${blob.toString('base64')} tf@example`, blob };
}

/** The reads `terraform refresh` makes for the five resources. */
async function refresh(ec2, ids) {
  const keys = await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['deployer'], IncludePublicKey: true }));
  assert.equal(keys.KeyPairs[0].KeyPairId, ids.key);
  const lt = await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [ids.template] }));
  const latest = lt.LaunchTemplates[0].LatestVersionNumber;
  const versions = await ec2.send(new DescribeLaunchTemplateVersionsCommand({
    LaunchTemplateId: ids.template, Versions: [String(latest)],
  }));
  assert.equal(versions.LaunchTemplateVersions[0].LaunchTemplateData.InstanceType, 't3.micro');

  const i = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [ids.instance] }))).Reservations[0].Instances[0];
  assert.equal(i.State.Name, 'running');
  assert.equal(i.KeyName, 'deployer');
  // ec2_instance.go reads the template back from the instance's aws:ec2launchtemplate tags.
  const tags = Object.fromEntries(i.Tags.map((t) => [t.Key, t.Value]));
  assert.equal(tags['aws:ec2launchtemplate:id'], ids.template);
  assert.equal(tags['aws:ec2launchtemplate:version'], '1');
  const type = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: [i.InstanceType] }));
  assert.equal(type.InstanceTypes[0].InstanceType, 't3.micro');
  for (const Attribute of ['disableApiTermination', 'disableApiStop', 'instanceInitiatedShutdownBehavior', 'userData']) {
    await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: ids.instance, Attribute }));
  }
  const termination = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: ids.instance, Attribute: 'disableApiTermination' }));
  assert.equal(termination.DisableApiTermination.Value, true, 'from the template');
  const credits = await ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [ids.instance] }));
  assert.equal(credits.InstanceCreditSpecifications[0].CpuCredits, 'unlimited');
  const root = i.BlockDeviceMappings.find((b) => b.DeviceName === i.RootDeviceName).Ebs.VolumeId;
  const rootVol = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [root] }))).Volumes[0];
  assert.equal(rootVol.Size, 16, 'the template resized the root volume');
  assert.equal(rootVol.Encrypted, true);

  const data = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [ids.volume] }))).Volumes[0];
  assert.equal(data.Size, 10);
  // ebs_volume_attachment.go finds the attachment by volume id, instance id and device.
  const attached = await ec2.send(new DescribeVolumesCommand({
    VolumeIds: [ids.volume],
    Filters: [
      { Name: 'attachment.device', Values: ['/dev/sdh'] },
      { Name: 'attachment.instance-id', Values: [ids.instance] },
    ],
  }));
  assert.equal(attached.Volumes[0].Attachments[0].State, 'attached');
}

test('terraform apply, refresh and destroy of an instance from a launch template with a data volume', async () => {
  const { ec2 } = srv;
  // --- apply ---------------------------------------------------------------------------
  const { line, blob } = ed25519Line();
  const key = await ec2.send(new ImportKeyPairCommand({
    KeyName: 'deployer', PublicKeyMaterial: Buffer.from(line), TagSpecifications: named('key-pair', 'deployer'),
  }));
  assert.equal(key.KeyFingerprint, createHash('sha256').update(blob).digest('base64'));

  const lt = await ec2.send(new CreateLaunchTemplateCommand({
    ClientToken: 'terraform-20261202000000000000000001',
    LaunchTemplateName: 'web',
    LaunchTemplateData: {
      ImageId: AMI,
      InstanceType: 't3.micro',
      KeyName: 'deployer',
      DisableApiTermination: true,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 16, VolumeType: 'gp3', Encrypted: true } }],
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
      TagSpecifications: named('instance', 'web'),
    },
    TagSpecifications: named('launch-template', 'web'),
  }));
  const template = lt.LaunchTemplate.LaunchTemplateId;
  await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [template] }));
  await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template, Versions: ['1'] }));

  const run = await ec2.send(new RunInstancesCommand({
    MinCount: 1, MaxCount: 1,
    LaunchTemplate: { LaunchTemplateId: template, Version: '$Default' },
    TagSpecifications: named('volume', 'web-root'),
  }));
  const instance = run.Instances[0].InstanceId;
  await waitUntilInstanceRunning({ client: ec2, ...wait }, { InstanceIds: [instance] });
  const az = run.Instances[0].Placement.AvailabilityZone;

  const vol = await ec2.send(new CreateVolumeCommand({
    AvailabilityZone: az, Size: 10, VolumeType: 'gp3', TagSpecifications: named('volume', 'data'),
  }));
  await waitUntilVolumeAvailable({ client: ec2, ...wait }, { VolumeIds: [vol.VolumeId] });
  await ec2.send(new AttachVolumeCommand({ Device: '/dev/sdh', InstanceId: instance, VolumeId: vol.VolumeId }));
  await waitUntilVolumeInUse({ client: ec2, ...wait }, { VolumeIds: [vol.VolumeId] });

  const ids = { key: key.KeyPairId, template, instance, volume: vol.VolumeId };
  // --- refresh (twice: a plan right after apply, and a later one) ------------------------
  await refresh(ec2, ids);
  await refresh(ec2, ids);

  // --- destroy, in reverse dependency order ----------------------------------------------
  await ec2.send(new DetachVolumeCommand({ Device: '/dev/sdh', InstanceId: instance, VolumeId: vol.VolumeId }));
  await waitUntilVolumeAvailable({ client: ec2, ...wait }, { VolumeIds: [vol.VolumeId] });
  await ec2.send(new DeleteVolumeCommand({ VolumeId: vol.VolumeId }));
  await waitUntilVolumeDeleted({ client: ec2, ...wait }, { VolumeIds: [vol.VolumeId] });

  // The template turned termination protection on: the provider turns it off first.
  await assert.rejects(ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance] })), { name: 'OperationNotPermitted' });
  await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instance, DisableApiTermination: { Value: false } }));
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance] }));
  await waitUntilInstanceTerminated({ client: ec2, ...wait }, { InstanceIds: [instance] });

  const deleted = await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: template }));
  assert.equal(deleted.LaunchTemplate.LaunchTemplateName, 'web');
  await ec2.send(new DeleteKeyPairCommand({ KeyName: 'deployer' }));

  // Nothing is left but what the account started with.
  assert.deepEqual((await ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates, []);
  assert.deepEqual((await ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs, []);
  const volumes = await ec2.send(new DescribeVolumesCommand({}));
  assert.ok(volumes.Volumes.every((v) => v.State !== 'in-use' || v.Attachments[0].InstanceId !== instance));
});
