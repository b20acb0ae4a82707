#!/bin/sh
# Runs every test file with node's own runner. Node 20 expands no globs, so the list is explicit,
# and an empty list is an error (node would otherwise pass with no test run).
set -eu
cd "$(dirname "$0")/.."
files=$(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
if [ -z "$files" ]; then
  echo "test/run.sh: no test files found" >&2
  exit 1
fi
echo "Running $(echo "$files" | wc -l) test files on TEST_DB=${TEST_DB:-sqlite}"
# shellcheck disable=SC2086
exec node --import tsx --test --test-reporter=spec --test-force-exit --test-concurrency=2 $files
