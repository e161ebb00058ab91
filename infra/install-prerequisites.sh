#!/usr/bin/env bash
# Installs the Debian packages the tests use when they are missing: Chromium for the browser tests,
# PostgreSQL for the integration tests, poppler-utils and DejaVu fonts for PDF checks. Needs root.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
command -v node >/dev/null 2>&1 || need+=(nodejs npm)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${need[*]}; install them with: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
  echo "== Installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# s3rver: an S3-compatible server from the npm registry for the S3 artifact-store tests (loopback only).
s3rver_dir="$(cd "$(dirname "$0")/.." && pwd)/artifacts/tools/s3rver"
if [ ! -x "$s3rver_dir/node_modules/.bin/s3rver" ]; then
  echo "== Installing s3rver"
  mkdir -p "$s3rver_dir"
  npm install --prefix "$s3rver_dir" --no-audit --no-fund --silent s3rver@3.7.1 >/dev/null
fi
