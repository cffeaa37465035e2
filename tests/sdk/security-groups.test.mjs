// CreateSecurityGroup, DescribeSecurityGroups, AuthorizeSecurityGroupIngress through the
// real SDK.
//
// Sources: ec2-errors.md (rows named in each test); EC2 User Guide "Default security
// groups for your VPCs" (default-security-group.html: all inbound from the group itself,
// all outbound) and "Security group rules" (a new group has one outbound allow-all rule
// and no inbound rules).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  paginateDescribeSecurityGroups,
} from '@aws-sdk/client-ec2';
import { expectEc2Error, useServer } from './helpers.mjs';

const srv = useServer();
const MISSING_SG = 'sg-0123456789abcdef0';

async function defaultVpcId() {
  const { Vpcs } = await srv.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
  assert.equal(Vpcs.length, 1);
  return Vpcs[0].VpcId;
}

async function group(id) {
  const { SecurityGroups } = await srv.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }));
  assert.equal(SecurityGroups.length, 1);
  return SecurityGroups[0];
}

const ssh = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };

describe('CreateSecurityGroup and DescribeSecurityGroups', () => {
  test('a new group without VpcId lands in the default VPC with one egress allow-all rule and no ingress', async () => {
    const vpcId = await defaultVpcId();
    const out = await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web servers' }));
    assert.match(out.GroupId, /^sg-[0-9a-f]{17}$/);
    assert.match(out.SecurityGroupArn, new RegExp(`^arn:aws:ec2:us-east-1:\\d{12}:security-group/${out.GroupId}$`));
    const g = await group(out.GroupId);
    assert.equal(g.GroupName, 'web');
    assert.equal(g.Description, 'web servers');
    assert.equal(g.VpcId, vpcId);
    assert.match(g.OwnerId, /^\d{12}$/);
    assert.deepEqual(g.IpPermissions, []);
    assert.equal(g.IpPermissionsEgress.length, 1);
    assert.equal(g.IpPermissionsEgress[0].IpProtocol, '-1');
    assert.deepEqual(g.IpPermissionsEgress[0].IpRanges, [{ CidrIp: '0.0.0.0/0' }]);
  });

  test('the same name may be used in another VPC; TagSpecifications tag the group', async () => {
    const { Vpc } = await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
    await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'in default VPC' }));
    const out = await srv.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: 'app',
        Description: 'in my VPC',
        VpcId: Vpc.VpcId,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'team', Value: 'blue' }] }],
      }),
    );
    assert.deepEqual(out.Tags, [{ Key: 'team', Value: 'blue' }]);
    const g = await group(out.GroupId);
    assert.equal(g.VpcId, Vpc.VpcId);
    assert.deepEqual(g.Tags, [{ Key: 'team', Value: 'blue' }]);
    // The new VPC came with its own `default` group.
    const { SecurityGroups } = await srv.ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [Vpc.VpcId] }] }),
    );
    assert.deepEqual(SecurityGroups.map((x) => x.GroupName).sort(), ['app', 'default']);
  });

  test('DescribeSecurityGroups by GroupNames looks in the default VPC; filters group-name and tag:', async () => {
    const { GroupId } = await srv.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: 'db',
        Description: 'databases',
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'tier', Value: 'data' }] }],
      }),
    );
    const byName = await srv.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['db'] }));
    assert.deepEqual(byName.SecurityGroups.map((g) => g.GroupId), [GroupId]);
    const byFilter = await srv.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['d?'] }] }));
    assert.deepEqual(byFilter.SecurityGroups.map((g) => g.GroupId), [GroupId]);
    const byTag = await srv.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:tier', Values: ['data'] }] }));
    assert.deepEqual(byTag.SecurityGroups.map((g) => g.GroupId), [GroupId]);
  });

  test('paginateDescribeSecurityGroups returns every group exactly once (pageSize 5)', async () => {
    const created = [];
    for (let n = 0; n < 11; n++) {
      created.push((await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: `g${n}`, Description: 'x' }))).GroupId);
    }
    const seen = [];
    let pages = 0;
    for await (const page of paginateDescribeSecurityGroups({ client: srv.ec2, pageSize: 5 }, {})) {
      pages += 1;
      assert.ok(page.SecurityGroups.length <= 5);
      seen.push(...page.SecurityGroups.map((g) => g.GroupId));
    }
    // 11 created + the default VPC's `default` group.
    assert.equal(seen.length, 12);
    assert.equal(new Set(seen).size, 12);
    assert.equal(pages, 3);
    for (const id of created) assert.ok(seen.includes(id));
  });
});

