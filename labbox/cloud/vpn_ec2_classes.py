"""Plug the VPN extensions into moto's EC2 backend and EC2 response classes.

moto builds one ``EC2Backend`` per account and region from ``ec2_backends.backend`` and
answers every EC2 call through the handler in ``moto.ec2.urls.url_paths``. Instead of
editing moto's classes, each VPN module writes a mixin that overrides or adds methods and
calls :func:`extend_ec2_backend` / :func:`extend_ec2_response`: the current class is
replaced by a subclass with the mixin in front. Because each extension subclasses whatever
class is current, extensions compose in install order, and installing twice is a no-op.

Backends created before the extension is installed keep their class, so install first
(``labbox.cloud.extensions.install()`` runs before the server or a test starts).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from moto.ec2 import urls as ec2_urls
from moto.ec2.models import ec2_backends

_EC2_PATH = "{0}/"


def _ec2_url_module(self: Any) -> ModuleType:
    # moto derives the URL module from the backend class's module; ours lives elsewhere.
    return importlib.import_module("moto.ec2.urls")


def extend_ec2_backend(mixin: type) -> type:
    """Make every new EC2 backend an instance of ``mixin`` (in front of the current class)."""
    current = ec2_backends.backend
    if issubclass(current, mixin):
        return current
    extended = type(
        current.__name__,
        (mixin, current),
        {"_url_module": property(_ec2_url_module), "__doc__": current.__doc__},
    )
    ec2_backends.backend = extended
    for account_backends in ec2_backends.values():
        account_backends.backend = extended
    return extended


def extend_ec2_response(mixin: type) -> type:
    """Answer EC2 calls with a response class that has ``mixin`` in front of the current one."""
    current = ec2_urls.url_paths[_EC2_PATH].__self__
    if issubclass(current, mixin):
        return current
    # Keep moto's class name: the server names its Flask endpoint after it.
    extended = type(current.__name__, (mixin, current), {})
    ec2_urls.url_paths[_EC2_PATH] = extended.dispatch
    return extended


def ec2_backend(account_id: str, region_name: str) -> Any:
    """The EC2 backend of one account and region."""
    return ec2_backends[account_id][region_name]


def all_ec2_backends() -> list[Any]:
    """Every EC2 backend that exists now, across accounts and regions."""
    return [backend for _, _, backend in ec2_backends.iter_backends()]
