"""An inventory that does not give every play the lab's variables is refused by lab_config with the
fix, before anything else runs (no pre-shared key written, no twin started): the plays on the
instances, which do not run the role, would otherwise fail later on a bare undefined variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]
PLAYBOOK = """\
- name: Check the lab's variables
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: hybridlab.aws.lab_config
"""


def _run(tmp: Path, with_link: bool) -> subprocess.CompletedProcess:
    namespace = tmp / "collections" / "ansible_collections" / "hybridlab"
    namespace.mkdir(parents=True)
    (namespace / "aws").symlink_to(REPO, target_is_directory=True)
    inventory = tmp / "inventory"
    (inventory / "group_vars" / "all").mkdir(parents=True)
    (inventory / "hosts.yml").write_text("all:\n  hosts:\n    localhost:\n      ansible_connection: local\n")
    if with_link:
        (inventory / "group_vars" / "all" / "00_lab_defaults.yml").symlink_to(
            REPO / "roles" / "lab_config" / "defaults" / "main.yml"
        )
    (tmp / "play.yml").write_text(PLAYBOOK)
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    env.update(
        ANSIBLE_COLLECTIONS_PATH=str(tmp / "collections"),
        ANSIBLE_LOCAL_TEMP=str(tmp / "ansible-tmp"),
        ANSIBLE_NOCOLOR="1",
        HYBRIDLAB_STATE_DIR=str(tmp / "state"),
    )
    args = [str(REPO / ".venv" / "bin" / "ansible-playbook"), "-i", str(inventory), "play.yml",
            "-e", f"ansible_python_interpreter={sys.executable}"]
    return subprocess.run(args, cwd=tmp, env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("with_link", [False, True], ids=["without-the-link", "with-the-link"])
def test_the_lab_defaults_must_reach_every_play(tmp_path: Path, with_link: bool) -> None:
    run = _run(tmp_path, with_link)

    if with_link:
        assert run.returncode == 0, run.stdout + run.stderr
        assert (tmp_path / "state" / "hybridlab" / "vpn_tunnel_psks.yml").is_file()
    else:
        assert run.returncode == 2, run.stdout + run.stderr
        assert "link the lab's defaults into it as group_vars/all/00_lab_defaults.yml" in run.stdout
        assert not (tmp_path / "state").exists(), "nothing may be written before the check"
