// CreateKeyPair and DescribeKeyPairs through the real SDK, with the key material checked
// by real parsers: node:crypto for the RSA PEM, and ssh-keygen (when installed) for the
// ed25519 OpenSSH key.
//
// Sources: ec2-errors.md (rows named in each test); CreateKeyPair API reference (RSA
// default, `KeyType` rsa|ed25519, `KeyFormat` pem|ppk; "The private key is returned as an
// unencrypted PEM encoded PKCS#1 private key"); EC2 User Guide "Verify the fingerprint of
// your key pair" (verify-keys.html: a key created by AWS has the SHA-1 of its DER PKCS#8
// private key as fingerprint, ed25519 keys the base64 SHA-256 of the public key, possibly
// with `=` padding); "Describe your public keys" (IncludePublicKey gives the OpenSSH line).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyPairCommand, DescribeKeyPairsCommand, ImportKeyPairCommand } from '@aws-sdk/client-ec2';
import { expectEc2Error, useServer } from './helpers.mjs';

// RSA generation is the slow part (about 0.5 s in a debug build), so the RSA tests share
// one key; every test uses its own key names, and tests that list keys reset first.
const srv = useServer({ resetEachTest: false });

const tmp = mkdtempSync(join(tmpdir(), 'parlel-ec2-keys-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

let sshKeygen = null;
try {
  execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
} catch (e) {
  // ssh-keygen -? exits non-zero but exists; ENOENT means it is not installed.
  if (e.code !== 'ENOENT') sshKeygen = 'ssh-keygen';
}

function writeKey(name, material) {
  const path = join(tmp, name);
  writeFileSync(path, material, { mode: 0o600 });
  return path;
}

/** The SSH wire encoding of a string / mpint (RFC 4251 section 5). */
function sshString(buf) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length);
  return Buffer.concat([len, buf]);
}
function sshMpint(b64url) {
  let b = Buffer.from(b64url, 'base64url');
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return sshString(b);
}

describe('CreateKeyPair (RSA, the default)', () => {
  let created;
  let described;
  before(async () => {
    created = await srv.ec2.send(new CreateKeyPairCommand({ KeyName: 'rsa-default' }));
    described = (await srv.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['rsa-default'], IncludePublicKey: true }))).KeyPairs;
  });

  test('the key material is an unencrypted PKCS#1 RSA PEM of 2048 bits that node:crypto parses', () => {
    assert.equal(created.KeyName, 'rsa-default');
    assert.match(created.KeyPairId, /^key-[0-9a-f]{17}$/);
    assert.match(created.KeyMaterial, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    assert.match(created.KeyMaterial, /\n-----END RSA PRIVATE KEY-----\n?$/);
    const key = createPrivateKey(created.KeyMaterial);
    assert.equal(key.asymmetricKeyType, 'rsa');
    assert.equal(key.asymmetricKeyDetails.modulusLength, 2048);
  });

  test('the fingerprint is the colon-separated SHA-1 of the DER PKCS#8 private key (verify-keys.html)', () => {
    assert.match(created.KeyFingerprint, /^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    const der = createPrivateKey(created.KeyMaterial).export({ type: 'pkcs8', format: 'der' });
    const sha1 = createHash('sha1').update(der).digest('hex').match(/../g).join(':');
    assert.equal(created.KeyFingerprint, sha1);
  });

  test('DescribeKeyPairs shows rsa, the same fingerprint, and with IncludePublicKey the matching ssh-rsa line', async () => {
    assert.equal(described.length, 1);
    const k = described[0];
    assert.equal(k.KeyName, 'rsa-default');
    assert.equal(k.KeyPairId, created.KeyPairId);
    assert.equal(k.KeyType, 'rsa');
    assert.equal(k.KeyFingerprint, created.KeyFingerprint);
    assert.ok(k.CreateTime instanceof Date);
    const jwk = createPublicKey(createPrivateKey(created.KeyMaterial)).export({ format: 'jwk' });
    const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), sshMpint(jwk.e), sshMpint(jwk.n)]);
    assert.equal(k.PublicKey, `ssh-rsa ${blob.toString('base64')} rsa-default`);
    // Without IncludePublicKey there is no public key.
    const plain = await srv.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['rsa-default'] }));
    assert.equal(plain.KeyPairs[0].PublicKey, undefined);
  });

  test('ssh-keygen derives the same public key from the RSA PEM', { skip: !sshKeygen && 'ssh-keygen not installed' }, () => {
    const path = writeKey('rsa-default.pem', created.KeyMaterial + (created.KeyMaterial.endsWith('\n') ? '' : '\n'));
    const derived = execFileSync(sshKeygen, ['-y', '-f', path], { encoding: 'utf8' }).trim().split(' ').slice(0, 2).join(' ');
    assert.equal(derived, described[0].PublicKey.split(' ').slice(0, 2).join(' '));
  });

  test("KeyFormat 'ppk' gives a PuTTY private key", async () => {
    const out = await srv.ec2.send(new CreateKeyPairCommand({ KeyName: 'putty', KeyFormat: 'ppk' }));
    assert.match(out.KeyMaterial, /^PuTTY-User-Key-File-\d: ssh-rsa\r?\n/);
    assert.match(out.KeyMaterial, /\nComment: putty\r?\n/);
  });
});

