#!/usr/bin/env bash
# The web interface's tests: the type check, the unit tests (node's test runner) and the browser
# tests (playwright-core driving Debian's chromium against a real glassbook serve):
#   bash web/test/run.sh <glassbook-binary> [screenshot-dir]
set -euo pipefail
web="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:?usage: run.sh <glassbook-binary> [screenshot-dir]}"
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
export GLASSBOOK_BIN="$bin"
export GLASSBOOK_WEB_SHOTS="${2:-$web/test-results/screenshots}"

if [ ! -d "$web/node_modules/playwright-core" ]; then
  echo "web: $web/node_modules is missing: run scripts/setup (or npm ci --prefix web)" >&2
  exit 1
fi
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "web: no chromium at ${CHROMIUM:-/usr/bin/chromium}: run scripts/setup (apt-get install chromium)" >&2
  exit 1
fi
cd "$web"
node_modules/.bin/tsc -p .
node build.mjs
node --test test/unit/
node --test --test-concurrency=1 --test-timeout=600000 --test-force-exit test/browser/
echo "web: screenshots in $GLASSBOOK_WEB_SHOTS"
