#!/usr/bin/env bash
# The genesis file on the command line: the demo's file and the example check out with a hash and a
# summary; an exemption, an unknown key, a syntax error, an oversized or missing file exit 1 with why.
set -euo pipefail
gb="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work=$(mktemp -d /tmp/glassbook-genesis-XXXXXX)
trap 'rm -rf "$work"' EXIT

# Runs `glassbook genesis check FILE`, expecting exit status 1 and MESSAGE on stderr.
refused() {
  local file="$1" message="$2" rc=0
  "$gb" genesis check "$file" > "$work/out.txt" 2> "$work/err.txt" || rc=$?
  if [ "$rc" -ne 1 ] || ! grep -qF -- "$message" "$work/err.txt"; then
    echo "expected exit 1 and '$message' for $file; got $rc:" >&2
    cat "$work/err.txt" >&2
    exit 1
  fi
}

"$gb" genesis demo > "$work/demo.toml"
"$gb" genesis check "$work/demo.toml" > "$work/demo.txt"
grep -q 'is valid$' "$work/demo.txt"
grep -Eq '^config hash:  [0-9a-f]{64} ' "$work/demo.txt"
grep -q '^assets:       3 (BTC, SOL, USDC)$' "$work/demo.txt"
# The same file has the same hash, run after run.
"$gb" genesis check "$work/demo.toml" | cmp -s - "$work/demo.txt"

"$gb" genesis check "$root/docs/genesis.example.toml" > "$work/example.txt"
grep -q 'BTC_PERP perpetual' "$work/example.txt"
grep -q 'oracle sources 3 of 5' "$work/example.txt"
grep -q '^groups:       1 (affiliate-mm)$' "$work/example.txt"

cp "$root/docs/genesis.example.toml" "$work/exempt.toml"
printf '\n[accounts.alice]\nexempt_from_liquidation = true\n' >> "$work/exempt.toml"
refused "$work/exempt.toml" 'genesis refused: `accounts.alice.exempt_from_liquidation` would exempt an account from risk rules; no account can be exempted (docs/risk.md)'
sed 's/^\[\[groups\]\]$/[[groups]]\ncredit_line = "1000000"/' "$root/docs/genesis.example.toml" > "$work/credit.toml"
refused "$work/credit.toml" 'genesis refused: `groups[0].credit_line` would exempt an account'

sed 's/^\[markets.perp\]$/[markets.perp]\nfoo = 1/' "$root/docs/genesis.example.toml" > "$work/unknown.toml"
refused "$work/unknown.toml" 'genesis: unknown key markets[2].perp.foo'
printf 'version = 1\nlog_key = \n' > "$work/syntax.toml"
refused "$work/syntax.toml" 'TOML syntax error at line 2, column'
: > "$work/empty.toml"
refused "$work/empty.toml" 'the file is empty'
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' '#' > "$work/big.toml"
refused "$work/big.toml" 'larger than 1 MiB'
refused "$work/missing.toml" 'cannot be opened'

echo "genesis CLI: all checks passed"
