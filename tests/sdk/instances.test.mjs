// RunInstances, DescribeInstances, Start/Stop/TerminateInstances through the real SDK:
// lifecycle, idempotency, tags at launch, filters, paging, and every error these raise.
//
// Sources: ec2-errors.md (rows named in each test), and the EC2 User Guide pages
// "Amazon EC2 instance state changes" (ec2-instance-lifecycle.html), "Public IPv4
// addresses" (using-instance-addressing.html#concepts-public-addresses), "Terminate
// Amazon EC2 instances" (terminating-instances.html) and "Ensuring idempotency in
// Amazon EC2 API requests" (ec2-api-idempotency.html).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateSecurityGroupCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
} from '@aws-sdk/client-ec2';
import { AMI, AMI_ARM, expectEc2Error, launch, useServer } from './helpers.mjs';

const srv = useServer();
const MISSING = 'i-0123456789abcdef0';
const MISSING2 = 'i-0fedcba9876543210';

async function describeOne(id) {
  const out = await srv.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  assert.equal(out.Reservations.length, 1);
  assert.equal(out.Reservations[0].Instances.length, 1);
  return out.Reservations[0].Instances[0];
}

describe('lifecycle (EC2 User Guide, "Amazon EC2 instance state changes")', () => {
  test('RunInstances answers pending (code 0); a later DescribeInstances shows running (16)', async () => {
    const run = await srv.ec2.send(
      new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }),
    );
    assert.match(run.ReservationId, /^r-[0-9a-f]{17}$/);
    const [i] = run.Instances;
    assert.match(i.InstanceId, /^i-[0-9a-f]{17}$/);
    assert.deepEqual(i.State, { Code: 0, Name: 'pending' });
    assert.equal(i.ImageId, AMI);
    assert.equal(i.InstanceType, 't3.micro');
    const d = await describeOne(i.InstanceId);
    assert.deepEqual(d.State, { Code: 16, Name: 'running' });
  });

  test('an instance launches into a default subnet of the default VPC with the default security group', async () => {
    const [id] = await launch(srv.ec2);
    const i = await describeOne(id);
    const { Vpcs } = await srv.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    assert.equal(i.VpcId, Vpcs[0].VpcId);
    const { Subnets } = await srv.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [i.SubnetId] }));
    assert.equal(Subnets[0].DefaultForAz, true);
    assert.equal(i.Placement.AvailabilityZone, Subnets[0].AvailabilityZone);
    assert.match(i.PrivateIpAddress, /^172\.31\./);
    const { SecurityGroups } = await srv.ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [i.VpcId] }, { Name: 'group-name', Values: ['default'] }] }),
    );
    assert.deepEqual(
      i.SecurityGroups.map((g) => g.GroupId),
      [SecurityGroups[0].GroupId],
    );
    assert.equal(i.SecurityGroups[0].GroupName, 'default');
  });

  test('SecurityGroupIds and SecurityGroups (names, default VPC) choose the groups instead of the default one', async () => {
    const { GroupId: web } = await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' }));
    const { GroupId: ssh } = await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'ssh', Description: 'ssh' }));
    const [byId] = await launch(srv.ec2, { SecurityGroupIds: [web, ssh] });
    assert.deepEqual((await describeOne(byId)).SecurityGroups.map((g) => g.GroupId).sort(), [web, ssh].sort());
    const [byName] = await launch(srv.ec2, { SecurityGroups: ['web'] });
    assert.deepEqual((await describeOne(byName)).SecurityGroups, [{ GroupId: web, GroupName: 'web' }]);
  });

  test('MinCount/MaxCount launch several instances in one reservation, AmiLaunchIndex 0..n-1', async () => {
    const run = await srv.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 3, MaxCount: 3 }));
    assert.equal(run.Instances.length, 3);
    assert.deepEqual(
      run.Instances.map((i) => i.AmiLaunchIndex),
      [0, 1, 2],
    );
    const out = await srv.ec2.send(new DescribeInstancesCommand({}));
    assert.equal(out.Reservations.length, 1);
    assert.equal(out.Reservations[0].ReservationId, run.ReservationId);
    assert.equal(out.Reservations[0].Instances.length, 3);
  });

  test('StopInstances answers stopping (64) then describe shows stopped (80); the public IPv4 address is released, the private one kept', async () => {
    const [id] = await launch(srv.ec2);
    const before = await describeOne(id);
    assert.ok(before.PublicIpAddress, 'a default subnet maps a public IP on launch');
    const stop = await srv.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(stop.StoppingInstances, [
      { InstanceId: id, PreviousState: { Code: 16, Name: 'running' }, CurrentState: { Code: 64, Name: 'stopping' } },
    ]);
    const after = await describeOne(id);
    assert.deepEqual(after.State, { Code: 80, Name: 'stopped' });
    assert.equal(after.PublicIpAddress, undefined, 'a stopped instance has no public IPv4 address');
    assert.equal(after.PrivateIpAddress, before.PrivateIpAddress);
    assert.equal(after.StateReason?.Code, 'Client.UserInitiatedShutdown');
    assert.match(after.StateTransitionReason, /^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
  });

  test('StartInstances on a stopped instance answers pending, then running with a new public IP', async () => {
    const [id] = await launch(srv.ec2);
    await srv.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await describeOne(id);
    const start = await srv.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(start.StartingInstances, [
      { InstanceId: id, PreviousState: { Code: 80, Name: 'stopped' }, CurrentState: { Code: 0, Name: 'pending' } },
    ]);
    const i = await describeOne(id);
    assert.deepEqual(i.State, { Code: 16, Name: 'running' });
    assert.ok(i.PublicIpAddress);
  });

  test('StartInstances on a running instance and StopInstances on a stopped one change nothing', async () => {
    const [id] = await launch(srv.ec2);
    const start = await srv.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(start.StartingInstances[0].PreviousState, { Code: 16, Name: 'running' });
    assert.deepEqual(start.StartingInstances[0].CurrentState, { Code: 16, Name: 'running' });
    await srv.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await describeOne(id);
    const again = await srv.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(again.StoppingInstances[0].PreviousState, { Code: 80, Name: 'stopped' });
    assert.deepEqual(again.StoppingInstances[0].CurrentState, { Code: 80, Name: 'stopped' });
  });

  test('TerminateInstances answers shutting-down (32); describe shows terminated (48) and the instance keeps its tags', async () => {
    const [id] = await launch(srv.ec2, {
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'doomed' }] }],
    });
    const term = await srv.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(term.TerminatingInstances, [
      { InstanceId: id, PreviousState: { Code: 16, Name: 'running' }, CurrentState: { Code: 32, Name: 'shutting-down' } },
    ]);
    const i = await describeOne(id);
    assert.deepEqual(i.State, { Code: 48, Name: 'terminated' });
    assert.deepEqual(i.Tags, [{ Key: 'Name', Value: 'doomed' }]);
    assert.equal(i.PublicIpAddress, undefined);
    // Terminating again is not an error: terminated -> terminated.
    const again = await srv.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(again.TerminatingInstances[0].CurrentState, { Code: 48, Name: 'terminated' });
  });

  test('a stopped instance can be terminated', async () => {
    const [id] = await launch(srv.ec2);
    await srv.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await describeOne(id);
    const term = await srv.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(term.TerminatingInstances[0].PreviousState, { Code: 80, Name: 'stopped' });
    assert.deepEqual(term.TerminatingInstances[0].CurrentState, { Code: 32, Name: 'shutting-down' });
  });
});

