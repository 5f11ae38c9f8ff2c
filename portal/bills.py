"""Bills: the list, one bill with its explanation and "why it changed", print, JSON; rates.

Every route is scoped the same way: ``requires(VIEW_BILLS)`` and ``get_or_404``
(another customer's bill id is a 404, for the page, the print view and JSON).
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, render_template, request
from flask_login import login_required

from auth.scoping import current_scope, get_or_404, requires
from billing.calculate import money_text
from billing.explain import PERIOD_NAMES
from billing.services import BillInsight, bill_insight, rate_comparison
from customer_model import Bill, Permission, ServiceAccount, Session, visible_accounts

from . import bp, services


@bp.get("/bills")
@login_required
@requires(Permission.VIEW_BILLS)
def bills():  # type: ignore[no-untyped-def]
    rows = services.bills(Session(), current_scope())
    return render_template("portal/bills.html", title="Your bills", bills=rows)


@bp.get("/bills.json")
@login_required
@requires(Permission.VIEW_BILLS)
def bills_json():  # type: ignore[no-untyped-def]
    rows = services.bills(Session(), current_scope())
    return jsonify({"bills": [_summary(row) for row in rows]})


@bp.get("/bills/<int:bill_id>")
@login_required
@requires(Permission.VIEW_BILLS)
def bill(bill_id: int):  # type: ignore[no-untyped-def]
    row = get_or_404(Bill, bill_id)
    printable = request.args.get("print") == "1"
    return _page(row, printable)


@bp.get("/bills/<int:bill_id>/print")
@login_required
@requires(Permission.VIEW_BILLS)
def bill_print(bill_id: int):  # type: ignore[no-untyped-def]
    return _page(get_or_404(Bill, bill_id), True)


@bp.get("/bills/<int:bill_id>.json")
@login_required
@requires(Permission.VIEW_BILLS)
def bill_json(bill_id: int):  # type: ignore[no-untyped-def]
    row = get_or_404(Bill, bill_id)
    insight = bill_insight(Session(), row)
    return jsonify(
        {
            **_summary(row),
            "lines": [
                {
                    "kind": str(line.kind),
                    "period": line.period,
                    "description": line.description,
                    "quantity": format(line.quantity.normalize(), "f"),
                    "unit": line.unit,
                    "unit_price": format(line.unit_price.normalize(), "f"),
                    "amount": money_text(line.amount_cents),
                }
                for line in row.lines
            ],
            "explanation": insight.explanation.sentences(),
            "changes": [
                {
                    "against": label,
                    "earlier_bill_id": earlier.id,
                    "difference": money_text(change.difference_cents),
                    "effects": [
                        {"effect": e.key, "amount": money_text(e.cents), "text": e.text}
                        for e in change.effects
                    ],
                }
                for label, earlier, change in insight.changes
            ],
        }
    )


def _summary(row: Bill) -> dict[str, Any]:
    return {
        "id": row.id,
        "account": row.account.account_number,
        "period_start": row.period_start.isoformat(),
        "period_end": row.period_end.isoformat(),
        "issue_date": row.issue_date.isoformat(),
        "due_date": row.due_date.isoformat(),
        "status": str(row.status),
        "tariff": row.tariff_code,
        "currency": row.currency,
        "kwh_delivered": format(row.kwh_delivered.normalize(), "f"),
        "kwh_received": format(row.kwh_received.normalize(), "f"),
        "subtotal": money_text(row.subtotal_cents),
        "taxes": money_text(row.taxes_cents),
        "total": money_text(row.total_cents),
    }


def _waterfalls(insight: BillInsight) -> list[dict[str, Any]]:
    """Bars for the HTML/CSS waterfall: offset and width in % of the largest running total."""
    charts = []
    for label, earlier, change in insight.changes:
        steps = [("Earlier bill", change.before_cents, 0, change.before_cents, "total")]
        running = change.before_cents
        for effect in change.effects:
            lo, hi = sorted((running, running + effect.cents))
            kind = "up" if effect.cents > 0 else "down" if effect.cents < 0 else "zero"
            steps.append((effect.key.replace("_", " ").capitalize(), effect.cents, lo, hi, kind))
            running += effect.cents
        steps.append(("This bill", change.after_cents, 0, change.after_cents, "total"))
        top = max(max(abs(s[2]), abs(s[3])) for s in steps) or 1
        bars = [
            {
                "name": name,
                "cents": cents,
                "left": round(100 * max(lo, 0) / top, 2),
                "width": max(round(100 * (hi - lo) / top, 2), 0.3),
                "kind": kind,
            }
            for name, cents, lo, hi, kind in steps
        ]
        charts.append({"label": label, "earlier": earlier, "change": change, "bars": bars})
    return charts


def _page(row: Bill, printable: bool):  # type: ignore[no-untyped-def]
    insight = bill_insight(Session(), row)
    return render_template(
        "portal/bill.html",
        title=f"Bill for {row.period_start:%Y-%m-%d} to {row.period_end:%Y-%m-%d}",
        bill=row,
        explanation=insight.explanation,
        waterfalls=_waterfalls(insight),
        printable=printable,
        period_names=PERIOD_NAMES,
    )


@bp.get("/rates")
@login_required
@requires(Permission.VIEW_BILLS)
def rates():  # type: ignore[no-untyped-def]
    session = Session()
    statement = visible_accounts(current_scope()).order_by(ServiceAccount.id)
    rows = []
    for account in session.scalars(statement):
        comparison = rate_comparison(session, account)
        if comparison is not None:
            rows.append((account, comparison))
    return render_template("portal/rates.html", title="Compare rates", rows=rows)
