"""The customer's self-service pages (home, bills, moves …)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("portal", __name__, template_folder="templates")

from . import views  # noqa: E402,F401  (registers routes on bp)
