"""Where the twin keeps its state, and on which address it listens.

Everything the twin writes (the server's pid and log files, and whatever extensions
persist) lives under one directory, so ``reset`` can empty it in one go:
``$LABBOX_HOME``, else ``$XDG_STATE_HOME/hybridlab/labbox`` (XDG_STATE_HOME defaulting to
``~/.local/state``). The server listens on 127.0.0.1 only, port ``$LABBOX_PORT`` (5055).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

HOST = "127.0.0.1"
DEFAULT_PORT = 5055
PID_FILE = "labbox.pid"
LOG_FILE = "labbox.log"


def home() -> Path:
    explicit = os.environ.get("LABBOX_HOME")
    if explicit:
        return Path(explicit).expanduser()
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state).expanduser() / "hybridlab" / "labbox"


def ensure_home() -> Path:
    directory = home()
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def port() -> int:
    value = os.environ.get("LABBOX_PORT", "")
    try:
        return int(value) if value else DEFAULT_PORT
    except ValueError as error:
        raise SystemExit(f"LABBOX_PORT must be a port number, not {value!r}") from error


def endpoint(listen_port: int | None = None) -> str:
    return f"http://{HOST}:{listen_port if listen_port is not None else port()}"


def pid_file() -> Path:
    return home() / PID_FILE


def log_file() -> Path:
    return home() / LOG_FILE


def empty(keep: set[str]) -> list[Path]:
    """Delete everything in the state directory except the top-level names in ``keep``."""
    directory = home()
    removed: list[Path] = []
    if not directory.is_dir():
        return removed
    for entry in sorted(directory.iterdir()):
        if entry.name in keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
        removed.append(entry)
    return removed
