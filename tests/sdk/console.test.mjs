// GetConsoleOutput and GetPasswordData through the real SDK (src/handlers/instances/
// console.rs). The Windows password blob is decrypted with openssl, as the EC2 user guide
// ("Retrieve the password", `openssl pkeyutl -decrypt`) and `aws ec2 get-password-data
// --priv-launch-key` do: PKCS#1 v1.5 with the key pair's private key.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateKeyPairCommand,
  DeleteKeyPairCommand,
  GetConsoleOutputCommand,
  GetPasswordDataCommand,
  waitUntilInstanceRunning,
  waitUntilPasswordDataAvailable,
} from '@aws-sdk/client-ec2';
import { expectEc2Error, launch, useServer } from './helpers.mjs';

const WINDOWS = 'ami-0873e57d051852355'; // Windows Server 2022 (src/amis.rs)
const srv = useServer({ args: ['--transition-ms', '300'] });

test('console output appears once the instance has booted', async () => {
  const { ec2 } = srv;
  const [id] = await launch(ec2);
  const early = await ec2.send(new GetConsoleOutputCommand({ InstanceId: id }));
  assert.equal(early.InstanceId, id);
  assert.equal(early.Output, undefined);
  await waitUntilInstanceRunning({ client: ec2, maxWaitTime: 10, minDelay: 1 }, { InstanceIds: [id] });
  const out = await ec2.send(new GetConsoleOutputCommand({ InstanceId: id, Latest: true }));
  const text = Buffer.from(out.Output, 'base64').toString();
  assert.match(text, /Cloud-init v\. .* finished at /);
  assert.ok(text.includes(id));
  assert.ok(out.Timestamp instanceof Date);
  await expectEc2Error(ec2.send(new GetConsoleOutputCommand({ InstanceId: 'i-0123456789abcdef0' })), {
    code: 'InvalidInstanceID.NotFound',
    message: "The instance ID 'i-0123456789abcdef0' does not exist",
  });
});

test('a Windows password decrypts with the launch key; Linux has none', async () => {
  const { ec2 } = srv;
  const key = await ec2.send(new CreateKeyPairCommand({ KeyName: 'win' }));
  const [win] = await launch(ec2, { ImageId: WINDOWS, KeyName: 'win' });
  const [linux] = await launch(ec2, { KeyName: 'win' });
  const pending = await ec2.send(new GetPasswordDataCommand({ InstanceId: win }));
  assert.equal(pending.PasswordData, '');
  // The password outlives the key pair, as on EC2 (it was made at launch).
  await ec2.send(new DeleteKeyPairCommand({ KeyName: 'win' }));
  const wait = { client: ec2, maxWaitTime: 10, minDelay: 1 };
  const got = await waitUntilPasswordDataAvailable(wait, { InstanceId: win });
  const blob = got.reason.PasswordData;
  assert.equal(Buffer.from(blob, 'base64').length, 256);
  const again = await ec2.send(new GetPasswordDataCommand({ InstanceId: win }));
  assert.equal(again.PasswordData, blob, 'the same blob on every call');

  const tmp = mkdtempSync(join(tmpdir(), 'parlel-ec2-pw-'));
  try {
    writeFileSync(join(tmp, 'key.pem'), key.KeyMaterial, { mode: 0o600 });
    writeFileSync(join(tmp, 'pw.bin'), Buffer.from(blob, 'base64'));
    const password = execFileSync('openssl', [
      'pkeyutl', '-decrypt', '-inkey', join(tmp, 'key.pem'), '-in', join(tmp, 'pw.bin'),
      '-pkeyopt', 'rsa_padding_mode:pkcs1',
    ]).toString();
    assert.match(password, /^[\x21-\x7e]{32}$/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  await waitUntilInstanceRunning(wait, { InstanceIds: [linux] });
  const none = await ec2.send(new GetPasswordDataCommand({ InstanceId: linux }));
  assert.equal(none.PasswordData, '');
});
