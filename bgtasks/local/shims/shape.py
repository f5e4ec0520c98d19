"""Checks that a moto attribute a shim patches still has the shape the shim was written for.

A moto upgrade that renames or reshapes a patched attribute must stop the embedded AWS at start
with a message naming the shim, never patch the wrong thing silently.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any


class ShimShapeError(RuntimeError):
    """A patched moto attribute no longer looks the way its shim expects."""


def expect_function(owner: Any, name: str, params: Sequence[str], shim: str) -> Callable[..., Any]:
    """`owner.name`, checked to be a function whose parameters start with `params`."""
    target = getattr(owner, name, None)
    where = f"{getattr(owner, '__module__', '?')}.{getattr(owner, '__name__', owner)}.{name}"
    if target is None or not callable(target):
        raise ShimShapeError(f"shim {shim}: moto has no callable {where}")
    actual = list(inspect.signature(target).parameters)
    if actual[: len(params)] != list(params):
        raise ShimShapeError(
            f"shim {shim}: {where} takes {actual}, the shim expects {list(params)} first"
        )
    return target


def expect_absent(owner: Any, name: str, shim: str) -> None:
    """`owner.name` must not exist yet (moto now implements what the shim adds)."""
    if name in vars(owner):
        raise ShimShapeError(
            f"shim {shim}: moto now defines {owner.__name__}.{name}; review and drop the shim"
        )


def expect_source_contains(target: Any, needle: str, shim: str) -> None:
    """The source of `target` still contains `needle` (the behaviour the shim works around)."""
    try:
        source = inspect.getsource(target)
    except (OSError, TypeError) as error:
        raise ShimShapeError(f"shim {shim}: cannot read the source of {target!r}") from error
    if needle not in source:
        raise ShimShapeError(
            f"shim {shim}: {getattr(target, '__qualname__', target)} no longer contains "
            f"{needle!r}; review the shim against this moto version"
        )


def mark_patched(function: Callable[..., Any], shim: str) -> Callable[..., Any]:
    """Tag a replacement so a second `apply` is a no-op and tests can see what is patched."""
    function.__bgtasks_shim__ = shim  # type: ignore[attr-defined]
    return function


def is_patched(owner: Any, name: str) -> bool:
    return hasattr(getattr(owner, name, None), "__bgtasks_shim__")
