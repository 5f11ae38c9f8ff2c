"""Usage: meters, their interval readings, daily rollups and the weather behind them.

Storage layout (see ARCHITECTURE.md, "Readings"):

* ``interval_reading`` is keyed ``(meter_id, start_ts)`` and clustered on it
  (``WITHOUT ROWID`` on SQLite, the primary-key B-tree on PostgreSQL), so a
  meter-year is one contiguous range scan. Instants are integer UTC epoch
  seconds and energy is integer milliwatt-hours: exact, compact, identical on
  both databases, and the sums never touch floating point.
* ``daily_usage`` is the pre-aggregated local-day rollup (premise time zone),
  so months, years and 1,000-meter portfolios never scan raw intervals.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, CreatedAtMixin

if TYPE_CHECKING:
    from .accounts import Premise

MWH_PER_KWH = 1_000_000
"""Readings are stored in integer milliwatt-hours; 1 kWh = 1,000,000 mWh."""


class Meter(CreatedAtMixin, Base):
    """A physical meter at a premise (it stays when customers move)."""

    __tablename__ = "meter"

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    premise_id: Mapped[int] = mapped_column(ForeignKey("premise.id"), index=True)
    interval_minutes: Mapped[int] = mapped_column(SmallInteger, default=15)
    multiplier: Mapped[Decimal] = mapped_column(Numeric(10, 4), default=Decimal(1))
    install_date: Mapped[dt.date] = mapped_column(Date)
    removal_date: Mapped[dt.date | None] = mapped_column(Date)
    is_net_metered: Mapped[bool] = mapped_column(default=False)

    premise: Mapped[Premise] = relationship(back_populates="meters")


class IntervalReading(Base):
    """Energy through one meter in one interval (delivered and received apart)."""

    __tablename__ = "interval_reading"
    __table_args__ = ({"sqlite_with_rowid": False},)

    meter_id: Mapped[int] = mapped_column(ForeignKey("meter.id"), primary_key=True)
    start_ts: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    """Interval start, UTC epoch seconds."""
    duration_s: Mapped[int] = mapped_column(Integer, default=900)
    delivered_mwh: Mapped[int] = mapped_column(BigInteger, default=0)
    """Energy from the grid to the customer, milliwatt-hours."""
    received_mwh: Mapped[int] = mapped_column(BigInteger, default=0)
    """Energy from the customer to the grid (net metering), milliwatt-hours."""
    quality: Mapped[int] = mapped_column(SmallInteger, default=0)
    """A :class:`~customer_model.enums.ReadingQuality` value."""


class DailyUsage(Base):
    """Rollup of one meter's intervals over one local day (premise time zone)."""

    __tablename__ = "daily_usage"
    __table_args__ = ({"sqlite_with_rowid": False},)

    meter_id: Mapped[int] = mapped_column(ForeignKey("meter.id"), primary_key=True)
    local_date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    delivered_mwh: Mapped[int] = mapped_column(BigInteger, default=0)
    received_mwh: Mapped[int] = mapped_column(BigInteger, default=0)
    reading_count: Mapped[int] = mapped_column(SmallInteger, default=0)
    estimated_count: Mapped[int] = mapped_column(SmallInteger, default=0)
    peak_interval_mwh: Mapped[int] = mapped_column(BigInteger, default=0)
    """Largest delivered interval of the day (for demand and peak tiles)."""


class WeatherObservation(Base):
    """Hourly outdoor temperature for a climate region (drives degree days)."""

    __tablename__ = "weather_observation"
    __table_args__ = ({"sqlite_with_rowid": False},)

    climate_region: Mapped[str] = mapped_column(String(32), primary_key=True)
    start_ts: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    """Hour start, UTC epoch seconds."""
    temperature_dc: Mapped[int] = mapped_column(SmallInteger)
    """Temperature in tenths of a degree Celsius (exact, compact)."""
