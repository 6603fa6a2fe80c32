#!/usr/bin/env bash
# The bench command: builds a synthetic council (many providers, 10,000 CPLIs, a year of
# actuals) in a fresh database and measures the real server through HTTP; prints the table
# and records it, with the machine, in BENCHMARKS.md.
#
#   scripts/bench.sh                 # SQLite, then PostgreSQL
#   scripts/bench.sh --sqlite        # or --postgres; or `both`
#   scripts/bench.sh --postgres --cplis 2000 --big-service-clients 500 --weeks 12
#
# Every other argument goes to the bench (`scripts/bench.sh -- --help` lists them).
# PostgreSQL is reached at postgres://postgres@127.0.0.1:5432/postgres, or at
# PORTAL_BENCH_POSTGRES_URL; the bench creates its own database there and drops it after.
set -euo pipefail
cd "$(dirname "$0")/.."

database=both
case "${1:-}" in
  --sqlite) database=sqlite; shift ;;
  --postgres) database=postgres; shift ;;
  both|--both) database=both; shift ;;
  --) shift ;;
esac

# Release code (the `bench-release` profile in Cargo.toml), not the debug build.
exec cargo run --profile bench-release -p portal-bench -- --database "$database" "$@"
