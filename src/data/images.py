#!/usr/bin/env python3
"""Write and check src/data/images.json and src/data/ssm-parameters.json.

The seed AMI catalog is kept here as a small table of facts per image family (see
IMAGES.md for where each fact comes from, and which values are made up). This script
expands the table into the shape `aws ec2 describe-images --output json` prints,
`{"Images": [Image, ...]}`, with keys in the order the model (`model/ec2.json`) lists the
members, which is also the order the AWS CLI v2 prints them. It then checks both files.

Usage (from the repo root):
    python3 src/data/images.py          # rewrite both files, then check them
    python3 src/data/images.py --check  # only check the files as they are

Checks (any failure exits non-zero):
- every key is a member of its model shape (Image, BlockDeviceMapping, EbsBlockDevice),
  every enum value is in its enum, every primitive has its model type. One tolerated
  exception: `Platform` is `windows` (lower case) on the wire, as every real
  DescribeImages response shows, while the model's PlatformValues enum spells it
  `Windows`;
- ImageId `ami-` and SnapshotId `snap-` + 8 or 17 lower-case hex digits, all unique;
- the seven images the tests use keep their ImageId, Name and root SnapshotId;
- timestamps are `YYYY-MM-DDTHH:MM:SS.000Z`; DeprecationTime is after CreationDate;
- ImageLocation is `amazon/<Name>` (every image here has ImageOwnerAlias `amazon`);
- every SSM parameter's ImageName glob (`*` only) matches at least one catalog image of
  its OwnerId; the newest match (by CreationDate) is printed.
"""
import fnmatch
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NS = "com.amazonaws.ec2#"
IMAGES = os.path.join(HERE, "images.json")
SSM = os.path.join(HERE, "ssm-parameters.json")

AMAZON_LINUX = "137112412989"
WINDOWS = "801119661308"
CANONICAL = "099720109477"
DEBIAN = "136693071363"
REDHAT = "309956199498"
SUSE = "013907871322"

# The images tests rely on: ImageId -> (Name, root SnapshotId). Never change these.
PINNED = {
    "ami-0abcdef1234567890": ("al2023-ami-2023.9.20261110.0-kernel-6.1-x86_64", "snap-0a88e65794ad1b05b"),
    "ami-043aca06cfbc25a0c": ("al2023-ami-2023.9.20261110.0-kernel-6.1-arm64", "snap-0d0b7e53a3779a185"),
    "ami-0ce62b461250d8a7a": ("amzn2-ami-kernel-5.10-hvm-2.0.20250115.0-x86_64-gp2", "snap-094c41caa113c0a6d"),
    "ami-024f29cd047c14d5d": ("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20261110", "snap-0bb7bff1213a7f7e3"),
    "ami-09157da14e0404a8f": ("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20261110", "snap-0d62edc05f587ae8f"),
    "ami-07574fdb0985be3ff": ("ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20261107", "snap-0391598a61160aa44"),
    "ami-0873e57d051852355": ("Windows_Server-2022-English-Full-Base-2026.11.10", "snap-0fcafd1a89bf61e33"),
}

# Per-family defaults. `root` is the root EBS volume: (device, GiB, type, iops, throughput);
# iops/throughput None means DescribeImages shows no such key for that family.
# `extra` lists the (DeviceName, VirtualName) ephemeral mappings the family's images carry.
# Keys absent from a family are absent from its images (BootMode, ImdsSupport, ...).
UBUNTU_EPHEMERAL = [("/dev/sdb", "ephemeral0"), ("/dev/sdc", "ephemeral1")]
WINDOWS_EPHEMERAL = [("xvdc" + chr(ord("a") + i), "ephemeral%d" % i) for i in range(26)]

