"""data versions per town

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 15:20:00

One row per town (and '*' for what every town's figures depend on: settings, month locks and
archived decks) whose ``version`` moves whenever data behind that town's figures
changes. Database triggers move it, so no write path (importer, lifecycle, orders, notes,
registry, the demo generator, a hand-written SQL repair) can forget to. Pages key their cached
figures by the versions of the towns in scope, so an import in one town leaves the other towns'
cached figures in place (see services/versions.py).

A version is the later of (old version + 1) and the current time in microseconds, so it only
ever grows and versions of different databases never meet: a restored backup brings back the
versions its data had, which are keys of figures of exactly those data.
"""

from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# How each table's row names the town whose figures it feeds; {r} is the row (NEW/OLD in SQLite,
# the transition table's alias in PostgreSQL). NULL falls back to '*' (every town).
_COMPOUND_TOWN = "(SELECT c.town_code FROM compounds c WHERE c.id = {r}.compound_id)"
_NOTE_TOWN = "COALESCE({n}.town_code, (SELECT c.town_code FROM compounds c WHERE c.id = {n}.compound_id))"
TOWN_OF = {
    "submissions": _COMPOUND_TOWN,
    "month_reports": _COMPOUND_TOWN,
    "correction_requests": _COMPOUND_TOWN,
    "compounds": "{r}.town_code",
    "supervision_orders": "{r}.town_code",
    "view_notes": _NOTE_TOWN.replace("{n}", "{r}"),
    "mentions": "(SELECT " + _NOTE_TOWN.replace("{n}", "n") + " FROM view_notes n WHERE n.id = {r}.note_id)",
    "month_locks": "NULL",
    "settings": "NULL",
    "towns": "{r}.code",
    "deck_archives": "NULL",
}
EVENTS = ("INSERT", "UPDATE", "DELETE")
SQLITE_NOW = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"
PG_NOW = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint"


def _sqlite_triggers() -> None:
    for table, town in TOWN_OF.items():
        for event in EVENTS:
            rows = ["OLD"] if event == "DELETE" else ["NEW"] if event == "INSERT" else ["OLD", "NEW"]
            body = "".join(
                "INSERT INTO data_versions (town_code, version) "
                f"VALUES (COALESCE({town.format(r=row)}, '*'), {SQLITE_NOW}) "
                "ON CONFLICT (town_code) DO UPDATE SET version = max(version + 1, excluded.version); "
                for row in rows
            )
            op.execute(f"CREATE TRIGGER data_version_{table}_{event.lower()} AFTER {event} ON {table} BEGIN {body}END")


def _pg_triggers() -> None:
    op.execute(
        "CREATE FUNCTION data_versions_bump(codes text[]) RETURNS void LANGUAGE sql AS $$ "
        f"INSERT INTO data_versions (town_code, version) SELECT code, {PG_NOW} "
        "FROM (SELECT DISTINCT unnest(codes) AS code) AS touched ORDER BY code ON CONFLICT (town_code) DO UPDATE SET "
        "version = GREATEST(data_versions.version + 1, EXCLUDED.version) $$"
    )
    for table, town in TOWN_OF.items():
        for event in EVENTS:
            tables = {"INSERT": ["new_rows"], "DELETE": ["old_rows"], "UPDATE": ["old_rows", "new_rows"]}[event]
            referencing = " ".join(f"{'OLD' if t == 'old_rows' else 'NEW'} TABLE AS {t}" for t in tables)
            towns = " UNION ".join(f"SELECT COALESCE({town.format(r='r')}, '*') FROM {t} r" for t in tables)
            name = f"data_version_{table}_{event.lower()}"
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"PERFORM data_versions_bump(ARRAY({towns})); RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )


def upgrade() -> None:
    op.create_table(
        "data_versions",
        sa.Column("town_code", sa.String(length=12), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("town_code", name=op.f("pk_data_versions")),
    )
    now = SQLITE_NOW if op.get_bind().dialect.name == "sqlite" else PG_NOW
    op.execute(f"INSERT INTO data_versions (town_code, version) SELECT code, {now} FROM towns")
    op.execute(f"INSERT INTO data_versions (town_code, version) VALUES ('*', {now})")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers()
    else:
        _pg_triggers()


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in TOWN_OF:
        for event in EVENTS:
            name = f"data_version_{table}_{event.lower()}"
            op.execute(f"DROP TRIGGER IF EXISTS {name}" + ("" if sqlite else f" ON {table}"))
            if not sqlite:
                op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    if not sqlite:
        op.execute("DROP FUNCTION IF EXISTS data_versions_bump(text[])")
    op.drop_table("data_versions")
