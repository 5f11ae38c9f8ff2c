"""Demo sign-ins: passwords re-derivable from the seed, and who they belong to.

A demo database records its seed (``system_setting``), so the passwords never
need to be stored in clear anywhere: ``demo_users`` derives them again.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from customer_model import Customer, PortalUser, SystemSetting

SEED_KEY = "demo_seed"
END_KEY = "demo_end"
VERSION_KEY = "demo_data_version"


def demo_password(seed: int, email: str) -> str:
    """Deterministic from seed and e-mail; 19 characters, mixed case and digits."""
    digest = hashlib.sha256(f"{seed}:{email}".encode()).digest()
    return "Demo-" + base64.urlsafe_b64encode(digest).decode()[:14]


def demo_seed(session: Session) -> int | None:
    """The seed this database was generated from, or ``None`` if it is not a demo."""
    if not inspect(session.connection()).has_table(SystemSetting.__tablename__):
        return None
    value = session.scalar(select(SystemSetting.value).where(SystemSetting.key == SEED_KEY))
    return None if value is None else int(value)


def is_demo_database(session: Session) -> bool:
    return demo_seed(session) is not None


def demo_users(session: Session) -> list[dict[str, Any]]:
    """Every demo sign-in: e-mail, password, role, and the customer's name (or None)."""
    seed = demo_seed(session)
    if seed is None:
        return []
    rows = session.execute(
        select(PortalUser.email, PortalUser.role, Customer.display_name)
        .outerjoin(Customer, PortalUser.customer_id == Customer.id)
        .where(PortalUser.is_demo.is_(True))
        .order_by(PortalUser.id)
    )
    return [
        {
            "email": email,
            "password": demo_password(seed, email),
            "role": str(role),
            "customer": customer,
        }
        for email, role, customer in rows
    ]