FAMILIES = {
    "al2023": dict(owner=AMAZON_LINUX, root=("/dev/xvda", 8, "gp3", 3000, 125), imds="v2.0"),
    "al2023-minimal": dict(owner=AMAZON_LINUX, root=("/dev/xvda", 2, "gp3", 3000, 125), imds="v2.0"),
    "al2": dict(owner=AMAZON_LINUX, root=("/dev/xvda", 8, "gp2", None, None)),
    "ubuntu-noble": dict(owner=CANONICAL, root=("/dev/sda1", 8, "gp3", None, None),
                         extra=UBUNTU_EPHEMERAL, imds="v2.0"),
    "ubuntu-jammy": dict(owner=CANONICAL, root=("/dev/sda1", 8, "gp2", None, None),
                         extra=UBUNTU_EPHEMERAL),
    "debian": dict(owner=DEBIAN, root=("/dev/xvda", 8, "gp2", None, None)),
    "rhel": dict(owner=REDHAT, root=("/dev/sda1", 10, "gp3", None, None),
                 details="Red Hat Enterprise Linux", usage="RunInstances:0010"),
    "sles": dict(owner=SUSE, root=("/dev/sda1", 10, "gp3", None, None),
                 details="SUSE Linux", usage="RunInstances:000g"),
    "windows": dict(owner=WINDOWS, root=("/dev/sda1", 30, "gp2", None, None),
                    extra=WINDOWS_EPHEMERAL, platform="windows",
                    details="Windows", usage="RunInstances:0002"),
    "windows-2025": dict(owner=WINDOWS, root=("/dev/sda1", 30, "gp3", None, None),
                         extra=WINDOWS_EPHEMERAL, platform="windows",
                         details="Windows", usage="RunInstances:0002", boot="uefi"),
}

