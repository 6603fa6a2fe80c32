#!/usr/bin/env bash
# Builds everything and starts the portal on SQLite with the demo data.
# Prints the URL and the demo logins. Stop it with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build-frontend.sh
cargo build -p portal-server

export DATABASE_URL="${DATABASE_URL:-sqlite://portal.db}"
export PORTAL_BIND="${PORTAL_BIND:-127.0.0.1:8080}"
echo
echo "Care Provider Portal: http://${PORTAL_BIND}/  (API docs: http://${PORTAL_BIND}/api/docs/)"
exec target/debug/portal --demo
