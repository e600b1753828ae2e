"""The S2S VPN lab end to end on the offline twin: build, rerun, replace, tear down.

The tests run in file order against one lab: each builds on the state the previous left.
"""

from __future__ import annotations

import ipaddress
import json
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lab_env import PSKS, Lab

STACKS = ("hybridlab-idc", "hybridlab-aws", "hybridlab-vpn")
LAB_VARS = {"vpn_tunnel_psks": list(PSKS)}
DOC_RANGE = ipaddress.ip_network("203.0.113.0/24")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def built(lab: Lab):
    return lab.playbook("site.yml", LAB_VARS)


def tunnel_info(lab: Lab) -> dict:
    return lab.module(
        "hybridlab.aws.vpn_tunnel_info",
        {"stack_name": "hybridlab-vpn", "include_pre_shared_keys": True, "wait": "outside_ips"},
    )


def test_site_creates_every_stack_complete(lab: Lab, built) -> None:
    cfn = lab.client("cloudformation")
    statuses = {name: cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"] for name in STACKS}
    assert statuses == {name: "CREATE_COMPLETE" for name in STACKS}
    assert lab.client("ec2").describe_vpn_connections()["VpnConnections"], "the VPN stack created no connection"


def test_every_instance_gets_the_lab_s_own_key_pair_kept_private_on_the_controller(lab: Lab, built) -> None:
    ec2 = lab.client("ec2")
    [key_pair] = ec2.describe_key_pairs(KeyNames=["hybridlab-key"], IncludePublicKey=True)["KeyPairs"]
    assert {"Key": "hybridlab:lab", "Value": "hybridlab"} in key_pair["Tags"]
    private_key = Path(lab.env["HYBRIDLAB_STATE_DIR"]) / "hybridlab" / "id_ed25519"
    assert stat.S_IMODE(private_key.stat().st_mode) == 0o600
    assert key_pair["PublicKey"].split()[:2] == private_key.with_suffix(".pub").read_text().split()[:2]
    assert key_pair["PublicKey"].startswith("ssh-ed25519 ")
    live = [{"Name": "instance-state-name", "Values": ["running"]}]
    names = {i.get("KeyName") for r in ec2.describe_instances(Filters=live)["Reservations"] for i in r["Instances"]}
    assert names == {"hybridlab-key"}


def test_tunnel_lookup_gives_two_distinct_documentation_ips_and_the_given_psks(lab: Lab, built) -> None:
    info = tunnel_info(lab)
    outside = [tunnel["outside_ip"] for tunnel in info["tunnels"]]
    assert len(set(outside)) == 2
    assert all(ipaddress.ip_address(ip) in DOC_RANGE for ip in outside)
    assert [tunnel["pre_shared_key"] for tunnel in info["tunnels"]] == list(PSKS)


def test_site_output_never_shows_a_psk(lab: Lab, built) -> None:
    run = lab.playbook("playbooks/tunnels.yml", LAB_VARS, options=("-vvv",))
    for psk in PSKS:
        assert psk not in run.output


def test_rerun_of_site_reports_no_change(lab: Lab, built) -> None:
    run = lab.playbook("site.yml", LAB_VARS)
    recap = run.recap()
    assert recap["changed"] == 0, run.stdout[-4000:]
    assert recap["failed"] == 0


def test_dry_run_of_the_built_lab_reports_no_change(lab: Lab, built) -> None:
    run = lab.playbook("site.yml", LAB_VARS, options=("--check", "--diff"))
    assert run.recap()["changed"] == 0, run.stdout[-4000:]
    for psk in PSKS:
        assert psk not in run.output


def test_vpn_replacement_gives_new_tunnel_ips(lab: Lab, built) -> None:
    before = {tunnel["outside_ip"] for tunnel in tunnel_info(lab)["tunnels"]}
    # Any change of the VPN connection but its tags replaces it, as on AWS.
    lab.playbook("playbooks/stacks.yml", LAB_VARS, {"vpn_tunnel_inside_cidrs": ["169.254.10.0/30", "169.254.11.0/30"]})
    after = tunnel_info(lab)
    assert {tunnel["inside_cidr"] for tunnel in after["tunnels"]} == {"169.254.10.0/30", "169.254.11.0/30"}
    new = {tunnel["outside_ip"] for tunnel in after["tunnels"]}
    assert len(new) == 2 and not new & before


def test_status_shows_the_built_lab_and_names_a_leftover_no_stack_owns(lab: Lab, built) -> None:
    ec2 = lab.client("ec2")
    forgotten = ec2.create_vpc(
        CidrBlock="10.99.0.0/16",
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "hybridlab:lab", "Value": "hybridlab"},
                                                           {"Key": "Name", "Value": "FORGOTTEN"}]}],
    )["Vpc"]["VpcId"]
    try:
        run = lab.playbook("playbooks/status.yml", {"status_format": "json"})
    finally:
        ec2.delete_vpc(VpcId=forgotten)
    path = next(line.split("status: ", 1)[1].strip().strip('"') for line in run.stdout.splitlines() if "status: /" in line)
    status = json.loads(Path(path).read_text())
    assert status["summary"].startswith("lab hybridlab (s2s): degraded: "), status["summary"]
    assert status["summary"].endswith(" USD/h on AWS") and "2 tunnels UP" in status["summary"]
    assert [stack["name"] for stack in status["stacks"]] == list(STACKS)
    [vpn] = status["vpn_connections"]
    assert [ipaddress.ip_address(tunnel["outside_ip"]) in DOC_RANGE for tunnel in vpn["tunnels"]] == [True, True]
    assert {instance["name"] for instance in status["instances"]} == {"IDC-CGW", "IDC-EC2", "AWS-EC2"}
    assert status["cost"]["per_hour"] > 0 and status["cost"]["since_built"] >= status["cost"]["per_hour"]
    assert status["leftovers"] == [f"VPC {forgotten} (FORGOTTEN) in ap-northeast-2"]
    # The same in lines, the summary first, and no PSK in either.
    text = lab.playbook("playbooks/status.yml").stdout
    assert '"lab hybridlab (s2s): degraded: ' in text and "Tunnel1 " in text and "Tunnel2 " in text
    assert not any(psk in text or psk in Path(path).read_text() for psk in PSKS)
    # The same run draws the lab's topology and says where in one line; the instances exist in the API
    # (configured or not), so the picture has them all, in both networks.
    picture = re.search(r"picture: (\S+) \(SVG (\S+)\)", text)
    assert picture, text[-3000:]
    svg = Path(picture.group(2)).read_text()
    # Graphviz writes a '-' in text and ids as a character reference: the SVG is read as XML.
    drawn = ET.fromstring(svg)
    shown = " ".join(text.text or "" for text in drawn.iter(f"{SVG}text"))
    assert all(name in shown for name in ("IDC-CGW", "IDC-EC2", "AWS-EC2", "10.60.0.0/16", "10.50.0.0/16")), shown
    assert {"tunnel-1", "tunnel-2", "instance-IDC-CGW"} <= {group.get("id") for group in drawn.iter(f"{SVG}g")}
    page = Path(picture.group(1)).read_text()
    assert page.startswith("<!DOCTYPE html>") and svg[svg.index("<svg"):].strip() in page
    assert not any(psk in page for psk in PSKS)