# (family, ImageId, Name, Description, Architecture, root SnapshotId, CreationDate,
#  DeprecationTime or None, overrides)
SEEDS = [
    ("al2023", "ami-0abcdef1234567890", "al2023-ami-2023.9.20261110.0-kernel-6.1-x86_64",
     "Amazon Linux 2023 AMI 2023.9.20261110.0 x86_64 HVM kernel-6.1", "x86_64",
     "snap-0a88e65794ad1b05b", "2026-11-10T21:05:53.000Z", "2028-11-10T21:05:00.000Z",
     dict(boot="uefi-preferred")),
    ("al2023", "ami-043aca06cfbc25a0c", "al2023-ami-2023.9.20261110.0-kernel-6.1-arm64",
     "Amazon Linux 2023 AMI 2023.9.20261110.0 arm64 HVM kernel-6.1", "arm64",
     "snap-0d0b7e53a3779a185", "2026-11-10T21:06:21.000Z", "2028-11-10T21:06:00.000Z",
     dict(boot="uefi")),
    ("al2023-minimal", "ami-0a4c006e96b487589", "al2023-ami-minimal-2023.9.20261110.0-kernel-6.1-x86_64",
     "Amazon Linux 2023 AMI 2023.9.20261110.0 x86_64 Minimal HVM kernel-6.1", "x86_64",
     "snap-02aa6b4cc82cc82d3", "2026-11-10T21:05:38.000Z", "2028-11-10T21:05:00.000Z",
     dict(boot="uefi-preferred")),
    ("al2023-minimal", "ami-04535e15242e35939", "al2023-ami-minimal-2023.9.20261110.0-kernel-6.1-arm64",
     "Amazon Linux 2023 AMI 2023.9.20261110.0 arm64 Minimal HVM kernel-6.1", "arm64",
     "snap-0f2fa774fa5d47e60", "2026-11-10T21:06:04.000Z", "2028-11-10T21:06:00.000Z",
     dict(boot="uefi")),
    ("al2", "ami-0ce62b461250d8a7a", "amzn2-ami-kernel-5.10-hvm-2.0.20250115.0-x86_64-gp2",
     "Amazon Linux 2 Kernel 5.10 AMI 2.0.20250115.0 x86_64 HVM gp2", "x86_64",
     "snap-094c41caa113c0a6d", "2025-01-15T19:48:02.000Z", "2025-07-01T00:00:00.000Z", {}),
    ("al2", "ami-0efb644913a0bb6e9", "amzn2-ami-hvm-2.0.20250115.0-x86_64-gp2",
     "Amazon Linux 2 AMI 2.0.20250115.0 x86_64 HVM gp2", "x86_64",
     "snap-08994fab5d022be90", "2025-01-15T19:47:41.000Z", "2025-07-01T00:00:00.000Z", {}),
    ("ubuntu-noble", "ami-024f29cd047c14d5d", "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20261110",
     "Canonical, Ubuntu, 24.04, amd64 noble image", "x86_64",
     "snap-0bb7bff1213a7f7e3", "2026-11-10T07:30:12.000Z", "2028-11-10T07:30:12.000Z",
     dict(boot="uefi-preferred")),
    ("ubuntu-noble", "ami-09157da14e0404a8f", "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20261110",
     "Canonical, Ubuntu, 24.04, arm64 noble image", "arm64",
     "snap-0d62edc05f587ae8f", "2026-11-10T07:31:45.000Z", "2028-11-10T07:31:45.000Z",
     dict(boot="uefi")),
    ("ubuntu-jammy", "ami-07574fdb0985be3ff", "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20261107",
     "Canonical, Ubuntu, 22.04 LTS, amd64 jammy image build on 2026-11-07", "x86_64",
     "snap-0391598a61160aa44", "2026-11-07T09:14:27.000Z", "2028-11-07T09:14:27.000Z",
     dict(boot="uefi-preferred")),
    ("ubuntu-jammy", "ami-02367661187c121eb", "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20261107",
     "Canonical, Ubuntu, 22.04 LTS, arm64 jammy image build on 2026-11-07", "arm64",
     "snap-0377c3f25931994ae", "2026-11-07T09:16:03.000Z", "2028-11-07T09:16:03.000Z",
     dict(boot="uefi")),
    ("debian", "ami-0c0d94331a859cb6a", "debian-12-amd64-20261110-2661",
     "Debian 12 (20261110-2661)", "x86_64",
     "snap-03d86654e0857b5d9", "2026-11-10T20:38:12.000Z", None, {}),
    ("debian", "ami-08d79dd7b53412d44", "debian-12-arm64-20261110-2661",
     "Debian 12 (20261110-2661)", "arm64",
     "snap-031292b05954cd218", "2026-11-10T20:41:55.000Z", None, {}),
    ("rhel", "ami-0f184d6cf98e4713a", "RHEL-9.6.0_HVM-20261105-x86_64-0-Hourly2-GP3",
     "Provided by Red Hat, Inc.", "x86_64",
     "snap-0b11f93c608a743e6", "2026-11-05T14:22:31.000Z", "2028-11-05T14:22:31.000Z", {}),
    ("rhel", "ami-0c5796f163f646039", "RHEL-9.6.0_HVM-20261105-arm64-0-Hourly2-GP3",
     "Provided by Red Hat, Inc.", "arm64",
     "snap-092980083b74a4554", "2026-11-05T14:25:47.000Z", "2028-11-05T14:25:47.000Z", {}),
    ("sles", "ami-073f690e859c518ce", "suse-sles-15-sp6-v20261105-hvm-ssd-x86_64",
     "SUSE Linux Enterprise Server 15 SP6 (HVM, 64-bit, SSD-Backed)", "x86_64",
     "snap-0d9d5cb9d02733de1", "2026-11-05T18:10:09.000Z", None, {}),
    ("sles", "ami-0539e03b667397638", "suse-sles-15-sp6-v20261105-hvm-ssd-arm64",
     "SUSE Linux Enterprise Server 15 SP6 (HVM, 64-bit, SSD-Backed)", "arm64",
     "snap-0c341c143159a1512", "2026-11-05T18:12:44.000Z", None, {}),
    ("windows", "ami-02f5b290901035f4b", "Windows_Server-2019-English-Full-Base-2026.11.10",
     "Microsoft Windows Server 2019 with Desktop Experience Locale English AMI provided by Amazon", "x86_64",
     "snap-091429efb0e89a4ff", "2026-11-10T05:38:14.000Z", "2028-11-10T05:38:14.000Z", {}),
    ("windows", "ami-0873e57d051852355", "Windows_Server-2022-English-Full-Base-2026.11.10",
     "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon", "x86_64",
     "snap-0fcafd1a89bf61e33", "2026-11-10T05:42:37.000Z", "2028-11-10T05:42:37.000Z", {}),
    ("windows-2025", "ami-08a6b4a0b069a7b6c", "Windows_Server-2025-English-Full-Base-2026.11.10",
     "Microsoft Windows Server 2025 Full Locale English AMI provided by Amazon", "x86_64",
     "snap-08b50377c483d14a0", "2026-11-10T05:47:52.000Z", "2028-11-10T05:47:52.000Z", {}),
]

