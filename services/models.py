"""The schema: registry, monthly submissions, the five monthly ledgers, users and audit.

Ledger rows always belong to the submission that brought them, so a replaced month keeps its
old version in history. ``is_current`` marks the rows that make up the live picture:
for activities and disclosures, the rows of the compound-month's current submission; for
cases, facility projects and votes (which later months update by their number), the newest
row of each entity among current submissions. Imports maintain the flag in their transaction.

Months are stored as ``CHAR(7)`` ``YYYY-MM`` strings so grouping is portable between SQLite
and PostgreSQL; derived columns (``*_month``, ``days_*``, pass flags) are computed once at
write time by the functions in ``services.domain``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Month = String(7)
Money = Numeric(14, 2)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """The ``Table`` a model maps. Every model here maps one table; SQLAlchemy types ``__table__``
    as ``FromClause`` only because a declarative class may also map a join or other selectable."""
    return cast(Table, model.__table__)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Town(Base):
    __tablename__ = "towns"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    note: Mapped[str | None] = mapped_column(String(200))


class Compound(Base):
    """One residential compound: the unit that reports (registry ledger 小区档案)."""

    __tablename__ = "compounds"
    __table_args__ = (
        CheckConstraint("households >= 0", name="households_nonneg"),
        CheckConstraint("compound_type IN ('住宅','商住','安置','老旧小区')", name="type_known"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    town_code: Mapped[str] = mapped_column(ForeignKey("towns.code"), index=True)
    community: Mapped[str | None] = mapped_column(String(60))
    address: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None]  # WGS-84
    lon: Mapped[float | None]  # WGS-84
    households: Mapped[int] = mapped_column(Integer)
    buildings: Mapped[int | None]
    year_occupied: Mapped[int | None]
    compound_type: Mapped[str] = mapped_column(String(8), default="住宅")
    branch_founded: Mapped[dt.date | None] = mapped_column(Date)
    party_members: Mapped[int | None]
    property_company: Mapped[str | None] = mapped_column(String(100))  # None = 无 (no company)
    owners_committee_founded: Mapped[dt.date | None] = mapped_column(Date)
    womens_federation_founded: Mapped[dt.date | None] = mapped_column(Date)
    volunteers: Mapped[int | None]
    liaison_unit: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Submission(Base):
    """One upload (or zero report) for one compound-month; replacements add a version."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("compound_id", "month", "version", name="compound_month_version"),
        CheckConstraint("kind IN ('ledger','zero')", name="kind_known"),
        CheckConstraint("status IN ('current','superseded')", name="status_known"),
        Index("ix_submissions_month_status", "month", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compounds.id"), index=True)
    month: Mapped[str] = mapped_column(Month)
    version: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(8), default="ledger")
    status: Mapped[str] = mapped_column(String(12), default="current")
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    file_names: Mapped[str | None] = mapped_column(String(500))
    file_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    row_counts: Mapped[dict | None] = mapped_column(JSON)
    warnings: Mapped[list | None] = mapped_column(JSON)  # the importer's 请核对 notes, for the reviewer


