#!/usr/bin/env bash
# Writes the idempotent SQL Server script (no SQL Server runs here, so the script is the check that
# the migrations translate to valid T-SQL) to the path given, default artifacts/sqlserver-migrations.sql.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/sqlserver-migrations.sql}
mkdir -p "$(dirname "$out")"
dotnet tool restore >/dev/null
dotnet ef migrations script --idempotent --no-build --project src/Portal.Migrations.SqlServer --startup-project src/Portal.Migrations.SqlServer --output "$out"
grep -q "CREATE TABLE \[audit_events\]" "$out"
# The append-only trigger (AuditAppendOnly); SqlServerAuditMigrationTests checks it and the sequence column in detail.
grep -q "CREATE TRIGGER audit_events_no_change ON audit_events INSTEAD OF UPDATE, DELETE" "$out"
echo "SQL Server script: $out ($(wc -l < "$out") lines)"
