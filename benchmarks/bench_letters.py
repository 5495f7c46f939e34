"""Time letters: the first (fonts loaded), one letter after the first, and a batch of 100 催办单 in one PDF.

Budget (issue 5): one letter < 200 ms after the first; 100 催办单 < 10 s.
The batch's drawing is timed apart on the very letters it issued: drawn once and cut into each
letter's PDF (what reminder_batch does), against each drawn alone and then all again into the
combined PDF (what it did before; issue 11 item 3).
Run: python benchmarks/bench_letters.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from xinfang_desktop import wallclock
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Document, Matter, Transfer
from xinfang_desktop.domain.enums import Channel, Decision
from xinfang_desktop.domain.letters import DocumentKind, compose, parse_template
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.exporters.fonts import load_fonts
from xinfang_desktop.exporters.letter_pdf import render_batch, render_letter, render_letters
from xinfang_desktop.services import documents
from xinfang_desktop.services.documents import issue_document, reminder_batch
from xinfang_desktop.services.office import seed_demo_office
from xinfang_desktop.services.reference import list_units, seed_defaults
from xinfang_desktop.services.registry import decide, register_matter

BATCH = 100


def build(db: Database, count: int, *, overdue: bool) -> list[int]:
    """`count` matters 交办 to a unit, the deadline past (overdue) or still ahead."""
    received = wallclock.today() - timedelta(days=120 if overdue else 10)
    ids = []
    with db.begin() as s:
        unit = list_units(s)[0].id
        for n in range(count):
            data = MatterInput(received_on=received, channel=Channel.LETTER, title=f"反映村道硬化工程质量问题{n}",
                               petitioners=(PetitionerInput(name=f"王䶮{n}", address="城关镇石桥村5组"),),
                               content="村道完工不到一年即开裂，多次反映未果。" * 3, demand="请求督促施工单位返修。")
            matter_id = register_matter(s, data).id
            decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=received + timedelta(days=2),
                   targets=(TransferTarget(unit, due_on=received + timedelta(days=60)),))
            ids.append(matter_id)
    return ids


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(Path(folder) / "bench.sqlite3")
        with db.begin() as s:
            seed_defaults(s)
            seed_demo_office(s)
        build(db, BATCH, overdue=True)
        timings = []
        for matter_id in build(db, 12, overdue=False):
            started = time.perf_counter()
            with db.begin() as s:
                issue_document(s, matter_id=matter_id, kind=DocumentKind.ASSIGN_LETTER)
            timings.append(time.perf_counter() - started)
        first, rest = timings[0], timings[1:]
        print(f"first letter (fonts loaded and registered): {first * 1000:.0f} ms")
        print(f"one letter after the first (issue: number, render, store, timeline): "
              f"median {statistics.median(rest) * 1000:.1f} ms, max {max(rest) * 1000:.1f} ms over {len(rest)}"
              f"  [budget 200 ms]")
        started = time.perf_counter()
        with db.begin() as s:
            batch = reminder_batch(s)
        elapsed = time.perf_counter() - started
        print(f"batch of {len(batch.documents)} 催办单 (each issued and stored, plus one combined PDF of "
              f"{len(batch.pdf) / 1024:.0f} KiB): {elapsed:.2f} s  [budget 10 s]")
        drawing(db, [d.id for d in batch.documents])
        db.close()


def drawing(db: Database, document_ids: list[int]) -> None:
    """The batch's letters drawn the new way and the old way, best of three each."""
    with db.read() as s:
        template = parse_template(documents.get_template(s, kind=DocumentKind.REMINDER).text)
        contents = []
        for document_id in document_ids:
            row = s.get(Document, document_id)
            assert row is not None
            transfer = s.get(Transfer, row.transfer_id)
            context = documents.letter_context(s, s.get(Matter, row.matter_id), DocumentKind.REMINDER,  # type: ignore[arg-type]
                                               on=row.issued_at.date(), number=row.number, transfer=transfer)
            contents.append(compose(DocumentKind.REMINDER.value, template, context, row.number))
    fonts = load_fonts()

    def best(job: object) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            job()  # type: ignore[operator]
            times.append(time.perf_counter() - started)
        return min(times)

    once = best(lambda: render_batch(contents, fonts=fonts))
    twice = best(lambda: ([render_letter(c, fonts=fonts) for c in contents], render_letters(contents, fonts=fonts)))
    combined = best(lambda: render_letters(contents, fonts=fonts))
    print(f"drawing {len(contents)} 催办单: once, cut into each letter's PDF {once:.2f} s; "
          f"each alone and then all again (before) {twice:.2f} s; the combined PDF alone {combined:.2f} s")


if __name__ == "__main__":
    main()
