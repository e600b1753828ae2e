"""The role on the platforms the lab runs on: Amazon Linux 2023 (AWS's default image) and Debian 12
(the twin's instances), each from its own vars file picked by the facts as tasks/version.yml
picks it; and Amazon Linux 2 refused, with the reason, from /etc/os-release alone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from openswan_role import FACTS, ROLE, conns, evaluate, parse_ipsec_conf, platform_vars_file, render

# What every platform file must say: the role reads each of these on every platform.
PLATFORM_KEYS = {
    "__openswan_package",
    "__openswan_packaged_version",
    "__openswan_package_manager",
    "__openswan_service",
    "__openswan_stock_updown",
    "__openswan_nft_package",
    "__openswan_nft_command",
}

# (facts, vars file, package manager, Libreswan version packaged)
PLATFORMS = {
    "al2023": ("Amazon.yml", "dnf", "4.12"),
    "debian12": ("Debian.yml", "apt", "4.10"),
}

OS_RELEASE = {
    "al2023": 'NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\nID_LIKE="fedora"\nVERSION_ID="2023"\n'
    'PLATFORM_ID="platform:al2023"\nPRETTY_NAME="Amazon Linux 2023.6.20241212"\n',
    "al2": 'NAME="Amazon Linux"\nVERSION="2"\nID="amzn"\nID_LIKE="centos rhel fedora"\nVERSION_ID="2"\n'
    'PRETTY_NAME="Amazon Linux 2"\n',
    "amazon-linux-ami": 'NAME="Amazon Linux AMI"\nVERSION="2018.03"\nID="amzn"\nID_LIKE="rhel fedora"\n'
    'VERSION_ID="2018.03"\nPRETTY_NAME="Amazon Linux AMI 2018.03"\n',
    "debian12": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\n'
    "VERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n",
}


def _refusal(os_release: str) -> str:
    return evaluate("{{ __openswan_platform_refusal }}", __openswan_os_release={"stdout": os_release})


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_the_facts_pick_the_platforms_own_vars_file(platform: str) -> None:
    file_name, manager, version = PLATFORMS[platform]
    assert platform_vars_file(FACTS[platform]).name == file_name
    facts = FACTS[platform]
    assert evaluate("{{ __openswan_package }}", facts=facts) == "libreswan"
    assert evaluate("{{ __openswan_package_manager }}", facts=facts) == manager
    assert evaluate("{{ __openswan_version }}", facts=facts) == version
    assert evaluate("{{ __openswan_major }}", facts=facts) == 4
    assert evaluate("{{ __openswan_service }}", facts=facts) == "ipsec"
    # Fedora's libreswan.spec (LIBEXECDIR=%{_libexecdir}/ipsec) and Debian's package alike.
    assert evaluate("{{ __openswan_stock_updown }}", facts=facts) == "/usr/libexec/ipsec/_updown"
    assert evaluate("{{ __openswan_nft_package }}", facts=facts) == "nftables"
    assert evaluate("{{ __openswan_nft_command }}", facts=facts) == "/usr/sbin/nft"


def test_the_helper_picks_files_in_the_roles_own_order() -> None:
    """platform_vars_file mirrors tasks/version.yml; this fails if the role's order changes."""
    tasks = yaml.safe_load((ROLE / "tasks" / "version.yml").read_text())
    include = next(task for task in tasks if "ansible.builtin.include_vars" in task)
    assert include["vars"]["__openswan_platform_files"]["files"] == [
        "{{ ansible_facts.distribution }}-{{ ansible_facts.distribution_major_version }}.yml",
        "{{ ansible_facts.distribution }}.yml",
        "{{ ansible_facts.os_family }}.yml",
    ]


PLATFORM_FILES = sorted(path for path in (ROLE / "vars").glob("*.yml") if path.name != "main.yml")


def test_amazon_linux_2_has_no_vars_file_of_its_own() -> None:
    """It is refused in validate.yml; a file for it would suggest it is supported."""
    assert "Amazon-2.yml" not in [path.name for path in PLATFORM_FILES]
    assert {"Amazon.yml", "Debian.yml"} <= {path.name for path in PLATFORM_FILES}


@pytest.mark.parametrize("path", PLATFORM_FILES, ids=lambda path: path.name)
def test_every_platform_file_says_everything_the_role_reads(path: Path) -> None:
    assert set(yaml.safe_load(path.read_text())) == PLATFORM_KEYS


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_the_connections_are_written_as_libreswan_4_wants_them(platform: str) -> None:
    tunnels = conns(render("aws.conf.j2", facts=FACTS[platform]))
    assert sorted(tunnels) == ["Tunnel1", "Tunnel2"]
    for tunnel in tunnels.values():
        assert tunnel["keyexchange"] == "ike"
        assert tunnel["ikev2"] == "yes"
        assert tunnel["esp"] == "aes256-sha2_256;modp2048"
        assert tunnel["dpdaction"] == "restart"
        assert tunnel["leftupdown"] == "/etc/ipsec.d/aws-vti-updown.sh"


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_ikev1_is_allowed_explicitly_whatever_the_builds_default(platform: str) -> None:
    sections = parse_ipsec_conf(render("aws.conf.j2", facts=FACTS[platform], openswan_ike_version=1))
    assert sections[0] == ("config setup", {"ikev1-policy": "accept"})
    assert all(settings["ikev2"] == "no" for header, settings in sections[1:])


