"""Offer the document that matches an action: what the tabs call once an action has been committed."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from xinfang_desktop.ui.actions import ActionRunner


def offer_document(
    parent: QWidget | None, runner: ActionRunner, matter_id: int, kind: str, *, transfer_id: int | None = None,
    said: set[str] | None = None,
) -> None:
    """Offer the draft of `kind` (e.g. 交办函) for the matter after an action, in a dialog that does not block.

    The clerk may issue, print, or just close it. The dialog's module (QtPdf, the printer) is
    imported on the first offer rather than when the tabs are built: the window paints sooner.
    said: shared by the offers of one action, so a setting they all lack (机关名称) is said once.
    """
    from xinfang_desktop.ui.documents import document_dialog

    document_dialog.offer_document(parent, runner, matter_id, kind, transfer_id=transfer_id, said=said)
