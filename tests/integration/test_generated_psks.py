"""Without vpn_tunnel_psks, a lab generates its keys once, keeps them private, and reuses them."""

from __future__ import annotations

import stat
from pathlib import Path

import yaml

from lab_env import Lab

LAB = {"lab_name": "genpsk"}


def test_generated_psks_are_saved_private_reused_and_never_printed(lab: Lab) -> None:
    first = lab.playbook("playbooks/stacks.yml", LAB)
    secrets = Path(lab.env["HYBRIDLAB_STATE_DIR"]) / "genpsk" / "vpn_tunnel_psks.yml"
    try:
        assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
        psks = yaml.safe_load(secrets.read_text())["vpn_tunnel_psks"]
        assert len(psks) == 2 and psks[0] != psks[1]
        info = lab.module(
            "hybridlab.aws.vpn_tunnel_info", {"stack_name": "genpsk-vpn", "include_pre_shared_keys": True}
        )
        assert [tunnel["pre_shared_key"] for tunnel in info["tunnels"]] == psks

        again = lab.playbook("playbooks/stacks.yml", LAB, options=("-vvv",))
        assert again.recap()["changed"] == 0, "the saved keys were not reused: the VPN stack changed"
        for psk in psks:
            assert psk not in first.output and psk not in again.output
    finally:
        lab.playbook("playbooks/teardown.yml", LAB)
