"""Five ledger layouts a clerk really receives, built here, imported through `xinfang import-ledger`, and counted
by `xinfang tally --json` as this test counts the matters it wrote: a provincial 信访信息系统 export, a 纪检监察
信访举报 ledger, a county web-app export (two header rows, merged, over a row of column numbers), a hand ledger
with one sheet per month, and the hand ledger of DOMAIN §6. Each is imported twice: the second time adds nothing.
Headers are recognised without help; the one column no table could know is named with --map.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from xinfang_desktop.cli import main
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Purpose, Source, SourceLevel
from xinfang_desktop.services.reference import add_region

YEAR = 2025
PLACES = {"上派镇": ("三岗村", "柳溪村"), "桃花镇": ("林湾村", "石桥村")}
CATEGORIES = (("农村农业", "土地承包"), ("城乡建设", "住房"), ("劳动社保", "拖欠工资"), ("民政", "低保"),
              ("纪检监察", "干部作风"), ("生态环境", "噪音"), ("交通运输", "道路"))
UNITS = ("上派镇人民政府", "县住建局", "县人社局")
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"
TOPICS = ("村道破损无人修复", "拖欠工资至今未付", "低保资格被取消", "承包地被占用", "夜间施工噪音扰民", "危房改造补助未发放")


@dataclass(frozen=True)
class Spec:
    """One matter as the test means it; each layout writes it in its own words."""

    number: int
    received: date
    channel: Channel
    purpose: Purpose
    source: Source
    level: SourceLevel | None
    category: tuple[str, str]
    town: str
    village: str
    names: tuple[str, ...]  # () for 匿名
    persons: int
    joint: bool
    topic: str
    unit: str | None
    transferred: date | None
    closed: date | None
    closed_dated: bool  # the ledger writes its 办结日期; else only 是 in 是否办结

    @property
    def anonymous(self) -> bool:
        return not self.names

    @property
    def closed_on(self) -> date | None:
        """Where the import must put its 办结: the date written, or its last dated step."""
        if self.closed is None:
            return None
        return self.closed if self.closed_dated else max(d for d in (self.received, self.transferred) if d)

    @property
    def content(self) -> str:
        return f"信访人反映：{self.topic}，多次向有关部门反映未果，群众意见较大。请求依法依规尽快处理。"


def specs(seed: int, count: int, channels: tuple[Channel, ...] = tuple(Channel)) -> list[Spec]:
    rng = random.Random(seed)
    found = []
    for i in range(count):
        received = date(YEAR, 1, 2) + timedelta(days=rng.randrange(0, 330))
        channel = rng.choice(channels)
        persons = rng.choice((1, 2, 6, 9)) if channel is Channel.VISIT else 1
        purpose = rng.choice(tuple(Purpose))
        source = rng.choice((Source.DIRECT, Source.DIRECT, Source.ASSIGNED_FROM_ABOVE, Source.LEADER))
        level = rng.choice(tuple(SourceLevel)) if source is Source.ASSIGNED_FROM_ABOVE else None
        anonymous = channel is not Channel.VISIT and rng.random() < 0.2
        joint = channel is Channel.LETTER and not anonymous and rng.random() < 0.3
        names = () if anonymous else tuple(f"{rng.choice(SURNAMES)}{'明华'[i % 2]}{i}" for i in range(
            max(1, min(persons, 3)) if channel is Channel.VISIT else (2 if joint else 1)))
        town = rng.choice(tuple(PLACES))
        unit = rng.choice((*UNITS, None))
        transferred = received + timedelta(days=rng.randrange(1, 6)) if unit else None
        closed = (transferred or received) + timedelta(days=rng.randrange(5, 40)) if rng.random() < 0.6 else None
        found.append(Spec(
            number=i + 1, received=received, channel=channel, purpose=purpose, source=source, level=level,
            category=rng.choice(CATEGORIES), town=town, village=rng.choice(PLACES[town]), names=names,
            persons=persons, joint=joint, topic=rng.choice(TOPICS), unit=unit, transferred=transferred,
            closed=closed, closed_dated=rng.random() < 0.7,
        ))
    return sorted(found, key=lambda s: (s.received, s.number))


def expected(matters: list[Spec], *, places: bool = True) -> dict[str, object]:
    """The figures of `xinfang tally --json` as counted here from the matters written."""
    visits = [m for m in matters if m.channel is Channel.VISIT]
    closed = [m for m in matters if m.closed_on is not None]
    days = [(m.closed_on - m.received).days for m in closed if m.closed_on is not None]
    return {
        "total": len(matters),
        "by_channel": {c.value: sum(m.channel is c for m in matters) for c in Channel},
        "visit_persons": sum(m.persons for m in visits),
        "consultations": sum(m.purpose is Purpose.CONSULTATION for m in matters),
        "collective_visits": {"batches": sum(m.persons >= 5 for m in visits),
                              "persons": sum(m.persons for m in visits if m.persons >= 5)},
        "joint_letters": sum(m.joint for m in matters),
        "anonymous": sum(m.anonymous for m in matters),
        "by_purpose": {p.value: sum(m.purpose is p for m in matters) for p in Purpose},
        "by_source": {s.value: sum(m.source is s for m in matters) for s in Source},
        "by_category": dict(Counter(m.category[0] for m in matters)),
        "by_place": dict(Counter(f"{m.town}/{m.village}" for m in matters)) if places else {"未填写": len(matters)},
        "by_month": [sum(m.received.month == month for m in matters) for month in range(1, 13)],
        "closed": len(closed),
        # one decimal, half up
        "avg_days": float((Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"), ROUND_HALF_UP)) if days else None,
        "assigned": dict(Counter(m.unit for m in matters if m.unit)),
    }


def counted(data: dict[str, object]) -> dict[str, object]:
    """The same figures out of the tally's JSON (rows that count nothing left out of the breakdowns)."""
    def nonzero(key: str) -> dict[str, int]:
        value = data[key]
        assert isinstance(value, dict)
        return {k: v for k, v in value.items() if v}

    units = data["by_unit"]
    assert isinstance(units, list)
    return {
        **{key: data[key] for key in ("total", "by_channel", "visit_persons", "consultations", "collective_visits",
                                      "joint_letters", "anonymous", "by_purpose", "by_source", "by_month", "closed",
                                      "avg_days")},
        "by_category": nonzero("by_category"),
        "by_place": nonzero("by_place"),
        "assigned": {u["unit"]: u["assigned"] for u in units if u["assigned"]},
    }