class MonthReport(Base):
    """Where one compound's report for one month stands (the month's lifecycle). No row: 未上报.

    ``state``: ``drafting`` 填报中 (ledgers coming in), ``submitted`` 已上报, ``approved`` 已审核,
    ``returned`` 已退回 (with ``return_reason``; the secretary goes on as in 填报中). Whether the
    month is locked is the county's (``MonthLock``); ``reopened`` is a correction request approved
    inside a locked month. ``first_submitted_at`` judges on-time and never changes once set.
    ``revision`` grows with every transition, so two officials acting on one month cannot both win.
    """

    __tablename__ = "month_reports"
    __table_args__ = (
        CheckConstraint("state IN ('drafting','submitted','approved','returned')", name="state_known"),
        Index("ix_month_reports_month_state", "month", "state"),
        Index("ix_month_reports_updated_at", "updated_at"),
    )
    compound_id: Mapped[int] = mapped_column(ForeignKey("compounds.id"), primary_key=True)
    month: Mapped[str] = mapped_column(Month, primary_key=True)
    state: Mapped[str] = mapped_column(String(10), default="drafting")
    first_submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # the last approval
    return_reason: Mapped[str | None] = mapped_column(Text)
    reopened: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_after_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class MonthLock(Base):
    """The county's lock of a reporting month: ``locked`` False records an unlock by hand."""

    __tablename__ = "month_locks"
    month: Mapped[str] = mapped_column(Month, primary_key=True)
    locked: Mapped[bool] = mapped_column(Boolean, default=True)
    how: Mapped[str] = mapped_column(String(8), default="manual")  # manual / auto
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CorrectionRequest(Base):
    """申请更正: a secretary asks to change an approved or locked compound-month."""

    __tablename__ = "correction_requests"
    __table_args__ = (
        CheckConstraint("state IN ('pending','approved','refused')", name="state_known"),
        Index("ix_correction_requests_compound_month", "compound_id", "month"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compounds.id"))
    month: Mapped[str] = mapped_column(Month)
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)


class DeckArchive(Base):
    """An official deck of a locked period, built once when the month locked and kept as it was."""

    __tablename__ = "deck_archives"
    __table_args__ = (Index("ix_deck_archives_period", "period_end", "town_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[str] = mapped_column(Month)
    period_end: Mapped[str] = mapped_column(Month)
    town_code: Mapped[str | None] = mapped_column(ForeignKey("towns.code"))  # None: the county
    fmt: Mapped[str] = mapped_column(String(4))  # pptx / pdf
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class LedgerRow:
    """The columns every monthly ledger table starts with: its submission, compound and reporting month.

    ``sort_order`` keeps them first in each table, in this order, as the migrations created them.
    """

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-5)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True, sort_order=-4)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compounds.id"), sort_order=-3)
    month: Mapped[str] = mapped_column(Month, sort_order=-2)  # the reporting month of this row
    is_current: Mapped[bool] = mapped_column(Boolean, default=True, sort_order=-1)


class Activity(LedgerRow, Base):
    """活动台账: one activity or home-visit round."""

    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint("participants >= 0", name="participants_nonneg"),
        Index("ix_activities_current_month", "is_current", "month", "compound_id"),
        Index("ix_activities_compound_id", "compound_id"),
    )
    activity_date: Mapped[dt.date] = mapped_column(Date)
    activity_type: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    organisers: Mapped[str | None] = mapped_column(String(200))  # canonical names joined by 、
    participants: Mapped[int] = mapped_column(Integer)
    volunteers: Mapped[int | None]
    volunteer_hours: Mapped[Decimal | None] = mapped_column(Numeric(10, 1))
    visited_households: Mapped[int | None]
    visited_hardship_party: Mapped[int | None]
    visited_hardship_residents: Mapped[int | None]
    visited_disabled: Mapped[int | None]
    visited_bereaved: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)


class CaseRecord(LedgerRow, Base):
    """诉求纠纷台账: a demand or dispute as reported in one month (latest one is current)."""

    __tablename__ = "case_records"
    __table_args__ = (
        CheckConstraint("kind IN ('诉求','纠纷')", name="kind_known"),
        Index("ix_case_records_current_received", "is_current", "received_month", "compound_id"),
        Index("ix_case_records_entity", "compound_id", "case_no"),
        # cases open on a day (services.themes.conditions.case_open_at): not closed, or closed after it
        Index("ix_case_records_open", "is_current", "closed_date"),
    )
    case_no: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(4))
    category: Mapped[str] = mapped_column(String(10))
    received_date: Mapped[dt.date] = mapped_column(Date)
    received_month: Mapped[str] = mapped_column(Month)
    first_response_date: Mapped[dt.date | None] = mapped_column(Date)
    closed_date: Mapped[dt.date | None] = mapped_column(Date)
    closed_month: Mapped[str | None] = mapped_column(Month)
    status: Mapped[str] = mapped_column(String(6))
    satisfaction: Mapped[str | None] = mapped_column(String(6))
    summary: Mapped[str | None] = mapped_column(Text)
    days_to_first_response: Mapped[int | None]
    days_to_close: Mapped[int | None]


