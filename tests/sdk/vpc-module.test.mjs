// A VPC module built and destroyed the way Terraform's AWS provider does it
// (terraform-provider-aws internal/service/ec2: vpc_.go reads the DNS attributes, the main
// route table, the default security group and the default network ACL after CreateVpc;
// subnets, gateway, route tables, EIP, NAT gateway, security group with its default egress
// revoked), read back, then destroyed in reverse order treating NotFound as gone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteNatGatewayCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeAddressesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  ReleaseAddressCommand,
  RevokeSecurityGroupEgressCommand,
  waitUntilNatGatewayAvailable,
  waitUntilNatGatewayDeleted,
  waitUntilSubnetAvailable,
  waitUntilVpcAvailable,
} from '@aws-sdk/client-ec2';
import { useServer } from './helpers.mjs';

const srv = useServer();
const tags = (type, name) => [{ ResourceType: type, Tags: [{ Key: 'Name', Value: name }] }];

/** Runs `f`, treating the NotFound codes the provider ignores on destroy as success. */
async function gone(f) {
  try {
    await f();
  } catch (e) {
    if (!/NotFound$/.test(e.name)) throw e;
  }
}

test('a two-zone VPC with public and private subnets, IGW, EIP and NAT: apply, read, destroy', async () => {
  const { ec2 } = srv;
  const wait = { client: ec2, maxWaitTime: 10, minDelay: 1 };

  // -- aws_vpc
  const { Vpc } = await ec2.send(
    new CreateVpcCommand({ CidrBlock: '10.0.0.0/16', TagSpecifications: tags('vpc', 'main') }),
  );
  const vpc = Vpc.VpcId;
  await waitUntilVpcAvailable(wait, { VpcIds: [vpc] });
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpc, EnableDnsHostnames: { Value: true } }));
  for (const Attribute of ['enableDnsSupport', 'enableDnsHostnames', 'enableNetworkAddressUsageMetrics']) {
    const a = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpc, Attribute }));
    assert.equal(a.VpcId, vpc);
  }
  const main = await ec2.send(
    new DescribeRouteTablesCommand({
      Filters: [
        { Name: 'association.main', Values: ['true'] },
        { Name: 'vpc-id', Values: [vpc] },
      ],
    }),
  );
  assert.equal(main.RouteTables.length, 1, 'main route table');
  const defaultSg = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'group-name', Values: ['default'] },
        { Name: 'vpc-id', Values: [vpc] },
      ],
    }),
  );
  assert.equal(defaultSg.SecurityGroups.length, 1, 'default security group');
  const acl = await ec2.send(
    new DescribeNetworkAclsCommand({
      Filters: [
        { Name: 'default', Values: ['true'] },
        { Name: 'vpc-id', Values: [vpc] },
      ],
    }),
  );
  assert.equal(acl.NetworkAcls.length, 1, 'default network ACL');

  // -- aws_subnet x4, two zones
  const subnet = async (cidr, az, name, pub) => {
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr, AvailabilityZone: az, TagSpecifications: tags('subnet', name) }),
    );
    await waitUntilSubnetAvailable(wait, { SubnetIds: [Subnet.SubnetId] });
    if (pub) {
      await ec2.send(
        new ModifySubnetAttributeCommand({ SubnetId: Subnet.SubnetId, MapPublicIpOnLaunch: { Value: true } }),
      );
    }
    return Subnet.SubnetId;
  };
  const pub = [await subnet('10.0.0.0/24', 'us-east-1a', 'public-a', true), await subnet('10.0.1.0/24', 'us-east-1b', 'public-b', true)];
  const priv = [await subnet('10.0.10.0/24', 'us-east-1a', 'private-a'), await subnet('10.0.11.0/24', 'us-east-1b', 'private-b')];

  // -- aws_internet_gateway
  const { InternetGateway } = await ec2.send(
    new CreateInternetGatewayCommand({ TagSpecifications: tags('internet-gateway', 'main') }),
  );
  const igw = InternetGateway.InternetGatewayId;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
  const attached = await ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw] }));
  assert.deepEqual(attached.InternetGateways[0].Attachments, [{ State: 'available', VpcId: vpc }]);

  // -- public route table
  const { RouteTable: publicRt } = await ec2.send(
    new CreateRouteTableCommand({ VpcId: vpc, TagSpecifications: tags('route-table', 'public') }),
  );
  await ec2.send(
    new CreateRouteCommand({ RouteTableId: publicRt.RouteTableId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }),
  );
  const publicAssocs = [];
  for (const SubnetId of pub) {
    const a = await ec2.send(new AssociateRouteTableCommand({ RouteTableId: publicRt.RouteTableId, SubnetId }));
    assert.equal(a.AssociationState.State, 'associated');
    publicAssocs.push(a.AssociationId);
  }

  // -- aws_eip + aws_nat_gateway
  const eip = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: tags('elastic-ip', 'nat') }));
  const { NatGateway } = await ec2.send(
    new CreateNatGatewayCommand({ AllocationId: eip.AllocationId, SubnetId: pub[0], TagSpecifications: tags('natgateway', 'nat') }),
  );
  const nat = NatGateway.NatGatewayId;
  assert.equal(NatGateway.State, 'pending');
  await waitUntilNatGatewayAvailable(wait, { NatGatewayIds: [nat] });
  const natNow = await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [nat] }));
  assert.equal(natNow.NatGateways[0].NatGatewayAddresses[0].PublicIp, eip.PublicIp);

  // -- private route table through the NAT
  const { RouteTable: privateRt } = await ec2.send(
    new CreateRouteTableCommand({ VpcId: vpc, TagSpecifications: tags('route-table', 'private') }),
  );
  await ec2.send(
    new CreateRouteCommand({ RouteTableId: privateRt.RouteTableId, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat }),
  );
  const privateAssocs = [];
  for (const SubnetId of priv) {
    const a = await ec2.send(new AssociateRouteTableCommand({ RouteTableId: privateRt.RouteTableId, SubnetId }));
    privateAssocs.push(a.AssociationId);
  }

  // -- aws_security_group: default egress revoked, explicit rules
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web', VpcId: vpc }),
  );
  await ec2.send(
    new RevokeSecurityGroupEgressCommand({
      GroupId,
      IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  await ec2.send(
    new AuthorizeSecurityGroupEgressCommand({
      GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }],
    }),
  );

  // -- read everything back
  const rules = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [GroupId] }] }));
  assert.deepEqual(
    rules.SecurityGroupRules.map((r) => [r.IsEgress, r.FromPort, r.CidrIpv4]).sort(),
    [[false, 443, '0.0.0.0/0'], [true, 5432, '10.0.0.0/16']],
  );
  const subnets = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc] }] }));
  assert.deepEqual(
    subnets.Subnets.map((s) => [s.CidrBlock, s.AvailabilityZone, s.MapPublicIpOnLaunch]).sort(),
    [
      ['10.0.0.0/24', 'us-east-1a', true],
      ['10.0.1.0/24', 'us-east-1b', true],
      ['10.0.10.0/24', 'us-east-1a', false],
      ['10.0.11.0/24', 'us-east-1b', false],
    ],
  );
  const tables = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc] }] }));
  const byId = Object.fromEntries(tables.RouteTables.map((t) => [t.RouteTableId, t]));
  assert.deepEqual(
    byId[privateRt.RouteTableId].Routes.map((r) => [r.DestinationCidrBlock, r.GatewayId ?? r.NatGatewayId, r.State]),
    [['10.0.0.0/16', 'local', 'active'], ['0.0.0.0/0', nat, 'active']],
  );
  assert.deepEqual(byId[publicRt.RouteTableId].Associations.map((a) => a.SubnetId).sort(), [...pub].sort());

  // -- destroy, reverse order, NotFound counts as gone
  await gone(() => ec2.send(new DeleteSecurityGroupCommand({ GroupId })));
  for (const AssociationId of [...privateAssocs, ...publicAssocs]) {
    await gone(() => ec2.send(new DisassociateRouteTableCommand({ AssociationId })));
  }
  await gone(() => ec2.send(new DeleteRouteTableCommand({ RouteTableId: privateRt.RouteTableId })));
  await gone(() => ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: nat })));
  await waitUntilNatGatewayDeleted(wait, { NatGatewayIds: [nat] });
  await gone(() => ec2.send(new ReleaseAddressCommand({ AllocationId: eip.AllocationId })));
  await gone(() => ec2.send(new DeleteRouteTableCommand({ RouteTableId: publicRt.RouteTableId })));
  await gone(() => ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc })));
  await gone(() => ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw })));
  for (const SubnetId of [...priv, ...pub]) {
    await gone(() => ec2.send(new DeleteSubnetCommand({ SubnetId })));
  }
  await ec2.send(new DeleteVpcCommand({ VpcId: vpc }));

  // -- nothing left behind
  const vpcs = await ec2.send(new DescribeVpcsCommand({}));
  assert.deepEqual(vpcs.Vpcs.map((v) => v.IsDefault), [true], 'only the default VPC');
  const igws = await ec2.send(new DescribeInternetGatewaysCommand({}));
  assert.equal(igws.InternetGateways.length, 1, "only the default VPC's gateway");
  const addrs = await ec2.send(new DescribeAddressesCommand({}));
  assert.deepEqual(addrs.Addresses, []);
  const left = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc] }] }));
  assert.deepEqual(left.RouteTables, []);
});
