"""A dry run (--check) of a lab that does not exist yet changes nothing and fails nowhere."""

from __future__ import annotations

from pathlib import Path

from lab_env import Lab


def test_dry_run_of_a_new_lab_creates_nothing(cold_lab: Lab) -> None:
    run = cold_lab.playbook("site.yml", options=("--check",))

    assert "there are no tunnels to look up" in run.stdout
    assert cold_lab.client("cloudformation").describe_stacks()["Stacks"] == []
    assert [vpc for vpc in cold_lab.client("ec2").describe_vpcs()["Vpcs"] if not vpc["IsDefault"]] == []
    assert not (Path(cold_lab.env["HYBRIDLAB_STATE_DIR"]) / "hybridlab").exists(), "a dry run wrote the PSK file"
