// Launch templates through the real SDK: create, versions ($Latest / $Default, SourceVersion
// merges), describe with filters and paging, modify, delete, GetLaunchTemplateData, and
// RunInstances from a template (src/handlers/launch_templates/).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DeleteLaunchTemplateCommand,
  DeleteLaunchTemplateVersionsCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  GetLaunchTemplateDataCommand,
  ModifyLaunchTemplateCommand,
  RunInstancesCommand,
  paginateDescribeLaunchTemplates,
} from '@aws-sdk/client-ec2';
import { AMI, AMI_ARM, expectDryRun, expectEc2Error, launch, useServer } from './helpers.mjs';

const srv = useServer();

const userData = Buffer.from('#!/bin/sh\necho hi\n').toString('base64');

async function template(ec2, name, data = {}) {
  const out = await ec2.send(new CreateLaunchTemplateCommand({
    LaunchTemplateName: name,
    VersionDescription: 'first',
    LaunchTemplateData: { ImageId: AMI, InstanceType: 't3.micro', UserData: userData, ...data },
    TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'team', Value: 'web' }] }],
  }));
  return out.LaunchTemplate;
}

test('CreateLaunchTemplate answers version 1 as default and latest; names are unique', async () => {
  const { ec2 } = srv;
  const lt = await template(ec2, 'web-servers');
  assert.match(lt.LaunchTemplateId, /^lt-[0-9a-f]{17}$/);
  assert.equal(lt.LaunchTemplateName, 'web-servers');
  assert.equal(lt.DefaultVersionNumber, 1);
  assert.equal(lt.LatestVersionNumber, 1);
  assert.match(lt.CreatedBy, /^arn:aws:iam::\d{12}:root$/);
  assert.deepEqual(lt.Tags, [{ Key: 'team', Value: 'web' }]);
  // AWS-raw: "Launch template name already in use." (terraform-aws-github-runner#1382).
  await expectEc2Error(template(ec2, 'web-servers'), {
    code: 'InvalidLaunchTemplateName.AlreadyExistsException', message: 'Launch template name already in use.',
  });
  await expectEc2Error(template(ec2, 'no spaces allowed'), {
    code: 'InvalidLaunchTemplateName.MalformedException', message: /between 3 and 128 characters/,
  });
  await expectDryRun(ec2, new CreateLaunchTemplateCommand({ DryRun: true, LaunchTemplateName: 'dry', LaunchTemplateData: { ImageId: AMI } }));
  const all = await ec2.send(new DescribeLaunchTemplatesCommand({}));
  assert.deepEqual(all.LaunchTemplates.map((t) => t.LaunchTemplateName), ['web-servers']);
});

test('versions: SourceVersion merges, $Latest and $Default resolve, ModifyLaunchTemplate moves the default', async () => {
  const { ec2 } = srv;
  const lt = await template(ec2, 'app');
  const v2 = (await ec2.send(new CreateLaunchTemplateVersionCommand({
    LaunchTemplateId: lt.LaunchTemplateId, SourceVersion: '1', VersionDescription: 'bigger',
    LaunchTemplateData: { InstanceType: 'm5.large' },
  }))).LaunchTemplateVersion;
  assert.equal(v2.VersionNumber, 2);
  assert.equal(v2.DefaultVersion, false);
  // The source's members it did not give are kept (SourceVersion, API reference).
  assert.equal(v2.LaunchTemplateData.ImageId, AMI);
  assert.equal(v2.LaunchTemplateData.UserData, userData);
  assert.equal(v2.LaunchTemplateData.InstanceType, 'm5.large');
  const v3 = (await ec2.send(new CreateLaunchTemplateVersionCommand({
    LaunchTemplateName: 'app', LaunchTemplateData: { ImageId: AMI_ARM },
  }))).LaunchTemplateVersion;
  assert.equal(v3.LaunchTemplateData.InstanceType, undefined, 'no SourceVersion: nothing inherited');
  const pick = async (Versions) => (await ec2.send(new DescribeLaunchTemplateVersionsCommand({
    LaunchTemplateId: lt.LaunchTemplateId, Versions,
  }))).LaunchTemplateVersions.map((v) => v.VersionNumber);
  assert.deepEqual(await pick(['$Latest']), [3]);
  assert.deepEqual(await pick(['$Default']), [1]);
  assert.deepEqual(await pick(undefined), [1, 2, 3]);
  const range = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'app', MinVersion: '2', MaxVersion: '3' }));
  assert.deepEqual(range.LaunchTemplateVersions.map((v) => v.VersionNumber), [2, 3]);
  const filtered = await ec2.send(new DescribeLaunchTemplateVersionsCommand({
    LaunchTemplateName: 'app', Filters: [{ Name: 'instance-type', Values: ['m5.large'] }],
  }));
  assert.deepEqual(filtered.LaunchTemplateVersions.map((v) => v.VersionNumber), [2]);
  const modified = await ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: lt.LaunchTemplateId, DefaultVersion: '2' }));
  assert.equal(modified.LaunchTemplate.DefaultVersionNumber, 2);
  assert.equal(modified.LaunchTemplate.LatestVersionNumber, 3);
  const isDefault = await ec2.send(new DescribeLaunchTemplateVersionsCommand({
    LaunchTemplateName: 'app', Filters: [{ Name: 'is-default-version', Values: ['true'] }],
  }));
  assert.deepEqual(isDefault.LaunchTemplateVersions.map((v) => v.VersionNumber), [2]);
  // AWS-raw wording (eksctl-io/eksctl#7786).
  await expectEc2Error(ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: lt.LaunchTemplateId, DefaultVersion: '9' })), {
    code: 'InvalidLaunchTemplateId.VersionNotFound',
    message: `Could not find the specified version 9 for the launch template with ID ${lt.LaunchTemplateId}.`,
  });
  // All templates' $Latest versions at once.
  const latest = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ Versions: ['$Latest'] }));
  assert.deepEqual(latest.LaunchTemplateVersions.map((v) => v.VersionNumber), [3]);
});

