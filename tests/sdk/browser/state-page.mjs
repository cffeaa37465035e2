// The state page (GET /_parlel/) in a real browser: starts the emulator, launches
// instances through the SDK, opens the page in headless Chromium (Debian's `chromium`),
// and checks what it shows — the instance ids and `running`, no console errors — then
// takes a screenshot (in the temp dir; with UPDATE_SCREENSHOT=1 it replaces the one kept
// in the repo, tests/sdk/browser/state-page.png). Run: node tests/sdk/browser/state-page.mjs
// (tests/all.sh runs it when `chromium` is installed).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { AMI, startServer } from '../helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const srv = await startServer(['--transition-ms', '0']);
try {
  const run = await srv.ec2.send(new RunInstancesCommand({
    ImageId: AMI, InstanceType: 't3.micro', MinCount: 3, MaxCount: 3,
    TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] }],
  }));
  const ids = run.Instances.map((i) => i.InstanceId);
  const chrome = (extra) => spawnSync('chromium', [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--window-size=1280,720',
    '--virtual-time-budget=3000', '--enable-logging=stderr', '--v=0', ...extra, `${srv.endpoint}/_parlel/`,
  ], { encoding: 'utf8', timeout: 60_000 });
  const dom = chrome(['--dump-dom']);
  assert.equal(dom.status, 0, dom.stderr);
  for (const id of ids) assert.ok(dom.stdout.includes(id), `the page shows ${id}`);
  assert.ok(dom.stdout.includes('s-running">running<'), 'the page shows them running');
  // The page logs nothing: any console line (console.error, an uncaught exception) fails.
  const consoleErrors = dom.stderr.split('\n').filter((l) => /:CONSOLE/.test(l));
  assert.deepEqual(consoleErrors, [], 'no console errors');
  const png = process.env.UPDATE_SCREENSHOT ? join(here, 'state-page.png') : join(tmpdir(), 'parlel-state-page.png');
  const shot = chrome([`--screenshot=${png}`]);
  assert.equal(shot.status, 0, shot.stderr);
  console.log(`state page: ${ids.length} instances shown running, no console errors; screenshot at ${png}`);
} finally {
  srv.child.kill();
}
