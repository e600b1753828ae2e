"""The route-based tunnels' updown script: Libreswan's own updown first, then the route to the
AWS VPC through the tunnel's VTI interface while it is up, withdrawn when it goes down.
Run for real with sh, with `ip` and the stock updown replaced by recorders."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from openswan_role import render


@pytest.fixture
def updown(tmp_path: Path):
    calls = tmp_path / "calls.log"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    recorder = '#!/bin/sh\necho "{name} $*" >> "{log}"\nexit "${{{status}:-0}}"\n'
    (bin_dir / "ip").write_text(recorder.format(name="ip", log=calls, status="IP_STATUS"))
    stock = tmp_path / "_updown"
    stock.write_text(recorder.format(name="stock", log=calls, status="STOCK_STATUS"))
    for script in (bin_dir / "ip", stock):
        script.chmod(0o755)
    script = tmp_path / "aws-vti-updown.sh"
    script.write_text(render("aws-vti-updown.sh.j2", __openswan_stock_updown=str(stock)))
    script.chmod(0o755)

    def run(verb: str, connection: str, **extra_env: str) -> tuple[int, list[str]]:
        env = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "PLUTO_VERB": verb, "PLUTO_CONNECTION": connection, **extra_env}
        done = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True, check=False)
        lines = calls.read_text().splitlines() if calls.exists() else []
        calls.unlink(missing_ok=True)
        return done.returncode, lines

    return run


def test_tunnel1_up_routes_the_vpc_through_vti1_with_the_lower_metric(updown) -> None:
    assert updown("up-client", "Tunnel1") == (0, ["stock ", "ip route replace 10.50.0.0/16 dev vti1 metric 100"])


def test_tunnel2_up_routes_the_vpc_through_vti2_as_the_fallback(updown) -> None:
    assert updown("up-client", "Tunnel2") == (0, ["stock ", "ip route replace 10.50.0.0/16 dev vti2 metric 200"])


def test_tunnel_down_withdraws_only_its_own_route(updown) -> None:
    assert updown("down-client", "Tunnel1") == (0, ["stock ", "ip route del 10.50.0.0/16 dev vti1 metric 100"])


def test_withdrawing_a_route_that_is_already_gone_is_not_an_error(updown) -> None:
    assert updown("down-client", "Tunnel2", IP_STATUS="2")[0] == 0


def test_other_verbs_only_run_the_stock_updown(updown) -> None:
    assert updown("prepare-client", "Tunnel1") == (0, ["stock "])


def test_other_connections_are_left_to_the_stock_updown(updown) -> None:
    assert updown("up-client", "SomethingElse") == (0, ["stock "])


def test_a_failing_stock_updown_is_reported_to_pluto(updown) -> None:
    assert updown("up-client", "Tunnel1", STOCK_STATUS="3")[0] == 3


def test_a_failing_route_is_reported_to_pluto(updown) -> None:
    assert updown("up-client", "Tunnel1", IP_STATUS="2")[0] == 1
