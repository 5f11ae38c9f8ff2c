"""Green Button hook for the demo, empty until the meter-data importer lands."""

from __future__ import annotations

from sqlalchemy import Connection

from .generator import DemoData


def greenbutton_hook(connection: Connection, data: DemoData) -> int:
    """Imports ../shared-copy Green Button file for one demo customer once meter_data
    import lands (issue 4).

    Does nothing yet and returns the number of readings imported (0).
    """
    del connection, data
    return 0
