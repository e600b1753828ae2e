"""Routes the twin serves beside the AWS API, under ``/labbox-api/``.

AWS has no call to say "this tunnel endpoint is up"; the twin's data plane needs one to
write tunnel state back as VgwTelemetry. Extensions register handlers here and the
server's WSGI wrapper dispatches to them, so the AWS API itself stays untouched.

A route may also own every path under a prefix (:func:`route_under`), for URLs that carry
an id in their path, as a wait condition handle's does.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

PREFIX = "/labbox-api/"

# A handler takes the decoded JSON body and returns (HTTP status, JSON-able body).
Handler = Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]

# A handler under a prefix also takes the rest of the path (already URL-decoded).
SubpathHandler = Callable[[str, dict[str, Any]], tuple[int, dict[str, Any]]]

_routes: dict[tuple[str, str], Handler] = {}
_prefixes: dict[tuple[str, str], SubpathHandler] = {}


def route(method: str, path: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` for ``METHOD /labbox-api/<path>``."""

    def register(handler: Handler) -> Handler:
        _routes[(method.upper(), PREFIX + path.lstrip("/"))] = handler
        return handler

    return register


def route_under(method: str, prefix: str) -> Callable[[SubpathHandler], SubpathHandler]:
    """Register ``handler`` for ``METHOD /labbox-api/<prefix>/<anything>``."""

    def register(handler: SubpathHandler) -> SubpathHandler:
        _prefixes[(method.upper(), PREFIX + prefix.strip("/") + "/")] = handler
        return handler

    return register


def lookup(method: str, path: str) -> Handler | None:
    """The handler for a request, or None when the path is not ours."""
    exact = _routes.get((method.upper(), path))
    if exact is not None:
        return exact
    for (verb, prefix), handler in _prefixes.items():
        if verb == method.upper() and path.startswith(prefix) and len(path) > len(prefix):
            return functools.partial(handler, path[len(prefix) :])
    return None


def registered() -> list[tuple[str, str]]:
    """Every (method, path) served; a prefix route shows as its prefix."""
    return sorted([*_routes, *_prefixes])


def is_known(path: str) -> bool:
    """Whether some method is served at ``path`` (to answer 405 rather than 404)."""
    return any(p == path for _, p in _routes) or any(
        path.startswith(prefix) and len(path) > len(prefix) for _, prefix in _prefixes
    )
