"""Extra text catalogues, one module per theme, each with ``ZH`` and ``EN`` dicts.

``services.i18n`` merges every module listed in ``MODULES`` into its catalogues at import time,
so a theme's pages can add their labels without editing the main catalogue. Keys must not
collide (a test checks), and both languages must have the same keys.
"""

MODULES: tuple[str, ...] = (
    "services.texts.core_views",
    "services.texts.themes_a",
    "services.texts.themes_b",
    "services.texts.deck",
)
