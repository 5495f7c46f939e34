"""The 台账 feature: ledger rows out (export), cells read as our vocabularies, rows replayed through the workflow
and imported in batches, and the file jobs the CLI and the window share."""

from xinfang_desktop.services.ledger.export import ledger_period, ledger_rows, ledger_title_parts
from xinfang_desktop.services.ledger.importer import PROGRESS_EVERY, check_import, import_key, write_import_batch

__all__ = ["PROGRESS_EVERY", "check_import", "import_key", "ledger_period", "ledger_rows",
           "ledger_title_parts", "write_import_batch"]
