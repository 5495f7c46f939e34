"""Several clerks on one database at once: 编号 and 文号 never given twice, and a save made on an
older reading of a matter refused rather than written over another clerk's (on both engines)."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.helpers.database import second_program
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Document, Matter
from xinfang_desktop.domain.enums import Channel, Decision, MeetingKind, ReplyOpinion, Satisfaction, VerifyResult
from xinfang_desktop.domain.errors import ChangedMeanwhileError
from xinfang_desktop.domain.letters import DocumentKind
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services import documents, handling, leaders, registry
from xinfang_desktop.services.convert import get_matter, matter_version
from xinfang_desktop.services.documents import issuing
from xinfang_desktop.services.reference import list_units

DAY = date(2026, 3, 2)
SAVES = 12  # each clerk's, all at the same moment


def _matter(title: str) -> MatterInput:
    return MatterInput(received_on=DAY, channel=Channel.LETTER, title=title, petitioners=(PetitionerInput(name="张三"),),
                       content="村道开裂。", demand="请求返修。")


def _at_once(programs: list[Database], work: Callable[[Database, int], None]) -> None:
    """Each program runs `work` SAVES times from its own thread, all starting together."""
    start = threading.Barrier(len(programs))
    failures: list[BaseException] = []

    def clerk(program: Database) -> None:
        start.wait()
        try:
            for k in range(SAVES):
                work(program, k)
        except BaseException as exc:  # noqa: BLE001  (reported by the test below)
            failures.append(exc)

    threads = [threading.Thread(target=clerk, args=(p,)) for p in programs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


def test_numbers_saved_at_the_same_moment_are_each_given_once(db: Database) -> None:
    other = second_program(db)
    try:
        def register(program: Database, k: int) -> None:
            with program.begin() as s:
                registry.register_matter(s, _matter(f"反映村道质量问题{k}"), now=DAY)

        _at_once([db, other], register)
    finally:
        other.close()
    with db.read() as s:
        seqs = sorted(s.scalars(select(Matter.seq).where(Matter.year == 2026)))
        numbers = set(s.scalars(select(Matter.number)))
    assert seqs == list(range(1, 2 * SAVES + 1))  # no gap, no number twice
    assert len(numbers) == 2 * SAVES


def test_letter_numbers_issued_at_the_same_moment_are_each_given_once(db: Database,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # what is tested is the 文号; drawing each letter (a second or more on a loaded machine, inside the
    # write transaction) would only make the clerks wait for each other longer
    monkeypatch.setattr(issuing, "render_letter", lambda content: b"%PDF-1.4 " + content.number.encode())
    with db.begin() as s:
        unit = list_units(s)[0].id
        ids = [registry.register_matter(s, _matter(f"反映问题{k}"), now=DAY).id for k in range(2)]
        for matter_id in ids:
            registry.decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=DAY,
                            targets=(TransferTarget(unit, due_on=date(2026, 5, 4)),))
    other = second_program(db)
    try:
        programs = [db, other]

        def issue(program: Database, k: int) -> None:
            with program.begin() as s:
                documents.issue_document(s, matter_id=ids[programs.index(program)],
                                         kind=DocumentKind.REMINDER, on=DAY)

        _at_once(programs, issue)
    finally:
        other.close()
    with db.read() as s:
        seqs = sorted(s.scalars(select(Document.seq).where(Document.year == 2026)))
    assert seqs == list(range(1, 2 * SAVES + 1))


def test_the_later_of_two_saves_of_one_matter_is_refused(db: Database) -> None:
    """Two clerks open the same 卷宗; the first saves; the second's save, filled from the older
    reading, is refused by name, and the first clerk's change stands."""
    with db.begin() as s:
        matter_id = registry.register_matter(s, _matter("反映村道质量问题"), now=DAY).id
    other = second_program(db)
    try:
        with db.read() as s:
            mine = get_matter(s, matter_id)
        with other.read() as s:
            theirs = get_matter(s, matter_id)
        assert mine.version == theirs.version
        with other.begin() as s:
            registry.correct_matter(s, matter_id=matter_id, changes={"title": "反映村道开裂问题"}, reason="错字",
                                    version=theirs.version)
        with pytest.raises(ChangedMeanwhileError) as refused:
            with db.begin() as s:
                registry.correct_matter(s, matter_id=matter_id, changes={"demand": "请求赔偿。"}, reason="补充",
                                        version=mine.version)
        assert "该事项" in refused.value.message and "已被" in refused.value.message
        assert "修改，请刷新后再改" in refused.value.message
        with db.read() as s:
            now = get_matter(s, matter_id)
        assert (now.title, now.demand) == ("反映村道开裂问题", "请求返修。")  # theirs stands, nothing of mine
        with db.begin() as s:  # refreshed, the same save goes through
            registry.correct_matter(s, matter_id=matter_id, changes={"demand": "请求赔偿。"}, reason="补充",
                                    version=now.version)
    finally:
        other.close()
    with db.read() as s:
        assert get_matter(s, matter_id).demand == "请求赔偿。"


def test_every_step_moves_the_version_on(db: Database) -> None:
    """Not only an edit: a 批示 or a decision changes what the other clerk's form was filled from."""
    with db.begin() as s:
        matter_id = registry.register_matter(s, _matter("反映村道质量问题"), now=DAY).id
    with db.read() as s:
        first = get_matter(s, matter_id).version
    with db.begin() as s:
        registry.instruct(s, matter_id=matter_id, leader="李书记", on=DAY, text="请核查")
    with db.read() as s:
        assert get_matter(s, matter_id).version == first + 1
    with pytest.raises(ChangedMeanwhileError):
        with db.begin() as s:
            registry.correct_matter(s, matter_id=matter_id, changes={"title": "新标题"}, reason="改", version=first)


