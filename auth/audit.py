"""The security audit log (ASVS V7): who did what, from where, never with secrets.

Each event is a ``security_event`` row and, where a customer is concerned, an
``interaction`` on channel web / kind security, so agents see it in the
customer's history too.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from customer_model import Channel, Interaction, InteractionKind, PortalUser, SecurityEvent

from .client import ClientInfo

log = logging.getLogger("security")

SUBJECTS = {
    "login_success": "Signed in to the portal",
    "login_failure": "Failed sign-in attempt",
    "mfa_success": "Second factor accepted",
    "mfa_failure": "Wrong or reused authentication code",
    "mfa_enrolled": "Authenticator app set up",
    "mfa_reset": "Authenticator app removed",
    "recovery_code_used": "Recovery code used to sign in",
    "recovery_codes_regenerated": "New recovery codes generated",
    "lockout": "Sign-in temporarily locked after repeated failures",
    "password_changed": "Password changed",
    "password_reset_requested": "Password reset requested",
    "password_reset": "Password reset by e-mail link",
    "signup": "Portal account created",
    "email_verified": "E-mail address verified",
    "logout": "Signed out",
    "logout_everywhere": "Signed out on every device",
    "session_expired": "Session ended by timeout",
}


def record(
    session: Session,
    event: str,
    client: ClientInfo,
    *,
    user: PortalUser | None = None,
    email: str | None = None,
    **detail: Any,
) -> None:
    """Write one audit event (no commit: it rides the caller's transaction)."""
    session.add(
        SecurityEvent(
            event=event,
            user_id=user.id if user else None,
            email=(email or (user.email if user else None)),
            ip_address=client.ip_address,
            user_agent=client.user_agent,
            detail=detail,
        )
    )
    if user is not None and user.customer_id is not None:
        session.add(
            Interaction(
                customer_id=user.customer_id,
                channel=Channel.WEB,
                kind=InteractionKind.SECURITY,
                subject=SUBJECTS.get(event, event),
                actor=f"user:{user.id}",
                data={"event": event, "ip": client.ip_address, **detail},
            )
        )
    log.info("security event %s user=%s ip=%s", event, user.id if user else None, client.ip_address)
