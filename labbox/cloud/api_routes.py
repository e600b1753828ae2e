"""Routes the twin serves beside the AWS API, under ``/labbox-api/``.

AWS has no call to say "this tunnel endpoint is up"; the twin's data plane needs one to
write tunnel state back as VgwTelemetry. Extensions register handlers here and the
server's WSGI wrapper dispatches to them, so the AWS API itself stays untouched.
"""

from __future__ import annotations

from typing import Any, Callable

PREFIX = "/labbox-api/"

# A handler takes the decoded JSON body and returns (HTTP status, JSON-able body).
Handler = Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]

_routes: dict[tuple[str, str], Handler] = {}


def route(method: str, path: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` for ``METHOD /labbox-api/<path>``."""

    def register(handler: Handler) -> Handler:
        _routes[(method.upper(), PREFIX + path.lstrip("/"))] = handler
        return handler

    return register


def lookup(method: str, path: str) -> Handler | None:
    """The handler for a request, or None when the path is not ours."""
    return _routes.get((method.upper(), path))


def registered() -> list[tuple[str, str]]:
    return sorted(_routes)
