"""Starts the built parlel-ec2 binary for the boto3 tests and reads the addresses it prints."""

import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("PARLEL_EC2_BIN", os.path.join(ROOT, "target", "debug", "parlel-ec2"))


def start(*args, lines=1):
    """The process and the first `lines` addresses it prints (the EC2 one, then IMDS's)."""
    proc = subprocess.Popen(
        [BIN, "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    addresses = [proc.stdout.readline().strip().rsplit(" ", 1)[-1] for _ in range(lines)]
    return proc, addresses


def stop(proc):
    proc.kill()
    proc.wait()
