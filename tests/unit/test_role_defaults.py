"""A role's documented defaults (meta/argument_specs.yml) are the values its defaults/main.yml sets.

Ansible takes a role's defaults from defaults/main.yml; argument_specs' `default:` is what
ansible-doc and the generated READMEs show. Both are written in the role, so a value changed in one
place only is caught here, naming the role, the entry point and the variable.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ROLES = sorted(path.parents[1] for path in ROOT.glob("roles/*/meta/argument_specs.yml"))


def test_the_roles_document_defaults_at_all() -> None:
    assert sum(len(list(_documented_defaults(role))) for role in ROLES) > 20


def _documented_defaults(role: Path):
    specs = yaml.safe_load((role / "meta" / "argument_specs.yml").read_text())["argument_specs"]
    for entry, spec in specs.items():
        for name, option in ((spec or {}).get("options") or {}).items():
            if "default" in (option or {}):
                yield entry, name, option["default"]


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.name)
def test_each_documented_default_is_the_value_the_role_sets(role: Path) -> None:
    defaults_file = role / "defaults" / "main.yml"
    defaults = yaml.safe_load(defaults_file.read_text()) if defaults_file.is_file() else {}
    documented = list(_documented_defaults(role))

    wrong = [
        f"{entry}: {name} documented {value!r}, set {defaults[name]!r}"
        for entry, name, value in documented
        if name in defaults and defaults[name] != value
    ]
    missing = [f"{entry}: {name}" for entry, name, _value in documented if name not in defaults]

    assert not wrong, wrong
    assert not missing, f"documented with a default that defaults/main.yml does not set: {missing}"
