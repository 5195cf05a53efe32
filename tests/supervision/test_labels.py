"""The labels services keep in Chinese (order states, sources, steps, priorities, inbox kinds) have
a text key in both catalogues, and its Chinese is the services' own label, so the English switch
covers them and the two never drift apart."""

from __future__ import annotations

import pytest

from services import inbox, supervision
from services.i18n import EN, ZH

LABELS = [
    ("so.state", supervision.STATE_LABELS),
    ("so.source", supervision.SOURCE_LABELS),
    ("so.action", supervision.ACTION_LABELS),
    ("inbox.kind", inbox.KIND_LABELS),
    ("so.priority", dict(zip(("normal", "urgent"), supervision.PRIORITIES, strict=True))),
]


@pytest.mark.parametrize(("prefix", "labels"), LABELS, ids=[prefix for prefix, _ in LABELS])
def test_every_service_label_has_its_chinese_and_an_english_text(prefix, labels):
    for key, chinese in labels.items():
        assert ZH[f"{prefix}.{key}"] == chinese
        assert EN[f"{prefix}.{key}"] and EN[f"{prefix}.{key}"] != chinese
