#!/usr/bin/env python3
"""Build src/data/instance-type-offerings.json from real DescribeInstanceTypeOfferings dumps.

Input: getmoto/moto's `moto/ec2/resources/instance_type_offerings/availability-zone/<region>.json`,
one file per Region, each a list of {"InstanceType", "Location": zone name} that moto's
`scripts/ec2_get_instance_type_offerings.py` writes from boto3
`describe_instance_type_offerings(LocationType="availability-zone")` on a real account.
Pinned: commit c6bd43ff2d090b35b6491f1cc80bffd29063e5c8 (see INSTANCE-TYPES.md).

Usage (from the repo root; python3 stdlib only, plus `git` for a repository input):
    python3 src/data/instance-type-offerings.py <moto git dir or work tree> [--commit SHA]
    python3 src/data/instance-type-offerings.py <directory of <region>.json files>

A git directory (bare or not) is read at the pinned commit (or --commit). A work tree or a
directory of files is read as it is; the script warns if its files do not hash to the
pinned tree. Run instance-types.py first: only types in src/data/instance-types.json are
written, and any other type is reported.

Output: {"<region>":{"<zone letters>":["type",...],...},...}, one Region per line. A key is
the suffix letters of the zones that offer the types listed under it ("abcdf": zones a, b,
c, d and f), so each type appears under exactly one key per Region. Keys and types are
sorted. Zones not named <region><letter> (Local Zones, Wavelength Zones) are skipped and
counted. The script then compares each Region's zone letters with src/regions.rs.
"""
import collections
import hashlib
import json
import os
import re
import subprocess
import sys

PINNED_COMMIT = "c6bd43ff2d090b35b6491f1cc80bffd29063e5c8"
# git tree id of moto/ec2/resources/instance_type_offerings/availability-zone at that commit
PINNED_TREE = "9c45ebaf908b4f9108dfff7c1c3e0f1e254cdaf2"
SUBDIR = "moto/ec2/resources/instance_type_offerings/availability-zone"
ID_SUBDIR = "moto/ec2/resources/instance_type_offerings/availability-zone-id"

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def git_tree_id(files: dict) -> str:
    """The id git gives a tree of regular files {name: bytes} (no subdirectories)."""
    body = b"".join(b"100644 " + name.encode() + b"\0" + bytes.fromhex(git_blob_id(data))
                    for name, data in sorted(files.items()))
    return hashlib.sha1(b"tree %d\0" % len(body) + body).hexdigest()


def is_git_dir(path):
    return os.path.isfile(os.path.join(path, "HEAD")) and os.path.isdir(os.path.join(path, "objects"))


def read_git(gitdir, commit, subdir):
    """{file name: bytes} of the .json files in subdir at commit, or None if absent."""
    def git(*args):
        return subprocess.run(["git", "--git-dir", gitdir, *args], check=True,
                              capture_output=True).stdout
    try:
        listing = git("ls-tree", "-z", f"{commit}:{subdir}")
    except subprocess.CalledProcessError:
        return None
    files = {}
    for item in listing.split(b"\0"):
        if not item:
            continue
        meta, name = item.split(b"\t", 1)
        mode, kind, blob = meta.split()
        name = name.decode()
        if kind == b"blob" and name.endswith(".json"):
            files[name] = git("cat-file", "blob", blob.decode())
    return files


def read_dir(path):
    if not os.path.isdir(path):
        return None
    files = {}
    for name in sorted(os.listdir(path)):
        if name.endswith(".json"):
            with open(os.path.join(path, name), "rb") as f:
                files[name] = f.read()
    return files


def load_input(src, commit):
    """(availability-zone files, availability-zone-id files or None, description)."""
    if is_git_dir(src) or is_git_dir(os.path.join(src, ".git")):
        gitdir = src if is_git_dir(src) else os.path.join(src, ".git")
        files = read_git(gitdir, commit, SUBDIR)
        if files is None:
            sys.exit(f"{gitdir}: no {SUBDIR} at {commit}")
        return files, read_git(gitdir, commit, ID_SUBDIR), f"{gitdir} @ {commit}"
    if os.path.isdir(os.path.join(src, SUBDIR)):
        return (read_dir(os.path.join(src, SUBDIR)), read_dir(os.path.join(src, ID_SUBDIR)),
                os.path.join(src, SUBDIR))
    files = read_dir(src)
    if not files:
        sys.exit(f"{src}: no <region>.json files")
    sibling = os.path.join(os.path.dirname(os.path.abspath(src)), "availability-zone-id")
    return files, read_dir(sibling), src


