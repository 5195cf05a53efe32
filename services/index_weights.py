"""The governance index's components and their configured weights and labels
(data/index_weights.toml); administrators may override weights in the settings."""

from __future__ import annotations

import tomllib
from pathlib import Path

from services.config import DATA_DIR

COMPONENTS = (
    "organisation",
    "activity",
    "response",
    "democracy",
    "facilities",
    "timeliness",
    "disclosure",
    "supervision",
)
CONFIG = DATA_DIR / "index_weights.toml"


def configured(path: Path = CONFIG) -> tuple[dict[str, float], dict[str, str]]:
    """Weights and slogan labels from the config file (weights may be overridden in settings)."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    weights = {c: float(data["weights"].get(c, 0)) for c in COMPONENTS}
    return weights, {c: data.get("labels", {}).get(c, c) for c in COMPONENTS}
