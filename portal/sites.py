"""One premise ("site" for business customers): meters and behind-the-meter assets."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from auth.scoping import current_scope, get_or_404, requires
from customer_model import Permission, Premise, Session

from . import bp, services


@bp.get("/sites/<int:premise_id>")
@login_required
@requires(Permission.VIEW_SITES)
def site(premise_id: int):  # type: ignore[no-untyped-def]
    premise = get_or_404(Premise, premise_id)
    db, scope = Session(), current_scope()
    return render_template(
        "portal/site.html",
        title=premise.name or premise.address_line,
        premise=premise,
        accounts=services.accounts_at(db, scope, premise),
        meters=services.meters_at(db, scope, premise),
        assets=services.assets_at(db, scope, premise),
        current=services.currently_held(db, scope, premise),
    )
