"""300 generated hostile and damaged workbooks: each ends in a Chinese message or a whole import, never a crash."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.exporters.ledger_import import read_ledger

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _fuzz() -> ModuleType:
    """benchmarks/fuzz_workbooks.py, which the stress script runs with 1,000 files."""
    spec = importlib.util.spec_from_file_location("fuzz_workbooks", BENCHMARKS / "fuzz_workbooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


fuzz = _fuzz()


@pytest.mark.slow
def test_three_hundred_bad_workbooks_give_messages_or_whole_imports(tmp_path: Path) -> None:
    made = fuzz.generate(300, tmp_path / "bad", seed=12)
    assert len(made) == 300
    db = Database(tmp_path / "fuzz.sqlite3")
    try:
        figures = fuzz.run(made, db)
    finally:
        db.close()
    assert figures.tracebacks == []
    assert figures.partial == []
    assert figures.refused + figures.imported == 300
    # the corpus really holds the files that used to abort the process or escape as a panic
    kinds = set(figures.by_kind)
    assert {"cell_at_XFD1048576", "xls_huge_dimensions", "xls_far_cell", "cut", "zip_bomb"} <= kinds
    assert figures.refused > 150 and figures.imported > 0


@pytest.mark.parametrize("mutation", ["cell_at_XFD1048576", "cell_at_XFE2", "cells_without_positions",
                                      "far_cell_elsewhere", "zip_bomb"])
def test_an_absurd_sheet_is_refused_before_it_is_read_naming_its_last_cell(tmp_path: Path, mutation: str) -> None:
    import random

    mutate = next(m for m in fuzz.XLSX_MUTATIONS if m.__name__ == mutation)
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(mutate(fuzz.good_ledger(), random.Random(1)))
    with pytest.raises(ValidationError) as caught:
        read_ledger(path)
    assert "Ctrl+End" in caught.value.message and "hostile.xlsx" in caught.value.message
    if mutation in ("cell_at_XFD1048576", "far_cell_elsewhere"):
        assert "XFD1048576" in caught.value.message


@pytest.mark.parametrize("mutation", ["xls_huge_dimensions", "xls_far_cell", "xls_mulrk"])
def test_an_xls_asking_for_billions_of_cells_is_refused(tmp_path: Path, mutation: str) -> None:
    import random

    patch = next(m for m in fuzz.XLS_MUTATIONS if m.__name__ == mutation)
    good = fuzz.SEED_XLS.read_bytes()
    path = tmp_path / "hostile.xls"
    for seed in range(6):  # each seed picks other records and values; every outcome is a message or a read
        path.write_bytes(patch(good, random.Random(seed)))
        try:
            read_ledger(path)
        except ValidationError as exc:
            assert "hostile.xls" in exc.message


def test_a_truncated_xls_is_a_message_not_a_panic(tmp_path: Path) -> None:
    good = fuzz.SEED_XLS.read_bytes()
    path = tmp_path / "cut.xls"
    panicked = 0
    for length in range(512, len(good), max(len(good) // 40, 1)):
        path.write_bytes(good[:length])
        with pytest.raises(ValidationError) as caught:
            read_ledger(path)
        assert "cut.xls" in caught.value.message and "另存" in caught.value.message
        panicked += type(caught.value.__cause__).__name__ == "PanicException"
    assert panicked > 0  # calamine did panic on some of them: the reader caught it
