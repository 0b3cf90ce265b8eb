#!/usr/bin/env bash
# Installs what the tests need (if missing) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
swift build --product adhere
swift test --disable-swift-testing
