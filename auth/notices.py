"""Security notices by e-mail after a credential or factor changes (ASVS 2.5.5, 2.8.5).

They say what happened and what to do if it was not you; never a code or a secret.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from customer_model import PortalUser
from messaging import send_email

from .mail import mail_settings

_IF_NOT_YOU = (
    "\n\nIf this was not you, reset your password at once and call us: someone may "
    "know your password and have a copy of your authenticator."
)
REPLAY = (
    "A sign-in code that had already been used was entered again for your account." + _IF_NOT_YOU
)
RECOVERY_USED = "One of your recovery codes was just used to sign in." + _IF_NOT_YOU
CODES_REPLACED = "New recovery codes were generated; the old ones no longer work." + _IF_NOT_YOU
AUTHENTICATOR_REMOVED = (
    "The authenticator app was removed from your account; a new one will be set up at the "
    "next sign-in." + _IF_NOT_YOU
)


def send(db: Session, user: PortalUser, subject: str, text: str) -> None:
    """Queue a notice to the user's address (outbox, or SMTP when configured)."""
    send_email(db, mail_settings(current_app.config), user.email, subject, text)
