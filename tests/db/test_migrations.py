"""Migrations: a database at an older revision is backed up, brought to head, and keeps (and indexes) its data."""

from __future__ import annotations

import importlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from tests.helpers.database import mismatch_indexes, schema_at
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.errors import NotFoundError, StorageError
from xinfang_desktop.domain.values import MatterFilter, MatterInput, PetitionerInput
from xinfang_desktop.services.reference import seed_defaults
from xinfang_desktop.services.registry import attachment_content, register_matter
from xinfang_desktop.services.search import count_matters, search


def _database_at_0001(path: Path) -> None:
    """The schema as the first release shipped it, with a few rows written by that release."""
    schema_at(path, "0001")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO petitioners (id, name, sex, id_number, phone, address, region) VALUES "
                     "(1, '欧阳春梅', '女', '11010519491231002X', '13812345678', '城关镇柳溪村', '城关镇/柳溪村')")
        for i, (title, content) in enumerate([("反映柳溪村土地承包经营权被调整问题", "承包地被收回"),
                                              ("请求解决危房改造问题", "房屋漏雨")], start=1):
            conn.execute(
                "INSERT INTO matters (id, year, seq, number, received_on, channel, source, purpose, place, title, "
                "content, demand, persons, collective, joint, anonymous, repeat, involves_deputy, in_scope, "
                "receiving_leader, proposal, decision_reason, competent_body, notice_due, extended, "
                "extension_reason, status, key_supervision, reply_text, result, settled, stage, final, "
                "void_reason, note, created_at) VALUES (?, 2025, ?, ?, '2025-05-0' || ?, '来信', '群众直接', "
                "'申诉求决类', '', ?, ?, '', 1, 0, 0, 0, 0, 0, 1, '', '', '', '', '2025-05-20', 0, '', '待处理', "
                "0, '', '', 0, '初次', 0, '', '', '2025-05-01 09:00:00')",
                (i, i, f"信〔2025〕000{i}号", i, title, content),
            )
            conn.execute("INSERT INTO matter_petitioners (matter_id, petitioner_id, role, position) "
                         "VALUES (?, 1, '信访人', 0)", (i,))
    conn.close()


def test_migrating_from_0001_backs_up_first_and_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at_0001(path)
    assert not (tmp_path / "backups").exists()

    db = Database(path)  # opening migrates

    backups = list((tmp_path / "backups").glob("*.sqlite3"))
    assert len(backups) == 1 and "升级前-0001" in backups[0].name
    conn = sqlite3.connect(backups[0])
    try:  # the backup is the old schema with the old rows
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert conn.execute("SELECT count(*) FROM matters").fetchone()[0] == 2
    finally:
        conn.close()
    assert db.current_revision() == db.head_revision() != "0001"
    with db.read() as s:
        assert count_matters(s) == 2
        # the FTS index was backfilled: a 4-character title term, a content term, the name
        assert [m.number for m in search(s, "土地承包")] == ["信〔2025〕0001号"]
        assert [m.number for m in search(s, "房屋漏雨")] == ["信〔2025〕0002号"]
        assert {m.number for m in search(s, "欧阳春梅")} == {"信〔2025〕0001号", "信〔2025〕0002号"}
        assert {m.number for m in search(s, "欧阳")} == {"信〔2025〕0001号", "信〔2025〕0002号"}
        # and the title bigrams (0004) were backfilled: one and two characters of a title
        assert [m.number for m in search(s, "危房")] == ["信〔2025〕0002号"]
        assert [m.number for m in search(s, "柳")] == ["信〔2025〕0001号"]
        assert count_matters(s, MatterFilter(text="13812345678")) == 2
    assert db.check().ok
    db.close()


def test_a_file_whose_backup_fails_the_whole_check_is_not_migrated_and_keeps_no_backup(tmp_path: Path) -> None:
    # every page sound (quick_check passes) but the indexes no longer match the table: the copy
    # before the upgrade is the only way back, so it is checked whole and nothing is migrated
    path = tmp_path / "old.sqlite3"
    _database_at_0001(path)
    mismatch_indexes(path)
    before = path.read_bytes()
    with pytest.raises(StorageError, match="检查发现问题"):
        Database(path)
    assert path.read_bytes() == before
    assert list((tmp_path / "backups").iterdir()) == []


