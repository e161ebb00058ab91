#!/usr/bin/env bash
# Runs every test of the portal the way CI does: unit, component, integration (on SQLite and on a
# throwaway PostgreSQL server on 127.0.0.1) and browser tests (Playwright driving Debian's Chromium).
# Installs what a fresh Debian machine lacks when run as root. Last line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

infra/install-prerequisites.sh || exit 1

echo "== Restoring tools and packages"
dotnet tool restore >/dev/null || exit 1
dotnet restore Portal.sln >/dev/null || exit 1

pgdir=$(mktemp -d /tmp/portal-pg.XXXXXX)
stop_pg() { runuser -u nobody -- "$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")/pg_ctl" -D "$pgdir" -m fast stop >/dev/null 2>&1 || true; }
if [ -z "${PORTAL_TEST_POSTGRES:-}" ]; then
  echo "== Starting PostgreSQL on 127.0.0.1"
  port=${PORTAL_TEST_PG_PORT:-55432}
  # Another server on the port (a developer's own cluster, say): take the next free one.
  while (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  PORTAL_TEST_POSTGRES=$(infra/start-test-postgres.sh "$pgdir" "$port") || { cat "$pgdir/server.log" 2>/dev/null; exit 1; }
  export PORTAL_TEST_POSTGRES
  trap stop_pg EXIT
fi

echo "== Building (warnings are errors)"
dotnet build Portal.sln --no-restore -warnaserror -nologo -v:q || { echo "0 passed, 1 failed"; exit 1; }

echo "== SQL Server migrations as an idempotent script"
infra/verify-migrations.sh "$root/artifacts/sqlserver-migrations.sql" || { echo "0 passed, 1 failed"; exit 1; }

results="$root/TestResults"
rm -rf "$results"
status=0
for project in tests/Portal.UnitTests tests/Portal.ComponentTests tests/Portal.IntegrationTests tests/Portal.E2ETests; do
  name=$(basename "$project")
  echo "== $name"
  dotnet test "$project" --no-build --nologo --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results" -v:q || status=1
done

# Counted from the runners' own result files, not from console output.
passed=0; failed=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$files" -lt 4 ] || [ "$passed" -eq 0 ]; then
  echo "Expected four test result files with passing tests; found $files." >&2
  status=1
  [ "$failed" -eq 0 ] && failed=1
fi
[ "$failed" -gt 0 ] && status=1
echo "$passed passed, $failed failed"
exit $status
