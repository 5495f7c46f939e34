"""Ledger import in batches: held timeline events and held 序号 stay right when part of a batch is undone."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from sqlalchemy import func, select

from tests.helpers.database import cli_db
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Event, Matter
from xinfang_desktop.domain.enums import EventKind
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.ledger.files import import_ledger_file


def _ledger(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记日期", "信访人", "反映问题", "承办单位", "交办日期", "处理方式", "办结日期"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_row_refused_after_taking_a_number_leaves_no_gap(db: Database, tmp_path: Path) -> None:
    # the second row's name is too long: refused inside 登记, after its 序号 was taken
    path = _ledger(tmp_path / "n.xlsx", [
        ["2022.5.6", "张三", "第一件", "", "", "", ""],
        ["2022.5.6", "张" * 70, "第二件", "", "", "", ""],
        ["2022.5.7", "李四", "第三件", "", "", "", ""],
        ["2022.5.8", "王五", "第四件", "", "", "", ""],
    ])
    report = import_ledger_file(db, path).report
    assert report.imported == 3 and [s.row for s in report.skipped] == [3]
    with db.read() as s:
        numbers = [get_matter(s, i).number for i in report.matter_ids]
    assert numbers == ["信〔2022〕0001号", "信〔2022〕0002号", "信〔2022〕0003号"]


def test_timeline_of_an_imported_matter_in_order_and_nothing_of_a_refused_row(db: Database, tmp_path: Path) -> None:
    path = _ledger(tmp_path / "t.xlsx", [
        ["2022.5.7", "李四", "交办后办结", "城关镇人民政府", "2022.5.8", "交办", "2022.6.1"],
        ["2022.5.7", "张" * 70, "被拒绝的一行", "", "", "", ""],
    ])
    report = import_ledger_file(db, path).report
    assert report.imported == 1
    with db.read() as s:
        events = get_matter(s, report.matter_ids[0]).events
        total = s.scalar(select(func.count()).select_from(Event))
    assert [e.kind for e in events] == [
        EventKind.REGISTERED, EventKind.IMPORTED, EventKind.DECIDED, EventKind.FEEDBACK, EventKind.CLOSED]
    assert [e.id for e in events] == sorted(e.id for e in events)
    assert total == len(events)  # the refused row's events went with it


def test_a_number_given_in_this_import_is_not_given_again(db: Database, tmp_path: Path) -> None:
    """A later row whose own 编号 is the one an earlier row (still unwritten) was given is another matter's number."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "登记日期", "信访人", "反映问题"])
    ws.append(["", "2022.5.6", "张三", "第一件"])
    ws.append(["信〔2022〕0001号", "2022.5.7", "李四", "第二件"])
    path = tmp_path / "numbers.xlsx"
    wb.save(path)
    report = import_ledger_file(db, path).report
    assert (report.imported, report.duplicates, len(report.conflicts)) == (1, 0, 1)
    assert "已被另一件事项使用（2022年5月6日登记：第一件）" in report.conflicts[0].reason


def _many(path: Path, n: int) -> Path:
    return _ledger(path, [[f"2022.{1 + i % 12}.{1 + i % 28}", f"张{i}", f"事项{i}", "", "", "", ""] for i in range(n)])


def _clerk_saves(db: Database, title: str) -> str:
    from datetime import date

    from xinfang_desktop.domain.enums import Channel
    from xinfang_desktop.domain.values import MatterInput, PetitionerInput
    from xinfang_desktop.services.registry import register_matter

    with db.begin() as s:
        return register_matter(s, MatterInput(received_on=date(2022, 12, 30), channel=Channel.LETTER, title=title,
                                              petitioners=(PetitionerInput("王五"),)), now=date(2023, 1, 2)).number


