"""Interactions: every contact with the customer, whatever the channel.

The portal writes each of its own events here (log-ins, alerts, requests) so
that the phone agent and the web see the same story.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .enums import Channel, InteractionKind, str_enum

if TYPE_CHECKING:
    from .profile import Customer


class Interaction(Base):
    """One contact: who, through which channel, about what, and how it went."""

    __tablename__ = "interaction"
    __table_args__ = (
        CheckConstraint("csat BETWEEN 1 AND 5", name="csat_range"),
        CheckConstraint("ces BETWEEN 1 AND 5", name="ces_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("service_account.id"))
    premise_id: Mapped[int | None] = mapped_column(ForeignKey("premise.id"))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "channel"))
    kind: Mapped[InteractionKind] = mapped_column(str_enum(InteractionKind, "interaction_kind"))
    subject: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(80), default="customer")
    """Who acted: ``customer``, ``system``, ``agent:<id>``, ``user:<id>``."""
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    csat: Mapped[int | None] = mapped_column(SmallInteger)
    """Customer satisfaction, 1–5, when the customer gave it."""
    ces: Mapped[int | None] = mapped_column(SmallInteger)
    """Customer effort score, 1–5, when the customer gave it."""
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    customer: Mapped[Customer] = relationship(back_populates="interactions")
