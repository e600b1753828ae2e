"""The rendered configuration and proposals checked by the real Libreswan 4.x on this machine
(Debian 12's libreswan, installed by scripts/test-packages.sh): `ipsec addconn --checkconfig`
parses aws.conf as pluto would, `ipsec algparse` tells which proposals this build offers."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from pathlib import Path

import pytest

from openswan_role import evaluate, render

IPSEC = shutil.which("ipsec") or next((p for p in ("/usr/sbin/ipsec",) if Path(p).exists()), None)



@pytest.fixture(autouse=True)
def _libreswan_installed() -> None:
    """These checks are the only ones against a real Libreswan: missing it is a failure, not a skip."""
    assert IPSEC is not None, "needs Debian's libreswan on this machine: run scripts/test-packages.sh (make test-packages)"


def _installed_version() -> str:
    out = subprocess.run([IPSEC, "--version"], capture_output=True, text=True, check=True).stdout
    return evaluate("{{ __openswan_version_from_output }}", __openswan_version_output={"stdout": out})


def _algparse(*proposals: str, ike_version: int = 2) -> subprocess.CompletedProcess:
    return subprocess.run(
        [IPSEC, "algparse", f"-v{ike_version}", "-pfs", *proposals], capture_output=True, text=True, check=False
    )


def _checkconfig(text: str, tmp_path: Path) -> subprocess.CompletedProcess:
    conf = tmp_path / "aws.conf"
    conf.write_text(text)
    return subprocess.run([IPSEC, "addconn", "--checkconfig", "--config", str(conf)], capture_output=True, text=True, check=False)


def test_the_installed_libreswan_is_the_4_x_these_checks_are_for() -> None:
    assert _installed_version().startswith("4.")


@pytest.mark.parametrize(
    "routing, ike_version, phase2",
    list(itertools.product(["vti", "policy"], [2, 1], ["AES256", "AES128-GCM-16"])),
)
def test_rendered_config_passes_addconn_checkconfig(tmp_path: Path, routing: str, ike_version: int, phase2: str) -> None:
    text = render(
        "aws.conf.j2",
        openswan_libreswan_version=_installed_version(),
        openswan_routing=routing,
        openswan_ike_version=ike_version,
        openswan_phase2_encryption=phase2,
    )
    done = _checkconfig(text, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_checkconfig_really_rejects_a_bad_keyword_value(tmp_path: Path) -> None:
    """The check above can fail: the same file with an IKE version value 4.x does not know."""
    text = render("aws.conf.j2", openswan_libreswan_version=_installed_version()).replace("ikev2=yes", "ikev2=maybe")
    done = _checkconfig(text, tmp_path)
    assert done.returncode != 0
    assert "ikev2" in done.stdout + done.stderr


@pytest.mark.parametrize("ike_version", [2, 1])
def test_default_proposals_are_offered_by_this_build(ike_version: int) -> None:
    ike = evaluate("{{ __openswan_ike_proposal }}")
    esp = evaluate("{{ __openswan_esp_proposal }}")
    done = _algparse(f"ike={ike}", f"esp={esp}", ike_version=ike_version)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("phase", ["phase1", "phase2"])
def test_role_table_of_dh_groups_matches_this_build(phase: str) -> None:
    """For every DH group AWS accepts, the role's 4.x table says "enabled" exactly when this
    build's algorithm parser takes the proposal; so a group the build lacks fails in the role's
    own check, with a clear message, instead of in pluto."""
    names = evaluate("{{ __openswan_dh_group_names }}")
    enabled = evaluate("{{ __openswan_libreswan_dh_groups[4] }}")
    for group in evaluate("{{ __openswan_aws_dh_groups }}")[phase]:
        proposal = f"ike=aes256-sha2_256;{names[group]}" if phase == "phase1" else f"esp=aes256-sha2_256;{names[group]}"
        offered = _algparse(proposal).returncode == 0
        assert offered == (group in enabled), f"DH group {group} ({names[group]}): build offers it: {offered}"
        problems = evaluate("{{ __openswan_version_problems }}", openswan_libreswan_version="4.10", **{f"openswan_{phase}_dh_group": group})
        assert bool(problems) == (not offered)


@pytest.mark.parametrize(
    "encryption, integrity",
    list(itertools.product(["AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16"], ["SHA1", "SHA2-256", "SHA2-384", "SHA2-512"])),
)
def test_every_aws_cipher_and_integrity_is_spelled_so_this_build_takes_it(encryption: str, integrity: str) -> None:
    overrides = {
        "openswan_phase1_encryption": encryption,
        "openswan_phase1_integrity": integrity,
        "openswan_phase2_encryption": encryption,
        "openswan_phase2_integrity": integrity,
    }
    ike = evaluate("{{ __openswan_ike_proposal }}", **overrides)
    esp = evaluate("{{ __openswan_esp_proposal }}", **overrides)
    done = _algparse(f"ike={ike}", f"esp={esp}")
    assert done.returncode == 0, f"{ike} / {esp}: {done.stdout}{done.stderr}"