describe('ClientToken idempotency (EC2 User Guide, "Ensuring idempotency")', () => {
  test('a repeated RunInstances with the same ClientToken answers the same reservation and launches nothing new', async () => {
    const params = { ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ClientToken: 'token-abc-1' };
    const first = await srv.ec2.send(new RunInstancesCommand(params));
    const second = await srv.ec2.send(new RunInstancesCommand(params));
    assert.equal(second.ReservationId, first.ReservationId);
    assert.deepEqual(
      second.Instances.map((i) => i.InstanceId),
      first.Instances.map((i) => i.InstanceId),
    );
    const all = await srv.ec2.send(new DescribeInstancesCommand({}));
    assert.equal(all.Reservations.flatMap((r) => r.Instances).length, 1);
    const byToken = await srv.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'client-token', Values: ['token-abc-1'] }] }),
    );
    assert.equal(byToken.Reservations[0].Instances[0].ClientToken, 'token-abc-1');
  });

  test('IdempotentParameterMismatch: the same ClientToken with different arguments (ec2-errors.md, AWS-doc)', async () => {
    await srv.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ClientToken: 'tok-2' }));
    await expectEc2Error(
      srv.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, ClientToken: 'tok-2' })),
      { code: 'IdempotentParameterMismatch' },
    );
  });
});

