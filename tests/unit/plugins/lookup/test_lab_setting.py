"""Inventories read the lab's variables as the playbooks will: -e, then group_vars/all, then the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from ansible import context
from ansible.errors import AnsibleLookupError
from ansible.module_utils.common.collections import ImmutableDict
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.hybridlab.aws.plugins.lookup.lab_setting import LookupModule


def lab_setting(monkeypatch: pytest.MonkeyPatch, *names: str, extra_vars=(), inventory=()) -> list:
    monkeypatch.setattr(context, "CLIARGS", ImmutableDict(extra_vars=tuple(extra_vars), inventory=tuple(inventory)))
    loader = DataLoader()
    return LookupModule(loader=loader, templar=Templar(loader=loader)).run(list(names))


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    (tmp_path / "group_vars" / "all").mkdir(parents=True)
    (tmp_path / "group_vars" / "all" / "lab.yml").write_text("aws_region: eu-west-1\nlab_name: \"{{ 'lab' ~ '-b' }}\"\n")
    return tmp_path


def test_the_defaults_come_from_the_lab_config_role(monkeypatch: pytest.MonkeyPatch) -> None:
    assert lab_setting(monkeypatch, "aws_region", "lab_name", "tgw_peer_region") == ["ap-northeast-2", "hybridlab", "ap-northeast-1"]


def test_the_inventorys_group_vars_override_the_defaults_and_templates_are_rendered(monkeypatch, inventory) -> None:
    monkeypatch.setenv("HYBRIDLAB_STATE_DIR", "/srv/labs")
    values = lab_setting(monkeypatch, "aws_region", "lab_name", "lab_ssh_known_hosts_file", inventory=[str(inventory)])
    assert values == ["eu-west-1", "lab-b", "/srv/labs/lab-b/known_hosts"]


def test_extra_vars_win_over_everything(monkeypatch, inventory, tmp_path) -> None:
    extra = tmp_path / "extra.yml"
    extra.write_text("lab_name: class-a\n")
    values = lab_setting(
        monkeypatch, "aws_region", "lab_name", extra_vars=["aws_region=us-east-2", f"@{extra}"], inventory=[str(inventory)]
    )
    assert values == ["us-east-2", "class-a"]


def test_an_unknown_variable_is_an_error(monkeypatch) -> None:
    with pytest.raises(AnsibleLookupError, match="no_such_variable is not a lab variable"):
        lab_setting(monkeypatch, "no_such_variable")
