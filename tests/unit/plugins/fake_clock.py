"""A stand-in for the time module in the wait tests: sleeping only moves the clock."""

from __future__ import annotations


class FakeTime:
    """A clock that moves only when the code under test sleeps; the sleeps are recorded."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
