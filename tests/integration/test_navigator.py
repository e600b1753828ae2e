"""ansible-navigator runs a lab playbook on the offline twin with this machine's Ansible
(`--ee false`), as the repository's ansible-navigator.yml sets it up: the run reaches the
twin and prints what ansible-playbook would, and writes no artifact file beside the playbook.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from lab_env import REPO, Lab

# ansible-runner's display callback wraps each event's data in terminal escapes (erased on a
# terminal, kept in captured output).
EVENT_DATA = re.compile(r"\x1b\[K(?:[A-Za-z0-9+/=]*\x1b\[\d+D\x1b\[K)+")


def test_navigator_without_an_ee_shows_the_status_of_a_lab_on_the_twin(lab: Lab, tmp_path: Path) -> None:
    started = lab.labbox("start")
    assert started.returncode == 0, started.stdout + started.stderr
    # Something of a lab on the twin that only a run reaching it can name: a VPC tagged for the lab
    # that no stack owns, which the status reports as a leftover.
    ec2 = lab.client("ec2")
    tags = [{"Key": "hybridlab:lab", "Value": "navigator"}, {"Key": "Name", "Value": "LEFT-BEHIND"}]
    vpc = ec2.create_vpc(CidrBlock="10.98.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": tags}])["Vpc"]["VpcId"]
    # navigator mounts the lab's state directory, and checks it exists, in either mode.
    Path(lab.env["HYBRIDLAB_STATE_DIR"]).mkdir(parents=True, exist_ok=True)
    artifacts = set((REPO / "playbooks").glob("*-artifact-*.json"))
    env = dict(lab.env, ANSIBLE_NAVIGATOR_LOG_FILE=str(tmp_path / "ansible-navigator.log"))
    try:
        # The settings file gives the mode (stdout) and the rest; the command line only leaves the EE out.
        done = subprocess.run(
            [str(REPO / ".venv/bin/ansible-navigator"), "run", "playbooks/status.yml", "--ee", "false",
             "-e", "lab_name=navigator"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
        )
    finally:
        ec2.delete_vpc(VpcId=vpc)
    output = EVENT_DATA.sub("", done.stdout + done.stderr)

    assert done.returncode == 0, output[-6000:]
    assert '"lab navigator: degraded: 1 leftover(s), ' in output, output[-4000:]
    assert f"leftover: VPC {vpc} (LEFT-BEHIND) in ap-northeast-2, tagged hybridlab:lab=navigator" in output
    assert re.search(r"^localhost\s*:\s*ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=0", output, re.MULTILINE), output[-3000:]
    assert set((REPO / "playbooks").glob("*-artifact-*.json")) == artifacts, "navigator wrote a playbook artifact"
