"""hybridlab.aws.vpn_tunnel_info end to end against stubbed EC2 and CloudFormation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ansible_collections.hybridlab.aws.plugins.module_utils import lab_wait
from ansible_collections.hybridlab.aws.plugins.modules.vpn_tunnel_info import main
from ansible_collections.hybridlab.aws.tests.unit.plugins.fake_clock import FakeTime
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import VPN_INFO_KEYS
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import CGW_ID
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import CGW_IP
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import TUNNEL_1
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import TUNNEL_2
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import VGW_ID
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import VPN_ID
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import describe_stacks_response
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import vpn_connection

RESULT_KEYS = VPN_INFO_KEYS | {"changed"}
PSKS = (TUNNEL_1["psk"], TUNNEL_2["psk"])


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    monkeypatch.setattr(lab_wait, "time", fake)
    return fake


def _queue_stack(aws, outputs: dict[str, str], stack_name: str = "hybridlab-vpn") -> None:
    aws("cloudformation").add_response("describe_stacks", describe_stacks_response(stack_name, outputs), {"StackName": stack_name})


def _assert_no_psk(result: Any) -> None:
    for psk in PSKS:
        assert psk not in result.raw_output


def test_returns_the_agreed_keys_with_tunnels_in_aws_order(aws, run_module) -> None:
    aws.queue_vpn_connection(vpn_connection(options_order=[1, 0], statuses=("UP", "DOWN")))

    result = run_module(main, {"vpn_connection_id": VPN_ID, "region": "ap-northeast-2"})

    assert result.exit_code == 0, result
    # `invocation` (the module's arguments) is added by Ansible itself.
    assert set(result) - {"invocation"} == RESULT_KEYS
    assert result["changed"] is False
    assert result["vpn_connection_id"] == VPN_ID
    assert result["state"] == "available"
    assert result["customer_gateway_id"] == CGW_ID
    assert result["customer_gateway_ip"] == CGW_IP
    assert result["vpn_gateway_id"] == VGW_ID
    assert result["transit_gateway_id"] is None
    assert result["static_routes_only"] is True
    assert result["routes"] == [{"destination_cidr_block": "10.60.0.0/16", "source": "Static", "state": "available"}]
    assert result["tunnels"] == [
        {
            "outside_ip": TUNNEL_1["outside_ip"],
            "inside_cidr": "169.254.12.0/30",
            "inside_ip_aws": "169.254.12.1",
            "inside_ip_customer": "169.254.12.2",
            "status": "UP",
            "status_message": "",
            "last_status_change": "2024-05-01T08:30:00+00:00",
            "accepted_route_count": 1,
        },
        {
            "outside_ip": TUNNEL_2["outside_ip"],
            "inside_cidr": "169.254.47.8/30",
            "inside_ip_aws": "169.254.47.9",
            "inside_ip_customer": "169.254.47.10",
            "status": "DOWN",
            "status_message": "IPSEC IS DOWN",
            "last_status_change": "2024-05-01T08:30:00+00:00",
            "accepted_route_count": 0,
        },
    ]


def test_pre_shared_keys_never_appear_unless_asked_for(aws, run_module) -> None:
    aws.queue_vpn_connection(vpn_connection())

    result = run_module(main, {"vpn_connection_id": VPN_ID})

    assert result.exit_code == 0
    assert all("pre_shared_key" not in tunnel for tunnel in result["tunnels"])
    _assert_no_psk(result)


def test_keys_are_masked_wherever_they_would_appear_when_not_asked_for(aws, run_module) -> None:
    connection = vpn_connection()
    # Contrived, to prove the defence in depth: a key turning up in some other field.
    connection["VgwTelemetry"][0]["StatusMessage"] = f"peer rejected {TUNNEL_1['psk']}"
    aws.queue_vpn_connection(connection)

    result = run_module(main, {"vpn_connection_id": VPN_ID})

    assert result["tunnels"][0]["status_message"] == "peer rejected ********"
    _assert_no_psk(result)


def test_pre_shared_keys_are_returned_in_tunnel_order_when_asked_for_under_no_log(aws, run_module) -> None:
    aws.queue_vpn_connection(vpn_connection(options_order=[1, 0]))

    result = run_module(main, {"vpn_connection_id": VPN_ID, "include_pre_shared_keys": True, "_ansible_no_log": True})

    assert result.exit_code == 0
    assert [tunnel["pre_shared_key"] for tunnel in result["tunnels"]] == list(PSKS)
    assert "no_log" not in json.dumps(result.get("warnings"))


def test_asking_for_pre_shared_keys_without_no_log_warns(aws, run_module) -> None:
    aws.queue_vpn_connection(vpn_connection())

    result = run_module(main, {"vpn_connection_id": VPN_ID, "include_pre_shared_keys": True})

    assert result.exit_code == 0
    # Warnings are plain strings or structured events depending on the result profile.
    assert "this task does not set no_log" in json.dumps(result.get("warnings"))


def test_connection_id_is_resolved_from_the_stack_output(aws, run_module) -> None:
    _queue_stack(aws, {"VpnGatewayId": VGW_ID, "CustomerGatewayId": CGW_ID, "VpnConnectionId": VPN_ID})
    aws.queue_vpn_connection(vpn_connection())

    result = run_module(main, {"stack_name": "hybridlab-vpn"})

    assert result.exit_code == 0
    assert result["vpn_connection_id"] == VPN_ID


def test_output_name_selects_another_output(aws, run_module) -> None:
    _queue_stack(aws, {"LabVpn": VPN_ID}, stack_name="lab2-vpn")
    aws.queue_vpn_connection(vpn_connection())

    result = run_module(main, {"stack_name": "lab2-vpn", "output_name": "LabVpn"})

    assert result["vpn_connection_id"] == VPN_ID


def test_a_missing_stack_output_fails_naming_the_output_and_those_present(aws, run_module) -> None:
    _queue_stack(aws, {"VpnGatewayId": VGW_ID, "CustomerGatewayId": CGW_ID})

    result = run_module(main, {"stack_name": "hybridlab-vpn"})

    assert result.exit_code == 1
    assert result["failed"] is True
    assert result["msg"] == (
        "CloudFormation stack hybridlab-vpn (status CREATE_COMPLETE) has no output VpnConnectionId; "
        "its outputs are: CustomerGatewayId, VpnGatewayId"
    )


def test_a_missing_stack_fails_naming_it(aws, run_module) -> None:
    aws("cloudformation").add_client_error(
        "describe_stacks", service_error_code="ValidationError", service_message="Stack with id hybridlab-vpn does not exist"
    )

    result = run_module(main, {"stack_name": "hybridlab-vpn"})

    assert result["failed"] is True
    assert result["msg"] == "CloudFormation stack hybridlab-vpn does not exist"


def test_an_unknown_connection_fails_without_waiting(aws, run_module) -> None:
    aws("ec2").add_client_error("describe_vpn_connections", service_error_code="InvalidVpnConnectionID.NotFound")

    result = run_module(main, {"vpn_connection_id": VPN_ID})

    assert result["failed"] is True
    assert result["msg"] == f"VPN connection {VPN_ID} does not exist"


def test_an_api_failure_is_reported_with_the_aws_error(aws, run_module) -> None:
    aws("ec2").add_client_error("describe_vpn_connections", service_error_code="UnauthorizedOperation", http_status_code=403)

    result = run_module(main, {"vpn_connection_id": VPN_ID})

    assert result["failed"] is True
    assert result["msg"].startswith("Failed to describe VPN connection")
    assert result["error"]["code"] == "UnauthorizedOperation"


def test_the_id_and_a_stack_are_mutually_exclusive(aws, run_module) -> None:
    result = run_module(main, {"vpn_connection_id": VPN_ID, "stack_name": "hybridlab-vpn"})

    assert result["failed"] is True
    assert "mutually exclusive" in result["msg"]


def test_the_id_or_a_stack_is_required(aws, run_module) -> None:
    result = run_module(main, {})

    assert result["failed"] is True
    assert "one of the following is required" in result["msg"]


def test_wait_up_polls_until_both_tunnels_are_up(aws, run_module, fake_time: FakeTime) -> None:
    aws.queue_vpn_connection(vpn_connection(state="pending"))
    aws.queue_vpn_connection(vpn_connection(statuses=("UP", "DOWN")))
    aws.queue_vpn_connection(vpn_connection(statuses=("UP", "UP")))

    result = run_module(main, {"vpn_connection_id": VPN_ID, "wait": "up", "wait_delay": 7})

    assert result.exit_code == 0
    assert [tunnel["status"] for tunnel in result["tunnels"]] == ["UP", "UP"]
    assert fake_time.sleeps == [7, 7]


def test_wait_any_up_accepts_one_tunnel_up(aws, run_module, fake_time: FakeTime) -> None:
    aws.queue_vpn_connection(vpn_connection(statuses=("DOWN", "UP")))

    result = run_module(main, {"vpn_connection_id": VPN_ID, "wait": "any_up"})

    assert result.exit_code == 0
    assert fake_time.sleeps == []


def test_wait_tolerates_a_connection_ec2_does_not_know_yet(aws, run_module, fake_time: FakeTime) -> None:
    aws("ec2").add_client_error("describe_vpn_connections", service_error_code="InvalidVpnConnectionID.NotFound")
    aws.queue_vpn_connection(vpn_connection(state="available"))

    result = run_module(main, {"vpn_connection_id": VPN_ID, "wait": "available", "wait_delay": 5})

    assert result.exit_code == 0
    assert result["state"] == "available"


def test_wait_timeout_fails_with_what_was_last_seen_and_no_key(aws, run_module, fake_time: FakeTime) -> None:
    for _poll in range(3):
        aws.queue_vpn_connection(vpn_connection(statuses=("DOWN", "UP")))

    result = run_module(
        main,
        {"vpn_connection_id": VPN_ID, "wait": "up", "wait_timeout": 20, "wait_delay": 10, "include_pre_shared_keys": True, "_ansible_no_log": True},
    )

    assert result.exit_code == 1
    assert result["msg"] == (
        f"Timed out after 20s waiting for VPN connection {VPN_ID} to have both tunnels UP; last seen: state available; "
        f"tunnel 1 {TUNNEL_1['outside_ip']} DOWN (IPSEC IS DOWN); tunnel 2 {TUNNEL_2['outside_ip']} UP"
    )
    assert result["state"] == "available"
    assert [tunnel["status"] for tunnel in result["tunnels"]] == ["DOWN", "UP"]
    _assert_no_psk(result)


def test_customer_gateway_ip_is_looked_up_when_the_xml_is_absent(aws, run_module) -> None:
    aws.queue_vpn_connection(vpn_connection(with_xml=False))
    aws("ec2").add_response(
        "describe_customer_gateways",
        {"CustomerGateways": [{"CustomerGatewayId": CGW_ID, "IpAddress": CGW_IP, "BgpAsn": "65000", "State": "available", "Type": "ipsec.1"}]},
        {"CustomerGatewayIds": [CGW_ID]},
    )

    result = run_module(main, {"vpn_connection_id": VPN_ID})

    assert result["customer_gateway_ip"] == CGW_IP


def test_check_mode_reads_the_same_and_changes_nothing(aws, run_module) -> None:
    aws.queue_vpn_connection(vpn_connection())
    aws.queue_vpn_connection(vpn_connection())

    normal = run_module(main, {"vpn_connection_id": VPN_ID})
    checked = run_module(main, {"vpn_connection_id": VPN_ID, "_ansible_check_mode": True})

    assert checked.exit_code == 0
    assert checked["changed"] is False
    assert dict(checked) == dict(normal)
