#!/usr/bin/env python3
"""Gathers the seed corpora of the fuzz targets from the repository.

    gather-seeds.py SOURCE_ROOT OUT_DIR

Writes OUT_DIR/<target>/<name> for every target of fuzz/ (docs/Fuzzing.md):
  * the MLIR targets (parse, import, interpret, equivalence, lower): every
    .mlir file of examples/ and test/, split at `// -----` like
    -split-input-file, one seed per part;
  * manifest: every bundle manifest (*.json with "format": "mirage-bundle")
    of runtime/test/Inputs and test/, followed by the separator line and the
    PTX it names when that file exists;
  * npy: every .npy file of runtime/test/ and test/;
  * ptx: every .ptx file of runtime/test/Inputs and test/;
  * and the hand seeds of fuzz/seeds/<target>/.
Nothing is copied into the repository: the corpora live in the build tree.
"""
import hashlib
import json
import os
import shutil
import sys

MLIR_TARGETS = ["parse", "import", "interpret", "equivalence", "lower"]
PTX_SEPARATOR = b"\n//---- ptx ----\n"


def files_under(root, dirs, suffix):
    for d in dirs:
        for parent, subdirs, names in os.walk(os.path.join(root, d)):
            subdirs.sort()
            for name in sorted(names):
                if name.endswith(suffix):
                    yield os.path.join(parent, name)


def write_seed(out, target, data):
    # Content-addressed, like libFuzzer's own corpus files.
    path = os.path.join(out, target, hashlib.sha1(data).hexdigest())
    with open(path, "wb") as f:
        f.write(data)


def main():
    root, out = sys.argv[1], sys.argv[2]
    targets = MLIR_TARGETS + ["manifest", "npy", "ptx"]
    for target in targets:
        shutil.rmtree(os.path.join(out, target), ignore_errors=True)
        os.makedirs(os.path.join(out, target))
    counts = dict.fromkeys(targets, 0)

    for path in files_under(root, ["examples", "test"], ".mlir"):
        with open(path, "rb") as f:
            text = f.read()
        for part in text.split(b"\n// -----"):
            if part.strip():
                for target in MLIR_TARGETS:
                    write_seed(out, target, part)
                    counts[target] += 1

    for path in files_under(root, ["runtime/test/Inputs", "test"], ".json"):
        with open(path, "rb") as f:
            manifest = f.read()
        try:
            parsed = json.loads(manifest)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict) or parsed.get("format") != "mirage-bundle":
            continue
        ptx_name = parsed.get("ptx")
        ptx_path = os.path.join(os.path.dirname(path), str(ptx_name))
        seed = manifest
        if isinstance(ptx_name, str) and os.path.isfile(ptx_path):
            with open(ptx_path, "rb") as f:
                seed += PTX_SEPARATOR + f.read()
        write_seed(out, "manifest", seed)
        counts["manifest"] += 1

    for path in files_under(root, ["runtime/test", "test"], ".npy"):
        with open(path, "rb") as f:
            write_seed(out, "npy", f.read())
        counts["npy"] += 1

    for path in files_under(root, ["runtime/test/Inputs", "test"], ".ptx"):
        with open(path, "rb") as f:
            write_seed(out, "ptx", f.read())
        counts["ptx"] += 1

    for target in targets:
        hand = os.path.join(root, "fuzz", "seeds", target)
        if os.path.isdir(hand):
            for name in sorted(os.listdir(hand)):
                with open(os.path.join(hand, name), "rb") as f:
                    write_seed(out, target, f.read())
                counts[target] += 1

    print("gather-seeds: " + ", ".join(
        "%s %d" % (t, counts[t]) for t in targets))


if __name__ == "__main__":
    main()
