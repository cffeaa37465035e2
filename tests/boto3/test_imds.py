"""botocore's instance metadata fetcher against `--imds-port` (src/imds.rs): IMDSv2 tokens,
HttpTokens required, the role credentials of the instance's profile, its identity,
placement and tags, and a disabled endpoint that does not answer. The instance is named by
a path prefix of AWS_EC2_METADATA_SERVICE_ENDPOINT, which botocore keeps, or by the
selected instance (POST /_parlel/imds) when the endpoint is the bare address: a child
process with nothing but that variable set resolves the selected instance's role
credentials through boto3's default credential chain.

Run: python3 -m unittest discover -s tests/boto3 (after `cargo build`)."""

import json
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.request

import boto3
from botocore.utils import InstanceMetadataFetcher, InstanceMetadataRegionFetcher

from emulator import start, stop


class InstanceMetadata(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc, (cls.endpoint, cls.imds) = start("--imds-port", "0", lines=2)
        cls.ec2 = boto3.client(
            "ec2", endpoint_url=cls.endpoint, region_name="eu-west-1",
            aws_access_key_id="parlel", aws_secret_access_key="parlel",
        )
        run = cls.ec2.run_instances(
            ImageId="ami-0abcdef1234567890", InstanceType="t3.micro", MinCount=1, MaxCount=1,
            IamInstanceProfile={"Name": "web-role"},
            MetadataOptions={"HttpTokens": "required", "InstanceMetadataTags": "enabled"},
            TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "api"}]}],
        )
        cls.instance = run["Instances"][0]
        cls.base = f"{cls.imds}/{cls.instance['InstanceId']}"

    @classmethod
    def tearDownClass(cls):
        stop(cls.proc)

    def get(self, path, token=None):
        headers = {"X-aws-ec2-metadata-token": token} if token else {}
        with urllib.request.urlopen(urllib.request.Request(self.base + path, headers=headers)) as r:
            return r.read().decode()

    def token(self):
        req = urllib.request.Request(
            self.base + "/latest/api/token", method="PUT",
            headers={"X-aws-ec2-metadata-token-ttl-seconds": "21600"},
        )
        with urllib.request.urlopen(req) as r:
            return r.read().decode()

    def test_botocore_reads_the_profile_credentials(self):
        creds = InstanceMetadataFetcher(base_url=self.base, timeout=2, num_attempts=1).retrieve_iam_role_credentials()
        self.assertEqual(creds["role_name"], "web-role")
        self.assertTrue(creds["access_key"].startswith("ASIA"))
        self.assertEqual(len(creds["secret_key"]), 40)
        self.assertTrue(creds["token"] and creds["expiry_time"].endswith("Z"))

    def test_botocore_reads_the_region(self):
        region = InstanceMetadataRegionFetcher(base_url=self.base, timeout=2, num_attempts=1).retrieve_region()
        self.assertEqual(region, "eu-west-1")

    def test_tokens_identity_placement_and_tags(self):
        # HttpTokens required: IMDSv1 is refused.
        with self.assertRaises(urllib.error.HTTPError) as e:
            self.get("/latest/meta-data/instance-id")
        self.assertEqual(e.exception.code, 401)
        with self.assertRaises(urllib.error.HTTPError) as e:
            self.get("/latest/meta-data/instance-id", token="made-up")
        self.assertEqual(e.exception.code, 401)
        t = self.token()
        self.assertEqual(self.get("/latest/meta-data/instance-id", t), self.instance["InstanceId"])
        self.assertEqual(self.get("/latest/meta-data/instance-type", t), "t3.micro")
        self.assertEqual(self.get("/latest/meta-data/local-ipv4", t), self.instance["PrivateIpAddress"])
        self.assertEqual(self.get("/latest/meta-data/placement/availability-zone", t),
                         self.instance["Placement"]["AvailabilityZone"])
        self.assertEqual(self.get("/latest/meta-data/tags/instance/Name", t), "api")
        mac = self.get("/latest/meta-data/mac", t)
        self.assertEqual(self.get(f"/latest/meta-data/network/interfaces/macs/{mac}/subnet-id", t),
                         self.instance["SubnetId"])
        doc = json.loads(self.get("/latest/dynamic/instance-identity/document", t))
        self.assertEqual((doc["instanceId"], doc["region"], doc["accountId"]),
                         (self.instance["InstanceId"], "eu-west-1", "123456789012"))

    def test_the_default_chain_with_only_the_endpoint_variable_reads_the_selected_instance(self):
        # A later instance with another role: without the selection it would be the newest.
        self.ec2.run_instances(
            ImageId="ami-0abcdef1234567890", InstanceType="t3.micro", MinCount=1, MaxCount=1,
            IamInstanceProfile={"Name": "other-role"},
        )
        sel = urllib.request.Request(
            self.endpoint + "/_parlel/imds", method="POST",
            data=json.dumps({"InstanceId": self.instance["InstanceId"]}).encode(),
        )
        with urllib.request.urlopen(sel) as r:
            self.assertEqual(r.status, 200)
        t = self.token()
        want = json.loads(self.get("/latest/meta-data/iam/security-credentials/web-role", t))
        # A clean environment: only the endpoint (bare, no path), and a HOME without
        # ~/.aws, so no other provider of the chain can answer first.
        script = (
            "import json, boto3\n"
            "c = boto3.Session().get_credentials()\n"
            "f = c.get_frozen_credentials()\n"
            "print(json.dumps({'method': c.method, 'access_key': f.access_key,"
            " 'secret_key': f.secret_key, 'token': f.token}))\n"
        )
        with tempfile.TemporaryDirectory() as home:
            out = subprocess.run(
                [sys.executable, "-c", script],
                env={"AWS_EC2_METADATA_SERVICE_ENDPOINT": self.imds, "HOME": home},
                capture_output=True, text=True, timeout=60, check=True,
            )
        got = json.loads(out.stdout)
        self.assertEqual(got["method"], "iam-role")
        self.assertEqual(
            (got["access_key"], got["secret_key"], got["token"]),
            (want["AccessKeyId"], want["SecretAccessKey"], want["Token"]),
        )
        urllib.request.urlopen(urllib.request.Request(
            self.endpoint + "/_parlel/imds", method="POST", data=b'{"InstanceId": null}'))

    def test_a_disabled_endpoint_does_not_answer(self):
        run = self.ec2.run_instances(ImageId="ami-0abcdef1234567890", InstanceType="t3.micro", MinCount=1, MaxCount=1)
        other = run["Instances"][0]["InstanceId"]
        self.ec2.modify_instance_metadata_options(InstanceId=other, HttpEndpoint="disabled")
        with self.assertRaises((urllib.error.URLError, ConnectionError)):
            urllib.request.urlopen(f"{self.imds}/{other}/latest/meta-data/instance-id", timeout=2)


if __name__ == "__main__":
    unittest.main()
