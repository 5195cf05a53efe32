"""Who is acting, and what they may see and change.

Every service entry point that reads or writes scoped data takes a ``Principal`` and calls
``read_scope`` or ``require_import`` here, so a new page cannot leak data by forgetting a check.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from services.metrics import Scope


class PermissionDenied(Exception):
    """The principal may not do this; the message is safe to show to the user (Chinese)."""


@dataclass(frozen=True)
class Principal:
    user_id: int | None
    username: str
    role: str  # admin / county / town / secretary
    town_code: str | None = None
    compound_id: int | None = None

    @property
    def can_import(self) -> bool:
        return self.role in ("admin", "secretary")


SYSTEM = Principal(user_id=None, username="system", role="admin")


def read_scope(principal: Principal, requested: Scope) -> Scope:
    """The part of ``requested`` that ``principal`` may read; refuses anything outside it."""
    if principal.role in ("admin", "county"):
        return requested
    if principal.role == "town":
        if requested.town_code not in (None, principal.town_code):
            raise PermissionDenied("镇级账号只能查看本镇数据。")
        return Scope(town_code=principal.town_code, compound_id=requested.compound_id)
    if principal.role == "secretary":
        if requested.compound_id not in (None, principal.compound_id):
            raise PermissionDenied("小区书记账号只能查看本小区数据。")
        return Scope(town_code=principal.town_code, compound_id=principal.compound_id)
    raise PermissionDenied("未知角色。")


def require_import(principal: Principal, compound_id: int) -> None:
    """Refuse unless ``principal`` may write ledgers for ``compound_id``."""
    if principal.role == "admin":
        return
    if principal.role == "secretary" and principal.compound_id == compound_id:
        return
    if principal.role == "secretary":
        raise PermissionDenied("只能上报本小区的台账，文件中的小区编码不属于您的小区。")
    raise PermissionDenied("该账号没有数据录入权限。")


ALL_ROLES = frozenset({"admin", "county", "town", "secretary"})
OFFICIALS = frozenset({"admin", "county", "town"})

# Which roles may open each page. Navigation is built from this table, so a page a role may not
# see is not registered for that session and cannot be reached by URL.
PAGE_ACCESS: dict[str, frozenset[str]] = {
    "overview": ALL_ROLES,
    "map": ALL_ROLES,
    "coverage": ALL_ROLES,
    "activities": ALL_ROLES,
    "cases": ALL_ROLES,
    "profile": ALL_ROLES,
    "alerts": ALL_ROLES,
    "index": ALL_ROLES,
    "present": ALL_ROLES,
    "facilities": ALL_ROLES,
    "votes": ALL_ROLES,
    "finance": ALL_ROLES,
    "property": ALL_ROLES,
    "upload": frozenset({"admin", "secretary"}),
    "reporting": ALL_ROLES,
    "guide": ALL_ROLES,
    "account": ALL_ROLES,
    "admin_users": frozenset({"admin"}),
    "admin_registry": frozenset({"admin"}),
    "admin_settings": frozenset({"admin"}),
    "admin_audit": frozenset({"admin"}),
}


def can_open(principal: Principal, page_id: str) -> bool:
    return principal.role in PAGE_ACCESS.get(page_id, frozenset())


def pages_for(principal: Principal) -> list[str]:
    return [page for page, roles in PAGE_ACCESS.items() if principal.role in roles]


def _readable() -> dict:
    """Read entry points a page may call through ``read_metric``: name → f(engine, scope, period, **kw)."""
    from services import metrics, reporting
    from services.themes import (
        activities,
        alerts,
        cases,
        coverage,
        facilities,
        finance,
        governance_index,
        profile,
        votes,
    )
    from services.themes import property as property_theme

    return {
        "headline": metrics.headline,
        "monthly_trend": metrics.monthly_trend,
        "by_compound": metrics.by_compound,
        "compound_choices": metrics.compound_choices,
        "by_town": metrics.by_town,
        "peer_position": metrics.peer_position,
        # coverage/activities/cases views
        "coverage_shares": coverage.shares,
        "coverage_presence": coverage.presence_by_compound,
        "coverage_missing_by_town": coverage.missing_by_town,
        "coverage_missing_compounds": coverage.missing_compounds,
        "coverage_founding_curve": coverage.founding_curve,
        "activity_summary": activities.summary,
        "activity_by_type_month": activities.by_type_month,
        "activity_monthly": activities.monthly,
        "activity_seasonality": activities.seasonality,
        "activity_by_town": activities.by_town,
        "activity_by_compound": activities.by_compound,
        "case_loop": cases.loop,
        "case_backlog": cases.backlog,
        "case_categories": cases.categories,
        "case_satisfaction": cases.satisfaction,
        "case_trend": cases.trend,
        "case_by_town": cases.by_town,
        "case_by_compound": cases.by_compound,
        # profile and alerts views
        "compound_card": profile.compound_card,
        "compound_timeline": profile.compound_timeline,
        "compound_cases": profile.compound_cases,
        "compound_votes": profile.compound_votes,
        "alerts": alerts.alerts,
        "compound_index": governance_index.compound_index,
        "town_index": governance_index.town_index,
        # facilities/votes/finance/property views
        "facility_summary": facilities.summary,
        "facility_by_category": facilities.by_category,
        "facility_by_funding": facilities.by_funding,
        "facility_in_progress": facilities.in_progress,
        "facility_by_compound": facilities.by_compound,
        "facility_by_town": facilities.by_town,
        "vote_summary": votes.summary,
        "vote_outcomes": votes.outcomes,
        "vote_participation": votes.participation_bins,
        "vote_list": votes.votes,
        "vote_pending": votes.pending,
        "vote_by_compound": votes.by_compound,
        "vote_by_town": votes.by_town,
        "disclosure_summary": finance.summary,
        "disclosure_calendar": finance.calendar,
        "disclosure_trend": finance.trend,
        "disclosure_by_compound": finance.by_compound,
        "disclosure_by_town": finance.by_town,
        "disclosure_town_months": finance.town_months,
        "disclosure_overview": finance.overview,
        "property_summary": property_theme.summary,
        "property_companies": property_theme.companies,
        "property_unmanaged": property_theme.unmanaged,
        "property_liaison_units": property_theme.liaison_units,
        "property_by_compound": property_theme.by_compound,
        "property_by_town": property_theme.by_town,
        "property_overview": property_theme.overview,
        "reporting_calendar": reporting.calendar,
        "missing_with_contacts": lambda engine, scope, period, **kw: reporting.missing_with_contacts(
            engine, scope, period.end, **kw
        ),
    }


def read_metric(engine, principal: Principal, name: str, scope: Scope, period, **kwargs):
    """Call a published read function with the scope clamped to what ``principal`` may read."""
    functions = _readable()
    if name not in functions:
        raise PermissionDenied(f"未开放的数据接口：{name}")
    return functions[name](engine, read_scope(principal, scope), period, **kwargs)


def submission_history(engine, principal: Principal, compound_id: int):
    """A compound's submissions, for those who may read that compound."""
    from services import reporting
    from services.models import Compound

    with engine.connect() as conn:
        town = conn.execute(select(Compound.town_code).where(Compound.id == compound_id)).scalar()
    effective = read_scope(principal, Scope(town_code=None, compound_id=compound_id))
    if effective.town_code not in (None, town):
        raise PermissionDenied("无权查看该小区。")
    return reporting.submission_history(engine, compound_id)
