"""The utility's single customer view: SQLAlchemy 2 models shared by every channel.

Imports only SQLAlchemy and the standard library; nothing here knows about the web.
"""

from .accounts import Premise, ServiceAccount
from .assets import BehindMeterAsset
from .base import Base, UTCDateTime, utcnow
from .billing import Bill, BillLine
from .db import Session, bind, make_engine
from .efficiency import EfficiencyProgram, ProgramEnrolment
from .enums import (
    AccountStatus,
    AssetKind,
    BillingMethod,
    BillStatus,
    Channel,
    ContactKind,
    CustomerKind,
    CustomerType,
    DwellingType,
    EnrolmentStatus,
    HeatingType,
    InteractionKind,
    LineKind,
    PaymentMethod,
    ReadingQuality,
)
from .identity import PortalUser, Role, SiteAccess, SystemSetting
from .interactions import Interaction
from .profile import ContactPoint, Customer
from .reliability import Outage, outage_premise
from .scope import (
    Permission,
    Scope,
    can,
    get_visible,
    usage_periods,
    visible_accounts,
    visible_bills,
    visible_daily_usage,
    visible_meters,
    visible_premises,
)
from .security import OutboundMessage, RecoveryCode, RedeemedToken, SecurityEvent, UserSession
from .usage import MWH_PER_KWH, DailyUsage, IntervalReading, Meter, WeatherObservation

__all__ = [
    "UserSession",
    "SecurityEvent",
    "RedeemedToken",
    "RecoveryCode",
    "OutboundMessage",
    "MWH_PER_KWH",
    "AccountStatus",
    "AssetKind",
    "Base",
    "BehindMeterAsset",
    "Bill",
    "BillLine",
    "BillStatus",
    "BillingMethod",
    "Channel",
    "ContactKind",
    "ContactPoint",
    "Customer",
    "CustomerKind",
    "CustomerType",
    "DailyUsage",
    "DwellingType",
    "EfficiencyProgram",
    "EnrolmentStatus",
    "HeatingType",
    "Interaction",
    "InteractionKind",
    "IntervalReading",
    "LineKind",
    "Meter",
    "Outage",
    "PaymentMethod",
    "PortalUser",
    "Premise",
    "ProgramEnrolment",
    "ReadingQuality",
    "Role",
    "ServiceAccount",
    "Session",
    "SiteAccess",
    "SystemSetting",
    "UTCDateTime",
    "WeatherObservation",
    "bind",
    "make_engine",
    "outage_premise",
    "utcnow",
    "Permission",
    "Scope",
    "can",
    "get_visible",
    "usage_periods",
    "visible_accounts",
    "visible_bills",
    "visible_daily_usage",
    "visible_meters",
    "visible_premises",
]
