// The product example, as a user would write it: launch an instance of the seeded Amazon
// Linux 2023 AMI, then describe it and print its state. Only the endpoint is ours.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EC2Client, RunInstancesCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { startServer } from './helpers.mjs';

test('example: RunInstances on ami-0abcdef1234567890, then DescribeInstances shows running', async () => {
  const server = await startServer();
  try {
    const ec2 = new EC2Client({
      endpoint: server.endpoint, // e.g. http://127.0.0.1:4700
      region: 'us-east-1',
      credentials: { accessKeyId: 'parlel', secretAccessKey: 'parlel' },
    });

    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-0abcdef1234567890',
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
      }),
    );
    const instanceId = run.Instances[0].InstanceId;

    const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const state = Reservations[0].Instances[0].State.Name;
    console.log(`${instanceId} is ${state}`);

    assert.match(instanceId, /^i-[0-9a-f]{17}$/);
    assert.equal(state, 'running');
    ec2.destroy();
  } finally {
    await server.stop();
  }
});
