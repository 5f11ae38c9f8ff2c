"""Meter data: local-time arithmetic and daily rollups over interval readings.

No web framework here: importers, the demo-data generator and CLI commands all
share these functions.
"""

from .bulk import bulk_insert, foreign_keys_checked_once
from .local_time import local_day_start, local_days, utc_offsets
from .rollups import DailyTotals, daily_totals, insert_daily_totals, rebuild_daily_usage

__all__ = [
    "DailyTotals",
    "bulk_insert",
    "daily_totals",
    "foreign_keys_checked_once",
    "insert_daily_totals",
    "local_day_start",
    "local_days",
    "rebuild_daily_usage",
    "utc_offsets",
]
