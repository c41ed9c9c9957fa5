#!/bin/sh
# The GPU check: build the runtime, run every bundle, calibrate the cost
# model and benchmark against PyTorch, in at most 8 minutes, on a machine
# with CUDA and PyTorch (no LLVM needed). Run it first in any session that
# has a GPU; README.md, "GPU check", says how. The work is done by
# bench/gpu/device_check.py (--help lists the options; --dry-run needs no GPU).
here=$(dirname "$0")
if command -v python3 >/dev/null 2>&1; then
  exec python3 "$here/device_check.py" "$@"
fi
echo "device-check.sh: python3 not found" >&2
exit 2
