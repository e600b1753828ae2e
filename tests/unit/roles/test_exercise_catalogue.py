"""The exercise role's catalogue: every exercise complete, its break and reset files there, and the
words its diagnosis must contain never found in its own hints (a check's output shows both)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROLE = Path(__file__).resolve().parents[3] / "roles" / "exercise"
CATALOGUE = yaml.safe_load((ROLE / "vars" / "main.yml").read_text())["exercise_catalogue"]
FIELDS = {"lab", "tunnels", "title", "terms", "goal", "symptom", "hints", "solution", "diagnosis"}


def test_there_are_at_least_eight_exercises_over_both_labs() -> None:
    assert len(CATALOGUE) >= 8
    assert {exercise["lab"] for exercise in CATALOGUE.values()} == {"s2s", "tgw"}


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_each_exercise_is_complete_and_has_its_break_and_reset(name: str) -> None:
    exercise = CATALOGUE[name]
    assert FIELDS <= set(exercise), FIELDS - set(exercise)
    assert len(exercise["hints"]) == 3 and exercise["tunnels"] in (1, 2)
    assert (ROLE / "tasks" / "break" / f"{name}.yml").is_file()
    assert (ROLE / "tasks" / "reset" / f"{exercise.get('reset', name)}.yml").is_file()


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_the_diagnosis_to_expect_is_not_found_in_the_hints_or_the_symptom(name: str) -> None:
    exercise = CATALOGUE[name]
    shown = " ".join([exercise["symptom"], *exercise["hints"]])
    assert not re.search(exercise["diagnosis"], " ".join(shown.split()))
