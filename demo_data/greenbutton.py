"""Green Button in the demo: Sarah MacLeod's previous apartment, read from a real sample file.

The Green Button Alliance's OpenESPI test file (14 days of 15-minute readings,
March 2012, ``data/gba_openespi_test_usage_data_15min.xml``, Apache-2.0) is
imported through the real importer as the meter of a past premise: her
apartment on Glebe Avenue, whose service account closed in 2012. It lies a
decade before the two-year demo window, so it overlaps none of its readings,
and the portal shows it as history of a closed account.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from customer_model import (
    AccountStatus,
    Customer,
    DailyUsage,
    DwellingType,
    HeatingType,
    Meter,
    Premise,
    ServiceAccount,
)
from meter_data.greenbutton import import_greenbutton

from .generator import DemoData
from .identifiers import _unique
from .randomness import stream

GREENBUTTON_FILE = Path(__file__).parent / "data" / "gba_openespi_test_usage_data_15min.xml"
CUSTOMER_KEY = "macleod"
PREMISE_NAME = "Previous apartment"
ACCOUNT_START = dt.date(2010, 9, 1)
ACCOUNT_END = dt.date(2012, 6, 30)


def greenbutton_hook(connection: Connection, data: DemoData) -> dict[str, Any]:
    """Add the past premise, its closed account and meter, then import the file into it.

    Runs inside the demo loader's transaction; returns what was stored
    (meter serial and id, readings, daily rows, the import summary).
    """
    serial, account_number = _identifiers(data)
    with Session(bind=connection) as session:
        customer = session.scalars(
            select(Customer).where(
                Customer.customer_number == data.identifiers.customer_numbers[CUSTOMER_KEY]
            )
        ).one()
        premise = Premise(
            name=PREMISE_NAME,
            address_line="4-112 Glebe Avenue",
            city="Ottawa",
            region="ON",
            postal_code="K1S 2C4",
            timezone="America/Toronto",
            dwelling_type=DwellingType.APARTMENT,
            floor_area_m2=68,
            heating_type=HeatingType.ELECTRIC_BASEBOARD,
            climate_region="ontario-ottawa",
        )
        account = ServiceAccount(
            account_number=account_number,
            customer=customer,
            premise=premise,
            status=AccountStatus.CLOSED,
            start_date=ACCOUNT_START,
            end_date=ACCOUNT_END,
            tariff_code="ontario-rpp-tou",
        )
        meter = Meter(
            serial=serial,
            premise=premise,
            interval_minutes=15,
            multiplier=Decimal(1),
            install_date=dt.date(2009, 5, 12),
        )
        session.add_all([premise, account, meter])
        session.flush()
        meter_id = meter.id
    (summary,) = import_greenbutton(connection, GREENBUTTON_FILE, meter_serial=serial)
    daily_rows = connection.scalar(
        select(func.count()).select_from(DailyUsage).where(DailyUsage.meter_id == meter_id)
    )
    return {
        "serial": serial,
        "meter_id": meter_id,
        "account_number": account_number,
        "readings": summary.imported,
        "daily_rows": daily_rows,
        "summary": summary.as_dict(),
    }


def _identifiers(data: DemoData) -> tuple[str, str]:
    """A meter serial and a Luhn-checked account number no generated identifier uses."""
    numbers = data.identifiers
    seen = {
        *numbers.customer_numbers.values(),
        *numbers.account_numbers.values(),
        *numbers.serials.values(),
    }
    rng = stream(data.seed, "greenbutton")
    return _unique(rng, seen, "ON{body}", 9), _unique(rng, seen, "{body}{check}", 9)
