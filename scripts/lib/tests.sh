# Shared by the scripts that run tests: a started PostgreSQL with the platform's roles (and the test
# superuser the tamper tests need), and a Release build of the solution and the fault tests.
source "$(dirname "${BASH_SOURCE[0]}")/postgres.sh"

prepare_for_tests() {
  ensure_postgres
  ensure_roles
  ensure_test_superuser

  echo "== Building"
  dotnet build Payments.sln -c Release --nologo -v quiet -clp:ErrorsOnly
  dotnet build tests/Faults.Tests -c Release --nologo -v quiet -clp:ErrorsOnly
}
