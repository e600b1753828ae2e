# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters drawing the lab's topology from live state (role hybridlab.aws.status): the Graphviz DOT
text, and the self-contained HTML page around the SVG ``dot -Tsvg`` makes of it. The model is
plugins/module_utils/lab_topology.py's, the DOT lab_topology_dot.py's, the page lab_topology_page.py's."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_topology
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_topology_dot as topology_dot
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_topology_page as topology_page


def _model(name, records):
    try:
        return lab_topology.topology(records)
    except lab_topology.TopologyError as error:
        raise AnsibleFilterError(f"{name}: {error}") from None


def lab_topology_dot(records):
    """The lab's topology as DOT text (documented in lab_topology_dot.yml)."""
    return topology_dot.dot(_model("lab_topology_dot", records))


def lab_topology_html(records, svg):
    """The HTML page showing ``svg`` with the summary, the legend and the causes (lab_topology_html.yml)."""
    model = _model("lab_topology_html", records)
    try:
        return topology_page.page(model, svg)
    except lab_topology.TopologyError as error:
        raise AnsibleFilterError(f"lab_topology_html: {error}") from None


class FilterModule:
    def filters(self):
        return {"lab_topology_dot": lab_topology_dot, "lab_topology_html": lab_topology_html}
