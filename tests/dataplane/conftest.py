"""The data plane's tests: the whole lab on a twin whose guest runs its instances and tunnels.

One twin and one guest for the session (booting a guest costs half a minute under TCG), on a
free port with its own state directory; the appliance image comes from the usual cache and
is built when missing. The tests of a module run in file order on one lab.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))

from lab_env import Lab, free_port, lab_env  # noqa: E402


@pytest.fixture(scope="session")
def lab(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("dataplane")
    port = free_port()
    # The twin's public addresses routed to this machine (root only), for the account path's test;
    # only a session that runs it claims those routes, so another session's twin can run beside it.
    env = lab_env(tmp, port)
    if any(item.path.name == "test_account_path.py" for item in request.session.items):
        env["LABBOX_PUBLIC_ROUTE"] = "1"
    lab = Lab(env=env, endpoint=f"http://127.0.0.1:{port}", data_plane=True)
    try:
        yield lab
    finally:
        # Stops the data plane's agent and guest, then the twin: only what this session started.
        stopped = lab.labbox("stop")
        print(stopped.stdout, stopped.stderr)
