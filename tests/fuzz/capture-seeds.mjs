// Regenerates the seed corpora from what the real @aws-sdk/client-ec2 sends: runs a
// scenario of SDK calls against the emulator, records each serialized request body, and
// writes them as seeds for both fuzz targets (ids replaced by $vpc, $subnet, $sg, $i for
// request_path, which substitutes the newest of each).
//
//   cargo build && node tests/fuzz/capture-seeds.mjs   (needs tests/sdk's node_modules)
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(resolve(here, '../sdk/package.json'));
const sdk = require('@aws-sdk/client-ec2');
const { startServer } = await import(resolve(here, '../sdk/helpers.mjs'));

const server = await startServer();
const ec2 = server.ec2;
const sent = []; // [action, body]
ec2.middlewareStack.add(
  (next) => async (args) => {
    const body = String(args.request.body ?? '');
    sent.push([new URLSearchParams(body).get('Action'), body]);
    return next(args);
  },
  { step: 'finalizeRequest', name: 'captureBody' },
);
const call = async (name, input) => {
  try {
    return await ec2.send(new sdk[`${name}Command`](input));
  } catch (e) {
    return { error: e.name };
  }
};
const AMI = 'ami-0abcdef1234567890';
const tag = (type, key, value) => [{ ResourceType: type, Tags: [{ Key: key, Value: value }] }];

// Scenarios: each becomes one multi-request seed for request_path.
const scenarios = [];
const scenario = async (steps) => {
  const from = sent.length;
  for (const s of steps) await s();
  scenarios.push(sent.slice(from));
};

let vpc, subnet, sg, inst;
await scenario([
  async () => (vpc = (await call('CreateVpc', { CidrBlock: '10.0.0.0/16', TagSpecifications: tag('vpc', 'Name', 'fuzz') })).Vpc.VpcId),
  async () => (subnet = (await call('CreateSubnet', { VpcId: vpc, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' })).Subnet.SubnetId),
  async () => (sg = (await call('CreateSecurityGroup', { GroupName: 'web', Description: 'web tier', VpcId: vpc })).GroupId),
  async () => call('AuthorizeSecurityGroupIngress', { GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'https' }] }] }),
  async () => (inst = (await call('RunInstances', { ImageId: AMI, InstanceType: 't3.micro', MinCount: 2, MaxCount: 2, SubnetId: subnet, SecurityGroupIds: [sg], TagSpecifications: tag('instance', 'env', 'test') })).Instances.map((i) => i.InstanceId)),
  async () => call('CreateTags', { Resources: [inst[0], vpc], Tags: [{ Key: 'owner', Value: 'me' }] }),
  async () => call('StopInstances', { InstanceIds: inst }),
  async () => call('DescribeSubnets', { SubnetIds: [subnet] }),
]);
await scenario([
  async () => call('StartInstances', { InstanceIds: [inst[0]] }),
  async () => call('TerminateInstances', { InstanceIds: inst }),
  async () => call('DescribeInstances', { Filters: [{ Name: 'instance-state-name', Values: ['terminated', 'shutting-down'] }] }),
  async () => call('DescribeTags', { Filters: [{ Name: 'resource-type', Values: ['instance'] }], MaxResults: 5 }),
]);
await scenario([
  async () => call('CreateKeyPair', { KeyName: 'ops', KeyType: 'ed25519', KeyFormat: 'pem', TagSpecifications: tag('key-pair', 'team', 'a') }),
  async () => call('RunInstances', { ImageId: AMI, MinCount: 1, MaxCount: 1, KeyName: 'ops', ClientToken: 'tok-1', UserData: 'IyEvYmluL2Jhc2gKZWNobyBoaQ==', BlockDeviceMappings: [{ DeviceName: '/dev/xvdb', Ebs: { VolumeSize: 20, VolumeType: 'gp3', DeleteOnTermination: true } }], MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } }),
  async () => call('DescribeKeyPairs', { KeyNames: ['ops'], IncludePublicKey: true }),
  async () => call('DescribeInstances', { Filters: [{ Name: 'key-name', Values: ['ops'] }] }),
]);
// Single requests.
await call('DescribeVpcs', {});
await call('DescribeVpcs', { Filters: [{ Name: 'is-default', Values: ['true'] }] });
await call('DescribeVpcs', { VpcIds: [vpc], DryRun: true });
await call('DescribeSubnets', { Filters: [{ Name: 'vpc-id', Values: [vpc] }, { Name: 'availability-zone', Values: ['us-east-1a', 'us-east-1b'] }] });
await call('DescribeSecurityGroups', { GroupIds: [sg] });
await call('DescribeSecurityGroups', { Filters: [{ Name: 'group-name', Values: ['default'] }], MaxResults: 5 });
await call('DescribeImages', { ImageIds: [AMI] });
await call('DescribeImages', { Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-*'] }, { Name: 'architecture', Values: ['x86_64'] }] });
await call('DescribeInstances', { InstanceIds: [inst[0]] });
await call('DescribeInstances', { MaxResults: 5, Filters: [{ Name: 'tag:env', Values: ['test'] }] });
await call('DescribeTags', { Filters: [{ Name: 'key', Values: ['Name'] }] });
await call('DescribeKeyPairs', {});
await call('CreateVpc', { CidrBlock: '10.1.0.0/16', InstanceTenancy: 'default', AmazonProvidedIpv6CidrBlock: false });
await call('CreateVpc', { CidrBlock: '10.2.0.0/28', DryRun: true });
await call('CreateSubnet', { VpcId: vpc, CidrBlock: '10.0.2.0/28', AvailabilityZoneId: 'use1-az2' });
await call('CreateSecurityGroup', { GroupName: 'db', Description: 'db tier', VpcId: vpc, TagSpecifications: tag('security-group', 'tier', 'db') });
await call('AuthorizeSecurityGroupIngress', { GroupId: sg, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: sg, Description: 'self' }] }, { IpProtocol: 'udp', FromPort: 53, ToPort: 53, Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] });
await call('AuthorizeSecurityGroupIngress', { GroupName: 'default', IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' });
await call('CreateKeyPair', { KeyName: 'rsa-key', KeyType: 'rsa', KeyFormat: 'ppk' });
await call('RunInstances', { ImageId: AMI, MinCount: 1, MaxCount: 3, InstanceType: 't3.nano', Placement: { AvailabilityZone: 'us-east-1b' }, Monitoring: { Enabled: true }, DisableApiTermination: true });
await call('RunInstances', { ImageId: AMI, MinCount: 1, MaxCount: 1, NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnet, AssociatePublicIpAddress: true, Groups: [sg] }], PrivateIpAddress: '10.0.1.50' });
await call('RunInstances', { ImageId: AMI, MinCount: 1, MaxCount: 1, DryRun: true });
await call('CreateTags', { Resources: [AMI], Tags: [{ Key: 'k', Value: '' }, { Key: 'aws:x', Value: 'no' }] });
await call('StopInstances', { InstanceIds: [inst[0]], Force: true, Hibernate: false });
await call('TerminateInstances', { InstanceIds: ['i-0123456789abcdef0'] });
await server.stop();

