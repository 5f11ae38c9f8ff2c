"""Plotly figures for the usage page: pure functions from numbers to ``go.Figure``.

* Colours are Okabe–Ito (distinguishable with every common colour-vision
  deficiency), and no trace relies on colour alone: comparisons are dashed or
  dotted, and stacked shares carry their percentages as text.
* The x axis is local wall-clock time sent as epoch milliseconds "as if UTC",
  so Plotly shows the premise's clock whatever the browser's zone, and the
  numbers travel as compact base64 arrays.
* No trace carries more than :data:`MAX_POINTS` points: longer series are
  reduced with MinMaxLTTB (tsdownsample), which keeps every peak and dip, and
  the page asks for the detail again when the customer zooms in.
* SVG traces only: ``scattergl`` would need ``'unsafe-eval'`` in the CSP.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from tsdownsample import MinMaxLTTBDownsampler

from meter_data.queries import UsageSeries

from .clock import utc_offsets

MAX_POINTS = 2_000
"""Most points one trace sends to the browser."""

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
PERIOD_COLOURS = {
    "off_peak": OKABE_ITO["bluish_green"],
    "ultra_low": OKABE_ITO["blue"],
    "mid_peak": OKABE_ITO["orange"],
    "on_peak": OKABE_ITO["vermillion"],
    "tier1": OKABE_ITO["sky_blue"],
    "tier2": OKABE_ITO["blue"],
    "flat": OKABE_ITO["sky_blue"],
}
UNITS = {"15min": "kWh per 15 minutes", "hour": "kWh per hour", "day": "kWh per day"}
UNITS["month"] = "kWh per month"
_STEP_S = {"15min": 900, "hour": 3600}
_FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 14}
_DOWNSAMPLER = MinMaxLTTBDownsampler()


@dataclasses.dataclass(frozen=True)
class Overlay:
    """A comparison series drawn over the current one, bucket by bucket."""

    name: str
    series: UsageSeries
    dash: str
    colour: str


@dataclasses.dataclass(frozen=True)
class Temperature:
    """Weather on the second axis: degree days per bucket, or hourly °C."""

    x_ms: np.ndarray
    heating: np.ndarray | None = None
    cooling: np.ndarray | None = None
    celsius: np.ndarray | None = None


def wall_ms(start_ts: np.ndarray, tz: str) -> np.ndarray:
    """UTC epoch seconds → local wall-clock epoch milliseconds (float64)."""
    ts = np.asarray(start_ts, dtype=np.int64)
    return ((ts + utc_offsets(ts, tz)) * 1000).astype(np.float64)


def reduce(x: np.ndarray, y: np.ndarray, limit: int = MAX_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """At most ``limit`` points of ``(x, y)``, peaks and dips kept (MinMaxLTTB)."""
    if len(x) <= limit:
        return x, y
    index = _DOWNSAMPLER.downsample(x, y, n_out=limit)
    return x[index], y[index]


def per_bucket(series: UsageSeries, mwh: np.ndarray, shown: str) -> np.ndarray:
    """kWh per bucket, float64 (exact to the mWh), NaN for gaps.

    A daily series shown at 15 minutes or hourly is scaled to the day's average
    per bucket (23-, 24- and 25-hour days alike).
    """
    kwh = mwh / 1e6
    step = _STEP_S.get(shown)
    if series.resolution == "day" and step is not None:
        kwh = kwh * step / np.maximum(series.end_ts - series.start_ts, 1)
    return np.where(series.reading_count == 0, np.nan, kwh)


def _line(name: str, x: np.ndarray, y: np.ndarray, bars: bool, **style: object) -> go.BaseTraceType:
    if bars:
        return go.Bar(name=name, x=x, y=y, marker_color=style.pop("colour"), **style)
    x, y = reduce(x, y)
    return go.Scatter(
        name=name, x=x, y=y, mode="lines", line={"color": style.pop("colour"), **style}
    )


def usage_figure(
    series: UsageSeries,
    *,
    shown: str | None = None,
    overlays: Sequence[Overlay] = (),
    temperature: Temperature | None = None,
    show_received: bool = False,
    x_range: tuple[str, str] | None = None,
    revision: str = "",
) -> go.Figure:
    """Delivered (and received, and net) energy per bucket, with comparisons and weather.

    ``shown`` is the resolution the customer chose (default: the series'); a daily
    series shown at 15 minutes or hourly is the overview of a long period.
    """
    shown = shown or series.resolution
    bars = shown in ("day", "month")
    x = wall_ms(series.start_ts, series.tz)
    delivered = per_bucket(series, series.delivered_mwh, shown)
    traces = [_line("From the grid", x, delivered, bars, colour=OKABE_ITO["blue"])]
    if show_received:
        received = -per_bucket(series, series.received_mwh, shown)
        net = delivered + received
        traces.append(
            _line("Sent to the grid (solar)", x, received, bars, colour=OKABE_ITO["orange"])
        )
        net_x, net_y = reduce(x, net)
        traces.append(
            go.Scatter(
                name="Net",
                x=net_x,
                y=net_y,
                mode="lines+markers" if bars else "lines",
                line={"color": OKABE_ITO["black"], "width": 2},
                marker={"size": 5},
            )
        )
    for overlay in overlays:
        size = min(len(overlay.series), len(x))
        then = overlay.series
        values = per_bucket(then, then.delivered_mwh, shown)[:size].astype(np.float32)
        ox, oy = reduce(x[:size], values)
        traces.append(
            go.Scatter(
                name=overlay.name,
                x=ox,
                y=oy,
                mode="lines",
                line={"color": overlay.colour, "dash": overlay.dash, "width": 2},
            )
        )
    if temperature is not None:
        traces += _weather_traces(temperature)
    overview = series.resolution == "day" and shown in _STEP_S
    title = UNITS[shown] + (" (average of each day)" if overview else "")
    return go.Figure(traces, layout=_layout(title, temperature, x_range, revision))


def _weather_traces(temperature: Temperature) -> list[go.BaseTraceType]:
    traces = []
    x = temperature.x_ms
    for name, values, colour, dash in (
        ("Heating degree days", temperature.heating, OKABE_ITO["sky_blue"], "dashdot"),
        ("Cooling degree days", temperature.cooling, OKABE_ITO["vermillion"], "longdash"),
        ("Outdoor temperature (°C)", temperature.celsius, OKABE_ITO["reddish_purple"], "dot"),
    ):
        if values is None or not np.nan_to_num(values).any():
            continue
        tx, ty = reduce(x, values.astype(np.float32))
        traces.append(
            go.Scatter(
                name=name,
                x=tx,
                y=ty,
                yaxis="y2",
                mode="lines+markers" if len(tx) <= 62 else "lines",
                line={"color": colour, "dash": dash, "width": 2},
                marker={"symbol": "diamond", "size": 6},
            )
        )
    return traces


def _layout(
    y_title: str,
    temperature: Temperature | None,
    x_range: tuple[str, str] | None,
    revision: str,
) -> go.Layout:
    xaxis: dict[str, object] = {"type": "date", "showgrid": False}
    if x_range is not None:
        xaxis["range"] = list(x_range)
    layout = go.Layout(
        template="none",
        font=_FONT,
        height=420,
        margin={"l": 60, "r": 60 if temperature else 20, "t": 10, "b": 40},
        barmode="relative",
        bargap=0.15,
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.15},
        xaxis=xaxis,
        yaxis={"title": {"text": y_title}, "zeroline": True},
        uirevision=revision,
        separators=".,",
    )
    if temperature is not None:
        title = "°C" if temperature.celsius is not None else "degree days"
        layout.update(yaxis2={"title": {"text": title}, "overlaying": "y", "side": "right"})
    return layout


def heatmap_figure(pattern: np.ndarray | None) -> go.Figure:
    """Typical kWh in each hour of the week (weekday rows × hour columns)."""
    z = np.full((7, 24), np.nan) if pattern is None else np.round(pattern, 3)
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[f"{hour:02d}:00" for hour in range(24)],
            y=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            colorscale="Cividis",
            colorbar={"title": {"text": "kWh"}},
            hovertemplate="%{y} %{x}: %{z:.2f} kWh<extra></extra>",
            xgap=1,
            ygap=1,
        ),
        layout=go.Layout(
            template="none",
            font=_FONT,
            height=300,
            margin={"l": 50, "r": 20, "t": 10, "b": 40},
            yaxis={"autorange": "reversed"},
            xaxis={"dtick": 3},
        ),
    )
    return figure


def tou_figure(shares: Sequence[tuple[str, str, float, float | None]]) -> go.Figure:
    """Two 100 % bars, use and energy cost, split by price period (``period, label, %, %``)."""
    rows = ["Use (kWh)", "Energy cost"]
    traces = []
    for period, label, use, cost in shares:
        values = [use, cost if cost is not None else np.nan]
        traces.append(
            go.Bar(
                name=label,
                y=rows,
                x=values,
                orientation="h",
                marker={"color": PERIOD_COLOURS.get(period, OKABE_ITO["sky_blue"])},
                marker_line={"color": "#ffffff", "width": 1},
                text=[f"{v:.0f}%" if np.isfinite(v) else "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate=f"{label}: %{{x:.1f}}%<extra></extra>",
            )
        )
    return go.Figure(
        traces,
        layout=go.Layout(
            template="none",
            font=_FONT,
            height=200,
            barmode="stack",
            margin={"l": 110, "r": 20, "t": 10, "b": 30},
            xaxis={"range": [0, 100], "ticksuffix": "%"},
            yaxis={"autorange": "reversed"},
            legend={"orientation": "h", "y": -0.3},
        ),
    )
