#!/usr/bin/env python3
"""Checks a bundle written by --mirage-to-ptx and prints a compact summary.

Usage: check_bundle.py DIR/NAME.json

Checks what the manifest promises about the PTX next to it (the file exists,
its SHA-256 is ptx_sha256, every kernel is an .entry of the PTX with one
.param per argument, arguments are in bounds of the buffers they point into)
and prints one line per fact for FileCheck. Exits 1 on a broken promise.
"""
import hashlib
import json
import math
import os
import re
import sys


def fail(message):
    print(f"error: {message}")
    sys.exit(1)


def main():
    path = sys.argv[1]
    with open(path) as f:
        manifest = json.load(f)
    if manifest.get("format") != "mirage-bundle" or manifest.get("version") != 1:
        fail("not a version 1 mirage-bundle")
    ptx_path = os.path.join(os.path.dirname(path), manifest["ptx"])
    with open(ptx_path, "rb") as f:
        ptx = f.read()
    if hashlib.sha256(ptx).hexdigest() != manifest["ptx_sha256"]:
        fail("ptx_sha256 is not the SHA-256 of the PTX file")
    entries = {
        name.decode(): params.count(b".param")
        for name, params in re.findall(rb"\.entry (\w+)\(([^)]*)\)", ptx)
    }

    sig = manifest["signature"]
    sizes = {
        "input": [math.prod(t["shape"]) * width(t["dtype"]) for t in sig["inputs"]],
        "output": [math.prod(t["shape"]) * width(t["dtype"]) for t in sig["outputs"]],
        "workspace": [manifest["workspace_bytes"]],
    }
    print(f"function {manifest['function']} chip {manifest['chip']} "
          f"ptx {manifest['ptx']} workspace {manifest['workspace_bytes']}")
    for kind in ("inputs", "outputs"):
        for t in sig[kind]:
            print(f"{kind[:-1]} {t['shape']} {t['dtype']}")
    for kernel in manifest["kernels"]:
        name = kernel["name"]
        if name not in entries:
            fail(f"kernel {name} is not an entry of the PTX")
        if entries[name] != len(kernel["args"]):
            fail(f"kernel {name} takes {entries[name]} parameters, "
                 f"the manifest lists {len(kernel['args'])}")
        print(f"kernel {name} grid {kernel['grid']} block {kernel['block']} "
              f"smem {kernel['dynamic_shared_memory_bytes']}")
        for arg in kernel["args"]:
            end = arg["offset_bytes"] + math.prod(arg["shape"]) * width(arg["dtype"])
            if end > sizes[arg["buffer"]][arg["index"]]:
                fail(f"kernel {name} reads past the end of {arg['buffer']} "
                     f"{arg['index']}")
            print(f"  arg {arg['buffer']} {arg['index']} +{arg['offset_bytes']} "
                  f"{arg['shape']} {arg['dtype']} strides {arg['strides']}")


def width(dtype):
    return {"f16": 2, "bf16": 2, "f32": 4}[dtype]


if __name__ == "__main__":
    main()
