"""The frame around every dashboard page: heading landmark, navigation, page."""

from __future__ import annotations

import dash
from dash import dcc, html
from flask_wtf.csrf import generate_csrf


def layout():  # type: ignore[no-untyped-def]
    """Built per request (a function), so nothing queries the database at import."""
    pages = sorted(dash.page_registry.values(), key=lambda page: page.get("order") or 0)
    return html.Div(
        [
            html.Header(
                [
                    html.A("⚡ Energy portal", href="/", className="brand"),
                    html.Nav(
                        html.Ul(
                            [html.Li(html.A("Home", href="/"))]
                            + [
                                html.Li(dcc.Link(page["name"], href=page["relative_path"]))
                                for page in pages
                            ]
                            + [html.Li(_sign_out_form())]
                        ),
                        **{"aria-label": "Dashboards"},
                    ),
                ],
                className="site-header",
            ),
            html.Main(dash.page_container, id="main"),
        ]
    )


def _sign_out_form():  # type: ignore[no-untyped-def]
    """Sign-out is a POST with the CSRF token, as on every Flask page."""
    return html.Form(
        [
            dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
            html.Button("Sign out", type="submit", className="link-button"),
        ],
        method="post",
        action="/auth/logout",
        className="inline",
    )
