"""Server-side sessions: the signed cookie holds only a random id.

Why server-side: with Flask's cookie session alone, a copied cookie stays valid
after sign-out (ASVS 3.3.1). Here a session lives in ``user_session`` and ends
for real on sign-out, "sign out everywhere", password change and timeouts:
30 minutes idle, 12 hours absolute (NIST SP 800-63B AAL2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import session as cookie
from sqlalchemy import update
from sqlalchemy.orm import Session

from customer_model import PortalUser, UserSession, utcnow

from .client import ClientInfo

IDLE_TIMEOUT = dt.timedelta(minutes=30)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)
_TOUCH_EVERY = dt.timedelta(seconds=60)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def start(db: Session, user: PortalUser, client: ClientInfo) -> None:
    """Open a fresh session for ``user``: the old cookie content is thrown away."""
    cookie.clear()
    raw = secrets.token_urlsafe(32)
    db.add(
        UserSession(
            id=_digest(raw),
            user_id=user.id,
            ip_address=client.ip_address,
            user_agent=client.user_agent,
        )
    )
    cookie["sid"] = raw
    cookie.permanent = True


def current(db: Session, user_id: int) -> UserSession | None:
    """The live session behind this cookie for ``user_id``, or ``None``.

    Ends (and returns ``None`` for) a session past its idle or absolute limit.
    """
    raw = cookie.get("sid")
    if not isinstance(raw, str):
        return None
    row = db.get(UserSession, _digest(raw))
    if row is None or row.user_id != user_id or row.ended_at is not None:
        return None
    now = utcnow()
    if now - row.last_seen_at > IDLE_TIMEOUT or now - row.created_at > ABSOLUTE_TIMEOUT:
        row.ended_at = now
        db.commit()
        return None
    if now - row.last_seen_at > _TOUCH_EVERY:
        row.last_seen_at = now
        db.commit()
    return row


def end_current(db: Session) -> None:
    """End the session behind this cookie and empty the cookie."""
    raw = cookie.get("sid")
    if isinstance(raw, str):
        row = db.get(UserSession, _digest(raw))
        if row is not None and row.ended_at is None:
            row.ended_at = utcnow()
    cookie.clear()


def end_all(db: Session, user: PortalUser, keep_current: bool = False) -> int:
    """End every live session of ``user`` (optionally not this one); how many ended."""
    statement = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    raw = cookie.get("sid")
    if keep_current and isinstance(raw, str):
        statement = statement.where(UserSession.id != _digest(raw))
    return db.execute(statement.values(ended_at=utcnow())).rowcount


def live(db: Session, user: PortalUser) -> list[UserSession]:
    """The user's open sessions, newest first (for the security page)."""
    from sqlalchemy import select

    return list(
        db.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
            .order_by(UserSession.last_seen_at.desc())
        )
    )
