"""Runs mirage-cpu-runner on every function of every split of an .mlir file.

usage: run_each_split.py RUNNER FILE.mlir TMPDIR [runner options...]

Splits FILE at `// -----` lines (like -split-input-file), writes each split
to TMPDIR, and runs the runner once per function of the split. Prints one
line per run, `<split>:<function>: <last line of the runner's output>`, and
exits non-zero if any run failed.
"""
import os
import re
import subprocess
import sys


def main():
    runner, path, tmpdir = sys.argv[1:4]
    options = sys.argv[4:]
    os.makedirs(tmpdir, exist_ok=True)
    with open(path) as f:
        splits = re.split(r"^// -----$", f.read(), flags=re.M)
    failed = 0
    for i, text in enumerate(splits):
        split_path = os.path.join(tmpdir, "split%d.mlir" % i)
        with open(split_path, "w") as f:
            f.write(text)
        for name in re.findall(r"func\.func @(\w+)", text):
            run = subprocess.run([runner, split_path, "--entry=" + name] +
                                 options, capture_output=True, text=True)
            lines = (run.stdout + run.stderr).strip().splitlines()
            last = lines[-1] if lines else "(no output)"
            if run.returncode != 0:
                failed += 1
                sys.stdout.write("".join(l + "\n" for l in lines[:-1]))
            print("%d:%s: %s" % (i, name, last))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
