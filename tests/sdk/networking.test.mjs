// Networking through the real SDK: regions and zones, account attributes, gateways, route
// tables and routes, Elastic IPs, NAT gateways, DHCP options, network ACLs — every
// operation and the EC2 errors clients branch on (sources next to each rule in
// src/handlers/ and tests/it/networking.rs).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AssociateDhcpOptionsCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateDhcpOptionsCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteDhcpOptionsCommand,
  DeleteInternetGatewayCommand,
  DeleteNatGatewayCommand,
  DeleteRouteCommand,
  DeleteRouteTableCommand,
  DescribeAccountAttributesCommand,
  DescribeAddressesCommand,
  DescribeAvailabilityZonesCommand,
  DescribeDhcpOptionsCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeRegionsCommand,
  DescribeRouteTablesCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DisassociateAddressCommand,
  DisassociateRouteTableCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  ReleaseAddressCommand,
  ReplaceRouteCommand,
  ReplaceRouteTableAssociationCommand,
} from '@aws-sdk/client-ec2';
import { expectDryRun, expectEc2Error, launch, useServer } from './helpers.mjs';

const srv = useServer();

async function vpcWithSubnet(ec2, cidr = '10.1.0.0/16', subnetCidr = '10.1.1.0/24') {
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: Vpc.VpcId, CidrBlock: subnetCidr }));
  return { vpc: Vpc.VpcId, subnet: Subnet.SubnetId };
}

async function mainTable(ec2, vpc) {
  const out = await ec2.send(
    new DescribeRouteTablesCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpc] },
        { Name: 'association.main', Values: ['true'] },
      ],
    }),
  );
  return out.RouteTables[0];
}

describe('regions, zones and the account', () => {
  test('DescribeRegions, DescribeAvailabilityZones, DescribeAccountAttributes', async () => {
    const { ec2 } = srv;
    const regions = await ec2.send(new DescribeRegionsCommand({}));
    const east = regions.Regions.find((r) => r.RegionName === 'us-east-1');
    assert.deepEqual(east, { RegionName: 'us-east-1', Endpoint: 'ec2.us-east-1.amazonaws.com', OptInStatus: 'opt-in-not-required' });
    const all = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    assert.ok(all.Regions.length > regions.Regions.length, 'AllRegions adds the opt-in regions');
    const zones = await ec2.send(new DescribeAvailabilityZonesCommand({}));
    assert.deepEqual(
      zones.AvailabilityZones.map((z) => z.ZoneName),
      ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'],
    );
    await expectEc2Error(ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1z'] })), {
      code: 'InvalidParameterValue',
      message: 'Invalid availability zone: [us-east-1z]',
    });
    const attrs = await ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ['default-vpc'] }));
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }));
    assert.equal(attrs.AccountAttributes[0].AttributeValues[0].AttributeValue, Vpcs[0].VpcId);
  });
});

describe('VPC and subnet attributes', () => {
  test('one attribute per call; DNS hostnames give instances public DNS names', async () => {
    const { ec2 } = srv;
    const { vpc, subnet } = await vpcWithSubnet(ec2);
    await expectEc2Error(
      ec2.send(
        new ModifyVpcAttributeCommand({ VpcId: vpc, EnableDnsHostnames: { Value: true }, EnableDnsSupport: { Value: true } }),
      ),
      { code: 'InvalidParameterCombination' },
    );
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpc, EnableDnsHostnames: { Value: true } }));
    const a = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpc, Attribute: 'enableDnsHostnames' }));
    assert.equal(a.EnableDnsHostnames.Value, true);
    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnet, MapPublicIpOnLaunch: { Value: true } }));
    const [id] = await launch(ec2, { SubnetId: subnet });
    const d = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    const i = d.Reservations[0].Instances[0];
    assert.ok(i.PublicIpAddress, 'public IP from MapPublicIpOnLaunch');
    assert.match(i.PublicDnsName, /^ec2-.*\.compute-1\.amazonaws\.com$/);
  });
});

