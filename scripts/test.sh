#!/usr/bin/env bash
# Sets everything up and runs every test: installs and starts PostgreSQL when missing, creates the
# platform's roles, builds the solution, runs all test projects against the real database, and ends
# with one line of totals read from the test results ("N passed, N failed").
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/tests.sh

prepare_for_tests

# The audit's report test renders its HTML page in Debian's headless Chromium and takes a screenshot.
if ! command -v chromium >/dev/null 2>&1; then
  echo "== Installing Chromium"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

results=.artifacts/test-results
rm -rf "$results"
echo "== Testing"
status=0
dotnet test Payments.sln -c Release --no-build --nologo --logger trx --results-directory "$results" || status=$?

# Fault tests restart the shared PostgreSQL server, so they run alone, after everything else.
echo "== Fault tests"
dotnet test tests/Faults.Tests -c Release --no-build --nologo --logger trx --logger "console;verbosity=normal" \
  --results-directory "$results" || status=$?

# dotnet test prints one summary per project; CI wants one line of totals, taken from the TRX files.
totals=$(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' | awk '
  { for (i = 1; i <= NF; i++) { split($i, kv, "=\""); gsub(/"/, "", kv[2]); sum[kv[1]] += kv[2] } }
  END { printf "%d %d %d", sum["passed"], sum["failed"] + sum["error"] + sum["timeout"] + sum["aborted"], sum["notExecuted"] }')
read -r passed failed skipped <<<"${totals:-0 0 0}"
echo "$passed passed, $failed failed, $skipped skipped"

# One results file per test project, or some project's results were lost and the totals undercount.
projects=$(find tests -name '*.Tests.csproj' | wc -l)
reports=$(find "$results" -name '*.trx' | wc -l)
if [ "$reports" -ne "$projects" ]; then
  echo "Expected $projects test result files, found $reports" >&2
  exit 1
fi

if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
