"""Billing: tariffs as data and exact bill calculation (pure), plus thin DB services.

``tariff_schema`` loads and validates ``tariffs/<id>.yaml``; ``calendar`` decides
seasons, holidays and time-of-use hours in local time; ``calculate`` turns
readings, a tariff and a local-date period into line items in integer cents.
Only ``services`` touches the database (import it explicitly). No web framework
anywhere here. Rules and file format: ``billing/README.md``.
"""

from .calculate import Bill, Line, Period, Readings, calculate
from .tariff_schema import (
    BillingError,
    NoVersionInForce,
    Tariff,
    TariffError,
    available,
    load_tariff,
    load_tariff_file,
)

__all__ = [
    "Bill",
    "BillingError",
    "Line",
    "NoVersionInForce",
    "Period",
    "Readings",
    "Tariff",
    "TariffError",
    "available",
    "calculate",
    "load_tariff",
    "load_tariff_file",
]
