#!/usr/bin/env bash
# The key ceremony on the command line: `keys new` makes 0600 sealed files and prints only public
# keys; `genesis init` refuses demo keys; `serve --genesis` refuses a log key file with a wrong
# passphrase, cut short, or readable by others, each with a clear message and no secret; `genesis
# init --markets FILE` takes the assets and markets of the operators' own genesis file.
set -euo pipefail
gb="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work=$(mktemp -d /tmp/glassbook-keys-XXXXXX)
trap 'rm -rf "$work"' EXIT
export GB_PASS="ceremony passphrase"

fail() { echo "$*" >&2; exit 1; }

# Runs "$@", expecting exit status 1 (or $want_rc) and MESSAGE on stderr; stdout and stderr must not
# hold the passphrase.
refused() {
  local message="$1" rc=0
  shift
  "$@" > "$work/out.txt" 2> "$work/err.txt" || rc=$?
  if [ "$rc" -eq 0 ] || ! grep -qF -- "$message" "$work/err.txt"; then
    echo "expected a refusal with '$message' from: $*; got $rc:" >&2
    cat "$work/out.txt" "$work/err.txt" >&2
    exit 1
  fi
  if grep -qF -- "$GB_PASS" "$work/out.txt" "$work/err.txt"; then
    echo "the passphrase appears in the output of: $*" >&2
    exit 1
  fi
}

new_key() {  # role file
  "$gb" keys new --role "$1" --out "$work/$2" --passphrase-env GB_PASS --kdf-cost interactive > "$work/$2.txt"
  grep -Eq '^public key:  [A-Za-z0-9+/]{43}=$' "$work/$2.txt"
  # Three lines: role, public key, file. Nothing else is printed (no seed, no passphrase).
  [ "$(wc -l < "$work/$2.txt")" -eq 3 ] || fail "keys new printed more than its three lines"
  if grep -qF -- "$GB_PASS" "$work/$2.txt"; then fail "keys new printed the passphrase"; fi
  [ "$(stat -c %a "$work/$2")" = 600 ] || fail "$2 is not mode 0600"
}
new_key log log.key
new_key operator op.key
new_key chain-watcher watcher.key
new_key oracle-source oracle.key
# `keys show` reads the public part without the passphrase; the key printed at creation is the one.
"$gb" keys show "$work/op.key" | grep -qF "$(grep '^public key:' "$work/op.key.txt")"
refused 'already exists' "$gb" keys new --role operator --out "$work/op.key" --passphrase-env GB_PASS --kdf-cost interactive
refused 'unknown role' "$gb" keys new --role king --out "$work/k.key" --passphrase-env GB_PASS
refused 'is not set' env -u GB_PASS "$gb" keys new --role operator --out "$work/k2.key" --passphrase-env GB_PASS
# The passphrase from a descriptor.
"$gb" keys new --role custodian --out "$work/cust.key" --passphrase-fd 3 --kdf-cost interactive 3<<< "$GB_PASS" > /dev/null

# Genesis from the ceremony's public keys (key files or base64); a demo key is refused by name.
"$gb" genesis init --out "$work/genesis.toml" --log-key "$work/log.key" --operator "$work/op.key" \
  --chain-watcher "$work/watcher.key" --oracle-source "$work/oracle.key" --custodian "$work/cust.key" --large-deposit BTC=1 > "$work/init.txt"
grep -q 'operators 1 of 1, chain watchers 1 of 1, oracle sources 1 of 1, custodians 1 of 1' "$work/init.txt"
"$gb" genesis check "$work/genesis.toml" > "$work/check.txt"
grep -q 'custodians 1 of 1' "$work/check.txt" || fail "the genesis lost its custodian"
cust_pub=$("$gb" keys show "$work/cust.key" | sed -n 's/^public key: *//p')
[ -n "$cust_pub" ] && grep -qF "\"$cust_pub\"" "$work/genesis.toml" || fail "the custodian's key is not in the genesis"
grep -q '^config_timelock_us = 86_400_000_000$' "$work/genesis.toml"
grep -q '^large_deposit = { BTC = "1" }$' "$work/genesis.toml"
demo_log=$("$gb" genesis demo | sed -n 's/^log_key = "\(.*\)"$/\1/p')
refused 'is the public demo key "demo/log"' "$gb" genesis init --out "$work/g2.toml" --log-key "$demo_log" \
  --operator "$work/op.key" --chain-watcher "$work/watcher.key" --oracle-source "$work/oracle.key"
