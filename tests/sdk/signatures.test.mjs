// --verify-signatures through the real SDK: configured credentials sign and pass, a wrong
// secret or an unknown key is refused with EC2's codes, the credential's account owns
// what it creates, and a presigned DescribeInstances URL works until it expires
// (src/sigv4.rs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { CreateTagsCommand, CreateVpcCommand, DescribeTagsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { SignatureV4 } from '@smithy/signature-v4';
import { errorOf, expectEc2Error, useServer } from './helpers.mjs';

const srv = useServer({
  args: ['--verify-signatures', '--credential', 'AKIATESTKEY:topsecret:210987654321'],
});

const client = (accessKeyId, secretAccessKey, region = 'us-east-1') => new EC2Client({
  endpoint: srv.endpoint, region, credentials: { accessKeyId, secretAccessKey },
});

/** node:crypto as the signer's SHA-256 (HMAC when given a secret). */
class Sha256 {
  constructor(secret) {
    this.h = secret ? createHmac('sha256', Buffer.from(secret)) : createHash('sha256');
  }
  update(data) { this.h.update(typeof data === 'string' ? Buffer.from(data) : Buffer.from(data)); }
  async digest() { return new Uint8Array(this.h.digest()); }
}

test('signed with the configured credential: accepted, in its account', async () => {
  const ec2 = client('AKIATESTKEY', 'topsecret', 'eu-west-1');
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }));
  assert.equal(vpc.Vpc.OwnerId, '210987654321');
  const vpcs = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc.Vpc.VpcId] }));
  assert.equal(vpcs.Vpcs[0].CidrBlock, '10.9.0.0/16');
});

test('a wrong secret, an unknown key and no signature are refused as EC2 refuses them', async () => {
  await expectEc2Error(client('AKIATESTKEY', 'wrong').send(new DescribeVpcsCommand({})), {
    code: 'SignatureDoesNotMatch', status: 403,
    message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  });
  await expectEc2Error(client('AKIAUNKNOWN', 'topsecret').send(new DescribeVpcsCommand({})), {
    code: 'AuthFailure', status: 401, message: 'AWS was not able to validate the provided access credentials',
  });
  // The default parlel/parlel pair is not accepted once credentials are configured.
  await expectEc2Error(srv.ec2.send(new DescribeVpcsCommand({})), { code: 'AuthFailure', status: 401, message: /validate/ });
  const r = await fetch(`${srv.endpoint}/`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=DescribeVpcs&Version=2016-11-15',
  });
  assert.equal(r.status, 403);
  assert.deepEqual(errorOf(await r.text()), {
    code: 'MissingAuthenticationToken',
    message: 'The request must contain either a valid (registered) AWS access key ID or X.509 certificate.',
  });
  // Admin routes stay open.
  assert.equal((await fetch(`${srv.endpoint}/_parlel/health`)).status, 200);
});

test('a presigned DescribeInstances URL works until it expires', async () => {
  const url = new URL(srv.endpoint);
  const signer = new SignatureV4({
    service: 'ec2', region: 'us-east-1', sha256: Sha256,
    credentials: { accessKeyId: 'AKIATESTKEY', secretAccessKey: 'topsecret' },
  });
  const request = {
    method: 'GET', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/',
    query: { Action: 'DescribeInstances', Version: '2016-11-15' },
    headers: { host: url.host },
  };
  const get = async (signed) => {
    const q = new URLSearchParams(signed.query).toString();
    return fetch(`${srv.endpoint}/?${q}`, { headers: signed.headers });
  };
  const fresh = await signer.presign(request, { expiresIn: 60 });
  const ok = await get(fresh);
  assert.equal(ok.status, 200, await ok.clone().text());
  assert.match(await ok.text(), /<DescribeInstancesResponse/);
  // Signed 10 minutes ago for 60 seconds: expired (AWS-raw wording, aws/aws-sdk-java#1443).
  const old = await signer.presign(request, { expiresIn: 60, signingDate: new Date(Date.now() - 600_000) });
  const late = await get(old);
  assert.equal(late.status, 400);
  assert.deepEqual(errorOf(await late.text()), { code: 'RequestExpired', message: 'Request has expired.' });
  // A query changed after signing no longer matches.
  const tampered = { ...fresh, query: { ...fresh.query, Action: 'DescribeVpcs' } };
  assert.equal((await get(tampered)).status, 403);
});