def load_catalog():
    with open(os.path.join(HERE, "instance-types.json")) as f:
        return {e["InstanceType"] for e in json.load(f)["InstanceTypes"]}


def load_emulator_regions():
    """{region: {letter: zone id}} from the REGIONS const of src/regions.rs."""
    text = open(os.path.join(ROOT, "src", "regions.rs")).read()
    body = text[text.index("pub const REGIONS"):]
    body = body[:body.index("];")]
    out = {}
    for m in re.finditer(r'region!\("([^"]+)",\s*(true|false),\s*&\[(.*?)\]\)', body):
        region = m.group(1)
        zones = {}
        for name, zone_id in re.findall(r'az\("([^"]+)",\s*"([^"]+)"\)', m.group(3)):
            if not name.startswith(region) or len(name) != len(region) + 1:
                sys.exit(f"regions.rs: zone {name} is not {region}<letter>")
            zones[name[-1]] = zone_id
        out[region] = zones
    if not out:
        sys.exit("regions.rs: no region!(...) entries found")
    return out


# Zone letters renamed to the emulator's (src/regions.rs). The account behind the dump sees
# two us-west-1 zones, usw1-az1 as `a` and usw1-az3 as `b`; the emulator names all three
# (a = usw1-az2, b = usw1-az3, c = usw1-az1). So the dump's `a` goes to c, and a (a zone id
# few accounts can use) offers what c offers rather than nothing.
LETTER_MAP = {"us-west-1": {"a": "ac", "b": "b"}}


def group(region, rows, catalog, problems, missing, skipped):
    """{letters: sorted types} for one Region's rows. Malformed rows go to problems (fatal),
    types not in the catalog to missing (left out, reported)."""
    zones_of = collections.defaultdict(set)
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or set(row) != {"InstanceType", "Location"}:
            problems.append(f"{region}[{i}]: not an {{InstanceType, Location}} object: {row!r}")
            continue
        t, zone = row["InstanceType"], row["Location"]
        if not (zone.startswith(region) and len(zone) == len(region) + 1
                and "a" <= zone[-1] <= "z"):
            skipped[region].add(zone)
            continue
        if t not in catalog:
            missing[t].add(zone)
            continue
        if zone[-1] in zones_of[t]:
            print(f"note: {region}: {t} listed twice for {zone}")
        zones_of[t].update(LETTER_MAP.get(region, {}).get(zone[-1], zone[-1]))
    groups = collections.defaultdict(list)
    for t, letters in zones_of.items():
        groups["".join(sorted(letters))].append(t)
    return {k: sorted(v) for k, v in sorted(groups.items())}, zones_of


def render(data):
    lines = [json.dumps(r) + ":" + json.dumps(g, separators=(",", ":"))
             for r, g in sorted(data.items())]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def validate(text, data, catalog):
    back = json.loads(text)
    assert back == data, "output does not parse back to the data"
    for region, groups in back.items():
        seen = set()
        for letters, types in groups.items():
            assert letters and list(letters) == sorted(set(letters)), f"{region}: key {letters!r}"
            assert types == sorted(types) and len(set(types)) == len(types), f"{region}: {letters}"
            for t in types:
                assert t in catalog, f"{region}: {t} not in the catalog"
                assert t not in seen, f"{region}: {t} under two keys"
                seen.add(t)


def infer_zone_ids(az_rows, id_rows):
    """{letter: zone id} matched by identical type sets between the two dumps of one run;
    a letter whose set matches no or several zone ids maps to a list of candidates (a
    list holding the emulator's id counts as agreement)."""
    by_zone, by_id = collections.defaultdict(set), collections.defaultdict(set)
    for r in az_rows:
        by_zone[r["Location"]].add(r["InstanceType"])
    for r in id_rows:
        by_id[r["Location"]].add(r["InstanceType"])
    out = {}
    for zone, types in by_zone.items():
        hits = sorted(i for i, s in by_id.items() if s == types)
        out[zone[-1]] = hits[0] if len(hits) == 1 else hits
    return out


