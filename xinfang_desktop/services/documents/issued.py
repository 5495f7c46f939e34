"""Issued documents: the PDF exactly as issued, its record, and its 送达."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from xinfang_desktop.db.models import Document
from xinfang_desktop.domain.enums import (
    Delivery,
    EventKind,
)
from xinfang_desktop.domain.errors import (
    NotFoundError,
    ValidationError,
)
from xinfang_desktop.domain.values import DocumentInfo
from xinfang_desktop.services.common import add_event, cn_date, load_matter, require_not_before
from xinfang_desktop.wallclock import today


def document_info(row: Document) -> DocumentInfo:
    return DocumentInfo(row.id, row.kind, row.number, row.issued_at, row.delivery, row.delivered_on)

def _load_document(session: Session, document_id: int) -> Document:
    row = session.get(Document, document_id)
    if row is None:
        raise NotFoundError("找不到该文书，可能数据库不同，请刷新后重试", field="文书")
    return row


def document_pdf(session: Session, document_id: int) -> bytes:
    """The PDF exactly as issued: a reprint years later prints these bytes."""
    return bytes(_load_document(session, document_id).pdf)


def get_document(session: Session, document_id: int) -> DocumentInfo:
    return document_info(_load_document(session, document_id))


def record_delivery(session: Session, *, document_id: int, delivery: Delivery, on: date) -> DocumentInfo:
    """送达: how (直接送达 / 邮寄 / 挂号) and when; written on the timeline."""
    row = _load_document(session, document_id)
    matter = load_matter(session, row.matter_id)
    require_not_before(on, row.issued_at.date(), "送达日期", "成文日期")
    if on > today():
        raise ValidationError(f"“送达日期”{cn_date(on)}晚于今天，请核对日期", field="送达日期")
    row.delivery = Delivery(delivery)
    row.delivered_on = on
    add_event(session, matter, EventKind.DELIVERED, f"{row.kind}（{row.number}）于{cn_date(on)}{row.delivery.value}",
              {"document_id": row.id, "delivery": row.delivery.value})
    return document_info(row)
