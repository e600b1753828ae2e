"""A tunnel endpoint accepts what AWS's tunnel options allow, spelled as Libreswan 4.10 takes it."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from labbox.cloud.vpn_tunnels import DEFAULT_TUNNEL_OPTIONS
from labbox.dataplane import proposals


def _values(*values):
    return [{"Value": value} for value in values]


def test_aws_default_options_give_every_cipher_integrity_and_supported_group() -> None:
    ike = proposals.ike(DEFAULT_TUNNEL_OPTIONS)
    assert ike.startswith("aes128+aes256-sha1+sha2_256+sha2_384+sha2_512;modp2048+")
    assert "aes_gcm_16_128+aes_gcm_16_256-" in ike
    # modp1024 (2) and 22-24 are not in Libreswan's default build.
    assert "modp1024" not in ike and "dh22" not in ike and "dh21" in ike


def test_the_child_sa_accepts_one_pfs_group_preferring_14() -> None:
    assert proposals.esp(DEFAULT_TUNNEL_OPTIONS).split(",") == [
        "aes128+aes256-sha1+sha2_256+sha2_384+sha2_512;modp2048",
        "aes_gcm_16_128+aes_gcm_16_256;modp2048",
    ]
    narrowed = {**DEFAULT_TUNNEL_OPTIONS, "Phase2DHGroupNumbers": _values(2, 19, 20)}
    assert proposals.esp(narrowed).endswith(";dh19")


def test_options_libreswan_cannot_meet_are_refused() -> None:
    with pytest.raises(ValueError, match="phase 1"):
        proposals.ike({**DEFAULT_TUNNEL_OPTIONS, "Phase1DHGroupNumbers": _values(2, 22)})


def test_a_tunnel_allowing_ikev2_is_answered_with_ikev2() -> None:
    assert proposals.ike_version(DEFAULT_TUNNEL_OPTIONS) == 2
    assert proposals.ike_version({"IkeVersions": _values("ikev1")}) == 1


def test_libreswan_parses_the_proposals_of_the_default_options() -> None:
    assert shutil.which("ipsec"), "libreswan is missing: scripts/test-packages.sh installs it"
    for argument in (f"ike={proposals.ike(DEFAULT_TUNNEL_OPTIONS)}", f"esp={proposals.esp(DEFAULT_TUNNEL_OPTIONS)}"):
        done = subprocess.run(["ipsec", "algparse", "-v2", "-pfs", argument], capture_output=True, text=True, check=False)
        assert done.returncode == 0 and "ERROR" not in done.stdout + done.stderr, done.stdout + done.stderr
