"""Monthly ledgers in: read → normalise → validate → preview → write, one small module per step.

The contract (``services.ledgers``) is written once and drives the validator, the templates and the
填报说明 page. Imports are all-or-nothing; problems are collected all at once and never carry a
raw resident ID or mobile number.
"""

from services.ingest.batch import BatchPreview, BatchResult, import_batch, preview_batch
from services.ingest.preview import LedgerPreview, Preview
from services.ingest.problems import AlreadyReported, ImportRejected, Notice, Problem, china_time
from services.ingest.registry import RegistryPreview, import_registry, preview_registry
from services.ingest.templates import (
    filed_rows,
    open_items,
    table_upload,
    template_csv,
    template_workbook,
    write_templates,
)
from services.ingest.uploads import Limits, Upload
from services.ingest.validate import parse_uploads
from services.ingest.write import ImportResult, dry_run, import_month, preview_month, submit_zero_report
from services.ledgers import LEDGER_BY_NAME, LEDGERS, MONTHLY_LEDGERS, Column, Ledger, column_docs

__all__ = [
    "LEDGERS",
    "LEDGER_BY_NAME",
    "MONTHLY_LEDGERS",
    "AlreadyReported",
    "BatchPreview",
    "BatchResult",
    "Column",
    "ImportRejected",
    "ImportResult",
    "Ledger",
    "LedgerPreview",
    "Limits",
    "Notice",
    "Preview",
    "Problem",
    "RegistryPreview",
    "Upload",
    "china_time",
    "column_docs",
    "dry_run",
    "filed_rows",
    "import_batch",
    "import_month",
    "import_registry",
    "open_items",
    "parse_uploads",
    "preview_batch",
    "preview_month",
    "preview_registry",
    "submit_zero_report",
    "table_upload",
    "template_csv",
    "template_workbook",
    "write_templates",
]
