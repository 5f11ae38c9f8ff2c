"""Sign-in, second factor, enrolment and recovery codes: the rules, not the pages.

Functions take the SQLAlchemy session and the client explicitly and never touch
Flask's request or cookie, so they are testable and reusable (CLI, API later).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from customer_model import PortalUser, RecoveryCode, utcnow

from . import audit, passwords, recovery, secret_box, throttle, totp
from .client import ClientInfo

_DUMMY_HASH = passwords.hash_password("not-a-real-password-just-for-timing")


class SignIn(enum.Enum):
    OK = "ok"
    INVALID = "invalid"
    LOCKED = "locked"
    UNVERIFIED = "unverified"


@dataclass(frozen=True)
class PasswordOutcome:
    status: SignIn
    user: PortalUser | None = None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(db: Session, email: str) -> PortalUser | None:
    return db.scalar(select(PortalUser).where(PortalUser.email == normalise_email(email)))


def check_password(db: Session, email: str, password: str, client: ClientInfo) -> PasswordOutcome:
    """First factor. Always spends one argon2 verification, found or not (timing)."""
    user = find_user(db, email)
    locked = throttle.is_locked(user, email)
    valid = passwords.verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if locked:
        audit.record(db, "login_failure", client, user=user, email=email, reason="locked")
        return PasswordOutcome(SignIn.LOCKED)
    if user is None or not valid or not user.is_active:
        _fail(db, user, email, client, "login_failure", reason="password")
        return PasswordOutcome(SignIn.INVALID)
    if user.email_verified_at is None:
        return PasswordOutcome(SignIn.UNVERIFIED, user)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return PasswordOutcome(SignIn.OK, user)


def _fail(
    db: Session, user: PortalUser | None, email: str, client: ClientInfo, event: str, **detail
) -> None:
    audit.record(db, event, client, user=user, email=email, **detail)
    if throttle.register_failure(user, email):
        audit.record(db, "lockout", client, user=user, email=email)


class Code(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    REPLAYED = "replayed"
    LOCKED = "locked"


def check_totp(db: Session, user: PortalUser, code: str, client: ClientInfo, key: str) -> Code:
    """Second factor by authenticator code; a code is accepted at most once."""
    if throttle.is_locked(user, user.email):
        audit.record(db, "mfa_failure", client, user=user, reason="locked")
        return Code.LOCKED
    secret = secret_box.decrypt(key, user.totp_secret_encrypted or "")
    step = totp.matching_step(secret, code, user.totp_last_step)
    if step is None:
        replayed = totp.matching_step(secret, code, None) is not None
        result = Code.REPLAYED if replayed else Code.WRONG
        _fail(db, user, user.email, client, "mfa_failure", reason=result.value)
        return result
    if not _claim_step(db, user, step):  # a concurrent request used this code first
        _fail(db, user, user.email, client, "mfa_failure", reason=Code.REPLAYED.value)
        return Code.REPLAYED
    _succeed(db, user, client, "mfa_success")
    return Code.ACCEPTED


def _claim_step(db: Session, user: PortalUser, step: int) -> bool:
    """Record ``step`` as used, atomically: of two racing requests only one wins."""
    claimed = db.execute(
        update(PortalUser)
        .where(
            PortalUser.id == user.id,
            or_(PortalUser.totp_last_step.is_(None), PortalUser.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.refresh(user)
    return claimed == 1


def check_recovery_code(db: Session, user: PortalUser, code: str, client: ClientInfo) -> bool:
    """Second factor by a recovery code, which is then used up."""
    if throttle.is_locked(user, user.email):
        audit.record(db, "mfa_failure", client, user=user, reason="locked")
        return False
    unused = db.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    for row in unused:
        if recovery.matches(row.code_hash, code):
            row.used_at = utcnow()
            _succeed(db, user, client, "recovery_code_used")
            return True
    _fail(db, user, user.email, client, "mfa_failure", reason="recovery_code")
    return False


def _succeed(db: Session, user: PortalUser, client: ClientInfo, event: str) -> None:
    throttle.register_success(user)
    user.last_login_at = utcnow()
    audit.record(db, event, client, user=user)
    audit.record(db, "login_success", client, user=user)


def complete_enrolment(
    db: Session, user: PortalUser, secret: str, code: str, client: ClientInfo, key: str
) -> list[str] | None:
    """Store the new authenticator if ``code`` proves it works; returns recovery codes."""
    step = totp.matching_step(secret, code, None)
    if step is None:
        _fail(db, user, user.email, client, "mfa_failure", reason="enrolment")
        return None
    user.totp_secret_encrypted = secret_box.encrypt(key, secret)
    user.totp_enrolled_at = utcnow()
    user.totp_last_step = step
    audit.record(db, "mfa_enrolled", client, user=user)
    _succeed(db, user, client, "mfa_success")
    return replace_recovery_codes(db, user)


def replace_recovery_codes(db: Session, user: PortalUser) -> list[str]:
    """Ten new codes; every earlier code stops working."""
    for row in db.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        db.delete(row)
    codes = recovery.generate()
    db.add_all(RecoveryCode(user_id=user.id, code_hash=recovery.hash_code(c)) for c in codes)
    return codes


def remaining_recovery_codes(db: Session, user: PortalUser) -> int:
    rows = db.scalars(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )
    return len(rows.all())


def reauthenticate(
    db: Session, user: PortalUser, password: str, code: str, client: ClientInfo, key: str
) -> bool:
    """Password and a current code again, before a sensitive change (ASVS 3.7.1)."""
    if not passwords.verify_password(user.password_hash, password):
        _fail(db, user, user.email, client, "login_failure", reason="reauthentication")
        return False
    return check_totp(db, user, code, client, key) is Code.ACCEPTED


def remove_authenticator(db: Session, user: PortalUser, client: ClientInfo) -> None:
    """Forget the TOTP secret and recovery codes: the next sign-in enrols again."""
    user.totp_secret_encrypted = None
    user.totp_enrolled_at = None
    user.totp_last_step = None
    for row in db.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        db.delete(row)
    audit.record(db, "mfa_reset", client, user=user)