describe('CreateKeyPair (ed25519)', () => {
  test('the key material is an unencrypted OpenSSH private key; the fingerprint is the padded base64 SHA-256 of the public key', async () => {
    const out = await srv.ec2.send(new CreateKeyPairCommand({ KeyName: 'ed', KeyType: 'ed25519' }));
    assert.match(out.KeyMaterial, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    assert.match(out.KeyMaterial, /\n-----END OPENSSH PRIVATE KEY-----\n$/);
    const body = out.KeyMaterial.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
    const raw = Buffer.from(body, 'base64');
    assert.equal(raw.subarray(0, 15).toString('latin1'), 'openssh-key-v1\0');
    // cipher "none", kdf "none": unencrypted.
    assert.equal(raw.readUInt32BE(15), 4);
    assert.equal(raw.subarray(19, 23).toString(), 'none');

    const { KeyPairs } = await srv.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['ed'], IncludePublicKey: true }));
    assert.equal(KeyPairs[0].KeyType, 'ed25519');
    assert.equal(KeyPairs[0].KeyFingerprint, out.KeyFingerprint);
    const [type, b64, comment] = KeyPairs[0].PublicKey.split(' ');
    assert.equal(type, 'ssh-ed25519');
    assert.equal(comment, 'ed');
    assert.match(out.KeyFingerprint, /^[A-Za-z0-9+/]{43}=$/);
    assert.equal(out.KeyFingerprint, createHash('sha256').update(Buffer.from(b64, 'base64')).digest('base64'));
    // The private key file carries the same public key blob.
    assert.ok(raw.includes(Buffer.from(b64, 'base64')), 'the OpenSSH key embeds the public key');
  });

  test('ssh-keygen -y reads the ed25519 key and derives the described public key; -l prints the same SHA256 fingerprint', { skip: !sshKeygen && 'ssh-keygen not installed' }, async () => {
    const out = await srv.ec2.send(new CreateKeyPairCommand({ KeyName: 'ed-ssh', KeyType: 'ed25519' }));
    const { KeyPairs } = await srv.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['ed-ssh'], IncludePublicKey: true }));
    const path = writeKey('ed-ssh', out.KeyMaterial);
    const derived = execFileSync(sshKeygen, ['-y', '-f', path], { encoding: 'utf8' }).trim();
    assert.equal(derived.split(' ').slice(0, 2).join(' '), KeyPairs[0].PublicKey.split(' ').slice(0, 2).join(' '));
    const listed = execFileSync(sshKeygen, ['-l', '-E', 'sha256', '-f', path], { encoding: 'utf8' });
    const printed = listed.match(/SHA256:([A-Za-z0-9+/]+)/)[1];
    assert.equal(`${printed}=`, out.KeyFingerprint);
  });
});

describe('DescribeKeyPairs', () => {
  test('by KeyNames, KeyPairIds and the documented filters key-name, fingerprint, key-pair-id, tag:', async () => {
    await srv.server.reset();
    const a = await srv.ec2.send(
      new CreateKeyPairCommand({ KeyName: 'alpha', KeyType: 'ed25519', TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'owner', Value: 'ops' }] }] }),
    );
    assert.deepEqual(a.Tags, [{ Key: 'owner', Value: 'ops' }]);
    const b = await srv.ec2.send(new CreateKeyPairCommand({ KeyName: 'beta', KeyType: 'ed25519' }));
    const names = (out) => out.KeyPairs.map((k) => k.KeyName).sort();
    assert.deepEqual(names(await srv.ec2.send(new DescribeKeyPairsCommand({}))), ['alpha', 'beta']);
    assert.deepEqual(names(await srv.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['alpha'] }))), ['alpha']);
    assert.deepEqual(names(await srv.ec2.send(new DescribeKeyPairsCommand({ KeyPairIds: [b.KeyPairId] }))), ['beta']);
    assert.deepEqual(names(await srv.ec2.send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'key-name', Values: ['al*'] }] }))), ['alpha']);
    assert.deepEqual(names(await srv.ec2.send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'fingerprint', Values: [b.KeyFingerprint] }] }))), ['beta']);
    assert.deepEqual(names(await srv.ec2.send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'key-pair-id', Values: [a.KeyPairId] }] }))), ['alpha']);
    const tagged = await srv.ec2.send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'tag:owner', Values: ['ops'] }] }));
    assert.deepEqual(names(tagged), ['alpha']);
    assert.deepEqual(tagged.KeyPairs[0].Tags, [{ Key: 'owner', Value: 'ops' }]);
  });

  test('a new account has no key pairs', async () => {
    await srv.server.reset();
    assert.deepEqual((await srv.ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs, []);
  });
});