def test_opening_an_up_to_date_database_takes_no_backup(tmp_path: Path) -> None:
    Database(tmp_path / "new.sqlite3").close()
    Database(tmp_path / "new.sqlite3").close()
    assert not (tmp_path / "backups").exists()


def test_0008_brings_new_default_templates_to_rows_saved_unedited_and_keeps_the_clerks_own(tmp_path: Path) -> None:
    migration = importlib.import_module("xinfang_desktop.db.migrations.versions.0008_reply_opinion_and_follow_up")

    path = tmp_path / "old.sqlite3"
    schema_at(path, "0007")
    old_opinion = (Path(__file__).parent / "old_templates" / "信访处理意见书.txt").read_text(encoding="utf-8")
    assert migration.OLD_DEFAULTS["信访处理意见书"] == migration.text_digest(old_opinion)
    edited = old_opinion.replace("现将处理意见告知如下", "现将本机关的处理意见告知如下")
    conn = sqlite3.connect(path)
    with conn:
        # saved from the template dialog without a change (and with Windows line ends), and edited
        conn.execute("INSERT INTO templates VALUES ('信访处理意见书', ?, '2026-01-05 09:00:00')",
                     (old_opinion.replace("\n", "\r\n"),))
        conn.execute("INSERT INTO templates VALUES ('复信', ?, '2026-01-05 09:00:00')",
                     (edited.replace("信访事项处理意见书", "复信"),))
    conn.close()
    db = Database(path)
    from xinfang_desktop.domain.letters import DocumentKind
    from xinfang_desktop.services.documents import default_template_text, get_template

    with db.read() as s:
        opinion = get_template(s, kind=DocumentKind.OPINION)
        assert not opinion.customised and opinion.text == default_template_text(DocumentKind.OPINION)
        assert "{你}" in opinion.text and "{意见类别}" in opinion.text
        mine = get_template(s, kind=DocumentKind.REPLY_LETTER)
        assert mine.customised and "现将本机关的处理意见告知如下" in mine.text
    columns = {row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(matters)")}
    assert {"reply_opinion", "reply_findings", "follow_up_note", "follow_up_opinion"} <= columns
    db.close()


def test_0024_brings_the_findings_and_the_way_it_came_to_unedited_rows_and_keeps_the_clerks_own(
    tmp_path: Path,
) -> None:
    migration = importlib.import_module(
        "xinfang_desktop.db.migrations.versions.0024_templates_state_findings_and_the_way_it_came")
    from xinfang_desktop.domain.letters import DocumentKind
    from xinfang_desktop.services.documents import default_template_text, get_template

    path = tmp_path / "old.sqlite3"
    schema_at(path, migration.down_revision)
    # the 处理意见书 as 0019 shipped it: the petitioner's 反映内容 under 事实和理由, 以…形式反映
    new_opinion = default_template_text(DocumentKind.OPINION)
    old_opinion = new_opinion.replace("{认定事实}", "{反映内容}").replace("方式反映", "形式反映")
    assert migration.text_digest(old_opinion) in migration.OLD_DEFAULTS["信访处理意见书"]
    edited = old_opinion.replace("现将处理意见告知如下", "现将本机关的处理意见告知如下")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO templates VALUES ('信访处理意见书', ?, '2026-06-05 09:00:00')",
                     (old_opinion.replace("\n", "\r\n"),))
        conn.execute("INSERT INTO templates VALUES ('受理告知书', ?, '2026-06-05 09:00:00')",
                     (edited.replace("信访事项处理意见书", "信访事项受理告知书"),))
    conn.close()
    db = Database(path)
    with db.read() as s:
        opinion = get_template(s, kind=DocumentKind.OPINION)
        assert not opinion.customised and "二、事实和理由\n{认定事实}" in opinion.text
        mine = get_template(s, kind=DocumentKind.ACCEPT_NOTICE)
        assert mine.customised and "现将本机关的处理意见告知如下" in mine.text and "{反映内容}" in mine.text
    db.close()


