"""Consent: what the customer's data is used for and shared with (later stage)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("consent", __name__, url_prefix="/consent", template_folder="templates")

from . import views  # noqa: E402,F401  (registers routes on bp)
