"""hybridlab.aws.tgw_peering_attachment against stubbed EC2: accept on the accepter's side only."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from ansible_collections.hybridlab.aws.plugins.module_utils import lab_wait
from ansible_collections.hybridlab.aws.plugins.modules.tgw_peering_attachment import main
from ansible_collections.hybridlab.aws.tests.unit.plugins.fake_clock import FakeTime

ATTACHMENT = "tgw-attach-0a1b2c3d4e5f60718"
HOME, PEER = "ap-northeast-2", "ap-northeast-1"


def peering(state: str) -> dict[str, Any]:
    return {
        "TransitGatewayAttachmentId": ATTACHMENT,
        "RequesterTgwInfo": {"TransitGatewayId": "tgw-0123456789abcdef0", "OwnerId": "123456789012", "Region": HOME},
        "AccepterTgwInfo": {"TransitGatewayId": "tgw-0fedcba9876543210", "OwnerId": "123456789012", "Region": PEER},
        "State": state,
        "CreationTime": datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc),
        "Tags": [{"Key": "Name", "Value": "LAB-TGW-PEERING"}],
    }


@pytest.fixture(autouse=True)
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    monkeypatch.setattr(lab_wait, "time", fake)
    return fake


def _queue_describe(aws, *states: str) -> None:
    for state in states:
        aws("ec2").add_response(
            "describe_transit_gateway_peering_attachments",
            {"TransitGatewayPeeringAttachments": [peering(state)] if state else []},
            {"TransitGatewayAttachmentIds": [ATTACHMENT]},
        )


def _args(**extra: Any) -> dict[str, Any]:
    return {"transit_gateway_attachment_id": ATTACHMENT, "region": PEER, **extra}


def test_a_pending_attachment_is_accepted_and_waited_for(aws, run_module, fake_time) -> None:
    _queue_describe(aws, "pendingAcceptance")
    aws("ec2").add_response(
        "accept_transit_gateway_peering_attachment",
        {"TransitGatewayPeeringAttachment": peering("pending")},
        {"TransitGatewayAttachmentId": ATTACHMENT},
    )
    _queue_describe(aws, "pending", "available")

    result = run_module(main, _args(wait_delay=3))

    assert result.exit_code == 0, result
    assert result["changed"] is True
    assert result["peering_attachment"]["state"] == "available"
    assert result["peering_attachment"]["accepter_tgw_info"]["region"] == PEER
    assert result["diff"] == {"before": {"state": "pendingAcceptance"}, "after": {"state": "available"}}
    assert fake_time.sleeps == [3]


def test_an_available_attachment_is_left_alone(aws, run_module) -> None:
    _queue_describe(aws, "available", "available")

    result = run_module(main, _args())

    assert result.exit_code == 0, result
    assert result["changed"] is False


def test_check_mode_reports_the_acceptance_without_asking_for_it(aws, run_module) -> None:
    _queue_describe(aws, "pendingAcceptance")

    result = run_module(main, _args(_ansible_check_mode=True))

    assert result.exit_code == 0, result
    assert result["changed"] is True
    assert result["diff"]["after"] == {"state": "available"}


def test_the_requesters_region_is_refused_with_the_region_to_use(aws, run_module) -> None:
    _queue_describe(aws, "pendingAcceptance")

    result = run_module(main, _args(region=HOME))

    assert result["failed"] is True
    assert f"set region to {PEER}" in result["msg"]


def test_an_unknown_attachment_fails_naming_the_region(aws, run_module) -> None:
    _queue_describe(aws, "")

    result = run_module(main, _args())

    assert result["failed"] is True
    assert f"does not exist in {PEER}" in result["msg"]


def test_a_rejected_attachment_cannot_be_accepted(aws, run_module) -> None:
    _queue_describe(aws, "rejected")

    result = run_module(main, _args())

    assert result["failed"] is True
    assert "rejected and can no longer be accepted" in result["msg"]


def test_waiting_times_out_with_the_last_state(aws, run_module) -> None:
    _queue_describe(aws, "pending", "pending", "pending", "pending")

    result = run_module(main, _args(wait_timeout=10, wait_delay=5))

    assert result["failed"] is True
    assert result["msg"].startswith(f"Timed out after 10s waiting for peering attachment {ATTACHMENT}")
    assert result["msg"].endswith("to be available; last seen: state pending")


def test_a_pending_attachment_is_rejected_when_asked(aws, run_module) -> None:
    _queue_describe(aws, "pendingAcceptance")
    aws("ec2").add_response(
        "reject_transit_gateway_peering_attachment",
        {"TransitGatewayPeeringAttachment": peering("rejecting")},
        {"TransitGatewayAttachmentId": ATTACHMENT},
    )
    _queue_describe(aws, "rejected")

    result = run_module(main, _args(state="rejected"))

    assert result.exit_code == 0, result
    assert result["changed"] is True
    assert result["peering_attachment"]["state"] == "rejected"


def test_an_accepted_attachment_cannot_be_rejected(aws, run_module) -> None:
    _queue_describe(aws, "available")

    result = run_module(main, _args(state="rejected"))

    assert result["failed"] is True
    assert "only a pending one can be rejected" in result["msg"]


def test_a_request_still_being_made_is_waited_for_then_accepted(aws, run_module, fake_time) -> None:
    # Right after the requester's stack, AWS shows initiatingRequest before pendingAcceptance.
    _queue_describe(aws, "initiatingRequest", "initiatingRequest", "pendingAcceptance")
    aws("ec2").add_response(
        "accept_transit_gateway_peering_attachment",
        {"TransitGatewayPeeringAttachment": peering("pending")},
        {"TransitGatewayAttachmentId": ATTACHMENT},
    )
    _queue_describe(aws, "available")

    result = run_module(main, _args(wait_delay=2))

    assert result.exit_code == 0, result
    assert result["changed"] is True
    assert result["diff"] == {"before": {"state": "pendingAcceptance"}, "after": {"state": "available"}}
    assert fake_time.sleeps == [2, 2]


def test_a_request_that_never_reaches_the_peer_times_out_naming_the_state(aws, run_module, fake_time) -> None:
    _queue_describe(aws, "initiatingRequest", "initiatingRequest", "initiatingRequest")

    result = run_module(main, _args(wait_timeout=10, wait_delay=5))

    assert result.exit_code == 1, result
    assert "to leave initiatingRequest" in result["msg"]
