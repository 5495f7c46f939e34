"""Search on a server whose database has the locale of a Chinese Linux: one- and two-character names and the
digits of ID numbers and phones found by their start there too (migration 0015)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from tests.conftest import Server
from xinfang_desktop.db.database import open_database
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services.reference import seed_defaults
from xinfang_desktop.services.registry import register_matter
from xinfang_desktop.services.search import search


def test_names_and_digits_are_found_by_their_start_on_a_server_of_a_chinese_locale(pg_server: Server) -> None:
    # initdb on a Chinese Linux takes zh_CN.UTF-8 from the environment; there U+10FFFF, the end of a
    # prefix range, sorts right after 王, and 王 found no 王五
    try:
        name = pg_server.new_name(locale="zh_CN.UTF-8")
    except Exception as exc:  # noqa: BLE001 - said plainly: the locale is this machine's to provide
        pytest.fail(f"this test needs the zh_CN.UTF-8 locale (localedef -i zh_CN -f UTF-8 zh_CN.UTF-8, as .ci/run"
                    f" does): {exc}", pytrace=False)
    db = open_database(pg_server.url_of(name))
    try:
        with db.begin() as s:
            seed_defaults(s)
            for day, (person, phone, id_number) in enumerate(
                    [("王五", "13912345678", "11010519491231002X"), ("王小明", "13912340000", "110105198001010032"),
                     ("汪洋", "13800000000", "320102199001011232")], start=1):
                register_matter(s, MatterInput(received_on=date(2026, 3, day), channel=Channel.LETTER,
                                               title=f"反映土地承包问题{day}",
                                               petitioners=(PetitionerInput(person, phone=phone, id_number=id_number),)))
        with db.read() as s:
            def found(term: str) -> list[str]:
                return sorted(m.number for m in search(s, term))

            assert found("王") == ["信〔2026〕0001号", "信〔2026〕0002号"]
            assert found("王小") == ["信〔2026〕0002号"]
            assert found("汪") == ["信〔2026〕0003号"]
            assert found("1391234") == ["信〔2026〕0001号", "信〔2026〕0002号"]
            assert found("110105") == ["信〔2026〕0001号", "信〔2026〕0002号"]
            s.execute(text("UPDATE matters SET source_number = 'XF-2025-0012' WHERE number = '信〔2026〕0003号'"))
            assert found("XF-2025") == ["信〔2026〕0003号"]  # 原编号 by its start
    finally:
        db.close()
        pg_server.drop(name)
