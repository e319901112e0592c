#!/usr/bin/env bash
# Runs the end-to-end suites against a glassbook binary:
#   bash tests/e2e/run.sh [glassbook-binary]     (default: $GLASSBOOK_BIN, else build/src/app/glassbook)
# Each *.test.mjs starts its own demo server on an ephemeral port and stops it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

bin="${1:-${GLASSBOOK_BIN:-$root/build/src/app/glassbook}}"
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac

if ! command -v node >/dev/null 2>&1; then
  echo "e2e: node is not installed: run scripts/setup" >&2
  exit 1
fi
if [ ! -d "$here/node_modules/ccxt" ] || [ ! -d "$here/node_modules/ws" ]; then
  echo "e2e: $here/node_modules is missing: run scripts/setup (or npm ci --prefix tests/e2e)" >&2
  exit 1
fi
if [ ! -x "$bin" ]; then
  echo "e2e: no glassbook binary at $bin (build it, or pass its path)" >&2
  exit 1
fi

export GLASSBOOK_BIN="$bin"
cd "$root"
set +e
node --test --test-concurrency=1 --test-timeout=300000 --test-force-exit tests/e2e/*.test.mjs
status=$?
set -e
exit $status
