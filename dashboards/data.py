"""Scoped reads for the dashboards: the only way a callback turns browser input into data.

A meter id from the browser (dropdown value, query string, export link) is
untrusted: :func:`resolve_meter` looks it up through
:func:`customer_model.get_visible` with the signed-in user's scope and answers
``None`` for anything that is not theirs (or does not exist, or is not an
integer). Readings are then limited to the days the user's own accounts cover
(:func:`customer_model.usage_periods`), so after a move nobody sees the next
occupant's days. Reads go through :mod:`meter_data.queries` (daily and monthly
from the ``daily_usage`` rollup; 15-minute and hourly by primary-key range).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from customer_model import (
    DailyUsage,
    Meter,
    Permission,
    Premise,
    Scope,
    ServiceAccount,
    can,
    get_visible,
    usage_periods,
    visible_accounts,
    visible_meters,
)
from meter_data import queries
from meter_data.local_time import day_number

from .clock import local_days

Span = tuple[dt.date, dt.date]
_DAILY = DailyUsage.__table__


@dataclasses.dataclass(frozen=True)
class MeterView:
    """A meter the user may see, with what the page needs to know about it."""

    id: int
    serial: str
    place: str
    """The premise's name, or its address."""
    tz: str
    climate_region: str
    net_metered: bool
    tariff_code: str | None
    currency: str
    spans: tuple[Span, ...]
    """Local days the user may see (their accounts' dates met with the readings)."""

    @property
    def data_span(self) -> Span | None:
        if not self.spans:
            return None
        return self.spans[0][0], self.spans[-1][1]

    def visible(self, first: dt.date, last: dt.date) -> list[Span]:
        """The parts of ``first`` .. ``last`` the user may see."""
        parts = [(max(first, a), min(last, b)) for a, b in self.spans]
        return [(a, b) for a, b in parts if a <= b]


def meter_choices(session: Session, scope: Scope) -> list[tuple[int, str]]:
    """``(meter id, label)`` of every meter the user may see usage of, by place."""
    if not can(scope, Permission.VIEW_USAGE):
        return []
    rows = session.execute(
        visible_meters(scope)
        .join(Premise, Premise.id == Meter.premise_id)
        .with_only_columns(Meter.id, Meter.serial, Premise.name, Premise.address_line)
        .order_by(func.coalesce(Premise.name, Premise.address_line), Meter.serial)
    ).all()
    return [(row.id, f"{row.name or row.address_line} — meter {row.serial}") for row in rows]


def resolve_meter(session: Session, scope: Scope, raw: object) -> MeterView | None:
    """The meter ``raw`` names if the user may see its usage, else ``None`` (never raises)."""
    if not can(scope, Permission.VIEW_USAGE) or isinstance(raw, bool):
        return None
    meter = get_visible(session, scope, Meter, raw)
    if meter is None:
        return None
    premise = meter.premise
    accounts = session.scalars(
        visible_accounts(scope)
        .where(ServiceAccount.premise_id == premise.id)
        .order_by(ServiceAccount.start_date.desc())
    ).all()
    bounds = session.execute(
        select(func.min(_DAILY.c.local_date), func.max(_DAILY.c.local_date)).where(
            _DAILY.c.meter_id == meter.id
        )
    ).one()
    return MeterView(
        id=meter.id,
        serial=meter.serial,
        place=premise.name or premise.address_line,
        tz=premise.timezone,
        climate_region=premise.climate_region,
        net_metered=meter.is_net_metered,
        tariff_code=accounts[0].tariff_code if accounts else None,
        currency=accounts[0].currency if accounts else "CAD",
        spans=_spans(usage_periods(session, scope, meter), bounds[0], bounds[1]),
    )


def _spans(
    periods: list[tuple[dt.date, dt.date | None]], first: dt.date | None, last: dt.date | None
) -> tuple[Span, ...]:
    """Account periods met with the days that have rollups, merged where they touch."""
    if first is None or last is None:
        return ()
    merged: list[Span] = []
    for start, end in sorted(periods):
        a, b = max(start, first), min(end or last, last)
        if a > b:
            continue
        if merged and a <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return tuple(merged)


# --- usage ---------------------------------------------------------------------------------


def usage(
    session: Session, meter: MeterView, first: dt.date, last: dt.date, resolution: str
) -> queries.UsageSeries:
    """The meter's series over local days ``first`` .. ``last``; days not the user's are empty."""
    if resolution == "month":
        return months(usage(session, meter, first, last, "day"), first)
    series = queries.usage_series(session, meter.id, meter.tz, first, last, resolution)  # type: ignore[arg-type]
    visible = meter.visible(first, last)
    if visible == [(first, last)]:
        return series
    return _blank_outside(series, visible)


def months(days: queries.UsageSeries, first: dt.date) -> queries.UsageSeries:
    """Fold a daily series of consecutive local dates from ``first`` into calendar months.

    The same sums as :func:`meter_data.queries.months_from_days`, found from the
    dates alone (that one converts every day start back to local time).
    """
    if len(days) == 0:
        return dataclasses.replace(days, resolution="month")
    dates = np.arange(len(days)) + day_number(first)
    month = dates.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    starts = np.flatnonzero(np.r_[True, month[1:] != month[:-1]])
    start_ts = days.start_ts[starts]
    return queries.UsageSeries(
        "month",
        days.tz,
        start_ts,
        np.append(start_ts[1:], days.end_ts[-1]).astype(np.int64),
        *(
            np.add.reduceat(column, starts)
            for column in (
                days.delivered_mwh,
                days.received_mwh,
                days.reading_count,
                days.estimated_count,
            )
        ),
    )


def _blank_outside(series: queries.UsageSeries, visible: list[Span]) -> queries.UsageSeries:
    days = local_days(series.start_ts, series.tz)
    keep = np.zeros(len(series), dtype=bool)
    for first, last in visible:
        keep |= (days >= day_number(first)) & (days <= day_number(last))
    columns = {
        name: np.where(keep, getattr(series, name), 0)
        for name in ("delivered_mwh", "received_mwh", "reading_count", "estimated_count")
    }
    return dataclasses.replace(series, **columns)
