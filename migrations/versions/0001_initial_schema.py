"""initial schema: registry, submissions, ledgers, users, settings, append-only audit log

Revision ID: 0001
Revises:
Create Date: 2026-11-27 14:49:35.495382
"""

from alembic import op
import sqlalchemy as sa


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "towns",
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("lon", sa.Double(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_towns")),
        sa.UniqueConstraint("name", name=op.f("uq_towns_name")),
    )
    op.create_table(
        "compounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("town_code", sa.String(length=12), nullable=False),
        sa.Column("community", sa.String(length=60), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("lon", sa.Double(), nullable=True),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("buildings", sa.Integer(), nullable=True),
        sa.Column("year_occupied", sa.Integer(), nullable=True),
        sa.Column("compound_type", sa.String(length=8), nullable=False),
        sa.Column("branch_founded", sa.Date(), nullable=True),
        sa.Column("party_members", sa.Integer(), nullable=True),
        sa.Column("property_company", sa.String(length=100), nullable=True),
        sa.Column("owners_committee_founded", sa.Date(), nullable=True),
        sa.Column("womens_federation_founded", sa.Date(), nullable=True),
        sa.Column("volunteers", sa.Integer(), nullable=True),
        sa.Column("liaison_unit", sa.String(length=100), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "compound_type IN ('住宅','商住','安置','老旧小区')",
            name=op.f("ck_compounds_type_known"),
        ),
        sa.CheckConstraint(
            "households >= 0", name=op.f("ck_compounds_households_nonneg")
        ),
        sa.ForeignKeyConstraint(
            ["town_code"], ["towns.code"], name=op.f("fk_compounds_town_code_towns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compounds")),
        sa.UniqueConstraint("code", name=op.f("uq_compounds_code")),
    )
    with op.batch_alter_table("compounds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_compounds_town_code"), ["town_code"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=False),
        sa.Column("work_phone", sa.String(length=30), nullable=True),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("town_code", sa.String(length=12), nullable=True),
        sa.Column("compound_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("sso_subject", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "role IN ('admin','county','town','secretary')",
            name=op.f("ck_users_role_known"),
        ),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["compounds.id"],
            name=op.f("fk_users_compound_id_compounds"),
        ),
        sa.ForeignKeyConstraint(
            ["town_code"], ["towns.code"], name=op.f("fk_users_town_code_towns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("sso_subject", name=op.f("uq_users_sso_subject")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=60), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_audit_log_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_log_action"), ["action"], unique=False
        )
        batch_op.create_index("ix_audit_log_at", ["at"], unique=False)

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_settings_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("submitted_by", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("file_names", sa.String(length=500), nullable=True),
        sa.Column("file_hash", sa.String(length=64), nullable=True),
        sa.Column("row_counts", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('ledger','zero')", name=op.f("ck_submissions_kind_known")
        ),
        sa.CheckConstraint(
            "status IN ('current','superseded')",
            name=op.f("ck_submissions_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["compounds.id"],
            name=op.f("fk_submissions_compound_id_compounds"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"],
            ["users.id"],
            name=op.f("fk_submissions_submitted_by_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
        sa.UniqueConstraint(
            "compound_id", "month", "version", name="compound_month_version"
        ),
    )
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_submissions_compound_id"), ["compound_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_submissions_file_hash"), ["file_hash"], unique=False
        )
        batch_op.create_index(
            "ix_submissions_month_status", ["month", "status"], unique=False
        )

    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("activity_date", sa.Date(), nullable=False),
        sa.Column("activity_type", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisers", sa.String(length=200), nullable=True),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("volunteers", sa.Integer(), nullable=True),
        sa.Column("volunteer_hours", sa.Numeric(precision=10, scale=1), nullable=True),
        sa.Column("visited_households", sa.Integer(), nullable=True),
        sa.Column("visited_hardship_party", sa.Integer(), nullable=True),
        sa.Column("visited_hardship_residents", sa.Integer(), nullable=True),
        sa.Column("visited_disabled", sa.Integer(), nullable=True),
        sa.Column("visited_bereaved", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "participants >= 0", name=op.f("ck_activities_participants_nonneg")
        ),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["compounds.id"],
            name=op.f("fk_activities_compound_id_compounds"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_activities_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
    )
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activities_compound_id"), ["compound_id"], unique=False
        )
        batch_op.create_index(
            "ix_activities_current_month",
            ["is_current", "month", "compound_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_activities_submission_id"), ["submission_id"], unique=False
        )

    op.create_table(
        "case_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("case_no", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("category", sa.String(length=10), nullable=False),
        sa.Column("received_date", sa.Date(), nullable=False),
        sa.Column("received_month", sa.String(length=7), nullable=False),
        sa.Column("first_response_date", sa.Date(), nullable=True),
        sa.Column("closed_date", sa.Date(), nullable=True),
        sa.Column("closed_month", sa.String(length=7), nullable=True),
        sa.Column("status", sa.String(length=6), nullable=False),
        sa.Column("satisfaction", sa.String(length=6), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("days_to_first_response", sa.Integer(), nullable=True),
        sa.Column("days_to_close", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('诉求','纠纷')", name=op.f("ck_case_records_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["compounds.id"],
            name=op.f("fk_case_records_compound_id_compounds"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_case_records_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_records")),
    )
    with op.batch_alter_table("case_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_case_records_current_received",
            ["is_current", "received_month", "compound_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_case_records_entity", ["compound_id", "case_no"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_case_records_submission_id"), ["submission_id"], unique=False
        )

    op.create_table(
        "disclosures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("income_yuan", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("spending_yuan", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("disclosed_date", sa.Date(), nullable=True),
        sa.Column("channel", sa.String(length=6), nullable=True),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["compounds.id"],
            name=op.f("fk_disclosures_compound_id_compounds"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_disclosures_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosures")),
    )
    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        batch_op.create_index(
            "ix_disclosures_current_month",
            ["is_current", "month", "compound_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_disclosures_submission_id"), ["submission_id"], unique=False
        )

    op.create_table(
        "facility_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("project_no", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=10), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("unit", sa.String(length=4), nullable=False),
        sa.Column("investment_yuan", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("funding_source", sa.String(length=10), nullable=True),
        sa.Column("status", sa.String(length=4), nullable=False),
        sa.Column("started_date", sa.Date(), nullable=True),
        sa.Column("completed_date", sa.Date(), nullable=True),
        sa.Column("completed_month", sa.String(length=7), nullable=True),
        sa.CheckConstraint(
            "status IN ('计划','在建','完工')",
            name=op.f("ck_facility_records_status_known"),
        ),
        sa.CheckConstraint(
            "quantity > 0", name=op.f("ck_facility_records_quantity_pos")
        ),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["compounds.id"],
            name=op.f("fk_facility_records_compound_id_compounds"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_facility_records_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility_records")),
    )
    with op.batch_alter_table("facility_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_facility_records_current_completed",
            ["is_current", "completed_month", "compound_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_facility_records_entity", ["compound_id", "project_no"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_facility_records_submission_id"),
            ["submission_id"],
            unique=False,
        )

    op.create_table(
        "vote_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("vote_no", sa.String(length=40), nullable=False),
        sa.Column("vote_date", sa.Date(), nullable=False),
        sa.Column("vote_month", sa.String(length=7), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("matter", sa.String(length=6), nullable=False),
        sa.Column("total_households", sa.Integer(), nullable=False),
        sa.Column("participating_households", sa.Integer(), nullable=False),
        sa.Column("agree_households", sa.Integer(), nullable=False),
        sa.Column("total_area", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column(
            "participating_area", sa.Numeric(precision=12, scale=2), nullable=True
        ),
        sa.Column("agree_area", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("local_threshold", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("passes_local", sa.Boolean(), nullable=False),
        sa.Column("passes_statutory", sa.Boolean(), nullable=True),
        sa.Column("implementation", sa.String(length=4), nullable=True),
        sa.Column("implemented_date", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "agree_households <= participating_households",
            name=op.f("ck_vote_records_agree_le_part"),
        ),
        sa.CheckConstraint(
            "participating_households <= total_households",
            name=op.f("ck_vote_records_part_le_total"),
        ),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["compounds.id"],
            name=op.f("fk_vote_records_compound_id_compounds"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_vote_records_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_records")),
    )
    with op.batch_alter_table("vote_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_vote_records_current_month",
            ["is_current", "vote_month", "compound_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_vote_records_entity", ["compound_id", "vote_no"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_vote_records_submission_id"), ["submission_id"], unique=False
        )

    _make_audit_log_append_only()


APPEND_ONLY_MESSAGE = "audit_log is append-only"


def _make_audit_log_append_only() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()"
        )


def _drop_audit_log_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_refuse_change()")


def downgrade() -> None:
    _drop_audit_log_triggers()
    with op.batch_alter_table("vote_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vote_records_submission_id"))
        batch_op.drop_index("ix_vote_records_entity")
        batch_op.drop_index("ix_vote_records_current_month")

    op.drop_table("vote_records")
    with op.batch_alter_table("facility_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_facility_records_submission_id"))
        batch_op.drop_index("ix_facility_records_entity")
        batch_op.drop_index("ix_facility_records_current_completed")

    op.drop_table("facility_records")
    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disclosures_submission_id"))
        batch_op.drop_index("ix_disclosures_current_month")

    op.drop_table("disclosures")
    with op.batch_alter_table("case_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_records_submission_id"))
        batch_op.drop_index("ix_case_records_entity")
        batch_op.drop_index("ix_case_records_current_received")

    op.drop_table("case_records")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activities_submission_id"))
        batch_op.drop_index("ix_activities_current_month")
        batch_op.drop_index(batch_op.f("ix_activities_compound_id"))

    op.drop_table("activities")
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_submissions_month_status")
        batch_op.drop_index(batch_op.f("ix_submissions_file_hash"))
        batch_op.drop_index(batch_op.f("ix_submissions_compound_id"))

    op.drop_table("submissions")
    op.drop_table("settings")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_at")
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))

    op.drop_table("audit_log")
    op.drop_table("users")
    with op.batch_alter_table("compounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_compounds_town_code"))

    op.drop_table("compounds")
    op.drop_table("towns")
