"""day-count histograms of cases, per compound and per town

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 18:20:00

Medians and the 90th percentile of days to reply and to close were taken from every case of the
period (a province-year: 700,000 cases, over a second on every cold view of 诉求与纠纷 and the
headline). A histogram adds up where a median does not: ``case_days`` counts a compound's live
cases per month received and number of days, ``town_case_days`` sums them per town, and the
views read those (``services.day_counts``). Filled here by the rules written out in SQL (a
migration must not depend on code later migrations change); imports keep them from then on.
"""

import sqlalchemy as sa
from alembic import op


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_PART = """
SELECT r.compound_id, c.town_code, r.received_month, '{measure}', {days}, count(*)
FROM case_records r JOIN compounds c ON c.id = r.compound_id
WHERE r.is_current AND r.received_month IS NOT NULL AND {days} IS NOT NULL
GROUP BY r.compound_id, c.town_code, r.received_month, {days}
"""
FILL_COMPOUNDS = (
    "INSERT INTO case_days (compound_id, town_code, month, measure, days, cases) "
    + _PART.format(measure="close", days="r.days_to_close")
    + " UNION ALL "
    + _PART.format(measure="reply", days="coalesce(r.days_to_first_response, r.days_to_close)")
)
FILL_TOWNS = """
INSERT INTO town_case_days (measure, month, town_code, days, cases)
SELECT measure, month, town_code, days, sum(cases) FROM case_days GROUP BY measure, month, town_code, days
"""


def upgrade() -> None:
    op.create_table(
        "case_days",
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("measure", sa.String(length=5), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("town_code", sa.String(length=12), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["compound_id"], ["compounds.id"], name=op.f("fk_case_days_compound_id_compounds")),
        sa.PrimaryKeyConstraint("compound_id", "month", "measure", "days", name=op.f("pk_case_days")),
    )
    op.create_table(
        "town_case_days",
        sa.Column("measure", sa.String(length=5), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("town_code", sa.String(length=12), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("measure", "month", "town_code", "days", name=op.f("pk_town_case_days")),
    )
    op.execute(FILL_COMPOUNDS)
    op.execute(FILL_TOWNS)


def downgrade() -> None:
    op.drop_table("town_case_days")
    op.drop_table("case_days")