# Public SSM parameters: (Name, OwnerId, ImageName glob). See IMAGES.md for sources.
AL = "/aws/service/ami-amazon-linux-latest/"
UB = "/aws/service/canonical/ubuntu/server/"
NOBLE = "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-%s-server-*"
JAMMY = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-%s-server-*"
WIN = "/aws/service/ami-windows-latest/"
PARAMETERS = [
    (AL + "al2023-ami-kernel-default-x86_64", AMAZON_LINUX, "al2023-ami-2023.*-kernel-6.1-x86_64"),
    (AL + "al2023-ami-kernel-default-arm64", AMAZON_LINUX, "al2023-ami-2023.*-kernel-6.1-arm64"),
    (AL + "al2023-ami-kernel-6.1-x86_64", AMAZON_LINUX, "al2023-ami-2023.*-kernel-6.1-x86_64"),
    (AL + "al2023-ami-kernel-6.1-arm64", AMAZON_LINUX, "al2023-ami-2023.*-kernel-6.1-arm64"),
    (AL + "al2023-ami-minimal-kernel-default-x86_64", AMAZON_LINUX, "al2023-ami-minimal-2023.*-kernel-6.1-x86_64"),
    (AL + "al2023-ami-minimal-kernel-default-arm64", AMAZON_LINUX, "al2023-ami-minimal-2023.*-kernel-6.1-arm64"),
    (AL + "al2023-ami-minimal-kernel-6.1-x86_64", AMAZON_LINUX, "al2023-ami-minimal-2023.*-kernel-6.1-x86_64"),
    (AL + "al2023-ami-minimal-kernel-6.1-arm64", AMAZON_LINUX, "al2023-ami-minimal-2023.*-kernel-6.1-arm64"),
    (AL + "amzn2-ami-hvm-x86_64-gp2", AMAZON_LINUX, "amzn2-ami-hvm-2.0.*-x86_64-gp2"),
    (AL + "amzn2-ami-kernel-4.14-hvm-x86_64-gp2", AMAZON_LINUX, "amzn2-ami-hvm-2.0.*-x86_64-gp2"),
    (AL + "amzn2-ami-kernel-5.10-hvm-x86_64-gp2", AMAZON_LINUX, "amzn2-ami-kernel-5.10-hvm-2.0.*-x86_64-gp2"),
    (AL + "amzn2-ami-kernel-default-hvm-x86_64-gp2", AMAZON_LINUX, "amzn2-ami-kernel-5.10-hvm-2.0.*-x86_64-gp2"),
    (UB + "24.04/stable/current/amd64/hvm/ebs-gp3/ami-id", CANONICAL, NOBLE % "amd64"),
    (UB + "24.04/stable/current/arm64/hvm/ebs-gp3/ami-id", CANONICAL, NOBLE % "arm64"),
    (UB + "noble/stable/current/amd64/hvm/ebs-gp3/ami-id", CANONICAL, NOBLE % "amd64"),
    (UB + "noble/stable/current/arm64/hvm/ebs-gp3/ami-id", CANONICAL, NOBLE % "arm64"),
    (UB + "22.04/stable/current/amd64/hvm/ebs-gp2/ami-id", CANONICAL, JAMMY % "amd64"),
    (UB + "22.04/stable/current/arm64/hvm/ebs-gp2/ami-id", CANONICAL, JAMMY % "arm64"),
    (UB + "jammy/stable/current/amd64/hvm/ebs-gp2/ami-id", CANONICAL, JAMMY % "amd64"),
    (UB + "jammy/stable/current/arm64/hvm/ebs-gp2/ami-id", CANONICAL, JAMMY % "arm64"),
    ("/aws/service/debian/release/12/latest/amd64", DEBIAN, "debian-12-amd64-*"),
    ("/aws/service/debian/release/12/latest/arm64", DEBIAN, "debian-12-arm64-*"),
    ("/aws/service/debian/release/bookworm/latest/amd64", DEBIAN, "debian-12-amd64-*"),
    ("/aws/service/debian/release/bookworm/latest/arm64", DEBIAN, "debian-12-arm64-*"),
    ("/aws/service/suse/sles/15-sp6/x86_64/latest", SUSE, "suse-sles-15-sp6-v*-hvm-ssd-x86_64"),
    ("/aws/service/suse/sles/15-sp6/arm64/latest", SUSE, "suse-sles-15-sp6-v*-hvm-ssd-arm64"),
    (WIN + "Windows_Server-2019-English-Full-Base", WINDOWS, "Windows_Server-2019-English-Full-Base-*"),
    (WIN + "Windows_Server-2022-English-Full-Base", WINDOWS, "Windows_Server-2022-English-Full-Base-*"),
    (WIN + "Windows_Server-2025-English-Full-Base", WINDOWS, "Windows_Server-2025-English-Full-Base-*"),
]


