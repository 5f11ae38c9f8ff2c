"""Reliability: outages and the premises they affected."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .accounts import Premise
from .base import Base, UTCDateTime

outage_premise = Table(
    "outage_premise",
    Base.metadata,
    Column("outage_id", ForeignKey("outage.id"), primary_key=True),
    Column("premise_id", ForeignKey("premise.id"), primary_key=True, index=True),
)


class Outage(Base):
    """An interruption of supply (planned or not) over one or more premises."""

    __tablename__ = "outage"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    cause: Mapped[str] = mapped_column(String(80))
    planned: Mapped[bool] = mapped_column(Boolean, default=False)

    premises: Mapped[list[Premise]] = relationship(secondary=outage_premise)
