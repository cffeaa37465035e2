// The rest of the networking surface through the real SDK: default VPC and subnets, CIDR
// blocks, network ACLs, egress-only gateways, rule changes in place, network interfaces,
// VPC endpoints, prefix lists and subnet CIDR reservations, with their EC2 errors.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssignPrivateIpAddressesCommand,
  AssociateSubnetCidrBlockCommand,
  AssociateVpcCidrBlockCommand,
  AttachNetworkInterfaceCommand,
  CreateDefaultSubnetCommand,
  CreateDefaultVpcCommand,
  CreateEgressOnlyInternetGatewayCommand,
  CreateManagedPrefixListCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCidrReservationCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DeleteEgressOnlyInternetGatewayCommand,
  DeleteManagedPrefixListCommand,
  DeleteNetworkAclCommand,
  DeleteNetworkAclEntryCommand,
  DeleteNetworkInterfaceCommand,
  DeleteSubnetCidrReservationCommand,
  DeleteVpcEndpointsCommand,
  DescribeAddressesAttributeCommand,
  DescribeEgressOnlyInternetGatewaysCommand,
  DescribeManagedPrefixListsCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfaceAttributeCommand,
  DescribeNetworkInterfacesCommand,
  DescribePrefixListsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupReferencesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeStaleSecurityGroupsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  DetachNetworkInterfaceCommand,
  DisassociateSubnetCidrBlockCommand,
  DisassociateVpcCidrBlockCommand,
  GetManagedPrefixListEntriesCommand,
  GetSubnetCidrReservationsCommand,
  ModifyManagedPrefixListCommand,
  ModifyNetworkInterfaceAttributeCommand,
  ModifySecurityGroupRulesCommand,
  ModifyVpcEndpointCommand,
  ReplaceNetworkAclAssociationCommand,
  ReplaceNetworkAclEntryCommand,
  ResetNetworkInterfaceAttributeCommand,
  UnassignPrivateIpAddressesCommand,
  UpdateSecurityGroupRuleDescriptionsEgressCommand,
  UpdateSecurityGroupRuleDescriptionsIngressCommand,
  AllocateAddressCommand,
  AuthorizeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { expectEc2Error, launch, useServer } from './helpers.mjs';

const srv = useServer();

async function vpcWithSubnet(ec2) {
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.4.0.0/16' }));
  const { Subnet } = await ec2.send(
    new CreateSubnetCommand({ VpcId: Vpc.VpcId, CidrBlock: '10.4.1.0/24', AvailabilityZone: 'us-east-1a' }),
  );
  return { vpc: Vpc.VpcId, subnet: Subnet.SubnetId };
}

describe('default VPC, CIDR blocks', () => {
  test('DefaultVpcAlreadyExists, DefaultSubnetAlreadyExistsInAvailabilityZone, secondary and IPv6 blocks', async () => {
    const { ec2 } = srv;
    await expectEc2Error(ec2.send(new CreateDefaultVpcCommand({})), {
      code: 'DefaultVpcAlreadyExists',
      message: 'A Default VPC already exists for this account in this region.',
    });
    await expectEc2Error(ec2.send(new CreateDefaultSubnetCommand({ AvailabilityZone: 'us-east-1a' })), {
      code: 'DefaultSubnetAlreadyExistsInAvailabilityZone',
    });
    const { vpc, subnet } = await vpcWithSubnet(ec2);
    const v4 = await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpc, CidrBlock: '10.5.0.0/16' }));
    assert.equal(v4.CidrBlockAssociation.CidrBlockState.State, 'associating');
    const v6 = await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpc, AmazonProvidedIpv6CidrBlock: true }));
    const block = v6.Ipv6CidrBlockAssociation.Ipv6CidrBlock;
    assert.match(block, /::\/56$/);
    const sub6 = await ec2.send(
      new AssociateSubnetCidrBlockCommand({ SubnetId: subnet, Ipv6CidrBlock: block.replace('00::/56', '01::/64') }),
    );
    await ec2.send(new DisassociateSubnetCidrBlockCommand({ AssociationId: sub6.Ipv6CidrBlockAssociation.AssociationId }));
    await ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: v4.CidrBlockAssociation.AssociationId }));
    await expectEc2Error(ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: v4.CidrBlockAssociation.AssociationId })), {
      code: 'InvalidVpcCidrBlockAssociationID.NotFound',
    });
  });
});