describe('tags at launch (RunInstances TagSpecifications)', () => {
  test('TagSpecifications tag the instance and its root volume', async () => {
    const run = await srv.ec2.send(
      new RunInstancesCommand({
        ImageId: AMI,
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [
          { ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web-1' }, { Key: 'env', Value: 'test' }] },
          { ResourceType: 'volume', Tags: [{ Key: 'backup', Value: 'daily' }] },
        ],
      }),
    );
    const id = run.Instances[0].InstanceId;
    const sortTags = (t) => [...t].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
    assert.deepEqual(sortTags(run.Instances[0].Tags), [{ Key: 'Name', Value: 'web-1' }, { Key: 'env', Value: 'test' }]);
    const i = await describeOne(id);
    assert.deepEqual(sortTags(i.Tags), [{ Key: 'Name', Value: 'web-1' }, { Key: 'env', Value: 'test' }]);
    assert.equal(i.BlockDeviceMappings.length, 1);
    assert.equal(i.BlockDeviceMappings[0].DeviceName, '/dev/xvda');
    const volumeId = i.BlockDeviceMappings[0].Ebs.VolumeId;
    assert.match(volumeId, /^vol-[0-9a-f]{17}$/);
    const tags = await srv.ec2.send(
      new DescribeTagsCommand({ Filters: [{ Name: 'resource-type', Values: ['volume'] }] }),
    );
    assert.deepEqual(tags.Tags, [{ ResourceId: volumeId, ResourceType: 'volume', Key: 'backup', Value: 'daily' }]);
  });
});

describe('DescribeInstances filters and paging', () => {
  test('filters instance-state-name, instance-type and tag:Name narrow the answer', async () => {
    const [a] = await launch(srv.ec2, { TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'alpha' }] }] });
    const [b] = await launch(srv.ec2, { InstanceType: 't3.small' });
    await srv.ec2.send(new StopInstancesCommand({ InstanceIds: [b] }));
    const ids = async (Filters) =>
      (await srv.ec2.send(new DescribeInstancesCommand({ Filters }))).Reservations.flatMap((r) => r.Instances.map((i) => i.InstanceId)).sort();
    assert.deepEqual(await ids([{ Name: 'instance-state-name', Values: ['running'] }]), [a]);
    assert.deepEqual(await ids([{ Name: 'instance-state-name', Values: ['stopped'] }]), [b]);
    assert.deepEqual(await ids([{ Name: 'instance-state-name', Values: ['running', 'stopped'] }]), [a, b].sort());
    assert.deepEqual(await ids([{ Name: 'instance-type', Values: ['t3.small'] }]), [b]);
    assert.deepEqual(await ids([{ Name: 'tag:Name', Values: ['al*'] }]), [a]);
    assert.deepEqual(await ids([{ Name: 'tag-key', Values: ['Name'] }]), [a]);
    assert.deepEqual(await ids([{ Name: 'instance-id', Values: [b] }]), [b]);
    assert.deepEqual(await ids([{ Name: 'tag:Name', Values: ['alpha'] }, { Name: 'instance-state-name', Values: ['stopped'] }]), []);
  });

  test('paginateDescribeInstances returns every instance exactly once (pageSize 5, 13 instances in 3 reservations)', async () => {
    const launched = [
      ...(await launch(srv.ec2, { MinCount: 6, MaxCount: 6 })),
      ...(await launch(srv.ec2, { MinCount: 4, MaxCount: 4 })),
      ...(await launch(srv.ec2, { MinCount: 3, MaxCount: 3 })),
    ];
    const seen = [];
    let pages = 0;
    for await (const page of paginateDescribeInstances({ client: srv.ec2, pageSize: 5 }, {})) {
      pages += 1;
      const n = page.Reservations.flatMap((r) => r.Instances).length;
      assert.ok(n <= 5, `page ${pages} has ${n} instances`);
      seen.push(...page.Reservations.flatMap((r) => r.Instances.map((i) => i.InstanceId)));
    }
    assert.equal(pages, 3);
    assert.equal(seen.length, 13);
    assert.deepEqual([...seen].sort(), [...launched].sort());
  });

  test('a fresh account has no instances', async () => {
    const out = await srv.ec2.send(new DescribeInstancesCommand({}));
    assert.deepEqual(out.Reservations, []);
  });
});

