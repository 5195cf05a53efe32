"""Administrator settings: validated, stored, audited with before/after, admins only."""

import pytest
from sqlalchemy import select

from services import settings_store
from services.access import SYSTEM, PermissionDenied, Principal
from services.models import AuditEntry


def test_defaults_changes_and_audit(engine):
    assert settings_store.get(engine, "report_deadline_day") == 5
    assert settings_store.get(engine, "report_deadline_day", fallback=7) == 7  # the deployment's configuration
    settings_store.set_value(engine, SYSTEM, "report_deadline_day", 10)
    settings_store.set_value(engine, SYSTEM, "report_deadline_day", 8)
    assert settings_store.get(engine, "report_deadline_day", fallback=7) == 8
    with engine.connect() as conn:
        details = (
            conn.execute(
                select(AuditEntry.detail).where(AuditEntry.action == "settings.changed").order_by(AuditEntry.id)
            )
            .scalars()
            .all()
        )
    assert details == [{"before": None, "after": 10}, {"before": 10, "after": 8}]


@pytest.mark.parametrize("value", [0, 29, "5", 5.5, True, None])
def test_invalid_values_are_refused(engine, value):
    with pytest.raises(ValueError):
        settings_store.set_value(engine, SYSTEM, "report_deadline_day", value)


@pytest.mark.parametrize("role", ["county", "town", "secretary"])
def test_only_administrators_change_settings(engine, role):
    with pytest.raises(PermissionDenied):
        settings_store.set_value(engine, Principal(9, "x", role, "511423112", 1), "report_deadline_day", 6)