const ops = ['AuthorizeSecurityGroupIngress', 'CreateKeyPair', 'CreateSecurityGroup', 'CreateSubnet', 'CreateTags', 'CreateVpc', 'DescribeImages', 'DescribeInstances', 'DescribeKeyPairs', 'DescribeSecurityGroups', 'DescribeSubnets', 'DescribeTags', 'DescribeVpcs', 'RunInstances', 'StartInstances', 'StopInstances', 'TerminateInstances'];
const placeholders = (body) =>
  body
    .replace(/subnet-[0-9a-f]{17}/g, '$$subnet')
    .replace(/vpc-[0-9a-f]{17}/g, '$$vpc')
    .replace(/sg-[0-9a-f]{17}/g, '$$sg')
    .replace(/(?<![a-z])i-[0-9a-f]{17}/g, '$$i');
// The first byte picks the operation modulo 17 when Action does not: 'D' (68 = 4 × 17) + index
// keeps it printable and never a newline.
const line = ([action, body]) => Buffer.concat([Buffer.from([68 + Math.max(0, ops.indexOf(action))]), Buffer.from(placeholders(body))]);
const dir = (t) => {
  const d = resolve(here, 'corpus', t);
  mkdirSync(d, { recursive: true });
  return d;
};
const name = (n, action) => `seed-${String(n).padStart(2, '0')}-${action}`;
sent.forEach(([action, body], n) => {
  writeFileSync(resolve(dir('query_decode'), name(n, action)), body);
  writeFileSync(resolve(dir('request_path'), name(n, action)), line([action, body]));
});
scenarios.forEach((s, n) => {
  const joined = Buffer.concat(s.flatMap((r, k) => (k ? [Buffer.from('\n'), line(r)] : [line(r)])));
  writeFileSync(resolve(dir('request_path'), `seed-scenario-${n}`), joined);
});
console.log(`${sent.length} requests, ${scenarios.length} scenarios`);
