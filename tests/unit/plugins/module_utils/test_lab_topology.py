"""The lab's topology picture from live state: the model's names and CIDRs, the tunnels coloured by
state, the ping path hop by hop, every label escaped for DOT and HTML, what a failed verification's
causes name marked; and Graphviz's dot draws every picture (the SVG is read back to check)."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from ansible.errors import AnsibleFilterError
from ansible.plugins.loader import filter_loader
from ansible_collections.hybridlab.aws.plugins.filter.lab_topology import lab_topology_dot, lab_topology_html
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_topology
from ansible_collections.hybridlab.aws.tests.unit.plugins import topology_lab as lab

SVG = "{http://www.w3.org/2000/svg}"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"


def svg_of(records) -> ET.Element:
    _dot, svg, _html = lab.render(records)
    return ET.fromstring(svg)


def group(svg: ET.Element, element_id: str) -> ET.Element:
    found = [g for g in svg.iter(f"{SVG}g") if g.get("id") == element_id]
    assert len(found) == 1, f"{element_id}: {len(found)} elements"
    return found[0]


def texts(element: ET.Element) -> str:
    return " ".join(text.text or "" for text in element.iter(f"{SVG}text"))


def classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def stroke(edge: ET.Element) -> str:
    return next(edge.iter(f"{SVG}path")).get("stroke")


def ends(edge: ET.Element) -> str:
    """An edge's ends as Graphviz titles it: tail->head."""
    return edge.find(f"{SVG}title").text


def tooltip(element: ET.Element) -> str:
    return " ".join(anchor.get(XLINK_TITLE) or "" for anchor in element.iter(f"{SVG}a"))


def test_vpcs_subnets_instances_and_gateways_are_drawn_with_names_cidrs_and_addresses() -> None:
    svg = svg_of(lab.records())

    assert texts(group(svg, "vpc-10.60.0.0-16")).startswith("IDC-VPC 10.60.0.0/16 vpc-0idc")
    assert texts(group(svg, "vpc-10.50.0.0-16")).startswith("AWS-VPC 10.50.0.0/16 vpc-0aws")
    assert texts(group(svg, "subnet-10.60.0.0-24")).startswith("IDC-PublicSubnet 10.60.0.0/24")
    assert texts(group(svg, "subnet-10.60.1.0-24")).startswith("IDC-PrivateSubnet 10.60.1.0/24")
    assert texts(group(svg, "instance-IDC-CGW")) == f"IDC-CGW i-0cgw 10.60.0.100 public {lab.CGW_PUBLIC_IP}"
    assert texts(group(svg, "instance-IDC-EC2")) == "IDC-EC2 i-0idcec2 10.60.1.100"
    assert texts(group(svg, "instance-AWS-EC2")) == f"AWS-EC2 i-0awsec2 10.50.1.100 public {lab.AWS_EC2_PUBLIC_IP}"
    assert texts(group(svg, "cgw-IDC-VPN-CGW")) == f"IDC-VPN-CGW cgw-0idc BGP ASN 65000 IP {lab.CGW_PUBLIC_IP}"
    assert texts(group(svg, "vgw-AWS-VPNGW")) == "AWS-VPNGW vgw-0aws Amazon-side ASN 64512"
    assert "IDC-PrivateRT rtb-0idcpriv for IDC-PrivateSubnet 10.50.0.0/16 → IDC-CGW (eni-0cgw)" in texts(
        group(svg, "rt-IDC-PrivateRT"))
    assert "10.60.0.0/16 → vgw-0aws" in texts(group(svg, "rt-AWS-PublicRT"))
    # Nothing is in Tokyo: no cluster for it.
    assert not [g for g in svg.iter(f"{SVG}g") if g.get("id") == f"region-{lab.TOKYO}"]


def test_the_dot_text_nests_instances_in_subnets_in_vpcs_in_the_region() -> None:
    model = lab_topology.topology(lab.records())

    [region] = model.regions
    layout = {vpc.title: {child.title: [i.title for i in child.children] for child in vpc.children}
              for vpc in region.children if vpc.kind == "vpc"}
    assert layout["IDC-VPC 10.60.0.0/16"]["IDC-PublicSubnet 10.60.0.0/24"] == ["IDC-CGW"]
    assert layout["IDC-VPC 10.60.0.0/16"]["IDC-PrivateSubnet 10.60.1.0/24"] == ["IDC-EC2"]
    assert layout["AWS-VPC 10.50.0.0/16"]["AWS-PublicSubnet 10.50.1.0/24"] == ["AWS-EC2"]
    assert "AWS-VPNGW" in layout["AWS-VPC 10.50.0.0/16"]


