"""How the inventories' group_vars connect to the lab's instances, as Ansible's ssh plugin builds it.

Two labs on the same addresses (the defaults: IDC-EC2 at 10.60.1.100, in two regions, accounts or
twins) are driven from one controller. Ansible keeps a connection open between tasks
(ControlPersist, ansible.cfg) under a ControlPath it derives from address, port and user, so
without the lab's own ControlPath the second lab's commands would run through the first lab's
connection, on the first lab's instance, with no host key checked. Ansible runs here with an
ssh that only records how it was called.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(not (ROOT / "ansible.cfg").is_file(), reason="needs the source tree")

FAKE_SSH = """#!/usr/bin/env python3
import json, os, sys
with open(os.environ["FAKE_SSH_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
"""


def _ssh_calls(tmp_path: Path, inventory: str) -> list[list[str]]:
    """Run `ansible all -m raw -a true` on both labs' IDC-EC2; the argv of each ssh it ran."""
    source = tmp_path / "inventory"
    (source / "group_vars").mkdir(parents=True)
    (source / "group_vars" / "all").symlink_to(ROOT / "inventory" / inventory / "group_vars" / "all")
    (source / "group_vars" / "idc_ec2.yml").symlink_to(ROOT / "inventory" / inventory / "group_vars" / "idc_ec2.yml")
    instance = {"ansible_host": "10.60.1.100", "lab_public_ip": "203.0.113.10"}
    (source / "hosts.yml").write_text(yaml.safe_dump({"all": {"children": {
        "idc_cgw": {"hosts": {"lab-a-cgw": {**instance, "instance_id": "i-0aaaaaaaaaaaaaaa1"}}},
        "idc_ec2": {"hosts": {
            "lab-a-ec2": {**instance, "instance_id": "i-0aaaaaaaaaaaaaaa2"},
            "lab-b-ec2": {**instance, "instance_id": "i-0bbbbbbbbbbbbbbb2"},
        }},
    }}}))
    ssh = tmp_path / "ssh"
    ssh.write_text(FAKE_SSH)
    ssh.chmod(0o755)
    log = tmp_path / "ssh.log"
    env = {
        **os.environ,
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_SSH_EXECUTABLE": str(ssh),
        "ANSIBLE_SSH_CONTROL_PATH_DIR": str(tmp_path / "cp"),
        "HYBRIDLAB_STATE_DIR": str(tmp_path / "state"),
        "LABBOX_HOME": str(tmp_path / "labbox"),
        "FAKE_SSH_LOG": str(log),
    }
    run = subprocess.run(
        [str(BIN / "ansible"), "idc_ec2", "-i", str(source), "-m", "ansible.builtin.raw", "-a", "true",
         "-e", "ansible_ssh_retries=0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return [json.loads(line) for line in log.read_text().splitlines()]


def _control_path(argv: list[str]) -> str:
    [value] = [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "-o" and argv[i + 1].startswith("ControlPath=")]
    return value.removeprefix("ControlPath=").strip('"')


@pytest.mark.parametrize("inventory", ["aws", "local"])
def test_two_labs_on_the_same_addresses_never_share_a_kept_connection(tmp_path: Path, inventory: str) -> None:
    calls = _ssh_calls(tmp_path, inventory)
    assert len(calls) == 2, calls
    paths = {_control_path(argv) for argv in calls}
    assert len(paths) == 2, f"both labs' IDC-EC2 on one ControlPath: {paths}"
    for argv in calls:
        # The instance the connection is for is the one whose host key SSH checks.
        alias = next(arg for arg in argv if arg.startswith("HostKeyAlias="))
        assert alias.removeprefix("HostKeyAlias=") in Path(_control_path(argv)).name, argv
        assert Path(_control_path(argv)).parent == tmp_path / "cp"