def test_an_exercise_on_a_lab_without_configured_instances_is_refused_and_nothing_changes(lab: Lab, built) -> None:
    run = lab.playbook("playbooks/exercise.yml", LAB_VARS, {"exercise": "aws_route_propagation_off"}, check=False)
    assert run.returncode != 0
    assert "Exercises need the lab's instances configured (lab_configure_instances is false)" in run.stdout
    assert run.recap()["changed"] == 0, run.stdout[-3000:]


def test_teardown_leaves_nothing_of_the_lab(lab: Lab, built) -> None:
    ec2 = lab.client("ec2")
    # A key pair of the user's, not imported by the lab, is never touched.
    ec2.create_key_pair(KeyName="operator-key")
    lab.playbook("playbooks/teardown.yml")
    assert [pair["KeyName"] for pair in ec2.describe_key_pairs()["KeyPairs"]] == ["operator-key"]
    ec2.delete_key_pair(KeyName="operator-key")
    lab_filter = [{"Name": "tag:hybridlab:lab", "Values": ["hybridlab"]}]
    assert ec2.describe_vpcs(Filters=lab_filter)["Vpcs"] == []
    live = [{"Name": "instance-state-name", "Values": ["pending", "running", "stopping", "stopped"]}]
    assert ec2.describe_instances(Filters=live)["Reservations"] == []
    assert [v for v in ec2.describe_vpn_connections()["VpnConnections"] if v["State"] != "deleted"] == []
    assert [g for g in ec2.describe_vpn_gateways()["VpnGateways"] if g["State"] != "deleted"] == []
    assert [g for g in ec2.describe_customer_gateways()["CustomerGateways"] if g["State"] != "deleted"] == []
    assert ec2.describe_addresses()["Addresses"] == []
    assert ec2.describe_network_interfaces()["NetworkInterfaces"] == []
    stacks = lab.client("cloudformation").list_stacks()["StackSummaries"]
    assert all(summary["StackStatus"] == "DELETE_COMPLETE" for summary in stacks)
