#!/usr/bin/env bash
# The proof of liabilities on the command line: a short demo exchange (spot and perpetual traders)
# writes a journal; `proof build` signs its root and exports two accounts' proofs; `proof verify`
# accepts them and refuses tampered ones; `proof audit` replays the journal and rebuilds the root
# byte for byte, and refuses a root whose sums were changed and signed again. The serving node
# published roots every 2 s: `proof published` exports them from the journal and `proof audit`
# reproduces each byte for byte.
set -euo pipefail
gb="$1"
work=$(mktemp -d /tmp/glassbook-proofs-XXXXXX)
trap 'rm -rf "$work"' EXIT
d="$work/journal"

"$gb" serve --demo --data "$d" --port 0 --web "" --demo-accounts 2 --traders 8 --trader-rate 200 \
  --oracle-sources 5 --oracle-interval 0.2 --checkpoint-every 100 --snapshot-every 400 --proof-every-seconds 2 --seconds 8 > "$work/serve.txt" 2>&1 \
  || { echo "proofs: serve failed"; cat "$work/serve.txt"; exit 1; }

"$gb" proof build "$d" --demo --out-root "$work/root.json" --account 16 --account 17 --proofs-dir "$work" > "$work/build.txt"
grep -q '^root [0-9a-f]\{64\} over [0-9]* accounts, depth' "$work/build.txt" || { cat "$work/build.txt"; exit 1; }
"$gb" proof verify "$work/proof-16.json" "$work/root.json" > "$work/verify.txt"
grep -q '^proof verified: account 16 is in root' "$work/verify.txt" || { cat "$work/verify.txt"; exit 1; }
"$gb" proof verify "$work/proof-17.json" "$work/root.json" | grep -q '^proof verified: account 17'
pk=$(sed 's/.*"public_key":"\([^"]*\)".*/\1/' "$work/root.json")
"$gb" proof verify "$work/proof-16.json" "$work/root.json" --exchange-key "$pk" | grep -q '^proof verified'

refused() {  # refused PROOF ROOT CODE [args]: the verifier refuses with that code
  local out
  set +e
  out=$("$gb" proof verify "$1" "$2" "${@:4}")
  local rc=$?
  set -e
  [ "$rc" -eq 1 ] && grep -q "refused: $3:" <<< "$out" || { echo "proofs: expected $3, got rc $rc: $out"; exit 1; }
}
# A value changed: the leaf no longer matches.
sed 's/"values":\["\([0-9]*\)"/"values":["1\1"/' "$work/proof-16.json" > "$work/bad-value.json"
refused "$work/bad-value.json" "$work/root.json" LeafHashMismatch
# A number written as a JSON number, one not canonical, a negative one.
sed 's/"index":"\([0-9]*\)"/"index":\1/' "$work/proof-16.json" > "$work/bad-number.json"
refused "$work/bad-number.json" "$work/root.json" NotAString
sed 's/"index":"\([0-9]*\)"/"index":"0\1"/' "$work/proof-16.json" > "$work/bad-canonical.json"
refused "$work/bad-canonical.json" "$work/root.json" NonCanonicalNumber
sed 's/"values":\["\([0-9]*\)"/"values":["-\1"/' "$work/proof-16.json" > "$work/bad-negative.json"
refused "$work/bad-negative.json" "$work/root.json" NegativeValue
# Another account claiming account 16's leaf.
sed 's/"account":"16"/"account":"17"/' "$work/proof-16.json" > "$work/bad-account.json"
refused "$work/bad-account.json" "$work/root.json" UserCommitmentMismatch
# The root's sums changed without the exchange's signature; a key that is not the exchange's.
sed 's/"sums":\["\([0-9]*\)"/"sums":["1\1"/' "$work/root.json" > "$work/bad-root.json"
refused "$work/proof-16.json" "$work/bad-root.json" RootNotSigned
refused "$work/proof-16.json" "$work/root.json" WrongExchangeKey --exchange-key "$(printf '%032d' 0 | head -c 32 | base64)"

# The audit: the journal replayed to the root's checkpoint gives the same root byte for byte.
"$gb" proof audit "$d" "$work/root.json" --demo > "$work/audit.txt"
grep -q '^audit: root [0-9a-f]\{64\} rebuilt byte for byte' "$work/audit.txt" || { cat "$work/audit.txt"; exit 1; }
# An older checkpoint's state: built, then audited from the journal that has since grown.
seq=$(sed 's/.*"checkpoint_seq":"\([0-9]*\)".*/\1/' "$work/root.json")
"$gb" proof build "$d" --demo --at-seq $((seq / 2)) --out-root "$work/old-root.json" > /dev/null
"$gb" proof audit "$d" "$work/old-root.json" --demo | grep -q '^audit: root'
set +e
"$gb" proof audit "$d" "$work/bad-root.json" --demo > "$work/audit-bad.txt"
rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q '^audit refused: RootNotSigned' "$work/audit-bad.txt" || { echo "proofs: a tampered root passed the audit"; cat "$work/audit-bad.txt"; exit 1; }

# The roots the node published while serving: the newest, and the newest before it.
grep -q '^proof of liabilities: a signed root every 2 s' "$work/serve.txt" || { cat "$work/serve.txt"; exit 1; }
"$gb" proof published "$d" --out-root "$work/published.json" > "$work/published.txt"
roots=$(sed -n 's/^published root [0-9a-f]\{64\} of sequence [0-9]* (\([0-9]*\) roots published.*/\1/p' "$work/published.txt")
[ "${roots:-0}" -ge 2 ] || { echo "proofs: expected two roots or more published"; cat "$work/published.txt"; exit 1; }
"$gb" proof audit "$d" "$work/published.json" --demo > "$work/audit-published.txt"
grep -q '^audit: root [0-9a-f]\{64\} rebuilt byte for byte' "$work/audit-published.txt" || { cat "$work/audit-published.txt"; exit 1; }
pseq=$(sed 's/.*"checkpoint_seq":"\([0-9]*\)".*/\1/' "$work/published.json")
"$gb" proof published "$d" --at-seq "$pseq" --out-root "$work/published-older.json" > /dev/null
oseq=$(sed 's/.*"checkpoint_seq":"\([0-9]*\)".*/\1/' "$work/published-older.json")
[ "$oseq" -lt "$pseq" ] || { echo "proofs: the root published before sequence $pseq names $oseq"; exit 1; }
"$gb" proof audit "$d" "$work/published-older.json" --demo | grep -q '^audit: root'
# Its byte-for-byte twin: `proof build` at the published sequence signs the very same root.
"$gb" proof build "$d" --demo --at-seq "$pseq" --out-root "$work/rebuilt.json" > /dev/null
cmp -s "$work/rebuilt.json" "$work/published.json" || { echo "proofs: the rebuilt root differs from the published one"; diff "$work/rebuilt.json" "$work/published.json"; exit 1; }
echo "proofs cli: all checks passed"
