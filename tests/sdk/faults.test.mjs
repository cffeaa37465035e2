// Fault injection through the real SDK: its standard retries ride out injected
// throttling and give up after their attempts, a waiter survives a transient 503, a delay
// slows exactly the calls it names, and a faulted RunInstances launches nothing
// (src/faults.rs, POST/GET/DELETE /_parlel/faults).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RunInstancesCommand,
  waitUntilInstanceRunning,
} from '@aws-sdk/client-ec2';
import { AMI, expectEc2Error, launch, useServer } from './helpers.mjs';

const srv = useServer({ args: ['--transition-ms', '200'] });

async function fault(rule) {
  const r = await fetch(`${srv.endpoint}/_parlel/faults`, { method: 'POST', body: JSON.stringify(rule) });
  assert.equal(r.status, 200);
  return (await r.json()).id;
}
const fired = async () => Object.fromEntries((await (await fetch(`${srv.endpoint}/_parlel/faults`)).json()).faults.map((f) => [f.id, f.fired]));

test('standard retries ride out throttling, and give up with RequestLimitExceeded after their attempts', async () => {
  const ec2 = new EC2Client({
    endpoint: srv.endpoint, region: 'us-east-1', maxAttempts: 3,
    credentials: { accessKeyId: 'parlel', secretAccessKey: 'parlel' },
  });
  const id = await fault({ action: 'DescribeVpcs', error: 'RequestLimitExceeded', count: 2 });
  const out = await ec2.send(new DescribeVpcsCommand({}));
  assert.equal(out.$metadata.attempts, 3);
  assert.equal(out.Vpcs.length, 1);
  // Spent, the rule fires no more but stays listed with its count until deleted.
  assert.equal((await fired())[id], 2);
  const spent = (await (await fetch(`${srv.endpoint}/_parlel/faults`)).json()).faults[0];
  assert.deepEqual([spent.state, spent.remaining], ['spent', 0]);
  await fault({ action: 'DescribeVpcs', error: 'RequestLimitExceeded', count: 10 });
  await expectEc2Error(ec2.send(new DescribeVpcsCommand({})), {
    code: 'RequestLimitExceeded', status: 503, message: 'Request limit exceeded.',
  });
  assert.deepEqual(Object.values(await fired()), [2, 3]);
  const del = await fetch(`${srv.endpoint}/_parlel/faults`, { method: 'DELETE' });
  assert.equal(del.status, 200);
  assert.deepEqual(await fired(), {});
});

test('a waiter survives a transient 503', async () => {
  const { ec2 } = srv;
  const [id] = await launch(ec2);
  await fault({ action: 'DescribeInstances', error: 'Unavailable', count: 1 });
  await waitUntilInstanceRunning({ client: ec2, maxWaitTime: 10, minDelay: 1 }, { InstanceIds: [id] });
  const i = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations[0].Instances[0];
  assert.equal(i.State.Name, 'running');
});

test('a delay slows exactly the calls it names', async () => {
  const { ec2 } = srv;
  await fault({ action: 'DescribeVpcs', delay_ms: 400 });
  const t0 = Date.now();
  await ec2.send(new DescribeVpcsCommand({}));
  const slow = Date.now() - t0;
  const t1 = Date.now();
  await ec2.send(new DescribeSubnetsCommand({}));
  const fast = Date.now() - t1;
  assert.ok(slow >= 400, `DescribeVpcs took ${slow} ms`);
  assert.ok(fast < 400, `DescribeSubnets took ${fast} ms`);
});

test('a faulted RunInstances changes nothing; a rule can name an account and a Region', async () => {
  const { ec2 } = srv;
  await fault({ action: 'RunInstances', error: 'InsufficientInstanceCapacity', region: 'us-east-1' });
  const noRetry = new EC2Client({
    endpoint: srv.endpoint, region: 'us-east-1', maxAttempts: 1,
    credentials: { accessKeyId: 'parlel', secretAccessKey: 'parlel' },
  });
  await expectEc2Error(noRetry.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 })), {
    code: 'InsufficientInstanceCapacity', status: 500, message: /sufficient capacity/,
  });
  assert.deepEqual((await ec2.send(new DescribeInstancesCommand({}))).Reservations, []);
  // Another Region is not named by the rule.
  const west = new EC2Client({
    endpoint: srv.endpoint, region: 'us-west-2', credentials: { accessKeyId: 'parlel', secretAccessKey: 'parlel' },
  });
  const run = await west.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
  assert.equal(run.Instances.length, 1);
  const bad = await fetch(`${srv.endpoint}/_parlel/faults`, { method: 'POST', body: '{"error":"X","count":0}' });
  assert.equal(bad.status, 400);
  // A misspelt key is refused, named, not ignored (it would fault every action).
  const typo = await fetch(`${srv.endpoint}/_parlel/faults`, { method: 'POST', body: '{"acton":"RunInstances","error":"X"}' });
  assert.equal(typo.status, 400);
  assert.match((await typo.json()).error, /"acton"/);
  // A reset clears the rules.
  await fetch(`${srv.endpoint}/_parlel/reset`, { method: 'POST' });
  assert.deepEqual(await fired(), {});
});
