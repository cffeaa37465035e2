// CreateVpc, DescribeVpcs, CreateSubnet, DescribeSubnets through the real SDK, and the
// start state of a new account (default VPC, default subnets, default security group).
//
// Sources: ec2-errors.md (rows named in each test); Amazon VPC User Guide "Default VPCs"
// (default-vpc.html: 172.31.0.0/16, a /20 default subnet per Availability Zone, public
// IPv4 addresses on launch) and "VPC CIDR blocks" (netmask /16 to /28, a subnet inside
// its VPC's block, no overlap between subnets).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EC2Client,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import { expectEc2Error, useServer } from './helpers.mjs';

const srv = useServer();
const MISSING_VPC = 'vpc-0123456789abcdef0';

describe('start state (VPC User Guide, "Default VPCs")', () => {
  test('one default VPC 172.31.0.0/16, available', async () => {
    const { Vpcs } = await srv.ec2.send(new DescribeVpcsCommand({}));
    assert.equal(Vpcs.length, 1);
    const v = Vpcs[0];
    assert.match(v.VpcId, /^vpc-[0-9a-f]{17}$/);
    assert.equal(v.CidrBlock, '172.31.0.0/16');
    assert.equal(v.IsDefault, true);
    assert.equal(v.State, 'available');
    assert.equal(v.InstanceTenancy, 'default');
    assert.match(v.DhcpOptionsId, /^dopt-/);
    assert.match(v.OwnerId, /^\d{12}$/);
    assert.equal(v.CidrBlockAssociationSet[0].CidrBlock, '172.31.0.0/16');
    assert.equal(v.CidrBlockAssociationSet[0].CidrBlockState.State, 'associated');
  });

  test('one /20 default subnet per Availability Zone of the region, inside the default VPC, mapping public IPs', async () => {
    const { Vpcs } = await srv.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    const { Subnets } = await srv.ec2.send(new DescribeSubnetsCommand({}));
    assert.ok(Subnets.length >= 2, `${Subnets.length} default subnets`);
    const azs = Subnets.map((s) => s.AvailabilityZone);
    assert.equal(new Set(azs).size, Subnets.length, 'one per Availability Zone');
    for (const s of Subnets) {
      assert.equal(s.VpcId, Vpcs[0].VpcId);
      assert.equal(s.DefaultForAz, true);
      assert.equal(s.MapPublicIpOnLaunch, true);
      assert.equal(s.State, 'available');
      assert.match(s.CidrBlock, /^172\.31\.\d+\.0\/20$/);
      assert.match(s.AvailabilityZone, /^us-east-1[a-z]$/);
      assert.match(s.AvailabilityZoneId, /^use1-az\d$/);
      // A /20 has 4096 addresses, 5 reserved by AWS.
      assert.equal(s.AvailableIpAddressCount, 4091);
    }
  });

  test("the default VPC has a 'default' security group", async () => {
    const { Vpcs } = await srv.ec2.send(new DescribeVpcsCommand({}));
    const { SecurityGroups } = await srv.ec2.send(new DescribeSecurityGroupsCommand({}));
    assert.equal(SecurityGroups.length, 1);
    const g = SecurityGroups[0];
    assert.equal(g.GroupName, 'default');
    assert.equal(g.Description, 'default VPC security group');
    assert.equal(g.VpcId, Vpcs[0].VpcId);
    // EC2 User Guide, "Default security groups": inbound from the group itself, outbound to anywhere.
    assert.equal(g.IpPermissions.length, 1);
    assert.equal(g.IpPermissions[0].IpProtocol, '-1');
    assert.equal(g.IpPermissions[0].UserIdGroupPairs[0].GroupId, g.GroupId);
    assert.equal(g.IpPermissionsEgress[0].IpProtocol, '-1');
    assert.deepEqual(g.IpPermissionsEgress[0].IpRanges, [{ CidrIp: '0.0.0.0/0' }]);
  });

  // DESIGN.md contract: state is partitioned by region, which comes from the SigV4 scope.
  test('each region has its own start state: a VPC created in us-east-1 is not in eu-west-1', async () => {
    const eu = new EC2Client({
      endpoint: srv.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'parlel', secretAccessKey: 'parlel' },
    });
    try {
      await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
      const { Vpcs } = await eu.send(new DescribeVpcsCommand({}));
      assert.deepEqual(Vpcs.map((v) => [v.CidrBlock, v.IsDefault]), [['172.31.0.0/16', true]]);
      const { Subnets } = await eu.send(new DescribeSubnetsCommand({}));
      assert.ok(Subnets.length >= 2);
      for (const sn of Subnets) assert.match(sn.AvailabilityZone, /^eu-west-1[a-z]$/);
    } finally {
      eu.destroy();
    }
  });

  test('POST /_parlel/reset removes what was created and restores the default VPC', async () => {
    await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }));
    assert.equal((await srv.ec2.send(new DescribeVpcsCommand({}))).Vpcs.length, 2);
    await srv.server.reset();
    const after = (await srv.ec2.send(new DescribeVpcsCommand({}))).Vpcs;
    assert.equal(after.length, 1);
    assert.equal(after[0].CidrBlock, '172.31.0.0/16');
    assert.equal(after[0].IsDefault, true);
  });
});

