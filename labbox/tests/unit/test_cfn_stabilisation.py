"""A stack's resource is complete only once it is stable, as CloudFormation reports it.

Real time with a tiny delay table: the stack works on in the background while the test polls.
"""

from __future__ import annotations

import time

import pytest

from delay_helpers import policy
from labbox.cloud import cfn_stabilisation, delay_policy
from stack_helpers import ref, template, vpc

STEP = 0.4
# The connection's delete lasts longer: the test looks at it between two requests on a busy machine.
DELETE_STEP = 2.0
TINY = {
    **{name: STEP for name in delay_policy.TRANSITIONS},
    "vpn_connection.delete": DELETE_STEP,
    "deleted_retention": 60.0,
}

VPN_TEMPLATE = template(
    {
        "Vpc": vpc("10.50.0.0/16"),
        "Vgw": {"Type": "AWS::EC2::VPNGateway", "Properties": {"Type": "ipsec.1"}},
        "VgwAttachment": {
            "Type": "AWS::EC2::VPCGatewayAttachment",
            "Properties": {"VpcId": ref("Vpc"), "VpnGatewayId": ref("Vgw")},
        },
        "Cgw": {
            "Type": "AWS::EC2::CustomerGateway",
            "Properties": {"Type": "ipsec.1", "IpAddress": "198.51.100.10", "BgpAsn": 65000},
        },
        "Vpn": {
            "Type": "AWS::EC2::VPNConnection",
            "DependsOn": "VgwAttachment",
            "Properties": {
                "Type": "ipsec.1",
                "CustomerGatewayId": ref("Cgw"),
                "VpnGatewayId": ref("Vgw"),
                "StaticRoutesOnly": True,
            },
        },
    }
)


@pytest.fixture
def tiny_delays(aws: None):
    with policy("tiny", TINY):
        yield


def _status(cfn, stack_id: str) -> str:
    return cfn.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"]


