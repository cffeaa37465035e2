// Shared setup for the real-client suite: start the parlel-ec2 binary on a free port,
// hand out an EC2Client pointed at it, reset state, and assert on EC2 errors.
//
// The binary is $PARLEL_EC2_BIN, else ../../target/debug/parlel-ec2 relative to this
// directory (build it first with `cargo build`).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';

const here = dirname(fileURLToPath(import.meta.url));

export const BIN = process.env.PARLEL_EC2_BIN
  ? resolve(process.env.PARLEL_EC2_BIN)
  : resolve(here, '../../target/debug/parlel-ec2');

export const AMI = 'ami-0abcdef1234567890'; // Amazon Linux 2023 x86_64 (src/data/images.json)
export const AMI_ARM = 'ami-043aca06cfbc25a0c'; // Amazon Linux 2023 arm64

/**
 * Spawns the emulator with `--port 0` (plus `args`, e.g. `['--transition-ms', '60000']`)
 * and resolves once it prints its address.
 */
export async function startServer(args = []) {
  if (!existsSync(BIN)) {
    throw new Error(`parlel-ec2 binary not found at ${BIN}: run \`cargo build\` or set PARLEL_EC2_BIN`);
  }
  const child = spawn(BIN, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const endpoint = await new Promise((ok, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`no "listening on" line within 10 s; output:\n${seen}`)), 10_000);
    const onData = (chunk) => {
      seen += chunk.toString();
      const m = seen.match(/listening on (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`parlel-ec2 exited with ${code} before listening; output:\n${seen}`));
    });
  });
  // Keep draining the log so the pipe never fills up.
  child.stdout.resume();
  child.stderr.resume();
  const ec2 = new EC2Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'parlel', secretAccessKey: 'parlel' },
  });
  return {
    endpoint,
    ec2,
    child,
    /** POST /_parlel/reset: every account and region back to the start state. */
    async reset() {
      const r = await fetch(`${endpoint}/_parlel/reset`, { method: 'POST' });
      assert.equal(r.status, 200, 'reset');
      await r.arrayBuffer();
    },
    async stop() {
      ec2.destroy();
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((ok) => child.once('exit', ok));
        child.kill('SIGTERM');
        await gone;
      }
    },
  };
}

/**
 * One emulator per test file: started in `before`, reset before every test, killed in
 * `after`. Returns a live object whose `ec2` / `endpoint` are set once `before` ran.
 */
export function useServer({ resetEachTest = true, args = [] } = {}) {
  const ctx = { ec2: undefined, endpoint: undefined, server: undefined };
  before(async () => {
    ctx.server = await startServer(args);
    ctx.ec2 = ctx.server.ec2;
    ctx.endpoint = ctx.server.endpoint;
  });
  if (resetEachTest) {
    beforeEach(async () => {
      await ctx.server.reset();
    });
  }
  after(async () => {
    await ctx.server?.stop();
  });
  return ctx;
}

/**
 * Asserts that `promise` rejects with the EC2 error `code`, HTTP `status` (400 unless
 * given) and, when given, the exact `message` (a string, or a RegExp).
 */
export async function expectEc2Error(promise, { code, status = 400, message }) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${code}, but the call succeeded`);
  assert.equal(err.name, code, `error name (message: ${err.message})`);
  assert.equal(err.Code, code, 'error Code');
  assert.equal(err.$metadata?.httpStatusCode, status, `HTTP status of ${code}`);
  if (message instanceof RegExp) {
    assert.match(err.message, message);
  } else if (message !== undefined) {
    assert.equal(err.message, message);
  }
  return err;
}

/** Sends `command` with DryRun: true and expects DryRunOperation (412). */
export function expectDryRun(ec2, command) {
  return expectEc2Error(ec2.send(command), {
    code: 'DryRunOperation',
    status: 412,
    message: 'Request would have succeeded, but DryRun flag is set.',
  });
}

/** Launches `count` instances of the seeded AMI and returns their ids. */
export async function launch(ec2, extra = {}) {
  const out = await ec2.send(
    new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ...extra }),
  );
  return out.Instances.map((i) => i.InstanceId);
}

/** The code and message of an EC2 error document (for answers read without the SDK). */
export function errorOf(xml) {
  const field = (name) => xml.match(new RegExp(`<Error>[\\s\\S]*?<${name}>([\\s\\S]*?)</${name}>`))?.[1];
  return { code: field('Code'), message: field('Message') };
}
