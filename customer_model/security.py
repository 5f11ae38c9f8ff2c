"""Security records: the audit trail, recovery codes and redeemed one-time tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class SecurityEvent(Base):
    """One security-relevant event (sign-in, MFA, lockout, password change …).

    Never holds a secret: no password, code, token or TOTP secret ever goes in.
    """

    __tablename__ = "security_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    event: Mapped[str] = mapped_column(String(40), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("portal_user.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(320))
    """The identifier typed, for failures where no user matched."""
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class RecoveryCode(Base):
    """A single-use MFA recovery code, stored only as a keyed hash."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("portal_user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class RedeemedToken(Base):
    """A one-time e-mail token (verification, reset) that has been used."""

    __tablename__ = "redeemed_token"

    token_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(32))
    redeemed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboundMessage(Base):
    """A message to a customer (e-mail now, SMS later): the outbox and its log."""

    __tablename__ = "outbound_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), default="email")
    recipient: Mapped[str] = mapped_column(String(320), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(10000))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    """When an SMTP/SMS gateway accepted it; ``None`` while only in the outbox."""


class UserSession(Base):
    """A server-side sign-in session: the cookie only carries its random id.

    Server-side so that sign-out, "sign out everywhere", password changes and
    timeouts end a session for real, even if an old cookie is replayed.
    """

    __tablename__ = "user_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """SHA-256 of the random session id held in the signed cookie."""
    user_id: Mapped[int] = mapped_column(ForeignKey("portal_user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))
