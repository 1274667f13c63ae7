"""The presenter table: one function per result type turns that result into a :class:`View`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from calccli.render.view import View

T = TypeVar("T")
Presenter = Callable[[T], View]

_PRESENTERS: dict[type, Callable[[Any], View]] = {}


def presenter(kind: type[T]) -> Callable[[Presenter[T]], Presenter[T]]:
    """Register the decorated function as the presenter of results of type ``kind``."""

    def register(fn: Presenter[T]) -> Presenter[T]:
        if kind in _PRESENTERS:
            raise ValueError(f"{kind.__name__} already has a presenter")
        _PRESENTERS[kind] = fn
        return fn

    return register


def present(result: object) -> View:
    """The view of ``result``, drawn by the presenter registered for its type."""
    try:
        fn = _PRESENTERS[type(result)]
    except KeyError:
        raise TypeError(f"no presenter for {type(result).__name__}") from None
    return fn(result)


def presented() -> frozenset[type]:
    """The result types that have a presenter."""
    return frozenset(_PRESENTERS)