def _wait_done(cfn, stack_id: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while (status := _status(cfn, stack_id)).endswith("_IN_PROGRESS"):
        assert time.monotonic() < deadline, f"stack still {status}"
        time.sleep(0.05)
    return status


def _events(cfn, stack_id: str) -> list[dict]:
    return list(reversed(cfn.describe_stack_events(StackName=stack_id)["StackEvents"]))


def _step_times(events: list[dict], logical_id: str, status: str) -> float:
    return next(e["Timestamp"].timestamp() for e in events if e["LogicalResourceId"] == logical_id and e["ResourceStatus"] == status)


def test_a_vpn_stack_is_in_progress_until_the_connection_is_available(cfn, ec2, tiny_delays) -> None:
    stack_id = cfn.create_stack(StackName="vpn", TemplateBody=VPN_TEMPLATE)["StackId"]
    assert _status(cfn, stack_id) == "CREATE_IN_PROGRESS"

    assert _wait_done(cfn, stack_id) == "CREATE_COMPLETE"
    assert [c["State"] for c in ec2.describe_vpn_connections()["VpnConnections"]] == ["available"]
    events = _events(cfn, stack_id)
    for logical_id in ("VgwAttachment", "Cgw", "Vpn"):
        started = _step_times(events, logical_id, "CREATE_IN_PROGRESS")
        assert _step_times(events, logical_id, "CREATE_COMPLETE") - started >= STEP - 0.05, logical_id
    # The connection was created only once the attachment it depends on was attached.
    assert _step_times(events, "Vpn", "CREATE_IN_PROGRESS") >= _step_times(events, "VgwAttachment", "CREATE_COMPLETE")


def test_a_vpn_stack_is_deleted_only_once_its_connection_is_deleted(cfn, ec2, tiny_delays) -> None:
    stack_id = cfn.create_stack(StackName="vpn", TemplateBody=VPN_TEMPLATE)["StackId"]
    _wait_done(cfn, stack_id)

    cfn.delete_stack(StackName="vpn")
    assert _status(cfn, stack_id) == "DELETE_IN_PROGRESS"
    deadline = time.monotonic() + 10
    while (states := [c["State"] for c in ec2.describe_vpn_connections()["VpnConnections"]]) == ["available"]:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    # The connection is on its way out while the stack waits for it.
    assert states == ["deleting"]
    assert _status(cfn, stack_id) == "DELETE_IN_PROGRESS"

    assert _wait_done(cfn, stack_id) == "DELETE_COMPLETE"
    assert [c["State"] for c in ec2.describe_vpn_connections()["VpnConnections"]] == ["deleted"]
    events = _events(cfn, stack_id)
    assert _step_times(events, "Vpn", "DELETE_COMPLETE") - _step_times(events, "Vpn", "DELETE_IN_PROGRESS") >= DELETE_STEP - 0.05
    assert cfn.list_stacks(StackStatusFilter=["DELETE_COMPLETE"])["StackSummaries"][0]["StackId"] == stack_id


def test_a_transit_gateway_stack_routes_only_through_an_available_attachment(cfn, ec2, tiny_delays) -> None:
    body = template(
        {
            "Vpc": vpc("10.1.0.0/16"),
            "Subnet": {
                "Type": "AWS::EC2::Subnet",
                "Properties": {"VpcId": ref("Vpc"), "CidrBlock": "10.1.0.0/24"},
            },
            "Tgw": {"Type": "AWS::EC2::TransitGateway", "Properties": {"AmazonSideAsn": 64513}},
            "Attachment": {
                "Type": "AWS::EC2::TransitGatewayVpcAttachment",
                "Properties": {"TransitGatewayId": ref("Tgw"), "VpcId": ref("Vpc"), "SubnetIds": [ref("Subnet")]},
            },
            "Table": {"Type": "AWS::EC2::TransitGatewayRouteTable", "Properties": {"TransitGatewayId": ref("Tgw")}},
            "Route": {
                "Type": "AWS::EC2::TransitGatewayRoute",
                "Properties": {
                    "TransitGatewayRouteTableId": ref("Table"),
                    "DestinationCidrBlock": "10.9.0.0/16",
                    "TransitGatewayAttachmentId": ref("Attachment"),
                },
            },
        }
    )
    stack_id = cfn.create_stack(StackName="tgw", TemplateBody=body)["StackId"]
    assert _wait_done(cfn, stack_id) == "CREATE_COMPLETE"
    events = _events(cfn, stack_id)
    assert _step_times(events, "Attachment", "CREATE_IN_PROGRESS") >= _step_times(events, "Tgw", "CREATE_COMPLETE")
    assert _step_times(events, "Route", "CREATE_IN_PROGRESS") >= _step_times(events, "Attachment", "CREATE_COMPLETE")

    cfn.delete_stack(StackName="tgw")
    assert _wait_done(cfn, stack_id) == "DELETE_COMPLETE"
    assert [g["State"] for g in ec2.describe_transit_gateways()["TransitGateways"]] == ["deleted"]


def test_an_unexpected_error_in_the_background_fails_the_stack_instead_of_leaving_it_in_progress(
    cfn, tiny_delays, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(record) -> None:
        raise RuntimeError("clock broke")

    monkeypatch.setattr(cfn_stabilisation, "wait_until_settled", broken)
    stack_id = cfn.create_stack(StackName="vpn", TemplateBody=VPN_TEMPLATE)["StackId"]

    assert _wait_done(cfn, stack_id) == "CREATE_FAILED"
    assert "clock broke" in cfn.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatusReason"]


def test_a_stack_deleted_while_it_is_being_created_leaves_nothing_behind(cfn, ec2, tiny_delays) -> None:
    stack_id = cfn.create_stack(StackName="vpn", TemplateBody=VPN_TEMPLATE)["StackId"]
    deadline = time.monotonic() + 10
    # Delete once the VGW attachment is under way, before the connection exists.
    while not any(e["LogicalResourceId"] == "VgwAttachment" for e in _events(cfn, stack_id)):
        assert time.monotonic() < deadline
        time.sleep(0.02)

    cfn.delete_stack(StackName="vpn")

    assert _wait_done(cfn, stack_id) == "DELETE_COMPLETE"
    time.sleep(3 * STEP)  # what the creation would have done next, had it gone on
    assert [c["State"] for c in ec2.describe_vpn_connections()["VpnConnections"]] in ([], ["deleted"])
    assert [g["State"] for g in ec2.describe_customer_gateways()["CustomerGateways"]] in ([], ["deleted"])
    assert ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.50.0.0/16"]}])["Vpcs"] == []
    statuses = [e["ResourceStatus"] for e in _events(cfn, stack_id) if e["LogicalResourceId"] == "vpn"]
    assert "CREATE_COMPLETE" not in statuses
