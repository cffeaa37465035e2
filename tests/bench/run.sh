#!/usr/bin/env bash
# The benchmark: bash tests/bench/run.sh [--quick]
#
# Installs what it needs (wrk from Debian: the harness drives wrk through its Lua
# interface; moto's server in a virtualenv under /tmp), builds the release binary and the harness
# (tests/bench/ec2.rs, a `harness = false` bench target), and runs it. Results go to
# target/bench/results.md (and stdout); BENCHMARKS.md explains them. All traffic stays on
# 127.0.0.1. Takes about 9 minutes on 2 cores, most of it moto.
#
# PARLEL_BENCH_ONLY picks parts (comma-separated; unset or empty: all of them):
#   main     start-up, the throughput tables (with the yardstick and moto), memory, paging
#   durable  CreateTags in memory against --data-dir (req/s, journal bytes per request)
#   startup  start-up from a journal of 10,000 and 100,000 instances (--quick: 2,000 / 5,000)
#   sigv4    a signed DescribeVpcs with --verify-signatures against without
# e.g. PARLEL_BENCH_ONLY=durable,startup,sigv4 bash tests/bench/run.sh  (~1 minute after
# the build; moto is installed only when main runs).
set -euo pipefail
cd "$(dirname "$0")/../.."

MOTO_VERSION=5.2.5
VENV=${PARLEL_BENCH_VENV:-/tmp/parlel-bench-venv}

# -- the load generator: wrk (Debian).
WRK=$(command -v wrk || true)
if [ -z "$WRK" ] && command -v apt-get >/dev/null; then
  echo "installing wrk" >&2
  (apt-get install -y -qq wrk >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; }) || true
  WRK=$(command -v wrk || true)
fi
if [ -z "$WRK" ]; then
  # The harness speaks wrk's Lua interface; without wrk it cannot run its load phases.
  echo "wrk is not available (apt-get install wrk failed); the harness needs it." >&2
  echo "On a machine without Debian's wrk, install it from source or your distribution." >&2
  exit 1
fi

# -- moto's server, pinned, in its own virtualenv.
MOTO=()
ONLY=",$(printf %s "${PARLEL_BENCH_ONLY:-main}" | tr -d ' '),"
if [[ "$ONLY" == *,main,* ]]; then
if [ ! -x "$VENV/bin/moto_server" ] ||
  ! "$VENV/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
  echo "installing moto[server]==$MOTO_VERSION into $VENV" >&2
  (python3 -m venv "$VENV" && "$VENV/bin/pip" install -q "moto[server]==$MOTO_VERSION") >&2 ||
    echo "moto could not be installed; running without it" >&2
fi
if [ -x "$VENV/bin/moto_server" ]; then
  PY=$("$VENV/bin/python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
  WZ=$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("werkzeug"))' 2>/dev/null || echo "?")
  MOTO=(--moto "$VENV/bin/moto_server" --moto-note "moto[server] $MOTO_VERSION (moto_server, werkzeug $WZ, Python $PY)")
fi
fi

# -- the release binary and the harness.
cargo build --release --locked
cargo bench --bench ec2 --locked --no-run
exec cargo bench --bench ec2 --locked -- run \
  --bin "$PWD/target/release/parlel-ec2" --wrk "$WRK" --out "$PWD/target/bench" \
  "${MOTO[@]}" "$@"
