#!/usr/bin/env bash
# A verifying replica as a real process on 127.0.0.1: `glassbook replica` follows a demo primary
# under trading, verifies its checkpoints, survives kill -9 and resumes from its own journal, catches
# up with a restarted primary from its segments and checkpoint log, and ends with the primary's
# checkpoints and records byte for byte (both journals replay); behind a proxy that changes one
# signed byte of one record, a fresh replica stops with exit status 2 naming that seq.
set -euo pipefail
gb="$1"
here=$(cd "$(dirname "$0")" && pwd)
source "$(dirname "$0")/process_test_lib.sh" replica

primary_port=$(free_port)  # the same on every start, so the replica finds the restarted primary
start_serve() {  # extra serve options
  rm -f "$work/keys.json"
  "$gb" serve --data "$work/primary" --demo --port "$primary_port" --web "" --oracle-sources 0 --demo-accounts 1 \
    --checkpoint-every 20 --keys-out "$work/keys.json" "$@" >> "$work/serve.out" 2>> "$work/serve.err" &
  serve_pid=$!
  pids+=("$serve_pid")
  await_serve
}
start_replica() {  # primary URL
  "$gb" replica --primary "$1" --data "$work/replica" >> "$work/replica.out" 2>> "$work/replica.err" &
  replica_pid=$!
  pids+=("$replica_pid")
}
verified() { sed -n 's/^replica: verified checkpoint of \([0-9]*\) records.*/\1/p' "$work/replica.out" | tail -1; }
wait_verified() {  # at least N records under a verified checkpoint, within 60 s
  for _ in $(seq 1 600); do
    [ "$(verified)" ] && [ "$(verified)" -ge "$1" ] && return 0
    kill -0 "$replica_pid" 2>/dev/null || fail "the replica stopped"
    sleep 0.1
  done
  fail "the replica verified no checkpoint of $1 records (last: $(verified))"
}
primary_size() { curl -sf "$url/api/v1/glassbook/checkpoint" | sed -n 2p; }

# 1. A replica follows a trading primary and verifies its checkpoints (every 20 records).
start_serve --traders 2 --trader-rate 40
start_replica "$url"
wait_verified 100
grep -q "^replica $work/replica: 0 records, 0 checkpoints checked again; following $url from seq 0" "$work/replica.out" \
  || fail "the replica did not start from an empty journal"
# The primary's health endpoint shows the replica (named after its directory), its position and lag.
curl -sf "$url/api/v1/glassbook/health" | grep -q '"replicas":\[{"name":"replica","position":[0-9]*,"lag":[0-9]*,"lastSeenMs":' \
  || fail "the health endpoint does not show the replica"

# 2. kill -9, restart: it resumes from its own journal (checked again), not from seq 0.
kill -9 "$replica_pid"
wait "$replica_pid" 2>/dev/null || true
before=$(verified)
start_replica "$url"
for _ in $(seq 1 100); do [ "$(grep -c '^replica .*checked again' "$work/replica.out")" -ge 2 ] && break; sleep 0.1; done
resumed=$(grep '^replica .*checked again' "$work/replica.out" | tail -1)
from=$(echo "$resumed" | sed -n 's/.* from seq \([0-9]*\)$/\1/p')
[ -n "$from" ] && [ "$from" -gt 100 ] || fail "the restarted replica did not resume from its journal: $resumed"
echo "$resumed" | grep -q " [1-9][0-9]* checkpoints checked again" || fail "the restarted replica checked no stored checkpoint: $resumed"
wait_verified $((before + 60))

# 3. The primary stops (writing its final checkpoint) and starts again without traders: the replica
#    rides out the outage and catches up to that checkpoint from the primary's segments and checkpoint log.
kill -TERM "$serve_pid"
wait "$serve_pid" || fail "serve exited with an error"
sleep 0.5
start_serve --traders 0
size=$(primary_size)
[ -n "$size" ] || fail "the restarted primary serves no checkpoint"
wait_verified "$size"
grep -q "the primary does not answer" "$work/replica.err" || fail "the replica did not report the primary's outage"
curl -sf "$url/api/v1/glassbook/checkpoint" > "$work/primary.cp"
"$gb" checkpoint "$work/replica" > "$work/replica.cp" 2> /dev/null
cmp -s "$work/primary.cp" "$work/replica.cp" || fail "the replica's newest checkpoint is not the primary's"
# The idle primary's journal no longer grows: the replica catches up with all of it.
rseg="$work/replica/journal-00000000000000000000.log"
pseg="$work/primary/journal-00000000000000000000.log"
for _ in $(seq 1 100); do [ "$(stat -c %s "$rseg")" = "$(stat -c %s "$pseg")" ] && break; sleep 0.1; done
kill -TERM "$replica_pid"
wait "$replica_pid" || fail "the replica exited with an error on SIGTERM"
grep -q "^replica: lag from sequencing on the primary to durable here, [0-9]* records: p50" "$work/replica.out" || fail "no lag summary"
kill -TERM "$serve_pid"
wait "$serve_pid" || fail "serve exited with an error"

# The replica's journal is the primary's, byte for byte; both replay to the same state root.
cmp -s "$rseg" "$pseg" || fail "the replica's journal is not the primary's"
"$gb" replay "$work/replica" --quiet > "$work/replay-replica.out" || fail "the replica's journal does not replay"
"$gb" replay "$work/primary" --quiet > "$work/replay-primary.out" || fail "the primary's journal does not replay"
grep -q "^result: *the journal reproduces every checkpoint" "$work/replay-replica.out" || fail "replay of the replica"
grep -q "^checkpoints: *[1-9][0-9]* verified" "$work/replay-replica.out" || fail "the replica's journal has no checkpoint"
rstate=$(sed -n 's/^state root: *//p' "$work/replay-replica.out")
pstate=$(sed -n 's/^state root: *//p' "$work/replay-primary.out")
[ -n "$rstate" ] && [ "$rstate" = "$pstate" ] || fail "the replica's state root $rstate is not the primary's $pstate"

# 4. A record changed on the way (one signed byte, its checksum made to match) stops a new replica
#    with exit status 2, naming the seq; the records before it are kept.
start_serve --traders 0
pport=$(free_port)
python3 "$here/replica_tamper_proxy.py" "$url" "$pport" 50 2> "$work/proxy.err" &
pids+=("$!")
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$pport/api/v1/status" > /dev/null && break; sleep 0.1; done
set +e
"$gb" replica --primary "http://127.0.0.1:$pport" --data "$work/tampered" --seconds 60 > "$work/tampered.out" 2> "$work/tampered.err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "the replica fed a tampered record exited with $rc"
grep -q "^replica: STOPPED: seq 50: bad signature" "$work/tampered.err" || fail "the replica did not name the tampered record"
grep -q "^replica: stopped at seq 49;" "$work/tampered.out" || fail "the replica did not keep the records before the tampered one"
"$gb" replay "$work/tampered" --quiet > /dev/null || fail "the stopped replica's journal does not replay"
echo "all checks passed"
