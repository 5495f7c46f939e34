"""Hostile and damaged workbooks for the ledger import (not a test): generate N, import each, print figures.

`generate(n, folder, seed)` writes N bad files made from a good 台账 (.xlsx written here, the
old .xls of tests/fixtures): flipped and cut bytes, cells beyond XFD or at XFD1048576, rows past
the last, cells without positions, broken XML and zip records, sheets pointing nowhere, an .xls
whose DIMENSIONS or cells ask for billions of cells or whose sheet offsets point past the end,
a zip bomb, an .ods repeating one cell millions of times, and content a clerk should never have to clean by hand (formulas, control
characters, absurd numbers and dates). `run(paths, db)` imports every file in its own
transaction and checks each ends in a Chinese message or a whole import: never a traceback,
never a partial import. The test suite runs 300 of them; the stress script calls both with
N=1000.

    python benchmarks/fuzz_workbooks.py [--files 1000] [--seed 12]
"""

from __future__ import annotations

import argparse
import io
import random
import struct
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from sqlalchemy import func, select

from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Matter
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.services.ledger.files import import_ledger_file

ROOT = Path(__file__).resolve().parents[1]
SEED_XLS = ROOT / "tests" / "fixtures" / "hand_ledger_2018.xls"
HEADER = ["编号", "登记日期", "信访形式", "信访人", "身份证号", "联系电话", "住址", "人数", "反映问题", "诉求", "备注"]


