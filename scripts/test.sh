#!/usr/bin/env bash
# Runs every check and test: formatting, lints, the wasm build, domain, store and API tests
# on SQLite and PostgreSQL, the OpenAPI drift check, and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

steps=0
step() {
  steps=$((steps + 1))
  printf '\n==> [%d] %s\n' "$steps" "$*"
}

step "setup (skips what is installed)"
scripts/setup.sh --tests

step "formatting"
cargo fmt --all -- --check

step "lints: server side"
cargo clippy --workspace --exclude portal-frontend --all-targets -- -D warnings

step "lints: the single-page app, for wasm32"
cargo clippy -p portal-frontend --target wasm32-unknown-unknown -- -D warnings

step "the domain and DTO crates compile for wasm32"
cargo check -p portal-domain -p portal-dto --target wasm32-unknown-unknown

step "unit, property and API tests (SQLite and PostgreSQL), OpenAPI drift"
cargo test --workspace --exclude portal-frontend

step "the single-page app's own tests (line drafts, formatting)"
cargo test -p portal-frontend --lib

step "build the single-page app"
scripts/build-frontend.sh

step "browser tests (Playwright, Debian's Chromium, axe-core)"
cargo build -p portal-server
npx playwright test -c e2e/playwright.config.ts

printf '\nsteps: %d passed, 0 failed\n' "$steps"
