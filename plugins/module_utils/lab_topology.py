# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab's topology from live state: a model of what AWS's API says (role hybridlab.aws.status),
which lab_topology_dot.py writes as Graphviz DOT text and lab_topology_page.py puts, as the SVG
Graphviz draws from it, in a self-contained HTML page.

The model holds each region's VPCs with their subnets, instances and route tables, the virtual
private and customer gateways, the transit gateways with their attachments and route tables,
each VPN connection's tunnels, the ping path from the customer gateway's side to the far side,
and the causes a failed verification named (the newest record of each host, written by role
hybridlab.aws.verify), matched against what each element is named by.

Element ids: every node, edge and cluster carries a stable DOT ``id`` (Graphviz writes it as the
SVG element's id) and ``class`` (added to the SVG element's classes), so a page or a test finds
it without knowing the layout:

  region-<region>            a region's cluster
  vpc-<cidr>                 a VPC's cluster, the CIDR's '/' as '-' (vpc-10.60.0.0-16)
  subnet-<cidr>              a subnet: a cluster holding its instances, or a node when it holds none
  instance-<Name>            an instance (instance-IDC-CGW)
  rt-<Name>                  a VPC route table (rt-AWS-PublicRT)
  vgw-<Name>, cgw-<Name>     the virtual private gateway, the customer gateway
  tgw-<Name>                 a transit gateway; tgw-rt-<Name> one of its route tables
  attachment-<Name>          a transit gateway's VPC or VPN attachment
  tunnel-<n>                 Tunnel<n> of the lab's VPN connection; tunnel-<vpn id>-<n> when the lab has several
  peering-<attachment id>    the peering between two transit gateways
  path-<n>                   the n-th hop of the ping path
  empty-<vpc id>             the note standing in a VPC without subnets (Graphviz draws no empty cluster)
  <cgw>-is-<instance>, <attachment>-to-<tgw>, <tgw-rt>-of-<tgw>
                             the links of a customer gateway to its instance, an attachment to its
                             gateway, a gateway's route table to it (each end by its id above)

