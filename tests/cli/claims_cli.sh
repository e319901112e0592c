#!/usr/bin/env bash
# A creditor's path through the claims market, end to end as real processes on 127.0.0.1: `glassbook
# serve` on a genesis holding an estate (FTX, its claim asset and the FTXCLAIM_USDC market). The
# creditor registers, its claims agent attests its claim and links it over the salted e-mail hash, a
# KYC provider attests it; it sees its claim over the API, sells part to an eligible buyer, receives a
# USDC round's payout and withdraws it to its address on a simulated chain (`chain-sim`, `chain-watch`
# and `custodian` processes) while the buyer (attested in CN, barred from payouts) has its share escrowed
# until a new attestation lets it release it; each sees this in its history and on its WebSocket
# stream. Then `glassbook claims report`, a restarted node (its view rebuilt from the journal) and
# `glassbook replay` of the data directory agree with what the API answered. Every claims command is built, signed and posted by tests/cli/claims_client.mjs
# (node:crypto, written from the docs); uses curl, python3 (JSON) and Node with the ws package of
# tests/e2e (npm ci --prefix tests/e2e).
set -euo pipefail
gb="$1"
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/process_test_lib.sh" claims
client() { node "$here/claims_client.mjs" "$@"; }
[ -d "$here/../e2e/node_modules/ws" ] || fail "tests/e2e/node_modules/ws is missing: npm ci --prefix tests/e2e"
json() {  # python expression over j (the JSON on stdin)
  python3 -c 'import json, sys; j = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

# The genesis: the demo's markets and role keys, our own log key, and the estate with its claim asset
# and market; the claims agent and the KYC provider are keys of labels only this test uses.
export GB_PASS="log passphrase"
"$gb" keys new --role log --out "$work/log.key" --passphrase-env GB_PASS --kdf-cost interactive > /dev/null
log_pub=$("$gb" keys show "$work/log.key" | sed -n 's/^public key: *//p')
agent=cli/ftx-agent
provider=cli/ftx-kyc
"$gb" genesis demo > "$work/demo.toml"
python3 - "$work/demo.toml" "$work/genesis.toml" "$log_pub" "$(client pub $agent)" "$(client pub $provider)" <<'EOF'
import re, sys
src, dst, log_key, agent, provider = sys.argv[1:]
t = open(src).read()
t = re.sub(r'^log_key = ".*"$', f'log_key = "{log_key}"', t, count=1, flags=re.M)
t = re.sub(r'^proof_key = ".*"\n', '', t, count=1, flags=re.M)  # no proof of liabilities here
t = t.replace('[risk]\n', '[[assets]]\nsymbol = "FTXCLAIM"\ndecimals = 2\n\n[risk]\n', 1)
t = t.replace('[roles.operators]\n', '''[[markets]]
symbol = "FTXCLAIM_USDC"
kind = "spot"
base = "FTXCLAIM"
quote = "USDC"
tick_size = "0.001"
lot_size = "1"
min_quantity = "1"
max_price = "2"
maker_fee_ppm = 0
taker_fee_ppm = 0
market_protection_ppm = 50_000
max_orders = 1_024
band_ppm = 0

[roles.operators]
''', 1)
t += f'''
[[estates]]
name = "FTX Trading Ltd."
claim_unit = "USD"
claim_asset = "FTXCLAIM"
payout_assets = ["USDC"]
claims_agent = "{agent}"
kyc_providers = ["{provider}"]
barred_jurisdictions = ["CN", "RU"]

[estates.transfer_rules]
min_kyc_level = 2
barred_buyer_jurisdictions = ["KP"]
'''
open(dst, "w").write(t)
EOF
"$gb" genesis check "$work/genesis.toml" > "$work/check.out" 2>&1 || fail "genesis refused: $(cat "$work/check.out")"

"$gb" serve --data "$work/data" --genesis "$work/genesis.toml" --log-key "$work/log.key" --passphrase-env GB_PASS --port 0 --web "" \
  --proof-every-seconds 0 --keys-out "$work/keys.json" > "$work/serve.out" 2> "$work/serve.err" &
serve_pid=$!
pids+=("$serve_pid")
await_serve
ws_url=$(sed -n 's/.*"ws":"\([^"]*\)".*/\1/p' "$work/keys.json")
[ -n "$ws_url" ] || ws_url="ws://${url#http://}/"

post_command() {  # label kind fields-json: posts a native command, prints the answer, fails on a refusal
  client command "$1" "$2" "${3:-}" > "$work/command.json"
  curl -s -H "Content-Type: application/json" -d @"$work/command.json" "$url/api/v1/glassbook/command" > "$work/answer.json"
  grep -q '"journalSeq"' "$work/answer.json" || fail "$2 signed by $1 refused: $(cat "$work/answer.json")"
  cat "$work/answer.json"
}
signed_get() {  # label instruction path [sorted query]
  local ts text
  ts=$(date +%s%3N)
  text="instruction=$2&${4:+$4&}timestamp=$ts&window=5000"
  curl -sf -H "X-API-Key: $(client pub "$1")" -H "X-Signature: $(client sign "$1" "$text")" -H "X-Timestamp: $ts" -H "X-Window: 5000" \
    "$url$3${4:+?$4}"
}
order() {  # label side quantity price
  local ts text
  ts=$(date +%s%3N)
  text="instruction=orderExecute&orderType=Limit&price=$4&quantity=$3&side=$2&symbol=FTXCLAIM_USDC&timestamp=$ts&window=5000"
  curl -s -H "X-API-Key: $(client pub "$1")" -H "X-Signature: $(client sign "$1" "$text")" -H "X-Timestamp: $ts" -H "X-Window: 5000" \
    -H "Content-Type: application/json" \
    -d "{\"orderType\":\"Limit\",\"price\":\"$4\",\"quantity\":\"$3\",\"side\":\"$2\",\"symbol\":\"FTXCLAIM_USDC\"}" "$url/api/v1/order"
}
now_us() { echo $(( $(date +%s%3N) * 1000 )); }
day_us=86400000000

# Accounts: the creditor, the buyer, and the claims agent's own (the distribution account). The buyer
# and the agent are funded with 1,000 USDC each by the demo's chain watcher.
creditor=cli/creditor
buyer=cli/buyer
register() { post_command "$1" register | json 'j["account"]'; }
creditor_id=$(register $creditor)
buyer_id=$(register $buyer)
agent_id=$(register $agent)
deposit=1
for a in "$buyer_id" "$agent_id"; do
  "$gb" role deposit --url "$url" --demo-signer demo/chain-watcher --account "$a" --asset 2 --amount 1000000000 --deposit-id "$deposit" > /dev/null
  deposit=$((deposit + 1))
done
signed_get $buyer balanceQuery /api/v1/capital | json 'j["USDC"]["available"]' | grep -qx 1000 || fail "the buyer was not funded"

estate=$(curl -sf "$url/api/v1/glassbook/claims/estates" | json 'j[0]')
echo "$estate" | grep -q "'markets': \['FTXCLAIM_USDC'\]" || fail "the estate does not list its market: $estate"
echo "$estate" | grep -q "'barredJurisdictions': \['CN', 'RU'\]" || fail "the estate's barred jurisdictions: $estate"

# The claims agent attests the creditor's claim (1,000.00 USD of face, allowed) by the salted hash of
# its old e-mail address; the KYC provider attests both accounts.
hash=$(client hash salt-2022 creditor@example.com)
post_command $agent attest-claim "{\"estate\":0,\"claim\":1,\"revision\":1,\"face\":100000,\"status\":2,\"hash\":\"$hash\"}" |
  grep -q '"claim":"attested"' || fail "the claim was not attested"
kyc() {  # account jurisdiction
  post_command $provider attest-kyc "{\"estate\":0,\"account\":$1,\"level\":2,\"jurisdiction\":\"$2\",\"issuedAt\":$(now_us),\"expiresAt\":$(( $(now_us) + day_us ))}" |
    grep -q '"kyc":"attested"' || fail "KYC of account $1 not attested"
}
kyc "$creditor_id" US
kyc "$buyer_id" CN  # CN may buy FTX claims but is barred from payouts

# Both follow their claim events on the WebSocket.
watch() {  # label file
  client watch "$1" "$ws_url" "$2" > "$work/$(basename "$2").out" 2>&1 &
  pids+=("$!")
  wait_for "[ -s '$2.ready' ]"
}
watch $creditor "$work/creditor.frames"
watch $buyer "$work/buyer.frames"

# Linking: the agent's signature over the link attestation, presented by the creditor's own command.
link_sig=$(client link-signature $agent "{\"estateName\":\"FTX Trading Ltd.\",\"claim\":1,\"account\":$creditor_id,\"accountKey\":\"$(client pub $creditor)\",\"hash\":\"$hash\"}")
post_command $creditor link-claim "{\"account\":$creditor_id,\"estate\":0,\"claim\":1,\"hash\":\"$hash\",\"agentSignature\":\"$link_sig\"}" |
  grep -q '"claim":"linked","unitsCredited":"1000.00"' || fail "the claim was not linked: $(cat "$work/answer.json")"
claims=$(signed_get $creditor claimQueryAll /api/v1/glassbook/claims)
[ "$claims" = '[{"estate":0,"estateName":"FTX Trading Ltd.","claimId":"1","claimAsset":"FTXCLAIM","face":"1000.00","status":"Allowed","revision":1,"units":"1000.00"}]' ] ||
  fail "the creditor's claims: $claims"
signed_get $creditor kycQueryAll /api/v1/glassbook/claims/kyc | json '(j[0]["jurisdiction"], j[0]["valid"], j[0]["mayBuy"], j[0]["payoutsBarred"])' |
  grep -qx "('US', True, True, False)" || fail "the creditor's KYC"
signed_get $creditor balanceQuery /api/v1/capital | json 'j["FTXCLAIM"]["available"]' | grep -qx 1000 || fail "no claim units credited"

# A sale of 400.00 of face at 0.35 USDC to the buyer: one transfer record.
order $creditor Ask 400 0.350 | grep -q '"status":"New"' || fail "the creditor's offer was refused"
order $buyer Bid 400 0.350 | grep -q '"status":"Filled"' || fail "the buyer's bid did not fill"
signed_get $agent claimTransferQueryAll /api/v1/glassbook/claims/transfers estate=0 |
  json '[(t["seller"], t["buyer"], t["units"], t["quoteAmount"]) for t in j["transfers"]]' |
  grep -qx "\[($creditor_id, $buyer_id, '400.00', '140.000000')\]" || fail "the transfer record"
# The records name accounts: only the estate's claims agent reads them.
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/v1/glassbook/claims/transfers?estate=0")" = 401 ] || fail "an unsigned read of the transfers"
signed_get $creditor claimTransferQueryAll /api/v1/glassbook/claims/transfers estate=0 > /dev/null && fail "the creditor read the agent's transfer feed"
signed_get $creditor balanceQuery /api/v1/capital | json '(j["FTXCLAIM"]["available"], j["USDC"]["available"])' | grep -qx "('600', '140')" ||
  fail "the creditor after the sale: $(signed_get $creditor balanceQuery /api/v1/capital)"

