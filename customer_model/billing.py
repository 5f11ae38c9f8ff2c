"""Billing: issued bills and their line items (money in integer cents)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, CreatedAtMixin
from .enums import BillStatus, LineKind, str_enum

if TYPE_CHECKING:
    from .accounts import ServiceAccount


class Bill(CreatedAtMixin, Base):
    """One bill for one account and one period (local dates, ``period_end`` inclusive)."""

    __tablename__ = "bill"
    __table_args__ = (UniqueConstraint("account_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("service_account.id"), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    issue_date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[BillStatus] = mapped_column(
        str_enum(BillStatus, "bill_status"), default=BillStatus.ISSUED
    )
    tariff_code: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3), default="CAD")
    kwh_delivered: Mapped[Decimal] = mapped_column(Numeric(14, 6), default=Decimal(0))
    kwh_received: Mapped[Decimal] = mapped_column(Numeric(14, 6), default=Decimal(0))
    subtotal_cents: Mapped[int] = mapped_column(Integer)
    taxes_cents: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)

    account: Mapped[ServiceAccount] = relationship(back_populates="bills")
    lines: Mapped[list[BillLine]] = relationship(
        back_populates="bill",
        cascade="all, delete-orphan",
        order_by="BillLine.position",
    )


class BillLine(Base):
    """One line of a bill: quantity × unit price = amount (amount in cents)."""

    __tablename__ = "bill_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bill.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[LineKind] = mapped_column(str_enum(LineKind, "line_kind"))
    period: Mapped[str | None] = mapped_column(String(16))
    """Tier or time-of-use period (``tier1``, ``on_peak`` …), or ``None``."""
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 6))
    unit: Mapped[str] = mapped_column(String(16))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(18, 6))
    """Price in the published unit (e.g. ¢/kWh or $/day), exact."""
    amount_cents: Mapped[int] = mapped_column(Integer)

    bill: Mapped[Bill] = relationship(back_populates="lines")
