"""One meter: its facts and the last week of daily usage."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from auth.scoping import current_scope, get_or_404, requires
from customer_model import Meter, Permission, Session

from . import bp, services


@bp.get("/meters/<int:meter_id>")
@login_required
@requires(Permission.VIEW_USAGE)
def meter(meter_id: int):  # type: ignore[no-untyped-def]
    row = get_or_404(Meter, meter_id)
    return render_template(
        "portal/meter.html",
        title=f"Meter {row.serial}",
        meter=row,
        days=services.recent_usage(Session(), current_scope(), row),
    )