A Name that is missing or holds anything but letters, digits, '.', '_' and '-' gives way to the
resource's id; an id already taken gets the resource's id appended. The classes: the element's
kind (region, vpc, subnet, instance, route-table, vgw, cgw, tgw, tgw-route-table, attachment,
cgw-link, tunnel, peering, path), a tunnel's state (up, down, unknown) and ``broken`` on what a
failed verification's cause names.
"""

from __future__ import annotations

import datetime
import html
import json
import re
from typing import Any
from typing import Dict
from typing import Iterable
from typing import List
from typing import Mapping
from typing import Optional

from ansible_collections.hybridlab.aws.plugins.module_utils import lab_records
from ansible_collections.hybridlab.aws.plugins.module_utils import reachability

Record = Mapping[str, Any]

# Colours of the picture and its page's legend.
UP = "#1a7f37"
DOWN = "#cf222e"
OTHER = "#8c959f"
PATH = "#0969da"
BROKEN = "#cf222e"
LINE = "#57606a"
PENDING = "#bf8700"

# The states of a gateway or a VPN connection that is on its way out (instances: lab_records).
_GONE = ("deleting", "deleted")
# The VPN template's parameter holding the virtual private gateway's ASN: amazon.aws's
# ec2_vpc_vgw_info leaves AmazonSideAsn out of its records, the stack that made the gateway has it.
_VGW_ASN_PARAMETER = "VgwAsn"
# XML 1.0 forbids these characters; a tag value could hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ID_SAFE = re.compile(r"^[A-Za-z0-9._-]+$")


class TopologyError(ValueError):
    """Records the topology cannot be drawn from."""


# --- Text ---------------------------------------------------------------------------------------


def clean(text: Any) -> str:
    """``text`` on one line: control characters dropped, whitespace collapsed."""
    return " ".join(_CONTROL.sub("", "" if text is None else str(text)).split())


def dot_quoted(text: Any) -> str:
    """``text`` as a DOT double-quoted string, its backslashes and quotes escaped."""
    return '"' + clean(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot_html_text(text: Any) -> str:
    """``text`` as the text of a DOT HTML-like label: Graphviz reads it as XML, then expands its backslash
    sequences (\\N, the node's name; \\l, a line break) as in a quoted string, so a backslash is doubled."""
    return html.escape(clean(text), quote=False).replace("\\", "\\\\")


def page_text(text: Any) -> str:
    """``text`` for the HTML page, in text or in an attribute's value."""
    return html.escape(clean(text), quote=True)


def names(text: str, token: str) -> bool:
    """Whether the sentence ``text`` names ``token`` as a whole word: IDC-CGW in "IDC-CGW's", not in
    "IDC-CGW-SG"; 203.0.113.1 at a sentence's end, not in 203.0.113.12."""
    pattern = r"(?<![\w.-])" + re.escape(token) + r"(?![\w-]|\.\w)"
    return re.search(pattern, text) is not None


# --- The model ----------------------------------------------------------------------------------


class Element:
    """A node or cluster: how it is drawn (title, lines), what a cause may name it by (tokens)."""

    def __init__(self, element_id: str, kind: str, title: str, lines: Iterable[Any] = (), tokens: Iterable[Any] = (),
                 record: Optional[Record] = None):
        self.id = element_id
        self.kind = kind
        self.title = clean(title)
        self.lines = [clean(line) for line in lines if clean(line)]
        self.tokens = {clean(token) for token in tokens if len(clean(token)) >= 3}
        self.causes: List[str] = []
        self.children: List[Element] = []
        # The record it was drawn from, for the path's routes.
        self.record: Record = record or {}

    @property
    def tooltip(self) -> str:
        return "; ".join(self.causes) if self.causes else " ".join([self.title] + self.lines)


class Edge:
    """An edge: its ends, its words and look, and what a cause may name it by."""

    def __init__(self, edge_id: str, kinds: Iterable[str], tail: str, head: str, label: str = "", **look: Any):
        self.id = edge_id
        self.kinds = list(kinds)
        self.tail = tail
        self.head = head
        self.label = clean(label)
        self.color = look.get("color", LINE)
        self.style = look.get("style", "solid")
        self.penwidth = look.get("penwidth", 1)
        self.arrow = look.get("arrow", "normal")
        self.tokens = {clean(token) for token in look.get("tokens", ()) if len(clean(token)) >= 3}
        self.description = clean(look.get("description", label))
        self.causes: List[str] = []


class Topology:
    """The lab's topology: clusters and nodes per region, edges, the ping paths, the verifications."""

    def __init__(self, summary: str):
        self.summary = summary
        self.regions: List[Element] = []
        self.edges: List[Edge] = []
        self.paths: List[Dict[str, Any]] = []
        self.failed: List[Record] = []
        self.passed: List[Record] = []
        self._ids: set = set()
        self.by_resource: Dict[str, Element] = {}

    def new_id(self, prefix: str, name: Any, resource_id: Any) -> str:
        """A unique element id from the Name (or, failing that, the resource id)."""
        name, resource_id = clean(name), clean(resource_id)
        base = f"{prefix}-{name if name and _ID_SAFE.match(name) else resource_id or 'unnamed'}"
        candidate = base
        if candidate in self._ids and resource_id and _ID_SAFE.match(resource_id):
            candidate = f"{base}-{resource_id}"
        number = 2
        while candidate in self._ids:
            candidate = f"{base}-{number}"
            number += 1
        self._ids.add(candidate)
        return candidate

    def elements(self) -> List[Element]:
        found: List[Element] = []
        pending = list(self.regions)
        while pending:
            element = pending.pop(0)
            found.append(element)
            pending.extend(element.children)
        return found


def _name(record: Record) -> str:
    return clean(lab_records.tags(record).get("Name"))


def _results(records: Record, key: str) -> List[Record]:
    """The loop results under ``key`` that ran and succeeded."""
    return [
        result for result in records.get(key) or []
        if isinstance(result, Mapping) and not result.get("skipped") and not result.get("failed")
    ]


def _per_region(records: Record, key: str, field: str) -> Dict[str, List[Record]]:
    """The records of a module looped over the regions (``item`` the region), per region."""
    regions: Dict[str, List[Record]] = {}
    for result in _results(records, key):
        regions.setdefault(str(result.get("item")), []).extend(
            record for record in result.get(field) or [] if isinstance(record, Mapping)
        )
    return regions


def _active(route: Record) -> bool:
    return str(route.get("state") or "active").lower() == "active"


def _region_of(result: Record) -> str:
    item = result.get("item")
    return str(item.get("region")) if isinstance(item, Mapping) else ""


# --- Verification records ------------------------------------------------------------------------


def _moment(value: Any) -> Optional[datetime.datetime]:
    try:
        moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def _verify_record(given: Any) -> Optional[Dict[str, Any]]:
    """A verification record (a dict, or its JSON text as the file holds it); None for anything else."""
    if isinstance(given, (str, bytes)):
        try:
            given = json.loads(given)
        except ValueError:
            return None
    if not isinstance(given, Mapping) or not given.get("host") or _moment(given.get("finished")) is None:
        return None
    causes = given.get("causes") if isinstance(given.get("causes"), list) else []
    return {
        "host": clean(given["host"]),
        "passed": given.get("passed") is True,
        "headline": clean(given.get("headline")),
        "causes": [clean(cause) for cause in causes if clean(cause)],
        "finished": clean(given["finished"]),
    }


def newest_records(given: Iterable[Any], built: Optional[datetime.datetime]) -> List[Dict[str, Any]]:
    """Each host's newest verification record, by host; one older than the lab (``built``, when
    its oldest stack was created) describes a lab that is gone and is left out."""
    newest: Dict[str, Dict[str, Any]] = {}
    for record in filter(None, (_verify_record(item) for item in given or [])):
        finished = _moment(record["finished"])
        if built is not None and finished < built:
            continue
        known = newest.get(record["host"])
        if known is None or finished > _moment(known["finished"]):
            newest[record["host"]] = record
    return [newest[host] for host in sorted(newest)]


def _built(status: Record) -> Optional[datetime.datetime]:
    moments = [_moment(stack.get("created")) for stack in status.get("stacks") or [] if stack.get("created")]
    moments = [moment for moment in moments if moment is not None]
    return min(moments) if moments else None


# --- Building the model ----------------------------------------------------------------------------


class _Builder:
    """Builds a Topology from the records, region by region, then the VPNs, the paths and the marks."""

    def __init__(self, records: Record):
        status = records.get("status") if isinstance(records.get("status"), Mapping) else {}
        self.topology = Topology(clean(status.get("summary")) or "the lab's topology")
        self.found = records["found"]
        self.subnets = _per_region(records, "subnets", "subnets")
        self.tables = _per_region(records, "route_tables", "route_tables")
        self.vpns = _results(records, "vpn_connections")
        self.gateways = _results(records, "transit_gateways")
        self.instances = {
            region: [record for record in (kinds or {}).get("instances") or []
                     if (record.get("state") or {}).get("name") in lab_records.LIVE_INSTANCE_STATES]
            for region, kinds in self.found.items()
        }
        self.records = newest_records(records.get("verify") or [], _built(status))
        self.path_number = 0

    def build(self) -> Topology:
        for region in self.found:
            self._region(region)
        for gateway in self.gateways:
            self._transit_gateway_attachments(gateway)
        self._peerings()
        single = len(self.vpns) == 1
        for vpn in self.vpns:
            self._vpn(vpn, single)
        self._mark()
        return self.topology

    # Elements -------------------------------------------------------------------------------------

    def _add(self, parent: Element, element: Element, *resource_ids: Any) -> Element:
        parent.children.append(element)
        for resource_id in resource_ids:
            if resource_id:
                self.topology.by_resource[str(resource_id)] = element
        return element

    def _region(self, region: str) -> None:
        kinds = self.found.get(region) or {}
        vpcs = kinds.get("vpcs") or []
        gateways = [gateway for gateway in self.gateways if _region_of(gateway) == region]
        if not vpcs and not gateways and not self.instances.get(region):
            return
        cluster = Element(self.topology.new_id("region", region, region), "region", region)
        self.topology.regions.append(cluster)
        for vpc in sorted(vpcs, key=lambda record: str(record.get("cidr_block"))):
            self._vpc(cluster, region, vpc)
        # An instance of the lab in a VPC that is not (no longer tagged, or read): in its region.
        for instance in self.instances.get(region, []):
            if str(instance.get("instance_id")) not in self.topology.by_resource:
                self._instance(cluster, instance)
        for vgw in kinds.get("vpn_gateways") or []:
            if vgw.get("state") not in _GONE:
                self._vgw(cluster, region, vgw)
        for cgw in kinds.get("customer_gateways") or []:
            if cgw.get("state") not in _GONE:
                self._add(cluster, self._cgw(cgw), cgw.get("customer_gateway_id"))
        for gateway in gateways:
            self._transit_gateway(cluster, gateway)

    def _vpc(self, region_cluster: Element, region: str, vpc: Record) -> None:
        vpc_id, cidr = vpc.get("vpc_id"), clean(vpc.get("cidr_block"))
        name = _name(vpc) or vpc_id
        element = Element(
            self.topology.new_id("vpc", cidr.replace("/", "-"), vpc_id), "vpc", f"{name} {cidr}", [vpc_id],
            [name, vpc_id], vpc,
        )
        self._add(region_cluster, element, vpc_id)
        subnets = [subnet for subnet in self.subnets.get(region, []) if subnet.get("vpc_id") == vpc_id]
        for subnet in sorted(subnets, key=lambda record: str(record.get("cidr_block"))):
            self._subnet(element, region, subnet)
        known = {subnet.get("subnet_id") for subnet in subnets}
        for instance in self.instances.get(region, []):
            if instance.get("vpc_id") == vpc_id and instance.get("subnet_id") not in known:
                self._instance(element, instance)
        for table in self.tables.get(region, []):
            if table.get("vpc_id") == vpc_id:
                self._route_table(element, table, subnets)
        if not element.children:
            self._add(element, Element(self.topology.new_id("empty", vpc_id, vpc_id), "empty", "no subnets"))

    def _subnet(self, vpc: Element, region: str, subnet: Record) -> None:
        subnet_id, cidr = subnet.get("subnet_id"), clean(subnet.get("cidr_block"))
        name = _name(subnet) or subnet_id
        element = Element(
            self.topology.new_id("subnet", cidr.replace("/", "-"), subnet_id), "subnet", f"{name} {cidr}",
            [subnet_id], [name, subnet_id],
        )
        self._add(vpc, element, subnet_id)
        for instance in self.instances.get(region, []):
            if instance.get("subnet_id") == subnet_id:
                self._instance(element, instance)

    def _instance(self, parent: Element, instance: Record) -> None:
        instance_id = instance.get("instance_id")
        name = _name(instance) or instance_id
        state = (instance.get("state") or {}).get("name")
        lines = [instance_id, instance.get("private_ip_address")]
        if instance.get("public_ip_address"):
            lines.append(f"public {instance['public_ip_address']}")
        if state != "running":
            lines.append(str(state))
        # A cause names an instance, or one of its security groups by name or id.
        groups = [value for group in instance.get("security_groups") or []
                  for value in (group.get("group_id"), group.get("group_name"))]
        interfaces = [interface.get("network_interface_id") for interface in instance.get("network_interfaces") or []]
        element = Element(
            self.topology.new_id("instance", name, instance_id), "instance", name, lines,
            [name, instance_id] + groups + interfaces, instance,
        )
        self._add(parent, element, instance_id, *interfaces)

    def _route_table(self, vpc: Element, table: Record, subnets: List[Record]) -> None:
        table_id = table.get("route_table_id") or table.get("id")
        name = _name(table) or table_id
        served = {association.get("subnet_id") for association in table.get("associations") or []}
        subnet_names = [_name(subnet) or subnet.get("subnet_id") for subnet in subnets
                        if subnet.get("subnet_id") in served]
        main = any(association.get("main") for association in table.get("associations") or [])
        lines = [table_id]
        if subnet_names or main:
            lines.append("for " + ", ".join(subnet_names + (["the VPC (main)"] if main else [])))
        lines += [self._route_words(route) for route in table.get("routes") or [] if route.get("gateway_id") != "local"]
        element = Element(self.topology.new_id("rt", name, table_id), "route-table", name, lines, [name, table_id],
                          table)
        self._add(vpc, element, table_id)

    def _route_words(self, route: Record) -> str:
        target = reachability.route_target(route)
        known = self.topology.by_resource.get(target)
        shown = f"{known.title} ({target})" if known is not None and known.kind == "instance" else target
        state = str(route.get("state") or "active").lower()
        words = f"{route.get('destination_cidr_block')} → {shown or '?'}"
        return words if state == "active" else f"{words} ({state})"

    def _vgw(self, region_cluster: Element, region: str, vgw: Record) -> None:
        vgw_id = vgw.get("vpn_gateway_id")
        name = _name(vgw) or vgw_id
        attached = [attachment.get("vpc_id") for attachment in vgw.get("vpc_attachments") or []
                    if attachment.get("state") in ("attaching", "attached")]
        stack = ((self.found.get(region) or {}).get("stacks") or {}).get(lab_records.tags(vgw).get(lab_records.OWNER_TAG)) or {}
        asn = (stack.get("stack_parameters") or {}).get(_VGW_ASN_PARAMETER)
        lines = [vgw_id] + ([f"Amazon-side ASN {asn}"] if asn else []) + ([] if attached else ["not attached"])
        element = Element(self.topology.new_id("vgw", name, vgw_id), "vgw", name, lines, [name, vgw_id], vgw)
        parent = self.topology.by_resource.get(str(attached[0])) if attached else None
        self._add(parent or region_cluster, element, vgw_id)

    def _cgw(self, cgw: Record) -> Element:
        cgw_id = cgw.get("customer_gateway_id")
        name = _name(cgw) or cgw_id
        lines = [cgw_id, f"BGP ASN {cgw.get('bgp_asn')}", f"IP {cgw.get('ip_address')}"]
        return Element(self.topology.new_id("cgw", name, cgw_id), "cgw", name, lines, [name, cgw_id], cgw)

    def _transit_gateway(self, region_cluster: Element, gateway: Record) -> None:
        gateway_id = gateway.get("transit_gateway_id")
        name = clean(gateway.get("name")) or gateway_id
        lines = [gateway_id, f"ASN {gateway.get('amazon_side_asn')}"]
        if gateway.get("state") != "available":
            lines.append(str(gateway.get("state")))
        # A cause naming one of its route tables by id alone points at the gateway too.
        tables = gateway.get("route_tables") or []
        element = Element(
            self.topology.new_id("tgw", name, gateway_id), "tgw", name, lines,
            [name, gateway_id] + [table.get("transit_gateway_route_table_id") for table in tables],
        )
        self._add(region_cluster, element, gateway_id)
        for table in tables:
            self._transit_gateway_table(region_cluster, element, table)

    def _transit_gateway_table(self, region_cluster: Element, gateway: Element, table: Record) -> None:
        table_id = table.get("transit_gateway_route_table_id")
        name = clean(table.get("name")) or table_id
        lines = [table_id] + [
            f"{route.get('destination_cidr_block')} → {self._attachment_words(route)}"
            + ("" if route.get("state") == "active" else f" ({route.get('state')})")
            for route in table.get("routes") or []
        ]
        element = Element(self.topology.new_id("tgw-rt", name, table_id), "tgw-route-table", name, lines,
                          [name, table_id])
        self._add(region_cluster, element, table_id)
        self.topology.edges.append(Edge(f"{element.id}-of-{gateway.id}", ["tgw-route-table-link"], gateway.id,
                                        element.id, style="dotted", arrow="none"))

    def _attachment_words(self, route: Record) -> str:
        """Where a gateway route leads: the attachment's type and Name (else what it attaches)."""
        attachment_id = route.get("transit_gateway_attachment_id")
        if not attachment_id:
            return "nothing"
        named = next((clean(attachment.get("name")) for gateway in self.gateways
                      for attachment in gateway.get("attachments") or []
                      if attachment.get("transit_gateway_attachment_id") == attachment_id), "")
        return f"{route.get('resource_type')} {named or route.get('resource_id')}"

    def _transit_gateway_attachments(self, gateway: Record) -> None:
        """Each VPC or VPN attachment as a node (in its VPC's cluster, or its region's) linked to the gateway."""
        hub = self.topology.by_resource.get(str(gateway.get("transit_gateway_id")))
        region_cluster = next((region for region in self.topology.regions if hub in region.children), None)
        if hub is None or region_cluster is None:
            return
        for attachment in gateway.get("attachments") or []:
            if attachment.get("resource_type") not in ("vpc", "vpn"):
                continue
            attachment_id = attachment.get("transit_gateway_attachment_id")
            name = clean(attachment.get("name")) or attachment_id
            lines = [attachment_id, f"{attachment.get('resource_type')} {attachment.get('resource_id')}"]
            if not attachment.get("associated_route_table_id"):
                lines.append("associated with no route table")
            element = Element(self.topology.new_id("attachment", name, attachment_id), "attachment", name, lines,
                              [name, attachment_id])
            vpc = self.topology.by_resource.get(str(attachment.get("resource_id")))
            parent = vpc if vpc is not None and vpc.kind == "vpc" else region_cluster
            self._add(parent, element, attachment_id)
            available = attachment.get("state") == "available"
            self.topology.edges.append(Edge(
                f"{element.id}-to-{hub.id}", ["attachment-link"], element.id, hub.id, str(attachment.get("state")),
                color=LINE if available else PENDING, style="solid" if available else "dashed",
            ))

    def _peerings(self) -> None:
        """One edge per peering attachment, between the two gateways (or to the peer's id, when it is not read)."""
        drawn = set()
        for gateway in self.gateways:
            hub = self.topology.by_resource.get(str(gateway.get("transit_gateway_id")))
            for attachment in gateway.get("attachments") or []:
                attachment_id = attachment.get("transit_gateway_attachment_id")
                if attachment.get("resource_type") != "peering" or hub is None or attachment_id in drawn:
                    continue
                drawn.add(attachment_id)
                peer = self.topology.by_resource.get(str(attachment.get("resource_id")))
                if peer is None:
                    region_cluster = next(region for region in self.topology.regions if hub in region.children)
                    peer = self._add(region_cluster, Element(
                        self.topology.new_id("tgw", None, attachment.get("resource_id")), "tgw",
                        str(attachment.get("resource_id")), ["the peer, not read"],
                    ), attachment.get("resource_id"))
                name = clean(attachment.get("name")) or attachment_id
                available = attachment.get("state") == "available"
                self.topology.edges.append(Edge(
                    self.topology.new_id("peering", None, attachment_id), ["peering"], hub.id, peer.id,
                    f"{name} ({attachment.get('state')})", color=LINE if available else PENDING,
                    style="bold" if available else "dashed", arrow="none", tokens=[name, attachment_id],
                ))

    # VPN connections, tunnels and the ping path -----------------------------------------------------

    def _vpn(self, vpn: Record, single: bool) -> None:
        region = _region_of(vpn)
        region_cluster = next((cluster for cluster in self.topology.regions if cluster.title == region), None)
        if region_cluster is None:
            return
        host = self._cgw_host(region, vpn.get("customer_gateway_ip"))
        cgw = self.topology.by_resource.get(str(vpn.get("customer_gateway_id")))
        gateway = self._vpn_gateway(region_cluster, vpn)
        side = host or cgw
        if side is None:
            side = self._add(region_cluster, Element(
                self.topology.new_id("cgw", None, vpn.get("customer_gateway_id")), "cgw",
                str(vpn.get("customer_gateway_id")), [f"IP {vpn.get('customer_gateway_ip')}"],
            ), vpn.get("customer_gateway_id"))
        link = f"{cgw.id}-is-{host.id}" if host is not None and cgw is not None else None
        # Two VPN connections may share the customer gateway: one link.
        if link and not any(edge.id == link for edge in self.topology.edges):
            self.topology.edges.append(Edge(
                link, ["cgw-link"], host.id, cgw.id, f"IP {vpn.get('customer_gateway_ip')}", style="dotted",
                arrow="none",
            ))
        tunnels = self._tunnels(vpn, side, gateway, single)
        if host is not None:
            self._path(region, host, gateway, tunnels, vpn)

    def _cgw_host(self, region: str, address: Any) -> Optional[Element]:
        """The instance behind the customer gateway's address (IDC-CGW, by its Elastic IP)."""
        for instance in self.instances.get(region, []):
            if address and instance.get("public_ip_address") == address:
                return self.topology.by_resource.get(str(instance.get("instance_id")))
        return None

    def _vpn_gateway(self, region_cluster: Element, vpn: Record) -> Element:
        """Where the tunnels end: the virtual private gateway, or the transit gateway's VPN attachment."""
        if vpn.get("vpn_gateway_id"):
            resource_id, kind = str(vpn["vpn_gateway_id"]), "vgw"
        else:
            resource_id, kind = str(vpn.get("transit_gateway_id")), "tgw"
            for gateway in self.gateways:
                for attachment in gateway.get("attachments") or []:
                    if attachment.get("resource_id") == vpn.get("vpn_connection_id"):
                        resource_id, kind = str(attachment.get("transit_gateway_attachment_id")), "attachment"
        known = self.topology.by_resource.get(resource_id)
        if known is not None:
            return known
        return self._add(region_cluster, Element(self.topology.new_id(kind, None, resource_id), kind, resource_id),
                         resource_id)

    def _tunnels(self, vpn: Record, side: Element, gateway: Element, single: bool) -> List[Edge]:
        vpn_id = clean(vpn.get("vpn_connection_id"))
        edges = []
        for number, tunnel in enumerate(vpn.get("tunnels") or [], start=1):
            status = clean(tunnel.get("status")).upper() or "UNKNOWN"
            state = {"UP": "up", "DOWN": "down"}.get(status, "unknown")
            outside = clean(tunnel.get("outside_ip"))
            since = f" since {tunnel['last_status_change']}" if tunnel.get("last_status_change") else ""
            message = f", {tunnel['status_message']}" if tunnel.get("status_message") else ""
            edge = Edge(
                f"tunnel-{number}" if single else f"tunnel-{vpn_id}-{number}", ["tunnel", state], side.id, gateway.id,
                f"Tunnel{number} {outside} {status}",
                color={"up": UP, "down": DOWN}.get(state, OTHER), penwidth=2.5 if state == "up" else 1.5,
                # A single connection's sentences say "Tunnel1"; with several, only the outside IP tells them apart.
                tokens=[outside] + ([f"Tunnel{number}"] if single else []),
                description=f"{vpn_id} Tunnel{number} {outside} inside {tunnel.get('inside_cidr')}: "
                            f"{status}{since}{message}",
            )
            self.topology.edges.append(edge)
            edges.append(edge)
        return edges

    def _path_edge(self, tail: Element, head: Element, label: str, broken: bool) -> None:
        if any(edge.tail == tail.id and edge.head == head.id and "path" in edge.kinds for edge in self.topology.edges):
            return
        self.path_number += 1
        self.topology.edges.append(Edge(
            f"path-{self.path_number}", ["path"] + (["broken"] if broken else []), tail.id, head.id,
            ("✗ " if broken else "") + label, color=BROKEN if broken else PATH,
            style="dashed" if broken else "bold", penwidth=2 if broken else 3,
        ))

    def _path(self, region: str, host: Element, gateway: Element, tunnels: List[Edge], vpn: Record) -> None:
        """The ping's way from each host behind the customer gateway to each host of the far side, hop by hop:
        the host, its subnet's route table, the gateway host, the tunnels, the virtual private gateway, the route
        table of the far host's subnet, the far host. A hop no route makes is drawn broken. Behind a transit
        gateway the way ends at its VPN attachment: the attachments and the gateway's tables show the rest."""
        tables = self.tables.get(region, [])
        sources = [instance for instance in self.instances.get(region, [])
                   if instance.get("vpc_id") == host.record.get("vpc_id") and instance is not host.record]
        targets = self._far_hosts(region, gateway)
        middle = [host.id] + [edge.id for edge in tunnels] + [gateway.id]
        for source in sorted(sources, key=_name):
            start = self.topology.by_resource[str(source.get("instance_id"))]
            there = self._way_there(start, host, targets[0] if targets else None, tables)
            for target in targets or [None]:
                back = self._way_back(target, gateway, source, tables) if target is not None else []
                self.topology.paths.append({"vpn": clean(vpn.get("vpn_connection_id")), "hops": there + middle + back})
        for edge in tunnels:
            edge.kinds.append("on-path")

    def _way_there(self, start: Element, host: Element, far: Optional[Element], tables: List[Record]) -> List[str]:
        table = self._table_of(start.record, tables)
        if table is None:
            self._path_edge(start, host, "uses none of the lab's route tables", True)
            return [start.id]
        self._path_edge(start, table, "", False)
        words, broken = self._route_there(table.record, host, far)
        self._path_edge(table, host, words, broken)
        return [start.id, table.id]

    def _way_back(self, target: Element, gateway: Element, source: Record, tables: List[Record]) -> List[str]:
        table = self._table_of(target.record, tables)
        if table is None:
            self._path_edge(gateway, target, "uses none of the lab's route tables", True)
            return [target.id]
        words, broken = self._route_back(table.record, gateway, source)
        self._path_edge(gateway, table, words, broken)
        self._path_edge(table, target, "", False)
        return [table.id, target.id]

    def _far_hosts(self, region: str, gateway: Element) -> List[Element]:
        """The hosts of the VPC the virtual private gateway is attached to (none for a transit gateway)."""
        vpc = next((element for element in self.topology.elements() if gateway in element.children), None)
        if gateway.kind != "vgw" or vpc is None or vpc.kind != "vpc":
            return []
        return [
            self.topology.by_resource[str(instance.get("instance_id"))]
            for instance in sorted(self.instances.get(region, []), key=_name)
            if instance.get("vpc_id") == vpc.record.get("vpc_id")
        ]

    def _table_of(self, instance: Record, tables: List[Record]) -> Optional[Element]:
        table = reachability.subnet_table(instance, tables)
        return self.topology.by_resource.get(str(table.get("route_table_id") or table.get("id"))) if table else None

    @staticmethod
    def _route_there(table: Record, host: Element, far: Optional[Element]):
        """The route the source's table takes towards the far host (or, with none, any route to the gateway host)."""
        targets = {host.record.get("instance_id")} | {
            interface.get("network_interface_id") for interface in host.record.get("network_interfaces") or []
        }
        routes = [route for route in table.get("routes") or [] if route.get("gateway_id") != "local"]
        if far is not None:
            chosen = reachability.route_to(routes, reachability.address(far.record.get("private_ip_address")))
            routes = [chosen[0]] if chosen else []
        good = [route for route in routes if reachability.route_target(route) in targets and _active(route)]
        if good:
            return f"{good[0].get('destination_cidr_block')} → {host.title}", False
        toward = far.record.get("private_ip_address") if far is not None else "the far side"
        return f"no active route to {toward} via {host.title}", True

    @staticmethod
    def _route_back(table: Record, gateway: Element, source: Record):
        """The route the far host's table takes back to the source: it must lead to the virtual private gateway."""
        chosen = reachability.route_to(table.get("routes"), reachability.address(source.get("private_ip_address")))
        route = chosen[0] if chosen else {}
        if reachability.route_target(route) == gateway.record.get("vpn_gateway_id") and _active(route):
            return f"{route.get('destination_cidr_block')} → {gateway.title}", False
        return f"no active route back to {source.get('private_ip_address')} via {gateway.title}", True

    # Causes -----------------------------------------------------------------------------------------

    def _mark(self) -> None:
        """Each element and edge a failed verification's cause names carries that cause."""
        self.topology.failed = [record for record in self.records if not record["passed"]]
        self.topology.passed = [record for record in self.records if record["passed"]]
        causes = [cause for record in self.topology.failed for cause in record["causes"]]
        for marked in self.topology.elements() + self.topology.edges:
            marked.causes = [cause for cause in causes if any(names(cause, token) for token in marked.tokens)]


def topology(records: Any) -> Topology:
    """The lab's topology from the status role's records (documented in plugins/filter/lab_topology_dot.yml)."""
    if not isinstance(records, Mapping) or not isinstance(records.get("found"), Mapping):
        raise TopologyError("expects a dict of the status role's records with 'found' (the fact audit_found)")
    return _Builder(records).build()
