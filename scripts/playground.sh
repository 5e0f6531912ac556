#!/usr/bin/env bash
# Builds the example plugins and the page, then starts the playground on http://127.0.0.1:$PORT
# (default 5173) and prints its URL with the bridge token. Extra arguments go to the server:
#   npm start -- --port 8080 | --dev | --no-rust | --isolated
source "$(dirname "$0")/lib.sh"

ensure_node
ensure_cc
ensure_pnpm
ensure_deps

step "starting the playground (builds the example plugins and the page first)"
exec pnpm --silent --filter @plugin-interfaces/playground start "$@"