describe('internet gateways', () => {
  test('attach once, one per VPC, detach, delete, NotFound', async () => {
    const { ec2 } = srv;
    const { vpc } = await vpcWithSubnet(ec2);
    const create = async () =>
      (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway.InternetGatewayId;
    const [igw, other] = [await create(), await create()];
    await expectDryRun(ec2, new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc, DryRun: true }));
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
    await expectEc2Error(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc })), {
      code: 'Resource.AlreadyAssociated',
      message: `resource ${igw} is already attached to network ${vpc}`,
    });
    await expectEc2Error(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: other, VpcId: vpc })), {
      code: 'InvalidParameterValue',
      message: `Network ${vpc} already has an internet gateway attached`,
    });
    await expectEc2Error(ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw })), {
      code: 'DependencyViolation',
      message: `The internetGateway '${igw}' has dependencies and cannot be deleted.`,
    });
    await expectEc2Error(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: other, VpcId: vpc })), {
      code: 'Gateway.NotAttached',
    });
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw }));
    await expectEc2Error(ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw] })), {
      code: 'InvalidInternetGatewayID.NotFound',
      message: `The internetGateway ID '${igw}' does not exist`,
    });
  });
});

describe('route tables and routes', () => {
  test('routes, associations, the main association, and their errors', async () => {
    const { ec2 } = srv;
    const { vpc, subnet } = await vpcWithSubnet(ec2);
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway.InternetGatewayId;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
    const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }));
    const rtb = RouteTable.RouteTableId;
    assert.deepEqual(RouteTable.Routes, [
      { DestinationCidrBlock: '10.1.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
    ]);
    await ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
    await expectEc2Error(
      ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw })),
      { code: 'RouteAlreadyExists', message: 'The route identified by 0.0.0.0/0 already exists.' },
    );
    await ec2.send(new ReplaceRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
    const { AssociationId } = await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: subnet }));
    await expectEc2Error(ec2.send(new DeleteRouteTableCommand({ RouteTableId: rtb })), {
      code: 'DependencyViolation',
      message: `The routeTable '${rtb}' has dependencies and cannot be deleted.`,
    });
    await ec2.send(new DisassociateRouteTableCommand({ AssociationId }));
    await expectEc2Error(ec2.send(new DisassociateRouteTableCommand({ AssociationId })), {
      code: 'InvalidAssociationID.NotFound',
      message: `The association ID '${AssociationId}' does not exist`,
    });
    // The main association moves, and moves back.
    const main = await mainTable(ec2, vpc);
    const moved = await ec2.send(
      new ReplaceRouteTableAssociationCommand({ AssociationId: main.Associations[0].RouteTableAssociationId, RouteTableId: rtb }),
    );
    assert.equal((await mainTable(ec2, vpc)).RouteTableId, rtb);
    await ec2.send(
      new ReplaceRouteTableAssociationCommand({ AssociationId: moved.NewAssociationId, RouteTableId: main.RouteTableId }),
    );
    await expectEc2Error(ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '192.168.0.0/16' })), {
      code: 'InvalidRoute.NotFound',
    });
    await ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0' }));
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: rtb }));
    await expectEc2Error(ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] })), {
      code: 'InvalidRouteTableID.NotFound',
      message: `The routeTable ID '${rtb}' does not exist`,
    });
  });
});

describe('Elastic IPs and NAT gateways', () => {
  test('allocate, associate with an instance, disassociate, release', async () => {
    const { ec2 } = srv;
    const { VpcId } = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs[0];
    const [id] = await launch(ec2);
    const eip = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    assert.match(eip.AllocationId, /^eipalloc-[0-9a-f]{17}$/);
    const { AssociationId } = await ec2.send(new AssociateAddressCommand({ AllocationId: eip.AllocationId, InstanceId: id }));
    const d = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    assert.equal(d.Reservations[0].Instances[0].PublicIpAddress, eip.PublicIp);
    const listed = await ec2.send(new DescribeAddressesCommand({ AllocationIds: [eip.AllocationId] }));
    assert.equal(listed.Addresses[0].InstanceId, id);
    await expectEc2Error(ec2.send(new ReleaseAddressCommand({ AllocationId: eip.AllocationId })), {
      code: 'InvalidIPAddress.InUse',
    });
    await expectEc2Error(ec2.send(new ReleaseAddressCommand({ PublicIp: eip.PublicIp })), {
      code: 'InvalidParameterValue',
      message: 'You must specify an allocation id when releasing a VPC elastic IP address',
    });
    await ec2.send(new DisassociateAddressCommand({ AssociationId }));
    await ec2.send(new ReleaseAddressCommand({ AllocationId: eip.AllocationId }));
    await expectEc2Error(ec2.send(new DescribeAddressesCommand({ AllocationIds: [eip.AllocationId] })), {
      code: 'InvalidAllocationID.NotFound',
    });
    assert.ok(VpcId);
  });

  test('a public NAT gateway fails without an internet gateway; NatGatewayNotFound', async () => {
    const { ec2 } = srv;
    const { subnet } = await vpcWithSubnet(ec2);
    const eip = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const { NatGateway } = await ec2.send(new CreateNatGatewayCommand({ SubnetId: subnet, AllocationId: eip.AllocationId }));
    assert.equal(NatGateway.State, 'failed');
    assert.equal(NatGateway.FailureCode, 'Gateway.NotAttached');
    await ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: NatGateway.NatGatewayId }));
    await expectEc2Error(ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: ['nat-0123456789abcdef0'] })), {
      code: 'NatGatewayNotFound',
      message: 'NAT gateway nat-0123456789abcdef0 was not found',
    });
  });
});

