"""Install every extension of moto that the twin needs, before the server starts.

Each gap in moto that the lab touches is closed by one module here; each module
exposes ``install()``, which must be idempotent (tests install into one process many times).
"""

from __future__ import annotations

import importlib

# Order matters only where one extension builds on another (cfn_* types need the EC2 ones).
EXTENSION_MODULES: tuple[str, ...] = ()

_installed = False


def install() -> None:
    """Import and install all extensions once per process."""
    global _installed
    if _installed:
        return
    for name in EXTENSION_MODULES:
        importlib.import_module(f"labbox.cloud.{name}").install()
    _installed = True
