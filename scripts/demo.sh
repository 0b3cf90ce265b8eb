#!/usr/bin/env bash
# Sets up everything, builds adhere, and writes the October 2026 reports of the sample export
# in Fixtures into ./reports.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product adhere
.build/release/adhere report --month 2026-10 --plans Fixtures/plans.csv --out reports Fixtures/sessions
