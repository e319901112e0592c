#!/usr/bin/env bash
# The hack as real processes on 127.0.0.1: `glassbook serve --demo`, `glassbook chain-sim` and
# `glassbook chain-watch`. The demo operator registers a customer hot wallet (`glassbook role
# register-wallet`), which is funded with what the ledger says came in; the watcher reports its balance
# and the exchange reconciles. `sim_steal` takes 1 BTC from it; the watcher's next report raises the
# alert and a BTC withdrawal is refused with WITHDRAWALS_HALTED, also once the wallet is refilled, until
# the operator resolves the alert with an explanation (`glassbook role resolve-alert`). Uses curl,
# python3 (JSON) and Node (Ed25519).
set -euo pipefail
gb="$1"
source "$(dirname "$0")/process_test_lib.sh" reconciliation

"$gb" serve --data "$work/data" --demo --port 0 --web "" --traders 0 --oracle-sources 0 --demo-accounts 1 \
  --keys-out "$work/keys.json" > "$work/serve.out" 2> "$work/serve.err" &
serve_pid=$!
pids+=("$serve_pid")
await_serve
read -r account api_key secret to < <(python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["accounts"][0]
print(a["account"], a["apiKey"], a["secret"], a["withdrawalAddress"])' "$work/keys.json")

sign() {  # text: the account's Ed25519 signature (Node), base64
  node -e '
const crypto = require("crypto");
const [seed, text] = process.argv.slice(1);
const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(seed, "base64")]);
process.stdout.write(crypto.sign(null, Buffer.from(text), crypto.createPrivateKey({key: der, format: "der", type: "pkcs8"})).toString("base64"));' \
    "$secret" "$1"
}
withdraw() {  # quantity: a BTC withdrawal to the account's allow-listed address; prints "ok" or the refusal's code
  local ts text
  ts=$(date +%s%3N)
  text="instruction=withdraw&address=$to&blockchain=sim&quantity=$1&symbol=BTC&timestamp=$ts&window=5000"
  curl -s -H "X-API-Key: $api_key" -H "X-Signature: $(sign "$text")" -H "X-Timestamp: $ts" -H "X-Window: 5000" \
    -H "Content-Type: application/json" -d "{\"address\":\"$to\",\"blockchain\":\"sim\",\"quantity\":\"$1\",\"symbol\":\"BTC\"}" \
    "$url/wapi/v1/capital/withdrawals" | python3 -c 'import json, sys; r = json.load(sys.stdin); print(r.get("code", "ok") if isinstance(r, dict) else "ok")'
}
btc_figure() {  # field: the BTC entry of GET /api/v1/glassbook/reconciliation
  curl -sf "$url/api/v1/glassbook/reconciliation" |
    python3 -c 'import json, sys; a = [x for x in json.load(sys.stdin)["assets"] if x["symbol"] == "BTC"]; print(a[0][sys.argv[1]] if a else "none")' "$1"
}
# The public key of the demo custodian (seed: SHA-256 of its label), base64.
custodian_key=$(node -e '
const crypto = require("crypto");
const seed = crypto.createHash("sha256").update("demo/custodian").digest();
const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
const pub = crypto.createPublicKey(crypto.createPrivateKey({key: der, format: "der", type: "pkcs8"})).export({format: "der", type: "spki"});
process.stdout.write(pub.subarray(pub.length - 32).toString("base64"));')

start_chain_sim
mine() { rpc sim_mine "{\"blocks\":$1}" > /dev/null; }
"$gb" deposit-addresses --demo --account "$account" --out "$work/addresses.txt" > /dev/null
"$gb" chain-watch --demo --chain "$chain" --url "$url" --addresses "$work/addresses.txt" --cursor "$work/cursor" \
  --confirmations 1 --interval 0.1 > "$work/watch.out" 2> "$work/watch.err" &
pids+=("$!")

hot=00000000000000000000000000000000000000a1
"$gb" role register-wallet --url "$url" --demo-signer demo/log --chain sim --asset 0 --address "$hot" --signer "$custodian_key" \
  --threshold 1 > "$work/role.out" 2>&1 || fail "register-wallet refused: $(cat "$work/role.out")"
# The watcher reports the new wallet at once: empty, while the ledger holds the demo's funding, so
# the first reconciliation finds a shortfall and halts BTC withdrawals.
wait_for '[ "$(btc_figure status)" = "shortfall" ]'
[ "$(withdraw 0.001)" = WITHDRAWALS_HALTED ] || fail "a withdrawal was taken from an empty wallet"
# Funded with what the ledger says came in: reconciled, and the operator explains the first alert.
expected=$(btc_figure expected)
rpc sim_faucet "{\"address\":\"$hot\",\"asset\":\"BTC\",\"amount\":\"$expected\"}" > /dev/null
mine 1
wait_for '[ "$(btc_figure status)" = "reconciled" ]'
"$gb" role resolve-alert --url "$url" --demo-signer demo/log --alert-id "$(btc_figure openAlert)" \
  --explanation "the hot wallet was registered before it was funded" > "$work/role.out" 2>&1 || fail "resolve-alert refused: $(cat "$work/role.out")"
wait_for '[ "$(btc_figure withdrawalsHalted)" = "False" ]'
[ "$(withdraw 0.001)" = ok ] || fail "a withdrawal before the theft was refused"

# The hack: 1 BTC leaves the hot wallet without its key.
rpc sim_steal "{\"from\":\"$hot\",\"to\":\"0000000000000000000000000000000000000bad\",\"asset\":\"BTC\",\"amount\":\"100000000\"}" > /dev/null
mine 1
wait_for '[ "$(btc_figure status)" = "shortfall" ]'
[ "$(btc_figure discrepancy)" = "-100000000" ] || fail "the shortfall is $(btc_figure discrepancy)"
[ "$(btc_figure withdrawalsHalted)" = "True" ] || fail "withdrawals not halted"
[ "$(withdraw 0.001)" = WITHDRAWALS_HALTED ] || fail "a withdrawal was taken during the alert"
alert=$(btc_figure openAlert)

# Refilled, the figures reconcile, but the alert stays until the operator explains it.
rpc sim_faucet "{\"address\":\"$hot\",\"asset\":\"BTC\",\"amount\":\"100000000\"}" > /dev/null
mine 1
wait_for '[ "$(btc_figure status)" = "reconciled" ]'
[ "$(withdraw 0.001)" = WITHDRAWALS_HALTED ] || fail "a withdrawal was taken before the alert was resolved"
"$gb" role resolve-alert --url "$url" --demo-signer demo/log --alert-id "$alert" \
  --explanation "hot wallet key leaked; 1 BTC refilled from the operating reserve, key rotated" > "$work/role.out" 2>&1 ||
  fail "resolve-alert refused: $(cat "$work/role.out")"
wait_for '[ "$(btc_figure withdrawalsHalted)" = "False" ]'
[ "$(withdraw 0.001)" = ok ] || fail "a withdrawal after the resolution was refused"
grep -q "reported wallet $hot" "$work/watch.out" || fail "the watcher logged no report"
echo "reconciliation CLI: all checks passed"
