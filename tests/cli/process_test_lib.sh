# What the process tests of tests/cli share: `source "$(dirname "$0")/process_test_lib.sh" NAME` makes
# a work directory (removed at exit with every process whose pid is in `pids`), fail() (shows each
# process's output, then exits 1), free_port() (a free port on 127.0.0.1) and await_serve().
work=$(mktemp -d "/tmp/glassbook-$1-cli-XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
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
