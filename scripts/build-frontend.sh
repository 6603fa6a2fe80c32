#!/usr/bin/env bash
# Builds the browser app into frontend/dist: app.css, pkg/ (wasm + JS glue), index.html.
# Run from the repository root. Needs the wasm32-unknown-unknown target and wasm-bindgen-cli
# at the version in Cargo.lock (installed by the project's setup script, not here), and npm.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

DIST=frontend/dist
# FRONTEND_PROFILE=dev gives a quick unoptimised build for working on the app.
PROFILE=${FRONTEND_PROFILE:-wasm-release}
TARGET_DIR=$PROFILE
[[ "$PROFILE" == dev ]] && TARGET_DIR=debug
WASM=target/wasm32-unknown-unknown/$TARGET_DIR/portal_frontend.wasm

fail() {
  echo "build-frontend: $*" >&2
  exit 1
}

command -v npm >/dev/null || fail "npm is missing: install Node.js 20 or newer."
command -v wasm-bindgen >/dev/null \
  || fail "wasm-bindgen is missing: install wasm-bindgen-cli at the version of wasm-bindgen in Cargo.lock."

# The CLI must match the library exactly or the generated glue does not load.
wanted=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
have=$(wasm-bindgen --version | awk '{print $2}')
[[ "$have" == "$wanted" ]] \
  || fail "wasm-bindgen $have is installed but Cargo.lock has $wanted: cargo install wasm-bindgen-cli --version $wanted"

# npm ci wipes node_modules, so only when it is missing, incomplete or older than the lock file.
# npm writes node_modules/.package-lock.json last, so its absence means an install never
# finished (or node_modules is empty).
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi

rm -rf "$DIST"
mkdir -p "$DIST/pkg"

# GOV.UK Frontend compiled with Arial and no GDS Transport face; the only asset the CSS
# names (the crest of the footer licence) is not used, so no images or fonts are copied.
npx --no-install sass --pkg-importer=node --no-source-map --style=compressed \
  frontend/style/app.scss "$DIST/app.css"

cargo build --target wasm32-unknown-unknown --profile "$PROFILE" -p portal-frontend

wasm-bindgen --target web --no-typescript --out-dir "$DIST/pkg" "$WASM"

# npm's binaryen: Debian's wasm-opt 108 emits a module that validates but fails to load.
[[ "$PROFILE" == dev ]] || npx --no-install wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  -o "$DIST/pkg/portal_frontend_bg.wasm" "$DIST/pkg/portal_frontend_bg.wasm"

cp frontend/index.html "$DIST/index.html"
cp frontend/start.js "$DIST/start.js"

echo "build-frontend: built $DIST ($(du -h "$DIST/pkg/portal_frontend_bg.wasm" | cut -f1) wasm)"
