"""A clock the twin's tests move by hand, and delay policies for them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from labbox.cloud import delay_policy, lifecycle


class FakeClock:
    def __init__(self, start: float = 1_000_000.0) -> None:
        self.time = start

    def __call__(self) -> float:
        return self.time

    def advance(self, seconds: float) -> None:
        self.time += seconds


@contextmanager
def policy(name: str, table: dict[str, float] | None = None) -> Iterator[None]:
    """Use a delay policy inside the block, then instant again."""
    delay_policy.configure(name, table)
    try:
        yield
    finally:
        delay_policy.configure("none")


@contextmanager
def short_delays_on_a_fake_clock() -> Iterator[FakeClock]:
    """The server's default policy, with time that moves only when the test says."""
    clock = FakeClock()
    with policy("short"), lifecycle.use_clock(clock):
        yield clock


def short(transition: str) -> float:
    return delay_policy.POLICIES["short"][transition]
