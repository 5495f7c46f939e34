"""A frozen dataclass whose __init__ fills the instance dict at once: the same value, built faster.

A frozen dataclass's own __init__ sets each field through object.__setattr__ (frozen refuses the
ordinary way), about 0.2 µs a field: a MatterState (58 fields) cost 13 µs, and the ledger check
builds several Outcome, Case and Line values for each of its rows. `quick_init` replaces that
__init__ with one of the same signature (the same fields, order, defaults, default factories and
keyword-only fields) that writes every field into the instance's __dict__ in one update, as
state.changed_matter does for a change. The class stays frozen: setting a field still raises.
Only a plain dataclass qualifies: no __post_init__, InitVar, or field left out of __init__.
"""

from __future__ import annotations

from dataclasses import MISSING, fields, is_dataclass
from typing import Any, TypeVar

T = TypeVar("T")


class _Factory:
    """The default of a field built by a default_factory: a fresh value for each instance."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def quick_init(cls: type[T]) -> type[T]:
    """Give a frozen dataclass an __init__ that writes its fields into __dict__ in one step."""
    params = getattr(cls, "__dataclass_params__", None)
    if not is_dataclass(cls) or params is None or not params.frozen:
        raise TypeError(f"{cls.__name__}: quick_init is for frozen dataclasses")
    if hasattr(cls, "__post_init__") or hasattr(cls, "__slots__"):
        raise TypeError(f"{cls.__name__}: quick_init does not run __post_init__ nor fill slots")
    every = fields(cls)
    if len(every) != len(getattr(cls, "__dataclass_fields__", {})):
        raise TypeError(f"{cls.__name__}: quick_init does not take InitVar or ClassVar pseudo-fields")
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY}
    positional: list[str] = []
    keyword: list[str] = []
    made: list[str] = []  # fields a factory fills when not given
    for f in every:
        if not f.init:
            raise TypeError(f"{cls.__name__}.{f.name}: quick_init needs every field in __init__")
        if f.default is not MISSING:
            namespace[f"_default_{f.name}"] = f.default
            param = f"{f.name}=_default_{f.name}"
        elif f.default_factory is not MISSING:
            namespace[f"_factory_{f.name}"] = f.default_factory
            param = f"{f.name}=_FACTORY"
            made.append(f.name)
        else:
            param = f.name
        (keyword if f.kw_only else positional).append(param)
    signature = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    lines = [f"def __init__({signature}):"]
    lines += [f"    if {name} is _FACTORY:\n        {name} = _factory_{name}()" for name in made]
    lines.append("    self.__dict__.update({" + ", ".join(f"{f.name!r}: {f.name}" for f in every) + "})")
    exec("\n".join(lines), namespace)  # the same way dataclasses builds its own __init__
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = f"{cls.__name__}'s fields in one update of its __dict__ (frozen.quick_init)."
    init.__annotations__ = {**{f.name: f.type for f in every}, "return": None}
    setattr(cls, "__init__", init)
    return cls
