"""Graphviz DOT of a kernel graph: kernel ops green, each graph-defined
kernel's block graph a blue cluster (as Mirage draws them), from the compact
μGraph the C++ importer builds (_mirage_mlir.describe)."""

__all__ = ["to_dot"]

# A line break inside a DOT label.
NEWLINE = "\\n"


def _shape(value):
    dims = "x".join(str(d) for d in value["shape"])
    state = ""
    if value.get("accumulated"):
        state = ", post"
    return f"{dims}x{value['dtype']}{state}"


def _attrs(attrs):
    if not attrs:
        return ""
    parts = []
    for key, value in attrs.items():
        if isinstance(value, list):
            value = "[" + ", ".join(str(v) for v in value) + "]"
        parts.append(f"{key}={value}")
    return NEWLINE + " ".join(parts)


def _quote(text):
    return '"' + text.replace('"', '\\"') + '"'


def to_dot(info):
    lines = [f"digraph {_quote(info['name'])} {{", "  rankdir=TB; compound=true;",
             "  node [fontname=Helvetica, fontsize=10];",
             "  edge [fontname=Helvetica, fontsize=9];"]
    values = info["values"]
    producer = {}
    for i in range(info["num_inputs"]):
        node = f"in{i}"
        label = f"input {i}" + NEWLINE + _shape(values[i])
        lines.append(f"  {node} [shape=oval, label={_quote(label)}];")
        producer[i] = node
    for k, op in enumerate(info["ops"]):
        node = f"op{k}"
        label = op["op"] + _attrs(op["attrs"])
        lines.append(f"  {node} [shape=box, style=filled, "
                     f"fillcolor=palegreen, label={_quote(label)}];")
        for v in op["operands"]:
            lines.append(f"  {producer[v]} -> {node} "
                         f"[label={_quote(_shape(values[v]))}];")
        for v in op["results"]:
            producer[v] = node
        b = op.get("block_graph", -1)
        if op["op"] == "graph_defined" and b >= 0:
            lines += _block_cluster(k, info["block_graphs"][b])
            lines.append(f"  {node} -> bg{k}_anchor [style=dashed, "
                         "arrowhead=none, lhead=cluster_bg" + str(k) + "];")
    for j, v in enumerate(info["outputs"]):
        lines.append(f"  out{j} [shape=oval, label="
                     f"{_quote(f'output {j}' + NEWLINE + _shape(values[v]))}];")
        lines.append(f"  {producer[v]} -> out{j};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _block_cluster(k, graph):
    launch = (f"grid {graph['grid']} block {graph['block']} "
              f"forloop {graph['forloop_range']}")
    lines = [f"  subgraph cluster_bg{k} {{",
             f"    label={_quote('block graph of op ' + str(k) + ': ' + launch)};",
             "    style=rounded; color=steelblue;",
             f"    bg{k}_anchor [shape=point, style=invis];"]
    values = graph["values"]
    producer = {}
    for i in range(graph["num_inputs"]):
        node = f"bg{k}_in{i}"
        lines.append(f"    {node} [shape=oval, label="
                     f"{_quote(f'tensor {i}' + NEWLINE + _shape(values[i]))}];")
        producer[i] = node
    for n, op in enumerate(graph["ops"]):
        node = f"bg{k}_op{n}"
        label = op["op"] + _attrs(op["attrs"])
        lines.append(f"    {node} [shape=box, style=filled, "
                     f"fillcolor=lightblue, label={_quote(label)}];")
        for v in op["operands"]:
            if v in producer:
                lines.append(f"    {producer[v]} -> {node} "
                             f"[label={_quote(_shape(values[v]))}];")
        for v in op["results"]:
            producer[v] = node
    lines.append("  }")
    return lines