describe('errors', () => {
  // ec2-errors.md: InvalidInstanceID.NotFound (AWS-raw flywheel#3, aws-sdk-core-ruby#174).
  test('InvalidInstanceID.NotFound: one unknown id, on every instance operation', async () => {
    const message = `The instance ID '${MISSING}' does not exist`;
    const code = 'InvalidInstanceID.NotFound';
    await expectEc2Error(srv.ec2.send(new DescribeInstancesCommand({ InstanceIds: [MISSING] })), { code, message });
    await expectEc2Error(srv.ec2.send(new StartInstancesCommand({ InstanceIds: [MISSING] })), { code, message });
    await expectEc2Error(srv.ec2.send(new StopInstancesCommand({ InstanceIds: [MISSING] })), { code, message });
    await expectEc2Error(srv.ec2.send(new TerminateInstancesCommand({ InstanceIds: [MISSING] })), { code, message });
  });

  // ec2-errors.md: InvalidInstanceID.NotFound, several ids (multi-id form).
  test('InvalidInstanceID.NotFound: several unknown ids are named together; a known id among them is not', async () => {
    const [known] = await launch(srv.ec2);
    await expectEc2Error(srv.ec2.send(new DescribeInstancesCommand({ InstanceIds: [MISSING, known, MISSING2] })), {
      code: 'InvalidInstanceID.NotFound',
      message: `The instance IDs '${MISSING}, ${MISSING2}' do not exist`,
    });
    await expectEc2Error(srv.ec2.send(new TerminateInstancesCommand({ InstanceIds: [known, MISSING] })), {
      code: 'InvalidInstanceID.NotFound',
      message: `The instance ID '${MISSING}' does not exist`,
    });
    // Nothing was terminated: the request failed as a whole.
    assert.equal((await describeOne(known)).State.Name, 'running');
  });

  // EC2 ids are the prefix plus 8 (older) or 17 hex digits ("Resource IDs", EC2 User Guide):
  // a well-formed 8-digit id that is not there is NotFound, not Malformed.
  test('InvalidInstanceID.NotFound: an 8-hex-digit id is well-formed', async () => {
    await expectEc2Error(srv.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-1234abcd'] })), {
      code: 'InvalidInstanceID.NotFound',
      message: "The instance ID 'i-1234abcd' does not exist",
    });
  });

  // ec2-errors.md: InvalidInstanceID.Malformed (AWS-raw ClusterLabs/cluster-glue#29: `Invalid id: "ma1"`).
  test('InvalidInstanceID.Malformed: an id that is not i- plus hex', async () => {
    const expected = { code: 'InvalidInstanceID.Malformed', message: 'Invalid id: "ma1"' };
    await expectEc2Error(srv.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['ma1'] })), expected);
    await expectEc2Error(srv.ec2.send(new StopInstancesCommand({ InstanceIds: ['ma1'] })), expected);
    await expectEc2Error(srv.ec2.send(new StartInstancesCommand({ InstanceIds: ['ma1'] })), expected);
    await expectEc2Error(srv.ec2.send(new TerminateInstancesCommand({ InstanceIds: ['i-xyz'] })), {
      code: 'InvalidInstanceID.Malformed',
      message: 'Invalid id: "i-xyz"',
    });
  });

  // ec2-errors.md: InvalidAMIID.NotFound, id in square brackets (AWS-raw brikis98/terraform-up-and-running-code#41).
  test('InvalidAMIID.NotFound: RunInstances with an unknown AMI, id in square brackets', async () => {
    await expectEc2Error(
      srv.ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', MinCount: 1, MaxCount: 1 })),
      { code: 'InvalidAMIID.NotFound', message: "The image id '[ami-0123456789abcdef0]' does not exist" },
    );
  });

  // ec2-errors.md: InvalidAMIID.Malformed.
  test('InvalidAMIID.Malformed: RunInstances with an id that is not ami- plus hex', async () => {
    await expectEc2Error(srv.ec2.send(new RunInstancesCommand({ ImageId: 'ubuntu', MinCount: 1, MaxCount: 1 })), {
      code: 'InvalidAMIID.Malformed',
      message: 'Invalid id: "ubuntu" (expecting "ami-...")',
    });
  });

  // ec2-errors.md: InvalidParameterValue (instance type) (AWS-raw iterative/cml#821).
  test('InvalidParameterValue: RunInstances with an unknown instance type', async () => {
    await expectEc2Error(
      srv.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.gigantic', MinCount: 1, MaxCount: 1 })),
      { code: 'InvalidParameterValue', message: "Invalid value 't3.gigantic' for InstanceType." },
    );
  });

  // EC2 rejects an instance type whose architecture differs from the AMI's (RunInstances API reference).
  test('InvalidParameterValue: an arm64 AMI on an x86_64 instance type', async () => {
    await expectEc2Error(
      srv.ec2.send(new RunInstancesCommand({ ImageId: AMI_ARM, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 })),
      { code: 'InvalidParameterValue', message: /^The architecture 'x86_64' of the specified instance type does not match the architecture 'arm64' of the specified AMI\./ },
    );
  });

  // ec2-errors.md: MissingParameter (AWS-rec: "The request must contain the parameter size/snapshot").
  test('MissingParameter: RunInstances without MinCount', async () => {
    await expectEc2Error(srv.ec2.send(new RunInstancesCommand({ ImageId: AMI, MaxCount: 1 })), {
      code: 'MissingParameter',
      message: 'The request must contain the parameter minCount',
    });
  });

  // Real EC2 answers TerminateInstances with no id this way, although the model marks
  // InstanceIds required (gruntwork-io/cloud-nuke#731); Start/Stop assumed the same.
  test('InvalidParameterCombination: Start/Stop/TerminateInstances without ids', async () => {
    for (const C of [StartInstancesCommand, StopInstancesCommand, TerminateInstancesCommand]) {
      await expectEc2Error(srv.ec2.send(new C({ InstanceIds: [] })), {
        code: 'InvalidParameterCombination',
        message: 'No instances specified',
      });
    }
  });

  // ec2-errors.md: IncorrectInstanceState, StartInstances wording (AWS-raw burstable-ai/burst#42).
  test('IncorrectInstanceState: StartInstances on a terminated instance', async () => {
    const [id] = await launch(srv.ec2);
    await srv.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await expectEc2Error(srv.ec2.send(new StartInstancesCommand({ InstanceIds: [id] })), {
      code: 'IncorrectInstanceState',
      message: `The instance '${id}' is not in a state from which it can be started`,
    });
  });

  // ec2-errors.md: IncorrectInstanceState ("and others"): stopping a terminated instance.
  test('IncorrectInstanceState: StopInstances on a terminated instance', async () => {
    const [id] = await launch(srv.ec2);
    await srv.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await expectEc2Error(srv.ec2.send(new StopInstancesCommand({ InstanceIds: [id] })), {
      code: 'IncorrectInstanceState',
      message: new RegExp(`'${id}' is not in a state from which it can be stopped`),
    });
  });

  // ec2-errors.md: InvalidParameterCombination (AWS-raw yuuki/grabeni#7, aws-cli#1976).
  test('InvalidParameterCombination: DescribeInstances with InstanceIds and MaxResults', async () => {
    const [id] = await launch(srv.ec2);
    await expectEc2Error(srv.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id], MaxResults: 5 })), {
      code: 'InvalidParameterCombination',
      message: 'The parameter instancesSet cannot be used with the parameter maxResults',
    });
  });

  // ec2-errors.md: InvalidParameterValue (MaxResults) (AWS-raw aws-sdk-ruby#2575).
  test('InvalidParameterValue: DescribeInstances MaxResults below 5 or above 1000', async () => {
    await expectEc2Error(srv.ec2.send(new DescribeInstancesCommand({ MaxResults: 3 })), {
      code: 'InvalidParameterValue',
      message: 'Value ( 3 ) for parameter maxResults is invalid. Expecting a value greater than 5.',
    });
    await expectEc2Error(srv.ec2.send(new DescribeInstancesCommand({ MaxResults: 1001 })), {
      code: 'InvalidParameterValue',
      message: 'Value ( 1001 ) for parameter maxResults is invalid. Expecting a value less than 1000.',
    });
  });

  // ec2-errors.md: InvalidParameterValue (unknown filter) (AWS-raw boto3#1299: `public-ip`).
  test("InvalidParameterValue: DescribeInstances with an unknown filter is \"The filter 'x' is invalid\"", async () => {
    await expectEc2Error(srv.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'public-ip', Values: ['1.2.3.4'] }] })), {
      code: 'InvalidParameterValue',
      message: "The filter 'public-ip' is invalid",
    });
  });

  // ec2-errors.md: InvalidParameterValue (bad NextToken) (AWS-raw boto3#2673).
  test('InvalidParameterValue: DescribeInstances with a garbage NextToken', async () => {
    await expectEc2Error(srv.ec2.send(new DescribeInstancesCommand({ NextToken: 'garbage' })), {
      code: 'InvalidParameterValue',
      message: 'Value ( garbage ) for parameter NextToken is invalid. The token is invalid.',
    });
  });

  // ec2-errors.md: InvalidSubnetID.NotFound (AWS-raw jschementi/riker#42), RunInstances(SubnetId).
  test('InvalidSubnetID.NotFound: RunInstances into an unknown subnet', async () => {
    await expectEc2Error(
      srv.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, SubnetId: 'subnet-0123456789abcdef0' })),
      { code: 'InvalidSubnetID.NotFound', message: "The subnet ID 'subnet-0123456789abcdef0' does not exist" },
    );
  });

  // ec2-errors.md: InvalidKeyPair.NotFound, RunInstances(KeyName) (AWS-rec key_pair_deleted).
  test('InvalidKeyPair.NotFound: RunInstances with an unknown KeyName', async () => {
    await expectEc2Error(
      srv.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, KeyName: 'nobody' })),
      { code: 'InvalidKeyPair.NotFound', message: "The key pair 'nobody' does not exist" },
    );
  });

  // ec2-errors.md: InvalidGroup.NotFound by id, RunInstances (AWS-raw boto3#701).
  test('InvalidGroup.NotFound: RunInstances with an unknown security group id', async () => {
    await expectEc2Error(
      srv.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, SecurityGroupIds: ['sg-0123456789abcdef0'] })),
      { code: 'InvalidGroup.NotFound', message: "The security group 'sg-0123456789abcdef0' does not exist" },
    );
  });

  // RunInstances API reference: MinCount/MaxCount must be at least 1
  // (AWS-raw jenkinsci/ec2-plugin#252: "Maximum instance count must be greater than zero").
  test('InvalidParameterValue: MaxCount 0', async () => {
    await expectEc2Error(srv.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 0 })), {
      code: 'InvalidParameterValue',
      message: 'Maximum instance count must be greater than zero',
    });
  });

  test('a failed RunInstances launches nothing', async () => {
    await assert.rejects(srv.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 'nope.large', MinCount: 1, MaxCount: 1 })));
    const out = await srv.ec2.send(new DescribeInstancesCommand({}));
    assert.deepEqual(out.Reservations, []);
  });
});
