#!/usr/bin/env bash
# `glassbook chain-watch --eth` as real processes on 127.0.0.1: `glassbook serve --demo`, a local
# ganache node with the test token (tests/eth's npm packages and tests/eth/build, from scripts/setup),
# and the watcher following the token as the demo's USDC (6 decimals, as the token). A token transfer
# to a demo account's Ethereum deposit address is credited once its block has 3 confirmations, and a
# watcher restarted without its cursor sends it again and is refused (credited once).
# Uses curl, python3 (JSON) and Node (the API request's Ed25519 signature), as tests/cli/chain_cli.sh.
set -euo pipefail
gb="$1"
here="$(cd "$(dirname "$0")" && pwd)"
ganache="$here/node_modules/.bin/ganache"
token_bin="$here/build/TestToken_sol_TestToken.bin"
[ -x "$ganache" ] && [ -s "$token_bin" ] || { echo "FAIL: ganache or the token's bytecode is missing: run scripts/setup" >&2; exit 1; }
work=$(mktemp -d /tmp/glassbook-eth-watch-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$work"/*.out "$work"/*.err; do echo "== $f" >&2; tail -20 "$f" >&2 || true; done; exit 1; }
wait_for() { for _ in $(seq 1 600); do if eval "$1"; then return 0; fi; sleep 0.1; done; fail "timed out waiting for: $1"; }

"$gb" serve --data "$work/data" --demo --port 0 --web "" --traders 0 --oracle-sources 0 --demo-accounts 1 \
  --keys-out "$work/keys.json" > "$work/serve.out" 2> "$work/serve.err" &
pids+=("$!")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
deployer=0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318
deployer_address=0x2c7536e3605d9c16a7a3d7b1898e529396a65c23
"$ganache" --server.host 127.0.0.1 --server.port "$port" --chain.chainId 1337 --logging.quiet \
  --wallet.accounts "$deployer,100000000000000000000" > "$work/node.out" 2>&1 &
pids+=("$!")
eth="http://127.0.0.1:$port"
rpc() {  # method params-json: prints the result's JSON, fails on an error
  curl -sf -H 'content-type: application/json' -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":$2}" "$eth/" |
    python3 -c 'import json, sys
r = json.load(sys.stdin)
if "error" in r: sys.exit("rpc error: " + json.dumps(r["error"]))
print(json.dumps(r["result"]))'
}
wait_for '[ -s "$work/keys.json" ]'
wait_for 'rpc eth_chainId "[]" > /dev/null 2>&1'
read -r url account api_key secret < <(python3 -c '
import json, sys
k = json.load(open(sys.argv[1]))
a = k["accounts"][0]
print(k["url"], a["account"], a["apiKey"], a["secret"])' "$work/keys.json")

usdc_balance() {  # the account's available USDC through the signed GET /api/v1/capital
  local ts sig
  ts=$(date +%s%3N)
  sig=$(node -e '
const crypto = require("crypto");
const [seed, text] = process.argv.slice(1);
const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(seed, "base64")]);
const key = crypto.createPrivateKey({key: der, format: "der", type: "pkcs8"});
process.stdout.write(crypto.sign(null, Buffer.from(text), key).toString("base64"));' "$secret" "instruction=balanceQuery&timestamp=$ts&window=5000")
  curl -sf -H "X-API-Key: $api_key" -H "X-Signature: $sig" -H "X-Timestamp: $ts" -H "X-Window: 5000" "$url/api/v1/capital" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["USDC"]["available"])'
}
before=$(usdc_balance)

# The token: 10^12 units to the deployer (constructor argument, one 32-byte word).
supply=$(printf '%064x' 1000000000000)
deploy_tx=$(rpc eth_sendTransaction "[{\"from\":\"$deployer_address\",\"gas\":\"0x200000\",\"data\":\"0x$(tr -d '\n' < "$token_bin")$supply\"}]")
token=$(rpc eth_getTransactionReceipt "[$deploy_tx]" | python3 -c 'import json, sys; print(json.load(sys.stdin)["contractAddress"])')
[ ${#token} -eq 42 ] || fail "the token was not deployed"

"$gb" deposit-addresses --demo --eth --account "$account" --asset USDC --out "$work/addresses.txt" > /dev/null
address=$(awk -v a="$account" '$2 == a && $3 == "USDC" {print $1}' "$work/addresses.txt")
[ ${#address} -eq 40 ] || fail "no USDC deposit address for account $account"

# Bad input: --token without --eth, a token that is not an address.
"$gb" chain-watch --demo --chain "$eth" --url "$url" --addresses "$work/addresses.txt" --token "USDC=$token" 2> "$work/bad.err" && fail "--token without --eth was accepted"
grep -q "give --eth URL" "$work/bad.err" || fail "--token without --eth: $(cat "$work/bad.err")"
"$gb" chain-watch --demo --eth "$eth" --url "$url" --addresses "$work/addresses.txt" --token "USDC=0x12" 2> "$work/bad.err" && fail "a bad token address was accepted"
grep -q "not ASSET=0xCONTRACT" "$work/bad.err" || fail "a bad token address: $(cat "$work/bad.err")"

start_watch() {
  "$gb" chain-watch --demo --eth "$eth" --token "USDC=$token" --url "$url" --addresses "$work/addresses.txt" --cursor "$work/cursor" \
    --confirmations 3 --interval 0.1 >> "$work/watch.out" 2>> "$work/watch.err" &
  watch_pid=$!
  pids+=("$watch_pid")
}
start_watch
# 2.5 USDC (2,500,000 token units) to the deposit address: mined at once by ganache, in block N.
transfer_data="0xa9059cbb000000000000000000000000${address}$(printf '%064x' 2500000)"
rpc eth_sendTransaction "[{\"from\":\"$deployer_address\",\"to\":\"$token\",\"gas\":\"0x100000\",\"data\":\"$transfer_data\"}]" > /dev/null
wait_for 'grep -q "chain-watch: chain eth/1337" "$work/watch.out"'
# With two confirmations nothing is credited; the third block makes it three.
rpc evm_mine "[]" > /dev/null
[ "$(usdc_balance)" = "$before" ] || fail "credited before 3 confirmations"
rpc evm_mine "[]" > /dev/null
wait_for 'grep -q "sent deposit .* of 2500000 USDC to account $account .*: accepted" "$work/watch.out"'
expected=$(python3 -c "from decimal import Decimal; import sys; print(Decimal(sys.argv[1]) + Decimal('2.5'))" "$before")
after=$(usdc_balance)
python3 -c "from decimal import Decimal; import sys; sys.exit(Decimal(sys.argv[1]) != Decimal(sys.argv[2]))" "$after" "$expected" ||
  fail "USDC after the deposit: $after, expected $expected"

# Restarted without its cursor: it sends the deposit again, the exchange refuses it, nothing changes.
kill -TERM "$watch_pid"; wait "$watch_pid" || fail "chain-watch exited with an error"
rm -f "$work/cursor"
start_watch
wait_for 'grep -q ": already credited$" "$work/watch.out"'
[ "$(usdc_balance)" = "$after" ] || fail "the repeat changed the balance"
echo "all checks passed"
