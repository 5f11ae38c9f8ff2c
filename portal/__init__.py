"""The customer's self-service pages (home, bills, moves …).

Every row a page shows comes through ``auth.scoping`` (``get_or_404``, ``requires``,
``current_scope``); templates ask ``allowed('permission')`` before linking to a page.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("portal", __name__, template_folder="templates")


from . import accounts, bills, meters, sites, views  # noqa: E402,F401  (register routes on bp)