test('unknown templates are NotFound by id and by name', async () => {
  const { ec2 } = srv;
  // AWS-raw (getmoto/moto#5477 quotes the CLI; cartography#1519 quotes botocore).
  await expectEc2Error(ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'timski' })), {
    code: 'InvalidLaunchTemplateName.NotFoundException',
    message: 'The specified launch template, with template name timski, does not exist.',
  });
  await expectEc2Error(ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['timski'] })), {
    code: 'InvalidLaunchTemplateName.NotFoundException', message: /timski/,
  });
  await expectEc2Error(ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: 'lt-0123456789abcdef0' })), {
    code: 'InvalidLaunchTemplateId.NotFound',
    message: 'The specified launch template, with template ID lt-0123456789abcdef0, does not exist.',
  });
  await expectEc2Error(ec2.send(new RunInstancesCommand({
    MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'timski' },
  })), { code: 'InvalidLaunchTemplateName.NotFoundException', message: /timski/ });
});

test('DeleteLaunchTemplateVersions keeps the default version; DeleteLaunchTemplate removes the rest', async () => {
  const { ec2 } = srv;
  const lt = await template(ec2, 'versions');
  for (let i = 0; i < 2; i++) {
    await ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: lt.LaunchTemplateId, LaunchTemplateData: { ImageId: AMI } }));
  }
  const out = await ec2.send(new DeleteLaunchTemplateVersionsCommand({ LaunchTemplateId: lt.LaunchTemplateId, Versions: ['1', '3', '7'] }));
  assert.deepEqual(out.SuccessfullyDeletedLaunchTemplateVersions.map((v) => v.VersionNumber), [3]);
  assert.deepEqual(out.UnsuccessfullyDeletedLaunchTemplateVersions.map((v) => [v.VersionNumber, v.ResponseError.Code]), [
    [1, 'unexpectedError'], [7, 'launchTemplateVersionDoesNotExist'],
  ]);
  const left = await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [lt.LaunchTemplateId] }));
  assert.equal(left.LaunchTemplates[0].LatestVersionNumber, 2);
  const gone = await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: 'versions' }));
  assert.equal(gone.LaunchTemplate.LaunchTemplateId, lt.LaunchTemplateId);
  assert.deepEqual((await ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates, []);
  // The name is free again.
  await template(ec2, 'versions');
});

test('DescribeLaunchTemplates pages and filters by name and tag', async () => {
  const { ec2 } = srv;
  for (const n of ['lt-a', 'lt-b', 'lt-c', 'lt-d', 'lt-e', 'lt-f']) await template(ec2, n);
  const names = [];
  for await (const page of paginateDescribeLaunchTemplates({ client: ec2, pageSize: 5 }, {})) {
    assert.ok(page.LaunchTemplates.length <= 5);
    names.push(...page.LaunchTemplates.map((t) => t.LaunchTemplateName));
  }
  assert.deepEqual(names.sort(), ['lt-a', 'lt-b', 'lt-c', 'lt-d', 'lt-e', 'lt-f']);
  const byName = await ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'launch-template-name', Values: ['lt-[ab]*', 'lt-c'] }] }));
  assert.deepEqual(byName.LaunchTemplates.map((t) => t.LaunchTemplateName).sort(), ['lt-c']);
  const byTag = await ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'tag:team', Values: ['web'] }] }));
  assert.equal(byTag.LaunchTemplates.length, 6);
});