@pytest.mark.parametrize(
    ("statuses", "colours", "states"),
    [
        (("UP", "DOWN"), (lab_topology.UP, lab_topology.DOWN), ("up", "down")),
        (("DOWN", None), (lab_topology.DOWN, lab_topology.OTHER), ("down", "unknown")),
    ],
)
def test_each_tunnel_goes_from_idc_cgw_to_the_vgw_coloured_by_its_state(statuses, colours, states) -> None:
    svg = svg_of(lab.records(statuses))

    for number, (ip, colour, state) in enumerate(zip(lab.TUNNEL_IPS, colours, states), start=1):
        tunnel = group(svg, f"tunnel-{number}")
        assert ends(tunnel) == "instance-IDC-CGW->vgw-AWS-VPNGW"
        assert stroke(tunnel) == colour and {"tunnel", state} <= classes(tunnel)
        assert texts(tunnel).startswith(f"Tunnel{number} {ip} ")


def test_several_vpn_connections_name_their_tunnels_by_connection() -> None:
    records = lab.records()
    second = copy.deepcopy(records["vpn_connections"][0])
    second.update(vpn_connection_id="vpn-0two", item={"name": "hybridlab-vpn", "region": lab.SEOUL, "id": "vpn-0two"})
    records["vpn_connections"].append(second)

    dot = lab_topology_dot(records)

    assert re.findall(r'id="(tunnel-[^"]+)"', dot) == [
        "tunnel-vpn-0lab-1", "tunnel-vpn-0lab-2", "tunnel-vpn-0two-1", "tunnel-vpn-0two-2"]
    # Both connections use the same customer gateway: it is linked to IDC-CGW once.
    assert dot.count('class="cgw-link"') == 1


def test_the_ping_path_runs_hop_by_hop_from_idc_ec2_to_aws_ec2_bold_and_blue() -> None:
    svg = svg_of(lab.records())

    hops = [group(svg, f"path-{number}") for number in range(1, 5)]
    assert [ends(hop) for hop in hops] == [
        "instance-IDC-EC2->rt-IDC-PrivateRT", "rt-IDC-PrivateRT->instance-IDC-CGW",
        "vgw-AWS-VPNGW->rt-AWS-PublicRT", "rt-AWS-PublicRT->instance-AWS-EC2",
    ]
    assert {stroke(hop) for hop in hops} == {lab_topology.PATH}
    assert all(next(hop.iter(f"{SVG}path")).get("stroke-width") == "3" for hop in hops)
    assert texts(hops[1]) == "10.50.0.0/16 → IDC-CGW" and texts(hops[2]) == "10.60.0.0/16 → AWS-VPNGW"
    assert "on-path" in classes(group(svg, "tunnel-1"))


def test_a_hop_no_route_makes_is_drawn_broken() -> None:
    tables = lab.records()["route_tables"][0]["route_tables"][:2] + [lab.aws_route_table(back=False)]
    svg = svg_of(lab.records(tables=tables))

    back = group(svg, "path-3")
    assert "broken" in classes(back) and stroke(back) == lab_topology.BROKEN
    assert next(back.iter(f"{SVG}path")).get("stroke-dasharray")
    assert texts(back) == "✗ no active route back to 10.60.1.100 via AWS-VPNGW"
    assert "broken" not in classes(group(svg, "path-2"))


def test_the_page_says_the_path_in_words() -> None:
    _dot, _svg, page = lab.render(lab.records())

    assert ("Ping path:</b> IDC-EC2 → IDC-PrivateRT → IDC-CGW → Tunnel1 198.51.100.11 UP / Tunnel2 198.51.100.12 "
            "DOWN → AWS-VPNGW → AWS-PublicRT → AWS-EC2") in page


