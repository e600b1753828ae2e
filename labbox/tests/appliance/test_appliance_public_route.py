"""The route to the twin's public addresses: opt-in, root only, one twin at a time, nothing else routed."""

from __future__ import annotations

import pytest

from labbox.appliance import public_route
from labbox.appliance.guest_files import MGMT_MAC


@pytest.mark.parametrize(("value", "wanted"), [("", False), ("0", False), ("false", False), ("1", True), ("yes", True)])
def test_the_route_is_made_only_when_asked_for(monkeypatch: pytest.MonkeyPatch, value: str, wanted: bool) -> None:
    monkeypatch.setenv(public_route.ENVIRONMENT, value)
    assert public_route.wanted() is wanted


def test_the_guest_card_is_a_tap_with_its_own_address_apart_from_the_management_card() -> None:
    arguments = public_route.qemu_arguments("lbxnet5055")
    assert "tap,id=internet,ifname=lbxnet5055,script=no,downscript=no" in arguments
    assert f"virtio-net-pci,netdev=internet,mac={public_route.GUEST_MAC}" in arguments
    assert public_route.GUEST_MAC != MGMT_MAC
    assert len(public_route.device_name(65535)) <= 15


def test_only_root_may_make_the_route(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(public_route.os, "geteuid", lambda: 1000)
    with pytest.raises(public_route.PublicRouteError, match="needs root"):
        public_route.create("lbxnet5055")


def test_a_second_twin_cannot_take_the_route_another_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(public_route.os, "geteuid", lambda: 0)
    monkeypatch.setattr(public_route.os.path, "exists", lambda path: True)
    monkeypatch.setattr(public_route, "_holder", lambda: "lbxnet6000")
    with pytest.raises(public_route.PublicRouteError, match="already routed to lbxnet6000"):
        public_route.create("lbxnet5055")


def test_the_controller_address_is_never_handed_out_by_the_twin() -> None:
    from labbox.cloud.public_ips import RESERVED

    assert public_route.CONTROLLER_ADDRESS in RESERVED
