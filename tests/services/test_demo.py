"""`xinfang demo` data: plausible, valid, consistent with the rules, indexed, and repeatable by seed."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.idcard import check_id_number
from xinfang_desktop.domain.values import MatterFilter
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.search import count_matters, search

END = date(2026, 6, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = Database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    with db.begin() as s:
        generate(s, cases=1500, seed=3, end=END, years=3)
    return db


def _rows(db: Database, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    with db.read() as s:
        return [tuple(r) for r in s.execute(text(sql))]


def test_count_and_date_range(demo: Database) -> None:
    (n, first, last), = _rows(demo, "SELECT count(*), min(received_on), max(received_on) FROM matters")
    assert n == 1500
    assert date.fromisoformat(first) >= date(2024, 1, 1) and date.fromisoformat(last) <= END
    years = {y for (y,) in _rows(demo, "SELECT DISTINCT year FROM matters")}
    assert years == {2024, 2025, 2026}


def test_numbers_run_one_to_n_each_year(demo: Database) -> None:
    for year, count, top, distinct in _rows(
            demo, "SELECT year, count(*), max(seq), count(DISTINCT number) FROM matters GROUP BY year"):
        assert count == top == distinct
    assert _rows(demo, "SELECT number FROM matters WHERE year = 2025 AND seq = 7") == [("信〔2025〕0007号",)]


def test_every_id_number_is_valid(demo: Database) -> None:
    numbers = [n for (n,) in _rows(demo, "SELECT id_number FROM petitioners WHERE id_number != ''")]
    assert len(numbers) > 500
    assert all(check_id_number(n, today=END).ok for n in numbers)


def test_flags_follow_the_rules(demo: Database) -> None:
    assert _rows(demo, "SELECT count(*) FROM matters WHERE collective != (channel = '来访' AND persons >= 5)") == [(0,)]
    assert _rows(demo, "SELECT count(*) FROM matters WHERE persons < 1") == [(0,)]
    most = _rows(demo, "SELECT max(n) FROM (SELECT count(*) n FROM matter_petitioners "
                       "WHERE role = '代表人' GROUP BY matter_id)")[0][0]
    assert most <= 5
    assert _rows(demo, "SELECT count(*) FROM matters WHERE collective")[0][0] > 0
    # a repeat points at an earlier matter of one of its petitioners
    repeats = _rows(demo, "SELECT m.id, m.repeat_of_id, o.received_on <= m.received_on, "
                          "EXISTS (SELECT 1 FROM matter_petitioners a JOIN matter_petitioners b "
                          "ON a.petitioner_id = b.petitioner_id WHERE a.matter_id = m.id AND b.matter_id = o.id) "
                          "FROM matters m JOIN matters o ON o.id = m.repeat_of_id")
    assert len(repeats) > 20
    assert all(earlier and shared for _, _, earlier, shared in repeats)
    # some visits were received by a leader on a 领导接访日, and only visits
    assert _rows(demo, "SELECT count(*) FROM matters WHERE receiving_leader != '' AND channel = '来访'")[0][0] > 10
    assert _rows(demo, "SELECT count(*) FROM matters WHERE receiving_leader != '' AND channel != '来访'") == [(0,)]


def test_channels_and_categories_in_usual_shares(demo: Database) -> None:
    channels = Counter(dict(_rows(demo, "SELECT channel, count(*) FROM matters GROUP BY channel")))
    assert channels.most_common(2)[0][0] == "来信" and channels.most_common(2)[1][0] == "来访"
    top = _rows(demo, "SELECT coalesce(p.name, c.name) first, count(*) n FROM matters m JOIN categories c "
                      "ON c.id = m.category_id LEFT JOIN categories p ON p.id = c.parent_id GROUP BY first "
                      "ORDER BY n DESC LIMIT 2")
    assert [name for name, _ in top] == ["农村农业", "城乡建设"]


def test_handling_history_is_there(demo: Database) -> None:
    statuses = dict(_rows(demo, "SELECT status, count(*) FROM matters GROUP BY status"))
    assert statuses.get("已办结", 0) > 500 and statuses.get("办理中", 0) > 0
    assert _rows(demo, "SELECT count(*) FROM feedback")[0][0] > 300
    assert _rows(demo, "SELECT count(*) FROM transfers WHERE state = '待反馈' AND due_on < '2026-06-30'")[0][0] > 0
    assert _rows(demo, "SELECT count(*) FROM events WHERE kind = '催办'")[0][0] > 0
    # every matter has its 登记 event
    assert _rows(demo, "SELECT count(*) FROM matters m WHERE NOT EXISTS "
                       "(SELECT 1 FROM events e WHERE e.matter_id = m.id AND e.kind = '登记')") == [(0,)]


def test_database_is_sound_and_indexed(demo: Database) -> None:
    assert demo.check().ok
    assert _rows(demo, "SELECT count(*) FROM matter_fts") == [(1500,)]
    name, = _rows(demo, "SELECT p.name FROM petitioners p JOIN matter_petitioners mp ON mp.petitioner_id = p.id "
                        "WHERE length(p.name) = 3 LIMIT 1")[0]
    with demo.read() as s:
        assert search(s, name) and all(name in m.petitioners for m in search(s, name))
        assert count_matters(s, MatterFilter(text="土地承包")) > 0


def test_same_seed_same_data_and_a_second_run_continues_numbering(tmp_path: Path) -> None:
    titles = []
    for name in ("a", "b"):
        db = Database(tmp_path / f"{name}.sqlite3")
        with db.begin() as s:
            generate(s, cases=200, seed=11, end=END, years=2)
        titles.append(_rows(db, "SELECT number, title, persons FROM matters ORDER BY id"))
        db.close()
    assert titles[0] == titles[1]
    db = Database(tmp_path / "a.sqlite3")
    with db.begin() as s:
        generate(s, cases=50, seed=12, end=END, years=1)
    assert _rows(db, "SELECT count(*), count(DISTINCT number) FROM matters") == [(250, 250)]
    assert db.check().ok


def test_the_leaders_part_and_the_screening_are_filled_and_keep_their_rules(demo: Database) -> None:
    from xinfang_desktop.services.monthly import monthly
    from xinfang_desktop.services.statistics import tally

    counts = dict(_rows(demo, "SELECT 'charges', count(*) FROM leader_charges UNION ALL SELECT 'verified', count(*) "
                              "FROM verifications UNION ALL SELECT 'meetings', count(*) FROM leader_meetings UNION ALL "
                              "SELECT 'roster', count(*) FROM reception_days UNION ALL SELECT 'disputes', count(*) "
                              "FROM disputes UNION ALL SELECT 'zero', count(*) FROM zero_reports"))
    assert all(counts[k] > 0 for k in counts), counts
    # a 零报告 never beside a dispute of the same 村 and month; every 化解期限 on or after its 排查日期
    assert _rows(demo, "SELECT count(*) FROM zero_reports z JOIN disputes d ON d.village = z.village "
                       "AND strftime('%Y-%m', d.found_on) = z.month") == [(0,)]
    assert _rows(demo, "SELECT count(*) FROM disputes WHERE resolve_by < found_on") == [(0,)]
    assert _rows(demo, "SELECT count(*) FROM verifications v JOIN matters m ON m.id = v.matter_id "
                       "WHERE m.status != '已办结' OR v.checked_on < m.closed_on") == [(0,)]
    with demo.read() as s:
        year = tally(s, date_from=date(2026, 1, 1), date_to=END, as_of=END, use_cache=False)
        june = monthly(s, month="2026-06", as_of=END, use_cache=False)
    assert year.this.leader_charged > 0 and year.this.leader_visits > 0 and year.this.verified > 0
    assert june.screening.disputes > 0 and 0 < june.screening.reported < june.screening.villages


@pytest.mark.parametrize("kind, day", [("息访", "settled_on"), ("回访", "followed_up_on"), ("办结", "closed_on")])
def test_every_last_step_in_the_table_has_its_timeline_line(demo: Database, kind: str, day: str) -> None:
    """A matter marked 已息访 (回访, 办结) says so in its 办理过程, in the words the workflow uses."""
    from xinfang_desktop.domain.workflow.checks import cn_date

    rows = _rows(demo, f"SELECT m.id, m.{day}, (SELECT group_concat(e.text, '|') FROM events e "
                       f"WHERE e.matter_id = m.id AND e.kind = '{kind}') FROM matters m WHERE m.{day} IS NOT NULL")
    assert len(rows) > 100
    missing = [matter_id for matter_id, _on, texts in rows if texts is None]
    assert missing == []
    for _id, on, texts in rows:
        assert texts.startswith(f"{cn_date(date.fromisoformat(on))}{kind}"), texts


def test_the_month_just_ended_has_its_closed_matters(tmp_path: Path) -> None:
    """The 每月汇总分析 opens on the demo's last month: it showed 0 办结, as if nothing were ever closed (issue 17)."""
    from xinfang_desktop.services.monthly import monthly

    db = Database(tmp_path / "demo.sqlite3")
    with db.begin() as s:
        generate(s, cases=500, seed=7, end=date(2026, 12, 2))  # what `xinfang demo` writes on this day
    (total, closed), = _rows(db, "SELECT count(*), sum(status = '已办结') FROM matters "
                                 "WHERE received_on BETWEEN '2026-11-01' AND '2026-11-30' AND status != '已作废'")
    with db.read() as s:
        report = monthly(s, month="2026-11", as_of=date(2026, 12, 2))
    assert (report.this.total, report.this.closed) == (total, closed)
    # what was answered at once, forwarded or quickly handled is closed; a 60-day 交办 of late November is not yet
    assert 0.2 <= closed / total <= 0.7, (closed, total)
    (consulted, consulted_closed), = _rows(db, "SELECT count(*), sum(status = '已办结') FROM matters "
                                               "WHERE received_on BETWEEN '2026-11-01' AND '2026-11-29' "
                                               "AND decision = '直接答复'")
    assert consulted and consulted_closed == consulted
    assert _rows(db, "SELECT count(*) FROM disputes WHERE summary LIKE '%纠纷纠纷%'") == [(0,)]  # 医疗纠纷纠纷
