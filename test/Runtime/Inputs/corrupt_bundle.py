#!/usr/bin/env python3
"""Copies a bundle (NAME.json + NAME.ptx) with one corruption, the manifest's
ptx_sha256 updated to the corrupted PTX so that the damage itself is what
mirage-run --validate must find.

    corrupt_bundle.py MODE SOURCE_DIR DEST_DIR

MODE: empty-target, nul-byte, truncated, duplicate-ptx-entry,
deleted-kernel, duplicate-kernel.
"""
import hashlib
import json
import os
import sys


def main():
    mode, source, dest = sys.argv[1:4]
    [manifest_name] = [n for n in os.listdir(source) if n.endswith(".json")]
    with open(os.path.join(source, manifest_name)) as f:
        manifest = json.load(f)
    with open(os.path.join(source, manifest["ptx"]), "rb") as f:
        ptx = f.read()

    if mode == "empty-target":
        start = ptx.index(b".target ")
        end = ptx.index(b"\n", start)
        ptx = ptx[:start] + b".target" + ptx[end:]
    elif mode == "nul-byte":
        at = ptx.index(b".entry")
        ptx = ptx[:at] + b"\0" + ptx[at:]
    elif mode == "truncated":
        ptx = ptx[:ptx.rindex(b"ret;")]
    elif mode == "duplicate-ptx-entry":
        start = ptx.index(b".visible .entry")
        end = ptx.index(b"\n}\n", start) + 3
        ptx = ptx[:end] + ptx[start:end] + ptx[end:]
    elif mode == "deleted-kernel":
        assert len(manifest["kernels"]) >= 2, "needs a bundle of 2 kernels"
        del manifest["kernels"][-1]
    elif mode == "duplicate-kernel":
        manifest["kernels"].append(manifest["kernels"][0])
    else:
        sys.exit("unknown mode " + mode)

    manifest["ptx_sha256"] = hashlib.sha256(ptx).hexdigest()
    os.makedirs(dest, exist_ok=True)
    with open(os.path.join(dest, manifest_name), "w") as f:
        json.dump(manifest, f, indent=2)
    with open(os.path.join(dest, manifest["ptx"]), "wb") as f:
        f.write(ptx)


if __name__ == "__main__":
    main()
