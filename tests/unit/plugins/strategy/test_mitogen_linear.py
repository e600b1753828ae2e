"""hybridlab.aws.mitogen_linear: Mitogen's linear when Mitogen is there and wanted, else linear."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator

import ansible_mitogen.strategy
import pytest
from ansible.plugins.loader import strategy_loader
from ansible.plugins.strategy.linear import StrategyModule as LinearStrategyModule

from ansible_collections.hybridlab.aws.plugins.strategy import mitogen_linear


@pytest.fixture
def reload_strategy(monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """Reloads the plugin under the test's environment; the default one again afterwards."""

    def reload(setting: str | None) -> type:
        if setting is None:
            monkeypatch.delenv("HYBRIDLAB_MITOGEN", raising=False)
        else:
            monkeypatch.setenv("HYBRIDLAB_MITOGEN", setting)
        return importlib.reload(mitogen_linear).StrategyModule

    yield reload
    monkeypatch.undo()
    importlib.reload(mitogen_linear)


@pytest.mark.parametrize("setting", [None, "true", "yes", "1"])
def test_mitogen_is_used_when_installed_unless_turned_off(reload_strategy, setting: str | None) -> None:
    strategy = reload_strategy(setting)
    assert issubclass(strategy, ansible_mitogen.strategy.StrategyMixin)
    assert issubclass(strategy, LinearStrategyModule)


@pytest.mark.parametrize("setting", ["false", "no", "0", "False"])
def test_hybridlab_mitogen_false_gives_plain_linear(reload_strategy, setting: str) -> None:
    strategy = reload_strategy(setting)
    assert not issubclass(strategy, ansible_mitogen.strategy.StrategyMixin)
    assert issubclass(strategy, LinearStrategyModule)


def test_without_mitogen_installed_it_is_plain_linear(reload_strategy, monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry in sys.modules makes the import fail, as when the package is absent.
    monkeypatch.setitem(sys.modules, "ansible_mitogen", None)
    monkeypatch.setitem(sys.modules, "ansible_mitogen.strategy", None)
    strategy = reload_strategy(None)
    assert mitogen_linear.ansible_mitogen is None
    assert not issubclass(strategy, ansible_mitogen.strategy.StrategyMixin)
    assert issubclass(strategy, LinearStrategyModule)


def test_plays_find_it_by_its_fully_qualified_name() -> None:
    strategy = strategy_loader.get("hybridlab.aws.mitogen_linear", class_only=True)
    assert strategy is not None and issubclass(strategy, LinearStrategyModule)
