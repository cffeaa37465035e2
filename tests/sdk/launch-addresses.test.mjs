// RunInstances with a primary interface's PrivateIpAddresses (RunInstances API reference:
// one Primary address, the rest secondary; VPC User Guide "Subnet CIDR blocks": the first
// four addresses and the last of a subnet are reserved). Rules in
// src/handlers/instances/validate.rs (issue #10, item 7).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { AMI, expectEc2Error, useServer } from './helpers.mjs';

const srv = useServer();

test('primary and secondary addresses from PrivateIpAddresses; reserved, taken and repeated ones refused', async () => {
  const { ec2 } = srv;
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: Vpc.VpcId, CidrBlock: '10.0.1.0/24' }));
  const run = (addrs, extra = {}) => ec2.send(new RunInstancesCommand({
    ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ...extra,
    NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: Subnet.SubnetId, PrivateIpAddresses: addrs }],
  }));
  const out = await run([{ PrivateIpAddress: '10.0.1.11' }, { PrivateIpAddress: '10.0.1.10', Primary: true }]);
  const id = out.Instances[0].InstanceId;
  const i = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations[0].Instances[0];
  assert.equal(i.PrivateIpAddress, '10.0.1.10');
  assert.deepEqual(
    i.NetworkInterfaces[0].PrivateIpAddresses.map((a) => [a.PrivateIpAddress, a.Primary]),
    [['10.0.1.10', true], ['10.0.1.11', false]],
  );
  const [sub] = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [Subnet.SubnetId] }))).Subnets;
  assert.equal(sub.AvailableIpAddressCount, 251 - 2, 'both addresses are taken from the subnet');

  for (const [addrs, code, message] of [
    [[{ PrivateIpAddress: '10.0.1.2', Primary: true }], 'InvalidParameterValue', "Address 10.0.1.2 does not fall within the subnet's address range"],
    [[{ PrivateIpAddress: '10.0.1.255' }], 'InvalidParameterValue', "Address 10.0.1.255 does not fall within the subnet's address range"],
    [[{ PrivateIpAddress: '10.0.1.11', Primary: true }], 'InvalidIPAddress.InUse', 'Address 10.0.1.11 is in use.'],
    [[{ PrivateIpAddress: '10.0.1.20', Primary: true }, { PrivateIpAddress: '10.0.1.20' }], 'InvalidParameterValue', 'The address 10.0.1.20 is specified more than once'],
  ]) {
    await expectEc2Error(run(addrs), { code, message });
  }
  await expectEc2Error(run([{ PrivateIpAddress: '10.0.1.30', Primary: true }], { MinCount: 2, MaxCount: 2 }), {
    code: 'InvalidParameterCombination', message: 'Cannot specify a private IP address when launching more than one instance',
  });
  // Terminating gives both addresses back.
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  const [freed] = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [Subnet.SubnetId] }))).Subnets;
  assert.equal(freed.AvailableIpAddressCount, 251);
});
