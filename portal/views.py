"""Home page: tiles that answer "how am I doing?" and link one click into each dashboard."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_login import current_user, login_required

from auth.scoping import current_scope
from customer_model import Session

from . import bp
from . import home as tiles


@bp.get("/")
@login_required
def home():  # type: ignore[no-untyped-def]
    session, scope = Session(), current_scope()
    today = dt.datetime.now(ZoneInfo(current_app.config["PORTAL_TIMEZONE"])).date()
    return render_template(
        "portal/home.html",
        title="Home",
        user=current_user,
        month=tiles.month_so_far(session, scope, today),
        projections=tiles.projected_bills(session, scope, today),
        alerts=tiles.latest_alerts(session, scope),
        usage_links=tiles.usage_links(session, scope),
        # Move status: no move model exists yet (a later issue), so no tile is shown.
    )
