"""Jinja filters that show stored values the way customers read them.

Money is stored in integer cents and instants in UTC; these filters are the one
place where they become "$1,234.56" and local times.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask, current_app


def money(cents: int | None, currency: str = "CAD") -> str:
    """Integer cents as "$1,234.56" (or "£" for GBP); exact, no float."""
    if cents is None:
        return "—"
    symbol = {"GBP": "£", "EUR": "€"}.get(currency, "$")
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{symbol}{whole:,}.{part:02d}"


def local_time(instant: dt.datetime | None, zone: str | None = None) -> str:
    """An aware UTC instant shown in the customer's zone (default: the portal's)."""
    if instant is None:
        return "—"
    tz = ZoneInfo(zone or current_app.config["PORTAL_TIMEZONE"])
    return instant.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def kwh(value: Decimal | int | None) -> str:
    """A kWh quantity with thousands separators and up to three decimals."""
    if value is None:
        return "—"
    return f"{Decimal(value):,.3f}".rstrip("0").rstrip(".") + " kWh"


def init_app(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(local_time)
    app.add_template_filter(kwh)