describe('network ACLs and egress-only gateways', () => {
  test('entries, associations, NetworkAclEntryAlreadyExists, DependencyViolation', async () => {
    const { ec2 } = srv;
    const { vpc, subnet } = await vpcWithSubnet(ec2);
    const { NetworkAcl } = await ec2.send(new CreateNetworkAclCommand({ VpcId: vpc }));
    const acl = NetworkAcl.NetworkAclId;
    const entry = { NetworkAclId: acl, RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 443, To: 443 } };
    await ec2.send(new CreateNetworkAclEntryCommand(entry));
    await expectEc2Error(ec2.send(new CreateNetworkAclEntryCommand(entry)), {
      code: 'NetworkAclEntryAlreadyExists',
      message: 'The network acl entry identified by 100 already exists.',
    });
    await ec2.send(new ReplaceNetworkAclEntryCommand({ ...entry, RuleAction: 'deny' }));
    const current = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnet] }] }));
    const assoc = current.NetworkAcls[0].Associations.find((a) => a.SubnetId === subnet).NetworkAclAssociationId;
    await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc, NetworkAclId: acl }));
    await expectEc2Error(ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: acl })), { code: 'DependencyViolation' });
    await ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 100, Egress: false }));

    const { EgressOnlyInternetGateway } = await ec2.send(new CreateEgressOnlyInternetGatewayCommand({ VpcId: vpc }));
    const eigw = EgressOnlyInternetGateway.EgressOnlyInternetGatewayId;
    const listed = await ec2.send(new DescribeEgressOnlyInternetGatewaysCommand({ EgressOnlyInternetGatewayIds: [eigw] }));
    assert.deepEqual(listed.EgressOnlyInternetGateways[0].Attachments, [{ State: 'attached', VpcId: vpc }]);
    const deleted = await ec2.send(new DeleteEgressOnlyInternetGatewayCommand({ EgressOnlyInternetGatewayId: eigw }));
    assert.equal(deleted.ReturnCode, true);
  });
});

describe('security group rules in place', () => {
  test('ModifySecurityGroupRules, UpdateSecurityGroupRuleDescriptions*, references and stale groups', async () => {
    const { ec2 } = srv;
    const { vpc } = await vpcWithSubnet(ec2);
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'g', Description: 'g', VpcId: vpc }));
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
      }),
    );
    const rules = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [GroupId] }] }));
    const ingress = rules.SecurityGroupRules.find((r) => !r.IsEgress);
    const egress = rules.SecurityGroupRules.find((r) => r.IsEgress);
    await ec2.send(
      new ModifySecurityGroupRulesCommand({
        GroupId,
        SecurityGroupRules: [
          { SecurityGroupRuleId: ingress.SecurityGroupRuleId, SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 2222, ToPort: 2222, CidrIpv4: '10.0.0.0/8' } },
        ],
      }),
    );
    await ec2.send(
      new UpdateSecurityGroupRuleDescriptionsIngressCommand({
        GroupId,
        SecurityGroupRuleDescriptions: [{ SecurityGroupRuleId: ingress.SecurityGroupRuleId, Description: 'ssh' }],
      }),
    );
    await ec2.send(
      new UpdateSecurityGroupRuleDescriptionsEgressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'all out' }] }],
      }),
    );
    const after = await ec2.send(
      new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [ingress.SecurityGroupRuleId, egress.SecurityGroupRuleId] }),
    );
    assert.deepEqual(
      after.SecurityGroupRules.map((r) => [r.SecurityGroupRuleId, r.FromPort, r.Description]).sort(),
      [[ingress.SecurityGroupRuleId, 2222, 'ssh'], [egress.SecurityGroupRuleId, -1, 'all out']].sort(),
    );
    const refs = await ec2.send(new DescribeSecurityGroupReferencesCommand({ GroupId: [GroupId] }));
    assert.deepEqual(refs.SecurityGroupReferenceSet, []);
    const stale = await ec2.send(new DescribeStaleSecurityGroupsCommand({ VpcId: vpc }));
    assert.deepEqual(stale.StaleSecurityGroupSet, []);
  });
});

