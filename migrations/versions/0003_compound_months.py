"""compound × month rollup

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 18:00:00

Creates ``compound_months`` and fills it from the ledgers already in the database, so an
upgraded installation shows the same figures as before.
"""

from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_INT = ("activities", "participants")
_INT_AFTER = ("households_visited", "cases_received", "demands_received", "disputes_received", "cases_responded",
              "cases_resolved", "cases_transferred", "cases_closed", "facility_projects_completed")  # fmt: skip
_VOTES = ("votes_held", "votes_passed_local", "votes_passed_statutory")
_MONEY2 = ("disclosed_income_yuan", "disclosed_spending_yuan")


def _int(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "compound_months",
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        *[_int(n) for n in _INT],
        sa.Column("volunteer_hours", sa.Numeric(precision=14, scale=1), nullable=False),
        *[_int(n) for n in _INT_AFTER],
        sa.Column("facility_investment_yuan", sa.Numeric(precision=14, scale=2), nullable=False),
        *[_int(n) for n in _VOTES],
        sa.Column("vote_participation_sum", sa.Float(), nullable=False),
        _int("vote_participation_n"),
        _int("disclosures"),
        *[sa.Column(n, sa.Numeric(precision=14, scale=2), nullable=False) for n in _MONEY2],
        sa.ForeignKeyConstraint(
            ["compound_id"], ["compounds.id"], name=op.f("fk_compound_months_compound_id_compounds")
        ),
        sa.PrimaryKeyConstraint("compound_id", "month", name=op.f("pk_compound_months")),
    )
    with op.batch_alter_table("compound_months", schema=None) as batch_op:
        batch_op.create_index("ix_compound_months_month", ["month", "compound_id"], unique=False)
    # existing ledgers: compute the rollup with the same code the imports use, for the figures
    # this migration created (later migrations add and fill their own)
    from services import rollups

    figures = (*_INT, "volunteer_hours", *_INT_AFTER, "facility_investment_yuan", *_VOTES, "vote_participation_sum",
               "vote_participation_n", "disclosures", *_MONEY2)  # fmt: skip
    rollups.rebuild_in(op.get_bind(), figures=figures, derived=False)


def downgrade() -> None:
    with op.batch_alter_table("compound_months", schema=None) as batch_op:
        batch_op.drop_index("ix_compound_months_month")
    op.drop_table("compound_months")
