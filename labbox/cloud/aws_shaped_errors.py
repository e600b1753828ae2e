"""Every failure answers as AWS would: an error in the service's own protocol, never HTML.

moto answers an action it does not implement, or one that breaks inside it, with Flask's HTML
page "500 Internal Server Error"; botocore then reports an unparsable response (or retries it
as a throttle), and the user sees neither which call failed nor why. Here each of moto's
service apps gets an error handler that answers in the service's protocol (EC2's XML,
the query protocol's ``ErrorResponse``, or JSON), naming the call:

* an action moto does not implement: ``UnsupportedOperation`` (HTTP 400), "The offline twin
  does not support ec2:GetVpnConnectionDeviceTypes";
* anything else that breaks: ``InternalError`` (HTTP 500), naming the call and pointing at the
  twin's log, with no Python text in the message (the traceback goes to the log).

moto's own AWS errors (``HTTPException`` subclasses) pass through untouched.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any
from xml.sax.saxutils import escape

from flask import Flask, Response, request
from moto.moto_server.werkzeug_app import create_backend_app as moto_create_backend_app
from werkzeug.exceptions import HTTPException

_log = logging.getLogger(__name__)


def _action() -> str:
    target = request.headers.get("X-Amz-Target", "")
    if target:
        return target.rsplit(".", 1)[-1]
    return request.values.get("Action", "") or f"{request.method} {request.path}"


def _answer(service: str, status: int, code: str, message: str) -> Response:
    request_id = str(uuid.uuid4())
    if request.headers.get("X-Amz-Target") or "json" in request.headers.get("Content-Type", ""):
        body = json.dumps({"__type": code, "message": message})
        return Response(body, status=status, content_type="application/x-amz-json-1.1", headers={"x-amzn-RequestId": request_id})
    if service == "ec2":
        body = (f"<Response><Errors><Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
                f"</Error></Errors><RequestID>{request_id}</RequestID></Response>")
    else:
        kind = "Sender" if status < 500 else "Receiver"
        body = (f"<ErrorResponse><Error><Type>{kind}</Type><Code>{escape(code)}</Code><Message>{escape(message)}"
                f"</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>")
    return Response(body, status=status, content_type="text/xml")


def _handler(service: str):
    def handle(error: Exception) -> Any:
        if isinstance(error, HTTPException):
            return error
        call = f"{service}:{_action()}"
        if isinstance(error, NotImplementedError):
            return _answer(service, 400, "UnsupportedOperation", f"The offline twin does not support {call}")
        _log.exception("the offline twin failed to serve %s", call)
        return _answer(service, 500, "InternalError", f"The offline twin failed to serve {call}; its log (labbox.log) says why")

    return handle


def create_backend_app(service: Any) -> Flask:
    """moto's app for ``service``, answering its failures as AWS would."""
    app = moto_create_backend_app(service)
    app.register_error_handler(Exception, _handler(str(service)))
    return app