def test_the_preview_holds_no_lock_and_a_clerk_saves_between_batches(db: Database, tmp_path: Path) -> None:
    """Nothing is written while the clerk looks at the preview; a save between two batches is simply followed."""
    path = _many(tmp_path / "many.xlsx", 1200)
    saved: list[str] = []
    first_batch: list[int] = []

    def confirm(report: object) -> bool:
        saved.append(_clerk_saves(db, "看预览时登记的"))  # another writer while the preview is open
        return True

    def progress(done: int, total: int) -> None:
        if len(saved) == 1:  # told after the check (before confirm), then after each batch committed
            first_batch.append(done)
            saved.append(_clerk_saves(db, "两批之间登记的"))  # the first batch is committed: the clerk saves now

    report = import_ledger_file(db, path, confirm=confirm, progress=progress).report
    assert report.imported == 1200 and len(saved) == 2 and 0 < first_batch[0] < 1200
    with db.read() as s:
        numbers = [n for (n,) in s.execute(select(Matter.number))]
    assert len(numbers) == len(set(numbers)) == 1202
    assert saved[0] == "信〔2022〕0001号"  # taken first; the import numbered around it
    assert saved[1] == f"信〔2022〕{first_batch[0] + 2:04d}号"  # after the first batch's numbers


def test_a_cancel_between_batches_keeps_what_was_written_and_the_same_file_continues(
    db: Database, tmp_path: Path
) -> None:
    import pytest

    from xinfang_desktop.domain.errors import XinfangError

    path = _many(tmp_path / "many.xlsx", 1100)
    told: list[int] = []

    def one_batch_written() -> bool:  # asked while checking, then before each batch after the first
        return len(told) >= 2 and told[-2] == 1100 and told[-1] < 1100  # checked all, wrote one batch

    with pytest.raises(XinfangError) as cancel:
        import_ledger_file(db, path, progress=lambda done, total: told.append(done), cancelled=one_batch_written)
    written = told[-1]
    assert 0 < written < 1100
    assert f"已写入{written}件，其余{1100 - written}行未写入" in cancel.value.message
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Matter)) == written
    again = import_ledger_file(db, path).report
    assert (again.imported, again.duplicates) == (1100 - written, written)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Matter)) == 1100


def test_a_different_matter_under_a_taken_number_is_listed_and_may_be_renumbered(
    db: Database, tmp_path: Path, capsys: object
) -> None:
    """Only the same matter is a repeat: another under a taken 编号 is a conflict, never silently dropped."""
    from xinfang_desktop.cli import main
    from xinfang_desktop.exporters.ledger_import import error_workbook_path

    taken = _clerk_saves(db, "本机登记的一件")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "登记日期", "信访人", "反映问题"])
    ws.append([taken, "2022.12.30", "王五", "本机登记的一件"])  # the same matter: a repeat
    ws.append([taken, "2022.3.1", "赵六", "另一个系统的另一件事"])  # a different matter: a conflict
    ws.append(["", "2022.3.2", "钱七", "普通的一件"])
    path = tmp_path / "other.xlsx"
    wb.save(path)

    left = import_ledger_file(db, path, dry_run=True).report
    assert (left.imported, left.duplicates, len(left.conflicts)) == (1, 1, 1)
    assert "已被另一件事项使用" in left.conflicts[0].reason and left.conflicts[0].row == 3
    outcome = import_ledger_file(db, path, renumber=True)
    report = outcome.report
    assert (report.imported, report.duplicates, len(report.conflicts)) == (2, 1, 1)
    with db.read() as s:
        moved = s.execute(select(Matter.number, Matter.note).where(Matter.title == "另一个系统的另一件事")).one()
    assert moved.number != taken and moved.note == f"原编号：{taken}"
    assert outcome.error_workbook == error_workbook_path(path)  # listed there either way
    wb2 = openpyxl.load_workbook(outcome.error_workbook)
    assert any("另一个系统的另一件事" in str(c.value) for row in wb2.active.iter_rows() for c in row)
    # every row was imported: the list is not called one of rows left out
    assert outcome.listed == wb2.active.title == "按新编号导入的行"
    from dataclasses import replace

    from xinfang_desktop.services.ledger.files import listing
    assert listing(left) == "未导入的行"  # without --renumber the conflict is left out
    assert listing(replace(left, moved=report.conflicts)) == "未导入的行、按新编号导入的行"
    assert main(["import-ledger", str(path), "--db", cli_db(db), "--dry-run"]) == 0
    printed = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "编号已被另一件事项使用：0" not in printed and "已存在（重复导入，跳过）：3" in printed
    ws.delete_rows(2, 3)
    ws.append([taken, "2022.3.3", "孙八", "第三个系统的又一件事"])
    wb.save(path)
    assert main(["import-ledger", str(path), "--db", cli_db(db), "--renumber"]) == 0
    printed = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "已按新编号导入" in printed and "按新编号导入的行已列入" in printed and "未导入的行" not in printed


