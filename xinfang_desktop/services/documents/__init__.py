"""Documents: templates, the context from a matter (informant protected), issuing with a 文号, reprint, delivery, batches.

templates: the shipped and the clerk's texts, and the preview; context: every placeholder's value
(Art. 30 protection); issuing: the state a document needs, its number, its PDF, the 催办单 batch;
issued: the stored PDF and its 送达.
"""

from xinfang_desktop.services.documents.context import letter_context
from xinfang_desktop.services.documents.issued import document_pdf, get_document, record_delivery
from xinfang_desktop.services.documents.issuing import (
    BatchCancelled,
    ReminderBatch,
    draft_document,
    format_document_number,
    issue_document,
    reminder_batch,
)
from xinfang_desktop.services.documents.templates import (
    LETTER_FORMAT,
    PREVIEW_NUMBER,
    SAMPLE_CONTEXT,
    TemplateInfo,
    default_template_text,
    document_kind,
    get_template,
    preview_template,
    reset_template,
    set_template,
)

__all__ = [
    "LETTER_FORMAT",
    "PREVIEW_NUMBER",
    "SAMPLE_CONTEXT",
    "BatchCancelled",
    "ReminderBatch",
    "TemplateInfo",
    "default_template_text",
    "document_kind",
    "document_pdf",
    "draft_document",
    "format_document_number",
    "get_document",
    "get_template",
    "issue_document",
    "letter_context",
    "preview_template",
    "record_delivery",
    "reminder_batch",
    "reset_template",
    "set_template",
]
