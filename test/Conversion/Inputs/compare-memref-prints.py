"""Compares the memrefs two runs printed with printMemrefF32.

Usage: compare-memref-prints.py EXPECTED ACTUAL [--rtol R] [--atol A]

Each file holds the output of one run; the numbers after each "data ="
are compared in order. Prints "same: N values" or, for the first value
outside atol + rtol * |expected|, where it is; exits 1 then, or when the
shapes or counts differ.
"""
import argparse
import re
import sys

NUMBER = re.compile(r"[-+]?(?:nan|inf|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)")


def memrefs(path):
    text = open(path).read()
    result = []
    for header, body in re.findall(r"(rank = .*?) data =\s*(\[[^U]*)", text,
                                   re.S):
        shape = re.search(r"sizes = \[([^\]]*)\]", header).group(1)
        result.append((shape, [float(n) for n in NUMBER.findall(body)]))
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("expected")
    parser.add_argument("actual")
    parser.add_argument("--rtol", type=float, default=1e-4)
    parser.add_argument("--atol", type=float, default=1e-6)
    args = parser.parse_args()
    expected, actual = memrefs(args.expected), memrefs(args.actual)
    if not expected or len(expected) != len(actual):
        print("error: %d memrefs expected, %d printed" %
              (len(expected), len(actual)))
        return 1
    count = 0
    for i, ((eshape, evalues), (ashape, avalues)) in enumerate(
            zip(expected, actual)):
        if eshape != ashape or len(evalues) != len(avalues):
            print("error: memref %d: sizes [%s] expected, [%s] printed" %
                  (i, eshape, ashape))
            return 1
        for j, (e, a) in enumerate(zip(evalues, avalues)):
            if not abs(a - e) <= args.atol + args.rtol * abs(e):
                print("error: memref %d, value %d: %r expected, %r printed" %
                      (i, j, e, a))
                return 1
        count += len(evalues)
    print("same: %d values" % count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
