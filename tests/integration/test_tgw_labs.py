"""The Transit Gateway labs on the offline twin, AWS side (the pings are tests/dataplane's):
each lab from site.yml adds its stacks, a rerun changes nothing, and teardown leaves nothing in
either region. The tests run in file order against one twin, each on the state the last left."""

from __future__ import annotations

import pytest

from lab_env import REGION, Lab

PEER_REGION = "ap-northeast-1"
LAB_STACKS = {
    "tgw": {REGION: ["hybridlab-tgw"]},
    "tgw_vpn": {REGION: ["hybridlab-tgw", "hybridlab-idc", "hybridlab-tgw-vpn", "hybridlab-tgw-vpn-routes"]},
    "tgw_peering": {
        REGION: ["hybridlab-tgw", "hybridlab-tgw-peering", "hybridlab-tgw-peering-routes"],
        PEER_REGION: ["hybridlab-tgw-peer", "hybridlab-tgw-peer-routes"],
    },
}


def live_stacks(lab: Lab, region: str) -> dict[str, str]:
    summaries = lab.client("cloudformation", region).list_stacks()["StackSummaries"]
    return {s["StackName"]: s["StackStatus"] for s in summaries if s["StackStatus"] != "DELETE_COMPLETE"}


def tgw_routes(lab: Lab, region: str, table_id: str) -> dict[str, str]:
    ec2 = lab.client("ec2", region)
    routes = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table_id, Filters=[{"Name": "state", "Values": ["active", "blackhole"]}]
    )["Routes"]
    return {r["DestinationCidrBlock"]: r["TransitGatewayAttachments"][0]["ResourceType"] for r in routes if r["State"] == "active"}


def outputs(lab: Lab, region: str, stack: str) -> dict[str, str]:
    described = lab.client("cloudformation", region).describe_stacks(StackName=stack)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def expected_routes(labs: set[str]) -> dict[str, str]:
    routes = {"10.0.0.0/16": "vpc", "10.1.0.0/16": "vpc", "10.2.0.0/16": "vpc"}
    if "tgw_vpn" in labs:
        routes["10.60.0.0/16"] = "vpn"
    if "tgw_peering" in labs:
        routes["10.3.0.0/16"] = "peering"
    return routes


def test_each_lab_adds_its_stacks_to_the_lab_before(lab: Lab) -> None:
    """As a learner goes: lab=tgw, then lab=tgw_vpn, then lab=tgw_peering on the same twin."""
    built: set[str] = set()
    for lab_name in LAB_STACKS:
        lab.playbook("site.yml", {"lab": lab_name})
        built.add(lab_name)
        for region in (REGION, PEER_REGION):
            wanted = {name for done in built for name in LAB_STACKS[done].get(region, [])}
            assert live_stacks(lab, region) == {name: "CREATE_COMPLETE" for name in wanted}
        tgw = outputs(lab, REGION, "hybridlab-tgw")
        assert tgw_routes(lab, REGION, tgw["TransitGatewayRouteTableId"]) == expected_routes(built)
    peer = outputs(lab, PEER_REGION, "hybridlab-tgw-peer")
    assert tgw_routes(lab, PEER_REGION, peer["TransitGatewayRouteTableId"]) == {
        "10.3.0.0/16": "vpc",
        "10.0.0.0/16": "peering",
        "10.1.0.0/16": "peering",
        "10.2.0.0/16": "peering",
    }


def test_rerun_of_all_of_day_two_reports_no_change(lab: Lab) -> None:
    rerun = lab.playbook("site.yml", {"lab": "tgw_full"})
    assert rerun.recap()["changed"] == 0, rerun.stdout[-4000:]


def test_teardown_leaves_nothing_in_either_region(lab: Lab) -> None:
    teardown = lab.playbook("playbooks/teardown.yml")
    for region in (REGION, PEER_REGION):
        assert f"Nothing tagged hybridlab:lab=hybridlab remains in {region}" in teardown.stdout
        assert live_stacks(lab, region) == {}
        ec2 = lab.client("ec2", region)
        assert not [v for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")]
        assert not [t for t in ec2.describe_transit_gateways()["TransitGateways"] if t["State"] != "deleted"]
        assert not [a for a in ec2.describe_transit_gateway_attachments()["TransitGatewayAttachments"] if a["State"] != "deleted"]
        assert not [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"] if i["State"]["Name"] != "terminated"]


def test_teardown_names_a_transit_gateway_left_behind(lab: Lab) -> None:
    lab.labbox("start")
    ec2 = lab.client("ec2", PEER_REGION)
    left = ec2.create_transit_gateway(
        Description="left behind",
        TagSpecifications=[{"ResourceType": "transit-gateway", "Tags": [{"Key": "hybridlab:lab", "Value": "hybridlab"}]}],
    )["TransitGateway"]["TransitGatewayId"]
    try:
        run = lab.playbook("playbooks/teardown.yml", check=False)
        assert run.returncode != 0
        assert left in run.stdout and "remain in ap-northeast-1" in run.stdout, run.stdout[-3000:]
    finally:
        ec2.delete_transit_gateway(TransitGatewayId=left)
