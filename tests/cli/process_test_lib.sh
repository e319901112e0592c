# What the process tests of tests/cli share: `source "$(dirname "$0")/process_test_lib.sh" NAME` makes
# a work directory (removed at exit, unless KEEP is set, with every process whose pid is in `pids`),
# fail() (shows each process's output, then exits 1), free_port() (a free port on 127.0.0.1),
# wait_for(), await_serve(), and start_chain_sim() with rpc() for the custody tests.
work=$(mktemp -d "/tmp/glassbook-$1-cli-XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$work"/*.out "$work"/*.err; do echo "== $f" >&2; tail -20 "$f" >&2 || true; done; exit 1; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# After starting `glassbook serve ... --keys-out "$work/keys.json"` as serve_pid: waits (at most 30 s)
# for its keys file and sets url from it.
await_serve() {
  for _ in $(seq 1 300); do
    [ -s "$work/keys.json" ] && break
    kill -0 "$serve_pid" 2>/dev/null || fail "serve stopped"
    sleep 0.1
  done
  url=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$work/keys.json")
  [ -n "$url" ] || fail "no URL"
}
# Waits up to 60 s for a command (a string, evaluated) to succeed.
wait_for() { for _ in $(seq 1 600); do if eval "$1"; then return 0; fi; sleep 0.1; done; fail "timed out waiting for: $1"; }
# Starts `glassbook chain-sim` ($gb) on a free port, its state in $work/chain.state, as chain_pid; sets
# chain to its URL.
start_chain_sim() {
  "$gb" chain-sim --port 0 --state "$work/chain.state" --ready-file "$work/chain.ready" > "$work/chain.out" 2> "$work/chain.err" &
  chain_pid=$!
  pids+=("$chain_pid")
  wait_for '[ -s "$work/chain.ready" ]'
  chain=$(cut -d' ' -f1 "$work/chain.ready")
}
rpc() {  # method params-json: prints the chain's result, fails on an error object
  curl -sf -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":$2}" "$chain/" > "$work/rpc.json"
  python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
if "error" in r: sys.exit("rpc error: " + json.dumps(r["error"]))
print(json.dumps(r["result"]))' "$work/rpc.json"
}