# Round 1: 37% in USDC (3,700 micro-USDC a cent of face) on the holdings at the last command. The
# creditor is paid 222 USDC; the buyer's 148 USDC goes to escrow.
record_seq=$(curl -sf "$url/api/v1/glassbook/claims/report?estate=0" | json 'j["lastSeq"]')
post_command $agent declare "{\"estate\":0,\"round\":1,\"account\":$agent_id,\"asset\":2,\"numerator\":3700,\"denominator\":1,\"recordSeq\":$record_seq}" |
  grep -q '"round":1,"funded":"370.000000"' || fail "the round was not declared: $(cat "$work/answer.json")"
post_command $agent pay '{"estate":0,"round":1}' | grep -q '"roundComplete":true' || fail "the round was not paid: $(cat "$work/answer.json")"
signed_get $creditor distributionHistoryQueryAll /api/v1/glassbook/claims/distributions |
  json '[(h["round"], h["status"], h["symbol"], h["quantity"], h["units"]) for h in j]' | grep -qx "\[(1, 'paid', 'USDC', '222.000000', '600.00')\]" ||
  fail "the creditor's payouts: $(signed_get $creditor distributionHistoryQueryAll /api/v1/glassbook/claims/distributions)"
signed_get $creditor balanceQuery /api/v1/capital | json 'j["USDC"]["available"]' | grep -qx 362 || fail "the payout did not arrive"

