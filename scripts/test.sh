#!/usr/bin/env bash
# Installs what the tests need (if missing) and runs every test, twice: in a debug build, and
# in a release build (the one users run: optimised, with its own inlining and without the
# debug build's checks), so that a difference between the two cannot hide.
#   ADHERE_TEST_BUILDS=debug scripts/test.sh   only the debug build (quicker, while working)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
builds=${ADHERE_TEST_BUILDS:-"debug release"}
for build in $builds; do
  echo "test.sh: $build build" >&2
  if [ "$build" = release ]; then
    # @testable imports need -enable-testing in a release build; its own folder keeps the
    # debug build's objects.
    flags=(-c release -Xswiftc -enable-testing --scratch-path .build-release-tests)
  else
    flags=()
  fi
  swift build "${flags[@]}" --product adhere
  swift test "${flags[@]}" --disable-swift-testing
done
