#!/usr/bin/env bash
# Determinism across processes: `glassbook serve` (the demo: spot and perpetual traders, its oracle
# sources) builds its state command by command and signs checkpoints over its state roots; a second
# serve process on the same journal restores the newest snapshot (its hash maps filled in another
# order than the first process's) and trades on; then replays in processes of their own, from genesis
# and from a snapshot, must reach every checkpoint's state root, the restarted process's included.
set -euo pipefail
gb="$1"
work=$(mktemp -d /tmp/glassbook-determinism-XXXXXX)
trap 'rm -rf "$work"' EXIT
d="$work/journal"

run() {  # one bounded serve process on the journal
  "$gb" serve --demo --data "$d" --port 0 --web "" --demo-accounts 2 --traders 12 --trader-rate 300 \
    --oracle-sources 5 --oracle-interval 0.2 --checkpoint-every 100 --snapshot-every 400 --seconds "$1" > "$work/serve-$2.txt" 2>&1 \
    || { echo "determinism: serve run $2 failed"; cat "$work/serve-$2.txt"; exit 1; }
}

run 12 1
snapshots=$(ls "$d"/snapshot-*.snap 2>/dev/null | wc -l)
[ "$snapshots" -ge 1 ] || { echo "determinism: the first run wrote no snapshot"; exit 1; }
first_size=$("$gb" checkpoint "$d" 2>/dev/null | sed -n 2p)
run 12 2  # recovers from the newest snapshot, not by replaying from genesis
grep -q "^recovered from the snapshot after seq" "$work/serve-2.txt" || { echo "determinism: the second run did not start from a snapshot"; cat "$work/serve-2.txt"; exit 1; }
size=$("$gb" checkpoint "$d" 2>/dev/null | sed -n 2p)
[ "$size" -gt "$first_size" ] || { echo "determinism: the second run checkpointed nothing new ($first_size, $size)"; exit 1; }

"$gb" replay "$d" --quiet > "$work/genesis.txt"
grep -q 'reproduces every checkpoint' "$work/genesis.txt" || { cat "$work/genesis.txt"; exit 1; }
"$gb" replay "$d" --quiet --from-snapshot > "$work/snapshot.txt"
grep -q 'reproduces every checkpoint' "$work/snapshot.txt" || { cat "$work/snapshot.txt"; exit 1; }
grep -q '^snapshot: *seq ' "$work/snapshot.txt"
verified=$(sed -n 's/^checkpoints: *\([0-9]*\) verified.*/\1/p' "$work/snapshot.txt")
[ "$verified" -ge 1 ] || { echo "determinism: no checkpoint after the snapshot was verified"; cat "$work/snapshot.txt"; exit 1; }
[ "$(grep '^state root:' "$work/genesis.txt")" = "$(grep '^state root:' "$work/snapshot.txt")" ] \
  || { echo "determinism: the replays end at different state roots"; exit 1; }
echo "determinism: journal of $size records, checkpoints of two serve processes reproduced from genesis and from a snapshot ($verified after it): all checks passed"
