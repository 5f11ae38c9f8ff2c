"""Closed vocabularies of the customer model.

Stored as short strings with a CHECK constraint (not native enums): portable
between SQLite and PostgreSQL, readable in SQL, and cheap to extend in a migration.
"""

from __future__ import annotations

import enum

from sqlalchemy import Enum


class CustomerKind(enum.StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class CustomerType(enum.StrEnum):
    RESIDENTIAL = "residential"
    COMMERCIAL = "commercial"
    INDUSTRIAL = "industrial"
    INSTITUTIONAL = "institutional"


class Channel(enum.StrEnum):
    WEB = "web"
    PHONE = "phone"
    EMAIL = "email"
    CHAT = "chat"
    SMS = "sms"
    FIELD = "field"
    POST = "post"


class ContactKind(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    MOBILE = "mobile"
    POSTAL = "postal"


class AccountStatus(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    CLOSED = "closed"


class BillingMethod(enum.StrEnum):
    EBILL = "ebill"
    PAPER = "paper"


class PaymentMethod(enum.StrEnum):
    PREAUTHORISED_DEBIT = "preauthorised_debit"
    CARD = "card"
    ONLINE_BANKING = "online_banking"
    CHEQUE = "cheque"


class DwellingType(enum.StrEnum):
    DETACHED = "detached"
    SEMI_DETACHED = "semi_detached"
    ROW_HOUSE = "row_house"
    APARTMENT = "apartment"
    COTTAGE = "cottage"
    OFFICE = "office"
    RETAIL = "retail"
    WAREHOUSE = "warehouse"
    RESTAURANT = "restaurant"
    SCHOOL = "school"
    FACTORY = "factory"
    DATA_CENTRE = "data_centre"


class HeatingType(enum.StrEnum):
    ELECTRIC_BASEBOARD = "electric_baseboard"
    HEAT_PUMP = "heat_pump"
    GAS = "gas"
    OIL = "oil"
    DISTRICT = "district"
    NONE = "none"


class ReadingQuality(enum.IntEnum):
    """Quality of one interval reading (stored as a small integer)."""

    ACTUAL = 0
    ESTIMATED = 1
    MISSING = 2


class BillStatus(enum.StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    PAID = "paid"
    OVERDUE = "overdue"
    CANCELLED = "cancelled"


class LineKind(enum.StrEnum):
    FIXED = "fixed"
    ENERGY = "energy"
    DEMAND = "demand"
    CREDIT = "credit"
    TAX = "tax"


class InteractionKind(enum.StrEnum):
    REQUEST = "request"
    COMPLAINT = "complaint"
    ALERT = "alert"
    LOGIN = "login"
    SECURITY = "security"
    PAYMENT = "payment"
    INQUIRY = "inquiry"
    OUTAGE_REPORT = "outage_report"
    NOTIFICATION = "notification"


class AssetKind(enum.StrEnum):
    EV = "ev"
    SOLAR_PV = "solar_pv"
    BATTERY = "battery"
    HEAT_PUMP = "heat_pump"


class EnrolmentStatus(enum.StrEnum):
    APPLIED = "applied"
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


def str_enum(enum_cls: type[enum.Enum], name: str) -> Enum:
    """Column type for a StrEnum: VARCHAR + CHECK, values (not names) stored."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
