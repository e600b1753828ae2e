"""Check the twin's answers against botocore's service model, the contract AWS itself keeps.

botocore parses responses leniently: a misspelt key or a string where AWS sends a number
reaches the caller without complaint. These checks walk a parsed response alongside the
operation's output shape and fail on any key the model does not know or any wrong type.
"""

from __future__ import annotations

import datetime
from typing import Any

import botocore.session
from botocore.model import ListShape, MapShape, Shape, StructureShape

_SCALARS: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "double": (float, int),
    "float": (float, int),
    "timestamp": (datetime.datetime,),
    "blob": (bytes, bytearray),
}

_session = botocore.session.get_session()


def output_shape(service: str, operation: str) -> StructureShape:
    model = _session.get_service_model(service)
    return model.operation_model(operation).output_shape


def shape_errors(shape: Shape, value: Any, path: str = "$") -> list[str]:
    """Every place where ``value`` disagrees with ``shape``."""
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            return [f"{path}: expected structure {shape.name}, got {type(value).__name__}"]
        errors: list[str] = []
        for key, item in value.items():
            if key == "ResponseMetadata" and path == "$":
                continue
            if key not in shape.members:
                errors.append(f"{path}.{key}: not a member of {shape.name}")
                continue
            errors.extend(shape_errors(shape.members[key], item, f"{path}.{key}"))
        return errors
    if isinstance(shape, ListShape):
        if not isinstance(value, list):
            return [f"{path}: expected list, got {type(value).__name__}"]
        errors = []
        for index, item in enumerate(value):
            errors.extend(shape_errors(shape.member, item, f"{path}[{index}]"))
        return errors
    if isinstance(shape, MapShape):
        if not isinstance(value, dict):
            return [f"{path}: expected map, got {type(value).__name__}"]
        errors = []
        for key, item in value.items():
            errors.extend(shape_errors(shape.value, item, f"{path}[{key!r}]"))
        return errors
    expected = _SCALARS.get(shape.type_name)
    if expected is None:
        return []
    if shape.type_name in ("integer", "long") and isinstance(value, bool):
        return [f"{path}: expected {shape.type_name}, got bool"]
    if not isinstance(value, expected):
        return [f"{path}: expected {shape.type_name}, got {type(value).__name__} {value!r}"]
    enum = getattr(shape, "enum", None)
    if enum and value not in enum:
        return [f"{path}: {value!r} is not one of {enum}"]
    return []


def assert_matches_output_shape(service: str, operation: str, response: dict[str, Any]) -> None:
    """Fail with every mismatch between ``response`` and the operation's output shape."""
    errors = shape_errors(output_shape(service, operation), response)
    assert not errors, f"{service}.{operation} response breaks botocore's model:\n" + "\n".join(errors)
