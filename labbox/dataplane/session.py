"""One SSH session to the guest that runs ``guest.netd``; requests and answers are JSON lines.

The guest package is copied in at the start of each session (so the guest image never needs
rebuilding when the data plane's code changes), then one long-lived ``ssh`` runs the loop: no
connection set-up per request, which under TCG costs more than the work itself.
"""

from __future__ import annotations

import io
import json
import selectors
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from labbox.appliance import control, ssh

GUEST_PACKAGE = Path(__file__).with_name("guest")
GUEST_DIR = "/run/labbox"


class SessionError(RuntimeError):
    """The guest's loop died, timed out or answered with an error."""


def _package() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path in sorted(GUEST_PACKAGE.glob("*.py")):
            archive.add(path, arcname=f"guest/{path.name}")
    return buffer.getvalue()


class GuestSession:
    def __init__(self, state: control.RunState) -> None:
        run_dir = control.run_dir()
        install = f"rm -rf {GUEST_DIR}/guest && mkdir -p {GUEST_DIR} && tar -xzf - -C {GUEST_DIR}"
        copied = subprocess.run(
            ssh.command(run_dir, state.ssh_port, install), input=_package(), capture_output=True, timeout=120, check=False
        )
        if copied.returncode != 0:
            raise SessionError(f"copying the data plane into the guest failed: {copied.stderr.decode(errors='replace')}")
        self._process = subprocess.Popen(
            ssh.command(run_dir, state.ssh_port, f"cd {GUEST_DIR} && exec python3 -m guest.netd"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
        )
        self._selector = selectors.DefaultSelector()
        assert self._process.stdout is not None
        self._selector.register(self._process.stdout, selectors.EVENT_READ)

    def request(self, payload: dict[str, Any], timeout: float = 300.0) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        if self._process.poll() is not None:
            raise SessionError(f"the guest's data plane loop exited with {self._process.returncode}")
        try:
            self._process.stdin.write(json.dumps(payload) + "\n")
            self._process.stdin.flush()
        except OSError as error:
            raise SessionError(f"the guest's data plane loop is gone: {error}") from error
        if not self._selector.select(timeout):
            raise SessionError(f"no answer to {payload.get('op')} within {timeout:.0f} s")
        line = self._process.stdout.readline()
        if not line:
            raise SessionError("the guest's data plane loop closed its output")
        answer: dict[str, Any] = json.loads(line)
        if not answer.get("ok"):
            raise SessionError(f"{payload.get('op')} failed in the guest: {answer.get('error')}\n{answer.get('trace', '')}")
        return answer

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