def test_0030_brings_the_place_to_unedited_letters_to_units_and_keeps_the_clerks_own(tmp_path: Path) -> None:
    migration = importlib.import_module(
        "xinfang_desktop.db.migrations.versions.0030_templates_units_letters_state_the_place")
    from xinfang_desktop.domain.letters import DocumentKind
    from xinfang_desktop.services.documents import default_template_text, get_template

    path = tmp_path / "old.sqlite3"
    schema_at(path, migration.down_revision)
    # the 交办函 and 转送函 as 0024 left them: no 问题发生地 line
    old = {kind: "\n".join(line for line in default_template_text(kind).splitlines() if "{问题发生地}" not in line)
           for kind in (DocumentKind.ASSIGN_LETTER, DocumentKind.ASSIST_LETTER, DocumentKind.FORWARD_LETTER)}
    for kind, text in old.items():
        assert text != default_template_text(kind)
        assert migration.text_digest(text) in migration.OLD_DEFAULTS[kind.value], kind
    edited = old[DocumentKind.FORWARD_LETTER].replace("请依法依规处理", "请依法处理")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO templates VALUES (?, ?, '2026-11-05 09:00:00')",
                     (DocumentKind.ASSIGN_LETTER.value, old[DocumentKind.ASSIGN_LETTER].replace("\n", "\r\n")))
        conn.execute("INSERT INTO templates VALUES (?, ?, '2026-11-05 09:00:00')",
                     (DocumentKind.FORWARD_LETTER.value, edited))
    conn.close()
    db = Database(path)
    with db.read() as s:
        letter = get_template(s, kind=DocumentKind.ASSIGN_LETTER)
        assert not letter.customised and "{问题发生地}" in letter.text
        mine = get_template(s, kind=DocumentKind.FORWARD_LETTER)
        assert mine.customised and mine.text == edited
    db.close()


def test_0010_adds_the_charge_and_verification_tables_and_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at_0001(path)
    schema_at(path, "0009")  # as the release before 0010 left it, with its rows
    conn = sqlite3.connect(path)
    with conn:
        cursor = conn.execute("SELECT * FROM matters ORDER BY id")
        before = cursor.fetchall()
        columns = ", ".join(f'"{d[0]}"' for d in cursor.description)  # later migrations may add columns
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    conn.close()

    db = Database(path)
    assert db.current_revision() == db.head_revision()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute(f"SELECT {columns} FROM matters ORDER BY id").fetchall() == before
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == events
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"leader_charges", "verifications"} <= tables
    finally:
        conn.close()
    from xinfang_desktop.domain.enums import Decision, VerifyResult
    from xinfang_desktop.services import handling, registry

    with db.begin() as s:  # the old matters take a 包案 and, once closed, a 验证
        registry.decide(s, matter_id=1, decision=Decision.ACCEPT, on=date(2025, 5, 2))
        handling.take_charge(s, matter_id=1, leader="李明", post="副镇长", measures="调解", resolve_by=date(2025, 6, 1),
                             on=date(2025, 5, 3))
        handling.close(s, matter_id=1, on=date(2025, 5, 20), result="已退还")
        handling.verify(s, matter_id=1, on=date(2025, 6, 1), checker="张红", method="实地查看",
                        result=VerifyResult.CONFIRMED)
    assert db.check().ok
    db.close()


def test_0011_adds_the_ledger_profiles_and_a_profile_is_kept(tmp_path: Path) -> None:
    from datetime import datetime

    from xinfang_desktop.db.models import LedgerProfile
    from xinfang_desktop.services.ledger.headers import saved_profiles

    path = tmp_path / "old.sqlite3"
    _database_at_0001(path)
    schema_at(path, "0010")
    db = Database(path)
    assert db.current_revision() == db.head_revision()
    with db.begin() as s:
        s.add(LedgerProfile(layout="件号\x1f登记日期", mapping={"件号": "编号"}, source="a.xlsx", saved_at=datetime(2026, 1, 2)))
    with db.read() as s:
        assert saved_profiles(s) == {"件号\x1f登记日期": {"件号": "编号"}}
        assert count_matters(s) == 2
    db.close()


