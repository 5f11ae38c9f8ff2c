"""Home page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from . import bp


@bp.get("/")
@login_required
def home():  # type: ignore[no-untyped-def]
    return render_template("portal/home.html", title="Home", user=current_user)
