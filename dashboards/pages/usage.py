"""Usage page (charts arrive with the usage-dashboards issue)."""

import dash
from dash import html

dash.register_page(__name__, path="/usage", name="Usage", title="My usage", order=1)


def layout(**_query):  # type: ignore[no-untyped-def]
    return html.Div([html.H1("My usage")], id="usage-page")