def test_what_a_failed_verification_names_is_marked_with_its_cause() -> None:
    cause = lab.security_group_cause()
    svg = svg_of(lab.failed_lab())

    marked = group(svg, "instance-AWS-EC2")
    assert "broken" in classes(marked)
    assert texts(marked).startswith("✗ AWS-EC2")
    assert tooltip(marked) == cause
    outline = next(marked.iter(f"{SVG}path"))
    assert outline.get("stroke") == lab_topology.BROKEN and outline.get("stroke-dasharray")
    broken = {g.get("id") for g in svg.iter(f"{SVG}g") if "broken" in classes(g)}
    assert broken == {"instance-AWS-EC2"}


def test_the_page_lists_the_failed_verification_s_causes_under_the_picture() -> None:
    _dot, _svg, page = lab.render(lab.failed_lab())

    picture_ends = page.index("</svg>")
    assert page.index("IDC-EC2</b> (2026-12-05T08:20:00Z): IDC-EC2 (10.60.1.100) cannot ping AWS-EC2") > picture_ends
    assert f"<li>{lab_topology.page_text(lab.security_group_cause())}</li>" in page


@pytest.mark.parametrize(
    ("cause", "marked"),
    [
        ("IDC-CGW has source/destination checking on: EC2 drops the packets it forwards", {"instance-IDC-CGW"}),
        ("IDC-CGW-SG is not IDC-CGW", {"instance-IDC-CGW"}),
        ("IDC-CGW-SG and IDC-CGWX name nothing drawn", set()),
        ("AWS-PublicRT (rtb-0awspub), the route table of AWS-EC2's subnet, has no route to 10.60.0.0/16",
         {"rt-AWS-PublicRT", "instance-AWS-EC2"}),
        (f"Both tunnels are DOWN in AWS's telemetry: Tunnel1 {lab.TUNNEL_IPS[0]}; Tunnel2 {lab.TUNNEL_IPS[1]}.",
         {"tunnel-1", "tunnel-2"}),
        ("Tunnel1: pre-shared key mismatch, the IKE authentication failed", {"tunnel-1"}),
        (f"{lab.TUNNEL_IPS[0]}1 is not a tunnel of the lab, nor is Tunnel12", set()),
        ("hybridlab-idc-IdcEc2SecurityGroup-1DEF (sg-0idcec2) allows no ICMP", {"instance-IDC-EC2"}),
        ("vpc-0idc (IDC-EC2's VPC) has no attachment to LAB-TGW", {"vpc-10.60.0.0-16", "instance-IDC-EC2"}),
    ],
)
def test_a_cause_marks_what_it_names_as_a_whole_word(cause: str, marked: set[str]) -> None:
    model = lab_topology.topology(lab.records(verify=[lab.verify_record(False, [cause])]))

    named = {item.id for item in model.elements() + model.edges if item.causes}
    assert named == marked


def test_each_host_s_newest_record_counts_and_one_older_than_the_lab_none() -> None:
    cause = lab.security_group_cause()
    fixed = [lab.verify_record(False, [cause], finished="2026-12-05T08:10:00Z"),
             lab.verify_record(True, [], finished="2026-12-05T08:25:00+00:00")]
    stale = [lab.verify_record(False, [cause], finished="2026-12-04T23:59:00Z")]
    broken_file = ['{"host": "IDC-EC2", "passed": false', "[]", {"host": "IDC-EC2"}]

    for given in (fixed, stale, broken_file):
        model = lab_topology.topology(lab.records(verify=given))
        assert not model.failed and not [item for item in model.elements() + model.edges if item.causes]
    assert [record["host"] for record in lab_topology.topology(lab.records(verify=fixed)).passed] == ["IDC-EC2"]


def test_a_record_is_read_from_its_json_text_as_the_file_holds_it() -> None:
    text = json.dumps(lab.verify_record(False, [lab.security_group_cause()]), indent=4) + "\n"

    model = lab_topology.topology(lab.records(verify=[text]))

    assert [record["host"] for record in model.failed] == ["IDC-EC2"]


