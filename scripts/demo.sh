#!/usr/bin/env bash
# Sets everything up and runs the platform in embedded mode with a short demo workload:
# PostgreSQL, the Ledger, the Payment API and Settlement (with its sandbox rail) as separate processes
# on loopback, driven by paymentsctl. Every endpoint speaks TLS with a local development CA, refuses
# plaintext, and every call carries a bearer token minted from the local development key (ADR 0030, 0031).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/postgres.sh

ensure_postgres
ensure_roles
recreate_database payments_demo

echo "== Building"
dotnet build Payments.sln -c Release --nologo -v quiet -clp:ErrorsOnly

bin() { echo "services/$1/bin/Release/net10.0/$2"; }
logs=.artifacts/demo
mkdir -p "$logs"

echo "== Migrating the schema as the owner role"
ConnectionStrings__LedgerOwner="$(connection_string payments_demo payments_owner)" \
  dotnet "$(bin Ledger Payments.Ledger.dll)" migrate
ConnectionStrings__SettlementOwner="$(connection_string payments_demo payments_owner)" \
  dotnet "$(bin Settlement Payments.Settlement.dll)" migrate
ConnectionStrings__LedgerOwner="$(connection_string payments_demo payments_owner)" \
  dotnet "$(bin Audit Payments.Audit.dll)" migrate

echo "== Creating a development CA and server certificate in .artifacts/dev-certs"
ctl() { dotnet "$(bin Payments.Cli paymentsctl.dll)" "$@"; }
ctl dev-certs --out .artifacts/dev-certs --days 7 >/dev/null
export Kestrel__Certificates__Default__Path="$PWD/.artifacts/dev-certs/server.crt"
export Kestrel__Certificates__Default__KeyPath="$PWD/.artifacts/dev-certs/server.key"
export Security__RequireTls=true
export PAYMENTS_CA_CERT="$PWD/.artifacts/dev-certs/ca.crt"
export PAYMENTS_API_URL=https://127.0.0.1:5100 PAYMENTS_LEDGER_URL=https://127.0.0.1:5101
# An operator's token (every scope, accounts:admin included) from the development key in .artifacts/dev-keys.
PAYMENTS_TOKEN=$(ctl token --subject dev); export PAYMENTS_TOKEN

pids=()
stop_all() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_all EXIT

echo "== Starting the Ledger (:5101) and the Payment API (:5100); logs in $logs/"
ConnectionStrings__Ledger="$(connection_string payments_demo payments_ledger)" ASPNETCORE_URLS=https://127.0.0.1:5101 \
  dotnet "$(bin Ledger Payments.Ledger.dll)" >"$logs/ledger.log" 2>&1 & pids+=($!)
ConnectionStrings__Payments="$(connection_string payments_demo payments_api)" ASPNETCORE_URLS=https://127.0.0.1:5100 \
  dotnet "$(bin Payments.Api Payments.Api.dll)" >"$logs/api.log" 2>&1 & pids+=($!)

wait_for_port() {
  local deadline=$((SECONDS + 60))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "Nothing listens on port $1 after 60 s; see $logs/" >&2; exit 1; }
    sleep 0.2
  done
}
wait_for_port 5101
wait_for_port 5100

step() { printf '\n\033[1m%s\033[0m\n$ paymentsctl %s\n' "$1" "${*:2}"; ctl "${@:2}"; }

# Settlement credits payouts to the rail's settlement account, so it starts once that account exists.
settlement=$(ctl account open --owner settlement --currency EUR --request-id demo-settlement-eur)
echo "== Starting Settlement (:5102) with the sandbox rail, settling EUR into $settlement"
ConnectionStrings__Settlement="$(connection_string payments_demo payments_settlement)" ASPNETCORE_URLS=https://127.0.0.1:5102 \
  Settlement__Accounts__EUR="$settlement" \
  dotnet "$(bin Settlement Payments.Settlement.dll)" >"$logs/settlement.log" 2>&1 & pids+=($!)
wait_for_port 5102

