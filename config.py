"""Configuration from environment variables, with safe defaults for a laptop.

Nothing secret lives in the code: ``SECRET_KEY`` comes from the environment or is
generated once into ``instance/secret_key`` (mode 0600) and reused afterwards.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any


def _secret_key(instance_path: Path) -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: str | Path) -> dict[str, Any]:
    """Read the portal's settings from the environment (see README, Configuration)."""
    instance = Path(instance_path)
    default_db = f"sqlite:///{instance / 'portal.db'}"
    return {
        "SECRET_KEY": _secret_key(instance),
        "DATABASE_URL": os.environ.get("DATABASE_URL", default_db),
        "PORTAL_TIMEZONE": os.environ.get("PORTAL_TIMEZONE", "America/Toronto"),
        "HOST": os.environ.get("HOST", "127.0.0.1"),
        "PORT": int(os.environ.get("PORT", "8050")),
        "PREFERRED_URL_SCHEME": os.environ.get("PREFERRED_URL_SCHEME", "http"),
        "REDIS_URL": os.environ.get("REDIS_URL"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "portal@localhost"),
        "SMS_PROVIDER_URL": os.environ.get("SMS_PROVIDER_URL"),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL"),
        "TRUSTED_HOSTS": [h.strip() for h in os.environ["TRUSTED_HOSTS"].split(",")]
        if os.environ.get("TRUSTED_HOSTS")
        else None,
        "PROXY_FIX_HOPS": int(os.environ.get("PROXY_FIX_HOPS", "0")),
        "DASHBOARDS_ENABLED": _flag("DASHBOARDS_ENABLED", True),
        "AUTO_DEMO_DATA": _flag("AUTO_DEMO_DATA", False),
        "HIGH_BILL_THRESHOLD": os.environ.get("HIGH_BILL_THRESHOLD", "1.25"),
    }
