#!/usr/bin/env bash
# Runs the benchmark harness (not a test): sets up PostgreSQL like the test command, builds in Release,
# and runs every scenario. Pass --quick for a run of under three minutes; the JSON summary is the last line.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/postgres.sh

ensure_postgres
ensure_roles
ensure_test_superuser
dotnet build Payments.sln -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet run -c Release --no-build --project tests/Benchmarks -- "$@"
