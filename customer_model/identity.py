"""Portal identities: who may sign in, and which slice of the customer view they see.

A user is linked to one customer. For a person that customer is their own
household (role ``customer``); for an organisation the role says what they may
do, and a ``site_manager`` only sees the premises listed in ``site_access``.
Utility staff (``agent``) have no customer.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Boolean, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, CreatedAtMixin, UTCDateTime
from .enums import str_enum

if TYPE_CHECKING:
    from .accounts import Premise
    from .profile import Customer


class Role(enum.StrEnum):
    CUSTOMER = "customer"
    """Holder of a residential customer's accounts."""
    ORG_ADMIN = "org_admin"
    SITE_MANAGER = "site_manager"
    VIEWER = "viewer"
    BILLING = "billing"
    AGENT = "agent"
    """Utility staff; created by CLI only."""


class PortalUser(CreatedAtMixin, Base):
    """A sign-in identity for the portal."""

    __tablename__ = "portal_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    """Stored lower-cased; the sign-in identifier."""
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    email_verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    totp_secret_encrypted: Mapped[str | None] = mapped_column(String(255))
    """Fernet token of the TOTP secret; ``None`` until enrolment completes."""
    totp_enrolled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    """The last accepted TOTP time step: codes of this step or older are refused."""
    failed_attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    """Consecutive failed password or second-factor attempts."""
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def mfa_enrolled(self) -> bool:
        return self.totp_secret_encrypted is not None

    customer: Mapped[Customer | None] = relationship()
    sites: Mapped[list[Premise]] = relationship(secondary="site_access")


class SiteAccess(Base):
    """A premise a ``site_manager`` may see (other roles see the whole organisation)."""

    __tablename__ = "site_access"

    user_id: Mapped[int] = mapped_column(ForeignKey("portal_user.id"), primary_key=True)
    premise_id: Mapped[int] = mapped_column(ForeignKey("premise.id"), primary_key=True)


class SystemSetting(Base):
    """Small key/value facts about this database (e.g. the demo-data seed)."""

    __tablename__ = "system_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(2000))