class FacilityRecord(LedgerRow, Base):
    """设施改造台账: a facility project as reported in one month (latest one is current)."""

    __tablename__ = "facility_records"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_pos"),
        CheckConstraint("status IN ('计划','在建','完工')", name="status_known"),
        Index("ix_facility_records_current_completed", "is_current", "completed_month", "compound_id"),
        Index("ix_facility_records_entity", "compound_id", "project_no"),
    )
    project_no: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(10))
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    unit: Mapped[str] = mapped_column(String(4))
    investment_yuan: Mapped[Decimal | None] = mapped_column(Money)
    funding_source: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(4))
    started_date: Mapped[dt.date | None] = mapped_column(Date)
    completed_date: Mapped[dt.date | None] = mapped_column(Date)
    completed_month: Mapped[str | None] = mapped_column(Month)


class VoteRecord(LedgerRow, Base):
    """业主表决台账: an owners' vote; pass flags are computed by ``services.domain.vote_outcome``."""

    __tablename__ = "vote_records"
    __table_args__ = (
        CheckConstraint("agree_households <= participating_households", name="agree_le_part"),
        CheckConstraint("participating_households <= total_households", name="part_le_total"),
        Index("ix_vote_records_current_month", "is_current", "vote_month", "compound_id"),
        Index("ix_vote_records_entity", "compound_id", "vote_no"),
    )
    vote_no: Mapped[str] = mapped_column(String(40))
    vote_date: Mapped[dt.date] = mapped_column(Date)
    vote_month: Mapped[str] = mapped_column(Month)
    topic: Mapped[str] = mapped_column(String(200))
    matter: Mapped[str] = mapped_column(String(6))  # 一般事项 / 重大事项
    total_households: Mapped[int] = mapped_column(Integer)
    participating_households: Mapped[int] = mapped_column(Integer)
    agree_households: Mapped[int] = mapped_column(Integer)
    total_area: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    participating_area: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    agree_area: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    local_threshold: Mapped[Decimal] = mapped_column(Numeric(5, 4), default=Decimal("0.70"))
    passes_local: Mapped[bool] = mapped_column(Boolean)
    passes_statutory: Mapped[bool | None] = mapped_column(Boolean)  # None: no area data
    implementation: Mapped[str | None] = mapped_column(String(4))  # 未落实 / 落实中 / 已落实
    implemented_date: Mapped[dt.date | None] = mapped_column(Date)


class Disclosure(LedgerRow, Base):
    """财务公开台账: one compound's monthly income and spending disclosure."""

    __tablename__ = "disclosures"
    __table_args__ = (Index("ix_disclosures_current_month", "is_current", "month", "compound_id"),)
    income_yuan: Mapped[Decimal] = mapped_column(Money)
    spending_yuan: Mapped[Decimal] = mapped_column(Money)
    disclosed_date: Mapped[dt.date | None] = mapped_column(Date)
    channel: Mapped[str | None] = mapped_column(String(6))


