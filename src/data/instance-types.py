#!/usr/bin/env python3
"""Build src/data/instance-types.json from a real DescribeInstanceTypes dump.

Input: getmoto/moto's `moto/ec2/resources/instance_types.json`, a dict
{InstanceType: InstanceTypeInfo} that moto's `scripts/get_instance_info.py` writes from
boto3 `describe_instance_types()` (every region, paginated, no post-processing).
See INSTANCE-TYPES.md for the pinned commit and blob.

Usage (from the repo root):
    git -C <moto-git-dir> cat-file -p 34d6cad5abbb7b91c97578f3249b39a7e2df1ed5:moto/ec2/resources/instance_types.json > /tmp/moto_it.json
    python3 src/data/instance-types.py /tmp/moto_it.json

Every type in the dump is kept (metal, mac, u-* included). The script copies entries
verbatim, except that it drops SupportedInRegion (a per-region fact, out of scope here),
orders keys as the model orders members (the order the AWS CLI prints them in), sorts by
name, and validates every key, enum value and primitive type against model/ec2.json. It
changes no value.

Output: `{"InstanceTypes":[` newline, one compact JSON object per line (sorted by
InstanceType, lines joined by ",\n"), newline, `]}`. One type per line keeps diffs readable.

Checks: a model violation fails the run, except an InstanceType name the model's
InstanceType enum does not list yet (the dump is newer than the model; the enum is open:
SDKs and the emulator keep unknown values). Those names are printed. A few facts the
emulator relies on fail the run (vCPU arithmetic, T2/T3/T3a/T4g burstable); other facts
that hold for most types are checked and their exceptions printed, not failed.
"""
import collections
import hashlib
import json
import os
import sys

PINNED_BLOB = "b8d40cff2cbbd0e815e21bb80172f999e1d9f430"  # git blob id of the input

# Types that must be in the dump, or the run fails: m1.small is RunInstances' default; the
# others are spot checks that the input is a full dump.
REQUIRED = ["m1.small", "t1.micro", "t2.micro", "t3.micro", "m5.metal", "m7g.metal"]
# Members dropped from every entry.
DROP = {"SupportedInRegion"}
# Enums whose unlisted values are reported, not failed: the dump is newer than the model.
OPEN_ENUMS = {"com.amazonaws.ec2#InstanceType"}
# Families that must be burstable (the emulator gives them CPU credits: EC2 User Guide,
# "Burstable performance instances"). Any other burstable type is printed.
BURSTABLE = {"t2", "t3", "t3a", "t4g"}
# What AWS has reported as Free Tier eligible since July 2025 (see INSTANCE-TYPES.md).
FREE_TIER = {"t3.micro", "t3.small", "t4g.micro", "t4g.small", "c7i-flex.large", "m7i-flex.large"}

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NS = "com.amazonaws.ec2#"


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def load_model():
    with open(os.path.join(ROOT, "model", "ec2.json")) as f:
        return json.load(f)["shapes"]


def shaped(value, target, shapes, path, errors, unlisted):
    """Return value with keys in model order; record every model violation in errors
    (values of OPEN_ENUMS the model does not list go to unlisted instead)."""
    if target.startswith("smithy.api#"):
        kind = target.split("#")[1].lower()
        shape = {"type": kind}
    else:
        shape = shapes[target]
    kind = shape["type"]
    if kind == "structure":
        if not isinstance(value, dict):
            errors.append(f"{path}: expected object")
            return value
        members = shape["members"]
        for k in value:
            if k not in members:
                errors.append(f"{path}.{k}: not a member of {target}")
        return {k: shaped(value[k], members[k]["target"], shapes, f"{path}.{k}", errors, unlisted)
                for k in members if k in value}
    if kind == "list":
        if not isinstance(value, list):
            errors.append(f"{path}: expected list")
            return value
        t = shape["member"]["target"]
        return [shaped(v, t, shapes, f"{path}[{i}]", errors, unlisted) for i, v in enumerate(value)]
    if kind == "enum":
        allowed = {m["traits"]["smithy.api#enumValue"] for m in shape["members"].values()}
        if not isinstance(value, str):
            errors.append(f"{path}: {value!r} is not a string ({target})")
        elif value not in allowed:
            if target in OPEN_ENUMS:
                unlisted.append(value)
            else:
                errors.append(f"{path}: {value!r} not in enum {target}")
        return value
    ok = {
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "long": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "double": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    }.get(kind)
    if ok is None or not ok(value):
        errors.append(f"{path}: {value!r} is not a {kind} ({target})")
    return value


def select(dump):
    missing = [n for n in REQUIRED if n not in dump]
    if missing:
        sys.exit(f"not in the dump: {missing}")
    return sorted(dump)


def family(name):
    return name.partition(".")[0]