def main():
    args = sys.argv[1:]
    commit = PINNED_COMMIT
    if "--commit" in args:
        i = args.index("--commit")
        commit = args[i + 1]
        del args[i:i + 2]
    src = args[0] if args else "/work/.mirror/getmoto+moto/repo"
    files, id_files, where = load_input(src, commit)
    tree = git_tree_id(files)
    if tree != PINNED_TREE:
        print(f"warning: input tree {tree} differs from pinned {PINNED_TREE}", file=sys.stderr)
    catalog = load_catalog()
    emulator = load_emulator_regions()

    data, problems, raw = {}, [], {}
    skipped, missing = collections.defaultdict(set), collections.defaultdict(set)
    offered_anywhere = set()
    for name, blob in sorted(files.items()):
        region = name[:-len(".json")]
        rows = json.loads(blob)
        if not isinstance(rows, list):
            sys.exit(f"{name}: not a list")
        raw[region] = rows
        data[region], zones_of = group(region, rows, catalog, problems, missing, skipped)
        offered_anywhere.update(zones_of)
    if problems:
        sys.exit("malformed input:\n" + "\n".join(problems))
    text = render(data)
    validate(text, data, catalog)
    dest = os.path.join(HERE, "instance-type-offerings.json")
    with open(dest, "w") as f:
        f.write(text)

    print(f"read {len(files)} Regions from {where}")
    pairs = sum(len(t) * len(k) for g in data.values() for k, t in g.items())
    print(f"wrote {len(data)} Regions, {sum(len(g) for g in data.values())} zone-set keys, "
          f"{pairs} (type, zone) offerings, {len(text.encode())} bytes to {dest}")
    print(f"catalog types offered in some zone: {len(offered_anywhere)} of {len(catalog)}; "
          f"never offered: {len(catalog - offered_anywhere)}")
    never = sorted(catalog - offered_anywhere)
    if never:
        print("  " + " ".join(never[:30]) + (f" ... ({len(never) - 30} more)" if len(never) > 30 else ""))
    nskipped = sum(len(z) for z in skipped.values())
    print(f"zones skipped (not <region><letter>): {nskipped}"
          + "".join(f"\n  {r}: {' '.join(sorted(z))}" for r, z in sorted(skipped.items())))
    print(f"types offered but not in the catalog (left out): {len(missing)}"
          + "".join(f"\n  {t}: {' '.join(sorted(z))}" for t, z in sorted(missing.items())))

    print("\nRegion            moto zones  emulator zones  moto-only  emulator-only")
    for region in sorted(set(data) | set(emulator)):
        mz = sorted({l for k in data.get(region, {}) for l in k})
        ez = sorted(emulator.get(region, {}))
        if region not in data:
            print(f"{region:<17} {'(no dump)':<11} {''.join(ez):<15}")
            continue
        if region not in emulator:
            print(f"{region:<17} {''.join(mz):<11} {'(unknown)':<15}")
            continue
        only_m = "".join(l for l in mz if l not in ez) or "-"
        only_e = "".join(l for l in ez if l not in mz) or "-"
        print(f"{region:<17} {''.join(mz):<11} {''.join(ez):<15} {only_m:<10} {only_e}")

    if id_files:
        print("\nzone letter -> zone id in the dumped account (matched by type set with the "
              "availability-zone-id dump) where it differs from src/regions.rs:")
        same = []
        for name in sorted(id_files):
            region = name[:-len(".json")]
            if region not in raw or region not in emulator:
                continue
            inferred = infer_zone_ids(raw[region], json.loads(id_files[name]))
            diff = {l: (z, emulator[region].get(l)) for l, z in sorted(inferred.items())
                    if z != emulator[region].get(l)
                    and not (isinstance(z, list) and emulator[region].get(l) in z)}
            if diff:
                print(f"  {region}: " + ", ".join(f"{l}: dump {z} / emulator {e}"
                                                   for l, (z, e) in diff.items()))
            else:
                same.append(region)
        print(f"  same mapping: {len(same)} Regions")


if __name__ == "__main__":
    main()
