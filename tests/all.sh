#!/usr/bin/env bash
# Runs every test: the Rust suite (unit, protocol, contract, hostile input, HTTP
# integration), the real @aws-sdk/client-ec2 suite and the boto3 tests against the built
# binary.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked
cargo test --locked
if [ ! -d tests/sdk/node_modules ]; then
  npm ci --prefix tests/sdk --no-audit --no-fund
fi
npm --prefix tests/sdk test
python3 -m unittest discover -s tests/boto3
# The state page in headless Chromium (Debian's `chromium`), where it is installed.
if command -v chromium >/dev/null; then
  node tests/sdk/browser/state-page.mjs
else
  echo "chromium not installed: the state page's browser test (tests/sdk/browser/state-page.mjs) is skipped"
fi
