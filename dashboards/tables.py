"""The data tables behind the charts (their text equivalent), as Dash html components.

Each table has a caption and header cells with ``scope`` like the portal's
tables. A chart with more buckets than :data:`MAX_ROWS` is tabulated one
resolution coarser (15-minute → hour → day → month), so the table stays
readable and the callback's payload small; the CSV export has every reading.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from dash import html

from meter_data import queries

from .takeaways import percent_text

MAX_ROWS = 62
COARSER = {"15min": "hour", "hour": "day", "day": "month"}
_FORMAT = {"15min": "%Y-%m-%d %H:%M", "hour": "%Y-%m-%d %H:%M", "day": "%a %Y-%m-%d"}
_FORMAT["month"] = "%B %Y"


def table_resolution(resolution: str, buckets: int) -> str:
    """``resolution``, or coarser ones until the table has at most :data:`MAX_ROWS` rows."""
    days_per = {"15min": 1 / 96, "hour": 1 / 24, "day": 1.0, "month": 30.4}
    days = buckets * days_per[resolution]
    while resolution in COARSER and days / days_per[resolution] > MAX_ROWS:
        resolution = COARSER[resolution]
    return resolution


def _kwh(mwh: int) -> str:
    return f"{mwh / 1e6:,.3f}"


def usage_table(series: queries.UsageSeries, show_received: bool, caption: str) -> html.Table:
    """One row per bucket: delivered, received and net kWh (a gap says "no data")."""
    headers = ["When", "From the grid (kWh)"]
    if show_received:
        headers += ["Sent to the grid (kWh)", "Net (kWh)"]
    rows = []
    starts = series.local_starts()
    for index, start in enumerate(starts):
        when = start.strftime(_FORMAT[series.resolution])
        if series.reading_count[index] == 0:
            cells = [html.Td("no data", colSpan=len(headers) - 1)]
        else:
            delivered, received = int(series.delivered_mwh[index]), int(series.received_mwh[index])
            cells = [html.Td(_kwh(delivered), className="num")]
            if show_received:
                cells += [
                    html.Td(_kwh(received), className="num"),
                    html.Td(_kwh(delivered - received), className="num"),
                ]
        rows.append(html.Tr([html.Th(when, scope="row"), *cells]))
    return _table(caption, headers, rows)


def tou_table(shares: Sequence[tuple[str, int, float, str | None, float | None]], caption: str):  # type: ignore[no-untyped-def]
    """Rows of ``(label, mWh, use %, cost text, cost %)``."""
    rows = [
        html.Tr(
            [
                html.Th(label, scope="row"),
                html.Td(_kwh(mwh), className="num"),
                html.Td(percent_text(use), className="num"),
                html.Td(cost or "—", className="num"),
                html.Td(percent_text(share) if share is not None else "—", className="num"),
            ]
        )
        for label, mwh, use, cost, share in shares
    ]
    headers = ["Period", "Use (kWh)", "Share of use", "Energy cost", "Share of cost"]
    return _table(caption, headers, rows)


def week_table(pattern: np.ndarray | None, caption: str):  # type: ignore[no-untyped-def]
    """Typical kWh by hour (rows) and weekday (columns)."""
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    rows = []
    for hour in range(24):
        cells = [
            html.Td("—" if pattern is None or np.isnan(v) else f"{v:.2f}", className="num")
            for v in (pattern[:, hour] if pattern is not None else [np.nan] * 7)
        ]
        rows.append(html.Tr([html.Th(f"{hour:02d}:00", scope="row"), *cells]))
    return _table(caption, ["Hour", *days], rows)


def _table(caption: str, headers: list[str], rows: list[html.Tr]) -> html.Table:
    return html.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(text, scope="col") for text in headers])),
            html.Tbody(rows),
        ],
        className="data-table",
    )
