"""The lab's status from the records the status role reads: what is built, its health, its cost,
and what is tagged for the lab without a stack owning it."""

from __future__ import annotations

import pytest

from ansible_collections.hybridlab.aws.plugins.filter.lab_status import lab_status
from ansible_collections.hybridlab.aws.plugins.filter.lab_status import lab_status_lines
from ansible_collections.hybridlab.aws.plugins.filter.lab_status import lab_status_reads
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_catalogue

SEOUL, TOKYO = "ap-northeast-2", "ap-northeast-1"
BUILT_AT = "2026-12-05T08:00:00+00:00"


def _found(keys, kinds=None, status="CREATE_COMPLETE", outputs=None):
    """What role hybridlab.aws.audit finds: per region, the stacks by name and the tagged records."""
    found = {SEOUL: dict(kinds or {}), TOKYO: {}}
    for region in found:
        found[region]["stacks"] = {}
    for entry in lab_catalogue.lab_stack_list("all", "hybridlab", SEOUL, TOKYO):
        if entry["key"] in keys:
            found[entry["region"]]["stacks"][entry["name"]] = {
                "stack_description": {"stack_status": status, "creation_time": BUILT_AT},
                "stack_outputs": (outputs or {}).get(entry["key"], {}),
            }
    return found


def _vpn(*statuses, state="available"):
    tunnels = [{"outside_ip": f"203.0.113.{n}", "inside_cidr": f"169.254.{n}.0/30", "status": status,
                "status_message": "", "last_status_change": BUILT_AT} for n, status in enumerate(statuses, start=1)]
    return {"item": {"name": "hybridlab-vpn"}, "vpn_connection_id": "vpn-1", "state": state, "tunnels": tunnels}


def _instance(name, state="running", owner="hybridlab-idc"):
    return {"instance_id": f"i-{name.lower()}", "state": {"name": state}, "private_ip_address": "10.60.1.100",
            "tags": {"Name": name, "aws:cloudformation:stack-name": owner}}


def _status(keys=("idc", "aws", "vpn"), vpns=None, tagged=None, now="2026-12-05T08:30:00+00:00"):
    kinds = tagged if tagged is not None else {"instances": [_instance("IDC-CGW"), _instance("IDC-EC2")]}
    records = {"found": _found(keys, kinds), "vpn_connections": vpns or [], "transit_gateways": []}
    return lab_status(records, "hybridlab", SEOUL, TOKYO, "t3.micro", "local", now)


def test_a_built_lab_with_a_tunnel_up_is_healthy_and_priced_as_on_aws() -> None:
    status = _status(vpns=[_vpn("UP", "UP")])

    assert status["labs_built"] == ["s2s"]
    assert status["summary"] == f"lab hybridlab (s2s): healthy, 2/2 tunnels UP, ~{status['cost']['per_hour']:.2f} USD/h on AWS"
    assert status["cost"]["per_hour"] > 0.05 and status["cost"]["started_hours"] == 1


def test_what_is_wrong_is_named_in_the_summary() -> None:
    status = _status(vpns=[_vpn("DOWN", "DOWN")], tagged={"instances": [_instance("IDC-CGW", state="stopped")]})

    assert status["health"] == "degraded: IDC-CGW is stopped; no tunnel of vpn-1 is UP"
    assert ", 0/2 tunnels UP, " in status["summary"]


def test_what_no_existing_stack_owns_is_a_leftover_and_what_one_owns_is_not() -> None:
    tagged = {
        "vpcs": [{"vpc_id": "vpc-mine", "tags": {"Name": "IDC-VPC", "aws:cloudformation:stack-name": "hybridlab-idc"}},
                 {"vpc_id": "vpc-old", "tags": {"Name": "AWS-VPC", "aws:cloudformation:stack-name": "hybridlab-aws"}},
                 {"vpc_id": "vpc-hand", "tags": [{"Key": "Name", "Value": "BY-HAND"}]}],
        "addresses": [{"allocation_id": "eipalloc-1", "tags": {}}],
        "vpn_connections": [{"vpn_connection_id": "vpn-gone", "state": "deleted", "tags": {}}],
    }

    status = _status(keys=("idc",), tagged=tagged)

    # A VPC bills nothing by itself; an Elastic IP bills as a public IPv4 address.
    assert status["leftovers"] == [
        f"VPC vpc-old (AWS-VPC) in {SEOUL}", f"VPC vpc-hand (BY-HAND) in {SEOUL}",
        f"Elastic IP eipalloc-1 in {SEOUL}, ~0.0050 USD/h",
    ]
    assert status["labs_built"] == [] and "3 leftover(s)" in status["health"]
    assert status["cost"]["leftovers_per_hour"] == 0.005
    assert any("now (of which 0.0050 for leftovers)" in line for line in lab_status_lines(status))


def test_nothing_built_says_so_and_prices_nothing() -> None:
    status = _status(keys=(), tagged={})

    assert status["summary"] == "lab hybridlab: not built"
    assert status["cost"]["per_hour"] == 0 and status["cost"]["since_built"] == 0


@pytest.mark.parametrize(("now", "hours"), [("2026-12-05T08:20:00+00:00", 1), ("2026-12-05T11:30:00+00:00", 4)])
def test_the_cost_since_built_counts_started_hours(now: str, hours: int) -> None:
    status = _status(now=now)

    assert status["cost"]["started_hours"] == hours
    assert status["cost"]["since_built"] == pytest.approx(status["cost"]["per_hour"] * hours, abs=1e-4)


def test_the_reads_follow_the_stacks_outputs() -> None:
    found = _found(("tgw", "tgw_peer", "vpn"), outputs={
        "vpn": {"VpnConnectionId": "vpn-1"}, "tgw": {"TransitGatewayId": "tgw-1"}, "tgw_peer": {"TransitGatewayId": "tgw-2"}})

    assert lab_status_reads(found, "hybridlab", SEOUL, TOKYO) == {
        "vpn_connections": [{"name": "hybridlab-vpn", "region": SEOUL, "id": "vpn-1"}],
        "transit_gateways": [{"name": "hybridlab-tgw", "region": SEOUL, "id": "tgw-1"},
                             {"name": "hybridlab-tgw-peer", "region": TOKYO, "id": "tgw-2"}],
    }


def test_the_lines_start_with_the_summary_and_show_both_tunnels() -> None:
    lines = lab_status_lines(_status(vpns=[_vpn("UP", "DOWN")]))

    assert lines[0].startswith("lab hybridlab (s2s): healthy, 1/2 tunnels UP")
    assert f"  Tunnel1 203.0.113.1 inside 169.254.1.0/30: UP since {BUILT_AT}" in lines
    assert f"  Tunnel2 203.0.113.2 inside 169.254.2.0/30: DOWN since {BUILT_AT}" in lines
    assert lines[-1].startswith("cost (what the same lab costs on AWS, prices of ")