describe('errors', () => {
  // ec2-errors.md: InvalidKeyPair.Duplicate, "keypair" in one word, trailing period
  // (AWS-raw iterative/terraform-provider-iterative#14, drpebcak/rancher-as-code#1).
  test("InvalidKeyPair.Duplicate: \"The keypair '{name}' already exists.\"", async () => {
    await srv.ec2.send(new CreateKeyPairCommand({ KeyName: 'twice', KeyType: 'ed25519' }));
    await expectEc2Error(srv.ec2.send(new CreateKeyPairCommand({ KeyName: 'twice' })), {
      code: 'InvalidKeyPair.Duplicate',
      message: "The keypair 'twice' already exists.",
    });
  });

  // ec2-errors.md: InvalidKeyPair.NotFound, "key pair" in two words, no period (AWS-rec key_pair_deleted).
  test("InvalidKeyPair.NotFound: \"The key pair '{name}' does not exist\"", async () => {
    await expectEc2Error(srv.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['ghost'] })), {
      code: 'InvalidKeyPair.NotFound',
      message: "The key pair 'ghost' does not exist",
    });
  });

  // ec2-errors.md: MissingParameter (wire name keyName).
  test('MissingParameter: CreateKeyPair without KeyName', async () => {
    await expectEc2Error(srv.ec2.send(new CreateKeyPairCommand({})), {
      code: 'MissingParameter',
      message: 'The request must contain the parameter keyName',
    });
  });

  // ec2-errors.md: InvalidParameterValue (unknown filter).
  test('InvalidParameterValue: DescribeKeyPairs with an unknown filter', async () => {
    await expectEc2Error(srv.ec2.send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'bits', Values: ['2048'] }] })), {
      code: 'InvalidParameterValue',
      message: "The filter 'bits' is invalid",
    });
  });
});

// ImportKeyPair (API reference: OpenSSH, RFC 4716 or base64 DER; RSA 1024/2048/4096 or
// ED25519). Fingerprints per verify-keys.html: an imported RSA key's is the MD5 of its DER
// SubjectPublicKeyInfo, an ED25519 key's the base64 SHA-256 of the SSH blob. Keys are
// made by node:crypto, so the expected values do not come from the emulator's code.
describe('ImportKeyPair', () => {
  const sshString = (b) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };

  test('an OpenSSH ed25519 line and a DER RSA key import with EC2 fingerprints', async () => {
    const { ec2 } = srv;
    const { generateKeyPairSync } = await import('node:crypto');
    const ed = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
    const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(ed.subarray(-32))]);
    const line = `ssh-ed25519 ${blob.toString('base64')} someone@laptop\n`;
    const a = await ec2.send(new ImportKeyPairCommand({
      KeyName: 'imported-ed', PublicKeyMaterial: Buffer.from(line),
      TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'k', Value: 'v' }] }],
    }));
    assert.equal(a.KeyFingerprint, createHash('sha256').update(blob).digest('base64'));
    assert.match(a.KeyPairId, /^key-[0-9a-f]{17}$/);
    assert.deepEqual(a.Tags, [{ Key: 'k', Value: 'v' }]);

    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'der', type: 'spki' });
    const b = await ec2.send(new ImportKeyPairCommand({
      KeyName: 'imported-rsa', PublicKeyMaterial: Buffer.from(rsa.toString('base64')),
    }));
    assert.equal(b.KeyFingerprint, createHash('md5').update(rsa).digest('hex').match(/../g).join(':'));

    const d = await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['imported-ed', 'imported-rsa'], IncludePublicKey: true }));
    assert.deepEqual(d.KeyPairs.map((k) => [k.KeyName, k.KeyType]), [['imported-ed', 'ed25519'], ['imported-rsa', 'rsa']]);
    assert.equal(d.KeyPairs[0].PublicKey, `ssh-ed25519 ${blob.toString('base64')} imported-ed`);
  });

  test('bad material is InvalidKey.Format; a taken name is InvalidKeyPair.Duplicate', async () => {
    const { ec2 } = srv;
    // aws/aws-sdk-js#314: base64 text of the key line, encoded once more by the caller.
    const doubled = Buffer.from(Buffer.from('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKzvfE+qS09w+okgrO0gY7jryF0lSCxdEO/O0UaUhuZe').toString('base64'));
    for (const material of [doubled, Buffer.from('ssh-dss AAAAB3NzaC1kc3MAAAACAQI= x'), Buffer.from('hello')]) {
      await expectEc2Error(
        ec2.send(new ImportKeyPairCommand({ KeyName: 'bad-import', PublicKeyMaterial: material })),
        { code: 'InvalidKey.Format', message: 'Key is not in valid OpenSSH public key format' },
      );
    }
    const ok = Buffer.from('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKzvfE+qS09w+okgrO0gY7jryF0lSCxdEO/O0UaUhuZe algo@ssh');
    await ec2.send(new ImportKeyPairCommand({ KeyName: 'dup-import', PublicKeyMaterial: ok }));
    await expectEc2Error(
      ec2.send(new ImportKeyPairCommand({ KeyName: 'dup-import', PublicKeyMaterial: ok })),
      { code: 'InvalidKeyPair.Duplicate', message: "The keypair 'dup-import' already exists." },
    );
    await assert.rejects(ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['bad-import'] })), { name: 'InvalidKeyPair.NotFound' });
  });
});
