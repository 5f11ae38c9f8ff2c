"""Behind-the-meter assets: what the customer owns that shapes their load."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .enums import AssetKind, str_enum

if TYPE_CHECKING:
    from .accounts import Premise


class BehindMeterAsset(Base):
    """An EV, solar array, battery or heat pump at a premise."""

    __tablename__ = "behind_meter_asset"

    id: Mapped[int] = mapped_column(primary_key=True)
    premise_id: Mapped[int] = mapped_column(ForeignKey("premise.id"), index=True)
    kind: Mapped[AssetKind] = mapped_column(str_enum(AssetKind, "asset_kind"))
    capacity_kw: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    """Power rating: PV DC nameplate, charger or inverter kW."""
    capacity_kwh: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    """Energy capacity where it applies (battery, EV pack)."""
    installed_on: Mapped[dt.date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(String(200))

    premise: Mapped[Premise] = relationship(back_populates="assets")
