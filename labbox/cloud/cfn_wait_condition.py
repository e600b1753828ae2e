"""AWS::CloudFormation::WaitCondition waits for its handle's signals, as on AWS.

moto lists both types as "null models": a wait condition completed at once and its handle's
``Ref`` was empty, so a template that waits for an instance's configuration went on before
anything had signalled. On AWS:

- ``Ref`` of an ``AWS::CloudFormation::WaitConditionHandle`` is a presigned URL; a client
  signals by PUTting ``{"Status": "SUCCESS"|"FAILURE", "UniqueId": ..., "Reason": ...,
  "Data": ...}`` to it. Signals with the same ``UniqueId`` count once (the last one stands).
- The ``WaitCondition`` stays ``CREATE_IN_PROGRESS`` until ``Count`` (default 1) success
  signals have arrived, and the resources that depend on it wait with it. A ``FAILURE``
  signal, or ``Timeout`` seconds (at most 43200) without enough successes, fails it and the
  stack rolls back.
- ``Fn::GetAtt [WaitCondition, Data]`` is a JSON object of each success signal's
  ``UniqueId`` and ``Data``.
- Updates are not supported for either type (AWS's documentation: a new wait condition in an
  update needs a new handle).

The twin's handle URL is served by the twin itself under
``/labbox-api/cloudformation-waitcondition/<stack id>/<handle>``, so it is reachable from the
machine that runs the twin, not from the twin's instances (they run no user data). A wait
condition created by a stack update fails with a sentence saying so: the twin's updates finish
in their request and cannot wait for a signal.
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.models import cloudformation_backends
from moto.core.common_models import CloudFormationModel

from labbox.cloud import api_routes, cfn_registry, lifecycle, state_dir
from labbox.cloud.cfn_resource_base import TwinResource
from labbox.cloud.cfn_resources import ResourceFailure

ROUTE = "cloudformation-waitcondition"
MAX_TIMEOUT_SECONDS = 43200
_POLL_SECONDS = 0.1
_STATUSES = ("SUCCESS", "FAILURE")
_SIGNAL_FIELDS = ("Status", "UniqueId", "Reason", "Data")

_handles: dict[str, WaitConditionHandleResource] = {}
_lock = threading.Lock()


def _twin_url() -> str:
    # The server sets MOTO_PORT to the port it listens on; in-process, LABBOX_PORT or the default.
    port = os.environ.get("MOTO_PORT")
    return state_dir.endpoint(int(port) if port else None)


class WaitConditionHandleResource(TwinResource, CloudFormationModel):
    TYPE = "AWS::CloudFormation::WaitConditionHandle"
    CREATE_ONLY_PROPERTIES = ()

    def create(self) -> str:
        self.key = f"{self.stack_id}/{self.logical_id}"
        self.signals: dict[str, dict[str, str]] = {}
        with _lock:
            _handles[self.key] = self
        return f"{_twin_url()}{api_routes.PREFIX}{ROUTE}/{urllib.parse.quote(self.key, safe='')}"

    def remove(self) -> None:
        with _lock:
            _handles.pop(self.key, None)

    def receive(self, signal: dict[str, str]) -> None:
        with _lock:
            self.signals[signal["UniqueId"]] = signal

    def received(self) -> list[dict[str, str]]:
        with _lock:
            return list(self.signals.values())


class WaitConditionResource(TwinResource, CloudFormationModel):
    TYPE = "AWS::CloudFormation::WaitCondition"
    ATTRIBUTES = ("Data",)
    WAITS_OUTSIDE = True

    def create(self) -> str:
        self.handle = self._handle()
        self.count = self._whole_number("Count", default=1, lowest=1, highest=None)
        self.timeout = self._whole_number("Timeout", default=None, lowest=1, highest=MAX_TIMEOUT_SECONDS)
        if self._stack_status() == "UPDATE_IN_PROGRESS":
            raise ResourceFailure(
                f"The offline twin cannot wait for {self.logical_id} in a stack update (its updates finish in "
                "their request); create the wait condition with the stack."
            )
        self.started = lifecycle.now()
        return str(self.properties["Handle"])

    def remove(self) -> None:
        """Nothing to delete: the signals belong to the handle."""

    def wait_until_stable(self, still_wanted: Callable[[], bool]) -> None:
        deadline = self.started + self.timeout
        while still_wanted():
            signals = self.handle.received()
            failed = next((s for s in signals if s["Status"] == "FAILURE"), None)
            if failed is not None:
                raise ResourceFailure(
                    f"WaitCondition received failed message: '{failed.get('Reason', '')}' "
                    f"for uniqueId: {failed['UniqueId']}"
                )
            successes = sum(1 for s in signals if s["Status"] == "SUCCESS")
            if successes >= self.count:
                return
            remaining = deadline - lifecycle.now()
            if remaining <= 0:
                raise ResourceFailure(
                    f"WaitCondition timed out. Received {successes} conditions when expecting {self.count}"
                )
            time.sleep(min(remaining, _POLL_SECONDS))

    def attribute(self, name: str) -> Any:
        successes = [s for s in self.handle.received() if s["Status"] == "SUCCESS"]
        return json.dumps({s["UniqueId"]: s.get("Data", "") for s in successes})

    def _handle(self) -> WaitConditionHandleResource:
        url = str(self.properties.get("Handle") or "")
        key = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rpartition(f"/{ROUTE}/")[2])
        with _lock:
            handle = _handles.get(key) if url else None
        if handle is None:
            raise ResourceFailure(
                f"Handle of {self.logical_id} must be the Ref of an AWS::CloudFormation::WaitConditionHandle "
                f"(got {url!r})."
            )
        return handle

    def _whole_number(self, name: str, default: int | None, lowest: int, highest: int | None) -> int:
        value = self.properties.get(name, default)
        if value is None:
            raise ResourceFailure(f"{name} of {self.logical_id} is required: the seconds to wait for signals.")
        try:
            number = int(str(value))
        except ValueError:
            number = None
        if number is None or number < lowest or (highest is not None and number > highest):
            limit = f"from {lowest} to {highest}" if highest is not None else f"{lowest} or more"
            raise ResourceFailure(f"{name} of {self.logical_id} must be a whole number {limit}, not {value!r}.")
        return number

    def _stack_status(self) -> str | None:
        backend = cloudformation_backends[self.account_id][self.region_name]
        stack = backend.stacks.get(self.stack_id)
        return stack.status if stack is not None else None


@api_routes.route_under("PUT", ROUTE)
def signal(key: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """A client's signal to a handle URL (what cfn-signal or curl PUTs)."""
    with _lock:
        handle = _handles.get(key)
    if handle is None:
        return 404, {"ok": False, "message": f"no wait condition handle {key} (its stack is gone or never was)"}
    status, unique_id = body.get("Status"), body.get("UniqueId")
    if status not in _STATUSES:
        return 400, {"ok": False, "message": f"Status must be SUCCESS or FAILURE, not {status!r}"}
    if not isinstance(unique_id, str) or not unique_id:
        return 400, {"ok": False, "message": "UniqueId must be a non-empty string"}
    handle.receive({field: str(value) for field, value in body.items() if field in _SIGNAL_FIELDS})
    return 200, {"ok": True}


def install() -> None:
    for resource_type in (WaitConditionResource.TYPE, WaitConditionHandleResource.TYPE):
        if resource_type in parsing.NULL_MODELS:
            parsing.NULL_MODELS.remove(resource_type)
    cfn_registry.refresh()