# The creditor withdraws the payout to its own address on the (simulated) chain: the chain's watcher
# records the exchange's deposit addresses there (so the exchange serves the chain), the creditor
# allow-lists its address over the signed API and withdraws; the demo's custodian approves and pays
# from the hot wallet, the watcher confirms, and the USDC arrives on the chain.
start_chain_sim
"$gb" deposit-addresses --demo --account "$creditor_id" --asset USDC --out "$work/addresses.txt" --submit "$url" > /dev/null ||
  fail "the deposit addresses were not recorded"
"$gb" chain-watch --demo --chain "$chain" --url "$url" --addresses "$work/addresses.txt" --cursor "$work/cursor" --confirmations 2 \
  --interval 0.1 > "$work/watch.out" 2> "$work/watch.err" &
pids+=("$!")
"$gb" custodian --demo --broadcast --chain "$chain" --url "$url" --interval 0.1 > "$work/custodian.out" 2> "$work/custodian.err" &
pids+=("$!")
wait_for 'grep -q "approving and broadcasting from wallet" "$work/custodian.out"'
wallet=$(sed -n 's/.*approving and broadcasting from wallet \([0-9a-f]*\)$/\1/p' "$work/custodian.out" | head -1)
rpc sim_faucet "{\"address\":\"$wallet\",\"asset\":\"USDC\",\"amount\":\"1000000000\"}" > /dev/null
rpc sim_mine '{"blocks":1}' > /dev/null
payout_to=c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00
signed_post() {  # label instruction path body-json sorted-params
  local ts text
  ts=$(date +%s%3N)
  text="instruction=$2&$5&timestamp=$ts&window=5000"
  curl -s -H "X-API-Key: $(client pub "$1")" -H "X-Signature: $(client sign "$1" "$text")" -H "X-Timestamp: $ts" -H "X-Window: 5000" \
    -H "Content-Type: application/json" -d "$4" "$url$3"
}
signed_post $creditor withdrawalAddressAdd /api/v1/glassbook/withdrawalAddresses "{\"address\":\"$payout_to\",\"blockchain\":\"sim\"}" \
  "address=$payout_to&blockchain=sim" | grep -q '"status":"usable"' || fail "the payout address was not allow-listed"