describe('DHCP options and network ACLs', () => {
  test('the default sets, a set of your own, DependencyViolation while used', async () => {
    const { ec2 } = srv;
    const { vpc, subnet } = await vpcWithSubnet(ec2);
    const defaults = await ec2.send(new DescribeDhcpOptionsCommand({}));
    assert.deepEqual(
      defaults.DhcpOptions[0].DhcpConfigurations.map((c) => [c.Key, c.Values.map((v) => v.Value)]),
      [['domain-name', ['ec2.internal']], ['domain-name-servers', ['AmazonProvidedDNS']]],
    );
    const { DhcpOptions } = await ec2.send(
      new CreateDhcpOptionsCommand({ DhcpConfigurations: [{ Key: 'domain-name-servers', Values: ['10.0.0.2'] }] }),
    );
    const id = DhcpOptions.DhcpOptionsId;
    await ec2.send(new AssociateDhcpOptionsCommand({ DhcpOptionsId: id, VpcId: vpc }));
    await expectEc2Error(ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: id })), {
      code: 'DependencyViolation',
      message: `The dhcpOptions '${id}' has dependencies and cannot be deleted.`,
    });
    await ec2.send(new AssociateDhcpOptionsCommand({ DhcpOptionsId: 'default', VpcId: vpc }));
    await ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: id }));
    const acls = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnet] }] }));
    assert.equal(acls.NetworkAcls.length, 1);
    assert.equal(acls.NetworkAcls[0].IsDefault, true);
    assert.deepEqual(
      acls.NetworkAcls[0].Entries.map((e) => [e.RuleNumber, e.Egress, e.RuleAction]),
      [[100, false, 'allow'], [32767, false, 'deny'], [100, true, 'allow'], [32767, true, 'deny']],
    );
  });
});

describe('DryRun on the networking operations', () => {
  test('412 after validation, and nothing is created or changed', async () => {
    const { ec2 } = srv;
    const { vpc, subnet } = await vpcWithSubnet(ec2);
    const eip = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const before = await Promise.all([
      ec2.send(new DescribeInternetGatewaysCommand({})),
      ec2.send(new DescribeRouteTablesCommand({})),
      ec2.send(new DescribeAddressesCommand({})),
      ec2.send(new DescribeDhcpOptionsCommand({})),
      ec2.send(new DescribeNatGatewaysCommand({})),
    ]);
    for (const command of [
      new CreateInternetGatewayCommand({ DryRun: true }),
      new CreateRouteTableCommand({ VpcId: vpc, DryRun: true }),
      new AllocateAddressCommand({ Domain: 'vpc', DryRun: true }),
      new CreateDhcpOptionsCommand({ DhcpConfigurations: [{ Key: 'domain-name', Values: ['x.example'] }], DryRun: true }),
      new CreateNatGatewayCommand({ SubnetId: subnet, AllocationId: eip.AllocationId, DryRun: true }),
      new DescribeRegionsCommand({ DryRun: true }),
      new DescribeAddressesCommand({ DryRun: true }),
    ]) {
      await expectDryRun(ec2, command);
    }
    const after = await Promise.all([
      ec2.send(new DescribeInternetGatewaysCommand({})),
      ec2.send(new DescribeRouteTablesCommand({})),
      ec2.send(new DescribeAddressesCommand({})),
      ec2.send(new DescribeDhcpOptionsCommand({})),
      ec2.send(new DescribeNatGatewaysCommand({})),
    ]);
    const strip = (outs) => outs.map(({ $metadata, ...rest }) => rest);
    assert.deepEqual(strip(after), strip(before));
    // ModifyVpcAttribute and ModifySubnetAttribute have no DryRun member in EC2's model.
  });
});
