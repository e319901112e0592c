#!/usr/bin/env bash
# Witnesses as real processes on 127.0.0.1: a demo exchange whose genesis names two witnesses sends them
# its checkpoints and publishes their cosignatures; anchored replay counts the anchor with its quorum;
# after a rollback of the journal (checkpoints.log dropped) the witnesses refuse with an alarm (health
# endpoint, alarms.log, exit status 3), the exchange reports the refusal, and anchored replay fails.
set -euo pipefail
gb="$1"
source "$(dirname "$0")/process_test_lib.sh" witness
export GB_PASS="witness passphrase"

for w in w1 w2; do
  "$gb" keys new --role witness --out "$work/$w.key" --passphrase-env GB_PASS --kdf-cost interactive > "$work/$w.txt"
done
k1=$(sed -n 's/^public key: *//p' "$work/w1.txt")
k2=$(sed -n 's/^public key: *//p' "$work/w2.txt")
p1=$(free_port)
p2=$(free_port)

start_serve() {
  "$gb" serve --data "$work/data" --demo --port 0 --web "" --traders 2 --trader-rate 4 --oracle-sources 0 \
    --demo-accounts 1 --checkpoint-every 10 --keys-out "$work/keys.json" "$@" >> "$work/serve.out" 2>> "$work/serve.err" &
  serve_pid=$!
  pids+=("$serve_pid")
  await_serve
}
start_witness() {  # name port
  "$gb" witness --key "$work/$1.key" --passphrase-env GB_PASS --name "witness.test/$1" --log-key "$logkey" \
    --url "127.0.0.1:$2" --state "$work/$1-state" --ready-file "$work/$1.ready" > "$work/$1.out" 2> "$work/$1.err" &
  pids+=("$!")
  eval "$1_pid=$!"
  for _ in $(seq 1 300); do [ -s "$work/$1.ready" ] && break; sleep 0.1; done
  [ -s "$work/$1.ready" ] || fail "witness $1 did not start"
}
cosignatures() { curl -sf "$url/api/v1/glassbook/checkpoint" | grep -c '^— witness.test/' || true; }

start_serve --demo-witness "witness.test/w1 http://127.0.0.1:$p1 $k1" --demo-witness "witness.test/w2 http://127.0.0.1:$p2 $k2"
grep -q 'each checkpoint needs 2 cosignature' "$work/serve.out" || fail "serve did not name its witnesses"
logkey=$(curl -sf "$url/api/v1/glassbook/verifier")
start_witness w1 "$p1"
start_witness w2 "$p2"
wk1=$(cut -d' ' -f2 "$work/w1.ready")
wk2=$(cut -d' ' -f2 "$work/w2.ready")

# The exchange offers its checkpoints (it retries the witnesses it could not reach before they started).
for _ in $(seq 1 300); do [ "$(cosignatures)" -ge 2 ] && break; sleep 0.1; done
[ "$(cosignatures)" -ge 2 ] || fail "the checkpoint endpoint serves no cosignatures"
curl -sf "$url/api/v1/glassbook/checkpoint" > "$work/anchor.cp"
curl -sf "$url/api/v1/glassbook/health" | grep -q '"witnesses":\[{"name":"witness.test/w1"' || fail "health names no witnesses"
curl -sf "http://127.0.0.1:$p1/health" | grep -q '"healthy":true' || fail "witness w1 unhealthy"
kill -TERM "$serve_pid"
wait "$serve_pid" || fail "serve exited with an error"
[ -s "$work/data/cosigned-checkpoint" ] || fail "no cosigned-checkpoint stored beside the checkpoint log"

# Anchored replay with the witnesses' keys: the anchor counts with its quorum of 2 ...
"$gb" replay "$work/data" --quiet --checkpoint "$work/anchor.cp" --key "$logkey" --witness-key "$wk1" --witness-key "$wk2" \
  > "$work/replay.out" || fail "anchored replay failed"
grep -q '^witnesses: *2 of 2 cosigned the anchor' "$work/replay.out" || fail "replay did not count the cosignatures"
# ... and not without it.
grep -v '^— witness.test/' "$work/anchor.cp" > "$work/bare.cp"
set +e
"$gb" replay "$work/data" --quiet --checkpoint "$work/bare.cp" --key "$logkey" --witness-key "$wk1" --witness-key "$wk2" \
  > /dev/null 2> "$work/bare.err"
rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q 'carries 0 valid cosignature' "$work/bare.err" || fail "an anchor without cosignatures counted (rc $rc)"

# The rollback: with write access to the directory alone, drop checkpoints.log, the cosignatures and the
# snapshots, cut the journal's tail, and restart: the exchange signs checkpoints over the shorter history.
rm -f "$work/data/checkpoints.log" "$work/data/cosigned-checkpoint" "$work/data"/snapshot-*
last=$(ls "$work/data"/journal-*.log | tail -1)
truncate -s $(( $(stat -c %s "$last") / 2 )) "$last"
rm -f "$work/keys.json"
start_serve --demo-witness "witness.test/w1 http://127.0.0.1:$p1 $k1" --demo-witness "witness.test/w2 http://127.0.0.1:$p2 $k2"
for _ in $(seq 1 300); do grep -q 'refused the checkpoint' "$work/serve.err" && break; sleep 0.1; done
grep -q 'witness witness.test/w1 .* refused the checkpoint' "$work/serve.err" || fail "the exchange did not log the refusal"
curl -sf "$url/api/v1/glassbook/health" | grep -q '"refusal":"refused the checkpoint' || fail "health does not report the refusal"
set +e
health=$(curl -s -o "$work/w1-health.json" -w '%{http_code}' "http://127.0.0.1:$p1/health")
set -e
[ "$health" = 503 ] && grep -q '"alarm":"ALARM: log glassbook.local/journal: ' "$work/w1-health.json" || fail "witness health: $health"
grep -q 'ALARM: log glassbook.local/journal: rollback\|ALARM: log glassbook.local/journal: fork' "$work/w1.err" || fail "no alarm on stderr"
grep -q -- '--- cosigned checkpoint ---' "$work/w1-state/alarms.log" || fail "no alarm in the state directory"
kill -TERM "$serve_pid"
wait "$serve_pid" || true
set +e
kill -TERM "$w1_pid"; wait "$w1_pid"; rc1=$?
"$gb" replay "$work/data" --quiet --checkpoint "$work/anchor.cp" --key "$logkey" --witness-key "$wk1" --witness-key "$wk2" \
  > "$work/rolled.out" 2>&1
rc=$?
set -e
[ "$rc1" -eq 3 ] || fail "the witness that raised an alarm exited with $rc1, not 3"
[ "$rc" -eq 2 ] && grep -q '^DIVERGENCE: *the anchor checkpoint' "$work/rolled.out" || fail "anchored replay of the rolled-back journal: rc $rc"
echo "all checks passed"
