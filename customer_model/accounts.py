"""Accounts and premises.

A premise (service address, a business "site") outlives its occupants: customers
move in and out, so a customer reaches a premise only through a service account
valid for a date range. That is what lets moves and scoping work without rework.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, CreatedAtMixin
from .enums import (
    AccountStatus,
    BillingMethod,
    DwellingType,
    HeatingType,
    PaymentMethod,
    str_enum,
)

if TYPE_CHECKING:
    from .assets import BehindMeterAsset
    from .billing import Bill
    from .profile import Customer
    from .usage import Meter


class Premise(CreatedAtMixin, Base):
    """A service address: a home, a cottage or one site of an organisation."""

    __tablename__ = "premise"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(String(120))
    address_line: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(50))
    postal_code: Mapped[str] = mapped_column(String(16), index=True)
    country: Mapped[str] = mapped_column(String(2), default="CA")
    timezone: Mapped[str] = mapped_column(String(64), default="America/Toronto")
    dwelling_type: Mapped[DwellingType] = mapped_column(str_enum(DwellingType, "dwelling_type"))
    floor_area_m2: Mapped[int | None] = mapped_column(Integer)
    heating_type: Mapped[HeatingType] = mapped_column(str_enum(HeatingType, "heating_type"))
    climate_region: Mapped[str] = mapped_column(String(32), index=True)

    accounts: Mapped[list[ServiceAccount]] = relationship(back_populates="premise")
    meters: Mapped[list[Meter]] = relationship(back_populates="premise")
    assets: Mapped[list[BehindMeterAsset]] = relationship(back_populates="premise")


class ServiceAccount(CreatedAtMixin, Base):
    """The contract that bills one customer for one premise over a date range."""

    __tablename__ = "service_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_number: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    premise_id: Mapped[int] = mapped_column(ForeignKey("premise.id"), index=True)
    status: Mapped[AccountStatus] = mapped_column(
        str_enum(AccountStatus, "account_status"), default=AccountStatus.ACTIVE
    )
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    tariff_code: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3), default="CAD")
    billing_method: Mapped[BillingMethod] = mapped_column(
        str_enum(BillingMethod, "billing_method"), default=BillingMethod.EBILL
    )
    payment_method: Mapped[PaymentMethod] = mapped_column(
        str_enum(PaymentMethod, "payment_method"),
        default=PaymentMethod.PREAUTHORISED_DEBIT,
    )
    budget_billing_cents: Mapped[int | None] = mapped_column(Integer)
    billing_cycle_days: Mapped[int] = mapped_column(Integer, default=30)
    deposit_cents: Mapped[int] = mapped_column(Integer, default=0)

    customer: Mapped[Customer] = relationship(back_populates="accounts")
    premise: Mapped[Premise] = relationship(back_populates="accounts")
    bills: Mapped[list[Bill]] = relationship(back_populates="account", order_by="Bill.period_start")
