# A man in the middle for the tiles test: forwards every GET to the exchange, and flips the first byte
# of the one response whose path is the victim's (argv: upstream URL, port to listen on, victim path).
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
import forwarding_proxy  # noqa: E402

upstream, port, victim = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def rewrite(path, body):
    return bytes([body[0] ^ 1]) + body[1:] if path == victim and body else body


forwarding_proxy.serve(upstream, port, rewrite)
