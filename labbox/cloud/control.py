"""Start, stop, inspect and reset the twin's server process.

``start`` runs ``python -m labbox serve`` in its own session with its output in the
state directory's log file, records its pid there, and waits until ``/labbox-api/health``
answers from that very process. ``stop`` signals only that recorded pid, and only while
it still is a labbox server (its command line is checked, so a recycled pid is never
signalled). A server started in the foreground with ``serve`` is reported as running
but is not ours to stop.

``reset`` clears the running server's AWS state (moto's ``/moto-api/reset``) and empties
the state directory; it keeps only the pid and log files of a running server, so that
``stop`` still finds it and its log goes on. With no server running, nothing is kept.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labbox.cloud import state_dir

EXIT_RUNNING = 0
EXIT_STOPPED = 3
EXIT_FAILED = 1


@dataclass
class Status:
    endpoint: str
    healthy: bool
    server_pid: int | None  # the pid the health route reports
    recorded_pid: int | None  # the pid in our pid file, when that process is alive

    @property
    def running(self) -> bool:
        return self.healthy

    @property
    def ours(self) -> bool:
        return self.recorded_pid is not None and self.server_pid == self.recorded_pid


def request(method: str, url: str, body: dict[str, Any] | None = None, timeout: float = 5.0) -> tuple[int, Any]:
    """One HTTP request to the twin; returns (status, decoded JSON or text)."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data is not None else {}
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            raw, status = response.read(), response.status
    except urllib.error.HTTPError as error:
        raw, status = error.read(), error.code
    text = raw.decode(errors="replace")
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def health(endpoint: str, timeout: float = 2.0) -> dict[str, Any] | None:
    try:
        status, answer = request("GET", f"{endpoint}/labbox-api/health", timeout=timeout)
    except (OSError, urllib.error.URLError):
        return None
    if status == 200 and isinstance(answer, dict) and answer.get("service") == "labbox":
        return answer
    return None