def good_ledger(rows: int = 12) -> bytes:
    """A small sound 台账 (.xlsx): title row, header, rows with every kind of value."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2019年"
    ws.append(["2019年信访工作台账"])
    ws.append(HEADER)
    for i in range(1, rows + 1):
        ws.append([f"信〔2019〕{i:04d}号", f"2019-03-{i % 28 + 1:02d}", "来信", f"张{i}", "", "13800001111",
                   "城关镇石桥村5组", i % 7 + 1, f"反映第{i}件事", "请求处理", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# xlsx: rewriting one part ----------------------------------------------------------------------
def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _zip(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    return buffer.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def _sheet_edit(edit: Callable[[bytes, random.Random], bytes]) -> Callable[[bytes, random.Random], bytes]:
    def mutate(good: bytes, rnd: random.Random) -> bytes:
        parts = _parts(good)
        parts[SHEET] = edit(parts[SHEET], rnd)
        return _zip(parts)

    mutate.__name__ = edit.__name__
    return mutate


def _add_cell(ref: str, row: int) -> Callable[[bytes, random.Random], bytes]:
    def far_cell(xml: bytes, rnd: random.Random) -> bytes:
        cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>远</t></is></c></row>'.encode()
        return xml.replace(b"</sheetData>", cell + b"</sheetData>")

    far_cell.__name__ = f"cell_at_{ref}"
    return far_cell


def cell_at_random_far_place(xml: bytes, rnd: random.Random) -> bytes:
    col = rnd.choice(["XFD", "XFE", "ZZZZ", "AAAA", "XFC", "AB", "Z"])
    row = rnd.choice([1_048_576, 1_048_577, 3_000_000, 99_999_999, 4_294_967_295, 500_000])
    return _add_cell(f"{col}{row}", row)(xml, rnd)


def cells_without_positions(xml: bytes, rnd: random.Random) -> bytes:
    n = rnd.choice([16_385, 20_000, 40_000])
    cells = b'<c t="inlineStr"><is><t>x</t></is></c>' * n
    return xml.replace(b"</sheetData>", b'<row r="14">' + cells + b"</row></sheetData>")


def rows_without_positions(xml: bytes, rnd: random.Random) -> bytes:
    rows = b'<row><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    return xml.replace(b"</sheetData>", rows * rnd.randint(1, 50) + b"</sheetData>")


def broken_xml(xml: bytes, rnd: random.Random) -> bytes:
    cut = rnd.randrange(len(xml) // 3, len(xml))
    return xml[:cut] + rnd.choice([b"", b"<", b"<c r=", b"\x00\xff", b"</row></row>", b"&bogus;"])


def bad_references(xml: bytes, rnd: random.Random) -> bytes:
    bad = rnd.choice([b'r="A0"', b'r="1A"', b'r="-A1"', b'r=""', b'r="A99999999999999999999"', b'r="\xe4\xb8\xad1"'])
    return xml.replace(b'r="B3"', bad, 1)


def shared_string_out_of_range(xml: bytes, rnd: random.Random) -> bytes:
    cell = f'<row r="15"><c r="A15" t="s"><v>{rnd.choice([99999, -1, 4294967296])}</v></c></row>'.encode()
    return xml.replace(b"</sheetData>", cell + b"</sheetData>")


def garbage_values(xml: bytes, rnd: random.Random) -> bytes:
    value = rnd.choice([b"abc", b"1e999", b"NaN", b"-", b"", b"99999999999999999999999", b"1.5.6"])
    typ = rnd.choice([b"n", b"d", b"b", b"e", b"str", b"zz"])
    cell = b'<row r="16"><c r="B16" t="' + typ + b'"><v>' + value + b"</v></c></row>"
    return xml.replace(b"</sheetData>", cell + b"</sheetData>")


def invalid_utf8(xml: bytes, rnd: random.Random) -> bytes:
    at = rnd.randrange(len(xml) // 2, len(xml))
    return xml[:at] + b"\xc3\x28\xa0\xa1\xff" + xml[at:]


SHEET_EDITS = [
    _add_cell("XFD1048576", 1_048_576), _add_cell("XFE2", 2), _add_cell("A1048577", 1_048_577),
    _add_cell("ZZ400000", 400_000), cell_at_random_far_place, cells_without_positions, rows_without_positions,
    broken_xml, bad_references, shared_string_out_of_range, garbage_values, invalid_utf8,
]


# xlsx: the container ----------------------------------------------------------------------------
def flip_bytes(good: bytes, rnd: random.Random) -> bytes:
    data = bytearray(good)
    for _ in range(rnd.choice([1, 2, 5, 20, 100])):
        data[rnd.randrange(len(data))] = rnd.randrange(256)
    return bytes(data)


def cut(good: bytes, rnd: random.Random) -> bytes:
    return good[: rnd.randrange(0, len(good))]


def drop_part(good: bytes, rnd: random.Random) -> bytes:
    parts = _parts(good)
    del parts[rnd.choice(sorted(parts))]
    return _zip(parts)


def relocated_sheet(good: bytes, rnd: random.Random) -> bytes:
    parts = _parts(good)
    rels = "xl/_rels/workbook.xml.rels"
    target = rnd.choice([b"../../../etc/passwd", b"/xl/missing.xml", b"worksheets/../../x.xml", b"", b"\\\\server\\s"])
    parts[rels] = parts[rels].replace(b"worksheets/sheet1.xml", target)
    return _zip(parts)


def far_cell_elsewhere(good: bytes, rnd: random.Random) -> bytes:
    """The sheet moved out of xl/worksheets/, still named by the relationships, with a cell at XFD1048576."""
    parts = _parts(good)
    sheet = _add_cell("XFD1048576", 1_048_576)(parts.pop(SHEET), rnd)
    parts["xl/other/data.xml"] = sheet
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(b"worksheets/sheet1.xml", b"other/data.xml")
    return _zip(parts)


def empty_workbook(good: bytes, rnd: random.Random) -> bytes:
    parts = _parts(good)
    parts["xl/workbook.xml"] = rnd.choice([
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
        b"<workbook>", b"", b"\xff\xfe<\x00w\x00",
    ])
    return _zip(parts)


def stored_uncompressed_and_flipped(good: bytes, rnd: random.Random) -> bytes:
    return flip_bytes(_zip(_parts(good), zipfile.ZIP_STORED), rnd)


def zip_bomb(good: bytes, rnd: random.Random) -> bytes:
    """A few KB that unpack to tens of MB of sheet (rows far down: refused before calamine builds them)."""
    parts = _parts(good)
    row = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>'
    rows = b"".join(row % (i, i) for i in range(20, 20 + rnd.choice([50_000, 300_000])))
    tail = _add_cell("XFD1048576", 1_048_576)(b"</sheetData>", rnd)
    parts[SHEET] = parts[SHEET].replace(b"</sheetData>", rows + tail)
    return _zip(parts)


def hostile_content(good: bytes, rnd: random.Random) -> bytes:
    """A sound file whose cells are what no ledger should hold: formulas, control characters, absurd values."""
    wb = openpyxl.load_workbook(io.BytesIO(good))
    ws = wb.active
    choices = ["=cmd|' /C calc'!A0", "=1+1", "+SUM(A1)", "@x", "_x0007__x001B_文字", "a" * 40_000, "-5", "1e9", "0",
               "0001-01-01", "2100-01-01", "1900.2.29", "9999年99月99日", "\u202e逆序", "𠮷" * 100, 1e308, -1, True]
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row):
        for cell in row:
            if rnd.random() < 0.3:
                cell.value = rnd.choice(choices)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


XLSX_MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    *(_sheet_edit(edit) for edit in SHEET_EDITS),
    flip_bytes, cut, drop_part, relocated_sheet, far_cell_elsewhere, empty_workbook, stored_uncompressed_and_flipped,
    zip_bomb, hostile_content,
]


# xls: BIFF records inside the compound file ---------------------------------------------------------
def _workbook_stream(data: bytes) -> tuple[int, int]:
    """Where the Workbook stream's bytes lie in the file: this fixture stores it in consecutive sectors."""
    import olefile

    with olefile.OleFileIO(data) as ole:
        entry = ole.direntries[ole._find("Workbook")]  # noqa: SLF001 - the start sector is not public API
        sector = ole.sectorsize
        return (entry.isectStart + 1) * sector, entry.size


