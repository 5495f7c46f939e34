"""A frozen dataclass whose __init__ fills the instance dict directly: the same value, built faster (the workflow's
state, the ledger's rows).

A frozen dataclass's own __init__ sets each field through object.__setattr__ (frozen refuses the
ordinary way), about 0.2 µs a field: a MatterState (58 fields) cost 13 µs, and the ledger check
builds several Outcome, Case and Line values for each of its rows. `quick_init` replaces that
__init__ with one of the same signature (the same fields, order, defaults, default factories and
keyword-only fields) that stores every field straight into the instance's __dict__; `changed` does
the same for a change. The class stays frozen: setting a field still raises.
Only a plain dataclass qualifies: no __post_init__, InitVar, or field left out of __init__.

`built` makes a value of such a class the same way from a dict of its fields, for a class that keeps
dataclasses' own __init__ (the 登记 form's MatterInput) where a hot path has its fields in a dict;
`changed` is dataclasses.replace for them (a transfer's state after its feedback).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING, Field, fields, is_dataclass
from typing import Any, TypeVar

T = TypeVar("T")


class _Factory:
    """The default of a field built by a default_factory: a fresh value for each instance."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()
_STATE = "_quick_state"  # the generated __init__'s name for the instance dict it fills


def _plain_fields(cls: type) -> tuple[Field[Any], ...]:
    """The fields of a frozen dataclass whose __init__ only sets them, or TypeError."""
    params = getattr(cls, "__dataclass_params__", None)
    if not is_dataclass(cls) or params is None or not params.frozen:
        raise TypeError(f"{cls.__name__}: only a frozen dataclass")
    if hasattr(cls, "__post_init__") or hasattr(cls, "__slots__"):
        raise TypeError(f"{cls.__name__}: __post_init__ is not run, nor slots filled")
    every = fields(cls)
    if len(every) != len(getattr(cls, "__dataclass_fields__", {})):
        raise TypeError(f"{cls.__name__}: InitVar and ClassVar pseudo-fields are not taken")
    for f in every:
        if not f.init:
            raise TypeError(f"{cls.__name__}.{f.name}: every field must be an argument of __init__")
        if f.name in ("self", _STATE, "_FACTORY") or f.name.startswith(("_default_", "_factory_")):
            raise TypeError(f"{cls.__name__}.{f.name}: a name the generated __init__ keeps for itself")
    return every


def quick_init(cls: type[T]) -> type[T]:
    """Give a frozen dataclass an __init__ that stores its fields straight into its __dict__."""
    every = _plain_fields(cls)
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY}
    positional: list[str] = []
    keyword: list[str] = []
    made: list[str] = []  # fields a factory fills when not given
    for f in every:
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
    # one store a field into the instance dict, in field order (a dict built and then copied in costs more)
    lines.append(f"    {_STATE} = self.__dict__")
    lines += [f"    {_STATE}[{f.name!r}] = {f.name}" for f in every]
    exec("\n".join(lines), namespace)  # the same way dataclasses builds its own __init__
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = f"{cls.__name__}'s fields stored straight into its __dict__ (frozen.quick_init)."
    init.__annotations__ = {**{f.name: f.type for f in every}, "return": None}
    setattr(cls, "__init__", init)
    return cls


class _Shape:
    """What `built` needs of a class: every field in order (a required one as _FACTORY until given), the
    required names and the default factories."""

    def __init__(self, cls: type) -> None:
        every = _plain_fields(cls)
        self.template = {f.name: f.default if f.default is not MISSING else _FACTORY for f in every}
        self.factories: dict[str, Callable[[], Any]] = {
            f.name: f.default_factory for f in every if f.default_factory is not MISSING}
        self.required = frozenset(f.name for f in every if f.default is MISSING and f.name not in self.factories)


_SHAPES: dict[type, _Shape] = {}


def built(cls: type[T], values: Mapping[str, Any]) -> T:
    """cls(**values) for a frozen dataclass, its __dict__ filled from `values` (its __init__ not run).

    Every field is laid down in order first, then the values over them: the instance dict stays in the
    order of the class's fields, as its own __init__ leaves it.
    """
    shape = _SHAPES.get(cls)
    if shape is None:
        shape = _SHAPES[cls] = _Shape(cls)
    new: T = object.__new__(cls)
    state = new.__dict__
    state.update(shape.template)
    state.update(values)
    if len(state) != len(shape.template) or not shape.required.issubset(values):
        unknown, missing = sorted(values.keys() - shape.template.keys()), sorted(shape.required - values.keys())
        raise TypeError(f"{cls.__name__}: no field {unknown}, no value for {missing}")
    for name, factory in shape.factories.items():
        if name not in values:
            state[name] = factory()
    return new


def changed(value: T, /, **changes: Any) -> T:
    """dataclasses.replace for a value `quick_init` or `built` qualifies (nothing runs in its __init__ but the
    stores): a copy of its __dict__ with the changes laid over (state.changed_matter, a matter's)."""
    cls = type(value)
    shape = _SHAPES.get(cls)
    if shape is None:
        shape = _SHAPES[cls] = _Shape(cls)
    if not shape.template.keys() >= changes.keys():
        raise TypeError(f"{cls.__name__}: no field {sorted(changes.keys() - shape.template.keys())}")
    new: T = object.__new__(cls)
    state = new.__dict__
    state.update(value.__dict__)
    state.update(changes)
    return new
