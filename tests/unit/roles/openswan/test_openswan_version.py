"""Which Libreswan the role writes for: read from `ipsec --version`, else the platform's."""

from __future__ import annotations

import pytest

from openswan_role import evaluate


@pytest.mark.parametrize(
    "output, version",
    [
        ("Linux Libreswan 3.25 (netkey) on 4.14.355-275.582.amzn2.x86_64\n", "3.25"),
        ("Libreswan 4.10\n", "4.10"),
        ("Libreswan 5.2\n", "5.2"),
        ("", ""),
        ("/bin/sh: 1: ipsec: not found", ""),
    ],
)
def test_version_is_read_from_ipsec_version_output(output: str, version: str) -> None:
    assert evaluate("{{ __openswan_version_from_output }}", __openswan_version_output={"stdout": output}) == version


def test_detected_version_wins_over_the_platform_default() -> None:
    assert evaluate("{{ __openswan_version }}", __openswan_detected_version="5.2") == "5.2"
    assert evaluate("{{ __openswan_major }}", __openswan_detected_version="5.2") == 5


def test_the_users_version_wins_over_the_detected_one() -> None:
    assert evaluate("{{ __openswan_version }}", __openswan_detected_version="5.2", openswan_libreswan_version="3.25") == "3.25"


@pytest.mark.parametrize("platform, package, version", [("Amazon", "libreswan", "4.12"), ("Debian", "libreswan", "4.10"), ("Fedora", "libreswan", "5.2")])
def test_before_the_first_install_the_platforms_packaged_version_is_assumed(platform: str, package: str, version: str) -> None:
    assert evaluate("{{ __openswan_version }}", platform=platform) == version
    assert evaluate("{{ __openswan_package }}", platform=platform) == package


def test_modp1024_is_refused_on_libreswan_4_with_the_groups_it_has() -> None:
    assert evaluate("{{ __openswan_version_problems }}", openswan_libreswan_version="4.10", openswan_phase2_dh_group=2) == [
        "openswan_phase2_dh_group 2 (modp1024) is not enabled in Libreswan 4.10; choose one of 5, 14, 15, 16, 17, 18, 19, 20, 21"
    ]


def test_modp1024_is_still_fine_on_libreswan_3() -> None:
    assert evaluate("{{ __openswan_version_problems }}", openswan_libreswan_version="3.25", openswan_phase1_dh_group=2) == []


def test_an_unknown_major_version_is_refused() -> None:
    assert evaluate("{{ __openswan_version_problems }}", openswan_libreswan_version="6.0") == [
        "Libreswan 6.0 is not supported; the role writes configuration for 3.x, 4.x and 5.x"
    ]
