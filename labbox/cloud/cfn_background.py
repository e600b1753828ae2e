"""Stack operations that outlast their request, as CloudFormation's do.

CloudFormation answers CreateStack/DeleteStack at once and works on: the stack is
``CREATE_IN_PROGRESS`` while it waits for each resource to be stable
(:mod:`~labbox.cloud.cfn_stabilisation`), and clients poll DescribeStacks/-Events.

Why a thread and not a lazy evaluation on describe: creating a stack is a chain
(a dependent resource is created only once what it references is stable), and the chain
must go on whether or not anyone describes the stack (the lab waits for a VPN connection
through EC2, not CloudFormation). Why not a wait inside the request: under the ``aws``
policy a stack takes many minutes, longer than any client waits for an answer.

Each step that touches the twin's records takes the stack-operations lock
(:func:`~labbox.cloud.cfn_events.operations_lock`); waits happen outside it. With a policy
where nothing takes time the operation runs in the request, as before, unless it waits for a
client's signal (a wait condition), which no request can wait for.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable

from labbox.cloud import delay_policy

_log = logging.getLogger(__name__)


def run(operation: Callable[[], None], name: str, on_crash: Callable[[Exception], None], always: bool = False) -> None:
    """Run ``operation`` now (no delays) or in a background thread that sees this request's context.

    ``always``: in the background whatever the delays (the operation waits for a client's signal).

    ``on_crash`` gets an unexpected error of the background work, so the stack ends failed
    instead of staying ``*_IN_PROGRESS`` for ever (in the request, the error reaches the client).
    """
    if delay_policy.instant() and not always:
        operation()
        return
    context = contextvars.copy_context()

    def work() -> None:
        try:
            context.run(operation)
        except Exception as error:  # noqa: BLE001 - a crash must show on the stack, not vanish with the thread
            _log.exception("stack operation %s failed", name)
            context.run(on_crash, error)

    threading.Thread(target=work, name=f"labbox-{name}", daemon=True).start()
