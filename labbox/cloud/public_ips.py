"""Public IPv4 addresses (Elastic IPs, auto-assigned instance IPs) from 198.51.100.0/24.

moto hands out random 127.x (EIPs) and random public-looking addresses (auto-assigned),
which can collide and look like real hosts. The twin's public addresses come from the
documentation range TEST-NET-2, are distinct across every region of the account and are
never handed out twice while allocated. Addresses never handed out come first, then the one
handed out longest ago, so an address a lab held a moment ago is not at once another
instance's, as on AWS: an SSH client that still knows it (a kept ControlMaster, a known_hosts
line) would meet a stranger there. When the range is exhausted the call fails with EC2's
``AddressLimitExceeded``.
"""

from __future__ import annotations

import ipaddress
import itertools
import threading
from typing import Any

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models import ec2_backends
from moto.ec2.models.elastic_ip_addresses import ElasticAddress
from moto.ec2.models.elastic_network_interfaces import NetworkInterface
from moto.moto_api._internal import mock_random

from labbox.cloud import patching

PUBLIC_RANGE = ipaddress.IPv4Network("198.51.100.0/24")
# The data plane's operator (the jump host on the twin's "internet") has the first; the machine
# the twin's public addresses are routed to (LABBOX_PUBLIC_ROUTE, labbox.appliance.public_route)
# the last. Neither is ever an Elastic or public IP of an instance.
RESERVED = frozenset({"198.51.100.1", "198.51.100.254"})

_lock = threading.RLock()
# (account, address) -> the order in which it was last handed out (guarded by _lock).
_handed_out: dict[tuple[str, str], int] = {}
_sequence = itertools.count()


class AddressLimitExceeded(EC2ClientError):
    def __init__(self) -> None:
        super().__init__(
            "AddressLimitExceeded", f"The maximum number of addresses has been reached ({PUBLIC_RANGE} is used up)."
        )


def addresses_in_use(account_id: str) -> set[str]:
    """Every public address held by an EIP or an interface, in every region of the account."""
    used: set[str] = set()
    for backend in list(ec2_backends[account_id].values()):
        used.update(address.public_ip for address in backend.addresses)
        used.update(eni.public_ip for eni in backend.enis.values() if eni.public_ip)
    return used


def allocate(account_id: str, taken: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    """A free address of the range (not in use, not in ``taken``)."""
    used = addresses_in_use(account_id) | set(taken) | RESERVED
    free = [str(host) for host in PUBLIC_RANGE.hosts() if str(host) not in used]
    if not free:
        raise AddressLimitExceeded()
    fresh = [address for address in free if (account_id, address) not in _handed_out]
    chosen = mock_random.choice(fresh) if fresh else min(free, key=lambda a: _handed_out[(account_id, a)])
    _handed_out[(account_id, chosen)] = next(_sequence)
    return chosen


def _elastic_address_init(
    self: ElasticAddress, ec2_backend: Any, domain: str, address: str | None = None, tags: Any = None
) -> None:
    with _lock:
        patching.original(ElasticAddress, "__init__", self)(ec2_backend, domain, address=address, tags=tags)
        if not address:
            self.public_ip = allocate(ec2_backend.account_id)


def _check_auto_public_ip(self: NetworkInterface) -> None:
    if self.public_ip_auto_assign and str(self.public_ip_auto_assign).lower() == "true" and not self.public_ip:
        with _lock:
            # The interface itself is not registered yet when this runs during its creation.
            self.public_ip = allocate(self.ec2_backend.account_id)


def _eip_instance_id(self: ElasticAddress) -> str:
    """EC2 reports the instance behind an associated interface, not only a direct association."""
    if self.instance is not None:
        return str(self.instance.id)
    if self.eni is not None and self.eni.instance is not None:
        return str(self.eni.instance.id)
    return ""


def install() -> None:
    patching.override(ElasticAddress, "__init__", _elastic_address_init)
    patching.override(NetworkInterface, "check_auto_public_ip", _check_auto_public_ip)
    patching.override(ElasticAddress, "instance_id", property(_eip_instance_id))
