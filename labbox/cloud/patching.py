"""Replace a method of one of moto's classes while keeping the original callable.

The twin changes moto's behaviour where it differs from AWS. Subclassing alone cannot do
that for classes moto instantiates itself (its backends create ``Stack``, ``Instance``,
... by name), so an extension overrides the method on moto's class and, where it only
adds to moto's behaviour, calls the original through :func:`original`.

Overrides are idempotent: installing the same override twice keeps the first original,
so tests may call every ``install()`` as often as they like.
"""

from __future__ import annotations

import types
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_ORIGINALS: dict[tuple[Any, str], Any] = {}


def override(owner: Any, name: str, replacement: Any) -> None:
    """Set ``owner.name`` to ``replacement`` (a function, classmethod or staticmethod).

    ``owner`` is a class, or a module for module-level functions that its code looks up
    by global name (moto's template parser calls itself recursively that way).

    The attribute found on ``owner`` the first time is remembered as the original.
    """
    key = (owner, name)
    if key not in _ORIGINALS:
        # Keep the raw descriptor (classmethod/staticmethod objects included) so that
        # original() can bind it exactly as Python would have.
        _ORIGINALS[key] = _raw_attribute(owner, name, default=None)
    setattr(owner, name, replacement)


def original(owner: Any, name: str, instance: Any = None) -> Any:
    """The attribute ``owner.name`` had before :func:`override`, bound like a normal lookup.

    Pass ``instance`` for instance methods; class and static methods bind to ``owner``.
    """
    key = (owner, name)
    raw = _ORIGINALS[key] if key in _ORIGINALS else _raw_attribute(owner, name)
    if hasattr(raw, "__get__"):
        return raw.__get__(instance, owner)
    return raw


def is_overridden(owner: Any, name: str) -> bool:
    return (owner, name) in _ORIGINALS


_REQUIRED = object()


def _raw_attribute(owner: Any, name: str, default: Any = _REQUIRED) -> Any:
    """The attribute as stored (descriptor unbound); ``default`` when the class has none
    (an instance attribute that an override turns into a property)."""
    if isinstance(owner, types.ModuleType):
        return getattr(owner, name)
    for klass in owner.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    if default is not _REQUIRED:
        return default
    raise AttributeError(f"{owner.__name__} has no attribute {name!r}")