def test_every_label_is_escaped_for_dot_and_for_html() -> None:
    hostile = 'IDC "CGW" <b>&amp;</b> \\N {x} ]'
    audit = lab.found()
    audit[lab.SEOUL]["instances"][0]["tags"]["Name"] = hostile
    records = lab.records(audit=audit, verify=[lab.verify_record(False, [f"{hostile} & <script>alert(1)</script>"])])

    dot, svg, page = lab.render(records)

    # A Name that is no safe id gives way to the instance's id; dot reads the label back as it was.
    assert 'id="instance-i-0cgw"' in dot
    assert texts(group(ET.fromstring(svg), "instance-i-0cgw")).startswith(f"✗ {hostile} i-0cgw")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert lab_topology.dot_quoted('a "b" \\c\n d') == '"a \\"b\\" \\\\c d"'
    assert lab_topology.dot_html_text("<B>&</B> \\N") == "&lt;B&gt;&amp;&lt;/B&gt; \\\\N"


def test_the_page_is_self_contained() -> None:
    _dot, svg, page = lab.render(lab.failed_lab())

    assert page.startswith("<!DOCTYPE html>") and "<?xml" not in page and "<!DOCTYPE svg" not in page
    assert '<svg width="' in page and svg[svg.index("<svg"):].strip() in page
    assert not re.search(r"<script|<link(?![^>]*data:)|\bsrc=|@import|url\(", page)
    for kind in ("up", "down", "path", "broken"):
        assert f'<span class="swatch {kind}">' in page


def _gateway(name, gateway_id, region, asn, attachments, tables):
    return {"item": {"name": f"hybridlab-{name.lower()}", "region": region, "id": gateway_id}, "failed": False,
            "transit_gateway_id": gateway_id, "name": name, "state": "available", "amazon_side_asn": asn,
            "attachments": attachments, "route_tables": tables}


def _attachment(name, attachment_id, kind, resource, table="tgw-rtb-0lab"):
    return {"transit_gateway_attachment_id": attachment_id, "name": name, "resource_type": kind,
            "resource_id": resource, "state": "available", "associated_route_table_id": table}


def tgw_records():
    """The TGW labs: LAB-TGW with the IDC-VPC and AWS-VPC as spokes, the IDC's VPN attachment and the peering
    to PEER-TGW in Tokyo (VPCs of the S2S fixture stand in for VPC0-2)."""
    records = lab.records()
    peering = _attachment("LAB-TGW-PEERING", "tgw-attach-0peer", "peering", "tgw-0peer")
    hub = _gateway("LAB-TGW", "tgw-0lab", lab.SEOUL, 64512, [
        _attachment("IDC-VPC-Attachment", "tgw-attach-0idc", "vpc", "vpc-0idc"),
        _attachment("AWS-VPC-Attachment", "tgw-attach-0aws", "vpc", "vpc-0aws"),
        _attachment(None, "tgw-attach-0vpn", "vpn", "vpn-0tgw"), peering,
    ], [{"transit_gateway_route_table_id": "tgw-rtb-0lab", "name": "LAB-TGW-RT", "routes": [
        {"destination_cidr_block": "10.50.0.0/16", "type": "propagated", "state": "active",
         "transit_gateway_attachment_id": "tgw-attach-0aws", "resource_type": "vpc", "resource_id": "vpc-0aws"},
        {"destination_cidr_block": "10.3.0.0/16", "type": "static", "state": "blackhole"},
    ]}])
    peer = _gateway("PEER-TGW", "tgw-0peer", lab.TOKYO, 64513, [{**peering, "resource_id": "tgw-0lab"}], [])
    vpn = copy.deepcopy(records["vpn_connections"][0])
    vpn.update(vpn_connection_id="vpn-0tgw", vpn_gateway_id=None, transit_gateway_id="tgw-0lab")
    records.update(transit_gateways=[hub, peer], vpn_connections=[vpn])
    records["found"][lab.SEOUL]["vpn_gateways"] = []
    return records


