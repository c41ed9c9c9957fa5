"""Tampers with search-cache entries for the cache tests.

  flip DIR             flip one payload byte of every entry (a checksum error)
  swap DIR KEY_A KEY_B give each entry the other's payload, with a valid
                       length and digest (a well-formed but wrong entry)
"""
import hashlib
import os
import sys


def read(path):
    data = open(path, "rb").read()
    header, payload = data.split(b"\n\n", 1)
    return header.split(b"\n"), payload


def write(path, lines, payload):
    out = []
    for line in lines:
        if line.startswith(b"length "):
            line = b"length %d" % len(payload)
        elif line.startswith(b"sha256 "):
            line = b"sha256 " + hashlib.sha256(payload).hexdigest().encode()
        out.append(line)
    open(path, "wb").write(b"\n".join(out) + b"\n\n" + payload)


def entries(directory):
    return sorted(os.path.join(directory, f) for f in os.listdir(directory)
                  if f.endswith(".entry"))


if sys.argv[1] == "flip":
    for path in entries(sys.argv[2]):
        data = bytearray(open(path, "rb").read())
        data[-10] ^= 0x01
        open(path, "wb").write(bytes(data))
elif sys.argv[1] == "swap":
    paths = entries(sys.argv[2])
    assert len(paths) == 2, paths
    (lines_a, payload_a), (lines_b, payload_b) = read(paths[0]), read(paths[1])
    write(paths[0], lines_a, payload_b)
    write(paths[1], lines_b, payload_a)
else:
    sys.exit("usage: cache-tamper.py flip DIR | swap DIR")
