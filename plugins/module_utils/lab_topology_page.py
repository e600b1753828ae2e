# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The self-contained HTML page of the lab's topology: the SVG Graphviz drew from the DOT text
(module_utils/lab_topology_dot.py) inline, the summary, the ping path in words, a legend and the
causes of the verifications, with inline CSS only and nothing fetched."""

from __future__ import annotations

from typing import Any
from typing import List

from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import BROKEN
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import DOWN
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import Edge
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import OTHER
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import PATH
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import UP
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import Topology
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import TopologyError
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_topology import page_text

_STYLE = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #24292f; margin: 1.5rem; }
h1 { font-size: 1.2rem; margin: 0 0 .5rem; }
h2 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
.picture { overflow: auto; border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem; background: #fff; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1.2rem; font-size: .9rem; }
.swatch { display: inline-block; width: 2.2rem; height: 0; vertical-align: middle; margin-right: .4rem; }
.swatch.up { border-top: 3px solid %(up)s; }
.swatch.down { border-top: 3px solid %(down)s; }
.swatch.other { border-top: 3px solid %(other)s; }
.swatch.path { border-top: 4px solid %(path)s; }
.swatch.broken { border-top: 3px dashed %(broken)s; }
.causes li { margin: .2rem 0; }
.failed { color: %(broken)s; }
.passed { color: %(up)s; }
.path-words { font-size: .9rem; }
"""


def _svg_body(svg: Any) -> str:
    """The SVG from its <svg> element on: the XML declaration, doctype and comments before it do not belong
    inside an HTML page."""
    text = str(svg or "")
    start = text.find("<svg")
    if start < 0:
        raise TopologyError("the picture is not an SVG document (no <svg> element)")
    return text[start:].strip()


def _path_words(model: Topology) -> List[str]:
    found = {element.id: element for element in model.elements()}
    found.update({edge.id: edge for edge in model.edges})
    sentences = []
    for path in model.paths:
        words = []
        for hop in path["hops"]:
            known = found.get(hop)
            if isinstance(known, Edge):
                if "tunnel" in known.kinds and words and words[-1].startswith("Tunnel"):
                    words[-1] += " / " + known.label
                    continue
                words.append(known.label)
            elif known is not None:
                words.append(known.title)
        sentences.append(" → ".join(words))
    return sentences


def _records_html(model: Topology) -> List[str]:
    parts = []
    if model.failed:
        parts.append('<h2 class="failed">Failed verification: where the path breaks</h2>')
        for record in model.failed:
            parts.append(f"<p><b>{page_text(record['host'])}</b> ({page_text(record['finished'])}): "
                         f"{page_text(record['headline'])}</p>")
            parts.append('<ul class="causes">' + "".join(
                f"<li>{page_text(cause)}</li>" for cause in record["causes"]) + "</ul>")
    for record in model.passed:
        parts.append(f'<p class="passed">Verified: <b>{page_text(record["host"])}</b> '
                     f"({page_text(record['finished'])}): {page_text(record['headline'])}</p>")
    return parts


def page(model: Topology, svg: Any) -> str:
    """The HTML page: the summary, the picture inline, the legend and the verifications' causes.
    Self-contained: inline CSS, no script, nothing fetched (the icon is an empty data URL)."""
    colours = {"up": UP, "down": DOWN, "other": OTHER, "path": PATH, "broken": BROKEN}
    legend = [
        ("up", "tunnel UP"), ("down", "tunnel DOWN"), ("other", "tunnel state unknown"),
        ("path", "ping path"), ("broken", "✗ named by a failed verification, or a hop no route makes"),
    ]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<link rel="icon" href="data:,">',
        f"<title>{page_text(model.summary)}</title>",
        f"<style>{_STYLE % colours}</style>",
        "</head>",
        "<body>",
        f'<h1 id="summary">{page_text(model.summary)}</h1>',
    ]
    parts += [f'<p class="path-words"><b>Ping path:</b> {page_text(words)}</p>' for words in _path_words(model)]
    parts.append(f'<div class="picture">{_svg_body(svg)}</div>')
    parts.append('<ul class="legend">' + "".join(
        f'<li><span class="swatch {kind}"></span>{page_text(words)}</li>' for kind, words in legend) + "</ul>")
    parts += _records_html(model)
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
