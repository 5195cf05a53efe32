"""Subcommands of `python -m services`; each module has ``register(subparsers)``."""

COMMAND_MODULES = (
    "services.commands.database",
    "services.commands.ingest",
    "services.commands.report",
    "services.commands.month_reports",
    "services.commands.orders",
    "services.commands.deck",
    "services.commands.users",
    "services.commands.backup",
)
