"""The twin's HTTP server: moto's server plus the ``/labbox-api/`` routes.

The WSGI wrapper sends ``/labbox-api/*`` to the handlers registered with
:mod:`labbox.cloud.api_routes` and everything else to moto's own dispatcher, so the AWS
API itself is served exactly as moto serves it (with our extensions installed first).
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler
from werkzeug.serving import make_server

from labbox.cloud import api_routes, aws_shaped_errors, delay_policy, extensions, state_dir

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_STATUS_TEXT = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
}


@api_routes.route("GET", "health")
def health(_: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Answered once the server is up with every extension installed."""
    return 200, {
        "ok": True,
        "service": "labbox",
        "pid": os.getpid(),
        "extensions": list(extensions.EXTENSION_MODULES),
        "delays": delay_policy.name(),
    }


def _json_response(start_response: Callable[..., Any], status: int, body: dict[str, Any]) -> list[bytes]:
    payload = json.dumps(body).encode()
    start_response(
        f"{status} {_STATUS_TEXT.get(status, 'Status')}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
    )
    return [payload]


def _request_body(environ: dict[str, Any]) -> dict[str, Any]:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    raw = environ["wsgi.input"].read(length) if length > 0 else b""
    if not raw.strip():
        return {}
    body = json.loads(raw)
    if not isinstance(body, dict):
        raise ValueError("the request body must be a JSON object")
    return body


def serve_api_route(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")
    handler = api_routes.lookup(method, path)
    if handler is None:
        if api_routes.is_known(path):
            return _json_response(start_response, 405, {"ok": False, "message": f"{method} is not allowed on {path}"})
        return _json_response(start_response, 404, {"ok": False, "message": f"no route {method} {path}"})
    try:
        body = _request_body(environ)
    except ValueError as error:
        return _json_response(start_response, 400, {"ok": False, "message": f"invalid JSON body: {error}"})
    status, answer = handler(body)
    return _json_response(start_response, status, answer)


def build_app() -> WSGIApp:
    """moto's dispatcher behind a wrapper that serves ``/labbox-api/``; extensions installed."""
    extensions.install()
    # Each service app answers its failures in AWS's shape (aws_shaped_errors), never as HTML.
    moto_app = DomainDispatcherApplication(aws_shaped_errors.create_backend_app)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(api_routes.PREFIX):
            return serve_api_route(environ, start_response)
        return moto_app(environ, start_response)

    return app


def serve(port: int, host: str = state_dir.HOST) -> None:
    """Serve in the foreground until SIGTERM or SIGINT.

    The delay policy is read here, once: a twin whose timing changed under a running lab
    would make no sense, and a wrong value must stop the server before anything is served.
    """
    try:
        delays = delay_policy.configure_from_environment()
    except delay_policy.InvalidDelayPolicy as error:
        print(f"labbox cannot start: {error}", file=sys.stderr, flush=True)
        raise SystemExit(2) from error
    os.environ.setdefault("MOTO_PORT", str(port))
    server = make_server(host, port, build_app(), threaded=True, request_handler=MotoRequestHandler)

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"labbox serving on http://{host}:{port} (pid {os.getpid()}, delays: {delays})", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        print("labbox stopped", file=sys.stderr, flush=True)
