"""Extra text catalogues, one module per view, each with ``ZH`` and ``EN`` dicts.

``services.i18n`` merges every module listed in ``MODULES`` into its catalogues at import time,
so a view's pages can add their labels without editing the main catalogue. Keys must not
collide (``i18n`` refuses), and both languages must have the same keys (a test checks).
"""

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
    )
)
