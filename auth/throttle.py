"""Throttling and lockout of sign-in attempts (ASVS 2.2.1, NIST 800-63B §5.2.2).

Two mechanisms, both shared across workers through the limiter's storage (Redis
when ``REDIS_URL`` is set):

* **Throttle**: at most 5 failed attempts a minute per client IP and per
  account (the 6th gets HTTP 429), applied by decorators on the views.
* **Lockout**: 10 consecutive failures (password or second factor) lock the
  account for 15 minutes; during the lock even the right password and code are
  refused. Unknown e-mails get the same treatment from a failure window, so the
  lock message never reveals whether an account exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from limits import parse

from customer_model import PortalUser, utcnow
from web.security import limiter

ATTEMPTS_PER_MINUTE = "5 per minute"
LOCK_AFTER = 10
LOCK_FOR = dt.timedelta(minutes=15)
_UNKNOWN_WINDOW = parse(f"{LOCK_AFTER} per 15 minutes")


def email_key(email: str) -> str:
    """A storage key for an e-mail that keeps the address itself out of Redis."""
    return "acct:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def is_locked(user: PortalUser | None, email: str) -> bool:
    """True while ``user`` (or an unknown ``email``) is locked out."""
    if user is not None:
        return user.locked_until is not None and user.locked_until > utcnow()
    return not limiter.limiter.test(_UNKNOWN_WINDOW, email_key(email))


def register_failure(user: PortalUser | None, email: str) -> bool:
    """Count one failed attempt; True when this failure starts a lock."""
    if user is None:
        limiter.limiter.hit(_UNKNOWN_WINDOW, email_key(email))
        return False
    user.failed_attempts = (user.failed_attempts or 0) + 1
    if user.failed_attempts >= LOCK_AFTER:
        user.failed_attempts = 0
        user.locked_until = utcnow() + LOCK_FOR
        return True
    return False


def register_success(user: PortalUser) -> None:
    """A full sign-in clears the failure count."""
    user.failed_attempts = 0
    user.locked_until = None