def test_0013_adds_the_source_number_empty_for_every_old_matter_and_indexed(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at_0001(path)
    schema_at(path, "0012")
    conn = sqlite3.connect(path)
    with conn:
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    conn.close()
    Database(path).close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*), count(source_number) FROM matters").fetchone() == (2, 0)
        assert "ix_matters_source_number" in {r[1] for r in conn.execute("PRAGMA index_list(matters)")}
        # no table was rebuilt: the tally-cache triggers are all still there
        assert triggers and triggers <= {r[0] for r in conn.execute("SELECT name FROM sqlite_master "
                                                                    "WHERE type = 'trigger'")}
    finally:
        conn.close()


def test_0014_counts_each_matters_transfers_and_instructions_into_its_sums(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at_0001(path)
    schema_at(path, "0013")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO units (id, name, kind, contact, phone, active) VALUES (1, '城关镇', '乡镇', '', '', 1)")
        for matter_id, kind, role, state, reminders in ((1, "交办", "主办", "已反馈", 2), (1, "交办", "协办", "待反馈", 1),
                                                        (1, "转送", "主办", "待反馈", 0)):
            conn.execute("INSERT INTO transfers (matter_id, unit_id, kind, role, sent_on, state, reminders) "
                         "VALUES (?, 1, ?, ?, '2025-05-02', ?, ?)", (matter_id, kind, role, state, reminders))
        conn.execute("INSERT INTO instructions (matter_id, leader, \"on\", text) VALUES (2, '张县长', '2025-05-03', '阅')")
    conn.close()
    Database(path).close()
    conn = sqlite3.connect(path)
    try:
        sums = conn.execute("SELECT id, assigned_transfers, answered_transfers, reminder_times, leader_reviewed "
                            "FROM matters ORDER BY id").fetchall()
        assert sums == [(1, 2, 1, 3, 0), (2, 0, 0, 0, 1)]
        # and kept from now on by the triggers
        conn.execute("UPDATE transfers SET state = '已反馈' WHERE role = '协办'")
        assert conn.execute("SELECT answered_transfers FROM matters WHERE id = 1").fetchone() == (2,)
        # the sums are in ix_matters_tally (leader_reviewed packed in a generated column since 0020)
        plan = " ".join(r[3] for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT received_on, sum(assigned_transfers), sum(answered_transfers), "
            "sum(reminder_times) FROM matters WHERE received_on >= '2025-01-01' GROUP BY received_on, channel"))
        assert "COVERING INDEX ix_matters_tally" in plan
    finally:
        conn.close()