def test_the_tgw_labs_show_the_hub_its_spokes_vpn_attachment_and_peering() -> None:
    svg = svg_of(tgw_records())

    assert texts(group(svg, "tgw-LAB-TGW")) == "LAB-TGW tgw-0lab ASN 64512"
    assert texts(group(svg, "tgw-PEER-TGW")) == "PEER-TGW tgw-0peer ASN 64513"
    spoke = group(svg, "attachment-IDC-VPC-Attachment-to-tgw-LAB-TGW")
    assert ends(spoke) == "attachment-IDC-VPC-Attachment->tgw-LAB-TGW"
    assert ends(group(svg, "attachment-tgw-attach-0vpn-to-tgw-LAB-TGW")) == "attachment-tgw-attach-0vpn->tgw-LAB-TGW"
    peering = group(svg, "peering-tgw-attach-0peer")
    assert ends(peering) == "tgw-LAB-TGW->tgw-PEER-TGW" and texts(peering) == "LAB-TGW-PEERING (available)"
    assert ends(group(svg, "tunnel-1")) == "instance-IDC-CGW->attachment-tgw-attach-0vpn"
    assert "10.50.0.0/16 → vpc AWS-VPC-Attachment" in texts(group(svg, "tgw-rt-LAB-TGW-RT"))
    assert "10.3.0.0/16 → nothing (blackhole)" in texts(group(svg, "tgw-rt-LAB-TGW-RT"))
    # The spokes' attachments sit in their VPCs' clusters; PEER-TGW in Tokyo's.
    model = lab_topology.topology(tgw_records())
    clusters = {child.id: parent.id for parent in model.elements() for child in parent.children}
    assert clusters["attachment-IDC-VPC-Attachment"] == "vpc-10.60.0.0-16"
    assert clusters["tgw-PEER-TGW"] == f"region-{lab.TOKYO}"
    # Behind a transit gateway the path ends at the VPN attachment.
    assert [path["hops"][-1] for path in model.paths] == ["attachment-tgw-attach-0vpn"]


def test_a_cause_naming_a_gateway_route_table_marks_its_gateway() -> None:
    cause = ("LAB-TGW-RT of LAB-TGW (ap-northeast-2) routes 10.3.0.0/16 to a blackhole: it drops what it carries; "
             "it needs 10.3.0.0/16 via the attachment towards it")
    records = tgw_records()
    records["verify"] = [lab.verify_record(False, [cause], host="VPC0-EC2")]

    model = lab_topology.topology(records)

    assert {item.id for item in model.elements() + model.edges if item.causes} == {"tgw-LAB-TGW", "tgw-rt-LAB-TGW-RT"}


def test_a_vpc_without_subnets_is_still_drawn() -> None:
    audit = lab.found()
    forgotten = {"vpc_id": "vpc-0left", "cidr_block": "10.99.0.0/16", "tags": {"Name": "FORGOTTEN"}}
    audit[lab.SEOUL]["vpcs"].append(forgotten)

    svg = svg_of(lab.records(audit=audit))

    # Graphviz draws no empty cluster: a note stands in the VPC's.
    assert texts(group(svg, "vpc-10.99.0.0-16")) == "FORGOTTEN 10.99.0.0/16 vpc-0left"
    assert texts(group(svg, "empty-vpc-0left")) == "no subnets"


def test_an_instance_whose_vpc_was_not_read_is_drawn_in_its_region() -> None:
    audit = lab.found()
    audit[lab.SEOUL]["instances"].append(lab.instance("STRAY", "i-0stray", "subnet-0gone", "vpc-0gone", "10.70.0.5"))

    model = lab_topology.topology(lab.records(audit=audit))

    [region] = model.regions
    assert "instance-STRAY" in [child.id for child in region.children]
    assert texts(group(svg_of(lab.records(audit=audit)), "instance-STRAY")) == "STRAY i-0stray 10.70.0.5"


def test_the_filters_load_through_ansible_and_refuse_what_they_cannot_draw() -> None:
    assert filter_loader.get("hybridlab.aws.lab_topology_dot") is not None
    with pytest.raises(AnsibleFilterError, match="lab_topology_dot: expects a dict"):
        lab_topology_dot({"status": {}})
    with pytest.raises(AnsibleFilterError, match="lab_topology_html: the picture is not an SVG"):
        lab_topology_html(lab.records(), "dot: syntax error")


def test_dot_renders_the_picture_without_a_warning() -> None:
    dot = lab_topology_dot(lab.failed_lab())

    drawn = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=True)

    assert drawn.stderr == "" and drawn.stdout.rstrip().endswith("</svg>")
