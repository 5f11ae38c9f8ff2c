"""The usage page's components: controls, the chart sections, their text equivalents.

Plain Dash components built per request by :func:`dashboards.pages.usage.layout`;
ids are kebab-case and prefixed ``usage-``. Controls are native radios and
checkboxes in fieldsets with legends (``assets/a11y.js`` removes the listbox roles
Dash 4 wraps them in), so they work with the keyboard and screen readers.
"""

from __future__ import annotations

from dash import dcc, html

from . import data, selection

RANGES = [
    {"label": "Day", "value": "day"},
    {"label": "Week", "value": "week"},
    {"label": "Month", "value": "month"},
    {"label": "Year", "value": "year"},
    {"label": "Custom", "value": "custom"},
]
RESOLUTIONS = [
    {"label": "15 minutes", "value": "15min"},
    {"label": "Hourly", "value": "hour"},
    {"label": "Daily", "value": "day"},
    {"label": "Monthly", "value": "month"},
]
OVERLAYS = [
    {"label": "Previous period", "value": "previous"},
    {"label": "Same period last year", "value": "last_year"},
    {"label": "Weather (degree days)", "value": "weather"},
]
GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
}


def place(meter: data.MeterView) -> str:
    return f"{meter.place}, meter {meter.serial}"


def controls(choices, sel: selection.Selection, first: str, last: str):  # type: ignore[no-untyped-def]
    dates = {"type": "date", "min": first, "max": last, "className": "date-input"}
    return html.Div(
        [
            html.Div(
                [
                    html.Label("Meter", htmlFor="usage-meter"),
                    dcc.Dropdown(
                        id="usage-meter",
                        options=[{"label": text, "value": id_} for id_, text in choices],
                        value=sel.meter.id,
                        clearable=False,
                        searchable=len(choices) > 8,
                    ),
                ],
                className="control meter-control",
                hidden=len(choices) < 2,
            ),
            _radio_group("Period", "usage-range", RANGES, sel.period.kind),
            html.Div(
                [
                    html.Label("Showing the period that includes", htmlFor="usage-anchor"),
                    dcc.Input(id="usage-anchor", value=sel.period.last.isoformat(), **dates),
                    html.Div(
                        [
                            html.Button("◀ Earlier", id="usage-earlier", className="secondary"),
                            html.Button("Later ▶", id="usage-later", className="secondary"),
                        ],
                        className="step-buttons",
                    ),
                ],
                id="usage-anchor-group",
                className="control",
            ),
            html.Div(
                [
                    html.Label("From", htmlFor="usage-from"),
                    dcc.Input(id="usage-from", value=sel.period.first.isoformat(), **dates),
                    html.Label("To", htmlFor="usage-to"),
                    dcc.Input(id="usage-to", value=sel.period.last.isoformat(), **dates),
                ],
                id="usage-custom",
                className="control",
                hidden=True,
            ),
            _radio_group("Detail", "usage-resolution", RESOLUTIONS, sel.resolution),
            html.Fieldset(
                [
                    html.Legend("Compare with"),
                    dcc.Checklist(id="usage-overlays", options=OVERLAYS, value=[], inline=True),
                ],
                className="control",
            ),
        ],
        className="usage-controls",
        role="group",
        **{"aria-label": "What to show"},
    )


def _radio_group(legend: str, id_: str, options: list[dict[str, str]], value: str):  # type: ignore[no-untyped-def]
    return html.Fieldset(
        [html.Legend(legend), dcc.RadioItems(id=id_, options=options, value=value, inline=True)],
        className="control",
    )


def _figure_block(name: str, label: str, height: int):  # type: ignore[no-untyped-def]
    """A chart with its takeaway (the text equivalent) and its numbers as a table."""
    return html.Div(
        [
            html.P(id=f"usage-{name}-takeaway", className="takeaway", **{"aria-live": "polite"}),
            html.Div(
                dcc.Graph(id=f"usage-{name}-graph", config=GRAPH_CONFIG, style={"height": height}),
                role="figure",
                className="chart",
                **{"aria-label": label, "aria-describedby": f"usage-{name}-takeaway"},
            ),
            html.Details(
                [html.Summary("Show the numbers as a table"), html.Div(id=f"usage-{name}-table")],
                className="table-toggle",
            ),
        ]
    )


def usage_section():  # type: ignore[no-untyped-def]
    return html.Section(
        [
            html.H2(id="usage-title"),
            _figure_block("main", "Usage chart", 420),
            html.Dl(id="usage-summary", className="usage-summary"),
            html.P(
                [
                    "Download every reading of this period: ",
                    html.A("CSV spreadsheet", id="usage-csv", href="#"),
                    " · ",
                    html.A("Green Button XML", id="usage-xml", href="#"),
                ],
                className="downloads",
            ),
        ],
        className="usage-section",
        **{"aria-labelledby": "usage-title"},
    )


def habits_section():  # type: ignore[no-untyped-def]
    return html.Section(
        [
            html.H2("When you use electricity", id="usage-habits-title"),
            html.Div(
                [
                    html.Div([html.H3("Always on"), html.P(id="usage-baseload")], className="tile"),
                    html.Div([html.H3("Peak demand"), html.P(id="usage-peak")], className="tile"),
                ],
                className="tiles",
            ),
            html.H3("By price period"),
            _figure_block("tou", "Use and cost by price period", 200),
            html.H3("A typical week"),
            _figure_block("week", "Typical use by weekday and hour", 300),
        ],
        className="usage-section",
        **{"aria-labelledby": "usage-habits-title"},
    )
