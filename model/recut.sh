#!/usr/bin/env bash
# Re-cuts model/ec2.json from the pinned botocore release (see model/SOURCE.md).
# Usage: bash model/recut.sh          (after editing model/operations.txt)
set -euo pipefail
BOTOCORE_VERSION=1.43.11
SERVICE_SHA256=ee582960c736eb6deab6e791c6783437180178ae2d3c34831ffb7b5f9967b3a2
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps "botocore==$BOTOCORE_VERSION" -d "$work"
python3 - "$work" <<'PY'
import sys, zipfile, glob
whl = glob.glob(sys.argv[1] + "/botocore-*.whl")[0]
with zipfile.ZipFile(whl) as z:
    for name in ("service-2.json.gz", "paginators-1.json"):
        z.extract("botocore/data/ec2/2016-11-15/" + name, sys.argv[1])
PY
data="$work/botocore/data/ec2/2016-11-15"
echo "$SERVICE_SHA256  $data/service-2.json.gz" | sha256sum --check --quiet
gunzip -c "$data/service-2.json.gz" > "$work/service-2.json"
CARGO_TARGET_DIR=target/cut cargo run --quiet --manifest-path model/cut/Cargo.toml -- "$work/service-2.json" "$data/paginators-1.json" "$BOTOCORE_VERSION" "$SERVICE_SHA256"
