"""the rollup summed per town and month

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 22:20:00

A county's figures over a year summed compounds × months rows of ``compound_months`` (a
province: 30,000 × 12 for every KPI card, three periods per page view), and the count of cases
open at a month's end walked the open cases. ``town_months`` holds the same figures summed per
town and month, over every compound of the town, active or not (``services.town_months``; readers
subtract inactive compounds). Filled here by a grouped sum written out in SQL (a migration must
not depend on code later migrations change); imports keep it from then on.
"""

import sqlalchemy as sa
from alembic import op


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INTEGERS = (
    "activities", "participants", "households_visited", "cases_received", "demands_received",
    "disputes_received", "cases_responded", "cases_resolved", "cases_transferred", "cases_closed",
    "facility_projects_completed", "votes_held", "votes_passed_local", "votes_passed_statutory",
    "vote_participation_n", "disclosures", "property_demands", "property_disputes", "property_cases",
    "property_resolved", "property_rated", "property_satisfied", "liaison_activities", "liaison_participants",
)  # fmt: skip
OTHERS = {
    "volunteer_hours": sa.Numeric(14, 1),
    "facility_investment_yuan": sa.Numeric(14, 2),
    "vote_participation_sum": sa.Float(),
    "disclosed_income_yuan": sa.Numeric(14, 2),
    "disclosed_spending_yuan": sa.Numeric(14, 2),
}


def upgrade() -> None:
    figures = {**dict.fromkeys(INTEGERS, sa.Integer()), **OTHERS}
    op.create_table(
        "town_months",
        sa.Column("town_code", sa.String(length=12), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        *[sa.Column(name, kind, nullable=False) for name, kind in figures.items()],
        sa.PrimaryKeyConstraint("town_code", "month", name=op.f("pk_town_months")),
    )
    names = ", ".join(figures)
    sums = ", ".join(f"sum(cm.{name})" for name in figures)
    op.execute(
        f"INSERT INTO town_months (town_code, month, {names}) "  # noqa: S608 - names are this file's constants
        f"SELECT c.town_code, cm.month, {sums} FROM compound_months cm JOIN compounds c ON c.id = cm.compound_id "
        "GROUP BY c.town_code, cm.month"
    )


def downgrade() -> None:
    op.drop_table("town_months")