def build_image(seed):
    fam, image_id, name, description, arch, snapshot, created, deprecated, over = seed
    f = dict(FAMILIES[fam], **over)
    device, size, vtype, iops, throughput = f["root"]
    ebs = {"DeleteOnTermination": True}
    if iops is not None:
        ebs["Iops"] = iops
    ebs.update(SnapshotId=snapshot, VolumeSize=size, VolumeType=vtype)
    if throughput is not None:
        ebs["Throughput"] = throughput
    ebs["Encrypted"] = False
    mappings = [{"Ebs": ebs, "DeviceName": device}]
    mappings += [{"DeviceName": d, "VirtualName": v} for d, v in f.get("extra", [])]
    image = {
        "PlatformDetails": f.get("details", "Linux/UNIX"),
        "UsageOperation": f.get("usage", "RunInstances"),
        "BlockDeviceMappings": mappings,
        "Description": description,
        "EnaSupport": True,
        "Hypervisor": "xen",
        "ImageOwnerAlias": "amazon",
        "Name": name,
        "RootDeviceName": device,
        "RootDeviceType": "ebs",
        "SriovNetSupport": "simple",
        "VirtualizationType": "hvm",
    }
    if "boot" in f:
        image["BootMode"] = f["boot"]
    if deprecated:
        image["DeprecationTime"] = deprecated
    if "imds" in f:
        image["ImdsSupport"] = f["imds"]
    image.update(ImageId=image_id, ImageLocation="amazon/" + name, State="available",
                 OwnerId=f["owner"], CreationDate=created, Public=True,
                 Architecture=arch, ImageType="machine")
    if "platform" in f:
        image["Platform"] = f["platform"]
    return image


def load_model():
    with open(os.path.join(ROOT, "model", "ec2.json")) as fh:
        return json.load(fh)["shapes"]


def ordered(value, target, shapes, path, errors):
    """Value with keys in model member order; model violations are appended to errors."""
    if target.startswith("smithy.api#"):
        shape = {"type": target.split("#")[1].lower()}
    else:
        shape = shapes[target]
    kind = shape["type"]
    if kind == "structure":
        if not isinstance(value, dict):
            errors.append(f"{path}: expected an object")
            return value
        members = shape["members"]
        errors.extend(f"{path}.{k}: not a member of {target}" for k in value if k not in members)
        return {k: ordered(value[k], members[k]["target"], shapes, f"{path}.{k}", errors)
                for k in members if k in value}
    if kind == "list":
        if not isinstance(value, list):
            errors.append(f"{path}: expected a list")
            return value
        member = shape["member"]["target"]
        return [ordered(v, member, shapes, f"{path}[{i}]", errors) for i, v in enumerate(value)]
    if kind == "enum":
        allowed = {m["traits"]["smithy.api#enumValue"] for m in shape["members"].values()}
        wire_ok = target == NS + "PlatformValues" and value == "windows"
        if value not in allowed and not wire_ok:
            errors.append(f"{path}: {value!r} not in {target} {sorted(allowed)}")
        return value
    checks = {
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    }
    if kind not in checks or not checks[kind](value):
        errors.append(f"{path}: {value!r} is not a {kind} ({target})")
    return value


TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$")
ID = re.compile(r"^(ami|snap)-([0-9a-f]{8}|[0-9a-f]{17})$")


