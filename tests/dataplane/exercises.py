"""The exercises of playbooks/exercise.yml run the way a learner runs them: break, check, reset.

The exercise role's catalogue (roles/exercise/vars/main.yml) says for each what the diagnosis of a
failed check must name (``diagnosis``, a regular expression) and its hints.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from lab_env import PSKS, REPO, Lab, PlaybookRun

CATALOGUE: dict[str, Any] = yaml.safe_load((REPO / "roles/exercise/vars/main.yml").read_text())["exercise_catalogue"]


def exercises_of(lab: str) -> list[str]:
    return [name for name, exercise in CATALOGUE.items() if exercise["lab"] == lab]


def exercise(lab: Lab, action: str, *extra_vars: dict, check: bool = True) -> PlaybookRun:
    run = lab.playbook("playbooks/exercise.yml", {"exercise": action}, *extra_vars, check=check)
    for psk in PSKS:
        assert psk not in run.output, f"a pre-shared key in the output of exercise={action}"
    return run


def break_it(lab: Lab, name: str, *extra_vars: dict) -> PlaybookRun:
    started = exercise(lab, name, *extra_vars)
    assert f"Symptom: {' '.join(CATALOGUE[name]['symptom'].split())}" in started.stdout, started.stdout[-3000:]
    return started


def check_unsolved(lab: Lab, name: str, *extra_vars: dict) -> PlaybookRun:
    """A check of the broken lab: not solved, the cause named by the diagnosis, every hint shown."""
    # One attempt of the ping is enough to know it fails; hint=3 asks for the whole ladder.
    checked = exercise(lab, "check", *extra_vars, {"verify_retries": 0, "hint": 3}, check=False)
    assert checked.returncode != 0, checked.stdout[-3000:]
    assert "Not solved yet" in checked.stdout, checked.stdout[-3000:]
    # What the verification said, before the verdict repeats the symptom and the hints.
    verification = checked.stdout.split("Not solved yet", 1)[0]
    assert re.search(CATALOGUE[name]["diagnosis"], verification), (
        f"the diagnosis does not name the cause of {name} ({CATALOGUE[name]['diagnosis']!r}):\n{verification[-5000:]}"
    )
    for hint in CATALOGUE[name]["hints"]:
        assert " ".join(hint.split()) in checked.stdout.replace("\\n", " ")
    return checked


def reset(lab: Lab, name: str, *extra_vars: dict) -> PlaybookRun:
    """A reset: the lab verified healthy again, and the exercise forgotten."""
    done = exercise(lab, "reset", *extra_vars)
    assert f"Reset: {name} undone, the lab is verified healthy again." in done.stdout, done.stdout[-3000:]
    state = Path(lab.env["HYBRIDLAB_STATE_DIR"]) / "hybridlab" / "exercise.json"
    assert not state.exists()
    return done