def _title(ws: Worksheet, text: str, width: int) -> None:
    ws.append([text])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)


def _day_text(day: date | None, style: int) -> object:
    """A date as ledgers write it: a real date, or text in one of the ways of DOMAIN §6."""
    if day is None:
        return None
    return (day, f"{day.year}.{day.month}.{day.day}", day.isoformat(), f"{day.year}/{day.month}/{day.day}",
            f"{day.year}年{day.month}月{day.day}日")[style % 5]


def _closed_flag(m: Spec, yes: str = "是", no: str = "否") -> str:
    return yes if m.closed is not None else no


# 1 -------------------------------------------------------------------------------------------
PROVINCE_CHANNEL = {Channel.LETTER: ("来信", "书信"), Channel.VISIT: ("走访", "来访"), Channel.CALL: ("电话信访",),
                    Channel.FAX: ("传真",), Channel.ONLINE: ("手机信访", "微信信访", "网上建议", "领导信箱", "网络举报"),
                    Channel.OTHER: ("其他方式",)}
PROVINCE_PURPOSE = {Purpose.CLAIM: ("求决", "申诉"), Purpose.SUGGESTION: ("意见建议",),
                    Purpose.ACCUSATION: ("揭发控告", "举报"), Purpose.CONSULTATION: ("咨询",)}
PROVINCE_SOURCE = {SourceLevel.NATIONAL: "国家信访局转送", SourceLevel.PROVINCE: "省信访局交办",
                   SourceLevel.CITY: "市信访局转办", SourceLevel.COUNTY: "县委巡察移交"}


