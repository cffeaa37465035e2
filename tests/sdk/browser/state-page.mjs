// The state page (GET /_parlel/) in a real browser: starts the emulator, makes a small
// estate through the SDK (a VPC with a subnet, a security group and an internet gateway,
// a key pair, instances running, stopped and terminated, a volume and its snapshot),
// opens the page in headless Chromium (Debian's `chromium`, driven by cdp.mjs) at a
// 1280×800 laptop viewport and checks what it shows: every instance with its state in
// EC2's names, each kind's table within the window, volumes and snapshots with their
// state and created time, an instance's detail with its tags as a table and nothing
// shown as "null", deep links, and nothing in the console or the network log (no 404,
// no exception). Then it takes a screenshot (in the temp dir; with UPDATE_SCREENSHOT=1 it
// replaces the one kept in the repo, docs/state-page.png; with STATE_PAGE_SHOTS=DIR it
// also keeps one of every kind's table in DIR).
// Run: node tests/sdk/browser/state-page.mjs (tests/all.sh runs it when `chromium` is
// installed).

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  AttachInternetGatewayCommand, CreateInternetGatewayCommand, CreateKeyPairCommand,
  CreateSecurityGroupCommand, CreateSnapshotCommand, CreateSubnetCommand, CreateVolumeCommand,
  CreateVpcCommand, EC2Client, ModifySubnetAttributeCommand, RunInstancesCommand, StopInstancesCommand, TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { AMI, startServer } from '../helpers.mjs';
