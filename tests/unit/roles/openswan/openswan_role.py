"""Helpers to evaluate the hybridlab.aws.openswan role's variables and templates without a host.

The role keeps its derived values (Libreswan spelling of the proposals, the version's major,
the input checks) in ``vars/main.yml``, so these tests evaluate exactly what the role's tasks
use, through Ansible's own Templar, with the role's defaults, its platform vars and overrides.
The collection's filters those vars call (hybridlab.aws.openswan_input_problems and the like)
resolve through the collection loader that tests/unit/conftest.py installs for every unit test.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

from ansible_collections.hybridlab.aws.plugins.lookup.lab_setting import trusted

REPO = Path(__file__).resolve().parents[4]
ROLE = REPO / "roles" / "openswan"
KEYWORDS = Path(__file__).resolve().parent / "keywords"

CGW_IP = "198.51.100.10"

# The tunnels as hybridlab.aws.vpn_tunnel_info returns them (documentation addresses only).
TUNNELS: list[dict[str, Any]] = [
    {
        "outside_ip": "203.0.113.12",
        "inside_cidr": "169.254.12.0/30",
        "inside_ip_aws": "169.254.12.1",
        "inside_ip_customer": "169.254.12.2",
        "pre_shared_key": "Tunnel1.example_psk",
        "status": "DOWN",
        "status_message": "",
        "last_status_change": "2024-05-01T08:30:00+00:00",
        "accepted_route_count": 0,
    },
    {
        "outside_ip": "203.0.113.47",
        "inside_cidr": "169.254.47.8/30",
        "inside_ip_aws": "169.254.47.9",
        "inside_ip_customer": "169.254.47.10",
        "pre_shared_key": "Tunnel2.example_psk",
        "status": "DOWN",
        "status_message": "",
        "last_status_change": "2024-05-01T08:30:00+00:00",
        "accepted_route_count": 0,
    },
]

# Facts of the platforms the lab runs on (ansible.builtin.setup's min subset, the keys the role
# reads): Amazon Linux 2023, the default image on AWS, and Debian 12, the twin's instances.
FACTS: dict[str, dict[str, str]] = {
    "al2023": {"distribution": "Amazon", "distribution_major_version": "2023", "os_family": "RedHat"},
    "debian12": {"distribution": "Debian", "distribution_major_version": "12", "os_family": "Debian"},
}

# The Libreswan releases each supported platform family ships, by major version.
VERSIONS = {"3": "3.25", "4": "4.10", "5": "5.2"}


def platform_vars_file(facts: dict[str, str]) -> Path:
    """The vars file tasks/version.yml loads for these facts: the first of its candidates that exists."""
    candidates = [
        f"{facts['distribution']}-{facts['distribution_major_version']}.yml",
        f"{facts['distribution']}.yml",
        f"{facts['os_family']}.yml",
    ]
    for name in candidates:
        if (ROLE / "vars" / name).is_file():
            return ROLE / "vars" / name
    raise AssertionError(f"no vars file for {facts}: tried {candidates}")


def role_vars(platform: str = "Debian", facts: dict[str, str] | None = None, **overrides: Any) -> dict[str, Any]:
    """The role's variables as a task sees them: defaults < vars/main.yml < vars/<platform> < overrides.

    With ``facts`` the platform file is the one the role would pick for them, and the facts are
    there as ``ansible_facts``."""
    loader = DataLoader()
    variables: dict[str, Any] = dict(loader.load_from_file(str(ROLE / "defaults" / "main.yml")))
    variables["openswan_left_id"] = CGW_IP
    variables["openswan_tunnels"] = copy.deepcopy(TUNNELS)
    variables.update(loader.load_from_file(str(ROLE / "vars" / "main.yml")))
    platform_file = platform_vars_file(facts) if facts else ROLE / "vars" / f"{platform}.yml"
    variables.update(loader.load_from_file(str(platform_file)))
    if facts:
        variables["ansible_facts"] = dict(facts)
    variables.update(overrides)
    return trusted(variables)


def evaluate(expression: str, **overrides: Any) -> Any:
    """The value of a Jinja expression (e.g. "{{ __openswan_input_problems }}") for these variables."""
    templar = Templar(loader=DataLoader(), variables=role_vars(**overrides))
    return templar.template(trust_as_template(expression))


def render(template: str, **overrides: Any) -> str:
    """One of the role's templates rendered as the template module would."""
    text = (ROLE / "templates" / template).read_text()
    templar = Templar(loader=DataLoader(), variables=role_vars(**overrides))
    return templar.template(trust_as_template(text))


def parse_ipsec_conf(text: str) -> list[tuple[str, dict[str, str]]]:
    """Sections of an ipsec.conf as (header, {keyword: value}); duplicate keywords fail the test."""
    sections: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            sections.append((line.strip(), {}))
            continue
        assert sections, f"keyword outside a section: {line!r}"
        match = re.fullmatch(r"\s+([A-Za-z0-9_-]+)=(.*)", line)
        assert match, f"not a keyword=value line: {line!r}"
        keyword, value = match.groups()
        settings = sections[-1][1]
        assert keyword not in settings, f"{keyword} set twice in {sections[-1][0]}"
        settings[keyword] = value
    return sections


def conns(text: str) -> dict[str, dict[str, str]]:
    """The conn sections of an ipsec.conf by name."""
    return {header.split()[1]: settings for header, settings in parse_ipsec_conf(text) if header.startswith("conn ")}


def libreswan_keywords(version: str) -> dict[str, Any]:
    """What Libreswan `version` accepts in ipsec.conf (see keywords/libreswan-*.yml)."""
    return yaml.safe_load((KEYWORDS / f"libreswan-{version}.yml").read_text())