def test_the_al2023_configuration_passes_a_real_libreswan_4_check(tmp_path: Path) -> None:
    """This machine's Libreswan is Debian's 4.10; AL2023's 4.12 reads the same 4.x keywords."""
    ipsec = shutil.which("ipsec") or "/usr/sbin/ipsec"
    assert Path(ipsec).exists(), "needs Debian's libreswan on this machine: run scripts/test-packages.sh"
    conf = tmp_path / "aws.conf"
    for ike_version in (2, 1):
        conf.write_text(render("aws.conf.j2", facts=FACTS["al2023"], openswan_ike_version=ike_version))
        done = subprocess.run([ipsec, "addconn", "--checkconfig", "--config", str(conf)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_al2023_updown_calls_the_packages_own_updown_first() -> None:
    lines = [line for line in render("aws-vti-updown.sh.j2", facts=FACTS["al2023"]).splitlines() if line and not line.startswith("#")]
    assert lines[0] == '"/usr/libexec/ipsec/_updown" "$@"'


@pytest.mark.parametrize("platform", ["al2", "amazon-linux-ami"])
def test_old_amazon_linux_is_refused_with_the_reason(platform: str) -> None:
    refusal = _refusal(OS_RELEASE[platform])
    assert "is not supported" in refusal
    assert "Amazon Linux 2023" in refusal
    assert "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" in refusal


def test_amazon_linux_2_is_refused_for_its_python_and_its_end_of_support() -> None:
    refusal = _refusal(OS_RELEASE["al2"])
    assert refusal.startswith("Amazon Linux 2 is not supported: its Python is 3.7")
    assert "ansible-core 2.19 manages hosts with Python 3.8 or later only" in refusal
    assert "2026-06-30" in refusal


@pytest.mark.parametrize("platform", ["al2023", "debian12"])
def test_the_lab_platforms_are_not_refused(platform: str) -> None:
    assert _refusal(OS_RELEASE[platform]) == ""


def test_os_release_values_are_read_quoted_or_not() -> None:
    assert _refusal("ID=amzn\nVERSION_ID=2\n") == _refusal(OS_RELEASE["al2"]) != ""
    assert _refusal("ID='amzn'\nVERSION_ID='2'\n") == _refusal(OS_RELEASE["al2"])
    # ID_LIKE or a VERSION_ID of 2023 must not be taken for Amazon Linux 2.
    assert _refusal('ID_LIKE="amzn"\nID=other\nVERSION_ID="2"\n') == ""
    assert _refusal('ID=amzn\nVERSION_ID="2023.6"\n') == ""


@pytest.mark.parametrize(
    "installed, nft_installed, mss, missing",
    [
        (True, True, 1379, []),
        (False, True, 1379, ["libreswan"]),
        (True, False, 1379, ["nftables"]),
        (False, False, 1379, ["libreswan", "nftables"]),
        (True, False, 0, []),
        (True, False, None, []),
    ],
)
def test_only_what_is_missing_is_installed(installed: bool, nft_installed: bool, mss, missing: list[str]) -> None:
    """A host with Libreswan and nft (the twin's instances, which have no mirror) never calls its package manager."""
    for platform in PLATFORMS:
        found = evaluate(
            "{{ __openswan_missing_packages }}",
            facts=FACTS[platform],
            __openswan_installed=installed,
            __openswan_nft_installed=nft_installed,
            openswan_tcp_mss=mss,
        )
        assert found == missing


@pytest.mark.parametrize(
    "stdout, installed",
    [("nft: installed\nLibreswan 4.12\n", True), ("Libreswan 4.10\n", False), ("", False)],
)
def test_nft_is_known_from_the_version_command(stdout: str, installed: bool) -> None:
    tasks = yaml.safe_load((ROLE / "tasks" / "detect_version.yml").read_text())
    expression = tasks[1]["ansible.builtin.set_fact"]["__openswan_nft_installed"]
    result = {"stdout": stdout, "stdout_lines": stdout.splitlines(), "rc": 0}
    assert evaluate(expression, __openswan_version_output=result) is installed
    assert evaluate("{{ __openswan_version_from_output }}", __openswan_version_output=result) == (
        stdout.split("Libreswan ")[1].strip() if "Libreswan" in stdout else ""
    )