import { openBrowser } from './cdp.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const tags = (type, t) => [{ ResourceType: type, Tags: Object.entries(t).map(([Key, Value]) => ({ Key, Value })) }];
const srv = await startServer(['--transition-ms', '0']);
let browser;
try {
  const ec2 = srv.ec2;
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16', TagSpecifications: tags('vpc', { Name: 'app-vpc' }) }))).Vpc.VpcId;
  const subnet = (await ec2.send(new CreateSubnetCommand({
    VpcId: vpc, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a', TagSpecifications: tags('subnet', { Name: 'app-1a' }),
  }))).Subnet.SubnetId;
  await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnet, MapPublicIpOnLaunch: { Value: true } }));
  const sg = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: 'web', Description: 'web servers' }))).GroupId;
  // Long texts are cut to fit (the whole text in the cell's title).
  await ec2.send(new CreateSecurityGroupCommand({
    VpcId: vpc, GroupName: 'app-load-balancer-public-ingress-https-and-ssh-from-office',
    Description: 'the public load balancer: 443 from anywhere, 22 from the office network, health checks from the VPC',
  }));
  const igw = (await ec2.send(new CreateInternetGatewayCommand({ TagSpecifications: tags('internet-gateway', { Name: 'app-igw' }) }))).InternetGateway.InternetGatewayId;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
  await ec2.send(new CreateKeyPairCommand({ KeyName: 'deploy' }));
  const web = (await ec2.send(new RunInstancesCommand({
    ImageId: AMI, InstanceType: 't3.micro', MinCount: 3, MaxCount: 3, SubnetId: subnet, SecurityGroupIds: [sg], KeyName: 'deploy',
    TagSpecifications: tags('instance', { Name: 'web', team: 'platform', env: 'dev' }),
  }))).Instances.map((i) => i.InstanceId);
  const [batch, old] = (await ec2.send(new RunInstancesCommand({
    ImageId: AMI, InstanceType: 'm5.large', MinCount: 2, MaxCount: 2, TagSpecifications: tags('instance', { Name: 'batch' }),
  }))).Instances.map((i) => i.InstanceId);
  await ec2.send(new StopInstancesCommand({ InstanceIds: [batch] }));
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [old] }));
  const volume = (await ec2.send(new CreateVolumeCommand({
    AvailabilityZone: 'us-east-1a', Size: 100, VolumeType: 'gp3', TagSpecifications: tags('volume', { Name: 'data' }),
  }))).VolumeId;
  const snapshot = (await ec2.send(new CreateSnapshotCommand({ VolumeId: volume, TagSpecifications: tags('snapshot', { Name: 'data-backup' }) }))).SnapshotId;

  browser = await openBrowser({ width: 1280, height: 800 });
  const { evaluate, waitFor, goto } = browser;
  const page = `${srv.endpoint}/_parlel/`;
  const row = (id) => `document.querySelector('tr[data-id="${id}"]')`;
  const cells = (id) => evaluate(`[...${row(id)}.cells].map((c) => c.innerText.trim())`);
  const stateOf = (id) => evaluate(`(() => { const s = ${row(id)}.querySelector('.state'); return s.className + ' ' + s.textContent; })()`);
  const headers = () => evaluate(`[...document.querySelectorAll('#table th')].map((c) => c.innerText.trim())`);
  // Nothing wider than the window: no scrolling of the page or inside a table, and every
  // cell's right edge inside the viewport.
  const fits = () => evaluate(`(() => {
    const over = [...document.querySelectorAll('#table td, #table th')].filter((c) => c.getBoundingClientRect().right > innerWidth);
    const box = document.querySelector('#table .scroll');
    return { page: document.documentElement.scrollWidth <= innerWidth, table: !box || box.scrollWidth <= box.clientWidth, over: over.length };
  })()`);

  await goto(page);
  await waitFor(web.map((id) => row(id)).join(' && '));
  for (const id of web) assert.equal(await stateOf(id), 'state s-running running', `${id} shows running`);
  assert.equal(await stateOf(batch), 'state s-stopped stopped');
  assert.equal(await stateOf(old), 'state s-terminated terminated');
  assert.deepEqual(await headers(), ['Name', 'Instance ID', 'State', 'Type', 'VPC / subnet', 'Private / public IP', 'Launched (UTC)']);
  const w = await cells(web[0]);
  assert.equal(w[0], 'web');
  assert.equal(w[3], 't3.micro');
  assert.match(w[4], new RegExp(`^${vpc}\\s+${subnet}$`), 'VPC and subnet, stacked');
  assert.match(w[5], /^10\.0\.1\.\d+\s+\d+\.\d+\.\d+\.\d+$/, 'private and public IP, stacked');
  assert.match(w[6], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, 'the launch time');

  // Every kind in the navigation, one after the other: a table that fits 1280 px.
  const kinds = await evaluate(`[...document.querySelectorAll('#kinds button')].map((b) => b.dataset.kind)`);
  for (const k of ['instance', 'vpc', 'subnet', 'security-group', 'volume', 'snapshot', 'key-pair', 'internet-gateway', 'network-interface', 'route-table']) {
    assert.ok(kinds.includes(k), `the navigation lists ${k}`);
  }
  for (const k of kinds) {
    await evaluate(`document.querySelector('#kinds button[data-kind="${k}"]').click()`);
    await waitFor(`document.querySelector('#table table[data-kind="${k}"]')`);
    assert.deepEqual(await fits(), { page: true, table: true, over: 0 }, `the ${k} table fits 1280 px`);
    // STATE_PAGE_SHOTS=DIR keeps a screenshot of every kind's table, to look at.
    if (process.env.STATE_PAGE_SHOTS) writeFileSync(join(process.env.STATE_PAGE_SHOTS, `${k}.png`), await browser.screenshot());
    // A column empty in every row names a field the JSON does not have (tags and
    // descriptions may be missing everywhere).
    const empty = await evaluate(`[...document.querySelectorAll('#table th')].filter((th, i) =>
      [...document.querySelectorAll('#table tbody tr')].every((tr) => tr.cells[i].innerText.trim() === '—')).map((th) => th.innerText)`);
    assert.deepEqual(empty.filter((c) => !['Name', 'Description'].includes(c)), [], `no column of ${k} is empty in every row`);
  }
  const created = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
  await evaluate(`document.querySelector('#kinds button[data-kind="volume"]').click()`);
  await waitFor(row(volume));
  assert.equal(await stateOf(volume), 'state s-available available');
  const v = await cells(volume);
  assert.deepEqual(v.slice(0, 6), ['data', volume, 'available', '100', 'gp3', 'us-east-1a']);
  assert.match(v[7], created, 'the volume\'s created time');
  await evaluate(`document.querySelector('#kinds button[data-kind="snapshot"]').click()`);
  await waitFor(row(snapshot));
  assert.equal(await stateOf(snapshot), 'state s-completed completed');
  const s = await cells(snapshot);
  assert.deepEqual(s.slice(0, 6), ['data-backup', snapshot, 'completed', '100%', volume, '100']);
  assert.match(s[6], created, 'the snapshot\'s start time');
  await evaluate(`document.querySelector('#kinds button[data-kind="key-pair"]').click()`);
  const key = await waitFor(`[...document.querySelectorAll('#table tbody tr')].map((tr) => [...tr.cells].map((c) => c.innerText.trim())).find((c) => c[0] === 'deploy')`);
  assert.match(key[4], created, 'the key pair\'s created time');
  await evaluate(`document.querySelector('#kinds button[data-kind="subnet"]').click()`);
  await waitFor(row(subnet));
  assert.equal(await stateOf(subnet), 'state s-available available');
  assert.deepEqual((await cells(subnet)).slice(0, 6), ['app-1a', subnet, 'available', vpc, '10.0.1.0/24', 'us-east-1a']);

  // An instance's detail, on click: its fields (nothing "null"; no key is "—"), its tags
  // as a key/value table; the address names it, so the link opens it again.
  await evaluate(`document.querySelector('#kinds button[data-kind="instance"]').click()`);
  await waitFor(row(batch));
  await evaluate(`${row(batch)}.click()`);
  const detail = `document.querySelector('#detail-${batch}')`;
  await waitFor(detail);
  const text = await evaluate(`${detail}.innerText`);
  assert.doesNotMatch(text, /null|undefined|\[object/, 'nothing shows as null');
  const field = (name) => evaluate(`[...${detail}.querySelectorAll('dt')].find((dt) => dt.textContent === '${name}')?.nextElementSibling.innerText`);
  assert.equal(await field('keyName'), '—');
  assert.equal(await field('state'), 'stopped');
  assert.equal(await field('instanceType'), 'm5.large');
  assert.match(await field('launchTime'), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  const tagRows = (d) => evaluate(`[...${d}.querySelectorAll('table.tags tbody tr')].map((tr) => [...tr.cells].map((c) => c.innerText))`);
  assert.deepEqual(await tagRows(detail), [['Name', 'batch']]);
  assert.equal(await evaluate('location.hash'), `#instance/${batch}`);
  await goto(`${page}#instance/${web[0]}`);
  await waitFor(`document.querySelector('#detail-${web[0]}')`);
  assert.deepEqual(await tagRows(`document.querySelector('#detail-${web[0]}')`), [['Name', 'web'], ['env', 'dev'], ['team', 'platform']]);
  assert.equal(await evaluate(`[...document.querySelectorAll('#detail dt')].find((dt) => dt.textContent === 'keyName').nextElementSibling.innerText`), 'deploy');
  assert.deepEqual(await fits(), { page: true, table: true, over: 0 }, 'the instances with a detail open fit');
  // On a smaller window the page still fits; a table too wide scrolls inside its box.
  await browser.send('Emulation.setDeviceMetricsOverride', { width: 1024, height: 768, deviceScaleFactor: 1, mobile: false });
  assert.ok(await evaluate('document.documentElement.scrollWidth <= innerWidth'), 'the page fits 1024 px');
  await browser.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 1, mobile: false });
  await goto(`${page}#volume/${volume}`);
  await waitFor(`document.querySelector('#detail-${volume}')`);

  // The page logged nothing (console, exceptions, failed requests such as a favicon 404)
  // after a refresh or two.
  await goto(`${page}#instance/${web[0]}`);
  await waitFor(`document.querySelector('#detail-${web[0]}')`);
  await new Promise((ok) => setTimeout(ok, 2500));
  assert.deepEqual(browser.logs, [], 'nothing in the console or the network log');

  const png = process.env.UPDATE_SCREENSHOT ? join(here, '../../../docs/state-page.png') : join(tmpdir(), 'parlel-state-page.png');
  writeFileSync(png, await browser.screenshot());

  // Live: what changes shows within a refresh or two, with no reload; the open detail
  // stays open.
  const late = (await ec2.send(new RunInstancesCommand({
    ImageId: AMI, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, TagSpecifications: tags('instance', { Name: 'late' }),
  }))).Instances[0].InstanceId;
  await waitFor(row(late), 6000);
  assert.equal(await stateOf(late), 'state s-running running');
  assert.ok(await evaluate(`!!document.querySelector('#detail-${web[0]}')`), 'the detail stays open');
  // Another account and Region, chosen in the header.
  const other = new EC2Client({ endpoint: srv.endpoint, region: 'eu-west-1', credentials: { accessKeyId: '222233334444', secretAccessKey: 'x' } });
  const euVpc = (await other.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16', TagSpecifications: tags('vpc', { Name: 'eu-vpc' }) }))).Vpc.VpcId;
  other.destroy();
  await waitFor(`[...document.querySelectorAll('#account option')].some((o) => o.value === '222233334444')`, 6000);
  await evaluate(`(() => { const a = document.querySelector('#account'); a.value = '222233334444'; a.dispatchEvent(new Event('change')); })()`);
  assert.equal(await evaluate(`document.querySelector('#region').value`), 'eu-west-1');
  await evaluate(`document.querySelector('#kinds button[data-kind="vpc"]').click()`);
  await waitFor(row(euVpc));
  assert.equal((await cells(euVpc))[0], 'eu-vpc');
  assert.deepEqual(browser.logs, [], 'nothing in the console or the network log');
  console.log(`state page: ${web.length + 2} instances (running, stopped, terminated), ${kinds.length} kinds within 1280 px, details, live refresh, accounts and Regions, no console errors; screenshot at ${png}`);
} finally {
  await browser?.close();
  srv.child.kill();
}
