"""Messages to customers through an adapter: SMTP when configured, else the outbox.

Pure (no Flask): callers pass :class:`MailSettings`. Every message is kept in the
``outbound_message`` table, the log of what was sent to whom; without SMTP the
table *is* the outbox (development, tests) and the message is also logged.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy.orm import Session

from customer_model import OutboundMessage, utcnow

log = logging.getLogger(__name__)


class InvalidRecipient(ValueError):
    """An address that could smuggle headers or is not an address at all."""


@dataclass(frozen=True)
class MailSettings:
    server: str | None = None
    port: int = 587
    username: str | None = None
    password: str | None = None
    sender: str = "portal@localhost"
    log_bodies: bool = False
    """Log the whole message when there is no SMTP server (development only)."""


def send_email(
    session: Session, settings: MailSettings, to: str, subject: str, body: str
) -> OutboundMessage:
    """Record the message, then hand it to SMTP if one is configured."""
    if any(ch in to for ch in "\r\n") or "@" not in to:
        raise InvalidRecipient(to)
    message = OutboundMessage(channel="email", recipient=to, subject=subject, body=body)
    session.add(message)
    session.flush()
    if settings.server:
        _deliver(settings, to, subject, body)
        message.sent_at = utcnow()
    elif settings.log_bodies:
        log.info("outbox #%s to %s: %s\n%s", message.id, to, subject, body)
    else:
        log.info("outbox #%s to %s: %s", message.id, to, subject)
    return message


def _deliver(settings: MailSettings, to: str, subject: str, body: str) -> None:
    email = EmailMessage()
    email["From"] = settings.sender
    email["To"] = to
    email["Subject"] = subject
    email.set_content(body)
    with smtplib.SMTP(settings.server or "localhost", settings.port, timeout=10) as smtp:
        smtp.starttls()
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        smtp.send_message(email)