demo_watcher=$("$gb" genesis demo | grep -A3 '^\[roles.chain_watchers\]' | sed -n 's/^  "\(.*\)",$/\1/p')
refused 'is the public demo key "demo/chain-watcher"' "$gb" genesis init --out "$work/g3.toml" --log-key "$work/log.key" \
  --operator "$work/op.key" --chain-watcher "$demo_watcher" --oracle-source "$work/oracle.key"
refused 'holds a operator key, given as a chain-watcher key' "$gb" genesis init --out "$work/g4.toml" --log-key "$work/log.key" \
  --operator "$work/op.key" --chain-watcher "$work/op.key" --oracle-source "$work/oracle.key"
# The markets from a file of one's own: the example's perpetual and groups, under the ceremony's keys
# (its demo keys are not used); a template that does not check is refused with its error.
"$gb" genesis init --out "$work/g5.toml" --markets "$root/docs/genesis.example.toml" --log-key "$work/log.key" \
  --operator "$work/op.key" --chain-watcher "$work/watcher.key" --oracle-source "$work/oracle.key" > /dev/null
"$gb" genesis check "$work/g5.toml" > "$work/g5.txt"
grep -q 'BTC_PERP perpetual' "$work/g5.txt"
grep -q 'oracle sources 1 of 1' "$work/g5.txt"
! grep -qF "$demo_log" "$work/g5.toml" || fail "the template's demo log key was kept"
sed 's/^tick_size = .*/tick_size = "oops"/' "$root/docs/genesis.example.toml" > "$work/bad-markets.toml"
refused "--markets $work/bad-markets.toml: genesis:" "$gb" genesis init --out "$work/g6.toml" --markets "$work/bad-markets.toml" \
  --log-key "$work/log.key" --operator "$work/op.key" --chain-watcher "$work/watcher.key" --oracle-source "$work/oracle.key"
for f in g2 g3 g4 g6; do [ ! -e "$work/$f.toml" ] || fail "a refused genesis init wrote $f.toml"; done

# serve: the demo or a genesis, never both; the log key must open and must be the genesis's.
serve() { "$gb" serve --data "$work/data" --port 0 --seconds 0.1 "$@"; }
refused 'either --demo, or --genesis FILE with --log-key FILE' serve --demo --genesis "$work/genesis.toml" --log-key "$work/log.key"
refused 'either --demo, or --genesis FILE with --log-key FILE' serve --genesis "$work/genesis.toml"
GB_PASS=not-it refused 'wrong passphrase, or the key file was altered' serve --genesis "$work/genesis.toml" --log-key "$work/log.key" --passphrase-env GB_PASS
head -c 60 "$work/log.key" > "$work/cut.key"
chmod 600 "$work/cut.key"
refused 'truncated' serve --genesis "$work/genesis.toml" --log-key "$work/cut.key" --passphrase-env GB_PASS
cp "$work/log.key" "$work/open.key"
chmod 644 "$work/open.key"
refused 'has mode 0644' serve --genesis "$work/genesis.toml" --log-key "$work/open.key" --passphrase-env GB_PASS
refused 'holds a operator key, not a log key' serve --genesis "$work/genesis.toml" --log-key "$work/op.key" --passphrase-env GB_PASS
if [ -e "$work/data" ] && [ -n "$(ls -A "$work/data")" ]; then fail "a refused serve wrote a journal"; fi

# Started for real, it says so and never speaks of demo keys; started again, it recovers.
serve --genesis "$work/genesis.toml" --log-key "$work/log.key" --passphrase-env GB_PASS > "$work/serve.txt" 2>&1
grep -q '(new exchange)' "$work/serve.txt"
if grep -qi 'demo' "$work/serve.txt"; then fail "a real exchange spoke of demo keys"; fi
serve --genesis "$work/genesis.toml" --log-key "$work/log.key" --passphrase-env GB_PASS > "$work/serve2.txt" 2>&1
if grep -q '(new exchange)' "$work/serve2.txt"; then fail "the restart made a new exchange"; fi
# Another genesis over the same journal is refused.
sed 's/^config_timelock_us = .*/config_timelock_us = 3_600_000_000/' "$work/genesis.toml" > "$work/other.toml"
refused 'another genesis' serve --genesis "$work/other.toml" --log-key "$work/log.key" --passphrase-env GB_PASS
# The demo says loudly that its keys are public.
"$gb" serve --demo --data "$work/demo" --port 0 --seconds 0.1 --oracle-sources 0 --demo-accounts 0 > "$work/demo.txt" 2>&1
grep -q 'DEMO EXCHANGE' "$work/demo.txt"

echo "keys CLI: all checks passed"
