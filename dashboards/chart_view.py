"""The usage chart of a :class:`~dashboards.selection.Selection`: figure, takeaway, table, links.

Reads: the period's daily rollups (totals, comparisons and the takeaway come
from ``daily_usage`` whatever the chart's resolution), the chart series at its
resolution, the same for the comparison periods when they are overlaid, and
the region's hourly temperatures for degree days.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlencode

import numpy as np
import plotly.graph_objects as go
from dash import html
from sqlalchemy.orm import Session

from meter_data.queries import UsageSeries, local_range

from . import data, figures, insights, periods, tables, takeaways, weather
from .selection import Selection

COMPARISONS = (
    ("last_year", "Same period last year", figures.OKABE_ITO["bluish_green"], "dot"),
    ("previous", "Previous period", figures.OKABE_ITO["reddish_purple"], "dash"),
)
RAW_DAYS = 62
"""Longest stretch read as individual readings for one chart (~6,000 quarter-hours)."""
Window = tuple[dt.date, dt.date]


@dataclasses.dataclass(frozen=True)
class Compared:
    period: periods.Period
    days: UsageSeries
    change: insights.Change | None


@dataclasses.dataclass(frozen=True)
class Chart:
    title: str
    figure: go.Figure
    takeaway: str
    summary: list[tuple[str, str]]
    table: html.Table
    exports: dict[str, str]


def build(session: Session, sel: Selection) -> Chart:
    """Everything the usage section shows for ``sel``."""
    meter, period = sel.meter, sel.period
    days = data.usage(session, meter, period.first, period.last, "day")
    compared: dict[str, Compared | None] = {}
    for name, *_ in COMPARISONS:
        compared[name] = _compare(session, sel, name, days, compared.values())
    change = next((c.change for c in compared.values() if c and c.change), None)
    weather = _weather(session, sel, days, compared[change.name]) if change else None
    delivered, received = days.total_delivered_mwh, days.total_received_mwh
    title = periods.label(period)
    return Chart(
        title=title[0].upper() + title[1:],
        figure=chart_figure(session, sel, days=days, compared=compared),
        takeaway=takeaways.usage(period, delivered, received, change, weather),
        summary=_summary(sel, days, compared),
        table=_table(session, sel, days),
        exports={fmt: export_url(sel, fmt) for fmt in ("csv", "xml")},
    )


def chart_figure(
    session: Session,
    sel: Selection,
    *,
    days: UsageSeries | None = None,
    compared: dict[str, Compared | None] | None = None,
    window: Window | None = None,
    x_range: tuple[str, str] | None = None,
) -> go.Figure:
    """The chart over ``window`` (default: the whole period), comparisons aligned bucket by bucket.

    15-minute and hourly charts of more than :data:`RAW_DAYS` days start as an
    overview from the daily rollups (each day's average per 15 minutes or per
    hour); zooming in to :data:`RAW_DAYS` days or fewer brings every reading.
    """
    meter, period = sel.meter, sel.period
    first, last = window or (period.first, period.last)
    if window is not None and (last - first).days + 1 > RAW_DAYS:
        first, last = period.first, period.last  # still an overview: keep the zoom, send it all
    if (first, last) != (period.first, period.last):
        days, compared = None, None
    series = _series(session, sel, first, last, days)
    overlays, drawn = [], set()
    for name, legend, colour, dash in COMPARISONS:
        other = periods.shifted(period, name)  # type: ignore[arg-type]
        if name not in sel.overlays or (other.first, other.last) in drawn:
            continue
        drawn.add((other.first, other.last))
        back = period.first - other.first
        other_first, other_last = first - back, min(last - back, other.last)
        known = (compared or {}).get(name)
        if other_first <= other_last:
            reuse = known.days if known is not None else None
            other_series = _series(session, sel, other_first, other_last, reuse)
            label = f"{legend} ({periods.label(other).removesuffix(' (so far)')})"
            overlays.append(figures.Overlay(label, other_series, dash, colour))
    weather = _temperature(session, sel, series, first, last) if "weather" in sel.overlays else None
    return figures.usage_figure(
        series,
        shown=sel.resolution,
        overlays=overlays,
        temperature=weather,
        show_received=meter.net_metered or bool(series.received_mwh.any()),
        x_range=x_range,
        revision=f"{meter.id}/{period.first}/{period.last}/{sel.resolution}",
    )


def needs_refine(sel: Selection) -> bool:
    """True when the full-period chart is an overview or downsampled (zooming brings detail)."""
    per_day = {"15min": 96, "hour": 24}.get(sel.resolution)
    if per_day is None:
        return False
    return sel.period.days > RAW_DAYS or sel.period.days * per_day > figures.MAX_POINTS


def _series(
    session: Session, sel: Selection, first: dt.date, last: dt.date, days: UsageSeries | None
) -> UsageSeries:
    """The chart series: rollups for days, months and long overviews; readings otherwise."""
    overview = (last - first).days + 1 > RAW_DAYS
    if sel.resolution in ("day", "month") or overview:
        days = days if days is not None else data.usage(session, sel.meter, first, last, "day")
        return data.months(days, first) if sel.resolution == "month" else days
    return data.usage(session, sel.meter, first, last, sel.resolution)


def _compare(
    session: Session,
    sel: Selection,
    name: str,
    days: UsageSeries,
    earlier: Iterable[Compared | None],
) -> Compared | None:
    """The comparison period's days, unless it cannot have enough data to compare."""
    other = periods.shifted(sel.period, name)  # type: ignore[arg-type]
    visible = sum((b - a).days + 1 for a, b in sel.meter.visible(other.first, other.last))
    if visible < insights.COVERAGE * sel.period.days:
        return None  # mostly before the data (or another occupant's days): nothing to compare
    if any(c and (c.period.first, c.period.last) == (other.first, other.last) for c in earlier):
        return None  # a year's "previous period" is last year: compared once
    then = data.usage(session, sel.meter, other.first, other.last, "day")
    return Compared(other, then, insights.compare(days, then, name, other))


