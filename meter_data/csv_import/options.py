"""What the caller tells the CSV importer (the ``import-csv`` options, minus the meter)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .text import CsvImportError

LAYOUTS = ("auto", "generic", "sce", "pge")
"""``auto`` recognises the SCE and PG&E downloads and falls back to ``generic``."""

UTILITY_TZ = "America/Los_Angeles"
"""Both Californian utilities label their downloads in Pacific time."""


@dataclass(frozen=True)
class CsvOptions:
    layout: str = "auto"
    timestamp_col: str | None = None
    value_col: str | None = None
    """Energy delivered to the customer (from the grid)."""
    received_col: str | None = None
    """Energy received from the customer (net metering), if the file has it."""
    quality_col: str | None = None
    unit: str | None = None
    """``kWh`` or ``Wh``."""
    interval_minutes: int | None = None
    timestamps: str | None = None
    """Whether the timestamp column labels the ``start`` or the ``end`` of each interval."""
    tz: str | None = None
    """IANA zone of the local times (generic: required; SCE and PG&E: Pacific by default)."""

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise CsvImportError(f"layout must be one of {', '.join(LAYOUTS)}, not {self.layout!r}")
        if self.timestamps not in (None, "start", "end"):
            raise CsvImportError(f"timestamps must be start or end, not {self.timestamps!r}")
        if self.interval_minutes is not None and not 0 < self.interval_minutes <= 1440:
            raise CsvImportError("interval minutes must be between 1 and 1440")
        if self.tz is not None:
            check_zone(self.tz)

    def missing_generic(self) -> list[str]:
        """The options a generic CSV needs that were not given, as CLI flags."""
        needed = {
            "--timestamp-col": self.timestamp_col,
            "--value-col": self.value_col,
            "--unit": self.unit,
            "--interval-minutes": self.interval_minutes,
            "--timestamps": self.timestamps,
            "--tz": self.tz,
        }
        return [flag for flag, value in needed.items() if value is None]


def check_zone(tz: str) -> str:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise CsvImportError(
            f"unknown time zone {tz!r} (use an IANA name like America/Toronto)"
        ) from None
    return tz