describe('CreateVpc and DescribeVpcs', () => {
  test('CreateVpc answers the new VPC; DescribeVpcs finds it by id and by filter; it gets a default security group', async () => {
    const { Vpc } = await srv.ec2.send(
      new CreateVpcCommand({ CidrBlock: '10.0.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'main' }] }] }),
    );
    assert.match(Vpc.VpcId, /^vpc-[0-9a-f]{17}$/);
    assert.equal(Vpc.CidrBlock, '10.0.0.0/16');
    assert.equal(Vpc.IsDefault, false);
    assert.equal(Vpc.State, 'pending');
    assert.deepEqual(Vpc.Tags, [{ Key: 'Name', Value: 'main' }]);
    const byId = await srv.ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc.VpcId] }));
    assert.equal(byId.Vpcs.length, 1);
    assert.equal(byId.Vpcs[0].State, 'available');
    const byCidr = await srv.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'cidr', Values: ['10.0.0.0/16'] }] }));
    assert.deepEqual(byCidr.Vpcs.map((v) => v.VpcId), [Vpc.VpcId]);
    const byTag = await srv.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['main'] }] }));
    assert.deepEqual(byTag.Vpcs.map((v) => v.VpcId), [Vpc.VpcId]);
    const { SecurityGroups } = await srv.ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [Vpc.VpcId] }] }),
    );
    assert.deepEqual(SecurityGroups.map((g) => g.GroupName), ['default']);
  });

  test('/16 and /28 are the VPC netmask bounds', async () => {
    await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }));
    await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/28' }));
  });

  test('paginateDescribeVpcs returns every VPC exactly once (pageSize 5)', async () => {
    for (let n = 0; n < 11; n++) await srv.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${n}.0.0/16` }));
    const seen = [];
    for await (const page of paginateDescribeVpcs({ client: srv.ec2, pageSize: 5 }, {})) {
      assert.ok(page.Vpcs.length <= 5);
      seen.push(...page.Vpcs.map((v) => v.VpcId));
    }
    assert.equal(seen.length, 12);
    assert.equal(new Set(seen).size, 12);
  });

  // ec2-errors.md: InvalidVpc.Range (AWS-raw grycap/im#1011, /8).
  test("InvalidVpc.Range: a netmask outside /16-/28 is \"The CIDR '{cidr}' is invalid.\"", async () => {
    for (const cidr of ['10.0.0.0/8', '10.0.0.0/15', '10.0.0.0/29']) {
      await expectEc2Error(srv.ec2.send(new CreateVpcCommand({ CidrBlock: cidr })), {
        code: 'InvalidVpc.Range',
        message: `The CIDR '${cidr}' is invalid.`,
      });
    }
  });

  // ec2-errors.md: InvalidParameterValue (CIDR syntax).
  test('InvalidParameterValue: CreateVpc with a CIDR that does not parse', async () => {
    await expectEc2Error(srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/33' })), {
      code: 'InvalidParameterValue',
      message: 'Value (10.0.0.0/33) for parameter cidrBlock is invalid. This is not a valid CIDR block.',
    });
    await expectEc2Error(srv.ec2.send(new CreateVpcCommand({ CidrBlock: 'banana' })), {
      code: 'InvalidParameterValue',
      message: 'Value (banana) for parameter cidrBlock is invalid. This is not a valid CIDR block.',
    });
  });

  // ec2-errors.md: MissingParameter (wire name cidrBlock).
  test('MissingParameter: CreateVpc without CidrBlock', async () => {
    await expectEc2Error(srv.ec2.send(new CreateVpcCommand({})), {
      code: 'MissingParameter',
      message: 'The request must contain the parameter cidrBlock',
    });
  });

  // ec2-errors.md: InvalidVpcID.NotFound (AWS-raw terraform-aws-consul#29, aws-load-balancer-controller#1188).
  test("InvalidVpcID.NotFound: \"The vpc ID '{id}' does not exist\" (one and several)", async () => {
    await expectEc2Error(srv.ec2.send(new DescribeVpcsCommand({ VpcIds: [MISSING_VPC] })), {
      code: 'InvalidVpcID.NotFound',
      message: `The vpc ID '${MISSING_VPC}' does not exist`,
    });
    await expectEc2Error(srv.ec2.send(new DescribeVpcsCommand({ VpcIds: [MISSING_VPC, 'vpc-0123456789abcdef1'] })), {
      code: 'InvalidVpcID.NotFound',
      message: `The vpc IDs '${MISSING_VPC}, vpc-0123456789abcdef1' do not exist`,
    });
  });

  // ec2-errors.md: InvalidParameterValue (unknown filter).
  test('InvalidParameterValue: DescribeVpcs with an unknown filter', async () => {
    await expectEc2Error(srv.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'size', Values: ['big'] }] })), {
      code: 'InvalidParameterValue',
      message: "The filter 'size' is invalid",
    });
  });

  // ec2-errors.md: InvalidParameterValue (bad NextToken) (AWS-raw boto3#2673, DescribeVpcs).
  test('InvalidParameterValue: DescribeVpcs with a garbage NextToken', async () => {
    await expectEc2Error(srv.ec2.send(new DescribeVpcsCommand({ NextToken: 'not-a-token' })), {
      code: 'InvalidParameterValue',
      message: 'Value ( not-a-token ) for parameter NextToken is invalid. The token is invalid.',
    });
  });
});

describe('CreateSubnet and DescribeSubnets', () => {
  test('CreateSubnet answers the subnet in the requested AZ; DescribeSubnets finds it by id and filters', async () => {
    const { Vpc } = await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const { Subnet } = await srv.ec2.send(
      new CreateSubnetCommand({
        VpcId: Vpc.VpcId,
        CidrBlock: '10.0.1.0/24',
        AvailabilityZone: 'us-east-1b',
        TagSpecifications: [{ ResourceType: 'subnet', Tags: [{ Key: 'Name', Value: 'private-b' }] }],
      }),
    );
    assert.match(Subnet.SubnetId, /^subnet-[0-9a-f]{17}$/);
    assert.equal(Subnet.VpcId, Vpc.VpcId);
    assert.equal(Subnet.CidrBlock, '10.0.1.0/24');
    assert.equal(Subnet.AvailabilityZone, 'us-east-1b');
    assert.equal(Subnet.DefaultForAz, false);
    assert.equal(Subnet.MapPublicIpOnLaunch, false);
    assert.equal(Subnet.AvailableIpAddressCount, 251);
    assert.deepEqual(Subnet.Tags, [{ Key: 'Name', Value: 'private-b' }]);
    const byId = await srv.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [Subnet.SubnetId] }));
    assert.equal(byId.Subnets[0].CidrBlock, '10.0.1.0/24');
    const byVpc = await srv.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [Vpc.VpcId] }] }));
    assert.deepEqual(byVpc.Subnets.map((s) => s.SubnetId), [Subnet.SubnetId]);
    const byTag = await srv.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'tag:Name', Values: ['private-*'] }] }));
    assert.deepEqual(byTag.Subnets.map((s) => s.SubnetId), [Subnet.SubnetId]);
  });

  test('paginateDescribeSubnets returns every subnet exactly once (pageSize 5)', async () => {
    const { Vpc } = await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    for (let n = 0; n < 7; n++) {
      await srv.ec2.send(new CreateSubnetCommand({ VpcId: Vpc.VpcId, CidrBlock: `10.0.${n}.0/24` }));
    }
    const total = (await srv.ec2.send(new DescribeSubnetsCommand({}))).Subnets.length;
    const seen = [];
    for await (const page of paginateDescribeSubnets({ client: srv.ec2, pageSize: 5 }, {})) {
      assert.ok(page.Subnets.length <= 5);
      seen.push(...page.Subnets.map((s) => s.SubnetId));
    }
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
  });

  // ec2-errors.md: InvalidSubnet.Range (AWS-raw pulumi-awsx#111): outside the VPC, or size out of range.
  test("InvalidSubnet.Range: a block outside the VPC or outside /16-/28 is \"The CIDR '{cidr}' is invalid.\"", async () => {
    const { Vpc } = await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    for (const cidr of ['10.1.0.0/24', '10.0.0.0/29', '10.0.0.0/15']) {
      await expectEc2Error(srv.ec2.send(new CreateSubnetCommand({ VpcId: Vpc.VpcId, CidrBlock: cidr })), {
        code: 'InvalidSubnet.Range',
        message: `The CIDR '${cidr}' is invalid.`,
      });
    }
  });

  // ec2-errors.md: InvalidSubnet.Conflict (AWS-raw hashicorp/terraform#33470, klotho#783).
  test("InvalidSubnet.Conflict: an overlapping block is \"The CIDR '{cidr}' conflicts with another subnet\"", async () => {
    const { Vpc } = await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    await srv.ec2.send(new CreateSubnetCommand({ VpcId: Vpc.VpcId, CidrBlock: '10.0.0.0/24' }));
    for (const cidr of ['10.0.0.0/24', '10.0.0.128/25', '10.0.0.0/23']) {
      await expectEc2Error(srv.ec2.send(new CreateSubnetCommand({ VpcId: Vpc.VpcId, CidrBlock: cidr })), {
        code: 'InvalidSubnet.Conflict',
        message: `The CIDR '${cidr}' conflicts with another subnet`,
      });
    }
    // The default VPC's subnets conflict too.
    const { Vpcs } = await srv.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    await expectEc2Error(srv.ec2.send(new CreateSubnetCommand({ VpcId: Vpcs[0].VpcId, CidrBlock: '172.31.0.0/24' })), {
      code: 'InvalidSubnet.Conflict',
      message: "The CIDR '172.31.0.0/24' conflicts with another subnet",
    });
  });

  // ec2-errors.md: InvalidVpcID.NotFound, CreateSubnet.
  test('InvalidVpcID.NotFound: CreateSubnet in an unknown VPC', async () => {
    await expectEc2Error(srv.ec2.send(new CreateSubnetCommand({ VpcId: MISSING_VPC, CidrBlock: '10.0.0.0/24' })), {
      code: 'InvalidVpcID.NotFound',
      message: `The vpc ID '${MISSING_VPC}' does not exist`,
    });
  });

  // ec2-errors.md: MissingParameter (wire name vpcId).
  test('MissingParameter: CreateSubnet without VpcId', async () => {
    await expectEc2Error(srv.ec2.send(new CreateSubnetCommand({ CidrBlock: '10.0.0.0/24' })), {
      code: 'MissingParameter',
      message: 'The request must contain the parameter vpcId',
    });
  });

  // ec2-errors.md: InvalidParameterValue (AZ).
  test('InvalidParameterValue: CreateSubnet in an Availability Zone of another region', async () => {
    const { Vpc } = await srv.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    await expectEc2Error(
      srv.ec2.send(new CreateSubnetCommand({ VpcId: Vpc.VpcId, CidrBlock: '10.0.0.0/24', AvailabilityZone: 'eu-west-1a' })),
      {
        code: 'InvalidParameterValue',
        message: /^Value \(eu-west-1a\) for parameter availabilityZone is invalid\. Subnets can currently only be created in the following availability zones: us-east-1a, .*\.$/,
      },
    );
  });

  // ec2-errors.md: InvalidSubnetID.NotFound (AWS-raw jschementi/riker#42).
  test("InvalidSubnetID.NotFound: \"The subnet ID '{id}' does not exist\"", async () => {
    await expectEc2Error(srv.ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0123456789abcdef0'] })), {
      code: 'InvalidSubnetID.NotFound',
      message: "The subnet ID 'subnet-0123456789abcdef0' does not exist",
    });
  });

  // ec2-errors.md: InvalidParameterValue (unknown filter).
  test('InvalidParameterValue: DescribeSubnets with an unknown filter', async () => {
    await expectEc2Error(srv.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'x', Values: ['y'] }] })), {
      code: 'InvalidParameterValue',
      message: "The filter 'x' is invalid",
    });
  });
});
