"""Text reports of GPU benchmark results (torch-free): one line per case
for the console, and the table of bench/results/README.md."""

import os

IMPLS = ("mirage", "eager", "compile", "sdpa")
BEGIN = "<!-- gpu-benchmark:begin (bench/gpu/run.py rewrites this part) -->"
END = "<!-- gpu-benchmark:end -->"


def _time(entry):
    if entry is None:
        return "-"
    if "error" in entry:
        return "error"
    if "skipped" in entry:
        return "skipped"
    return f"{entry['median_us']:.1f}"


def _numerics(entry):
    if entry is None or "numerics" not in entry:
        return "-"
    n = entry["numerics"]
    if n["passed"]:
        return "ok"
    return f"{n['mismatches']}/{n['elements']} differ"


def case_line(result):
    """'gqa bs1: mirage 12.3 us (ok), eager 40.1 us, ... floor 3.2 us'."""
    if "skipped" in result:
        return (f"{result['example']} {result['batch']}: skipped "
                f"({result['skipped']})")
    parts = []
    for name in IMPLS:
        entry = result["impls"].get(name)
        if entry is None:
            continue
        if "error" in entry:
            parts.append(f"{name} error: {entry['error']}")
        elif "skipped" in entry:
            parts.append(f"{name} skipped ({entry['skipped']})")
        else:
            parts.append(f"{name} {entry['median_us']:.1f} us "
                         f"({_numerics(entry)})")
    return (f"{result['example']} {result['batch']}: " + ", ".join(parts) +
            f"; HBM floor {result['hbm_floor_us']:.1f} us")


def table(doc):
    """The markdown table of one results document."""
    lines = [
        "| case | mirage | eager | compile | SDPA | HBM floor | mirage / "
        "floor | mirage numerics |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in doc["cases"]:
        if "skipped" in r:
            lines.append(f"| {r['example']} {r['batch']} | skipped "
                         f"({r['skipped']}) | | | | | | |")
            continue
        impls = r["impls"]
        mirage = impls.get("mirage")
        ratio = (f"{mirage['vs_hbm_floor']:.1f}x"
                 if mirage and "vs_hbm_floor" in mirage else "-")
        lines.append(
            f"| {r['example']} {r['batch']} | {_time(mirage)} | "
            f"{_time(impls.get('eager'))} | {_time(impls.get('compile'))} | "
            f"{_time(impls.get('sdpa'))} | {r['hbm_floor_us']:.1f} | "
            f"{ratio} | {_numerics(mirage)} |")
    return "\n".join(lines)


def section(doc, filename):
    timing = doc["timing"]
    how = "CUDA graphs" if timing["graphs"] else "plain launches (no graphs)"
    bw = doc["bandwidth_gbs"]
    peak = f", peak {bw['peak']:.0f} GB/s" if bw.get("peak") else ""
    return "\n".join([
        BEGIN,
        f"### {doc['device']} ({doc['compute_capability']}), {doc['date']}",
        "",
        f"Median microseconds of {timing['iters']} runs after "
        f"{timing['warmup']} warm-up runs, {how}; torch {doc['torch']}, "
        f"CUDA {doc['cuda']}. HBM floor: compulsory bytes (inputs read "
        f"once, outputs written once) at the measured copy bandwidth "
        f"({bw['measured_copy']:.0f} GB/s{peak}). Details: "
        f"[{filename}]({filename}).",
        "",
        table(doc),
        END,
    ])


def update_readme(path, doc, filename):
    """Replaces the benchmark section of `path` (appends it the first time;
    the rest of the file is kept)."""
    text = ""
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
    new = section(doc, filename)
    if BEGIN in text and END in text:
        start = text.index(BEGIN)
        end = text.index(END) + len(END)
        text = text[:start] + new + text[end:]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + new + "\n"
    with open(path, "w") as f:
        f.write(text)
