"""Figure builders (pure Plotly): point budget, colours, units, and what the browser receives."""

from __future__ import annotations

import base64
import datetime as dt
import json

import numpy as np
import plotly.graph_objects as go
import pytest
from dash._utils import to_json

from dashboards import figures
from meter_data.local_time import local_day_start
from meter_data.queries import UsageSeries

TZ = "America/Toronto"
SPRING_FORWARD = local_day_start(dt.date(2026, 3, 8), TZ)


def series(resolution: str, size: int, step: int, start: int = 1_767_243_600) -> UsageSeries:
    rng = np.random.default_rng(7)
    starts = start + np.arange(size, dtype=np.int64) * step
    delivered = rng.integers(0, 900_000, size).astype(np.int64)
    received = rng.integers(0, 300_000, size).astype(np.int64)
    count = np.ones(size, dtype=np.int64)
    if size > 5:
        count[5] = 0  # a gap
        delivered[5] = received[5] = 0
    return UsageSeries(
        resolution, TZ, starts, starts + step, delivered, received, count, np.zeros_like(count)
    )


def values(trace: dict) -> np.ndarray:
    """A trace's y values as the browser decodes them (typed array spec or list)."""
    y = trace["y"]
    if isinstance(y, dict):
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=np.dtype(y["dtype"]))
    return np.array(y, dtype=float)


def test_a_year_of_quarter_hours_is_reduced_to_the_point_budget_keeping_the_peak():
    year = series("15min", 35_040, 900)
    year.delivered_mwh[20_000] = 5_000_000  # one 5 kWh quarter-hour
    figure = figures.usage_figure(year, show_received=True)
    payload = json.loads(to_json(figure))
    for trace in payload["data"]:
        assert len(values(trace)) <= figures.MAX_POINTS
    grid = values(payload["data"][0])
    assert np.nanmax(grid) == pytest.approx(5.0)  # MinMaxLTTB keeps extremes
    assert len(to_json(figure)) < 300_000


def test_days_are_bars_exact_to_the_milliwatt_hour_with_gaps_as_gaps():
    month = series("day", 31, 86_400)
    figure = figures.usage_figure(month, show_received=True)
    grid, solar, net = figure.data[:3]
    assert grid.type == solar.type == "bar"
    assert net.type == "scatter"
    y = np.asarray(grid.y)
    assert np.isnan(y[5])
    assert round(np.nansum(y) * 1e6) == month.total_delivered_mwh
    assert np.nansum(np.asarray(solar.y)) <= 0  # received is drawn below the axis
    assert grid.marker.color == figures.OKABE_ITO["blue"]
    assert solar.marker.color == figures.OKABE_ITO["orange"]
    assert figure.layout.yaxis.title.text == "kWh per day"


def test_a_long_quarter_hour_overview_shows_each_days_average_per_quarter_hour():
    days = series("day", 3, 86_400, start=SPRING_FORWARD - 86_400)
    days.end_ts[1] = days.start_ts[1] + 23 * 3600  # the 23-hour day
    figure = figures.usage_figure(days, shown="15min")
    y = np.asarray(figure.data[0].y)
    assert figure.data[0].type == "scatter"
    assert y[1] == pytest.approx(days.delivered_mwh[1] / 1e6 / 92)
    assert figure.layout.yaxis.title.text == "kWh per 15 minutes (average of each day)"


def test_x_is_the_premise_wall_clock():
    day = series("hour", 24, 3600, start=SPRING_FORWARD)
    x = figures.wall_ms(day.start_ts, TZ)
    assert x[0] == (SPRING_FORWARD - 5 * 3600) * 1000  # local midnight, EST
    assert x[2] - x[1] == 2 * 3600 * 1000  # 02:00 does not exist: 01:00 EST then 03:00 EDT


def test_comparisons_are_told_apart_without_colour():
    now, then = series("day", 31, 86_400), series("day", 28, 86_400)
    overlays = [
        figures.Overlay("Last year", then, "dot", figures.OKABE_ITO["bluish_green"]),
        figures.Overlay("Before", then, "dash", figures.OKABE_ITO["reddish_purple"]),
    ]
    weather = figures.Temperature(figures.wall_ms(now.start_ts, TZ), heating=np.arange(31.0))
    figure = figures.usage_figure(now, overlays=overlays, temperature=weather)
    dashes = {trace.name: trace.line.dash for trace in figure.data if trace.type == "scatter"}
    assert dashes == {"Last year": "dot", "Before": "dash", "Heating degree days": "dashdot"}
    assert len(figure.data[1].x) == 28  # a shorter month overlays its own days only
    assert figure.data[-1].yaxis == "y2"
    assert figure.layout.yaxis2.title.text == "degree days"


def test_every_colour_is_okabe_ito():
    palette = set(figures.OKABE_ITO.values())
    assert set(figures.PERIOD_COLOURS.values()) <= palette
    figure = figures.tou_figure([("on_peak", "On-peak", 20.0, 30.0), ("off_peak", "Off", 80, 70)])
    assert {trace.marker.color for trace in figure.data} <= palette
    assert [trace.text for trace in figure.data] == [("20%", "30%"), ("80%", "70%")]


def test_heatmap_uses_a_colour_blind_safe_scale_and_handles_no_data():
    figure = figures.heatmap_figure(None)
    assert np.isnan(np.asarray(figure.data[0].z, dtype=float)).all()
    pattern = np.arange(168, dtype=float).reshape(7, 24)
    heat = figures.heatmap_figure(pattern).data[0]
    assert heat.colorscale == go.Heatmap(colorscale="Cividis").colorscale
    assert list(heat.y) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