test('RunInstances from a template: its data, explicit overrides, and the aws:ec2launchtemplate tags', async () => {
  const { ec2 } = srv;
  const lt = await template(ec2, 'fleet', {
    TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'role', Value: 'worker' }, { Key: 'env', Value: 'dev' }] }],
    MetadataOptions: { HttpTokens: 'required' },
  });
  await ec2.send(new CreateLaunchTemplateVersionCommand({
    LaunchTemplateId: lt.LaunchTemplateId, SourceVersion: '$Latest', LaunchTemplateData: { InstanceType: 't3.small' },
  }));
  const run = await ec2.send(new RunInstancesCommand({
    MinCount: 1, MaxCount: 1,
    LaunchTemplate: { LaunchTemplateName: 'fleet', Version: '$Latest' },
    InstanceType: 't3.medium',
    TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'env', Value: 'test' }] }],
  }));
  const i = run.Instances[0];
  assert.equal(i.ImageId, AMI);
  assert.equal(i.InstanceType, 't3.medium', 'the explicit parameter overrides the template');
  const d = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [i.InstanceId] }))).Reservations[0].Instances[0];
  assert.equal(d.MetadataOptions.HttpTokens, 'required');
  const tags = Object.fromEntries(d.Tags.map((t) => [t.Key, t.Value]));
  assert.deepEqual(tags, {
    'aws:ec2launchtemplate:id': lt.LaunchTemplateId,
    'aws:ec2launchtemplate:version': '2',
    env: 'test',
    role: 'worker',
  });
  // Without a Version the default version (1) launches.
  const byDefault = await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplateId } }));
  assert.equal(byDefault.Instances[0].InstanceType, 't3.micro');
  await expectEc2Error(ec2.send(new RunInstancesCommand({
    MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplateId, Version: '5' },
  })), { code: 'InvalidLaunchTemplateId.VersionNotFound', message: /version 5/ });
});

test('GetLaunchTemplateData gives an instance back as template data that launches again', async () => {
  const { ec2 } = srv;
  const [id] = await launch(ec2, { InstanceType: 't3.small', UserData: userData });
  const data = (await ec2.send(new GetLaunchTemplateDataCommand({ InstanceId: id }))).LaunchTemplateData;
  assert.equal(data.ImageId, AMI);
  assert.equal(data.InstanceType, 't3.small');
  assert.equal(data.UserData, userData);
  assert.equal(data.BlockDeviceMappings[0].DeviceName, '/dev/xvda');
  assert.equal(data.BlockDeviceMappings[0].Ebs.DeleteOnTermination, true);
  assert.equal(data.NetworkInterfaces[0].DeviceIndex, 0);
  assert.match(data.NetworkInterfaces[0].Groups[0], /^sg-/);
  assert.equal(data.Placement.Tenancy, 'default');
  assert.deepEqual(data.CreditSpecification, { CpuCredits: 'unlimited' });
  // Saved as a template (without the interface id, which names the running instance's).
  delete data.NetworkInterfaces;
  const lt = (await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'copy', LaunchTemplateData: data }))).LaunchTemplate;
  const again = await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplateId } }));
  assert.equal(again.Instances[0].InstanceType, 't3.small');
  await expectEc2Error(ec2.send(new GetLaunchTemplateDataCommand({ InstanceId: 'i-0123456789abcdef0' })), {
    code: 'InvalidInstanceID.NotFound', message: /i-0123456789abcdef0/,
  });
});

// ModifyLaunchTemplate's ClientToken (EC2 "Ensure idempotency"): a retry answers without
// setting the default again; other arguments with the token are IdempotentParameterMismatch.
test('ModifyLaunchTemplate honours its ClientToken', async () => {
  const { ec2 } = srv;
  const lt = await template(ec2, 'tokened');
  const id = lt.LaunchTemplateId;
  for (const _ of [1, 2]) {
    await ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, LaunchTemplateData: { InstanceType: 't3.small' } }));
  }
  const modify = (DefaultVersion, ClientToken) => ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion, ClientToken }));
  assert.equal((await modify('2', 'lt-mod-1')).LaunchTemplate.DefaultVersionNumber, 2);
  await modify('3');
  assert.equal((await modify('2', 'lt-mod-1')).LaunchTemplate.DefaultVersionNumber, 3, 'the retry changed nothing');
  await expectEc2Error(modify('1', 'lt-mod-1'), { code: 'IdempotentParameterMismatch' });
});
