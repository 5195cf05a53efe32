"""The ledger contract, written once: it drives the validator, the templates and 填报说明.

One module per ledger holds its columns (canonical Chinese header, documented English aliases,
whether required, type, allowed values from ``services.domain``, meaning, example, model field),
its month and key fields, derived values, row rules and warnings; the ingest steps call its hooks.
"""

from __future__ import annotations

import re
import unicodedata

from services.ledgers.activities import ACTIVITIES
from services.ledgers.base import MULTI_SEPARATORS, Column, Ledger
from services.ledgers.cases import CASES
from services.ledgers.disclosures import DISCLOSURES
from services.ledgers.facilities import FACILITIES
from services.ledgers.registry import REGISTRY
from services.ledgers.votes import VOTES

LEDGERS: tuple[Ledger, ...] = (REGISTRY, ACTIVITIES, CASES, FACILITIES, VOTES, DISCLOSURES)
MONTHLY_LEDGERS: tuple[Ledger, ...] = tuple(ledger for ledger in LEDGERS if ledger.monthly)
LEDGER_BY_NAME = {ledger.name: ledger for ledger in LEDGERS}
LEDGER_BY_KEY = {ledger.key: ledger for ledger in LEDGERS}
INSTRUCTIONS_SHEET = "说明"

_NAME_JUNK = re.compile(r"[\s_\-*＊]+")

__all__ = [
    "ACTIVITIES",
    "CASES",
    "DISCLOSURES",
    "FACILITIES",
    "INSTRUCTIONS_SHEET",
    "LEDGERS",
    "LEDGER_BY_KEY",
    "LEDGER_BY_NAME",
    "MONTHLY_LEDGERS",
    "MULTI_SEPARATORS",
    "REGISTRY",
    "VOTES",
    "Column",
    "Ledger",
    "column_docs",
    "header_key",
    "ledger_for_sheet",
]


def header_key(text: str) -> str:
    """How a header cell is compared: NFKC, case-folded, without spaces, underscores, hyphens or *."""
    return _NAME_JUNK.sub("", unicodedata.normalize("NFKC", text)).casefold()


def ledger_for_sheet(sheet_name: str) -> Ledger | None:
    """The ledger a sheet is named after, or None."""
    return LEDGER_BY_NAME.get(unicodedata.normalize("NFKC", sheet_name).strip())


def column_docs() -> list[dict]:
    """The contract as plain data for the 填报说明 page and the templates' 说明 sheet."""
    return [
        {
            "ledger": ledger.name,
            "key": ledger.key,
            "description": ledger.description,
            "administrators_only": not ledger.monthly,
            "updates_by": ledger.column(ledger.entity_field).header if ledger.entity_field else None,
            "columns": [
                {
                    "header": c.header,
                    "aliases": list(c.aliases),
                    "required": c.required,
                    "type": c.kind,
                    "type_zh": c.type_zh,
                    "meaning": c.meaning,
                    "allowed": list(c.allowed),
                    "example": c.example,
                    "field": c.field,
                }
                for c in ledger.columns
            ],
        }
        for ledger in LEDGERS
    ]
