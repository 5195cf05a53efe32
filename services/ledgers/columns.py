"""Column builders the ledgers share: counts, money, areas and the 小区编码 every monthly row carries."""

from __future__ import annotations

from decimal import Decimal

from services.ledgers.base import Column

ZERO = Decimal(0)
COUNT_MAX = Decimal(100_000)
MONEY_MAX = Decimal("999999999999.99")


def count(header, field_name, meaning, example, *, required=False, aliases=(), maximum=COUNT_MAX, positive=False):
    """A whole number from zero (or one, when ``positive``) up to ``maximum``."""
    return Column(
        header,
        field_name,
        "int",
        meaning,
        example,
        required=required,
        aliases=aliases,
        minimum=ZERO,
        maximum=maximum,
        positive=positive,
    )


def money(header, field_name, meaning, example, *, required=False, aliases=()):
    """An amount in yuan, to the fen."""
    return Column(
        header,
        field_name,
        "decimal",
        meaning,
        example,
        required=required,
        aliases=aliases,
        minimum=ZERO,
        maximum=MONEY_MAX,
        places=2,
    )


def area(header, field_name, meaning, example, aliases=()):
    """An area in square metres, to two decimal places."""
    return Column(
        header,
        field_name,
        "decimal",
        meaning,
        example,
        aliases=aliases,
        minimum=ZERO,
        maximum=Decimal(10_000_000),
        places=2,
    )


COMPOUND_CODE = Column(
    "小区编码",
    "compound_code",
    "code",
    "县里统一分配的小区编码（见小区档案），每行都填本小区的编码",
    "511423112001",
    required=True,
    aliases=("compound_code", "code"),
)
