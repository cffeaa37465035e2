// DescribeInstanceTypes and DescribeInstanceTypeOfferings through the real SDK, over the
// catalog dumped from EC2 (src/data/INSTANCE-TYPES.md), and RunInstances reading it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  EC2Client,
  DescribeInstancesCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  paginateDescribeInstanceTypeOfferings,
  paginateDescribeInstanceTypes,
} from '@aws-sdk/client-ec2';
import { AMI, AMI_ARM, expectEc2Error, useServer } from './helpers.mjs';

const srv = useServer({ args: ['--transition-ms', '300'] });

test('DescribeInstanceTypes shows EC2\'s facts for a type', async () => {
  const { ec2 } = srv;
  const out = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.micro', 'm7g.large'] }));
  const [m7g, t3] = out.InstanceTypes;
  assert.equal(t3.InstanceType, 't3.micro');
  assert.deepEqual(t3.VCpuInfo.DefaultVCpus, 2);
  assert.equal(t3.MemoryInfo.SizeInMiB, 1024);
  assert.equal(t3.BurstablePerformanceSupported, true);
  assert.equal(t3.Hypervisor, 'nitro');
  assert.deepEqual(t3.ProcessorInfo.SupportedArchitectures, ['x86_64']);
  assert.equal(typeof t3.NetworkInfo.NetworkPerformance, 'string');
  assert.equal(t3.EbsInfo.EbsOptimizedSupport, 'default');
  assert.equal(m7g.InstanceType, 'm7g.large');
  assert.deepEqual(m7g.ProcessorInfo.SupportedArchitectures, ['arm64']);
  assert.equal(m7g.VCpuInfo.DefaultThreadsPerCore, 1);
  assert.deepEqual(m7g.SupportedBootModes, ['uefi']);
  // AWS-raw (scylladb/scylla-cluster-tests#12419).
  await expectEc2Error(ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.micro', 't3.mega'] })), {
    code: 'InvalidInstanceType', message: 'The following supplied instance types do not exist: [t3.mega]',
  });
});

test('DescribeInstanceTypes filters and pages through the whole catalog', async () => {
  const { ec2 } = srv;
  const graviton = [];
  for await (const page of paginateDescribeInstanceTypes({ client: ec2, pageSize: 100 }, {
    Filters: [
      { Name: 'processor-info.supported-architecture', Values: ['arm64'] },
      { Name: 'burstable-performance-supported', Values: ['true'] },
    ],
  })) {
    graviton.push(...page.InstanceTypes.map((t) => t.InstanceType));
  }
  assert.deepEqual(graviton.sort(), ['t4g.2xlarge', 't4g.large', 't4g.medium', 't4g.micro', 't4g.nano', 't4g.small', 't4g.xlarge']);
  const big = await ec2.send(new DescribeInstanceTypesCommand({
    Filters: [{ Name: 'instance-type', Values: ['m5.*'] }, { Name: 'vcpu-info.default-vcpus', Values: ['96'] }],
  }));
  assert.deepEqual(big.InstanceTypes.map((t) => t.InstanceType).sort(), ['m5.24xlarge', 'm5.metal']);
  let count = 0;
  let pages = 0;
  for await (const page of paginateDescribeInstanceTypes({ client: ec2 }, {})) {
    pages += 1;
    assert.ok(page.InstanceTypes.length <= 100, 'EC2 answers 100 at a time');
    count += page.InstanceTypes.length;
  }
  assert.ok(count > 900 && pages >= 10, `${count} types in ${pages} pages`);
  await expectEc2Error(ec2.send(new DescribeInstanceTypesCommand({ Filters: [{ Name: 'vcpus', Values: ['2'] }] })), {
    code: 'InvalidParameterValue', message: "The filter 'vcpus' is invalid",
  });
});