def _records(stream: bytes) -> list[tuple[int, int, int]]:
    found, at = [], 0
    while at + 4 <= len(stream):
        typ, size = struct.unpack_from("<HH", stream, at)
        found.append((at, typ, size))
        at += 4 + size
    return found


def _patch_xls(data: bytes, patch: Callable[[bytearray, list[tuple[int, int, int]], random.Random], None],
               rnd: random.Random) -> bytes:
    start, size = _workbook_stream(data)
    out = bytearray(data)
    stream = bytearray(out[start : start + size])
    patch(stream, _records(bytes(stream)), rnd)
    out[start : start + size] = stream
    return bytes(out)


def xls_far_cell(stream: bytearray, records: list[tuple[int, int, int]], rnd: random.Random) -> None:
    cells = [at for at, typ, _ in records if typ in (0x00FD, 0x0203, 0x027E)]
    at = rnd.choice(cells)
    struct.pack_into("<HH", stream, at + 4, rnd.choice([65535, 60000, 1000]), rnd.choice([65535, 16384, 300]))


def xls_huge_dimensions(stream: bytearray, records: list[tuple[int, int, int]], rnd: random.Random) -> None:
    for at, typ, size in records:
        if typ == 0x0200 and size == 14:
            struct.pack_into("<IIHH", stream, at + 4, rnd.choice([0, 5]), rnd.choice([0xFFFFFFFF, 4_000_000, 1]),
                             0, rnd.choice([0xFFFF, 256, 0]))


def xls_sheet_offset_past_end(stream: bytearray, records: list[tuple[int, int, int]], rnd: random.Random) -> None:
    for at, typ, _ in records:
        if typ == 0x0085:
            struct.pack_into("<I", stream, at + 4, rnd.choice([0xFFFFFFF0, len(stream) + 10, len(stream) - 2, 3]))


def xls_bad_lengths(stream: bytearray, records: list[tuple[int, int, int]], rnd: random.Random) -> None:
    for at, _, _ in rnd.sample(records, min(5, len(records))):
        struct.pack_into("<H", stream, at + 2, rnd.choice([0, 1, 0xFFFF, 3]))


def xls_mulrk(stream: bytearray, records: list[tuple[int, int, int]], rnd: random.Random) -> None:
    cells = [(at, size) for at, typ, size in records if typ in (0x00FD, 0x0203, 0x027E) and size >= 6]
    at, size = rnd.choice(cells)
    struct.pack_into("<H", stream, at, 0x00BD)  # now a MULRK whose last column is whatever its last bytes say
    struct.pack_into("<H", stream, at + 4 + size - 2, rnd.choice([0xFFFF, 0x8000, 0]))


def _xls(patch: Callable[[bytearray, list[tuple[int, int, int]], random.Random], None]) -> Callable[[bytes, random.Random], bytes]:
    def mutate(good: bytes, rnd: random.Random) -> bytes:
        return _patch_xls(good, patch, rnd)

    mutate.__name__ = patch.__name__
    return mutate


XLS_MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    _xls(xls_far_cell), _xls(xls_huge_dimensions), _xls(xls_sheet_offset_past_end), _xls(xls_bad_lengths),
    _xls(xls_mulrk), flip_bytes, cut,
]


def ods_repeats(good: bytes, rnd: random.Random) -> bytes:
    """An OpenDocument sheet whose one valued cell or row repeats millions of times."""
    cell = '<table:table-cell office:value-type="string" table:number-columns-repeated="{c}"><text:p>远</text:p></table:table-cell>'
    row = '<table:table-row table:number-rows-repeated="{r}">' + cell + "</table:table-row>"
    header = "".join(f'<table:table-cell office:value-type="string"><text:p>{h}</text:p></table:table-cell>' for h in HEADER)
    body = (f"<table:table-row>{header}</table:table-row>"
            + row.format(r=rnd.choice([1, 2_000_000, 1_048_577]), c=rnd.choice([1, 20_000, 16_385, 5_000])))
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               f'<table:table table:name="2019年">{body}</table:table></office:spreadsheet></office:body>'
               "</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    return _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": content.encode(),
                 "META-INF/manifest.xml": manifest.encode()}, zipfile.ZIP_DEFLATED)