test('canonical-request edge cases sign and verify: spaces, non-ASCII, empty values, repeated keys', async () => {
  const ec2 = client('AKIATESTKEY', 'topsecret');
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }))).Vpc.VpcId;
  await ec2.send(new CreateTagsCommand({
    Resources: [vpc],
    Tags: [{ Key: 'Name', Value: 'a  b c' }, { Key: 'ünï', Value: '☃ + & = %' }, { Key: 'empty', Value: '' }],
  }));
  const tags = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [vpc] }] }));
  assert.deepEqual(
    Object.fromEntries(tags.Tags.map((t) => [t.Key, t.Value])),
    { Name: 'a  b c', 'ünï': '☃ + & = %', empty: '' },
  );
  // A presigned GET whose query repeats a key.
  const url = new URL(srv.endpoint);
  const signer = new SignatureV4({
    service: 'ec2', region: 'us-east-1', sha256: Sha256,
    credentials: { accessKeyId: 'AKIATESTKEY', secretAccessKey: 'topsecret' },
  });
  const signed = await signer.presign({
    method: 'GET', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/',
    query: { Action: 'DescribeVpcs', Version: '2016-11-15', 'VpcId.1': [vpc, vpc] },
    headers: { host: url.host },
  }, { expiresIn: 60 });
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(signed.query)) for (const x of [].concat(v)) q.append(k, x);
  const r = await fetch(`${srv.endpoint}/?${q.toString().replace(/\+/g, '%20')}`, { headers: signed.headers });
  // The signature covers both values (sorted by value); past it, EC2's parser refuses
  // the repeated parameter.
  assert.equal(r.status, 400);
  const e = errorOf(await r.text());
  assert.equal(e.code, 'InvalidParameterValue');
  assert.match(e.message, /^The parameter VpcId.1 appears more than once/);
});

test('a body changed after the SDK signed it is refused; the x-amz-content-sha256 it sends is not taken on trust', async () => {
  const ec2 = client('AKIATESTKEY', 'topsecret');
  let sent;
  // Innermost step: runs after signing, just before the request goes out.
  ec2.middlewareStack.add((next) => async (args) => {
    sent = { ...args.request.headers };
    args.request.body = args.request.body.replace('10.11.0.0%2F16', '10.12.0.0%2F16');
    return next(args);
  }, { step: 'deserialize', name: 'swapBodyAfterSigning' });
  await expectEc2Error(ec2.send(new CreateVpcCommand({ CidrBlock: '10.11.0.0/16' })), {
    code: 'SignatureDoesNotMatch', status: 403, message: /^The request signature we calculated does not match/,
  });
  assert.match(sent['x-amz-content-sha256'] ?? '', /^[0-9a-f]{64}$/, 'the SDK sends the payload hash header');
  const vpcs = await client('AKIATESTKEY', 'topsecret').send(new DescribeVpcsCommand({}));
  assert.ok(!vpcs.Vpcs.some((v) => ['10.11.0.0/16', '10.12.0.0/16'].includes(v.CidrBlock)), 'nothing was created');
});

test('a scope naming a Region EC2 does not have is refused', async () => {
  await expectEc2Error(client('AKIATESTKEY', 'topsecret', 'xx-east-9').send(new DescribeVpcsCommand({})), {
    code: 'SignatureDoesNotMatch', status: 403, message: "Credential should be scoped to a valid region, not 'xx-east-9'. ",
  });
});
