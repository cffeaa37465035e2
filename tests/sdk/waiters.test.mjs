// The SDK's waiters (EC2 waiters-2.json: InstanceRunning, InstanceStopped,
// InstanceTerminated) against the lifecycle, with transitions that settle at once (the
// default) and with transitions that take time (--transition-ms), where the waiter has
// to poll more than once.
//
// Sources: EC2 User Guide "Amazon EC2 instance state changes"; ec2-errors.md
// IncorrectInstanceState (AWS-raw cloud-custodian#6014 for the never-running wording).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
  waitUntilInstanceTerminated,
} from '@aws-sdk/client-ec2';
import { expectEc2Error, launch, useServer } from './helpers.mjs';

const state = async (ec2, id) =>
  (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations[0].Instances[0].State.Name;

describe('waiters with instant transitions (default)', () => {
  const srv = useServer();

  test('waitUntilInstanceRunning, waitUntilInstanceStopped, waitUntilInstanceTerminated succeed on the first poll', async () => {
    const opts = { client: srv.ec2, maxWaitTime: 10, minDelay: 1, maxDelay: 1 };
    const started = Date.now();
    const [id] = await launch(srv.ec2);
    const running = await waitUntilInstanceRunning(opts, { InstanceIds: [id] });
    assert.equal(running.state, 'SUCCESS');
    await srv.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    const stopped = await waitUntilInstanceStopped(opts, { InstanceIds: [id] });
    assert.equal(stopped.state, 'SUCCESS');
    await srv.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    const terminated = await waitUntilInstanceTerminated(opts, { InstanceIds: [id] });
    assert.equal(terminated.state, 'SUCCESS');
    assert.ok(Date.now() - started < 1000, 'no waiter had to sleep');
  });

  test('waitUntilInstanceRunning waits for several instances at once', async () => {
    const ids = await launch(srv.ec2, { MinCount: 3, MaxCount: 3 });
    const r = await waitUntilInstanceRunning({ client: srv.ec2, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { InstanceIds: ids });
    assert.equal(r.state, 'SUCCESS');
  });

  // waiters-2.json InstanceStopped: a terminated instance is a failure state.
  test('waitUntilInstanceStopped fails at once on a terminated instance', async () => {
    const [id] = await launch(srv.ec2);
    await srv.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await assert.rejects(
      waitUntilInstanceStopped({ client: srv.ec2, maxWaitTime: 5, minDelay: 1, maxDelay: 1 }, { InstanceIds: [id] }),
      (e) => e.name === 'Error' && /FAILURE/.test(e.message),
    );
  });
});

describe('waiters with 0.7 s transitions (--transition-ms 700)', () => {
  const srv = useServer({ args: ['--transition-ms', '700'] });

  test('pending, stopping and shutting-down last until the transition ends (a stopping instance cannot be started); each waiter polls until the settled state', async () => {
    const opts = { client: srv.ec2, maxWaitTime: 20, minDelay: 1, maxDelay: 1 };
    const [id] = await launch(srv.ec2);
    assert.equal(await state(srv.ec2, id), 'pending');
    assert.equal((await waitUntilInstanceRunning(opts, { InstanceIds: [id] })).state, 'SUCCESS');
    assert.equal(await state(srv.ec2, id), 'running');

    await srv.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    assert.equal(await state(srv.ec2, id), 'stopping');
    // ec2-errors.md: IncorrectInstanceState, StartInstances wording (AWS-raw burstable-ai/burst#42).
    await expectEc2Error(srv.ec2.send(new StartInstancesCommand({ InstanceIds: [id] })), {
      code: 'IncorrectInstanceState',
      message: `The instance '${id}' is not in a state from which it can be started`,
    });
    assert.equal((await waitUntilInstanceStopped(opts, { InstanceIds: [id] })).state, 'SUCCESS');
    assert.equal(await state(srv.ec2, id), 'stopped');

    await srv.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    assert.equal(await state(srv.ec2, id), 'shutting-down');
    assert.equal((await waitUntilInstanceTerminated(opts, { InstanceIds: [id] })).state, 'SUCCESS');
    assert.equal(await state(srv.ec2, id), 'terminated');
  });

  // ec2-errors.md: IncorrectInstanceState, StopInstances on a pending instance (AWS-raw cloud-custodian#6014).
  test("IncorrectInstanceState: StopInstances on a pending instance has never reached 'running'", async () => {
    const [id] = await launch(srv.ec2);
    await expectEc2Error(srv.ec2.send(new StopInstancesCommand({ InstanceIds: [id] })), {
      code: 'IncorrectInstanceState',
      message: `Instance '${id}' cannot be stopped as it has never reached the 'running' state.`,
    });
  });
});