def not_a_workbook(good: bytes, rnd: random.Random) -> bytes:
    return rnd.choice([
        b"", b"PK", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF-1.4\n", "编号,登记日期\n1,2019-01-01".encode(),
        bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 5000))),
    ])


@dataclass(frozen=True)
class Made:
    path: Path
    how: str  # the mutation, for the figures


def generate(n: int, folder: Path, seed: int = 12) -> list[Made]:
    """N bad workbooks in `folder`, the same N for the same seed: about half .xlsx, a third .xls, the rest noise and .ods."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    good_xlsx, good_xls = good_ledger(), SEED_XLS.read_bytes()
    made: list[Made] = []
    for i in range(n):
        pick = rnd.random()
        if pick < 0.55:
            mutate, good, suffix = rnd.choice(XLSX_MUTATIONS), good_xlsx, rnd.choice([".xlsx", ".xlsx", ".xlsm"])
        elif pick < 0.9:
            mutate, good, suffix = rnd.choice(XLS_MUTATIONS), good_xls, ".xls"
        elif pick < 0.95:
            mutate, good, suffix = not_a_workbook, b"", rnd.choice([".xlsx", ".xls", ".ods", ".xlsb"])
        else:
            mutate, good, suffix = ods_repeats, b"", ".ods"
        path = folder / f"bad{i:04d}{suffix}"
        path.write_bytes(mutate(good, rnd))
        made.append(Made(path, mutate.__name__))
    return made


@dataclass
class Figures:
    files: int = 0
    refused: int = 0  # a Chinese message, nothing written
    imported: int = 0  # a whole import (the bad rows listed, never half a file)
    tracebacks: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    by_kind: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        return [
            f"bad workbooks: {self.files} in {self.seconds:.1f} s ({1000 * self.seconds / max(self.files, 1):.0f} ms each)",
            f"  refused with a message: {self.refused}; imported whole: {self.imported}",
            f"  tracebacks: {len(self.tracebacks)}; partial imports: {len(self.partial)}",
        ]


def _count(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count(Matter.id))) or 0)


def run(made: list[Made], db: Database) -> Figures:
    """Import each file in its own transaction; every one must end in a message or a whole import."""
    figures = Figures()
    started = time.perf_counter()
    for item in made:
        figures.files += 1
        figures.by_kind[item.how] += 1
        before = _count(db)
        try:
            outcome = import_ledger_file(db, item.path)
        except XinfangError as exc:
            figures.refused += 1
            if not exc.message or not any("\u4e00" <= ch <= "\u9fff" for ch in exc.message):
                figures.tracebacks.append(f"{item.path.name} ({item.how}): message not in Chinese: {exc.message!r}")
            if _count(db) != before:
                figures.partial.append(f"{item.path.name} ({item.how}): refused after writing {_count(db) - before}")
            continue
        except BaseException as exc:  # noqa: BLE001 - what this harness counts
            if isinstance(exc, KeyboardInterrupt):
                raise
            figures.tracebacks.append(f"{item.path.name} ({item.how}): {traceback.format_exc(limit=-3)}")
            continue
        figures.imported += 1
        written = _count(db) - before
        if not outcome.committed or written != outcome.report.imported:
            figures.partial.append(f"{item.path.name} ({item.how}): report says {outcome.report.imported}, wrote {written}")
    figures.seconds = time.perf_counter() - started
    return figures


def run_corpus(folder: Path, count: int) -> dict[str, object]:
    """The stress script's hook (benchmarks/stress_storage.py FUZZ_HOOK): make `count` files, import each."""
    made = generate(count, folder / "files")
    figures = run(made, Database(folder / "fuzz.sqlite3"))
    return {"files": figures.files, "refused": figures.refused, "imported_whole": figures.imported,
            "tracebacks": len(figures.tracebacks), "partial_imports": len(figures.partial),
            "seconds": round(figures.seconds, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        made = generate(args.files, Path(tmp) / "bad", args.seed)
        print(f"generated {len(made)} files in {time.perf_counter() - started:.1f} s")
        db = Database(Path(tmp) / "fuzz.sqlite3")
        try:
            figures = run(made, db)
        finally:
            db.close()
    for line in figures.lines():
        print(line)
    for problem in figures.tracebacks + figures.partial:
        print(problem)
    return 1 if figures.tracebacks or figures.partial else 0


if __name__ == "__main__":
    sys.exit(main())
