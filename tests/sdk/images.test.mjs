// DescribeImages over the seed catalog (src/data/images.json) through the real SDK: by id,
// by owner, by filter, paged, and its errors.
//
// Sources: ec2-errors.md (rows named in each test); DescribeImages API reference
// (Owner.N takes `self`, `amazon`, `aws-marketplace` or an account id; Filter.N names
// such as `name`, `architecture`, `platform`, `owner-alias`); EC2 User Guide "Find an
// AMI" (Amazon Linux is owned by the `amazon` alias; Canonical publishes Ubuntu from
// account 099720109477, shown with the `amazon` alias too: src/data/IMAGES.md).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeImagesCommand, paginateDescribeImages } from '@aws-sdk/client-ec2';
import { AMI, AMI_ARM, expectEc2Error, useServer } from './helpers.mjs';

const srv = useServer({ resetEachTest: false }); // read-only: nothing to reset
const CANONICAL = '099720109477';

const ids = (out) => out.Images.map((i) => i.ImageId).sort();

describe('DescribeImages', () => {
  test('ImageIds: ami-0abcdef1234567890 is Amazon Linux 2023 x86_64, public, available, EBS-backed', async () => {
    const { Images } = await srv.ec2.send(new DescribeImagesCommand({ ImageIds: [AMI] }));
    assert.equal(Images.length, 1);
    const i = Images[0];
    assert.equal(i.ImageId, AMI);
    assert.match(i.Name, /^al2023-ami-2023\.[\d.]+-kernel-6\.1-x86_64$/);
    assert.match(i.Description, /^Amazon Linux 2023 AMI /);
    assert.equal(i.Architecture, 'x86_64');
    assert.equal(i.ImageOwnerAlias, 'amazon');
    assert.equal(i.OwnerId, '137112412989');
    assert.equal(i.State, 'available');
    assert.equal(i.Public, true);
    assert.equal(i.ImageType, 'machine');
    assert.equal(i.RootDeviceType, 'ebs');
    assert.equal(i.RootDeviceName, '/dev/xvda');
    assert.equal(i.VirtualizationType, 'hvm');
    assert.equal(i.PlatformDetails, 'Linux/UNIX');
    assert.equal(i.Platform, undefined);
    assert.equal(i.BlockDeviceMappings[0].DeviceName, '/dev/xvda');
    assert.equal(i.BlockDeviceMappings[0].Ebs.VolumeType, 'gp3');
    assert.equal(i.BlockDeviceMappings[0].Ebs.VolumeSize, 8);
    assert.ok(i.CreationDate);
  });

  // Current EC2 answers show the alias `amazon` on Canonical's, Debian's, Red Hat's and
  // SUSE's images too (src/data/IMAGES.md), so `amazon` lists them with Amazon's own.
  test("Owners ['amazon'] lists Amazon's images and the distributions' that carry the alias", async () => {
    const { Images } = await srv.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
    assert.ok(Images.length >= 2);
    for (const i of Images) assert.equal(i.ImageOwnerAlias, 'amazon', i.Name);
    const got = Images.map((i) => i.ImageId);
    assert.ok(got.includes(AMI));
    assert.ok(got.includes(AMI_ARM));
    assert.ok(Images.some((i) => i.Platform === 'windows'));
    assert.ok(Images.some((i) => i.Name.startsWith('ubuntu/')));
  });

  test("Owners by account id: Canonical's 099720109477 lists only Ubuntu; Owners ['self'] lists nothing in a new account", async () => {
    const { Images } = await srv.ec2.send(new DescribeImagesCommand({ Owners: [CANONICAL] }));
    assert.ok(Images.length >= 1);
    for (const i of Images) {
      assert.equal(i.OwnerId, CANONICAL);
      assert.match(i.Name, /^ubuntu\//);
    }
    const self = await srv.ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    assert.deepEqual(self.Images, []);
  });

  test('Filters: name with a wildcard and architecture find the AL2023 x86_64 image; values of one filter are ORed', async () => {
    const x86 = await srv.ec2.send(
      new DescribeImagesCommand({
        Owners: ['amazon'],
        Filters: [
          { Name: 'name', Values: ['al2023-ami-2023.*-kernel-6.1-*'] },
          { Name: 'architecture', Values: ['x86_64'] },
        ],
      }),
    );
    assert.deepEqual(ids(x86), [AMI]);
    const both = await srv.ec2.send(
      new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['al2023-ami-2023*'] }, { Name: 'architecture', Values: ['x86_64', 'arm64'] }] }),
    );
    assert.deepEqual(ids(both), [AMI, AMI_ARM].sort());
    const windows = await srv.ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'platform', Values: ['windows'] }] }));
    assert.ok(windows.Images.length >= 1);
    for (const i of windows.Images) assert.equal(i.Platform, 'windows');
    const none = await srv.ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['AL2023-AMI-*'] }] }));
    assert.deepEqual(none.Images, [], 'filter values are case-sensitive');
  });

  test('paginateDescribeImages returns every image exactly once (pageSize 5)', async () => {
    const all = await srv.ec2.send(new DescribeImagesCommand({}));
    const seen = [];
    for await (const page of paginateDescribeImages({ client: srv.ec2, pageSize: 5 }, {})) {
      assert.ok(page.Images.length <= 5);
      seen.push(...page.Images.map((i) => i.ImageId));
    }
    assert.ok(all.Images.length > 5, 'the catalog spans more than one page');
    assert.equal(seen.length, all.Images.length);
    assert.deepEqual([...seen].sort(), ids(all));
  });
});

