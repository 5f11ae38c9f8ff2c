"""Usage page: one meter's use over a period, compared, explained and downloadable.

Thin on purpose: the layout, and callbacks that hand the browser's values to
:mod:`dashboards.selection` (scope, clipping) and return what
:mod:`dashboards.chart_view` / :mod:`dashboards.habits_view` build. A value the
user may not see (another customer's meter id in a forged request) ends the
callback with no update: the response carries no data.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx, html
from dash.exceptions import PreventUpdate

from auth.scoping import current_scope
from customer_model import Session
from dashboards import chart_view, data, habits_view, periods, selection
from dashboards import usage_layout as ui

dash.register_page(__name__, path="/usage", name="Usage", title="My usage", order=1)

CONTROLS = [
    Input("usage-meter", "value"),
    Input("usage-range", "value"),
    Input("usage-anchor", "value"),
    Input("usage-from", "value"),
    Input("usage-to", "value"),
]
CHART = [*CONTROLS, Input("usage-resolution", "value"), Input("usage-overlays", "value")]


def layout(meter: str | None = None, **_query: str):  # type: ignore[no-untyped-def]
    session, scope = Session(), current_scope()
    choices = data.meter_choices(session, scope)
    sel = None
    for candidate in ([meter] if meter else []) + [c[0] for c in choices[:1]]:
        sel = selection.parse(session, scope, meter=candidate, kind="month")
        if sel is not None:
            break
    if sel is None:
        return html.Div(
            [html.H1("My usage"), html.P("There is no usage to show yet.")], id="usage-page"
        )
    first, last = sel.meter.data_span or (sel.period.first, sel.period.last)
    return html.Div(
        [
            html.H1("My usage"),
            html.P(ui.place(sel.meter), id="usage-place", className="usage-place"),
            ui.controls(choices, sel, first.isoformat(), last.isoformat()),
            ui.usage_section(),
            ui.habits_section(),
        ],
        id="usage-page",
    )


def _selection(meter, kind, anchor, start, end, resolution=None, overlays=()):  # type: ignore[no-untyped-def]
    found = selection.parse(
        Session(),
        current_scope(),
        meter=meter,
        kind=kind,
        anchor=anchor,
        start=start,
        end=end,
        resolution=resolution,
        overlays=overlays,
    )
    if found is None:  # not this user's meter (or nothing to show): send nothing
        raise PreventUpdate
    return found


@callback(
    Output("usage-title", "children"),
    Output("usage-main-takeaway", "children"),
    Output("usage-summary", "children"),
    Output("usage-main-graph", "figure"),
    Output("usage-main-table", "children"),
    Output("usage-csv", "href"),
    Output("usage-xml", "href"),
    *CHART,
)
def update_usage(meter, kind, anchor, start, end, resolution, overlays):  # type: ignore[no-untyped-def]
    chart = chart_view.build(
        Session(), _selection(meter, kind, anchor, start, end, resolution, overlays)
    )
    summary = [part for term, value in chart.summary for part in (html.Dt(term), html.Dd(value))]
    exports = chart.exports
    return (
        chart.title,
        chart.takeaway,
        summary,
        chart.figure,
        chart.table,
        exports["csv"],
        exports["xml"],
    )


@callback(
    Output("usage-main-graph", "figure", allow_duplicate=True),
    Input("usage-main-graph", "relayoutData"),
    *[State(i.component_id, i.component_property) for i in CHART],
    prevent_initial_call=True,
)
def refine_usage(relayout, meter, kind, anchor, start, end, resolution, overlays):  # type: ignore[no-untyped-def]
    """Zooming into a long 15-minute or hourly chart fetches the detail of the zoomed days."""
    sel = _selection(meter, kind, anchor, start, end, resolution, overlays)
    if not chart_view.needs_refine(sel):
        raise PreventUpdate  # the chart already has every bucket
    if isinstance(relayout, dict) and relayout.get("xaxis.autorange"):
        return chart_view.chart_figure(Session(), sel)
    zoom = chart_view.zoom_window(sel, relayout)
    if zoom is None:
        raise PreventUpdate
    window, x_range = zoom
    return chart_view.chart_figure(Session(), sel, window=window, x_range=x_range)


@callback(
    Output("usage-tou-graph", "figure"),
    Output("usage-tou-takeaway", "children"),
    Output("usage-tou-table", "children"),
    Output("usage-week-graph", "figure"),
    Output("usage-week-takeaway", "children"),
    Output("usage-week-table", "children"),
    Output("usage-baseload", "children"),
    Output("usage-peak", "children"),
    *CONTROLS,
)
def update_habits(meter, kind, anchor, start, end):  # type: ignore[no-untyped-def]
    habits = habits_view.build(Session(), _selection(meter, kind, anchor, start, end))
    return (
        habits.tou_figure,
        habits.tou_takeaway,
        habits.tou_table,
        habits.week_figure,
        habits.week_takeaway,
        habits.week_table,
        habits.baseload,
        habits.peak,
    )


@callback(
    Output("usage-resolution", "value"),
    Output("usage-custom", "hidden"),
    Output("usage-anchor-group", "hidden"),
    Input("usage-range", "value"),
    State("usage-from", "value"),
    State("usage-to", "value"),
    prevent_initial_call=True,
)
def show_range_controls(kind, start, end):  # type: ignore[no-untyped-def]
    """Each period opens at its own detail; custom dates replace the anchor date."""
    kind = periods.parse_kind(kind)
    first, last = periods.parse_date(start), periods.parse_date(end)
    days = (last - first).days + 1 if first and last and first <= last else 30
    custom = kind == "custom"
    return periods.default_resolution(kind, days), not custom, custom


@callback(
    Output("usage-anchor", "value"),
    Output("usage-place", "children"),
    *[Output(i, p) for i in ("usage-anchor", "usage-from", "usage-to") for p in ("min", "max")],
    Input("usage-meter", "value"),
    Input("usage-earlier", "n_clicks"),
    Input("usage-later", "n_clicks"),
    State("usage-range", "value"),
    State("usage-anchor", "value"),
    prevent_initial_call=True,
)
def move_period(meter, _earlier, _later, kind, anchor):  # type: ignore[no-untyped-def]
    """Step to the period before or after; a newly chosen meter opens at its latest data."""
    view = data.resolve_meter(Session(), current_scope(), meter)
    if view is None or view.data_span is None:
        raise PreventUpdate
    first, last = view.data_span
    day = periods.parse_date(anchor) or last
    if ctx.triggered_id == "usage-meter":
        day = last
    else:
        direction = -1 if ctx.triggered_id == "usage-earlier" else 1
        day = min(max(periods.step(periods.parse_kind(kind), day, direction), first), last)
    return day.isoformat(), ui.place(view), *[first.isoformat(), last.isoformat()] * 3
