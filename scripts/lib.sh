# Shared helpers for the two entry scripts: make sure the pinned pnpm and the workspace's
# dependencies are present. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export TURBO_TELEMETRY_DISABLED=1
export DO_NOT_TRACK=1

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[33mwarning:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

PNPM_VERSION="$(node -p "require('./package.json').packageManager.split('@')[1]")"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}

ensure_node() {
  command -v node >/dev/null || die "Node.js 20.19 or newer is required (https://nodejs.org)."
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' ||
    die "Node.js 20.19 or newer is required; found $(node --version)."
}

ensure_pnpm() {
  if command -v pnpm >/dev/null && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then return; fi
  step "installing pnpm $PNPM_VERSION"
  if npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then return; fi
  # No permission for a global install: use a project-local copy instead.
  npm install --prefix "$ROOT/.cache/pnpm" "pnpm@$PNPM_VERSION" >/dev/null
  export PATH="$ROOT/.cache/pnpm/node_modules/.bin:$PATH"
  [ "$(pnpm --version)" = "$PNPM_VERSION" ] || die "could not install pnpm $PNPM_VERSION"
}

ensure_deps() {
  step "installing workspace dependencies"
  pnpm install --frozen-lockfile --reporter=append-only 2>&1 | tail -n 3
}

ensure_cc() {
  command -v "${CC:-cc}" >/dev/null || die "No C compiler found (looked for '${CC:-cc}'). Install one, e.g. 'apt-get install build-essential' or Xcode's command line tools, then run this again."
}

# Debian's crate sources for packages/host-rust (its .cargo/config.toml points cargo at
# /usr/share/cargo/registry, so `cargo test --offline` needs no crates.io access).
HOST_RUST_CRATES="librust-libloading-dev librust-serde-dev librust-serde-derive-dev librust-serde-json-dev librust-toml-dev librust-sha2-dev"
ensure_rust_crates() {
  local missing=""
  for c in libloading serde serde_derive serde_json toml sha2; do
    compgen -G "/usr/share/cargo/registry/$c-[0-9]*" >/dev/null || missing="$missing $c"
  done
  [ -z "$missing" ] && return
  step "installing Debian's crate sources for host-rust:$missing"
  if command -v apt-get >/dev/null && as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $HOST_RUST_CRATES >/dev/null; then
    return
  fi
  die "host-rust needs Debian's crate sources ($HOST_RUST_CRATES); install them with apt-get (needs root)."
}