class CompoundMonth(Base):
    """Per compound and month, the live ledgers' figures summed (the rollup every view reads).

    Derived data: ``services.rollups`` recomputes a compound's rows in the same transaction as
    each import, and ``python -m services rollups --rebuild`` recomputes all of them. Each
    figure is keyed by the month the headline rules count it in (activities by month, cases
    by month received and by month closed, projects by month completed, votes by month held).
    """

    __tablename__ = "compound_months"
    __table_args__ = (Index("ix_compound_months_month", "month", "compound_id"),)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compounds.id"), primary_key=True)
    month: Mapped[str] = mapped_column(Month, primary_key=True)
    activities: Mapped[int] = mapped_column(Integer, default=0)
    participants: Mapped[int] = mapped_column(Integer, default=0)
    volunteer_hours: Mapped[Decimal] = mapped_column(Numeric(14, 1), default=0)
    households_visited: Mapped[int] = mapped_column(Integer, default=0)
    cases_received: Mapped[int] = mapped_column(Integer, default=0)
    demands_received: Mapped[int] = mapped_column(Integer, default=0)
    disputes_received: Mapped[int] = mapped_column(Integer, default=0)
    cases_responded: Mapped[int] = mapped_column(Integer, default=0)
    cases_resolved: Mapped[int] = mapped_column(Integer, default=0)
    cases_transferred: Mapped[int] = mapped_column(Integer, default=0)
    cases_closed: Mapped[int] = mapped_column(Integer, default=0)
    facility_projects_completed: Mapped[int] = mapped_column(Integer, default=0)
    facility_investment_yuan: Mapped[Decimal] = mapped_column(Money, default=0)
    votes_held: Mapped[int] = mapped_column(Integer, default=0)
    votes_passed_local: Mapped[int] = mapped_column(Integer, default=0)
    votes_passed_statutory: Mapped[int] = mapped_column(Integer, default=0)
    vote_participation_sum: Mapped[float] = mapped_column(Float, default=0)
    vote_participation_n: Mapped[int] = mapped_column(Integer, default=0)
    disclosures: Mapped[int] = mapped_column(Integer, default=0)
    disclosed_income_yuan: Mapped[Decimal] = mapped_column(Money, default=0)
    disclosed_spending_yuan: Mapped[Decimal] = mapped_column(Money, default=0)
    # 物业与包保 (migration 0008): property-service cases by month received, and activities a
    # liaison unit (包保单位) organised, by month
    property_demands: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    property_disputes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    property_cases: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    property_resolved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    property_rated: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    property_satisfied: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    liaison_activities: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    liaison_participants: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # 诉求与纠纷's satisfaction (migration 0011): closed cases by residents' rating, by month received
    # (``domain.SATISFACTION_FIGURES``; a blank rating counts as 未评价)
    closed_satisfied: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    closed_fairly_satisfied: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    closed_dissatisfied: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    closed_unrated: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


town_months = Table(
    "town_months",
    Base.metadata,
    Column("town_code", String(12), primary_key=True),
    Column("month", Month, primary_key=True),
    *[
        Column(c.name, c.type, nullable=False, default=0)
        for c in CompoundMonth.__table__.columns
        if c.name not in ("compound_id", "month")
    ],
)
"""``compound_months`` summed per town and month over every compound of the town, active or not
(``services.town_months``): a county's or a town's sums over a period are towns × months rows,
not compounds × months. Derived data: an import recomputes the (town, month) rows its compounds'
rollup rows changed in, in its transaction; readers subtract compounds no longer active."""


class CaseDays(Base):
    """Day-count histogram per compound and month received: how many of its live cases took
    ``days`` days, for ``measure`` ``close`` (受理 → 办结, ``days_to_close``) or ``reply`` (受理 →
    first reply; closing when there was no separate reply). Medians and the 90th percentile are
    read from here (``services.day_counts``). ``town_code`` is the compound's town when the rows
    were computed, so a compound moved to another town is taken out of the right town's totals.
    Derived data, recomputed with ``compound_months`` in each import's transaction."""

    __tablename__ = "case_days"
    compound_id: Mapped[int] = mapped_column(ForeignKey("compounds.id"), primary_key=True)
    month: Mapped[str] = mapped_column(Month, primary_key=True)
    measure: Mapped[str] = mapped_column(String(5), primary_key=True)
    days: Mapped[int] = mapped_column(Integer, primary_key=True)
    town_code: Mapped[str] = mapped_column(String(12))
    cases: Mapped[int] = mapped_column(Integer)


class TownCaseDays(Base):
    """``case_days`` summed per town (all compounds, active or not): a county's or a town's
    histogram for a year is a few thousand rows instead of every case. Kept by adding each
    import's change to its compounds' rows (``services.day_counts.refresh``)."""

    __tablename__ = "town_case_days"
    measure: Mapped[str] = mapped_column(String(5), primary_key=True)
    month: Mapped[str] = mapped_column(Month, primary_key=True)
    town_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    days: Mapped[int] = mapped_column(Integer, primary_key=True)
    cases: Mapped[int] = mapped_column(Integer)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin','county','town','secretary')", name="role_known"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    work_phone: Mapped[str | None] = mapped_column(String(30))
    role: Mapped[str] = mapped_column(String(10))
    town_code: Mapped[str | None] = mapped_column(ForeignKey("towns.code"))
    compound_id: Mapped[int | None] = mapped_column(ForeignKey("compounds.id"))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    sso_subject: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Setting(Base):
    """Administrator-editable settings (deadline day, index weights, alert thresholds)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AuditEntry(Base):
    """Append-only: database triggers refuse UPDATE and DELETE (see the first migration)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str | None] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict | None] = mapped_column(JSON)


