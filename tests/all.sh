#!/usr/bin/env bash
# Runs every test: the Rust suite (unit, protocol, contract, hostile input, HTTP
# integration) and the real @aws-sdk/client-ec2 suite against the built binary.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked
cargo test --locked
if [ ! -d tests/sdk/node_modules ]; then
  npm ci --prefix tests/sdk --no-audit --no-fund
fi
npm --prefix tests/sdk test
