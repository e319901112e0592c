#!/usr/bin/env bash
# Custody's first slice as real processes on 127.0.0.1: `glassbook serve --demo`, `glassbook chain-sim`
# and `glassbook chain-watch`. A faucet transfer to a demo account's deposit address, mined past the
# confirmations, is credited to the account exactly once (its balance read through the signed API),
# also across a watcher restart and a restart that lost the cursor (the exchange refuses the repeat);
# a reorg that drops a credited deposit is reported and reversed; a watcher key the genesis does not name is refused.
# Uses curl, python3 (JSON) and Node (the API request's Ed25519 signature), as the other process tests do.
set -euo pipefail
gb="$1"
source "$(dirname "$0")/process_test_lib.sh" chain

"$gb" serve --data "$work/data" --demo --port 0 --web "" --traders 0 --oracle-sources 0 --demo-accounts 1 \
  --keys-out "$work/keys.json" > "$work/serve.out" 2> "$work/serve.err" &
pids+=("$!")
wait_for '[ -s "$work/keys.json" ]'
read -r url account api_key secret < <(python3 -c '
import json, sys
k = json.load(open(sys.argv[1]))
a = k["accounts"][0]
print(k["url"], a["account"], a["apiKey"], a["secret"])' "$work/keys.json")

btc_balance() {  # the account's available BTC, through GET /api/v1/capital, signed with its key (Node's Ed25519)
  local ts sig
  ts=$(date +%s%3N)
  sig=$(node -e '
const crypto = require("crypto");
const [seed, text] = process.argv.slice(1);
const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(seed, "base64")]);  // PKCS#8 around the seed
const key = crypto.createPrivateKey({key: der, format: "der", type: "pkcs8"});
process.stdout.write(crypto.sign(null, Buffer.from(text), key).toString("base64"));' "$secret" "instruction=balanceQuery&timestamp=$ts&window=5000")
  curl -sf -H "X-API-Key: $api_key" -H "X-Signature: $sig" -H "X-Timestamp: $ts" -H "X-Window: 5000" "$url/api/v1/capital" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["BTC"]["available"])'
}
before=$(btc_balance)
[ "$before" = "10" ] || fail "the demo account starts with $before BTC, not 10"

start_chain_sim
# Bad input is a JSON-RPC error object, and changes nothing.
curl -s -d '{"jsonrpc":"2.0","id":1,"method":"sim_faucet","params":{"address":"nope","asset":"BTC","amount":"5"}}' "$chain/" |
  grep -q '"code":-32602,"message":"nope is not an address' || fail "a bad address was not refused"
[ "$(rpc chain_tip '{}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["height"])')" = 0 ] || fail "the refused call mined"