def check_rules(name, raw, entry, errors):
    """Facts the emulator relies on; a violation fails the run."""
    if raw.get("InstanceType") != name:
        errors.append(f"{name}: InstanceType is {raw.get('InstanceType')!r}, not its key")
    v = entry["VCpuInfo"]
    if v["DefaultVCpus"] != v["DefaultCores"] * v["DefaultThreadsPerCore"]:
        errors.append(f"{name}: DefaultVCpus != DefaultCores * DefaultThreadsPerCore")
    if family(name) in BURSTABLE and entry.get("BurstablePerformanceSupported") is not True:
        errors.append(f"{name}: a {family(name)} type that is not burstable")


def check_facts(out):
    """Facts that hold for most types: print each rule's exceptions, by family."""
    rules = collections.OrderedDict()

    def note(rule, name):
        rules.setdefault(rule, collections.Counter())[family(name)] += 1

    for e in out:
        n = e["InstanceType"]
        v = e["VCpuInfo"]
        arch = e["ProcessorInfo"]["SupportedArchitectures"]
        tpc = v["DefaultThreadsPerCore"]
        if e.get("BurstablePerformanceSupported") and family(n) not in BURSTABLE:
            note("burstable outside t2/t3/t3a/t4g", n)
        if any(a.startswith("arm64") for a in arch):
            if tpc != 1:
                note("Arm with DefaultThreadsPerCore != 1", n)
        elif tpc != 2:
            note(f"x86 with DefaultThreadsPerCore = {tpc}", n)
        if "ValidCores" in v and v["DefaultCores"] not in v["ValidCores"]:
            note("DefaultCores not in ValidCores", n)
        if "ValidThreadsPerCore" in v and tpc not in v["ValidThreadsPerCore"]:
            note("DefaultThreadsPerCore not in ValidThreadsPerCore", n)
        metal_name = n.partition(".")[2].startswith("metal")
        if e["BareMetal"] != metal_name:
            note("BareMetal differs from a .metal* name", n)
        if ("Hypervisor" in e) == e["BareMetal"]:
            note("Hypervisor present on bare metal, or absent on a virtual type", n)
        if e["InstanceStorageSupported"] != ("InstanceStorageInfo" in e):
            note("InstanceStorageSupported differs from InstanceStorageInfo presence", n)
        if e["FreeTierEligible"] != (n in FREE_TIER):
            note("FreeTierEligible differs from the expected list", n)
    current = collections.defaultdict(set)
    for e in out:
        current[family(e["InstanceType"])].add(e["CurrentGeneration"])
    for f, vals in sorted(current.items()):
        if len(vals) > 1:
            rules.setdefault("CurrentGeneration mixed within a family", collections.Counter())[f] += 1
    old = sorted(f for f, vals in current.items() if vals == {False})
    print(f"CurrentGeneration false for {len(old)} of {len(current)} families: {' '.join(old)}")
    print("free tier eligible: " + " ".join(e["InstanceType"] for e in out if e["FreeTierEligible"]))
    if not rules:
        print("facts: no exceptions")
    for rule, fams in rules.items():
        total = sum(fams.values())
        detail = " ".join(f"{f}:{c}" if c > 1 else f for f, c in sorted(fams.items()))
        print(f"facts: {rule}: {total} types ({detail})")


def render(out):
    """`{"InstanceTypes":[` newline, one compact entry per line, newline, `]}`."""
    lines = [json.dumps(e, separators=(",", ":")) for e in out]
    return '{"InstanceTypes":[\n' + ",\n".join(lines) + "\n]}\n"


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/tmp/moto_it.json"
    raw = open(src, "rb").read()
    blob = git_blob_id(raw)
    if blob != PINNED_BLOB:
        print(f"warning: input blob {blob} differs from pinned {PINNED_BLOB}", file=sys.stderr)
    dump = json.loads(raw)
    shapes = load_model()
    errors, unlisted, out = [], [], []
    for name in select(dump):
        entry = {k: v for k, v in dump[name].items() if k not in DROP}
        entry = shaped(entry, NS + "InstanceTypeInfo", shapes, name, errors, unlisted)
        check_rules(name, dump[name], entry, errors)
        out.append(entry)
    if errors:
        sys.exit("model or rule violations:\n" + "\n".join(errors))
    if unlisted:
        fams = collections.Counter(family(n) for n in unlisted)
        print(f"{len(unlisted)} names not (yet) in the model's InstanceType enum, kept: "
              + " ".join(f"{f}:{c}" for f, c in sorted(fams.items())))
    check_facts(out)
    text = render(out)
    back = json.loads(text)["InstanceTypes"]
    assert [e["InstanceType"] for e in back] == sorted(dump)
    assert all(e == {k: v for k, v in dump[e["InstanceType"]].items() if k not in DROP} for e in back)
    dest = os.path.join(HERE, "instance-types.json")
    with open(dest, "w") as f:
        f.write(text)
    print(f"wrote {len(out)} instance types ({len({family(n) for n in dump})} families, "
          f"{len(text.encode())} bytes) to {dest}")


if __name__ == "__main__":
    main()
