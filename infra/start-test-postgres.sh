#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the integration tests and prints the
# connection string to export as PORTAL_TEST_POSTGRES. Usage: infra/start-test-postgres.sh [DIR] [PORT]
set -euo pipefail
dir=${1:-/tmp/portal-pg}
port=${2:-55432}
bindir=$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
if [ -f "$dir/postmaster.pid" ]; then
  runuser -u nobody -- "$bindir/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1 || true
fi
rm -rf "$dir"
mkdir -p "$dir"
chown nobody "$dir"
# initdb refuses to run as root: the cluster belongs to 'nobody' and lives only for this run.
runuser -u nobody -- "$bindir/initdb" -D "$dir" -U portal --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u nobody -- "$bindir/pg_ctl" -D "$dir" -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" -l "$dir/server.log" -w start >/dev/null
echo "Host=127.0.0.1;Port=$port;Username=portal"