def provincial(path: Path, matters: list[Spec]) -> Path:
    """The 信访信息系统's list export: a merged title, its own column names, a number of 16 digits, the
    category as a path of three levels, the place as one string, a long 事由概要 and no title column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "信访事项列表"
    header = ["信访件编号", "登记时间", "信访人姓名", "证件号码", "联系电话", "信访形式", "信访目的", "信访来源",
              "来访人数", "问题分类", "问题属地", "事由概要", "责任单位", "交办日期", "办结日期", "办理状态"]
    _title(ws, "安徽省信访信息系统 信访事项列表（导出时间：2026-01-05）", len(header))
    ws.append(header)
    for i, m in enumerate(matters):
        source = (PROVINCE_SOURCE[m.level] if m.level else "领导批示" if m.source is Source.LEADER else "群众直接")
        ws.append([
            f"34012320250{m.number:05d}", datetime(m.received.year, m.received.month, m.received.day, 9, 30)
            if i % 2 else f"{m.received.isoformat()} 09:30:00", "、".join(m.names) or "匿名", "", "",
            "联名信" if m.joint else PROVINCE_CHANNEL[m.channel][i % len(PROVINCE_CHANNEL[m.channel])],
            PROVINCE_PURPOSE[m.purpose][i % len(PROVINCE_PURPOSE[m.purpose])], source,
            m.persons if m.channel is Channel.VISIT else None, f"{m.category[0]}_{m.category[1]}_其他", f"安徽省合肥市肥西县{m.town}{m.village}", m.content,
            m.unit, m.transferred, m.closed if m.closed_dated else None,
            "已办结" if m.closed else ("办理中" if m.unit else "待处理"),
        ])
    wb.save(path)
    return path


# 2 -------------------------------------------------------------------------------------------
DISCIPLINE_CHANNEL = {Channel.LETTER: "来信", Channel.VISIT: "来访", Channel.CALL: "电话举报",
                      Channel.ONLINE: "网络举报"}
DISCIPLINE_PURPOSE = {Purpose.CLAIM: "申诉", Purpose.SUGGESTION: "批评建议", Purpose.ACCUSATION: "检举控告",
                      Purpose.CONSULTATION: "咨询"}


def discipline(path: Path, matters: list[Spec]) -> Path:
    """A 纪检监察 信访举报 ledger: 受理编号 of its own, a 受理时间 no hand ledger calls its date, 信访方式
    (匿名/署名/联名/集体访) before 信访形式, the accused in columns of their own, no place column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2025年"
    header = ["序号", "受理编号", "受理时间", "反映人", "联系方式", "被反映人", "被反映人单位及职务", "信访方式",
              "信访形式", "人数", "信访类别", "问题线索出处", "问题类别", "主要问题", "承办单位", "转办日期", "办结时间", "是否办结"]
    _title(ws, "2025年度信访举报受理登记台账", len(header))
    ws.append(header)
    for i, m in enumerate(matters, 1):
        manner = "匿名" if m.anonymous else "联名" if m.joint else "集体访" if m.persons >= 5 else "署名"
        source = {Source.DIRECT: "信访举报", Source.LEADER: "领导批示"}.get(
            m.source, f"{m.level.value if m.level and m.level is not SourceLevel.NATIONAL else '中央'}纪委转办")
        ws.append([
            i, f"纪信〔{YEAR}〕{m.number}号", _day_text(m.received, i), "、".join(m.names), "", f"被反映人{i}",
            "某村党支部书记", manner, DISCIPLINE_CHANNEL[m.channel], m.persons, DISCIPLINE_PURPOSE[m.purpose], source,
            "/".join(m.category), f"反映{m.topic}", m.unit, _day_text(m.transferred, i + 1),
            _day_text(m.closed if m.closed_dated else None, i + 2), _closed_flag(m),
        ])
    wb.save(path)
    return path


# 3 -------------------------------------------------------------------------------------------
def county_app(path: Path, matters: list[Spec]) -> Path:
    """A county web app's 台账 export: two header rows (groups merged over their columns, single columns
    merged down both rows), a row of column numbers under them, 人数 for visits, √ for flags."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "信访台账"
    groups = [("编号", ()), ("登记日期", ()), ("信访人情况", ("姓名", "人数", "住址")), ("信访形式", ()), ("信访目的", ()),
              ("来源", ()),
              ("问题情况", ("问题分类", "问题发生地", "反映问题")), ("标记", ("匿名", "联名信")),
              ("办理情况", ("承办单位", "交办日期", "办结日期", "办理状态"))]
    width = sum(max(1, len(children)) for _, children in groups)
    _title(ws, f"肥西县{YEAR}年信访事项办理台账", width)
    top: list[str | None] = []
    below: list[str | None] = []
    for name, children in groups:
        top += [name] + [None] * (max(1, len(children)) - 1)
        below += list(children) or [None]
    ws.append(top)
    ws.append(below)
    column = 1
    for _, children in groups:
        if children:
            ws.merge_cells(start_row=2, start_column=column, end_row=2, end_column=column + len(children) - 1)
        else:
            ws.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
        column += max(1, len(children))
    ws.append(list(range(1, width + 1)))
    for i, m in enumerate(matters):
        ws.append([
            f"XF{YEAR}{m.number:04d}", _day_text(m.received, i), "、".join(m.names) or "匿名", m.persons,
            f"{m.town}{m.village}", m.channel.value, m.purpose.value,
            f"{m.level.value}级交办" if m.level else m.source.value, "/".join(m.category), f"{m.town}/{m.village}",
            f"反映{m.topic}", "√" if m.anonymous else None, "√" if m.joint else None, m.unit,
            _day_text(m.transferred, i), _day_text(m.closed if m.closed_dated else None, i),
            "已办结" if m.closed else "办理中",
        ])
    wb.save(path)
    return path


# 4 -------------------------------------------------------------------------------------------
def monthly(path: Path, matters: list[Spec]) -> Path:
    """A hand ledger kept one sheet a month: the month's title, 序号 from 1 again on every sheet, the place
    as one string in 所属乡镇, the content in 来信来访内容 (no title column), a 合计 line under the table."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for month in range(1, 13):
        ws = wb.create_sheet(f"{month}月")
        header = ["序号", "来信来访日期", "姓名", "住址", "所属乡镇", "来信来访内容", "形式", "人数", "是否匿名",
                  "是否联名", "信访类别", "来源", "问题类别", "责任单位", "转办日期", "办结日期", "是否办结"]
        _title(ws, f"{YEAR}年{month}月信访登记台账", len(header))
        ws.append(header)
        rows = [m for m in matters if m.received.month == month]
        for i, m in enumerate(rows, 1):
            ws.append([
                i, _day_text(m.received, i), "、".join(m.names), "", f"{m.town}{m.village}", m.content,
                m.channel.value, m.persons, "是" if m.anonymous else "否", "√" if m.joint else "", m.purpose.value,
                f"{m.level.value}级交办" if m.level else m.source.value, "/".join(m.category), m.unit,
                _day_text(m.transferred, i), _day_text(m.closed if m.closed_dated else None, i), _closed_flag(m),
            ])
        ws.append(["合计", None, f"本月共{len(rows)}件"])
    wb.save(path)
    return path