payout_id=$(signed_post $creditor withdraw /wapi/v1/capital/withdrawals \
  "{\"address\":\"$payout_to\",\"blockchain\":\"sim\",\"quantity\":\"222\",\"symbol\":\"USDC\"}" \
  "address=$payout_to&blockchain=sim&quantity=222&symbol=USDC" | json 'j["id"]') || fail "the payout's withdrawal was refused"
payout_status() {
  signed_get $creditor withdrawalQueryAll /wapi/v1/capital/withdrawals | json "next(w['glassbookStatus'] for w in j if w['id'] == $payout_id)"
}
wait_for '[ "$(payout_status)" = broadcast ]'
rpc sim_mine '{"blocks":2}' > /dev/null
wait_for '[ "$(payout_status)" = confirmed ]'
rpc chain_getBalance "{\"address\":\"$payout_to\",\"asset\":\"USDC\"}" | json 'j["balance"]' | grep -qx 222000000 ||
  fail "the payout did not arrive on the chain"
signed_get $creditor balanceQuery /api/v1/capital | json '(j["USDC"]["available"], j["USDC"]["locked"])' | grep -qx "('140', '0')" ||
  fail "the creditor after withdrawing its payout: $(signed_get $creditor balanceQuery /api/v1/capital)"
signed_get $buyer escrowQueryAll /api/v1/glassbook/claims/escrow | json '[(e["symbol"], e["quantity"], e["releasable"], e["reason"]) for e in j]' |
  grep -qx "\[('USDC', '148.000000', False, 'jurisdiction CN is barred from payouts')\]" || fail "the buyer's escrow"

# The buyer moves to FR: a newer attestation, then its own ReleaseEscrow.
kyc "$buyer_id" FR
post_command $buyer release "{\"account\":$buyer_id,\"estate\":0,\"asset\":2}" | grep -q '"escrowReleased":"148.000000"' ||
  fail "the escrow was not released: $(cat "$work/answer.json")"
[ "$(signed_get $buyer escrowQueryAll /api/v1/glassbook/claims/escrow)" = "[]" ] || fail "escrow left after the release"
signed_get $buyer balanceQuery /api/v1/capital | json 'j["USDC"]["available"]' | grep -qx 1008 || fail "the buyer's USDC after the release"
signed_get $buyer distributionHistoryQueryAll /api/v1/glassbook/claims/distributions | json '[h["status"] for h in j]' |
  grep -qx "\['released', 'escrowed'\]" || fail "the buyer's payout history"

