# A man in the middle for the replica test: forwards every GET to the primary and, in the records
# answers (GBRB, docs/journal.md "Replicas"), changes one byte of the command signed in record
# `victim` and recomputes that record's CRC-32C, so the record still frames and checksums but its
# signature no longer holds (argv: upstream URL, port to listen on, victim seq).
import struct
import sys

import forwarding_proxy

upstream, port, victim = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

_table = []
for n in range(256):
    c = n
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    _table.append(c)


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _table[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def tamper(body):
    if not body.startswith(b"GBRB"):
        return body
    out = bytearray(body)
    count = struct.unpack_from("<I", out, 21)[0]
    at = 25
    for _ in range(count):
        length = struct.unpack_from("<I", out, at)[0]
        start = at + 4
        seq = struct.unpack_from("<Q", out, start + 12)[0]
        if seq == victim:
            out[start + length - 133] ^= 1  # the last signed byte (then signer 32, signature 64, prev hash 32, CRC 4)
            struct.pack_into("<I", out, start + length - 4, crc32c(bytes(out[start:start + length - 4])))
        at = start + length
    return bytes(out)


def rewrite(path, body):
    return tamper(body) if path.startswith("/api/v1/glassbook/records") else body


forwarding_proxy.serve(upstream, port, rewrite)
