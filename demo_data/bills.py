"""Demo bills: a hook for the billing issue, empty until the calculator exists.

The loader already calls :func:`generate_bills`, so once the billing issue
fills it, every demo database gets bills with no other change.
"""

from __future__ import annotations

from sqlalchemy import Connection

from .generator import DemoData


def generate_bills(connection: Connection, data: DemoData, meter_ids: dict[str, int]) -> int:
    """Filled by the billing issue: bill every demo account over the window.

    Does nothing yet and returns the number of bills written (0).
    """
    del connection, data, meter_ids
    return 0
