"""boto3 in standard retry mode against injected throttling (src/faults.rs): it retries
through RequestLimitExceeded and succeeds, and gives up with it after its attempts.

Run: python3 -m unittest discover -s tests/boto3 (after `cargo build`)."""

import json
import unittest
import urllib.request

import boto3
import botocore.exceptions
from botocore.config import Config

from emulator import start, stop


class InjectedThrottling(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc, (cls.endpoint,) = start()
        cls.ec2 = boto3.client(
            "ec2",
            endpoint_url=cls.endpoint,
            region_name="us-east-1",
            aws_access_key_id="parlel",
            aws_secret_access_key="parlel",
            config=Config(retries={"mode": "standard", "max_attempts": 3}),
        )

    @classmethod
    def tearDownClass(cls):
        stop(cls.proc)

    def fault(self, rule):
        req = urllib.request.Request(
            self.endpoint + "/_parlel/faults", data=json.dumps(rule).encode(), method="POST"
        )
        with urllib.request.urlopen(req) as r:
            return json.load(r)["id"]

    def tearDown(self):
        urllib.request.urlopen(urllib.request.Request(self.endpoint + "/_parlel/faults", method="DELETE"))

    def test_retries_through_throttling(self):
        self.fault({"action": "DescribeVpcs", "error": "RequestLimitExceeded", "count": 2})
        out = self.ec2.describe_vpcs()
        self.assertEqual(out["ResponseMetadata"]["RetryAttempts"], 2)
        self.assertEqual(len(out["Vpcs"]), 1)

    def test_gives_up_after_its_attempts(self):
        self.fault({"action": "DescribeVpcs", "error": "RequestLimitExceeded"})
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            self.ec2.describe_vpcs()
        err = e.exception.response
        self.assertEqual(err["Error"]["Code"], "RequestLimitExceeded")
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 503)
        # botocore's `max_attempts` counts retries after the first call: 1 + 3 calls.
        self.assertEqual(err["ResponseMetadata"]["RetryAttempts"], 3)
        with urllib.request.urlopen(self.endpoint + "/_parlel/faults") as r:
            self.assertEqual([f["fired"] for f in json.load(r)["faults"]], [4])


if __name__ == "__main__":
    unittest.main()