printf '\n\033[1m%s\033[0m\n' "Open three EUR accounts: a funding account (may go negative) and two wallets that may not."
funding=$(ctl account open --owner treasury --currency EUR --request-id demo-funding)
alice=$(ctl account open --owner alice --currency EUR --no-overdraft --request-id demo-alice)
bob=$(ctl account open --owner bob --currency EUR --no-overdraft --request-id demo-bob)
echo "funding $funding"; echo "alice   $alice"; echo "bob     $bob"

step "Deposit 1,000.00 into alice's wallet from the funding account" \
  pay --from "$funding" --to "$alice" --amount 1000.00 --currency EUR --request-id demo-deposit
step "Retry the same deposit (same request id): the original payment comes back, nothing moves twice" \
  pay --from "$funding" --to "$alice" --amount 1000.00 --currency EUR --request-id demo-deposit
step "Alice pays bob 250.00" \
  pay --from "$alice" --to "$bob" --amount 250.00 --currency EUR --request-id demo-alice-to-bob
printf '\n\033[1m%s\033[0m\n' "Bob tries to pay alice 400.00 but holds only 250.00: refused with a precise reason"
ctl pay --from "$bob" --to "$alice" --amount 400.00 --currency EUR --request-id demo-bob-overdraft || true

printf '\n\033[1m%s\033[0m\n' "With a token of her own (no accounts:admin), alice cannot debit bob's wallet, nor tell it exists: NOT_FOUND"
PAYMENTS_TOKEN=$(ctl token --subject alice --scope payments:write --scope payments:read --scope ledger:read) \
  ctl pay --from "$bob" --to "$alice" --amount 1.00 --currency EUR --request-id demo-alice-steals || true

printf '\n\033[1m%s\033[0m\n' "Alice holds 100.00 for bob (reserved, not yet moved); bob captures 60.00 and the rest returns to alice"
hold=$(ctl pay --from "$alice" --to "$bob" --amount 100.00 --currency EUR --hold-seconds 600 --request-id demo-hold | cut -d' ' -f1)
ctl payment show "$hold"
capture=$(ctl payment capture "$hold" --amount 60.00 --request-id demo-capture | cut -d' ' -f1)
ctl payment show "$hold"
step "Bob refunds 20.00 of the capture: a new REVERSAL transfer, linked to it" \
  payment reverse "$capture" --amount 20.00 --request-id demo-refund

step "Alice pays 150.00 out to her bank through the sandbox rail: reserved, then posted once the rail pays" \
  pay --from "$alice" --to "$settlement" --amount 150.00 --currency EUR --payout-to "DE89 3704 0044 0532 0130 00" \
  --watch --request-id demo-payout
step "A payout the rail declines: reserved, then compensated, and alice has her money back" \
  pay --from "$alice" --to "$settlement" --amount 80.00 --currency EUR --payout-to "decline: closed account" \
  --watch --request-id demo-payout-declined

step "Balances, derived from each account's latest entry" balance "$funding" "$alice" "$bob" "$settlement"
step "Alice's entries: one DEBIT or CREDIT per transfer, with the running balance" entries "$alice"
PAYMENTS_DATABASE="$(connection_string payments_demo payments_api)" \
  step "Recompute the hash chain from the stored rows alone, with a read-only role" ledger verify

# The audit signs its checkpoints with a key the database never sees (ADR 0024); a development one here.
[ -f .artifacts/audit/audit-key.pem ] || ctl audit keygen --key .artifacts/audit/audit-key.pem >/dev/null
PAYMENTS_AUDIT_DATABASE="$(connection_string payments_demo payments_auditor)" AUDIT_KEY_FILE="$PWD/.artifacts/audit/audit-key.pem" \
  step "Audit the ledger independently, as the read-only auditor role; the report is in $logs/audit.html" \
  audit --html "$logs/audit.html"
PAYMENTS_TOKEN=$(ctl token --subject auditor --scope audit:read) \
  step "The audit run is on record, readable with an audit:read token" audit runs
printf '\nThe demo is done; the processes stop now. Logs are in %s/.\n' "$logs"
