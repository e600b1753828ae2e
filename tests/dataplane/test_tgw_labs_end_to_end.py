"""All of day two end to end on the twin's data plane: the Transit Gateway labs with real pings.

``site.yml -e lab=tgw_full`` builds the hub and spoke (VPC0-EC2 pings VPC1-EC2 and VPC2-EC2
through LAB-TGW's route table), the VPN attachment (IDC-EC2 pings the three VPCs through
Libreswan on IDC-CGW and the gateway's IPsec endpoints) and the inter-region peering (VPC0-EC2
pings PEER-EC2 through both regions' gateways). Then, on that lab, in file order: a transit
gateway route removed behind CloudFormation's back is named by the verification; each exercise of
the Transit Gateway lab breaks it, is named by its check and undone by its reset; teardown leaves
nothing, in the API or in the guest. (A no-change rerun is tests/integration's, on the API side;
the hosts' side is the openswan role's, proven by the day-one module: a rerun here would add
five minutes of emulated Ansible to CI.) Runs after the day-one
module, on the same twin and guest, which that module's teardown left empty.
"""

from __future__ import annotations

import re

import pytest
from dataplane_helpers import assert_data_plane_emptied, eventually, guest
from exercises import break_it, check_unsolved, exercises_of, reset

from lab_env import PSKS, REGION, Lab

LAB_VARS = {"lab": "tgw_full", "vpn_tunnel_psks": list(PSKS)}
PEER_REGION = "ap-northeast-1"


@pytest.fixture(scope="module")
def built(lab: Lab):
    return lab.playbook("site.yml", LAB_VARS)


def _outputs(lab: Lab, stack: str, region: str = REGION) -> dict[str, str]:
    cfn = lab.client("cloudformation", region)
    return {o["OutputKey"]: o["OutputValue"] for o in cfn.describe_stacks(StackName=stack)["Stacks"][0]["Outputs"]}


def _tgw_vpn_telemetry(lab: Lab) -> set[str]:
    connection_id = _outputs(lab, "hybridlab-tgw-vpn")["VpnConnectionId"]
    (connection,) = lab.client("ec2").describe_vpn_connections(VpnConnectionIds=[connection_id])["VpnConnections"]
    return {t["Status"] for t in connection["VgwTelemetry"]}


def test_site_builds_all_of_day_two_and_every_ping_is_answered(lab: Lab, built) -> None:
    out = built.stdout
    for pattern in (
        r"VPC0-EC2 \(10\.0\.\d+\.\d+\) reaches VPC1-EC2 \(10\.1\.\d+\.\d+\) through the transit gateway: 0% loss",
        r"VPC0-EC2 \(10\.0\.\d+\.\d+\) reaches VPC2-EC2 \(10\.2\.\d+\.\d+\) through the transit gateway: 0% loss",
        r"IDC-EC2 \(10\.60\.1\.100\) reaches VPC0-EC2 \(10\.0\.\d+\.\d+\) through the VPN attachment: 0% loss",
        r"IDC-EC2 \(10\.60\.1\.100\) reaches VPC1-EC2 \(10\.1\.\d+\.\d+\) through the VPN attachment: 0% loss",
        r"IDC-EC2 \(10\.60\.1\.100\) reaches VPC2-EC2 \(10\.2\.\d+\.\d+\) through the VPN attachment: 0% loss",
        r"VPC0-EC2 \(10\.0\.\d+\.\d+\) reaches PEER-EC2 \(10\.3\.\d+\.\d+\) across the inter-region peering: 0% loss",
    ):
        assert re.search(pattern, out), f"{pattern} not in:\n{out[-4000:]}"
    for psk in PSKS:
        assert psk not in built.output
    eventually(lambda: _tgw_vpn_telemetry(lab) == {"UP"}, 120, "both tunnels of the VPN attachment UP in VgwTelemetry")
    tgw = _outputs(lab, "hybridlab-tgw")["TransitGatewayId"]
    states = guest(lab, f"ip netns exec g-{tgw} ip xfrm state")
    assert "proto esp" in states


def test_a_transit_gateway_route_removed_by_hand_is_named_by_the_verification(lab: Lab, built) -> None:
    tables = _outputs(lab, "hybridlab-tgw")["TransitGatewayRouteTableId"]
    peering = _outputs(lab, "hybridlab-tgw-peering")["PeeringAttachmentId"]
    ec2 = lab.client("ec2")
    ec2.delete_transit_gateway_route(TransitGatewayRouteTableId=tables, DestinationCidrBlock="10.3.0.0/16")
    try:
        run = lab.playbook("playbooks/tgw_peering.yml", LAB_VARS, {"verify_retries": 3}, check=False)
        assert run.returncode != 0
        assert "cannot ping PEER-EC2 across the inter-region peering" in run.stdout, run.stdout[-4000:]
        assert re.search(r"LAB-TGW-RT of LAB-TGW \(ap-northeast-2\) has no route to 10\.3\.", run.stdout), run.stdout[-4000:]
    finally:
        ec2.create_transit_gateway_route(
            TransitGatewayRouteTableId=tables, DestinationCidrBlock="10.3.0.0/16", TransitGatewayAttachmentId=peering
        )
    peer_ip = _outputs(lab, "hybridlab-tgw-peer", PEER_REGION)["PeerEc2PrivateIp"]
    mended = eventually(
        lambda: lab.on_host("VPC0-EC2", "ansible.builtin.command", f"ping -c 3 -W 2 {peer_ip}", become=False).returncode == 0,
        180,
        "PEER-EC2 answering again once the route is back",
        every=10,
    )
    assert mended


@pytest.mark.parametrize("name", exercises_of("tgw"))
def test_each_exercise_breaks_the_lab_is_named_by_the_check_and_undone_by_reset(lab: Lab, built, name: str) -> None:
    break_it(lab, name, LAB_VARS)
    check_unsolved(lab, name, LAB_VARS)
    reset(lab, name, LAB_VARS)


def test_teardown_leaves_nothing_in_the_api_or_the_guest(lab: Lab, built) -> None:
    lab.playbook("playbooks/teardown.yml")
    assert_data_plane_emptied(lab)
    for region in (REGION, PEER_REGION):
        ec2 = lab.client("ec2", region)
        assert not [t for t in ec2.describe_transit_gateways()["TransitGateways"] if t["State"] != "deleted"]
