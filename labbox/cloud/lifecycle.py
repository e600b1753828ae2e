"""States that change with time, evaluated lazily from when a resource entered them.

A resource that AWS makes ``available`` after a while records a *walk*: the states it
passes through and when it enters each (``pending`` now, ``available`` in 3 s). Reading
its ``state`` computes where it is now; nothing runs in the background. moto's own code
keeps setting ``state`` to the final value (``available`` when it creates, ``deleted``
when it deletes); :class:`StateProperty`, put on moto's class as ``state``, turns each
such assignment into a walk through AWS's intermediate state, with the duration the
active :mod:`~labbox.cloud.delay_policy` gives the transition.

The clock is :func:`now` (wall time: the timestamps end up in stack events); tests
replace it with :func:`use_clock`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from labbox.cloud import delay_policy

_clock: list[Callable[[], float]] = [time.time]

WALK_ATTRIBUTE = "labbox_walk"


def now() -> float:
    return _clock[0]()


@contextmanager
def use_clock(clock: Callable[[], float]) -> Iterator[None]:
    """Read time from ``clock`` (a test's fake) inside the block."""
    _clock.insert(0, clock)
    try:
        yield
    finally:
        _clock.remove(clock)


@dataclass(frozen=True)
class Walk:
    """States and the time each is entered, in order; the last one is where it settles."""

    steps: tuple[tuple[str, float], ...]

    def state_at(self, moment: float) -> str:
        current = self.steps[0][0]
        for state, entered in self.steps:
            if entered <= moment:
                current = state
        return current

    @property
    def final_state(self) -> str:
        return self.steps[-1][0]

    @property
    def settles_at(self) -> float:
        return self.steps[-1][1]

    def entered(self, state: str) -> float | None:
        return next((entered for name, entered in self.steps if name == state), None)


def start(obj: Any, *path: tuple[str, str] | str) -> Walk:
    """Start ``obj`` on ``path``: ``(state, transition)`` pairs, then the final state.

    Each pair's state lasts as long as the policy gives ``transition``.
    """
    moment = now()
    steps: list[tuple[str, float]] = []
    for step in path:
        if isinstance(step, tuple):
            state, transition = step
            steps.append((state, moment))
            moment += delay_policy.seconds(transition)
        else:
            steps.append((step, moment))
    walk = Walk(tuple(steps))
    obj.__dict__[WALK_ATTRIBUTE] = walk
    return walk


def walk_of(obj: Any) -> Walk | None:
    return getattr(obj, "__dict__", {}).get(WALK_ATTRIBUTE)


def settles_at(obj: Any) -> float:
    """When ``obj`` reaches the end of its walk (now, for an object that has none)."""
    walk = walk_of(obj)
    return walk.settles_at if walk is not None else now()


def is_settled(obj: Any) -> bool:
    return settles_at(obj) <= now()


def deleted_long_ago(obj: Any, deleted_state: str = "deleted") -> bool:
    """True once ``obj`` has been ``deleted`` for longer than AWS keeps showing it."""
    walk = walk_of(obj)
    if walk is None or walk.final_state != deleted_state:
        return False
    entered = walk.entered(deleted_state)
    assert entered is not None
    return entered + delay_policy.seconds("deleted_retention") <= now()


class StateProperty:
    """``state`` of a moto class: assigning a final state walks through AWS's path to it.

    ``routes`` maps a final state to ``(intermediate state, transition)``; assigning any
    other state sets it at once. Assigning the state a walk is already heading for keeps
    that walk (moto sets ``deleted`` again on a second delete; AWS does not restart).
    """

    def __init__(self, routes: Mapping[str, tuple[str, str]]) -> None:
        self.routes = dict(routes)

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        walk = walk_of(obj)
        if walk is None:
            return obj.__dict__.get("state")
        return walk.state_at(now())

    def __set__(self, obj: Any, value: str) -> None:
        walk = walk_of(obj)
        if walk is not None and walk.final_state == value:
            return
        if value in self.routes:
            via, transition = self.routes[value]
            start(obj, (via, transition), value)
        else:
            start(obj, value)
