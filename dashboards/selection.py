"""What the customer asked the usage page for, parsed from untrusted browser values.

Every callback starts here: the meter id goes through the user's scope
(:func:`dashboards.data.resolve_meter`), the period is clipped to the days the
user may see, and anything malformed falls back to a default rather than
raising. ``None`` means "not yours, or nothing to show": callbacks answer it
with no data at all.
"""

from __future__ import annotations

import dataclasses
import re

from sqlalchemy.orm import Session

from customer_model import Scope
from meter_data.queries import RESOLUTIONS

from . import data, periods

OVERLAYS = ("previous", "last_year", "weather")
MAX_DETAILED_DAYS = 366
"""15-minute and hourly detail only for periods up to a year (longer ones show days)."""
_ID = re.compile(r"[0-9]{1,18}")


@dataclasses.dataclass(frozen=True)
class Selection:
    meter: data.MeterView
    period: periods.Period
    resolution: str
    overlays: frozenset[str]


def meter_id(raw: object) -> object:
    """A query-string id (``"12"``) as an int; anything else goes on for the scope to refuse."""
    if isinstance(raw, str) and _ID.fullmatch(raw):
        return int(raw)
    return raw


def parse(
    session: Session,
    scope: Scope,
    *,
    meter: object,
    kind: object,
    anchor: object = None,
    start: object = None,
    end: object = None,
    resolution: object = None,
    overlays: object = (),
) -> Selection | None:
    """The selection, or ``None`` when the meter is not the user's or has no visible data."""
    view = data.resolve_meter(session, scope, meter_id(meter))
    if view is None or view.data_span is None:
        return None
    period_kind = periods.parse_kind(kind)
    dates = (periods.parse_date(anchor), periods.parse_date(start), periods.parse_date(end))
    period = periods.choose(period_kind, *dates, view.data_span)
    if period is None:  # dates outside the data: show the latest period instead
        period = periods.choose(period_kind, None, None, None, view.data_span)
    if period is None:
        return None
    chosen = resolution if resolution in RESOLUTIONS else None
    if chosen is None:
        chosen = periods.default_resolution(period_kind, period.days)
    if chosen in ("15min", "hour") and period.days > MAX_DETAILED_DAYS:
        chosen = "day"
    wanted = overlays if isinstance(overlays, list | tuple) else ()
    return Selection(
        view,
        period,
        str(chosen),
        frozenset(o for o in wanted if isinstance(o, str) and o in OVERLAYS),
    )
