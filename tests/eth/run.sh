#!/usr/bin/env bash
# Starts ganache (tests/eth's pinned npm package, installed by scripts/setup) on a free 127.0.0.1 port
# with two funded keys of the test's own, runs the Ethereum adapter's end-to-end tests against it
# (eth_node_test.cpp), and stops it. Nothing is downloaded: the node and the token's bytecode
# (tests/eth/build, compiled by solc at setup) must already be there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tests="$1"
ganache="$here/node_modules/.bin/ganache"
token="$here/build/TestToken_sol_TestToken.bin"
[ -x "$ganache" ] || { echo "FAIL: $ganache is missing: run scripts/setup" >&2; exit 1; }
[ -s "$token" ] || { echo "FAIL: $token is missing: run scripts/setup" >&2; exit 1; }
work=$(mktemp -d /tmp/glassbook-eth-XXXXXX)
node_pid=""
cleanup() {
  [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The hot wallet (5 ether) and the token's deployer (100 ether: more than our int64 units hold in wei,
# which the test uses to see the refusal). Test keys, public by design.
hot=0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63
deployer=0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318
"$ganache" --server.host 127.0.0.1 --server.port "$port" --chain.chainId 1337 --logging.quiet \
  --wallet.accounts "$hot,5000000000000000000" --wallet.accounts "$deployer,100000000000000000000" > "$work/node.out" 2>&1 &
node_pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 1 300); do
  curl -sf -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$url/" > /dev/null && break
  kill -0 "$node_pid" 2>/dev/null || { cat "$work/node.out" >&2; echo "FAIL: ganache stopped" >&2; exit 1; }
  sleep 0.2
done
GB_ETH_URL="$url" GB_ETH_HOT_KEY="$hot" GB_ETH_DEPLOYER_KEY="$deployer" GB_ETH_TOKEN_BIN="$token" "$tests"
echo "all checks passed"
