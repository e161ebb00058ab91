#!/usr/bin/env bash
# Adds one migration with the same name to every provider's migration set (SQLite, PostgreSQL, SQL Server).
# Usage: infra/add-migration.sh MigrationName
set -euo pipefail
name=${1:?usage: infra/add-migration.sh MigrationName}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Sqlite PostgreSql SqlServer; do
  echo "== $provider"
  dotnet ef migrations add "$name" --project "src/Portal.Migrations.$provider" --startup-project "src/Portal.Migrations.$provider" --output-dir Migrations
done