def test_every_service_that_writes_a_step_of_a_matter_takes_the_version_its_form_was_filled_from() -> None:
    # what reaches services.cases.load_case writes a matter: each such service must pass the version on
    writers = [fn for module in (registry, handling, leaders)
               for name, fn in inspect.getmembers(module, inspect.isfunction)
               if fn.__module__ == module.__name__ and not name.startswith("_")
               and ("load_case(" in inspect.getsource(fn) or "load_transfer_case(" in inspect.getsource(fn))
               and name != "review_deadline"]  # a read
    assert len(writers) >= 19
    assert [fn.__name__ for fn in writers if "version=version" not in inspect.getsource(fn)
            or "version" not in inspect.signature(fn).parameters] == []


def test_each_step_filled_in_from_an_older_reading_is_refused_with_the_same_message(db: Database) -> None:
    """Another clerk's 批示 moves the matter on while this clerk's form is open: whatever step the form was
    for, its save is refused by the same words, and nothing of it is written."""
    with db.begin() as s:
        matter_id = registry.register_matter(s, _matter("反映村道质量问题"), now=DAY).id
        unit = list_units(s)[0]
        registry.decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=DAY,
                        targets=(TransferTarget(unit.id),))
    with db.read() as s:
        seen = matter_version(s, matter_id)
        transfer_id = get_matter(s, matter_id).transfers[0].id
    other = second_program(db)
    try:
        with other.begin() as s:
            registry.instruct(s, matter_id=matter_id, leader="李书记", on=DAY, text="请抓紧办理")
    finally:
        other.close()
    m = {"matter_id": matter_id}
    steps: list[tuple[Callable[..., object], dict[str, object]]] = [
        (registry.propose, {**m, "text": "拟交办"}),
        (registry.instruct, {**m, "leader": "王县长", "on": DAY, "text": "同意"}),
        (registry.decide, {**m, "decision": Decision.ACCEPT, "on": DAY}),
        (registry.transfer, {**m, "targets": (TransferTarget(unit.id),), "on": DAY}),
        (registry.void, {**m, "reason": "重复登记"}),
        (registry.register_as_new, {**m, "on": DAY, "reason": "新的事实"}),
        (registry.correct_matter, {**m, "changes": {"title": "新标题"}, "reason": "错字"}),
        (registry.correct_petitioner, {**m, "petitioner_id": 1, "name": "张叁", "reason": "错字"}),
        (handling.remind, {"transfer_id": transfer_id, "on": DAY}),
        (handling.record_feedback, {"transfer_id": transfer_id, "received_on": DAY, "text": "已修复"}),
        (handling.set_key_supervision, {**m, "on": True}),
        (handling.take_charge, {**m, "leader": "王县长", "post": "副县长", "measures": "约谈", "resolve_by": DAY,
                                "on": DAY}),
        (handling.verify, {**m, "on": DAY, "checker": "张红", "method": "实地查看", "result": VerifyResult.CONFIRMED}),
        (handling.extend, {**m, "new_due_on": date(2026, 4, 30), "reason": "情况复杂", "on": DAY}),
        (handling.reply, {**m, "on": DAY, "text": "已答复", "opinion": ReplyOpinion.SUPPORT}),
        (handling.follow_up, {**m, "on": DAY, "satisfaction": Satisfaction.SATISFIED}),
        (handling.close, {**m, "on": DAY}),
        (handling.settle, {**m, "on": DAY}),
        (handling.request_review, {**m, "on": DAY, "reason": "不服"}),
        (leaders.record_meeting, {**m, "kind": MeetingKind.INVITED, "held_on": DAY, "leader": "王县长", "post": "副县长",
                                  "place": "信访局", "people": "张三", "talk": "听取诉求"}),
    ]
    with db.read() as s:
        before = s.scalar(select(Matter.version).where(Matter.id == matter_id))
    for service, kwargs in steps:
        with pytest.raises(ChangedMeanwhileError) as refused:
            with db.begin() as s:
                service(s, **kwargs, version=seen)
        assert "修改，请刷新后再改" in refused.value.message and "您这次填写的内容没有保存" in refused.value.message, \
            service.__name__
    with db.read() as s:
        assert s.scalar(select(Matter.version).where(Matter.id == matter_id)) == before  # nothing written
    with db.begin() as s:  # refreshed, a step goes through
        registry.propose(s, matter_id=matter_id, text="拟交办", version=before)


def test_a_scan_one_clerk_attached_opens_for_another_on_another_pc(db: Database, tmp_path: Path) -> None:
    scan = tmp_path / "来信扫描.pdf"
    scan.write_bytes(b"%PDF-1.4 scan of a letter")
    with db.begin() as s:
        matter_id = registry.register_with_attachments(s, _matter("反映饮水困难"), files=(scan,)).id
    scan.unlink()  # the clerk's own copy is gone: the database holds the file
    other = second_program(db)
    try:
        with other.read() as s:
            attached = get_matter(s, matter_id).attachments
            assert [a.filename for a in attached] == ["来信扫描.pdf"]
            assert registry.attachment_content(s, attachment_id=attached[0].id) == b"%PDF-1.4 scan of a letter"
    finally:
        other.close()
