// What Terraform's aws_instance reads and changes besides DescribeInstances: four instance
// attributes and the credit specification on refresh, DisableApiTermination=false before
// destroy (issue #10; rules in src/handlers/instances/attributes.rs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeInstanceAttributeCommand,
  DescribeInstanceCreditSpecificationsCommand,
  ModifyInstanceAttributeCommand,
  ModifyInstanceCreditSpecificationCommand,
  ModifyInstancePlacementCommand,
  DescribeInstancesCommand,
  ResetInstanceAttributeCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { expectEc2Error, launch, useServer } from './helpers.mjs';

const srv = useServer();

test('attributes read back, protection enforced, credits of a burstable type', async () => {
  const { ec2 } = srv;
  const [id] = await launch(ec2, { DisableApiTermination: true, InstanceInitiatedShutdownBehavior: 'terminate' });
  const read = async (Attribute) => ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute }));
  assert.equal((await read('disableApiTermination')).DisableApiTermination.Value, true);
  assert.equal((await read('instanceInitiatedShutdownBehavior')).InstanceInitiatedShutdownBehavior.Value, 'terminate');
  assert.equal((await read('instanceType')).InstanceType.Value, 't3.micro');
  assert.equal((await read('rootDeviceName')).RootDeviceName.Value, '/dev/xvda');
  await expectEc2Error(ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] })), {
    code: 'OperationNotPermitted',
    message: `The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
  });
  await expectEc2Error(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 't3.large' } })), {
    code: 'IncorrectInstanceState',
  });
  await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, SourceDestCheck: { Value: false } }));
  assert.equal((await read('sourceDestCheck')).SourceDestCheck.Value, false);
  await ec2.send(new ResetInstanceAttributeCommand({ InstanceId: id, Attribute: 'sourceDestCheck' }));
  assert.equal((await read('sourceDestCheck')).SourceDestCheck.Value, true);

  const credits = await ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [id] }));
  assert.deepEqual(credits.InstanceCreditSpecifications, [{ InstanceId: id, CpuCredits: 'unlimited' }]);
  const changed = await ec2.send(
    new ModifyInstanceCreditSpecificationCommand({ InstanceCreditSpecifications: [{ InstanceId: id, CpuCredits: 'standard' }] }),
  );
  assert.deepEqual(changed.SuccessfulInstanceCreditSpecifications, [{ InstanceId: id }]);

  await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: false } }));
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
});

// ModifyInstanceAttribute: EBS optimization changes only while stopped (EBS User Guide,
// "Amazon EBS-optimized instances"), one attribute per call; DisableApiStop makes
// StopInstances OperationNotPermitted; credit specifications answer `standard` for a type
// that is not burstable and list only unlimited ones without ids (API reference).
test('stopped-only attributes, stop protection, credits of other types', async () => {
  const { ec2 } = srv;
  const [id] = await launch(ec2, { DisableApiStop: true });
  await expectEc2Error(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, EbsOptimized: { Value: true } })), {
    code: 'IncorrectInstanceState', message: `The instance '${id}' is not in the 'stopped' state.`,
  });
  await expectEc2Error(ec2.send(new ModifyInstanceAttributeCommand({
    InstanceId: id, EbsOptimized: { Value: true }, SourceDestCheck: { Value: false },
  })), { code: 'InvalidParameterCombination' });
  // Unverified wording (by analogy with termination protection's, src/handlers/instances/lifecycle.rs).
  await expectEc2Error(ec2.send(new StopInstancesCommand({ InstanceIds: [id] })), {
    code: 'OperationNotPermitted',
    message: `The instance '${id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`,
  });
  const [m5] = await launch(ec2, { InstanceType: 'm5.large' });
  const [t2] = await launch(ec2, { InstanceType: 't2.micro' });
  const byId = await ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [m5] }));
  assert.deepEqual(byId.InstanceCreditSpecifications, [{ InstanceId: m5, CpuCredits: 'standard' }]);
  const all = await ec2.send(new DescribeInstanceCreditSpecificationsCommand({}));
  assert.deepEqual(all.InstanceCreditSpecifications, [{ InstanceId: id, CpuCredits: 'unlimited' }], `not ${t2} (standard)`);
});

// ModifyInstancePlacement (API reference): tenancy only on a stopped instance, affinity
// at any time; a placement group that does not exist is InvalidPlacementGroup.Unknown
// (AWS-raw wording, bcbio/bcbio-nextgen-vm#37).
test('ModifyInstancePlacement changes tenancy of a stopped instance and refuses unknown groups', async () => {
  const { ec2 } = srv;
  const [id] = await launch(ec2, { InstanceType: 'm5.large' });
  await expectEc2Error(ec2.send(new ModifyInstancePlacementCommand({ InstanceId: id, Tenancy: 'dedicated' })), {
    code: 'IncorrectInstanceState',
  });
  await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
  await expectEc2Error(ec2.send(new ModifyInstancePlacementCommand({ InstanceId: id, GroupName: 'cluster-pg' })), {
    code: 'InvalidPlacementGroup.Unknown',
    message: "The Placement Group 'cluster-pg' is unknown.",
  });
  // Affinity only with host tenancy (AWS-raw for RunInstances, kubernetes-sigs/cluster-api-provider-aws#5825).
  await expectEc2Error(ec2.send(new ModifyInstancePlacementCommand({ InstanceId: id, Tenancy: 'dedicated', Affinity: 'host' })), {
    code: 'InvalidParameterCombination',
    message: "The parameter affinity cannot be used without specifying a tenancy of 'host'",
  });
  const out = await ec2.send(new ModifyInstancePlacementCommand({ InstanceId: id, Tenancy: 'host', Affinity: 'host' }));
  assert.equal(out.Return, true);
  const d = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  const placement = d.Reservations[0].Instances[0].Placement;
  assert.equal(placement.Tenancy, 'host');
  assert.equal(placement.Affinity, 'host');
});
