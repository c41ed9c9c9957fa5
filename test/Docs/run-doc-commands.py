#!/usr/bin/env python3
"""Runs the commands a Markdown document shows and checks their output.

    run-doc-commands.py DOC.md --copy DIR [--copy DIR ...] --workdir W

Every fenced block tagged `console` in DOC.md is a session: a line that
starts with "$ " is a command (a trailing backslash continues it on the next
line), and the lines after it, up to the next command or the end of the
block, are what it prints (stdout and stderr together). The check is that of
FileCheck's CHECK lines: each shown line must match a line of the output,
in order, with lines in between allowed; "..." in a shown line matches any
text. A last shown line "(exit status N)" says the command fails with N;
any other command must exit 0.

Commands run with /bin/sh in the work directory W, which is emptied first
and receives a copy of each --copy directory under its path relative to the
source root (so `docs/tutorial/x.mlir` in a command names the copy). Tools
come from PATH. Each command runs with XDG_CACHE_HOME in W, so a search
starts from an empty cache whatever ran before.

Exits 1 at the first command whose status or output differs, printing the
command, what was expected and what it printed; 2 on a document with no
session or a block that is not closed.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

EXIT_LINE = re.compile(r"^\(exit status (\d+)\)$")


def parse_sessions(path):
    """[(line number, command, [expected lines], expected status)]."""
    lines = open(path, encoding="utf-8").read().split("\n")
    commands = []
    in_console = False
    current = None
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not in_console:
            if stripped == "```console":
                in_console = True
                block_start = i + 1
            i += 1
            continue
        if stripped == "```":
            in_console = False
            current = None
            i += 1
            continue
        if line.startswith("$ "):
            first = i + 1
            command = line[2:]
            while command.endswith("\\"):
                i += 1
                if i >= len(lines):
                    sys.exit("%s:%d: error: the command continues past the "
                             "end of the file" % (path, first))
                command = command + "\n" + lines[i]
            current = [first, command, [], 0]
            commands.append(current)
        elif current is None:
            if stripped:
                sys.exit("%s:%d: error: output before the first command of "
                         "the block" % (path, i + 1))
        else:
            current[2].append(line)
        i += 1
    if in_console:
        sys.exit("%s:%d: error: a console block that is not closed" %
                 (path, block_start))
    for c in commands:
        while c[2] and not c[2][-1].strip():
            c[2].pop()
        if c[2]:
            m = EXIT_LINE.match(c[2][-1].strip())
            if m:
                c[3] = int(m.group(1))
                c[2].pop()
    return commands


def pattern(expected):
    parts = expected.strip().split("...")
    return re.compile(".*".join(re.escape(p) for p in parts))


def check_output(expected, actual):
    """None when every expected line matches in order; else the first miss."""
    lines = actual.split("\n")
    pos = 0
    for e in expected:
        if not e.strip():
            continue
        p = pattern(e)
        while pos < len(lines) and not p.search(lines[pos]):
            pos += 1
        if pos == len(lines):
            return e
        pos += 1
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("doc")
    parser.add_argument("--source-root", required=True)
    parser.add_argument("--copy", action="append", default=[])
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()

    commands = parse_sessions(args.doc)
    if not commands:
        print("%s: error: no console block with a command" % args.doc)
        return 2
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    for d in args.copy:
        shutil.copytree(os.path.join(args.source_root, d),
                        os.path.join(args.workdir, d))
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = os.path.join(args.workdir, ".cache")
    for line, command, expected, status in commands:
        run = subprocess.run(command, shell=True, cwd=args.workdir, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, errors="replace")
        missing = check_output(expected, run.stdout)
        if run.returncode != status or missing is not None:
            print("%s:%d: error: the command differs from what the document "
                  "shows" % (args.doc, line))
            print("command: " + command)
            if run.returncode != status:
                print("exit status %d, the document shows %d" %
                      (run.returncode, status))
            if missing is not None:
                print("no output line matches: " + missing)
            print("---- output ----\n" + run.stdout + "----")
            return 1
        print("ok %s:%d: %s" % (os.path.basename(args.doc), line,
                                command.split("\n")[0]))
    print("%d commands of %s ran as shown" % (len(commands), args.doc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
