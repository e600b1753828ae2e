# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab's topology model (module_utils/lab_topology.py) as Graphviz DOT text: clusters for the
regions, VPCs and subnets, nodes and edges with the stable ids and classes lab_topology.py lists,
coloured by state, the ping path drawn bold and what a failed verification names marked."""

from __future__ import annotations

from typing import Dict
from typing import Iterable
from typing import List
from typing import Mapping

from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import BROKEN
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import Edge
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import Element
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import LINE
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import OTHER
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import Topology
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import dot_html_text
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import dot_quoted

# Fill colours per kind; clusters are outlined only.
_FILLS = {
    "instance": "#ffffff",
    "route-table": "#f6f8fa",
    "vgw": "#fff8c5",
    "cgw": "#fff8c5",
    "tgw": "#ddf4ff",
    "tgw-route-table": "#f6f8fa",
    "attachment": "#ddf4ff",
    "subnet": "#f6f8fa",
    "empty": "#ffffff",
}
_SHAPES = {"vgw": "hexagon", "tgw": "doubleoctagon", "cgw": "component", "attachment": "ellipse", "empty": "plaintext"}
_CLUSTER_STYLES = {"region": ("#8c959f", "dashed"), "vpc": ("#0969da", "rounded"), "subnet": ("#57606a", "rounded")}


def _html_label(title: str, lines: Iterable[str], marked: bool) -> str:
    head = f"<B>{dot_html_text(('✗ ' if marked else '') + title)}</B>"
    rest = "".join(f'<BR/><FONT POINT-SIZE="9">{dot_html_text(line)}</FONT>' for line in lines)
    return f"<{head}{rest}>"


def _attributes(pairs: Mapping[str, str]) -> str:
    return ", ".join(f"{key}={value}" for key, value in pairs.items())


def _marks(marked, color: str, style: str) -> Dict[str, str]:
    """The outline of an element: red and dashed, with the causes as its tooltip, when a cause names it."""
    if marked.causes:
        return {"color": dot_quoted(BROKEN), "style": dot_quoted(f"dashed,{style}" if style else "dashed"),
                "penwidth": "2.5"}
    return {"color": dot_quoted(color), "style": dot_quoted(style or "solid")}


def _classes(kind: str, marked) -> str:
    return dot_quoted(" ".join([kind] + (["broken"] if marked.causes else [])))


def _cluster_lines(element: Element, depth: int) -> List[str]:
    color, style = _CLUSTER_STYLES.get(element.kind, (LINE, "rounded"))
    marks = _marks(element, color, style)
    pad = "  " * depth
    lines = [f"{pad}subgraph {dot_quoted('cluster_' + element.id)} {{"]
    attributes = {
        "id": dot_quoted(element.id), "class": _classes(element.kind, element),
        "label": _html_label(element.title, element.lines, bool(element.causes)),
        "tooltip": dot_quoted(element.tooltip),
        "fontcolor": dot_quoted(BROKEN if element.causes else "#24292f"), **marks,
    }
    lines += [f"{pad}  {key}={value};" for key, value in attributes.items()]
    for child in element.children:
        lines += _element_lines(child, depth + 1)
    lines.append(f"{pad}}}")
    return lines


def _node_line(element: Element, depth: int) -> str:
    style = "rounded,filled" if element.kind not in ("vgw", "tgw", "cgw", "attachment", "empty") else "filled"
    attributes = {
        "id": dot_quoted(element.id), "class": _classes(element.kind, element),
        "label": _html_label(element.title, element.lines, bool(element.causes)),
        "shape": _SHAPES.get(element.kind, "box"), "fillcolor": dot_quoted(_FILLS.get(element.kind, "#ffffff")),
        "tooltip": dot_quoted(element.tooltip), **_marks(element, "#24292f", style),
    }
    if element.kind == "empty":
        attributes["fontcolor"] = dot_quoted(OTHER)
    return f"{'  ' * depth}{dot_quoted(element.id)} [{_attributes(attributes)}];"


def _element_lines(element: Element, depth: int) -> List[str]:
    # A subnet without instances would be an empty cluster, which Graphviz does not draw: it is a node.
    if element.kind in ("region", "vpc") or (element.kind == "subnet" and element.children):
        return _cluster_lines(element, depth)
    return [_node_line(element, depth)]


def _edge_line(edge: Edge) -> str:
    marked = bool(edge.causes)
    attributes = {
        "id": dot_quoted(edge.id), "class": dot_quoted(" ".join(edge.kinds + (["broken"] if marked else []))),
        "color": dot_quoted(edge.color), "penwidth": str(edge.penwidth), "arrowhead": edge.arrow,
        "style": dot_quoted("dashed" if marked else edge.style),
        "tooltip": dot_quoted("; ".join(edge.causes) if marked else edge.description or edge.label or edge.id),
    }
    if edge.label or marked:
        attributes["label"] = f"<{dot_html_text(('✗ ' if marked else '') + edge.label)}>"
        attributes["fontcolor"] = dot_quoted(BROKEN if marked else edge.color if edge.color != LINE else "#24292f")
        attributes["labeltooltip"] = attributes["tooltip"]
    return f"  {dot_quoted(edge.tail)} -> {dot_quoted(edge.head)} [{_attributes(attributes)}];"


def dot(model: Topology) -> str:
    """The topology as a Graphviz digraph, left to right, each region a cluster."""
    lines = [
        "digraph lab_topology {",
        '  graph [id="topology", class="topology", rankdir=LR, newrank=true, nodesep=0.25, ranksep=0.55, '
        f'fontname="Helvetica", fontsize=12, labelloc=t, label={_html_label(model.summary, [], False)}];',
        '  node [fontname="Helvetica", fontsize=10, margin="0.12,0.05"];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    for region in model.regions:
        lines += _element_lines(region, 1)
    lines += [_edge_line(edge) for edge in model.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"