describe('network interfaces', () => {
  test('create, attach, modify, addresses, detach, delete; InvalidNetworkInterface.InUse', async () => {
    const { ec2 } = srv;
    const { subnet } = await vpcWithSubnet(ec2);
    const { NetworkInterface } = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet, Description: 'extra' }));
    const eni = NetworkInterface.NetworkInterfaceId;
    assert.equal(NetworkInterface.Status, 'available');
    const [id] = await launch(ec2, { SubnetId: subnet });
    const { AttachmentId } = await ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId: id, DeviceIndex: 1 }));
    await expectEc2Error(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni })), {
      code: 'InvalidNetworkInterface.InUse',
      message: `Interface: [${eni}] in use.`,
    });
    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni, SourceDestCheck: { Value: false } }));
    const attr = await ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni, Attribute: 'sourceDestCheck' }));
    assert.equal(attr.SourceDestCheck.Value, false);
    await ec2.send(new ResetNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni, SourceDestCheck: 'true' }));
    const assigned = await ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1 }));
    await ec2.send(
      new UnassignPrivateIpAddressesCommand({
        NetworkInterfaceId: eni,
        PrivateIpAddresses: [assigned.AssignedPrivateIpAddresses[0].PrivateIpAddress],
      }),
    );
    const byInstance = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [id] }] }));
    assert.deepEqual(byInstance.NetworkInterfaces.map((n) => n.Attachment.DeviceIndex).sort(), [0, 1]);
    await ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId }));
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni }));
    await expectEc2Error(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] })), {
      code: 'InvalidNetworkInterfaceID.NotFound',
    });
  });
});

describe('VPC endpoints, prefix lists, CIDR reservations', () => {
  test('a Gateway endpoint for S3, its prefix-list route, and the service list', async () => {
    const { ec2 } = srv;
    const { vpc } = await vpcWithSubnet(ec2);
    const rt = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc] }] }))).RouteTables[0];
    const services = await ec2.send(new DescribeVpcEndpointServicesCommand({ Filters: [{ Name: 'service-type', Values: ['Gateway'] }] }));
    assert.deepEqual(services.ServiceNames, ['com.amazonaws.us-east-1.dynamodb', 'com.amazonaws.us-east-1.s3']);
    const { VpcEndpoint } = await ec2.send(
      new CreateVpcEndpointCommand({ VpcId: vpc, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: [rt.RouteTableId] }),
    );
    const pl = (await ec2.send(new DescribePrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.us-east-1.s3'] }] })))
      .PrefixLists[0].PrefixListId;
    const routes = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rt.RouteTableId] }))).RouteTables[0].Routes;
    assert.ok(routes.some((r) => r.DestinationPrefixListId === pl && r.GatewayId === VpcEndpoint.VpcEndpointId));
    await ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: VpcEndpoint.VpcEndpointId, ResetPolicy: true }));
    const listed = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [VpcEndpoint.VpcEndpointId] }));
    assert.equal(listed.VpcEndpoints[0].State, 'available');
    const gone = await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [VpcEndpoint.VpcEndpointId] }));
    assert.deepEqual(gone.Unsuccessful, []);
  });

  test('managed prefix lists, versions; CIDR reservations; addresses attribute', async () => {
    const { ec2 } = srv;
    const { subnet } = await vpcWithSubnet(ec2);
    const { PrefixList } = await ec2.send(
      new CreateManagedPrefixListCommand({ PrefixListName: 'office', MaxEntries: 2, AddressFamily: 'IPv4', Entries: [{ Cidr: '192.0.2.0/24' }] }),
    );
    const id = PrefixList.PrefixListId;
    await ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: id, CurrentVersion: 1, AddEntries: [{ Cidr: '198.51.100.0/24' }] }));
    await expectEc2Error(
      ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: id, CurrentVersion: 1, AddEntries: [{ Cidr: '203.0.113.0/24' }] })),
      { code: 'PrefixListVersionMismatch' },
    );
    const v1 = await ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: id, TargetVersion: 1 }));
    assert.deepEqual(v1.Entries.map((e) => e.Cidr), ['192.0.2.0/24']);
    const mine = await ec2.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: [id] }));
    assert.equal(mine.PrefixLists[0].Version, 2);
    await ec2.send(new DeleteManagedPrefixListCommand({ PrefixListId: id }));

    const { SubnetCidrReservation } = await ec2.send(
      new CreateSubnetCidrReservationCommand({ SubnetId: subnet, Cidr: '10.4.1.16/28', ReservationType: 'explicit' }),
    );
    const got = await ec2.send(new GetSubnetCidrReservationsCommand({ SubnetId: subnet }));
    assert.deepEqual(got.SubnetIpv4CidrReservations.map((r) => r.Cidr), ['10.4.1.16/28']);
    await ec2.send(new DeleteSubnetCidrReservationCommand({ SubnetCidrReservationId: SubnetCidrReservation.SubnetCidrReservationId }));

    const eip = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const attr = await ec2.send(new DescribeAddressesAttributeCommand({ AllocationIds: [eip.AllocationId], Attribute: 'domain-name' }));
    assert.equal(attr.Addresses[0].PublicIp, eip.PublicIp);
  });
});
