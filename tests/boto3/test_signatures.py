"""boto3 against `parlel-ec2 --verify-signatures` (src/sigv4.rs): its SigV4 signatures are
accepted with the configured credential, refused with EC2's code for a wrong secret, a body
changed after signing or a Region EC2 does not have, and a presigned DescribeInstances URL
works until it expires.

Run: python3 -m unittest discover -s tests/boto3 (after `cargo build`)."""

import os
import sys
import time
import unittest
import urllib.error
import urllib.request
from xml.etree import ElementTree

import boto3
import botocore.exceptions
from botocore.config import Config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # also run as a path from the root
from emulator import start, stop  # noqa: E402


class VerifiedSignatures(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc, (cls.endpoint,) = start("--verify-signatures", "--credential", "AKIABOTO:s3cret:210987654321")

    @classmethod
    def tearDownClass(cls):
        stop(cls.proc)

    def client(self, secret):
        return boto3.client(
            "ec2",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="AKIABOTO",
            aws_secret_access_key=secret,
            config=Config(retries={"max_attempts": 1}),
        )

    def test_the_configured_credential_signs_and_owns(self):
        vpc = self.client("s3cret").create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]
        self.assertEqual(vpc["OwnerId"], "210987654321")

    def test_a_wrong_secret_is_signature_does_not_match(self):
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            self.client("wrong").describe_vpcs()
        self.assertEqual(e.exception.response["Error"]["Code"], "SignatureDoesNotMatch")
        self.assertEqual(e.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)

    def test_a_presigned_url_works_until_it_expires(self):
        # botocore signs a presigned EC2 URL for the operation's method, POST (its canonical
        # request says so), so the URL is sent as a POST without a body.
        url = self.client("s3cret").generate_presigned_url("describe_instances", ExpiresIn=1)
        post = lambda: urllib.request.urlopen(urllib.request.Request(url, data=b"", method="POST"))
        with post() as r:
            self.assertEqual(r.status, 200)
            root = ElementTree.fromstring(r.read())
            self.assertEqual(root.tag, "{http://ec2.amazonaws.com/doc/2016-11-15/}DescribeInstancesResponse")
        time.sleep(2.1)
        with self.assertRaises(urllib.error.HTTPError) as e:
            post()
        self.assertEqual(e.exception.code, 400)
        error = ElementTree.fromstring(e.exception.read()).find("Errors/Error")
        self.assertEqual((error.findtext("Code"), error.findtext("Message")), ("RequestExpired", "Request has expired."))

    def test_a_body_changed_after_signing_is_refused(self):
        ec2 = self.client("s3cret")

        def swap(request, **kwargs):
            # before-send runs after botocore signed the request.
            body = request.body if isinstance(request.body, bytes) else request.body.encode()
            self.assertIn(b"10.21.0.0%2F16", body)
            request.body = body.replace(b"10.21.0.0%2F16", b"10.22.0.0%2F16")

        ec2.meta.events.register("before-send.ec2.CreateVpc", swap)
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            ec2.create_vpc(CidrBlock="10.21.0.0/16")
        self.assertEqual(e.exception.response["Error"]["Code"], "SignatureDoesNotMatch")
        cidrs = [v["CidrBlock"] for v in self.client("s3cret").describe_vpcs()["Vpcs"]]
        self.assertNotIn("10.21.0.0/16", cidrs)
        self.assertNotIn("10.22.0.0/16", cidrs)

    def test_a_region_ec2_does_not_have_is_refused(self):
        ec2 = boto3.client(
            "ec2",
            endpoint_url=self.endpoint,
            region_name="xx-east-9",
            aws_access_key_id="AKIABOTO",
            aws_secret_access_key="s3cret",
            config=Config(retries={"max_attempts": 1}),
        )
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            ec2.describe_vpcs()
        error = e.exception.response["Error"]
        self.assertEqual(
            (error["Code"], error["Message"]),
            ("SignatureDoesNotMatch", "Credential should be scoped to a valid region, not 'xx-east-9'. "),
        )
        self.assertEqual(e.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)


if __name__ == "__main__":
    unittest.main()