# 5 -------------------------------------------------------------------------------------------
def hand(path: Path, matters: list[Spec]) -> Path:
    """The hand ledger of DOMAIN §6: a merged year title over the canonical headers and their variants."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = str(YEAR)
    header = ["编号", "登记日期", "信访形式", "来源", "信访人", "联系电话", "人数", "问题发生地", "问题分类", "信访目的",
              "反映问题", "集体访", "联名信", "匿名", "承办单位", "交办日期", "办结日期", "状态"]
    _title(ws, f"{YEAR}年信访工作台账", len(header))
    ws.append(header)
    for i, m in enumerate(matters):
        source = f"上级交办（{m.level.value}）" if m.level else m.source.value
        ws.append([
            f"信〔{YEAR}〕{m.number:04d}号", _day_text(m.received, i), m.channel.value, source,
            "、".join(m.names) or "匿名", "", m.persons, f"{m.town}/{m.village}", "/".join(m.category),
            m.purpose.value, f"反映{m.topic}", "是" if m.persons >= 5 and m.channel is Channel.VISIT else "",
            "✓" if m.joint else "", "Y" if m.anonymous else "", m.unit, _day_text(m.transferred, i),
            _day_text(m.closed if m.closed_dated else None, i), _closed_flag(m, "已办结", "办理中"),
        ])
    wb.save(path)
    return path


@dataclass(frozen=True)
class Layout:
    name: str
    write: Callable[[Path, list[Spec]], Path]
    seed: int
    channels: tuple[Channel, ...] = tuple(Channel)
    # columns whose names no table knows (yet): said on the command line
    mapping: tuple[str, ...] = ()
    places: bool = True


LAYOUTS = (
    Layout("省信访信息系统导出", provincial, 1),
    # its 来源 column is named as no other ledger names it: said on the command line
    Layout("纪检监察信访举报台账", discipline, 2, channels=tuple(DISCIPLINE_CHANNEL), mapping=("问题线索出处=来源",),
           places=False),
    Layout("县信访系统导出", county_app, 3),
    Layout("按月分表的手工台账", monthly, 4),
    Layout("手工台账", hand, 5),
)


def _imported(out: str) -> int:
    found = re.search(r"已导入：(\d+)", out)
    assert found is not None, out
    return int(found.group(1))


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.write.__name__ for layout in LAYOUTS])
def test_each_layout_imports_with_the_figures_it_was_written_with(
        layout: Layout, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    matters = specs(layout.seed, 40, layout.channels)
    path = layout.write(tmp_path / f"{layout.name}.xlsx", matters)
    db_path = tmp_path / "t.sqlite3"
    db = Database(db_path)
    with db.begin() as s:  # the office's places, as its first start records them
        for town, villages in PLACES.items():
            add_region(s, name=town)
            for village in villages:
                add_region(s, name=village, town=town)
    db.close()
    args = ["import-ledger", str(path), "--db", str(db_path)]
    for item in layout.mapping:
        args += ["--map", item]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert _imported(out) == len(matters), out
    assert main(["tally", "--db", str(db_path), "--year", str(YEAR), "--json"]) == 0
    assert counted(json.loads(capsys.readouterr().out)) == expected(matters, places=layout.places)
    # the same file again adds nothing
    assert main(args) == 0
    assert _imported(capsys.readouterr().out) == 0
