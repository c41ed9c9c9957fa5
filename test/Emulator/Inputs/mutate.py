#!/usr/bin/env python3
"""Applies one mutation to the PTX of a bundle and writes the mutated bundle
(the PTX and its manifest, with ptx_sha256 updated) to OUT_DIR.

  mutate.py BUNDLE.json OUT_DIR MUTATION N
  mutate.py BUNDLE.json OUT_DIR replace N PATTERN REPLACEMENT

MUTATION, applied to the N-th (1-based) instruction of its kind in the file:
  delete-bar          delete a `bar.sync`
  swap-mma-ab         swap the A and B fragments of an `mma.sync` (the first
                      two registers of A trade places with B's two)
  drop-trans          drop `.trans` from an `ldmatrix ... .trans`
  loader-off-by-one   add one 16-byte chunk to the global source address of a
                      `cp.async` (the loader reads its neighbour's chunk)
  remove-wait         delete a `cp.async.wait_group`
  replace             replace the N-th match of the Python regular
                      expression PATTERN by REPLACEMENT (re.sub syntax: \\n,
                      \\t, groups)
It fails when the PTX has fewer than N such instructions.
"""
import hashlib
import json
import os
import re
import sys


def nth(matches, n, what):
    matches = list(matches)
    if len(matches) < n:
        sys.exit("mutate.py: the PTX has %d %s, not %d" % (len(matches), what, n))
    return matches[n - 1]


def mutate(ptx, mutation, n, args):
    if mutation == "replace":
        pattern, replacement = args
        m = nth(re.finditer(pattern, ptx, re.M), n, "matches of '%s'" % pattern)
        return ptx[:m.start()] + m.expand(replacement) + ptx[m.end():]
    if mutation == "delete-bar":
        m = nth(re.finditer(r"^\s*bar\.sync\s+0;\n", ptx, re.M), n, "bar.sync")
        return ptx[:m.start()] + ptx[m.end():]
    if mutation == "remove-wait":
        m = nth(re.finditer(r"^\s*cp\.async\.wait_group\s+\d+;\n", ptx, re.M),
                n, "cp.async.wait_group")
        return ptx[:m.start()] + ptx[m.end():]
    if mutation == "drop-trans":
        m = nth(re.finditer(r"ldmatrix[.\w]*\.trans", ptx), n, "ldmatrix .trans")
        return ptx[:m.start()] + m.group(0).replace(".trans", "") + ptx[m.end():]
    if mutation == "swap-mma-ab":
        m = nth(re.finditer(r"mma\.sync[.\w]*\s*\{([^}]*)\},\s*\{([^}]*)\},\s*"
                            r"\{([^}]*)\}", ptx), n, "mma.sync")
        a = [r.strip() for r in m.group(2).split(",")]
        b = [r.strip() for r in m.group(3).split(",")]
        a2 = b + a[2:]
        b2 = a[:2]
        new = m.group(0)
        start = m.start(2) - m.start()
        new = (new[:start] + ", ".join(a2) + new[m.end(2) - m.start():m.start(3) - m.start()]
               + ", ".join(b2) + new[m.end(3) - m.start():])
        return ptx[:m.start()] + new + ptx[m.end():]
    if mutation == "loader-off-by-one":
        m = nth(re.finditer(r"cp\.async\.c[ag]\.shared\.global \[[^\]]*\], "
                            r"\[(%rd\d+)(\+-?\d+)?\]", ptx), n, "cp.async")
        offset = int(m.group(2)[1:]) if m.group(2) else 0
        replacement = "[%s+%d]" % (m.group(1), offset + 16)
        begin = m.start(1) - 1
        return ptx[:begin] + replacement + ptx[m.end():]
    sys.exit("mutate.py: unknown mutation '%s'" % mutation)


def main():
    if len(sys.argv) < 5 or len(sys.argv) != (7 if sys.argv[3] == "replace" else 5):
        sys.exit(__doc__)
    manifest_path, out_dir, mutation, n = sys.argv[1:5]
    with open(manifest_path) as f:
        manifest = json.load(f)
    ptx_path = os.path.join(os.path.dirname(manifest_path), manifest["ptx"])
    with open(ptx_path) as f:
        ptx = f.read()
    mutated = mutate(ptx, mutation, int(n), sys.argv[5:])
    if mutated == ptx:
        sys.exit("mutate.py: the mutation changed nothing")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, manifest["ptx"]), "w") as f:
        f.write(mutated)
    manifest["ptx_sha256"] = hashlib.sha256(mutated.encode()).hexdigest()
    with open(os.path.join(out_dir, os.path.basename(manifest_path)), "w") as f:
        json.dump(manifest, f, indent=2)


if __name__ == "__main__":
    main()
