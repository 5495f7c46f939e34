"""What an action changed, so that each view reloads only what it shows (Anki's OpChanges, in small)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# the kinds of data a view may show; the record names which of them an action wrote
KINDS = ("matters", "transfers", "units", "categories", "places", "settings", "templates", "documents", "meetings",
         "disputes")


@dataclass(frozen=True)
class Changes:
    """The ids written per kind; `everything` for a job that wrote more than is worth listing (an import, a restore)."""

    matters: frozenset[int] = frozenset()
    transfers: frozenset[int] = frozenset()
    units: frozenset[int] = frozenset()
    categories: frozenset[int] = frozenset()
    places: frozenset[int] = frozenset()
    settings: frozenset[str] = frozenset()
    templates: frozenset[str] = frozenset()
    documents: frozenset[int] = frozenset()
    meetings: frozenset[int] = frozenset()  # 领导约访/下访 and the 接访日 roster
    disputes: frozenset[int] = frozenset()  # 矛盾纠纷排查 and 零报告
    everything: bool = False
    label: str = ""  # what the clerk did, for the status bar ("登记", "导入台账")

    def touches(self, *kinds: str) -> bool:
        """Whether any of these kinds changed (always, after `everything`)."""
        return self.everything or any(getattr(self, kind) for kind in kinds)

    def __bool__(self) -> bool:
        return self.touches(*KINDS)

    def __or__(self, other: Changes) -> Changes:
        merged: dict[str, Any] = {kind: getattr(self, kind) | getattr(other, kind) for kind in KINDS}
        return Changes(**merged, everything=self.everything or other.everything, label=other.label or self.label)


EVERYTHING = Changes(everything=True)
