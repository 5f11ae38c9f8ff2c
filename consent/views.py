"""How the portal uses customer data (public page)."""

from __future__ import annotations

from flask import render_template

from . import bp


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    return render_template("consent/index.html", title="How we use your data")
