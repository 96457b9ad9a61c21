#!/usr/bin/env bash
# The long fault run (issue 8's soak profile): the bank test with dozens of faults of random kinds over
# tens of thousands of operations, ten to twenty minutes. It restarts its PostgreSQL server, so it runs
# on a cluster of its own ("soak", port PAYMENTS_PG_PORT, default 5433), created on first use, and never
# disturbs the server the other scripts use. PAYMENTS_FAULT_SEED=<seed> repeats a run's plan;
# PAYMENTS_FAULT_KINDS=KillApi,KillLedger,... limits the kinds. The figures are printed and kept in
# .artifacts/soak/; docs/reliability.md records the last long run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PAYMENTS_PG_PORT="${PAYMENTS_PG_PORT:-5433}"
source scripts/lib/tests.sh

ensure_cluster_on_port soak
prepare_for_tests

mkdir -p .artifacts/soak
echo "== Soak (PAYMENTS_FAULT_SEED=${PAYMENTS_FAULT_SEED:-random})"
PAYMENTS_FAULT_PROFILE=soak dotnet test tests/Faults.Tests -c Release --no-build --nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=soak.trx" --results-directory .artifacts/soak \
  | tee .artifacts/soak/soak.log
