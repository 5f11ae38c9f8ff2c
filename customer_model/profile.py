"""Profile: who the customer is and how they want to be reached."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, CreatedAtMixin
from .enums import Channel, ContactKind, CustomerKind, CustomerType, str_enum

if TYPE_CHECKING:
    from .accounts import ServiceAccount
    from .interactions import Interaction


class Customer(CreatedAtMixin, Base):
    """A person or an organisation the utility serves (the single customer view's root)."""

    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[CustomerKind] = mapped_column(str_enum(CustomerKind, "customer_kind"))
    customer_type: Mapped[CustomerType] = mapped_column(str_enum(CustomerType, "customer_type"))
    display_name: Mapped[str] = mapped_column(String(200))
    preferred_language: Mapped[str] = mapped_column(String(8), default="en")
    preferred_channel: Mapped[Channel] = mapped_column(
        str_enum(Channel, "channel"), default=Channel.EMAIL
    )
    timezone: Mapped[str] = mapped_column(String(64), default="America/Toronto")
    segment_tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    affordability_program: Mapped[bool] = mapped_column(Boolean, default=False)

    contact_points: Mapped[list[ContactPoint]] = relationship(
        back_populates="customer", cascade="all, delete-orphan"
    )
    accounts: Mapped[list[ServiceAccount]] = relationship(back_populates="customer")
    interactions: Mapped[list[Interaction]] = relationship(back_populates="customer")


class ContactPoint(Base):
    """One way to reach a customer (e-mail, phone, postal address)."""

    __tablename__ = "contact_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    kind: Mapped[ContactKind] = mapped_column(str_enum(ContactKind, "contact_kind"))
    value: Mapped[str] = mapped_column(String(320))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)

    customer: Mapped[Customer] = relationship(back_populates="contact_points")
