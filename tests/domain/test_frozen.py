"""quick_init and built: frozen values made by one dict update are the values dataclasses' own __init__ makes."""

from __future__ import annotations

import inspect
from dataclasses import FrozenInstanceError, InitVar, dataclass, field, fields
from datetime import date

import pytest

from xinfang_desktop.domain.enums import Channel, EventKind
from xinfang_desktop.domain.frozen import built, changed, quick_init
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.domain.workflow import state
from xinfang_desktop.domain.workflow.decide import Target


@dataclass(frozen=True)
class Plain:
    a: int
    b: str = "b"
    c: list[int] = field(default_factory=list)
    d: tuple[int, ...] = ()
    e: int = field(default=5, kw_only=True)


@quick_init
@dataclass(frozen=True)
class Quick:
    a: int
    b: str = "b"
    c: list[int] = field(default_factory=list)
    d: tuple[int, ...] = ()
    e: int = field(default=5, kw_only=True)


CALLS: list[tuple[tuple[object, ...], dict[str, object]]] = [
    ((1,), {}),
    ((1, "x"), {}),
    ((1, "x", [2], (3,)), {"e": 9}),
    ((), {"a": 1, "d": (4,)}),
    ((1,), {"c": [7], "e": 0}),
]


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_the_same_fields_as_the_dataclass_init(args: tuple[object, ...], kwargs: dict[str, object]) -> None:
    plain, quick = Plain(*args, **kwargs), Quick(*args, **kwargs)  # type: ignore[arg-type]
    assert vars(quick) == vars(plain)
    assert list(vars(quick)) == [f.name for f in fields(Quick)]
    assert repr(quick).removeprefix("Quick") == repr(plain).removeprefix("Plain")


def test_the_same_signature_and_refusals() -> None:
    assert str(inspect.signature(Quick.__init__)) == str(inspect.signature(Plain.__init__))
    assert Quick.__init__.__qualname__ == "Quick.__init__"
    for args, kwargs in [((), {}), ((1, "x", [], (), 5), {}), ((1,), {"f": 1}), ((1,), {"a": 2})]:
        with pytest.raises(TypeError):
            Plain(*args, **kwargs)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            Quick(*args, **kwargs)  # type: ignore[arg-type]


def test_still_frozen_equal_and_hashable_and_each_factory_value_fresh() -> None:
    q = Quick(1)
    with pytest.raises(FrozenInstanceError):
        q.a = 2  # type: ignore[misc]
    assert Quick(1, d=(2,)) == Quick(1, "b", [], (2,))
    assert Quick(1).c is not Quick(1).c
    assert hash(state.Unit(1, "城关镇")) == hash(state.Unit(1, "城关镇"))  # __eq__ and __hash__ stay the dataclass's


def test_refuses_what_it_cannot_build() -> None:
    @dataclass
    class Mutable:
        a: int

    @dataclass(frozen=True)
    class Later:
        a: int

        def __post_init__(self) -> None: ...

    @dataclass(frozen=True)
    class Hidden:
        a: int
        b: int = field(default=0, init=False)

    @dataclass(frozen=True)
    class Pseudo:
        a: int
        b: InitVar[int] = 0

    for cls in (Mutable, Later, Hidden, Pseudo):
        with pytest.raises(TypeError):
            quick_init(cls)


@pytest.mark.parametrize("cls", [state.MatterState, state.Case, state.Outcome, state.Line, state.Transfer,
                                 state.Feedback, state.Instruction, state.Unit, Target])
def test_the_workflow_values_use_it(cls: type) -> None:
    assert cls.__init__.__doc__ and "quick_init" in cls.__init__.__doc__


def test_a_matter_built_quickly_is_the_dataclass_value() -> None:
    day = date(2026, 3, 2)
    matter = state.MatterState(day, Channel.VISIT, "标题", day, 2026, number="1", persons=3)
    expected = {f.name: f.default for f in fields(state.MatterState) if f.name not in (
        "received_on", "channel", "title", "notice_due", "year")}
    expected.update(received_on=day, channel=Channel.VISIT, title="标题", notice_due=day, year=2026, number="1",
                    persons=3)
    assert vars(matter) == expected
    line = state.Line(EventKind.REGISTERED, "登记")
    assert (line.kind, line.text, line.data, line.transfer) == (EventKind.REGISTERED, "登记", None, None)


@pytest.mark.parametrize("values", [{"a": 1}, {"a": 1, "b": "x", "e": 9}, {"a": 1, "c": [3], "d": (4,)}])
def test_built_is_the_value_the_init_makes(values: dict[str, object]) -> None:
    for cls in (Plain, Quick):
        made = built(cls, values)
        assert made == cls(**values) and vars(made) == vars(cls(**values)) and type(made) is cls
    assert built(Plain, {"a": 1}).c is not built(Plain, {"a": 1}).c


def test_built_refuses_what_the_init_refuses() -> None:
    for values in ({}, {"b": "x"}, {"a": 1, "f": 2}):
        with pytest.raises(TypeError):
            Plain(**values)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            built(Plain, values)


def test_a_matter_input_built_from_its_fields_is_the_forms_value() -> None:
    values = {"received_on": date(2026, 3, 2), "channel": Channel.VISIT, "title": "反映拖欠工资",
              "petitioners": (PetitionerInput("王建国", id_number="110101199003077777"),), "persons": 2,
              "note": "备注", "collective": None, "number": None, "accept_id_warnings": True}
    made = built(MatterInput, values)
    assert made == MatterInput(**values) and vars(made) == vars(MatterInput(**values))  # type: ignore[arg-type]
    with pytest.raises(FrozenInstanceError):
        made.title = "改"  # type: ignore[misc]


def test_changed_is_dataclasses_replace() -> None:
    from dataclasses import replace

    sent = state.Transfer(1, "城关镇", state.TransferKind.ASSIGN, state.TransferRole.LEAD, date(2026, 3, 2))
    for changes in ({}, {"reminders": 2}, {"state": state.TransferState.ANSWERED, "feedback": ()}):
        assert changed(sent, **changes) == replace(sent, **changes)
        assert vars(changed(sent, **changes)) == vars(replace(sent, **changes))
    assert changed(Quick(1, c=[1]), b="y") == replace(Quick(1, c=[1]), b="y")
    with pytest.raises(TypeError):
        changed(sent, nothing=1)