def test_0016_reads_each_attachment_file_into_the_database_and_says_where_a_missing_one_was(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    schema_at(path, "0015")
    old = Database(path, migrate=False)
    with old.begin() as s:
        seed_defaults(s)
        matter_id = register_matter(s, MatterInput(received_on=date(2026, 3, 2), channel=Channel.LETTER,
                                                   title="反映饮水困难", petitioners=(PetitionerInput("钟华"),))).id
    old.close()
    folder = tmp_path / "old-attachments"  # where 登记 copied the scans, beside the file
    folder.mkdir()
    (folder / "aa.pdf").write_bytes(b"%PDF-1.4 scan of a letter")
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany("INSERT INTO attachments (matter_id, filename, stored_path, sha256, size, added_at)"
                         " VALUES (?, ?, ?, ?, ?, '2026-03-02 09:00:00')",
                         [(matter_id, "来信扫描.pdf", "aa.pdf", "aa", 25), (matter_id, "照片.jpg", "bb.jpg", "bb", 3)])
    conn.close()
    db = Database(path)  # opening migrates
    try:
        with db.read() as s:
            assert attachment_content(s, attachment_id=1) == b"%PDF-1.4 scan of a letter"
            with pytest.raises(NotFoundError, match="bb.jpg") as missing:
                attachment_content(s, attachment_id=2)
        assert "不在数据库中" in missing.value.message and missing.value.field == "附件"
    finally:
        db.close()


def test_0017_a_matter_written_after_its_links_is_found_by_their_names_and_the_key_still_holds(
        tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at_0001(path)
    schema_at(path, "0016")
    Database(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    matter = ("INSERT INTO matters (id, year, seq, number, received_on, channel, source, purpose, place, title, "
              "content, demand, persons, collective, joint, anonymous, repeat, involves_deputy, in_scope, "
              "receiving_leader, proposal, decision_reason, competent_body, notice_due, extended, "
              "extension_reason, status, key_supervision, reply_text, result, settled, stage, final, "
              "void_reason, note, created_at) VALUES (?, 2025, ?, ?, '2025-06-02', '来信', '群众直接', "
              "'申诉求决类', '', '反映道路破损', '', '', 1, 0, 0, 0, 0, 0, 1, '', '', '', '', '2025-06-20', 0, "
              "'', '待处理', 0, '', '', 0, '初次', 0, '', '', '2025-06-02 09:00:00')")
    try:
        conn.execute("BEGIN")
        conn.execute("PRAGMA defer_foreign_keys = ON")
        conn.execute("INSERT INTO petitioners (id, name, sex, id_number, phone, address, region) VALUES (2, '司马相如', NULL, '', '', '', '')")
        for person in (1, 2):
            conn.execute("INSERT INTO matter_petitioners (matter_id, petitioner_id, role, position) "
                         "VALUES (3, ?, '信访人', ?)", (person, person))
        conn.execute(matter, (3, 3, "信〔2025〕0003号"))
        conn.execute("COMMIT")
        # the key is checked at commit: a link whose matter never comes is refused
        conn.execute("BEGIN")
        conn.execute("PRAGMA defer_foreign_keys = ON")
        conn.execute("INSERT INTO matter_petitioners (matter_id, petitioner_id, role, position) VALUES (9, 2, '信访人', 0)")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("COMMIT")
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    db = Database(path)
    with db.read() as s:
        assert {m.id for m in search(s, "司马相如")} == {3}
        assert {m.id for m in search(s, "欧阳春梅")} == {1, 2, 3}  # the rows of 0001 keep their names
    db.close()


_MIGRATION_0020 = "xinfang_desktop.db.migrations.versions.0020_tally_packed_figures"
# a matter before 0020 by its columns: (received_on, status, decision, due_on, closed_on, collective, persons,
# receiving_leader, key_supervision, settled, purpose, source, skip_level, satisfaction)
_0019_MATTERS = [
    ("2025-03-01", "已办结", "交办", "2025-03-20", "2025-03-18", 1, 6, "张县长", 0, 1, "检举控告类", "上级交办", "赴省", "满意"),
    ("2025-03-01", "已办结", "受理", "2025-03-20", "2025-03-25", 0, 1, "", 1, 0, "咨询", "群众直接", None, "不满意"),
    ("2025-03-02", "办理中", "存查", None, None, 0, 2, "", 0, 0, "建议意见类", "人大代表转交", "进京", None),
    ("2025-03-02", "已办结", None, None, "2025-03-09", 1, 9, "李书记", 1, 1, "申诉求决类", "领导批示", "到市", "基本满意"),
]


def test_0020_packs_each_matters_figures_as_the_tally_defines_them_and_the_tally_reads_only_the_index(
        tmp_path: Path) -> None:
    """Each matter's lanes, unpacked, are its 0/1 figures computed here from its columns (the package
    docstring of services.statistics); the per-day passes read their indexes and no matter row."""
    from xinfang_desktop.services.statistics import queries

    migration = importlib.import_module(_MIGRATION_0020)
    assert queries._LANES == tuple(name for name, _ in migration.LANES)
    path = tmp_path / "old.sqlite3"
    _database_at_0001(path)
    schema_at(path, migration.down_revision)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE matters SET status = '已作废'")  # 0001's two: out of every figure
        for i, row in enumerate(_0019_MATTERS, start=1):
            conn.execute(
                "INSERT INTO matters (id, year, seq, number, received_on, channel, source, purpose, place, title, "
                "content, demand, persons, collective, joint, anonymous, repeat, involves_deputy, in_scope, "
                "receiving_leader, proposal, decision, decision_reason, competent_body, notice_due, due_on, extended, "
                "extension_reason, status, key_supervision, reply_text, closed_on, satisfaction, skip_level, result, "
                "settled, stage, final, void_reason, note, created_at) VALUES (:i + 10, 2025, :i + 10, 'n' || :i, :received, "
                "'来访', :source, :purpose, '', '', '', '', :persons, :collective, :i % 2, 0, :i = 3, 0, 1, :leader, '', "
                ":decision, '', '', '2025-05-20', :due, 0, '', :status, :key, '', :closed, :satisfaction, :skip, '', "
                ":settled, '初次', 0, '', '', '2025-05-01 09:00:00')",
                dict(zip(("received", "status", "decision", "due", "closed", "collective", "persons", "leader", "key",
                          "settled", "purpose", "source", "skip", "satisfaction"), row), i=i))
        conn.execute("INSERT INTO units (id, name, kind, contact, phone, active) VALUES (1, '城关镇', '乡镇', '', '', 1)")
        conn.execute("INSERT INTO transfers (matter_id, unit_id, kind, role, sent_on, state, reminders) "
                     "VALUES (12, 1, '交办', '主办', '2025-03-02', '待反馈', 2), (13, 1, '交办', '主办', '2025-03-02', '待反馈', 1)")
        conn.execute("INSERT INTO instructions (matter_id, leader, \"on\", text) VALUES (14, '张县长', '2025-03-03', '阅')")
    conn.close()
    Database(path).close()
    conn = sqlite3.connect(path)
    try:
        columns = [c for c in migration.GENERATED if c.startswith("tally_lanes_")]
        for matter_id, row in enumerate(_0019_MATTERS, start=1):
            (received, status, decision, due, closed, collective, persons, leader, key, settled, purpose, source,
             skip, satisfaction) = row
            done = status == "已办结"
            expected = {
                "collective_batches": collective, "joint_letters": matter_id % 2, "anonymous": 0,
                "repeat": int(matter_id == 3), "required": int(decision not in ("不予受理", "存查")), "closed": int(done),
                "closed_on_time": int(done and (due is None or closed <= due)),
                "overdue_closed": int(done and due is not None and closed > due), "key_supervision": key,
                "led": int(leader != ""), "settled": settled, "closed_not_settled": int(done and not settled),
                "leader_reviewed": int(matter_id == 4), "reminded_not_key": int(matter_id in (2, 3) and not key),
                **{name: int(name.split(":")[1] in (purpose, source, skip, satisfaction))
                   for name in queries._LANES if ":" in name},
            }
            words = conn.execute(f"SELECT {', '.join(columns)} FROM matters WHERE id = ?", (matter_id + 10,)).fetchone()
            lanes = {name: (words[k // 4] >> (15 * (k % 4))) & 0x7FFF for k, name in enumerate(queries._LANES)}
            assert lanes == expected, matter_id
            days = (date.fromisoformat(closed) - date.fromisoformat(received)).days if done else 0
            assert conn.execute("SELECT tally_collective_persons, tally_led_persons, tally_closed_days FROM matters "
                                "WHERE id = ?", (matter_id + 10,)).fetchone() == (
                persons if collective else 0, persons if leader else 0, days)
        # the per-day counts read their index and never the matters table (its cursor is opened for the
        # generated columns, whose values the index holds, but no column of it is read)
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'matters'").fetchone()[0]
        lanes = ", ".join(f"sum({c})" for c in migration.GENERATED)
        for query in (f"SELECT received_on, channel, count(*), sum(persons), {lanes}, sum(assigned_transfers), "
                      "sum(answered_transfers), sum(reminder_times) FROM matters WHERE received_on >= '2025-01-01' "
                      "AND received_on <= '2025-12-31' AND status != '已作废' GROUP BY received_on, channel",
                      "SELECT received_on, category_id, count(*) FROM matters WHERE received_on >= '2025-01-01' "
                      "AND received_on <= '2025-12-31' AND status != '已作废' GROUP BY received_on, category_id",
                      "SELECT received_on, place, count(*) FROM matters WHERE received_on >= '2025-01-01' "
                      "AND received_on <= '2025-12-31' AND status != '已作废' GROUP BY received_on, place"):
            program = conn.execute("EXPLAIN " + query).fetchall()
            table_cursors = {p1 for _, op, p1, p2, *_ in program if op == "OpenRead" and p2 == root}
            assert not any(op == "Column" and p1 in table_cursors for _, op, p1, *_ in program), query
            assert not any(op == "SorterOpen" for _, op, *_ in program), query  # grouped in index order
    finally:
        conn.close()


_MIGRATION_0025 = "xinfang_desktop.db.migrations.versions.0025_tally_unit_figures_on_the_transfer"
# a transfer before 0025: (role, state, sent_on, due_on, its reports as (received_on, accepted))
_0020_TRANSFERS = [
    ("主办", "已反馈", "2025-03-02", "2025-03-20", [("2025-03-10", 0), ("2025-03-18", 1)]),  # on time, 16 days
    ("主办", "已反馈", "2025-03-02", "2025-03-20", [("2025-03-25", 1)]),  # late, 23 days
    ("主办", "已反馈", "2025-03-02", None, [("2025-04-01", 1), ("2025-03-30", 1)]),  # no deadline; the first, 28 days
    ("主办", "退回补办", "2025-03-02", "2025-03-20", [("2025-03-15", 0)]),
    ("主办", "待反馈", "2025-03-02", "2025-03-20", []),
    ("协办", "已反馈", "2025-03-02", "2025-03-20", [("2025-03-25", 1)]),  # 协办: counted in none but its own
    ("主办", "已反馈", "2025-03-02", "2025-03-20", []),  # answered without an accepted report (a hand-made row)
]


def test_0025_puts_each_transfers_report_and_figures_on_it_and_the_unit_pass_reads_only_indexes(
        tmp_path: Path) -> None:
    """report_on is the first accepted report's date; the lanes, unpacked, are the 承办单位 figures of the
    package docstring of services.statistics computed here; the pass reads no transfer or feedback row."""
    from sqlalchemy.dialects import sqlite

    from xinfang_desktop.services.statistics import queries

    migration = importlib.import_module(_MIGRATION_0025)
    assert queries._UNIT_LANES == tuple(name for name, _ in migration.LANES)
    assert queries._UNIT_BITS == migration.BITS
    path = tmp_path / "old.sqlite3"
    _database_at_0001(path)
    schema_at(path, migration.down_revision)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO units (id, name, kind, contact, phone, active) VALUES (1, '城关镇', '乡镇', '', '', 1)")
        for i, (role, state, sent, due, reports) in enumerate(_0020_TRANSFERS, start=1):
            conn.execute("INSERT INTO transfers (id, matter_id, unit_id, kind, role, sent_on, due_on, state, reminders)"
                         " VALUES (?, 1, 1, '交办', ?, ?, ?, ?, 0)", (i, role, sent, due, state))
            conn.executemany("INSERT INTO feedback (transfer_id, received_on, text, result, accepted, return_reason)"
                             " VALUES (?, ?, '', '', ?, '')", [(i, day, accepted) for day, accepted in reports])
    conn.close()
    Database(path).close()
    conn = sqlite3.connect(path)
    try:
        for i, (role, state, sent, due, reports) in enumerate(_0020_TRANSFERS, start=1):
            report = min((day for day, accepted in reports if accepted), default=None)
            lead, answered = role == "主办", role == "主办" and state == "已反馈"
            expected = {"assigned": int(lead), "closed": int(answered),
                        "on_time": int(answered and report is not None and (due is None or report <= due)),
                        "late": int(answered and report is not None and due is not None and report > due),
                        "assisted": int(role == "协办")}
            report_on, packed, days = conn.execute(
                "SELECT report_on, tally_unit_lanes, tally_report_days FROM transfers WHERE id = ?", (i,)).fetchone()
            assert report_on == report, i
            assert {name: (packed >> (12 * k)) & 0xFFF for k, name in enumerate(queries._UNIT_LANES)} == expected, i
            assert days == ((date.fromisoformat(report) - date.fromisoformat(sent)).days
                            if answered and report is not None else None), i
        scan = queries._Scan(date(2025, 1, 1), date(2025, 12, 31))
        roots = {name: page for name, page in conn.execute(
            "SELECT name, rootpage FROM sqlite_master WHERE name IN ('transfers', 'feedback')")}
        for packed in (True, False):
            query = str(queries._unit_query(scan, packed=packed).compile(
                dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
            program = conn.execute("EXPLAIN " + query).fetchall()
            opened = {p1: p2 for _, op, p1, p2, *_ in program if op == "OpenRead"}
            assert roots["feedback"] not in opened.values(), query
            # transfers' own cursor is opened for the generated columns, whose values its index holds, but not read
            table_cursors = {p1 for p1, p2 in opened.items() if p2 == roots["transfers"]}
            assert not any(op == "Column" and p1 in table_cursors for _, op, p1, *_ in program), query
    finally:
        conn.close()


_MIGRATION_0029 = "xinfang_desktop.db.migrations.versions.0029_tally_unit_day_on_the_transfer"


def test_0029_puts_each_matters_day_and_satisfaction_on_its_transfers_and_the_unit_pass_reads_one_index(
        tmp_path: Path) -> None:
    """tally_day is the matter's 登记日期 (none while it is voided), tally_satisfaction its 回访 result, the
    rated lanes the 承办单位 satisfaction figures of a 主办 transfer; the pass reads ix_transfers_day alone."""
    from sqlalchemy.dialects import sqlite

    from xinfang_desktop.services.statistics import queries

    migration = importlib.import_module(_MIGRATION_0029)
    assert queries._RATED_LANES == tuple(name for name, _ in migration.RATED_LANES)
    assert queries._UNIT_BITS == migration.BITS
    path = tmp_path / "old.sqlite3"
    _database_at_0001(path)
    schema_at(path, migration.down_revision)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO units (id, name, kind, contact, phone, active) VALUES (1, '城关镇', '乡镇', '', '', 1)")
        conn.execute("UPDATE matters SET satisfaction = '基本满意' WHERE id = 1")
        conn.execute("UPDATE matters SET status = '已作废' WHERE id = 2")
        for i, (matter, role) in enumerate([(1, "主办"), (1, "协办"), (2, "主办")], start=1):
            conn.execute("INSERT INTO transfers (id, matter_id, unit_id, kind, role, sent_on, due_on, state, reminders)"
                         " VALUES (?, ?, 1, '交办', ?, '2025-05-03', NULL, '待反馈', 0)", (i, matter, role))
    conn.close()
    Database(path).close()
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT id, tally_day, tally_satisfaction, tally_unit_rated FROM transfers ORDER BY id")
        lanes = [(i, day, satisfaction, {name: (rated >> (12 * k)) & 0xFFF for k, name in
                                         enumerate(queries._RATED_LANES)}) for i, day, satisfaction, rated in rows]
        assert lanes == [(1, "2025-05-01", "基本满意", {"evaluated": 1, "satisfied": 1}),
                         (2, "2025-05-01", "基本满意", {"evaluated": 0, "satisfied": 0}),  # 协办: its own column only
                         (3, None, None, {"evaluated": 0, "satisfied": 0})]  # a voided matter's: on no day
        scan = queries._Scan(date(2025, 1, 1), date(2025, 12, 31))
        roots = {name: page for name, page in conn.execute(
            "SELECT name, rootpage FROM sqlite_master WHERE name IN ('transfers', 'matters', 'ix_transfers_day')")}
        for packed in (True, False):
            query = str(queries._unit_query(scan, packed=packed).compile(
                dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
            plan = " ".join(str(row[-1]) for row in conn.execute("EXPLAIN QUERY PLAN " + query))
            assert "ix_transfers_day" in plan and "TEMP B-TREE" not in plan, plan
            program = conn.execute("EXPLAIN " + query).fetchall()
            opened = {p1: p2 for _, op, p1, p2, *_ in program if op == "OpenRead"}
            assert roots["matters"] not in opened.values() and roots["ix_transfers_day"] in opened.values(), query
            # transfers' own cursor is opened for the generated columns, whose values its index holds, but not read
            table_cursors = {p1 for p1, p2 in opened.items() if p2 == roots["transfers"]}
            assert not any(op == "Column" and p1 in table_cursors for _, op, p1, *_ in program), query
    finally:
        conn.close()