def _is_labbox_server(pid: int) -> bool:
    """The process exists and its command line is ``... -m labbox serve ...``."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"labbox" in argv and b"serve" in argv


def recorded_pid() -> int | None:
    """The pid in the pid file, if that process is still a labbox server."""
    try:
        pid = int(state_dir.pid_file().read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _is_labbox_server(pid) else None


def status() -> Status:
    endpoint = state_dir.endpoint()
    answer = health(endpoint)
    return Status(
        endpoint=endpoint,
        healthy=answer is not None,
        server_pid=int(answer["pid"]) if answer and "pid" in answer else None,
        recorded_pid=recorded_pid(),
    )


def describe(current: Status) -> list[str]:
    lines = [f"endpoint: {current.endpoint}", f"state: {'running' if current.running else 'stopped'}"]
    if current.running:
        owner = "" if current.ours else " (not started by 'labbox start')"
        lines.append(f"pid: {current.server_pid}{owner}")
    lines += [f"home: {state_dir.home()}", f"log: {state_dir.log_file()}"]
    return lines


def print_status() -> int:
    current = status()
    print("\n".join(describe(current)))
    return EXIT_RUNNING if current.running else EXIT_STOPPED


def start(timeout: float = 60.0) -> int:
    """Start the server in the background; the first line says whether this call started it."""
    current = status()
    if current.running:
        print("labbox already running")
        print("\n".join(describe(current)))
        return EXIT_RUNNING
    home = state_dir.ensure_home()
    pid_path = state_dir.pid_file()
    if pid_path.exists() and current.recorded_pid is None:
        pid_path.unlink()  # stale: that process is gone
    port = state_dir.port()
    with open(state_dir.log_file(), "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "labbox", "serve", "--port", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=home,
            start_new_session=True,
        )
    pid_path.write_text(f"{process.pid}\n")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = health(current.endpoint, timeout=1.0)
        if answer is not None and answer.get("pid") == process.pid:
            print(f"labbox started (pid {process.pid})")
            print("\n".join(describe(status())))
            return EXIT_RUNNING
        if answer is not None:
            print(f"another labbox server answers on {current.endpoint}; not starting a second one", file=sys.stderr)
            _terminate(process.pid, timeout=10.0)
            pid_path.unlink(missing_ok=True)
            return EXIT_FAILED
        if process.poll() is not None:
            pid_path.unlink(missing_ok=True)
            print(
                f"labbox server exited with status {process.returncode}; see {state_dir.log_file()}:", file=sys.stderr
            )
            print(_tail(state_dir.log_file()), file=sys.stderr)
            return EXIT_FAILED
        time.sleep(0.2)
    _terminate(process.pid, timeout=10.0)
    pid_path.unlink(missing_ok=True)
    print(f"labbox server did not become healthy within {timeout:.0f} s; see {state_dir.log_file()}", file=sys.stderr)
    return EXIT_FAILED


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _terminate(pid: int, timeout: float) -> bool:
    """SIGTERM the (verified) labbox server ``pid``, SIGKILL after ``timeout``; True once gone."""
    if not _is_labbox_server(pid):
        return True
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    if _is_labbox_server(pid):
        os.kill(pid, signal.SIGKILL)
    for _ in range(50):
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return False


def _alive(pid: int) -> bool:
    try:
        # Reap it if it is our child (start's own error paths); otherwise just probe it.
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished == pid:
            return False
    except ChildProcessError:
        pass
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def stop(timeout: float = 15.0) -> int:
    pid = recorded_pid()
    pid_path = state_dir.pid_file()
    if pid is None:
        pid_path.unlink(missing_ok=True)
        current = status()
        if current.running:
            print(
                f"a labbox server (pid {current.server_pid}) answers on {current.endpoint} but was not started by "
                "'labbox start'; leaving it alone",
                file=sys.stderr,
            )
            return EXIT_FAILED
        print("labbox is not running")
        return 0
    if not _terminate(pid, timeout):
        print(f"labbox server (pid {pid}) did not exit", file=sys.stderr)
        return EXIT_FAILED
    pid_path.unlink(missing_ok=True)
    print(f"labbox stopped (pid {pid})")
    return 0


def reset() -> int:
    current = status()
    keep: set[str] = set()
    if current.running:
        code, answer = request("POST", f"{current.endpoint}/moto-api/reset")
        if code != 200:
            print(f"resetting the server's state failed: HTTP {code} {answer}", file=sys.stderr)
            return EXIT_FAILED
        print(f"reset the AWS state of the server on {current.endpoint}")
        if current.ours:
            keep = {state_dir.PID_FILE, state_dir.LOG_FILE}
    removed = state_dir.empty(keep)
    print(
        f"emptied {state_dir.home()} ({len(removed)} entries removed"
        + (", kept the running server's pid and log files)" if keep else ")")
    )
    return 0


def telemetry(
    vpn_connection_id: str, outside_ip: str, tunnel_status: str, message: str | None, accepted_route_count: int | None
) -> int:
    body: dict[str, Any] = {
        "vpn_connection_id": vpn_connection_id,
        "outside_ip": outside_ip,
        "status": tunnel_status,
        "status_message": message or "",
    }
    if accepted_route_count is not None:
        body["accepted_route_count"] = accepted_route_count
    endpoint = state_dir.endpoint()
    try:
        code, answer = request("POST", f"{endpoint}/labbox-api/vpn-telemetry", body)
    except (OSError, urllib.error.URLError) as error:
        print(f"labbox is not reachable at {endpoint}: {error}", file=sys.stderr)
        return EXIT_FAILED
    if code == 200:
        print(f"{vpn_connection_id} {outside_ip}: {tunnel_status}")
        return 0
    detail = answer.get("message", answer) if isinstance(answer, dict) else answer
    print(f"telemetry refused (HTTP {code}): {detail}", file=sys.stderr)
    return EXIT_FAILED
