"""Bills: the list and one bill with its lines."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from auth.scoping import current_scope, get_or_404, requires
from customer_model import Bill, Permission, Session

from . import bp, services


@bp.get("/bills")
@login_required
@requires(Permission.VIEW_BILLS)
def bills():  # type: ignore[no-untyped-def]
    rows = services.bills(Session(), current_scope())
    return render_template("portal/bills.html", title="Your bills", bills=rows)


@bp.get("/bills/<int:bill_id>")
@login_required
@requires(Permission.VIEW_BILLS)
def bill(bill_id: int):  # type: ignore[no-untyped-def]
    row = get_or_404(Bill, bill_id)
    return render_template(
        "portal/bill.html",
        title=f"Bill for {row.period_start:%Y-%m-%d} to {row.period_end:%Y-%m-%d}",
        bill=row,
    )
