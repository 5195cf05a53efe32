"""an index for cases open on a day

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 15:50:00

"Open on a day" (received by then, not closed by then) is asked by 诉求与纠纷, 预警, the deck and
the per-compound tables for the period's last day. Without an index on the closing date every
current case ever reported is read; with (is_current, closed_date) only the cases still open and
those closed after the day are (at prefecture scale on SQLite: 0.31 s → 0.03 s per question).
"""

from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_case_records_open", "case_records", ["is_current", "closed_date"])


def downgrade() -> None:
    op.drop_index("ix_case_records_open", table_name="case_records")
