"""Offer the document that matches an action, through the documents issue's dialog when it is there."""

from __future__ import annotations

import importlib
import logging

from PySide6.QtWidgets import QWidget

from xinfang_desktop.ui.actions import ActionRunner

log = logging.getLogger(__name__)


def offer_document(
    parent: QWidget | None, runner: ActionRunner, matter_id: int, kind: str, *, transfer_id: int | None = None
) -> bool:
    """Offer the draft of `kind` (e.g. 交办函) for the matter after an action; False when not available.

    The dialog module is looked up at call time, so the actions work without documents when
    ui/document_dialog.py is missing (or broken: the action is already committed either way).
    The dialog does not block: the clerk may issue, print, or just close it.
    """
    try:
        module = importlib.import_module("xinfang_desktop.ui.documents.document_dialog")
        offer = module.offer_document
    except (ImportError, AttributeError):
        log.info("no document dialog: %s for matter %s not offered", kind, matter_id)
        return False
    offer(parent, runner, matter_id, kind, transfer_id=transfer_id)
    return True
