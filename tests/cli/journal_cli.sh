#!/usr/bin/env bash
# The journal on the command line: a small benchmark writes journals (the long one unsigned, the other
# signed); replay checks them (from genesis
# and from a snapshot); proofs printed from the journal verify offline; tampering is refused.
set -euo pipefail
gb="$1"
work=$(mktemp -d /tmp/glassbook-cli-XXXXXX)
trap 'rm -rf "$work"' EXIT

"$gb" bench journal --records 20000 --append-records 2000 --verify-records 1000 --root-accounts 2000 --root-batches 2 --dir "$work" --keep > "$work/bench.txt"
grep -q '^replay: ' "$work/bench.txt"
grep -q '^replay+verify: ' "$work/bench.txt"
grep -q '^state root: .* ms at 2000 accounts' "$work/bench.txt"
grep -q '^tiles: ' "$work/bench.txt"
j="$work/long"

"$gb" replay "$j" --quiet --no-signatures | tee "$work/replay.txt"
grep -q 'reproduces every checkpoint' "$work/replay.txt"
"$gb" replay "$j" --from-snapshot --no-signatures --quiet | grep -q 'reproduces every checkpoint'
"$gb" replay "$work/signed" --quiet | grep -q 'reproduces every checkpoint'

"$gb" checkpoint "$j" > "$work/new.cp" 2> "$work/key.txt"
key=$(sed 's/.*: //' "$work/key.txt")
size=$(sed -n 2p "$work/new.cp")
"$gb" checkpoint "$j" --size 5001 > "$work/old.cp" 2>/dev/null

"$gb" proof inclusion "$j" --seq 1234 > "$work/incl.txt"
"$gb" verify inclusion --checkpoint "$work/new.cp" --proof "$work/incl.txt" --key "$key" | grep -q '^OK'
"$gb" proof consistency "$j" --old 5001 > "$work/cons.txt"
"$gb" verify consistency --old "$work/old.cp" --new "$work/new.cp" --proof "$work/cons.txt" --key "$key" | grep -q '^OK'

# Tampering: a changed proof hash, a checkpoint with another size, a proof for another record.
sed '0,/^proof /s/^proof \(.\)/proof f/' "$work/incl.txt" > "$work/bad.txt"
if cmp -s "$work/bad.txt" "$work/incl.txt"; then sed -i '0,/^proof /s/^proof f/proof 0/' "$work/bad.txt"; fi
! "$gb" verify inclusion --checkpoint "$work/new.cp" --proof "$work/bad.txt" --key "$key" 2>/dev/null
sed "2s/.*/$((size + 1))/" "$work/new.cp" > "$work/forged.cp"
! "$gb" verify inclusion --checkpoint "$work/forged.cp" --proof "$work/incl.txt" --key "$key" 2>/dev/null
! "$gb" verify inclusion --checkpoint "$work/new.cp" --proof "$work/incl.txt" --key "$key" \
  --record-hash 0000000000000000000000000000000000000000000000000000000000000000 2>/dev/null

# Anchored replay: the newest checkpoint, kept outside the directory, is reproduced; after a rollback
# (the tail cut off and checkpoints.log dropped) a plain replay only warns, the anchored one fails.
"$gb" replay "$j" --quiet --no-signatures --checkpoint "$work/new.cp" --key "$key" > "$work/anchored.txt"
grep -q "^anchor: *$size records, reproduced" "$work/anchored.txt"
! grep -q '^uncovered:' "$work/anchored.txt"
set +e
"$gb" replay "$j" --quiet --no-signatures --checkpoint "$work/new.cp" > /dev/null 2> "$work/usage.txt"
rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q -- '--checkpoint and --key go together' "$work/usage.txt"
rolled="$work/rolled"
cp -r "$j" "$rolled"
rm "$rolled/checkpoints.log"
last=$(ls "$rolled"/journal-*.log | tail -1)
truncate -s $(( $(stat -c %s "$last") / 2 )) "$last"
"$gb" replay "$rolled" --quiet --no-signatures > "$work/rolled.txt"
grep -q '^WARNING: *no checkpoint was verified' "$work/rolled.txt"
grep -q '^uncovered: *seq 0 to ' "$work/rolled.txt"
set +e
"$gb" replay "$rolled" --quiet --no-signatures --checkpoint "$work/new.cp" --key "$key" > "$work/rolled-anchored.txt"
rc=$?
set -e
[ "$rc" -eq 2 ]
grep -q "DIVERGENCE: *the anchor checkpoint covers $size records, but the journal holds only" "$work/rolled-anchored.txt"

# A flipped byte in the middle of the journal: replay names the damage and fails.
seg=$(ls "$j"/journal-*.log | head -1)
python3 - "$seg" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
b[len(b) // 2] ^= 1
open(p, 'wb').write(bytes(b))
PY
set +e
"$gb" replay "$j" --quiet --no-signatures > "$work/bad-replay.txt"
rc=$?
set -e
[ "$rc" -ne 0 ]
grep -q 'DIVERGENCE: .*seq' "$work/bad-replay.txt"
echo "journal CLI: all checks passed"
