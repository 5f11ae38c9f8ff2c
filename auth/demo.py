"""Demo accounts come pre-enrolled in MFA so a newcomer can try the portal at once.

Only ever for a demo database (one that records its seed): ``demo-otp`` refuses
anywhere else, so there is no shared or default account in a real deployment.
"""

from __future__ import annotations

import base64
import hashlib

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from customer_model import PortalUser, utcnow
from demo_data.users import demo_seed

from . import secret_box, totp


class NotADemo(Exception):
    """The database or the user is not demo data."""


def demo_totp_secret(seed: int, email: str) -> str:
    """Deterministic per seed and e-mail, like the demo passwords."""
    digest = hashlib.sha256(f"totp:{seed}:{email}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


def enrol_demo_users(engine: Engine, secret_key: str) -> int:
    """Give every demo user without an authenticator its demo TOTP secret."""
    with Session(engine) as db:
        seed = demo_seed(db)
        if seed is None:
            return 0
        users = db.scalars(
            select(PortalUser).where(
                PortalUser.is_demo.is_(True), PortalUser.totp_secret_encrypted.is_(None)
            )
        ).all()
        for user in users:
            secret = demo_totp_secret(seed, user.email)
            user.totp_secret_encrypted = secret_box.encrypt(secret_key, secret)
            user.totp_enrolled_at = utcnow()
        db.commit()
        return len(users)


def current_demo_code(db: Session, email: str, secret_key: str) -> str:
    """The code a demo user's authenticator would show now."""
    if demo_seed(db) is None:
        raise NotADemo("this is not a demo database")
    user = db.scalar(select(PortalUser).where(PortalUser.email == email.strip().lower()))
    if user is None or not user.is_demo or user.totp_secret_encrypted is None:
        raise NotADemo(f"{email} is not an enrolled demo user")
    return totp.current_code(secret_box.decrypt(secret_key, user.totp_secret_encrypted))
