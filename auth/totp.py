"""TOTP (RFC 6238: SHA-1, 30 s, 6 digits) with replay protection. Pure: no Flask.

A code is accepted at most once: the time step it matched is returned and the
caller stores it; later codes must match a strictly newer step (NIST SP 800-63B
§5.1.4.2, the approach of pypi/warehouse and Flask-Security).
"""

from __future__ import annotations

import datetime as dt
import hmac

import pyotp
import segno

DRIFT_STEPS = 1
"""Accept the previous and the next 30-second step too (clock drift)."""
ISSUER = "Energy portal"


def new_secret() -> str:
    """A random base32 secret of 160 bits."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, email: str) -> str:
    """The ``otpauth://`` URI authenticator apps read from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code as inline SVG, generated locally (no third-party service)."""
    return segno.make(uri, error="m").svg_inline(
        scale=6, title="QR code for your authenticator app"
    )


def matching_step(
    secret: str, code: str, last_used_step: int | None, at: dt.datetime | None = None
) -> int | None:
    """The time step ``code`` is valid for, or ``None``.

    Steps at or before ``last_used_step`` are refused, so a code seen once (or an
    older one) can never be replayed within its window.
    """
    code = code.strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = at or dt.datetime.now(dt.UTC)
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def current_code(secret: str, at: dt.datetime | None = None) -> str:
    """The code an authenticator shows now (demo-otp command and tests)."""
    return pyotp.TOTP(secret).at(at or dt.datetime.now(dt.UTC))
