#!/usr/bin/env bash
# Installs what is missing (pnpm, Debian's chromium and fonts for the browser test, workspace
# dependencies) and runs every test: generated-file check, lint, type checks, unit and native
# fixture tests, Rust tests, and the real-browser playground test.
source "$(dirname "$0")/lib.sh"

ensure_node
ensure_cc
command -v cargo >/dev/null || die "cargo is required for the Rust SDK tests (https://rustup.rs)."
ensure_rust_crates
ensure_pnpm

if ! command -v chromium >/dev/null; then
  step "installing Debian's chromium and fonts for the browser test"
  if command -v apt-get >/dev/null && as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core fonts-liberation >/dev/null; then
    echo "chromium: $(chromium --version 2>/dev/null || echo installed)"
  else
    die "chromium is missing and could not be installed (needs root and apt-get). Install Debian's 'chromium' package, or set PI_CHROMIUM to a Chromium binary."
  fi
fi

ensure_deps
rm -rf "$ROOT"/packages/*/.test-results "$ROOT"/apps/*/.test-results "$ROOT"/packages/spec/conformance/.test-results
export PI_TEST_REPORT=1

step "generated files are up to date"
pnpm --silent generate:check

step "lint (biome)"
pnpm --silent lint

step "type checks"
pnpm exec turbo run typecheck --concurrency=2 --output-logs=errors-only

step "tests (unit, native fixtures, Rust, browser)"
status=0
pnpm exec turbo run test --concurrency=1 --continue --output-logs=full || status=$?

step "conformance scenarios: host × mode"
node packages/host-rust/scripts/conformance-table.mjs || status=1

step "summary"
node scripts/summarize-tests.mjs || status=1

# Packaging test and the other platforms: linux-x64 (fresh project, no compiler), win32-x64 under
# wine, linux-arm64 under qemu. Each lane installs what it needs; see scripts/lanes/run-lanes.mjs.
step "platform lanes (packaging, win32-x64 under wine, linux-arm64 under qemu)"
node scripts/lanes/run-lanes.mjs || status=1
exit "$status"
