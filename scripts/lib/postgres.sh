# Shared by the set-up scripts: install, start and prepare a local PostgreSQL for embedded mode.
# Everything here is idempotent, so each script simply calls what it needs.

PAYMENTS_PG_HOST="${PAYMENTS_PG_HOST:-127.0.0.1}"
PAYMENTS_PG_PORT="${PAYMENTS_PG_PORT:-5432}"
# Development password for the platform's roles on a local, loopback-only server. Real deployments
# take each role's password from its own secret (see docs/adr/0003-database-roles.md).
PAYMENTS_PG_PASSWORD="${PAYMENTS_PG_PASSWORD:-payments-dev}"
export PAYMENTS_PG_HOST PAYMENTS_PG_PORT PAYMENTS_PG_PASSWORD

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# Installs PostgreSQL from the distribution's packages when it is missing, and starts its cluster.
ensure_postgres() {
  install_postgres
  local version cluster status
  read -r version cluster _ status _ < <(cluster_on_port)
  if [ "$status" != "online" ]; then
    echo "== Starting PostgreSQL $version/$cluster"
    as_root pg_ctlcluster "$version" "$cluster" start
  fi
  local deadline=$((SECONDS + 60))
  until as_postgres pg_isready -q -h "$PAYMENTS_PG_HOST" -p "$PAYMENTS_PG_PORT"; do
    [ $SECONDS -lt $deadline ] || { echo "PostgreSQL did not become ready within 60 s" >&2; return 1; }
    sleep 0.5
  done
}

# The server packages and at least one cluster.
install_postgres() {
  if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
    echo "== Installing PostgreSQL"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
    # Some images install the server without creating its default cluster.
    as_root pg_createcluster "$(ls /usr/lib/postgresql | sort -V | tail -n 1)" main >/dev/null
  fi
}

# The cluster listening on PAYMENTS_PG_PORT, or else the first one (a fresh machine has just "main").
cluster_on_port() {
  { pg_lsclusters -h | awk -v port="$PAYMENTS_PG_PORT" '$3 == port'; pg_lsclusters -h; } | head -n 1
}

# Creates cluster $1 on PAYMENTS_PG_PORT unless one listens there already: a server of its own, for
# runs that restart it (scripts/soak.sh).
ensure_cluster_on_port() {
  install_postgres
  if [ -z "$(pg_lsclusters -h | awk -v port="$PAYMENTS_PG_PORT" '$3 == port')" ]; then
    echo "== Creating PostgreSQL cluster $1 on port $PAYMENTS_PG_PORT"
    as_root pg_createcluster "$(ls /usr/lib/postgresql | sort -V | tail -n 1)" "$1" -p "$PAYMENTS_PG_PORT" >/dev/null
  fi
  ensure_postgres
}

# Creates the least-privileged roles of DESIGN.md section 8 (see services/BuildingBlocks/Postgres/DatabaseRoles.cs).
# The owner may create databases so that tests can give each test class a fresh one.
ensure_roles() {
  as_postgres psql -q -v ON_ERROR_STOP=1 -p "$PAYMENTS_PG_PORT" -v pw="$PAYMENTS_PG_PASSWORD" <<'SQL'
select format('create role %I login', r) from unnest(array['payments_owner', 'payments_ledger', 'payments_api', 'payments_settlement', 'payments_auditor']) r
where not exists (select 1 from pg_roles where rolname = r) \gexec
alter role payments_owner login createdb nosuperuser nocreaterole password :'pw';
alter role payments_ledger login nocreatedb nosuperuser nocreaterole password :'pw';
alter role payments_api login nocreatedb nosuperuser nocreaterole password :'pw';
alter role payments_settlement login nocreatedb nosuperuser nocreaterole password :'pw';
alter role payments_auditor login nocreatedb nosuperuser nocreaterole password :'pw';
SQL
}

# Drops and creates database $1, owned by the owner role, for a run that starts from nothing.
recreate_database() {
  as_postgres psql -q -v ON_ERROR_STOP=1 -p "$PAYMENTS_PG_PORT" \
    -c "drop database if exists \"$1\" with (force)" \
    -c "create database \"$1\" owner payments_owner"
}

# The connection string of role $2 to database $1.
connection_string() {
  echo "Host=$PAYMENTS_PG_HOST;Port=$PAYMENTS_PG_PORT;Database=$1;Username=$2;Password=$PAYMENTS_PG_PASSWORD"
}

# A superuser for the tamper-evidence tests only: they must be able to do what an attacker with full
# database access could (disable triggers, rewrite rows). Never created by the demo.
ensure_test_superuser() {
  as_postgres psql -q -v ON_ERROR_STOP=1 -p "$PAYMENTS_PG_PORT" -v pw="$PAYMENTS_PG_PASSWORD" <<'SQL'
select 'create role payments_test_superuser login superuser'
where not exists (select 1 from pg_roles where rolname = 'payments_test_superuser') \gexec
alter role payments_test_superuser login superuser password :'pw';
SQL
}