describe('errors', () => {
  // ec2-errors.md: InvalidAMIID.NotFound, square brackets (AWS-raw n8n-benchmarking#5 for DescribeImages).
  test("InvalidAMIID.NotFound: \"The image id '[ami-…]' does not exist\"; several: \"The image ids '[a, b]' do not exist\"", async () => {
    await expectEc2Error(srv.ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })), {
      code: 'InvalidAMIID.NotFound',
      message: "The image id '[ami-0123456789abcdef0]' does not exist",
    });
    await expectEc2Error(
      srv.ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0', AMI, 'ami-0123456789abcdef1'] })),
      {
        code: 'InvalidAMIID.NotFound',
        message: "The image ids '[ami-0123456789abcdef0, ami-0123456789abcdef1]' do not exist",
      },
    );
  });

  // ec2-errors.md: InvalidAMIID.Malformed.
  test('InvalidAMIID.Malformed: an image id that is not ami- plus hex', async () => {
    await expectEc2Error(srv.ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-xyz'] })), {
      code: 'InvalidAMIID.Malformed',
      message: 'Invalid id: "ami-xyz" (expecting "ami-...")',
    });
  });

  // ec2-errors.md: InvalidParameterValue (unknown filter).
  test('InvalidParameterValue: DescribeImages with an unknown filter', async () => {
    await expectEc2Error(srv.ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'flavour', Values: ['x'] }] })), {
      code: 'InvalidParameterValue',
      message: "The filter 'flavour' is invalid",
    });
  });

  // ec2-errors.md: InvalidParameterCombination (the ids-with-maxResults rule holds across Describe*).
  test('InvalidParameterCombination: DescribeImages with ImageIds and MaxResults', async () => {
    await expectEc2Error(srv.ec2.send(new DescribeImagesCommand({ ImageIds: [AMI], MaxResults: 5 })), {
      code: 'InvalidParameterCombination',
      message: 'The parameter imagesSet cannot be used with the parameter maxResults',
    });
  });

  // ec2-errors.md: InvalidParameterValue (MaxResults).
  test('InvalidParameterValue: DescribeImages MaxResults below 5', async () => {
    await expectEc2Error(srv.ec2.send(new DescribeImagesCommand({ MaxResults: 1 })), {
      code: 'InvalidParameterValue',
      message: 'Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5.',
    });
  });
});
