"""Subcommands of `python -m services`; each module has ``register(subparsers)``."""

COMMAND_MODULES = (
    "services.commands.database",
    "services.commands.report",
    "services.commands.users",
)