def check(images, parameters, shapes):
    errors = []
    ids, snaps = set(), set()
    for i, img in enumerate(images):
        where = f"Images[{i}] {img.get('Name')}"
        ordered(img, NS + "Image", shapes, where, errors)
        iid = img.get("ImageId", "")
        if not ID.match(iid) or not iid.startswith("ami-"):
            errors.append(f"{where}: bad ImageId {iid!r}")
        if iid in ids:
            errors.append(f"{where}: duplicate ImageId {iid}")
        ids.add(iid)
        roots = [m for m in img.get("BlockDeviceMappings", []) if m.get("DeviceName") == img.get("RootDeviceName")]
        if len(roots) != 1 or "Ebs" not in roots[0]:
            errors.append(f"{where}: needs exactly one EBS mapping on its RootDeviceName")
        for m in img.get("BlockDeviceMappings", []):
            sid = m.get("Ebs", {}).get("SnapshotId")
            if sid is None:
                continue
            if not ID.match(sid) or not sid.startswith("snap-"):
                errors.append(f"{where}: bad SnapshotId {sid!r}")
            if sid in snaps:
                errors.append(f"{where}: duplicate SnapshotId {sid}")
            snaps.add(sid)
        for key in ("CreationDate", "DeprecationTime"):
            if key in img and not TIMESTAMP.match(img[key]):
                errors.append(f"{where}: {key} {img[key]!r} is not YYYY-MM-DDTHH:MM:SS.000Z")
        if img.get("DeprecationTime", "9") <= img.get("CreationDate", ""):
            errors.append(f"{where}: DeprecationTime is not after CreationDate")
        if img.get("ImageLocation") != "amazon/" + img.get("Name", ""):
            errors.append(f"{where}: ImageLocation is not amazon/<Name>")
        if (img.get("Platform") == "windows") != (img.get("PlatformDetails") == "Windows"):
            errors.append(f"{where}: Platform and PlatformDetails disagree")
        if img.get("BootMode") == "uefi-preferred" and img.get("Architecture") == "arm64":
            errors.append(f"{where}: arm64 images boot UEFI only")
    by_id = {img["ImageId"]: img for img in images if "ImageId" in img}
    for iid, (name, snap) in PINNED.items():
        img = by_id.get(iid)
        if img is None:
            errors.append(f"pinned image {iid} is missing")
            continue
        root = [m for m in img["BlockDeviceMappings"] if m.get("DeviceName") == img["RootDeviceName"]]
        got = (img.get("Name"), root[0]["Ebs"].get("SnapshotId") if root else None)
        if got != (name, snap):
            errors.append(f"pinned image {iid}: {got} != {(name, snap)}")
    resolved = []
    names = set()
    for p in parameters:
        if set(p) != {"Name", "ImageName", "OwnerId"}:
            errors.append(f"parameter {p}: keys must be Name, ImageName, OwnerId")
            continue
        if p["Name"] in names:
            errors.append(f"parameter {p['Name']}: duplicate")
        names.add(p["Name"])
        if not p["Name"].startswith("/aws/service/") or re.search(r"[?\[\]]", p["ImageName"]):
            errors.append(f"parameter {p['Name']}: bad Name or ImageName (globs use * only)")
        pattern = re.compile("^" + ".*".join(map(re.escape, p["ImageName"].split("*"))) + "$")
        hits = [img for img in images if img.get("OwnerId") == p["OwnerId"] and pattern.match(img.get("Name", ""))]
        if not hits:
            errors.append(f"parameter {p['Name']}: no catalog image matches {p['ImageName']}")
            continue
        newest = max(hits, key=lambda img: img["CreationDate"])
        # fnmatch agrees with the regex for `*`-only globs; cross-check the translation.
        assert fnmatch.fnmatchcase(newest["Name"], p["ImageName"])
        resolved.append((p["Name"], newest["ImageId"], newest["Name"]))
    return errors, resolved


def render_images(images):
    lines = [json.dumps(img, separators=(",", ":")) for img in images]
    return '{"Images":[\n' + ",\n".join(lines) + "\n]}\n"


def render_parameters(parameters):
    lines = [json.dumps(p, separators=(",", ":")) for p in parameters]
    return '{"Parameters":[\n' + ",\n".join(lines) + "\n]}\n"


def main():
    shapes = load_model()
    if "--check" not in sys.argv[1:]:
        errors = []
        images = [ordered(build_image(s), NS + "Image", shapes, s[2], errors) for s in SEEDS]
        if errors:
            sys.exit("\n".join(errors))
        params = [{"Name": n, "ImageName": g, "OwnerId": o} for n, o, g in PARAMETERS]
        with open(IMAGES, "w") as fh:
            fh.write(render_images(images))
        with open(SSM, "w") as fh:
            fh.write(render_parameters(params))
    with open(IMAGES) as fh:
        images = json.load(fh)["Images"]
    with open(SSM) as fh:
        params = json.load(fh)["Parameters"]
    errors, resolved = check(images, params, shapes)
    for name, iid, iname in resolved:
        print(f"{name}\n    -> {iid} {iname}")
    print(f"{len(images)} images, {len(params)} parameters")
    if errors:
        sys.exit("FAILED:\n" + "\n".join(errors))
    print("ok")


if __name__ == "__main__":
    main()
