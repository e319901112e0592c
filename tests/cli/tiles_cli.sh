#!/usr/bin/env bash
# The journal's Merkle log served as a C2SP tlog-tiles log: a demo exchange on 127.0.0.1 is verified by
# an independent Node.js client (tests/tiles/verify_tiles.mjs: checkpoint signature, every tile, the
# root, every entry bundle, inclusion proofs); bad paths get clear 400/404 errors; a tile altered in
# transit fails the verifier; a tile tampered on disk is found and rewritten from the journal at restart.
set -euo pipefail
gb="$1"
tests=$(cd "$(dirname "$0")/.." && pwd)
source "$(dirname "$0")/process_test_lib.sh" tiles

start_serve() {
  rm -f "$work/keys.json"
  "$gb" serve --data "$work/data" --demo --port 0 --web "" --traders 2 --trader-rate 100 --oracle-sources 0 \
    --demo-accounts 1 --checkpoint-every 100 --keys-out "$work/keys.json" >> "$work/serve.out" 2>> "$work/serve.err" &
  serve_pid=$!
  pids+=("$serve_pid")
  await_serve
}
checkpoint_size() { curl -sf "$url/log/checkpoint" | sed -n 2p; }
verify() {  # prefix, then more arguments
  node "$tests/tiles/verify_tiles.mjs" --prefix "$1" --vkey "$logkey" --proofs "$url/api/v1/glassbook/proof/inclusion" "${@:2}"
}

start_serve
logkey=$(curl -sf "$url/api/v1/glassbook/verifier")
# Enough records for full tiles: at least two full level-0 tiles and a level-1 tile under the checkpoint.
for _ in $(seq 1 600); do [ "$(checkpoint_size || echo 0)" -ge 600 ] && break; sleep 0.1; done
[ "$(checkpoint_size)" -ge 600 ] || fail "the demo did not reach 600 records"

verify "$url/log/" --min-size 600 > "$work/verify.out" 2> "$work/verify.err" || fail "the verifier refused the log"
grep -q '^verified: checkpoint of [0-9]* records signed by glassbook.local/journal; ' "$work/verify.out" || fail "no verdict"

# The spec's headers, and clear errors for bad paths.
curl -sf -D "$work/full.h" -o "$work/full.tile" "$url/log/tile/0/000" || fail "no full tile"
[ "$(stat -c %s "$work/full.tile")" -eq 8192 ] || fail "a full tile is not 8192 bytes"
grep -qi '^content-type: application/octet-stream' "$work/full.h" || fail "tile content type"
grep -qi '^cache-control: public, max-age=31536000, immutable' "$work/full.h" || fail "full tile cache header"
curl -sf -D "$work/cp.h" -o /dev/null "$url/log/checkpoint"
grep -qi '^content-type: text/plain; charset=utf-8' "$work/cp.h" || fail "checkpoint content type"
grep -qi '^cache-control: no-cache' "$work/cp.h" || fail "checkpoint cache header"
code=$(curl -s -o "$work/bad.json" -w '%{http_code}' "$url/log/tile/0/5")
[ "$code" = 400 ] && grep -q 'index elements are 3 digits' "$work/bad.json" || fail "bad tile path: $code $(cat "$work/bad.json")"
code=$(curl -s -o "$work/beyond.json" -w '%{http_code}' "$url/log/tile/0/x001/000")
[ "$code" = 404 ] && grep -q 'is beyond the log' "$work/beyond.json" || fail "tile beyond the log: $code $(cat "$work/beyond.json")"
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/log/tile/entries/000.p/0")
[ "$code" = 400 ] || fail "bad bundle path: $code"

# A tile altered between the exchange and the client fails the verifier.
pp=$(free_port)
python3 "$tests/tiles/tamper_proxy.py" "$url" "$pp" /log/tile/0/001 &
pids+=("$!")
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$pp/log/checkpoint" > /dev/null && break; sleep 0.1; done
if verify "http://127.0.0.1:$pp/log/" > "$work/tampered.out" 2> "$work/tampered.err"; then fail "the verifier accepted a tampered tile"; fi
grep -q '^FAIL: tile/0/001 does not hash to its entry in level 1' "$work/tampered.err" || fail "tampered tile: $(cat "$work/tampered.err")"

# A tile tampered on disk: found at the next start, rewritten from the journal, and the log verifies.
kill -TERM "$serve_pid"
wait "$serve_pid" || fail "serve exited with an error"
python3 - "$work/data/tile/0/000" <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(100)
    b = f.read(1)
    f.seek(100)
    f.write(bytes([b[0] ^ 0x40]))
PY
start_serve
grep -q "^merkle tile: tile/0/000: other hashes than the journal's (damaged); rewritten from the journal" "$work/serve.out" \
  || fail "the restart did not report the tampered tile"
cmp -s "$work/data/tile/0/000" "$work/full.tile" || fail "the tampered tile was not rewritten"
verify "$url/log/" --min-size 600 > "$work/verify2.out" 2> "$work/verify2.err" || fail "the verifier refused the log after the restart"
cat "$work/verify.out" "$work/verify2.out"
echo "all checks passed"
