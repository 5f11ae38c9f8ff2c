"""Flask CLI commands (``flask --app app <command>``): thin wrappers over services."""

from __future__ import annotations

from flask import Flask

from . import (
    agent_commands,
    billing_commands,
    csv_commands,
    database_commands,
    demo_commands,
    greenbutton_commands,
)

announce = demo_commands.announce


def init_app(app: Flask) -> None:
    """Register every command group on ``app``."""
    database_commands.register(app)
    demo_commands.register(app)
    agent_commands.register(app)
    billing_commands.register(app)
    csv_commands.register(app)
    greenbutton_commands.register(app)
