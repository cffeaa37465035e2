// The instance metadata service (--imds-port) through the JS SDK's own metadata client:
// fromInstanceMetadata, pointed at it by AWS_EC2_METADATA_SERVICE_ENDPOINT, reads the
// role credentials of the instance selected with POST /_parlel/imds (the client drops any
// path, so the selected instance, else the newest running one, answers) (src/imds.rs).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import {
  EC2Client, RunInstancesCommand, ModifyInstanceMetadataOptionsCommand, StartInstancesCommand, StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { fromInstanceMetadata } from '@smithy/credential-provider-imds';
import { AMI, BIN } from './helpers.mjs';

const child = spawn(BIN, ['--port', '0', '--imds-port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
after(() => child.kill());
const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
const address = async () => (await lines.next()).value.trim().split(' ').pop();
const endpoint = await address();
const imds = await address();
const ec2 = new EC2Client({ endpoint, region: 'us-west-2', credentials: { accessKeyId: 'parlel', secretAccessKey: 'parlel' } });

test('fromInstanceMetadata reads the selected instance\'s role credentials over IMDSv2', async () => {
  const run = await ec2.send(new RunInstancesCommand({
    ImageId: AMI, InstanceType: 't3.micro', MinCount: 2, MaxCount: 2, IamInstanceProfile: { Name: 'worker' },
    MetadataOptions: { HttpTokens: 'required' },
  }));
  const [first] = run.Instances.map((i) => i.InstanceId);
  const sel = await fetch(`${endpoint}/_parlel/imds`, { method: 'POST', body: JSON.stringify({ InstanceId: first }) });
  assert.equal(sel.status, 200);
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = imds;
  const creds = await fromInstanceMetadata({ timeout: 2000, maxRetries: 0 })();
  assert.match(creds.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.equal(creds.secretAccessKey.length, 40);
  assert.ok(creds.sessionToken);
  assert.ok(creds.expiration instanceof Date && creds.expiration > new Date());
  // The same instance by its path prefix; IMDSv1 refused because tokens are required.
  const v1 = await fetch(`${imds}/${first}/latest/meta-data/instance-id`);
  assert.equal(v1.status, 401);
  const put = await fetch(`${imds}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' } });
  // The answer names the TTL granted, as EC2's does (the Go SDK v2 and Rust SDK need it).
  assert.equal(put.headers.get('x-aws-ec2-metadata-token-ttl-seconds'), '60');
  const token = await put.text();
  const id = await (await fetch(`${imds}/latest/meta-data/instance-id`, { headers: { 'X-aws-ec2-metadata-token': token } })).text();
  assert.equal(id, first);
  const region = await (await fetch(`${imds}/latest/meta-data/placement/region`, { headers: { 'X-aws-ec2-metadata-token': token } })).text();
  assert.equal(region, 'us-west-2');
  // A token without its TTL header is refused.
  assert.equal((await fetch(`${imds}/latest/api/token`, { method: 'PUT' })).status, 400);
  // Tags are not served unless InstanceMetadataTags is enabled.
  const tags = await fetch(`${imds}/latest/meta-data/tags/instance`, { headers: { 'X-aws-ec2-metadata-token': token } });
  assert.equal(tags.status, 404);
  await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: first, InstanceMetadataTags: 'enabled' }));
  const on = await fetch(`${imds}/latest/meta-data/tags/instance`, { headers: { 'X-aws-ec2-metadata-token': token } });
  assert.equal(on.status, 200);
});

test('a stopped instance has no metadata service; an unknown one cannot be selected', async () => {
  const run = await ec2.send(new RunInstancesCommand({
    ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, IamInstanceProfile: { Name: 'batch' },
  }));
  const id = run.Instances[0].InstanceId;
  const select = (InstanceId) => fetch(`${endpoint}/_parlel/imds`, { method: 'POST', body: JSON.stringify({ InstanceId }) });
  const unknown = await select('i-0123456789abcdef0');
  assert.equal(unknown.status, 404);
  assert.match((await unknown.json()).error, /i-0123456789abcdef0/);
  assert.equal((await select(id)).status, 200);
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = imds;
  await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
  // 404 to the token and the role: the client finds no credentials there.
  await assert.rejects(fromInstanceMetadata({ timeout: 2000, maxRetries: 0 })(), (e) => e.statusCode === 404);
  await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
  const creds = await fromInstanceMetadata({ timeout: 2000, maxRetries: 0 })();
  assert.match(creds.accessKeyId, /^ASIA/);
});
