"""Offer the document that matches an action, once the documents issue provides the dialog."""

from __future__ import annotations

import importlib
import logging

from PySide6.QtWidgets import QWidget

from xinfang_desktop.ui.actions import ActionRunner

log = logging.getLogger(__name__)


def offer_document(parent: QWidget | None, runner: ActionRunner, matter_id: int, kind: str, **options: object) -> bool:
    """Open the document dialog for `kind` (e.g. 交办函) on the matter; False when not available yet.

    The dialog is looked up at call time so the actions work, without documents, before
    ui/document_dialog.py exists.
    """
    try:
        module = importlib.import_module("xinfang_desktop.ui.document_dialog")
    except ImportError:
        log.info("no document dialog yet: %s for matter %s not offered", kind, matter_id)
        return False
    offer = getattr(module, "offer_document", None)
    if offer is None:
        return False
    # options, e.g. transfer_id=… for the 催办单 or 交办函 of one unit among several
    offer(parent, runner, matter_id, kind, **options)
    return True
