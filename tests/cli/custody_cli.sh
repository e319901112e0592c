#!/usr/bin/env bash
# Withdrawals end to end as real processes on 127.0.0.1: `glassbook serve --demo`, `glassbook chain-sim`,
# `glassbook chain-watch` and `glassbook custodian`. A deposit is credited; a withdrawal requested over
# the signed API is approved, broadcast and confirmed (the funds leave the ledger and arrive at the
# address on the chain); a transfer whose funding a reorg took away fails and its hold is released; a
# custodian killed (SIGKILL) between the send and the record, restarted, sends nothing twice; a reorg
# that removes a credited deposit reverses it; a custodian key the genesis does not name is refused and
# retries; a withdrawal nobody approves is cancelled by one custodian (`--cancel`) and its hold released.
# Uses curl, python3 (JSON) and Node (Ed25519 signatures).
set -euo pipefail
gb="$1"
source "$(dirname "$0")/process_test_lib.sh" custody

"$gb" serve --data "$work/data" --demo --port 0 --web "" --traders 0 --oracle-sources 0 --demo-accounts 1 \
  --keys-out "$work/keys.json" > "$work/serve.out" 2> "$work/serve.err" &
serve_pid=$!
pids+=("$serve_pid")
await_serve
read -r account api_key secret to < <(python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["accounts"][0]
print(a["account"], a["apiKey"], a["secret"], a["withdrawalAddress"])' "$work/keys.json")
[ ${#to} -eq 40 ] || fail "no withdrawal address in the keys file"

sign() {  # text: the account's Ed25519 signature (Node), base64
  node -e '
const crypto = require("crypto");
const [seed, text] = process.argv.slice(1);
const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(seed, "base64")]);
process.stdout.write(crypto.sign(null, Buffer.from(text), crypto.createPrivateKey({key: der, format: "der", type: "pkcs8"})).toString("base64"));' \
    "$secret" "$1"
}
signed_get() {  # instruction path
  local ts
  ts=$(date +%s%3N)
  curl -sf -H "X-API-Key: $api_key" -H "X-Signature: $(sign "instruction=$1&timestamp=$ts&window=5000")" -H "X-Timestamp: $ts" \
    -H "X-Window: 5000" "$url$2"
}
btc() {  # the account's BTC: available or locked
  signed_get balanceQuery /api/v1/capital | python3 -c 'import json, sys; print(json.load(sys.stdin)["BTC"][sys.argv[1]])' "$1"
}
withdraw() {  # quantity: requests a BTC withdrawal to the account's allow-listed address; prints its id
  local ts text
  ts=$(date +%s%3N)
  text="instruction=withdraw&address=$to&blockchain=sim&quantity=$1&symbol=BTC&timestamp=$ts&window=5000"
  curl -s -H "X-API-Key: $api_key" -H "X-Signature: $(sign "$text")" -H "X-Timestamp: $ts" -H "X-Window: 5000" \
    -H "Content-Type: application/json" -d "{\"address\":\"$to\",\"blockchain\":\"sim\",\"quantity\":\"$1\",\"symbol\":\"BTC\"}" \
    "$url/wapi/v1/capital/withdrawals" > "$work/withdraw.json"
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$work/withdraw.json" || fail "withdrawal refused: $(cat "$work/withdraw.json")"
}
withdrawal_status() {  # id: the engine's step as the account's history shows it
  signed_get withdrawalQueryAll /wapi/v1/capital/withdrawals |
    python3 -c 'import json, sys; print(next((w["glassbookStatus"] for w in json.load(sys.stdin) if str(w["id"]) == sys.argv[1]), "none"))' "$1"
}

start_chain_sim
chain_btc() { rpc chain_getBalance "{\"address\":\"$1\",\"asset\":\"BTC\"}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["balance"])'; }
mine() { rpc sim_mine "{\"blocks\":$1}" > /dev/null; }

"$gb" deposit-addresses --demo --account "$account" --out "$work/addresses.txt" > /dev/null
deposit_address=$(awk -v a="$account" '$2 == a && $3 == "BTC" {print $1}' "$work/addresses.txt")
"$gb" chain-watch --demo --chain "$chain" --url "$url" --addresses "$work/addresses.txt" --cursor "$work/cursor" \
  --confirmations 3 --interval 0.1 > "$work/watch.out" 2> "$work/watch.err" &
pids+=("$!")
start_custodian() {  # extra flags
  "$gb" custodian --demo --broadcast --chain "$chain" --url "$url" --interval 0.1 "$@" >> "$work/custodian.out" 2>> "$work/custodian.err" &
  custodian_pid=$!
  pids+=("$custodian_pid")
}
start_custodian
wait_for 'grep -q "approving and broadcasting from wallet" "$work/custodian.out"'
wallet=$(sed -n 's/.*approving and broadcasting from wallet \([0-9a-f]*\)$/\1/p' "$work/custodian.out" | head -1)
[ ${#wallet} -eq 40 ] || fail "no wallet address"

# A deposit: 0.5 BTC to the account's address, credited at 3 confirmations.
rpc sim_faucet "{\"address\":\"$deposit_address\",\"asset\":\"BTC\",\"amount\":\"50000000\"}" > /dev/null
mine 3
wait_for '[ "$(btc available)" = "10.5" ]'

# A transfer that fails: the wallet's only funding is reorganised away while the transfer waits to be
# mined. The watcher attests the failure at 3 confirmations and the hold is released.
rpc sim_faucet "{\"address\":\"$wallet\",\"asset\":\"BTC\",\"amount\":\"100000000\"}" > /dev/null
mine 1
w1=$(withdraw 0.1)
wait_for 'grep -q "custodian: broadcast withdrawal $w1 " "$work/custodian.out"'
grep -q "custodian: approved withdrawal $w1 of 10000000 BTC from account $account to $to" "$work/custodian.out" || fail "withdrawal $w1 not approved first"
[ "$(btc locked)" = "0.1" ] || fail "withdrawal $w1 does not hold 0.1 BTC: $(btc locked)"
rpc sim_reorg '{"depth":1,"dropTransactions":true}' > /dev/null
mine 1
wait_for '[ "$(withdrawal_status "$w1")" = failed ]'
grep -q "chain-watch: settled withdrawal $w1 .*: failed: $wallet no longer holds" "$work/watch.out" || fail "the failure was not attested"
[ "$(btc available)" = "10.5" ] && [ "$(btc locked)" = "0" ] || fail "the failed withdrawal's hold was not released"
[ "$(chain_btc "$to")" = 0 ] || fail "a failed transfer paid"

# A withdrawal that completes: approved, broadcast, confirmed; the funds leave the ledger and arrive.
rpc sim_faucet "{\"address\":\"$wallet\",\"asset\":\"BTC\",\"amount\":\"100000000\"}" > /dev/null
mine 1
w2=$(withdraw 0.2)
wait_for '[ "$(withdrawal_status "$w2")" = broadcast ]'
mine 2
[ "$(withdrawal_status "$w2")" = broadcast ] || fail "withdrawal $w2 settled before its confirmations"
mine 1
wait_for '[ "$(withdrawal_status "$w2")" = confirmed ]'
[ "$(btc available)" = "10.3" ] && [ "$(btc locked)" = "0" ] || fail "the confirmed withdrawal did not leave the ledger: $(btc available)"
[ "$(chain_btc "$to")" = 20000000 ] || fail "the address holds $(chain_btc "$to"), not 0.2 BTC"

# The custodian killed (SIGKILL) between the send and the record: the restarted one sends the same
# transfer (the chain answers the same transaction) and records it; the chain shows one transfer.
kill -TERM "$custodian_pid"
wait "$custodian_pid" || fail "the custodian exited with an error"
start_custodian --test-kill-after-send
w3=$(withdraw 0.3)
set +e
wait "$custodian_pid"
rc=$?
set -e
[ "$rc" -eq 137 ] || fail "the custodian was not killed after its send (exit $rc)"
tx=$(sed -n "s/^custodian: sent withdrawal $w3 as tx \([0-9a-f]*\);.*/\1/p" "$work/custodian.out")
[ -n "$tx" ] || fail "no transfer sent before the kill"
[ "$(withdrawal_status "$w3")" = approved ] || fail "withdrawal $w3 was recorded before the kill"
mine 1  # the transfer is mined while no custodian runs
start_custodian
wait_for 'grep -q "custodian: broadcast withdrawal $w3 .* as tx $tx$" "$work/custodian.out"'
mine 3
wait_for '[ "$(withdrawal_status "$w3")" = confirmed ]'
[ "$(chain_btc "$to")" = 50000000 ] || fail "the address holds $(chain_btc "$to"), not 0.5 BTC"
tip=$(rpc chain_tip '{}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["height"])')
transfers=$(rpc chain_getTransfers "{\"addresses\":[\"$to\"],\"fromHeight\":0,\"toHeight\":$tip}" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
[ "$transfers" = 2 ] || fail "the chain shows $transfers transfers to the address, not 2"
[ "$(btc available)" = "10" ] || fail "after three withdrawals the account holds $(btc available) BTC"

# A reorg that removes a credited deposit: the watcher reverses it.
rpc sim_faucet "{\"address\":\"$deposit_address\",\"asset\":\"BTC\",\"amount\":\"25000000\"}" > /dev/null
mine 3
wait_for '[ "$(btc available)" = "10.25" ]'
rpc sim_reorg '{"depth":3,"dropTransactions":true}' > /dev/null
wait_for 'grep -q "REORG: credited deposit [0-9]* of 25000000 BTC to account $account .* not on the chain now: reversal sent" "$work/watch.err"'
wait_for '[ "$(btc available)" = "10" ]'
curl -sf "$url/api/v1/glassbook/withdrawals" | grep -qx '\[\]' || fail "withdrawals left open: $(curl -s "$url/api/v1/glassbook/withdrawals")"

# A custodian with a sealed key of its own, which the demo's genesis does not name: its approval is
# refused (UNAUTHORIZED), reported and retried; the withdrawal keeps waiting with its hold. A wrong
# passphrase stops it at start.
kill -TERM "$custodian_pid"
wait "$custodian_pid" || fail "the custodian exited with an error"
export GB_PASS="custodian passphrase"
"$gb" keys new --role custodian --out "$work/custodian.key" --passphrase-env GB_PASS --kdf-cost interactive > /dev/null
"$gb" genesis demo > "$work/demo.toml"
set +e
GB_PASS=wrong "$gb" custodian --key "$work/custodian.key" --passphrase-env GB_PASS --genesis "$work/demo.toml" --chain "$chain" \
  --url "$url" --seconds 1 > /dev/null 2> "$work/wrong.err"
rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q 'wrong passphrase' "$work/wrong.err" || fail "a wrong passphrase: exit $rc"
"$gb" custodian --key "$work/custodian.key" --passphrase-env GB_PASS --genesis "$work/demo.toml" --chain "$chain" --url "$url" \
  --interval 0.1 > "$work/outsider.out" 2> "$work/outsider.err" &
outsider_pid=$!
pids+=("$outsider_pid")
w4=$(withdraw 0.4)
wait_for 'grep -q "custodian: retrying: 401 .*UNAUTHORIZED" "$work/outsider.err"'
kill -TERM "$outsider_pid"
wait "$outsider_pid" || fail "the outsider custodian exited with an error"
[ "$(withdrawal_status "$w4")" = awaitingApproval ] || fail "an outsider's approval counted"
[ "$(btc locked)" = "0.4" ] || fail "the waiting withdrawal does not hold its 0.4 BTC"

# A withdrawal nobody will approve is cancelled by one custodian: the hold goes back. An outsider's
# cancellation is refused, and so is a second one.
set +e
"$gb" custodian --key "$work/custodian.key" --passphrase-env GB_PASS --genesis "$work/demo.toml" --url "$url" --cancel "$w4" \
  > /dev/null 2> "$work/cancel.err"
rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q "withdrawal $w4 not cancelled: .*UNAUTHORIZED" "$work/cancel.err" || fail "an outsider's cancellation: exit $rc $(cat "$work/cancel.err")"
[ "$(withdrawal_status "$w4")" = awaitingApproval ] || fail "an outsider cancelled withdrawal $w4"
"$gb" custodian --demo --url "$url" --cancel "$w4" > "$work/cancel.out" || fail "the custodian's cancellation was refused"
grep -q "cancelled withdrawal $w4" "$work/cancel.out" || fail "no word of the cancellation: $(cat "$work/cancel.out")"
[ "$(withdrawal_status "$w4")" = cancelled ] || fail "withdrawal $w4 is $(withdrawal_status "$w4") after its cancellation"
[ "$(btc locked)" = "0" ] && [ "$(btc available)" = "10" ] || fail "the cancellation did not release the hold: $(btc locked) locked"
set +e
"$gb" custodian --demo --url "$url" --cancel "$w4" > /dev/null 2> "$work/cancel.err"
rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q "no open withdrawal $w4" "$work/cancel.err" || fail "a second cancellation: exit $rc $(cat "$work/cancel.err")"
echo "custody CLI: all checks passed"