class WebSession(Base):
    """A login that survives page reloads: the browser holds a random token in an HttpOnly
    cookie; only its SHA-256 is stored. ``handoff_hash`` is a one-time code (two minutes) that
    moves a fresh login from the Streamlit session to the cookie without putting the token in a URL."""

    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_expires: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class SupervisionOrder(Base):
    """督办单: an official requires a compound to act by a deadline (``services.supervision``).

    ``state``: ``pending`` 待签收, ``doing`` 办理中 (signed, or sent back by 退回重办), ``answered``
    已反馈, ``closed`` 已办结. ``original_deadline`` never changes; ``deadline`` moves when an
    extension is granted. One extension request may be open at a time (``extension_*``); every
    step, reminders included, is an ``OrderEvent``. ``revision`` grows with every step, so two
    people acting on one order cannot both win.
    """

    __tablename__ = "supervision_orders"
    __table_args__ = (
        CheckConstraint("state IN ('pending','doing','answered','closed')", name="state_known"),
        CheckConstraint("priority IN ('一般','紧急')", name="priority_known"),
        CheckConstraint("source_kind IN ('alert','profile','case','vote','report','scratch')", name="source_known"),
        Index("ix_supervision_orders_town_state", "town_code", "state"),
        Index("ix_supervision_orders_compound_id", "compound_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compounds.id"))
    town_code: Mapped[str] = mapped_column(ForeignKey("towns.code"))  # copied from the compound at issue
    source_kind: Mapped[str] = mapped_column(String(8))
    source_ref: Mapped[str | None] = mapped_column(String(200))  # e.g. the case number or the alert's key
    requirement: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(4), default="一般")
    original_deadline: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(8), default="pending")
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issuer_role: Mapped[str] = mapped_column(String(10))  # admin / county / town: who may accept
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    feedback: Mapped[str | None] = mapped_column(Text)
    return_reason: Mapped[str | None] = mapped_column(Text)  # the last 退回重办
    returned_times: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    extension_requested_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # set while one is open
    extension_reason: Mapped[str | None] = mapped_column(Text)
    extension_date: Mapped[dt.date | None] = mapped_column(Date)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class OrderEvent(Base):
    """One step of a supervision order (issue, sign, answer, accept, return, extension, reminder)."""

    __tablename__ = "order_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("supervision_orders.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)  # the reason, feedback or requirement
    detail: Mapped[dict | None] = mapped_column(JSON)


class OrderAttachment(Base):
    """A file sent with an order's feedback: JPEG/PNG (re-encoded, no metadata) or PDF, ≤ 5 MB."""

    __tablename__ = "order_attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("supervision_orders.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("order_events.id"))
    file_name: Mapped[str] = mapped_column(String(120))
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ViewNote(Base):
    """批注: an official's note on a view for one scope and period (plain text, shown as text)."""

    __tablename__ = "view_notes"
    __table_args__ = (Index("ix_view_notes_view_scope", "view_id", "town_code", "compound_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    view_id: Mapped[str] = mapped_column(String(30))  # a page id of services.access.PAGES
    town_code: Mapped[str | None] = mapped_column(ForeignKey("towns.code"))  # both None: the county
    compound_id: Mapped[int | None] = mapped_column(ForeignKey("compounds.id"))
    period_start: Mapped[str] = mapped_column(Month)
    period_end: Mapped[str] = mapped_column(Month)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Mention(Base):
    """An ``@username`` in a note: it sits in that person's inbox until they mark it read."""

    __tablename__ = "mentions"
    __table_args__ = (UniqueConstraint("note_id", "user_id", name="note_user"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("view_notes.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class DataVersion(Base):
    """How far the data behind one town's figures has moved (``'*'``: what every town's figures
    depend on). Kept by database triggers (migration 0006); read by ``services.versions``."""

    __tablename__ = "data_versions"
    town_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