describe('AuthorizeSecurityGroupIngress', () => {
  test('a TCP rule from a CIDR shows in IpPermissions and comes back as a SecurityGroupRule', async () => {
    const { GroupId } = await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'ssh', Description: 'ssh' }));
    const out = await srv.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [ssh] }));
    assert.equal(out.Return, true);
    assert.equal(out.SecurityGroupRules.length, 1);
    const r = out.SecurityGroupRules[0];
    assert.match(r.SecurityGroupRuleId, /^sgr-[0-9a-f]{17}$/);
    assert.equal(r.GroupId, GroupId);
    assert.equal(r.IsEgress, false);
    assert.equal(r.IpProtocol, 'tcp');
    assert.equal(r.FromPort, 22);
    assert.equal(r.ToPort, 22);
    assert.equal(r.CidrIpv4, '0.0.0.0/0');
    const g = await group(GroupId);
    assert.equal(g.IpPermissions.length, 1);
    assert.equal(g.IpPermissions[0].IpProtocol, 'tcp');
    assert.equal(g.IpPermissions[0].FromPort, 22);
    assert.equal(g.IpPermissions[0].ToPort, 22);
    assert.deepEqual(g.IpPermissions[0].IpRanges, [{ CidrIp: '0.0.0.0/0' }]);
  });

  test('by GroupName (default VPC), with a peer security group and with all traffic (-1)', async () => {
    const { GroupId: web } = await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' }));
    const { GroupId: db } = await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'db', Description: 'db' }));
    await srv.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupName: 'db',
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: web }] },
          { IpProtocol: '-1', IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
        ],
      }),
    );
    const g = await group(db);
    const pg = g.IpPermissions.find((p) => p.IpProtocol === 'tcp');
    assert.equal(pg.FromPort, 5432);
    assert.equal(pg.UserIdGroupPairs[0].GroupId, web);
    const all = g.IpPermissions.find((p) => p.IpProtocol === '-1');
    assert.deepEqual(all.IpRanges, [{ CidrIp: '10.0.0.0/8' }]);
    assert.equal(all.FromPort, undefined);
    const byPeer = await srv.ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'ip-permission.group-id', Values: [web] }] }),
    );
    assert.deepEqual(byPeer.SecurityGroups.map((x) => x.GroupId), [db]);
  });

  // ec2-errors.md: InvalidPermission.Duplicate (AWS-raw ansible#19759, galaxyproject/cloudlaunch#56,
  // tf-aws-security-group#351): lower-case "the", upper-case protocol, ports; ALL without ports.
  test('InvalidPermission.Duplicate: the exact AWS rule text for TCP and for all traffic', async () => {
    const { GroupId } = await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'dup', Description: 'dup' }));
    await srv.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [ssh] }));
    await expectEc2Error(srv.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [ssh] })), {
      code: 'InvalidPermission.Duplicate',
      message: 'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists',
    });
    const all = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
    await srv.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [all] }));
    await expectEc2Error(srv.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [all] })), {
      code: 'InvalidPermission.Duplicate',
      message: 'the specified rule "peer: 0.0.0.0/0, ALL, ALLOW" already exists',
    });
    const udp = { IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '10.1.0.0/16' }] };
    await srv.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [udp] }));
    await expectEc2Error(srv.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [udp] })), {
      code: 'InvalidPermission.Duplicate',
      message: 'the specified rule "peer: 10.1.0.0/16, UDP, from port: 53, to port: 53, ALLOW" already exists',
    });
  });

  // ec2-errors.md: InvalidPermission.Duplicate also applies with a security group as the peer.
  test('InvalidPermission.Duplicate: a security-group peer is named by its id', async () => {
    const { GroupId: a } = await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'a', Description: 'a' }));
    const { GroupId: b } = await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'b', Description: 'b' }));
    const perm = { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: a }] };
    await srv.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: b, IpPermissions: [perm] }));
    await expectEc2Error(srv.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: b, IpPermissions: [perm] })), {
      code: 'InvalidPermission.Duplicate',
      message: `the specified rule "peer: ${a}, TCP, from port: 80, to port: 80, ALLOW" already exists`,
    });
  });

  // ec2-errors.md: InvalidParameterValue (dup in one request) (AWS-raw terraform-provider-aws#2587).
  test('InvalidParameterValue: the same permission twice in one request', async () => {
    const { GroupId } = await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'twice', Description: 'x' }));
    await expectEc2Error(srv.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [ssh, ssh] })), {
      code: 'InvalidParameterValue',
      message: 'The same permission must not appear multiple times',
    });
    // Nothing was added.
    assert.deepEqual((await group(GroupId)).IpPermissions, []);
  });
});

