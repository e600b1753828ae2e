# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one poll loop of the collection's modules, for the AWS states botocore has no waiter for
(a VPN connection's tunnel telemetry, a transit gateway attachment found by what it attaches, a
peering attachment's acceptance).

Every module that waits takes the same options, with the same meaning (doc fragment
``hybridlab.aws.wait``): ``wait`` names the condition to wait for (``none``: read once),
``wait_timeout`` is how many seconds the whole wait may take, ``wait_delay`` the seconds between
two reads. A wait fails at once when the resource reached a state it never leaves for the
condition (being deleted, rejected, failed), and on timeout; either way the message names the
resource, the condition and what was last seen.
"""

from __future__ import annotations

import time
from typing import Any
from typing import Callable
from typing import Dict
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

# The options of every waiting module (beside its own `wait` choices), as the doc fragment says.
WAIT_TIMEOUT_DEFAULT = 600
WAIT_DELAY_DEFAULT = 5


def wait_options(choices, default="none"):
    """The argument spec of ``wait``, ``wait_timeout`` and ``wait_delay``."""
    return dict(
        wait=dict(type="str", default=default, choices=list(choices)),
        wait_timeout=dict(type="int", default=WAIT_TIMEOUT_DEFAULT),
        wait_delay=dict(type="int", default=WAIT_DELAY_DEFAULT),
    )


class LabWaitError(AnsibleAWSError):
    """The wait ended without its condition; ``kwargs`` holds what the module shows beside the message."""


def wait_until(
    read: Callable[[], Any],
    met: Callable[[Any], bool],
    subject: str,
    goal: str,
    timeout: float,
    delay: float,
    describe: Callable[[Any], str] = str,
    never: Optional[Callable[[Any], Optional[str]]] = None,
    details: Optional[Callable[[Any], Dict[str, Any]]] = None,
    clock: Optional[Callable[[], float]] = None,
    sleep: Optional[Callable[[float], None]] = None,
) -> Any:
    """Call ``read`` until ``met`` holds for what it returned; return that.

    ``subject`` and ``goal`` make the messages ("VPN connection vpn-1" / "be available").
    ``never(value)`` returns the state the resource will never leave for the goal, or None.
    ``describe(value)`` says what was seen; ``details(value)`` is what the failure carries
    (nothing secret). ``clock`` and ``sleep`` default to the ``time`` module's, looked up per
    call (tests replace them).
    """
    clock = clock or time.monotonic
    sleep = sleep or time.sleep
    details = details or (lambda value: {})
    deadline = clock() + timeout
    while True:
        value = read()
        if met(value):
            return value
        hopeless = never(value) if never else None
        if hopeless:
            raise LabWaitError(
                message=f"{subject[:1].upper()}{subject[1:]} is {hopeless} and will never {goal}: {describe(value)}",
                **details(value),
            )
        remaining = deadline - clock()
        if remaining <= 0:
            raise LabWaitError(
                message=f"Timed out after {timeout:g}s waiting for {subject} to {goal}; last seen: {describe(value)}",
                **details(value),
            )
        sleep(min(delay, remaining))
