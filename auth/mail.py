"""Mail settings for the auth e-mails (verification, reset, notices), from app config.

Pure: takes the configuration mapping, so services and commands can use it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from messaging import MailSettings


def mail_settings(app_config: Mapping[str, Any]) -> MailSettings:
    """``MailSettings`` from the ``MAIL_*`` keys.

    Whole bodies (which hold one-time links) are logged only on a developer's
    machine: no SMTP server configured and not under test.
    """
    server = app_config.get("MAIL_SERVER") or None
    return MailSettings(
        server=server,
        port=int(app_config.get("MAIL_PORT") or 587),
        username=app_config.get("MAIL_USERNAME") or None,
        password=app_config.get("MAIL_PASSWORD") or None,
        sender=app_config.get("MAIL_FROM") or "portal@localhost",
        log_bodies=not app_config.get("TESTING") and not server,
    )
