"""Bad input stops the role with a clear message before any task that could change the host:
the role is run by ansible-playbook against this machine (check mode, so a broken check could
still change nothing) and must fail at its input check, with no task reporting a change."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from openswan_role import REPO, TUNNELS

PLAYBOOK = """\
- name: Configure the customer gateway
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: hybridlab.aws.openswan
"""


@pytest.fixture(scope="module")
def run_role(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("openswan-playbook")
    namespace = tmp / "collections" / "ansible_collections" / "hybridlab"
    namespace.mkdir(parents=True)
    (namespace / "aws").symlink_to(REPO, target_is_directory=True)
    (tmp / "site.yml").write_text(PLAYBOOK)
    (tmp / "ansible.cfg").write_text("[defaults]\ninterpreter_python = auto_silent\n")
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    env.update(
        ANSIBLE_CONFIG=str(tmp / "ansible.cfg"),
        ANSIBLE_COLLECTIONS_PATH=str(tmp / "collections"),
        ANSIBLE_LOCAL_TEMP=str(tmp / "ansible-tmp"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
        ANSIBLE_LOCALHOST_WARNING="false",
    )

    def run(variables: dict) -> subprocess.CompletedProcess:
        variables = {"ansible_python_interpreter": sys.executable, **variables}
        args = [str(REPO / ".venv" / "bin" / "ansible-playbook"), "-i", "localhost,", "--check", "--diff", "site.yml",
                "-e", json.dumps(variables)]
        return subprocess.run(args, cwd=tmp, env=env, capture_output=True, text=True, timeout=120, check=False)

    return run


def _recap(output: str) -> dict[str, int]:
    match = re.search(r"^localhost\s*:\s*(.*)$", output, re.MULTILINE)
    assert match, output
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))}


def _tunnels(index: int | None = None, **changes) -> list[dict]:
    tunnels = copy.deepcopy(TUNNELS)
    if index is not None:
        tunnels[index].update(changes)
    return tunnels


CASES = {
    "malformed-ip": (
        {"openswan_tunnels": _tunnels(0, outside_ip="203.0.113.300")},
        'openswan_tunnels[0] (Tunnel1).outside_ip must be an IPv4 address like 198.51.100.10, not "203.0.113.300"',
    ),
    "missing-tunnel": (
        {"openswan_tunnels": _tunnels()[:1]},
        "openswan_tunnels has 1 tunnel(s); an AWS VPN connection has two (Tunnel1 and Tunnel2) and both must be given",
    ),
    "psk-against-aws-rules": (
        {"openswan_tunnels": _tunnels(1, pre_shared_key="0-not-an-aws-psk")},
        "openswan_tunnels[1] (Tunnel2).pre_shared_key may contain only letters, digits, '.' and '_' (AWS)",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_fails_at_the_input_check_with_a_clear_message(run_role, case: str) -> None:
    variables, message = CASES[case]
    done = run_role({"openswan_left_id": "198.51.100.10", **variables})
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "TASK [hybridlab.aws.openswan : Stop on bad input before anything changes on the host]" in output
    assert message in output
    # The input check is the role's third task (after the argument spec and the hidden findings):
    # nothing after it ran, nothing changed.
    assert _recap(output) == {"ok": 2, "changed": 0, "unreachable": 0, "failed": 1, "skipped": 0, "rescued": 0, "ignored": 0}
    for tunnel in variables["openswan_tunnels"]:
        assert tunnel["pre_shared_key"] not in output


def test_missing_tunnels_fail_the_argument_spec(run_role) -> None:
    done = run_role({"openswan_left_id": "198.51.100.10", "openswan_tunnels": None})
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "Validation of arguments failed" in output
    assert "argument 'openswan_tunnels' is of type NoneType" in output
    assert _recap(output) == {"ok": 0, "changed": 0, "unreachable": 0, "failed": 1, "skipped": 0, "rescued": 0, "ignored": 0}


AMAZON_LINUX_2_OS_RELEASE = (
    'NAME="Amazon Linux"\nVERSION="2"\nID="amzn"\nID_LIKE="centos rhel fedora"\nVERSION_ID="2"\n'
    'PRETTY_NAME="Amazon Linux 2"\nANSI_COLOR="0;33"\nCPE_NAME="cpe:2.3:o:amazon:amazon_linux:2"\n'
)


def test_amazon_linux_2_is_refused_before_any_python_module_runs(run_role, tmp_path: Path) -> None:
    """The host's /etc/os-release says Amazon Linux 2 (here a copy the role is pointed at): the role
    stops after reading it with raw, before the fact gathering that would need a Python AL2 lacks."""
    os_release = tmp_path / "os-release"
    os_release.write_text(AMAZON_LINUX_2_OS_RELEASE)
    done = run_role({"openswan_left_id": "198.51.100.10", "openswan_tunnels": _tunnels(),
                     "__openswan_os_release_file": str(os_release)})
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "TASK [hybridlab.aws.openswan : Stop on a platform the role does not support before anything changes on the host]" in output
    assert "hybridlab.aws.openswan cannot configure this host: Amazon Linux 2 is not supported: its Python is 3.7" in output
    assert "TASK [hybridlab.aws.openswan : Gather the facts that tell the platform]" not in output
    # The argument spec, the input checks, the raw read, then the refusal: nothing else ran.
    assert _recap(output) == {"ok": 4, "changed": 0, "unreachable": 0, "failed": 1, "skipped": 0, "rescued": 0, "ignored": 0}


def test_a_bad_tcp_mss_stops_the_role_at_the_input_check(run_role) -> None:
    done = run_role({"openswan_left_id": "198.51.100.10", "openswan_tunnels": _tunnels(), "openswan_tcp_mss": 9001})
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "TASK [hybridlab.aws.openswan : Stop on bad input before anything changes on the host]" in output
    assert 'openswan_tcp_mss must be a whole number of bytes from 536 to 1460 (AWS\'s sample uses 1379), or 0 or null to turn the clamp off, not "9001"' in output
    assert _recap(output) == {"ok": 2, "changed": 0, "unreachable": 0, "failed": 1, "skipped": 0, "rescued": 0, "ignored": 0}
