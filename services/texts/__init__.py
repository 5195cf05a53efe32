"""Text catalogues, one module per view with ``ZH`` and ``EN`` dicts, merged into ``services.i18n`` at
import (which refuses a key defined twice); both languages have the same keys (a test checks)."""

MODULES: tuple[str, ...] = tuple(
    f"services.texts.{name}"
    for name in (
        "views",
        "coverage",
        "activities",
        "cases",
        "facilities",
        "votes",
        "finance",
        "property",
        "index",
        "profile",
        "alerts",
        "deck",
        "month_reports",
        "batch",
        "archive",
        "supervision",
    )
)
