"""Helpers of the integration tests: a lab environment pointing the playbooks at one twin.

Each test session starts its own twin (``python -m labbox start``) on a free loopback port with
its own state directory, and points the playbooks at it through LABBOX_PORT, exactly as a user's
`make lab` does with the default port.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import boto3

REPO = Path(__file__).resolve().parents[2]
REGION = "ap-northeast-2"
PSKS = ("tunnel1.Key_one", "tunnel2.Key_two")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PlaybookRun:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def failures(self) -> str:
        """Each failed or unreachable task with its message: the tail alone may end far after them."""
        lines = self.stdout.splitlines()
        found = []
        for index, line in enumerate(lines):
            if line.startswith(("fatal: ", "failed: ")):
                task = next((lines[k] for k in range(index, -1, -1) if lines[k].startswith("TASK [")), "")
                found.append(f"{task}\n{line[:3000]}")
        return "\n".join(found) or "(no task reported fatal or failed)"

    def recap(self, host: str = "localhost") -> dict[str, int]:
        """The PLAY RECAP counters of one host."""
        match = re.search(rf"^{re.escape(host)}\s*:\s*(.*)$", self.stdout, re.MULTILINE)
        assert match, f"no PLAY RECAP line for {host}:\n{self.output}"
        return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))}


@dataclass
class Lab:
    """The environment of one test session: a twin and the variables that point at it.

    Without ``data_plane`` the playbooks build the AWS side only (``lab_configure_instances:
    false``): no guest boots, and the host steps are skipped.
    """

    env: dict[str, str]
    endpoint: str
    data_plane: bool = False

    def playbook(
        self, playbook: str, *extra_vars: dict, check: bool = True, options: tuple[str, ...] = (), timeout: int = 900
    ) -> PlaybookRun:
        args = [str(REPO / ".venv/bin/ansible-playbook"), playbook, *options]
        for extra in ({"lab_configure_instances": self.data_plane}, *extra_vars):
            args += ["-e", json.dumps(extra)]
        # In a session of its own, so that a run cut off at the timeout ends with every process it
        # started (a class's learners' ansible-playbook runs), not only its own.
        with subprocess.Popen(args, cwd=REPO, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, start_new_session=True) as process:
            try:
                stdout, stderr = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()
                raise
        run = PlaybookRun(process.returncode, stdout, stderr)
        if check:
            assert run.returncode == 0, f"{playbook} failed:\n{run.failures()}\n...\n{run.output[-6000:]}"
        return run

    def module(self, module: str, args: dict) -> dict:
        """Run one module on the controller (ad hoc) and return its result."""
        env = dict(self.env, ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="json")
        connection = {
            "endpoint_url": self.endpoint,
            "access_key": "labbox",
            "secret_key": "labbox",
            "region": REGION,
        }
        done = subprocess.run(
            [str(REPO / ".venv/bin/ansible"), "localhost", "-m", module, "-a", json.dumps(connection | args)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"{module} failed:\n{done.stdout[-4000:]}{done.stderr[-2000:]}"
        # The json callback's document, after whatever the enabled callbacks (task timer) print first.
        document, _ = json.JSONDecoder().raw_decode(done.stdout[done.stdout.index("{") :])
        return document["plays"][0]["tasks"][0]["hosts"]["localhost"]

    def on_host(self, host: str, module: str, args: str, become: bool = True, timeout: int = 600) -> PlaybookRun:
        """Run one module on a lab instance (ad hoc, through the inventory's jump hosts)."""
        command = [str(REPO / ".venv/bin/ansible"), host, "-m", module, "-a", args, *(["--become"] if become else [])]
        done = subprocess.run(command, cwd=REPO, env=self.env, capture_output=True, text=True, timeout=timeout)
        return PlaybookRun(done.returncode, done.stdout, done.stderr)

    def client(self, service: str, region: str = REGION):
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=self.endpoint,
            aws_access_key_id="labbox",
            aws_secret_access_key="labbox",
        )

    def labbox(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "labbox", *args], cwd=REPO, env=self.env, capture_output=True, text=True, timeout=120
        )


def lab_env(tmp: Path, port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "ANSIBLE_"))}
    env.update(
        # The user's own AWS files must not count: a test of "no credentials" needs none.
        AWS_SHARED_CREDENTIALS_FILE=str(tmp / "aws" / "credentials"),
        AWS_CONFIG_FILE=str(tmp / "aws" / "config"),
        LABBOX_PORT=str(port),
        LABBOX_HOME=str(tmp / "labbox"),
        HYBRIDLAB_STATE_DIR=str(tmp / "state"),
        ANSIBLE_CONFIG=str(REPO / "ansible.cfg"),
        ANSIBLE_LOCAL_TEMP=str(tmp / "ansible-tmp"),
        ANSIBLE_NOCOLOR="1",
        # Never let botocore ask an instance metadata service for credentials (no traffic off the machine).
        AWS_EC2_METADATA_DISABLED="true",
        PATH=f"{REPO / '.venv/bin'}:{env.get('PATH', '')}",
    )
    return env
