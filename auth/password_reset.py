"""Forgotten passwords (issue 3, item 7) and password changes by signed-in users.

A reset link is signed, expires after an hour, works once and goes stale as
soon as the password changes by any route. A reset sets the password and
nothing else: it never signs anyone in and never touches the second factor, so
the next sign-in still asks for the authenticator code.

Pure: no Flask. Services take a SQLAlchemy ``Session`` and a ``ClientInfo`` and
never commit; the caller does.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from customer_model import PortalUser, utcnow
from messaging import MailSettings, send_email

from . import audit, one_time, passwords, sessions, tokens
from .client import ClientInfo
from .signup import is_verified

RESET_MINUTES = tokens.MAX_AGE[tokens.RESET_PASSWORD] // 60


def request_reset(
    db: Session,
    client: ClientInfo,
    email: str,
    *,
    settings: MailSettings,
    secret_key: str,
    reset_url: Callable[[str], str],
) -> None:
    """Mail a reset link if ``email`` belongs to an active, verified user.

    Returns nothing on purpose: the caller shows the same page either way.
    """
    user = db.scalars(select(PortalUser).where(PortalUser.email == email)).one_or_none()
    if user is None or not user.is_active or not is_verified(user):
        audit.record(db, "password_reset_requested", client, email=email, matched=False)
        return
    token = tokens.make(secret_key, tokens.RESET_PASSWORD, user.id)
    send_email(
        db,
        settings,
        user.email,
        "Reset your energy portal password",
        (
            "Hello,\n\n"
            "Someone asked to reset the password of the energy portal account that "
            "uses this e-mail address. To choose a new password, open this link:\n\n"
            f"{reset_url(token)}\n\n"
            f"The link works once and expires in {RESET_MINUTES} minutes. You will "
            "still need your authenticator app to sign in afterwards.\n\n"
            "If you did not ask for this, ignore this message: your password stays "
            "as it is.\n"
        ),
    )
    audit.record(db, "password_reset_requested", client, user=user, matched=True)


def user_for_reset(db: Session, secret_key: str, token: str) -> PortalUser:
    """The user a reset link is for, without using it up.

    Raises :class:`auth.one_time.LinkRefused` when the link is tampered with,
    expired, already used, or older than the user's last password change.
    """
    return _checked(db, secret_key, token)[0]


def _checked(db: Session, secret_key: str, token: str) -> tuple[PortalUser, tokens.TokenClaims]:
    found = one_time.claims(secret_key, tokens.RESET_PASSWORD, token)
    user = db.get(PortalUser, found.user_id)
    if user is None or not user.is_active or not is_verified(user):
        raise one_time.LinkRefused("invalid")
    if one_time.is_redeemed(db, found):
        raise one_time.LinkRefused("used")
    changed = user.password_changed_at
    issued = one_time.issued_at(secret_key, tokens.RESET_PASSWORD, token)
    if changed is not None and issued < int(changed.timestamp()):
        raise one_time.LinkRefused("used")  # a newer password already replaced the old one
    return user, found


def reset_password(
    db: Session,
    client: ClientInfo,
    token: str,
    new_password: str,
    *,
    settings: MailSettings,
    secret_key: str,
    reset_request_url: str,
) -> PortalUser:
    """Set a new password through a reset link (no commit, no sign-in).

    Clears the lockout, ends every session of the user and mails a notice.
    ``new_password`` must already have passed ``password_problems``.
    """
    user, found = _checked(db, secret_key, token)
    one_time.redeem(db, found)
    _set_password(user, new_password)
    user.failed_attempts = 0
    user.locked_until = None
    sessions.end_all(db, user)
    audit.record(db, "password_reset", client, user=user)
    _notify_changed(db, settings, user, reset_request_url, everywhere=True)
    return user


def change_password(
    db: Session,
    client: ClientInfo,
    user: PortalUser,
    current_password: str,
    new_password: str,
    *,
    settings: MailSettings,
    reset_request_url: str,
) -> bool:
    """Change the password of a signed-in user who knows the current one (no commit).

    ``False`` (nothing changed) when ``current_password`` is wrong. On success
    every other session of the user ends; this one stays.
    """
    if not passwords.verify_password(user.password_hash, current_password):
        audit.record(db, "password_change_failure", client, user=user)
        return False
    _set_password(user, new_password)
    sessions.end_all(db, user, keep_current=True)
    audit.record(db, "password_changed", client, user=user)
    _notify_changed(db, settings, user, reset_request_url, everywhere=False)
    return True


def _set_password(user: PortalUser, new_password: str) -> None:
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()


def _notify_changed(
    db: Session,
    settings: MailSettings,
    user: PortalUser,
    reset_request_url: str,
    *,
    everywhere: bool,
) -> None:
    """A notice without secrets, so a customer notices a change they did not make."""
    zone = ZoneInfo(user.customer.timezone if user.customer else "America/Toronto")
    when = (user.password_changed_at or utcnow()).astimezone(zone)
    devices = "every device" if everywhere else "your other devices"
    send_email(
        db,
        settings,
        user.email,
        "Your energy portal password was changed",
        (
            "Hello,\n\n"
            "The password of your energy portal account was changed on "
            f"{when:%Y-%m-%d at %H:%M %Z}. You have been signed out on {devices}.\n\n"
            "If you did not do this, reset your password now and call us:\n\n"
            f"{reset_request_url}\n"
        ),
    )