"$gb" deposit-addresses --demo --account "$account" --out "$work/addresses.txt" > /dev/null
address=$(awk -v a="$account" '$2 == a && $3 == "BTC" {print $1}' "$work/addresses.txt")
[ ${#address} -eq 40 ] || fail "no BTC deposit address for account $account"

start_watch() {
  "$gb" chain-watch --demo --chain "$chain" --url "$url" --addresses "$work/addresses.txt" --cursor "$work/cursor" \
    --confirmations 3 --interval 0.1 >> "$work/watch.out" 2>> "$work/watch.err" &
  watch_pid=$!
  pids+=("$watch_pid")
}
stop_watch() { kill -TERM "$watch_pid"; wait "$watch_pid" || fail "chain-watch exited with an error"; }
cursor_next() { sed -n 's/^next //p' "$work/cursor" 2>/dev/null || true; }
start_watch

# 0.12345678 BTC to the deposit address, mined with 3 confirmations: credited once.
rpc sim_faucet "{\"address\":\"$address\",\"asset\":\"BTC\",\"amount\":\"12345678\"}" > /dev/null
rpc sim_mine '{"blocks":3}' > /dev/null
wait_for '[ "$(btc_balance)" = "10.12345678" ]'
wait_for '[ "$(cursor_next)" = 2 ]'
[ "$(grep -c ': accepted$' "$work/watch.out")" -eq 1 ] || fail "the watcher did not send the deposit exactly once"

# Restarted, it resumes from its cursor: more blocks, nothing sent again.
stop_watch
rpc sim_mine '{"blocks":2}' > /dev/null
start_watch
wait_for '[ "$(cursor_next)" = 4 ]'
grep -q 'resuming at height 2' "$work/watch.out" || fail "the watcher did not resume from its cursor"
# A restart that lost its cursor sends the deposit again: the exchange refuses the repeated deposit id.
stop_watch
rm -f "$work/cursor"
start_watch
wait_for 'grep -q ": already credited$" "$work/watch.out"'
[ "$(btc_balance)" = "10.12345678" ] || fail "a repeated deposit was credited twice"
# The chain-sim restarts from its state file; a second deposit is credited on top of the first, once.
kill -TERM "$chain_pid"
wait "$chain_pid" || fail "chain-sim exited with an error"
rm -f "$work/chain.ready"
set +e
"$gb" chain-sim --port 0 --state "$work/chain.state" --seed 2 --seconds 0.1 > /dev/null 2> "$work/other-seed.err"
rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q 'holds chain sim/1 (minimum fee 10), not sim/2' "$work/other-seed.err" || fail "another seed over the state file: exit $rc"
"$gb" chain-sim --port "${chain##*:}" --state "$work/chain.state" --ready-file "$work/chain.ready" >> "$work/chain.out" 2>> "$work/chain.err" &
chain_pid=$!
pids+=("$chain_pid")
wait_for '[ -s "$work/chain.ready" ]'
grep -q 'at height 5 (resumed from' "$work/chain.out" || fail "chain-sim did not resume its chain"
rpc sim_faucet "{\"address\":\"$address\",\"asset\":\"BTC\",\"amount\":\"1000\"}" > /dev/null
rpc sim_mine '{"blocks":3}' > /dev/null
wait_for '[ "$(btc_balance)" = "10.12346678" ]'
wait_for '[ "$(cursor_next)" = 7 ]'
# A reorg that drops the second deposit's block: the watcher reports it and reverses the deposit.
rpc sim_reorg '{"depth":3,"dropTransactions":true}' > /dev/null
wait_for 'grep -q "REORG: credited deposit [0-9]* of 1000 BTC to account $account .* not on the chain now: reversal sent" "$work/watch.err"'
wait_for '[ "$(btc_balance)" = "10.12345678" ]'
grep -q 'REORG: the blocks above height 5 that this watcher had read (up to 6) are no longer the chain' "$work/watch.err" ||
  fail "the reorg's fork point was not reported"
stop_watch
[ "$(grep -c ': accepted$' "$work/watch.out")" -eq 2 ] || fail "expected two accepted deposits in all"
[ "$(btc_balance)" = "10.12345678" ] || fail "the balance moved again after the reversal"

# A watcher with a sealed key of its own, which the demo's genesis does not name: its attestation is
# refused, reported and retried (never skipped), nothing is credited. A wrong passphrase stops it at
# start with a clear error.
export GB_PASS="watcher passphrase"
"$gb" keys new --role chain-watcher --out "$work/watcher.key" --passphrase-env GB_PASS --kdf-cost interactive > /dev/null
"$gb" genesis demo > "$work/demo.toml"
set +e
GB_PASS=wrong "$gb" chain-watch --key "$work/watcher.key" --passphrase-env GB_PASS --genesis "$work/demo.toml" --chain "$chain" \
  --url "$url" --addresses "$work/addresses.txt" --cursor "$work/cursor2" > /dev/null 2> "$work/wrong.err"
rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q 'wrong passphrase' "$work/wrong.err" || fail "a wrong passphrase: exit $rc"
"$gb" chain-watch --key "$work/watcher.key" --passphrase-env GB_PASS --genesis "$work/demo.toml" --chain "$chain" --url "$url" \
  --addresses "$work/addresses.txt" --cursor "$work/cursor2" --confirmations 1 --interval 0.1 > "$work/outsider.out" 2> "$work/outsider.err" &
outsider_pid=$!
pids+=("$outsider_pid")
wait_for 'grep -q "the exchange did not take a deposit, retrying: 401 .*UNAUTHORIZED" "$work/outsider.err"'
[ "$(sed -n 's/^next //p' "$work/cursor2")" = 1 ] || fail "the outsider's cursor moved past the refused deposit"
kill -TERM "$outsider_pid"
wait "$outsider_pid" || fail "the outsider watcher exited with an error"
[ "$(btc_balance)" = "10.12345678" ] || fail "an outsider's attestation was credited"
echo "chain CLI: all checks passed"