test('DescribeInstanceTypeOfferings by region, zone and zone id', async () => {
  const { ec2 } = srv;
  const region = await ec2.send(new DescribeInstanceTypeOfferingsCommand({
    Filters: [{ Name: 'instance-type', Values: ['t3.micro'] }],
  }));
  assert.deepEqual(region.InstanceTypeOfferings, [{ InstanceType: 't3.micro', LocationType: 'region', Location: 'us-east-1' }]);
  const zones = await ec2.send(new DescribeInstanceTypeOfferingsCommand({
    LocationType: 'availability-zone', Filters: [{ Name: 'instance-type', Values: ['t3.micro'] }],
  }));
  // us-east-1e (use1-az3) is the zone that lacks current types.
  assert.deepEqual(zones.InstanceTypeOfferings.map((o) => o.Location), ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1f']);
  const ids = await ec2.send(new DescribeInstanceTypeOfferingsCommand({
    LocationType: 'availability-zone-id', Filters: [{ Name: 'location', Values: ['use1-az3'] }],
  }));
  assert.ok(ids.InstanceTypeOfferings.length > 10 && ids.InstanceTypeOfferings.length < 200);
  assert.ok(ids.InstanceTypeOfferings.every((o) => o.LocationType === 'availability-zone-id' && o.Location === 'use1-az3'));
  let n = 0;
  for await (const page of paginateDescribeInstanceTypeOfferings({ client: ec2, pageSize: 500 }, {})) {
    assert.ok(page.InstanceTypeOfferings.length <= 500);
    n += page.InstanceTypeOfferings.length;
  }
  assert.ok(n > 900, `${n} offerings`);
});

test('RunInstances reads the catalog: architecture, zone offering, region offering', async () => {
  const { ec2 } = srv;
  await expectEc2Error(ec2.send(new RunInstancesCommand({ ImageId: AMI_ARM, InstanceType: 'm5.large', MinCount: 1, MaxCount: 1 })), {
    code: 'InvalidParameterValue', message: /The architecture 'x86_64' of the specified instance type does not match the architecture 'arm64'/,
  });
  // AWS-raw (ned1313/Getting-Started-Terraform#44).
  await expectEc2Error(ec2.send(new RunInstancesCommand({
    ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'us-east-1e' },
  })), {
    code: 'Unsupported',
    message: 'Your requested instance type (t3.micro) is not supported in your requested Availability Zone (us-east-1e). '
      + 'Please retry your request by not specifying an Availability Zone or choosing us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1f.',
  });
  const ok = await ec2.send(new RunInstancesCommand({ ImageId: AMI_ARM, InstanceType: 'c7g.medium', MinCount: 1, MaxCount: 1 }));
  assert.equal(ok.Instances[0].CpuOptions.CoreCount, 1);
  assert.equal(ok.Instances[0].CpuOptions.ThreadsPerCore, 1);
  // A type a newer Region does not offer (eu-north-1 opened without T2): EC2's generic
  // refusal (hashicorp/terraform-provider-aws#9113).
  const west = new EC2Client({
    endpoint: srv.endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'parlel', secretAccessKey: 'parlel' },
  });
  const offered = await west.send(new DescribeInstanceTypeOfferingsCommand({ Filters: [{ Name: 'instance-type', Values: ['t2.micro'] }] }));
  assert.deepEqual(offered.InstanceTypeOfferings, []);
  await expectEc2Error(west.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't2.micro', MinCount: 1, MaxCount: 1 })), {
    code: 'Unsupported', message: 'The requested configuration is currently not supported. Please check the documentation for supported configurations.',
  });
});

test('hibernation needs a type that supports it and an encrypted root; StopInstances then hibernates', async () => {
  const { ec2 } = srv;
  const root = (Encrypted) => [{ DeviceName: '/dev/xvda', Ebs: { Encrypted, VolumeSize: 16 } }];
  const base = { ImageId: AMI, MinCount: 1, MaxCount: 1, HibernationOptions: { Configured: true } };
  // AWS-raw (apache/airflow#35790).
  await expectEc2Error(ec2.send(new RunInstancesCommand({ ...base, InstanceType: 'm5.large', BlockDeviceMappings: root(false) })), {
    code: 'UnsupportedHibernationConfiguration', message: 'For hibernation, the root device volume must be encrypted.',
  });
  // The catalog says m5.metal cannot hibernate (bare metal is excluded in the prerequisites).
  await expectEc2Error(ec2.send(new RunInstancesCommand({ ...base, InstanceType: 'm5.metal', BlockDeviceMappings: root(true) })), {
    code: 'UnsupportedHibernationConfiguration', message: /m5.metal/,
  });
  const run = await ec2.send(new RunInstancesCommand({ ...base, InstanceType: 'm5.large', BlockDeviceMappings: root(true) }));
  const id = run.Instances[0].InstanceId;
  assert.deepEqual(run.Instances[0].HibernationOptions, { Configured: true });
  const [plain] = (await ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 'm5.large', MinCount: 1, MaxCount: 1 }))).Instances;
  assert.deepEqual(plain.HibernationOptions, { Configured: false });
  await new Promise((r) => setTimeout(r, 400));
  // AWS-raw (aws-solutions/instance-scheduler-on-aws#510).
  await expectEc2Error(ec2.send(new StopInstancesCommand({ InstanceIds: [plain.InstanceId], Hibernate: true })), {
    code: 'UnsupportedHibernationConfiguration',
    message: `The instance can't be hibernated because it was not configured at launch for hibernation: ${plain.InstanceId}`,
  });
  await ec2.send(new StopInstancesCommand({ InstanceIds: [id], Hibernate: true }));
  const i = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations[0].Instances[0];
  assert.equal(i.StateReason.Code, 'Client.UserInitiatedHibernate');
});
