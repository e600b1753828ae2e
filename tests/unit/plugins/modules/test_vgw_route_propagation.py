"""hybridlab.aws.vgw_route_propagation against stubbed EC2: on, off, idempotent, check mode."""

from __future__ import annotations

from typing import Any

from ansible_collections.hybridlab.aws.plugins.modules.vgw_route_propagation import main

TABLE, GATEWAY = "rtb-0a1b2c3d4e5f60718", "vgw-0123456789abcdef0"


def _describe(aws, *gateways: str) -> None:
    aws("ec2").add_response(
        "describe_route_tables",
        {"RouteTables": [{"RouteTableId": TABLE, "VpcId": "vpc-0123456789abcdef0",
                          "PropagatingVgws": [{"GatewayId": g} for g in gateways]}]},
        {"RouteTableIds": [TABLE]},
    )


def _args(**extra: Any) -> dict[str, Any]:
    return {"route_table_id": TABLE, "vpn_gateway_id": GATEWAY, "region": "ap-northeast-2", **extra}


def test_propagation_is_turned_off_and_the_table_read_back(aws, run_module) -> None:
    _describe(aws, GATEWAY)
    aws("ec2").add_response("disable_vgw_route_propagation", {}, {"RouteTableId": TABLE, "GatewayId": GATEWAY})
    _describe(aws)

    result = run_module(main, _args(state="disabled"))

    assert result.exit_code == 0, result
    assert result["changed"] is True
    assert result["propagating_vgws"] == []
    assert result["diff"] == {"before": {"propagating_vgws": [GATEWAY]}, "after": {"propagating_vgws": []}}


def test_propagation_is_turned_on(aws, run_module) -> None:
    _describe(aws)
    aws("ec2").add_response("enable_vgw_route_propagation", {}, {"RouteTableId": TABLE, "GatewayId": GATEWAY})
    _describe(aws, GATEWAY)

    result = run_module(main, _args())

    assert result["changed"] is True and result["propagating_vgws"] == [GATEWAY]


def test_nothing_is_asked_when_propagation_is_already_as_wanted(aws, run_module) -> None:
    _describe(aws, GATEWAY)  # no enable call queued: the stub fails on an unexpected call

    result = run_module(main, _args())

    assert result.exit_code == 0, result
    assert result["changed"] is False


def test_check_mode_reports_the_change_without_making_it(aws, run_module) -> None:
    _describe(aws, GATEWAY)

    result = run_module(main, _args(state="disabled", _ansible_check_mode=True))

    assert result["changed"] is True
    assert result["propagating_vgws"] == []


def test_a_missing_route_table_is_named(aws, run_module) -> None:
    aws("ec2").add_client_error(
        "describe_route_tables", "InvalidRouteTableID.NotFound", "The routeTable ID 'rtb-0a1b2c3d4e5f60718' does not exist"
    )

    result = run_module(main, _args())

    assert result.exit_code == 1
    assert result["msg"] == f"Route table {TABLE} does not exist in ap-northeast-2"