describe('errors', () => {
  // ec2-errors.md: InvalidGroup.Duplicate names the VPC (AWS-raw hashicorp/terraform#15428).
  test("InvalidGroup.Duplicate: \"The security group '{name}' already exists for VPC '{vpc-id}'\"", async () => {
    const vpcId = await defaultVpcId();
    await srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'twin', Description: 'x' }));
    await expectEc2Error(srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'twin', Description: 'y' })), {
      code: 'InvalidGroup.Duplicate',
      message: `The security group 'twin' already exists for VPC '${vpcId}'`,
    });
    await expectEc2Error(srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'default', Description: 'y' })), {
      code: 'InvalidGroup.Duplicate',
      message: `The security group 'default' already exists for VPC '${vpcId}'`,
    });
  });

  // ec2-errors.md: InvalidGroup.NotFound by id (AWS-raw boto3#701).
  test('InvalidGroup.NotFound: an unknown group id, on DescribeSecurityGroups and AuthorizeSecurityGroupIngress', async () => {
    const expected = { code: 'InvalidGroup.NotFound', message: `The security group '${MISSING_SG}' does not exist` };
    await expectEc2Error(srv.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [MISSING_SG] })), expected);
    await expectEc2Error(srv.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: MISSING_SG, IpPermissions: [ssh] })), expected);
  });

  // ec2-errors.md: InvalidGroup.NotFound by name in the default VPC (AWS-raw aws-cli#5348, aws-cli#1207).
  test("InvalidGroup.NotFound: an unknown GroupName \"does not exist in default VPC '{vpc-id}'\"", async () => {
    const vpcId = await defaultVpcId();
    const expected = {
      code: 'InvalidGroup.NotFound',
      message: `The security group 'nobody' does not exist in default VPC '${vpcId}'`,
    };
    await expectEc2Error(srv.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['nobody'] })), expected);
    await expectEc2Error(srv.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupName: 'nobody', IpPermissions: [ssh] })), expected);
  });

  // ec2-errors.md: InvalidGroupId.Malformed, "security-group" with a hyphen (AWS-raw pry0cc/axiom#644).
  test("InvalidGroupId.Malformed: \"The security-group ID '{value}' is malformed\"", async () => {
    await expectEc2Error(srv.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-nothex'] })), {
      code: 'InvalidGroupId.Malformed',
      message: "The security-group ID 'sg-nothex' is malformed",
    });
    await expectEc2Error(srv.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: 'web', IpPermissions: [ssh] })), {
      code: 'InvalidGroupId.Malformed',
      message: "The security-group ID 'web' is malformed",
    });
  });

  // ec2-errors.md: InvalidVpcID.NotFound, CreateSecurityGroup(VpcId) (AWS-raw terraform-aws-consul#29).
  test('InvalidVpcID.NotFound: CreateSecurityGroup in an unknown VPC', async () => {
    await expectEc2Error(
      srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'x', Description: 'x', VpcId: 'vpc-0123456789abcdef0' })),
      { code: 'InvalidVpcID.NotFound', message: "The vpc ID 'vpc-0123456789abcdef0' does not exist" },
    );
  });

  // ec2-errors.md: MissingParameter, wire name of the member (GroupDescription).
  test('MissingParameter: CreateSecurityGroup without a description', async () => {
    await expectEc2Error(srv.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'x' })), {
      code: 'MissingParameter',
      message: 'The request must contain the parameter GroupDescription',
    });
  });

  // ec2-errors.md: InvalidParameterValue (unknown filter).
  test("InvalidParameterValue: DescribeSecurityGroups with an unknown filter", async () => {
    await expectEc2Error(srv.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] })), {
      code: 'InvalidParameterValue',
      message: "The filter 'colour' is invalid",
    });
  });

  // ec2-errors.md: InvalidParameterValue (MaxResults): DescribeSecurityGroups' model range is 5..1000.
  test('InvalidParameterValue: DescribeSecurityGroups MaxResults below 5', async () => {
    await expectEc2Error(srv.ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 4 })), {
      code: 'InvalidParameterValue',
      message: 'Value ( 4 ) for parameter maxResults is invalid. Expecting a value greater than 5.',
    });
  });
});