def _weather(
    session: Session, sel: Selection, days: UsageSeries, other: Compared | None
) -> insights.Weather | None:
    if other is None:
        return None
    meter = sel.meter
    now_c = weather.daily_mean(session, meter.climate_region, meter.tz, *_dates(sel.period))
    then_c = weather.daily_mean(session, meter.climate_region, meter.tz, *_dates(other.period))
    return insights.weather_effect(_daily_kwh(days), now_c, _daily_kwh(other.days), then_c)


def _dates(period: periods.Period) -> tuple[dt.date, dt.date]:
    return period.first, period.last


def _daily_kwh(days: UsageSeries) -> np.ndarray:
    return np.where(days.reading_count > 0, days.delivered_mwh / 1e6, np.nan)


def _temperature(
    session: Session, sel: Selection, series: UsageSeries, first: dt.date, last: dt.date
) -> figures.Temperature:
    meter = sel.meter
    if series.resolution in ("15min", "hour"):
        lo, hi = local_range(first, last, meter.tz)
        ts, celsius = weather.hourly_temperature(session, meter.climate_region, lo, hi)
        return figures.Temperature(figures.wall_ms(ts, meter.tz), celsius=celsius)
    means = weather.daily_mean(session, meter.climate_region, meter.tz, first, last)
    heating, cooling = insights.degree_days(means)
    if series.resolution == "month":
        months = np.array([(first + dt.timedelta(days=i)).month for i in range(len(heating))])
        starts = np.flatnonzero(np.r_[True, months[1:] != months[:-1]])
        heating, cooling = np.add.reduceat(heating, starts), np.add.reduceat(cooling, starts)
    x = figures.wall_ms(series.start_ts, meter.tz)
    return figures.Temperature(x, heating=np.round(heating, 1), cooling=np.round(cooling, 1))


def _summary(
    sel: Selection, days: UsageSeries, compared: dict[str, Compared | None]
) -> list[tuple[str, str]]:
    delivered, received = days.total_delivered_mwh, days.total_received_mwh
    rows = [("From the grid", takeaways.kwh_text(delivered))]
    if sel.meter.net_metered or received:
        rows += [
            ("Sent to the grid", takeaways.kwh_text(received)),
            ("Net", takeaways.kwh_text(delivered - received)),
        ]
    for name, legend, *_ in COMPARISONS:
        found = compared.get(name)
        if found is None or found.change is None or found.change.percent is None:
            continue
        change = found.change
        sign = "+" if change.change_mwh >= 0 else "−"
        rows.append(
            (
                f"{legend} ({periods.span(found.period.first, found.period.last)})",
                f"{takeaways.kwh_text(change.then_mwh)}; change {sign}"
                f"{takeaways.kwh_text(abs(change.change_mwh))} "
                f"({sign}{takeaways.percent_text(change.percent)})",
            )
        )
    return rows


def _table(session: Session, sel: Selection, days: UsageSeries) -> html.Table:
    period = sel.period
    buckets = {"15min": period.days * 96, "hour": period.days * 24, "day": period.days}
    resolution = tables.table_resolution(sel.resolution, buckets.get(sel.resolution, 12))
    if resolution in ("day", "month"):
        series = days if resolution == "day" else data.months(days, period.first)
    else:
        series = data.usage(session, sel.meter, period.first, period.last, resolution)
    units = {"15min": "15 minutes", "hour": "hour", "day": "day", "month": "month"}
    caption = f"Usage per {units[resolution]}, {periods.span(period.first, period.last)}"
    show_received = sel.meter.net_metered or bool(days.received_mwh.any())
    return tables.usage_table(series, show_received, caption)


def export_url(sel: Selection, fmt: str) -> str:
    """Download link of the period's readings (the route checks the scope again)."""
    query = {"meter": sel.meter.id, "from": sel.period.first, "to": sel.period.last}
    return f"/dashboards/export/{fmt}?{urlencode(query)}"


def zoom_window(sel: Selection, relayout: object) -> tuple[Window, tuple[str, str]] | None:
    """The local days a Plotly zoom (``relayoutData``) covers, clipped to the period."""
    if not isinstance(relayout, dict):
        return None
    ends = relayout.get("xaxis.range")
    if not isinstance(ends, list):
        ends = [relayout.get("xaxis.range[0]"), relayout.get("xaxis.range[1]")]
    if len(ends) != 2 or not all(isinstance(e, str) and len(e) <= 32 for e in ends):
        return None
    try:
        start, end = (dt.datetime.fromisoformat(e.replace(" ", "T")) for e in ends)
    except ValueError:
        return None
    start, end = min(start, end), max(start, end)
    if end > start and end.time() == dt.time():  # ends at midnight: that day is not shown
        end -= dt.timedelta(microseconds=1)
    first, last = max(sel.period.first, start.date()), min(sel.period.last, end.date())
    return ((first, last), (ends[0], ends[1])) if first <= last else None
