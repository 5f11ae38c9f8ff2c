"""Energy-efficiency programs and who is enrolled in them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .enums import EnrolmentStatus, str_enum


class EfficiencyProgram(Base):
    """A program the utility offers (rebates, load control, audits)."""

    __tablename__ = "efficiency_program"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)


class ProgramEnrolment(Base):
    """A customer's (and optionally one premise's) participation in a program."""

    __tablename__ = "program_enrolment"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("efficiency_program.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    premise_id: Mapped[int | None] = mapped_column(ForeignKey("premise.id"))
    status: Mapped[EnrolmentStatus] = mapped_column(str_enum(EnrolmentStatus, "enrolment_status"))
    enrolled_on: Mapped[dt.date] = mapped_column(Date)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    estimated_savings_kwh: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))

    program: Mapped[EfficiencyProgram] = relationship()
