"""Service accounts: the list and one account."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from auth.scoping import allowed, current_scope, get_or_404, requires
from customer_model import Permission, ServiceAccount, Session

from . import bp, services


@bp.get("/accounts")
@login_required
@requires(Permission.VIEW_ACCOUNTS)
def accounts():  # type: ignore[no-untyped-def]
    rows = services.accounts(Session(), current_scope())
    return render_template("portal/accounts.html", title="Your accounts", accounts=rows)


@bp.get("/accounts/<int:account_id>")
@login_required
@requires(Permission.VIEW_ACCOUNTS)
def account(account_id: int):  # type: ignore[no-untyped-def]
    row = get_or_404(ServiceAccount, account_id)
    bills = services.bills(Session(), current_scope(), row) if allowed("view_bills") else None
    return render_template(
        "portal/account.html",
        title=f"Account {row.account_number}",
        account=row,
        bills=bills,
    )
