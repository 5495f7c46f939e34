"""The 台账 round trip and import: export → import into an empty database → export gives the same rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Alignment

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    EventKind,
    Purpose,
    Satisfaction,
    SkipLevel,
    Source,
    SourceLevel,
    TransferRole,
)
from xinfang_desktop.domain.errors import ValidationError, XinfangError
from xinfang_desktop.domain.ledger import HEADERS
from xinfang_desktop.domain.values import (
    MatterFilter,
    MatterInput,
    PetitionerInput,
    TransferTarget,
)
from xinfang_desktop.exporters.ledger_import import error_workbook_path, read_ledger
from xinfang_desktop.services import handling, registry
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.ledger import PROGRESS_EVERY, ledger_rows
from xinfang_desktop.services.ledger.files import (
    export_ledger_file,
    import_ledger_file,
    preview_import,
)
from xinfang_desktop.services.office import seed_demo_office
from xinfang_desktop.services.reference import find_category, find_unit, seed_defaults
from xinfang_desktop.services.search import count_matters, search
from xinfang_desktop.services.statistics.figures import tally_year

ID_A = "11010519491231002X"
ID_B = "330102198001011234"  # a bad check digit: kept with a warning, as the clerk confirmed


def _unit(s, name: str) -> int:  # type: ignore[no-untyped-def]
    unit = find_unit(s, name)
    assert unit is not None
    return unit.id


def _populate(db: Database) -> None:
    """Matters through every path a ledger can show: pending, 受理, 交办 to 办结 and 回访, 转送, 不予受理…"""
    with db.begin() as s:
        def reg(**kw):  # type: ignore[no-untyped-def]
            base = dict(received_on=date(2025, 3, 3), channel=Channel.LETTER, title="反映柳溪村土地承包问题",
                        petitioners=(PetitionerInput("王建国", id_number=ID_A, phone="13812345678",
                                                     address="青石县城关镇柳溪村3组"),))
            base.update(kw)
            return registry.register_matter(s, MatterInput(**base)).id

        cat = find_category(s, "农村农业/土地承包")
        reg(title="咨询低保政策", purpose=Purpose.CONSULTATION, proposal="拟电话答复", note="=同上")
        m = reg(received_on=date(2025, 4, 1), category_id=cat, demand="恢复承包经营权", place="城关镇/柳溪村",
                source=Source.ASSIGNED_FROM_ABOVE, source_level=SourceLevel.CITY)
        registry.instruct(s, matter_id=m, leader="张镇长", on=date(2025, 4, 2), text="请核实办理")
        registry.decide(s, matter_id=m, decision=Decision.ACCEPT, on=date(2025, 4, 3))
        m = reg(received_on=date(2025, 5, 6), channel=Channel.VISIT, persons=12, skip_level=SkipLevel.CITY,
                petitioners=(PetitionerInput("李四", id_number=ID_B), PetitionerInput("赵六", phone="13900000000")),
                accept_id_warnings=True, title="集体反映拖欠工资")
        registry.decide(s, matter_id=m, decision=Decision.ASSIGN, on=date(2025, 5, 8),
                        targets=(TransferTarget(_unit(s, "城关镇人民政府")),
                                 TransferTarget(_unit(s, "县人力资源和社会保障局"),
                                                role=TransferRole.ASSIST)))
        detail = get_matter(s, m)
        for t in detail.transfers:
            handling.record_feedback(s, transfer_id=t.id, received_on=date(2025, 6, 1), text="已协调支付",
                                     result="已全部支付")
        handling.close(s, matter_id=m, on=date(2025, 6, 3))
        handling.follow_up(s, matter_id=m, on=date(2025, 6, 10), satisfaction=Satisfaction.BASICALLY)
        handling.settle(s, matter_id=m, on=date(2025, 6, 12))  # 息访: the ledger's 备注 carries its day
        m = reg(received_on=date(2025, 7, 1), anonymous=True, petitioners=(), channel=Channel.ONLINE, title="举报违建")
        registry.decide(s, matter_id=m, decision=Decision.FORWARD, on=date(2025, 7, 2), competent_body="县住建局")
        m = reg(received_on=date(2025, 8, 1), joint=True, persons=3, title="联名反映噪音")
        registry.decide(s, matter_id=m, decision=Decision.REJECT, on=date(2025, 8, 2), reason="属诉讼程序",
                        competent_body="县人民法院")
        m = reg(received_on=date(2025, 9, 1), repeat=True, title="再次反映土地问题")
        registry.decide(s, matter_id=m, decision=Decision.ANSWER, on=date(2025, 9, 1), reason="已当场解释政策")
        m = reg(received_on=date(2025, 10, 1), title="已作废的一件")
        registry.void(s, matter_id=m, reason="重复登记")
        m = reg(received_on=date(2025, 11, 1), title="存查一件", channel=Channel.CALL)
        registry.decide(s, matter_id=m, decision=Decision.FILE, on=date(2025, 11, 2), reason="仅作了解")


def _rows(db: Database) -> list:  # type: ignore[type-arg]
    with db.read() as s:
        return list(ledger_rows(s, MatterFilter(year=2025)))


def test_round_trip_gives_the_same_rows(db: Database, tmp_path: Path) -> None:
    _populate(db)
    first = tmp_path / "first.xlsx"
    assert export_ledger_file(db, first, flt=MatterFilter(year=2025), full_id=True) == 8

    empty = Database(tmp_path / "empty.sqlite3")
    with empty.begin() as s:
        seed_defaults(s)
        seed_demo_office(s)
    outcome = import_ledger_file(empty, first)
    assert outcome.report.imported == 8
    assert outcome.report.skipped == ()
    assert outcome.error_workbook is None
    assert _rows(empty) == _rows(db)

    second = tmp_path / "second.xlsx"
    export_ledger_file(empty, second, flt=MatterFilter(year=2025), full_id=True)
    def cells(path: Path) -> list[tuple[object, ...]]:
        return [tuple(r) for r in openpyxl.load_workbook(path).active.iter_rows(min_row=2, values_only=True)]
    assert cells(second) == cells(first)

    def settled(d: Database) -> tuple[int, int, int]:
        with d.read() as s:
            t = tally_year(s, year=2025, use_cache=False).this
        return t.settled, t.closed, t.closed_not_settled
    # as _populate did it: one matter 办结 (the 交办 of 集体反映拖欠工资), and 息访 after
    assert settled(empty) == settled(db) == (1, 1, 0)
    empty.close()


def test_round_trip_keeps_a_forwarded_result_and_a_transfer_added_after_acceptance(db: Database,
                                                                                  tmp_path: Path) -> None:
    """Export → import → export keeps every cell of a 转送 with its result and of 受理 then 追加交办."""
    with db.begin() as s:
        def reg(title: str, on: date) -> int:
            return registry.register_matter(s, MatterInput(received_on=on, channel=Channel.LETTER, title=title,
                                                           petitioners=(PetitionerInput("孙八"),)),
                                            now=date(2025, 12, 31)).id

        m = reg("转送并反馈", date(2025, 3, 3))
        registry.decide(s, matter_id=m, decision=Decision.FORWARD, on=date(2025, 3, 4),
                        targets=(TransferTarget(_unit(s, "城关镇人民政府")),))
        (t,) = get_matter(s, m).transfers
        handling.record_feedback(s, transfer_id=t.id, received_on=date(2025, 3, 20), text="已处理",
                                 result="已协调解决")
        m = reg("受理后追加交办", date(2025, 4, 1))
        registry.decide(s, matter_id=m, decision=Decision.ACCEPT, on=date(2025, 4, 2))
        registry.transfer(s, matter_id=m, targets=(TransferTarget(_unit(s, "县人力资源和社会保障局")),),
                          on=date(2025, 4, 5))
        m = reg("转送给名单外机关", date(2025, 5, 6))
        registry.decide(s, matter_id=m, decision=Decision.FORWARD, on=date(2025, 5, 7), competent_body="市住建局")
        handling.close(s, matter_id=m, on=date(2025, 5, 20), result="市住建局已受理")
    first = tmp_path / "first.xlsx"
    export_ledger_file(db, first, flt=MatterFilter(year=2025), full_id=True)
    empty = Database(tmp_path / "empty.sqlite3")
    with empty.begin() as s:
        seed_defaults(s)
        seed_demo_office(s)
    report = import_ledger_file(empty, first).report
    assert report.imported == 3 and report.skipped == ()
    second = tmp_path / "second.xlsx"
    export_ledger_file(empty, second, flt=MatterFilter(year=2025), full_id=True)

    def cells(path: Path) -> list[tuple[object, ...]]:
        return [tuple(r) for r in openpyxl.load_workbook(path).active.iter_rows(min_row=2, values_only=True)]
    assert cells(second) == cells(first)
    by_title = {r.title: r for r in _rows(empty)}
    assert by_title["转送并反馈"].result == "已协调解决"
    assert by_title["受理后追加交办"].units == "县人力资源和社会保障局"
    assert by_title["受理后追加交办"].transferred_on == date(2025, 4, 5)
    empty.close()


def test_imported_matter_names_file_and_row_and_keeps_the_ledger_flags(db: Database, tmp_path: Path) -> None:
    _populate(db)
    path = tmp_path / "台账.xlsx"
    export_ledger_file(db, path, flt=MatterFilter(year=2025), full_id=True)
    target = Database(tmp_path / "t.sqlite3")
    with target.begin() as s:
        seed_defaults(s)
        seed_demo_office(s)
    import_ledger_file(target, path)
    with target.read() as s:
        rows = {r.title: r for r in ledger_rows(s, MatterFilter(year=2025))}
        visit = rows["集体反映拖欠工资"]
        assert visit.collective and visit.skip_level == "到市" and visit.persons == 12
        assert rows["再次反映土地问题"].repeat and rows["联名反映噪音"].joint
        from xinfang_desktop.services.search import find_matter_by_number
        matter_id = find_matter_by_number(s, visit.number)
        assert matter_id is not None
        events = get_matter(s, matter_id).events
    imported = [e.text for e in events if e.kind == EventKind.IMPORTED]
    assert imported == ["从台账“台账.xlsx”工作表“2025年”第5行导入"]
    target.close()


def test_masked_export_is_not_imported_as_id_numbers(db: Database, tmp_path: Path) -> None:
    _populate(db)
    path = tmp_path / "masked.xlsx"
    export_ledger_file(db, path, flt=MatterFilter(year=2025))
    target = Database(tmp_path / "t.sqlite3")
    outcome = import_ledger_file(target, path)
    assert outcome.report.imported == 8
    assert any("已脱敏" in w.text for w in outcome.report.warnings)
    with target.read() as s:
        assert all("*" not in r.id_numbers and r.id_numbers == "" for r in ledger_rows(s))
    target.close()


# a hand-kept ledger ---------------------------------------------------------------------------
def _hand_ledger(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2019年"
    ws.append(["城关镇2019年信访工作台账"])
    ws.merge_cells("A1:L1")
    ws.append(["（填报单位：城关镇信访办）"])
    ws.append(["序号", "来信来访日期", "信访方式", "来访人", "身份证号码", "手机", "来访人数", "问题类别",
               "主要问题", "是否集体访", "是否重复", "责任单位", "办结时间", "回访情况", "经办人 （签字）"])
    rows = [
        (1, date(2019, 3, 5), "来信", "张三", "11010519491231002X", 13812345678, 1, "劳动社保/拖欠工资",
         "反映工资拖欠", "否", "", "城关镇人民政府", "2019-04-01", "满意", "李"),
        (2, "2019.3.5", "来访", "李四、王五", "", "", "6人", "城乡建设/征地拆迁", "反映拆迁补偿", "√", "Y",
         "", "", "", "李"),
        (3, "2019-03-05", "电话", "赵六", "", "", "", "新的分类", "=咨询社保", "", "✓", "", "", "", ""),
        (4, "2019/3/5", "网上", "钱七", "", "", "", "", "反映噪音扰民", "", "是", "", "", "", ""),
        (5, "2019年3月5日", "来信", "孙八", "", "", "", "", "反映道路破损", "", "", "", "", "", ""),
        (6, "", "来信", "周九", "", "", "", "", "没有日期的一行", "", "", "", "", "", ""),
        (7, "2019.13.45", "来信", "吴十", "", "", "", "", "日期写错的一行", "", "", "", "", "", ""),
        (8, "2019.3.6", "来信", "", "", "", "", "", "没有信访人的一行", "", "", "", "", "", ""),
    ]
    for row in rows:
        ws.append(list(row))
    ws.append([])
    ws.append(["制表人：李", None, None, "审核人：王"])
    ws["B4"].alignment = Alignment(horizontal="center")
    ws["I6"].data_type = "s"  # typed as text in Excel: "=咨询社保" is not a formula
    wb.save(path)


def test_hand_ledger_import_counts_errors_and_no_second_import(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "2019台账.xlsx"
    _hand_ledger(path)
    ledger = read_ledger(path)
    assert ledger.sheets[0].header_row == 3
    assert ledger.unrecognised == ("经办人 （签字）",)
    outcome = import_ledger_file(db, path, ledger=ledger)
    report = outcome.report
    assert report.rows_read == 8  # eight numbered rows; the sign-off line is not a matter
    assert ledger.sheets[0].ignored == ((13, "“制表人：李”是表尾的合计、说明或签名行"),)
    assert report.imported == 5
    assert [(s.row, s.reason[:6]) for s in report.skipped] == [
        (9, "没有登记日期"), (10, "“来信来访日"), (11, "请填写信访人")]
    assert outcome.error_workbook == error_workbook_path(path)
    errors = list(openpyxl.load_workbook(outcome.error_workbook).active.iter_rows(values_only=True))
    assert [r[1] for r in errors[1:]] == [9, 10, 11]
    assert errors[3][3] == 8 and errors[3][11] == "没有信访人的一行"

    with db.read() as s:
        rows = {r.title: r for r in ledger_rows(s, MatterFilter(year=2019))}
        assert set(rows) == {"反映工资拖欠", "反映拆迁补偿", "=咨询社保", "反映噪音扰民", "反映道路破损"}
        assert {r.received_on for r in rows.values()} == {date(2019, 3, 5)}
        wage = rows["反映工资拖欠"]
        assert (wage.units, wage.closed_on, wage.status, wage.satisfaction) == (
            "城关镇人民政府", date(2019, 4, 1), "已办结", "满意")
        assert wage.phones == "13812345678" and wage.id_numbers == "11010519491231002X"
        assert wage.note == "经办人 （签字）：李"
        visit = rows["反映拆迁补偿"]
        assert visit.collective and visit.repeat and visit.persons == 6 and visit.petitioners == "李四、王五"
        assert rows["=咨询社保"].channel == "来电" and rows["=咨询社保"].repeat
        assert rows["=咨询社保"].category == "新的分类"
        assert rows["反映噪音扰民"].channel == "网上信访"
        assert not rows["反映道路破损"].repeat and not rows["反映道路破损"].collective
        assert count_matters(s, MatterFilter(year=2019)) == 5

    again = import_ledger_file(db, path)
    assert (again.report.imported, again.report.duplicates) == (0, 5)
    with db.read() as s:
        assert count_matters(s, MatterFilter(year=2019)) == 5


def test_preview_lists_problems_and_writes_nothing(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "2019台账.xlsx"
    _hand_ledger(path)
    report = preview_import(db, read_ledger(path))
    assert report.imported == 5 and len(report.skipped) == 3
    # the batch with broken rows is redone row by row: its warnings are told once, not twice
    assert [(w.row, w.text) for w in report.warnings] == [(6, "问题分类“新的分类”不在分类表中，导入时新增")]
    with db.read() as s:
        assert count_matters(s) == 0
        assert find_category(s, "新的分类") is None
    assert not error_workbook_path(path).exists()


def test_column_mapping_by_hand(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["日期", "形式", "姓名", "情况", "去向"])
    ws.append([date(2020, 1, 2), "来信", "张三", "反映路灯不亮", "城关镇人民政府"])
    wb.save(path)
    assert read_ledger(path).unrecognised == ("情况", "去向")
    ledger = read_ledger(path, mapping={"情况": "反映问题", "去向": ""})
    outcome = import_ledger_file(db, path, ledger=ledger)
    assert outcome.report.imported == 1
    with db.read() as s:
        (row,) = list(ledger_rows(s))
    assert row.title == "反映路灯不亮" and row.note == "去向：城关镇人民政府"


@pytest.mark.parametrize("content", [b"not a workbook at all", b"PK\x03\x04broken zip"])
def test_not_a_workbook_is_refused_and_nothing_written(db: Database, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(ValidationError, match="不是可读取的Excel工作簿"):
        import_ledger_file(db, path)
    with db.read() as s:
        assert count_matters(s) == 0
    assert not error_workbook_path(path).exists()


def test_no_header_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["购物清单", "数量"])
    wb.active.append(["苹果", 3])
    wb.save(path)
    with pytest.raises(ValidationError, match="找不到台账表头"):
        import_ledger_file(db, path)
    with db.read() as s:
        assert count_matters(s) == 0


def test_headers_are_canonical() -> None:
    assert HEADERS[:3] == ("编号", "登记日期", "信访形式") and HEADERS[-1] == "备注" and len(HEADERS) == 30


def test_flags_follow_the_ledger_and_register_decides_only_without_a_column(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记日期", "信访人", "反映问题", "信访形式", "人数"])
    ws.append(["2021.5.6", "张三", "八人来访", "来访", 8])
    ws.append(["2021.5.7", "李四", "一人来访", "来访", 1])
    wb.save(path)
    import_ledger_file(db, path)
    with db.read() as s:
        rows = {r.title: r.collective for r in ledger_rows(s)}
    assert rows == {"八人来访": True, "一人来访": False}

    path = tmp_path / "g.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记日期", "信访人", "反映问题", "信访形式", "人数", "集体访"])
    ws.append(["2021.6.6", "王五", "台账未标集体访", "来访", 8, "否"])
    wb.save(path)
    import_ledger_file(db, path)
    with db.read() as s:
        assert [r.collective for r in ledger_rows(s) if r.title == "台账未标集体访"] == [False]


def test_reimporting_an_export_into_its_own_database_adds_nothing(db: Database, tmp_path: Path) -> None:
    _populate(db)
    path = tmp_path / "own.xlsx"
    export_ledger_file(db, path, flt=MatterFilter(year=2025), full_id=True)
    outcome = import_ledger_file(db, path)
    assert (outcome.report.imported, outcome.report.duplicates) == (0, 8)
    assert outcome.report.warnings[0].text == "编号“信〔2025〕0001号”已在数据库中，视为已导入，未重复登记"
    with db.read() as s:
        assert count_matters(s) == 8


def test_cancelled_import_writes_nothing(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记日期", "信访人", "反映问题"])
    for i in range(120):
        ws.append([date(2022, 1, 1 + i % 28), f"张{i}", f"事项{i}"])
    wb.save(path)
    calls: list[int] = []
    with pytest.raises(XinfangError, match="导入已取消"):
        import_ledger_file(db, path, progress=lambda done, total: calls.append(done), cancelled=lambda: True)
    assert calls == [PROGRESS_EVERY]  # progress is told, then the cancel is honoured at once
    with db.read() as s:
        assert count_matters(s) == 0
    assert not error_workbook_path(path).exists()


def test_a_unit_added_by_a_refused_row_is_not_reused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "u.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记日期", "信访人", "反映问题", "承办单位", "交办日期", "处理方式"])
    # 交办 before 登记: refused, so the new unit it brought is rolled back with it
    ws.append(["2022.5.6", "张三", "第一件", "新设的单位", "2022.5.1", "交办"])
    ws.append(["2022.5.7", "李四", "第二件", "新设的单位", "2022.5.8", "交办"])
    wb.save(path)
    outcome = import_ledger_file(db, path)
    assert outcome.report.imported == 2
    with db.read() as s:
        rows = {r.title: r for r in ledger_rows(s)}
        assert rows["第一件"].units == "" and rows["第二件"].units == "新设的单位"
        assert find_unit(s, "新设的单位") is not None
    assert any("受理决定未导入" in w.text and w.row == 2 for w in outcome.report.warnings)


def test_error_workbook_that_cannot_be_written_does_not_undo_the_import(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xinfang_desktop.domain.errors import StorageError
    from xinfang_desktop.services.ledger import files as ledger_io

    path = tmp_path / "2019台账.xlsx"
    _hand_ledger(path)

    def locked(*_a: object) -> Path:
        raise StorageError("无法写入错误清单“2019台账-导入错误.xlsx”，请关闭该文件后重试")

    monkeypatch.setattr(ledger_io, "write_error_workbook", locked)
    outcome = import_ledger_file(db, path)
    assert outcome.committed and outcome.report.imported == 5 and outcome.error_workbook is None
    assert "请关闭该文件" in outcome.error_workbook_problem
    with db.read() as s:
        assert count_matters(s) == 5


def test_visit_head_count_and_representatives(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "v.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记日期", "信访人", "反映问题", "信访形式", "人数", "集体访"])
    ws.append(["2023.1.5", "甲、乙、丙", "三人来访未填人数", "来访", None, ""])
    ws.append(["2023.1.6", "甲、乙、丙、丁、戊、己", "六人集体访", "来访", 40, "是"])
    wb.save(path)
    outcome = import_ledger_file(db, path)
    assert outcome.report.imported == 2, outcome.report.skipped
    with db.read() as s:
        rows = {r.title: r for r in ledger_rows(s)}
        assert rows["三人来访未填人数"].persons == 3 and not rows["三人来访未填人数"].collective
        big = rows["六人集体访"]
        assert big.persons == 40 and big.collective and big.petitioners == "甲、乙、丙、丁、戊、己"


def test_a_head_count_out_of_bounds_is_said_not_read_as_another(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "n.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记日期", "信访人", "反映问题", "信访形式", "人数"])
    ws.append(["2023.1.5", "甲、乙", "人数写成负数", "来访", "-5"])
    ws.append(["2023.1.6", "丙", "人数写成十亿", "来访", "1e9"])
    wb.save(path)
    outcome = import_ledger_file(db, path)
    report = outcome.report
    assert report.imported == 1 and any("人数-5无效，按2人登记" in w.text for w in report.warnings)
    assert [p.row for p in report.skipped if "人数" in p.reason and "100000" in p.reason] == [3]
    with db.read() as s:
        assert {r.title: r.persons for r in ledger_rows(s)} == {"人数写成负数": 2}


def test_confirm_sees_the_report_before_anything_is_written(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "2019台账.xlsx"
    _hand_ledger(path)
    seen: list[int] = []

    def decline(report):  # type: ignore[no-untyped-def]
        seen.append(report.imported)
        return False

    outcome = import_ledger_file(db, path, confirm=decline)
    assert seen == [5] and not outcome.committed and outcome.report.imported == 5
    with db.read() as s:
        assert count_matters(s) == 0
    assert not error_workbook_path(path).exists()
    outcome = import_ledger_file(db, path, confirm=lambda report: True)
    assert outcome.committed and outcome.error_workbook is not None
    with db.read() as s:
        assert count_matters(s) == 5


def test_anonymous_matter_reads_匿名_in_the_ledger_and_comes_back_anonymous(db: Database, tmp_path: Path) -> None:
    with db.begin() as s:
        registry.register_matter(s, MatterInput(received_on=date(2025, 7, 1), channel=Channel.ONLINE, title="举报违建",
                                                anonymous=True, petitioners=()))
    assert [r.petitioners for r in _rows(db)] == ["匿名"]
    # a hand ledger without a 匿名 column writes it in the name column
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记日期", "信访人", "反映问题"])
    ws.append(["2025.8.1", "匿名", "反映噪音"])
    path = tmp_path / "hand.xlsx"
    wb.save(path)
    report = import_ledger_file(db, path).report
    with db.read() as s:
        matter = get_matter(s, report.matter_ids[0])
    assert matter.anonymous and matter.petitioners == ()


def test_an_imported_matter_is_found_by_each_of_its_petitioners_names(db: Database, tmp_path: Path) -> None:
    # the import writes a matter after its links, and its search row takes their names then (migration 0017)
    path = tmp_path / "台账.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记日期", "信访形式", "信访人", "反映问题"])
    ws.append([date(2026, 3, 5), "来访", "欧阳春梅、司马相如", "反映道路破损"])
    ws.append([date(2026, 3, 6), "来信", "诸葛孔明", "反映噪音扰民"])
    ws.append([date(2026, 3, 7), "来信", "匿名", "反映小区停水"])
    wb.save(path)
    assert import_ledger_file(db, path).report.imported == 3
    with db.read() as s:
        for term, title in [("欧阳春梅", "反映道路破损"), ("司马相如", "反映道路破损"), ("阳春梅", "反映道路破损"),
                            ("诸葛孔明", "反映噪音扰民"), ("小区停水", "反映小区停水")]:
            assert [m.title for m in search(s, term)] == [title], term
            assert count_matters(s, MatterFilter(text=term)) == 1
        assert search(s, "春梅司马") == []  # two names are two words, not one
