"""The one-line summary every import prints (CLI) or returns (web upload)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any


def iso_utc(ts: int | None) -> str | None:
    """UTC epoch seconds as ``2026-01-31T05:00:00Z``."""
    if ts is None:
        return None
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class ImportSummary:
    meter: str
    imported: int = 0
    """Readings newly stored."""
    duplicates: int = 0
    """Readings already stored with the same values, or repeated inside the file."""
    updated: int = 0
    """Readings already stored whose values the file corrects."""
    first: int | None = None
    last: int | None = None
    """Start instants (UTC epoch s) of the first and last reading in the file."""
    kwh_delivered: Decimal = Decimal(0)
    kwh_received: Decimal = Decimal(0)
    gaps: int = 0
    skipped_series: list[dict[str, Any]] = field(default_factory=list)
    """Series that are not electricity energy (gas, water, temperature …), reported only."""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["first"], data["last"] = iso_utc(self.first), iso_utc(self.last)
        data["kwh_delivered"] = _decimal_text(self.kwh_delivered)
        data["kwh_received"] = _decimal_text(self.kwh_received)
        if not self.skipped_series:
            data.pop("skipped_series")
        if not self.updated:
            data.pop("updated")
        return data

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False)


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value else "0"
    return text