def test_a_batch_is_sized_to_hold_the_lock_under_half_a_second_from_how_fast_the_last_went() -> None:
    from xinfang_desktop.services.ledger.files import BATCH_SECONDS, next_batch_size

    assert BATCH_SECONDS == 0.4
    assert next_batch_size(1000, 1.0) == 400  # slower than meant: smaller
    assert next_batch_size(400, 0.4) == 400
    assert next_batch_size(50, 0.05) == 200  # at most four times the last: one quick batch is no measure
    assert next_batch_size(10, 60.0) == 1  # never none
    assert next_batch_size(10, 0.0) == 40


def test_a_number_a_clerk_takes_while_the_import_runs_moves_the_row_to_a_new_number_and_loses_nothing(
    db: Database, tmp_path: Path, capsys: object
) -> None:
    """The clerk's 登记 between the check and the write gets the next 编号 of the year, which is the
    ledger's own 编号 of a row not yet written: that row goes in under a new 编号, never counted a repeat."""
    from xinfang_desktop.cli import main

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "登记日期", "信访人", "反映问题"])
    ledger_rows = [(f"信〔2022〕{n:04d}号", f"2022.3.{n}", f"来信人{n}", f"台账的第{n}件") for n in range(1, 6)]
    for row in ledger_rows:
        ws.append(list(row))
    path = tmp_path / "numbered.xlsx"
    wb.save(path)
    clerks: list[str] = []

    def clerk_saves_meanwhile(report: object) -> bool:
        clerks.extend(_clerk_saves(db, f"本机登记的第{i}件") for i in (1, 2))  # after the check, before the write
        return True

    outcome = import_ledger_file(db, path, confirm=clerk_saves_meanwhile)
    report = outcome.report
    assert clerks == ["信〔2022〕0001号", "信〔2022〕0002号"]
    assert (report.imported, report.duplicates, len(report.moved)) == (5, 0, 2)
    assert [m.row for m in report.moved] == [2, 3] and "导入期间被另一件事项使用" in report.moved[0].reason
    with db.read() as s:
        stored = {m.title: (m.number, m.note) for m in s.scalars(select(Matter))}
    assert len(stored) == 7  # the clerk's two and all five of the ledger
    numbers = [number for number, _ in stored.values()]
    assert len(set(numbers)) == 7
    for number, day, _, title in ledger_rows:
        moved = number in clerks
        assert (stored[title][0] == number) is not moved
        assert (f"原编号：{number}" in stored[title][1]) is moved
    assert outcome.error_workbook is not None  # listed there too
    # and the next 登记 skips the ledger's numbers its 序号 would make
    later = _clerk_saves(db, "导入之后登记的一件")
    assert later not in numbers
    assert main(["import-ledger", str(path), "--db", cli_db(db), "--dry-run"]) == 0
    assert "已存在（重复导入，跳过）：5" in capsys.readouterr().out  # type: ignore[attr-defined]
