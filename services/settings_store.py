"""Administrator-editable settings, stored in the database and audited with before/after.

Each setting has a default, a validator and a Chinese label; reading falls back to the default
(the reporting deadline falls back to the deployment's configuration)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, select

from services import audit
from services.access import SWITCHES, PermissionDenied, Principal
from services.config import load_settings
from services.db import write_transaction
from services.domain import DEFAULT_DEADLINE_DAY, DEFAULT_LOCK_AFTER_DAYS, DEFAULT_VOTE_ALERT_DAYS
from services.index_weights import COMPONENTS, configured
from services.models import Setting, table_of, utcnow


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: object
    check: Callable[[object], str | None]  # returns a problem in Chinese, or None


def _int_between(low: int, high: int) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            return f"应为 {low} 到 {high} 之间的整数。"
        return None

    return check


def _flag(value: object) -> str | None:
    return None if isinstance(value, bool) else "应为“是”或“否”。"


def _weights(value: object) -> str | None:
    """An override of some index weights; the config file supplies the others."""
    if not isinstance(value, dict) or not set(value) <= set(COMPONENTS):
        return "权重应为各指数分项的名称与数值。"
    if any(isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 100 for v in value.values()):
        return "每个权重应为 0 到 100 之间的数。"
    if not any({**configured()[0], **value}.values()):
        return "至少要有一个分项的权重大于 0。"
    return None


SPECS = {
    spec.key: spec
    for spec in (
        SettingSpec("report_deadline_day", DEFAULT_DEADLINE_DAY, _int_between(1, 28)),
        SettingSpec("report_lock_after_days", DEFAULT_LOCK_AFTER_DAYS, _int_between(1, 60)),
        SettingSpec("alert_months_not_reporting", 2, _int_between(1, 12)),
        SettingSpec("alert_case_open_days", 30, _int_between(7, 365)),
        SettingSpec("alert_vote_not_implemented_days", DEFAULT_VOTE_ALERT_DAYS, _int_between(7, 730)),
        SettingSpec("alert_dispute_spike_factor", 3, _int_between(2, 10)),
        SettingSpec("index_weights", {}, _weights),
        SettingSpec("batch_import_for_towns", False, _flag),  # label: settings.batch_import_for_towns
        SettingSpec("order_sign_days", 2, _int_between(1, 15)),  # label: settings.order_sign_days
    )
}


def get(engine: Engine, key: str, *, fallback: object = None) -> object:
    """The stored value, else ``fallback`` (e.g. the configured deadline), else the default."""
    spec = SPECS[key]
    with engine.connect() as conn:
        row = conn.execute(select(Setting.value).where(Setting.key == key)).scalar()
    if row is not None:
        return row["value"]
    return spec.default if fallback is None else fallback


def get_int(engine: Engine, key: str, *, fallback: int | None = None) -> int:
    """An integer setting (``get``): stored values passed ``_int_between``, and the defaults are ints."""
    value = get(engine, key, fallback=fallback)
    assert isinstance(value, int), f"setting {key} holds {value!r}, not an integer"
    return value


def deadline_day(engine: Engine) -> int:
    """The reporting deadline in force: the administrators' setting, else the deployment's configuration."""
    return get_int(engine, "report_deadline_day", fallback=load_settings().report_deadline_day)


def lock_after_days(engine: Engine) -> int:
    """Days after the deadline at which a month locks by itself (``month_reports.lock_due``)."""
    return get_int(engine, "report_lock_after_days")


def vote_alert_days(engine: Engine) -> int:
    """Days after which a passed vote not carried out is flagged (administrators' setting)."""
    return get_int(engine, "alert_vote_not_implemented_days")


def order_sign_days(engine: Engine) -> int:
    """Days after issue within which a supervision order counts as signed on time (签收及时率)."""
    return get_int(engine, "order_sign_days")


def set_value(engine: Engine, actor: Principal, key: str, value: object) -> None:
    """Change one setting (administrators only); refuses invalid values."""
    if actor.role != "admin":
        raise PermissionDenied("只有系统管理员可以修改设置。")
    spec = SPECS.get(key)
    if spec is None:
        raise ValueError(f"未知设置：{key}")
    problem = spec.check(value)
    if problem:
        raise ValueError(problem)
    with write_transaction(engine) as conn:
        old = conn.execute(select(Setting.value).where(Setting.key == key)).scalar()
        if old is None:
            conn.execute(
                table_of(Setting)
                .insert()
                .values(key=key, value={"value": value}, updated_at=utcnow(), updated_by=actor.user_id)
            )
        else:
            conn.execute(
                table_of(Setting)
                .update()
                .where(Setting.key == key)
                .values(value={"value": value}, updated_at=utcnow(), updated_by=actor.user_id)
            )
        audit.record(
            conn,
            action="settings.changed",
            username=actor.username,
            user_id=actor.user_id,
            target=key,
            detail={"before": None if old is None else old["value"], "after": value},
        )


def batch_import_for_towns(engine: Engine) -> bool:
    """Whether town officials may batch-import the ledgers of their town's compounds."""
    return get(engine, "batch_import_for_towns") is True


def switches_on(engine: Engine) -> frozenset[str]:
    """The settings that open pages to more roles (``access.PageSpec.switch``) and are on."""
    return frozenset(key for key in SWITCHES if get(engine, key) is True)


def all_values(engine: Engine) -> dict[str, object]:
    """The numeric settings (index weights are edited on their own, switches by ``flags``)."""
    return {key: get(engine, key) for key, spec in SPECS.items() if _numeric(spec.default)}


def flags(engine: Engine) -> dict[str, bool]:
    """The yes/no settings."""
    return {key: get(engine, key) is True for key, spec in SPECS.items() if isinstance(spec.default, bool)}


def _numeric(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