# What each heard on its stream, in order.
events() { python3 -c 'import json, sys; print(" ".join(json.loads(l)["data"]["e"] for l in open(sys.argv[1])))' "$1"; }
wait_for '[ "$(events "$work/creditor.frames")" = "claimLinked claimUnitsCredited claimTransferred distributionPaid" ]'
wait_for '[ "$(events "$work/buyer.frames")" = "claimTransferred distributionEscrowed kycAttested escrowReleased" ]'
grep -q '"e":"distributionPaid".*"round":1,"symbol":"USDC","quantity":"222.000000","units":"600.00"' "$work/creditor.frames" ||
  fail "the creditor's payout frame: $(cat "$work/creditor.frames")"
grep -q '"e":"claimTransferred".*"side":"buyer".*"units":"400.00","price":"0.350000"' "$work/buyer.frames" || fail "the buyer's transfer frame"

# The report over the API, then from the journal once the node has stopped: the same traded figures.
report=$(curl -sf "$url/api/v1/glassbook/claims/report?estate=0")
echo "$report" | json '[(t["trades"], t["units"], t["quoteVolume"], t["lastPrice"], t["vwap"]) for t in j["traded"]]' |
  grep -qx "\[(1, '400.00', '140.000000', '0.350000', '0.350000')\]" || fail "the report's traded figures: $report"
echo "$report" | json '[(r["paid"], r["escrowed"], r["complete"]) for r in j["rounds"]]' | grep -qx "\[('222.000000', '148.000000', True)\]" ||
  fail "the report's round: $report"
kill -TERM "$serve_pid"
wait "$serve_pid" || fail "serve exited with an error"
"$gb" claims report --data "$work/data" --estate 0 > "$work/report.txt" || fail "claims report failed"
grep -q '^traded on FTXCLAIM_USDC: 1 trades, 400.00 FTXCLAIM for 140.000000 USDC, last price 0.350000 USDC (seq [0-9]*), VWAP 0.350000 USDC$' \
  "$work/report.txt" || fail "the journal's report: $(cat "$work/report.txt")"
grep -q 'round 1: USDC at 3700/1 per unit.*paid 222.000000 USDC to 1 holders, escrowed 148.000000 USDC for 1' "$work/report.txt" ||
  fail "the journal's round: $(cat "$work/report.txt")"

# A restarted node rebuilds its view from the journal: the same history, escrow and traded figures.
rm -f "$work/keys.json"
"$gb" serve --data "$work/data" --genesis "$work/genesis.toml" --log-key "$work/log.key" --passphrase-env GB_PASS --port 0 --web "" \
  --proof-every-seconds 0 --keys-out "$work/keys.json" > "$work/serve2.out" 2> "$work/serve2.err" &
serve_pid=$!
pids+=("$serve_pid")
await_serve
signed_get $creditor distributionHistoryQueryAll /api/v1/glassbook/claims/distributions | json '[(h["round"], h["status"], h["quantity"]) for h in j]' |
  grep -qx "\[(1, 'paid', '222.000000')\]" || fail "the creditor's payouts after a restart"
[ "$(curl -sf "$url/api/v1/glassbook/claims/report?estate=0" | json 'j["traded"]')" = "$(echo "$report" | json 'j["traded"]')" ] ||
  fail "the traded figures after a restart: $(curl -sf "$url/api/v1/glassbook/claims/report?estate=0")"
kill -TERM "$serve_pid"
wait "$serve_pid" || fail "the restarted serve exited with an error"

# Anyone can replay the data directory: every signature, hash link and checkpoint, to the state the
# node signed last.
"$gb" replay "$work/data" --quiet > "$work/replay.txt" || fail "replay failed: $(cat "$work/replay.txt")"
grep -q '^result:       the journal reproduces every checkpoint$' "$work/replay.txt" || fail "replay: $(cat "$work/replay.txt")"
! grep -q '^uncovered:' "$work/replay.txt" || fail "records left uncovered by a checkpoint: $(cat "$work/replay.txt")"
# The replay prints its state root in hex, the signed note in base64.
replayed_root=$(sed -n 's/^state root: *//p' "$work/replay.txt" | python3 -c 'import base64, sys; print(base64.b64encode(bytes.fromhex(sys.stdin.read().strip())).decode())')
"$gb" checkpoint "$work/data" 2> /dev/null > "$work/checkpoint.txt"
grep -qx "state-root $replayed_root" "$work/checkpoint.txt" || fail "the newest checkpoint is not of the replayed state: $(cat "$work/checkpoint.txt") vs $replayed_root"
echo "claims CLI: all checks passed"
