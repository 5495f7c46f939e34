"""Other systems' values read as ours: channels, purposes, how a matter was signed, 来源 handed down, category
paths, a 问题属地 written out in full, a title from the content, no 信访人 column, 办结 without a date, and the
source's own number knowing a matter again when a later export of it is imported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Purpose, Source, SourceLevel, Status
from xinfang_desktop.domain.values import MatterDetail
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.ledger.cells import first_clause
from xinfang_desktop.services.ledger.files import import_ledger_file
from xinfang_desktop.services.reference import add_region

HEADER = ("信访件编号", "登记日期", "信访人", "信访形式", "信访方式", "信访目的", "来源", "问题分类", "问题属地",
          "反映内容", "承办单位", "交办日期", "反馈日期", "是否办结")
LONG = ("信访人反映：本村村道自2019年修建以来从未维护，路面大面积破损、坑洼积水，雨天群众无法出行，"
        "多次向村委会反映未果。请求镇政府尽快安排维修。")
ROWS = [
    ("3401002025000101", date(2025, 3, 3), "张三", "电话信访", "署名", "求决", "群众来信", "城乡建设_住房保障_保障房分配",
     "安徽省合肥市肥西县上派镇三岗村五组", LONG, "上派镇", date(2025, 3, 5), date(2025, 3, 20), "是"),
    ("3401002025000102", date(2025, 3, 4), "", "手机信访", "匿名", "揭发控告", "上级转办", "纪检监察/干部作风",
     "桃花镇", "反映某村干部作风粗暴。", "", None, None, "否"),
    ("3401002025000103", date(2025, 3, 5), "李四、王五", "来信", "联名", "意见建议", "市信访局交办", "教育", "",
     "建议增设校车", "上派镇", date(2025, 3, 9), None, "是"),
    ("3401002025000104", date(2025, 3, 6), "赵六", "来访", "集体访", "申诉", "巡视巡察移交", "殡葬改革_公墓_收费",
     "三岗村", "反映公墓收费过高", "", None, None, ""),
    ("3401002025000105", date(2025, 3, 7), "钱七", "网络举报", "署名", "举报", "省委巡视组移交", "农村农业-土地承包",
     "", "反映土地被占", "", None, None, ""),
    ("3401002025000106", date(2025, 3, 8), "孙八", "其他方式", "署名", "意见建议", "领导信箱", "", "", "建议修路", "",
     None, None, ""),
]


def _export(path: Path, rows: list[tuple[object, ...]] = ROWS, header: tuple[str, ...] = HEADER) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def _db(tmp_path: Path) -> Database:
    db = Database(tmp_path / "t.sqlite3")
    with db.begin() as s:
        add_region(s, name="上派镇")
        add_region(s, name="三岗村", town="上派镇")
        add_region(s, name="桃花镇")
    return db


def _matters(db: Database, ids: tuple[int, ...]) -> dict[str, MatterDetail]:
    with db.read() as s:
        found = [get_matter(s, i) for i in ids]
    return {m.received_on.isoformat(): m for m in found}


def test_other_systems_words_read_as_ours(tmp_path: Path) -> None:
    db = _db(tmp_path)
    report = import_ledger_file(db, _export(tmp_path / "省系统.xlsx")).report
    assert report.imported == len(ROWS) and not report.skipped
    m = _matters(db, report.matter_ids)
    first, anonymous, joint, collective, inspected, other = (m[f"2025-03-0{d}"] for d in range(3, 9))
    # 信访形式, with the other system's own word kept where ours is broader
    assert [x.channel for x in m.values()] == [Channel.CALL, Channel.ONLINE, Channel.LETTER, Channel.VISIT,
                                               Channel.ONLINE, Channel.OTHER]
    assert "原信访形式：手机信访" in anonymous.note and "原信访形式：网络举报" in inspected.note
    # 信访目的
    assert [x.purpose for x in m.values()] == [Purpose.CLAIM, Purpose.ACCUSATION, Purpose.SUGGESTION, Purpose.CLAIM,
                                               Purpose.ACCUSATION, Purpose.SUGGESTION]
    # the 信访方式 column beside 信访形式 sets the flags; 署名 sets none
    assert (anonymous.anonymous, joint.joint, collective.collective) == (True, True, True)
    assert not any((first.anonymous, first.joint, first.collective, other.anonymous, inspected.anonymous))
    assert not anonymous.petitioners
    # 来源 handed down, with the level where it names one (上级转办 names none: 县, with a warning)
    assert (first.source, first.source_level) == (Source.DIRECT, None)
    assert [(x.source, x.source_level) for x in (joint, collective, inspected)] == [
        (Source.ASSIGNED_FROM_ABOVE, SourceLevel.CITY), (Source.ASSIGNED_FROM_ABOVE, SourceLevel.COUNTY),
        (Source.ASSIGNED_FROM_ABOVE, SourceLevel.PROVINCE)]
    assert (anonymous.source, anonymous.source_level) == (Source.ASSIGNED_FROM_ABOVE, SourceLevel.COUNTY)
    assert "来源“上级转办”未注明交办层级，按“县”登记" in {w.text for w in report.warnings}
    # a path of three levels: our two, the whole path kept; an unknown first level added
    assert first.category == "城乡建设/住房保障" and "原问题分类：城乡建设_住房保障_保障房分配" in first.note
    assert collective.category == "殡葬改革/公墓" and inspected.category == "农村农业/土地承包"
    assert "原问题分类" not in inspected.note
    assert {"问题分类“殡葬改革/公墓”不在分类表中，导入时新增",
            "问题分类“城乡建设/住房保障”不在分类表中，导入时新增"} <= {w.text for w in report.warnings}
    # 问题属地 in one string read as our 乡镇/村; a 村 alone finds its 乡镇
    assert first.place == "上派镇/三岗村" and "原问题发生地：安徽省合肥市肥西县上派镇三岗村五组" in first.note
    assert (anonymous.place, collective.place) == ("桃花镇", "上派镇/三岗村")
    # a long 反映内容 and no title column: the title is its first clause, the content kept whole
    assert first.title == first_clause(LONG) == "本村村道自2019年修建以来从未维护"
    assert first.content == LONG and anonymous.title == "反映某村干部作风粗暴"
    assert sum("没有标题列" in w.text for w in report.warnings) == 1
    # 办结 是 with no 办结日期: on its last dated step, never before its transfer
    assert (first.status, first.closed_on) == (Status.CLOSED, date(2025, 3, 20))
    assert (joint.status, joint.closed_on) == (Status.CLOSED, date(2025, 3, 9))
    db.close()


def test_paragraphs_in_the_title_column_give_their_first_clause_said_once(tmp_path: Path) -> None:
    db = _db(tmp_path)
    header = ("登记日期", "信访人", "事由概要", "信访形式")
    rows = [(date(2025, 5, day), "张三", f"{LONG}（第{day}件）", "来信") for day in (1, 2, 3)]
    rows.append((date(2025, 5, 4), "李四", "反映路灯不亮，请求修复", "来信"))
    report = import_ledger_file(db, _export(tmp_path / "x.xlsx", rows, header), mapping={"事由概要": "反映问题"}).report
    m = _matters(db, report.matter_ids)
    assert {m[f"2025-05-0{d}"].title for d in (1, 2, 3)} == {"本村村道自2019年修建以来从未维护"}
    assert m["2025-05-02"].content == f"{LONG}（第2件）"
    assert (m["2025-05-04"].title, m["2025-05-04"].content) == ("反映路灯不亮，请求修复", "")  # short: a title
    said = [w for w in report.warnings if "大段文字" in w.text]
    assert len(said) == 1 and said[0].row == 2
    db.close()


def test_unknown_first_levels_can_go_to_other_instead(tmp_path: Path) -> None:
    db = _db(tmp_path)
    report = import_ledger_file(db, _export(tmp_path / "x.xlsx"), new_categories=False).report
    m = _matters(db, report.matter_ids)
    assert m["2025-03-06"].category == "其他" and "原问题分类：殡葬改革_公墓_收费" in m["2025-03-06"].note
    # a first level we have, with a second we have not: filed under the first
    assert m["2025-03-03"].category == "城乡建设" and "原问题分类：城乡建设_住房保障_保障房分配" in m["2025-03-03"].note
    assert m["2025-03-07"].category == "农村农业/土地承包"
    said = {w.text for w in report.warnings}
    assert {"问题分类“殡葬改革/公墓”不在分类表中，按“其他”登记", "问题分类“城乡建设/住房保障”不在分类表中，按“城乡建设”登记"} <= said
    assert not any(text.startswith("问题分类") and "导入时新增" in text for text in said)
    db.close()


def test_no_petitioner_column_is_unrecorded_not_anonymous_said_once(tmp_path: Path) -> None:
    db = _db(tmp_path)
    header = tuple(h for h in HEADER if h != "信访人")
    rows = [tuple(c for h, c in zip(HEADER, row, strict=True) if h != "信访人") for row in ROWS]
    report = import_ledger_file(db, _export(tmp_path / "x.xlsx", rows, header)).report
    assert report.imported == len(ROWS)
    said = [w for w in report.warnings if "没有信访人列" in w.text]
    assert len(said) == 1 and said[0].row == 1
    m = _matters(db, report.matter_ids)
    # only the row its 信访方式 calls 匿名 is 匿名
    assert [x.anonymous for x in m.values()] == [False, True, False, False, False, False]
    assert not any(x.petitioners for x in m.values())
    db.close()


def test_a_later_export_of_the_same_matters_adds_nothing(tmp_path: Path) -> None:
    db = _db(tmp_path)
    first = import_ledger_file(db, _export(tmp_path / "三月.xlsx")).report
    assert first.imported == len(ROWS)
    # next month's export: the same numbers, their rows moved on (a reply came, one more closed) and one new matter
    later = [(*row[:12], date(2025, 4, 1), "是") for row in ROWS]
    later.append(("3401002025000107", date(2025, 4, 2), "周九", "来信", "署名", "求决", "", "", "", "反映噪音", "", None,
                  None, ""))
    again = import_ledger_file(db, _export(tmp_path / "四月.xlsx", later)).report
    assert (again.imported, again.duplicates) == (1, len(ROWS))
    assert "编号“3401002025000101”（2025年3月3日登记）的事项已导入，未重复登记" in {w.text for w in again.warnings}
    with db.read() as s:
        assert get_matter(s, again.matter_ids[0]).title == "反映噪音"
    # a running count (序号 1, 2, 3 …, again on every sheet) is no number of the source's: it knows no matter
    renamed = [(str(i), *row[1:9], f"{row[9]}（补充）", *row[10:]) for i, row in enumerate(ROWS, 1)]
    assert import_ledger_file(db, _export(tmp_path / "补充.xlsx", renamed)).report.imported == len(ROWS)
    db.close()


def test_a_rows_import_key_stays_what_earlier_versions_stored() -> None:
    """The key of a row's own content is stored with its matter: a row imported by an earlier version is
    recognised again only if the same content still gives the same key (dates, counts and flags as text)."""
    from xinfang_desktop.domain.ledger import LedgerRow
    from xinfang_desktop.services.ledger.importer import import_key

    row = LedgerRow(number="信〔2025〕0001号", received_on=date(2025, 1, 2), channel="来访", petitioners="张三、李四",
                    persons=2, collective=True, repeat=False, transferred_on=date(2025, 1, 3), due_on=None,
                    feedback_on=date(2025, 2, 1), closed_on=date(2025, 2, 5), result="已解决", content="反映内容",
                    manner="联名")
    assert import_key(row) == "69f9310cd83aababa92716674f62f2529d4446fcda7a87c04cf3f1cf4b00f6ed"
    other = LedgerRow(number="1", received_on=date(2025, 1, 2), channel="来信", persons=1, joint=True)
    assert import_key(other) == "440b7c2984d3f51ad95e19e58d9491c4715bfe45f22cf41a211262b0f4d2354a"
