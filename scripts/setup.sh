#!/usr/bin/env bash
# Installs what building and testing the portal needs, skipping whatever is already there.
#   scripts/setup.sh            the build toolchain: wasm target, wasm-bindgen-cli, npm packages
#   scripts/setup.sh --tests    also Debian's Chromium (browser tests) and a running PostgreSQL
# Everything comes from the package registries (crates.io, npm, Debian); nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=false
[ "${1:-}" = "--tests" ] && want_tests=true

say() { printf '==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=false
apt_install() {
  if ! $apt_updated; then
    as_root apt-get update -qq
    apt_updated=true
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# The Rust target the single-page app compiles to.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock.
wanted_bindgen=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
have_bindgen=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_bindgen" != "$wanted_bindgen" ]; then
  say "installing wasm-bindgen-cli $wanted_bindgen (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$wanted_bindgen"
fi

# npm packages: GOV.UK Frontend, Sass, binaryen's wasm-opt, Playwright, axe-core.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund
fi

if $want_tests; then
  # Browser tests drive Debian's Chromium; Playwright never downloads a browser here.
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium"
    apt_install chromium
  fi

  # Mail tests send to a real SMTP server on loopback: Python's aiosmtpd.
  if ! python3 -c "import aiosmtpd" >/dev/null 2>&1; then
    say "installing aiosmtpd (the mail tests' SMTP server)"
    python3 -m pip install --quiet aiosmtpd \
      || python3 -m pip install --quiet --break-system-packages aiosmtpd
  fi

  # API tests create and drop their own databases on a local PostgreSQL.
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    say "installing PostgreSQL"
    apt_install postgresql
    version=$(ls /etc/postgresql | sort -n | tail -1)
    # Trust local TCP connections, as the project's machines do, so tests need no password.
    hba=/etc/postgresql/$version/main/pg_hba.conf
    as_root sed -i 's/^\(host\s\+all\s\+all\s\+127\.0\.0\.1\/32\s\+\)\S\+/\1trust/' "$hba"
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    say "starting PostgreSQL"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
fi
say "setup complete"
