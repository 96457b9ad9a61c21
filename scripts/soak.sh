#!/usr/bin/env bash
# The long fault run (issue 8's soak profile): the bank test with dozens of faults of random kinds over
# tens of thousands of operations, about half an hour. It restarts the local PostgreSQL server, so run
# it on a machine where nothing else uses it. PAYMENTS_FAULT_SEED=<seed> repeats a run's plan;
# PAYMENTS_FAULT_KINDS=KillApi,KillLedger,... limits the kinds. The figures are printed and kept in
# .artifacts/soak/; docs/reliability.md records the last long run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/tests.sh

prepare_for_tests

mkdir -p .artifacts/soak
echo "== Soak (PAYMENTS_FAULT_SEED=${PAYMENTS_FAULT_SEED:-random})"
PAYMENTS_FAULT_PROFILE=soak dotnet test tests/Faults.Tests -c Release --no-build --nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=soak.trx" --results-directory .artifacts/soak \
  | tee .artifacts/soak/soak.log
