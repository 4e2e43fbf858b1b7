"""Value classes: ``plvgov.values.dataclass`` is ``dataclasses.dataclass``, made when the class
is first used.

Python 3.11 makes a dataclass's methods (``__init__``, ``__eq__``, ``__repr__``, ``__hash__``,
and ``__setattr__`` and ``__delattr__`` when frozen) by compiling their source when the class
is defined: about a millisecond a class here. A command imports far more value classes than it
uses (``check`` imported 51 and made instances of 21), and compiling the rest was a tenth of
what it added to the interpreter's start. So this ``@dataclass(frozen=True)`` takes the options
the standard one takes and leaves the class as written until it is first used, then makes it a
dataclass in place, as the standard one would have at once:

- making an instance (``__init__``), or restoring one (``copy``, ``pickle``: ``__setstate__``);
- asking for its fields (``dataclasses.fields``, ``is_dataclass``: ``__dataclass_fields__``),
  which is also how a dataclass that inherits from it makes it first.

Every value class of plvgov's is one (``tests/test_values.py`` fails on the standard decorator,
whose bases must be made when it is defined). Type checkers read it as the standard one
(PEP 681).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

__all__ = ["dataclass", "made"]

T = TypeVar("T", bound=type)

_FIELDS = "__dataclass_fields__"
_HOOKS = ("__init__", "__setstate__")  # where an instance begins: made, or restored
#: One class made at a time (a thread that meets a class being made waits for it); re-entrant,
#: as making a class makes the value classes it inherits from.
_MAKING = threading.RLock()


class _FieldsOnFirstUse:
    """Stands for ``__dataclass_fields__`` until the class is made: asking makes it."""

    def __init__(self, make: Callable[[], None]) -> None:
        self._make = make

    def __get__(self, instance: object, owner: type) -> Any:
        self._make()
        return getattr(owner, _FIELDS)


@overload
def dataclass(cls: T, /) -> T: ...


@overload
def dataclass(
    *,
    init: bool = True,
    repr: bool = True,
    eq: bool = True,
    order: bool = False,
    unsafe_hash: bool = False,
    frozen: bool = False,
    match_args: bool = True,
    kw_only: bool = False,
) -> Callable[[T], T]: ...


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def dataclass(cls: T | None = None, /, **options: Any) -> T | Callable[[T], T]:
    """``dataclasses.dataclass`` with the same options (but ``slots``, which makes a new class),
    made when the class is first used."""
    if "slots" in options or "weakref_slot" in options:
        raise TypeError("plvgov.values.dataclass makes the class in place; slots make a new one")

    def wrap(cls: T) -> T:
        _defer(cls, options)
        return cls

    return wrap if cls is None else wrap(cls)


def made(cls: T) -> T:
    """``cls`` made now (a no-op for one already made): for code that reads a value class's
    generated methods off the class itself before any instance exists."""
    getattr(cls, _FIELDS)
    return cls


def _defer(cls: type, options: dict[str, Any]) -> None:
    own = {
        name: cls.__dict__[name] for name in ("__init__", "__setstate__") if name in cls.__dict__
    }
    done = False

    def make() -> None:
        nonlocal done
        with _MAKING:
            if done:
                return
            for name in (*_HOOKS, _FIELDS):
                delattr(cls, name)
            for name, method in own.items():  # the class's own, as written
                setattr(cls, name, method)
            dataclasses.dataclass(cls, **options)
            done = True

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807
        make()
        cls.__init__(self, *args, **kwargs)  # type: ignore[misc]

    def __setstate__(self: Any, state: Any) -> None:  # noqa: N807
        make()
        restore = getattr(cls, "__setstate__", None)
        if restore is not None:
            restore(self, state)
        elif isinstance(state, tuple):  # (__dict__, __slots__ values), as copyreg gives them
            self.__dict__.update(state[0] or {})
        else:
            self.__dict__.update(state)

    cls.__init__ = __init__  # type: ignore[misc]
    cls.__setstate__ = __setstate__  # type: ignore[attr-defined]
    setattr(cls, _FIELDS, _FieldsOnFirstUse(make))
